"""hfspec: Housing First key figures, CREAM, double bottom line and SØM as plain YAML specs.

The library is usable without the command line::

    from hfspec.spec.project import load_project
    project = load_project(["catalog/"])

Heavy dependencies (duckdb, jinja2, openpyxl) are imported lazily by the modules that need them,
so importing this package and running ``hfspec --help`` stays fast.
"""

from hfspec.version import __version__

__all__ = ["__version__"]
