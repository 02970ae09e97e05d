"""The firm's tidy tables built from its event log: orders, lifecycle, customers and plans.

Each builder takes the log as a frame (:meth:`simulation.model.records.EventLog.frame`) and the
firm's per-customer state and returns one table of the data dictionary
(:mod:`simulation.common.dictionary`), vectorised, once at the end of a run;
:meth:`simulation.model.result.Result.from_firm` calls them in order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..common.dates import day_dates
from ..scenario.parts import SEGMENTS, Scenario
from .records import CATEGORIES, CHANNEL_CODES, CHURN_REASONS, EV, STAGES

__all__ = ["orders_table", "lifecycle_table", "customers_table", "plans_table"]


def orders_table(events: pd.DataFrame, firm, sc: Scenario) -> pd.DataFrame:
    """One row per order (contract orders included): revenue, margin and the costs it caused.

    Gross margin ``= (revenue + discount) x m - discount``, with ``m`` the category's margin
    rate (:class:`~simulation.scenario.parts.Products`): the discount comes out of the margin.
    The delivery, installation and repair costs are the activities behind the cost to serve
    (Kaplan & Narayanan 2001).
    """
    ev = events["event_type"].cat.codes.to_numpy()
    o = events.loc[ev == EV["order"]].reset_index(drop=True)
    oid = o["order_id"].to_numpy()
    cat = o["code"].to_numpy()
    amount = o["amount_cny"].to_numpy()
    disc = o["discount_cny"].to_numpy()
    pr = sc.products
    mrate = np.array([pr.appliance_margin, pr.accessory_margin, pr.consumable_margin, pr.plan_margin])[cat]
    margin = (amount + disc) * mrate - disc

    def per_order(kind: str, col: str | None = None):
        sel = events.loc[ev == EV[kind]]
        s = pd.Series(sel[col].to_numpy() if col else np.ones(len(sel)), index=sel["order_id"].to_numpy())
        s = s.groupby(level=0).sum()
        return s.reindex(oid, fill_value=0).to_numpy()

    seg = np.asarray(firm.seg, dtype=np.int64)[o["customer_id"].to_numpy()]
    out = pd.DataFrame(
        {
            "order_id": oid.astype(np.int64),
            "customer_id": o["customer_id"].to_numpy().astype(np.int64),
            "time_days": o["time_days"].to_numpy(),
            "date": o["date"].to_numpy(),
            "segment": pd.Categorical.from_codes(seg, SEGMENTS),
            "category": pd.Categorical.from_codes(cat, CATEGORIES),
            "contract": cat == 3,
            "amount_cny": amount,
            "discount_cny": disc,
            "margin_cny": margin,
            "delivery_cost_cny": o["cost_cny"].to_numpy(),
            "installation_cost_cny": per_order("installation", "cost_cny"),
            "repair_cost_cny": per_order("product_failure", "cost_cny"),
            "late_delivery": per_order("late_delivery") > 0,
            "installation_problem": per_order("installation_problem") > 0,
            "product_failure": per_order("product_failure") > 0,
        }
    )
    return out.sort_values(["order_id"], kind="stable").reset_index(drop=True)


def lifecycle_table(events: pd.DataFrame, orders: pd.DataFrame, firm, sc: Scenario, now: float) -> pd.DataFrame:
    """Stage transitions from contacts and non-contract order times (rules in Lifecycle)."""
    lc = sc.lifecycle
    m, d1, d2 = lc.maintenance_after_orders, lc.decline_after_days, lc.dormant_after_days
    CONTACT, DEV, MAINT, DECL, TERM = range(5)
    nc = orders.loc[~orders["contract"], ["customer_id", "time_days"]]
    nc = nc.sort_values(["customer_id", "time_days"], kind="stable")
    cust = nc["customer_id"].to_numpy()
    t = nc["time_days"].to_numpy()
    n = len(t)
    first = np.ones(n, bool)
    first[1:] = cust[1:] != cust[:-1]
    last = np.ones(n, bool)
    last[:-1] = cust[1:] != cust[:-1]
    prev_t = np.empty(n)
    prev_t[0:1] = np.nan
    prev_t[1:] = t[:-1]
    gap_prev = np.where(first, np.nan, t - prev_t)
    next_t = np.empty(n)
    next_t[:-1] = t[1:]
    next_t = np.where(last, now, next_t)
    gap_next = next_t - t
    restart = first | (gap_prev > d2)  # first order or a win-back
    idx = np.arange(n)
    run_start = np.maximum.accumulate(np.where(restart, idx, 0))
    count = idx - run_start + 1
    after = np.where(count >= m, MAINT, DEV)
    after_prev = np.empty(n, dtype=np.int64)
    after_prev[1:] = after[:-1]
    after_prev[:1] = CONTACT
    before = np.where(first, CONTACT, np.where(gap_prev > d2, TERM, np.where(gap_prev > d1, DECL, after_prev)))
    ch = before != after
    parts = [
        (cust[ch], t[ch], before[ch], after[ch]),
        (cust[gap_next > d1], t[gap_next > d1] + d1, after[gap_next > d1], np.full((gap_next > d1).sum(), DECL)),
        (
            cust[gap_next > d2],
            t[gap_next > d2] + d2,
            np.full((gap_next > d2).sum(), DECL),
            np.full((gap_next > d2).sum(), TERM),
        ),
    ]
    contact_day = np.asarray(firm.contact_day, dtype=float)
    ids = np.arange(len(contact_day))
    parts.insert(0, (ids, contact_day, np.full(len(ids), -1), np.full(len(ids), CONTACT)))
    c = np.concatenate([p[0] for p in parts]).astype(np.int64)
    tt = np.concatenate([p[1] for p in parts])
    fr = np.concatenate([p[2] for p in parts]).astype(np.int64)
    to = np.concatenate([p[3] for p in parts]).astype(np.int64)
    order = np.lexsort((to, tt, c))
    labels = ("none",) + STAGES
    out = pd.DataFrame(
        {
            "customer_id": c[order],
            "time_days": tt[order],
            "date": day_dates(sc.start_date, tt[order]),
            "from_stage": pd.Categorical.from_codes(fr[order] + 1, labels),
            "to_stage": pd.Categorical.from_codes(to[order], STAGES),
        }
    )
    return out.reset_index(drop=True)


def customers_table(firm, orders: pd.DataFrame, lifecycle: pd.DataFrame, sc: Scenario) -> pd.DataFrame:
    """One row per customer: what the firm can observe, the end-of-run stage and the hidden truth."""
    n = len(firm.seg)
    ids = np.arange(n)
    nc = orders.loc[~orders["contract"]]
    n_orders = np.bincount(nc["customer_id"].to_numpy(), minlength=n)
    revenue = np.bincount(orders["customer_id"].to_numpy(), weights=orders["amount_cny"].to_numpy(), minlength=n)
    last_day = np.full(n, np.nan)
    if len(nc):
        g = nc.groupby("customer_id")["time_days"].max()
        last_day[g.index.to_numpy()] = g.to_numpy()
    stage_codes = np.zeros(n, dtype=np.int64)
    if len(lifecycle):
        last_stage = lifecycle.groupby("customer_id", sort=True)["to_stage"].last()
        stage_codes[last_stage.index.to_numpy()] = last_stage.cat.codes.to_numpy()
    seg = np.asarray(firm.seg, dtype=np.int64)
    p_s = np.array([sc.segment(s).spend_shape_p for s in SEGMENTS])
    reason = np.asarray(firm.reason, dtype=np.int64)
    return pd.DataFrame(
        {
            "customer_id": ids.astype(np.int64),
            "segment": pd.Categorical.from_codes(seg, SEGMENTS),
            "channel": pd.Categorical.from_codes(np.asarray(firm.chan, dtype=np.int64), CHANNEL_CODES),
            "referred_by": np.asarray(firm.referred_by, dtype=np.int64),
            "contact_day": np.asarray(firm.contact_day, dtype=float),
            "acquired_day": np.asarray(firm.acquired_day, dtype=float),
            "acquisition_cost_cny": np.asarray(firm.acq_cost, dtype=float),
            "n_orders": n_orders.astype(np.int64),
            "revenue_cny": revenue,
            "last_order_day": last_day,
            "satisfaction_initial": np.asarray(firm.sat0, dtype=float),
            "satisfaction_final": np.asarray(firm.sat, dtype=float),
            "stage_at_end": pd.Categorical.from_codes(stage_codes, STAGES),
            "alive_at_end": np.asarray(firm.alive, dtype=bool),
            "dropped_day": np.asarray(firm.dropped_day, dtype=float),
            "churn_reason": pd.Categorical.from_codes(reason, CHURN_REASONS),
            "purchase_rate_per_year": np.asarray(firm.rate, dtype=float) * 365.0,
            "dropout_prob": np.asarray(firm.dropout_prob, dtype=float),
            "mean_spend_cny": p_s[seg] * np.asarray(firm.spend_scale, dtype=float) if n else np.zeros(0),
            "plan_lapse_prob": np.asarray(firm.theta, dtype=float),
        }
    )


def plans_table(events: pd.DataFrame, sc: Scenario, now: float) -> pd.DataFrame:
    """One row per yearly service plan: start, renewals and the lapse (if any) by day ``now``."""
    ev = events["event_type"].cat.codes.to_numpy()
    start = events.loc[ev == EV["plan_start"], ["order_id", "customer_id", "time_days"]]
    start = start.rename(columns={"order_id": "plan_id", "time_days": "start_day"})
    ren = events.loc[ev == EV["plan_renewal"]].groupby("order_id").size()
    lapse = events.loc[ev == EV["plan_lapse"]].set_index("order_id")["time_days"]
    pid = start["plan_id"].to_numpy()
    out = pd.DataFrame(
        {
            "plan_id": pid.astype(np.int64),
            "customer_id": start["customer_id"].to_numpy().astype(np.int64),
            "start_day": start["start_day"].to_numpy(),
            "renewals": ren.reindex(pid, fill_value=0).to_numpy().astype(np.int64),
            "lapsed_day": lapse.reindex(pid).to_numpy(dtype=float),
        }
    )
    out["active_at_end"] = out["lapsed_day"].isna()
    return out.sort_values("plan_id", kind="stable").reset_index(drop=True)
