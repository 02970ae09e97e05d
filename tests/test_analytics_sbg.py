"""Shifted-beta-geometric retention model: published estimates, closed forms, the
individual-tenure likelihood and parameter recovery."""

import numpy as np
import pandas as pd
import pytest
from analytics_data import make_orders

from simulation.analytics import SBGFit, contract_tenure, fit_sbg, fit_sbg_tenure

# Fader & Hardie (2007), "How to project customer retention", Journal of Interactive
# Marketing 21(1), Table 1: customers of 1,000 still active at the start of years 0..7.
REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241]
HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491]


def test_fader_hardie_2007_regular_and_high_end():
    """Fader & Hardie (2007), fitted on years 0-7: regular alpha = 0.704, beta = 1.182;
    high end alpha = 0.668, beta = 3.806 (reported to three decimals; checked to +-0.001)."""
    reg, high = fit_sbg(REGULAR), fit_sbg(HIGH_END)
    assert abs(reg.alpha - 0.704) <= 1e-3 and abs(reg.beta - 1.182) <= 1e-3
    assert abs(high.alpha - 0.668) <= 1e-3 and abs(high.beta - 3.806) <= 1e-3
    assert reg.converged and reg.n_customers == 1000 and reg.se["alpha"] > 0


def test_shares_give_the_same_fit_as_counts():
    a = fit_sbg(REGULAR)
    b = fit_sbg(np.array(REGULAR) / 1000)
    assert b.alpha == pytest.approx(a.alpha, rel=1e-4) and b.beta == pytest.approx(a.beta, rel=1e-4)


def test_closed_forms_for_uniform_churn_probability():
    """With alpha = beta = 1 (theta uniform): S(t) = 1/(t+1) and r_t = t/(t+1)."""
    m = SBGFit(alpha=1.0, beta=1.0)
    t = np.arange(0, 6)
    np.testing.assert_allclose(m.survival(t), 1 / (t + 1))
    np.testing.assert_allclose(m.retention_rate(t[1:]), t[1:] / (t[1:] + 1))
    c = m.curve(5)
    assert c["period"].tolist() == list(range(6)) and np.isnan(c["retention"].iloc[0])
    assert m.mean_churn_probability == 0.5


def test_retention_rises_with_tenure_and_projects_the_holdout_years():
    """Heterogeneity makes aggregate retention rise: r_t increases in t. The fitted regular
    curve projects years 8-12 (not used in the fit; Table 1: 223, 207, 194, 183, 173) within
    5% - the paper's point that the sBG projects well where simple curves fail."""
    reg = fit_sbg(REGULAR)
    r = reg.retention_rate(np.arange(1, 13))
    assert np.all(np.diff(r) > 0)
    projected = 1000 * reg.survival(np.arange(8, 13))
    np.testing.assert_allclose(projected, [223, 207, 194, 183, 173], rtol=0.05)


def test_derl_closed_form_matches_the_sum():
    m = SBGFit(alpha=0.7, beta=1.2)
    n, d = 3, 0.1
    k = np.arange(1, 5000)
    brute = np.sum(m.survival(n + k) / m.survival(n) / (1 + d) ** k)
    assert m.discounted_expected_residual_lifetime(n, d) == pytest.approx(brute, rel=1e-9)
    with pytest.raises(ValueError, match="discount_rate must be > 0; got 0"):
        m.discounted_expected_residual_lifetime(1, 0)


def test_tenure_likelihood_equals_count_likelihood():
    """Individual rows (churned with n paid periods -> P(T = n); still active in period n ->
    S(n - 1)) reproduce the fit on the aggregate counts."""
    lost = -np.diff(REGULAR)
    rows = [(t, True) for t, k in zip(range(1, 8), lost) for _ in range(k)] + [(8, False)] * REGULAR[-1]
    tenure = pd.DataFrame(rows, columns=["periods", "churned"])
    a, b = fit_sbg(REGULAR), fit_sbg_tenure(tenure)
    assert b.alpha == pytest.approx(a.alpha, rel=1e-4) and b.beta == pytest.approx(a.beta, rel=1e-4)
    assert b.loglik == pytest.approx(a.loglik, rel=1e-8)


def test_parameter_recovery_with_staggered_cohorts():
    """5,000 contracts with theta ~ Beta(1.2, 3.0) and geometric lifetimes, observed for
    1 to 8 periods depending on the start date (seed 7). Each estimate must lie within
    4 inverse-Hessian standard errors of the truth."""
    rng = np.random.default_rng(7)
    n = 5000
    theta = rng.beta(1.2, 3.0, n)
    life = rng.geometric(theta)  # periods paid before cancelling, >= 1
    observed = rng.integers(1, 9, n)  # periods the customer could have paid so far
    churned = life < observed  # a cancellation is seen only once it has happened
    periods = np.where(churned, life, observed)
    fit = fit_sbg_tenure(pd.DataFrame({"periods": periods, "churned": churned}))
    assert abs(fit.alpha - 1.2) <= 4 * fit.se["alpha"]
    assert abs(fit.beta - 3.0) <= 4 * fit.se["beta"]


def test_contract_tenure_from_orders():
    o = make_orders(
        [
            (1, 0.0, 300, 60, 0, 0, 0, True),
            (1, 365.0, 300, 60, 0, 0, 0, True),
            (1, 730.0, 300, 60, 0, 0, 0, True),
            (2, 10.0, 300, 60, 0, 0, 0, True),
            (2, 20.0, 5000, 900, 0, 0, 0, False),
            (3, 500.0, 300, 60, 0, 0, 0, True),
        ]
    )
    t = contract_tenure(o, as_of_day=800)
    assert t.loc[1, "periods"] == 3 and not t.loc[1, "churned"]  # paid to day 1095
    assert t.loc[2, "periods"] == 1 and t.loc[2, "churned"]  # lapsed on day 375
    assert not t.loc[3, "churned"]
    assert not contract_tenure(o, as_of_day=800, grace_days=500).loc[2, "churned"]
    with pytest.raises(ValueError, match="period_days must be > 0; got -1"):
        contract_tenure(o, as_of_day=800, period_days=-1)


@pytest.mark.parametrize(
    "alive, message",
    [
        ([1000], "at least 2 counts"),
        ([1000, 1100], "must not increase"),
        ([0, 0], "cohort size\\) must be > 0"),
        ([1000, -1], "counts >= 0"),
        ([1000, 1000], "needs at least one churned customer"),
    ],
)
def test_fit_sbg_bad_input(alive, message):
    with pytest.raises(ValueError, match=message):
        fit_sbg(alive)


def test_fit_sbg_tenure_bad_input():
    with pytest.raises(ValueError, match="whole numbers >= 1"):
        fit_sbg_tenure(pd.DataFrame({"periods": [0, 2], "churned": [True, False]}))
    with pytest.raises(ValueError, match="tenure is missing column 'churned'"):
        fit_sbg_tenure(pd.DataFrame({"periods": [1]}))


def test_expected_lifetime_value_is_first_payment_plus_discounted_renewals():
    m = SBGFit(alpha=0.9, beta=2.1)
    d = 0.15
    k = np.arange(1, 5000)
    brute = 0.55 * 480 * (1 + np.sum(m.survival(k) / (1 + d) ** k))
    assert m.expected_lifetime_value(480, discount_rate=d, margin=0.55) == pytest.approx(brute, rel=1e-9)
    # nobody ever churns (beta -> large): a perpetuity 1 + 1/d
    sure = SBGFit(alpha=1e-6, beta=1e6)
    assert sure.expected_lifetime_value(100, discount_rate=0.25) == pytest.approx(100 * 5.0, rel=1e-4)
    with pytest.raises(ValueError, match="margin"):
        m.expected_lifetime_value(480, discount_rate=d, margin=1.5)
