"""Association rules: which product categories are bought together (course module 3).

A *basket* is a set of items bought together. Evergreen's orders hold one product line each,
so the course takes a customer's purchases over the analysis window as the basket
(:func:`baskets`); with multi-line orders the order is the usual basket.
:func:`association_rules` then measures every rule "A ⇒ B" between two items.

>>> import pandas as pd
>>> b = pd.DataFrame({"appliance": [True, True, True, False], "service_plan": [True, True, False, False]})
>>> rule = association_rules(b).iloc[0]
>>> rule["antecedent"], rule["consequent"], float(rule["support"]), round(float(rule["confidence"]), 3)
('appliance', 'service_plan', 0.5, 0.667)
>>> round(float(rule["lift"]), 3)
1.333
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..common.checks import check_number, require_columns, require_rows

__all__ = ["baskets", "association_rules"]

_RULE_COLUMNS = [
    "antecedent",
    "consequent",
    "baskets_both",
    "support_antecedent",
    "support_consequent",
    "support",
    "confidence",
    "lift",
]


def baskets(
    orders: pd.DataFrame,
    *,
    basket_col: str = "customer_id",
    item_col: str = "category",
    as_of_day: float | None = None,
) -> pd.DataFrame:
    """One row per basket, one boolean column per item: did the basket contain the item?

    Parameters
    ----------
    orders : DataFrame
        Order lines with `basket_col` and `item_col` (and ``time_days`` if `as_of_day` is given).
    basket_col : str
        What makes a basket: ``customer_id`` (everything a customer bought, the default,
        because each Evergreen order holds one line) or ``order_id`` (one order).
    item_col : str
        The item, e.g. ``category``.
    as_of_day : float, optional
        Leave out orders after this day.

    Returns
    -------
    DataFrame indexed by `basket_col` with one ``bool`` column per item that occurs, in the
    items' category order (or sorted).
    """
    require_columns(orders, "orders", [basket_col, item_col] + ([] if as_of_day is None else ["time_days"]))
    use = orders
    if as_of_day is not None:
        use = orders.loc[orders["time_days"] <= check_number(as_of_day, "as_of_day")]
    require_rows(use, "orders")
    items = use[item_col]
    if isinstance(items.dtype, pd.CategoricalDtype):
        items = items.cat.remove_unused_categories()
    table = pd.crosstab(use[basket_col], items) > 0
    table.columns = [str(c) for c in table.columns]
    table.columns.name = None
    return table


def association_rules(baskets: pd.DataFrame, *, min_support: float = 0.0) -> pd.DataFrame:
    """Support, confidence and lift of every rule "A ⇒ B" between two items.

    Parameters
    ----------
    baskets : DataFrame
        One row per basket, one boolean column per item (:func:`baskets`).
    min_support : float
        Keep only rules whose support (share of baskets holding both items) is at least this.

    Returns
    -------
    DataFrame, one row per ordered pair of different items (highest lift first), with
    ``antecedent`` (A), ``consequent`` (B), ``baskets_both`` (baskets holding A and B),
    ``support_antecedent`` = support(A), ``support_consequent`` = support(B), ``support``,
    ``confidence`` and ``lift``.

    Notes
    -----
    With N baskets and n(X) the number of baskets holding every item of X:

    .. math::

        \\operatorname{support}(A \\Rightarrow B) = \\frac{n(A \\cup B)}{N}, \\qquad
        \\operatorname{confidence}(A \\Rightarrow B) =
            \\frac{\\operatorname{support}(A \\cup B)}{\\operatorname{support}(A)}, \\qquad
        \\operatorname{lift}(A \\Rightarrow B) =
            \\frac{\\operatorname{confidence}(A \\Rightarrow B)}{\\operatorname{support}(B)}.

    Here A ∪ B is the item set holding both A and B. Confidence is the share of A-baskets that
    also hold B; lift compares it with B's share of all baskets: above 1, A and B occur
    together more often than if they were independent; 1, as often; below 1, less often.
    Lift is symmetric in A and B, confidence is not. Support and confidence are from Agrawal,
    Imieliński & Swami (1993), "Mining association rules between sets of items in large
    databases", *Proc. ACM SIGMOD*, 207-216; lift ("interest") from Brin, Motwani, Ullman &
    Tsur (1997), *Proc. ACM SIGMOD*, 255-264. A rule's confidence or lift is undefined (NaN)
    when A or B never occurs.
    """
    if not isinstance(baskets, pd.DataFrame):
        raise TypeError(f"baskets must be a pandas DataFrame; got {type(baskets).__name__}")
    require_rows(baskets, "baskets")
    min_support = check_number(min_support, "min_support", lo=0.0, hi=1.0)
    bad = [str(c) for c in baskets.columns if baskets[c].dtype != bool]
    if bad:
        raise ValueError(f"baskets must hold True/False columns (one per item); column {bad[0]!r} does not")
    items = [str(c) for c in baskets.columns]
    x = baskets.to_numpy(dtype=np.int64)
    n = len(x)
    both = x.T @ x  # both[i, j] = baskets holding items i and j
    single = np.diag(both) / n
    rows = []
    for i, a in enumerate(items):
        for j, b in enumerate(items):
            if i == j:
                continue
            sup = both[i, j] / n
            conf = sup / single[i] if single[i] > 0 else np.nan
            lift = conf / single[j] if single[j] > 0 else np.nan
            rows.append((a, b, int(both[i, j]), single[i], single[j], sup, conf, lift))
    out = pd.DataFrame(rows, columns=_RULE_COLUMNS)
    out = out.loc[out["support"] >= min_support]
    out = out.sort_values(["lift", "support", "antecedent", "consequent"], ascending=[False, False, True, True])
    return out.reset_index(drop=True)
