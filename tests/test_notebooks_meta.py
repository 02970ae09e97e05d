"""The course notebooks as files, in both editions: small, in sync with their one bilingual
source, built the same way, and the Chinese edition written in Chinese.

These checks read the committed .ipynb files; running them is nbval's job (``make test``).
"""

import json
import re
import sys
from pathlib import Path

import nbformat
import pytest
from zh_text import ALLOWED  # the technical tokens a Chinese text may show as they are

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "course"
sys.path.insert(0, str(COURSE / "_build"))
import build  # noqa: E402  (course/_build/build.py)

MODULES = [
    "01_understanding_crm",
    "02_identifying_customers",
    "03_customer_database",
    "04_satisfaction_loyalty",
    "05_applying_crm",
]
NOTEBOOKS = ["00_start_here", *MODULES, "glossary", "instructor_guide"]
EDITIONS = ["en", "zh"]
MAX_BYTES = 90_000  # a whole notebook file (Chinese takes three bytes a character)
MAX_OUTPUT_BYTES = 1_500  # all stored outputs of one notebook together
MAX_CELL_LINES = 15  # longer code cells mean a function is missing from the package
EXPLORE = re.compile(r"\b(explore|\w+_explorer)\(")
CJK = re.compile(r"[\u4e00-\u9fff]")
#: the headings every module has, per edition
STRUCTURE = {
    "en": (r"^## Learning objectives", r"^## Try this", r"^## Cases? for discussion"),
    "zh": (r"^## 学习目标", r"^## 试一试", r"^## 案例讨论"),
}


def _read(name, lang="en"):
    return nbformat.read(build.path(name, lang), as_version=4)


def _available():
    return [(n, lang) for lang in EDITIONS for n in NOTEBOOKS if build.path(n, lang).is_file()]


@pytest.fixture(params=_available(), ids=lambda p: f"{p[1]}-{p[0]}")
def edition(request):
    return request.param


def _markdown(name, lang="en"):
    return "\n".join(c.source for c in _read(name, lang).cells if c.cell_type == "markdown")


def _code(name, lang="en"):
    return "\n".join(c.source for c in _read(name, lang).cells if c.cell_type == "code")


@pytest.mark.parametrize("lang", EDITIONS)
def test_every_course_notebook_is_present_in_both_editions_and_has_a_source(lang):
    assert sorted(p.stem for p in build.EDITIONS[lang].glob("*.ipynb")) == sorted(NOTEBOOKS), lang
    assert sorted(build.names()) == sorted(NOTEBOOKS)
    assert not list((COURSE / "_build").rglob("*.ipynb")), "helper folders must not hold notebooks nbval would run"


def test_notebook_matches_its_source(edition):
    name, lang = edition
    nb, src = _read(name, lang), build.notebook(name, lang)
    assert [(c.cell_type, c.source) for c in nb.cells] == [(c.cell_type, c.source) for c in src.cells], (
        f"{build.path(name, lang)} differs from course/_build/src/{name}.txt; edit the source and run "
        f"`python course/_build/build.py {name}`"
    )
    assert nb.metadata.get("crm_workbench", {}).get("edition") == lang


def test_a_source_without_chinese_twins_does_not_build():
    with pytest.raises(build.SourceError, match="x.txt:1: markdown cell without its Chinese twin"):
        build.parse("%% md\nHello\n%% code\nlanguage_picker()\n%% code zh\nlanguage_picker('zh')\n", "x.txt")
    with pytest.raises(build.SourceError, match="must start in Chinese"):
        build.parse("%% md\nHello\n%% zh\n你好\n%% code\nprint(1)\n", "x.txt")
    with pytest.raises(build.SourceError, match="'%% zh' must follow"):
        build.parse("%% code\nx = 1\n%% zh\n你好\n", "x.txt")
    cells = build.parse("%% md\nHi\n%% zh\n你好\n%% code check\nx = 1\n%% code zh\nset_language('zh')\n", "x.txt")
    assert [(c.kind, c.en, c.zh, c.check) for c in cells] == [
        ("markdown", "Hi", "你好", False),
        ("code", "x = 1", "set_language('zh')", True),
    ]


def test_notebook_is_small_and_carries_no_figure_or_widget_output(edition):
    name, lang = edition
    path = build.path(name, lang)
    assert path.stat().st_size <= MAX_BYTES, f"{path} is {path.stat().st_size} bytes"
    nb = _read(name, lang)
    assert "widgets" not in nb.metadata, "widget state must not be saved in the notebook"
    total = 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            text = json.dumps(out, ensure_ascii=False)
            total += len(text.encode("utf-8"))  # as the file stores it
            assert "application/vnd.plotly" not in text and "application/vnd.jupyter.widget-view" not in text
            assert "text/html" not in text
    assert total <= MAX_OUTPUT_BYTES, f"{name}: {total} bytes of stored output"


_BARE = re.compile(r"^(True|False|None)$|\b(True|False)\b")


def test_only_checked_cells_keep_outputs_and_each_really_checks(edition):
    """GRADING.md: a check cell without a stored output and execution count checks nothing.

    Checked cells carry the ``nbval-check-output`` tag (no test comment a student reads) and
    print one line that reads as a statement about the firm, not a bare ``True``.
    """
    name, lang = edition
    nb = _read(name, lang)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        assert "NBVAL" not in cell.source, f"{name} ({lang}) cell {i}: use the nbval-check-output tag, not a comment"
        if build.is_checked(cell):
            assert cell.execution_count is not None, f"{name} cell {i}: check cell without execution count"
            assert len(cell.outputs) == 1 and cell.outputs[0].output_type == "stream", f"{name} cell {i}"
            text = cell.outputs[0].text
            assert text.count("\n") == 1 and text.endswith("\n"), f"{name} cell {i}: print exactly one line"
            assert "np.float64" not in text and "dtype" not in text, f"{name} cell {i}: print plain rounded text"
            assert not _BARE.search(text), f"{name} ({lang}) cell {i}: say what holds, not True/False: {text!r}"
            if lang == "zh":
                assert CJK.search(text), f"{name} cell {i}: the Chinese edition prints Chinese: {text!r}"
        else:
            assert not cell.outputs and cell.execution_count is None, f"{name} cell {i}: unchecked output stored"


def test_code_cells_are_short(edition):
    name, lang = edition
    for i, cell in enumerate(_read(name, lang).cells):
        if cell.cell_type == "code":
            n = len(cell.source.splitlines())
            assert n <= MAX_CELL_LINES, f"{name} cell {i} has {n} lines; move the logic into the package"


@pytest.mark.parametrize("lang", EDITIONS)
@pytest.mark.parametrize("module", MODULES)
def test_module_notebook_has_the_course_structure(module, lang):
    if not build.path(module, lang).is_file():
        pytest.fail(f"{build.path(module, lang)} is missing")
    nb = _read(module, lang)
    md, code = _markdown(module, lang), _code(module, lang)
    objectives, try_this, cases = STRUCTURE[lang]
    assert re.search(objectives, md, re.M), "learning objectives"
    assert re.search(try_this, md, re.M), "try-this questions"
    assert re.search(cases, md, re.M), "a case discussion"
    questions = re.split(try_this, md, flags=re.M)[1]
    assert len(re.findall(r"^\d+\. ", questions, re.M)) >= 3, "at least three questions"
    assert "$$" in md, "a formula in view"
    assert len(EXPLORE.findall(code)) >= 2, "at least two interactive explorations"
    assert sum(build.is_checked(c) for c in nb.cells if c.cell_type == "code") >= 2, "checked claims"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_explorations_are_listed_in_the_instructor_table(name):
    from simulation.lessons.course import explorations

    if name in ("glossary", "instructor_guide"):
        return
    assert len(EXPLORE.findall(_code(name))) == len(explorations(name)), (
        f"{name}: update simulation.lessons.course.EXPLORATIONS to list each exploration once"
    )


@pytest.mark.parametrize("module", range(6))
def test_each_key_term_appears_in_its_notebook_in_each_language(module):
    """The English edition names the term in English with the Chinese beside it; the Chinese
    edition names it in Chinese."""
    from simulation.lessons.glossary import TERMS

    name = NOTEBOOKS[module]
    en = " ".join(_markdown(name, "en").split())
    zh = " ".join(_markdown(name, "zh").split())
    for key, term_en, term_zh, m, *_ in TERMS:
        if m == module:
            assert term_en.lower() in en.lower(), f"{name}: English term {term_en!r} ({key}) not in the text"
            assert term_zh in en, f"{name}: Chinese term {term_zh!r} ({key}) not beside the English"
            assert term_zh in zh, f"{name} (zh): Chinese term {term_zh!r} ({key}) not in the text"


def test_links_between_notebooks_resolve(edition):
    name, lang = edition
    for target in re.findall(r"\]\(([^)#]+\.ipynb)\)", _markdown(name, lang)):
        assert (build.EDITIONS[lang] / target).is_file(), f"{name} ({lang}) links to missing {target}"


@pytest.mark.parametrize("lang", EDITIONS)
def test_start_page_links_every_module(lang):
    md = _markdown("00_start_here", lang)
    for module in MODULES:
        assert f"({module}.ipynb)" in md
    assert "(glossary.ipynb)" in md and "(instructor_guide.ipynb)" in md


def test_notebooks_use_the_small_class_firm_for_simulating_explorations(edition):
    code = _code(*edition)
    assert "scenario=" not in "".join(re.findall(r"explore\([^)]*\)", code, re.S)), (
        "explorations re-run the small-class firm (the default); pass no other scenario"
    )


def test_chinese_sentences_are_not_split_by_the_sources_line_breaks():
    """Markdown renders a line break as a space, a visible gap inside a Chinese sentence."""
    text = "客户满意了\uff0c\n不等于忠诚。\n- 列表\n## 标题\n正文\n```\n代\n码\n```\n这是\n**重点**。"
    joined = "客户满意了\uff0c不等于忠诚。\n- 列表\n## 标题\n正文\n```\n代\n码\n```\n这是**重点**。"
    assert build.join_cjk_lines(text) == joined
    for name in NOTEBOOKS:
        for i, cell in enumerate(_read(name, "zh").cells):
            if cell.cell_type == "markdown":
                assert cell.source == build.join_cjk_lines(cell.source), f"zh/{name} cell {i}: a split sentence"


# --- the Chinese edition reads as Chinese
_NOT_PROSE = [
    re.compile(r"```.*?```", re.S),  # code blocks
    re.compile(r"`[^`]*`"),  # inline code
    re.compile(r"\$\$.*?\$\$", re.S),  # display formulas
    re.compile(r"\$[^$]*\$"),  # inline formulas
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"<[^>]+>"),  # html tags
    re.compile(r"https?://\S+"),
]
_ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z'-]*(?:[ ,/-]+[A-Za-z][A-Za-z'-]*){3,}")


def english_runs(markdown: str) -> list[str]:
    """Runs of four or more English words in the prose of ``markdown`` (code, formulas and
    link targets removed), ignoring the allowed technical words."""
    text = markdown
    for pattern in _NOT_PROSE:
        text = pattern.sub(" ", text)
    runs = []
    for m in _ENGLISH_RUN.finditer(text):
        words = [w for w in re.findall(r"[A-Za-z][A-Za-z'-]*", m.group()) if w not in ALLOWED]
        if len(words) >= 4:
            runs.append(m.group())
    return runs


def test_english_runs_finds_sentences_but_not_glossed_terms():
    assert not english_runs("客户终身价值(Customer Lifetime Value,CLV)是 `run(preset('baseline'), seed=1)` 的结果")
    assert not english_runs("客户终身价值(CLV)与 RFM 分析;公式 $CLV = m r / (1 + d - r)$")
    assert english_runs("先运行 it was never translated 再看")
    assert english_runs("This paragraph was never translated into Chinese.")


_HALF_WIDTH = re.compile(r"[\u4e00-\u9fff][,;:?!]")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_chinese_text_uses_chinese_punctuation(name):
    """A comma, semicolon, colon, question or exclamation mark after a Chinese character is the
    full-width one (，；：？！), as Chinese is typeset; code, formulas and links keep theirs."""
    for i, cell in enumerate(_read(name, "zh").cells):
        if cell.cell_type != "markdown":
            continue
        text = cell.source
        for pattern in _NOT_PROSE:
            text = pattern.sub(" ", text)
        found = [text[max(0, m.start() - 8) : m.end() + 4] for m in _HALF_WIDTH.finditer(text)]
        assert not found, f"zh/{name} cell {i}: half-width punctuation in Chinese: {found[:5]}"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_chinese_markdown_cell_is_written_in_chinese(name):
    if not build.path(name, "zh").is_file():
        pytest.fail(f"{build.path(name, 'zh')} is missing")
    for i, cell in enumerate(_read(name, "zh").cells):
        if cell.cell_type != "markdown":
            continue
        assert CJK.search(cell.source), f"zh/{name} cell {i} has no Chinese"
        runs = english_runs(cell.source)
        assert not runs, f"zh/{name} cell {i}: English prose in the Chinese edition: {runs[:3]}"
