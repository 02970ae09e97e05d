"""Building blocks of the database schema: a column, a table, SQL literals.

:class:`Col` and :class:`Table` describe the database declaratively; :mod:`simulation.database.schema`
lists the tables and turns them into DDL and documentation.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Col", "Table", "sql_literal"]


@dataclass(frozen=True)
class Col:
    """One column of a database table.

    Attributes
    ----------
    name : column name in the database.
    sql : ``INTEGER``, ``REAL`` or ``TEXT``.
    kind : how it maps to pandas: ``int``, ``float``, ``bool``, ``category``, ``datetime``
        (ISO date-time text), ``date`` (ISO date text), ``str``.
    check : a CHECK expression (in SQL), besides the enumeration of ``levels``.
    levels : allowed labels of a category column.
    ref : ``table(column)`` this column references (a foreign key).
    null : the DataFrame value stored as NULL (``-1`` for "none" codes, ``""`` for empty text).
    derive : how an export computes a column that is not in the DataFrame: ``("date", col)``
        (ISO date of a day column), ``("rownum",)``, ``("one",)``, ``("split", col, kind)``.
    frame_col : name of the DataFrame column when it differs from ``name``.
    """

    name: str
    sql: str
    kind: str
    en: str = ""
    zh: str = ""
    check: str = ""
    levels: tuple[str, ...] = ()
    not_null: bool = False
    unique: bool = False
    ref: str = ""
    null: object = None
    derive: tuple = ()
    frame_col: str = ""

    @property
    def source(self) -> str:
        """The DataFrame column this one is written from."""
        return self.frame_col or self.name

    def constraint_text(self, pk: tuple[str, ...]) -> str:
        """Constraints of the column in words-and-SQL, for the schema documentation."""
        parts = []
        if self.name in pk:
            parts.append("PRIMARY KEY" if len(pk) == 1 else "PRIMARY KEY (part)")
        if self.not_null and self.name not in pk:
            parts.append("NOT NULL")
        if self.unique:
            parts.append("UNIQUE")
        if self.ref:
            parts.append(f"FOREIGN KEY → {self.ref.replace('(', '.').rstrip(')')}")
        for chk in self.checks():
            parts.append(f"CHECK ({chk})")
        return "; ".join(parts)

    def checks(self) -> list[str]:
        """The CHECK expressions of the column."""
        out = []
        if self.levels:
            out.append(f"{self.name} IN ({', '.join(sql_literal(v) for v in self.levels)})")
        if self.kind == "bool":
            out.append(f"{self.name} IN (0, 1)")
        if self.kind == "date":
            out.append(f"{self.name} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'")
        if self.kind == "datetime":
            out.append(
                f"{self.name} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-5][0-9]*'"
            )
        if self.check:
            out.append(self.check)
        return out

    def ddl(self, pk: tuple[str, ...]) -> str:
        text = f"{self.name} {self.sql}"
        if self.not_null or self.name in pk:
            text += " NOT NULL"
        if self.unique:
            text += " UNIQUE"
        for chk in self.checks():
            text += f" CHECK ({chk})"
        if self.ref:
            text += f" REFERENCES {self.ref}"
        return text


@dataclass(frozen=True)
class Table:
    """One database table: its columns, keys, indexes and bilingual description."""

    name: str
    en: str
    zh: str
    cols: tuple[Col, ...]
    pk: tuple[str, ...]
    checks: tuple[str, ...] = ()
    unique: tuple[tuple[str, ...], ...] = ()
    indexes: tuple[tuple[str, ...], ...] = ()
    group: str = "firm"

    def col(self, name: str) -> Col:
        for c in self.cols:
            if c.name == name:
                return c
        raise KeyError(f"table {self.name!r} has no column {name!r}")

    @property
    def col_names(self) -> list[str]:
        return [c.name for c in self.cols]


def sql_literal(v) -> str:
    """``v`` as an SQL literal (text quoted with doubled single quotes)."""
    if isinstance(v, str):
        return "'" + v.replace("'", "''") + "'"
    return str(v)
