"""The model's stochastic parts against theory (fixed seeds, tolerances derived in each docstring)."""

import math

import numpy as np
from scipy import stats

from simulation import Scenario, run, with_changes

QUIET = {  # no word of mouth, one segment, no discount, rates untouched by satisfaction: the textbook processes
    "word_of_mouth.referral_prob": 0.0,
    "satisfaction.rate_effect": 0.0,
    "word_of_mouth.deterrence_prob": 0.0,
    "channels.store.small_business_share": 0.0,
    "channels.web.small_business_share": 0.0,
    "channels.dealer.small_business_share": 0.0,
    "dropout.comeback_per_year": 0.0,
}


def _scenario(horizon, **changes):
    import dataclasses

    sc = dataclasses.replace(Scenario(), horizon_days=float(horizon))
    return with_changes(sc, {**QUIET, **{k.replace("__", "."): v for k, v in changes.items()}})


def test_prospect_arrivals_are_poisson():
    """Store prospects arrive at lambda = customers_per_year / conversion_prob / 365 per day.

    Theory: daily counts are iid Poisson(lambda) = 10,000/0.35/365 = 78.3/day here.
    - The mean of n = 365 daily counts lies within 4 standard errors sqrt(lambda/n) = 0.46.
    - The dispersion statistic sum((x - xbar)^2)/xbar is chi-square with n - 1 = 364 degrees
      of freedom: mean 364, sd sqrt(728) = 27; it must lie within 4 sd of 364.
    """
    sc = _scenario(
        365,
        channels__store__customers_per_year=10_000.0,
        channels__web__customers_per_year=0.0,
        channels__dealer__customers_per_year=0.0,
        dropout__model="none",
    )
    r = run(sc, 2024)
    ev = r.events
    t = ev.loc[ev["event_type"].isin(["contact", "deterred"]) & (ev["detail_code"] == 0), "time_days"]
    counts = np.bincount(np.floor(t.to_numpy()).astype(int), minlength=365)[:365]
    lam = 10_000 / 0.35 / 365
    n = len(counts)
    assert abs(counts.mean() - lam) < 4 * math.sqrt(lam / n)
    dispersion = ((counts - counts.mean()) ** 2).sum() / counts.mean()
    assert abs(dispersion - (n - 1)) < 4 * math.sqrt(2 * (n - 1))


def test_conversion_is_binomial():
    """Each prospect converts with probability q = 0.35: converted ~ Binomial(N, q).

    Tolerance: 4 binomial standard errors sqrt(N q (1 - q)).
    """
    sc = _scenario(
        365, channels__web__customers_per_year=0.0, channels__dealer__customers_per_year=0.0, dropout__model="none"
    )
    r = run(sc, 7)
    ev = r.events
    contacts = ev.loc[ev["event_type"] == "contact"]
    converted = (contacts["customer_id"] >= 0).sum()
    n = len(contacts)
    assert abs(converted - 0.35 * n) < 4 * math.sqrt(n * 0.35 * 0.65)


def test_repeat_orders_follow_the_nbd_when_nobody_leaves():
    """With dropout off, repeat orders in a year are NBD(r, alpha) (gamma-mixed Poisson).

    Customers acquired in year one are each followed for exactly t = 1 year after their
    first order. With r = 1.5 and mean r/alpha = 1.2 orders/year, X ~ NegBin(n=r,
    p=alpha/(alpha+t)): E[X] = 1.2, Var[X] = 1.2 + 1.44/1.5 = 2.16. Tolerances: the sample mean within
    4 SE = 4 sqrt(Var/n); the sample variance within 4 SE = 4 sqrt((mu4 - Var^2)/n), with
    the fourth central moment mu4 taken from the NBD's kurtosis.
    """
    sc = _scenario(730, dropout__model="none", pricing__discount_pct=0.0)
    r = run(sc, 99)
    c = r.customers
    first = c.loc[c["acquired_day"] <= 365, ["customer_id", "acquired_day"]].set_index("customer_id")
    o = r.orders.loc[~r.orders["contract"], ["customer_id", "time_days"]]
    o = o.join(first, on="customer_id", how="inner")
    repeat = o.loc[(o["time_days"] > o["acquired_day"]) & (o["time_days"] <= o["acquired_day"] + 365)]
    x = repeat.groupby("customer_id").size().reindex(first.index, fill_value=0).to_numpy()
    g = sc.household
    r_, alpha = g.rate_shape, g.alpha_years
    dist = stats.nbinom(r_, alpha / (alpha + 1.0))
    mean, var, _, kurt = (float(v) for v in dist.stats(moments="mvsk"))
    n = len(x)
    assert n > 2000
    assert abs(x.mean() - mean) < 4 * math.sqrt(var / n)
    mu4 = (kurt + 3.0) * var**2
    assert abs(x.var(ddof=1) - var) < 4 * math.sqrt((mu4 - var**2) / n)


def test_repeat_orders_before_leaving_are_geometric():
    """BG/NBD dropout with a fixed p (beta concentration 10,000 around 0.2).

    After each repeat order the customer leaves with probability p, so the number of repeat
    orders K is geometric on {1, 2, ...}: E[K] = 1/p = 5, Var[K] = (1 - p)/p^2 = 20.
    With 50 orders/year nearly everyone acquired in the first 100 days has left before
    day 730 (we keep only those who have). Tolerance: 4 SE = 4 sqrt(20/n).
    """
    sc = _scenario(
        730,
        household__mean_orders_per_year=50.0,
        household__rate_shape=100.0,
        household__dropout_mean=0.2,
        household__dropout_concentration=10_000.0,
        dropout__satisfaction_effect=0.0,
    )
    c = run(sc, 5).customers
    gone = c.loc[(c["acquired_day"] <= 100) & ~c["alive_at_end"]]
    k = gone["n_orders"].to_numpy() - 1
    assert len(gone) > 0.99 * (c["acquired_day"] <= 100).sum()
    assert abs(k.mean() - 5.0) < 4 * math.sqrt(20.0 / len(k))


def test_constant_hazard_survival_is_exponential():
    """With a constant hazard h = 0.5/year, lifetimes from acquisition are Exp(h).

    For each t in {0.5, 1, 2} years, among customers acquired at least t before the horizon,
    the share still alive t years after acquisition estimates S(t) = exp(-h t); tolerance
    4 binomial SE sqrt(S (1 - S) / n).
    """
    sc = _scenario(
        1095, dropout__model="constant_hazard", dropout__satisfaction_effect=0.0, household__hazard_per_year=0.5
    )
    c = run(sc, 31).customers
    c = c.loc[c["acquired_day"].notna()]
    life = (c["dropped_day"] - c["acquired_day"]).to_numpy()
    for years in (0.5, 1.0, 2.0):
        t = years * 365
        sel = c["acquired_day"].to_numpy() <= 1095 - t
        alive = ~(life[sel] <= t)
        s = math.exp(-0.5 * years)
        n = sel.sum()
        assert abs(alive.mean() - s) < 4 * math.sqrt(s * (1 - s) / n), years


def test_littles_law_on_the_customer_stock():
    """L = lambda W for the stock of live customers (an M/M/infinity system).

    Customers are acquired at lambda = 3,650/365 = 10 per day and stay Exp(h), h = 4/year,
    so W = 365/4 = 91.25 days and the steady-state stock is L = lambda W = 912.5. The
    expected time-average of N(t) over [T1, T2] from an empty start is
    L [1 - (exp(-h T1) - exp(-h T2)) / (h (T2 - T1))]. N(t) has autocovariance
    L exp(-h |tau|), so the time average over a window of length w has variance
    2 L (h w - 1 + exp(-h w)) / (h w)^2; tolerance 4 of those standard errors (about 1%).

    The sample-path form L = lambda W over [0, T], T = 3,650: lambda_hat = A / T (A customers
    acquired) and W_hat = (time all customers spent as customers up to T, the stays still open
    at T counted up to T) / (D completed stays), the maximum-likelihood mean of an exponential
    stay censored at T. Averaging completed stays only would be biased low (long stays are the
    ones still open). D - h x (time in system) is a martingale, so E[D] = h E[time in system]
    and W_hat estimates W = 1 / h without bias to first order. By the delta method its product
    lambda_hat W_hat = (A / D) (time in system / T) has standard error
    L sqrt(2 / (lambda T)) (1 + O(1 / (h T))) = 6.9, below the 7.0 of the window average above,
    so the same bound of 4 of those standard errors is at least 4 of its own (two-sided false
    alarm below 1e-4, normal approximation).
    """
    sc = _scenario(
        3650,
        dropout__model="constant_hazard",
        dropout__satisfaction_effect=0.0,
        household__hazard_per_year=4.0,
        household__mean_orders_per_year=1.0,
        channels__store__customers_per_year=3650.0,
        channels__store__days_to_first_order=0.0,
        channels__web__customers_per_year=0.0,
        channels__dealer__customers_per_year=0.0,
    )
    c = run(sc, 77).customers
    c = c.loc[c["acquired_day"].notna()]
    start = c["acquired_day"].to_numpy()
    end = np.nan_to_num(c["dropped_day"].to_numpy(), nan=3650.0)
    t1, t2 = 365.0, 3650.0
    area = np.clip(np.minimum(end, t2) - np.maximum(start, t1), 0, None).sum()
    l_obs = area / (t2 - t1)
    lam, h = 10.0, 4.0 / 365
    big_l = lam / h
    expected = big_l * (1 - (math.exp(-h * t1) - math.exp(-h * t2)) / (h * (t2 - t1)))
    hw = h * (t2 - t1)
    se = math.sqrt(2 * big_l * (hw - 1 + math.exp(-hw)) / hw**2)
    assert abs(l_obs - expected) < 4 * se
    # the sample-path form: L = (arrival rate) x (mean time in system), within the same bound
    done = c["dropped_day"].notna().to_numpy()
    w_obs = (end - start).sum() / done.sum()  # open stays count up to the horizon
    lam_obs = len(c) / 3650.0
    assert abs(lam_obs * w_obs - big_l) < 4 * se, (lam_obs * w_obs, big_l, se)


def test_mean_order_value_matches_gamma_gamma():
    """Order value z ~ Gamma(p, nu), nu ~ Gamma(q, gamma): E[z] = p gamma / (q - 1) = 1,000 CNY.

    Customer means m_i = p / nu_i (hidden truth column mean_spend_cny) have
    E[m] = 1,000 and Var[m] = p^2 gamma^2 / ((q - 1)^2 (q - 2)) = 1000^2 / 2; tolerance 4 SE
    of the mean over customers.
    """
    sc = _scenario(365, dropout__model="none")
    assert sc.household.mean_order_cny == 1000
    c = run(sc, 3).customers
    m = c["mean_spend_cny"].to_numpy()
    assert abs(m.mean() - 1000) < 4 * math.sqrt(1000**2 / 2 / len(m))
