"""RFM analysis: recency, frequency and monetary value per customer (course module 3).

Also the per-customer summary that the probabilistic models (BG/NBD, Gamma-Gamma) need,
in the convention of Fader, Hardie & Lee (2005): frequency = repeat orders, recency = time
of the last repeat order since the first order, T = age since the first order.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
import pandas as pd

from ..common.checks import check_choice, check_int, check_number, require_columns, require_rows

#: Default RFM segment rules, checked in order; the first rule a customer meets names its segment.
#: Each rule maps a score ("R", "F", "M") to an inclusive (low, high) range; a score not named
#: in a rule is not restricted. Scores run 1..5 (5 = most recent / most frequent / highest value).
DEFAULT_SEGMENT_RULES: Mapping[str, Mapping[str, tuple[int, int]]] = MappingProxyType(
    {
        "champions": MappingProxyType({"R": (4, 5), "F": (4, 5)}),
        "loyal": MappingProxyType({"R": (3, 5), "F": (3, 5)}),
        "new": MappingProxyType({"R": (5, 5), "F": (1, 1)}),
        "promising": MappingProxyType({"R": (4, 5), "F": (1, 2)}),
        "about_to_sleep": MappingProxyType({"R": (3, 3), "F": (1, 2)}),
        "at_risk": MappingProxyType({"R": (1, 2), "F": (3, 5)}),
        "hibernating": MappingProxyType({"R": (1, 2), "F": (1, 2)}),
    }
)

#: The four spend x frequency groups of the coffee-chain case and what they usually are.
QUADRANT_DESCRIPTIONS: dict[str, str] = {
    "best": "high spend and high frequency: the best customers",
    "frequent_low_spend": "frequent but low spend (students, junior staff): potential",
    "rare_high_spend": "high spend but rare (busy senior people)",
    "uncertain": "low spend and rare: new or unknown customers",
}


def _orders_until(orders: pd.DataFrame, as_of_day: float, include_contract: bool, customer_col: str) -> pd.DataFrame:
    cols = [customer_col, "time_days", "amount_cny"]
    require_columns(orders, "orders", cols + ([] if include_contract else ["contract"]))
    check_number(as_of_day, "as_of_day")
    use = orders.loc[orders["time_days"] <= as_of_day]
    if not include_contract:
        use = use.loc[~use["contract"].astype(bool)]
    return use


def rfm_table(
    orders: pd.DataFrame,
    *,
    as_of_day: float,
    customer_col: str = "customer_id",
    include_contract: bool = True,
) -> pd.DataFrame:
    """Recency, frequency and monetary value of every customer with an order up to `as_of_day`.

    Parameters
    ----------
    orders : DataFrame
        One row per order with ``customer_id``, ``time_days`` (days since the start),
        ``amount_cny`` (revenue after discount) and, if ``include_contract`` is False, ``contract``.
    as_of_day : float
        The analysis date in days since the start; later orders are ignored.
    customer_col : str
        Column identifying the customer.
    include_contract : bool
        Whether contractual service-plan orders count as purchases.

    Returns
    -------
    DataFrame indexed by customer with columns
    ``recency_days`` (as_of_day - last order day), ``frequency`` (orders, count),
    ``monetary_cny`` (total revenue, CNY), ``avg_order_cny`` (monetary / frequency),
    ``first_order_day`` and ``last_order_day``.

    Notes
    -----
    The classic RFM variables (Hughes, *Strategic Database Marketing*, 1994): a customer who
    bought recently, often and for much is more likely to buy again. Lower recency is better.
    """
    use = _orders_until(orders, as_of_day, include_contract, customer_col)
    g = use.groupby(customer_col, sort=True)
    out = pd.DataFrame(
        {
            "first_order_day": g["time_days"].min(),
            "last_order_day": g["time_days"].max(),
            "frequency": g.size().astype("int64"),
            "monetary_cny": g["amount_cny"].sum().astype(float),
        }
    )
    out["recency_days"] = float(as_of_day) - out["last_order_day"]
    out["avg_order_cny"] = out["monetary_cny"] / out["frequency"]
    return out[["recency_days", "frequency", "monetary_cny", "avg_order_cny", "first_order_day", "last_order_day"]]


def _score(values: pd.Series, bins: int, higher_is_better: bool) -> pd.Series:
    """1 + floor(bins * share of customers with a strictly worse value)."""
    v = values if higher_is_better else -values
    worse = v.rank(method="min").to_numpy() - 1.0  # customers strictly below
    score = 1 + np.floor(bins * worse / len(v)).astype("int64")
    return pd.Series(np.clip(score, 1, bins), index=values.index, dtype="int64")


def rfm_scores(rfm: pd.DataFrame, *, bins: int = 5) -> pd.DataFrame:
    """Quantile scores 1..`bins` for recency (R), frequency (F) and monetary value (M).

    Parameters
    ----------
    rfm : DataFrame
        Output of :func:`rfm_table` (needs ``recency_days``, ``frequency``, ``monetary_cny``).
    bins : int
        Number of score levels (2..10); 5 gives the usual quintile scores.

    Returns
    -------
    A copy of `rfm` with integer columns ``R``, ``F``, ``M`` and a string ``RFM`` code such as "545".

    Notes
    -----
    Score = 1 + floor(bins x share of customers with a strictly worse value). Ties therefore
    always get the same score (no dependence on row order) and the best customers get `bins`;
    when many customers share a value (e.g. one order only) some score levels stay empty.
    Lower recency is better, higher frequency and monetary value are better. Quintile RFM
    scoring follows Hughes (1994), *Strategic Database Marketing*.
    """
    require_columns(rfm, "rfm", ["recency_days", "frequency", "monetary_cny"])
    require_rows(rfm, "rfm")
    bins = check_int(bins, "bins", lo=2, hi=10)
    out = rfm.copy()
    out["R"] = _score(out["recency_days"].astype(float), bins, higher_is_better=False)
    out["F"] = _score(out["frequency"].astype(float), bins, higher_is_better=True)
    out["M"] = _score(out["monetary_cny"].astype(float), bins, higher_is_better=True)
    out["RFM"] = out["R"].astype(str) + out["F"].astype(str) + out["M"].astype(str)
    return out


def rfm_segments(
    scores: pd.DataFrame,
    rules: dict[str, dict[str, tuple[int, int]]] | None = None,
    *,
    default: str = "others",
) -> pd.DataFrame:
    """Name each customer's segment from its R/F/M scores with an ordered rules dict.

    Parameters
    ----------
    scores : DataFrame
        Output of :func:`rfm_scores` (needs the score columns the rules use).
    rules : dict, optional
        ``{segment: {"R": (lo, hi), "F": (lo, hi), "M": (lo, hi)}}``, inclusive ranges,
        checked in order (first match wins). Defaults to :data:`DEFAULT_SEGMENT_RULES`
        (champions, loyal, new, promising, about_to_sleep, at_risk, hibernating), which
        covers every R x F combination on 1..5 scores.
    default : str
        Segment name for customers that no rule matches.

    Returns
    -------
    A copy of `scores` with a ``segment`` column (str).

    Notes
    -----
    Named R x F segments are a common practitioners' convention (not a single published
    standard); the rules are data so that a class can argue about and change them.
    """
    rules = DEFAULT_SEGMENT_RULES if rules is None else rules
    if not isinstance(rules, Mapping) or not rules:
        raise ValueError(f"rules must be a non-empty dict of segment -> score ranges; got {rules!r}")
    needed: set[str] = set()
    for name, rule in rules.items():
        if not isinstance(rule, Mapping):
            raise ValueError(f"rules[{name!r}] must be a dict like {{'R': (4, 5)}}; got {rule!r}")
        for key, rng in rule.items():
            check_choice(key, f"rules[{name!r}] key", ["R", "F", "M"])
            if not (isinstance(rng, (tuple, list)) and len(rng) == 2 and rng[0] <= rng[1]):
                raise ValueError(f"rules[{name!r}][{key!r}] must be a (low, high) pair with low <= high; got {rng!r}")
            needed.add(key)
    require_columns(scores, "scores", sorted(needed))
    segment = np.full(len(scores), default, dtype=object)
    unassigned = np.ones(len(scores), dtype=bool)
    for name, rule in rules.items():
        hit = unassigned.copy()
        for key, (lo, hi) in rule.items():
            s = scores[key].to_numpy()
            hit &= (s >= lo) & (s <= hi)
        segment[hit] = name
        unassigned &= ~hit
    out = scores.copy()
    out["segment"] = pd.Series(segment, index=scores.index, dtype="str")
    return out


def segment_summary(
    segmented: pd.DataFrame,
    *,
    segment_col: str = "segment",
    value_col: str = "monetary_cny",
) -> pd.DataFrame:
    """Size and value of each segment.

    Returns one row per segment (largest value first) with ``customers``, ``customer_share``,
    ``value_cny`` (sum of `value_col`), ``value_share``, ``value_per_customer_cny`` and, when
    present, mean ``recency_days`` and ``frequency``.
    """
    require_columns(segmented, "segmented", [segment_col, value_col])
    require_rows(segmented, "segmented")
    g = segmented.groupby(segment_col, sort=False)
    out = pd.DataFrame({"customers": g.size(), "value_cny": g[value_col].sum().astype(float)})
    for col in ("recency_days", "frequency"):
        if col in segmented.columns:
            out[f"mean_{col}"] = g[col].mean()
    out["customer_share"] = out["customers"] / out["customers"].sum()
    total = out["value_cny"].sum()
    out["value_share"] = out["value_cny"] / total if total != 0 else np.nan
    out["value_per_customer_cny"] = out["value_cny"] / out["customers"]
    out.index.name = segment_col
    return out.sort_values(["value_cny", "customers"], ascending=False)


def spend_frequency_quadrants(
    rfm: pd.DataFrame,
    *,
    spend_col: str = "avg_order_cny",
    frequency_col: str = "frequency",
    spend_split: float | None = None,
    frequency_split: float | None = None,
) -> pd.DataFrame:
    """Spend x frequency groups of the coffee-chain case (course module 3).

    A customer is "high" on a dimension when its value is strictly above the split point
    (default: the median). Groups: ``best`` (high spend, high frequency),
    ``frequent_low_spend`` (potential: students, junior staff), ``rare_high_spend`` (busy
    senior people) and ``uncertain`` (new or unknown); see :data:`QUADRANT_DESCRIPTIONS`.

    Parameters
    ----------
    rfm : DataFrame
        :func:`rfm_table` output or any table with the two columns.
    spend_col, frequency_col : str
        Spend per order (CNY; default the average order) and number of orders.
    spend_split, frequency_split : float, optional
        Split points; default the medians.

    Returns a copy of `rfm` with ``high_spend``, ``high_frequency`` (bool) and ``quadrant`` (str).
    Source: the course's coffee-chain loyalty-card case (module 3).
    """
    require_columns(rfm, "rfm", [spend_col, frequency_col])
    require_rows(rfm, "rfm")
    s_split = float(rfm[spend_col].median()) if spend_split is None else check_number(spend_split, "spend_split")
    f_split = (
        float(rfm[frequency_col].median())
        if frequency_split is None
        else check_number(frequency_split, "frequency_split")
    )
    out = rfm.copy()
    hs = out[spend_col].to_numpy(dtype=float) > s_split
    hf = out[frequency_col].to_numpy(dtype=float) > f_split
    out["high_spend"] = hs
    out["high_frequency"] = hf
    quad = np.where(hs & hf, "best", np.where(hf, "frequent_low_spend", np.where(hs, "rare_high_spend", "uncertain")))
    out["quadrant"] = pd.Series(quad, index=out.index, dtype="str")
    return out


def rfm_summary(
    orders: pd.DataFrame,
    *,
    as_of_day: float,
    customer_col: str = "customer_id",
    time_unit_days: float = 7.0,
    include_contract: bool = False,
) -> pd.DataFrame:
    """Per-customer (frequency, recency, T, monetary_value) for BG/NBD and Gamma-Gamma.

    Parameters
    ----------
    orders : DataFrame
        Needs ``customer_id``, ``time_days``, ``amount_cny`` and ``contract``.
    as_of_day : float
        End of the calibration period, days since the start; later orders are ignored.
    time_unit_days : float
        Length of the model's time unit in days: 7 = weeks (the CDNOW convention), 365 = years.
    include_contract : bool
        Contractual service-plan orders follow a different (renewal) process, so they are
        excluded by default.

    Returns
    -------
    DataFrame indexed by customer with ``frequency`` (repeat orders = orders - 1),
    ``recency`` (time of the last order minus time of the first order, in time units; 0 if
    no repeat), ``T`` (as_of_day minus first order, in time units) and ``monetary_value``
    (mean amount of the repeat orders in CNY; 0 when frequency = 0), plus ``first_order_day``.

    Notes
    -----
    This is the summary of Fader, Hardie & Lee (2005), "Counting your customers the easy
    way", *Marketing Science* 24(2): the first order starts the customer's clock and is not
    counted, because the models describe repeat buying. Orders are counted one per row;
    the first order's amount is left out of ``monetary_value`` (FHL 2005, "RFM and CLV").
    """
    tu = check_number(time_unit_days, "time_unit_days", lo=0.0, lo_open=True)
    use = _orders_until(orders, as_of_day, include_contract, customer_col)
    use = use[[customer_col, "time_days", "amount_cny"]].sort_values([customer_col, "time_days"], kind="stable")
    g = use.groupby(customer_col, sort=True)
    first = g["time_days"].min()
    last = g["time_days"].max()
    n = g.size()
    total = g["amount_cny"].sum()
    first_amount = g["amount_cny"].first()
    freq = (n - 1).astype("int64")
    repeat_spend = (total - first_amount).astype(float)
    monetary = np.where(freq > 0, repeat_spend / freq.where(freq > 0, 1), 0.0)
    out = pd.DataFrame(
        {
            "frequency": freq,
            "recency": (last - first) / tu,
            "T": (float(as_of_day) - first) / tu,
            "monetary_value": monetary,
            "first_order_day": first,
        }
    )
    out.index.name = customer_col
    return out
