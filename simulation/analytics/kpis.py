"""The course's KPI system and a balanced scorecard for evaluating CRM (course module 5)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..common.checks import check_number, check_weights, require_columns
from .value import customer_profit, pareto_table

#: KPI name -> (KPI group of the course's system, balanced-scorecard perspective, unit, higher is better).
KPI_DEFINITIONS: dict[str, tuple[str, str, str, bool]] = {
    "satisfaction_mean": ("satisfaction", "customer", "points (0-100)", True),
    "satisfied_share": ("satisfaction", "customer", "share", True),
    "satisfaction_change": ("satisfaction", "customer", "points", True),
    "nps": ("satisfaction", "customer", "points (-100..100)", True),
    "repeat_customer_share": ("loyalty", "customer", "share", True),
    "active_customer_share": ("loyalty", "customer", "share", True),
    "orders_per_customer_year": ("loyalty", "customer", "orders/customer/year", True),
    "revenue_cny": ("customer_value", "financial", "CNY", True),
    "profit_cny": ("customer_value", "financial", "CNY", True),
    "profit_per_customer_cny": ("customer_value", "financial", "CNY/customer", True),
    "top20_profit_share": ("customer_value", "financial", "share", True),
    "customer_equity_cny": ("customer_value", "financial", "CNY", True),
    "acquisition_cost_per_customer_cny": ("activity_effectiveness", "internal_process", "CNY/customer", False),
    "cost_to_serve_share": ("activity_effectiveness", "internal_process", "share of revenue", False),
    "late_delivery_rate": ("activity_effectiveness", "internal_process", "share of orders", False),
    "installation_problem_rate": ("activity_effectiveness", "internal_process", "share of orders", False),
    "product_failure_rate": ("activity_effectiveness", "internal_process", "share of orders", False),
    "centre_service_level": ("satisfaction", "customer", "share of calls", True),
    "centre_cost_share": ("activity_effectiveness", "internal_process", "share of revenue", False),
    "new_customers": ("activity_effectiveness", "customer", "customers", True),
    "referral_share": ("loyalty", "customer", "share of new customers", True),
    "campaign_roi": ("activity_effectiveness", "financial", "ratio", True),
    "first_contact_resolution": ("activity_effectiveness", "learning_growth", "share of answered complaints", True),
    "staff_skills": ("activity_effectiveness", "learning_growth", "0-1", True),
    "staff_empowerment": ("activity_effectiveness", "learning_growth", "0-1", True),
    "data_completeness": ("activity_effectiveness", "learning_growth", "share of required fields", True),
    "shared_record_share": ("activity_effectiveness", "learning_growth", "share of departments", True),
}

#: Learning-and-growth measures that come from outside the order and customer tables: the
#: firm's own records of its people, systems and data (:func:`kpi_table` arguments).
LEARNING_GROWTH_INPUTS = ("staff_skills", "staff_empowerment", "data_completeness", "shared_record_share")

PERSPECTIVES = ["financial", "customer", "internal_process", "learning_growth"]
#: The course's KPI system: four groups of indicators.
KPI_GROUPS = ["satisfaction", "loyalty", "customer_value", "activity_effectiveness"]


def kpi_table(
    orders: pd.DataFrame,
    customers: pd.DataFrame,
    *,
    as_of_day: float,
    window_days: float = 365.0,
    satisfied_threshold: float = 70.0,
    clv: pd.DataFrame | pd.Series | None = None,
    nps: float | None = None,
    campaign_roi: float | None = None,
    centre_service_level: float | None = None,
    centre_cost_cny: float | None = None,
    complaints: pd.DataFrame | None = None,
    staff_skills: float | None = None,
    staff_empowerment: float | None = None,
    data_completeness: float | None = None,
    shared_record_share: float | None = None,
) -> pd.DataFrame:
    """Tidy KPI table in the course's four KPI groups: satisfaction, loyalty, customer value,
    effectiveness of CRM activities.

    Everything is computed from what the firm can observe up to `as_of_day` (no hidden-truth
    columns). "Recent" means the last `window_days`.

    Parameters
    ----------
    orders, customers : DataFrame
        The model's tables (see the table contract in the data dictionary).
    satisfied_threshold : float
        Satisfaction (0-100) at or above which a customer counts as satisfied.
    clv : DataFrame with ``clv_cny`` or Series, optional
        Per-customer CLV; its sum is reported as ``customer_equity_cny``.
    nps, campaign_roi : float, optional
        Results of a survey (:func:`nps`) or a campaign (:func:`campaign_lift`) to include.
    centre_service_level, centre_cost_cny : float, optional
        The contact centre's phone service level and its capacity cost (``Result.summary()``'s
        ``centre_service_level`` and ``centre_capacity_cost_cny``); the cost is reported as
        ``centre_cost_share``, a share of revenue, so that staffing is a trade-off in the
        scorecard between the customer and the internal-process perspectives.
    complaints : DataFrame, optional
        ``Result.complaints``; gives ``first_contact_resolution``, the share of answered
        complaints the first agent solved (staff skills and empowerment at work).
    staff_skills, staff_empowerment, data_completeness, shared_record_share : float, optional
        Learning-and-growth measures from the firm's own records, each in [0, 1]: the desk
        staff's skill in apology and explanation (raised by training; the scenario's
        ``complaints.recovery.courtesy``), the share of otherwise escalated complaints the
        first agent may solve (``complaints.recovery.empowerment``), the share of required
        fields filled in the customer records (a data audit, module 3) and the share of
        departments working on the shared customer record (module 1).

    Returns
    -------
    DataFrame with ``group``, ``perspective`` (balanced scorecard), ``kpi``, ``value``,
    ``unit`` and ``higher_is_better``; definitions in :data:`KPI_DEFINITIONS`.

    Notes
    -----
    Formulas: satisfied_share = share with satisfaction_final >= threshold;
    repeat_customer_share = share with >= 2 orders; active_customer_share = share with an
    order in the window; orders_per_customer_year = orders in the window / customers /
    (window in years); profit as in :func:`customer_profit`; top20_profit_share from
    :func:`pareto_table`; rates per order; new_customers and referral_share over the window.
    """
    require_columns(
        orders, "orders", ["customer_id", "time_days", "late_delivery", "installation_problem", "product_failure"]
    )
    require_columns(
        customers,
        "customers",
        [
            "customer_id",
            "channel",
            "acquired_day",
            "acquisition_cost_cny",
            "satisfaction_initial",
            "satisfaction_final",
        ],
    )
    as_of = check_number(as_of_day, "as_of_day")
    win = check_number(window_days, "window_days", lo=0.0, lo_open=True)
    thr = check_number(satisfied_threshold, "satisfied_threshold", lo=0.0, hi=100.0)
    cust = customers.loc[customers["acquired_day"] <= as_of]
    if len(cust) == 0:
        raise ValueError(f"no customers acquired by as_of_day={as_of:g}; choose a later as_of_day")
    o = orders.loc[orders["time_days"] <= as_of]
    recent = o.loc[o["time_days"] > as_of - win]
    n = len(cust)
    n_orders = o.groupby("customer_id").size().reindex(cust["customer_id"]).fillna(0)
    profit = customer_profit(o, cust)
    new = cust.loc[cust["acquired_day"] > as_of - win]
    sat = cust["satisfaction_final"].astype(float)
    values = {
        "satisfaction_mean": float(sat.mean()),
        "satisfied_share": float((sat >= thr).mean()),
        "satisfaction_change": float((sat - cust["satisfaction_initial"].astype(float)).mean()),
        "nps": np.nan if nps is None else float(nps),
        "repeat_customer_share": float((n_orders >= 2).mean()),
        "active_customer_share": float(cust["customer_id"].isin(recent["customer_id"]).mean()),
        "orders_per_customer_year": len(recent) / n / (win / 365.0),
        "revenue_cny": float(profit["revenue_cny"].sum()),
        "profit_cny": float(profit["profit_cny"].sum()),
        "profit_per_customer_cny": float(profit["profit_cny"].mean()),
        "top20_profit_share": float(pareto_table(profit).set_index("measure").loc["top_profit_share", "value"]),
        "customer_equity_cny": np.nan,
        "acquisition_cost_per_customer_cny": float(cust["acquisition_cost_cny"].mean()),
        "cost_to_serve_share": float(profit["cost_to_serve_cny"].sum() / profit["revenue_cny"].sum())
        if profit["revenue_cny"].sum() > 0
        else np.nan,
        "late_delivery_rate": float(o["late_delivery"].astype(bool).mean()) if len(o) else np.nan,
        "installation_problem_rate": float(o["installation_problem"].astype(bool).mean()) if len(o) else np.nan,
        "product_failure_rate": float(o["product_failure"].astype(bool).mean()) if len(o) else np.nan,
        "new_customers": float(len(new)),
        "referral_share": float((new["channel"] == "referral").mean()) if len(new) else np.nan,
        "campaign_roi": np.nan if campaign_roi is None else float(campaign_roi),
        "centre_service_level": np.nan if centre_service_level is None else float(centre_service_level),
        "centre_cost_share": float(centre_cost_cny) / float(profit["revenue_cny"].sum())
        if centre_cost_cny is not None and profit["revenue_cny"].sum() > 0
        else np.nan,
    }
    if complaints is not None:
        require_columns(complaints, "complaints", ["answered_day", "first_contact_resolution"])
        answered = complaints.loc[complaints["answered_day"].notna()]
        if len(answered):
            values["first_contact_resolution"] = float(answered["first_contact_resolution"].astype(bool).mean())
    for name, given in (
        ("staff_skills", staff_skills),
        ("staff_empowerment", staff_empowerment),
        ("data_completeness", data_completeness),
        ("shared_record_share", shared_record_share),
    ):
        if given is not None:
            values[name] = check_number(given, name, lo=0.0, hi=1.0)
    if clv is not None:
        s = clv if isinstance(clv, pd.Series) else None
        if s is None:
            require_columns(clv, "clv", ["clv_cny"])
            s = clv["clv_cny"]
        values["customer_equity_cny"] = float(s.astype(float).sum())
    rows = [
        (*KPI_DEFINITIONS[k][:2], k, v, KPI_DEFINITIONS[k][2], KPI_DEFINITIONS[k][3])
        for k, v in values.items()
        if not (isinstance(v, float) and np.isnan(v))
    ]
    out = pd.DataFrame(rows, columns=["group", "perspective", "kpi", "value", "unit", "higher_is_better"])
    for c in ("group", "perspective", "kpi", "unit"):
        out[c] = out[c].astype("str")
    return out


def balanced_scorecard(
    kpis: pd.DataFrame,
    *,
    targets: dict[str, float],
    weights: dict[str, float] | None = None,
    kpi_weights: dict[str, float] | None = None,
    cap: float = 1.2,
) -> pd.DataFrame:
    """Score KPIs against targets in the four perspectives of the balanced scorecard.

    ``achievement = value / target`` (higher is better) or ``target / value`` (lower is
    better), clipped to [0, cap]; ``points = 100 * w_perspective * w_kpi * achievement``,
    where the KPI weights are normalised within each perspective and the perspective weights
    over the perspectives that have a scored KPI. The total (:func:`scorecard_score`) is 100
    when every target is met exactly.

    Parameters
    ----------
    kpis : DataFrame
        :func:`kpi_table` output (``perspective``, ``kpi``, ``value``, ``higher_is_better``).
    targets : dict
        ``{kpi: target}``; only KPIs with a target are scored. Targets must be > 0.
        Give ``customer_equity_cny`` a target so that harvesting customers (cutting service
        to lift this year's profit) costs points: profit rises, customer equity falls.
    weights : dict, optional
        Perspective weights (default equal): financial, customer, internal_process, learning_growth.
    kpi_weights : dict, optional
        Relative KPI weights within their perspective (default 1 each).
    cap : float
        Highest achievement credited (>= 1), so one over-achieved KPI cannot hide others.

    Returns
    -------
    DataFrame with ``perspective``, ``kpi``, ``value``, ``target``, ``achievement``,
    ``weight`` (overall, sums to 1) and ``points``.

    Notes
    -----
    Kaplan & Norton (1992), "The balanced scorecard: measures that drive performance",
    *Harvard Business Review* 70(1).
    """
    require_columns(kpis, "kpis", ["perspective", "kpi", "value", "higher_is_better"])
    cap = check_number(cap, "cap", lo=1.0)
    if not isinstance(targets, Mapping) or not targets:
        raise ValueError(f"targets must be a non-empty dict of kpi -> target; got {targets!r}")
    known = kpis.set_index("kpi")
    for k, t in targets.items():
        if k not in known.index:
            raise ValueError(f"targets names kpi {k!r}, which is not in kpis (has: {', '.join(known.index)})")
        check_number(t, f"targets[{k!r}]", lo=0.0, lo_open=True)
    pw = check_weights({p: 1.0 for p in PERSPECTIVES} if weights is None else weights, "weights", PERSPECTIVES)
    kw = check_weights(kpi_weights, "kpi_weights") if kpi_weights is not None else {}
    rows = []
    for k, t in targets.items():
        v = float(known.loc[k, "value"])
        hib = bool(known.loc[k, "higher_is_better"])
        if hib:
            ach = v / t
        else:
            ach = cap if v <= 0 else t / v
        rows.append((str(known.loc[k, "perspective"]), k, v, float(t), float(np.clip(ach, 0.0, cap)), kw.get(k, 1.0)))
    card = pd.DataFrame(rows, columns=["perspective", "kpi", "value", "target", "achievement", "kw"])
    used = [p for p in PERSPECTIVES if p in set(card["perspective"]) and pw.get(p, 0.0) > 0]
    if not used:
        raise ValueError("no scored KPI lies in a perspective with positive weight; check targets and weights")
    p_total = sum(pw[p] for p in used)
    within = card.groupby("perspective")["kw"].transform("sum")
    p_share = card["perspective"].map(lambda p: pw.get(p, 0.0) / p_total if p in used else 0.0)
    card["weight"] = p_share * card["kw"] / within.where(within > 0, 1.0)
    card["points"] = 100.0 * card["weight"] * card["achievement"]
    order = {p: i for i, p in enumerate(PERSPECTIVES)}
    card = card.sort_values("perspective", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
    return card.drop(columns="kw")


def scorecard_score(card: pd.DataFrame) -> float:
    """Total balanced-scorecard points (100 = all targets met exactly)."""
    require_columns(card, "card", ["points"])
    return float(card["points"].sum())


def scorecard_by_group(card: pd.DataFrame) -> pd.DataFrame:
    """The scorecard's KPIs regrouped by the course's four KPI groups (:data:`KPI_GROUPS`):
    satisfaction, loyalty, customer value, effectiveness of CRM activities.

    Parameters
    ----------
    card : DataFrame
        :func:`balanced_scorecard` output (or a :func:`kpi_table`; needs ``kpi`` and
        ``perspective``).

    Returns
    -------
    The same rows with a ``group`` column first, sorted by group in the course's order, then by
    perspective: each KPI has one group (what it measures) and one perspective (where the
    scorecard counts it), from :data:`KPI_DEFINITIONS`.
    """
    require_columns(card, "card", ["kpi", "perspective"])
    unknown = sorted(set(card["kpi"]) - set(KPI_DEFINITIONS))
    if unknown:
        raise ValueError(f"card has KPI(s) {unknown} that are not in KPI_DEFINITIONS")
    out = card.copy()
    out.insert(0, "group", out["kpi"].map(lambda k: KPI_DEFINITIONS[k][0]).astype("str"))
    g = {x: i for i, x in enumerate(KPI_GROUPS)}
    p = {x: i for i, x in enumerate(PERSPECTIVES)}
    key = out["group"].map(g) * 10 + out["perspective"].map(p)
    return out.iloc[np.argsort(key.to_numpy(), kind="stable")].reset_index(drop=True)
