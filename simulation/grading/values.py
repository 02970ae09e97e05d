"""Answers as plain JSON values, and their comparison with the expected values.

The same :func:`normalise` turns the student's answer (inside the sandboxed kernel) and the
expected answer (computed by the grader for the student's seed) into JSON: a number, a string
or a small table ``{"columns": [...], "index": [...], "data": [[...], ...]}``. :func:`matches`
compares the two with the question's tolerance. Nothing here runs student code.
"""

from __future__ import annotations

import math
import numbers

__all__ = ["normalise", "matches", "DEFAULT_TOLERANCE", "ANSWER_MARK"]

#: Line prefix of an answer written by a check cell (parsed by the grading harness only).
ANSWER_MARK = "\x1ecrm-answer "

#: Relative and absolute tolerance for numbers unless a question sets its own.
DEFAULT_TOLERANCE = {"rel": 1e-3, "abs": 1e-6}


def _scalar(x):
    if x is None or isinstance(x, (bool, str)):
        return x
    if isinstance(x, numbers.Integral):
        return int(x)
    if isinstance(x, numbers.Real):
        v = float(x)
        return v if math.isfinite(v) else str(v)
    if hasattr(x, "item") and callable(x.item):  # NumPy scalars
        try:
            return _scalar(x.item())
        except Exception:
            pass
    return str(x)


def normalise(value):
    """A JSON-able form of an answer: scalar, list, or a table as columns/index/data."""
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is a dependency
        pd = None
    if pd is not None and isinstance(value, pd.Series):
        value = value.to_frame()
    if pd is not None and isinstance(value, pd.DataFrame):
        return {
            "columns": [_scalar(c) for c in value.columns],
            "index": [_scalar(i) for i in value.index],
            "data": [[_scalar(v) for v in row] for row in value.itertuples(index=False, name=None)],
        }
    if isinstance(value, dict):
        return {
            "columns": ["value"],
            "index": [_scalar(k) for k in value],
            "data": [[_scalar(v)] for v in value.values()],
        }
    if isinstance(value, (list, tuple)):
        return [_scalar(v) for v in value]
    return _scalar(value)


def _num(x):
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return None
    return float(x)


def _close(a, b, tol: dict) -> bool:
    fa, fb = _num(a), _num(b)
    if fa is None or fb is None:
        return isinstance(a, str) and isinstance(b, str) and a.strip().lower() == b.strip().lower()
    rel, ab = float(tol.get("rel", DEFAULT_TOLERANCE["rel"])), float(tol.get("abs", DEFAULT_TOLERANCE["abs"]))
    return abs(fa - fb) <= max(ab, rel * abs(fb))


def matches(answer, expected, kind: str, tolerance: dict | None = None) -> bool:
    """Whether a normalised ``answer`` equals the normalised ``expected`` for a question of ``kind``.

    number: within ``max(abs, rel * |expected|)``; integer: exactly equal whole numbers;
    choice: the same text, ignoring case and surrounding spaces; table: the same index and
    columns (as text, in any order of rows; a one-column table's column name is free) with every cell matching as a number or as text.
    """
    tol = dict(DEFAULT_TOLERANCE, **(tolerance or {}))
    if kind == "integer":
        a, e = _num(answer), _num(expected)
        return a is not None and e is not None and a == e and float(a).is_integer()
    if kind == "number":
        return _num(answer) is not None and _close(answer, expected, tol)
    if kind == "choice":
        return isinstance(answer, (str, int)) and str(answer).strip().lower() == str(expected).strip().lower()
    if kind == "table":
        if not (isinstance(answer, dict) and isinstance(expected, dict)):
            return False
        try:
            acols = [str(c) for c in answer["columns"]]
            ecols = [str(c) for c in expected["columns"]]
            arows = {str(i): r for i, r in zip(answer["index"], answer["data"], strict=True)}
            erows = {str(i): r for i, r in zip(expected["index"], expected["data"], strict=True)}
        except (KeyError, TypeError, ValueError):
            return False
        if len(acols) == len(ecols) == 1:  # one column: its name does not matter
            acols = ecols
        if sorted(acols) != sorted(ecols) or set(arows) != set(erows):
            return False
        for key, erow in erows.items():
            arow = dict(zip(acols, arows[key]))
            if len(arows[key]) != len(acols):
                return False
            for col, ev in zip(ecols, erow):
                if not _close(arow[col], ev, tol):
                    return False
        return True
    raise ValueError(f"unknown answer kind {kind!r}; use number, integer, choice or table")
