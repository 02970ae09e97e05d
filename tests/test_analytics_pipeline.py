"""The sales pipeline (SFA funnel): stage win rates, the weighted forecast, deals from the model."""

import numpy as np
import pandas as pd
import pytest

from simulation import run
from simulation.analytics.pipeline import STAGES, channel_deals, pipeline_table, weighted_forecast


def _deals():
    # closed: 2 won, 1 lost at quoted, 1 lost at contacted, 2 lost at prospect; open: 3
    return pd.DataFrame(
        {
            "stage": ["won", "won", "quoted", "contacted", "prospect", "prospect", "prospect", "quoted", "contacted"],
            "status": ["won", "won", "lost", "lost", "lost", "lost", "open", "open", "open"],
            "value_cny": [500.0, 300.0, 0.0, 0.0, 0.0, 0.0, 100.0, 200.0, 400.0],
        }
    )


def test_win_rates_by_hand():
    t = pipeline_table(_deals()).set_index("stage")
    assert list(t.index) == list(STAGES)
    assert t["reached"].tolist() == [6, 4, 3, 2]
    assert t["win_rate"].tolist() == pytest.approx([2 / 6, 2 / 4, 2 / 3, 1.0])
    assert t["step_rate"].iloc[:3].tolist() == pytest.approx([4 / 6, 3 / 4, 2 / 3])
    assert t["open_deals"].tolist() == [1, 1, 1, 0]


def test_weighted_forecast_is_value_times_stage_probability():
    expected = 100 * 2 / 6 + 400 * 2 / 4 + 200 * 2 / 3
    assert weighted_forecast(_deals()) == pytest.approx(expected)


def test_bad_deals_are_refused():
    d = _deals()
    with pytest.raises(ValueError, match="unknown stage"):
        pipeline_table(d.assign(stage=d["stage"].replace("quoted", "offer")))
    with pytest.raises(ValueError, match="exactly when its status is 'won'"):
        pipeline_table(d.assign(status=d["status"].replace("lost", "won")))
    with pytest.raises(ValueError, match="missing column 'value_cny'"):
        pipeline_table(d.drop(columns="value_cny"))


@pytest.fixture(scope="module")
def firm(tiny):
    return run(tiny, 5)


def test_channel_deals_match_the_model(firm):
    """Every enquiry of the channel is one deal; the won deals are the channel's customers
    acquired by the day; the lost ones are split in the stated shares (to rounding)."""
    as_of = 120.0
    d = channel_deals(firm.events, firm.customers, firm.orders, as_of_day=as_of, contacted_share=0.6, quoted_share=0.3)
    ev = firm.events
    enquiries = ((ev["event_type"] == "contact") & (ev["detail_code"] == 2) & (ev["time_days"] <= as_of)).sum()
    assert len(d) == enquiries > 0
    c = firm.customers
    assert (d["status"] == "won").sum() == ((c["channel"] == "dealer") & (c["acquired_day"] <= as_of)).sum()
    lost = d.loc[d["status"] == "lost", "stage"].value_counts()
    n = lost.sum()
    assert abs(lost.get("quoted", 0) - 0.3 * n) <= 1 and abs(lost.get("contacted", 0) - 0.3 * n) <= 1
    opened = d.loc[d["status"] == "open"]
    assert (as_of - opened["contact_day"] < 30).all()
    won = d.loc[d["status"] == "won"]
    first = firm.orders.sort_values("time_days").groupby("customer_id")["amount_cny"].first()
    assert np.allclose(won["value_cny"], first.reindex(won["customer_id"]).to_numpy())
    with pytest.raises(ValueError, match="quoted_share"):
        channel_deals(firm.events, firm.customers, firm.orders, as_of_day=as_of, contacted_share=0.2, quoted_share=0.5)
    with pytest.raises(ValueError, match="channel must be one of"):
        channel_deals(firm.events, firm.customers, firm.orders, as_of_day=as_of, channel="shop")
