"""Grading sample submissions of assignment 1 end to end, each with its expected gradebook row.

The samples are made here from the committed student copy and the source's own solutions, so
they follow any change of the assignment; expected points come from the key for each student's
seed, never from stored numbers. Student code runs in sandboxed kernels (bubblewrap when
installed). Slow: about a minute on two cores.
"""

import csv
import json
import os
import shutil
import socket
import uuid
from pathlib import Path

import nbformat
import pytest

from simulation.cli.assignments import main, resolve_source
from simulation.grading.key import expected_values
from simulation.grading.notebook import ANSWER_MARK, load_assignment
from simulation.grading.runner import sandbox_tool

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SRC = resolve_source("a1")
KEY = load_assignment(SRC)
FULL = {q.qid: q.points for q in KEY.questions}
MARKER = f"crm-bg-{uuid.uuid4().hex[:12]}"


def _solutions() -> dict:
    """The source's answer cells (solutions without markers), by grade id."""
    out = {}
    for c in KEY.cells("answer"):
        out[c.metadata["nbgrader"]["grade_id"]] = "\n".join(
            x for x in c.source.splitlines() if not x.strip().startswith("###")
        )
    return out


SOL = _solutions()


def _student(sid: str, **answers) -> nbformat.NotebookNode:
    nb = nbformat.read(str(ROOT / "assignments" / "student" / SRC.name), as_version=4)
    answers = {**SOL, **answers}
    for c in nb.cells:
        gid = c.metadata.get("nbgrader", {}).get("grade_id")
        if gid == "student_id":
            c.source = f'STUDENT_ID = "{sid}"'
        elif gid in answers and answers[gid] is not None:
            c.source = answers[gid]
        elif gid == "q5":
            c.source = f"My written answer ({sid})."
    return nb


def _cells(nb):
    return {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}


def _samples(tmp: Path, port: int, sandboxed: bool) -> dict:
    """Write the sample submissions; return {file: (student, status, points per question or None)}."""
    subs = tmp / "subs"
    subs.mkdir()
    secret = tmp / "secret_gradebook.csv"
    secret.write_text("instructor only", encoding="utf-8")
    exp = {}

    def put(name, nb, sid, status, points):
        if isinstance(nb, bytes):
            (subs / name).write_bytes(nb)
        else:
            (subs / name).write_text(nb if isinstance(nb, str) else nbformat.writes(nb), encoding="utf-8")
        exp[name] = (sid, status, points)

    put("S01_full.ipynb", _student("S01"), "S01", "ok", FULL)
    put(
        "S02.ipynb",
        _student("S02", q2='top_channel = "referral"', q3=SOL["q3"] + " * 100"),
        "S02",
        "ok",
        {**FULL, "q2": 0, "q3": 0},
    )
    empty = nbformat.read(str(ROOT / "assignments" / "student" / SRC.name), as_version=4)
    put("S03.ipynb", empty, "S03", "empty", {q: 0 for q in FULL})
    rev = _student("S04")
    rev.cells = rev.cells[::-1]
    put("S04_reordered.ipynb", rev, "S04", "ok", FULL)
    dup = _student("S05")
    extra = nbformat.from_dict(json.loads(json.dumps(_cells(dup)["q1"])))
    extra.source = "n_customers = None  # 你的答案 · your answer"
    extra.id = "a-pasted-copy"
    dup.cells.insert(3, extra)
    dup.cells.insert(4, nbformat.v4.new_code_cell("scratch = 42"))
    put("S05_dup.ipynb", dup, "S05", "ok", FULL)
    put("S06.ipynb", _student("S06", q3="late_share = 1 / 0"), "S06", "error", {**FULL, "q3": 0})
    put("S07.ipynb", _student("S07", q2="while True:\n    pass"), "S07", "timeout", {**FULL, "q2": 0})
    put(
        "S08.ipynb",
        _student("S08", q3="import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"),
        "S08",
        "crashed",
        {**FULL, "q3": 0, "q4": 0},
    )
    put(
        "S09.ipynb",
        _student("S09", q2="hog = bytearray(8 * 1024 ** 3)\n" + SOL["q2"]),
        "S09",
        "error",
        {**FULL, "q2": 0},
    )
    snoop = (
        f"leaked = []\nfor p in [{str(SRC)!r}, {str(subs / 'S01_full.ipynb')!r}, {str(secret)!r}]:\n"
        "    try:\n        leaked.append(open(p).read()[:10])\n    except OSError:\n        pass\n"
        + SOL["q1"]
        + "\nif leaked:\n    n_customers = -1"
    )
    put("S10_reads_key.ipynb", _student("S10", q1=snoop), "S10", "ok", FULL)
    vandal = (
        f"for p in [{str(secret)!r}, {str(tmp / 'graded' / 'gradebook.csv')!r}]:\n"
        "    try:\n        open(p, 'w').write('S10,hacked,100')\n    except OSError:\n        pass\n" + SOL["q1"]
    )
    put("S11_vandal.ipynb", _student("S11", q1=vandal), "S11", "ok", FULL)
    forge = (
        "import json\nfor q in ['q1', 'q2', 'q3', 'q4']:\n"
        f"    print({ANSWER_MARK!r} + json.dumps({{'q': q, 'missing': False, 'value': 1}}))\n"
        "print('passed OK')\ntop_channel = None"
    )
    put("S12_forge.ipynb", _student("S12", q2=forge, q3="late_share = None"), "S12", "ok", {**FULL, "q2": 0, "q3": 0})
    shadow = "print = lambda *a, **k: None\nround = lambda *a, **k: 0\nfloat = str\nstr = repr\n"
    put("S13_shadow.ipynb", _student("S13", q1=shadow + SOL["q1"]), "S13", "ok", FULL)
    bg = (
        "import subprocess, sys\nsubprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)', "
        f"'{MARKER}'], start_new_session=True)\n" + SOL["q1"]
    )
    put("S14_background.ipynb", _student("S14", q1=bg), "S14", "ok", FULL)
    other = expected_values(KEY, "S99")
    mine = expected_values(KEY, "S15")
    literal = {"q1": f"n_customers = {other['q1']}", "q3": f"late_share = {other['q3']!r}"}
    copied = _student("S99", **literal)
    wrong = {q: (0 if q in literal and other[q] != mine[q] else FULL[q]) for q in FULL}
    put("S15_copied.ipynb", copied, "S15", "ok", wrong)
    put("S16_garbage.ipynb", b"\x89PNG\r\n\x1a\n not a notebook", "S16", "invalid", {q: 0 for q in FULL})
    kern = _student("S17")
    kern.metadata["kernelspec"] = {"name": "no-such-kernel", "display_name": "x", "language": "python"}
    put("S17_kernel.ipynb", kern, "S17", "ok", FULL)
    put("S18_huge.ipynb", _student("S18", q1="print('x' * 30_000_000)\n" + SOL["q1"]), "S18", "ok", FULL)
    put(
        "S19_malformed.ipynb",
        '{"cells": [{"cell_type": "code"}], "nbformat": 4}',
        "S19",
        "invalid",
        {q: 0 for q in FULL},
    )
    put("renamed_by_lms.ipynb", _student("S20"), "S20", "ok", FULL)  # matched by STUDENT_ID
    put("stranger.ipynb", _student("X99"), "", "unmatched", {q: 0 for q in FULL})
    net = (
        "import socket\nreached = False\ntry:\n"
        f"    socket.create_connection(('127.0.0.1', {port}), timeout=3).close()\n    reached = True\n"
        "except OSError:\n    pass\n" + SOL["q1"] + "\nif reached:\n    n_customers = -1"
    )
    put("S22_network.ipynb", _student("S22", q1=net), "S22", "ok", FULL if sandboxed else {**FULL, "q1": 0})
    roster = tmp / "roster.csv"
    roster.write_text("student_id,name\n" + "".join(f"S{i:02d},Student {i}\n" for i in range(1, 23)), encoding="utf-8")
    return exp


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _alive(marker: str) -> bool:
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                if marker in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace"):
                    return True
            except OSError:
                continue
    return False


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("grading")
    server = socket.socket()  # a service on the grading machine's loopback
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    exp = _samples(tmp, server.getsockname()[1], sandbox_tool() is not None)
    code = main(
        [
            "assignments",
            "grade",
            str(SRC),
            str(tmp / "subs"),
            "--roster",
            str(tmp / "roster.csv"),
            "--out",
            str(tmp / "graded"),
            "--jobs",
            "2",
            "--cell-timeout",
            "8",
            "--timeout",
            "90",
            "--allow-root",
        ]
    )
    server.close()
    assert code == 0
    return tmp, exp


def test_every_submission_gets_its_expected_row(graded):
    tmp, exp = graded
    rows = _rows(tmp / "graded" / "gradebook.csv")
    by_file = {r["file"]: r for r in rows if r["file"]}
    assert sorted(by_file) == sorted(exp), "rows out = submissions in"
    assert [r["student_id"] for r in rows if r["status"] == "missing"] == ["S21"]
    bad = []
    for name, (sid, status, points) in exp.items():
        r = by_file[name]
        got = {q: float(r[q]) for q in FULL}
        if r["student_id"] != sid or r["status"] != status or got != {q: float(v) for q, v in points.items()}:
            bad.append((name, r["student_id"], r["status"], got, r["notes"]))
    assert not bad, bad


def test_notes_explain_what_happened(graded):
    tmp, _ = graded
    by_file = {r["file"]: r for r in _rows(tmp / "graded" / "gradebook.csv") if r["file"]}
    assert "copies" in by_file["S05_dup.ipynb"]["notes"] and "added code cell" in by_file["S05_dup.ipynb"]["notes"]
    assert "'S99'" in by_file["S15_copied.ipynb"]["notes"]
    assert "not a notebook" in by_file["S16_garbage.ipynb"]["notes"]
    assert "raised an error: q3" in by_file["S06.ipynb"]["notes"]


@pytest.mark.skipif(sandbox_tool() is None, reason="bubblewrap is not installed: isolation tests need it")
def test_sandbox_hides_files_and_leaves_no_process(graded):
    tmp, _ = graded
    assert (tmp / "secret_gradebook.csv").read_text(encoding="utf-8") == "instructor only"
    assert "hacked" not in (tmp / "graded" / "gradebook.csv").read_text(encoding="utf-8")
    assert not _alive(MARKER)
    assert json.loads((tmp / "graded" / "results.json").read_text(encoding="utf-8"))["isolation"] == "bubblewrap"


def test_feedback_never_shows_expected_values(graded, tmp_path):
    tmp, exp = graded
    assert main(["assignments", "feedback", str(tmp / "graded"), "--out", str(tmp_path / "fb")]) == 0
    files = sorted((tmp_path / "fb").iterdir())
    assert len(files) == len(exp)
    for f in files:
        text = f.read_text(encoding="utf-8")
        assert "Cell outputs differ" not in text and "Traceback" not in text
        sid = f.stem
        if sid.startswith("S") and sid[1:].isdigit():
            values = expected_values(KEY, sid)
            for q in ("q1", "q3"):
                assert str(values[q]) not in text and f"{values[q]:.4f}" not in text


def test_grading_twice_and_with_one_worker_gives_the_same_gradebook(graded, tmp_path):
    tmp, _ = graded
    sub = tmp_path / "subs"
    sub.mkdir()
    for name in ("S01_full.ipynb", "S02.ipynb", "S03.ipynb", "S06.ipynb", "S16_garbage.ipynb", "stranger.ipynb"):
        shutil.copy(tmp / "subs" / name, sub / name)
    books = []
    for run, jobs in (("a", "1"), ("b", "2")):
        assert (
            main(
                [
                    "assignments",
                    "grade",
                    str(SRC),
                    str(sub),
                    "--roster",
                    str(tmp / "roster.csv"),
                    "--out",
                    str(tmp_path / run),
                    "--jobs",
                    jobs,
                    "--allow-root",
                ]
            )
            == 0
        )
        books.append((tmp_path / run / "gradebook.csv").read_text(encoding="utf-8"))
    full = {r["file"]: r for r in _rows(tmp / "graded" / "gradebook.csv")}
    assert books[0] == books[1]
    for r in csv.DictReader(books[0].splitlines()):
        if r["file"]:
            assert r == full[r["file"]] | {"notes": r["notes"]}


def test_a_dask_cluster_gives_the_same_gradebook(graded, tmp_path):
    distributed = pytest.importorskip("distributed")
    tmp, _ = graded
    sub = tmp_path / "subs"
    sub.mkdir()
    for name in ("S01_full.ipynb", "S02.ipynb", "S06.ipynb", "S16_garbage.ipynb"):
        shutil.copy(tmp / "subs" / name, sub / name)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        assert (
            main(
                [
                    "assignments",
                    "grade",
                    str(SRC),
                    str(sub),
                    "--roster",
                    str(tmp / "roster.csv"),
                    "--out",
                    str(tmp_path / "dask"),
                    "--scheduler",
                    cluster.scheduler_address,
                    "--allow-root",
                ]
            )
            == 0
        )
    full = {r["file"]: r for r in _rows(tmp / "graded" / "gradebook.csv")}
    rows = [r for r in _rows(tmp_path / "dask" / "gradebook.csv") if r["file"]]
    assert len(rows) == 4
    for r in rows:
        assert r == full[r["file"]] | {"notes": r["notes"]}


def test_without_bubblewrap_limits_still_apply_and_isolation_is_reported(graded, tmp_path):
    from simulation.grading.batch import grade_folder

    tmp, _ = graded
    sub = tmp_path / "subs"
    sub.mkdir()
    for name in ("S01_full.ipynb", "S09.ipynb"):
        shutil.copy(tmp / "subs" / name, sub / name)
    res = grade_folder(SRC, sub, tmp / "roster.csv", sandbox=False)
    assert res["isolation"] == "reduced"
    rows = {r["file"]: r for r in res["rows"] if r["file"]}
    assert rows["S01_full.ipynb"]["status"] == "ok" and rows["S01_full.ipynb"]["points"] == FULL
    assert rows["S09.ipynb"]["status"] == "error" and rows["S09.ipynb"]["points"]["q2"] == 0  # memory limit
