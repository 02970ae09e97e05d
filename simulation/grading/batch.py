"""Grade a class: match submitted files to the roster, grade them in parallel, one row per file.

Every file in the submissions folder gives exactly one row, whatever it holds; a roster student
without a file gets a ``missing`` row. Rows are sorted by student id and file name, so grading
twice, or with a different number of workers, gives the same gradebook.
"""

from __future__ import annotations

import csv
import re
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from pathlib import Path

from .notebook import GradingError, grade_id_of, load_assignment, read_notebook, typed_student_id
from .runner import Limits, grade_many, sandbox_tool

__all__ = ["read_roster", "match_files", "grade_folder"]


def read_roster(path: str | Path) -> list[dict]:
    """Rows ``{"student_id", "name", "file"}`` of a roster CSV (``file`` optional).

    Raises
    ------
    GradingError
        Missing file or columns, an empty roster, a blank or repeated student id.
    """
    path = Path(path)
    if not path.is_file():
        raise GradingError(f"roster {str(path)!r} is not a file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        raise GradingError(f"roster {path.name}: not a UTF-8 text file") from None
    reader = csv.DictReader(text.splitlines())
    cols = [c.strip() for c in (reader.fieldnames or [])]
    for need in ("student_id", "name"):
        if need not in cols:
            raise GradingError(f"roster {path.name} needs a column {need!r} (has: {', '.join(cols) or 'none'})")
    rows, seen = [], set()
    for n, raw in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in raw.items() if k}
        sid = row.get("student_id", "")
        if not sid:
            raise GradingError(f"roster {path.name}, line {n}: student_id is blank")
        if sid in seen:
            raise GradingError(f"roster {path.name}, line {n}: student_id {sid!r} appears twice")
        seen.add(sid)
        rows.append({"student_id": sid, "name": row.get("name", ""), "file": row.get("file", "")})
    if not rows:
        raise GradingError(f"roster {path.name} lists no students")
    return rows


def _submitted(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise GradingError(f"submissions {str(folder)!r} is not a folder")
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def match_files(files: list[Path], roster: list[dict], folder: Path) -> list[tuple[Path, dict | None, str]]:
    """``(file, roster row or None, how)`` for each file: by the roster's ``file`` column, by a
    student id in the file name, or by the ``STUDENT_ID`` written in the notebook."""
    by_file = {r["file"]: r for r in roster if r["file"]}
    out = []
    for f in files:
        rel = str(f.relative_to(folder))
        if rel in by_file or f.name in by_file:
            out.append((f, by_file.get(rel) or by_file[f.name], "roster file"))
            continue
        hits = [r for r in roster if re.search(rf"(?<![0-9A-Za-z]){re.escape(r['student_id'])}(?![0-9A-Za-z])", f.name)]
        if len(hits) == 1:
            out.append((f, hits[0], "file name"))
            continue
        typed = None
        try:
            nb = read_notebook(f)
            src = [c.source for c in nb.cells if grade_id_of(c) == "student_id"]
            typed = typed_student_id(src[-1]) if src else None
        except GradingError:
            pass
        row = next((r for r in roster if r["student_id"] == typed), None)
        out.append((f, row, "STUDENT_ID in the notebook" if row else "unmatched"))
    return out


_CACHE: dict = {}


def _grade_task(task: dict) -> list[dict]:
    """Grade a chunk of submissions given as bytes (runs in a worker process, local or Dask)."""
    key = task["source"]
    if key not in _CACHE:
        with tempfile.TemporaryDirectory() as d:
            p = Path(d) / task["source_name"]
            p.write_text(task["source"], encoding="utf-8")
            _CACHE.clear()
            _CACHE[key] = load_assignment(p)
    if ("bwrap", task["sandbox"]) not in _CACHE:
        _CACHE["bwrap", task["sandbox"]] = sandbox_tool() if task["sandbox"] else None
    assignment, bwrap = _CACHE[key], _CACHE["bwrap", task["sandbox"]]
    isolation = "bubblewrap" if bwrap else "reduced"
    with tempfile.TemporaryDirectory() as d:
        items = []
        for k, (content, sid) in enumerate(task["items"]):
            sub = Path(d) / f"submission{k}.ipynb"
            sub.write_bytes(content)
            items.append((sub, sid))
        try:
            outcomes = [
                o.to_dict() for o in grade_many(assignment, items, limits=Limits(**task["limits"]), bwrap=bwrap)
            ]
        except GradingError as exc:  # the key fails for a student: the instructor's problem
            if len(items) > 1:  # find which one, grading the others normally
                return [r for k in range(len(items)) for r in _grade_task({**task, "items": task["items"][k : k + 1]})]
            outcomes = [
                {"status": "key-error", "notes": [str(exc)], "points": {}, "passed": {}, "written": {}, "timing": {}}
            ]
    for o in outcomes:
        o["isolation"] = isolation
    return outcomes


def grade_folder(
    source: str | Path,
    submissions: str | Path,
    roster: str | Path,
    *,
    jobs: int = 1,
    limits: Limits | None = None,
    scheduler: str | None = None,
    sandbox: bool = True,
    chunk: int = 10,
) -> dict:
    """Grade every file in ``submissions`` against the source notebook ``source``.

    Submissions are graded in chunks of at most ``chunk`` per harness (one pytest start per
    chunk, one kernel per notebook). Returns ``{"assignment", "title", "questions", "written",
    "rows", "isolation"}``; each row has the student, the file, the status, points per question,
    notes and timings.
    """
    limits = Limits() if limits is None else limits
    source = Path(source)
    assignment = load_assignment(source)
    people = read_roster(roster)
    folder = Path(submissions)
    files = _submitted(folder)
    if jobs < 1:
        raise GradingError(f"--jobs must be a whole number >= 1; got {jobs}")
    matched = match_files(files, people, folder)
    text = source.read_text(encoding="utf-8")
    tasks, rows = [], []
    for f, person, how in matched:
        row = {
            "student_id": person["student_id"] if person else "",
            "name": person["name"] if person else "",
            "file": str(f.relative_to(folder)),
            "matched_by": how,
        }
        rows.append(row)
        if person is None:
            row.update(
                status="unmatched",
                points={q.qid: 0.0 for q in assignment.questions},
                passed={},
                written={},
                notes=["not on the roster: no student id in the file name or the notebook"],
            )
            continue
        tasks.append((row, (f.read_bytes(), person["student_id"])))
    size = max(1, min(chunk, -(-len(tasks) // (jobs * 2)))) if tasks else 1
    chunks = [
        {
            "source": text,
            "source_name": source.name,
            "items": [t for _, t in tasks[k : k + size]],
            "limits": asdict(limits),
            "sandbox": sandbox,
        }
        for k in range(0, len(tasks), size)
    ]
    results = [r for part in _run(chunks, jobs, scheduler) for r in part]
    isolation = set()
    for (row, _), res in zip(tasks, results):
        isolation.add(res.pop("isolation", "reduced"))
        row.update(res)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["student_id"]] = counts.get(row["student_id"], 0) + 1
    for row in rows:
        if row["student_id"] and counts[row["student_id"]] > 1:
            row["notes"] = list(row.get("notes", [])) + [f"{counts[row['student_id']]} files for this student"]
    have = {r["student_id"] for r in rows}
    for p in people:
        if p["student_id"] not in have:
            rows.append(
                {
                    "student_id": p["student_id"],
                    "name": p["name"],
                    "file": "",
                    "matched_by": "",
                    "status": "missing",
                    "points": {q.qid: 0.0 for q in assignment.questions},
                    "passed": {},
                    "written": {},
                    "notes": ["no submission"],
                }
            )
    rows.sort(key=lambda r: (r["student_id"] == "", r["student_id"], r["file"]))
    return {
        "assignment": assignment.name,
        "title": assignment.title,
        "questions": [asdict(q) for q in assignment.questions],
        "written": [asdict(w) for w in assignment.written],
        "rows": rows,
        "isolation": "bubblewrap" if isolation <= {"bubblewrap"} else "reduced",
    }


def _run(payload: list, jobs: int, scheduler: str | None) -> list[list[dict]]:
    if not payload:
        return []
    if scheduler:
        from distributed import Client

        try:
            client = Client(scheduler, timeout="20s")
        except OSError as exc:
            raise GradingError(f"cannot reach the Dask scheduler {scheduler!r} ({exc})") from None
        with client:
            return client.gather(client.map(_grade_task, payload, pure=False))
    if jobs == 1:
        return [_grade_task(t) for t in payload]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(_grade_task, payload))
