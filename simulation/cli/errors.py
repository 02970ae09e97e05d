"""What every command reports on bad input: one line on stderr and exit code 2."""

from __future__ import annotations

import argparse

__all__ = ["UsageError", "Parser", "check_output_folder"]


class UsageError(Exception):
    """Bad command-line input (exit code 2)."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, without the usage dump."""

    def error(self, message):
        raise UsageError(f"{self.prog}: {message} (see --help)")


def check_output_folder(path: str, option: str = "--out") -> None:
    """Refuse an output folder that exists with content, or that cannot be created, before any work.

    The nearest existing ancestor must be a folder in which a folder can be made; this is
    tried (and undone) so that a long run never ends in an OS error about its output.

    Raises
    ------
    UsageError
        Naming the option, the path and why (nothing is written).
    """
    import os
    import tempfile
    from pathlib import Path

    out = Path(path)
    if out.exists():
        if not out.is_dir() or any(out.iterdir()):
            raise UsageError(
                f"{option} {path!r} already exists and is not an empty folder; "
                "choose a new folder (nothing was written)"
            )
        return
    parent = out.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise UsageError(
            f"{option} {path!r} cannot be created: {str(parent)!r} is a file, not a folder (nothing was written)"
        )
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".crm-check-", dir=parent))
    except OSError as exc:
        raise UsageError(
            f"{option} {path!r} cannot be created in {str(parent)!r}: {exc.strerror or exc}; "
            "choose a folder you can write to (nothing was written)"
        ) from None
