"""The classroom ledger: sessions, teams, join codes, decisions, round states and results.

Everything a class game knows lives here, so a server keeps no state of its own and a crash
loses nothing: the firms are rebuilt from the recorded decisions (:mod:`.engine`).

Tables (one database may hold many sessions)::

    sessions      session_id, card_name, card_toml, seed, created_at
    teams         session_id, team_no, name, seed
    codes         code, session_id, team_no, role        (role "facilitator": team_no NULL)
    rounds        session_id, round_no, state (open|closed), opened_at, closed_at, deadline
    decisions     decision_id, session_id, team_no, round_no, role, values_json,
                  submitted_by, submitted_at             (append-only: triggers refuse changes)
    round_states  session_id, team_no, round_no, values_json, kept_json
    results       session_id, team_no, round_no, summary_json, score, notes_json, computed_at

SQLite is the default (WAL journal, every write in one ``BEGIN IMMEDIATE`` transaction); the
same ledger runs on PostgreSQL from a connection URL. All SQL goes through the backend's
``transaction()`` and ``query()`` (:mod:`.backends`), with ``?`` placeholders and portable types.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from ..common.checks import did_you_mean
from .backends import TABLES, SqliteBackend, connect
from .errors import Refused, RoleplayError

__all__ = ["Ledger", "now_utc", "dumps", "SCHEMA_VERSION"]

SCHEMA_VERSION = "1"


def now_utc() -> str:
    """The current time as an ISO 8601 UTC text with microseconds."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def dumps(value) -> str:
    """Canonical JSON (sorted keys, no spaces), so equal values give equal texts."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


class Ledger:
    """The classroom ledger (see the module's docstring). Use :meth:`create` or :meth:`open`."""

    def __init__(self, backend):
        self.db = backend

    # ------------------------------------------------------------------ files
    @classmethod
    def create(cls, where: str | Path) -> "Ledger":
        """A new, empty ledger: a new SQLite file, or the tables in an empty PostgreSQL database.

        Refuses an existing file or a database that already holds a ledger (nothing is written).
        """
        backend = connect(where)
        backend.check_new()
        try:
            backend.create()
            with backend.transaction() as con:
                con.execute("INSERT INTO ledger_info VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
        except backend.errors as exc:
            raise RoleplayError(f"cannot create ledger {backend.name!r}: {exc}") from None
        return cls(backend)

    @classmethod
    def open(cls, where: str | Path) -> "Ledger":
        """An existing ledger; a clear error if it is missing or is not a ledger."""
        backend = connect(where)
        backend.check_exists()
        try:
            rows = backend.query("SELECT value FROM ledger_info WHERE key = 'schema_version'")
        except backend.errors:
            raise RoleplayError(f"{backend.name!r} is not a role-play ledger") from None
        if rows != [(SCHEMA_VERSION,)]:
            raise RoleplayError(f"ledger {backend.name!r} has schema {rows}; this version reads {SCHEMA_VERSION}")
        return cls(backend)

    def copy_to_sqlite(self, path: str | Path) -> None:
        """Copy every table into a new SQLite ledger file (from either backend)."""
        target = SqliteBackend(path)
        target.check_new()
        target.create()
        with target.transaction() as con:
            for table in TABLES:
                rows = self.db.query(f"SELECT * FROM {table}")
                if rows:
                    marks = ", ".join("?" * len(rows[0]))
                    con.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)

    # ------------------------------------------------------------------ sessions
    def add_session(self, session_id: str, card_name: str, card_toml: str, seed: int, teams, codes) -> None:
        """A session with its teams ``[(team_no, name, seed)]`` and codes ``[(code, team_no, role)]``; round 1 opens."""
        t = now_utc()
        with self.db.transaction() as con:
            con.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, ?)", (session_id, card_name, card_toml, seed, t))
            con.executemany("INSERT INTO teams VALUES (?, ?, ?, ?)", [(session_id, *row) for row in teams])
            con.executemany("INSERT INTO codes VALUES (?, ?, ?, ?)", [(c, session_id, n, r) for c, n, r in codes])
            con.execute("INSERT INTO rounds VALUES (?, 1, 'open', ?, NULL, NULL)", (session_id, t))

    def add_teams(self, session_id: str, teams, codes) -> None:
        """More teams for a session, before its first round closes."""
        with self.db.transaction() as con:
            closed = con.execute(
                "SELECT COUNT(*) FROM rounds WHERE session_id = ? AND state = 'closed'", (session_id,)
            ).fetchone()[0]
            if closed:
                raise RoleplayError("teams can join only before the first round closes (nothing was written)")
            con.executemany("INSERT INTO teams VALUES (?, ?, ?, ?)", [(session_id, *row) for row in teams])
            con.executemany("INSERT INTO codes VALUES (?, ?, ?, ?)", [(c, session_id, n, r) for c, n, r in codes])

    @classmethod
    def with_new_session(cls, where, session_id: str, card_name: str, card_toml: str, seed: int, teams, codes):
        """A new ledger file (or database) holding one new session; nothing is left behind on failure."""
        ledger = cls.create(where)  # refuses an existing file
        try:
            ledger.add_session(session_id, card_name, card_toml, seed, teams, codes)
        except BaseException:
            ledger.db.discard()  # what this call made, never another ledger
            raise
        return ledger

    @classmethod
    def open_session(cls, where, session_id: str | None = None) -> tuple["Ledger", str]:
        """An existing ledger and one of its sessions: the only one unless ``session_id`` names it."""
        ledger = cls.open(where)
        ids = ledger.sessions()
        if session_id is None:
            if len(ids) != 1:
                raise RoleplayError(f"ledger {str(where)!r} holds {len(ids)} sessions; name one: {', '.join(ids)}")
            return ledger, ids[0]
        if session_id not in ids:
            raise RoleplayError(f"ledger {str(where)!r} has no session {session_id!r}{did_you_mean(session_id, ids)}")
        return ledger, session_id

    def sessions(self) -> list[str]:
        return [r[0] for r in self.db.query("SELECT session_id FROM sessions ORDER BY created_at, session_id")]

    def session(self, session_id: str) -> dict:
        rows = self.db.query(
            "SELECT card_name, card_toml, seed, created_at FROM sessions WHERE session_id = ?", (session_id,)
        )
        if not rows:
            raise RoleplayError(f"the ledger has no session {session_id!r}; sessions: {', '.join(self.sessions())}")
        name, toml, seed, created = rows[0]
        return dict(session_id=session_id, card_name=name, card_toml=toml, seed=seed, created_at=created)

    def teams(self, session_id: str) -> list[tuple[int, str, int]]:
        return self.db.query(
            "SELECT team_no, name, seed FROM teams WHERE session_id = ? ORDER BY team_no", (session_id,)
        )

    def codes(self, session_id: str) -> list[tuple[str, int | None, str]]:
        return self.db.query(
            "SELECT code, team_no, role FROM codes WHERE session_id = ? ORDER BY team_no IS NOT NULL, team_no, role",
            (session_id,),
        )

    def code(self, code: str) -> tuple[str, int | None, str] | None:
        """``(session_id, team_no, role)`` of a join code, or None."""
        rows = self.db.query("SELECT session_id, team_no, role FROM codes WHERE code = ?", (str(code),))
        return rows[0] if rows else None

    # ------------------------------------------------------------------ rounds and decisions
    def rounds(self, session_id: str) -> list[tuple[int, str, str, str | None, str | None]]:
        """``(round_no, state, opened_at, closed_at, deadline)`` of every round started."""
        return self.db.query(
            "SELECT round_no, state, opened_at, closed_at, deadline FROM rounds WHERE session_id = ? ORDER BY round_no",
            (session_id,),
        )

    def open_round(self, session_id: str) -> int | None:
        """The number of the open round, or None (game over or results pending)."""
        rows = self.db.query("SELECT round_no FROM rounds WHERE session_id = ? AND state = 'open'", (session_id,))
        return rows[0][0] if rows else None

    def submit(self, session_id: str, team_no: int, role: str, round_no: int, values: dict, by: str) -> int:
        """Append a decision if ``round_no`` is open (checked in the same transaction); its id."""
        with self.db.transaction() as con:
            row = con.execute(
                "SELECT state, deadline FROM rounds WHERE session_id = ? AND round_no = ?", (session_id, round_no)
            ).fetchone()
            now = now_utc()
            if row is not None and row[0] == "open" and row[1] is not None and now > row[1]:
                raise Refused(f"the deadline of round {round_no} passed at {row[1]}; nothing was stored")
            if row is None or row[0] != "open":
                raise Refused(
                    f"round {round_no} is not open (it is {row[0] if row else 'not started'}); nothing was stored"
                )
            row = con.execute(
                "INSERT INTO decisions (session_id, team_no, round_no, role, values_json, submitted_by, submitted_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING decision_id",
                (session_id, team_no, round_no, role, dumps(values), by, now),
            ).fetchone()
            return row[0]

    def set_deadline(self, session_id: str, round_no: int, deadline: str | None) -> None:
        """Set (or clear, with None) the deadline of an open round: an ISO 8601 UTC text."""
        with self.db.transaction() as con:
            cur = con.execute(
                "UPDATE rounds SET deadline = ? WHERE session_id = ? AND round_no = ? AND state = 'open'",
                (deadline, session_id, round_no),
            )
            if cur.rowcount != 1:
                raise RoleplayError(f"round {round_no} is not open; its deadline cannot change")

    def decisions(self, session_id: str, round_no: int | None = None) -> list[tuple]:
        """``(decision_id, team_no, round_no, role, values, submitted_by, submitted_at)`` in the order stored."""
        sql = (
            "SELECT decision_id, team_no, round_no, role, values_json, submitted_by, submitted_at "
            "FROM decisions WHERE session_id = ?"
        )
        params: tuple = (session_id,)
        if round_no is not None:
            sql += " AND round_no = ?"
            params += (round_no,)
        rows = self.db.query(sql + " ORDER BY decision_id", params)
        return [(i, t, r, role, json.loads(v), by, at) for i, t, r, role, v, by, at in rows]

    def close_round(self, session_id: str, round_no: int, settle) -> bool:
        """Close an open round and record each team's settings for it, in one transaction.

        ``settle(latest, previous)`` gets ``{team_no: {role: values}}`` (each role's last
        submission of the round) and ``{team_no: values}`` (the previous round's settings) and
        returns ``{team_no: (values, kept_roles)}``. Returns False if the round was already closed.
        """
        with self.db.transaction() as con:
            row = con.execute(
                "SELECT state FROM rounds WHERE session_id = ? AND round_no = ?", (session_id, round_no)
            ).fetchone()
            if row is None:
                raise RoleplayError(f"round {round_no} has not started")
            if row[0] == "closed":
                return False
            latest: dict = {}
            for team_no, role, values in con.execute(
                "SELECT team_no, role, values_json FROM decisions WHERE session_id = ? AND round_no = ? "
                "ORDER BY decision_id",
                (session_id, round_no),
            ):
                latest.setdefault(team_no, {})[role] = json.loads(values)
            previous = {
                t: json.loads(v)
                for t, v in con.execute(
                    "SELECT team_no, values_json FROM round_states WHERE session_id = ? AND round_no = ?",
                    (session_id, round_no - 1),
                )
            }
            states = settle(latest, previous)
            con.execute(
                "UPDATE rounds SET state = 'closed', closed_at = ? WHERE session_id = ? AND round_no = ?",
                (now_utc(), session_id, round_no),
            )
            con.executemany(
                "INSERT INTO round_states VALUES (?, ?, ?, ?, ?)",
                [(session_id, t, round_no, dumps(v), dumps(sorted(k))) for t, (v, k) in states.items()],
            )
        return True

    def round_states(self, session_id: str) -> list[tuple[int, int, dict, list]]:
        """``(team_no, round_no, values, kept_roles)`` for every closed round."""
        rows = self.db.query(
            "SELECT team_no, round_no, values_json, kept_json FROM round_states WHERE session_id = ? "
            "ORDER BY round_no, team_no",
            (session_id,),
        )
        return [(t, r, json.loads(v), json.loads(k)) for t, r, v, k in rows]

    def store_results(self, session_id: str, round_no: int, rows, open_next: bool) -> None:
        """Results ``[(team_no, summary, score, notes)]`` of a closed round; opens the next one."""
        t = now_utc()
        with self.db.transaction() as con:
            con.executemany(
                "INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [(session_id, n, round_no, dumps(s), score, dumps(notes), t) for n, s, score, notes in rows],
            )
            if open_next:
                con.execute(
                    "INSERT INTO rounds VALUES (?, ?, 'open', ?, NULL, NULL) ON CONFLICT DO NOTHING",
                    (session_id, round_no + 1, t),
                )

    def results(self, session_id: str, team_no: int | None = None) -> list[tuple[int, int, dict, float, list]]:
        """``(team_no, round_no, summary, score, notes)`` ordered by round and team."""
        sql = "SELECT team_no, round_no, summary_json, score, notes_json FROM results WHERE session_id = ?"
        params: tuple = (session_id,)
        if team_no is not None:
            sql += " AND team_no = ?"
            params += (team_no,)
        rows = self.db.query(sql + " ORDER BY round_no, team_no", params)
        return [(t, r, json.loads(s), score, json.loads(n)) for t, r, s, score, n in rows]
