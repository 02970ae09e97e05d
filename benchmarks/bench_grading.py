"""Grading a class: 100 submissions of assignment 1 with 2 workers, and the speed-up over 1 worker.

Makes 100 submissions from the student copy and the source's solutions (four in five fully
answered, the rest with one wrong answer), a roster, and grades them with the same code as
``python -m simulation assignments grade`` (sandboxed kernels when bubblewrap is installed).
Prints submissions per minute, the time per submission split into harness start, kernel start,
notebook run, checks and the key (expected values for the student's seed), and the speed-up of
2 workers over 1 measured in the same run on the first ``--one-worker`` submissions
(default 30, to keep the run short). Target: 100 submissions in at most 3 minutes on 2 cores.

Usage: ``python benchmarks/bench_grading.py [--n 100] [--one-worker 30]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]


def _make(folder: Path, n: int) -> Path:
    from simulation.cli.assignments import resolve_source
    from simulation.grading.notebook import load_assignment

    src = resolve_source("a1")
    key = load_assignment(src)
    solutions = {
        c.metadata["nbgrader"]["grade_id"]: "\n".join(
            x for x in c.source.splitlines() if not x.strip().startswith("###")
        )
        for c in key.cells("answer")
    }
    base = nbformat.read(str(ROOT / "assignments" / "student" / src.name), as_version=4)
    folder.mkdir()
    for i in range(n):
        nb = nbformat.from_dict(base)
        sid = f"B{i:03d}"
        for c in nb.cells:
            gid = c.metadata.get("nbgrader", {}).get("grade_id")
            if gid == "student_id":
                c.source = f'STUDENT_ID = "{sid}"'
            elif gid in solutions:
                c.source = solutions[gid] if (i % 5 or gid != "q3") else "late_share = 0.5"
            elif gid == "q5":
                c.source = "答:……"
        nbformat.write(nb, str(folder / f"{sid}.ipynb"))
    roster = folder.parent / f"{folder.name}_roster.csv"
    roster.write_text("student_id,name\n" + "".join(f"B{i:03d},Student {i}\n" for i in range(n)), encoding="utf-8")
    return roster


def _grade(subs: Path, roster: Path, jobs: int) -> tuple[float, dict]:
    from simulation.cli.assignments import resolve_source
    from simulation.grading.batch import grade_folder

    t0 = time.perf_counter()
    res = grade_folder(resolve_source("a1"), subs, roster, jobs=jobs)
    return time.perf_counter() - t0, res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--one-worker", type=int, default=30)
    args = ap.parse_args()
    from simulation.grading.runner import sandbox_tool

    tmp = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    try:
        roster = _make(tmp / "subs", args.n)
        small = tmp / "small"
        small.mkdir()
        for p in sorted((tmp / "subs").iterdir())[: args.one_worker]:
            shutil.copy(p, small / p.name)
        print(
            f"grading {args.n} submissions of assignment 1 on {os.cpu_count()} cores "
            f"({'bubblewrap sandbox' if sandbox_tool() else 'limits only, no bubblewrap'})"
        )
        t2, res = _grade(tmp / "subs", roster, 2)
        statuses = {}
        for r in res["rows"]:
            statuses[r["status"]] = statuses.get(r["status"], 0) + 1
        print(
            f"2 workers: {args.n} submissions in {t2:.1f} s = {args.n / t2 * 60:.0f} submissions/minute "
            f"(target: 100 in <= 180 s; statuses: {statuses})"
        )
        timing = [r.get("timing", {}) for r in res["rows"] if r.get("timing")]
        print("time per submission (mean over submissions, one worker's view):")
        for key, label in (
            ("harness_start_s", "harness start (pytest + nbval, shared by a chunk)"),
            ("kernel_start_s", "kernel start (sandboxed)"),
            ("run_s", "notebook run (setup + answers)"),
            ("checks_s", "checks (answer reports + comparison)"),
            ("key_s", "key: expected values for the student's seed"),
        ):
            vals = [t.get(key, 0.0) for t in timing]
            print(f"  {label:52s} {statistics.mean(vals):6.2f} s")
        m = args.one_worker
        t1s, _ = _grade(small, roster, 1)
        t2s, _ = _grade(small, roster, 2)
        print(
            f"same {m} submissions: 1 worker {t1s:.1f} s ({m / t1s * 60:.0f}/min), 2 workers {t2s:.1f} s "
            f"({m / t2s * 60:.0f}/min): speed-up {t1s / t2s:.2f}x"
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
