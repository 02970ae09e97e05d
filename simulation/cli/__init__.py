"""The command line, ``python -m simulation ...``: the top of the package, calling every other part."""

from .app import main

__all__ = ["main"]
