"""Where the shipped specs, catalogue, schemas and demo data live.

In a source checkout (or an editable install) they are the repository's top-level folders; in an
installed wheel they travel inside the package as `hfspec/_bundled/` (see pyproject.toml).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def shipped(name: str) -> Path:
    """The folder of shipped material: 'specs', 'catalog', 'schemas' or 'examples'."""
    bundled = _PACKAGE / "_bundled" / name
    if bundled.is_dir():
        return bundled
    return _PACKAGE.parent / name


def national_catalogue() -> Path:
    return shipped("catalog") / "catalogue.yaml"


def standard_datasets() -> Path:
    return shipped("specs") / "datasets"


def demo_data() -> Path:
    return shipped("examples") / "demo" / "data"
