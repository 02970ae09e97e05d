"""Early-warning signals per period (simulation.lessons.crisis)."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from simulation.lessons.crisis import SIGNALS, compare_signals, respond_at, warning_signals


def _result(as_of_day=21.0):
    contacts = pd.DataFrame(
        {
            "contact_type": ["repair_request", "repair_request", "complaint", "pre_sales", "repair_request"],
            "arrival_day": [0.5, 6.9, 7.0, 8.0, 20.0],
        }
    )
    events = pd.DataFrame(
        {
            "event_type": ["order", "order", "late_delivery", "order", "order"],
            "time_days": [1.0, 2.0, 2.0, 15.0, 22.0],
            "satisfaction": [60.0, 80.0, 10.0, 50.0, 99.0],
        }
    )
    customers = pd.DataFrame({"dropped_day": [np.nan, 3.0, 14.0, 30.0]})
    return SimpleNamespace(centre_contacts=contacts, events=events, customers=customers, as_of_day=as_of_day)


def test_counts_each_signal_in_its_week():
    t = warning_signals(_result())
    assert list(t.columns) == ["period", *SIGNALS]
    assert t["period"].tolist() == [1, 2, 3]
    assert t["repair_requests"].tolist() == [2, 0, 1]
    assert t["complaints"].tolist() == [0, 1, 0]
    assert t["leavers_truth"].tolist() == [1, 0, 1]
    # only order events count, and days past the last whole period are dropped
    assert t["mean_satisfaction"].tolist()[0] == pytest.approx(70.0)
    assert np.isnan(t["mean_satisfaction"].iloc[1])
    assert t["mean_satisfaction"].iloc[2] == pytest.approx(50.0)


def test_periods_of_four_weeks_sum_the_weeks():
    t = warning_signals(_result(as_of_day=28.0), period_days=28)
    assert t["repair_requests"].tolist() == [3] and t["leavers_truth"].tolist() == [2]


def test_side_by_side_labels_follow_the_language():
    t = compare_signals(_result(), _result(), periods=2, lang="zh")
    assert list(t.index) == ["第1周", "第2周"]
    assert t.columns.get_level_values(0).unique().tolist() == ["正常运营", "危机"]
    assert compare_signals(_result(), _result(), periods=1, lang="en").index[0] == "Week 1"


@pytest.mark.parametrize("bad", [0, -7, True, "7"])
def test_rejects_a_bad_period(bad):
    with pytest.raises(ValueError, match="period_days"):
        warning_signals(_result(), period_days=bad)


def test_a_response_is_applied_on_its_day():
    from simulation import preset, run

    sc = preset("small-class")
    late = respond_at(sc, 3, day=60, changes={"service.appliance_failure_prob": 0.5})
    decisions = late.decisions
    assert len(decisions) == 1 and decisions.iloc[0, 0] == pytest.approx(60.0)
    assert warning_signals(late, period_days=60)["repair_requests"].iloc[1:].mean() > (
        warning_signals(run(sc, 3), period_days=60)["repair_requests"].iloc[1:].mean()
    )
    with pytest.raises(ValueError, match="day"):
        respond_at(sc, 3, day=-1, changes={})
