"""Course views of the model's own tables: counts per period, per stage, per channel.

Pure functions, DataFrame in and DataFrame out, that the course figures
(:mod:`simulation.figures`) and notebooks show. They only summarise a
:class:`simulation.Result`'s tables; they never simulate. Column names follow the data
dictionary, so :func:`simulation.common.i18n.headers` translates them.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..common.checks import require_columns
from ..model.records import CATEGORIES, CHANNEL_CODES, STAGES

__all__ = [
    "stage_counts",
    "orders_by_period",
    "customers_by_period",
    "channel_table",
    "category_table",
    "kpi_frame",
    "department_view",
    "department_comparison",
    "survey_estimates",
    "selection_check",
    "levers_table",
    "loss_type_summary",
    "loss_maker_table",
    "dormancy_table",
]


def _positive(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive number of days; got {value!r}.")
    return float(value)


def _grid(as_of_day: float, step: float) -> np.ndarray:
    n = int(math.floor(as_of_day / step + 1e-9))
    days = np.arange(n + 1) * step
    if days[-1] < as_of_day - 1e-9:
        days = np.append(days, as_of_day)
    return days


def stage_counts(lifecycle: pd.DataFrame, *, as_of_day: float, step_days: float = 7.0) -> pd.DataFrame:
    """Customers in each lifecycle stage, every ``step_days`` from day 0 to ``as_of_day``.

    A customer is counted in stage s at day d when the last transition at or before d led
    into s: ``count_s(d) = #entries into s up to d - #exits from s up to d``.

    Returns
    -------
    DataFrame
        ``day`` and one column per stage (contact, development, maintenance, decline, termination).
    """
    require_columns(lifecycle, "lifecycle", ["customer_id", "time_days", "from_stage", "to_stage"])
    step = _positive(step_days, "step_days")
    _positive(as_of_day, "as_of_day")
    days = _grid(as_of_day, step)
    t = lifecycle["time_days"].to_numpy(dtype=float)
    to = lifecycle["to_stage"].astype(str).to_numpy()
    fr = lifecycle["from_stage"].astype(str).to_numpy()
    out = {"day": days}
    for s in STAGES:
        enter = np.sort(t[to == s])
        leave = np.sort(t[fr == s])
        out[s] = (np.searchsorted(enter, days, side="right") - np.searchsorted(leave, days, side="right")).astype(
            np.int64
        )
    return pd.DataFrame(out)


def orders_by_period(
    orders: pd.DataFrame, *, as_of_day: float, period_days: float = 30.0, include_contract: bool = False
) -> pd.DataFrame:
    """Orders, revenue, margin and ordering customers per period of ``period_days``.

    Returns
    -------
    DataFrame
        ``period`` (1, 2, ...), ``start_day``, ``orders``, ``revenue_cny``, ``margin_cny``,
        ``active_customers`` (customers with at least one order in the period). Every period
        up to ``as_of_day`` appears, with zeros where nothing was ordered.
    """
    require_columns(orders, "orders", ["customer_id", "time_days", "amount_cny", "margin_cny", "contract"])
    step = _positive(period_days, "period_days")
    n = max(1, int(math.ceil(_positive(as_of_day, "as_of_day") / step - 1e-9)))
    use = orders if include_contract else orders.loc[~orders["contract"].astype(bool)]
    use = use.loc[use["time_days"] < n * step]
    k = np.minimum((use["time_days"].to_numpy() // step).astype(np.int64), n - 1)
    g = pd.DataFrame(
        {
            "k": k,
            "c": use["customer_id"].to_numpy(),
            "a": use["amount_cny"].to_numpy(),
            "m": use["margin_cny"].to_numpy(),
        }
    ).groupby("k")
    idx = np.arange(n)
    return pd.DataFrame(
        {
            "period": idx + 1,
            "start_day": idx * step,
            "orders": g.size().reindex(idx, fill_value=0).to_numpy().astype(np.int64),
            "revenue_cny": g["a"].sum().reindex(idx, fill_value=0.0).to_numpy(),
            "margin_cny": g["m"].sum().reindex(idx, fill_value=0.0).to_numpy(),
            "active_customers": g["c"].nunique().reindex(idx, fill_value=0).to_numpy().astype(np.int64),
        }
    )


def customers_by_period(customers: pd.DataFrame, *, as_of_day: float, period_days: float = 30.0) -> pd.DataFrame:
    """New customers, leavers (hidden truth) and the running total per period.

    Returns
    -------
    DataFrame
        ``period``, ``start_day``, ``new_customers`` (first order in the period),
        ``leavers_truth`` (silently left in the period), ``cumulative_customers``.
    """
    require_columns(customers, "customers", ["acquired_day", "dropped_day"])
    step = _positive(period_days, "period_days")
    n = max(1, int(math.ceil(_positive(as_of_day, "as_of_day") / step - 1e-9)))

    def per_period(days: pd.Series) -> np.ndarray:
        d = days.dropna().to_numpy(dtype=float)
        d = d[d < n * step]
        return np.bincount(np.minimum((d // step).astype(np.int64), n - 1), minlength=n)

    new = per_period(customers["acquired_day"])
    return pd.DataFrame(
        {
            "period": np.arange(1, n + 1),
            "start_day": np.arange(n) * step,
            "new_customers": new.astype(np.int64),
            "leavers_truth": per_period(customers["dropped_day"]).astype(np.int64),
            "cumulative_customers": np.cumsum(new).astype(np.int64),
        }
    )


def channel_table(customers: pd.DataFrame) -> pd.DataFrame:
    """Acquisition per channel: customers, total and unit cost, revenue and orders per customer.

    Only acquired customers (a first order) count. Referral costs are the rewards paid.

    Returns
    -------
    DataFrame indexed by nothing, one row per channel in the order store, web, dealer, referral:
    ``channel``, ``customers``, ``acquisition_cost_cny``, ``cost_per_customer_cny``,
    ``revenue_cny``, ``revenue_per_customer_cny``, ``mean_orders``.
    """
    require_columns(
        customers, "customers", ["channel", "acquired_day", "acquisition_cost_cny", "revenue_cny", "n_orders"]
    )
    acq = customers.loc[customers["acquired_day"].notna()]
    g = acq.groupby(acq["channel"].astype(str))
    out = pd.DataFrame(
        {
            "customers": g.size(),
            "acquisition_cost_cny": g["acquisition_cost_cny"].sum(),
            "revenue_cny": g["revenue_cny"].sum(),
            "orders": g["n_orders"].sum(),
        }
    ).reindex(list(CHANNEL_CODES), fill_value=0)
    n = out["customers"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["cost_per_customer_cny"] = np.where(n > 0, out["acquisition_cost_cny"] / n, np.nan)
        out["revenue_per_customer_cny"] = np.where(n > 0, out["revenue_cny"] / n, np.nan)
        out["mean_orders"] = np.where(n > 0, out["orders"] / n, np.nan)
    out = out.rename_axis("channel").reset_index()
    out["customers"] = out["customers"].astype(np.int64)
    return out[
        [
            "channel",
            "customers",
            "acquisition_cost_cny",
            "cost_per_customer_cny",
            "revenue_cny",
            "revenue_per_customer_cny",
            "mean_orders",
        ]
    ]


def category_table(orders: pd.DataFrame) -> pd.DataFrame:
    """The product-centric report: orders, revenue and gross margin per product category."""
    require_columns(orders, "orders", ["category", "amount_cny", "margin_cny"])
    g = orders.groupby(orders["category"].astype(str))
    out = pd.DataFrame(
        {"orders": g.size(), "revenue_cny": g["amount_cny"].sum(), "margin_cny": g["margin_cny"].sum()}
    ).reindex(list(CATEGORIES), fill_value=0)
    out["orders"] = out["orders"].astype(np.int64)
    return out.rename_axis("category").reset_index()


def kpi_frame(summaries: dict, keys=None) -> pd.DataFrame:
    """Several runs' :meth:`Result.summary` dicts side by side: one row per KPI, one column per run.

    Parameters
    ----------
    summaries : dict
        ``{run name: summary dict}``.
    keys : list of str, optional
        KPI keys to keep (default: every numeric KPI except the seed and the days).
    """
    if not isinstance(summaries, dict) or not summaries:
        raise ValueError("summaries must be a non-empty dict {run name: Result.summary()}.")
    first = next(iter(summaries.values()))
    if keys is None:
        keys = [k for k, v in first.items() if k not in ("seed", "days") and isinstance(v, (int, float))]
    for name, s in summaries.items():
        missing = [k for k in keys if k not in s]
        if missing:
            raise ValueError(f"summary {name!r} has no KPI {missing[0]!r}.")
    return pd.DataFrame({name: [s[k] for k in keys] for name, s in summaries.items()}, index=pd.Index(keys, name="kpi"))


def department_view(result) -> pd.DataFrame:
    """Each department's own yardstick, read from one run — and the customers nobody counts.

    Returns
    -------
    DataFrame
        ``department`` (label key), ``kpi`` (label key) and ``value``: marketing's customers
        acquired and cost per customer, sales' orders and revenue, the delivery centre's
        late deliveries (% of deliveries), the repair centre's repairs and their cost, finance's profit,
        and — with no department — the customers who silently left (hidden truth).
    """
    o, c = result.orders, result.customers
    s = result.summary()
    nc = o.loc[~o["contract"].astype(bool)]
    delivered = nc.loc[nc["delivery_cost_cny"] > 0]
    acquired = c.loc[c["acquired_day"].notna()]
    rows = [
        ("marketing", "customers_acquired", float(s["customers_acquired"])),
        (
            "marketing",
            "cost_per_customer_cny",
            float(acquired["acquisition_cost_cny"].mean()) if len(acquired) else math.nan,
        ),
        ("sales", "orders", float(s["orders"])),
        ("sales", "revenue_cny", float(s["revenue_cny"])),
        (
            "delivery_centre",
            "late_delivery_pct",
            100.0 * float(delivered["late_delivery"].mean()) if len(delivered) else math.nan,
        ),
        ("repair_centre", "repairs", float(o["product_failure"].sum())),
        ("repair_centre", "repair_cost_cny", float(o["repair_cost_cny"].sum())),
        ("finance", "profit_cny", float(s["profit_cny"])),
        ("nobody", "customers_left_truth", float(s["customers_left_truth"])),
    ]
    return pd.DataFrame(rows, columns=["department", "kpi", "value"])


def department_comparison(results: dict, *, lang: str | None = None) -> pd.DataFrame:
    """:func:`department_view` of several runs side by side, labelled in ``lang``.

    ``results`` maps a run name to a :class:`Result`; the first run is the reference and a
    last column gives the change of the second run against it in percent. In Chinese the
    headers (and preset names used as run names) are Chinese too, ready to show.
    """
    from ..common.i18n import headers, label_or_key, resolve

    lang = resolve(lang)
    if not isinstance(results, dict) or not results:
        raise ValueError("results must be a non-empty dict {run name: Result}.")
    views = {name: department_view(r) for name, r in results.items()}
    first = next(iter(views.values()))
    out = pd.DataFrame(
        {
            "department": [label_or_key(d, lang) for d in first["department"]],
            "kpi": [label_or_key(k, lang) for k in first["kpi"]],
        }
    )
    for name, v in views.items():
        out[name] = v["value"].round(1).to_numpy()
    if len(views) >= 2:
        a, b = (v["value"].to_numpy() for v in list(views.values())[:2])
        with np.errstate(divide="ignore", invalid="ignore"):
            out["change_pct"] = np.round(np.where(a != 0, 100.0 * (b - a) / np.abs(a), np.nan), 1)
    return headers(out, lang) if lang == "zh" else out


def survey_estimates(
    customers: pd.DataFrame,
    *,
    n: int,
    response_rate: float,
    nonresponse_bias: float = 0.0,
    repeats: int = 100,
    seed: int = 1,
) -> pd.DataFrame:
    """The same satisfaction survey run ``repeats`` times: how its CSAT estimate scatters.

    Each repeat draws a new sample with :func:`simulation.analytics.simulate_survey` (one
    "overall" item on a 1-5 scale) and computes CSAT, the share answering 4 or 5. The truth,
    ``attrs["true_csat"]``, is the CSAT of a census — every acquired customer asked, all answering —
    averaged over ten censuses so that the answers' own noise hardly moves it.
    The scatter of the estimates is the sampling error (plus non-response bias when
    ``nonresponse_bias`` is not 0); with no bias its standard deviation is close to
    ``sqrt(p (1 - p) / respondents)``.

    Returns
    -------
    DataFrame
        One row per repeat: ``repeat``, ``respondents``, ``csat``.
    """
    from ..analytics.surveys import csat, simulate_survey

    require_columns(customers, "customers", ["customer_id", "satisfaction_final"])
    if isinstance(repeats, bool) or not isinstance(repeats, int) or repeats < 2:
        raise ValueError(f"repeats must be a whole number >= 2; got {repeats!r}.")
    pool = customers
    if "acquired_day" in customers.columns:
        pool = customers.loc[customers["acquired_day"].notna()]
    pool = pool[["customer_id", "satisfaction_final"]]
    rng = np.random.default_rng(seed)
    rows = []
    for k in range(repeats):
        s = simulate_survey(
            pool, n=n, response_rate=response_rate, nonresponse_bias=nonresponse_bias, seed=rng, items=("overall",)
        )
        answered = int(s["responded"].sum())
        rows.append((k + 1, answered, csat(s) if answered else math.nan))
    out = pd.DataFrame(rows, columns=["repeat", "respondents", "csat"])
    census_rng = np.random.default_rng([seed, 1])
    out.attrs["true_csat"] = float(
        np.mean(
            [
                csat(simulate_survey(pool, n=len(pool), response_rate=1.0, seed=census_rng, items=("overall",)))
                for _ in range(10)
            ]
        )
    )
    return out


def selection_check(result, *, as_of_day: float, weights: dict | None = None, groups: int = 4) -> pd.DataFrame:
    """Do the good-customer criteria pick the customers who turn out profitable?

    Scores every customer acquired by ``as_of_day`` with
    :func:`simulation.analytics.good_customer_score` on what the firm knew then, splits them
    into ``groups`` equal groups by score (1 = best), and reports each group's mean profit
    *after* ``as_of_day`` (margin minus cost to serve of later orders; acquisition is sunk).

    Returns
    -------
    DataFrame with ``group``, ``customers``, ``mean_score``, ``future_profit_per_customer_cny``.
    """
    from ..analytics.selection import good_customer_score, selection_inputs
    from ..analytics.value import customer_profit

    if not 0 < as_of_day < result.as_of_day:
        raise ValueError(f"as_of_day must lie inside the run (0, {result.as_of_day:g}); got {as_of_day!r}.")
    scores = good_customer_score(
        selection_inputs(result.orders, result.customers, as_of_day=as_of_day), weights=weights
    )
    later = result.orders.loc[result.orders["time_days"] > as_of_day]
    known = result.customers.loc[result.customers["customer_id"].isin(scores.index)]
    future = customer_profit(later, known, include_acquisition=False)["profit_cny"]
    s = scores["score"].rank(method="first", ascending=False)
    group = np.ceil(s / len(s) * groups).astype(int).clip(1, groups)
    frame = pd.DataFrame(
        {
            "group": group.to_numpy(),
            "score": scores["score"].to_numpy(),
            "future": future.reindex(scores.index).fillna(0.0).to_numpy(),
        }
    )
    g = frame.groupby("group")
    return pd.DataFrame(
        {
            "group": g.size().index,
            "customers": g.size().to_numpy(),
            "mean_score": g["score"].mean().to_numpy(),
            "future_profit_per_customer_cny": g["future"].mean().to_numpy(),
        }
    )


def levers_table(scenario, *, lang: str | None = None) -> pd.DataFrame:
    """The levers a scenario offers — the fields managers may change while the firm runs,
    without those of switched-off parts (:func:`simulation.scenario.offer.offered_levers`) —
    with their label and unit in ``lang`` and current value (``lever`` is the field's path)."""
    from ..common.i18n import resolve, unit_label
    from ..scenario.fields import field_rows
    from ..scenario.offer import offered_levers

    lang = resolve(lang)
    offered = set(offered_levers(scenario))
    rows = [
        (r["path"], r[lang] or r["en"], unit_label(r["unit"], lang), r["value"])
        for r in field_rows(scenario)
        if r["path"] in offered
    ]
    return pd.DataFrame(rows, columns=["lever", "label", "unit", "value"])


#: Row names of :func:`loss_maker_table` (English, Chinese).
_LOSS_ROWS = {
    "none": ("Profitable", "盈利客户"),
    "new": ("Loss-making, but new", "亏损，但是新客户"),
    "acquisition": ("Loss-making: acquisition cost not yet repaid", "亏损：获客成本尚未收回"),
    "serving": ("Loss-making: costs more to serve than it earns", "亏损：服务成本超过毛利"),
}


def loss_type_summary(kinds: pd.DataFrame, *, lang: str | None = None) -> pd.DataFrame:
    """Customers per kind of loss, from :func:`simulation.analytics.loss_reasons` output (or any
    subset of it, such as the elastic customers).

    Returns, per kind (:data:`simulation.analytics.LOSS_TYPES`, named in ``lang``),
    ``customers``, ``customer_share`` (of the rows given), ``mean_profit_cny`` (after
    acquisition cost) and ``mean_profit_before_acquisition_cny``.
    """
    from ..analytics.value import LOSS_TYPES
    from ..common.i18n import pick

    require_columns(kinds, "kinds", ["loss_type", "profit_cny", "profit_before_acquisition_cny"])
    g = kinds.groupby("loss_type")
    out = pd.DataFrame(
        {
            "customers": g.size(),
            "mean_profit_cny": g["profit_cny"].mean(),
            "mean_profit_before_acquisition_cny": g["profit_before_acquisition_cny"].mean(),
        }
    ).reindex(list(LOSS_TYPES))
    out["customers"] = out["customers"].fillna(0).astype("int64")
    out.insert(1, "customer_share", out["customers"] / max(len(kinds), 1))
    out.index = pd.Index([pick(*_LOSS_ROWS[k], lang) for k in out.index], name="kind_of_customer")
    return out


def loss_maker_table(result, *, new_within_days: float = 180.0, lang: str | None = None) -> pd.DataFrame:
    """Customers by why they lose money, with profit after and before the acquisition cost.

    Classifies every customer of ``result`` with :func:`simulation.analytics.loss_reasons`
    (new = acquired within ``new_within_days`` of the end of the run) and summarises them with
    :func:`loss_type_summary`.
    """
    from ..analytics.value import customer_profit, loss_reasons

    profit = customer_profit(result.orders, result.customers)
    kinds = loss_reasons(profit, result.customers, as_of_day=result.as_of_day, new_within_days=new_within_days)
    return loss_type_summary(kinds, lang=lang)


def dormancy_table(
    result,
    *,
    seed: int = 0,
    quiet_days: float = 3 * 365.0,
    max_cash_cny: float = 100.0,
    lang: str | None = None,
    **balance_assumptions,
) -> pd.DataFrame:
    """The securities case's dormancy rule applied one condition at a time to ``result``'s accounts.

    Balances come from :func:`simulation.analytics.dormancy.account_balances` (a stated,
    seeded derivation from the transactions; ``balance_assumptions`` are passed on) and the
    rule from :func:`simulation.analytics.dormancy.dormant_accounts` (``quiet_days`` and
    ``max_cash_cny`` are its thresholds, by default the case's three years and 100 yuan). Rows: all accounts, no
    trade for three years, and also no securities, and also cash at most 100 yuan (= dormant).
    Columns: ``accounts`` and ``still_active_truth_share``, the share of those account
    holders who had not in fact left (the simulation's hidden truth, ``alive_at_end``).
    """
    from ..analytics.dormancy import account_balances, dormant_accounts
    from ..common.i18n import pick

    bal = account_balances(
        result.orders, result.customers, as_of_day=result.as_of_day, seed=seed, **balance_assumptions
    )
    rule = dormant_accounts(bal, as_of_day=result.as_of_day, quiet_days=quiet_days, max_cash_cny=max_cash_cny)
    years = round(quiet_days / 365.0, 2)
    alive = result.customers.set_index("customer_id")["alive_at_end"].reindex(rule.index).astype(bool)
    steps = [
        (("All accounts", "全部账户"), np.ones(len(rule), dtype=bool)),
        ((f"1. No trade for {years:g} years or more", f"1. 连续{years:g}年以上没有交易"), rule["quiet"].to_numpy()),
        (("2. ... and no securities", "2. 同时证券市值为零"), (rule["quiet"] & rule["no_securities"]).to_numpy()),
        (
            (
                f"3. ... and cash at most {max_cash_cny:g} yuan: dormant",
                f"3. 同时资金余额不超过{max_cash_cny:g}元：休眠",
            ),
            rule["dormant"].to_numpy(),
        ),
    ]
    rows = [
        (pick(*names, lang), int(mask.sum()), float(alive[mask].mean()) if mask.any() else float("nan"))
        for names, mask in steps
    ]
    return pd.DataFrame(rows, columns=["rule_condition", "accounts", "still_active_truth_share"]).set_index(
        "rule_condition"
    )
