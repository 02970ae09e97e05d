"""The loyalty club's books: the ledger (column store and table) and the programme KPIs.

Every points movement and tier change is one ledger row: ``enrol``, ``welcome`` (pre-loaded
points), ``earn`` (an order; its benefit cost), ``partner`` (points bought by a partner
brand; a negative cost is income), ``redeem`` (a voucher; its value), ``expire``,
``promotion``, ``demotion`` and ``annual`` (the year's events, desk priority and
administration). KPIs are pure functions of the tables.
"""
from __future__ import annotations

import math
from array import array

import numpy as np
import pandas as pd

from .loyalty_params import TIERS

__all__ = ["ENTRIES", "LedgerLog", "ledger_table", "loyalty_kpis", "loyalty_impact"]

#: Ledger entry types, in code order.
ENTRIES = ("enrol", "welcome", "earn", "partner", "redeem", "expire", "promotion", "demotion", "annual")
ENROL, WELCOME, EARN, PARTNER, REDEEM, EXPIRE, PROMOTION, DEMOTION, ANNUAL = range(len(ENTRIES))


class LedgerLog:
    """Column store of ledger rows: one flat ``array('d')``, ``len(FIELDS)`` numbers per row.

    Whole numbers (ids, points) are exact in a float64 up to 2**53. :meth:`add` appends one
    row; the hot path may call ``rows.extend`` with a tuple in ``FIELDS`` order directly.
    """

    FIELDS = ("time", "customer", "order", "entry", "points", "balance", "tier", "cost", "qualifying",
              "discount")

    def __init__(self):
        self.rows = array("d")

    def __len__(self) -> int:
        return len(self.rows) // len(self.FIELDS)

    def add(self, t: float, customer: int, order: int, entry: int, points: int, balance: int, tier: int,
            cost: float, qualifying: float, discount: float = 0.0) -> None:
        """Append one row."""
        self.rows.extend((t, customer, order, entry, points, balance, tier, cost, qualifying, discount))

    def columns(self) -> dict[str, np.ndarray]:
        """The columns as NumPy arrays."""
        a = np.frombuffer(self.rows, dtype=float).reshape(-1, len(self.FIELDS)) if len(self.rows) \
            else np.zeros((0, len(self.FIELDS)))
        return {name: a[:, j].copy() for j, name in enumerate(self.FIELDS)}


def ledger_table(firm) -> pd.DataFrame:
    """The ``loyalty_ledger`` table of a firm, sorted stably by time (empty when the club is off)."""
    from .result import _dates
    club = getattr(firm, "loyalty", None)
    log = club.ledger if club is not None else LedgerLog()
    a = log.columns()
    o = np.argsort(a["time"], kind="stable")
    return pd.DataFrame({
        "time_days": a["time"][o],
        "date": _dates(firm.scenario.start_date, a["time"][o]),
        "customer_id": a["customer"][o].astype(np.int64),
        "order_id": a["order"][o].astype(np.int64),
        "entry": pd.Categorical.from_codes(a["entry"][o].astype(np.int64), ENTRIES),
        "points": a["points"][o].astype(np.int64),
        "balance_after": a["balance"][o].astype(np.int64),
        "tier": pd.Categorical.from_codes(a["tier"][o].astype(np.int64), TIERS),
        "cost_cny": a["cost"][o],
        "discount_cny": a["discount"][o],
        "qualifying_12m": a["qualifying"][o],
    })


def loyalty_kpis(result, baseline=None) -> dict:
    """Programme KPIs from a run's ``loyalty_ledger`` (and a no-programme run, if given).

    - ``members``, ``member_share`` (of acquired customers), ``active_member_share``
      (members with an order or redemption in the last 365 days);
    - ``points_earned`` (orders, partners, welcome), ``points_redeemed``,
      ``points_expired``, ``points_outstanding``;
    - ``redemption_rate`` = redeemed / earned; ``breakage`` = expired / earned;
    - ``liability_cny`` = outstanding points x voucher value per point x
      (1 - ``Loyalty.breakage_estimate``) (IFRS 15 values points net of expected breakage);
    - ``redemption_cost_cny`` (vouchers), ``discount_cost_cny`` (member discounts),
      ``benefit_cost_cny`` (all benefits incl. discounts and the yearly ones),
      ``partner_income_cny``, ``programme_cost_cny`` = redemptions + benefits − partner
      income, ``cost_per_member_cny``;
    - ``member_retention``: share of members still customers at the end (hidden truth);
    - ``promotions``, ``demotions`` and ``tier_<name>``: members per tier at the end.

    With ``baseline`` (the same scenario and seed without the club, see
    :func:`loyalty_impact`): ``incremental_revenue_cny`` = revenue − baseline revenue and
    ``incremental_margin_cny`` = (gross margin − baseline gross margin) − programme cost
    other than discounts (the orders' margin already carries the discounts).
    """
    from .analytics._checks import require_columns
    led = result.loyalty_ledger
    require_columns(led, "loyalty_ledger", ["time_days", "customer_id", "entry", "points", "balance_after",
                                            "tier", "cost_cny", "discount_cny"])
    sc = result.scenario.loyalty
    e = led["entry"].astype(str).to_numpy()
    pts = led["points"].to_numpy(np.int64)
    cost = led["cost_cny"].to_numpy(float)
    earned = int(pts[np.isin(e, ("earn", "partner", "welcome"))].sum())
    redeemed = int(-pts[e == "redeem"].sum())
    expired = int(-pts[e == "expire"].sum())
    members = np.unique(led.loc[e == "enrol", "customer_id"].to_numpy())
    n = len(members)
    last = led.groupby("customer_id", sort=True).tail(1)
    outstanding = int(last["balance_after"].sum())
    recent = led.loc[np.isin(e, ("earn", "redeem")) & (led["time_days"].to_numpy() > result.as_of_day - 365.0),
                     "customer_id"].nunique()
    acquired = int(result.customers["acquired_day"].notna().sum())
    red_cost = float(cost[e == "redeem"].sum())
    partner_income = float(-cost[e == "partner"].sum())
    benefit = float(cost[np.isin(e, ("earn", "annual", "enrol", "welcome"))].sum())
    disc = float(led["discount_cny"].sum())
    programme = red_cost + benefit - partner_income
    alive = result.customers.set_index("customer_id")["alive_at_end"]

    def share(a, b):
        return float(a) / b if b else math.nan

    out = {
        "members": int(n),
        "member_share": share(n, acquired),
        "active_member_share": share(recent, n),
        "points_earned": earned,
        "points_redeemed": redeemed,
        "points_expired": expired,
        "points_outstanding": outstanding,
        "redemption_rate": share(redeemed, earned),
        "breakage": share(expired, earned),
        "liability_cny": outstanding * sc.voucher_value_cny / sc.voucher_points * (1.0 - sc.breakage_estimate),
        "redemption_cost_cny": red_cost,
        "discount_cost_cny": disc,
        "benefit_cost_cny": benefit,
        "partner_income_cny": partner_income,
        "programme_cost_cny": programme,
        "cost_per_member_cny": share(programme, n),
        "member_retention": float(alive.loc[members].mean()) if n else math.nan,
        "promotions": int((e == "promotion").sum()),
        "demotions": int((e == "demotion").sum()),
    }
    end_tier = last.set_index("customer_id")["tier"].astype(str)
    for name in TIERS[1:]:
        out[f"tier_{name}"] = int((end_tier == name).sum())
    if baseline is not None:
        rev = float(result.orders["amount_cny"].sum()) - float(baseline.orders["amount_cny"].sum())
        margin = float(result.orders["margin_cny"].sum()) - float(baseline.orders["margin_cny"].sum())
        out["incremental_revenue_cny"] = rev
        out["incremental_margin_cny"] = margin - (programme - disc)
    return out


def loyalty_impact(scenario, seed: int = 0) -> dict:
    """Run ``scenario`` with its club and without it (same seed); return :func:`loyalty_kpis`.

    The club must be enabled in ``scenario`` (for example the ``loyalty-launch`` preset).
    """
    import dataclasses

    from .firm import run
    from .params import ScenarioError
    if not scenario.loyalty.enabled:
        raise ScenarioError("loyalty_impact needs a scenario with Loyalty.enabled = true; got a scenario with the "
                            "club off. Try preset('loyalty-launch').")
    without = dataclasses.replace(scenario, loyalty=dataclasses.replace(scenario.loyalty, enabled=False))
    return loyalty_kpis(run(scenario, seed), baseline=run(without, seed))
