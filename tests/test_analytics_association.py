"""Association rules and attribute profiles (module 3): hand-computed values, edge cases, errors."""

import numpy as np
import pandas as pd
import pytest

from simulation.analytics import age_band, association_rules, baskets, demographic_profile


def _orders():
    # customer 1: appliance, plan; 2: appliance, accessory; 3: appliance, plan, accessory;
    # 4: consumable; 5: accessory (twice). Day 400 is after the window used below.
    rows = [
        (1, 1, "appliance", 10),
        (2, 1, "service_plan", 11),
        (3, 2, "appliance", 20),
        (4, 2, "accessory", 30),
        (5, 3, "appliance", 40),
        (6, 3, "service_plan", 41),
        (7, 3, "accessory", 50),
        (8, 4, "consumable", 60),
        (9, 5, "accessory", 70),
        (10, 5, "accessory", 80),
        (11, 4, "appliance", 400),
    ]
    cats = ["appliance", "accessory", "consumable", "service_plan"]
    df = pd.DataFrame(rows, columns=["order_id", "customer_id", "category", "time_days"])
    df["category"] = pd.Categorical(df["category"], categories=cats)
    return df


def test_baskets_are_per_customer_and_respect_the_window():
    b = baskets(_orders(), as_of_day=365)
    assert list(b.columns) == ["appliance", "accessory", "consumable", "service_plan"]
    assert b.dtypes.eq(bool).all() and len(b) == 5
    assert not b.loc[4, "appliance"]  # bought on day 400, after the window
    assert b.loc[5].tolist() == [False, True, False, False]  # two accessories count once
    assert baskets(_orders()).loc[4, "appliance"]


def test_rules_match_hand_computation():
    rules = association_rules(baskets(_orders(), as_of_day=365)).set_index(["antecedent", "consequent"])
    # 5 baskets; appliance in 3, plan in 2, both in 2; accessory in 3, appliance & accessory in 2
    r = rules.loc[("appliance", "service_plan")]
    assert r["baskets_both"] == 2
    assert r["support"] == pytest.approx(2 / 5)
    assert r["confidence"] == pytest.approx(2 / 3)
    assert r["lift"] == pytest.approx((2 / 3) / (2 / 5))
    back = rules.loc[("service_plan", "appliance")]
    assert back["confidence"] == pytest.approx(1.0)
    assert back["lift"] == pytest.approx(r["lift"])  # lift is symmetric, confidence is not
    a = rules.loc[("appliance", "accessory")]
    assert a["confidence"] == pytest.approx(2 / 3) and a["lift"] == pytest.approx((2 / 3) / (3 / 5))
    c = rules.loc[("consumable", "appliance")]
    assert c["support"] == 0 and c["lift"] == 0


def test_rules_are_sorted_by_lift_and_filtered_by_support():
    rules = association_rules(baskets(_orders(), as_of_day=365))
    assert len(rules) == 4 * 3
    assert rules["lift"].is_monotonic_decreasing
    kept = association_rules(baskets(_orders(), as_of_day=365), min_support=0.4)
    assert len(kept) > 0 and (kept["support"] >= 0.4).all()


def test_independent_items_have_lift_near_one():
    rng = np.random.default_rng(5)
    b = pd.DataFrame({"x": rng.random(20_000) < 0.3, "y": rng.random(20_000) < 0.5})
    rules = association_rules(b)
    assert rules["lift"].to_numpy() == pytest.approx([1.0, 1.0], abs=0.05)


def test_an_item_never_bought_gives_undefined_confidence():
    b = pd.DataFrame({"x": [True, False], "y": [False, False]})
    r = association_rules(b).set_index(["antecedent", "consequent"])
    assert np.isnan(r.loc[("y", "x"), "confidence"]) and np.isnan(r.loc[("x", "y"), "lift"])


def test_association_errors_name_the_problem():
    with pytest.raises(ValueError, match="missing column 'category'"):
        baskets(pd.DataFrame({"customer_id": [1]}))
    with pytest.raises(ValueError, match="True/False"):
        association_rules(pd.DataFrame({"x": [1, 0]}))
    with pytest.raises(ValueError, match="min_support"):
        association_rules(pd.DataFrame({"x": [True]}), min_support=2)


def test_age_bands():
    bands = age_band([2000, 1995, 1994, 1985, 1964, None], year=2024)
    assert list(bands.categories) == ["<30", "30-39", "40-49", "50-59", "60+"]
    assert [None if pd.isna(b) else b for b in bands] == ["<30", "<30", "30-39", "30-39", "60+", None]
    assert list(age_band([1990], year=2024, edges=(35,)).categories) == ["<35", "35+"]
    with pytest.raises(ValueError, match="increasing"):
        age_band([1990], year=2024, edges=(40, 30))


def test_demographic_profile_counts_and_means():
    customers = pd.DataFrame(
        {"customer_id": [1, 2, 3, 4], "n_orders": [0, 2, 4, 1], "revenue_cny": [0.0, 200.0, 600.0, 50.0]}
    )
    contacts = pd.DataFrame(
        {
            "customer_id": [1, 2, 3, 4, 9],
            "gender": ["F", "F", "M", "M", "F"],
            "birth_year": [2000, 1990, 1990, 1950, 1980],
        }
    )
    g = demographic_profile(customers, contacts, by="gender")
    assert g.loc["F", "customers"] == 2 and g.loc["F", "buyer_share"] == pytest.approx(0.5)
    assert g.loc["M", "orders_per_customer"] == pytest.approx(2.5)
    assert g.loc["M", "revenue_per_customer_cny"] == pytest.approx(325.0)
    assert g["customer_share"].sum() == pytest.approx(1.0)
    a = demographic_profile(customers, contacts, year=2024)
    assert list(a.index) == ["<30", "30-39", "60+"] and a.loc["30-39", "customers"] == 2
    with pytest.raises(ValueError, match="missing column 'city'"):
        demographic_profile(customers, contacts, by="city")


def test_module3_views_name_the_columns_in_the_notebook_language():
    from simulation.common.i18n import get_language, set_language
    from simulation.lessons.database_views import profile_view, rules_view, schema_view

    before = get_language()
    try:
        set_language("zh")
        rules = rules_view(association_rules(baskets(_orders(), as_of_day=365)))
        assert "提升度" in rules.columns and "置信度" in rules.columns
        view = schema_view("customer_contacts")
        assert list(view.columns) == ["字段名（SQL）", "SQL 类型", "含义"] and "birth_year" in set(
            view["字段名（SQL）"]
        )
        profile = demographic_profile(
            pd.DataFrame({"customer_id": [1], "n_orders": [1], "revenue_cny": [9.0]}),
            pd.DataFrame({"customer_id": [1], "gender": ["F"]}),
            by="gender",
        )
        assert list(profile_view(profile).index) == ["女"]
        set_language("en")
        assert "Lift of the rule" in rules_view(association_rules(baskets(_orders()))).columns
    finally:
        set_language(before)
    with pytest.raises(ValueError, match="did you mean 'customers'"):
        schema_view("customer")
