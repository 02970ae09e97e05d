"""Customer lifetime value: the course's worked example, CLV from history and cohorts, and the
BG/NBD + Gamma-Gamma per-customer CLV."""

import numpy as np
import pandas as pd
import pytest

from simulation.analytics import (
    clv_bgnbd_gg,
    clv_schedule,
    cohort_clv,
    customer_equity,
    deterministic_clv,
    fit_bgnbd,
    fit_gamma_gamma,
    historical_clv,
    load_cdnow_summary,
)

COURSE = dict(years=5, discount_rate=0.15, recurring_cost=500, acquisition_cost=2500)


def test_course_example_clv_is_1280_60():
    """Course module 2: acquisition 2,500; cost 500/year; revenue 1,000, 1,500, then 2,000 a
    year; 15% discount rate; 5 years; year-end discounting -> CLV = 1,280.60."""
    assert round(deterministic_clv([1000, 1500, 2000], **COURSE), 2) == 1280.60


def test_course_example_schedule():
    t = clv_schedule([1000, 1500, 2000], **COURSE)
    assert t["revenue_cny"].tolist() == [1000, 1500, 2000, 2000, 2000]
    assert t["net_cny"].tolist() == [500, 1000, 1500, 1500, 1500]
    assert t["present_value_cny"].iloc[0] == pytest.approx(500 / 1.15)
    assert t["cumulative_clv_cny"].iloc[0] == pytest.approx(500 / 1.15 - 2500)
    # break-even in year 4
    assert (t["cumulative_clv_cny"] > 0).tolist() == [False, False, False, True, True]


def test_start_of_year_timing_multiplies_each_flow_by_one_plus_d():
    end = deterministic_clv([1000, 1500, 2000], **COURSE)
    start = deterministic_clv([1000, 1500, 2000], **COURSE, timing="start")
    assert start == pytest.approx((end + 2500) * 1.15 - 2500)


def test_retention_margin_and_sequences():
    # survival 1, 0.5, 0.25 with no discounting
    assert deterministic_clv(100, years=3, discount_rate=0, retention=0.5) == pytest.approx(175)
    assert deterministic_clv(1000, years=1, discount_rate=0.1, margin=0.3) == pytest.approx(300 / 1.1)
    assert deterministic_clv(100, years=3, discount_rate=0, retention=[0.5, 1.0]) == pytest.approx(
        200
    )  # survival 1, .5, .5
    assert deterministic_clv(100, years=2, discount_rate=0, recurring_cost=[10, 30]) == pytest.approx(160)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(revenue=[1, 2, 3], years=2, discount_rate=0.1), "revenue has 3 values but the horizon is only 2 years"),
        (dict(revenue=100, years=2, discount_rate=0.1, retention=1.2), "retention must be a probability"),
        (dict(revenue=100, years=2, discount_rate=-0.1), "discount_rate must be >= 0; got -0.1"),
        (dict(revenue=100, years=0, discount_rate=0.1), "years must be a whole number >= 1; got 0"),
        (
            dict(revenue=100, years=2, discount_rate=0.1, timing="mid"),
            "timing must be one of 'end', 'start'; got 'mid'",
        ),
        (dict(revenue=-5, years=2, discount_rate=0.1), "revenue must be >= 0 everywhere; found -5"),
        (dict(revenue=100, years=2, discount_rate=0.1, margin=30), "margin must be <= 1; got 30"),
    ],
)
def test_deterministic_clv_bad_arguments(kwargs, message):
    revenue = kwargs.pop("revenue")
    with pytest.raises(ValueError, match=message):
        deterministic_clv(revenue, **kwargs)


def test_historical_clv_hand_values(orders, customers):
    h = historical_clv(orders, customers, as_of_day=84)
    # c1: (300-150) + (80-10) + (120-70) - 100 = 170; c2: (600-800) + 90 - 200 = -310
    assert h.loc[1, "historical_clv_cny"] == pytest.approx(170)
    assert h.loc[2, "historical_clv_cny"] == pytest.approx(-310)
    assert h.loc[4, "historical_clv_cny"] == pytest.approx(-80)
    assert h.loc[1, "tenure_years"] == pytest.approx(84 / 365)
    d = historical_clv(orders, customers, as_of_day=84, annual_discount_rate=0.1)
    expected = 150 + 70 / 1.1 ** (14 / 365) + 50 / 1.1 ** (70 / 365) - 100
    assert d.loc[1, "historical_clv_cny"] == pytest.approx(expected)
    assert list(historical_clv(orders, customers, as_of_day=10).index) == [1, 2]


def test_cohort_clv_hand_values(orders, customers):
    c = cohort_clv(orders, customers, as_of_day=84, period_days=30)
    # cohort 0 = customers 1 (day 0) and 2 (day 7); everyone has finished ages 0 and 1 by day 84
    # (customer 2 turns 2 periods old on day 67). Age 0 flows: c1 150 + 70, c2 -200 + 90;
    # acquisition 100 + 200 -> (-300 + 110) / 2 = -95; nothing happens in age 1.
    assert c["cohort"].tolist() == [0, 0] and c["age"].tolist() == [0, 1]
    np.testing.assert_allclose(c["cumulative_value_per_customer_cny"], [-95, -95])
    assert (c["customers"] == 2).all()
    with pytest.raises(ValueError, match="period_days must be > 0; got 0"):
        cohort_clv(orders, customers, as_of_day=84, period_days=0)


@pytest.fixture(scope="module")
def cdnow_fits():
    s = load_cdnow_summary()
    return s, fit_bgnbd(s), fit_gamma_gamma(s)


def test_clv_without_discount_is_margin_spend_purchases(cdnow_fits):
    """With d = 0 the sum of per-step purchases telescopes to E[Y(h)], so
    CLV = m * E[Z | x, zbar] * E[Y(h) | x, t_x, T] exactly."""
    s, bg, gg = cdnow_fits
    out = clv_bgnbd_gg(s, bg, gg, margin=0.3, horizon_years=1, annual_discount_rate=0.0, time_unit_days=7)
    ey = bg.conditional_expected_purchases(365 / 7, s["frequency"], s["recency"], s["T"])
    ez = gg.conditional_expected_spend(s["frequency"], s["monetary_value"])
    np.testing.assert_allclose(out["clv_cny"], 0.3 * ez * ey, rtol=1e-10)
    np.testing.assert_allclose(out["expected_purchases"], ey, rtol=1e-10)
    assert out["p_alive"].between(0, 1).all()


def test_clv_monthly_discounting_matches_a_loop(cdnow_fits):
    s, bg, gg = cdnow_fits
    out = clv_bgnbd_gg(s, bg, gg, margin=1.0, horizon_years=2, annual_discount_rate=0.12, time_unit_days=7)
    x, tx, T, z = s.loc[1, ["frequency", "recency", "T", "monetary_value"]]
    spend = gg.conditional_expected_spend(x, z)
    total, prev = 0.0, 0.0
    for month in range(1, 25):
        cum = bg.conditional_expected_purchases(month / 12 * 365 / 7, x, tx, T)
        total += spend * (cum - prev) / 1.12 ** (month / 12)
        prev = cum
    assert out.loc[1, "clv_cny"] == pytest.approx(total, rel=1e-10)
    longer = clv_bgnbd_gg(s, bg, gg, margin=1.0, horizon_years=3, annual_discount_rate=0.12, time_unit_days=7)
    assert (longer["clv_cny"] >= out["clv_cny"]).all()
    assert customer_equity(out) == pytest.approx(out["clv_cny"].sum())
    assert customer_equity(out["clv_cny"]) == pytest.approx(out["clv_cny"].sum())


def test_clv_bgnbd_gg_bad_arguments(cdnow_fits):
    s, bg, gg = cdnow_fits
    with pytest.raises(ValueError, match="bgnbd must be a BGNBDFit"):
        clv_bgnbd_gg(s, gg, gg, margin=0.3)
    with pytest.raises(ValueError, match="margin must be <= 1; got 30"):
        clv_bgnbd_gg(s, bg, gg, margin=30)
    with pytest.raises(ValueError, match="summary is missing column 'monetary_value'"):
        clv_bgnbd_gg(s.drop(columns="monetary_value"), bg, gg, margin=0.3)
    with pytest.raises(ValueError, match="steps_per_year must be a whole number >= 1; got 0"):
        clv_bgnbd_gg(s, bg, gg, margin=0.3, steps_per_year=0)
    with pytest.raises(ValueError, match="clv is missing column 'clv_cny'"):
        customer_equity(pd.DataFrame({"x": [1]}))
