"""The answer key for one student: the source notebook's solutions run for the student's seed.

Expected values are never stored: :func:`expected_values` runs the setup and solution cells
of the instructor's source notebook in a fresh namespace with ``STUDENT_ID`` set to the
roster's id, so every student's firm, and every expected value, is their own.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile

from .notebook import Assignment, GradingError, crm_meta
from .values import normalise

__all__ = ["expected_values"]


def expected_values(assignment: Assignment, student_id: str) -> dict:
    """``{question id: normalised expected answer}`` for ``student_id``.

    Raises
    ------
    GradingError
        If a solution cell fails (the key itself is broken) or leaves its answer unset.
    """
    space: dict = {"__name__": "__crm_key__"}
    os.environ.setdefault("TQDM_DISABLE", "1")
    here = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="crm-key-") as scratch:  # files the solutions write stay there
        os.chdir(scratch)
        try:
            _run_cells(assignment, student_id, space)
        finally:
            os.chdir(here)
    out = {}
    for q in assignment.questions:
        if q.answer not in space or space[q.answer] is None:
            raise GradingError(f"the key {assignment.name} leaves {q.answer!r} unset (question {q.qid})")
        out[q.qid] = normalise(space[q.answer])
    return out


def _run_cells(assignment: Assignment, student_id: str, space: dict) -> None:
    sink = io.StringIO()
    for i, cell in enumerate(assignment.notebook.cells):
        role = crm_meta(cell).get("role")
        if role == "id":
            code = f"STUDENT_ID = {student_id!r}"
        elif role in ("setup", "answer"):
            code = cell.source
        else:
            continue
        try:
            with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                exec(compile(code, f"<{assignment.name} cell {i + 1}>", "exec"), space)
        except Exception as exc:
            raise GradingError(
                f"the key {assignment.name} fails in cell {i + 1} for student "
                f"{student_id!r}: {type(exc).__name__}: {exc}"
            ) from None
