"""The Chinese edition as a student sees it: every table, printed line, figure and widget of
each ``course/zh`` notebook is in Chinese once the notebook has run.

Each notebook is executed in a fresh kernel (as nbval does) and every output is read: printed
text, tables (HTML and plain text), plotly figures (titles, axes, legend, trace names,
annotations and hover templates) and the widgets' descriptions and option labels. An English
word of three or more letters fails the test unless it is a technical token the course uses
as it is (CLV, RFM, NPS …) or data a firm stores in English (ids, e-mail addresses).
"""

from __future__ import annotations

import html
import json
import os
import re
import sys
from pathlib import Path

import nbformat
import pytest
from zh_text import ALLOWED  # the technical tokens a Chinese text may show as they are

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "course" / "_build"))
import build  # noqa: E402  (course/_build/build.py)

pytestmark = pytest.mark.slow

_WORD = re.compile(r"(?<![A-Za-z0-9_@.])[A-Za-z]{3,}(?![A-Za-z0-9_@])(?!\.[A-Za-z])")  # not parts of a.b.c paths
_DATA = [
    re.compile(r"<style.*?</style>", re.S),  # pandas' table styling
    re.compile(r"```.*?```", re.S),  # code shown as code (SQL, diagrams)
    re.compile(r":[a-z_]+"),  # SQL parameters such as :days
    re.compile(r"\S+@\S+"),  # e-mail addresses
    re.compile(r"%\{[^}]*\}"),  # hover template fields
    re.compile(r"<[^>]+>"),  # html tags
    re.compile(r"&[a-z]+;"),  # html entities
    re.compile(r"\b[A-Z]{1,3}\d[\w-]*\b"),  # ids such as C00012, O-2024-1
    re.compile(r"\b\d{4}-\d{2}-\d{2}[T ]?[\d:]*\b"),  # dates
]


def _codes() -> set[str]:
    from simulation.common.i18n_values import VALUES

    return {k.lower() for k in VALUES if isinstance(k, str) and k.isalpha()}


_CODES: set[str] = set()


def english_words(text: str) -> list[str]:
    """English words in ``text`` that are neither allowed tokens nor data."""
    if not _CODES:
        _CODES.update(_codes())
    text = html.unescape(text)
    for pattern in _DATA:
        text = pattern.sub(" ", text)
    # all-capital words are codes or acronyms; a code typed another way ("WEB", "Household") is
    # dirty data shown as it was entered (module 3's cleaning exercise)
    return [
        w
        for w in _WORD.findall(text)
        if w not in ALLOWED
        and w.upper() not in ALLOWED
        and not w.isupper()
        and not (w != w.lower() and w.lower() in _CODES)
    ]


#: table columns that show English on purpose: the glossary's English terms, names in pinyin
ENGLISH_COLUMNS = {"英文", "姓名拼音", "字段名（SQL）"}
_ROW = re.compile(r"<tr.*?</tr>", re.S)
_CELL = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>", re.S)


def table_text(markup: str) -> str:
    """The text of the HTML tables in ``markup`` without the columns in :data:`ENGLISH_COLUMNS`."""
    rows = [[html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in _CELL.findall(r)] for r in _ROW.findall(markup)]
    if not rows:
        return markup
    skip = {i for i, h in enumerate(rows[0]) if h in ENGLISH_COLUMNS}
    return "\n".join(" ".join(c for i, c in enumerate(r) if i not in skip) for r in rows)


def _figure_strings(fig: dict):
    layout = fig.get("layout", {})
    for key, value in layout.items():
        if isinstance(value, dict):
            title = value.get("title")
            yield title.get("text", "") if isinstance(title, dict) else (title or "")
    title = layout.get("title")
    yield title.get("text", "") if isinstance(title, dict) else (title or "")
    for ann in layout.get("annotations", []):
        yield ann.get("text", "")
    for trace in fig.get("data", []):
        yield trace.get("name") or ""
        yield trace.get("hovertemplate") or ""
        for key in ("text", "hovertext"):
            value = trace.get(key)
            if isinstance(value, str):
                yield value
            elif isinstance(value, list):
                yield from (v for v in value if isinstance(v, str))
        for axis in ("x", "y"):
            values = trace.get(axis)
            if isinstance(values, list):
                yield from (v for v in values if isinstance(v, str))


def _widget_strings(state: dict):
    for model in state.get("state", {}).values():
        s = model.get("state", {})
        for key in ("description", "tooltip", "placeholder", "button_style_label"):
            if isinstance(s.get(key), str):
                yield s[key]
        for label in s.get("_options_labels", []) or []:
            yield label
        if model.get("model_name") in ("LabelModel", "HTMLModel", "HTMLMathModel") and isinstance(s.get("value"), str):
            yield s["value"]


def shown_strings(nb) -> list[tuple[int, str]]:
    """Every string the executed notebook shows, with its cell number (-1 for widgets)."""
    out = []
    for i, cell in enumerate(nb.cells):
        for o in cell.get("outputs", []):
            if o.output_type == "stream":
                out.append((i, o.text))
            data = o.get("data", {})
            if "text/html" in data:
                out.append((i, table_text(data["text/html"])))
            if "text/markdown" in data:
                out.append((i, data["text/markdown"]))
            if "text/plain" in data and not {"text/html", "application/vnd.plotly.v1+json"} & set(data):
                if "application/vnd.jupyter.widget-view+json" not in data:
                    out.append((i, data["text/plain"]))
            fig = data.get("application/vnd.plotly.v1+json")
            if fig:
                out += [(i, s) for s in _figure_strings(fig)]
    widgets = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    out += [(-1, s) for s in _widget_strings(widgets)]
    return out


#: a comma, semicolon, colon, question or exclamation mark after a Chinese character, or a bracket
#: next to one, is half width where Chinese is typeset with full-width ，；：？！（）
HALF_WIDTH = re.compile(r"[\u4e00-\u9fff][,;:?!()]|\([\u4e00-\u9fff]")


def _without_data(text: str) -> str:
    text = html.unescape(text)
    for pattern in _DATA:
        text = pattern.sub(" ", text)
    return text


def test_half_width_sees_punctuation_next_to_chinese_only():
    assert HALF_WIDTH.findall("客户数: 12 (家庭)") == ["数:", "(家", "庭)"]
    assert not HALF_WIDTH.findall("客户数：12（家庭） · CLV (CNY): 3, 4 · %{x}: %{y}")


def test_english_words_sees_english_but_not_data_or_tokens():
    assert english_words("<td>household</td>") == ["household"]
    assert not english_words("<td>Household</td><td>WEB</td>")
    assert not english_words("<td>家庭</td><td>C00012</td><td>2024-03-01</td> CLV 与 RFM %{x}")
    assert not english_words("wang.fang@example.cn")
    assert not english_words("channels.store.customers_per_year WEB")
    assert english_words("Ends here. Then more") == ["Ends", "here", "Then", "more"]
    table = (
        "<table><thead><tr><th>英文</th><th>中文</th></tr></thead><tr><td>random seed</td><td>种子</td></tr></table>"
    )
    assert not english_words(table_text(table))
    assert english_words(table_text(table.replace("英文", "名称")))


@pytest.mark.parametrize("name", build.names())
def test_chinese_edition_shows_no_english(name, tmp_path):
    from nbclient import NotebookClient

    path = build.path(name, "zh")
    if not path.is_file():
        pytest.fail(f"{path} is missing; build it with `python course/_build/build.py {name}`")
    nb = nbformat.read(path, as_version=4)
    os.environ.update(TQDM_DISABLE="1", PYTHONHASHSEED="0")
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    found = {}
    for cell, text in shown_strings(nb):
        for word in english_words(text):
            found.setdefault(word, (cell, text.strip()[:120]))
    assert not found, f"zh/{name}: English shown to a student: " + json.dumps(
        dict(list(found.items())[:15]), ensure_ascii=False, indent=1
    )
    half = {}
    for cell, text in shown_strings(nb):
        for m in HALF_WIDTH.finditer(_without_data(text)):
            half.setdefault(m.group(0), (cell, text.strip()[:120]))
    assert not half, f"zh/{name}: half-width punctuation in Chinese text: " + json.dumps(
        dict(list(half.items())[:15]), ensure_ascii=False, indent=1
    )
