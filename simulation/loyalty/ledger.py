"""The loyalty club's books: the ledger as a column store while the firm runs, and its table.

Every points movement and tier change is one ledger row: ``enrol``, ``welcome`` (pre-loaded
points), ``earn`` (an order; its benefit cost), ``partner`` (points bought by a partner
brand; a negative cost is income), ``redeem`` (a voucher; its value), ``expire``,
``promotion``, ``demotion`` and ``annual`` (the year's events, desk priority and
administration). The programme's KPIs (:mod:`simulation.loyalty.kpis`) are pure functions of the tables.
"""

from __future__ import annotations

from array import array

import numpy as np
import pandas as pd

from ..common.dates import day_dates
from ..scenario.loyalty_parts import TIERS

__all__ = ["ENTRIES", "LedgerLog", "ledger_table"]

#: Ledger entry types, in code order.
ENTRIES = ("enrol", "welcome", "earn", "partner", "redeem", "expire", "promotion", "demotion", "annual")
ENROL, WELCOME, EARN, PARTNER, REDEEM, EXPIRE, PROMOTION, DEMOTION, ANNUAL = range(len(ENTRIES))


class LedgerLog:
    """Column store of ledger rows: one flat ``array('d')``, ``len(FIELDS)`` numbers per row.

    Whole numbers (ids, points) are exact in a float64 up to 2**53. :meth:`add` appends one
    row; the hot path may call ``rows.extend`` with a tuple in ``FIELDS`` order directly.
    """

    FIELDS = ("time", "customer", "order", "entry", "points", "balance", "tier", "cost", "qualifying", "discount")

    def __init__(self):
        self.rows = array("d")

    def __len__(self) -> int:
        return len(self.rows) // len(self.FIELDS)

    def add(
        self,
        t: float,
        customer: int,
        order: int,
        entry: int,
        points: int,
        balance: int,
        tier: int,
        cost: float,
        qualifying: float,
        discount: float = 0.0,
    ) -> None:
        """Append one row."""
        self.rows.extend((t, customer, order, entry, points, balance, tier, cost, qualifying, discount))

    def columns(self) -> dict[str, np.ndarray]:
        """The columns as NumPy arrays."""
        a = (
            np.frombuffer(self.rows, dtype=float).reshape(-1, len(self.FIELDS))
            if len(self.rows)
            else np.zeros((0, len(self.FIELDS)))
        )
        return {name: a[:, j].copy() for j, name in enumerate(self.FIELDS)}


def ledger_table(firm) -> pd.DataFrame:
    """The ``loyalty_ledger`` table of a firm, sorted stably by time (empty when the club is off)."""
    club = getattr(firm, "loyalty", None)
    log = club.ledger if club is not None else LedgerLog()
    a = log.columns()
    o = np.argsort(a["time"], kind="stable")
    return pd.DataFrame(
        {
            "time_days": a["time"][o],
            "date": day_dates(firm.scenario.start_date, a["time"][o]),
            "customer_id": a["customer"][o].astype(np.int64),
            "order_id": a["order"][o].astype(np.int64),
            "entry": pd.Categorical.from_codes(a["entry"][o].astype(np.int64), ENTRIES),
            "points": a["points"][o].astype(np.int64),
            "balance_after": a["balance"][o].astype(np.int64),
            "tier": pd.Categorical.from_codes(a["tier"][o].astype(np.int64), TIERS),
            "cost_cny": a["cost"][o],
            "discount_cny": a["discount"][o],
            "qualifying_12m": a["qualifying"][o],
        }
    )
