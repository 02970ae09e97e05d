"""Same scenario + same seed = identical tables; stepping equals one run; streams are independent."""

import filecmp

import numpy as np
import pandas as pd
import pytest

from simulation import Firm, ScenarioError, run, with_changes
from simulation.model.result import TABLES
from simulation.model.streams import Streams


def _assert_same(a, b):
    for name in TABLES:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name], check_exact=True, obj=name)


def test_same_seed_gives_byte_identical_csv(tiny, tmp_path):
    run(tiny, 11).to_dir(tmp_path / "a")
    run(tiny, 11).to_dir(tmp_path / "b")
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert "orders.csv" in files and "summary.json" in files
    match, mismatch, errors = filecmp.cmpfiles(tmp_path / "a", tmp_path / "b", files, shallow=False)
    assert mismatch == [] and errors == []


def test_different_seeds_give_different_firms(tiny):
    a, b = run(tiny, 1), run(tiny, 2)
    assert not a.orders["amount_cny"].equals(b.orders["amount_cny"])


def test_parquet_round_trip(tiny, tmp_path):
    r = run(tiny, 5)
    r.to_dir(tmp_path / "p", fmt="parquet")
    back = pd.read_parquet(tmp_path / "p" / "orders.parquet")
    pd.testing.assert_frame_equal(back, r.orders, check_exact=True)


def test_to_dir_refuses_to_overwrite(tiny, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="nothing was written"):
        run(tiny, 1).to_dir(out)
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_stepping_period_by_period_equals_a_single_run(small):
    firm = Firm(small, 3)
    steps = 0
    while not firm.finished:
        firm.step()
        steps += 1
    assert steps == int(np.ceil(small.horizon_days / small.period_days))
    _assert_same(firm.result(), run(small, 3))


def test_setting_a_lever_to_its_current_value_changes_nothing(tiny):
    firm = Firm(tiny, 4)
    firm.step()
    firm.set({"pricing.discount_pct": 0.0, "channels.web.customers_per_year": tiny.channels.web.customers_per_year})
    firm.run()
    _assert_same(firm.result(), run(tiny, 4))


def test_a_lever_change_acts_from_then_on(tiny):
    firm = Firm(tiny, 4)
    firm.run_until(60)
    firm.set({"pricing.discount_pct": 20})
    changed = firm.run().result()
    plain = run(tiny, 4)

    def before(r):
        return r.events.loc[r.events["time_days"] < 60].reset_index(drop=True)

    pd.testing.assert_frame_equal(before(changed), before(plain))
    after = changed.orders.loc[changed.orders["time_days"] >= 60]
    assert (after.loc[~after["contract"], "discount_cny"] > 0).all()
    assert changed.decisions.loc[0, "lever"] == "pricing.discount_pct"
    assert changed.decisions.loc[0, "time_days"] == 60


def test_only_levers_may_change_during_a_run(tiny):
    firm = Firm(tiny, 1)
    with pytest.raises(ScenarioError, match="'household.rate_shape' is not a lever"):
        firm.set({"household.rate_shape": 2.0})
    with pytest.raises(ScenarioError, match="must be <= 90"):
        firm.set({"pricing.discount_pct": 120})


def test_clock_only_moves_forward_within_the_horizon(tiny):
    firm = Firm(tiny, 1).run_until(50)
    with pytest.raises(ValueError, match="before the firm's clock"):
        firm.run_until(10)
    with pytest.raises(ValueError, match="after the horizon"):
        firm.run_until(tiny.horizon_days + 1)
    with pytest.raises(ValueError, match="periods must be a whole number >= 1"):
        firm.step(0)


def test_named_streams_do_not_shift_each_other():
    """Drawing more from one element's stream leaves every other stream unchanged."""
    a, b = Streams(9), Streams(9)
    ua = a.uniform("late_delivery")
    for _ in range(10_000):
        ua()
    x = [a.exponential("arrivals.store")() for _ in range(5)]
    y = [b.exponential("arrivals.store")() for _ in range(5)]
    assert x == y


def test_service_settings_do_not_shift_the_arrival_stream(tiny):
    """Paid-channel contacts depend only on the arrival streams (with deterrence off)."""
    base = with_changes(tiny, {"word_of_mouth.deterrence_prob": 0.0})
    other = with_changes(base, {"service.appliance_failure_prob": 0.3, "service.late_delivery_prob": 0.5})
    ra, rb = run(base, 8), run(other, 8)

    def paid(r):
        return r.events.loc[
            (r.events["event_type"] == "contact") & (r.events["detail_code"] < 3), "time_days"
        ].to_numpy()

    np.testing.assert_array_equal(paid(ra), paid(rb))
    assert not ra.orders["late_delivery"].equals(rb.orders["late_delivery"])


def test_seed_must_be_a_non_negative_whole_number(tiny):
    with pytest.raises(ValueError, match="seed must be a whole number >= 0"):
        Firm(tiny, -1)
    with pytest.raises(TypeError, match="scenario must be a Scenario"):
        Firm("baseline", 1)


def test_a_firm_with_nothing_happened_yet_has_empty_tables(tiny):
    """Right at the start (or with every channel closed) the tables exist and are empty."""
    closed = with_changes(tiny, {f"channels.{c}.customers_per_year": 0.0 for c in ("store", "web", "dealer")})
    r = Firm(closed, 1).run().result()
    assert len(r.customers) == 0 and len(r.orders) == 0 and len(r.lifecycle) == 0
    assert r.summary()["customers_acquired"] == 0
    r0 = Firm(tiny, 1).result()
    assert len(r0.orders) == 0
