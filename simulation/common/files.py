"""Where the workbench's shipped files are: the data sets installed with the package."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["datasets_folder", "checkout_folder"]


def datasets_folder() -> Path:
    """The folder of the canonical data sets, wherever the package is installed.

    In a checkout (an editable install) this is the repository's ``datasets/`` folder; in an
    installed wheel it is ``simulation/datasets`` inside site-packages. Both are the package
    ``simulation.datasets``, found through the import system.
    """
    return Path(str(resources.files("simulation.datasets")))


def checkout_folder(name: str) -> Path:
    """A top-level folder of the workbench's repository (``assignments``, ``course`` …).

    These folders live in a checkout beside the ``simulation`` package and are not installed
    with it; in an installed wheel the returned path does not exist, and callers say so.
    """
    return Path(str(resources.files("simulation"))).parent / name
