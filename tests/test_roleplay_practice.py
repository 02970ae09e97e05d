"""Practice mode: the same firm as a class team with the same seed and settings, and undo."""

from __future__ import annotations

import pytest
from roleplay_data import quick_card

from simulation.roleplay import Classroom, Practice, Refused, RoleplayError
from simulation.roleplay.classroom import team_seed


def test_practice_equals_a_class_team_with_the_same_seed_and_settings(tmp_path):
    card = quick_card(rounds=2)
    room = Classroom.create(tmp_path / "c.db", card, teams=1, seed=4)
    codes = room.join_codes()
    sales = codes.query("team_no == 1 and role == 'sales'").code.iloc[0]
    room.submit(sales, {"pricing.discount_pct": 5})
    room.close_round()
    room.close_round()
    game = Practice(card, seed=team_seed(4, 1))
    game.set({"pricing.discount_pct": 5})
    game.play()
    game.play()
    stored = [(k, s, n) for _, _, k, s, n in room.ledger.results(room.session_id)]
    assert [game._results[r] for r in (1, 2)] == stored
    assert game.round is None
    with pytest.raises(RoleplayError, match="every round has been played"):
        game.play()


def test_undo_restores_an_earlier_round_and_replays_exactly():
    game = Practice(quick_card(rounds=3), seed=9)
    game.set({"complaints.agents": 4})
    first = game.play()
    game.set({"pricing.discount_pct": 10})
    second = game.play()
    game.undo(1)
    assert game.round == 2 and game.values()["pricing.discount_pct"] == 0.0
    game.set({"pricing.discount_pct": 10})
    again = game.play()
    assert again["score"] == second["score"] and again["revenue_cny"] == second["revenue_cny"]
    game.undo(1)
    other = game.play()  # round 2 without the discount
    assert other["revenue_cny"] != second["revenue_cny"]
    game.undo(0)
    replayed = game.play()  # round 1 without the two extra agents
    assert (first["lever_spend_cny"], replayed["lever_spend_cny"]) == (24000.0, 0.0)
    assert replayed["score"] != first["score"]
    assert game.firm().now == game.card.period_days * (game.card.warmup_periods + 1)
    assert game.news(lang="zh")[0].startswith("本轮")


def test_practice_checks_levers_and_budgets_like_the_class():
    game = Practice(quick_card(), seed=1)
    with pytest.raises(Refused, match="must be in"):
        game.set({"pricing.discount_pct": 50})
    with pytest.raises(Refused, match="over the service budget"):
        game.set({"complaints.agents": 10})
    with pytest.raises(RoleplayError, match="did you mean 'pricing.discount_pct'"):
        game.set({"pricing.discount": 5})
    with pytest.raises(RoleplayError, match="a round already played"):
        game.undo(2)
    assert game.values() == game.card.start_values()
