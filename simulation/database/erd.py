"""The entity-relationship diagram of the customer database, generated from the schema.

Mermaid ``erDiagram`` text, which GitHub, GitLab and JupyterLab (with a Mermaid renderer)
draw as a diagram. It is generated from :data:`simulation.database.schema.TABLES`, so it
cannot drift from the database; ``datasets/erd.md`` holds the full diagram (a test checks it).

Relationship marks: ``||--o{`` one parent, zero or more children; ``|o--o{`` the reference
may be empty; ``||--o|`` one-to-one (the child's key is the parent's key).
"""

from __future__ import annotations

from .schema import TABLES, Table

__all__ = ["erd_mermaid", "erd_markdown"]


def _relations(t: Table) -> list[tuple[str, str, str]]:
    out = []
    for c in t.cols:
        if not c.ref:
            continue
        parent = c.ref.split("(")[0]
        if t.pk == (c.name,):
            rel = "||--o|"
        elif c.not_null or c.name in t.pk:
            rel = "||--o{"
        else:
            rel = "|o--o{"
        out.append((parent, rel, c.name))
    return out


def erd_mermaid(*, columns: bool = True, groups: tuple[str, ...] = ("firm", "truth", "import")) -> str:
    """The diagram as Mermaid text.

    Parameters
    ----------
    columns : bool
        List every column with its type and key marks (PK, FK, UK); False draws the tables
        and relationships only (the compact diagram of the README).
    groups : tuple of str
        Table groups to draw: ``firm``, ``truth`` (hidden truth), ``import`` (cleaning
        tables), ``meta`` (the database's own description).
    """
    tables = [t for t in TABLES if t.group in groups]
    names = {t.name for t in tables}
    lines = ["erDiagram"]
    for t in tables:
        if not columns:
            continue
        lines.append(f"    {t.name} {{")
        for c in t.cols:
            marks = [m for m, on in (("PK", c.name in t.pk), ("FK", bool(c.ref)), ("UK", c.unique)) if on]
            lines.append(f"        {c.sql} {c.name}{' ' + ', '.join(marks) if marks else ''}")
        lines.append("    }")
    for t in tables:
        for parent, rel, col in _relations(t):
            if parent in names:
                lines.append(f'    {parent} {rel} {t.name} : "{col}"')
    return "\n".join(lines) + "\n"


def erd_markdown() -> str:
    """The content of ``datasets/erd.md``: a short text and the full diagram."""
    return (
        "# The customer database: entity-relationship diagram\n\n"
        "Generated from `simulation/database/schema.py` by `python -m simulation db-schema --format erd`;\n"
        "do not edit by hand. Every column is documented, in English and Chinese, in\n"
        "`database_schema.csv` beside this file. The tables `crm_meta` and `crm_frames` (what the\n"
        "file is and how to read it back into pandas) are left out of the drawing.\n\n"
        "```mermaid\n" + erd_mermaid() + "```\n"
    )
