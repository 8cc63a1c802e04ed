"""`python -m hfspec` runs the command line."""

from hfspec.cli import main

main()
