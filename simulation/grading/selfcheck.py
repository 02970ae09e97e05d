"""Self-checks a student runs in an assignment notebook: shape, type and plausibility, never the answer.

``check("q3", segment_sizes, kind="table", columns=["customers"])`` prints one bilingual line:
a tick when the answer has the right form and lies in a plausible range, otherwise what to look
at. It never compares with the expected value, so passing a self-check does not mean the
answer is right.
"""

from __future__ import annotations

import numbers

__all__ = ["check", "record"]


def _say(ok: bool, zh: str, en: str) -> str:
    line = ("✓ " if ok else "✗ ") + f"{zh} · {en}"
    print(line)
    return line


def _is_number(x) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def check(
    qid: str,
    value,
    *,
    kind: str = "number",
    lo: float | None = None,
    hi: float | None = None,
    columns=None,
    choices=None,
    max_rows: int | None = None,
) -> str:
    """Check the form of an answer and print one line in Chinese and English.

    Parameters
    ----------
    qid : str
        The question, as in the prompt (``"q1"``).
    value
        The answer variable.
    kind : {"number", "integer", "choice", "table"}
        What the answer should be.
    lo, hi : float, optional
        A plausible range for a number (wide: it catches a wrong unit, not a wrong answer).
    columns : list of str, optional
        Columns a table must have.
    choices : list of str, optional
        The allowed choices.
    max_rows : int, optional
        At most this many rows in a table.

    Returns
    -------
    str
        The line printed.
    """
    if value is None:
        return _say(False, f"{qid}：还没有作答", f"{qid}: not answered yet")
    if kind in ("number", "integer"):
        if not _is_number(value):
            return _say(
                False,
                f"{qid}：答案应是一个数字，现在是 {type(value).__name__}",
                f"{qid}: the answer should be a number, not {type(value).__name__}",
            )
        if kind == "integer" and float(value) != int(value):
            return _say(False, f"{qid}：答案应是整数", f"{qid}: the answer should be a whole number")
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            return _say(
                False,
                f"{qid}：数值不在合理范围 [{lo}， {hi}] 内，检查单位和公式",
                f"{qid}: outside the plausible range [{lo}, {hi}]; check the units and the formula",
            )
    elif kind == "choice":
        allowed = [str(c).lower() for c in (choices or [])]
        if not isinstance(value, str) or (allowed and value.strip().lower() not in allowed):
            return _say(
                False,
                f"{qid}：请从 {list(choices or [])} 中选一个（文字）",
                f"{qid}: pick one of {list(choices or [])} (as text)",
            )
    elif kind == "table":
        if isinstance(value, dict):  # a mapping is a one-column table
            cols = ["value"]
        elif hasattr(value, "columns"):
            cols = list(value.columns)
        else:
            cols = [getattr(value, "name", None)] if hasattr(value, "index") else None
        if cols is None:
            return _say(
                False,
                f"{qid}:答案应是一个表(DataFrame、Series 或字典)",
                f"{qid}: the answer should be a table (DataFrame, Series or dictionary)",
            )
        missing = [c for c in (columns or []) if c not in cols]
        if missing:
            return _say(False, f"{qid}：表中缺少列 {missing}", f"{qid}: the table is missing column(s) {missing}")
        if max_rows is not None and len(value) > max_rows:
            return _say(False, f"{qid}：表太长（最多 {max_rows} 行）", f"{qid}: too many rows (at most {max_rows})")
    else:
        raise ValueError(f"check kind must be number, integer, choice or table; got {kind!r}")
    return _say(
        True,
        f"{qid}：格式正确（是否正确在评分时揭晓）",
        f"{qid}: the form looks right (whether it is correct is decided at grading)",
    )


def record(qid: str, name: str) -> None:
    """Where the grader reports the answer ``name`` for ``qid``; outside grading it does nothing."""
    return None
