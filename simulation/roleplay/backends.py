"""Where the classroom ledger lives: a SQLite file (the default) or a PostgreSQL database.

Both backends offer the same small interface to :class:`~simulation.roleplay.ledger.Ledger`:
``transaction()`` (a write transaction; writers are serialised), ``query(sql, params)`` (rows
of a read), ``create()``, ``check_new()``, ``check_exists()``, ``discard()`` and ``errors``
(the driver's exception classes). SQL is written once, with ``?`` placeholders and types both
databases know; only the decisions' identity column and the append-only triggers differ.

:func:`connect` chooses: a file path or ``sqlite:///path`` is SQLite (WAL journal);
``postgresql://user@host/dbname`` (or ``postgres://``) is PostgreSQL through ``psycopg``
(``pip install "psycopg[binary]"``), where every write transaction first takes one advisory
lock, so writers queue exactly as they do on SQLite.
"""

from __future__ import annotations

import random
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from .errors import RoleplayError

__all__ = ["SqliteBackend", "PostgresBackend", "connect", "TABLES"]

#: The ledger's tables, in the order they are created (and copied).
TABLES = ("ledger_info", "sessions", "teams", "codes", "rounds", "decisions", "round_states", "results")

_DDL = """
CREATE TABLE ledger_info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sessions (
    session_id TEXT PRIMARY KEY, card_name TEXT NOT NULL, card_toml TEXT NOT NULL,
    seed BIGINT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE teams (
    session_id TEXT NOT NULL REFERENCES sessions(session_id), team_no INTEGER NOT NULL,
    name TEXT NOT NULL, seed BIGINT NOT NULL, PRIMARY KEY (session_id, team_no));
CREATE TABLE codes (
    code TEXT PRIMARY KEY, session_id TEXT NOT NULL REFERENCES sessions(session_id),
    team_no INTEGER, role TEXT NOT NULL);
CREATE TABLE rounds (
    session_id TEXT NOT NULL REFERENCES sessions(session_id), round_no INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'closed')), opened_at TEXT NOT NULL, closed_at TEXT, deadline TEXT,
    PRIMARY KEY (session_id, round_no));
CREATE TABLE decisions (
    decision_id {identity}, session_id TEXT NOT NULL REFERENCES sessions(session_id),
    team_no INTEGER NOT NULL, round_no INTEGER NOT NULL, role TEXT NOT NULL, values_json TEXT NOT NULL,
    submitted_by TEXT NOT NULL, submitted_at TEXT NOT NULL);
CREATE TABLE round_states (
    session_id TEXT NOT NULL, team_no INTEGER NOT NULL, round_no INTEGER NOT NULL,
    values_json TEXT NOT NULL, kept_json TEXT NOT NULL, PRIMARY KEY (session_id, team_no, round_no));
CREATE TABLE results (
    session_id TEXT NOT NULL, team_no INTEGER NOT NULL, round_no INTEGER NOT NULL,
    summary_json TEXT NOT NULL, score DOUBLE PRECISION NOT NULL, notes_json TEXT NOT NULL,
    computed_at TEXT NOT NULL, PRIMARY KEY (session_id, team_no, round_no));
"""

_SQLITE_TRIGGERS = """
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
    BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
    BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
"""

_PG_TRIGGERS = (
    "CREATE FUNCTION decisions_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'decisions are append-only'; END $$",
    "CREATE TRIGGER decisions_no_change BEFORE UPDATE OR DELETE ON decisions "
    "FOR EACH ROW EXECUTE FUNCTION decisions_append_only()",
)


class SqliteBackend:
    """SQL on one SQLite file: a fresh connection per transaction (safe across threads and processes).

    Parameters
    ----------
    path : str or Path
        The database file.
    timeout_s : float
        How long a writer waits for another writer's lock before giving up.
    """

    errors = (sqlite3.Error,)

    def __init__(self, path: str | Path, timeout_s: float = 60.0):
        self.path = str(path)
        self.name = self.path
        self.timeout_s = timeout_s

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=self.timeout_s, isolation_level=None)
        con.execute(f"PRAGMA busy_timeout = {int(self.timeout_s * 1000)}")
        con.execute("PRAGMA foreign_keys = ON")
        return con

    def _begin(self, con: sqlite3.Connection) -> None:
        """``BEGIN IMMEDIATE``, retried after short random pauses while another writer holds the lock.

        SQLite's own busy handler backs off to long sleeps, so under many writers a few of them
        waited seconds; retrying every few milliseconds (with jitter, up to ``timeout_s``) keeps
        every writer's wait close to the queue's length.
        """
        con.execute("PRAGMA busy_timeout = 0")
        deadline = time.monotonic() + self.timeout_s
        while True:
            try:
                con.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(random.uniform(0.0005, 0.004))
        con.execute(f"PRAGMA busy_timeout = {int(self.timeout_s * 1000)}")

    @contextmanager
    def transaction(self):
        """A write transaction (``BEGIN IMMEDIATE``): committed on success, rolled back on any error."""
        con = self._connect()
        try:
            self._begin(con)
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
        finally:
            con.close()

    def query(self, sql: str, params=()) -> list[tuple]:
        """Rows of a read-only query."""
        con = self._connect()
        try:
            return con.execute(sql, params).fetchall()
        finally:
            con.close()

    def check_new(self) -> None:
        """Refuse an existing file or a missing folder (nothing is written)."""
        path = Path(self.path)
        if path.exists():
            raise RoleplayError(f"ledger {self.path!r} already exists; choose a new file (nothing was written)")
        if not path.parent.is_dir():
            raise RoleplayError(
                f"ledger {self.path!r}: folder {str(path.parent)!r} does not exist (nothing was written)"
            )

    def check_exists(self) -> None:
        if not Path(self.path).is_file():
            raise RoleplayError(f"ledger {self.path!r} does not exist; create it first (roleplay create)")

    def create(self) -> None:
        """Make the tables in a new file (WAL journal)."""
        con = self._connect()
        try:
            con.execute("PRAGMA journal_mode = WAL")
            ddl = _DDL.replace("{identity}", "INTEGER PRIMARY KEY") + _SQLITE_TRIGGERS
            con.executescript("BEGIN;" + ddl + "COMMIT;")
        finally:
            con.close()

    def discard(self) -> None:
        """Remove a ledger this process has just created (after a failed set-up)."""
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)


class _PgConnection:
    """A psycopg connection that takes the ledger's ``?`` placeholders."""

    def __init__(self, con):
        self._con = con

    def execute(self, sql: str, params=()):
        return self._con.execute(sql.replace("?", "%s"), params)

    def executemany(self, sql: str, rows):
        cur = self._con.cursor()
        cur.executemany(sql.replace("?", "%s"), list(rows))
        return cur


class PostgresBackend:
    """SQL on a PostgreSQL database given by a connection URL (``postgresql://user@host:port/dbname``)."""

    _LOCK = 7_310_515  # the advisory lock every writer takes first

    def __init__(self, url: str):
        try:
            import psycopg
        except ImportError:
            raise RoleplayError(
                'a PostgreSQL ledger needs the psycopg package: pip install "psycopg[binary]"'
            ) from None
        self._psycopg = psycopg
        self.errors = (psycopg.Error,)
        self.url = url
        parts = urlsplit(url)
        host = parts.hostname or ""
        netloc = f"{parts.username}@{host}" if parts.username else host
        self.name = urlunsplit((parts.scheme, netloc + (f":{parts.port}" if parts.port else ""), parts.path, "", ""))
        self.path = None

    def _connect(self):
        try:
            return self._psycopg.connect(self.url)
        except self._psycopg.Error as exc:
            raise RoleplayError(f"cannot connect to ledger {self.name!r}: {str(exc).strip().splitlines()[0]}") from None

    @contextmanager
    def transaction(self):
        """A write transaction that first waits for the ledger's advisory lock."""
        con = self._connect()
        try:
            with con.transaction():
                con.execute("SELECT pg_advisory_xact_lock(%s)", (self._LOCK,))
                yield _PgConnection(con)
        finally:
            con.close()

    def query(self, sql: str, params=()) -> list[tuple]:
        con = self._connect()
        try:
            return con.execute(sql.replace("?", "%s"), params).fetchall()
        finally:
            con.close()

    def _has_ledger(self) -> bool:
        return self.query("SELECT to_regclass('ledger_info') IS NOT NULL")[0][0]

    def check_new(self) -> None:
        if self._has_ledger():
            raise RoleplayError(
                f"ledger {self.name!r} already holds a ledger; choose a new database (nothing was written)"
            )

    def check_exists(self) -> None:
        self._connect().close()

    def create(self) -> None:
        with self.transaction() as con:
            for statement in (_DDL.replace("{identity}", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY")).split(";"):
                if statement.strip():
                    con.execute(statement)
            for statement in _PG_TRIGGERS:
                con.execute(statement)

    def discard(self) -> None:
        """Drop the ledger's tables this process has just created (after a failed set-up)."""
        with self.transaction() as con:
            con.execute(f"DROP TABLE IF EXISTS {', '.join(TABLES)} CASCADE")
            con.execute("DROP FUNCTION IF EXISTS decisions_append_only()")


def connect(where: str | Path):
    """The backend for a file path, a ``sqlite:///path`` URL or a ``postgresql://`` URL."""
    text = str(where)
    if text.startswith("sqlite:///"):
        return SqliteBackend(text[len("sqlite:///") :])
    if text.startswith(("postgresql://", "postgres://")):
        return PostgresBackend(text)
    if "://" in text:
        scheme = text.split("://", 1)[0]
        raise RoleplayError(
            f"ledger {text!r}: the {scheme!r} backend is not available; give a file path, sqlite:///path or postgresql://..."
        )
    return SqliteBackend(text)
