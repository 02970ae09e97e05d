"""A marketing campaign with a random hold-out group, run inside the firm (module 5).

On ``day`` the firm picks its target customers from what it can see (their lifecycle
stage), splits them at random into a treated group and a hold-out group, and sends the
treated group an offer: a discount on one order within ``duration_days``. The response is
an assumption of the workbench, stated here so students can argue with it:

- a customer who is still a customer (hidden truth) answers with probability
  ``p = response_base_prob + response_per_discount * discount_share`` (capped at 1) and
  places one extra order at a random time within the offer, with the discount;
- a customer who has silently left comes back with probability ``win_back_prob`` and orders.

Hold-out customers get nothing; both groups keep ordering as they would anyway. Because the
split is random, the difference between the groups' outcomes over ``window_days`` estimates
what the campaign caused (:func:`simulation.analytics.campaign_lift`). The campaign draws
from its own random streams, so the rest of the firm's chance events are unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..scenario.fields import check_fields, param

__all__ = ["Campaign", "run_campaign", "campaign_outcomes"]

TARGETS = ("decline", "maintenance", "development", "all")


@dataclass(frozen=True)
class Campaign:
    """Who gets which offer, and how the workbench assumes customers respond."""

    target: str = param(
        "decline",
        en="Target stage",
        zh="目标客户阶段",
        choices=TARGETS,
        help="Lifecycle stage of the customers offered the campaign (or all).",
    )
    day: float = param(250.0, unit="days", lo=1, hi=36_500, en="Campaign day", zh="活动日")
    holdout_share: float = param(
        0.2,
        unit="share",
        lo=0.05,
        hi=0.95,
        en="Hold-out share",
        zh="对照组比例",
        help="Share of the targets deliberately left out, at random.",
    )
    discount_share: float = param(
        0.15,
        unit="share",
        lo=0,
        hi=0.9,
        en="Offer discount",
        zh="优惠折扣",
        help="Discount on the one order the offer is for.",
    )
    duration_days: float = param(30.0, unit="days", lo=1, hi=365, en="Offer valid for", zh="优惠有效期")
    window_days: float = param(60.0, unit="days", lo=1, hi=365, en="Measured over", zh="效果观察期")
    cost_per_contact_cny: float = param(8.0, unit="CNY", lo=0, hi=1000, en="Cost per contact", zh="单次触达成本")
    response_base_prob: float = param(
        0.04,
        unit="prob",
        lo=0,
        hi=1,
        en="Response without discount",
        zh="无折扣响应率",
        help="Assumed: chance a current customer answers a plain reminder.",
    )
    response_per_discount: float = param(
        0.6,
        unit="prob per share",
        lo=0,
        hi=5,
        en="Response per discount",
        zh="折扣带来的响应",
        help="Assumed: added response per unit of discount share.",
    )
    win_back_prob: float = param(
        0.03,
        unit="prob",
        lo=0,
        hi=1,
        en="Win-back of lost customers",
        zh="流失客户挽回率",
        help="Assumed: chance a customer who had left comes back.",
    )

    def __post_init__(self):
        check_fields(self)
        if self.window_days < self.duration_days:
            from ..scenario.fields import ScenarioError

            raise ScenarioError(
                f"Campaign.window_days ({self.window_days:g}) must be at least "
                f"Campaign.duration_days ({self.duration_days:g})."
            )

    @property
    def response_prob(self) -> float:
        """Chance that a current customer answers the offer."""
        return min(1.0, self.response_base_prob + self.response_per_discount * self.discount_share)


def _extra_order(env, firm, i: int, delay: float, discount: float, back: bool):
    yield env.timeout(delay)
    if back:
        if firm.alive[i]:
            return
        firm.come_back(i)
    firm.extra_discount[i] += discount
    try:
        firm.place_order(i)
    finally:
        firm.extra_discount[i] -= discount


def run_campaign(scenario, seed: int, campaign: Campaign = Campaign()):
    """Run the firm with the campaign; returns ``(result, assignment)``.

    ``assignment`` has one row per targeted customer: ``customer_id``, ``group``
    (``"treated"`` or ``"holdout"``), ``answered`` (the offer triggered an order; hidden
    from a real firm), ``alive_at_campaign`` (hidden truth).
    """
    from ..model.firm import Firm

    if not isinstance(campaign, Campaign):
        raise TypeError(f"campaign must be a Campaign; got {type(campaign).__name__}.")
    end = campaign.day + campaign.window_days
    if end > scenario.horizon_days:
        raise ValueError(
            f"the campaign (day {campaign.day:g} + {campaign.window_days:g} days measured) "
            f"ends after the horizon ({scenario.horizon_days:g} days); start it earlier."
        )
    firm = Firm(scenario, seed)
    firm.run_until(campaign.day)
    stages = firm.result().customers
    acquired = stages["acquired_day"].notna()
    pool = stages.loc[acquired if campaign.target == "all" else acquired & (stages["stage_at_end"] == campaign.target)]
    ids = pool["customer_id"].to_numpy()
    if len(ids) < 10:
        raise ValueError(
            f"only {len(ids)} customers are in stage {campaign.target!r} on day {campaign.day:g}; "
            "choose a later day or another target."
        )
    split = firm.streams.generator("campaign.split")
    holdout = split.random(len(ids)) < campaign.holdout_share
    respond, delay = firm.streams.uniform("campaign.response"), firm.streams.uniform("campaign.timing")
    answered = np.zeros(len(ids), dtype=bool)
    alive = np.array([firm.alive[i] for i in ids], dtype=bool)
    for k, i in enumerate(ids):
        if holdout[k]:
            continue
        u = respond()
        p = campaign.response_prob if alive[k] else campaign.win_back_prob
        if u < p:
            answered[k] = True
            firm.env.process(
                _extra_order(
                    firm.env, firm, int(i), delay() * campaign.duration_days, campaign.discount_share, not alive[k]
                )
            )
    firm.run_until(end)
    assignment = pd.DataFrame(
        {
            "customer_id": ids.astype(np.int64),
            "group": np.where(holdout, "holdout", "treated"),
            "answered": answered,
            "alive_at_campaign": alive,
        }
    )
    return firm.result(), assignment


def campaign_outcomes(result, assignment: pd.DataFrame, campaign: Campaign = Campaign()) -> pd.DataFrame:
    """What the firm can measure per targeted customer over the window after the campaign day.

    Adds ``ordered`` (at least one order), ``orders``, ``revenue_cny`` and ``net_margin_cny``
    (margin after discounts, minus the cost to serve of those orders) to ``assignment``.
    """
    o = result.orders
    lo, hi = campaign.day, campaign.day + campaign.window_days
    w = o.loc[(o["time_days"] >= lo) & (o["time_days"] < hi) & ~o["contract"].astype(bool)]
    cost = w[["delivery_cost_cny", "installation_cost_cny", "repair_cost_cny"]].sum(axis=1)
    g = (
        pd.DataFrame({"customer_id": w["customer_id"], "n": 1, "rev": w["amount_cny"], "net": w["margin_cny"] - cost})
        .groupby("customer_id")
        .sum()
    )
    out = assignment.copy()
    per = g.reindex(out["customer_id"]).fillna(0.0)
    out["orders"] = per["n"].to_numpy().astype(np.int64)
    out["ordered"] = out["orders"] > 0
    out["revenue_cny"] = per["rev"].to_numpy()
    out["net_margin_cny"] = per["net"].to_numpy()
    return out
