"""``python -m simulation datasets build|list``: generate, check and list the data sets.

``build`` writes every data set (or those named with ``--only``) into the repository's
``datasets/`` folder, or into ``--out``; ``build --check`` regenerates them in memory and
compares them with the files instead (exit 1 and a one-line summary when they differ).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..data.build import DATASETS, build, check, dataset_spec, datasets_root
from ..data.file_schema import DatasetError

__all__ = ["add_parser", "command"]


def add_parser(sub) -> None:
    """Add the ``datasets`` command to the subparsers ``sub`` of the main parser."""
    d = sub.add_parser("datasets", help="build, check or list the canonical data sets (datasets/)")
    dsub = d.add_subparsers(dest="datasets_command", metavar="ACTION", parser_class=type(d))
    b = dsub.add_parser("build", help="regenerate the data sets (or check them with --check)")
    b.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help=f"a data set to build ({', '.join(DATASETS)}); may be repeated (default: all)",
    )
    b.add_argument("--out", help="folder to write into, new or empty (default: the repository's datasets/)")
    b.add_argument(
        "--check",
        action="store_true",
        help="write nothing: regenerate and compare byte for byte with the files "
        "(in --out if given); exit 1 if they differ",
    )
    dsub.add_parser("list", help="list the data sets with their seeds and row counts")


def _names(args) -> list[str]:
    names = args.only or list(DATASETS)
    for n in names:
        dataset_spec(n)  # raises with a suggestion
    return list(dict.fromkeys(names))


def command(args) -> int:
    """Run ``datasets ACTION``; returns the exit code. Bad input raises :class:`DatasetError`."""
    if args.datasets_command is None:
        raise DatasetError("datasets needs an action: build or list (see python -m simulation datasets --help)")
    if args.datasets_command == "list":
        return _list()
    names = _names(args)
    if args.check:
        root = Path(args.out) if args.out else datasets_root()
        if args.out and not root.is_dir():
            raise DatasetError(f"--out {args.out!r} is not a folder; nothing to check")
        problems = check(names, root)
        if problems:
            shown = "; ".join(problems[:6]) + (f"; and {len(problems) - 6} more" if len(problems) > 6 else "")
            print(
                f"datasets differ from the generator ({len(problems)} files): {shown} "
                f"— regenerate with `python -m simulation datasets build`",
                file=sys.stderr,
            )
            return 1
        print(f"datasets identical to the generator: {', '.join(names)} (in {root})")
        return 0
    if args.out:
        out = Path(args.out)
        if out.exists() and (not out.is_dir() or any(out.iterdir())):
            raise DatasetError(
                f"--out {args.out!r} already exists and is not an empty folder; "
                "choose a new folder (nothing was written)"
            )
    written = build(names, args.out)
    where = args.out or str(datasets_root())
    print(f"wrote {len(written)} files for {', '.join(names)} into {where}")
    return 0


def _list() -> int:
    root = datasets_root()
    for name, spec in DATASETS.items():
        print(f"{name:12s} seed {spec.seed}  {spec.description}")
        manifest = root / name / "manifest.json"
        if manifest.is_file():
            files = json.loads(manifest.read_text(encoding="utf-8"))["files"]
            print("             " + ", ".join(f"{v['table']} {v['rows']:,}" for v in files.values()))
        else:
            print(f"             (not built; run python -m simulation datasets build --only {name})")
    return 0
