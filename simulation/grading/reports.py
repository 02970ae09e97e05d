"""What grading writes: results, the gradebook, LMS imports, feedback and hand-graded answers.

Files are only ever written into a new or empty folder (:func:`new_folder`); nothing is
overwritten. Feedback names the checks passed and gives hints, in Chinese and English, never
an expected value and never the grader's own output.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from .notebook import GradingError

__all__ = [
    "new_folder",
    "write_graded",
    "read_results",
    "write_feedback",
    "read_hand_grades",
    "write_gradebook",
    "gradebook_rows",
]

RESULTS = "results.json"
STATUS_TEXT = {
    "ok": ("全部单元格运行完毕", "every cell ran"),
    "error": ("有答案单元格报错", "an answer cell raised an error"),
    "timeout": ("运行超时，后面的单元格未得分", "a cell ran out of time; later checks scored nothing"),
    "crashed": ("内核崩溃（可能超出内存或时间限制）", "the kernel crashed (perhaps a memory or time limit)"),
    "empty": ("没有作答", "no answer was given"),
    "invalid": ("文件不是可读取的 notebook", "the file is not a readable notebook"),
    "unmatched": ("无法对应到名单中的学生", "could not be matched to a student on the roster"),
    "missing": ("未提交", "nothing was submitted"),
    "key-error": ("评分答案对该学生出错，请联系教师", "the key failed for this student; ask the instructor"),
}


def new_folder(path: str | Path, what: str) -> Path:
    """``path`` as a folder that exists and is empty, or raise (nothing is overwritten)."""
    path = Path(path)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise GradingError(
            f"{what} {str(path)!r} already exists and is not an empty folder; choose a new folder (nothing was written)"
        )
    path.mkdir(parents=True, exist_ok=True)
    return path


def _csv(rows: list[list], path: Path) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def _fmt(x: float | None) -> str:
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else f"{x:.2f}"


def gradebook_rows(results: dict, hand: dict | None = None) -> list[list]:
    """The gradebook as rows: student, file, status, points per question, total, notes."""
    qs = [q["qid"] for q in results["questions"]]
    ws = [w["qid"] for w in results["written"]]
    max_points = sum(q["points"] for q in results["questions"]) + sum(w["points"] for w in results["written"])
    head = ["student_id", "name", "file", "status"] + qs + ws + ["total", "max_points", "notes"]
    out = [head]
    for r in results["rows"]:
        auto = [r["points"].get(q, 0.0) for q in qs]
        written = [(hand or {}).get((r["student_id"], r["file"], w)) for w in ws]
        total = sum(auto) + sum(x for x in written if x is not None)
        out.append(
            [r["student_id"], r["name"], r["file"], r["status"]]
            + [_fmt(x) for x in auto]
            + [_fmt(x) for x in written]
            + [_fmt(total), _fmt(max_points), "; ".join(r.get("notes", []))]
        )
    return out


def _hand_rows(results: dict) -> list[list]:
    rows = [["student_id", "name", "file", "question", "points_possible", "rubric", "answer", "score", "comment"]]
    for r in results["rows"]:
        if r["status"] in ("missing", "unmatched", "invalid"):
            continue
        for w in results["written"]:
            rows.append(
                [
                    r["student_id"],
                    r["name"],
                    r["file"],
                    w["qid"],
                    _fmt(w["points"]),
                    f"{w['rubric_zh']} / {w['rubric_en']}",
                    r.get("written", {}).get(w["qid"], ""),
                    "",
                    "",
                ]
            )
    return rows


def write_graded(results: dict, out: str | Path) -> list[Path]:
    """Write ``results.json``, ``gradebook.csv`` and ``hand_graded.csv`` into the new folder ``out``."""
    out = new_folder(out, "--out")
    (out / RESULTS).write_text(json.dumps(results, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    _csv(gradebook_rows(results), out / "gradebook.csv")
    _csv(_hand_rows(results), out / "hand_graded.csv")
    return [out / RESULTS, out / "gradebook.csv", out / "hand_graded.csv"]


def read_results(folder: str | Path) -> dict:
    """The ``results.json`` that ``grade`` wrote into ``folder``."""
    path = Path(folder) / RESULTS
    if not path.is_file():
        raise GradingError(f"{str(folder)!r} holds no {RESULTS}; give the --out folder of a grade run")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise GradingError(f"{path} is not readable JSON; grade again into a new folder") from None


def _feedback_text(results: dict, r: dict) -> str:
    zh, en = STATUS_TEXT.get(r["status"], (r["status"], r["status"]))
    lines = [
        f"# {results['title']}",
        "",
        f"学生 · Student: {r['student_id'] or '?'} {r['name']}",
        f"文件 · File: {r['file'] or '-'}",
        f"状态 · Status: {zh} · {en}",
        "",
        "| 题目 · Question | 结果 · Result | 得分 · Points |",
        "|---|---|---|",
    ]
    got = 0.0
    for q in results["questions"]:
        ok = r.get("passed", {}).get(q["qid"], False)
        pts = r["points"].get(q["qid"], 0.0)
        got += pts
        lines.append(
            f"| {q['qid']} | {'✓ 通过 · passed' if ok else '✗ 未通过 · not passed'} | "
            f"{_fmt(pts)} / {_fmt(q['points'])} |"
        )
    lines += [
        "",
        f"自动评分合计 · Auto-graded total: {_fmt(got)} / {_fmt(sum(q['points'] for q in results['questions']))}",
        "",
    ]
    hints = [q for q in results["questions"] if not r.get("passed", {}).get(q["qid"], False)]
    if hints and r["status"] not in ("missing", "unmatched"):
        lines += ["## 提示 · Hints", ""]
        for q in hints:
            lines.append(f"- **{q['qid']}**: {q['hint_zh']} · {q['hint_en']}")
        lines.append("")
    if results["written"]:
        lines += ["简答题由教师按评分标准评分。 · Written answers are graded by the instructor against the rubric.", ""]
    notes = [n for n in r.get("notes", []) if not n.startswith("the key")]
    if notes:
        lines += ["## 说明 · Notes", ""] + [f"- {n}" for n in notes] + [""]
    return "\n".join(lines)


def _safe(name: str) -> str:
    return re.sub(r"[^0-9A-Za-z._-]+", "_", name).strip("_") or "submission"


def write_feedback(results: dict, out: str | Path) -> list[Path]:
    """One Markdown feedback file per submission (``<student_id>.md``) in the new folder ``out``."""
    out = new_folder(out, "--out")
    written, used = [], set()
    for r in results["rows"]:
        if r["status"] == "missing":
            continue
        base = _safe(r["student_id"] or Path(r["file"]).stem)
        name, k = f"{base}.md", 2
        while name in used:
            name, k = f"{base}-{k}.md", k + 1
        used.add(name)
        (out / name).write_text(_feedback_text(results, r), encoding="utf-8")
        written.append(out / name)
    return written


def read_hand_grades(path: str | Path, results: dict) -> dict:
    """Scores from a filled-in ``hand_graded.csv``: ``{(student_id, file, question): score}``.

    Raises
    ------
    GradingError
        A score that is not a number, is outside 0..points, or names an unknown question or student.
    """
    path = Path(path)
    if not path.is_file():
        raise GradingError(f"hand grades {str(path)!r} is not a file")
    try:
        reader = csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines())
    except (OSError, UnicodeDecodeError):
        raise GradingError(f"hand grades {path.name}: not a UTF-8 text file") from None
    need = {"student_id", "file", "question", "score"}
    if not need <= set(reader.fieldnames or []):
        raise GradingError(
            f"hand grades {path.name} needs columns {sorted(need)} "
            f"(has: {', '.join(reader.fieldnames or []) or 'none'})"
        )
    points = {w["qid"]: w["points"] for w in results["written"]}
    known = {(r["student_id"], r["file"]) for r in results["rows"]}
    scores = {}
    for n, row in enumerate(reader, start=2):
        text = (row.get("score") or "").strip()
        if not text:
            continue
        q, who = row["question"].strip(), (row["student_id"].strip(), row["file"].strip())
        if q not in points:
            raise GradingError(f"hand grades {path.name}, line {n}: unknown question {q!r}")
        if who not in known:
            raise GradingError(f"hand grades {path.name}, line {n}: no graded submission {who[1]!r} for {who[0]!r}")
        try:
            score = float(text)
        except ValueError:
            raise GradingError(f"hand grades {path.name}, line {n}: score {text!r} is not a number") from None
        if not 0 <= score <= points[q]:
            raise GradingError(
                f"hand grades {path.name}, line {n}: score {text} for {q} must be in [0, {_fmt(points[q])}]"
            )
        scores[(who[0], who[1], q)] = score
    return scores


def write_gradebook(results: dict, out: str | Path, hand: dict | None = None) -> list[Path]:
    """``gradebook.csv`` with hand grades merged, plus ``moodle.csv`` and ``canvas.csv`` to import.

    One LMS row per student: the best total of their files (students without any file get 0).
    Moodle: map ``ID number`` to the student's ID number and the assignment column to the grade
    item. Canvas: the columns of its gradebook import, matched by ``SIS User ID``.
    """
    out = new_folder(out, "--out")
    book = gradebook_rows(results, hand)
    _csv(book, out / "gradebook.csv")
    head = book[0]
    best: dict[str, tuple[str, float]] = {}
    for row in book[1:]:
        sid, name, total = row[0], row[1], float(row[head.index("total")] or 0)
        if sid and (sid not in best or total > best[sid][1]):
            best[sid] = (name, total)
    title = results["title"]
    _csv(
        [["ID number", "Full name", title]] + [[s, n, _fmt(t)] for s, (n, t) in sorted(best.items())],
        out / "moodle.csv",
    )
    _csv(
        [["Student", "ID", "SIS User ID", "Section", title]]
        + [[n, "", s, "", _fmt(t)] for s, (n, t) in sorted(best.items())],
        out / "canvas.csv",
    )
    return [out / "gradebook.csv", out / "moodle.csv", out / "canvas.csv"]
