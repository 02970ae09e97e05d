"""Assignment notebooks: the questions in their metadata, the student copy and the graded notebook.

A source notebook (the instructor's, with solutions) marks its cells with nbgrader's metadata
(``nbgrader.grade_id``, ``solution``, ``grade``, ``locked``, ``points``) and with the workbench's
own ``crm`` key:

========  ==================================================================================
role      cell
========  ==================================================================================
prompt    markdown, locked: the question text in Chinese and English
id        code, answered by the student: ``STUDENT_ID = "..."`` (grade_id ``student_id``)
setup     code, locked: imports and the student's firm, built from ``STUDENT_ID``
answer    code, answered: a solution between ``### BEGIN SOLUTION`` / ``### END SOLUTION``
          that assigns the variable ``crm.answer``
check     code, locked, graded: a public self-check, then ``### BEGIN HIDDEN TESTS`` /
          ``### END HIDDEN TESTS``; ``crm.kind`` (number, integer, choice, table),
          ``crm.tolerance``, ``crm.hint`` (en, zh) and ``nbgrader.points``
written   markdown, answered, graded by hand against ``crm.rubric`` (en, zh)
========  ==================================================================================

Cells are always matched by ``nbgrader.grade_id``, never by position or cell id.
"""

from __future__ import annotations

import ast
import copy
import json
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .values import ANSWER_MARK

__all__ = [
    "GradingError",
    "Question",
    "Written",
    "Assignment",
    "read_notebook",
    "load_assignment",
    "release",
    "assemble",
    "match_cells",
    "typed_student_id",
    "crm_meta",
    "grade_id_of",
    "ANSWER_MARK",
    "EMIT_MODULE",
]

BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
EMIT_MODULE = "simulation.grading.emit"
WRITTEN_STUB = "在此写下你的答案。 · Write your answer here."
KINDS = ("number", "integer", "choice", "table")
#: Larger files are not read (a notebook with answers is a few hundred kB).
MAX_NOTEBOOK_BYTES = 64 << 20


class GradingError(ValueError):
    """Bad grading input: the message names the file, the cell or the field and the rule."""


@dataclass(frozen=True)
class Question:
    """An auto-graded question: the answer variable, how it is compared, its points and hints."""

    qid: str
    answer: str
    kind: str
    points: float
    tolerance: dict = field(default_factory=dict)
    hint_en: str = ""
    hint_zh: str = ""


@dataclass(frozen=True)
class Written:
    """A written answer graded by hand against its rubric."""

    qid: str
    points: float
    rubric_en: str = ""
    rubric_zh: str = ""


@dataclass
class Assignment:
    """A parsed source notebook: the notebook itself plus its questions in order."""

    name: str
    title: str
    notebook: nbformat.NotebookNode
    questions: list[Question]
    written: list[Written]

    @property
    def total_points(self) -> float:
        return float(sum(q.points for q in self.questions) + sum(w.points for w in self.written))

    def cells(self, role: str) -> list:
        return [c for c in self.notebook.cells if crm_meta(c).get("role") == role]


def crm_meta(cell) -> dict:
    """The cell's ``crm`` metadata (an empty dict when absent or not a mapping)."""
    meta = cell.get("metadata", {})
    crm = meta.get("crm") if isinstance(meta, dict) else None
    return crm if isinstance(crm, dict) else {}


def grade_id_of(cell) -> str | None:
    meta = cell.get("metadata", {})
    nbg = meta.get("nbgrader") if isinstance(meta, dict) else None
    if isinstance(nbg, dict) and isinstance(nbg.get("grade_id"), str):
        return nbg["grade_id"]
    return None


def read_notebook(path: str | Path) -> nbformat.NotebookNode:
    """Read a notebook file as nbformat 4, or raise :class:`GradingError` saying why not."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_NOTEBOOK_BYTES:
            raise GradingError(f"{path.name}: larger than {MAX_NOTEBOOK_BYTES >> 20} MB, not graded")
        raw = path.read_bytes()
    except OSError as exc:
        raise GradingError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None
    if not raw.strip():
        raise GradingError(f"{path.name}: the file is empty")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise GradingError(f"{path.name}: not a notebook (not JSON text)") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise GradingError(f"{path.name}: not a notebook (no list of cells)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # nbformat repairs duplicated cell ids with a warning
            nb = nbformat.reads(json.dumps(data), as_version=4)
            nbformat.validate(nb)
    except Exception as exc:  # nbformat raises several unrelated types
        raise GradingError(f"{path.name}: malformed notebook ({type(exc).__name__})") from None
    for cell in nb.cells:
        if not isinstance(cell.get("source", ""), str) or cell.get("cell_type") not in ("code", "markdown", "raw"):
            raise GradingError(f"{path.name}: malformed notebook (a cell without text or type)")
    return nb


def load_assignment(path: str | Path) -> Assignment:
    """Parse a source notebook and check that its metadata makes a gradable assignment."""
    path = Path(path)
    nb = read_notebook(path)
    questions, written, seen = [], [], set()
    roles = {"prompt", "id", "setup", "answer", "check", "written"}
    answers = {}
    for i, cell in enumerate(nb.cells):
        meta = crm_meta(cell)
        role = meta.get("role")
        where = f"{path.name}, cell {i + 1}"
        if role not in roles:
            raise GradingError(f"{where}: crm.role must be one of {sorted(roles)}; got {role!r}")
        gid = grade_id_of(cell)
        if role != "prompt":
            if not gid:
                raise GradingError(f"{where}: a {role} cell needs nbgrader.grade_id")
            if gid in seen:
                raise GradingError(f"{where}: grade_id {gid!r} is used twice")
            seen.add(gid)
        if role == "answer":
            if BEGIN_SOLUTION not in cell.source or END_SOLUTION not in cell.source:
                raise GradingError(f"{where}: answer {gid!r} needs {BEGIN_SOLUTION} and {END_SOLUTION} lines")
            answers[meta.get("question")] = meta.get("answer")
        elif role == "check":
            qid, kind = meta.get("question"), meta.get("kind")
            if kind not in KINDS:
                raise GradingError(f"{where}: crm.kind must be one of {KINDS}; got {kind!r}")
            if qid not in answers or not answers[qid]:
                raise GradingError(f"{where}: check for {qid!r} comes before its answer cell or names no variable")
            points = cell.metadata["nbgrader"].get("points")
            if not isinstance(points, (int, float)) or points <= 0:
                raise GradingError(f"{where}: nbgrader.points must be a positive number; got {points!r}")
            hint = meta.get("hint", {})
            questions.append(
                Question(
                    qid,
                    answers[qid],
                    kind,
                    float(points),
                    dict(meta.get("tolerance", {})),
                    hint.get("en", ""),
                    hint.get("zh", ""),
                )
            )
        elif role == "written":
            points = cell.metadata["nbgrader"].get("points")
            if not isinstance(points, (int, float)) or points <= 0:
                raise GradingError(f"{where}: nbgrader.points must be a positive number; got {points!r}")
            rubric = meta.get("rubric", {})
            written.append(Written(gid, float(points), rubric.get("en", ""), rubric.get("zh", "")))
    if not questions:
        raise GradingError(f"{path.name}: no check cells (crm.role = 'check'): not a source notebook")
    if len([c for c in nb.cells if crm_meta(c).get("role") == "id"]) != 1:
        raise GradingError(f"{path.name}: needs exactly one id cell (STUDENT_ID = ...)")
    meta = nb.metadata.get("crm", {})
    return Assignment(meta.get("assignment", path.stem), meta.get("title", path.stem), nb, questions, written)


def _strip_between(source: str, begin: str, end: str, stub: str | None) -> str:
    """Replace each ``begin``...``end`` region (marker lines included) by ``stub`` (or nothing)."""
    out, inside = [], False
    for line in source.splitlines():
        s = line.strip()
        if s == begin:
            inside = True
            if stub is not None:
                indent = line[: len(line) - len(line.lstrip())]
                out.extend(indent + x for x in stub.splitlines())
        elif s == end:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out)


def _without_markers(source: str, begin: str, end: str) -> str:
    return "\n".join(x for x in source.splitlines() if x.strip() not in (begin, end))


def answer_stub(cell) -> str:
    """The student's starting point for an answer cell: the variable set to ``None``."""
    var = crm_meta(cell).get("answer", "answer")
    return f"{var} = None  # 你的答案 · your answer"


def release(assignment: Assignment) -> nbformat.NotebookNode:
    """The student copy: solutions replaced by stubs, hidden checks removed, outputs cleared.

    Metadata (nbgrader and crm, minus hints that are for the feedback only) is kept so that the
    grader can match the student's answers to the questions.
    """
    nb = copy.deepcopy(assignment.notebook)
    for cell in nb.cells:
        role = crm_meta(cell).get("role")
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        if role == "answer":
            cell.source = _strip_between(cell.source, BEGIN_SOLUTION, END_SOLUTION, answer_stub(cell))
        elif role == "written":
            cell.source = WRITTEN_STUB
        elif role == "check":
            cell.source = _strip_between(cell.source, BEGIN_HIDDEN, END_HIDDEN, None).rstrip()
        elif role == "id":
            cell.source = re.sub(r'STUDENT_ID\s*=\s*".*?"', 'STUDENT_ID = ""', cell.source)
        if role in ("check", "written"):
            cell.metadata["crm"] = {k: v for k, v in cell.metadata["crm"].items() if k in ("role", "question", "kind")}
    nb.metadata.pop("widgets", None)
    return nb


@dataclass
class Matched:
    """The student's cells picked for a graded notebook, and what was odd about the submission."""

    answers: dict[str, str]
    written: dict[str, str]
    typed_id: str | None
    notes: list[str]
    answered: int


def match_cells(assignment: Assignment, submission: nbformat.NotebookNode) -> Matched:
    """Pick the student's cells by ``nbgrader.grade_id``; note deleted, duplicated and added cells.

    A duplicated answer cell counts once: the last copy that differs from the stub wins (the
    one the student most likely edited last), else the last copy.
    """
    by_id: dict[str, list] = {}
    extra = 0
    for cell in submission.cells:
        gid = grade_id_of(cell)
        if gid is None:
            extra += cell.cell_type == "code"
            continue
        by_id.setdefault(gid, []).append(cell)
    notes, answers, written = [], {}, {}
    answered = 0
    src_cells = {(grade_id_of(c)): c for c in assignment.notebook.cells if grade_id_of(c)}
    for gid, cell in src_cells.items():
        role = crm_meta(cell).get("role")
        if role not in ("answer", "written", "id"):
            continue
        found = [c for c in by_id.get(gid, []) if c.cell_type == cell.cell_type]
        stub = answer_stub(cell) if role == "answer" else WRITTEN_STUB
        if not found:
            if role != "id":
                notes.append(f"{gid}: cell deleted")
            continue
        if len(found) > 1:
            notes.append(f"{gid}: {len(found)} copies, the last edited one graded")
        edited = [c for c in found if stub not in c.source or role == "id"]
        chosen = (edited or found)[-1]
        if role == "answer":
            answers[gid] = chosen.source
            answered += bool(edited)
        elif role == "written":
            written[gid] = chosen.source if edited else ""
            answered += bool(edited and chosen.source.strip())
        else:
            answers[gid] = chosen.source
    if extra:
        notes.append(f"{extra} added code cell(s) not run (answers belong in the answer cells)")
    return Matched(answers, written, typed_student_id(answers.pop("student_id", "")), notes, answered)


def typed_student_id(source: str) -> str | None:
    """The string the student assigned to ``STUDENT_ID`` (read, never run), or None."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id == "STUDENT_ID"
            and isinstance(node.value, ast.Constant)
        ):
            return str(node.value.value).strip() or None
    return None


def check_source(assignment: Assignment, cell) -> str:
    """The graded form of a check cell: its public self-check, then a line that reports the answer.

    The answer is looked up by name and written to the cell's output for the harness to compare;
    nothing the student's code defines is called.
    """
    meta = crm_meta(cell)
    public = _strip_between(cell.source, BEGIN_HIDDEN, END_HIDDEN, None).rstrip()
    emit = f"__import__({EMIT_MODULE!r}, fromlist=['emit']).emit({meta['question']!r}, {meta['answer_var']!r})"
    return (
        f"try:\n    {public.replace(chr(10), chr(10) + '    ')}\nexcept Exception:\n    pass\n{emit}"
        if public
        else emit
    )


def assemble(assignment: Assignment, matched: Matched, student_id: str) -> nbformat.NotebookNode:
    """The notebook the grader runs: instructor cells from the key, answers from the student.

    Markdown is left out (nothing to run); the id cell is the roster's student id, so the
    firm is always the roster student's; hidden checks become answer reports
    (:func:`check_source`). Each check cell carries ``crm.graded`` for the harness.
    """
    cells = []
    answer_var = {q.qid: q.answer for q in assignment.questions}
    for cell in assignment.notebook.cells:
        meta, gid = crm_meta(cell), grade_id_of(cell)
        role = meta.get("role")
        if role == "id":
            src = f"STUDENT_ID = {student_id!r}"
        elif role == "setup":
            src = cell.source
        elif role == "answer":
            src = matched.answers.get(gid, answer_stub(cell))
        elif role == "check":
            c = copy.deepcopy(cell)
            c.metadata["crm"]["answer_var"] = answer_var[meta["question"]]
            src = check_source(assignment, c)
        else:
            continue
        new = nbformat.v4.new_code_cell(src)
        new.metadata["crm"] = {"role": role, "grade_id": gid}
        if role == "check":
            new.metadata["crm"]["graded"] = meta["question"]
        cells.append(new)
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "crm-grader", "display_name": "CRM grader", "language": "python"}
    return nb
