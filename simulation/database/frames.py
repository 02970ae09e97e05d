"""DataFrames ↔ database tables: where each column of the workbench's tables is stored.

The model's tables (and the data sets' tables) are *frames*. Writing splits a frame into the
normalised tables of :mod:`simulation.database.schema` — the model's ``customers`` table goes
to ``customers`` and ``customer_truth``, ``orders`` to ``orders`` and ``order_lines`` — and
records, in ``crm_frames``, every column's pandas dtype and where it went. Reading joins the
tables back and restores the dtypes (category labels and their order, bool, datetime unit,
int64, float64, str), so that :func:`read_table` returns a frame equal to the one written.

A column the schema does not know (added to the model later) is stored as an extra column of
the frame's first table, typed from its dtype; it round-trips like the others.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..common.checks import did_you_mean
from ..common.dates import day_timestamps
from .columns import Col, Table
from .schema import PLAN_EVENTS, TABLE_NAMES, table

__all__ = ["DatabaseError", "Frame", "FRAMES", "TablePlan", "plan_frames", "read_table", "frames_in"]


class DatabaseError(ValueError):
    """A database cannot be written, opened or read; the message says which and why."""


@dataclass(frozen=True)
class Frame:
    """How one DataFrame is stored: its tables (home first), how to join and order them."""

    name: str
    tables: tuple[str, ...]
    order_by: str
    joins: tuple[str, ...] = ()
    read: dict = field(default_factory=dict)
    lookups: dict = field(default_factory=dict)


FRAMES: dict[str, Frame] = {
    f.name: f
    for f in [
        Frame(
            "customers",
            ("customers", "customer_truth"),
            "customers.customer_id",
            ("LEFT JOIN customer_truth ON customer_truth.customer_id = customers.customer_id",),
        ),
        Frame("truth", ("customer_truth",), "customer_truth.customer_id"),
        Frame("contacts", ("customer_contacts",), "customer_contacts.customer_id"),
        Frame(
            "orders",
            ("orders", "order_lines"),
            "orders.order_id",
            (
                "JOIN order_lines ON order_lines.order_id = orders.order_id AND order_lines.line_no = 1",
                "LEFT JOIN customers ON customers.customer_id = orders.customer_id",
            ),
            lookups={"segment": ("customers", "segment", "customer_id")},
        ),
        Frame("plans", ("service_plans",), "service_plans.plan_id"),
        Frame("lifecycle", ("lifecycle_transitions",), "lifecycle_transitions.transition_id"),
        Frame(
            "events",
            ("interactions",),
            "interactions.interaction_id",
            read={"order_id": "COALESCE(interactions.order_id, interactions.plan_id)"},
        ),
        Frame("decisions", ("decisions",), "decisions.decision_id"),
        Frame("complaints", ("complaints",), "complaints.complaint_id"),
        Frame("centre_contacts", ("centre_contacts",), "centre_contacts.contact_id"),
        Frame("loyalty_ledger", ("loyalty_ledger",), "loyalty_ledger.entry_id"),
        Frame("customer_records", ("customer_records",), "customer_records.source_row"),
        Frame("rejects", ("rejects",), "rejects.reject_id"),
        Frame("import_issues", ("import_issues",), "import_issues.issue_id"),
    ]
}


@dataclass
class TablePlan:
    """The rows to insert into one table: its columns (schema + extra) and value lists."""

    table: Table
    extra: list[Col]
    values: dict[str, list]
    n: int

    def rows(self):
        cols = [c.name for c in list(self.table.cols) + self.extra]
        return cols, zip(*(self.values[c] for c in cols))


# ---------------------------------------------------------------------- values
def _iso(values, kind: str, unit: str = "s") -> list:
    """Datetimes as ISO text: ``YYYY-MM-DD`` (date) or ``YYYY-MM-DD HH:MM:SS[.fff]``."""
    arr = np.asarray(values, dtype=f"datetime64[{unit}]")
    if arr.size == 0:
        return []
    if kind == "date":
        text = np.datetime_as_string(arr.astype("datetime64[D]"), unit="D")
    else:
        whole = unit == "s" or bool((arr[~np.isnat(arr)].astype("datetime64[s]") == arr[~np.isnat(arr)]).all())
        text = np.char.replace(np.datetime_as_string(arr, unit="s" if whole else unit), "T", " ")
        if not whole:  # keep fractions of seconds only where there are any
            text = np.array([t[:19] if t[20:].strip("0") == "" else t for t in text.tolist()], dtype=object)
    out = np.asarray(text, dtype=object)
    out[np.isnat(arr)] = None
    return out.tolist()


def iso_dates(days: pd.Series, start_date: str) -> list:
    """Day numbers as ISO date strings for SQLite (NULL for a missing day)."""
    return _iso(day_timestamps(start_date, days.to_numpy(dtype=float)), "date")


def _values(s: pd.Series, col: Col) -> list:
    """A frame column as Python values for SQLite (NULL = None)."""
    if col.kind == "bool":
        if s.isna().any():
            return [None if m else int(bool(v)) for v, m in zip(s.astype(object).tolist(), s.isna().tolist())]
        return s.to_numpy(dtype=bool).astype(np.int64).tolist()
    if col.kind in ("date", "datetime") or pd.api.types.is_datetime64_any_dtype(s):
        unit = np.datetime_data(s.dtype)[0] if pd.api.types.is_datetime64_any_dtype(s) else "s"
        return _iso(pd.to_datetime(s).to_numpy(), col.kind if col.kind == "date" else "datetime", unit)
    if col.kind == "int":
        if s.isna().any():
            out = [None if m else int(v) for v, m in zip(s.astype(object).tolist(), s.isna().tolist())]
        else:
            out = s.to_numpy(dtype=np.int64).tolist()
    elif col.kind == "float":
        out = s.to_numpy(dtype=float).tolist()
    else:
        out = s.astype(object).where(s.notna(), None).tolist()
    if col.null is not None:
        out = [None if v == col.null else v for v in out]
    return out


def _extra_col(frame: str, name: str, s: pd.Series) -> Col:
    """A schema column for a frame column the schema does not know, typed from its dtype."""
    from .schema import MEANINGS

    en, zh = MEANINGS.get((frame, name), (f"{name} (from the {frame} table)", f"{name}（来自 {frame} 表）"))
    if isinstance(s.dtype, pd.CategoricalDtype):
        return Col(name, "TEXT", "category", en, zh, levels=tuple(str(v) for v in s.cat.categories))
    if pd.api.types.is_bool_dtype(s):
        return Col(name, "INTEGER", "bool", en, zh)
    if pd.api.types.is_integer_dtype(s):
        return Col(name, "INTEGER", "int", en, zh)
    if pd.api.types.is_float_dtype(s):
        return Col(name, "REAL", "float", en, zh)
    if pd.api.types.is_datetime64_any_dtype(s):
        return Col(name, "TEXT", "datetime", en, zh)
    return Col(name, "TEXT", "str", en, zh)


def _dtype_row(s: pd.Series) -> tuple[str, str | None]:
    if isinstance(s.dtype, pd.CategoricalDtype):
        cats = {
            "labels": [str(v) for v in s.cat.categories],
            "ordered": bool(s.cat.ordered),
            "dtype": str(s.cat.categories.dtype),
        }
        return "category", json.dumps(cats, ensure_ascii=False)
    return str(s.dtype), None


# ---------------------------------------------------------------------- writing
def plan_frames(frames: dict[str, pd.DataFrame], start_date: str) -> tuple[dict[str, TablePlan], list[tuple]]:
    """Split ``frames`` into table plans and the ``crm_frames`` rows describing them.

    Raises
    ------
    DatabaseError
        For a frame the database has no place for, or a denormalised column (``orders.segment``)
        that disagrees with the table it is looked up in.
    """
    plans: dict[str, TablePlan] = {}
    meta: list[tuple] = []
    for name, df in frames.items():
        if name not in FRAMES:
            tip = did_you_mean(name, list(FRAMES))
            raise DatabaseError(
                f"the database has no place for a table called {name!r}{tip} (tables: {', '.join(FRAMES)})"
            )
        if not isinstance(df, pd.DataFrame):
            raise DatabaseError(f"table {name!r} must be a pandas DataFrame; got {type(df).__name__}")
        spec = FRAMES[name]
        tables = [table(t) for t in spec.tables]
        placed: dict[str, tuple[str, str]] = {}
        for t in tables:
            for c in t.cols:
                if not c.derive and c.source in df.columns and c.source not in placed:
                    placed[c.source] = (t.name, c.name)
                elif c.derive[:1] == ("split",) and c.derive[1] in df.columns:
                    placed.setdefault(c.derive[1], (t.name, c.name))
        for col, (t_name, db_col, _key) in spec.lookups.items():
            if col in df.columns:
                placed[col] = (t_name, db_col)
        home = tables[0]
        extra = [_extra_col(name, c, df[c]) for c in df.columns if c not in placed]
        for c in extra:
            placed[c.name] = (home.name, c.name)
        for pos, col in enumerate(df.columns):
            dtype, cats = _dtype_row(df[col])
            meta.append((name, pos, str(col), dtype, cats, *placed[col]))
        keys = set(home.pk) | {c.source for t in tables for c in t.cols if c.name in t.pk}
        for t in tables:
            own = [c for c, (tn, _) in placed.items() if tn == t.name and c not in keys]
            if not own:
                continue
            if t.name in plans:
                raise DatabaseError(
                    f"table {t.name!r} would be filled twice (from {name!r} and another table); "
                    "give the hidden truth either inside customers or as truth, not both"
                )
            plans[t.name] = _table_plan(t, extra if t is home else [], df, start_date)
    _check_lookups(frames, plans)
    return plans, meta


def _table_plan(t: Table, extra: list[Col], df: pd.DataFrame, start_date: str) -> TablePlan:
    n = len(df)
    values: dict[str, list] = {}
    for c in list(t.cols) + extra:
        how = c.derive[:1]
        if how == ("rownum",):
            values[c.name] = list(range(1, n + 1))
        elif how == ("one",):
            values[c.name] = [1] * n
        elif how == ("date",):
            values[c.name] = iso_dates(df[c.derive[1]], start_date) if c.derive[1] in df else [None] * n
        elif how == ("split",):
            ids = _values(df[c.derive[1]], Col(c.name, "INTEGER", "int", null=-1))
            is_plan = df["event_type"].astype(str).isin(PLAN_EVENTS).to_numpy()
            keep = is_plan if c.derive[2] == "plan" else ~is_plan
            values[c.name] = [v if k else None for v, k in zip(ids, keep.tolist())]
        elif c.source in df.columns:
            values[c.name] = _values(df[c.source], c)
        else:
            values[c.name] = [None] * n
    return TablePlan(t, extra, values, n)


def _check_lookups(frames: dict[str, pd.DataFrame], plans: dict[str, TablePlan]) -> None:
    """A denormalised column must equal the value it is looked up from (nothing is lost)."""
    for name, df in frames.items():
        for col, (t_name, db_col, key) in FRAMES[name].lookups.items():
            if col not in df.columns:
                continue
            if t_name not in plans:
                raise DatabaseError(f"{name}.{col} is stored through {t_name}.{db_col}; give the {t_name} table too")
            p = plans[t_name]
            ref = pd.Series(p.values[db_col], index=p.values[key])
            got = df[key].map(ref)
            bad = got.isna().to_numpy() | (got.astype(str).to_numpy() != df[col].astype(str).to_numpy())
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise DatabaseError(
                    f"{name}.{col} of row {i} ({df[col].iloc[i]!r}) differs from {t_name}.{db_col} "
                    f"of {key} {df[key].iloc[i]} ({got.iloc[i]!r}); the database stores it once"
                )


# ---------------------------------------------------------------------- reading
def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _columns(conn: sqlite3.Connection, t: str) -> set[str]:
    return {r[1] for r in conn.execute(f"PRAGMA table_info({_q(t)})")}


def frames_in(conn: sqlite3.Connection) -> list[str]:
    """Names of the frames stored in the database (in the order of :data:`FRAMES`)."""
    have = {r[0] for r in conn.execute("SELECT DISTINCT frame FROM crm_frames")}
    return [f for f in FRAMES if f in have]


def read_table(conn: sqlite3.Connection, name: str) -> pd.DataFrame:
    """A table of the database as a DataFrame with its exact pandas dtypes.

    Parameters
    ----------
    conn : sqlite3.Connection
        An open workbench database (see :func:`simulation.database.open_database`).
    name : str
        A frame that was written (``customers``, ``orders``, ``events`` … — joined back from
        the normalised tables, columns and dtypes exactly as written), or any table of the
        schema (``order_lines``, ``rejects`` …, typed from the schema).

    Raises
    ------
    DatabaseError
        For an unknown table, or a database whose ``crm_frames`` names columns it does not have.
    """
    rows = conn.execute(
        "SELECT column_name, dtype, categories, db_table, db_column FROM crm_frames WHERE frame = ? ORDER BY position",
        (name,),
    ).fetchall()
    if rows and name in FRAMES:
        return _read_frame(conn, FRAMES[name], rows)
    if name in TABLE_NAMES:
        return _read_schema_table(conn, table(name))
    options = frames_in(conn) + [t for t in TABLE_NAMES if t not in FRAMES]
    tip = did_you_mean(name, options)
    raise DatabaseError(f"the database has no table {name!r}{tip} (tables: {', '.join(options)})")


def _read_frame(conn, spec: Frame, rows) -> pd.DataFrame:
    allowed = set(spec.tables) | {t for t, _c, _k in spec.lookups.values()}
    exprs = []
    cols = {}
    for col, _dtype, _cats, t_name, db_col in rows:
        if col in spec.read:
            exprs.append(spec.read[col])
            continue
        if t_name not in allowed:
            raise DatabaseError(
                f"crm_frames places {spec.name}.{col} in table {t_name!r}, which does not belong "
                f"to {spec.name}; the file was not written by this workbench"
            )
        if t_name not in cols:
            cols[t_name] = _columns(conn, t_name)
        if db_col not in cols[t_name]:
            raise DatabaseError(f"crm_frames places {spec.name}.{col} in {t_name}.{db_col}, which does not exist")
        exprs.append(f"{_q(t_name)}.{_q(db_col)}")
    select = ", ".join(f"{e} AS {_q(r[0])}" for e, r in zip(exprs, rows))
    sql = f"SELECT {select} FROM {spec.tables[0]} {' '.join(spec.joins)} ORDER BY {spec.order_by}"
    df = pd.read_sql_query(sql, conn)
    out = {}
    for col, dtype, cats, t_name, db_col in rows:
        spec_col = _schema_col(t_name, db_col)
        out[col] = _restore(df[col], dtype, cats, spec_col.null if spec_col else None, f"{spec.name}.{col}")
    return pd.DataFrame(out, index=pd.RangeIndex(len(df)))


def _schema_col(t_name: str, db_col: str) -> Col | None:
    try:
        return table(t_name).col(db_col)
    except KeyError:
        return None


def _restore(s: pd.Series, dtype: str, cats: str | None, null, what: str) -> pd.Series:
    """A column read from SQLite, converted back to the dtype it was written with."""
    if null is not None:
        s = s.astype(object).where(s.notna(), null)
    if dtype == "category":
        c = json.loads(cats)
        labels = pd.Index(c["labels"], dtype="str").astype(c.get("dtype", "str"))
        values = s.astype(object).where(s.notna(), None)
        if labels.dtype != "str":
            values = pd.Series(values).map(dict(zip(labels.astype("str"), labels)))
        return pd.Series(pd.Categorical(values, categories=labels, ordered=c["ordered"]))
    if dtype.startswith("datetime64"):
        return pd.Series(pd.to_datetime(s, format="ISO8601")).astype(dtype)
    if dtype in ("bool", "int64", "int32") and s.isna().any():
        raise DatabaseError(f"{what} has empty values but was written as {dtype}; the file was changed")
    if dtype == "bool":
        return s.astype("int64").astype(bool)
    if dtype == "str":
        return s.astype("str")
    return s.astype(dtype)


def _read_schema_table(conn, t: Table) -> pd.DataFrame:
    df = pd.read_sql_query(f"SELECT * FROM {t.name} ORDER BY {', '.join(t.pk)}", conn)
    for c in t.cols:
        if c.name not in df.columns:
            continue
        s = df[c.name]
        if c.kind == "category":
            df[c.name] = pd.Categorical(s.astype(object).where(s.notna(), None), categories=list(c.levels))
        elif c.kind == "bool":
            df[c.name] = s.astype("boolean") if s.isna().any() else s.astype(bool)
        elif c.kind == "int":
            df[c.name] = s.astype("Int64") if s.isna().any() else s.astype("int64")
        elif c.kind == "float":
            df[c.name] = s.astype("float64")
        elif c.kind in ("date", "datetime"):
            df[c.name] = pd.to_datetime(s, format="ISO8601").astype(
                "datetime64[s]" if c.kind == "date" else "datetime64[ms]"
            )
        else:
            df[c.name] = s.astype("str")
    return df
