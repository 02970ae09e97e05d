"""Choosing good customers: a weighted score over the course's "good customer" criteria
(course module 2: not every buyer is our customer).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
import pandas as pd

from ..common.checks import check_choice, check_number, check_weights, require_columns, require_rows

#: Criteria of a good customer, the input column each one reads by default and whether a
#: higher value is better.
CRITERIA: dict[str, tuple[str, bool]] = {
    "purchase_power": ("revenue_per_year_cny", True),  # strong desire and ability to buy
    "margin": ("margin_rate", True),  # buys high-margin products
    "price_sensitivity": ("discount_rate", False),  # low price sensitivity is better
    "payment": ("on_time_payment_share", True),  # pays on time, good credit
    "cost_to_serve": ("cost_to_serve_rate", False),  # low cost to serve is better
    "growth": ("spend_growth", True),  # "an ant can grow into an elephant"
    "fit": ("fit_score", True),  # fits the firm's positioning and scale
}

#: Equal weights for the five criteria the model's tables can supply.
DEFAULT_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "purchase_power": 1.0,
        "margin": 1.0,
        "price_sensitivity": 1.0,
        "cost_to_serve": 1.0,
        "growth": 1.0,
    }
)


def selection_inputs(
    orders: pd.DataFrame,
    customers: pd.DataFrame,
    *,
    as_of_day: float,
    customer_col: str = "customer_id",
) -> pd.DataFrame:
    """Derive the criteria inputs the model's tables can supply, one row per customer.

    - ``revenue_per_year_cny`` = revenue / max(tenure, 30 days) x 365 (purchase power)
    - ``margin_rate`` = margin / revenue (NaN without revenue)
    - ``discount_rate`` = discount / (revenue + discount), the share of list price given away
    - ``cost_to_serve_rate`` = (delivery + installation + repair) / revenue
    - ``spend_growth`` = revenue in the second half of the customer's tenure minus revenue
      in the first half, per year (positive = growing)

    Payment behaviour and fit are not in the model's tables: add ``on_time_payment_share``
    and ``fit_score`` columns yourself (e.g. from a case) before scoring with those criteria.
    Customers without orders get 0 revenue, 0 growth and NaN rates.
    """
    need = [
        customer_col,
        "time_days",
        "amount_cny",
        "discount_cny",
        "margin_cny",
        "delivery_cost_cny",
        "installation_cost_cny",
        "repair_cost_cny",
    ]
    require_columns(orders, "orders", need)
    require_columns(customers, "customers", [customer_col, "acquired_day"])
    as_of = check_number(as_of_day, "as_of_day")
    cust = customers.loc[customers["acquired_day"] <= as_of, [customer_col, "acquired_day"]].set_index(customer_col)
    o = orders.loc[orders["time_days"] <= as_of].copy()
    o["cost"] = o[["delivery_cost_cny", "installation_cost_cny", "repair_cost_cny"]].sum(axis=1)
    acq = cust["acquired_day"].reindex(o[customer_col]).to_numpy()
    mid = (acq + as_of) / 2.0
    late = o["time_days"].to_numpy() >= mid
    o["late"] = np.where(late, o["amount_cny"], 0.0)
    o["early"] = np.where(late, 0.0, o["amount_cny"])
    s = o.groupby(customer_col)[["amount_cny", "discount_cny", "margin_cny", "cost", "late", "early"]].sum()
    s = s.reindex(cust.index).fillna(0.0)
    tenure_years = np.maximum(as_of - cust["acquired_day"], 30.0) / 365.0
    rev = s["amount_cny"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out = pd.DataFrame(
            {
                "revenue_per_year_cny": rev / tenure_years,
                "margin_rate": (s["margin_cny"] / rev).where(rev > 0),
                "discount_rate": (s["discount_cny"] / (rev + s["discount_cny"])).where(rev + s["discount_cny"] > 0),
                "cost_to_serve_rate": (s["cost"] / rev).where(rev > 0),
                "spend_growth": (s["late"] - s["early"]) / (tenure_years / 2.0),
            },
            index=cust.index,
        )
    return out


def _scale(values: pd.Series, method: str) -> pd.Series:
    if method == "rank":
        return values.rank(pct=True, method="average")
    lo, hi = values.min(), values.max()
    if not np.isfinite(lo) or hi == lo:
        return pd.Series(np.where(values.notna(), 0.5, np.nan), index=values.index)
    return (values - lo) / (hi - lo)


def good_customer_score(
    inputs: pd.DataFrame,
    *,
    weights: dict[str, float] | None = None,
    columns: dict[str, str] | None = None,
    scaling: str = "rank",
    missing: str = "neutral",
) -> pd.DataFrame:
    """Weighted "good customer" score 0..100 over the course's selection criteria.

    ``score = 100 * sum_k w_k s_k / sum_k w_k`` where ``s_k`` is criterion k scaled to 0..1
    (``scaling="rank"``: percentile rank; ``"minmax"``: (v - min) / (max - min)) and turned
    round for lower-is-better criteria (``s_k = 1 - s_k`` for price sensitivity and cost to
    serve). Criteria and default input columns are in :data:`CRITERIA`: purchase power,
    margin, price sensitivity, payment behaviour, cost to serve, growth and fit.

    Parameters
    ----------
    inputs : DataFrame
        One row per customer with the input columns of the weighted criteria
        (e.g. :func:`selection_inputs` plus your own ``on_time_payment_share``/``fit_score``).
    weights : dict, optional
        ``{criterion: weight >= 0}``; default :data:`DEFAULT_WEIGHTS`. Criteria with weight 0
        or not named are ignored.
    columns : dict, optional
        ``{criterion: column}`` to read a criterion from another column.
    scaling : {"rank", "minmax"}
    missing : {"neutral", "drop"}
        A missing input scores 0.5 ("neutral") or makes the score NaN ("drop").

    Returns
    -------
    A copy of `inputs` with one ``s_<criterion>`` column per used criterion, ``score`` and
    ``rank`` (1 = best; ties share the best rank).

    Notes
    -----
    A scoring model (weighted-factor method) in the tradition of customer selection
    frameworks such as Kotler & Keller, *Marketing Management*; the criteria follow the
    course's list of what makes a good customer. The weights are a management judgement:
    change them and watch who makes the cut.
    """
    require_rows(inputs, "inputs")
    w = check_weights(DEFAULT_WEIGHTS if weights is None else weights, "weights", CRITERIA)
    check_choice(scaling, "scaling", ["rank", "minmax"])
    check_choice(missing, "missing", ["neutral", "drop"])
    cols = {k: CRITERIA[k][0] for k in CRITERIA}
    if columns is not None:
        for k, c in columns.items():
            if k not in CRITERIA:
                raise ValueError(f"columns has unknown criterion {k!r}; allowed: {', '.join(CRITERIA)}")
            cols[k] = c
    used = [k for k, v in w.items() if v > 0]
    require_columns(inputs, "inputs", [cols[k] for k in used])
    out = inputs.copy()
    total = np.zeros(len(out))
    for k in used:
        s = _scale(out[cols[k]].astype(float), scaling)
        if not CRITERIA[k][1]:
            s = 1.0 - s
        if missing == "neutral":
            s = s.fillna(0.5)
        out[f"s_{k}"] = s
        total = total + w[k] * s.to_numpy()
    # rounded so that float noise (0.2 / 0.4 != 0.5) cannot split genuinely equal scores
    out["score"] = np.round(100.0 * total / sum(w[k] for k in used), 9)
    out["rank"] = out["score"].rank(ascending=False, method="min").astype("Int64")
    return out
