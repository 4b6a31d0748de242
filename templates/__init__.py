"""Page templates, runtime scripts and preview files, shipped inside the package as
`builder.templates` (see setup.py and builder/packaged.py). Not code: this file only makes
the folder a regular package, so importlib.resources finds it in an editable install too."""
