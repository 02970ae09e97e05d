"""Small hand-made tables and a synthetic BG/NBD + Gamma-Gamma order generator for the analytics
tests (no model run needed). The ``orders`` and ``customers`` fixtures in ``conftest.py`` use them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.analytics import fit_bgnbd, rfm_summary

START = pd.Timestamp("2024-01-01")


def make_orders(rows) -> pd.DataFrame:
    """Orders table with the model's columns from (customer, day, amount, margin, delivery,
    installation, repair, contract) tuples; other columns get simple defaults."""
    cols = [
        "customer_id",
        "time_days",
        "amount_cny",
        "margin_cny",
        "delivery_cost_cny",
        "installation_cost_cny",
        "repair_cost_cny",
        "contract",
    ]
    df = pd.DataFrame(rows, columns=cols)
    n = len(df)
    df.insert(0, "order_id", np.arange(1, n + 1, dtype="int64"))
    df["customer_id"] = df["customer_id"].astype("int64")
    df["time_days"] = df["time_days"].astype(float)
    df["date"] = START + pd.to_timedelta(df["time_days"], unit="D")
    df["segment"] = pd.Series(["household"] * n, dtype="str")
    df["category"] = pd.Series(np.where(df["contract"], "service_plan", "appliance"), dtype="str")
    for c in ("amount_cny", "margin_cny", "delivery_cost_cny", "installation_cost_cny", "repair_cost_cny"):
        df[c] = df[c].astype(float)
    df["discount_cny"] = 0.0
    df["contract"] = df["contract"].astype(bool)
    df["late_delivery"] = False
    df["installation_problem"] = False
    df["product_failure"] = False
    return df


def hand_orders() -> pd.DataFrame:
    """Three customers, six orders (one contract order) - values chosen for hand computation."""
    return make_orders(
        [
            # customer, day, amount, margin, delivery, installation, repair, contract
            (1, 0.0, 1000.0, 300.0, 50.0, 100.0, 0.0, False),
            (1, 14.0, 200.0, 80.0, 10.0, 0.0, 0.0, False),
            (1, 70.0, 400.0, 120.0, 10.0, 0.0, 60.0, False),
            (2, 7.0, 3000.0, 600.0, 100.0, 200.0, 500.0, False),
            (2, 35.0, 300.0, 90.0, 0.0, 0.0, 0.0, True),
            (3, 63.0, 500.0, 150.0, 20.0, 0.0, 0.0, False),
        ]
    )


def hand_customers() -> pd.DataFrame:
    """Four customers (customer 4 never ordered) with the model's columns."""
    return pd.DataFrame(
        {
            "customer_id": np.array([1, 2, 3, 4], dtype="int64"),
            "segment": pd.Series(["household", "small_business", "household", "household"], dtype="str"),
            "channel": pd.Series(["store", "web", "referral", "dealer"], dtype="str"),
            "contact_day": [0.0, 5.0, 60.0, 80.0],
            "acquired_day": [0.0, 7.0, 63.0, 84.0],
            "acquisition_cost_cny": [100.0, 200.0, 50.0, 80.0],
            "n_orders": np.array([3, 1, 1, 0], dtype="int64"),
            "revenue_cny": [1600.0, 3300.0, 500.0, 0.0],
            "last_order_day": [70.0, 7.0, 63.0, np.nan],
            "satisfaction_initial": [70.0, 60.0, 80.0, 50.0],
            "satisfaction_final": [80.0, 40.0, 90.0, 50.0],
            "stage_at_end": pd.Series(["maintenance", "decline", "development", "development"], dtype="str"),
            "alive_at_end": [True, False, True, True],
            "dropped_day": [np.nan, 20.0, np.nan, np.nan],
            "churn_reason": pd.Series([None, "service", None, None], dtype="str"),
            "purchase_rate_per_year": [6.0, 2.0, 3.0, 1.0],
            "dropout_prob": [0.1, 0.5, 0.2, 0.3],
            "mean_spend_cny": [500.0, 2000.0, 500.0, 300.0],
        }
    )


def synthetic_bgnbd_orders(
    n: int,
    *,
    r: float,
    alpha_years: float,
    a: float,
    b: float,
    p: float = 6.0,
    q: float = 4.0,
    gamma: float = 1500.0,
    acquisition_window_days: float = 365.0,
    as_of_day: float = 730.0,
    seed: int = 0,
) -> pd.DataFrame:
    """Orders drawn exactly from BG/NBD (rates per year) with Gamma-Gamma spend, vectorised.

    Each customer's first order is at a uniform acquisition day in [0, window); repeat orders
    follow a Poisson process with rate lambda ~ Gamma(r, rate alpha_years) per year; after each
    repeat order the customer drops out with probability p_i ~ Beta(a, b). Every order's amount
    is Gamma(p, rate nu_i) with nu_i ~ Gamma(q, rate gamma).
    """
    rng = np.random.default_rng(seed)
    acq = rng.uniform(0.0, acquisition_window_days, n)
    lam = rng.gamma(r, 1.0 / alpha_years, n) / 365.0  # per day
    drop = rng.beta(a, b, n)
    nu = rng.gamma(q, 1.0 / gamma, n)
    cust, times = [np.arange(n)], [acq]
    idx = np.arange(n)
    t = acq.copy()
    while idx.size:
        t = t + rng.exponential(1.0, idx.size) / lam[idx]
        ok = t <= as_of_day
        idx, t = idx[ok], t[ok]
        cust.append(idx)
        times.append(t)
        stay = rng.random(idx.size) >= drop[idx]
        idx, t = idx[stay], t[stay]
    c = np.concatenate(cust)
    tt = np.concatenate(times)
    amount = rng.gamma(p, 1.0 / nu[c])
    df = pd.DataFrame(
        {
            "order_id": np.arange(c.size, dtype="int64"),
            "customer_id": c.astype("int64"),
            "time_days": tt,
            "amount_cny": amount,
            "contract": np.zeros(c.size, dtype=bool),
        }
    )
    return df.sort_values(["time_days", "order_id"]).reset_index(drop=True)


def assert_bgnbd_recovers(
    orders: pd.DataFrame, truth: dict, *, as_of_day: float, time_unit_days: float = 365.0, n_se: float = 4.0
):
    """Fit BG/NBD to an orders table and check each estimate lies within `n_se` standard
    errors of the generating value. `truth` holds r, alpha (per year), a, b; alpha is
    converted to the fit's time unit (alpha_unit = alpha_year * 365 / time_unit_days)."""
    summary = rfm_summary(orders, as_of_day=as_of_day, time_unit_days=time_unit_days)
    fit = fit_bgnbd(summary)
    expected = dict(truth)
    expected["alpha"] = truth["alpha"] * 365.0 / time_unit_days
    for k, v in expected.items():
        est, se = fit.params[k], fit.se[k]
        assert np.isfinite(se) and se > 0, (k, se)
        assert abs(est - v) <= n_se * se, f"{k}: estimate {est:.4f} vs true {v:.4f} (se {se:.4f})"
    return fit
