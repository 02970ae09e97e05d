"""Shifted-beta-geometric (sBG) model of contract renewals (Fader & Hardie 2007).

Assumptions (Fader & Hardie 2007, "How to project customer retention", *Journal of
Interactive Marketing* 21(1), 76-90):

1. At the end of each contract period an active customer cancels with probability theta
   (so the customer's lifetime in periods is geometric).
2. theta varies across customers as Beta(alpha, beta).

Then ``P(T = t) = B(alpha+1, beta+t-1) / B(alpha, beta)`` and the survival function is
``S(t) = B(alpha, beta+t) / B(alpha, beta)``; the aggregate retention rate rises with
tenure, ``r_t = (beta+t-1) / (alpha+beta+t-1)``, because the churn-prone leave first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.special import betaln, hyp2f1

from ..common.checks import check_int, check_number, require_columns, require_rows
from ._mle import fit_positive_mle

_NAMES = ["alpha", "beta"]


def sbg_loglik(params, churned_at, censored_at, churned_weights=None, censored_weights=None) -> float:
    """sBG log-likelihood of lifetimes that ended at `churned_at` and of lifetimes still
    running after `censored_at` periods (right-censored).

    ``LL = sum_churned log P(T = t_i) + sum_censored log S(t_j)``.
    """
    al, be = (float(v) for v in params)
    t_c = np.asarray(churned_at, dtype=float)
    t_s = np.asarray(censored_at, dtype=float)
    w_c = np.ones_like(t_c) if churned_weights is None else np.asarray(churned_weights, dtype=float)
    w_s = np.ones_like(t_s) if censored_weights is None else np.asarray(censored_weights, dtype=float)
    b0 = betaln(al, be)
    ll_c = betaln(al + 1.0, be + t_c - 1.0) - b0
    ll_s = betaln(al, be + t_s) - b0
    return float(np.dot(w_c, ll_c) + np.dot(w_s, ll_s))


@dataclass(frozen=True)
class SBGFit:
    """A fitted shifted-beta-geometric retention model (time in contract periods)."""

    alpha: float
    beta: float
    se: dict = field(default_factory=dict)
    loglik: float = float("nan")
    n_customers: int = 0
    converged: bool = True

    @property
    def params(self) -> dict[str, float]:
        """Parameter estimates as a dict ``{"alpha", "beta"}``."""
        return {"alpha": self.alpha, "beta": self.beta}

    @property
    def mean_churn_probability(self) -> float:
        """E[theta] = alpha / (alpha + beta), the average per-period churn probability."""
        return self.alpha / (self.alpha + self.beta)

    def survival(self, t) -> np.ndarray:
        """S(t) = B(alpha, beta + t) / B(alpha, beta): share of a cohort still active after t periods."""
        t = np.asarray(t, dtype=float)
        return np.exp(betaln(self.alpha, self.beta + t) - betaln(self.alpha, self.beta))

    def retention_rate(self, t) -> np.ndarray:
        """r_t = S(t) / S(t-1) = (beta + t - 1) / (alpha + beta + t - 1), for t >= 1."""
        t = np.asarray(t, dtype=float)
        return (self.beta + t - 1.0) / (self.alpha + self.beta + t - 1.0)

    def curve(self, periods: int) -> pd.DataFrame:
        """Survival and retention for periods 0..`periods` (retention is NaN at period 0)."""
        periods = check_int(periods, "periods", lo=1)
        t = np.arange(periods + 1)
        ret = np.full(t.size, np.nan)
        ret[1:] = self.retention_rate(t[1:])
        return pd.DataFrame({"period": t, "survival": self.survival(t), "retention": ret})

    def discounted_expected_residual_lifetime(self, renewals: int, discount_rate: float) -> float:
        """Expected discounted number of future payments of a customer who has just made
        renewal number `renewals` (n), each payment discounted from the period it is made in.

        ``DERL = sum_{k>=1} S(n+k)/S(n) / (1+d)^k = 2F1(1, beta+n; alpha+beta+n; 1/(1+d)) - 1``,
        since ``S(n+k)/S(n) = (beta+n)_k / (alpha+beta+n)_k`` (rising factorials). Multiply by
        the payment per period to value the customer. Fader & Hardie (2010), "Customer-base
        valuation in a contractual setting: the perils of ignoring heterogeneity", *Marketing
        Science* 29(1), derive the same quantity with the next payment undiscounted.
        """
        n = check_int(renewals, "renewals", lo=0)
        d = check_number(discount_rate, "discount_rate", lo=0.0, lo_open=True)
        return float(hyp2f1(1.0, self.beta + n, self.alpha + self.beta + n, 1.0 / (1.0 + d)) - 1.0)

    def expected_lifetime_value(self, payment_cny: float, *, discount_rate: float, margin: float = 1.0) -> float:
        """Expected discounted lifetime value of a customer who has just signed (first payment now).

        ``E[CLV] = m * p * (1 + sum_{t>=1} S(t) / (1+d)^t) = m * p * (1 + DERL(0, d))``: the first
        payment `payment_cny` (p) is made today, each renewal t is made with chance S(t) and
        discounted t periods; `margin` (m) turns payments into margin. Fader & Hardie (2007),
        "How to project customer retention", *Journal of Interactive Marketing* 21(1), 76-90,
        and Fader & Hardie (2010), *Marketing Science* 29(1), 85-93 (discounted expected lifetime).
        """
        pay = check_number(payment_cny, "payment_cny", lo=0.0)
        m = check_number(margin, "margin", lo=0.0, hi=1.0)
        return m * pay * (1.0 + self.discounted_expected_residual_lifetime(0, discount_rate))


def _check_survivors(alive) -> np.ndarray:
    arr = np.asarray(alive, dtype=float)
    if arr.ndim != 1 or arr.size < 2:
        raise ValueError(f"alive must be a sequence of at least 2 counts (period 0 first); got {alive!r}")
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError(f"alive must hold counts >= 0; got {alive!r}")
    if np.any(np.diff(arr) > 0):
        raise ValueError(f"alive must not increase from one period to the next; got {alive!r}")
    if arr[0] <= 0:
        raise ValueError(f"alive[0] (the cohort size) must be > 0; got {arr[0]:g}")
    return arr


def fit_sbg(alive, *, initial: dict[str, float] | None = None) -> SBGFit:
    """Fit the sBG model to one cohort's counts of active customers per period.

    Parameters
    ----------
    alive : sequence of float
        Active customers at the start (period 0) and after each of the following periods,
        e.g. ``[1000, 631, 468, 382, 326, 289, 262, 241]``. Shares (1.0, 0.631, ...) work too.

    Returns
    -------
    SBGFit

    Notes
    -----
    Customers lost in period t contribute ``log P(T = t)``; the survivors of the last period
    are right-censored and contribute ``log S(t_last)`` (Fader & Hardie 2007, eq. 5). On the
    "regular" customers of Fader & Hardie (2007), years 0-7, this gives alpha=0.704,
    beta=1.182; on "high end" alpha=0.668, beta=3.806.
    """
    arr = _check_survivors(alive)
    lost = -np.diff(arr)
    t = np.arange(1, arr.size)
    return _fit(t, lost, np.array([t[-1]]), np.array([arr[-1]]), int(round(arr[0])), initial)


def fit_sbg_tenure(
    tenure: pd.DataFrame,
    *,
    periods_col: str = "periods",
    churned_col: str = "churned",
    initial: dict[str, float] | None = None,
) -> SBGFit:
    """Fit the sBG model to individual contract histories (cohorts may differ in age).

    Parameters
    ----------
    tenure : DataFrame
        One row per contract customer: ``periods`` = contract periods paid (>= 1) and
        ``churned`` = True if the customer did not renew after the last paid period.
        :func:`contract_tenure` builds this table from the orders.

    Notes
    -----
    A churned customer with n paid periods has lifetime T = n (``log P(T = n)``); a customer
    still inside its n-th period is known only to have T > n - 1 (``log S(n-1)``).
    """
    require_columns(tenure, "tenure", [periods_col, churned_col])
    require_rows(tenure, "tenure")
    n = tenure[periods_col].to_numpy(dtype=float)
    if np.any(~np.isfinite(n)) or np.any(n < 1) or np.any(n != np.round(n)):
        raise ValueError(f"tenure column '{periods_col}' must hold whole numbers >= 1 (paid periods)")
    ch = tenure[churned_col].to_numpy(dtype=bool)
    tc, wc = np.unique(n[ch], return_counts=True)
    ts, ws = np.unique(n[~ch] - 1.0, return_counts=True)
    return _fit(tc, wc, ts, ws, len(n), initial)


def _fit(tc, wc, ts, ws, n_customers, initial) -> SBGFit:
    if np.sum(wc) <= 0:
        raise ValueError("the sBG model needs at least one churned customer; none churned")
    start = {"alpha": 1.0, "beta": 1.0}
    if initial is not None:
        for k, v in initial.items():
            if k not in start:
                raise ValueError(f"initial has unknown parameter {k!r}; use alpha, beta")
            start[k] = check_number(v, f"initial[{k!r}]", lo=0.0, lo_open=True)
    res = fit_positive_mle(
        lambda th: -sbg_loglik(th, tc, ts, wc, ws),
        np.array([start["alpha"], start["beta"]]),
        _NAMES,
        scale=float(np.sum(wc) + np.sum(ws)),
    )
    return SBGFit(**res.params, se=res.se, loglik=res.loglik, n_customers=n_customers, converged=res.converged)


def contract_tenure(
    orders: pd.DataFrame,
    *,
    as_of_day: float,
    period_days: float = 365.0,
    grace_days: float = 0.0,
    customer_col: str = "customer_id",
) -> pd.DataFrame:
    """Paid contract periods and churn status per customer from the contractual order stream.

    Each ``contract`` order (service-plan sale or renewal) up to `as_of_day` pays for one
    period of `period_days`. A customer has churned when its last paid period plus
    `grace_days` ended before `as_of_day` without another contract order.

    Returns
    -------
    DataFrame indexed by customer with ``periods`` (int), ``first_contract_day``,
    ``last_contract_day`` and ``churned`` (bool), ready for :func:`fit_sbg_tenure`.
    """
    require_columns(orders, "orders", [customer_col, "time_days", "contract"])
    as_of = check_number(as_of_day, "as_of_day")
    period = check_number(period_days, "period_days", lo=0.0, lo_open=True)
    grace = check_number(grace_days, "grace_days", lo=0.0)
    use = orders.loc[orders["contract"].astype(bool) & (orders["time_days"] <= as_of)]
    g = use.groupby(customer_col, sort=True)["time_days"]
    out = pd.DataFrame(
        {"periods": g.size().astype("int64"), "first_contract_day": g.min(), "last_contract_day": g.max()}
    )
    out["churned"] = (out["last_contract_day"] + period + grace) < as_of
    return out
