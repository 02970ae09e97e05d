"""The game engine: a team's firm rebuilt from its seed and recorded settings, and its score.

A team's firm is never stored. It is rebuilt by replaying, from the team's seed, the card's
warm-up and then, round by round, the card's events and the team's recorded settings::

    firm = Firm(card.scenario, team_seed)
    firm.step(card.warmup_periods)                 # the firm the class meets
    for each round r = 1 .. R:
        firm.set({**events of r, **settings of r})  # events first; a team's setting wins
        firm.step(1)                               # one period of card.period_days

Same card, seed and settings give the same tables (DESIGN principle 2), so a closed round
re-run from the ledger reproduces its results byte for byte and a restart resumes exactly.

Score of a round, from the cumulative KPIs of ``Result.summary()`` at the round's end plus
``lever_spend_cny`` (the cost of the team's settings summed over the rounds so far)::

    score = sum over the card's weights of  weight * kpi / per      (a missing KPI counts 0)
"""

from __future__ import annotations

import warnings

from ..model.firm import Firm
from .cards import Card
from .news import round_news

__all__ = ["replay", "advance", "settings_cost", "score", "outcome"]


def _round_changes(card: Card, round_no: int, values: dict) -> dict:
    changes: dict = {}
    for event in card.events_at(round_no):
        changes.update(event.changes)
    changes.update(values)
    return changes


def advance(card: Card, firm: Firm, round_no: int, values: dict) -> Firm:
    """Play round ``round_no`` on ``firm`` (at the end of the previous round) with ``values``."""
    firm.set(_round_changes(card, round_no, values))
    return firm.step(1)


def replay(card: Card, seed: int, settings: dict[int, dict], upto: int) -> Firm:
    """The team's firm at the end of round ``upto`` (0 = after the warm-up).

    Parameters
    ----------
    card : Card
    seed : int
        The team's seed.
    settings : dict
        ``{round_no: {lever path: value}}`` for rounds 1..upto, as recorded in the ledger.
    upto : int
    """
    firm = Firm(card.scenario, seed)
    if card.warmup_periods:
        firm.step(card.warmup_periods)
    for r in range(1, upto + 1):
        advance(card, firm, r, settings[r])
    return firm


def settings_cost(card: Card, values: dict) -> dict[str, float]:
    """Cost per role of one round's settings (``max(0, cost_per_unit_cny * (value - start))`` summed)."""
    out = {}
    for role in card.roles:
        out[role.name] = sum(lv.cost(values.get(lv.path, lv.start)) for lv in role.levers)
    return out


def score(card: Card, kpis: dict) -> float:
    """The round's score: the card's weighted sum of KPIs (rounded to 4 decimals)."""
    total = 0.0
    for w in card.scoring:
        value = kpis.get(w.kpi)
        total += 0.0 if value is None else w.weight * float(value) / w.per
    return round(total, 4)


def outcome(card: Card, firm: Firm, round_no: int, spend_cny: float) -> tuple[dict, float, list[dict]]:
    """``(kpis, score, notes)`` of a team's firm at the end of round ``round_no``.

    ``kpis`` is ``Result.summary()`` plus ``lever_spend_cny``; ``notes`` are bilingual lines
    (``{"en": ..., "zh": ...}``): the round's events, its notable events drawn from the tables
    (:func:`~simulation.roleplay.news.round_news`) and any warning of the model (for example
    an overloaded complaint desk).
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = firm.result()
        kpis = result.summary()
    kpis["lever_spend_cny"] = round(float(spend_cny), 2)
    notes = [{"en": e.en, "zh": e.zh} for e in card.events_at(round_no)]
    notes += round_news(result, firm.now - card.period_days, firm.now + 1e-9)
    notes += [{"en": str(w.message), "zh": f"模型提示：{w.message}"} for w in caught]
    return kpis, score(card, kpis), notes
