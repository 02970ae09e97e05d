"""Cohort retention, Kaplan-Meier survival and churn reasons on hand-made tables."""

import numpy as np
import pandas as pd
import pytest

from simulation.analytics import (
    CHURN_REASONS,
    churn_reasons,
    cohort_retention,
    customer_durations,
    kaplan_meier,
    survival_table,
)


def test_cohort_retention_monthly_hand_values(orders):
    r = cohort_retention(orders)
    # Jan cohort: c1 (Jan, Mar) and c2 (Jan, Feb contract); Mar cohort: c3
    expected = [
        ("2024-01", 0, 2, 2, 1.0),
        ("2024-01", 1, 2, 1, 0.5),
        ("2024-01", 2, 2, 1, 0.5),
        ("2024-03", 0, 1, 1, 1.0),
    ]
    assert list(r.itertuples(index=False, name=None)) == expected
    assert r["cohort"].dtype == "str"


def test_cohort_retention_options(orders):
    no_contract = cohort_retention(orders, include_contract=False)
    assert no_contract.loc[(no_contract["cohort"] == "2024-01") & (no_contract["age"] == 1), "active"].item() == 0
    q = cohort_retention(orders, freq="Q")
    assert q[["cohort", "age", "customers", "retention"]].values.tolist() == [["2024Q1", 0, 3, 1.0]]
    w = cohort_retention(orders, wide=True)
    assert w.shape == (2, 3) and np.isnan(w.loc["2024-03", 1]) and w.loc["2024-01", 2] == 0.5
    with pytest.raises(ValueError, match="freq must be one of 'M', 'Q'; got 'W'"):
        cohort_retention(orders, freq="W")
    with pytest.raises(ValueError, match="orders is missing column 'date'"):
        cohort_retention(orders.drop(columns="date"))


def test_kaplan_meier_hand_values():
    km = kaplan_meier([1, 2, 2, 3, 4, 5], [True, True, False, True, False, True])
    assert km["time"].tolist() == [0, 1, 2, 3, 4, 5]
    assert km["at_risk"].tolist() == [6, 6, 5, 3, 2, 1]
    assert km["events"].tolist() == [0, 1, 1, 1, 0, 1] and km["censored"].tolist() == [0, 0, 1, 0, 1, 0]
    np.testing.assert_allclose(km["survival"], [1, 5 / 6, 4 / 6, 4 / 9, 4 / 9, 0])
    # Greenwood: S(1)^2 * 1 / (6 * 5)
    assert km["se"].iloc[1] == pytest.approx(5 / 6 * np.sqrt(1 / 30))
    assert km["se"].iloc[2] == pytest.approx(4 / 6 * np.sqrt(1 / 30 + 1 / 20))


def test_kaplan_meier_without_censoring_is_the_empirical_survival():
    """Without censoring the KM estimate equals the share of durations > t, and Greenwood's
    variance reduces to the binomial S(1-S)/n."""
    t = np.random.default_rng(0).exponential(10.0, 200)
    km = kaplan_meier(t, np.ones(200, bool)).iloc[1:]
    emp = np.array([(t > x).mean() for x in km["time"]])
    np.testing.assert_allclose(km["survival"], emp, atol=1e-12)
    mid = km.iloc[100]
    assert mid["se"] == pytest.approx(np.sqrt(mid["survival"] * (1 - mid["survival"]) / 200))


def test_kaplan_meier_bad_input():
    with pytest.raises(ValueError, match="equal length"):
        kaplan_meier([1, 2], [True])
    with pytest.raises(ValueError, match="durations must be finite numbers >= 0"):
        kaplan_meier([-1.0], [True])
    with pytest.raises(ValueError, match="durations is empty"):
        kaplan_meier([], [])


def test_customer_durations_dropout_and_dormancy(customers):
    d = customer_durations(customers, as_of_day=84, basis="dropout")
    assert d["event"].tolist() == [False, True, False, False]
    assert d["duration_days"].tolist() == [84, 13, 21, 0]
    m = customer_durations(customers, as_of_day=84, basis="dormancy", dormancy_days=30)
    # c2 silent since day 7 (> 30 days): lost, visible relationship 7 - 7 = 0 days
    assert m["event"].tolist() == [False, True, False, False]
    assert m["duration_days"].tolist() == [84, 0, 21, 0]
    # declared lost when the firm notices: 30 days after the last order
    declared = customer_durations(customers, as_of_day=84, dormancy_days=30, lapse_at="declared")
    assert declared["duration_days"].tolist() == [84, 30, 21, 0]
    with pytest.raises(ValueError, match="lapse_at must be one of 'last_order', 'declared'; got 'x'"):
        customer_durations(customers, as_of_day=84, lapse_at="x")
    with pytest.raises(ValueError, match="basis must be one of 'dropout', 'dormancy'; got 'x'"):
        customer_durations(customers, as_of_day=84, basis="x")
    with pytest.raises(ValueError, match="customers is missing column 'dropped_day'"):
        customer_durations(customers.drop(columns="dropped_day"), as_of_day=84, basis="dropout")


def test_survival_table_groups(customers):
    s = survival_table(customers, as_of_day=84, basis="dropout", group_col="segment")
    assert set(s["group"]) == {"household", "small_business"}
    sb = s.loc[s["group"] == "small_business"]
    assert sb["survival"].tolist() == [1.0, 0.0]
    assert (s["basis"] == "dropout").all()
    assert set(survival_table(customers, as_of_day=84)["group"]) == {"all"}


def test_geometric_dropout_survival_matches_theory():
    """Customers dropping out at exponential times with mean 200 days, observed to day 365
    after staggered acquisition (right censoring): the KM estimate at day 100 must match
    exp(-100/200) within 4 Greenwood standard errors. 4,000 customers, seed 5."""
    rng = np.random.default_rng(5)
    n = 4000
    acq = rng.uniform(0, 300, n)
    drop = acq + rng.exponential(200.0, n)
    c = pd.DataFrame(
        {"customer_id": np.arange(n), "acquired_day": acq, "dropped_day": np.where(drop <= 365, drop, np.nan)}
    )
    km = survival_table(c, as_of_day=365, basis="dropout")
    row = km.loc[km["time"] <= 100].iloc[-1]
    assert abs(row["survival"] - np.exp(-0.5)) <= 4 * row["se"]


def test_churn_reasons_counts_and_shares(customers):
    t = churn_reasons(customers)
    assert t["reason"].tolist() == list(CHURN_REASONS)
    row = t.set_index("reason").loc["service"]
    assert row["customers"] == 1 and row["share"] == 1.0 and row["share_of_all"] == 0.25
    cat = customers.assign(churn_reason=pd.Categorical(customers["churn_reason"], categories=CHURN_REASONS))
    pd.testing.assert_frame_equal(churn_reasons(cat), t)
    g = churn_reasons(customers, group_col="segment")
    assert np.isnan(g.loc[g["group"] == "household", "share"]).all()
    with pytest.raises(ValueError, match="customers is missing column 'churn_reason'"):
        churn_reasons(customers.drop(columns="churn_reason"))
