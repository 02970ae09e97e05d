"""Report an answer from a graded notebook's check cell (runs inside the student's kernel).

Writes one line ``<mark>{"q": ..., "value": ...}`` to the cell's output; the grading harness,
outside the kernel, compares it with the expected value. The line carries the student's answer,
never the expected one, so printing such a line gains nothing over answering.
"""

from __future__ import annotations

import json
import sys

from .values import ANSWER_MARK, normalise

__all__ = ["emit"]

_write = sys.stdout.write
_dumps = json.JSONEncoder(ensure_ascii=True, allow_nan=False).encode
_modules = sys.modules


def emit(qid: str, name: str) -> None:
    """Write the answer held in the notebook variable ``name`` for question ``qid``."""
    space = _modules["__main__"].__dict__
    missing = name not in space
    try:
        value = None if missing else normalise(space[name])
        text = _dumps({"q": qid, "missing": missing, "value": value})
    except (TypeError, ValueError):
        text = _dumps({"q": qid, "missing": False, "value": None, "unreadable": True})
    out = sys.stdout
    (out.write if hasattr(out, "write") else _write)("\n" + ANSWER_MARK + text + "\n")
