"""Writing data-set tables as deterministic gzip CSV, and reading them back with validation.

Writing is byte-for-byte reproducible: every cell is formatted by this module (not by pandas'
version-dependent ``to_csv``), lines end in ``\\n``, the text is UTF-8 without a byte-order
mark, and the gzip header carries no file name and a zero timestamp.

Reading (:func:`load_table`) checks the header against the table's schema and parses every
column to its type; the first bad cell stops it with a message that names the file, the row
and the column. Rows are counted from the first line after the header (row 1 is line 2).

A file is first read by pyarrow's CSV reader with the schema's types, in C: only the exact
forms this module writes are accepted (whole numbers, decimal numbers, ``True``/``False``,
``YYYY-MM-DD[ HH:MM:SS]``, the category's levels; an empty cell is missing). If anything does
not parse, the file goes through the cell-by-cell check, which finds the first bad cell and
names it. Both paths give the same table for a good file (a test holds them equal).
"""

from __future__ import annotations

import csv
import gzip
import io
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from .file_schema import LEVELS, Column, DatasetError, schema

__all__ = ["table_text", "gzip_bytes", "write_table", "load_table", "read_cells"]

_INT = r"-?\d+"
_FLOAT = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_DATETIME = r"\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}:\d{2})?"
_DATE = r"\d{4}-\d{2}-\d{2}"


# ---------------------------------------------------------------------- writing
def _format(values: pd.Series, col: Column) -> list[str]:
    """The cells of one column as text (see the table in :mod:`simulation.data.file_schema`)."""
    t = col.type
    if t == "float64":
        x = np.round(values.to_numpy(dtype=float), col.decimals)
        x[x == 0] = 0.0  # no "-0.00"
        fmt = f"{{:.{col.decimals}f}}"
        return ["" if v != v else fmt.format(v) for v in x.tolist()]
    if t == "int64":
        return [str(v) for v in values.to_numpy(dtype=np.int64).tolist()]
    if t == "bool":
        return ["True" if v else "False" for v in values.to_numpy(dtype=bool).tolist()]
    if t.startswith("datetime64") or t == "date":
        fmt = "%Y-%m-%d" if t == "date" else "%Y-%m-%d %H:%M:%S"
        return pd.to_datetime(values).dt.strftime(fmt).fillna("").tolist()
    return ["" if pd.isna(v) else str(v) for v in values.tolist()]


def table_text(df: pd.DataFrame, table: str) -> bytes:
    """The UTF-8 CSV text of ``df`` as the table ``table`` (columns checked against the schema).

    Raises
    ------
    DatasetError
        If the columns of ``df`` are not exactly the schema's, in its order.
    """
    cols = schema(table)
    names = [c.name for c in cols]
    if list(df.columns) != names:
        missing = [n for n in names if n not in df.columns]
        extra = [n for n in df.columns if n not in names]
        raise DatasetError(
            f"cannot write table {table!r}: columns differ from the data dictionary "
            f"(missing: {missing or 'none'}; not documented: {extra or 'none'}); "
            "document new columns in simulation/dictionary.py"
        )
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(names)
    w.writerows(zip(*(_format(df[c.name], c) for c in cols)))
    return buf.getvalue().encode("utf-8")


def gzip_bytes(data: bytes) -> bytes:
    """``data`` gzip-compressed at level 9 with an empty file name and a zero timestamp."""
    out = io.BytesIO()
    with gzip.GzipFile(filename="", fileobj=out, mode="wb", compresslevel=9, mtime=0) as gz:
        gz.write(data)
    return out.getvalue()


def write_table(df: pd.DataFrame, path: str | Path, table: str) -> bytes:
    """Write ``df`` to ``path`` (gzip when the name ends in ``.gz``); returns the CSV text."""
    text = table_text(df, table)
    path = Path(path)
    path.write_bytes(gzip_bytes(text) if path.name.endswith(".gz") else text)
    return text


# ---------------------------------------------------------------------- reading
def read_cells(path: str | Path, *, label: str | None = None) -> tuple[list[str], list[list[str]]]:
    """The header and the rows of a (gzip) CSV file, as text, with the field count checked.

    Raises
    ------
    DatasetError
        If the file is missing, not gzip or not UTF-8, empty, or a row has the wrong number
        of fields.
    """
    path = Path(path)
    label = label or str(path)
    if not path.is_file():
        raise DatasetError(f"{label}: file not found")
    try:
        raw = path.read_bytes()
        if path.name.endswith(".gz") or raw[:2] == b"\x1f\x8b":  # by name or by magic bytes
            raw = gzip.decompress(raw)
        text = raw.decode("utf-8")
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise DatasetError(f"{label}: cannot decompress ({exc}); is it a gzip file?") from None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DatasetError(f"{label}, line {line}: not UTF-8 text ({exc.reason})") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise DatasetError(f"{label}: not valid CSV ({exc})") from None
    if not rows or not any(rows[0]):
        raise DatasetError(f"{label}: the file is empty (expected a header line)")
    header, body = rows[0], rows[1:]
    if body and body[-1] == []:
        body.pop()
    for i, row in enumerate(body, start=1):
        if len(row) != len(header):
            raise DatasetError(f"{label}, row {i}: expected {len(header)} fields like the header, got {len(row)}")
    return header, body


def _check_header(header: list[str], cols: list[Column], label: str) -> None:
    names = [c.name for c in cols]
    seen = set()
    for h in header:
        if h in seen:
            raise DatasetError(f"{label}: column {h!r} appears twice in the header")
        seen.add(h)
    missing = [n for n in names if n not in seen]
    extra = [h for h in header if h not in names]
    if missing or extra:
        parts = []
        if missing:
            parts.append("missing column" + ("s " if len(missing) > 1 else " ") + ", ".join(map(repr, missing)))
        if extra:
            parts.append("unexpected column" + ("s " if len(extra) > 1 else " ") + ", ".join(map(repr, extra)))
        raise DatasetError(f"{label}: {'; '.join(parts)} (expected: {', '.join(names)})")


def _fail(label: str, s: pd.Series, bad: pd.Series, col: str, what: str):
    i = int(np.flatnonzero(bad.to_numpy())[0])
    raise DatasetError(f"{label}, row {i + 1}, column {col!r}: expected {what}, got {s.iloc[i]!r}")


def _parse(s: pd.Series, col: Column, table: str, label: str) -> pd.Series:
    t = col.type
    empty = s == ""
    if t == "int64":
        _ok = s.str.fullmatch(_INT)
        if not _ok.all():
            _fail(label, s, ~_ok, col.name, "a whole number")
        return s.astype(np.int64)
    if t == "float64":
        bad = ~empty & ~s.str.fullmatch(_FLOAT)
        if bad.any():
            _fail(label, s, bad, col.name, "a number (or an empty cell)")
        return pd.Series(np.where(empty, "nan", s), index=s.index).astype(float)
    if t == "bool":
        low = s.str.lower()
        bad = ~low.isin(["true", "false"])
        if bad.any():
            _fail(label, s, bad, col.name, "True or False")
        return low == "true"
    if t.startswith("datetime64") or t == "date":
        pattern, what = (_DATE, "a date YYYY-MM-DD") if t == "date" else (_DATETIME, "a date-time YYYY-MM-DD HH:MM:SS")
        bad = ~empty & ~s.str.fullmatch(pattern)
        if bad.any():
            _fail(label, s, bad, col.name, f"{what} (or an empty cell)")
        full = s.where(empty | (s.str.len() > 10), s + " 00:00:00")
        out = pd.to_datetime(full.where(~empty, None), format="%Y-%m-%d %H:%M:%S", errors="coerce")
        bad = ~empty & out.isna()
        if bad.any():
            _fail(label, s, bad, col.name, "a real calendar date")
        return out.astype(t if t.startswith("datetime64") else "datetime64[s]")
    if t == "category":
        levels = LEVELS.get((table, col.name))
        if levels is None:
            levels = tuple(sorted(set(s[~empty])))
        bad = ~empty & ~s.isin(levels)
        if bad.any():
            _fail(label, s, bad, col.name, f"one of {', '.join(levels)} (or an empty cell)")
        return pd.Series(pd.Categorical(s.where(~empty, None), categories=list(levels)), index=s.index)
    return s


def _fast_table(path: Path, table: str, cols: list[Column]) -> pd.DataFrame | None:
    """The table read by pyarrow (text in C, checked with the same patterns), or ``None``.

    ``None`` means some cell is not in the exact form the writer uses; the caller then runs
    the cell-by-cell check, which names that cell.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyarrow import csv as pacsv

    names = [c.name for c in cols]
    try:
        with pa.input_stream(str(path), compression="gzip" if path.name.endswith(".gz") else None) as f:
            data = pacsv.read_csv(
                f,
                read_options=pacsv.ReadOptions(use_threads=True, encoding="utf8"),
                convert_options=pacsv.ConvertOptions(
                    column_types={n: pa.string() for n in names},
                    include_columns=names,
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
    except (pa.ArrowInvalid, pa.ArrowKeyError, OSError, UnicodeError):
        return None

    def full(a, pattern: str, empty_ok: bool) -> bool:
        """Whether every cell is exactly ``pattern`` (or empty, if ``empty_ok``)."""
        if not len(a):
            return True
        return bool(pc.all(pc.match_substring_regex(a, f"^(?:{pattern}){'?' if empty_ok else ''}$")).as_py())

    def empty_as_null(a):
        empty = pc.equal(a, "")
        return pc.if_else(empty, pa.scalar(None, a.type), a) if pc.any(empty).as_py() else a

    out = {}
    for c in cols:
        a = data.column(c.name).combine_chunks()
        t = c.type
        if t == "int64":
            if not full(a, _INT, False):
                return None
            out[c.name] = pc.cast(a, pa.int64()).to_numpy()
        elif t == "float64":
            if not full(a, _FLOAT, True):
                return None
            out[c.name] = pc.cast(empty_as_null(a), pa.float64()).to_numpy(zero_copy_only=False)
        elif t == "bool":
            if not bool(pc.all(pc.is_in(a, pa.array(["True", "False"]))).as_py() if len(a) else True):
                return None
            out[c.name] = pc.equal(a, "True").to_numpy(zero_copy_only=False).astype(bool)
        elif t.startswith("datetime64") or t == "date":
            if not full(a, _DATE if t == "date" else _DATETIME, True):
                return None
            try:  # ISO 8601 in C; refuses what is not a calendar date or time (30 February, 24:00:00)
                stamps = pc.cast(empty_as_null(a), pa.timestamp("s"))
            except pa.ArrowInvalid:
                return None
            out[c.name] = stamps.to_numpy(zero_copy_only=False).astype(
                t if t.startswith("datetime64") else "datetime64[s]"
            )
        elif t == "category":
            levels = LEVELS.get((table, c.name))
            if levels is None:
                found = pc.unique(a).to_pylist()
                levels = tuple(sorted(v for v in found if v != ""))
            codes = pc.index_in(a, value_set=pa.array([*levels, ""], pa.string()))
            if codes.null_count:  # a label that is not a level
                return None
            codes = codes.to_numpy(zero_copy_only=False).astype(np.int64)
            codes[codes == len(levels)] = -1  # an empty cell is missing
            out[c.name] = pd.Categorical.from_codes(codes, categories=list(levels))
        else:
            out[c.name] = pd.array(a.to_numpy(zero_copy_only=False), dtype="str")
    return pd.DataFrame(out, index=pd.RangeIndex(data.num_rows))


def load_table(path: str | Path, table: str, *, label: str | None = None, cell_by_cell: bool = False) -> pd.DataFrame:
    """Read one data-set file, check it against the table's schema and parse its types.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` or ``.csv.gz`` file.
    table : str
        The table the file holds (see :func:`simulation.data.file_schema.schema`).
    label : str, optional
        How to name the file in messages (default: ``path`` as given).
    cell_by_cell : bool
        Skip the fast reader and check every cell in Python (same table, slower).

    Returns
    -------
    DataFrame with the schema's columns in the schema's order and the dtypes listed in
    :mod:`simulation.data.file_schema`.

    Raises
    ------
    DatasetError
        ``"orders.csv.gz, row 17, column 'amount_cny': expected a number (or an empty cell),
        got 'abc'"``; also for a missing file, a missing or unexpected column, or a row with
        the wrong number of fields.
    """
    label = label or str(path)
    cols = schema(table)
    path = Path(path)
    if not cell_by_cell and path.is_file() and _header_matches(path, cols):
        fast = _fast_table(path, table, cols)
        if fast is not None:
            return fast
    return _checked_table(path, table, cols, label)


def _header_matches(path: Path, cols: list[Column]) -> bool:
    """Whether the file's first line is exactly the schema's header (read cheaply)."""
    try:
        with gzip.open(path, "rb") if path.name.endswith(".gz") else open(path, "rb") as f:
            first = f.readline().decode("utf-8").rstrip("\r\n")
    except (OSError, EOFError, zlib.error, UnicodeDecodeError):
        return False
    return first.lstrip("\ufeff") == ",".join(c.name for c in cols)


def _checked_table(path: Path, table: str, cols: list[Column], label: str) -> pd.DataFrame:
    """:func:`load_table` cell by cell: slower, and names the first bad cell."""
    header, body = read_cells(path, label=label)
    _check_header(header, cols, label)
    pos = {h: k for k, h in enumerate(header)}
    data = {}
    for c in cols:
        k = pos[c.name]
        s = pd.Series([row[k] for row in body], dtype="str")
        data[c.name] = _parse(s, c, table, label)
    return pd.DataFrame(data, index=pd.RangeIndex(len(body)))
