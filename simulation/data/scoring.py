"""Grading a cleaning of the dirty class data set against the truth kept beside it.

Two scores:

- :func:`score_duplicates` — did the student find the records that belong to the same
  customer? Pairwise precision and recall: every pair of records the student puts together
  is a *predicted pair*; pairs that really belong to one customer are *true pairs*.
- :func:`score_column` — did the student restore a column to its canonical value?
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

__all__ = ["score_duplicates", "score_column"]


def _pairs(sizes: np.ndarray) -> int:
    sizes = np.asarray(sizes, dtype=np.int64)
    return int((sizes * (sizes - 1) // 2).sum())


def score_duplicates(predicted: Mapping | pd.Series, truth: pd.DataFrame) -> dict:
    """Pairwise precision, recall and F1 of a duplicate detection.

    Parameters
    ----------
    predicted : Series or mapping
        ``record_id -> label``: records the student believes are one customer share a label
        (any hashable, for example the record_id of the record kept). Every record of the
        truth must be labelled; a record on its own is a label used once.
    truth : DataFrame
        The ``customers_truth`` table (needs ``record_id`` and ``customer_id``).

    Returns
    -------
    dict with ``precision`` = correct pairs / predicted pairs, ``recall`` = correct pairs /
    true pairs, ``f1`` (their harmonic mean), and the three pair counts. Precision is 1.0
    when no pair is predicted; recall is 1.0 when there are no true pairs.

    Raises
    ------
    ValueError
        If a record of the truth has no label, or a label is given for an unknown record.
    """
    for col in ("record_id", "customer_id"):
        if col not in truth.columns:
            raise ValueError(f"truth is missing column {col!r} (has: {', '.join(map(str, truth.columns))})")
    pred = pd.Series(predicted, dtype=object) if not isinstance(predicted, pd.Series) else predicted
    pred.index = pred.index.astype(str)
    if pred.index.has_duplicates:
        dup = pred.index[pred.index.duplicated()][0]
        raise ValueError(f"predicted labels record {dup!r} more than once")
    ids = truth["record_id"].astype(str)
    unknown = pred.index.difference(pd.Index(ids))
    if len(unknown):
        raise ValueError(f"predicted labels {len(unknown)} record(s) not in the truth, e.g. {unknown[0]!r}")
    missing = pd.Index(ids).difference(pred.index)
    if len(missing):
        raise ValueError(
            f"predicted has no label for {len(missing)} record(s), e.g. {missing[0]!r}; "
            "give every record a label (its own record_id if it has no duplicate)"
        )
    if pred.isna().any():
        bad = pred.index[pred.isna().to_numpy()][0]
        raise ValueError(f"predicted label of record {bad!r} is missing; use its own record_id instead")
    both = pd.DataFrame(
        {"true": truth["customer_id"].to_numpy(), "pred": pred.reindex(ids.to_numpy()).astype(str).to_numpy()}
    )
    true_pairs = _pairs(both.groupby("true").size().to_numpy())
    pred_pairs = _pairs(both.groupby("pred").size().to_numpy())
    correct = _pairs(both.groupby(["true", "pred"]).size().to_numpy())
    precision = correct / pred_pairs if pred_pairs else 1.0
    recall = correct / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "true_pairs": true_pairs,
        "predicted_pairs": pred_pairs,
        "correct_pairs": correct,
    }


def _same(cleaned: pd.Series, truth: pd.Series) -> np.ndarray:
    if pd.api.types.is_datetime64_any_dtype(truth):
        c = pd.to_datetime(cleaned, errors="coerce")
        return (c.dt.normalize() == truth.dt.normalize()).fillna(False).to_numpy(dtype=bool)
    if pd.api.types.is_numeric_dtype(truth) and not pd.api.types.is_bool_dtype(truth):
        c = pd.to_numeric(cleaned, errors="coerce")
        return np.isclose(c.to_numpy(dtype=float), truth.to_numpy(dtype=float), rtol=0, atol=0.005)
    return (cleaned.astype("str") == truth.astype("str")).fillna(False).to_numpy(dtype=bool)


def score_column(
    cleaned: pd.DataFrame,
    truth: pd.DataFrame,
    column: str,
    *,
    defects: pd.DataFrame | None = None,
    key: str = "record_id",
) -> dict:
    """Share of cells of ``column`` a cleaning got right.

    Parameters
    ----------
    cleaned : DataFrame
        The student's table: ``key`` and ``column``, one row per raw row kept.
    truth : DataFrame
        ``customers_truth`` (key ``record_id``) or ``orders_truth`` (key ``row``: order
        numbers repeat on lines exported twice).
    column : str
        The column to score; dates are compared by calendar day, numbers to within 0.005.
    defects : DataFrame, optional
        The ``defects`` table; when given, cells whose value was destroyed (``missing``,
        ``impossible_date``) count as right when the student left them empty, and the score
        is also reported for the rewritten cells alone.
    key : str
        Column identifying a row in both tables.

    Returns
    -------
    dict with ``accuracy`` (share right among the truth's rows found in ``cleaned``),
    ``rows`` (rows compared), ``not_found`` (truth rows absent from ``cleaned``) and, with
    ``defects``, ``defect_accuracy`` and ``defect_cells``.
    """
    for name, df in (("cleaned", cleaned), ("truth", truth)):
        for col in (key, column):
            if col not in df.columns:
                raise ValueError(f"{name} is missing column {col!r} (has: {', '.join(map(str, df.columns))})")
    if cleaned[key].duplicated().any():
        raise ValueError(
            f"cleaned has {key} {cleaned.loc[cleaned[key].duplicated(), key].iloc[0]!r} "
            "more than once; keep one row per key"
        )
    t = truth.drop_duplicates(key).set_index(truth.drop_duplicates(key)[key].astype(str))
    c = cleaned.set_index(cleaned[key].astype(str))
    common = t.index.intersection(c.index)
    right = _same(c.loc[common, column].reset_index(drop=True), t.loc[common, column].reset_index(drop=True))
    out = {
        "rows": int(len(common)),
        "not_found": int(len(t) - len(common)),
        "accuracy": float(right.mean()) if len(common) else float("nan"),
    }
    if defects is not None:
        if "row" not in t.columns:
            raise ValueError("truth needs its 'row' column to be matched with defects")
        table = "customers_raw" if "duplicate_of" in t.columns else "orders_raw"
        d = defects.loc[(defects["table"] == table) & (defects["column"] == column)]
        kind_by_row = dict(zip(d["row"].tolist(), d["defect"].astype(str).tolist()))
        kinds = t.loc[common, "row"].map(kind_by_row).reset_index(drop=True)
        given = c.loc[common, column].reset_index(drop=True)
        empty = (given.isna() | (given.astype("str") == "")).to_numpy(dtype=bool)
        lost = kinds.isin(["missing", "impossible_date"]).to_numpy(dtype=bool)
        right = right | (lost & empty)
        sel = kinds.notna().to_numpy(dtype=bool)
        out["accuracy"] = float(right.mean()) if len(common) else float("nan")
        out["defect_cells"] = int(sel.sum())
        out["defect_accuracy"] = float(right[sel].mean()) if sel.any() else float("nan")
    return out
