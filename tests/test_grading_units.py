"""Grading without running kernels: metadata, student copies, matching, comparison, reports, bad input."""

import copy
import csv
import importlib.util
import json
import sys
from pathlib import Path

import nbformat
import pytest

from simulation.cli.assignments import main, resolve_source
from simulation.grading import check
from simulation.grading.batch import match_files, read_roster
from simulation.grading.key import expected_values
from simulation.grading.notebook import (
    BEGIN_HIDDEN,
    BEGIN_SOLUTION,
    WRITTEN_STUB,
    GradingError,
    assemble,
    load_assignment,
    match_cells,
    read_notebook,
    release,
)
from simulation.grading.reports import gradebook_rows, read_hand_grades, write_feedback, write_gradebook
from simulation.grading.values import matches, normalise

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "assignments" / "source").glob("*.ipynb"))


def _build_module():
    spec = importlib.util.spec_from_file_location("assignments_build", ROOT / "assignments" / "_build" / "build.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_five_assignments_and_a_capstone_each_with_a_written_question():
    assert len(SOURCES) == 6
    for src in SOURCES:
        a = load_assignment(src)
        assert len(a.questions) >= 3 and a.written, src.name
        assert all(w.rubric_en and w.rubric_zh for w in a.written)
        assert all(q.hint_en and q.hint_zh for q in a.questions)
        assert a.notebook.metadata["crm"]["minutes"] > 0
        for cell in a.notebook.cells:  # nbgrader's conventions on every graded or answered cell
            nbg = cell.metadata.get("nbgrader")
            if nbg:
                assert {"grade_id", "solution", "grade", "locked", "schema_version"} <= set(nbg)


@pytest.mark.parametrize("src", SOURCES, ids=lambda p: p.stem)
def test_sources_and_student_copies_are_in_sync(src):
    built = _build_module().notebook(src.stem)
    assert nbformat.writes(built) == nbformat.writes(nbformat.read(str(src), as_version=4)), (
        "rebuild with assignments/_build/build.py"
    )
    student = ROOT / "assignments" / "student" / src.name
    assert nbformat.writes(release(load_assignment(src))) == nbformat.writes(nbformat.read(str(student), as_version=4))


@pytest.mark.parametrize("src", SOURCES, ids=lambda p: p.stem)
def test_student_copy_hides_solutions_and_hidden_checks(src):
    student = nbformat.read(str(ROOT / "assignments" / "student" / src.name), as_version=4)
    text = nbformat.writes(student)
    assert BEGIN_SOLUTION not in text and BEGIN_HIDDEN not in text and "record(" not in text
    assert any(c.source.startswith('STUDENT_ID = ""') for c in student.cells)
    assert all(not c.get("outputs") for c in student.cells if c.cell_type == "code")
    key = load_assignment(src)
    written = {c.metadata["nbgrader"]["grade_id"]: c.source for c in key.cells("written")}
    for c in student.cells:
        if c.metadata.get("crm", {}).get("role") == "written":
            assert c.source == WRITTEN_STUB and c.source != written[c.metadata["nbgrader"]["grade_id"]]
        if c.metadata.get("crm", {}).get("role") == "check":
            assert "hint" not in c.metadata["crm"]


def test_expected_values_differ_between_students_and_repeat_for_one():
    a = load_assignment(resolve_source("a1"))
    one, again, other = expected_values(a, "S001"), expected_values(a, "S001"), expected_values(a, "S002")
    assert one == again
    assert one["q1"] != other["q1"] and one["q3"] != other["q3"]


def test_normalise_and_matches():
    import numpy as np
    import pandas as pd

    assert normalise(np.float64(2.5)) == 2.5 and normalise(np.int64(3)) == 3
    assert matches(100.05, 100.0, "number", {"rel": 1e-3}) and not matches(100.2, 100.0, "number", {"rel": 1e-3})
    assert not matches("100", 100.0, "number") and not matches(True, 1, "integer")
    assert matches(7, 7, "integer") and not matches(7.5, 7, "integer")
    assert matches(" Store ", "store", "choice") and not matches("web", "store", "choice")
    s = pd.Series({"a": 1.0, "b": 2.0}, name="x")
    t = s.rename("y").iloc[::-1]  # another column name, other row order
    assert matches(normalise(t), normalise(s), "table")
    assert not matches(normalise(s * 1.1), normalise(s), "table")
    assert not matches(normalise(s.iloc[:1]), normalise(s), "table")
    assert not matches(None, normalise(s), "table")


def test_self_check_never_reveals_the_answer(capsys):
    assert check("q1", None).startswith("✗")
    assert check("q1", "12", kind="number").startswith("✗")
    assert check("q1", 5.0, kind="number", lo=0, hi=1).startswith("✗")
    line = check("q1", 0.5, kind="number", lo=0, hi=1)
    assert line.startswith("✓") and "0.5" not in line
    assert check("q2", "moon", kind="choice", choices=["store", "web"]).startswith("✗")
    assert "·" in capsys.readouterr().out  # bilingual


def _student(name="a1"):
    src = resolve_source(name)
    return load_assignment(src), nbformat.read(str(ROOT / "assignments" / "student" / src.name), as_version=4)


def _set(nb, gid, source):
    for c in nb.cells:
        if c.metadata.get("nbgrader", {}).get("grade_id") == gid:
            c.source = source
    return nb


def test_matching_by_grade_id_survives_reordering_duplicates_and_deletions():
    a, nb = _student()
    _set(nb, "q1", "n_customers = 1")
    _set(nb, "student_id", 'STUDENT_ID = "S009"')
    dup = copy.deepcopy([c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q3"][0])
    dup.source = "late_share = 0.5"
    nb.cells.append(dup)
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "q2"][::-1]
    nb.cells.append(nbformat.v4.new_code_cell("scratch = 1"))
    m = match_cells(a, nb)
    assert m.answers["q1"] == "n_customers = 1" and m.answers["q3"] == "late_share = 0.5"
    assert "q2" not in m.answers and m.typed_id == "S009"
    assert any("q2: cell deleted" in n for n in m.notes) and any("2 copies" in n for n in m.notes)
    assert any("added code cell" in n for n in m.notes)
    graded = assemble(a, m, "S001")
    roles = [c.metadata["crm"]["role"] for c in graded.cells]
    assert roles.index("setup") > roles.index("id") and graded.cells[roles.index("id")].source == "STUDENT_ID = 'S001'"
    assert "scratch" not in nbformat.writes(graded)
    assert graded.metadata["kernelspec"]["name"] == "crm-grader"
    checks = [c for c in graded.cells if c.metadata["crm"]["role"] == "check"]
    assert [c.metadata["crm"]["graded"] for c in checks] == ["q1", "q2", "q3", "q4"]


@pytest.mark.parametrize(
    "content,why",
    [(b"", "empty"), (b"not json", "not JSON"), (b'{"cells": 3}', "no list"), (b"\xff\xfe\x00", "not JSON")],
)
def test_unreadable_files_are_named(tmp_path, content, why):
    p = tmp_path / "x.ipynb"
    p.write_bytes(content)
    with pytest.raises(GradingError, match=why):
        read_notebook(p)


def _roster(tmp_path, text):
    p = tmp_path / "roster.csv"
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize(
    "text,msg",
    [
        ("id,name\n1,a\n", "needs a column 'student_id'"),
        ("student_id,name\n", "lists no students"),
        ("student_id,name\nS1,a\nS1,b\n", "appears twice"),
        ("student_id,name\n,a\n", "blank"),
    ],
)
def test_bad_rosters(tmp_path, text, msg):
    with pytest.raises(GradingError, match=msg):
        read_roster(_roster(tmp_path, text))


def test_files_match_by_roster_column_then_name_then_notebook(tmp_path):
    a, nb = _student()
    sub = tmp_path / "subs"
    sub.mkdir()
    (sub / "anything.ipynb").write_text(nbformat.writes(_set(copy.deepcopy(nb), "student_id", 'STUDENT_ID = "S3"')))
    (sub / "hw_S2_final.ipynb").write_text("{}")
    (sub / "listed.ipynb").write_text("{}")
    (sub / "S22.ipynb").write_text("{}")
    people = read_roster(_roster(tmp_path, "student_id,name,file\nS1,a,listed.ipynb\nS2,b,\nS3,c,\n"))
    got = {
        f.name: (p["student_id"] if p else None, how) for f, p, how in match_files(sorted(sub.iterdir()), people, sub)
    }
    assert got == {
        "anything.ipynb": ("S3", "STUDENT_ID in the notebook"),
        "hw_S2_final.ipynb": ("S2", "file name"),
        "listed.ipynb": ("S1", "roster file"),
        "S22.ipynb": (None, "unmatched"),
    }


def _results():
    return {
        "assignment": "a1",
        "title": "A1",
        "isolation": "bubblewrap",
        "questions": [
            {
                "qid": "q1",
                "points": 2.0,
                "hint_en": "look at X",
                "hint_zh": "看 X",
                "kind": "number",
                "answer": "v",
                "tolerance": {},
            }
        ],
        "written": [{"qid": "q2", "points": 5.0, "rubric_en": "r", "rubric_zh": "评"}],
        "rows": [
            {
                "student_id": "S1",
                "name": "Li",
                "file": "a.ipynb",
                "status": "ok",
                "points": {"q1": 2.0},
                "passed": {"q1": True},
                "written": {"q2": "my answer"},
                "notes": [],
            },
            {
                "student_id": "S2",
                "name": "Wu",
                "file": "b.ipynb",
                "status": "error",
                "points": {"q1": 0.0},
                "passed": {"q1": False},
                "written": {"q2": ""},
                "notes": ["raised an error: q1"],
            },
        ],
    }


def test_hand_grades_merge_and_refuse_bad_scores(tmp_path):
    res = _results()
    good = tmp_path / "hand.csv"
    good.write_text("student_id,file,question,score\nS1,a.ipynb,q2,4.5\nS2,b.ipynb,q2,\n", encoding="utf-8")
    hand = read_hand_grades(good, res)
    rows = gradebook_rows(res, hand)
    assert rows[1][rows[0].index("total")] == "6.50" and rows[2][rows[0].index("q2")] == ""
    for bad, msg in [
        ("S1,a.ipynb,q2,6", r"must be in \[0, 5\]"),
        ("S1,a.ipynb,q2,lots", "not a number"),
        ("S1,a.ipynb,q9,1", "unknown question"),
        ("S7,z.ipynb,q2,1", "no graded submission"),
    ]:
        p = tmp_path / "bad.csv"
        p.write_text("student_id,file,question,score\n" + bad + "\n", encoding="utf-8")
        with pytest.raises(GradingError, match=msg):
            read_hand_grades(p, res)
    files = write_gradebook(res, tmp_path / "book", hand)
    moodle = list(csv.reader((tmp_path / "book" / "moodle.csv").open(encoding="utf-8")))
    assert moodle[0] == ["ID number", "Full name", "A1"] and moodle[1] == ["S1", "Li", "6.50"]
    canvas = list(csv.reader((tmp_path / "book" / "canvas.csv").open(encoding="utf-8")))
    assert canvas[0][:3] == ["Student", "ID", "SIS User ID"] and canvas[2][2] == "S2"
    assert len(files) == 3
    with pytest.raises(GradingError, match="already exists"):
        write_gradebook(res, tmp_path / "book", hand)


def test_feedback_is_bilingual_with_hints_and_never_overwrites(tmp_path):
    res = _results()
    write_feedback(res, tmp_path / "fb")
    text = (tmp_path / "fb" / "S2.md").read_text(encoding="utf-8")
    assert "看 X · look at X" in text and "未通过 · not passed" in text
    assert "看 X" not in (tmp_path / "fb" / "S1.md").read_text(encoding="utf-8")
    with pytest.raises(GradingError, match="already exists"):
        write_feedback(res, tmp_path / "fb")


def _cli(capsys, *argv):
    code = main(list(argv))
    err = capsys.readouterr().err
    return code, err


def test_cli_bad_input_is_one_line_and_exit_2(tmp_path, capsys):
    roster = _roster(tmp_path, "student_id,name\nS1,a\n")
    (tmp_path / "subs").mkdir()
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "x").write_text("keep")
    cases = [
        ("assignments",),
        (
            "assignments",
            "grade",
            "a9",
            str(tmp_path / "subs"),
            "--roster",
            str(roster),
            "--out",
            str(tmp_path / "o1"),
            "--allow-root",
        ),
        (
            "assignments",
            "grade",
            "a1",
            str(tmp_path / "nothere"),
            "--roster",
            str(roster),
            "--out",
            str(tmp_path / "o2"),
            "--allow-root",
        ),
        (
            "assignments",
            "grade",
            "a1",
            str(tmp_path / "subs"),
            "--roster",
            str(tmp_path / "no.csv"),
            "--out",
            str(tmp_path / "o3"),
            "--allow-root",
        ),
        (
            "assignments",
            "grade",
            "a1",
            str(tmp_path / "subs"),
            "--roster",
            str(roster),
            "--out",
            str(tmp_path / "taken"),
            "--allow-root",
        ),
        (
            "assignments",
            "grade",
            "a1",
            str(tmp_path / "subs"),
            "--roster",
            str(roster),
            "--out",
            str(tmp_path / "o4"),
            "--jobs",
            "0",
            "--allow-root",
        ),
        ("assignments", "feedback", str(tmp_path / "subs"), "--out", str(tmp_path / "o5")),
        ("assignments", "gradebook", str(tmp_path / "subs"), "--out", str(tmp_path / "o6")),
        ("assignments", "release", "a1", "--out", str(tmp_path / "taken")),
    ]
    for argv in cases:
        code, err = _cli(capsys, *argv)
        assert code == 2, argv
        assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err, err
    assert (tmp_path / "taken" / "x").read_text() == "keep"
    assert not any((tmp_path / f"o{i}").exists() for i in range(1, 7))


@pytest.mark.skipif(not hasattr(sys, "getrefcount") or __import__("os").geteuid() != 0, reason="only as root")
def test_grading_refuses_root_without_the_flag(tmp_path, capsys):
    roster = _roster(tmp_path, "student_id,name\nS1,a\n")
    (tmp_path / "subs").mkdir()
    code, err = _cli(
        capsys,
        "assignments",
        "grade",
        "a1",
        str(tmp_path / "subs"),
        "--roster",
        str(roster),
        "--out",
        str(tmp_path / "o"),
    )
    assert code == 2 and "refusing to run as root" in err and not (tmp_path / "o").exists()


def test_release_writes_copies_and_check_finds_drift(tmp_path, capsys):
    assert main(["assignments", "release", "a1", "a2", "--out", str(tmp_path / "rel")]) == 0
    assert sorted(p.name for p in (tmp_path / "rel").iterdir()) == [
        "a1_understanding_crm.ipynb",
        "a2_identifying_customers.ipynb",
    ]
    assert main(["assignments", "release", "a1", "--out", str(tmp_path / "rel"), "--check"]) == 0
    p = tmp_path / "rel" / "a1_understanding_crm.ipynb"
    data = json.loads(p.read_text(encoding="utf-8"))
    data["cells"][0]["source"] = "changed"
    p.write_text(json.dumps(data), encoding="utf-8")
    assert main(["assignments", "release", "a1", "--out", str(tmp_path / "rel"), "--check"]) == 1


def test_odd_metadata_does_not_break_matching(tmp_path):
    a, nb = _student()
    nb.cells[1].metadata["nbgrader"] = "nonsense"
    nb.cells[2].metadata = {"crm": 5}
    m = match_cells(a, nb)
    assert m.answered == 0
