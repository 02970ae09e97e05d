"""Loyalty accounts summed from the loyalty club's ledger (one row per member).

The ledger is the source of truth; the account table is derived from it when a database is
written, the way a real loyalty system keeps a balance beside its journal of movements.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .frames import DatabaseError, TablePlan, iso_dates
from .schema import table

__all__ = ["accounts_plan", "TIER_COLUMNS", "BALANCE_COLUMNS", "POINTS_COLUMNS"]

#: Ledger columns read as the member's tier after the entry (first found is used).
TIER_COLUMNS = ("tier_after", "tier", "new_tier")
#: Ledger columns read as the points balance after the entry.
BALANCE_COLUMNS = ("balance_after", "points_balance", "balance", "balance_points")
#: Ledger columns read as the points moved by the entry (summed when there is no balance).
POINTS_COLUMNS = ("points", "points_delta", "delta_points")


def _first(df: pd.DataFrame, names) -> str | None:
    return next((c for c in names if c in df.columns), None)


def accounts(ledger: pd.DataFrame) -> pd.DataFrame:
    """One row per member: first entry, latest tier and balance, number of entries.

    Parameters
    ----------
    ledger : DataFrame
        The ``loyalty_ledger`` table; needs ``customer_id`` and ``time_days``; a tier column
        (:data:`TIER_COLUMNS`) and a balance (:data:`BALANCE_COLUMNS`) or points column
        (:data:`POINTS_COLUMNS`) are used when present.

    Returns
    -------
    DataFrame with ``customer_id, joined_day, tier, points_balance, entries`` sorted by member.
    "Latest" is the last entry in time (ties: the later row).
    """
    for col in ("customer_id", "time_days"):
        if col not in ledger.columns:
            raise DatabaseError(
                f"loyalty_ledger is missing column {col!r} (has: {', '.join(map(str, ledger.columns))})"
            )
    led = ledger.assign(_row=np.arange(len(ledger))).sort_values(["customer_id", "time_days", "_row"], kind="stable")
    g = led.groupby("customer_id", sort=True)
    out = pd.DataFrame({"joined_day": g["time_days"].min().astype(float), "entries": g.size().astype(np.int64)})
    tier = _first(led, TIER_COLUMNS)
    out["tier"] = g[tier].last().astype(object) if tier else None
    bal, pts = _first(led, BALANCE_COLUMNS), _first(led, POINTS_COLUMNS)
    if bal:
        out["points_balance"] = g[bal].last().astype(float)
    elif pts:
        out["points_balance"] = g[pts].sum().astype(float)
    else:
        out["points_balance"] = np.nan
    out = out.reset_index()
    return out[["customer_id", "joined_day", "tier", "points_balance", "entries"]]


def accounts_plan(ledger: pd.DataFrame, start_date: str) -> TablePlan:
    """The rows of ``loyalty_accounts`` for a database export."""
    acc = accounts(ledger)
    t = table("loyalty_accounts")
    values = {
        "customer_id": acc["customer_id"].to_numpy(dtype=np.int64).tolist(),
        "joined_day": acc["joined_day"].tolist(),
        "joined_on": iso_dates(acc["joined_day"], start_date),
        "tier": [None if v is None or v != v else str(v) for v in acc["tier"].tolist()],
        "points_balance": acc["points_balance"].tolist(),
        "entries": acc["entries"].tolist(),
    }
    return TablePlan(t, [], values, len(acc))
