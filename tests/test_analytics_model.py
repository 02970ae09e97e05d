"""Analytics on the real firm model: BG/NBD and Gamma-Gamma recover the model's purchase and
spend parameters when satisfaction effects are off, and every analysis runs on a Result."""

import warnings

import numpy as np
import pytest
from analytics_data import assert_bgnbd_recovers

from simulation import preset, run, with_changes
from simulation.analytics import (
    balanced_scorecard,
    churn_reasons,
    clv_bgnbd_gg,
    cohort_retention,
    customer_profit,
    fit_bgnbd,
    fit_gamma_gamma,
    good_customer_score,
    kpi_table,
    pareto_table,
    rfm_scores,
    rfm_segments,
    rfm_summary,
    rfm_table,
    scorecard_score,
    selection_inputs,
    simulate_survey,
    survival_table,
    value_matrix,
    whale_curve,
)

PURE_BGNBD = {
    "dropout.satisfaction_effect": 0.0,
    "dropout.comeback_per_year": 0.0,
    "channels.store.small_business_share": 0.0,
    "channels.web.small_business_share": 0.0,
    "channels.dealer.small_business_share": 0.0,
}


@pytest.fixture(scope="module")
def pure():
    scenario = with_changes(preset("baseline"), PURE_BGNBD)
    return scenario, run(scenario, seed=1)


def test_model_purchase_process_is_recovered_by_bgnbd(pure):
    """Baseline firm, households only, no satisfaction effect and no win-backs: the model's
    purchases are BG/NBD with r = rate_shape, alpha = r / mean orders per year,
    (a, b) = dropout_mean x concentration. Fitting rfm_summary(orders) in years must recover
    each parameter within 4 inverse-Hessian standard errors (seed 1, about 10,000 customers)."""
    scenario, result = pure
    seg = scenario.household
    a, b = seg.dropout_ab
    truth = {"r": seg.rate_shape, "alpha": seg.alpha_years, "a": a, "b": b}
    assert_bgnbd_recovers(result.orders, truth, as_of_day=scenario.horizon_days, time_unit_days=365)


def test_model_spend_is_recovered_by_gamma_gamma(pure):
    """Same run: order values (before any discount; the baseline has none) follow
    Gamma-Gamma with p = spend_shape_p, q = spend_shape_q, gamma = spend_gamma; each estimate
    lies within 4 standard errors."""
    scenario, result = pure
    seg = scenario.household
    fit = fit_gamma_gamma(rfm_summary(result.orders, as_of_day=scenario.horizon_days, time_unit_days=365))
    for k, v in {"p": seg.spend_shape_p, "q": seg.spend_shape_q, "gamma": seg.spend_gamma}.items():
        assert abs(fit.params[k] - v) <= 4 * fit.se[k], (k, fit.params[k], fit.se[k])


def test_every_analysis_runs_on_a_model_result():
    """A small-class run through the whole analytics chain without warnings; simple
    accounting identities hold on the way."""
    scenario = preset("small-class")
    result = run(scenario, seed=3)
    o, c, h = result.orders, result.customers, scenario.horizon_days
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        profit = customer_profit(o, c)
        acquired = c["acquired_day"].notna()
        expected = (
            o["margin_cny"].sum()
            - o[["delivery_cost_cny", "installation_cost_cny", "repair_cost_cny"]].to_numpy().sum()
            - c["acquisition_cost_cny"].sum()
        )
        assert profit["profit_cny"].sum() == pytest.approx(expected)
        assert whale_curve(profit)["cumulative_profit_share"].iloc[-1] == pytest.approx(1.0)
        assert len(pareto_table(profit)) == 6
        segments = rfm_segments(rfm_scores(rfm_table(o, as_of_day=h)))
        assert segments["segment"].notna().all()
        summary = rfm_summary(o, as_of_day=h, time_unit_days=7)
        clv = clv_bgnbd_gg(summary, fit_bgnbd(summary), fit_gamma_gamma(summary), margin=0.25)
        assert np.isfinite(clv["clv_cny"]).all() and (clv["clv_cny"] >= 0).all()
        matrix = value_matrix(profit.join(clv["clv_cny"]).fillna({"clv_cny": 0.0}))
        assert matrix["treatment"].nunique() == 4
        assert cohort_retention(o)["retention"].between(0, 1).all()
        for basis in ("dropout", "dormancy"):
            km = survival_table(c, as_of_day=h, basis=basis, group_col="segment")
            assert km["survival"].between(0, 1).all()
        reasons = churn_reasons(c)
        assert reasons["customers"].sum() == c["churn_reason"].notna().sum()
        scores = good_customer_score(selection_inputs(o, c, as_of_day=h))
        assert scores["score"].between(0, 100).all()
        kpis = kpi_table(o, c, as_of_day=h, clv=clv)
        card = balanced_scorecard(
            kpis,
            targets={
                "profit_cny": 1e5,
                "customer_equity_cny": 1e5,
                "satisfaction_mean": 80.0,
                "late_delivery_rate": 0.05,
            },
        )
        assert 0 < scorecard_score(card) <= 120
        survey = simulate_survey(c.loc[acquired], n=200, response_rate=0.5, seed=1)
        assert survey["responded"].sum() > 50
