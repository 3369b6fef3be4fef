"""Package list: every ociconsole package, plus the top-level resources/ directory (icons,
themes) shipped inside the package as `ociconsole.resources`. Everything else is in
pyproject.toml."""

from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["ociconsole", "ociconsole.*"]) + ["ociconsole.resources"],
    package_dir={"ociconsole.resources": "resources"},
    package_data={"ociconsole.resources": ["icons/*.svg", "*.qss"]},
)
