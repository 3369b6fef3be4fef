"""Package list: every ociconsole package, plus the top-level resources/ directory (icons,
themes) shipped inside the package as `ociconsole.resources`. Everything else is in
pyproject.toml."""

from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["ociconsole", "ociconsole.*"])
    + ["ociconsole.resources", "ociconsole.resources.icons"],
    package_dir={"ociconsole.resources": "resources", "ociconsole.resources.icons": "resources/icons"},
    package_data={"ociconsole.resources.icons": ["*.svg"], "ociconsole.lang": ["*.json"]},
    include_package_data=False,
)
