"""Day numbers of a run → calendar timestamps.

The model counts time in days since the scenario's ``start_date`` (day 0.0 = midnight of that
date). Every table that shows a date converts with :func:`day_timestamps`, so a day number
gives the same timestamp in the model's tables, the loyalty ledger, the complaints table and
the customer database.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["day_timestamps", "day_dates"]


def day_timestamps(start_date: str, days) -> np.ndarray:
    """Timestamps (``datetime64[s]``) of day numbers, floored to whole seconds.

    ``timestamp = start_date + floor(days × 86,400) s``; a missing day (NaN) gives NaT.

    Examples
    --------
    >>> [str(t) for t in day_timestamps("2024-01-01", [0.0, 1.5, float("nan")])]
    ['2024-01-01T00:00:00', '2024-01-02T12:00:00', 'NaT']
    """
    d = np.asarray(days, dtype=float)
    missing = np.isnan(d)
    secs = np.floor(np.where(missing, 0.0, d) * 86400.0).astype("int64")
    stamps = np.datetime64(start_date, "s") + secs.astype("timedelta64[s]")
    return np.where(missing, np.datetime64("NaT", "s"), stamps) if missing.any() else stamps


def day_dates(start_date: str, days) -> pd.Series:
    """:func:`day_timestamps` as a pandas Series of ``datetime64[ms]`` (the tables' date type)."""
    return pd.Series(day_timestamps(start_date, days).astype("datetime64[ms]"))
