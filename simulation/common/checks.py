"""Shared argument and table checks for the analytics functions.

Every public analytics function checks its inputs up front with these helpers, so that
a student who passes the wrong table or a mistyped option gets one clear sentence naming
the table or argument, the rule and the value, instead of a pandas traceback.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from numbers import Real

import numpy as np
import pandas as pd


def require_columns(df: pd.DataFrame, name: str, cols: Iterable[str], *, error: type[Exception] | None = None) -> None:
    """Raise if `df` is not a DataFrame or lacks any of `cols`.

    Parameters
    ----------
    df : pandas.DataFrame
        The table to check.
    name : str
        How the table is called in the message, e.g. ``"orders"``.
    cols : iterable of str
        Columns the caller needs.
    error : exception class, optional
        Raised instead of the default ``TypeError`` / ``ValueError`` (for example a
        subsystem's own error class).

    Raises
    ------
    TypeError
        If `df` is not a DataFrame.
    ValueError
        ``"orders is missing column 'amount_cny' (has: ...)"`` for the first missing column.

    Examples
    --------
    >>> require_columns(pd.DataFrame({"customer_id": [1]}), "orders", ["customer_id", "amount_cny"])
    Traceback (most recent call last):
    ...
    ValueError: orders is missing column 'amount_cny' (has: customer_id)
    """
    if not isinstance(df, pd.DataFrame):
        raise (error or TypeError)(f"{name} must be a pandas DataFrame; got {type(df).__name__}")
    have = [str(c) for c in df.columns]
    missing = [c for c in cols if c not in df.columns]
    if missing:
        shown = ", ".join(have) if have else "no columns"
        if len(missing) == 1:
            raise (error or ValueError)(f"{name} is missing column '{missing[0]}' (has: {shown})")
        listed = ", ".join(f"'{c}'" for c in missing)
        raise (error or ValueError)(f"{name} is missing columns {listed} (has: {shown})")


def require_rows(df: pd.DataFrame, name: str) -> None:
    """Raise ``ValueError`` if `df` has no rows."""
    if len(df) == 0:
        raise ValueError(f"{name} has no rows; at least one row is needed")


def check_number(
    value,
    name: str,
    *,
    lo: float | None = None,
    hi: float | None = None,
    lo_open: bool = False,
    hi_open: bool = False,
) -> float:
    """Check that `value` is a finite real number inside the given bounds and return it as float.

    ``lo_open``/``hi_open`` make the bound strict (``>``/``<`` instead of ``>=``/``<=``).
    """
    if isinstance(value, bool) or not isinstance(value, (Real, np.integer, np.floating)):
        raise ValueError(f"{name} must be a number; got {value!r}")
    x = float(value)
    if not np.isfinite(x):
        raise ValueError(f"{name} must be a finite number; got {value!r}")
    if lo is not None and (x <= lo if lo_open else x < lo):
        raise ValueError(f"{name} must be {'>' if lo_open else '>='} {lo:g}; got {value!r}")
    if hi is not None and (x >= hi if hi_open else x > hi):
        raise ValueError(f"{name} must be {'<' if hi_open else '<='} {hi:g}; got {value!r}")
    return x


def check_int(value, name: str, *, lo: int | None = None, hi: int | None = None) -> int:
    """Check that `value` is a whole number (not bool) within ``[lo, hi]`` and return it."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be a whole number; got {value!r}")
    v = int(value)
    if lo is not None and v < lo:
        raise ValueError(f"{name} must be a whole number >= {lo}; got {value!r}")
    if hi is not None and v > hi:
        raise ValueError(f"{name} must be a whole number <= {hi}; got {value!r}")
    return v


def check_choice(value, name: str, choices: Sequence) -> None:
    """Check that `value` is one of `choices`."""
    if value not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {allowed}; got {value!r}")


def check_probability(value, name: str) -> float:
    """Check that `value` is a probability in [0, 1]."""
    return check_number(value, name, lo=0.0, hi=1.0)


def check_weights(weights, name: str, keys: Iterable[str] | None = None) -> dict[str, float]:
    """Check a mapping of non-negative weights with a positive total; optionally restrict keys."""
    if not isinstance(weights, Mapping) or not weights:
        raise ValueError(f"{name} must be a non-empty dict of name -> weight; got {weights!r}")
    out = {}
    allowed = list(keys) if keys is not None else None
    for k, w in weights.items():
        if allowed is not None and k not in allowed:
            raise ValueError(f"{name} has unknown key {k!r}; allowed keys: {', '.join(map(repr, allowed))}")
        out[k] = check_number(w, f"{name}[{k!r}]", lo=0.0)
    if sum(out.values()) <= 0:
        raise ValueError(f"{name} must have a positive total weight; got {weights!r}")
    return out


def as_float_array(values, name: str, *, lo: float | None = None) -> np.ndarray:
    """Convert `values` to a 1-D float array, checking finiteness and an optional lower bound."""
    arr = np.asarray(values, dtype=float)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional; got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite numbers; got {values!r}")
    if lo is not None and np.any(arr < lo):
        bad = arr[arr < lo][0]
        raise ValueError(f"{name} must be >= {lo:g} everywhere; found {bad:g}")
    return arr


def did_you_mean(name, options, *, cutoff: float = 0.6) -> str:
    """The hint added to an "unknown name" message: ``"; did you mean 'x'?"``, or ``""``.

    The closest option by :func:`difflib.get_close_matches` (similarity ratio >= ``cutoff``).

    Examples
    --------
    >>> "unknown preset 'basline'" + did_you_mean("basline", ["baseline", "small-class"])
    "unknown preset 'basline'; did you mean 'baseline'?"
    >>> did_you_mean("zzz", ["baseline"])
    ''
    """
    hint = difflib.get_close_matches(str(name), [str(o) for o in options], n=1, cutoff=cutoff)
    return f"; did you mean {hint[0]!r}?" if hint else ""
