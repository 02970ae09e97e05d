"""Gamma-Gamma spend model: published CDNOW estimates, the conditional-spend formula and
checks against simulated spend."""

import numpy as np
import pandas as pd
import pytest
from analytics_data import synthetic_bgnbd_orders

from simulation.analytics import GammaGammaFit, fit_gamma_gamma, gamma_gamma_loglik, load_cdnow_summary, rfm_summary

SPEND = {"p": 6.0, "q": 4.0, "gamma": 1500.0}


@pytest.fixture(scope="module")
def synthetic():
    return synthetic_bgnbd_orders(5000, r=2.0, alpha_years=1.0, a=0.8, b=4.0, as_of_day=1095, seed=11, **SPEND)


def test_cdnow_reproduces_published_spend_parameters():
    """Fader, Hardie & Lee (2005), "RFM and CLV: using iso-value curves for customer base
    analysis", JMR 42(4), on the 946 CDNOW repeat buyers: p = 6.25, q = 3.74, gamma = 15.44
    (the same values appear in the lifetimes documentation). Checked within 0.01."""
    f = fit_gamma_gamma(load_cdnow_summary())
    assert f.n_customers == 946
    assert abs(f.p - 6.25) <= 0.01 and abs(f.q - 3.74) <= 0.01 and abs(f.gamma - 15.44) <= 0.01
    assert (f.params_table()["se"] > 0).all()


def test_conditional_expected_spend_hand_values():
    m = GammaGammaFit(p=6.0, q=4.0, gamma=15.0)
    # p (gamma + x zbar) / (p x + q - 1) = 6 (15 + 40) / 15 = 22
    assert m.conditional_expected_spend(2, 20.0) == pytest.approx(22.0)
    # no repeat purchase: the population mean p gamma / (q - 1) = 30
    assert m.conditional_expected_spend(0, 0.0) == pytest.approx(30.0) == m.population_mean_spend
    # many purchases: the customer's own mean dominates
    assert m.conditional_expected_spend(1000, 50.0) == pytest.approx(50.0, rel=1e-3)
    assert GammaGammaFit(p=1.0, q=0.5, gamma=1.0).population_mean_spend == float("inf")


def test_parameter_recovery_on_synthetic_spend(synthetic):
    """Spend drawn exactly from Gamma-Gamma (p=6, q=4, gamma=1500; 5,000 customers, seed 11),
    summarised from orders with rfm_summary: each MLE lies within 4 standard errors."""
    s = rfm_summary(synthetic, as_of_day=730, time_unit_days=365)
    f = fit_gamma_gamma(s)
    for k, v in SPEND.items():
        assert abs(f.params[k] - v) <= 4 * f.se[k], (k, f.params[k], f.se[k])


def test_conditional_spend_predicts_holdout_spend(synthetic):
    """For repeat buyers who also buy in the holdout (days 730-1095), the mean holdout order
    value has conditional expectation E[Z | x, zbar] (spend is independent of the purchase
    process), so the mean difference between holdout mean spend and prediction (true
    parameters) is zero within 4 standard errors."""
    s = rfm_summary(synthetic, as_of_day=730, time_unit_days=365)
    hold = synthetic.loc[synthetic["time_days"] > 730].groupby("customer_id")["amount_cny"].mean()
    both = s.loc[(s["frequency"] > 0) & s.index.isin(hold.index)]
    pred = GammaGammaFit(**SPEND).conditional_expected_spend(both["frequency"], both["monetary_value"])
    d = hold.loc[both.index].to_numpy() - pred
    assert d.size > 500
    assert abs(d.mean()) <= 4 * d.std(ddof=1) / np.sqrt(d.size)


def test_loglik_is_finite_and_fit_skips_non_buyers():
    s = pd.DataFrame({"frequency": [0, 1, 2, 3, 4], "monetary_value": [0.0, 10.0, 12.0, 9.0, 11.0]})
    assert np.isfinite(gamma_gamma_loglik([2.0, 3.0, 10.0], s["frequency"][1:], s["monetary_value"][1:]))
    assert fit_gamma_gamma(s).n_customers == 4


def test_fit_gamma_gamma_errors():
    with pytest.raises(ValueError, match="at least 3 customers with frequency > 0"):
        fit_gamma_gamma(pd.DataFrame({"frequency": [0, 1], "monetary_value": [0.0, 5.0]}))
    with pytest.raises(ValueError, match="summary is missing column 'monetary_value'"):
        fit_gamma_gamma(pd.DataFrame({"frequency": [1]}))
    with pytest.raises(ValueError, match="initial has unknown parameter 'r'"):
        fit_gamma_gamma(load_cdnow_summary(), initial={"r": 1.0})
