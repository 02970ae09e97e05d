"""Course views of the model's tables, the module-1 journey, and the course's own tables."""

import math

import numpy as np
import pandas as pd
import pytest

from simulation import run
from simulation.lessons.course import (
    EXPLORATIONS,
    MODULES,
    PRACTICE_HOURS,
    THEORY_HOURS,
    class_seeds,
    modules,
    score_systems,
    student_seed,
    time_plan,
)
from simulation.lessons.glossary import TERMS, glossary, term
from simulation.lessons.journey import (
    AGREEMENTS,
    DEPARTMENTS,
    FACTS,
    JOURNEY,
    customer_story,
    journey_summary,
    pick_customer,
    story_summary,
    walk,
)
from simulation.lessons.tables import (
    category_table,
    channel_table,
    customers_by_period,
    department_view,
    kpi_frame,
    levers_table,
    orders_by_period,
    selection_check,
    stage_counts,
    survey_estimates,
)


@pytest.fixture(scope="module")
def res(small):
    return run(small, seed=11)


# ------------------------------------------------------------------ views
def test_stage_counts_cover_every_contacted_customer_and_end_at_the_final_stages(res):
    table = stage_counts(res.lifecycle, as_of_day=res.as_of_day, step_days=30)
    contacted = np.searchsorted(np.sort(res.customers["contact_day"].to_numpy()), table["day"], side="right")
    assert (table.drop(columns="day").sum(axis=1).to_numpy() == contacted).all()
    last = table.iloc[-1].drop("day")
    assert table["day"].iloc[-1] == res.as_of_day
    ends = res.customers["stage_at_end"].astype(str).value_counts()
    for stage, n in last.items():
        assert n == ends.get(stage, 0), stage


def test_orders_and_customers_per_period_add_up_to_the_totals(res):
    o = orders_by_period(res.orders, as_of_day=res.as_of_day, period_days=30)
    nc = res.orders.loc[~res.orders["contract"]]
    assert list(o["period"]) == list(range(1, len(o) + 1)) and len(o) == math.ceil(res.as_of_day / 30)
    assert o["orders"].sum() == len(nc)
    assert o["revenue_cny"].sum() == pytest.approx(nc["amount_cny"].sum())
    assert (o["active_customers"] <= o["orders"]).all()
    c = customers_by_period(res.customers, as_of_day=res.as_of_day, period_days=30)
    assert c["cumulative_customers"].iloc[-1] == res.customers["acquired_day"].notna().sum()
    assert c["leavers_truth"].sum() == res.customers["dropped_day"].notna().sum()


def test_channel_table_charges_each_channel_its_own_cost(res, small):
    t = channel_table(res.customers).set_index("channel")
    assert t["customers"].sum() == res.customers["acquired_day"].notna().sum()
    assert t.loc["store", "cost_per_customer_cny"] == pytest.approx(small.channels.store.cost_per_customer_cny)
    assert t.loc["referral", "cost_per_customer_cny"] == pytest.approx(small.word_of_mouth.referral_reward_cny)


def test_category_table_is_the_product_view_of_all_orders(res):
    t = category_table(res.orders)
    assert list(t["category"]) == ["appliance", "accessory", "consumable", "service_plan"]
    assert t["orders"].sum() == len(res.orders)
    assert t["margin_cny"].sum() == pytest.approx(res.orders["margin_cny"].sum())


def test_department_view_reads_the_summary(res):
    v = department_view(res).set_index("kpi")["value"]
    s = res.summary()
    assert v["revenue_cny"] == pytest.approx(s["revenue_cny"]) and v["profit_cny"] == pytest.approx(s["profit_cny"])
    assert v["customers_left_truth"] == s["customers_left_truth"]
    assert 0 < v["late_delivery_pct"] < 100


def test_kpi_frame_refuses_missing_kpis(res):
    f = kpi_frame({"a": res.summary(), "b": res.summary()})
    assert list(f.columns) == ["a", "b"] and "profit_cny" in f.index and "seed" not in f.index
    with pytest.raises(ValueError, match="summary 'b' has no KPI 'customers_acquired'"):
        kpi_frame({"a": res.summary(), "b": {"x": 1}})


def test_survey_estimates_scatter_as_sampling_theory_says(res):
    """CSAT of m respondents: SD = sqrt(p (1 - p) / m) (finite-population factor sqrt(1 - m/N) >= 0.97
    here). With 300 repeats the SD estimate has a relative standard error of 1/sqrt(2 x 299) = 4.1%;
    4 of those plus the 3% finite-population effect give the +-20% band."""
    m = 60
    e = survey_estimates(res.customers, n=m, response_rate=1.0, repeats=300, seed=5)
    p = e.attrs["true_csat"]
    assert (e["respondents"] == m).all()
    assert e["csat"].std() / math.sqrt(p * (1 - p) / m) == pytest.approx(1.0, abs=0.2)
    assert abs(e["csat"].mean() - p) < 4 * math.sqrt(p * (1 - p) / m / 300) + 0.01


def test_non_response_bias_moves_the_survey_away_from_the_truth(res):
    """Same samples and draws (same seed), with and without the bias: satisfied customers answering
    more often lifts every survey's CSAT. The SD of the mean of 60 repeats is about 0.005 here."""
    unbiased = survey_estimates(res.customers, n=1000, response_rate=0.1, repeats=60, seed=2)
    biased = survey_estimates(res.customers, n=1000, response_rate=0.1, nonresponse_bias=3.0, repeats=60, seed=2)
    assert abs(unbiased["csat"].mean() - unbiased.attrs["true_csat"]) < 0.02
    assert biased["csat"].mean() > unbiased.attrs["true_csat"] + 0.03


def test_selection_check_with_purchase_power_sorts_later_profit(res):
    t = selection_check(res, as_of_day=180, weights={"purchase_power": 1.0})
    assert list(t["group"]) == [1, 2, 3, 4]
    assert t["mean_score"].is_monotonic_decreasing
    assert t["future_profit_per_customer_cny"].iloc[0] > t["future_profit_per_customer_cny"].iloc[-1]
    with pytest.raises(ValueError, match="inside the run"):
        selection_check(res, as_of_day=res.as_of_day + 1)


def test_levers_table_lists_only_levers(small):
    t = levers_table(small, lang="zh")
    assert "pricing.discount_pct" in set(t["lever"]) and "horizon_days" not in set(t["lever"])
    assert t.set_index("lever").loc["pricing.discount_pct", "label"] == "全场统一折扣"


# ------------------------------------------------------------------ the journey
def test_without_sharing_every_department_asks_again():
    steps = walk(False)
    facts_needed = {f for step in JOURNEY for f in step[4]}
    total = journey_summary(steps)
    assert total["repeated_questions"] == total["questions"] - len(facts_needed)
    assert total["questions"] == sum(len({f for s in JOURNEY if s[3] == d for f in s[4]}) for d in DEPARTMENTS)


def test_a_shared_record_asks_each_fact_once_and_keeps_every_promise():
    total = journey_summary(walk(True))
    assert total["questions"] == len({f for step in JOURNEY for f in step[4]})
    assert total["repeated_questions"] == 0 and total["broken_promise_prob"] == 0


def test_broken_promise_chance_follows_the_hand_off_formula():
    """Sales negotiates and takes the order, so three agreements are handed over without a
    shared record (the discount to finance at payment, the delivery window to the delivery
    centre, the installation needs to the repair centre): P(at least one lost) = 1 - (1 - q)^3."""
    for q in (0.0, 0.1, 0.3):
        assert journey_summary(walk(False, loss_prob=q))["broken_promise_prob"] == pytest.approx(1 - (1 - q) ** 3)


def test_sales_takes_the_order_and_finance_collects_the_payment():
    """The order step belongs to sales (which negotiated it), in the lesson and in the role-play."""
    from simulation.roleplay.journey_data import game

    owner = {step[0]: step[3] for step in JOURNEY}
    assert owner["negotiate"] == owner["order"] == "sales" and owner["payment"] == "finance"
    roleplay = {s.key: s.department for s in game().steps}
    assert roleplay["order"] == "sales" and roleplay["pay"] == "finance"


def test_sharing_needs_a_partner_and_more_sharing_never_hurts():
    alone = journey_summary(walk(False))
    for d in DEPARTMENTS:
        assert journey_summary(walk({d})) == alone
    connected, last = set(), alone["questions"]
    for d in DEPARTMENTS:
        connected.add(d)
        q = journey_summary(walk(connected))["questions"]
        assert q <= last
        last = q


def test_journey_refuses_bad_input():
    with pytest.raises(ValueError, match="unknown department 'shop'"):
        walk({"shop"})
    with pytest.raises(ValueError, match="loss_prob"):
        walk(False, loss_prob=1.5)
    assert set(FACTS).isdisjoint(AGREEMENTS)


def test_customer_story_follows_one_customer_in_time(res):
    who = pick_customer(res)
    c = res.customers.set_index("customer_id").loc[who]
    assert 3 <= c["n_orders"] <= 8
    story = customer_story(res, who)
    assert story["day"].is_monotonic_increasing
    assert story.iloc[0]["department"] == "Marketing"
    assert story["new_to_department"].sum() == story.loc[story["department"] != "", "department"].nunique()
    s = story_summary(story)
    assert s["reintroductions"] == s["departments"] - 1 and s["unaware_touchpoints"] > 0
    assert customer_story(res, who, lang="zh").iloc[0]["department"] == "市场部"
    with pytest.raises(ValueError, match="customer number"):
        customer_story(res, -1)


# ------------------------------------------------------------------ course tables
def test_time_plan_fills_the_80_hours_module_by_module():
    plan = time_plan()
    assert plan["theory_hours"].sum() == THEORY_HOURS == 48
    assert plan["practice_hours"].sum() == PRACTICE_HOURS == 32
    per_module = plan.groupby("module")[["theory_hours", "practice_hours"]].sum()
    for number, _, _, _, theory, practice in MODULES:
        assert tuple(per_module.loc[number]) == (theory, practice)
    assert len(modules()) == 5


def test_student_seed_is_stable_normalised_and_checked():
    assert student_seed("S001") == student_seed("  s001 ") == 1105557233
    assert student_seed("S001", course_seed=2025) != student_seed("S001")
    assert 0 <= student_seed("anyone") < 2**31
    with pytest.raises(ValueError, match="must not be empty"):
        student_seed("  ")
    with pytest.raises(ValueError, match="appears twice"):
        class_seeds(["A1", "a1"])
    seeds = class_seeds([f"S{i:03d}" for i in range(40)])["seed"]
    assert seeds.is_unique


def test_system_scores_are_weighted_means():
    t = score_systems({"functions": 1, "cost": 3})
    row = t.set_index("system").loc["EnterpriseSuite"]
    assert row["score"] == pytest.approx((1 * 9 + 3 * 3) / 4)
    assert t["score"].is_monotonic_decreasing
    with pytest.raises(ValueError, match="unknown criterion 'price'"):
        score_systems({"price": 1})
    with pytest.raises(ValueError, match="above 0"):
        score_systems({"cost": 0})


def test_glossary_terms_are_unique_bilingual_and_cover_every_module():
    keys = [t[0] for t in TERMS]
    assert len(keys) == len(set(keys))
    assert set(glossary()["module"]) == set(range(6))
    assert term("clv") == "customer lifetime value (客户终身价值)"
    with pytest.raises(KeyError, match="did you mean 'clv'"):
        term("clvv")
    assert isinstance(glossary(module=3, lang="zh"), pd.DataFrame)


def test_exploration_table_names_existing_notebooks():
    from pathlib import Path

    course = Path(__file__).resolve().parents[1] / "course"
    for nb, *_ in EXPLORATIONS:
        assert (course / f"{nb}.ipynb").is_file(), nb


def test_loss_maker_table_and_dormancy_table(tiny):
    from simulation.analytics import customer_profit
    from simulation.lessons.tables import dormancy_table, loss_maker_table

    r = run(tiny, seed=3)
    table = loss_maker_table(r, new_within_days=60.0, lang="zh")
    assert table.index.name == "kind_of_customer" and table.index[1] == "亏损，但是新客户"
    assert table["customers"].sum() == len(r.customers) and table["customer_share"].sum() == pytest.approx(1.0)
    profit = customer_profit(r.orders, r.customers)
    assert table["customers"].iloc[0] == int((profit["profit_cny"] >= 0).sum())
    # a whole run counted as "new": no loss-maker is judged on serving or acquisition cost
    everyone_new = loss_maker_table(r, new_within_days=1e6)
    assert everyone_new["customers"].iloc[2:].sum() == 0
    rule = dormancy_table(r, seed=1, quiet_days=60.0)
    counts = rule["accounts"].to_numpy()
    assert counts[0] == int(r.customers["acquired_day"].notna().sum())
    assert np.all(np.diff(counts) <= 0) and counts[1] > 0  # each condition can only remove accounts
    assert dormancy_table(r, seed=1, quiet_days=60.0, max_cash_cny=1e9)["accounts"].iloc[3] == counts[2]
