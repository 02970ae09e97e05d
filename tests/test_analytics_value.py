"""Profit per customer, whale curve, 80/20/30 table, value matrix and good-customer score,
checked against values worked out by hand."""

import numpy as np
import pandas as pd
import pytest

from simulation.analytics import (
    TREATMENTS,
    customer_profit,
    good_customer_score,
    pareto_table,
    selection_inputs,
    value_matrix,
    whale_curve,
)


def test_customer_profit_hand_values(orders, customers):
    p = customer_profit(orders, customers)
    # c1: margin 300+80+120=500; cost to serve 70+100+60=230; acquisition 100 -> 170
    assert p.loc[1, "margin_cny"] == 500 and p.loc[1, "cost_to_serve_cny"] == 230 and p.loc[1, "profit_cny"] == 170
    # c2: 690 - (100+200+500) - 200 = -310 (the contract order counts: it is real margin)
    assert p.loc[2, "profit_cny"] == -310 and p.loc[2, "revenue_cny"] == 3300
    assert p.loc[3, "profit_cny"] == 80
    # c4 never ordered: only the acquisition cost
    assert p.loc[4, "profit_cny"] == -80 and p.loc[4, "orders"] == 0
    assert p.loc[1, "segment"] == "household" and p.loc[3, "channel"] == "referral"


def test_customer_profit_extra_costs_and_contribution_view(orders, customers):
    complaints = pd.DataFrame({"customer_id": [2, 2, 9], "complaint_cost_cny": [100.0, 50.0, 999.0]})
    loyalty = pd.DataFrame({"customer_id": [1], "loyalty_cost_cny": [20.0]})
    p = customer_profit(orders, customers, extra_costs=[complaints, loyalty])
    assert p.loc[2, "complaint_cost_cny"] == 150 and p.loc[2, "profit_cny"] == -460
    assert p.loc[1, "loyalty_cost_cny"] == 20 and p.loc[1, "profit_cny"] == 150
    assert 9 not in p.index
    c = customer_profit(orders, customers, include_acquisition=False)
    assert c.loc[1, "profit_cny"] == 270 and c.loc[4, "profit_cny"] == 0


def test_customer_profit_extra_cost_columns_in_customers(orders, customers):
    c = customers.assign(loyalty_cost_cny=[10.0, 0.0, 0.0, 5.0])
    p = customer_profit(orders, c, extra_cost_cols=["loyalty_cost_cny"])
    assert p.loc[1, "cost_to_serve_cny"] == 240 and p.loc[1, "profit_cny"] == 160
    assert p.loc[4, "profit_cny"] == -85
    with pytest.raises(ValueError, match="customers is missing column 'gift_cny'"):
        customer_profit(orders, c, extra_cost_cols=["gift_cny"])
    with pytest.raises(ValueError, match="customers column 'segment' in extra_cost_cols must be numeric"):
        customer_profit(orders, c, extra_cost_cols=["segment"])


def test_customer_profit_as_of_day(orders, customers):
    p = customer_profit(orders, customers, as_of_day=20)
    assert p.loc[1, "margin_cny"] == 380 and p.loc[3, "margin_cny"] == 0


def test_customer_profit_errors(orders, customers):
    with pytest.raises(ValueError, match="orders is missing column 'repair_cost_cny'"):
        customer_profit(orders.drop(columns="repair_cost_cny"), customers)
    with pytest.raises(ValueError, match="customers is missing column 'acquisition_cost_cny'"):
        customer_profit(orders, customers.drop(columns="acquisition_cost_cny"))
    bad = pd.DataFrame({"customer_id": [1], "note": ["x"]})
    with pytest.raises(ValueError, match="extra_costs column 'note' must be numeric"):
        customer_profit(orders, customers, extra_costs=bad)
    clash = pd.DataFrame({"customer_id": [1], "margin_cny": [1.0]})
    with pytest.raises(ValueError, match="clashes with an existing column"):
        customer_profit(orders, customers, extra_costs=clash)


PROFIT = pd.Series({"a": 50.0, "b": 100.0, "c": -30.0, "d": 0.0, "e": 30.0}, name="profit_cny")


def test_whale_curve_hand_values():
    w = whale_curve(PROFIT)
    assert w.iloc[:, 1].tolist() == ["b", "a", "e", "d", "c"]
    assert w["cumulative_profit_cny"].tolist() == [100, 150, 180, 180, 150]
    np.testing.assert_allclose(w["cumulative_profit_share"], [2 / 3, 1.0, 1.2, 1.2, 1.0])
    np.testing.assert_allclose(w["customer_share"], [0.2, 0.4, 0.6, 0.8, 1.0])


def test_whale_curve_from_dataframe_and_negative_total(orders, customers):
    w = whale_curve(customer_profit(orders, customers))
    assert w["customer_id"].tolist() == [1, 3, 4, 2]
    assert w["cumulative_profit_share"].isna().all()  # total profit -140 <= 0
    with pytest.raises(ValueError, match="profit is missing column 'profit_cny'"):
        whale_curve(pd.DataFrame({"x": [1.0]}))
    with pytest.raises(ValueError, match="profit has no rows"):
        whale_curve(PROFIT.iloc[:0])


def test_pareto_table_hand_values():
    t = pareto_table(PROFIT).set_index("measure")["value"]
    assert t["top_profit_share"] == pytest.approx(100 / 150)  # top 20% = 1 customer
    assert t["bottom_profit_share"] == pytest.approx(-30 / 150)  # bottom 30% = ceil(1.5) = 2 customers
    assert t["middle_profit_share"] == pytest.approx(80 / 150)
    assert t["peak_profit_share"] == pytest.approx(1.2) and t["peak_customer_share"] == pytest.approx(0.6)
    assert t["unprofitable_customer_share"] == pytest.approx(0.2)
    rule = pareto_table(PROFIT).set_index("measure")["rule_of_thumb"]
    assert rule["top_profit_share"] == 0.8 and rule["bottom_profit_share"] == -0.4


def test_pareto_table_bad_shares():
    with pytest.raises(ValueError, match="top_share must be > 0; got 0"):
        pareto_table(PROFIT, top_share=0)
    with pytest.raises(ValueError, match="top_share \\+ bottom_share must be <= 1; got 0.8 \\+ 0.3"):
        pareto_table(PROFIT, top_share=0.8)


def test_value_matrix_treatments():
    df = pd.DataFrame({"profit_cny": [30.0, 20.0, 1.0, 2.0], "clv_cny": [100.0, 5.0, 50.0, 1.0]})
    m = value_matrix(df)
    assert m["treatment"].tolist() == ["keep_and_grow", "maintain", "develop", "think_before_investing"]
    assert set(TREATMENTS) == set(m["treatment"])
    m2 = value_matrix(df, current_split=0, potential_split=0)
    assert (m2["treatment"] == "keep_and_grow").all()
    with pytest.raises(ValueError, match="df is missing column 'clv_cny'"):
        value_matrix(df.drop(columns="clv_cny"))


INPUTS = pd.DataFrame({"revenue_per_year_cny": [100.0, 200.0, 300.0], "discount_rate": [0.1, 0.2, 0.3]})


def test_good_customer_score_minmax_hand_values():
    s = good_customer_score(INPUTS, weights={"purchase_power": 3, "price_sensitivity": 1}, scaling="minmax")
    # purchase power 0, .5, 1; price sensitivity (lower is better) 1, .5, 0 -> (3 pp + ps) / 4
    np.testing.assert_allclose(s["score"], [25.0, 50.0, 75.0])
    assert s["rank"].tolist() == [3, 2, 1]
    eq = good_customer_score(INPUTS, weights={"purchase_power": 1, "price_sensitivity": 1}, scaling="minmax")
    np.testing.assert_allclose(eq["score"], [50.0, 50.0, 50.0])
    assert eq["rank"].tolist() == [1, 1, 1]


def test_good_customer_score_rank_scaling_missing_and_custom_column():
    df = INPUTS.assign(pay=[np.nan, 0.5, 0.9])
    s = good_customer_score(df, weights={"payment": 1}, columns={"payment": "pay"})
    np.testing.assert_allclose(s["s_payment"], [0.5, 0.5, 1.0])  # missing -> neutral 0.5
    d = good_customer_score(df, weights={"payment": 1}, columns={"payment": "pay"}, missing="drop")
    assert np.isnan(d["score"].iloc[0])
    r = good_customer_score(INPUTS, weights={"purchase_power": 1})
    np.testing.assert_allclose(r["score"], [100 / 3, 200 / 3, 100.0])


def test_good_customer_score_errors():
    with pytest.raises(ValueError, match="weights has unknown key 'size'"):
        good_customer_score(INPUTS, weights={"size": 1})
    with pytest.raises(ValueError, match="weights\\['margin'\\] must be >= 0; got -1"):
        good_customer_score(INPUTS, weights={"margin": -1})
    with pytest.raises(ValueError, match="inputs is missing column 'margin_rate'"):
        good_customer_score(INPUTS, weights={"margin": 1})
    with pytest.raises(ValueError, match="scaling must be one of 'rank', 'minmax'; got 'z'"):
        good_customer_score(INPUTS, weights={"purchase_power": 1}, scaling="z")
    with pytest.raises(ValueError, match="columns has unknown criterion 'x'"):
        good_customer_score(INPUTS, weights={"purchase_power": 1}, columns={"x": "y"})


def test_selection_inputs_hand_values(orders, customers):
    s = selection_inputs(orders, customers, as_of_day=84)
    years = 84 / 365
    assert s.loc[1, "revenue_per_year_cny"] == pytest.approx(1600 / years)
    assert s.loc[1, "margin_rate"] == pytest.approx(500 / 1600)
    assert s.loc[1, "cost_to_serve_rate"] == pytest.approx(230 / 1600)
    assert s.loc[1, "discount_rate"] == 0
    # halves split at day 42: early 1000 + 200, late 400
    assert s.loc[1, "spend_growth"] == pytest.approx((400 - 1200) / (years / 2))
    assert s.loc[4, "revenue_per_year_cny"] == 0 and np.isnan(s.loc[4, "margin_rate"])
    scored = good_customer_score(s)
    assert scored["score"].between(0, 100).all()


def test_loss_reasons_separates_new_acquisition_and_serving(orders, customers):
    from simulation.analytics import LOSS_TYPES, loss_reasons

    p = customer_profit(orders, customers)
    k = loss_reasons(p, customers, as_of_day=100.0, new_within_days=30.0)
    # c2: 690 - 800 = -110 before its acquisition cost of 200 -> costs more to serve than it earns
    assert k.loc[2, "profit_before_acquisition_cny"] == -110 and k.loc[2, "loss_type"] == "serving"
    # c4 (acquired day 84, no orders): loses only its acquisition cost and is 16 days old
    assert k.loc[4, "days_since_acquired"] == 16 and bool(k.loc[4, "new_customer"])
    assert k.loc[4, "profit_before_acquisition_cny"] == 0 and k.loc[4, "loss_type"] == "new"
    assert list(k.loc[[1, 3], "loss_type"]) == ["none", "none"]
    assert set(k["loss_type"]) <= set(LOSS_TYPES)
    # a stricter idea of "new": c4 is then an old customer whose acquisition cost is not repaid
    assert loss_reasons(p, customers, as_of_day=100.0, new_within_days=10.0).loc[4, "loss_type"] == "acquisition"
    # everybody new: c2 too is only new
    assert loss_reasons(p, customers, as_of_day=100.0, new_within_days=100.0).loc[2, "loss_type"] == "new"
    assert list(p.columns) == list(k.columns[: len(p.columns)])  # the input columns are kept, in order


def test_loss_reasons_bad_input(orders, customers):
    from simulation.analytics import loss_reasons

    p = customer_profit(orders, customers)
    with pytest.raises(ValueError, match="acquired_day"):
        loss_reasons(p, customers.drop(columns="acquired_day"), as_of_day=100.0)
    with pytest.raises(ValueError, match="new_within_days"):
        loss_reasons(p, customers, as_of_day=100.0, new_within_days=-1.0)
