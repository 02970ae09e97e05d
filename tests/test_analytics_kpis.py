"""KPI table and balanced scorecard, including the harvesting check."""

import numpy as np
import pandas as pd
import pytest

from simulation.analytics import KPI_DEFINITIONS, balanced_scorecard, kpi_table, scorecard_score


def test_kpi_table_hand_values(orders, customers):
    k = kpi_table(orders, customers, as_of_day=84).set_index("kpi")
    v = k["value"]
    assert v["satisfaction_mean"] == 65 and v["satisfied_share"] == 0.5 and v["satisfaction_change"] == 0
    assert v["repeat_customer_share"] == 0.5 and v["active_customer_share"] == 0.75
    assert v["orders_per_customer_year"] == 1.5
    assert v["revenue_cny"] == 5400 and v["profit_cny"] == -140 and v["profit_per_customer_cny"] == -35
    assert v["acquisition_cost_per_customer_cny"] == 107.5
    assert v["cost_to_serve_share"] == pytest.approx(1050 / 5400)
    assert v["late_delivery_rate"] == 0 and v["new_customers"] == 4 and v["referral_share"] == 0.25
    # optional inputs left out, and the top-20% share is undefined when total profit <= 0
    assert not {"nps", "campaign_roi", "customer_equity_cny", "top20_profit_share"} & set(k.index)
    assert set(k["group"]) == {"satisfaction", "loyalty", "customer_value", "activity_effectiveness"}
    assert k.loc["late_delivery_rate", "perspective"] == "internal_process"
    assert not k.loc["late_delivery_rate", "higher_is_better"]


def test_kpi_table_optional_inputs(orders, customers):
    clv = pd.DataFrame({"clv_cny": [100.0, 50.0]})
    k = kpi_table(orders, customers, as_of_day=84, clv=clv, nps=12.0, campaign_roi=0.4).set_index("kpi")["value"]
    assert k["customer_equity_cny"] == 150 and k["nps"] == 12 and k["campaign_roi"] == 0.4
    assert set(KPI_DEFINITIONS) >= set(k.index)
    assert "centre_cost_share" not in k.index
    c = kpi_table(orders, customers, as_of_day=84, centre_service_level=0.8, centre_cost_cny=100.0)
    c = c.set_index("kpi")["value"]
    assert c["centre_service_level"] == 0.8 and c["centre_cost_share"] == pytest.approx(100.0 / c["revenue_cny"])


def test_scorecard_perspectives_follow_the_course():
    """New and referred customers are customer measures, campaign ROI a financial one; learning
    and growth holds only the firm's people, systems and data."""
    persp = {k: v[1] for k, v in KPI_DEFINITIONS.items()}
    assert persp["new_customers"] == "customer" and persp["referral_share"] == "customer"
    assert persp["campaign_roi"] == "financial"
    assert {k for k, p in persp.items() if p == "learning_growth"} == {
        "first_contact_resolution",
        "staff_skills",
        "staff_empowerment",
        "data_completeness",
        "shared_record_share",
    }
    assert {v[0] for v in KPI_DEFINITIONS.values()} == {
        "satisfaction",
        "loyalty",
        "customer_value",
        "activity_effectiveness",
    }


def test_kpi_table_learning_and_growth_inputs(orders, customers):
    complaints = pd.DataFrame(
        {"answered_day": [1.0, 2.0, np.nan, 4.0, 5.0], "first_contact_resolution": [True, False, False, True, True]}
    )
    k = kpi_table(
        orders, customers, as_of_day=84, complaints=complaints, staff_skills=0.7, data_completeness=0.9
    ).set_index("kpi")
    assert k.loc["first_contact_resolution", "value"] == 0.75  # 3 of the 4 answered
    assert k.loc["staff_skills", "value"] == 0.7 and k.loc["data_completeness", "value"] == 0.9
    assert set(k.loc[k["perspective"] == "learning_growth"].index) == {
        "first_contact_resolution",
        "staff_skills",
        "data_completeness",
    }
    with pytest.raises(ValueError, match="shared_record_share"):
        kpi_table(orders, customers, as_of_day=84, shared_record_share=1.5)


def test_kpi_table_errors(orders, customers):
    with pytest.raises(ValueError, match="customers is missing column 'satisfaction_final'"):
        kpi_table(orders, customers.drop(columns="satisfaction_final"), as_of_day=84)
    with pytest.raises(ValueError, match="no customers acquired by as_of_day=-1"):
        kpi_table(orders, customers, as_of_day=-1)
    with pytest.raises(ValueError, match="window_days must be > 0; got 0"):
        kpi_table(orders, customers, as_of_day=84, window_days=0)


def kpis(profit=100.0, equity=1000.0):
    return pd.DataFrame(
        {
            "perspective": ["financial", "financial", "customer", "internal_process"],
            "kpi": ["profit_cny", "customer_equity_cny", "satisfaction_mean", "late_delivery_rate"],
            "value": [profit, equity, 60.0, 0.05],
            "higher_is_better": [True, True, True, False],
        }
    )


TARGETS = {"profit_cny": 100.0, "customer_equity_cny": 1000.0, "satisfaction_mean": 80.0, "late_delivery_rate": 0.1}


def test_balanced_scorecard_hand_values():
    card = balanced_scorecard(kpis(profit=120, equity=500), targets=TARGETS)
    c = card.set_index("kpi")
    # achievements: 120/100 -> capped 1.2; 500/1000; 60/80; lower is better 0.1/0.05 = 2 -> 1.2
    np.testing.assert_allclose(c["achievement"], [1.2, 0.5, 0.75, 1.2])
    # three perspectives with KPIs -> 1/3 each; two financial KPIs share theirs
    np.testing.assert_allclose(c["weight"], [1 / 6, 1 / 6, 1 / 3, 1 / 3])
    assert scorecard_score(card) == pytest.approx(20 + 100 / 12 + 25 + 40)
    assert card["perspective"].tolist() == ["financial", "financial", "customer", "internal_process"]


def test_meeting_every_target_scores_100():
    card = balanced_scorecard(kpis(), targets={**TARGETS, "satisfaction_mean": 60.0, "late_delivery_rate": 0.05})
    assert scorecard_score(card) == pytest.approx(100.0)


def test_harvesting_does_not_pay_when_customer_equity_is_scored():
    """Harvesting lifts this year's profit (100 -> 130) but burns customer equity (1000 -> 600).
    With an equity target the scorecard goes down; scored on profit alone it would go up."""
    base = scorecard_score(balanced_scorecard(kpis(), targets=TARGETS))
    harvest = scorecard_score(balanced_scorecard(kpis(profit=130, equity=600), targets=TARGETS))
    assert harvest < base
    no_equity = {k: v for k, v in TARGETS.items() if k != "customer_equity_cny"}
    assert scorecard_score(balanced_scorecard(kpis(profit=130, equity=600), targets=no_equity)) > scorecard_score(
        balanced_scorecard(kpis(), targets=no_equity)
    )


def test_perspective_and_kpi_weights():
    card = balanced_scorecard(
        kpis(),
        targets=TARGETS,
        weights={"financial": 2, "customer": 1, "internal_process": 1},
        kpi_weights={"profit_cny": 3, "customer_equity_cny": 1},
    )
    w = card.set_index("kpi")["weight"]
    assert w["profit_cny"] == pytest.approx(0.5 * 0.75) and w["satisfaction_mean"] == pytest.approx(0.25)
    assert w.sum() == pytest.approx(1.0)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(targets={"nps": 30}), "targets names kpi 'nps', which is not in kpis"),
        (dict(targets={"profit_cny": 0}), "targets\\['profit_cny'\\] must be > 0; got 0"),
        (dict(targets={}), "targets must be a non-empty dict"),
        (dict(targets=TARGETS, weights={"finance": 1}), "weights has unknown key 'finance'"),
        (dict(targets=TARGETS, cap=0.5), "cap must be >= 1; got 0.5"),
        (
            dict(targets={"profit_cny": 1}, weights={"financial": 0, "customer": 1}),
            "no scored KPI lies in a perspective",
        ),
    ],
)
def test_balanced_scorecard_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        balanced_scorecard(kpis(), **kwargs)


def test_scorecard_by_group_keeps_every_kpi_in_the_course_order(orders, customers):
    from simulation.analytics import KPI_GROUPS, scorecard_by_group

    k = kpi_table(orders, customers, as_of_day=84)
    card = balanced_scorecard(k, targets={"profit_cny": 100.0, "satisfied_share": 0.5, "new_customers": 4.0})
    g = scorecard_by_group(card)
    assert sorted(g["kpi"]) == sorted(card["kpi"]) and g["points"].sum() == pytest.approx(card["points"].sum())
    assert g["group"].tolist() == ["satisfaction", "customer_value", "activity_effectiveness"]
    assert [KPI_GROUPS.index(x) for x in g["group"]] == sorted(KPI_GROUPS.index(x) for x in g["group"])
    with pytest.raises(ValueError, match="not in KPI_DEFINITIONS"):
        scorecard_by_group(card.assign(kpi="made_up"))
