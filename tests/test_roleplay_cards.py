"""Scenario cards: the shipped ones validate against the scenario, bad ones are refused by name."""

from __future__ import annotations

import math
import re

import pytest
from roleplay_data import card_text, quick_card

from simulation import preset, run
from simulation.roleplay import Classroom, RoleplayError, card, cards, load_card
from simulation.roleplay.cards import SCORING_KPIS, card_from_text
from simulation.scenario.fields import field_rows

HAN = re.compile(r"[\u4e00-\u9fff]")


def test_the_four_cards_of_the_course_ship():
    assert {"product-defect-crisis", "loyalty-club-launch", "key-account-at-risk", "dormant-win-back"} <= set(cards())


@pytest.mark.parametrize("name", cards())
def test_every_lever_is_a_scenario_lever_inside_its_range(name):
    c = card(name)
    rows = {r["path"]: r for r in field_rows(c.scenario)}
    assert c.scenario.horizon_days == (c.warmup_periods + c.rounds) * c.period_days
    assert c.scenario.period_days == c.period_days
    for role in c.roles:
        assert role.levers
        for lv in role.levers:
            row = rows[lv.path]
            assert row["lever"], lv.path
            assert lv.start == row["value"]
            if lv.kind in ("number", "integer"):
                assert row["lo"] <= lv.lo <= lv.start <= lv.hi <= row["hi"], lv.path
                assert lv.check(lv.lo) == lv.lo and lv.check(lv.hi) == lv.hi
            assert lv.cost(lv.start) == 0.0
            assert lv.en and lv.zh


@pytest.mark.parametrize("name", cards())
def test_every_text_a_student_reads_is_in_chinese_and_english(name):
    c = card(name)
    texts = [(c.title_en, c.title_zh), (c.briefing_en, c.briefing_zh)]
    texts += [(r.en, r.zh) for r in c.roles] + [(r.private_en, r.private_zh) for r in c.roles]
    texts += [(e.en, e.zh) for e in c.events] + [(q.en, q.zh) for q in c.debrief]
    for en, zh in texts:
        assert en and not HAN.search(en), en
        assert HAN.search(zh), zh
    assert len(c.debrief) >= 2 and c.scoring


def test_scoring_kpis_are_the_summary_keys():
    """Every KPI a card may weight is a number in ``Result.summary()`` (or the game's spend)."""
    sc = preset("small-class")
    summary = run(sc.__class__(**{**sc.__dict__, "horizon_days": 60.0}), 1).summary()
    assert set(SCORING_KPIS) - set(summary) == {"lever_spend_cny", "customer_equity_cny"}
    numeric = {k for k, v in summary.items() if isinstance(v, (int, float)) and k not in ("seed", "days")}
    assert numeric <= set(SCORING_KPIS)


@pytest.mark.parametrize("name", cards())
def test_every_card_plays_a_round(name, tmp_path):
    """One team, one round with the starting values: the score is a finite number."""
    room = Classroom.create(tmp_path / "c.db", name, teams=1, seed=3)
    res = room.close_round()
    assert len(res) == 1 and math.isfinite(res["score"].iloc[0])
    assert res["lever_spend_cny"].iloc[0] == 0.0
    assert room.round == 2
    notes = room.ledger.results(room.session_id)[0][4]
    assert notes[0]["en"].startswith("This round:") and all(HAN.search(n["zh"]) for n in notes)


BAD = [
    ("rounds = 6", "round = 6", "has no key 'round'; did you mean 'rounds'?"),
    (
        '[roles.sales.levers."pricing.discount_pct"]',
        '[roles.sales.levers."pricing.discount_pc"]',
        "has no field 'pricing.discount_pc'; did you mean 'pricing.discount_pct'?",
    ),
    (
        '[roles.sales.levers."pricing.discount_pct"]',
        '[roles.sales.levers."pricing.price_elasticity"]',
        "cannot change while the firm runs",
    ),
    ("lo = 0\nhi = 15", "lo = 0\nhi = 95", "must lie inside the scenario's [0, 90]"),
    ("lo = 0.02\nhi = 0.08", "lo = 0.02\nhi = 0.05", "must include the starting value 0.08"),
    ("[scoring.customers_active]", "[scoring.customer_active]", "did you mean 'customers_active'?"),
    ("round = 5", "round = 9", "events[2].round must be <= rounds (6); got 9"),
    ('preset = "baseline"', 'preset = "basline"', "unknown preset 'basline'; did you mean 'baseline'?"),
    ("cost_per_unit_cny = 12000", "cost_per_unit_cny = 12000\ncolor = 1", "has no key 'color'"),
    (
        '[roles.finance.levers."complaints.recovery.empowerment"]\nlo = 0\nhi = 1',
        '[roles.finance.levers."complaints.agents"]\nlo = 1\nhi = 10',
        "owned by both 'service' and 'finance'",
    ),
    ('zh = "销售部经理"', 'zh = ""', "roles.sales.zh must be a non-empty text"),
    ("name = ", "name = = ", "is not valid TOML"),
]


@pytest.mark.parametrize("old, new, message", BAD)
def test_a_bad_card_is_refused_with_a_message_naming_the_place(old, new, message):
    text = card_text()
    assert old in text
    with pytest.raises(RoleplayError) as err:
        card_from_text(text.replace(old, new, 1), "my card")
    assert message in str(err.value)
    assert str(err.value).startswith("my card")


def test_a_teachers_card_file_loads_and_unknown_cards_get_a_suggestion(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(card_text().replace('name = "product-defect-crisis"', 'name = "mine"'), encoding="utf-8")
    assert load_card(path).name == "mine" and card(str(path)).name == "mine"
    with pytest.raises(RoleplayError, match="did you mean 'dormant-win-back'"):
        card("dormant-winback")


def test_lever_checks_and_costs():
    c = quick_card()
    agents = c.role("service").lever("complaints.agents")
    assert agents.check(4.0) == 4 and agents.cost(4) == 2 * 12000
    with pytest.raises(RoleplayError, match="whole number"):
        agents.check(2.5)
    with pytest.raises(RoleplayError, match="must be a number"):
        agents.check(True)
    late = c.role("delivery").lever("service.late_delivery_prob")
    assert late.cost(0.05) == pytest.approx(6000) and late.cost(0.08) == 0
    with pytest.raises(RoleplayError, match="has no role 'sale'; did you mean 'sales'"):
        c.role("sale")
