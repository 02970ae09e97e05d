"""Loaders for reference data sets kept in the repository's ``datasets/`` folder."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..common.files import datasets_folder

_CDNOW_FILE = "cdnow_customers_summary_with_transactions.csv"


def datasets_dir() -> Path:
    """The folder of the shipped data sets (:func:`simulation.common.files.datasets_folder`)."""
    return datasets_folder()


def load_cdnow_summary(path: str | Path | None = None) -> pd.DataFrame:
    """The CDNOW customer summary of Fader, Hardie & Lee (2005): 2,357 customers, time in weeks.

    Parameters
    ----------
    path : str or Path, optional
        The CSV file; defaults to ``datasets/cdnow/cdnow_customers_summary_with_transactions.csv``
        in the repository (a copy of the file shipped with the MIT-licensed ``lifetimes``
        package; see ``datasets/cdnow/NOTICE.md``).

    Returns
    -------
    DataFrame indexed by ``customer_id`` with ``frequency`` (repeat purchases in the 39-week
    calibration period), ``recency`` (weeks from the first to the last purchase), ``T``
    (weeks from the first purchase to the end of the calibration period) and
    ``monetary_value`` (mean value of the repeat purchases, US dollars; 0 without repeats).
    """
    file = Path(path) if path is not None else datasets_dir() / "cdnow" / _CDNOW_FILE
    if not file.is_file():
        raise FileNotFoundError(
            f"CDNOW summary not found at {file}; it ships in the repository under "
            f"datasets/cdnow/{_CDNOW_FILE} (run from a full checkout of the repository, "
            "or pass path=... to the file)"
        )
    raw = pd.read_csv(file)
    expected = ["ID", "x", "t_x", "T", "zbar"]
    if list(raw.columns) != expected:
        raise ValueError(f"{file} must have the columns {expected}; got {list(raw.columns)}")
    out = raw.rename(columns={"ID": "customer_id", "x": "frequency", "t_x": "recency", "zbar": "monetary_value"})
    out["frequency"] = out["frequency"].astype("int64")
    return out.set_index("customer_id")
