"""Customer equity in the team's score: harvesting the customer base in the last round does not pay."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from roleplay_data import quick_card

from simulation.analytics import alive_customer_clv, customer_equity, deterministic_clv
from simulation.roleplay import Classroom, engine
from simulation.roleplay.parts import SCORING_KPIS, SCORING_PERSPECTIVES, Weight


def _tables():
    customers = pd.DataFrame(
        {
            "customer_id": [0, 1, 2, 3, 4],
            "segment": ["household", "household", "household", "small_business", "household"],
            "acquired_day": [0.0, 0.0, 365.0, 0.0, 900.0],
            "dropped_day": [np.nan, 365.0, np.nan, np.nan, np.nan],
            "alive_at_end": [True, False, True, True, True],
        }
    )
    orders = pd.DataFrame(
        {
            "customer_id": [0, 1, 2, 3, 0],
            "time_days": [10.0, 20.0, 400.0, 30.0, 800.0],
            "margin_cny": [500.0, 300.0, 400.0, 2000.0, 9999.0],
            "delivery_cost_cny": [50.0, 0.0, 0.0, 100.0, 0.0],
            "installation_cost_cny": [0.0, 0.0, 0.0, 0.0, 0.0],
            "repair_cost_cny": [0.0, 0.0, 100.0, 0.0, 0.0],
        }
    )
    return orders, customers


def test_alive_customers_are_worth_their_segments_textbook_clv():
    """As of day 730: households have 2 + 1 + 1 = 4 customer-years of exposure (customer 4 is
    not acquired yet, the order on day 800 is after as_of) and contribution 450 + 300 + 300 =
    1,050, so c = 262.5 CNY a year; one lost in 4 years gives rho = exp(-1/4). The small
    business: 1,900 over 2 years, nobody lost, rho = 1."""
    orders, customers = _tables()
    clv = alive_customer_clv(orders, customers, as_of_day=730.0, horizon_years=3, annual_discount_rate=0.1)
    assert list(clv.index) == [0, 2, 3]
    house = deterministic_clv(262.5, years=3, discount_rate=0.1, retention=np.exp(-0.25))
    firm = deterministic_clv(950.0, years=3, discount_rate=0.1, retention=1.0)
    assert clv["clv_cny"].tolist() == pytest.approx([house, house, firm])
    assert clv.loc[0, "retention"] == pytest.approx(np.exp(-0.25))
    assert customer_equity(clv) == pytest.approx(2 * house + firm)


def test_alive_customer_clv_names_a_missing_column():
    orders, customers = _tables()
    with pytest.raises(ValueError, match="customers is missing column 'alive_at_end'"):
        alive_customer_clv(orders, customers.drop(columns="alive_at_end"), as_of_day=730.0)


def test_every_kpi_a_card_may_weight_has_a_perspective():
    assert set(SCORING_PERSPECTIVES) == set(SCORING_KPIS)


def test_harvesting_in_the_last_round_wins_on_profit_but_not_on_score():
    """Two teams with the same firm (same seed) play the same first two rounds; in the last
    round one harvests: it cuts the web marketing budget to zero, takes an agent off the
    complaint desk and drops courtesy training. That lifts the round's net profit (no
    acquisition spend, a cheaper desk), so on profit alone the harvester wins; with customer
    equity in the score it loses, because it ends the game with fewer customers, who also leave
    faster."""
    card = quick_card(rounds=3)
    start = card.start_values()
    steady = {r: dict(start) for r in range(1, 4)}
    harvest = {r: dict(v) for r, v in steady.items()}
    harvest[3].update(
        {"channels.web.customers_per_year": 0.0, "complaints.agents": 1, "complaints.recovery.courtesy": 0.0}
    )
    out = {}
    for name, settings in (("steady", steady), ("harvest", harvest)):
        firm = engine.replay(card, 11, settings, 3)
        spend = sum(sum(engine.settings_cost(card, settings[r]).values()) for r in (1, 2, 3))
        out[name] = engine.outcome(card, firm, 3, spend)[0]
    assert out["harvest"]["net_profit_cny"] > out["steady"]["net_profit_cny"]
    assert out["harvest"]["customer_equity_cny"] < out["steady"]["customer_equity_cny"]
    profit_only = dataclasses.replace(
        card, scoring=(Weight("net_profit_cny", 1.0, 100000.0), Weight("lever_spend_cny", -1.0, 100000.0))
    )
    with_equity = dataclasses.replace(
        profit_only, scoring=(*profit_only.scoring, Weight("customer_equity_cny", 1.0, 200000.0))
    )
    assert engine.score(profit_only, out["harvest"]) > engine.score(profit_only, out["steady"])
    assert engine.score(with_equity, out["harvest"]) < engine.score(with_equity, out["steady"])
    # the shipped card weighs equity the same way
    assert Weight("customer_equity_cny", 1.0, 200000.0) in card.scoring
    assert engine.score(card, out["harvest"]) < engine.score(card, out["steady"])


def test_equity_is_on_the_leaderboard_and_in_each_teams_scorecard(tmp_path):
    room = Classroom.create(tmp_path / "class.db", quick_card(rounds=2), teams=2, seed=5)
    room.close_round()
    board = room.leaderboard()
    assert (board["customer_equity_cny"] > 0).all()
    seat = room.seat(room.join_codes().query("team_no == 2").code.iloc[0])
    last = seat.view()["results"][-1]
    rows = {r["kpi"]: r for r in last["scorecard"]}
    assert rows["customer_equity_cny"]["perspective"] == "financial"
    assert rows["customer_equity_cny"]["value"] == last["kpis"]["customer_equity_cny"]
    assert sum(r["points"] for r in last["scorecard"]) == pytest.approx(last["score"], abs=1e-3)
    assert [r["perspective"] for r in last["scorecard"]] == sorted(
        (r["perspective"] for r in last["scorecard"]),
        key=["financial", "customer", "internal_process", "learning_growth"].index,
    )
