"""Packaging glue that pyproject.toml cannot express.

The named presets live in the top-level ``configs/`` folder (where users look for
them) but must also ship inside the installed package, so they are mapped onto the
``ragkit.configs`` package here. Everything else is declared in pyproject.toml.
"""

from setuptools import find_packages, setup

setup(
    packages=[
        *find_packages(include=["ragkit", "ragkit.*", "ingest", "ingest.*"]),
        "ragkit.configs",
    ],
    package_dir={"ragkit.configs": "configs"},
    package_data={"ragkit.configs": ["*.toml"]},
)
