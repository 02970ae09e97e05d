"""Statements about the firm that a notebook prints and nbval compares.

A course notebook checks its claims by printing one line that nbval compares with the line
stored when the notebook was built. The line is a sentence a student can read — in the
language of the notebook — not a bare ``True``::

    >>> from simulation.common.i18n import set_language
    >>> _ = set_language("en")
    >>> claim(3 > 2, "Appliances bring the most revenue.", "家电带来的收入最多。")
    ✓ Appliances bring the most revenue.
    >>> claim(False, "Appliances bring the most revenue.", "家电带来的收入最多。")
    ✗ Not in this run: Appliances bring the most revenue.
    >>> say("{n} customers left.", "流失客户 {n} 位。", n=12)
    12 customers left.

If the firm changes so that a claim no longer holds, the printed line changes and nbval
reports the cell, which is the point: the text around it must then be rewritten.
"""

from __future__ import annotations

import sys

from ..common.i18n import pick

__all__ = ["claim", "say"]

_NOT = {"en": "✗ Not in this run: ", "zh": "✗ 本次运行并非如此："}


def claim(holds: bool, en: str, zh: str) -> None:
    """Print the statement ``en`` (or ``zh``) marked ✓ when ``holds`` is true, else ✗.

    Parameters
    ----------
    holds : bool
        Whether the statement is true of the firm that was just run.
    en, zh : str
        The statement in English and in Chinese, written as a fact about the firm.
    """
    text = pick(en, zh)
    _line(("✓ " + text) if bool(holds) else (pick(_NOT["en"], _NOT["zh"]) + text))


def say(en: str, zh: str, **values) -> None:
    """Print ``en`` or ``zh`` (current language) filled with ``values`` by ``str.format``."""
    _line(pick(en, zh).format(**values))


def _line(text: str) -> None:
    # One write, not print's two (text, then "\n"): a kernel may flush between two writes and
    # store two outputs, and a checked cell must store exactly one.
    sys.stdout.write(text + "\n")
