"""Cohorts, survival and churn (course modules 3 and 4): who stays, for how long, and why they leave."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..common.checks import check_choice, check_number, require_columns, require_rows
from ..model.records import CHURN_REASONS


def _period_index(dates: pd.Series, freq: str) -> np.ndarray:
    d = pd.to_datetime(dates)
    if freq == "M":
        return (d.dt.year * 12 + d.dt.month - 1).to_numpy(dtype="int64")
    return (d.dt.year * 4 + (d.dt.month - 1) // 3).to_numpy(dtype="int64")


def _period_label(idx: int, freq: str) -> str:
    if freq == "M":
        return f"{idx // 12:04d}-{idx % 12 + 1:02d}"
    return f"{idx // 4:04d}Q{idx % 4 + 1}"


def cohort_retention(
    orders: pd.DataFrame,
    *,
    freq: str = "M",
    customer_col: str = "customer_id",
    include_contract: bool = True,
    wide: bool = False,
) -> pd.DataFrame:
    """Share of each acquisition cohort that orders in each later month or quarter.

    A customer's cohort is the calendar period (``freq="M"`` month, ``"Q"`` quarter) of its
    first order in `orders`. For cohort c and age k (periods after the cohort period)
    ``retention(c, k) = customers of c with an order in period c + k / customers of c``; age 0
    is 1 by construction. Ages beyond the last period with any order in the data are not shown.

    Parameters
    ----------
    orders : DataFrame
        ``customer_id``, ``date`` (datetime) and, unless `include_contract`, ``contract``.
    wide : bool
        Return a cohort x age matrix of retention shares (for a heatmap) instead of a tidy table.

    Returns
    -------
    Tidy DataFrame with ``cohort`` (label like "2024-03" or "2024Q1"), ``age``,
    ``customers`` (cohort size), ``active`` and ``retention``; or, if `wide`, the pivoted
    shares indexed by cohort.

    Notes
    -----
    Cohort analysis separates the ageing of relationships from changes in the customer mix
    (Glenn, *Cohort Analysis*, 2005); activity is observed purchase activity, not the hidden
    "alive" state.
    """
    check_choice(freq, "freq", ["M", "Q"])
    require_columns(orders, "orders", [customer_col, "date"] + ([] if include_contract else ["contract"]))
    require_rows(orders, "orders")
    use = orders if include_contract else orders.loc[~orders["contract"].astype(bool)]
    per = pd.DataFrame({"c": use[customer_col].to_numpy(), "p": _period_index(use["date"], freq)})
    first = per.groupby("c")["p"].min()
    per["cohort"] = first.reindex(per["c"].to_numpy()).to_numpy()
    per["age"] = per["p"] - per["cohort"]
    active = per.drop_duplicates(["c", "p"]).groupby(["cohort", "age"]).size()
    sizes = first.value_counts()
    last = int(per["p"].max())
    rows = []
    for c in sorted(sizes.index):
        n = int(sizes.loc[c])
        for k in range(0, last - int(c) + 1):
            a = int(active.get((c, k), 0))
            rows.append((_period_label(int(c), freq), k, n, a, a / n))
    out = pd.DataFrame(rows, columns=["cohort", "age", "customers", "active", "retention"])
    out["cohort"] = out["cohort"].astype("str")
    if wide:
        return out.pivot(index="cohort", columns="age", values="retention")
    return out


def kaplan_meier(durations, events) -> pd.DataFrame:
    """Kaplan-Meier estimate of the survival function with Greenwood standard errors.

    ``S(t) = prod_{t_i <= t} (1 - d_i / n_i)``, where ``d_i`` are events at time t_i and
    ``n_i`` subjects still at risk just before t_i (censored subjects leave the risk set
    after their time). ``Var S(t) = S(t)^2 sum_{t_i <= t} d_i / (n_i (n_i - d_i))``
    (Kaplan & Meier 1958, *JASA* 53; Greenwood 1926).

    Parameters
    ----------
    durations : array-like of float
        Time from the origin to the event or to censoring (>= 0).
    events : array-like of bool
        True if the event was observed, False if the subject was censored.

    Returns
    -------
    DataFrame with one row per distinct time (starting with 0): ``time``, ``at_risk``,
    ``events``, ``censored``, ``survival``, ``se``, ``lower_95`` and ``upper_95``
    (plain Wald interval, clipped to [0, 1]).
    """
    t = np.asarray(durations, dtype=float)
    e = np.asarray(events, dtype=bool)
    if t.ndim != 1 or t.shape != e.shape:
        raise ValueError(f"durations and events must be 1-D of equal length; got {t.shape} and {e.shape}")
    if t.size == 0:
        raise ValueError("durations is empty; at least one subject is needed")
    if not np.all(np.isfinite(t)) or np.any(t < 0):
        raise ValueError("durations must be finite numbers >= 0")
    times, inv = np.unique(t, return_inverse=True)
    d = np.bincount(inv, weights=e.astype(float), minlength=times.size)
    c = np.bincount(inv, weights=(~e).astype(float), minlength=times.size)
    leaving = d + c
    at_risk = t.size - np.concatenate([[0.0], np.cumsum(leaving)[:-1]])
    factor = 1.0 - d / at_risk
    surv = np.cumprod(factor)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(at_risk - d > 0, d / (at_risk * (at_risk - d)), np.nan)
    green = np.nancumsum(terms)
    se = surv * np.sqrt(green)
    if times[0] > 0:
        times = np.concatenate([[0.0], times])
        at_risk = np.concatenate([[float(t.size)], at_risk])
        d, c = np.concatenate([[0.0], d]), np.concatenate([[0.0], c])
        surv, se = np.concatenate([[1.0], surv]), np.concatenate([[0.0], se])
    return pd.DataFrame(
        {
            "time": times,
            "at_risk": at_risk.astype("int64"),
            "events": d.astype("int64"),
            "censored": c.astype("int64"),
            "survival": surv,
            "se": se,
            "lower_95": np.clip(surv - 1.96 * se, 0.0, 1.0),
            "upper_95": np.clip(surv + 1.96 * se, 0.0, 1.0),
        }
    )


def customer_durations(
    customers: pd.DataFrame,
    *,
    as_of_day: float,
    basis: str = "dormancy",
    dormancy_days: float = 365.0,
    lapse_at: str = "last_order",
) -> pd.DataFrame:
    """Relationship length (days since acquisition) and whether it ended, per customer.

    basis="dropout" (hidden truth, a teaching view): the event is the model's true dropout;
    duration = ``dropped_day - acquired_day`` for customers who dropped out by `as_of_day`,
    else censored at ``as_of_day - acquired_day``.

    basis="dormancy" (what a firm can observe): a customer with no order for more than
    `dormancy_days` counts as lost, with duration = ``last_order_day - acquired_day`` (the
    visible part of the relationship; ``lapse_at="last_order"``) or
    ``last_order_day + dormancy_days - acquired_day`` (the day the firm notices;
    ``lapse_at="declared"``); everyone else is censored at ``as_of_day - acquired_day``.
    Only customers acquired by `as_of_day` are included.

    Comparing the two bases shows that "dormant" is not "gone": under BG/NBD-type buying a
    customer with one order and a low purchase rate is silent for long but still active.
    Right censoring follows Kaplan & Meier (1958): a customer still active at `as_of_day`
    only tells us the relationship lasts at least that long.

    Returns a DataFrame indexed by customer with ``duration_days`` and ``event`` (bool).
    """
    check_choice(basis, "basis", ["dropout", "dormancy"])
    check_choice(lapse_at, "lapse_at", ["last_order", "declared"])
    as_of = check_number(as_of_day, "as_of_day")
    need = ["customer_id", "acquired_day"] + (["dropped_day"] if basis == "dropout" else ["last_order_day"])
    require_columns(customers, "customers", need)
    c = customers.loc[customers["acquired_day"] <= as_of]
    acq = c["acquired_day"].to_numpy(dtype=float)
    if basis == "dropout":
        dropped = c["dropped_day"].to_numpy(dtype=float)
        event = np.isfinite(dropped) & (dropped <= as_of)
        end = np.where(event, dropped, as_of)
    else:
        dd = check_number(dormancy_days, "dormancy_days", lo=0.0, lo_open=True)
        last = c["last_order_day"].to_numpy(dtype=float)
        last = np.where(np.isfinite(last), np.minimum(last, as_of), acq)
        event = (as_of - last) > dd
        end = np.where(event, last + (dd if lapse_at == "declared" else 0.0), as_of)
    out = pd.DataFrame({"duration_days": np.maximum(end - acq, 0.0), "event": event}, index=c["customer_id"].to_numpy())
    out.index.name = "customer_id"
    return out


def survival_table(
    customers: pd.DataFrame,
    *,
    as_of_day: float,
    basis: str = "dormancy",
    dormancy_days: float = 365.0,
    lapse_at: str = "last_order",
    group_col: str | None = None,
) -> pd.DataFrame:
    """Kaplan-Meier survival of customer relationships, optionally by group (e.g. ``segment``).

    Combines :func:`customer_durations` (right-censored at `as_of_day`) with
    :func:`kaplan_meier`. Returns the Kaplan-Meier table with ``time`` in days plus a
    ``group`` column (``"all"`` without `group_col`) and ``basis``.
    """
    if group_col is not None:
        require_columns(customers, "customers", [group_col])
    dur = customer_durations(
        customers, as_of_day=as_of_day, basis=basis, dormancy_days=dormancy_days, lapse_at=lapse_at
    )
    require_rows(dur, "customers acquired by as_of_day")
    if group_col is None:
        groups = {"all": np.ones(len(dur), dtype=bool)}
    else:
        g = customers.set_index("customer_id")[group_col].reindex(dur.index).astype("str").to_numpy()
        groups = {k: g == k for k in sorted(pd.unique(g))}
    frames = []
    for name, mask in groups.items():
        km = kaplan_meier(dur["duration_days"].to_numpy()[mask], dur["event"].to_numpy()[mask])
        km.insert(0, "group", name)
        frames.append(km)
    out = pd.concat(frames, ignore_index=True)
    out["group"] = out["group"].astype("str")
    out["basis"] = basis
    return out


def churn_reasons(customers: pd.DataFrame, *, group_col: str | None = None) -> pd.DataFrame:
    """Counts and shares of churn reasons among customers who left.

    A customer counts as churned when ``churn_reason`` is not missing. Returns one row per
    reason (the model's reasons first, in :data:`CHURN_REASONS` order, including zero counts)
    and group, with ``customers``, ``share`` (of churned customers in the group) and
    ``share_of_all`` (of all customers in the group).

    The course quotes that about 60% of lost customers leave because of poor service and
    about 13% because of the product; this table lets students test such claims. In the
    model the reason is recorded when a customer leaves (an exit interview that always works).
    """
    require_columns(customers, "customers", ["churn_reason"] + ([group_col] if group_col else []))
    require_rows(customers, "customers")
    reason = customers["churn_reason"]
    churned = reason.notna().to_numpy()
    groups = customers[group_col].astype("str").to_numpy() if group_col else np.full(len(customers), "all")
    extra = sorted(set(reason.dropna().astype(str)) - set(CHURN_REASONS))
    order = [*CHURN_REASONS, *extra]
    rows = []
    r = reason.astype("str").to_numpy()
    for gname in sorted(set(groups)):
        in_g = groups == gname
        n_all = int(in_g.sum())
        n_churn = int((in_g & churned).sum())
        for name in order:
            k = int((in_g & churned & (r == name)).sum())
            rows.append((gname, name, k, k / n_churn if n_churn else np.nan, k / n_all))
    out = pd.DataFrame(rows, columns=["group", "reason", "customers", "share", "share_of_all"])
    out[["group", "reason"]] = out[["group", "reason"]].astype("str")
    return out
