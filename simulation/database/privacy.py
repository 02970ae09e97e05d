"""Privacy and security on the customer database: a pseudonymised student copy, a checklist.

:func:`student_copy` writes a copy of a database in which

- the personal fields — name (Chinese and pinyin), mobile, e-mail, street address — are
  replaced by **pseudonyms**, consistently: the same value always gets the same pseudonym
  (under the same key), in every table, so joins, counts and duplicate checks still work;
- the simulation's **hidden truth** is removed (``customer_truth``, the silent leavings and
  comebacks in ``interactions``, the complaints customers never voiced);
- the raw rows kept by an import (``rejects``, ``import_issues``) are pseudonymised too;
- freed pages are wiped (``PRAGMA secure_delete`` and ``VACUUM``), so no original value
  survives anywhere in the file.

Pseudonyms are keyed (HMAC-SHA256). Without a key a random one is used and thrown away: the
copy cannot be linked back, nor to another copy. With a key kept by the instructor, two
copies share pseudonyms and the instructor can re-identify a row by recomputing them. The
key is never written into the copy. Mobile numbers keep their 3-digit prefix and get a
keyed permutation of the other 8 digits (a Feistel network), so they stay valid and distinct.

Every database also has the view ``v_contacts_masked`` (masking for staff who need to see
that a value exists, not the value). :func:`privacy_checklist` shows the course's privacy and
security points on a given database.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import normalise as nz
from .export import atomic_database, check_integrity, check_target, database_meta, open_database
from .frames import DatabaseError

__all__ = ["PERSONAL_FIELDS", "HIDDEN_EVENTS", "Pseudonymiser", "PrivacyReport", "student_copy", "privacy_checklist"]

#: Columns of ``customer_contacts`` holding personal data, and how each raw cell is cleaned first.
PERSONAL_FIELDS = {
    "name_zh": nz.name_zh,
    "name_pinyin": nz.name_pinyin,
    "mobile": nz.mobile,
    "email": nz.email,
    "address": nz.text,
}
_RAW_NAMES = {
    "name": "name_zh",
    "name_zh": "name_zh",
    "name_pinyin": "name_pinyin",
    "mobile": "mobile",
    "email": "email",
    "address": "address",
}
#: Event types that only the simulation knows (the firm cannot observe them).
HIDDEN_EVENTS = ("dropout", "comeback", "deterred")
_LETTERS = "bcdfghjklmnpqrst"


class Pseudonymiser:
    """Keyed, consistent pseudonyms for the personal fields.

    Parameters
    ----------
    key : str or bytes
        The secret; the same key gives the same pseudonyms.
    """

    def __init__(self, key: str | bytes):
        self.key = key.encode("utf-8") if isinstance(key, str) else bytes(key)

    def _digest(self, field: str, value: str) -> str:
        return hmac.new(self.key, f"{field}\x1f{value}".encode("utf-8"), hashlib.sha256).hexdigest()

    def name_zh(self, v: str) -> str:
        return "客户" + self._digest("name_zh", v)[:10].upper()

    def name_pinyin(self, v: str) -> str:
        return "Kehu " + "".join(_LETTERS[int(c, 16)] for c in self._digest("name_pinyin", v)[:8]).capitalize()

    def email(self, v: str) -> str:
        return f"c{self._digest('email', v)[:12]}@pseudonym.example"

    def address(self, v: str) -> str:
        return "地址-" + self._digest("address", v)[:8].upper()

    def mobile(self, v: str) -> str:
        """Same 3-digit prefix; the last 8 digits permuted by a 4-round keyed Feistel network."""
        left, right = divmod(int(v[3:]), 10_000)
        for rnd in range(4):
            f = int(self._digest(f"mobile{rnd}", f"{right:04d}")[:8], 16)
            left, right = right, (left + f) % 10_000
        return f"{v[:3]}{left:04d}{right:04d}"

    def value(self, field: str, v):
        """The pseudonym of a clean value of ``field`` (None stays None)."""
        return None if v is None else getattr(self, field)(v)

    def raw(self, field: str, text: str) -> str:
        """The pseudonym of a raw cell: cleaned first so it matches the clean value's pseudonym."""
        value, _problem = PERSONAL_FIELDS[field](text)
        if value is None:
            return "" if nz.missing(text) else "***"
        return self.value(field, value)


@dataclass
class PrivacyReport:
    """What :func:`student_copy` changed."""

    path: Path
    contacts: int
    raw_cells: int
    truth_rows: int
    hidden_events: int
    silent_complaints: int
    random_key: bool

    def text(self) -> str:
        key = "a random key (not kept: the copy cannot be linked back)" if self.random_key else "the given key"
        return (
            f"wrote {self.path}: {self.contacts:,} contacts and {self.raw_cells:,} raw cells pseudonymised with "
            f"{key}; removed {self.truth_rows:,} hidden-truth rows, {self.hidden_events:,} hidden events, "
            f"{self.silent_complaints:,} unvoiced complaints; integrity_check ok, foreign_key_check ok"
        )


def _columns(conn, t: str) -> set[str]:
    return {r[1] for r in conn.execute(f"PRAGMA table_info({t})")}


def student_copy(src, dst, *, key: str | bytes | None = None, force: bool = False) -> PrivacyReport:
    """Write a pseudonymised copy of a workbench database for students.

    Parameters
    ----------
    src : str or Path
        A workbench database (checked with :func:`open_database`).
    dst : str or Path
        The copy to create (atomically; an existing file only with ``force``).
    key : str or bytes, optional
        Pseudonymisation key; default: a random key that is not kept.
    force : bool
        Replace an existing workbench database at ``dst``.

    Returns
    -------
    PrivacyReport
    """
    target = check_target(dst, force)
    source = open_database(src)
    if Path(src).resolve() == target.resolve():
        source.close()
        raise DatabaseError("the student copy must be a new file, not the database it is made from")
    p = Pseudonymiser(key if key is not None else secrets.token_bytes(32))
    try:
        with atomic_database(target, force) as tmp:
            source.execute("VACUUM INTO ?", (tmp,))  # into the empty temporary file
            source.close()
            conn = sqlite3.connect(tmp, isolation_level=None)
            try:
                conn.execute("PRAGMA secure_delete = ON")
                conn.execute("BEGIN")
                counts = _pseudonymise(conn, p)
                counts.update(_remove_truth(conn))
                kind = database_meta(conn).get("kind", "")
                conn.execute("UPDATE crm_meta SET value = 'student_copy' WHERE key = 'kind'")
                conn.executemany(
                    "INSERT OR REPLACE INTO crm_meta (key, value) VALUES (?, ?)",
                    [
                        ("copied_from_kind", str(kind)),
                        ("pseudonymised", json.dumps(list(PERSONAL_FIELDS))),
                        ("hidden_truth_removed", "true"),
                    ],
                )
                conn.execute("COMMIT")
                conn.execute("VACUUM")
                check_integrity(conn)
            finally:
                conn.close()
    finally:
        source.close()
    return PrivacyReport(
        target,
        counts["contacts"],
        counts["raw_cells"],
        counts["truth_rows"],
        counts["hidden_events"],
        counts["silent_complaints"],
        key is None,
    )


def _pseudonymise(conn: sqlite3.Connection, p: Pseudonymiser) -> dict:
    cols = ["customer_id", *PERSONAL_FIELDS]
    rows = conn.execute(f"SELECT {', '.join(cols)} FROM customer_contacts").fetchall()
    new = [(*(p.value(f, v) for f, v in zip(PERSONAL_FIELDS, r[1:])), r[0]) for r in rows]
    for k, f in enumerate(("mobile", "email"), start=2):
        got = [n[k] for n in new if n[k] is not None]
        if len(set(got)) != len(got):
            raise DatabaseError(f"two different {f} values got the same pseudonym; use another key")
    conn.execute("UPDATE customer_contacts SET mobile = NULL, email = NULL")  # free the UNIQUE values
    conn.executemany(
        f"UPDATE customer_contacts SET {', '.join(f'{f} = ?' for f in PERSONAL_FIELDS)} WHERE customer_id = ?", new
    )
    raw_cells = 0
    rejects = conn.execute("SELECT reject_id, raw FROM rejects").fetchall()
    updates = []
    for rid, raw in rejects:
        cells = json.loads(raw)
        for col, field in _RAW_NAMES.items():
            if col in cells and cells[col] != "":
                cells[col] = p.raw(field, cells[col])
                raw_cells += 1
        updates.append((json.dumps(cells, ensure_ascii=False), rid))
    conn.executemany("UPDATE rejects SET raw = ? WHERE reject_id = ?", updates)
    issues = conn.execute("SELECT issue_id, column_name, raw_value FROM import_issues").fetchall()
    upd = [(p.raw(_RAW_NAMES[c], v), i) for i, c, v in issues if c in _RAW_NAMES]
    conn.executemany("UPDATE import_issues SET raw_value = ? WHERE issue_id = ?", upd)
    return {"contacts": len(rows), "raw_cells": raw_cells + len(upd)}


def _remove_truth(conn: sqlite3.Connection) -> dict:
    truth = conn.execute("DELETE FROM customer_truth").rowcount
    marks = ", ".join("?" * len(HIDDEN_EVENTS))
    hidden = conn.execute(f"DELETE FROM interactions WHERE event_type IN ({marks})", HIDDEN_EVENTS).rowcount
    silent = 0
    if "voiced" in _columns(conn, "complaints"):
        silent = conn.execute("DELETE FROM complaints WHERE voiced = 0").rowcount
    kept = conn.execute(
        "SELECT * FROM crm_frames WHERE frame <> 'truth' AND db_table <> 'customer_truth' ORDER BY frame, position"
    ).fetchall()
    conn.execute("DELETE FROM crm_frames")
    position: dict[str, int] = {}
    for row in kept:  # renumber the columns that are left
        position[row[0]] = position.get(row[0], -1) + 1
        conn.execute("INSERT INTO crm_frames VALUES (?, ?, ?, ?, ?, ?, ?)", (row[0], position[row[0]], *row[2:]))
    return {"truth_rows": truth, "hidden_events": hidden, "silent_complaints": silent}


def privacy_checklist(path) -> pd.DataFrame:
    """The course's privacy and security points, checked on one database.

    Returns
    -------
    DataFrame with ``point`` (English), ``要点`` (Chinese), ``ok`` (bool) and ``detail``.
    On the firm's own database the pseudonymisation and truth rows are expected to fail: it
    is the internal system; the student copy is what may be shared.
    """
    conn = open_database(path)
    try:
        meta = database_meta(conn)
        n_contacts = conn.execute("SELECT COUNT(*) FROM customer_contacts").fetchone()[0]
        pseudo = conn.execute(
            "SELECT COUNT(*) FROM customer_contacts WHERE email LIKE '%@pseudonym.example' OR name_zh LIKE '客户%'"
        ).fetchone()[0]
        masked_full = conn.execute(
            "SELECT COUNT(*) FROM v_contacts_masked WHERE mobile NOT LIKE '___****____'"
        ).fetchone()[0]
        truth = conn.execute("SELECT COUNT(*) FROM customer_truth").fetchone()[0]
        fk = conn.execute("PRAGMA foreign_key_check").fetchall()
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()
    rows = [
        (
            "Personal data is identified",
            "识别个人信息",
            True,
            f"personal fields in customer_contacts: {', '.join(PERSONAL_FIELDS)} ({n_contacts:,} customers)",
        ),
        (
            "Staff see masked values (need to know)",
            "按需访问：员工只看脱敏数据",
            masked_full == 0,
            "view v_contacts_masked shows mobile numbers as 138****5678",
        ),
        (
            "Copies shared for study are pseudonymised",
            "用于教学的副本已假名化",
            meta.get("kind") == "student_copy" and pseudo == n_contacts,
            f"{pseudo:,} of {n_contacts:,} contacts carry pseudonyms (kind: {meta.get('kind')})",
        ),
        (
            "Data minimisation: hidden truth removed",
            "数据最小化：已删除隐藏真值",
            truth == 0,
            f"{truth:,} rows in customer_truth",
        ),
        ("Integrity: the file is not damaged", "完整性：文件未损坏", ok == "ok", f"PRAGMA integrity_check: {ok}"),
        (
            "Integrity: every reference points to a row",
            "完整性：每个引用都指向存在的记录",
            not fk,
            f"PRAGMA foreign_key_check: {len(fk)} problem(s)",
        ),
    ]
    return pd.DataFrame(rows, columns=["point", "要点", "ok", "detail"])
