"""The loyalty club's programme KPIs: members, points, breakage, liability, cost and impact.

Pure functions of a run's tables (the ``loyalty_ledger``, ``customers`` and ``orders``).
"""

from __future__ import annotations

import math

import numpy as np

from ..common.checks import require_columns
from ..scenario.loyalty_parts import TIERS

__all__ = ["loyalty_kpis"]


def loyalty_kpis(result, baseline=None) -> dict:
    """Programme KPIs from a run's ``loyalty_ledger`` (and a no-programme run, if given).

    - ``members``, ``member_share`` (of acquired customers), ``active_member_share``
      (members with an order or redemption in the last 365 days);
    - ``points_earned`` (orders, partners, welcome), ``points_redeemed``,
      ``points_expired``, ``points_outstanding``;
    - ``redemption_rate`` = redeemed / earned; ``breakage`` = expired / earned;
    - ``breakage_matured``: expired / points whose expiry day has passed (earned at ``t``
      with ``ceil(t + expiry_days) < as_of_day``). Each of these points has been either
      redeemed or expired, so this is the programme's settled breakage, comparable with the
      20–30 % of points issued that retail programmes commonly report; ``breakage`` counts
      points still open and so understates it in a programme younger than its expiry
      period. NaN while no points have matured;
    - ``liability_cny`` = outstanding points x voucher value per point x
      (1 - ``Loyalty.breakage_estimate``) (IFRS 15 values points net of expected breakage);
    - ``redemption_cost_cny`` (vouchers), ``discount_cost_cny`` (member discounts),
      ``benefit_cost_cny`` (all benefits incl. discounts and the yearly ones),
      ``partner_income_cny``, ``programme_cost_cny`` = redemptions + benefits − partner
      income, ``cost_per_member_cny``;
    - ``member_revenue_cny`` (members' orders) and ``cost_share`` = programme cost /
      member revenue (retail programmes cost about 1–3 % of their members' sales);
    - ``member_retention``: share of members still customers at the end (hidden truth);
    - ``promotions``, ``demotions`` and ``tier_<name>``: members per tier at the end.

    With ``baseline`` (the same scenario and seed without the club, see
    :func:`simulation.interventions.loyalty_impact.loyalty_impact`): ``incremental_revenue_cny`` = revenue − baseline revenue and
    ``incremental_margin_cny`` = (gross margin − baseline gross margin) − programme cost
    other than discounts (the orders' margin already carries the discounts).
    """
    led = result.loyalty_ledger
    require_columns(
        led,
        "loyalty_ledger",
        ["time_days", "customer_id", "entry", "points", "balance_after", "tier", "cost_cny", "discount_cny"],
    )
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
    recent = led.loc[
        np.isin(e, ("earn", "redeem")) & (led["time_days"].to_numpy() > result.as_of_day - 365.0), "customer_id"
    ].nunique()
    acquired = int(result.customers["acquired_day"].notna().sum())
    red_cost = float(cost[e == "redeem"].sum())
    partner_income = float(-cost[e == "partner"].sum())
    benefit = float(cost[np.isin(e, ("earn", "annual", "enrol", "welcome"))].sum())
    disc = float(led["discount_cny"].sum())
    programme = red_cost + benefit - partner_income
    alive = result.customers.set_index("customer_id")["alive_at_end"]
    issued = np.isin(e, ("earn", "partner", "welcome")) & (pts > 0)
    t = led["time_days"].to_numpy(float)
    matured = int(pts[issued & (np.ceil(t + sc.expiry_days) < result.as_of_day)].sum())
    o = result.orders
    member_rev = float(o.loc[o["customer_id"].isin(members), "amount_cny"].sum())

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
        "breakage_matured": share(expired, matured),
        "liability_cny": outstanding * sc.voucher_value_cny / sc.voucher_points * (1.0 - sc.breakage_estimate),
        "redemption_cost_cny": red_cost,
        "discount_cost_cny": disc,
        "benefit_cost_cny": benefit,
        "partner_income_cny": partner_income,
        "programme_cost_cny": programme,
        "cost_per_member_cny": share(programme, n),
        "member_revenue_cny": member_rev,
        "cost_share": share(programme, member_rev),
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
