"""The module-5 capstone (plans of yearly decisions) and campaigns with a hold-out group."""

import dataclasses
import math

import pandas as pd
import pytest

from simulation import Firm, run
from simulation.analytics import PERSPECTIVES
from simulation.analytics.clv import alive_customer_clv
from simulation.interventions.campaign import Campaign, campaign_outcomes, run_campaign
from simulation.interventions.capstone import (
    CAPSTONE_TARGETS,
    SATURATION,
    SERVICE_UPGRADES,
    STAFF_TRAINING,
    capstone_kpis,
    capstone_scenario,
    capstone_scorecard,
    compare_plans,
    plan_changes,
    run_plan,
    yearly_results,
)
from simulation.scenario.fields import ScenarioError


# ------------------------------------------------------------------ capstone
def test_plan_changes_expand_upgrades_and_price_channel_growth():
    base = capstone_scenario()
    ch = plan_changes({"service_upgrade": 2, "channels.web.customers_per_year": 1000}, base)
    assert {k: ch[k] for k in SERVICE_UPGRADES[2]} == SERVICE_UPGRADES[2]
    web = base.channels.web
    assert ch["channels.web.cost_per_customer_cny"] == pytest.approx(
        web.cost_per_customer_cny * (1000 / web.customers_per_year) ** SATURATION, abs=0.01
    )
    with pytest.raises(ValueError, match="did you mean 'pricing.discount_pct'"):
        plan_changes({"pricing.discount": 5})
    with pytest.raises(ValueError, match="service_upgrade must be one of"):
        plan_changes({"service_upgrade": 7})


def test_service_upgrades_buy_quality_with_cost():
    levels = sorted(SERVICE_UPGRADES)
    for a, b in zip(levels, levels[1:]):
        lo, hi = SERVICE_UPGRADES[a], SERVICE_UPGRADES[b]
        assert hi["service.late_delivery_prob"] < lo["service.late_delivery_prob"]
        assert hi["service.delivery_cost_cny"] > lo["service.delivery_cost_cny"]


@pytest.fixture(scope="module")
def unchanged():
    return run_plan({}, seed=3, progress=False)


def test_an_empty_plan_is_the_plain_run(unchanged):
    assert unchanged.summary() == run(capstone_scenario(), 3).summary()


def test_decisions_take_effect_on_the_first_day_of_their_year():
    res = run_plan({2: {"pricing.discount_pct": 10}, 3: {"service_upgrade": 1}}, seed=3, progress=False)
    d = res.decisions
    assert list(d.loc[d["lever"] == "pricing.discount_pct", "time_days"]) == [365.0]
    assert set(d.loc[d["time_days"] == 730.0, "lever"]) == set(SERVICE_UPGRADES[1])
    with pytest.raises(ValueError, match="plan years must be whole numbers 1..3"):
        run_plan({4: {}}, progress=False)


def test_yearly_results_add_up_to_the_run(unchanged):
    years = yearly_results(unchanged)
    s = unchanged.summary()
    assert list(years["year"]) == [1, 2, 3]
    assert years["revenue_cny"].sum() == pytest.approx(s["revenue_cny"], abs=0.05)
    assert years["profit_cny"].sum() == pytest.approx(s["profit_cny"], abs=0.05)
    assert years["new_customers"].sum() == s["customers_acquired"]
    assert years["orders"].sum() == s["orders"]


def test_plans_are_compared_on_the_same_seeds():
    runs = compare_plans({"stay": {}, "discount": {1: {"pricing.discount_pct": 10}}}, seeds=(1, 2), progress=False)
    assert list(runs["plan"]) == ["stay", "stay", "discount", "discount"]
    assert list(runs["seed"]) == [1, 2, 1, 2]
    by = runs.set_index(["plan", "seed"])["profit_cny"]
    assert (by["discount"] < by["stay"]).all()  # a 10% discount costs more than it brings here


def test_scorecard_scores_every_target(unchanged):
    card = capstone_scorecard(unchanged)
    assert set(card["kpi"]) == set(CAPSTONE_TARGETS)
    assert card["weight"].sum() == pytest.approx(1.0)
    assert 0 < card["points"].sum() < 100  # the targets ask for more than the unchanged firm
    by = card.groupby("perspective")
    assert by["weight"].sum().to_dict() == pytest.approx({p: 0.25 for p in PERSPECTIVES})
    persp = card.set_index("kpi")["perspective"]
    assert persp["customer_equity_cny"] == "financial" and persp["new_customers"] == "customer"
    assert set(persp[persp == "learning_growth"].index) == {"first_contact_resolution", "staff_skills"}


def test_customer_equity_is_the_sum_of_alive_customers_clv(unchanged):
    k = capstone_kpis(unchanged).set_index("kpi")["value"]
    clv = alive_customer_clv(unchanged.orders, unchanged.customers, as_of_day=unchanged.as_of_day)
    assert k["customer_equity_cny"] == pytest.approx(clv["clv_cny"].sum())
    c = unchanged.customers
    assert len(clv) == int((c["alive_at_end"] & c["acquired_day"].notna()).sum())  # acquired and alive


def test_staff_training_trains_and_empowers_at_a_cost():
    base = capstone_scenario()
    ch = plan_changes({"staff_training": 2}, base)
    assert ch["complaints.recovery.empowerment"] == STAFF_TRAINING[2]["empowerment"]
    assert ch["complaints.agent_cost_per_hour_cny"] == pytest.approx(
        base.complaints.agent_cost_per_hour_cny * STAFF_TRAINING[2]["agent_cost_factor"], abs=0.01
    )
    with pytest.raises(ValueError, match="staff_training must be one of"):
        plan_changes({"staff_training": 5})
    trained = run_plan({1: {"staff_training": 3}}, seed=3, progress=False)
    k = capstone_kpis(trained).set_index("kpi")["value"]
    assert k["staff_skills"] == STAFF_TRAINING[3]["courtesy"]
    assert k["staff_empowerment"] == STAFF_TRAINING[3]["empowerment"]


def test_staff_training_raises_first_contact_resolution(unchanged):
    """The first agent solves a complaint with 1 - (1 - p)(1 - empowerment): empowerment 0.75
    must raise the share of answered complaints solved first time well beyond chance (a
    two-proportion z-test, |z| > 4, on the same seed)."""
    trained = run_plan({1: {"staff_training": 3}}, seed=3, progress=False)
    a = capstone_kpis(unchanged).set_index("kpi")["value"]["first_contact_resolution"]
    b = capstone_kpis(trained).set_index("kpi")["value"]["first_contact_resolution"]
    n = (unchanged.complaints["answered_day"].notna().sum() + trained.complaints["answered_day"].notna().sum()) / 2
    pooled = (a + b) / 2
    assert (b - a) / math.sqrt(2 * pooled * (1 - pooled) / n) > 4


# ------------------------------------------------------------------ campaigns
@pytest.fixture(scope="module")
def campaign_run(small):
    offer = Campaign(target="all", discount_share=0.1)
    result, assignment = run_campaign(small, 7, offer)
    return offer, result, assignment


def test_campaign_parameters_are_validated():
    with pytest.raises(ScenarioError, match="window_days"):
        Campaign(duration_days=60, window_days=30)
    with pytest.raises(ScenarioError, match="Campaign.target must be one of"):
        Campaign(target="everyone")


def test_hold_out_is_a_random_share_of_the_targets(campaign_run):
    """Binomial: the hold-out count lies within 4 standard errors of n x share."""
    offer, _, a = campaign_run
    n, h = len(a), (a["group"] == "holdout").sum()
    assert abs(h - n * offer.holdout_share) <= 4 * math.sqrt(n * offer.holdout_share * (1 - offer.holdout_share))
    assert not a.loc[a["group"] == "holdout", "answered"].any()


def test_current_customers_answer_at_the_stated_rate(campaign_run):
    """Treated customers alive on the campaign day answer with p = base + per_discount x discount."""
    offer, _, a = campaign_run
    t = a.loc[(a["group"] == "treated") & a["alive_at_campaign"]]
    p = offer.response_prob
    assert p == pytest.approx(0.04 + 0.6 * 0.1)
    assert abs(t["answered"].mean() - p) <= 4 * math.sqrt(p * (1 - p) / len(t))


def test_every_customer_who_answered_ordered_in_the_window(campaign_run):
    offer, result, a = campaign_run
    out = campaign_outcomes(result, a, offer)
    assert out.loc[out["answered"], "ordered"].all()
    treated, holdout = out[out["group"] == "treated"], out[out["group"] == "holdout"]
    assert treated["ordered"].mean() > holdout["ordered"].mean()


def test_an_offer_nobody_answers_leaves_the_firm_unchanged(small):
    """The campaign draws from its own streams: without answers the firm's tables are identical."""
    silent = Campaign(target="all", response_base_prob=0.0, response_per_discount=0.0, win_back_prob=0.0)
    result, _ = run_campaign(small, 7, silent)
    plain = Firm(small, 7).run_until(silent.day + silent.window_days).result()
    pd.testing.assert_frame_equal(result.orders, plain.orders)
    assert result.summary() == plain.summary()


def test_campaigns_outside_the_run_or_without_targets_are_refused(small):
    with pytest.raises(ValueError, match="ends after the horizon"):
        run_campaign(small, 1, Campaign(day=330.0))
    with pytest.raises(ValueError, match="only .* customers are in stage 'decline'"):
        run_campaign(dataclasses.replace(small), 1, Campaign(day=30.0))
