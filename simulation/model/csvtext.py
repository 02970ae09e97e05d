"""A run's tables as CSV text: the bytes pandas writes, formatted in C by pyarrow.

``csv_bytes(df)`` equals ``df.to_csv(index=False, lineterminator="\\n").encode("utf-8")``
byte for byte, so files written by :meth:`simulation.model.result.Result.to_dir` read back
with ``pd.read_csv`` exactly as before; it is several times faster because no cell is
formatted in Python. The forms, as pandas writes them:

========== ============================================================================
dtype      text
========== ============================================================================
int        ``-12``
float64    the shortest text that reads back to the same number, as Python's ``repr``
           (``0.1``, ``12.0``, ``9.9e-05``, ``1e+16``, ``inf``); NaN = empty cell
bool       ``True`` / ``False``
datetime64 ``2024-03-05`` when every value is midnight, else ``2024-03-05 14:02:11``,
           with ``.fff``, ``.ffffff`` or ``.fffffffff`` when a value needs them; NaT = empty
category,  the text; quoted (``"a,b"``; a quote inside doubled) when it holds a comma, a
str        quote or a line feed; missing = empty cell
========== ============================================================================

A table with another dtype, a single column (where pandas quotes an empty cell), several
header rows or a carriage return in a cell or a name is written by pandas itself.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["csv_bytes"]

_SECOND = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}
_DAY_S = 86_400


def csv_bytes(df: pd.DataFrame) -> bytes:
    """``df`` as UTF-8 CSV text, without the index, lines ending in ``\\n`` (pandas' bytes)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    names = [str(c) for c in df.columns]
    plain = len(names) > 1 and not isinstance(df.columns, pd.MultiIndex) and not any("\r" in n for n in names)
    cells = _columns(df) if plain else None
    if cells is not None and len(df):
        try:
            rows = pc.binary_join_element_wise(*cells, ",")
            rows = pc.binary_join_element_wise(rows, pa.scalar(""), "\n")  # each row + "\n"
        except pa.ArrowCapacityError:  # more than 2 GiB of text
            cells = None
    if cells is None:
        return df.to_csv(index=False, lineterminator="\n").encode("utf-8")
    header = ",".join(_quoted_text(n) for n in names) + "\n"
    if len(df) == 0:
        return header.encode("utf-8")
    offsets = np.frombuffer(rows.buffers()[1], dtype=np.int32)
    start, end = int(offsets[rows.offset]), int(offsets[rows.offset + len(rows)])
    return header.encode("utf-8") + rows.buffers()[2].to_pybytes()[start:end]


def _columns(df: pd.DataFrame):
    """Every column as a pyarrow string array without nulls, or ``None`` if one is not handled."""
    out = []
    for _, s in df.items():
        text = _column(s)
        if text is None:
            return None
        out.append(text)
    return out


def _column(s: pd.Series):
    import pyarrow as pa
    import pyarrow.compute as pc

    dtype = s.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        cats = dtype.categories
        if not all(isinstance(c, str) and "\r" not in c for c in cats):
            return None
        labels = pa.array([_quoted_text(c) for c in cats] + [""], pa.string())
        codes = s.cat.codes.to_numpy()
        return labels.take(pa.array(np.where(codes < 0, len(cats), codes)))
    if isinstance(dtype, pd.StringDtype) or (isinstance(dtype, np.dtype) and dtype.kind == "O"):
        values = s.to_numpy(dtype=object, na_value=None)
        if not all(v is None or isinstance(v, str) for v in values):
            return None
        return _quoted(pa.array(values, pa.string()).fill_null(""))
    if not isinstance(dtype, np.dtype):
        return None
    values = s.to_numpy()
    if dtype.kind in "iu":
        return pc.cast(pa.array(values), pa.string())
    if dtype.kind == "b":
        return pa.array(["False", "True"], pa.string()).take(pa.array(values.view(np.int8)))
    if dtype == np.float64:
        return _floats(values)
    if dtype.kind == "M":
        return _datetimes(values)
    return None


def _floats(x: np.ndarray):
    """Floats as Python's ``repr`` writes them; NaN as an empty cell.

    pyarrow writes the same shortest digits but not the same forms: ``1`` for ``1.0``,
    positional notation below 1e-4 and exponent notation earlier for big numbers. Whole
    numbers get ``.0``; every value whose pyarrow text has an exponent or that lies outside
    [1e-4, 1e16) is formatted by NumPy (which writes ``repr``'s text).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(x, from_pandas=True)  # NaN -> null
    text = pc.cast(arr, pa.string())
    has_e = pc.fill_null(pc.match_substring(text, "e"), False).to_numpy(zero_copy_only=False)
    with np.errstate(invalid="ignore"):
        ax = np.abs(x)
        whole = (x == np.trunc(x)) & (ax < 1e16) & ~has_e
        odd = has_e | (~whole & ~np.isnan(x) & ((ax < 1e-4) | (ax >= 1e16)))
    if whole.any():
        text = pc.if_else(pa.array(whole), pc.binary_join_element_wise(text, pa.scalar(".0"), ""), text)
    if odd.any():
        idx = np.flatnonzero(odd)
        fixed = np.asarray(text.to_numpy(zero_copy_only=False), dtype=object)
        fixed[idx] = x[idx].astype(str)
        text = pa.array(fixed, pa.string())
    return text.fill_null("")


def _datetimes(values: np.ndarray):
    """Naive datetimes at the finest precision any value needs (pandas' rule), NaT as empty."""
    import pyarrow as pa
    import pyarrow.compute as pc

    unit, count = np.datetime_data(values.dtype)
    if unit not in _SECOND or count != 1:
        return None
    per_s = _SECOND[unit]
    valid = ~np.isnat(values)
    ticks = values.view(np.int64)[valid]
    if not np.any(np.mod(ticks, per_s * _DAY_S)):
        arr = pa.array(values.astype("datetime64[D]"), pa.date32(), mask=~valid)
        return pc.cast(arr, pa.string()).fill_null("")
    frac = np.mod(ticks, per_s)
    target = unit
    for coarser in ("s", "ms", "us"):
        if _SECOND[coarser] < per_s and not np.any(np.mod(frac, per_s // _SECOND[coarser])):
            target = coarser
            break
    arr = pa.array(values, pa.timestamp(unit), mask=~valid)
    if target != unit:
        arr = pc.cast(arr, pa.timestamp(target), safe=False)
    return pc.cast(arr, pa.string()).fill_null("")


def _quoted_text(v: str) -> str:
    """One cell as Python's ``csv`` module writes it (quoted only when it must be)."""
    if any(ch in v for ch in ',"\n'):
        return '"' + v.replace('"', '""') + '"'
    return v


def _quoted(text):
    """:func:`_quoted_text` for a pyarrow string array; ``None`` if a cell holds a carriage return."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(text) == 0:
        return text
    if pc.any(pc.match_substring(text, "\r")).as_py():  # quoted or not depending on Python's version
        return None
    need = pc.match_substring_regex(text, '[,"\\n]')
    if not pc.any(need).as_py():
        return text
    doubled = pc.replace_substring(text, '"', '""')
    wrapped = pc.binary_join_element_wise(pa.scalar('"'), doubled, pa.scalar('"'), "")
    return pc.if_else(need, wrapped, text)
