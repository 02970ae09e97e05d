"""Writing and opening the customer database: atomic export, validation, loading.

An export is built in a temporary file beside the target, checked (``PRAGMA
foreign_key_check`` and ``PRAGMA integrity_check``) and only then renamed onto the target, so
a failure leaves no half-written database and never touches an existing file. An existing
file is replaced only with ``force=True``, and then only if it is itself a workbench database.

Every database carries ``PRAGMA application_id`` = "CRMW" and ``PRAGMA user_version`` = the
schema version; :func:`open_database` refuses files without them (another program's
database, or something that is not a database at all) with a one-line reason.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from .accounts import accounts_plan
from .frames import FRAMES, DatabaseError, frames_in, plan_frames, read_table
from .schema import APPLICATION_ID, SCHEMA_VERSION, TABLES, create_statements, index_statements, view_statements

__all__ = [
    "ExportReport",
    "check_target",
    "write_database",
    "export_result",
    "export_dataset",
    "open_database",
    "database_meta",
    "load_database",
]

_HEADER = b"SQLite format 3\x00"


@dataclass
class ExportReport:
    """What an export wrote: the file, rows per table, seconds taken, tables left out."""

    path: Path
    rows: dict[str, int]
    seconds: float
    skipped: list[str] = field(default_factory=list)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    def text(self) -> str:
        """A few lines for the command line."""
        listed = ", ".join(f"{t} {n:,}" for t, n in self.rows.items() if n)
        out = [
            f"wrote {self.path} ({self.total_rows:,} rows in {self.seconds:.2f} s): {listed}",
            "integrity_check ok, foreign_key_check ok",
        ]
        if self.skipped:
            out.append(f"not stored (no place in the schema yet): {', '.join(self.skipped)}")
        return "\n".join(out)


def _is_workbench_db(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            head = f.read(100)
    except OSError:
        return False
    return head.startswith(_HEADER) and len(head) == 100 and int.from_bytes(head[68:72], "big") == APPLICATION_ID


@contextlib.contextmanager
def atomic_database(target: Path, force: bool):
    """Build a database in a temporary file beside ``target`` and move it there at the end.

    Yields the temporary path. If the block fails nothing is left behind and ``target`` is
    untouched; an SQLite error becomes a :class:`DatabaseError` naming ``target``. A file
    that appeared at ``target`` meanwhile is only replaced with ``force``.
    """
    try:
        fd, tmp = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent if str(target.parent) else "."
        )
        os.close(fd)
    except OSError as exc:
        raise DatabaseError(f"cannot write {str(target)!r}: {exc.strerror or exc}") from None
    try:
        yield tmp
        if target.exists() and not force:
            raise DatabaseError(f"{str(target)!r} appeared while writing; nothing was replaced")
        os.replace(tmp, target)
    except sqlite3.Error as exc:
        Path(tmp).unlink(missing_ok=True)
        raise DatabaseError(f"cannot write {str(target)!r}: {exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check_target(path, force: bool) -> Path:
    """Check that a database may be written at ``path``; returns it as a Path (nothing is created).

    Raises
    ------
    DatabaseError
        If the folder is missing or not writable, ``path`` is a folder, or a file exists there
        and ``force`` is False — or ``force`` is True but the file is not a workbench database.
    """
    if not isinstance(path, (str, os.PathLike)) or str(path) == "":
        raise DatabaseError(f"the output must be a file path such as 'firm.sqlite'; got {path!r}")
    p = Path(path)
    parent = p.parent if str(p.parent) else Path(".")
    if p.is_dir():
        raise DatabaseError(f"{str(p)!r} is a folder; give a file name such as {str(p / 'firm.sqlite')!r}")
    if not parent.is_dir():
        raise DatabaseError(f"cannot write {str(p)!r}: the folder {str(parent)!r} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise DatabaseError(f"cannot write {str(p)!r}: the folder {str(parent)!r} is not writable")
    if p.exists():
        if not force:
            raise DatabaseError(
                f"{str(p)!r} already exists; pass force=True (--force) to replace it (nothing was written)"
            )
        if p.stat().st_size > 0 and not _is_workbench_db(p):
            raise DatabaseError(
                f"{str(p)!r} exists and is not a CRM Workbench database; refusing to replace it "
                "even with --force (nothing was written)"
            )
    return p


def write_database(frames: dict[str, pd.DataFrame], path, *, meta: dict, force: bool = False) -> ExportReport:
    """Write DataFrames into a new workbench database file, atomically.

    Parameters
    ----------
    frames : dict of DataFrame
        Tables by name (``customers``, ``orders``, ``contacts``, ``events`` …; see
        :data:`simulation.database.frames.FRAMES`).
    path : str or Path
        The database file to create.
    meta : dict
        Facts stored in ``crm_meta``; needs ``start_date`` (ISO date of day 0) and ``as_of_day``.
    force : bool
        Replace an existing workbench database at ``path``.

    Returns
    -------
    ExportReport

    Raises
    ------
    DatabaseError
        Bad path, an existing file without ``force``, a value that breaks a constraint (the
        message names the table and the constraint), or a failed integrity check. Nothing is
        written then.
    """
    t0 = time.perf_counter()
    for key in ("start_date", "as_of_day"):
        if key not in meta:
            raise DatabaseError(f"meta needs {key!r}")
    target = check_target(path, force)
    plans, frame_rows = plan_frames(frames, str(meta["start_date"]))
    if "loyalty_ledger" in frames:
        plans["loyalty_accounts"] = accounts_plan(frames["loyalty_ledger"], str(meta["start_date"]))
    with atomic_database(target, force) as tmp:
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            _build(conn, plans, frame_rows, meta)
        finally:
            conn.close()
    rows = {t.name: plans[t.name].n for t in TABLES if t.name in plans}
    return ExportReport(target, rows, time.perf_counter() - t0)


def _build(conn: sqlite3.Connection, plans: dict, frame_rows: list[tuple], meta: dict) -> None:
    conn.execute("PRAGMA journal_mode = OFF")  # a temporary file: a failure deletes it
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA foreign_keys = OFF")  # checked as a whole below
    conn.execute("PRAGMA cache_size = -262144")  # up to 256 MiB of pages while building
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.execute("BEGIN")
    extra = {name: p.extra for name, p in plans.items() if p.extra}
    for stmt in create_statements(extra):
        conn.execute(stmt)
    for t in TABLES:
        if t.name not in plans:
            continue
        cols, rows = plans[t.name].rows()
        sql = f"INSERT INTO {t.name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        try:
            conn.executemany(sql, rows)
        except sqlite3.IntegrityError as exc:
            raise DatabaseError(f"table {t.name}: a row breaks a constraint ({exc}); nothing was written") from None
    facts = {"created_by": "CRM Workbench", "schema_version": SCHEMA_VERSION, **meta}
    conn.executemany(
        "INSERT INTO crm_meta (key, value) VALUES (?, ?)",
        [(k, v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)) for k, v in facts.items()],
    )
    conn.executemany("INSERT INTO crm_frames VALUES (?, ?, ?, ?, ?, ?, ?)", frame_rows)
    for stmt in index_statements() + view_statements():
        conn.execute(stmt)
    conn.execute("COMMIT")
    check_integrity(conn)
    conn.execute("ANALYZE")
    conn.execute("PRAGMA journal_mode = DELETE")


def check_integrity(conn: sqlite3.Connection) -> None:
    """``foreign_key_check`` and ``integrity_check`` must both pass."""
    bad = conn.execute("PRAGMA foreign_key_check").fetchall()
    if bad:
        t, rowid, parent, _fk = bad[0]
        raise DatabaseError(
            f"{len(bad)} row(s) refer to rows that do not exist, e.g. row {rowid} of {t} "
            f"refers to a missing {parent} row; nothing was written"
        )
    ok = conn.execute("PRAGMA integrity_check").fetchall()
    if ok != [("ok",)]:
        raise DatabaseError(f"integrity_check failed: {ok[0][0]}; nothing was written")


# ---------------------------------------------------------------------- exports
def _scenario_meta(sc, as_of_day: float) -> dict:
    from ..scenario.fields import to_dict

    lc = sc.lifecycle
    return {
        "scenario": sc.name,
        "start_date": sc.start_date,
        "as_of_day": float(as_of_day),
        "horizon_days": float(sc.horizon_days),
        "decline_after_days": float(lc.decline_after_days),
        "dormant_after_days": float(lc.dormant_after_days),
        "maintenance_after_orders": int(lc.maintenance_after_orders),
        "scenario_parameters": to_dict(sc),
    }


def export_result(result, path, *, force: bool = False, contacts: bool = True) -> ExportReport:
    """Write a simulation :class:`~simulation.Result` as a customer database.

    Parameters
    ----------
    result : Result
        From :func:`simulation.run`.
    path : str or Path
        New database file (``firm.sqlite``).
    force : bool
        Replace an existing workbench database.
    contacts : bool
        Add fictional contact details (:func:`simulation.data.make_contacts`, seeded with the
        run's seed), so that the database has names, phones and addresses to protect.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from simulation import preset, run
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "firm.sqlite"
    >>> report = export_result(run(preset("small-class"), seed=7), path)
    >>> path.is_file()
    True
    """
    frames = {name: df for name, df in result.tables.items() if name in FRAMES}
    skipped = [name for name in result.tables if name not in FRAMES]
    sc = result.scenario
    if contacts:
        from ..data.contacts import make_contacts

        frames["contacts"] = make_contacts(frames["customers"], int(result.seed), start_date=sc.start_date)
    meta = {
        "kind": "simulation",
        "source": f"run(scenario={sc.name!r}, seed={result.seed})",
        "seed": int(result.seed),
        **_scenario_meta(sc, result.as_of_day),
    }
    report = write_database(frames, path, meta=meta, force=force)
    report.skipped = skipped
    return report


def export_dataset(name: str, path, *, force: bool = False, root=None) -> ExportReport:
    """Write a canonical data set (``class`` or ``large``) as a customer database.

    Parameters
    ----------
    name : str
        A data set of :data:`simulation.data.DATASETS` (the dirty set is imported with
        :func:`simulation.database.import_dirty` instead).
    path : str or Path
        New database file.
    force : bool
        Replace an existing workbench database.
    root : str or Path, optional
        Folder holding the data sets (default: the repository's ``datasets/``).
    """
    from ..data.build import dataset_spec, load_dataset

    spec = dataset_spec(name)
    if spec.dirty_of is not None:
        raise DatabaseError(
            f"{name!r} is a raw CRM export; clean and load it with import_dirty (python -m simulation import-dirty)"
        )
    check_target(path, force)
    frames = load_dataset(name, root=root)
    meta = {
        "kind": "dataset",
        "source": f"data set {name!r}",
        "seed": spec.seed,
        **_scenario_meta(spec.scenario(), spec.horizon_days),
    }
    return write_database(frames, path, meta=meta, force=force)


# ---------------------------------------------------------------------- opening
def open_database(path) -> sqlite3.Connection:
    """Open a workbench database read-only, after checking that it is one.

    Raises
    ------
    DatabaseError
        If the file does not exist, is not an SQLite database, is another program's SQLite
        database (no "CRMW" application id), was written by a newer schema, or is damaged.
    """
    p = Path(path)
    if not p.is_file():
        raise DatabaseError(
            f"{str(p)!r}: no such file" if not p.exists() else f"{str(p)!r} is a folder, not a database"
        )
    try:
        with open(p, "rb") as f:
            head = f.read(100)
    except OSError as exc:
        raise DatabaseError(f"cannot read {str(p)!r}: {exc.strerror or exc}") from None
    if len(head) < 100 or not head.startswith(_HEADER):
        raise DatabaseError(f"{str(p)!r} is not an SQLite database (its first bytes are not the SQLite header)")
    app = int.from_bytes(head[68:72], "big")
    if app != APPLICATION_ID:
        raise DatabaseError(
            f"{str(p)!r} is an SQLite database but not one written by CRM Workbench "
            f"(application_id {app:#010x}); export one with `python -m simulation export-db`"
        )
    version = int.from_bytes(head[60:64], "big")
    if version > SCHEMA_VERSION:
        raise DatabaseError(
            f"{str(p)!r} has schema version {version}, newer than this workbench's "
            f"{SCHEMA_VERSION}; update the workbench"
        )
    conn = sqlite3.connect(f"file:{quote(str(p.resolve()))}?mode=ro", uri=True)
    try:
        status = conn.execute("PRAGMA quick_check").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise DatabaseError(f"{str(p)!r} is damaged: {exc}") from None
    if status != "ok" or not {"crm_meta", "crm_frames"} <= tables:
        conn.close()
        why = status if status != "ok" else "its crm_meta or crm_frames table is missing"
        raise DatabaseError(f"{str(p)!r} is damaged: {why}")
    return conn


def database_meta(conn: sqlite3.Connection) -> dict:
    """The facts of ``crm_meta`` (numbers and JSON values decoded)."""
    out = {}
    for key, value in conn.execute("SELECT key, value FROM crm_meta ORDER BY key"):
        try:
            out[key] = json.loads(value)
        except (ValueError, TypeError):
            out[key] = value
    return out


def load_database(path) -> dict[str, pd.DataFrame]:
    """Every table written into a workbench database, as DataFrames with their exact dtypes."""
    conn = open_database(path)
    try:
        return {name: read_table(conn, name) for name in frames_in(conn)}
    finally:
        conn.close()
