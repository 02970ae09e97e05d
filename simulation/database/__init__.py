"""The customer database (course module 3): the firm's records as a real SQLite database.

- :func:`export_result`, :func:`export_dataset` — write a normalised database with primary and
  foreign keys, CHECK constraints, indexes and views (:mod:`.schema`, :mod:`.views`), atomically;
- :func:`open_database`, :func:`read_table`, :func:`load_database` — open one safely (its
  application id is checked) and read tables back with their exact pandas dtypes;
- :func:`import_dirty` — clean, deduplicate and load the dirty CRM export, quarantining what it
  cannot accept in ``rejects`` (:mod:`.normalise`, :mod:`.dedup`, :mod:`.importer`);
- :func:`student_copy`, :func:`privacy_checklist` — pseudonymised copy and the privacy points;
- :func:`run_query`, :func:`list_queries`, :func:`query_sql` — the module-3 questions in SQL;
- :func:`schema_frame`, :func:`erd_mermaid` — the schema's documentation and diagram.
"""

from .docs import schema_csv, schema_frame
from .erd import erd_markdown, erd_mermaid
from .export import (
    ExportReport,
    database_meta,
    export_dataset,
    export_result,
    load_database,
    open_database,
    write_database,
)
from .frames import FRAMES, DatabaseError, read_table
from .importer import ImportReport, import_dirty, read_raw
from .privacy import PrivacyReport, Pseudonymiser, privacy_checklist, student_copy
from .queries import QUERIES, list_queries, query_sql, run_query
from .schema import TABLES

__all__ = [
    "DatabaseError",
    "ExportReport",
    "FRAMES",
    "ImportReport",
    "PrivacyReport",
    "Pseudonymiser",
    "QUERIES",
    "TABLES",
    "database_meta",
    "erd_markdown",
    "erd_mermaid",
    "export_dataset",
    "export_result",
    "import_dirty",
    "list_queries",
    "load_database",
    "open_database",
    "privacy_checklist",
    "query_sql",
    "read_raw",
    "read_table",
    "run_query",
    "schema_csv",
    "schema_frame",
    "student_copy",
    "write_database",
]
