"""Functional tests per card: each card's situation shows in the firm the teams play.

Each test plays the shipped card itself (one team's firm, replayed from a fixed seed) and checks
the one thing its briefing promises, comparing two settings of a lever on the same seed (common
random numbers), with and without the card's events, or round after round.
"""

from __future__ import annotations

import dataclasses

import pytest

from simulation.roleplay import card, engine

pytestmark = pytest.mark.slow


def _kpis_by_round(c, settings: dict[int, dict], rounds: int, seed: int = 5) -> list[dict]:
    """The cumulative KPIs after the warm-up (index 0) and after each of ``rounds`` rounds."""
    firm = engine.replay(c, seed, settings, 0)
    out = [firm.result().summary()]
    for r in range(1, rounds + 1):
        engine.advance(c, firm, r, settings[r])
        out.append(firm.result().summary())
    return out


def _same(c, rounds: int, **changes) -> dict[int, dict]:
    return {r: {**c.start_values(), **changes} for r in range(1, rounds + 1)}


def test_product_defect_crisis_the_faulty_batch_floods_the_desk():
    """Failures go from 4 to 15 in 100 appliances in round 2: the same firm with the same
    settings receives more complaints in round 2 than it does when the card's events are removed."""
    c = card("product-defect-crisis")
    calm = dataclasses.replace(c, events=())
    crisis = _kpis_by_round(c, _same(c, 2), 2)
    without = _kpis_by_round(calm, _same(c, 2), 2)
    assert crisis[1] == without[1]  # round 1 has no event
    assert crisis[2]["complaints"] > without[2]["complaints"]
    assert crisis[2]["customers_left_truth"] >= without[2]["customers_left_truth"]


def test_loyalty_club_launch_members_join_round_by_round():
    """The club the card launches signs up members every round and its cost shows in the KPIs."""
    c = card("loyalty-club-launch")
    k = _kpis_by_round(c, _same(c, 2), 2)
    assert 0 < k[1]["loyalty_members"] < k[2]["loyalty_members"]
    assert k[2]["loyalty_cost_cny"] > 0


def test_key_account_at_risk_fewer_failures_fewer_complaints():
    """The service role's lever: the same firm with 1 in 100 appliances failing instead of 4
    in 100 receives fewer complaints over three rounds (one round brings only a handful of
    failures either way)."""
    c = card("key-account-at-risk")
    low = _kpis_by_round(c, _same(c, 3, **{"service.appliance_failure_prob": 0.01}), 3)
    high = _kpis_by_round(c, _same(c, 3, **{"service.appliance_failure_prob": 0.04}), 3)
    assert low[0] == high[0]  # the same firm until the round starts
    assert low[3]["complaints"] - low[0]["complaints"] < high[3]["complaints"] - high[0]["complaints"]
