"""Campaign lift against a random hold-out: hand values, agreement with scipy, and the
coverage of the confidence interval."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from simulation.analytics import campaign_lift


def responders(n, k):
    return pd.DataFrame({"responded": np.r_[np.ones(k, bool), np.zeros(n - k, bool)]})


def test_two_proportion_hand_values():
    r = campaign_lift(
        responders(1000, 150), responders(1000, 100), value_per_response_cny=200, margin=0.5, cost_per_contact_cny=2.0
    ).iloc[0]
    se = np.sqrt(0.15 * 0.85 / 1000 + 0.1 * 0.9 / 1000)
    assert r["test"] == "proportion" and r["lift"] == pytest.approx(0.05)
    assert r["lift_relative"] == pytest.approx(0.5)
    assert r["ci_low"] == pytest.approx(0.05 - stats.norm.ppf(0.975) * se)
    z = 0.05 / np.sqrt(0.125 * 0.875 * 2 / 1000)  # pooled standard error under H0
    assert r["p_value"] == pytest.approx(2 * stats.norm.sf(z))
    # 1000 contacts x 0.5 margin x 200 CNY x 0.05 lift = 5000 vs cost 2000
    assert (
        r["incremental_margin_cny"] == pytest.approx(5000) and r["cost_cny"] == 2000 and r["roi"] == pytest.approx(1.5)
    )
    assert r["roi_low"] == pytest.approx((1000 * 0.5 * 200 * r["ci_low"] - 2000) / 2000)


def test_welch_agrees_with_scipy():
    rng = np.random.default_rng(2)
    t = pd.DataFrame({"revenue_cny": rng.gamma(2.0, 60.0, 300)})
    h = pd.DataFrame({"revenue_cny": rng.gamma(2.0, 50.0, 200)})
    r = campaign_lift(t, h, outcome_col="revenue_cny", margin=0.3, cost_per_contact_cny=1.0).iloc[0]
    ref = stats.ttest_ind(t["revenue_cny"], h["revenue_cny"], equal_var=False)
    ci = ref.confidence_interval(0.95)
    assert r["test"] == "welch" and r["p_value"] == pytest.approx(ref.pvalue)
    assert r["ci_low"] == pytest.approx(ci.low) and r["ci_high"] == pytest.approx(ci.high)
    assert r["incremental_margin_cny"] == pytest.approx(300 * 0.3 * r["lift"])


def test_value_column_for_roi():
    t = pd.DataFrame({"responded": [1, 0, 1, 0], "revenue_cny": [100.0, 0, 100.0, 0]})
    h = pd.DataFrame({"responded": [0, 0, 1, 0], "revenue_cny": [0.0, 0, 100.0, 0]})
    r = campaign_lift(t, h, value_col="revenue_cny", fixed_cost_cny=50.0).iloc[0]
    assert r["incremental_margin_cny"] == pytest.approx(4 * 25.0) and r["roi"] == pytest.approx(1.0)
    assert np.isnan(campaign_lift(t, h).iloc[0]["roi"])  # no value, no cost: ROI undefined


def test_confidence_interval_coverage():
    """400 replications of a campaign with true response rates 12% vs 10% (500 per arm,
    seed 9): the 95% interval must cover the true lift 0.02 in 95% of them, within 4 binomial
    standard errors (sqrt(0.95 * 0.05 / 400) = 0.011)."""
    rng = np.random.default_rng(9)
    hits = 0
    for _ in range(400):
        t = pd.DataFrame({"responded": rng.random(500) < 0.12})
        h = pd.DataFrame({"responded": rng.random(500) < 0.10})
        r = campaign_lift(t, h).iloc[0]
        hits += r["ci_low"] <= 0.02 <= r["ci_high"]
    assert abs(hits / 400 - 0.95) <= 4 * np.sqrt(0.95 * 0.05 / 400)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(test="proportion", outcome_col="x"), "test='proportion' needs a 0/1 outcome"),
        (dict(test="z"), "test must be one of 'auto', 'proportion', 'welch'; got 'z'"),
        (dict(confidence=1.0), "confidence must be < 1; got 1.0"),
        (dict(margin=2), "margin must be <= 1; got 2"),
        (dict(outcome_col="missing"), "treated is missing column 'missing'"),
    ],
)
def test_campaign_lift_errors(kwargs, message):
    t = pd.DataFrame({"responded": [1, 0, 1], "x": [1.5, 2.0, 3.0]})
    with pytest.raises(ValueError, match=message):
        campaign_lift(t, t, **kwargs)


def test_campaign_lift_needs_two_per_group_and_no_missing():
    with pytest.raises(ValueError, match="holdout needs at least 2 customers; got 1"):
        campaign_lift(responders(5, 1), responders(1, 0))
    with pytest.raises(ValueError, match="has missing values"):
        campaign_lift(pd.DataFrame({"responded": [1.0, np.nan]}), responders(3, 1))
