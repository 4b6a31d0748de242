"""Which packages the distribution ships; everything else is in pyproject.toml.

Every package under builder/ is discovered (a new subpackage cannot be forgotten), and the
top-level templates/ folder is shipped inside the package as `builder.templates`, which
pyproject.toml alone cannot express (its discovery cannot rename a folder). Their data files
(schemas, starter course, templates, runtime, preview) are listed in pyproject.toml's
package-data."""

from setuptools import find_packages, setup

TEMPLATES = "templates"

setup(
    packages=[*find_packages(include=["builder", "builder.*"]), f"builder.{TEMPLATES}"],
    package_dir={f"builder.{TEMPLATES}": TEMPLATES},
)
