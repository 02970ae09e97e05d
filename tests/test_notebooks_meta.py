"""The course notebooks as files: small, in sync with their sources, and built the same way.

These checks read the committed .ipynb files; running them is nbval's job (``make test``).
"""

import json
import re
import sys
from pathlib import Path

import nbformat
import pytest

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
MAX_BYTES = 60_000  # a whole notebook file
MAX_OUTPUT_BYTES = 1_000  # all stored outputs of one notebook together
MAX_CELL_LINES = 15  # longer code cells mean a function is missing from the package
CHECK = "# NBVAL_CHECK_OUTPUT"
EXPLORE = re.compile(r"\b(explore|\w+_explorer)\(")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _read(name):
    return nbformat.read(COURSE / f"{name}.ipynb", as_version=4)


def _available():
    return [n for n in NOTEBOOKS if (COURSE / f"{n}.ipynb").is_file()]


@pytest.fixture(params=_available())
def name(request):
    return request.param


def test_every_course_notebook_is_present_and_has_a_source():
    assert sorted(p.stem for p in COURSE.glob("*.ipynb")) == sorted(NOTEBOOKS)
    assert sorted(build.names()) == sorted(NOTEBOOKS)
    assert not list((COURSE / "_build").rglob("*.ipynb")), "helper folders must not hold notebooks nbval would run"


def test_notebook_matches_its_source(name):
    nb, src = _read(name), build.notebook(name)
    assert [(c.cell_type, c.source) for c in nb.cells] == [(c.cell_type, c.source) for c in src.cells], (
        f"{name}.ipynb differs from course/_build/src/{name}.txt; edit the source and run "
        f"`python course/_build/build.py {name}`"
    )


def test_notebook_is_small_and_carries_no_figure_or_widget_output(name):
    path = COURSE / f"{name}.ipynb"
    assert path.stat().st_size <= MAX_BYTES, f"{name}.ipynb is {path.stat().st_size} bytes"
    nb = _read(name)
    assert "widgets" not in nb.metadata, "widget state must not be saved in the notebook"
    total = 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            text = json.dumps(out)
            total += len(text)
            assert "application/vnd.plotly" not in text and "application/vnd.jupyter.widget-view" not in text
            assert "text/html" not in text
    assert total <= MAX_OUTPUT_BYTES, f"{name}: {total} bytes of stored output"


def test_only_checked_cells_keep_outputs_and_each_really_checks(name):
    """GRADING.md: a check cell without a stored output and execution count checks nothing."""
    nb = _read(name)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if CHECK in cell.source:
            assert cell.execution_count is not None, f"{name} cell {i}: check cell without execution count"
            assert len(cell.outputs) == 1 and cell.outputs[0].output_type == "stream", f"{name} cell {i}"
            text = cell.outputs[0].text
            assert text.count("\n") == 1 and text.endswith("\n"), f"{name} cell {i}: print exactly one line"
            assert "np.float64" not in text and "dtype" not in text, f"{name} cell {i}: print plain rounded text"
        else:
            assert not cell.outputs and cell.execution_count is None, f"{name} cell {i}: unchecked output stored"


def test_code_cells_are_short(name):
    for i, cell in enumerate(_read(name).cells):
        if cell.cell_type == "code":
            n = len(cell.source.splitlines())
            assert n <= MAX_CELL_LINES, f"{name} cell {i} has {n} lines; move the logic into the package"


@pytest.mark.parametrize("module", MODULES)
def test_module_notebook_has_the_course_structure(module):
    if not (COURSE / f"{module}.ipynb").is_file():
        pytest.fail(f"{module}.ipynb is missing")
    nb = _read(module)
    md = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert re.search(r"^## Learning objectives", md, re.M), "learning objectives"
    assert re.search(r"^## Try this", md, re.M), "try-this questions"
    assert re.search(r"^## Cases? for discussion", md, re.M), "a case discussion"
    assert len(re.findall(r"^\d+\. ", md.split("## Try this")[1], re.M)) >= 3, "at least three questions"
    assert "$$" in md, "a formula in view"
    assert len(EXPLORE.findall(code)) >= 2, "at least two interactive explorations"
    assert sum(CHECK in c.source for c in nb.cells if c.cell_type == "code") >= 2, "checked claims"


def test_explorations_are_listed_in_the_instructor_table(name):
    from simulation.lessons.course import explorations

    if name in ("glossary", "instructor_guide"):
        return
    code = "\n".join(c.source for c in _read(name).cells if c.cell_type == "code")
    assert len(EXPLORE.findall(code)) == len(explorations(name)), (
        f"{name}: update simulation.lessons.course.EXPLORATIONS to list each exploration once"
    )


@pytest.mark.parametrize("module", range(6))
def test_each_key_term_appears_in_english_and_chinese_in_its_notebook(module):
    from simulation.lessons.glossary import TERMS

    name = NOTEBOOKS[module]
    if not (COURSE / f"{name}.ipynb").is_file():
        pytest.fail(f"{name}.ipynb is missing")
    md = " ".join(" ".join(c.source.split()) for c in _read(name).cells if c.cell_type == "markdown")
    for key, en, zh, m, *_ in TERMS:
        if m == module:
            assert en.lower() in md.lower(), f"{name}: English term {en!r} ({key}) not in the text"
            assert zh in md, f"{name}: Chinese term {zh!r} ({key}) not in the text"


def test_links_between_notebooks_resolve(name):
    md = "\n".join(c.source for c in _read(name).cells if c.cell_type == "markdown")
    for target in re.findall(r"\]\(([^)#]+\.ipynb)\)", md):
        assert (COURSE / target).is_file(), f"{name} links to missing {target}"


def test_start_page_links_every_module():
    md = "\n".join(c.source for c in _read("00_start_here").cells if c.cell_type == "markdown")
    for module in MODULES:
        assert f"({module}.ipynb)" in md
    assert "(glossary.ipynb)" in md and "(instructor_guide.ipynb)" in md


def test_notebooks_use_the_small_class_firm_for_simulating_explorations(name):
    code = "\n".join(c.source for c in _read(name).cells if c.cell_type == "code")
    assert "scenario=" not in "".join(re.findall(r"explore\([^)]*\)", code, re.S)), (
        "explorations re-run the small-class firm (the default); pass no other scenario"
    )
