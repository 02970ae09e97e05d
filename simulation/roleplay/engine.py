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
``lever_spend_cny`` (the cost of the team's settings summed over the rounds so far) and
``customer_equity_cny`` (the customer equity of the team's customer base at the round's end)::

    score = sum over the card's weights of  weight * kpi / per      (a missing KPI counts 0)

Customer equity is the expected future margin of the customers still alive: by segment, the
contribution per customer-year and the yearly retention seen so far give a textbook CLV over
:data:`EQUITY_HORIZON_YEARS` years at :data:`EQUITY_DISCOUNT_RATE`
(:func:`~simulation.analytics.clv.alive_customer_clv`), summed over the alive customers
(:func:`~simulation.analytics.clv.customer_equity`). Weighted in the score, it makes harvesting
in the last round (cutting service and marketing to lift this month's profit) cost more than it
earns: the customers lost and not won are worth years of margin.
"""

from __future__ import annotations

import warnings

from ..analytics.clv import alive_customer_clv, customer_equity
from ..analytics.kpis import PERSPECTIVES
from ..model.firm import Firm
from .cards import Card
from .news import round_news
from .parts import SCORING_PERSPECTIVES

__all__ = ["replay", "advance", "settings_cost", "score", "scorecard", "outcome", "base_equity"]

#: Years of future margin counted in a team's customer equity.
EQUITY_HORIZON_YEARS = 3
#: Yearly discount rate of a team's customer equity.
EQUITY_DISCOUNT_RATE = 0.10


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


def base_equity(result) -> float:
    """Customer equity (CNY) of a run's customers alive at its end, rounded to 2 decimals.

    ``sum over alive customers i of CLV_{segment(i)}`` with :data:`EQUITY_HORIZON_YEARS` and
    :data:`EQUITY_DISCOUNT_RATE` (see :func:`~simulation.analytics.clv.alive_customer_clv`).
    """
    clv = alive_customer_clv(
        result.orders,
        result.customers,
        as_of_day=result.as_of_day,
        horizon_years=EQUITY_HORIZON_YEARS,
        annual_discount_rate=EQUITY_DISCOUNT_RATE,
    )
    return round(customer_equity(clv), 2)


def scorecard(card: Card, kpis: dict) -> list[dict]:
    """The score as a balanced scorecard: one row per weighted KPI, in the order of the perspectives.

    Each row has ``perspective`` (financial, customer, internal_process, learning_growth),
    ``kpi``, ``value``, ``weight``, ``per`` and ``points = weight * value / per`` (rounded to
    4 decimals); the points add up to :func:`score` up to rounding.
    """
    rows = []
    for w in card.scoring:
        value = kpis.get(w.kpi)
        points = 0.0 if value is None else round(w.weight * float(value) / w.per, 4)
        rows.append(
            {
                "perspective": SCORING_PERSPECTIVES[w.kpi],
                "kpi": w.kpi,
                "value": value,
                "weight": w.weight,
                "per": w.per,
                "points": points,
            }
        )
    order = {p: i for i, p in enumerate(PERSPECTIVES)}
    return sorted(rows, key=lambda row: order[row["perspective"]])


def outcome(card: Card, firm: Firm, round_no: int, spend_cny: float) -> tuple[dict, float, list[dict]]:
    """``(kpis, score, notes)`` of a team's firm at the end of round ``round_no``.

    ``kpis`` is ``Result.summary()`` plus ``lever_spend_cny`` and ``customer_equity_cny``
    (:func:`base_equity`); ``notes`` are bilingual lines
    (``{"en": ..., "zh": ...}``): the round's events, its notable events drawn from the tables
    (:func:`~simulation.roleplay.news.round_news`) and any warning of the model (for example
    an overloaded complaint desk).
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = firm.result()
        kpis = result.summary()
        kpis["customer_equity_cny"] = base_equity(result)
    kpis["lever_spend_cny"] = round(float(spend_cny), 2)
    notes = [{"en": e.en, "zh": e.zh} for e in card.events_at(round_no)]
    notes += round_news(result, firm.now - card.period_days, firm.now + 1e-9)
    notes += [{"en": str(w.message), "zh": f"模型提示：{w.message}"} for w in caught]
    return kpis, score(card, kpis), notes
