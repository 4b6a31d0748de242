"""`python -m builder` runs the command-line interface."""

from builder.cli import main

raise SystemExit(main())
