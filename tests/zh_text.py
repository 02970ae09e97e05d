"""Helpers of the Chinese-edition tests: find English words in what a student sees.

A *word* is a run of three or more ASCII letters; technical tokens (CLV, RFM, NPS, KPI, CRM,
BG/NBD, SQL, CNY …) are allowed. Figures are read from their plotly JSON (titles, axis
titles, legend names, annotations, bar labels, hover templates and custom data); widgets
from their descriptions, tooltips, option labels and HTML.
"""

from __future__ import annotations

import re

import pandas as pd

#: Technical tokens that stay in Latin letters in the Chinese edition.
ALLOWED = frozenset(
    {
        "CLV",
        "RFM",
        "NPS",
        "KPI",
        "KPIs",
        "CRM",
        "NBD",
        "SQL",
        "CNY",
        "CSAT",
        "FCR",
        "ROI",
        "lift",
        "NULL",
        "SaaS",
        "Kaplan",
        "Meier",
        "Erlang",
        "Gartner",
        "CloudDesk",
        "EnterpriseSuite",
        # names of tools, methods and keys a Chinese text uses as they are
        "SQLite",
        "CAC",
        "SimPy",
        "Python",
        "JupyterLab",
        "Jupyter",
        "Gamma",
        "Pareto",
        "TARP",
        "VIP",
        "APP",
        "GDPR",
        "PIPL",
        "Evergreen",
        "Shift",
        "Enter",
        "Ctrl",
        "Run",
        "All",
        "Cells",
        "Kernel",
        "Restart",
        "nbval",
        "pip",
        "NaN",
        "None",
        "English",
        "Language",
    }
)
WORD = re.compile(r"[A-Za-z]{3,}")
_MARKUP = re.compile(r"%\{[^}]*\}|<[^>]*>|&[a-z]+;")
_IDENT = re.compile(r"\b\w*[_.]\w*[_.\w]*\b|\b\w+\.ipynb\b")


def english_words(text, *, identifiers_ok: bool = False) -> list[str]:
    """English words of ``text`` that are not allowed technical tokens."""
    s = _MARKUP.sub(" ", str(text))
    if identifiers_ok:
        s = _IDENT.sub(" ", s)
    return [w for w in WORD.findall(s) if w not in ALLOWED]


def table_english(df: pd.DataFrame, *, skip_columns=(), identifier_columns=()) -> list[str]:
    """Headers, index labels and text cells of ``df`` holding English words."""
    bad = []
    texts = [(str(c), False) for c in df.columns]
    if df.index.name is not None:
        texts.append((str(df.index.name), False))
    if not isinstance(df.index, pd.RangeIndex):
        texts += [(str(i), False) for i in df.index]
    for c in df.columns:
        if c in skip_columns:
            continue
        s = df[c]
        if s.dtype.kind in "OUTb" or str(s.dtype) in ("str", "string", "category"):
            texts += [(str(v), c in identifier_columns) for v in s.dropna()]
    for text, ids in texts:
        if english_words(text, identifiers_ok=ids):
            bad.append(text)
    return sorted(set(bad))


_FIGURE_KEYS = {"text", "title", "name", "hovertemplate", "texttemplate", "ticktext", "customdata", "x", "y"}


def _strings(node, key=None):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "template":
                continue
            yield from _strings(v, k)
    elif isinstance(node, (list, tuple)):
        for v in node:
            yield from _strings(v, key)
    elif hasattr(node, "tolist") and not isinstance(node, str):
        yield from _strings(node.tolist(), key)
    elif isinstance(node, str) and key in _FIGURE_KEYS:
        yield node


def figure_english(fig) -> list[str]:
    """Texts of a plotly figure (titles, axes, legend, annotations, hover) holding English."""
    return sorted({s for s in _strings(fig.to_plotly_json()) if english_words(s)})


def widget_english(widget) -> list[str]:
    """Descriptions, tooltips, option labels and HTML of a widget tree holding English."""
    out = set()
    stack = [widget]
    while stack:
        w = stack.pop()
        stack.extend(getattr(w, "children", ()) or ())
        for attr in ("description", "tooltip", "placeholder", "value"):
            v = getattr(w, attr, None)
            if isinstance(v, str) and (attr != "value" or type(w).__name__ in ("HTML", "Label", "HTMLMath")):
                out.update([v] if english_words(v) else [])
        for label in getattr(w, "_options_labels", ()) or ():
            if english_words(label):
                out.add(label)
        if type(w).__name__ == "FigureWidget":
            out.update(figure_english(w))
    return sorted(out)
