"""Customer lifetime value (CLV): the textbook formula, CLV from history, cohort CLV and the
model-based per-customer CLV from BG/NBD + Gamma-Gamma (course module 2).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..common.checks import as_float_array, check_choice, check_int, check_number, require_columns, require_rows
from .bgnbd import BGNBDFit
from .gammagamma import GammaGammaFit


def _per_year(values, name: str, years: int, *, lo: float | None = None) -> np.ndarray:
    arr = as_float_array(values, name, lo=lo)
    if arr.size > years:
        raise ValueError(f"{name} has {arr.size} values but the horizon is only {years} years")
    return np.concatenate([arr, np.full(years - arr.size, arr[-1])])


def clv_schedule(
    revenue,
    *,
    years: int,
    discount_rate: float,
    margin: float = 1.0,
    retention=1.0,
    recurring_cost=0.0,
    acquisition_cost: float = 0.0,
    timing: str = "end",
) -> pd.DataFrame:
    """Year-by-year table behind the textbook CLV (net present value of a customer).

    ``CLV = -AC + sum_{t=1..H} (m * R_t - C_t) * S_t / (1 + d)^k_t``, with
    ``S_t = prod_{i<t} rho_i`` (the customer is with us for sure in year 1 and stays into
    year t+1 with retention probability rho_t) and ``k_t = t`` for year-end cash flows or
    ``t - 1`` for start-of-year cash flows.

    Parameters
    ----------
    revenue : float or sequence of float
        Revenue per year R_t (CNY/year). A sequence shorter than `years` repeats its last
        value ("1,000, 1,500, then 2,000 a year" is ``[1000, 1500, 2000]``).
    years : int
        Horizon H in years.
    discount_rate : float
        Annual discount rate d (0.15 = 15%).
    margin : float
        Share m of revenue that is margin (1.0 when revenue is already a margin).
    retention : float or sequence of float
        Yearly retention probability rho_t in [0, 1] (1.0 = the customer stays the whole horizon).
    recurring_cost : float or sequence of float
        Cost of keeping the customer, C_t (CNY/year).
    acquisition_cost : float
        One-off cost of acquiring the customer, AC (CNY, paid at time 0).
    timing : {"end", "start"}
        Whether each year's cash flow is discounted from the end or the start of the year.

    Returns
    -------
    DataFrame with one row per year: ``year``, ``revenue_cny``, ``margin_cny``,
    ``cost_cny``, ``survival``, ``net_cny`` (expected net cash flow), ``discount_factor``,
    ``present_value_cny`` and ``cumulative_clv_cny`` (including -AC).

    Notes
    -----
    The classic NPV definition of CLV (Berger & Nasr 1998, "Customer lifetime value:
    marketing models and applications", *Journal of Interactive Marketing* 12(1); Gupta &
    Lehmann 2003). Course example: AC 2,500, cost 500/year, revenue 1,000, 1,500 then 2,000,
    15%, 5 years, year-end discounting gives 1,280.60.
    """
    years = check_int(years, "years", lo=1, hi=200)
    d = check_number(discount_rate, "discount_rate", lo=0.0, hi=10.0)
    m = check_number(margin, "margin", lo=0.0, hi=1.0)
    ac = check_number(acquisition_cost, "acquisition_cost", lo=0.0)
    check_choice(timing, "timing", ["end", "start"])
    rev = _per_year(revenue, "revenue", years, lo=0.0)
    cost = _per_year(recurring_cost, "recurring_cost", years, lo=0.0)
    rho = _per_year(retention, "retention", years, lo=0.0)
    if np.any(rho > 1):
        raise ValueError(f"retention must be a probability in [0, 1]; got {retention!r}")
    t = np.arange(1, years + 1)
    survival = np.concatenate([[1.0], np.cumprod(rho)[:-1]])
    k = t if timing == "end" else t - 1
    factor = 1.0 / (1.0 + d) ** k
    net = (m * rev - cost) * survival
    pv = net * factor
    return pd.DataFrame(
        {
            "year": t,
            "revenue_cny": rev,
            "margin_cny": m * rev,
            "cost_cny": cost,
            "survival": survival,
            "net_cny": net,
            "discount_factor": factor,
            "present_value_cny": pv,
            "cumulative_clv_cny": np.cumsum(pv) - ac,
        }
    )


def deterministic_clv(
    revenue,
    *,
    years: int,
    discount_rate: float,
    margin: float = 1.0,
    retention=1.0,
    recurring_cost=0.0,
    acquisition_cost: float = 0.0,
    timing: str = "end",
) -> float:
    """Textbook CLV in CNY: the last ``cumulative_clv_cny`` of :func:`clv_schedule` (same arguments).

    ``CLV = -AC + sum_{t=1..H} (m R_t - C_t) S_t / (1 + d)^k_t``. Example from the course:
    ``deterministic_clv([1000, 1500, 2000], years=5, discount_rate=0.15,
    recurring_cost=500, acquisition_cost=2500)`` = 1280.60.
    """
    table = clv_schedule(
        revenue,
        years=years,
        discount_rate=discount_rate,
        margin=margin,
        retention=retention,
        recurring_cost=recurring_cost,
        acquisition_cost=acquisition_cost,
        timing=timing,
    )
    return float(table["cumulative_clv_cny"].iloc[-1])


_COSTS = ["delivery_cost_cny", "installation_cost_cny", "repair_cost_cny"]


def _order_profit(orders: pd.DataFrame, customers: pd.DataFrame, as_of_day, annual_discount_rate, customer_col):
    require_columns(orders, "orders", [customer_col, "time_days", "margin_cny", *_COSTS])
    require_columns(customers, "customers", [customer_col, "acquired_day", "acquisition_cost_cny"])
    as_of = check_number(as_of_day, "as_of_day")
    d = check_number(annual_discount_rate, "annual_discount_rate", lo=0.0, hi=10.0)
    use = orders.loc[orders["time_days"] <= as_of, [customer_col, "time_days", "margin_cny", *_COSTS]]
    acq = customers.set_index(customer_col)["acquired_day"]
    age_years = (use["time_days"].to_numpy() - acq.reindex(use[customer_col]).to_numpy()) / 365.0
    contribution = use["margin_cny"].to_numpy() - use[_COSTS].sum(axis=1).to_numpy()
    return use, age_years, contribution, d, as_of


def historical_clv(
    orders: pd.DataFrame,
    customers: pd.DataFrame,
    *,
    as_of_day: float,
    annual_discount_rate: float = 0.0,
    customer_col: str = "customer_id",
) -> pd.DataFrame:
    """Realised (historical) customer value up to `as_of_day`, valued at the acquisition date.

    ``HCLV_i = -AC_i + sum_{orders j of i} (margin_j - delivery_j - installation_j - repair_j)
    / (1 + d)^((day_j - acquired_day_i) / 365)``.

    Only customers acquired by `as_of_day` are included. Returns a DataFrame indexed by
    customer with ``contribution_cny`` (undiscounted margin after cost to serve),
    ``acquisition_cost_cny``, ``tenure_years`` and ``historical_clv_cny``.
    This is a backward-looking measure: it says what a customer *has* been worth, not what
    it will be worth (compare :func:`clv_bgnbd_gg`); see Gupta et al. (2006), "Modeling
    customer lifetime value", *Journal of Service Research* 9(2), on past- vs future-based value.
    """
    use, age, contrib, d, as_of = _order_profit(orders, customers, as_of_day, annual_discount_rate, customer_col)
    pv = contrib / (1.0 + d) ** np.maximum(age, 0.0)
    sums = pd.DataFrame({customer_col: use[customer_col].to_numpy(), "contribution_cny": contrib, "pv": pv})
    sums = sums.groupby(customer_col)[["contribution_cny", "pv"]].sum()
    base = customers.loc[customers["acquired_day"] <= as_of, [customer_col, "acquired_day", "acquisition_cost_cny"]]
    out = base.set_index(customer_col).join(sums, how="left").fillna({"contribution_cny": 0.0, "pv": 0.0})
    out["tenure_years"] = (as_of - out["acquired_day"]) / 365.0
    out["historical_clv_cny"] = out["pv"] - out["acquisition_cost_cny"]
    return out[["contribution_cny", "acquisition_cost_cny", "tenure_years", "historical_clv_cny"]]


def cohort_clv(
    orders: pd.DataFrame,
    customers: pd.DataFrame,
    *,
    as_of_day: float,
    period_days: float = 365.0 / 4,
    annual_discount_rate: float = 0.0,
    customer_col: str = "customer_id",
) -> pd.DataFrame:
    """Average cumulative value per acquired customer, by acquisition cohort and age.

    Cohort c holds the customers acquired in ``[c * period_days, (c+1) * period_days)``.
    For each age k (periods since acquisition) the table gives
    ``cumulative_value_per_customer_cny = (sum of discounted contributions in ages 0..k
    - sum of acquisition costs) / cohort size``, where contribution = margin - delivery -
    installation - repair (CNY). A cell is shown only when every cohort member has completed
    age k by `as_of_day`, so late cohorts have shorter rows instead of biased ones.

    Returns a tidy DataFrame with ``cohort``, ``cohort_start_day``, ``age``, ``customers``
    and ``cumulative_value_per_customer_cny``.
    """
    period = check_number(period_days, "period_days", lo=0.0, lo_open=True)
    use, age, contrib, d, as_of = _order_profit(orders, customers, as_of_day, annual_discount_rate, customer_col)
    cust = customers.loc[customers["acquired_day"] <= as_of, [customer_col, "acquired_day", "acquisition_cost_cny"]]
    require_rows(cust, "customers acquired by as_of_day")
    cohort_of = (cust["acquired_day"] // period).astype("int64")
    cohort_map = pd.Series(cohort_of.to_numpy(), index=cust[customer_col].to_numpy())
    keep = np.isfinite(age) & (age >= 0)
    age_k = np.floor(age[keep] * 365.0 / period).astype("int64")
    pv = contrib[keep] / (1.0 + d) ** age[keep]
    flows = pd.DataFrame(
        {"cohort": cohort_map.reindex(use[customer_col].to_numpy()[keep]).to_numpy(), "age": age_k, "pv": pv}
    )
    flows = flows.groupby(["cohort", "age"])["pv"].sum()
    sizes = cohort_of.value_counts().sort_index()
    acq = cust.groupby(cohort_of.to_numpy())["acquisition_cost_cny"].sum()
    latest = cust.groupby(cohort_of.to_numpy())["acquired_day"].max()
    rows = []
    for c, n in sizes.items():
        # age k is complete for everyone once the latest member is (k + 1) periods old
        complete = int(np.floor((as_of - float(latest.loc[c])) / period)) - 1
        if complete < 0:
            continue
        cum = -float(acq.loc[c])
        for k in range(complete + 1):
            cum += float(flows.get((c, k), 0.0))
            rows.append((int(c), c * period, k, int(n), cum / n))
    return pd.DataFrame(
        rows, columns=["cohort", "cohort_start_day", "age", "customers", "cumulative_value_per_customer_cny"]
    )


def clv_bgnbd_gg(
    summary: pd.DataFrame,
    bgnbd: BGNBDFit,
    gamma_gamma: GammaGammaFit,
    *,
    margin: float,
    horizon_years: float = 3.0,
    annual_discount_rate: float = 0.10,
    time_unit_days: float = 7.0,
    steps_per_year: int = 12,
) -> pd.DataFrame:
    """Per-customer CLV from BG/NBD (how many purchases) x Gamma-Gamma (how much per purchase).

    ``CLV_i = m * E[Z_i] * sum_{s=1..S} (E[Y_i(t_s)] - E[Y_i(t_{s-1})]) / (1 + d)^(s / n)``

    with ``t_s = s / n`` years converted to the model's time unit, n = `steps_per_year`,
    S = n x `horizon_years`, E[Y_i(t)] the BG/NBD conditional expected purchases, E[Z_i]
    the Gamma-Gamma conditional expected spend and m the margin share (Fader, Hardie & Lee
    2005, "RFM and CLV", with the discounting done in monthly steps as is common practice).
    Acquisition cost is sunk for existing customers and not subtracted.

    Parameters
    ----------
    summary : DataFrame
        ``frequency``, ``recency``, ``T``, ``monetary_value`` in the fit's time unit
        (:func:`simulation.analytics.rfm_summary`).
    margin : float
        Margin share of revenue in [0, 1].
    time_unit_days : float
        Days per time unit of `summary` (7 for weeks, 365 for years).

    Returns
    -------
    A copy of `summary` with ``p_alive``, ``expected_purchases`` (over the horizon),
    ``expected_spend_cny`` and ``clv_cny``.
    """
    require_columns(summary, "summary", ["frequency", "recency", "T", "monetary_value"])
    require_rows(summary, "summary")
    if not isinstance(bgnbd, BGNBDFit):
        raise ValueError(f"bgnbd must be a BGNBDFit (from fit_bgnbd); got {type(bgnbd).__name__}")
    if not isinstance(gamma_gamma, GammaGammaFit):
        raise ValueError(
            f"gamma_gamma must be a GammaGammaFit (from fit_gamma_gamma); got {type(gamma_gamma).__name__}"
        )
    m = check_number(margin, "margin", lo=0.0, hi=1.0)
    h = check_number(horizon_years, "horizon_years", lo=0.0, lo_open=True, hi=100.0)
    d = check_number(annual_discount_rate, "annual_discount_rate", lo=0.0, hi=10.0)
    tu = check_number(time_unit_days, "time_unit_days", lo=0.0, lo_open=True)
    n = check_int(steps_per_year, "steps_per_year", lo=1, hi=365)
    x = summary["frequency"].to_numpy(dtype=float)
    tx = summary["recency"].to_numpy(dtype=float)
    T = summary["T"].to_numpy(dtype=float)
    steps = max(int(round(h * n)), 1)
    years = np.arange(0, steps + 1) / n
    t_units = years * 365.0 / tu
    cum = bgnbd.conditional_expected_purchases(t_units[:, None], x[None, :], tx[None, :], T[None, :])
    cum[0] = 0.0
    per_step = np.diff(cum, axis=0)
    disc = 1.0 / (1.0 + d) ** years[1:]
    spend = gamma_gamma.conditional_expected_spend(x, summary["monetary_value"].to_numpy(dtype=float))
    out = summary.copy()
    out["p_alive"] = bgnbd.p_alive(x, tx, T)
    out["expected_purchases"] = cum[-1]
    out["expected_spend_cny"] = spend
    out["clv_cny"] = m * spend * (disc @ per_step)
    return out


def customer_equity(clv: pd.DataFrame | pd.Series, *, clv_col: str = "clv_cny") -> float:
    """Customer equity: the sum of the customers' lifetime values (CNY).

    Customer equity (Blattberg & Deighton 1996; Rust, Lemon & Zeithaml 2004) values the
    customer base as an asset; a firm that "harvests" customers raises this year's profit
    but lowers its customer equity.
    """
    s = clv if isinstance(clv, pd.Series) else None
    if s is None:
        require_columns(clv, "clv", [clv_col])
        s = clv[clv_col]
    return float(s.astype(float).sum())


def alive_customer_clv(
    orders: pd.DataFrame,
    customers: pd.DataFrame,
    *,
    as_of_day: float,
    horizon_years: int = 3,
    annual_discount_rate: float = 0.10,
    customer_col: str = "customer_id",
    segment_col: str = "segment",
    alive_col: str = "alive_at_end",
) -> pd.DataFrame:
    """Expected future margin of each customer still alive at `as_of_day`, per segment.

    For each segment s the firm's history gives a contribution rate and a yearly retention:

    - ``c_s`` = contribution (margin - delivery - installation - repair, CNY) of the
      segment's orders up to `as_of_day`, divided by the segment's customer-years of
      exposure (from ``acquired_day`` to ``as_of_day`` for the alive, to ``dropped_day`` for
      the lost);
    - ``rho_s = exp(-L_s / E_s)``, the yearly retention of a constant leaving hazard
      estimated from the L_s customers lost over E_s customer-years.

    Every alive customer of segment s is then worth the textbook CLV of
    :func:`deterministic_clv` with revenue ``c_s`` (already a margin), retention ``rho_s``,
    `horizon_years` and `annual_discount_rate`, year-end discounting and no acquisition cost
    (sunk for customers the firm already has). Summed with :func:`customer_equity` this is
    the customer equity of the base: a firm that harvests (cuts service or marketing to lift
    this period's profit) keeps fewer customers and loses them faster, so its equity falls.

    Parameters
    ----------
    orders, customers : DataFrame
        The model's tables; `customers` needs ``acquired_day``, ``dropped_day`` and the
        (hidden-truth) `alive_col`, so this values a simulated firm, not a real one.
    horizon_years : int
        Years of future margin counted (H).
    annual_discount_rate : float
        Yearly discount rate d.

    Returns
    -------
    DataFrame indexed by `customer_col` with one row per alive customer: `segment_col`,
    ``contribution_per_year_cny`` (c_s), ``retention`` (rho_s) and ``clv_cny``.

    Notes
    -----
    Customer equity as the number of customers times their lifetime value, by segment
    (Gupta, Lehmann & Stuart 2004, "Valuing customers", *Journal of Marketing Research* 41(1);
    Blattberg & Deighton 1996).
    """
    require_columns(orders, "orders", [customer_col, "time_days", "margin_cny", *_COSTS])
    require_columns(customers, "customers", [customer_col, segment_col, "acquired_day", "dropped_day", alive_col])
    as_of = check_number(as_of_day, "as_of_day")
    years = check_int(horizon_years, "horizon_years", lo=1, hi=200)
    d = check_number(annual_discount_rate, "annual_discount_rate", lo=0.0, hi=10.0)
    cust = customers.loc[customers["acquired_day"] <= as_of]
    alive = cust[alive_col].to_numpy(dtype=bool)
    codes, segments = pd.factorize(cust[segment_col], sort=True)
    end = np.where(alive, as_of, np.minimum(cust["dropped_day"].fillna(as_of).to_numpy(dtype=float), as_of))
    exposure = np.maximum(end - cust["acquired_day"].to_numpy(dtype=float), 0.0) / 365.0
    k = len(segments)
    years_seen = np.bincount(codes, weights=exposure, minlength=k)
    lost = np.bincount(codes, weights=(~alive).astype(float), minlength=k)
    use = orders.loc[orders["time_days"] <= as_of]
    row = pd.Index(cust[customer_col]).get_indexer(use[customer_col])
    contribution = use["margin_cny"].to_numpy(dtype=float) - use[_COSTS].sum(axis=1).to_numpy(dtype=float)
    known = row >= 0
    earned = np.bincount(codes[row[known]], weights=contribution[known], minlength=k)
    value = np.zeros((k, 3))
    for s_no in range(k):
        e = float(years_seen[s_no])
        if e <= 0:
            value[s_no] = (0.0, 1.0, 0.0)
            continue
        c = max(float(earned[s_no]) / e, 0.0)
        rho = float(np.exp(-float(lost[s_no]) / e))
        clv = deterministic_clv(c, years=years, discount_rate=d, retention=rho) if c > 0 else 0.0
        value[s_no] = (c, rho, clv)
    out = pd.DataFrame(
        {segment_col: cust[segment_col].to_numpy()[alive]},
        index=pd.Index(cust[customer_col].to_numpy()[alive], name=customer_col),
    )
    for n, col in enumerate(["contribution_per_year_cny", "retention", "clv_cny"]):
        out[col] = value[codes[alive], n]
    return out
