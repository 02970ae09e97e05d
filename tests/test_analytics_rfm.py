"""RFM table, scores, segments, spend x frequency quadrants and the BG/NBD summary, on the
hand-made tables of analytics_data.py (values worked out by hand in the comments)."""

import pandas as pd
import pytest
from analytics_data import make_orders

from simulation.analytics import (
    DEFAULT_SEGMENT_RULES,
    require_columns,
    rfm_scores,
    rfm_segments,
    rfm_summary,
    rfm_table,
    segment_summary,
    spend_frequency_quadrants,
)


def test_require_columns_message_names_table_column_and_existing_columns():
    df = pd.DataFrame({"customer_id": [1], "time_days": [0.0]})
    with pytest.raises(ValueError, match=r"^orders is missing column 'amount_cny' \(has: customer_id, time_days\)$"):
        require_columns(df, "orders", ["customer_id", "amount_cny"])


def test_require_columns_lists_several_missing_and_rejects_non_frames():
    with pytest.raises(ValueError, match="missing columns 'a', 'b'"):
        require_columns(pd.DataFrame({"c": [1]}), "t", ["a", "b"])
    with pytest.raises(TypeError, match="orders must be a pandas DataFrame; got list"):
        require_columns([1, 2], "orders", ["a"])


def test_rfm_table_hand_values(orders):
    t = rfm_table(orders, as_of_day=84)
    # c1: orders at 0, 14, 70 -> recency 84-70=14, 3 orders, 1000+200+400
    assert t.loc[1, "recency_days"] == 14 and t.loc[1, "frequency"] == 3 and t.loc[1, "monetary_cny"] == 1600
    assert t.loc[1, "avg_order_cny"] == pytest.approx(1600 / 3)
    # c2: orders at 7 and 35 (contract) -> recency 49
    assert t.loc[2, "recency_days"] == 49 and t.loc[2, "frequency"] == 2 and t.loc[2, "monetary_cny"] == 3300
    assert t.loc[3, "recency_days"] == 21 and t.loc[3, "frequency"] == 1
    assert t["frequency"].dtype == "int64"


def test_rfm_table_excludes_contract_and_later_orders(orders):
    t = rfm_table(orders, as_of_day=84, include_contract=False)
    assert t.loc[2, "recency_days"] == 77 and t.loc[2, "frequency"] == 1 and t.loc[2, "monetary_cny"] == 3000
    early = rfm_table(orders, as_of_day=20)
    assert list(early.index) == [1, 2] and early.loc[1, "frequency"] == 2


def test_rfm_table_missing_column_and_bad_as_of(orders):
    with pytest.raises(ValueError, match="orders is missing column 'amount_cny'"):
        rfm_table(orders.drop(columns="amount_cny"), as_of_day=84)
    with pytest.raises(ValueError, match="as_of_day must be a number; got 'x'"):
        rfm_table(orders, as_of_day="x")


def test_rfm_scores_hand_values(orders):
    s = rfm_scores(rfm_table(orders, as_of_day=84))
    # score = 1 + floor(5 * share strictly worse); n = 3
    assert list(s["R"]) == [4, 1, 2]  # recency 14, 49, 21
    assert list(s["F"]) == [4, 2, 1]  # frequency 3, 2, 1
    assert list(s["M"]) == [2, 4, 1]  # monetary 1600, 3300, 500
    assert list(s["RFM"]) == ["442", "124", "211"]


def test_rfm_scores_ties_get_equal_scores_independent_of_row_order():
    rfm = pd.DataFrame(
        {"recency_days": [10.0, 10.0, 10.0, 5.0], "frequency": [1, 1, 1, 2], "monetary_cny": [1.0, 2.0, 3.0, 4.0]},
        index=[10, 11, 12, 13],
    )
    s = rfm_scores(rfm)
    assert list(s["F"]) == [1, 1, 1, 4]
    assert list(s["R"]) == [1, 1, 1, 4]
    shuffled = rfm_scores(rfm.iloc[[3, 1, 0, 2]])
    pd.testing.assert_frame_equal(shuffled.loc[s.index], s)


def test_rfm_scores_bad_bins(orders):
    t = rfm_table(orders, as_of_day=84)
    with pytest.raises(ValueError, match="bins must be a whole number >= 2; got 1"):
        rfm_scores(t, bins=1)
    with pytest.raises(ValueError, match="bins must be a whole number; got 2.5"):
        rfm_scores(t, bins=2.5)
    with pytest.raises(ValueError, match="rfm has no rows"):
        rfm_scores(t.iloc[:0])


def test_default_rules_cover_every_r_f_combination():
    grid = pd.DataFrame([(r, f) for r in range(1, 6) for f in range(1, 6)], columns=["R", "F"])
    seg = rfm_segments(grid)
    assert (seg["segment"] != "others").all()
    lookup = {(r, f): s for r, f, s in seg[["R", "F", "segment"]].itertuples(index=False)}
    assert lookup[(5, 5)] == "champions" and lookup[(3, 4)] == "loyal" and lookup[(5, 1)] == "new"
    assert lookup[(4, 2)] == "promising" and lookup[(3, 1)] == "about_to_sleep"
    assert lookup[(1, 5)] == "at_risk" and lookup[(2, 1)] == "hibernating"
    assert seg["segment"].dtype == "str"


def test_rfm_segments_custom_rules_first_match_wins_and_default(orders):
    s = rfm_scores(rfm_table(orders, as_of_day=84))
    rules = {"big": {"M": (4, 5)}, "recent": {"R": (3, 5)}}
    seg = rfm_segments(s, rules, default="rest")
    assert list(seg["segment"]) == ["recent", "big", "rest"]
    assert rfm_segments(s)["segment"].tolist() == ["champions", "hibernating", "hibernating"]
    assert DEFAULT_SEGMENT_RULES["champions"] == {"R": (4, 5), "F": (4, 5)}


@pytest.mark.parametrize(
    "rules, message",
    [
        ({"x": {"Q": (1, 2)}}, "rules\\['x'\\] key must be one of 'R', 'F', 'M'; got 'Q'"),
        ({"x": {"R": (3, 2)}}, "must be a \\(low, high\\) pair with low <= high; got \\(3, 2\\)"),
        ({}, "rules must be a non-empty dict"),
        ({"x": [1, 2]}, "rules\\['x'\\] must be a dict"),
    ],
)
def test_rfm_segments_bad_rules(orders, rules, message):
    s = rfm_scores(rfm_table(orders, as_of_day=84))
    with pytest.raises(ValueError, match=message):
        rfm_segments(s, rules)


def test_segment_summary_hand_values(orders):
    seg = rfm_segments(rfm_scores(rfm_table(orders, as_of_day=84)))
    summ = segment_summary(seg)
    assert list(summ.index) == ["hibernating", "champions"]  # sorted by value
    assert summ.loc["hibernating", "customers"] == 2 and summ.loc["hibernating", "value_cny"] == 3800
    assert summ.loc["champions", "value_share"] == pytest.approx(1600 / 5400)
    assert summ.loc["hibernating", "customer_share"] == pytest.approx(2 / 3)
    assert summ.loc["hibernating", "value_per_customer_cny"] == 1900
    assert summ.loc["hibernating", "mean_recency_days"] == pytest.approx(35)


def test_spend_frequency_quadrants_default_medians(orders):
    q = spend_frequency_quadrants(rfm_table(orders, as_of_day=84))
    # avg order 533.3, 1650, 500 (median 533.3); frequency 3, 2, 1 (median 2); high = strictly above
    assert q["quadrant"].tolist() == ["frequent_low_spend", "rare_high_spend", "uncertain"]


def test_spend_frequency_quadrants_explicit_splits(orders):
    q = spend_frequency_quadrants(rfm_table(orders, as_of_day=84), spend_split=400, frequency_split=1)
    assert q["quadrant"].tolist() == ["best", "best", "rare_high_spend"]
    with pytest.raises(ValueError, match="spend_split must be a number; got 'high'"):
        spend_frequency_quadrants(rfm_table(orders, as_of_day=84), spend_split="high")


def test_rfm_summary_lifetimes_convention(orders):
    s = rfm_summary(orders, as_of_day=84, time_unit_days=7)
    # c1: first 0, repeats at 14 and 70 -> x=2, t_x=70/7, T=84/7, mean repeat spend (200+400)/2
    assert s.loc[1, ["frequency", "recency", "T", "monetary_value"]].tolist() == [2, 10.0, 12.0, 300.0]
    # c2: the contract order is excluded by default -> no repeat
    assert s.loc[2, ["frequency", "recency", "T", "monetary_value"]].tolist() == [0, 0.0, 11.0, 0.0]
    assert s.loc[3, "T"] == 3.0
    assert s["frequency"].dtype == "int64"


def test_rfm_summary_with_contract_and_years(orders):
    s = rfm_summary(orders, as_of_day=84, time_unit_days=7, include_contract=True)
    assert s.loc[2, ["frequency", "recency", "monetary_value"]].tolist() == [1, 4.0, 300.0]
    y = rfm_summary(orders, as_of_day=84, time_unit_days=365)
    assert y.loc[1, "recency"] == pytest.approx(70 / 365)


def test_rfm_summary_first_order_is_chronological_not_row_order():
    o = make_orders([(1, 30.0, 50.0, 0, 0, 0, 0, False), (1, 0.0, 999.0, 0, 0, 0, 0, False)])
    s = rfm_summary(o, as_of_day=70, time_unit_days=7)
    assert s.loc[1, "monetary_value"] == 50.0 and s.loc[1, "recency"] == pytest.approx(30 / 7)


def test_rfm_summary_bad_time_unit(orders):
    with pytest.raises(ValueError, match="time_unit_days must be > 0; got 0"):
        rfm_summary(orders, as_of_day=84, time_unit_days=0)
    with pytest.raises(ValueError, match="orders is missing column 'contract'"):
        rfm_summary(orders.drop(columns="contract"), as_of_day=84)
