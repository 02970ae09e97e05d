"""Command line of the customer database: ``export-db``, ``import-dirty``, ``student-copy``,
``db-query``, ``db-check`` and ``db-schema``.

Bad input raises :class:`~simulation.database.DatabaseError` (or a data set or scenario error);
:mod:`simulation.cli` turns it into one line on stderr and exit code 2. Every check that can
fail runs before anything is simulated or written.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

from ..database.frames import DatabaseError

__all__ = ["add_parsers", "command", "COMMANDS"]

COMMANDS = ("export-db", "import-dirty", "student-copy", "db-query", "db-check", "db-schema")


def add_parsers(sub, positive_int, seed, days) -> None:
    """Add the database commands to the subparsers ``sub`` of the main parser."""
    e = sub.add_parser("export-db", help="write the firm's records as an SQLite customer database")
    src = e.add_mutually_exclusive_group()
    src.add_argument("--scenario", help="preset name or .toml file to simulate (default: baseline)")
    src.add_argument("--dataset", help="a canonical data set to export instead (class or large)")
    e.add_argument("--seed", type=seed, default=0, help="random seed of the run (default 0)")
    e.add_argument("--customers", type=positive_int, help="customers to acquire over the run (scales the channels)")
    e.add_argument("--days", type=days, help="horizon in days")
    e.add_argument("--out", required=True, help="database file to create, e.g. firm.sqlite")
    e.add_argument("--force", action="store_true", help="replace an existing workbench database")
    e.add_argument("--no-contacts", action="store_true", help="leave out the fictional contact details")
    i = sub.add_parser("import-dirty", help="clean, deduplicate and load the dirty CRM export into a database")
    i.add_argument(
        "--raw", help="folder with customers_raw.csv[.gz] and orders_raw.csv[.gz] (default: the class-dirty data set)"
    )
    i.add_argument("--start-date", help="the firm's first day, ISO date (default: the data set's)")
    i.add_argument("--days", type=days, help="length of the records in days (default: the data set's)")
    i.add_argument("--out", required=True, help="database file to create, e.g. clean.sqlite")
    i.add_argument("--force", action="store_true", help="replace an existing workbench database")
    s = sub.add_parser("student-copy", help="write a pseudonymised copy of a database, without the hidden truth")
    s.add_argument("database", help="a workbench database file")
    s.add_argument("--out", required=True, help="the copy to create")
    s.add_argument("--key-file", help="file holding the pseudonymisation key (default: a random key, not kept)")
    s.add_argument("--force", action="store_true", help="replace an existing workbench database")
    q = sub.add_parser("db-query", help="answer a module-3 question with SQL (list them with --list)")
    q.add_argument("database", nargs="?", help="a workbench database file")
    q.add_argument("query", nargs="?", help="name of the question")
    q.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="a query parameter")
    q.add_argument("--list", action="store_true", help="list the questions")
    q.add_argument("--sql", action="store_true", help="print the SQL instead of running it")
    c = sub.add_parser("db-check", help="check a database: integrity, keys and the privacy checklist")
    c.add_argument("database", help="a workbench database file")
    d = sub.add_parser("db-schema", help="print the database schema documentation (CSV) or diagram (Mermaid)")
    d.add_argument(
        "--format",
        choices=("csv", "erd", "mermaid"),
        default="csv",
        help="csv: datasets/database_schema.csv; erd: datasets/erd.md; mermaid: the bare diagram",
    )


def command(args) -> int:
    """Run one database command; returns the exit code."""
    return {
        "export-db": _export,
        "import-dirty": _import,
        "student-copy": _copy,
        "db-query": _query,
        "db-check": _check_db,
        "db-schema": _schema,
    }[args.command](args)


def _export(args) -> int:
    from ..database.export import check_target, export_dataset, export_result

    if args.dataset:
        if args.customers is not None or args.days is not None:
            raise DatabaseError("--customers and --days apply to a simulated run, not to --dataset")
        from ..data.build import dataset_spec

        dataset_spec(args.dataset)
        report = export_dataset(args.dataset, args.out, force=args.force)
    else:
        from ..model.firm import run
        from ..scenario.presets import resolve_scenario, scale_customers

        sc = resolve_scenario(args.scenario or "baseline")
        if args.days is not None:
            sc = dataclasses.replace(sc, horizon_days=float(args.days))
        if args.customers is not None:
            sc = scale_customers(sc, args.customers)
        check_target(args.out, args.force)  # before the (long) simulation
        report = export_result(run(sc, args.seed), args.out, force=args.force, contacts=not args.no_contacts)
    print(report.text())
    return 0


def _import(args) -> int:
    from ..data.build import dataset_spec, load_dataset
    from ..database.export import check_target
    from ..database.importer import import_dirty, read_raw

    spec = dataset_spec("class-dirty")
    sc = spec.scenario()
    check_target(args.out, args.force)
    if args.raw:
        customers_raw, orders_raw = read_raw(args.raw)
    else:
        tables = load_dataset("class-dirty")
        customers_raw, orders_raw = tables["customers_raw"], tables["orders_raw"]
    report = import_dirty(
        customers_raw,
        orders_raw,
        args.out,
        start_date=args.start_date or sc.start_date,
        horizon_days=float(args.days or spec.horizon_days),
        force=args.force,
        lifecycle=sc.lifecycle,
    )
    print(report.text())
    return 0


def _copy(args) -> int:
    from ..database.privacy import student_copy

    key = None
    if args.key_file:
        path = Path(args.key_file)
        if not path.is_file():
            raise DatabaseError(f"--key-file {args.key_file!r}: no such file")
        key = path.read_bytes().strip()
        if not key:
            raise DatabaseError(f"--key-file {args.key_file!r} is empty")
    print(student_copy(args.database, args.out, key=key, force=args.force).text())
    return 0


def _value(text: str):
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text


def _query(args) -> int:
    import pandas as pd

    from ..database.queries import list_queries, query_sql, run_query

    if args.list:
        for row in list_queries().itertuples(index=False):
            extra = f"  [{row.params}]" if row.params else ""
            print(f"{row.name:22s} {row.question}{extra}")
        return 0
    if args.sql and args.query is None and args.database:
        args.query, args.database = args.database, None
    if args.query is None:
        raise DatabaseError("db-query needs a database file and a question name (see db-query --list)")
    if args.sql:
        print(query_sql(args.query))
        return 0
    params = {}
    for p in args.param:
        name, sep, value = p.partition("=")
        if not sep or not name:
            raise DatabaseError(f"--param must look like NAME=VALUE; got {p!r}")
        params[name] = _value(value)
    df = run_query(args.database, args.query, **params)
    with pd.option_context("display.max_rows", 60, "display.width", 160):
        print(df.to_string(index=False) if len(df) else "(no rows)")
    return 0


def _check_db(args) -> int:
    from ..database.privacy import privacy_checklist

    table = privacy_checklist(args.database)
    for row in table.itertuples(index=False):
        print(f"[{'x' if row.ok else ' '}] {row.point} ({row[1]}): {row.detail}")
    failed = int((~table["ok"].astype(bool)).sum())
    if failed:
        print(
            f"db-check: {failed} of {len(table)} checks failed for {args.database} (marked [ ] above)", file=sys.stderr
        )
        return 1
    return 0


def _schema(args) -> int:
    from ..database.docs import schema_csv
    from ..database.erd import erd_markdown, erd_mermaid

    text = {"csv": schema_csv, "erd": erd_markdown, "mermaid": erd_mermaid}[args.format]()
    sys.stdout.write(text)
    return 0
