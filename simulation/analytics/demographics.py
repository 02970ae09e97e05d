"""Segmentation by customer attributes: age band, gender, city (course module 3).

The course segments customers by attributes (age, gender, income, place), by behaviour and by
value. :func:`demographic_profile` joins the customer table with the contact details and shows,
per group, how many customers there are and how they buy.

>>> age_band([2000, 1990, 1984, 1955], year=2024).tolist()
['<30', '30-39', '40-49', '60+']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..common.checks import check_int, require_columns, require_rows

__all__ = ["age_band", "demographic_profile"]


def age_band(birth_year, *, year: int, edges: tuple[int, ...] = (30, 40, 50, 60)) -> pd.Categorical:
    """Age bands of people born in `birth_year`, their age taken as ``year - birth_year``.

    Parameters
    ----------
    birth_year : array-like of int
        Years of birth; missing values give a missing band.
    year : int
        The year at which ages are taken.
    edges : tuple of int
        Increasing lower bounds of the bands after the first: (30, 40, 50, 60) gives
        ``<30``, ``30-39``, ``40-49``, ``50-59``, ``60+``.

    Returns
    -------
    pandas.Categorical with the bands in age order.
    """
    year = check_int(year, "year", lo=1900, hi=2200)
    edges = tuple(int(e) for e in edges)
    if not edges or any(b <= a for a, b in zip(edges, edges[1:], strict=False)):
        raise ValueError(f"edges must be increasing ages, e.g. (30, 40, 50, 60); got {edges!r}")
    labels = [f"<{edges[0]}"] + [f"{a}-{b - 1}" for a, b in zip(edges, edges[1:], strict=False)] + [f"{edges[-1]}+"]
    age = year - pd.to_numeric(pd.Series(birth_year), errors="coerce").to_numpy(dtype=float)
    code = np.searchsorted(np.asarray(edges, dtype=float), age, side="right")
    code = np.where(np.isnan(age), -1, code)
    return pd.Categorical.from_codes(code, labels)


def demographic_profile(
    customers: pd.DataFrame,
    contacts: pd.DataFrame,
    *,
    by: str = "age_band",
    year: int = 2024,
    edges: tuple[int, ...] = (30, 40, 50, 60),
) -> pd.DataFrame:
    """Customers and their buying per attribute group (age band, gender, city …).

    Parameters
    ----------
    customers : DataFrame
        One row per customer with ``customer_id``, ``n_orders`` and ``revenue_cny``.
    contacts : DataFrame
        Contact details with ``customer_id`` and the column `by` (or ``birth_year`` when `by`
        is ``"age_band"``).
    by : str
        The attribute to group by: ``age_band`` (made from ``birth_year`` with
        :func:`age_band`), or any column of `contacts` such as ``gender`` or ``city``.
    year, edges
        Passed to :func:`age_band`.

    Returns
    -------
    DataFrame indexed by the group with ``customers``, ``customer_share``, ``buyer_share``
    (share with at least one order), ``orders_per_customer`` (mean ``n_orders``) and
    ``revenue_per_customer_cny`` (mean ``revenue_cny``). Customers without contact details
    are left out.
    """
    require_columns(customers, "customers", ["customer_id", "n_orders", "revenue_cny"])
    require_columns(contacts, "contacts", ["customer_id", "birth_year" if by == "age_band" else by])
    require_rows(customers, "customers")
    people = contacts[["customer_id"]].copy()
    people[by] = age_band(contacts["birth_year"], year=year, edges=edges) if by == "age_band" else contacts[by]
    use = customers[["customer_id", "n_orders", "revenue_cny"]].merge(people, on="customer_id", how="inner")
    require_rows(use, "customers with contact details")
    g = use.groupby(by, observed=True, sort=True)
    out = pd.DataFrame(
        {
            "customers": g.size().astype("int64"),
            "buyer_share": g["n_orders"].apply(lambda s: float((s > 0).mean())),
            "orders_per_customer": g["n_orders"].mean().astype(float),
            "revenue_per_customer_cny": g["revenue_cny"].mean().astype(float),
        }
    )
    out.insert(1, "customer_share", out["customers"] / out["customers"].sum())
    out.index.name = by
    return out
