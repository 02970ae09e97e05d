"""Documentation of the customer database, generated from the schema.

:func:`schema_frame` lists every table, column and view with its SQL type, its constraints and
its meaning in English and Chinese; :func:`schema_csv` is the same as CSV text, the content of
``datasets/database_schema.csv`` beside the data dictionary (regenerate it with
``python -m simulation db-schema > datasets/database_schema.csv``).
"""

from __future__ import annotations

from ..common.dictionary import COLUMNS as _DICTIONARY
from .columns import Col, Table
from .schema import TABLES, VIEWS, table

__all__ = ["dictionary_extras", "schema_frame", "schema_csv"]

_SQL_OF = {
    "int64": ("INTEGER", "int"),
    "float64": ("REAL", "float"),
    "bool": ("INTEGER", "bool"),
    "category": ("TEXT", "category"),
    "str": ("TEXT", "str"),
    "date": ("TEXT", "date"),
}


def dictionary_extras() -> dict[str, list[Col]]:
    """Columns of the model's tables that the data dictionary documents but :data:`TABLES` does
    not list; an export stores them as extra columns of the table's first database table."""
    from .frames import FRAMES

    out: dict[str, list[Col]] = {}
    for frame, spec in FRAMES.items():
        known = {
            c.derive[1] if c.derive[:1] == ("split",) else c.source for t in spec.tables for c in table(t).cols
        } | set(spec.lookups)
        for t, c, typ, _unit, en, zh in _DICTIONARY:
            if t == frame and c not in known:
                sql, kind = _SQL_OF.get(typ, ("TEXT", "datetime") if typ.startswith("datetime") else ("TEXT", "str"))
                out.setdefault(spec.tables[0], []).append(Col(c, sql, kind, en, zh))
    return out


def schema_frame(extra: dict[str, list[Col]] | None = None):
    """The schema documentation: one row per table column and view.

    Columns: ``table, column, type, constraint, meaning_en, meaning_zh`` — the content of
    ``datasets/database_schema.csv``. A table's first row (column ``*``) describes the table;
    views are listed with type ``VIEW``. Columns documented only in the data dictionary
    (:func:`dictionary_extras`) are listed after the table's own, with the constraint
    ``stored as in the model's table``.
    """
    import pandas as pd

    rows = []
    extra = dictionary_extras() if extra is None else extra
    for t in TABLES:
        rows.append((t.name, "*", "TABLE", _table_constraints(t), t.en, t.zh))
        for c in t.cols:
            rows.append((t.name, c.name, c.sql, c.constraint_text(t.pk), c.en, c.zh))
        for c in extra.get(t.name, []):
            note = "; ".join(
                ["stored as in the model's table"] + (["CHECK (one of its labels)"] if c.kind == "category" else [])
            )
            rows.append((t.name, c.name, c.sql, note, c.en, c.zh))
    for v in VIEWS:
        rows.append((v.name, "*", "VIEW", "", v.en, v.zh))
    return pd.DataFrame(rows, columns=["table", "column", "type", "constraint", "meaning_en", "meaning_zh"])


def _table_constraints(t: Table) -> str:
    parts = [f"PRIMARY KEY ({', '.join(t.pk)})"]
    parts += [f"UNIQUE ({', '.join(u)})" for u in t.unique]
    parts += [f"CHECK ({chk})" for chk in t.checks]
    parts += [f"INDEX ({', '.join(i)})" for i in t.indexes]
    return "; ".join(parts)


def schema_csv() -> str:
    """The schema documentation as CSV text (``datasets/database_schema.csv``)."""
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    df = schema_frame()
    w.writerow(df.columns)
    w.writerows(df.itertuples(index=False, name=None))
    return buf.getvalue()
