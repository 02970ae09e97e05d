"""``python -m simulation assignments release|grade|feedback|gradebook``: the instructor's loop.

- ``release SOURCE... --out DIR`` writes the student copies (``--check`` compares instead);
- ``grade ASSIGNMENT SUBMISSIONS --roster CSV --out DIR [--jobs N] [--scheduler ADDR]`` grades
  every file, writing ``results.json``, ``gradebook.csv`` and ``hand_graded.csv``;
- ``feedback GRADED --out DIR`` writes one bilingual feedback file per submission;
- ``gradebook GRADED [--hand-grades CSV] --out DIR`` merges the hand-graded scores and writes
  the gradebook with Moodle and Canvas import files.

Bad input: one line on stderr, exit code 2, nothing written. Grading refuses to run as root
unless ``--allow-root`` is given.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..common.files import checkout_folder

__all__ = ["add_parser", "command", "main"]

ASSIGNMENTS = checkout_folder("assignments")


def _int(lo: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number >= {lo}; got {text!r}") from None
        if value < lo:
            raise argparse.ArgumentTypeError(f"must be a whole number >= {lo}; got {value}")
        return value

    return parse


def add_parser(sub) -> None:
    """Add the ``assignments`` command to the subparsers ``sub`` of the main parser."""

    a = sub.add_parser("assignments", help="release, grade and give feedback on the graded assignments")
    asub = a.add_subparsers(dest="assignments_command", metavar="ACTION", parser_class=type(a))
    r = asub.add_parser("release", help="write the student copies of source notebooks")
    r.add_argument("sources", nargs="+", metavar="SOURCE", help="a source notebook, or a name such as a1")
    r.add_argument(
        "--out",
        required=True,
        help="folder for the student copies (new or empty; with --check: the folder to compare with)",
    )
    r.add_argument("--check", action="store_true", help="write nothing: exit 1 if the copies in --out differ")
    g = asub.add_parser("grade", help="grade a folder of submitted notebooks")
    g.add_argument("assignment", help="the source notebook (with solutions), or a name such as a1")
    g.add_argument("submissions", help="folder of submitted files (any names)")
    g.add_argument("--roster", required=True, help="CSV with student_id, name and optionally file")
    g.add_argument("--out", required=True, help="new or empty folder for results.json, gradebook.csv, hand_graded.csv")
    g.add_argument("--jobs", type=_int(1), default=1, help="submissions graded at once (default 1)")
    g.add_argument("--scheduler", help="a Dask scheduler address (tcp://host:8786) to grade on a cluster")
    g.add_argument("--cell-timeout", type=_int(1), default=30, help="seconds per cell (default 30)")
    g.add_argument("--timeout", type=_int(10), default=240, help="seconds per notebook (default 240)")
    g.add_argument("--memory-mb", type=_int(256), default=2048, help="memory per kernel (default 2048)")
    g.add_argument("--allow-root", action="store_true", help="grade even when running as root (not advised)")
    f = asub.add_parser("feedback", help="write one feedback file per submission")
    f.add_argument("graded", help="the --out folder of a grade run")
    f.add_argument("--out", required=True, help="new or empty folder for the feedback files")
    b = asub.add_parser("gradebook", help="gradebook with hand grades merged, plus Moodle and Canvas files")
    b.add_argument("graded", help="the --out folder of a grade run")
    b.add_argument("--hand-grades", help="hand_graded.csv with the score column filled in")
    b.add_argument("--out", required=True, help="new or empty folder for gradebook.csv, moodle.csv, canvas.csv")


def resolve_source(name: str) -> Path:
    """A source notebook given as a path or as a name (``a1`` or ``a1_understanding_crm``)."""
    from ..grading.notebook import GradingError

    path = Path(name)
    if path.is_file():
        return path
    hits = sorted((ASSIGNMENTS / "source").glob(f"{name}*.ipynb")) if "/" not in name else []
    if len(hits) == 1:
        return hits[0]
    known = ", ".join(p.stem for p in sorted((ASSIGNMENTS / "source").glob("*.ipynb")))
    if not known:
        raise GradingError(
            f"no source notebook {name!r}: give the path of an assignment's source notebook "
            f"(the names a1 … a6 work in a checkout of the workbench, which has {ASSIGNMENTS})"
        )
    raise GradingError(f"no source notebook {name!r} (give a path or one of: {known})")


def _release(args) -> int:
    from ..grading.notebook import load_assignment, release

    sources = [resolve_source(s) for s in args.sources]
    import nbformat

    copies = {s.name: nbformat.writes(release(load_assignment(s))) + "\n" for s in sources}
    out = Path(args.out)
    if args.check:
        differ = [
            n for n, text in copies.items() if not (out / n).is_file() or (out / n).read_text(encoding="utf-8") != text
        ]
        if differ:
            print(
                f"student copies differ from their sources: {', '.join(differ)} — regenerate with "
                f"`python -m simulation assignments release ... --out NEW_FOLDER`",
                file=sys.stderr,
            )
            return 1
        print(f"student copies in {out} match their sources ({len(copies)})")
        return 0
    from ..grading.reports import new_folder

    out = new_folder(out, "--out")
    for n, text in copies.items():
        (out / n).write_text(text, encoding="utf-8")
    print(f"wrote {len(copies)} student copies into {out}")
    return 0


def _grade(args) -> int:
    from ..grading.batch import grade_folder
    from ..grading.notebook import GradingError
    from ..grading.reports import write_graded
    from ..grading.runner import Limits

    if hasattr(os, "geteuid") and os.geteuid() == 0 and not args.allow_root:
        raise GradingError(
            "grading runs students' code: refusing to run as root; run as an ordinary user (or pass --allow-root)"
        )
    import importlib.util

    if importlib.util.find_spec("nbval") is None:
        raise GradingError('grading needs pytest and nbval: pip install -e ".[test]" (or make venv)')
    out = Path(args.out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise GradingError(
            f"--out {args.out!r} already exists and is not an empty folder; choose a new folder (nothing was written)"
        )
    source = resolve_source(args.assignment)
    limits = Limits(
        cell_timeout_s=args.cell_timeout, wall_s=args.timeout, memory_mb=args.memory_mb, cpu_s=max(args.timeout, 30)
    )
    results = grade_folder(
        source, args.submissions, args.roster, jobs=args.jobs, limits=limits, scheduler=args.scheduler
    )
    write_graded(results, out)
    counts: dict[str, int] = {}
    for r in results["rows"]:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    print(
        f"graded {results['assignment']}: {len(results['rows'])} rows "
        f"({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))}) into {out}"
    )
    if results["isolation"] != "bubblewrap":
        print(
            "warning: bubblewrap (Debian package bubblewrap) is not available: student code ran with "
            "resource limits only, isolation is reduced",
            file=sys.stderr,
        )
    return 0


def _feedback(args) -> int:
    from ..grading.reports import read_results, write_feedback

    files = write_feedback(read_results(args.graded), args.out)
    print(f"wrote {len(files)} feedback files into {args.out}")
    return 0


def _gradebook(args) -> int:
    from ..grading.notebook import GradingError
    from ..grading.reports import read_hand_grades, read_results, write_gradebook

    results = read_results(args.graded)
    hand = read_hand_grades(args.hand_grades, results) if args.hand_grades else None
    if args.out and Path(args.out).resolve() == Path(args.graded).resolve():
        raise GradingError("--out must be a new folder, not the graded folder")
    write_gradebook(results, args.out, hand)
    print(
        f"wrote gradebook.csv, moodle.csv and canvas.csv into {args.out}"
        + (f" ({len(hand)} hand-graded scores merged)" if hand else "")
    )
    return 0


def command(args) -> int:
    """Run ``assignments ACTION``; returns the exit code (bad input: one line on stderr, 2)."""
    from ..grading.notebook import GradingError

    actions = {"release": _release, "grade": _grade, "feedback": _feedback, "gradebook": _gradebook}
    try:
        if getattr(args, "assignments_command", None) not in actions:
            raise GradingError(
                "assignments needs an action: release, grade, feedback or gradebook "
                "(see python -m simulation assignments --help)"
            )
        return actions[args.assignments_command](args)
    except GradingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc.strerror or exc} ({exc.filename or ''})".rstrip(" ()"), file=sys.stderr)
        return 2


class _Usage(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise _Usage(f"{self.prog}: {message} (see --help)")


def main(argv: list[str] | None = None) -> int:
    """``python -m simulation.cli.assignments ...``: the ``assignments`` command on its own."""
    parser = _Parser(prog="python -m simulation")
    add_parser(parser.add_subparsers(dest="command", parser_class=_Parser))
    try:
        args = parser.parse_args(argv)
    except _Usage as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return command(args)


if __name__ == "__main__":
    sys.exit(main())
