"""The README's instructor loop, command by command: release, hand out, collect, grade, feedback, gradebook."""

import csv
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from simulation.cli.assignments import resolve_source
from simulation.grading.notebook import load_assignment

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def loop_commands() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Graded assignments (for instructors)", 1)[1].split("\n## ", 1)[0]
    block = re.findall(r"```shell\n(.*?)```", section, flags=re.S)[0]
    return [line.split("#", 1)[0].strip() for line in block.splitlines() if line.strip().startswith("python -m")]


def _run(cmd: str, cwd: Path) -> subprocess.CompletedProcess:
    args = shlex.split(cmd)[3:]
    if args[:2] == ["assignments", "grade"] and os.geteuid() == 0:
        args.append("--allow-root")  # CI runs as root; instructors should not
    return subprocess.run(
        [sys.executable, "-m", "simulation", *args], cwd=cwd, capture_output=True, text=True, timeout=600
    )


def _answered(handout: Path, sid: str, written: str | None) -> nbformat.NotebookNode:
    key = load_assignment(resolve_source("a1"))
    sol = {
        c.metadata["nbgrader"]["grade_id"]: "\n".join(x for x in c.source.splitlines() if "###" not in x)
        for c in key.cells("answer")
    }
    nb = nbformat.read(str(handout), as_version=4)
    for c in nb.cells:
        gid = c.metadata.get("nbgrader", {}).get("grade_id")
        if gid == "student_id":
            c.source = f'STUDENT_ID = "{sid}"'
        elif gid in sol:
            c.source = sol[gid]
        elif gid == "q5" and written:
            c.source = written
    return nb


def test_the_instructor_loop_from_the_readme(tmp_path):
    cmds = loop_commands()
    assert [c.split()[4] for c in cmds] == ["release", "grade", "feedback", "gradebook"]
    release, grade, feedback, gradebook = cmds
    p = _run(release, tmp_path)
    assert p.returncode == 0, p.stderr
    handout = next((tmp_path / "handout").glob("*.ipynb"))
    subs = tmp_path / "submissions"  # collected with the names the students gave them
    subs.mkdir()
    nbformat.write(
        _answered(handout, "2024001", "客户先看到广告…… The customer sees an advert…"),
        str(subs / "作业1-2024001.ipynb"),
    )
    nbformat.write(_answered(handout, "2024002", None), str(subs / "homework (1).ipynb"))
    (tmp_path / "roster.csv").write_text(
        "student_id,name,file\n2024001,李雷,\n2024002,韩梅梅,homework (1).ipynb\n2024003,王芳,\n", encoding="utf-8"
    )
    p = _run(grade, tmp_path)
    assert p.returncode == 0, p.stderr
    assert "3 rows" in p.stdout
    p = _run(feedback, tmp_path)
    assert p.returncode == 0, p.stderr
    assert sorted(f.name for f in (tmp_path / "feedback").iterdir()) == ["2024001.md", "2024002.md"]
    hand = tmp_path / "graded" / "hand_graded.csv"
    rows = list(csv.DictReader(hand.open(encoding="utf-8")))
    assert [r["student_id"] for r in rows] == ["2024001", "2024002"]
    assert "The customer sees an advert" in rows[0]["answer"] and rows[0]["rubric"]
    rows[0]["score"], rows[1]["score"] = "4", "0"
    with hand.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    p = _run(gradebook, tmp_path)
    assert p.returncode == 0, p.stderr
    book = {r["student_id"]: r for r in csv.DictReader((tmp_path / "final" / "gradebook.csv").open(encoding="utf-8"))}
    assert book["2024001"]["total"] == "14" and book["2024001"]["q5"] == "4"
    assert book["2024002"]["total"] == "10" and book["2024003"]["status"] == "missing"
    moodle = list(csv.reader((tmp_path / "final" / "moodle.csv").open(encoding="utf-8")))
    assert moodle[1:] == [["2024001", "李雷", "14"], ["2024002", "韩梅梅", "10"], ["2024003", "王芳", "0"]]
    again = _run(grade, tmp_path)  # the graded folder exists: refused, nothing overwritten
    assert again.returncode == 2 and again.stderr.count("\n") == 1 and "already exists" in again.stderr


def test_every_assignments_solutions_earn_full_marks_in_the_sandbox(tmp_path):
    """The key of each assignment, handed in as a student's work, scores every point for that student."""
    subs = tmp_path / "subs"
    subs.mkdir()
    sources = sorted((ROOT / "assignments" / "source").glob("*.ipynb"))
    for k, src in enumerate(sources):
        nb = nbformat.read(str(src), as_version=4)
        for c in nb.cells:
            if c.metadata.get("nbgrader", {}).get("grade_id") == "student_id":
                c.source = f'STUDENT_ID = "T{k}"'
        nbformat.write(nb, str(subs / f"T{k}.ipynb"))
    from simulation.grading.runner import Limits, grade_many, sandbox_tool

    for k, src in enumerate(sources):
        key = load_assignment(src)
        (out,) = grade_many(
            key, [(subs / f"T{k}.ipynb", f"T{k}")], limits=Limits(cell_timeout_s=60), bwrap=sandbox_tool()
        )
        assert out.status == "ok", (src.name, out.notes)
        assert out.points == {q.qid: q.points for q in key.questions}, src.name
