"""Command line: ``python -m simulation run|scenarios|describe|dictionary|sweep|assignments|roleplay ...``.

Bad input gets one line on stderr naming what is wrong, exit code 2, and nothing written.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import warnings
from pathlib import Path

from ..scenario.fields import ScenarioError, field_rows
from ..scenario.offer import offered_levers
from .errors import Parser, UsageError, check_output_folder

__all__ = ["main"]

_DATABASE_COMMANDS = ("export-db", "import-dirty", "student-copy", "db-query", "db-check", "db-schema")


def _positive_int(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number; got {text!r}") from None
    if v < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1; got {v}")
    return v


def _seed(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number; got {text!r}") from None
    if v < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0; got {v}")
    return v


def _days(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number of days; got {text!r}") from None
    if not 1 <= v <= 36_500:
        raise argparse.ArgumentTypeError(f"must be between 1 and 36500 days; got {text}")
    return v


def _parser(command: str | None = None) -> Parser:
    """The command-line parser; given ``command``, the other commands' own parsers are left out."""
    p = Parser(
        prog="python -m simulation", description="CRM Workbench: simulate Evergreen Home Appliances and its customers."
    )
    sub = p.add_subparsers(dest="command", parser_class=Parser, metavar="COMMAND")
    r = sub.add_parser("run", help="simulate a scenario, print its KPIs, optionally write its tables")
    r.add_argument("--scenario", default="baseline", help="preset name or path of a .toml file (default: baseline)")
    r.add_argument("--customers", type=_positive_int, help="customers to acquire over the run (scales the channels)")
    r.add_argument("--days", type=_days, help="horizon in days")
    r.add_argument("--seed", type=_seed, default=0, help="random seed (default 0)")
    r.add_argument("--out", help="folder to write the tables and summary.json into (must be new or empty)")
    r.add_argument("--format", choices=("csv", "parquet"), default="csv", help="table format (default csv)")
    r.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the printed summary")
    sub.add_parser("scenarios", help="list the shipped scenario presets")
    d = sub.add_parser("describe", help="list every parameter of a scenario with unit, range and label")
    d.add_argument("scenario", help="preset name or path of a .toml file")
    d.add_argument("--lang", choices=("en", "zh"), default="en")
    dd = sub.add_parser("dictionary", help="print (or write) the data dictionary as CSV")
    dd.add_argument("--out", help="file to write (must not exist)")
    for names, add in _SUBCOMMANDS:
        if command is None or command in names:
            add(sub)
        else:  # another command was given: only its name is needed here
            for name in names:
                sub.add_parser(name)
    return p


def _add_datasets(sub) -> None:
    from .datasets import add_parser

    add_parser(sub)


def _add_sweep(sub) -> None:
    from .sweep import add_parser

    add_parser(sub, _positive_int, _seed, _days)


def _add_assignments(sub) -> None:
    from .assignments import add_parser

    add_parser(sub)


def _add_database(sub) -> None:
    from .database import add_parsers

    add_parsers(sub, _positive_int, _seed, _days)


def _add_roleplay(sub) -> None:
    from .roleplay import add_parser

    add_parser(sub, _seed)


#: Commands whose parsers live in their own modules, in ``--help`` order. Their modules (and
#: what they import: the database, the role-play, the experiments) are loaded only for their
#: own command or for the full ``--help``, so that ``run`` starts quickly.
_SUBCOMMANDS = (
    (("datasets",), _add_datasets),
    (("sweep",), _add_sweep),
    (("assignments",), _add_assignments),
    (_DATABASE_COMMANDS, _add_database),
    (("roleplay",), _add_roleplay),
)
_LAZY_COMMANDS = frozenset(name for names, _add in _SUBCOMMANDS for name in names)
_COMMANDS = frozenset({"run", "scenarios", "describe", "dictionary"}) | _LAZY_COMMANDS


def _scenario(args):
    from ..scenario.presets import resolve_scenario, scale_customers

    sc = resolve_scenario(args.scenario)
    if args.days is not None:
        sc = dataclasses.replace(sc, horizon_days=float(args.days))
    if args.customers is not None:
        sc = scale_customers(sc, args.customers)
    return sc


def _cmd_run(args) -> int:
    from ..model.firm import run

    sc = _scenario(args)
    if args.out:
        check_output_folder(args.out)
        if args.format == "parquet":
            try:
                import pyarrow  # noqa: F401
            except ImportError:
                raise UsageError("--format parquet needs the pyarrow package; pip install pyarrow") from None
    result = run(sc, args.seed)
    print(result.summary_text(lang=args.lang))
    if args.out:
        written = result.to_dir(args.out, fmt=args.format)
        print(f"\nwrote {len(written)} files to {args.out}")
    return 0


def _cmd_sweep(args) -> int:
    from .sweep import cmd_sweep

    return cmd_sweep(args, _scenario(args))


def _cmd_database(args) -> int:
    from ..data.file_schema import DatasetError
    from ..database.frames import DatabaseError
    from .database import command

    try:
        return command(args)
    except (DatabaseError, DatasetError) as exc:
        raise UsageError(str(exc)) from None


def _cmd_assignments(args) -> int:
    from .assignments import command

    return command(args)


def _cmd_datasets(args) -> int:
    from ..data.file_schema import DatasetError
    from .datasets import command

    try:
        return command(args)
    except DatasetError as exc:
        raise UsageError(str(exc)) from None


def _cmd_roleplay(args) -> int:
    from ..roleplay.errors import RoleplayError
    from .roleplay import command

    try:
        return command(args)
    except RoleplayError as exc:
        raise UsageError(str(exc)) from None


def _cmd_scenarios(args) -> int:
    from ..scenario.presets import preset, presets

    for name in presets():
        print(f"{name:16s} {preset(name).description}")
    return 0


def _cmd_describe(args) -> int:
    from ..common.i18n import unit_label
    from ..scenario.presets import resolve_scenario

    sc = resolve_scenario(args.scenario)
    rows = [r for r in field_rows(sc) if r["path"] not in ("name", "description")]
    offered = set(offered_levers(sc))
    print(f"{sc.name}: {sc.description}")
    width = max(len(r["path"]) for r in rows)
    for r in rows:
        if r["choices"]:
            rng = "one of " + "|".join(r["choices"])
        elif r["lo"] is not None or r["hi"] is not None:
            rng = f"[{r['lo']}, {r['hi']}]"
        else:
            rng = ""
        zh = args.lang == "zh"
        label = r["zh"] if zh else r["en"]
        on, off = (
            ("（决策变量）", "（决策变量；所属部分未启用）")
            if zh
            else (" (lever)", " (lever; its part is switched off)")
        )
        lever = on if r["path"] in offered else off if r["lever"] else ""
        unit = unit_label(r["unit"], args.lang)
        print(f"{r['path'].ljust(width)}  {str(r['value']):>12} {unit:<16} {rng:<22} {label}{lever}")
    return 0


def _cmd_dictionary(args) -> int:
    from ..common.dictionary import dictionary_csv

    text = dictionary_csv()
    if args.out:
        out = Path(args.out)
        if out.exists():
            raise UsageError(f"--out {args.out!r} already exists; choose a new file (nothing was written)")
        out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
    else:
        sys.stdout.write(text)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code (0 ok, 2 bad input)."""
    try:
        argv = sys.argv[1:] if argv is None else list(argv)
        given = argv[0] if argv and argv[0] in _COMMANDS else None
        args = _parser(given).parse_args(argv)
        if args.command is None:
            _parser().print_help()
            return 2
        command = {
            "run": _cmd_run,
            "scenarios": _cmd_scenarios,
            "describe": _cmd_describe,
            "dictionary": _cmd_dictionary,
            "datasets": _cmd_datasets,
            "sweep": _cmd_sweep,
            "assignments": _cmd_assignments,
            "roleplay": _cmd_roleplay,
            **dict.fromkeys(_DATABASE_COMMANDS, _cmd_database),
        }[args.command]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("default")
            code = command(args)
        for w in caught:  # one plain line each, after the output
            print(f"warning: {w.message}", file=sys.stderr)
        return code
    except (UsageError, ScenarioError, FileExistsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` etc.
        sys.stderr.close()
        return 0
    except OSError as exc:
        print(f"error: {exc.strerror or exc} ({exc.filename or ''})".rstrip(" ()"), file=sys.stderr)
        return 2
