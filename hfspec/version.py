"""The version of hfspec, in a module of its own so that every module can import it without the package facade."""

__version__ = "0.1.0"
