"""BG/NBD: published CDNOW estimates, parameter recovery on synthetic data, and the model's
expectations checked against simulation."""

import numpy as np
import pandas as pd
import pytest
from analytics_data import assert_bgnbd_recovers, synthetic_bgnbd_orders

from simulation.analytics import BGNBDFit, bgnbd_loglik, fit_bgnbd, load_cdnow_summary, rfm_summary

TRUTH = {"r": 2.0, "alpha": 1.0, "a": 0.8, "b": 4.0}  # alpha per year


@pytest.fixture(scope="module")
def cdnow():
    return load_cdnow_summary()


@pytest.fixture(scope="module")
def cdnow_fit(cdnow):
    return fit_bgnbd(cdnow)


@pytest.fixture(scope="module")
def synthetic():
    return synthetic_bgnbd_orders(5000, r=TRUTH["r"], alpha_years=TRUTH["alpha"], a=TRUTH["a"], b=TRUTH["b"], seed=0)


def test_cdnow_loader_shape(cdnow):
    assert cdnow.shape == (2357, 4)
    assert list(cdnow.columns) == ["frequency", "recency", "T", "monetary_value"]
    assert cdnow["frequency"].sum() == 2457


def test_cdnow_loader_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="CDNOW summary not found at"):
        load_cdnow_summary(tmp_path / "nope.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="must have the columns"):
        load_cdnow_summary(bad)


def test_cdnow_reproduces_fader_hardie_lee_2005(cdnow_fit):
    """Fader, Hardie & Lee (2005), "Counting your customers the easy way", Marketing Science
    24(2), section 7: CDNOW, 2,357 customers, 39 weeks -> r = 0.243, alpha = 4.414,
    a = 0.793, b = 2.426, LL = -9582.4. Checked to the published three decimals (+-0.001)."""
    published = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    for k, v in published.items():
        assert abs(cdnow_fit.params[k] - v) <= 1e-3, (k, cdnow_fit.params[k])
    assert cdnow_fit.loglik == pytest.approx(-9582.4, abs=0.1)
    assert cdnow_fit.converged and cdnow_fit.n_customers == 2357
    table = cdnow_fit.params_table()
    assert list(table.index) == ["r", "alpha", "a", "b"] and (table["se"] > 0).all()


def test_parameter_recovery_on_synthetic_bgnbd_orders(synthetic):
    """5,000 customers drawn exactly from BG/NBD (r=2, alpha=1/year, a=0.8, b=4; acquired
    uniformly over one year, observed to day 730; seed 0), summarised from an orders table
    with rfm_summary in years. Each MLE is asymptotically normal around the truth with the
    inverse-Hessian standard error, so each must lie within 4 SE (a 4-SE miss has
    probability < 1e-4 per parameter)."""
    assert_bgnbd_recovers(synthetic, TRUTH, as_of_day=730, time_unit_days=365)


def test_time_unit_only_rescales_alpha(synthetic):
    """Measuring time in weeks instead of years multiplies the rate scale alpha by 365/7 and
    leaves r, a, b unchanged (the likelihood changes only by a constant Jacobian term)."""
    years = fit_bgnbd(rfm_summary(synthetic, as_of_day=730, time_unit_days=365))
    weeks = fit_bgnbd(rfm_summary(synthetic, as_of_day=730, time_unit_days=7))
    for k in ("r", "a", "b"):
        assert weeks.params[k] == pytest.approx(years.params[k], rel=1e-3)
    assert weeks.alpha == pytest.approx(years.alpha * 365 / 7, rel=1e-3)
    # each repeat purchase time density picks up the Jacobian 7/365 of the change of unit
    n_repeat = rfm_summary(synthetic, as_of_day=730)["frequency"].sum()
    assert weeks.loglik - years.loglik == pytest.approx(n_repeat * np.log(7 / 365), rel=1e-6)


def test_expected_purchases_matches_simulated_mean():
    """E[X(t)] (FHL 2005, eq. 7) for t = 2 years with the true parameters against the mean
    repeat purchases of 5,000 customers all acquired at day 0 (seed 3). The sample mean has
    standard error sd / sqrt(n); the test allows 4 SE."""
    o = synthetic_bgnbd_orders(
        5000, r=2.0, alpha_years=1.0, a=0.8, b=4.0, acquisition_window_days=1e-9, as_of_day=730, seed=3
    )
    x = rfm_summary(o, as_of_day=730, time_unit_days=365)["frequency"].to_numpy()
    model = BGNBDFit(**TRUTH).expected_purchases(730 / 365)
    assert abs(x.mean() - model) <= 4 * x.std(ddof=1) / np.sqrt(x.size)


def test_conditional_expectation_matches_holdout_purchases():
    """Simulate to day 1095, calibrate on orders to day 730, and compare each customer's
    holdout purchases (days 730-1095) with E[Y(t) | x, t_x, T] under the true parameters
    (FHL 2005, eq. 10). By the tower property the mean difference is zero, overall and within
    groups defined by the calibration history (here: no repeat purchase / some). Each check
    allows 4 standard errors of the mean difference. 5,000 customers, seed 4."""
    o = synthetic_bgnbd_orders(5000, r=2.0, alpha_years=1.0, a=0.8, b=4.0, as_of_day=1095, seed=4)
    cal = rfm_summary(o, as_of_day=730, time_unit_days=365)
    hold = o.loc[o["time_days"] > 730].groupby("customer_id").size().reindex(cal.index, fill_value=0)
    pred = BGNBDFit(**TRUTH).conditional_expected_purchases(1.0, cal["frequency"], cal["recency"], cal["T"])
    diff = hold.to_numpy() - pred
    for mask in (np.ones(len(cal), bool), cal["frequency"].to_numpy() == 0, cal["frequency"].to_numpy() > 0):
        d = diff[mask]
        assert abs(d.mean()) <= 4 * d.std(ddof=1) / np.sqrt(d.size)


def test_p_alive_and_conditional_expectation_identities(cdnow_fit):
    f = cdnow_fit
    assert f.p_alive(0, 0.0, 30.0) == 1.0  # no repeat purchase: alive for sure under the model
    # P(alive) falls as the silence since the last purchase grows
    p = f.p_alive(np.full(4, 3), np.array([30.0, 20.0, 10.0, 1.0]), np.full(4, 38.0))
    assert np.all(np.diff(p) < 0) and np.all((p > 0) & (p < 1))
    # a brand-new customer (x = 0, T = 0) is a customer from the population: E[Y(t)|0,0,0] = E[X(t)]
    t = np.array([1.0, 10.0, 52.0])
    np.testing.assert_allclose(f.conditional_expected_purchases(t, 0, 0.0, 0.0), f.expected_purchases(t), rtol=1e-12)
    out = f.predict(load_cdnow_summary().head(5), t=39)
    assert {"p_alive", "expected_purchases"} <= set(out.columns)


def test_loglik_weights_equal_repeated_rows(cdnow):
    u = cdnow.head(50)
    doubled = pd.concat([u, u])
    theta = [0.5, 4.0, 0.8, 2.5]
    ll2 = bgnbd_loglik(theta, doubled["frequency"], doubled["recency"], doubled["T"])
    llw = bgnbd_loglik(theta, u["frequency"], u["recency"], u["T"], weights=np.full(50, 2.0))
    assert ll2 == pytest.approx(llw)


@pytest.mark.parametrize(
    "frame, message",
    [
        (pd.DataFrame({"frequency": [1], "recency": [5.0], "T": [4.0]}), "0 <= recency <= T"),
        (pd.DataFrame({"frequency": [-1], "recency": [0.0], "T": [4.0]}), "whole numbers >= 0"),
        (pd.DataFrame({"frequency": [1.5], "recency": [1.0], "T": [4.0]}), "whole numbers >= 0"),
        (pd.DataFrame({"frequency": [0], "recency": [1.0], "T": [4.0]}), "must be 0 for customers with frequency = 0"),
        (pd.DataFrame({"frequency": [1], "recency": [np.nan], "T": [4.0]}), "must be finite"),
        (pd.DataFrame({"frequency": [1], "T": [4.0]}), "summary is missing column 'recency'"),
        (pd.DataFrame({"frequency": [], "recency": [], "T": []}), "summary has no rows"),
    ],
)
def test_fit_bgnbd_rejects_bad_summaries(frame, message):
    with pytest.raises(ValueError, match=message):
        fit_bgnbd(frame)


def test_fit_bgnbd_initial_values(cdnow):
    with pytest.raises(ValueError, match="initial has unknown parameter 'beta'"):
        fit_bgnbd(cdnow, initial={"beta": 1.0})
    with pytest.raises(ValueError, match="initial\\['r'\\] must be > 0; got 0"):
        fit_bgnbd(cdnow, initial={"r": 0})
    f = fit_bgnbd(cdnow, initial={"r": 0.3, "alpha": 5.0, "a": 0.5, "b": 2.0})
    assert abs(f.r - 0.243) <= 1e-3


def test_synthetic_generator_first_order_at_acquisition():
    """Every customer has exactly one order at its acquisition day and none after as_of_day."""
    o = synthetic_bgnbd_orders(200, r=1.0, alpha_years=1.0, a=1.0, b=3.0, seed=1)
    assert o["customer_id"].nunique() == 200
    assert o["time_days"].max() <= 730.0
