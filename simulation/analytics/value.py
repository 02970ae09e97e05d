"""Customer value: profit per customer, the whale curve, the 80/20/30 rule and the value matrix
(course module 2, "not every buyer is a profitable customer").
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..common.checks import check_number, require_columns, require_rows

_COST_COLS = ["delivery_cost_cny", "installation_cost_cny", "repair_cost_cny"]

#: The course's four treatments of the current x potential value matrix.
TREATMENTS: dict[str, str] = {
    "keep_and_grow": "high current and high potential value: keep and grow the relationship",
    "develop": "low current but high potential value: develop the customer",
    "maintain": "high current but low potential value: maintain at reasonable cost",
    "think_before_investing": "low current and low potential value: think carefully before investing",
}

#: W. Sherden's 80/20/30 rule of thumb: top 20% make 80% of profit, half of which (40% of
#: total profit) the bottom 30% lose again.
RULE_80_20_30 = {"top_share": 0.2, "top_profit_share": 0.8, "bottom_share": 0.3, "bottom_profit_share": -0.4}


def _extra_cost_frames(extra_costs, customer_col: str) -> list[pd.DataFrame]:
    if extra_costs is None:
        return []
    frames = [extra_costs] if isinstance(extra_costs, pd.DataFrame) else list(extra_costs)
    out = []
    for i, f in enumerate(frames):
        name = f"extra_costs[{i}]" if len(frames) > 1 else "extra_costs"
        require_columns(f, name, [customer_col])
        value_cols = [c for c in f.columns if c != customer_col]
        if not value_cols:
            raise ValueError(f"{name} needs at least one cost column besides '{customer_col}'")
        for c in value_cols:
            if not pd.api.types.is_numeric_dtype(f[c]):
                raise ValueError(f"{name} column '{c}' must be numeric (a cost in CNY); got dtype {f[c].dtype}")
        out.append(f.groupby(customer_col)[value_cols].sum())
    return out


def customer_profit(
    orders: pd.DataFrame,
    customers: pd.DataFrame,
    *,
    as_of_day: float | None = None,
    extra_costs: pd.DataFrame | Sequence[pd.DataFrame] | None = None,
    extra_cost_cols: Sequence[str] = (),
    include_acquisition: bool = True,
    customer_col: str = "customer_id",
) -> pd.DataFrame:
    """Profit per customer after the cost to serve and the cost to acquire.

    ``profit = margin - delivery - installation - repair - acquisition - extra costs`` (CNY),
    where margin is the gross margin of the customer's orders (revenue after discount minus
    cost of goods). The cost to serve is ``delivery + installation + repair + extra costs``.

    Parameters
    ----------
    orders : DataFrame
        ``customer_id``, ``amount_cny``, ``margin_cny``, ``delivery_cost_cny``,
        ``installation_cost_cny``, ``repair_cost_cny`` (and ``time_days`` if `as_of_day`).
    customers : DataFrame
        ``customer_id`` and ``acquisition_cost_cny``; every customer appears in the result,
        customers without orders with zero margin. ``segment`` and ``channel`` are carried over.
    as_of_day : float, optional
        Count only orders up to this day.
    extra_costs : DataFrame or list of DataFrames, optional
        Further costs per customer, e.g. complaint handling or loyalty rewards: a
        ``customer_id`` column plus numeric cost columns (CNY, positive = cost); several rows
        per customer are summed, and rows of customers not in `customers` are ignored.
    extra_cost_cols : sequence of str
        Cost columns (CNY per customer) already in `customers`, e.g. ``loyalty_cost_cny``.
    include_acquisition : bool
        Subtract the acquisition cost (lifetime view) or not (contribution view).

    Returns
    -------
    DataFrame indexed by customer with ``revenue_cny``, ``margin_cny``, the three cost
    columns, any extra cost columns, ``cost_to_serve_cny``, ``acquisition_cost_cny``,
    ``orders`` and ``profit_cny``.

    Notes
    -----
    Customer profitability analysis after Kaplan & Narayanan (2001), "Measuring and managing
    customer profitability", *Journal of Cost Management*: the same revenue can be profitable
    or not depending on how much the customer costs to serve.
    """
    need = [customer_col, "amount_cny", "margin_cny", *_COST_COLS] + (["time_days"] if as_of_day is not None else [])
    require_columns(orders, "orders", need)
    extra_cost_cols = [extra_cost_cols] if isinstance(extra_cost_cols, str) else list(extra_cost_cols)
    require_columns(
        customers,
        "customers",
        [customer_col] + (["acquisition_cost_cny"] if include_acquisition else []) + extra_cost_cols,
    )
    for c in extra_cost_cols:
        if not pd.api.types.is_numeric_dtype(customers[c]):
            raise ValueError(f"customers column '{c}' in extra_cost_cols must be numeric (a cost in CNY)")
    use = orders
    if as_of_day is not None:
        use = orders.loc[orders["time_days"] <= check_number(as_of_day, "as_of_day")]
    sums = use.groupby(customer_col)[["amount_cny", "margin_cny", *_COST_COLS]].sum()
    sums["orders"] = use.groupby(customer_col).size()
    keep = [c for c in ("segment", "channel") if c in customers.columns]
    base = customers[
        [customer_col, *keep] + (["acquisition_cost_cny"] if include_acquisition else []) + extra_cost_cols
    ]
    out = base.set_index(customer_col).join(sums, how="left")
    num = ["amount_cny", "margin_cny", *_COST_COLS, "orders"]
    out[num] = out[num].fillna(0.0)
    out["orders"] = out["orders"].astype("int64")
    out = out.rename(columns={"amount_cny": "revenue_cny"})
    if not include_acquisition:
        out["acquisition_cost_cny"] = 0.0
    for c in extra_cost_cols:
        out[c] = out[c].fillna(0.0).astype(float)
    extra_cols: list[str] = list(extra_cost_cols)
    for frame in _extra_cost_frames(extra_costs, customer_col):
        for c in frame.columns:
            if c in out.columns:
                raise ValueError(f"extra cost column '{c}' clashes with an existing column; rename it")
            out[c] = frame[c].reindex(out.index).fillna(0.0).astype(float)
            extra_cols.append(c)
    out["cost_to_serve_cny"] = out[_COST_COLS + extra_cols].sum(axis=1)
    out["profit_cny"] = out["margin_cny"] - out["cost_to_serve_cny"] - out["acquisition_cost_cny"]
    cols = keep + [
        "orders",
        "revenue_cny",
        "margin_cny",
        *_COST_COLS,
        *extra_cols,
        "cost_to_serve_cny",
        "acquisition_cost_cny",
        "profit_cny",
    ]
    return out[cols]


def _profit_series(profit, profit_col: str) -> pd.Series:
    if isinstance(profit, pd.Series):
        s = profit
    else:
        require_columns(profit, "profit", [profit_col])
        s = profit[profit_col]
    if len(s) == 0:
        raise ValueError("profit has no rows; at least one customer is needed")
    s = s.astype(float)
    if not np.all(np.isfinite(s.to_numpy())):
        raise ValueError("profit must hold finite numbers (no missing values)")
    return s


def whale_curve(profit: pd.DataFrame | pd.Series, *, profit_col: str = "profit_cny") -> pd.DataFrame:
    """Cumulative profit of customers ranked from most to least profitable (the whale curve).

    Returns one row per customer in rank order with ``rank`` (1 = most profitable),
    ``customer_share`` (rank / n), the customer's ``profit_cny``, ``cumulative_profit_cny``
    and ``cumulative_profit_share`` (cumulative / total profit; NaN if total profit <= 0).
    The curve typically rises above 100% and falls back to 100% at the right end: the hump
    is the profit the unprofitable customers destroy (Kaplan & Narayanan 2001).
    Ties are ranked by customer id (the index), so the order is deterministic.
    """
    s = _profit_series(profit, profit_col)
    frame = pd.DataFrame({"customer": s.index, "profit_cny": s.to_numpy()})
    frame = frame.sort_values(["profit_cny", "customer"], ascending=[False, True], kind="stable").reset_index(drop=True)
    n = len(frame)
    total = float(frame["profit_cny"].sum())
    frame.insert(0, "rank", np.arange(1, n + 1))
    frame["customer_share"] = frame["rank"] / n
    frame["cumulative_profit_cny"] = frame["profit_cny"].cumsum()
    frame["cumulative_profit_share"] = frame["cumulative_profit_cny"] / total if total > 0 else np.nan
    name = s.index.name or "customer_id"
    return frame.rename(columns={"customer": name})


def pareto_table(
    profit: pd.DataFrame | pd.Series,
    *,
    profit_col: str = "profit_cny",
    top_share: float = 0.2,
    bottom_share: float = 0.3,
) -> pd.DataFrame:
    """Answer the 80/20/30 rule (Sherden) on actual profit data.

    Rows (``measure``): ``top_profit_share`` (share of total profit made by the top
    `top_share` of customers; rule of thumb 0.8), ``bottom_profit_share`` (share of total
    profit made by the bottom `bottom_share`, negative = lost; rule of thumb -0.4, i.e. half
    of the top group's 80%), ``middle_profit_share``, ``peak_profit_share`` (height of the
    whale curve), ``peak_customer_share`` (where it peaks) and ``unprofitable_customer_share``.
    Groups hold ceil(share x n) customers. Shares are NaN when total profit <= 0.

    Returns a DataFrame with ``measure``, ``value``, ``rule_of_thumb`` (filled only for the
    default 20% / 30% groups). The rule is attributed to W. Sherden in the course material;
    treat it as a claim to test, not a law.
    """
    top = check_number(top_share, "top_share", lo=0.0, hi=1.0, lo_open=True)
    bottom = check_number(bottom_share, "bottom_share", lo=0.0, hi=1.0, lo_open=True)
    if top + bottom > 1.0:
        raise ValueError(f"top_share + bottom_share must be <= 1; got {top:g} + {bottom:g}")
    curve = whale_curve(profit, profit_col=profit_col)
    n = len(curve)
    p = curve["profit_cny"].to_numpy()
    total = p.sum()
    n_top = int(np.ceil(top * n - 1e-9))
    n_bottom = min(int(np.ceil(bottom * n - 1e-9)), n - n_top)
    share = (lambda v: v / total) if total > 0 else (lambda v: np.nan)
    top_v = share(p[:n_top].sum())
    bottom_v = share(p[n - n_bottom :].sum()) if n_bottom > 0 else 0.0
    peak_i = int(np.argmax(curve["cumulative_profit_cny"].to_numpy()))
    rows = [
        ("top_profit_share", top_v, RULE_80_20_30["top_profit_share"] if top == 0.2 else np.nan),
        ("bottom_profit_share", bottom_v, RULE_80_20_30["bottom_profit_share"] if bottom == 0.3 else np.nan),
        ("middle_profit_share", share(p[n_top : n - n_bottom].sum()), np.nan),
        ("peak_profit_share", curve["cumulative_profit_share"].iloc[peak_i], np.nan),
        ("peak_customer_share", curve["customer_share"].iloc[peak_i], np.nan),
        ("unprofitable_customer_share", float(np.mean(p < 0)), np.nan),
    ]
    return pd.DataFrame(rows, columns=["measure", "value", "rule_of_thumb"])


def value_matrix(
    df: pd.DataFrame,
    *,
    current_col: str = "profit_cny",
    potential_col: str = "clv_cny",
    current_split: float | None = None,
    potential_split: float | None = None,
) -> pd.DataFrame:
    """Place customers in the current x potential value matrix with the course's treatments.

    A customer is "high" on an axis when its value is strictly above the split (default:
    the median). Treatments (:data:`TREATMENTS`): ``keep_and_grow`` (high, high),
    ``develop`` (low current, high potential), ``maintain`` (high current, low potential),
    ``think_before_investing`` (low, low).

    Current value is usually past profit (:func:`customer_profit`); potential value a
    forward-looking estimate such as predicted CLV (:func:`simulation.analytics.clv_bgnbd_gg`).

    Returns a copy of `df` with ``high_current``, ``high_potential`` (bool) and ``treatment``.
    Source: the course's customer value matrix (module 2); split points are management choices.
    """
    require_columns(df, "df", [current_col, potential_col])
    require_rows(df, "df")
    c_split = float(df[current_col].median()) if current_split is None else check_number(current_split, "current_split")
    p_split = (
        float(df[potential_col].median())
        if potential_split is None
        else check_number(potential_split, "potential_split")
    )
    out = df.copy()
    hc = out[current_col].to_numpy(dtype=float) > c_split
    hp = out[potential_col].to_numpy(dtype=float) > p_split
    out["high_current"] = hc
    out["high_potential"] = hp
    t = np.where(hc & hp, "keep_and_grow", np.where(hp, "develop", np.where(hc, "maintain", "think_before_investing")))
    out["treatment"] = pd.Series(t, index=out.index, dtype="str")
    return out


#: Why a customer's profit is negative (:func:`loss_reasons`), in the order they are tested.
LOSS_TYPES: dict[str, str] = {
    "none": "profitable (profit after acquisition cost >= 0)",
    "new": "loss-making but acquired recently: too early to judge",
    "acquisition": "pays for the service it uses but has not yet repaid its acquisition cost",
    "serving": "costs more to serve than its orders earn, even before the acquisition cost",
}


def loss_reasons(
    profit: pd.DataFrame,
    customers: pd.DataFrame,
    *,
    as_of_day: float,
    new_within_days: float = 180.0,
    customer_col: str = "customer_id",
) -> pd.DataFrame:
    """Profit with and without the acquisition cost, and why each loss-making customer loses.

    The whale curve of :func:`customer_profit` charges each customer's acquisition cost in
    full, so a customer acquired shortly before `as_of_day` looks loss-making only because
    it has not had time to buy. This function separates three kinds of loss-maker:

    ``profit_before_acquisition_cny = profit_cny + acquisition_cost_cny`` (margin minus cost
    to serve), ``days_since_acquired = as_of_day - acquired_day`` and
    ``new_customer = days_since_acquired <= new_within_days``. Then ``loss_type`` is

    * ``"none"`` if ``profit_cny >= 0``;
    * ``"new"`` if the customer loses money and is new (too early to judge);
    * ``"serving"`` if, not new, ``profit_before_acquisition_cny < 0`` (serving costs more
      than the orders earn);
    * ``"acquisition"`` otherwise (the orders pay for the service but not yet for the
      acquisition cost).

    Parameters
    ----------
    profit : DataFrame
        Output of :func:`customer_profit` (indexed by customer, with ``profit_cny`` and
        ``acquisition_cost_cny``).
    customers : DataFrame
        ``customer_id`` and ``acquired_day`` (NaN = never acquired: not new).
    as_of_day : float
        The day the profit was measured.
    new_within_days : float
        How recent an acquisition counts as new (a management choice; default half a year).

    Returns
    -------
    A copy of `profit` with ``profit_before_acquisition_cny``, ``days_since_acquired``,
    ``new_customer`` (bool) and ``loss_type`` (one of :data:`LOSS_TYPES`).

    Notes
    -----
    The contribution view (profit before acquisition cost) is the one to judge whether a
    customer is worth *keeping*: the acquisition cost is sunk once the customer is won
    (Kaplan & Narayanan 2001; Gupta & Lehmann 2005, *Managing Customers as Investments*).
    """
    require_columns(profit, "profit", ["profit_cny", "acquisition_cost_cny"])
    require_columns(customers, "customers", [customer_col, "acquired_day"])
    as_of = check_number(as_of_day, "as_of_day")
    new_days = check_number(new_within_days, "new_within_days", lo=0.0)
    out = profit.copy()
    out["profit_before_acquisition_cny"] = out["profit_cny"] + out["acquisition_cost_cny"]
    acquired = customers.set_index(customer_col)["acquired_day"].astype(float).reindex(out.index)
    out["days_since_acquired"] = as_of - acquired
    new = (out["days_since_acquired"] <= new_days).to_numpy()  # NaN compares False
    loss = (out["profit_cny"] < 0).to_numpy()
    before = (out["profit_before_acquisition_cny"] < 0).to_numpy()
    out["new_customer"] = new
    kind = np.where(~loss, "none", np.where(new, "new", np.where(before, "serving", "acquisition")))
    out["loss_type"] = pd.Series(kind, index=out.index, dtype="str")
    return out
