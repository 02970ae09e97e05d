"""The parts of a scenario card as frozen dataclasses: levers, roles, events, weights, questions.

Built and validated by :func:`simulation.roleplay.cards.card_from_text`; the checks here are
the ones a decision meets during a game (a lever's range, a role's budget, who owns a lever).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..common.checks import did_you_mean
from ..experiments.design import DEFAULT_KPIS
from ..scenario.parts import Scenario
from .errors import Refused, RoleplayError

__all__ = ["SCORING_KPIS", "SCORING_PERSPECTIVES", "Lever", "Role", "Event", "Weight", "Question", "Card"]

#: Numeric KPIs of ``Result.summary()`` a card may weight, plus the game's own ``lever_spend_cny``
#: and ``customer_equity_cny`` (see :func:`simulation.roleplay.engine.outcome`).
SCORING_KPIS = (*DEFAULT_KPIS, "lever_spend_cny", "customer_equity_cny")

_BY_PERSPECTIVE = {
    "financial": (
        "revenue_cny",
        "gross_margin_cny",
        "cost_to_serve_cny",
        "acquisition_cost_cny",
        "profit_cny",
        "complaint_cost_cny",
        "complaint_compensation_cny",
        "centre_capacity_cost_cny",
        "loyalty_cost_cny",
        "fixed_cost_cny",
        "net_profit_cny",
        "operating_margin",
        "lever_spend_cny",
        "customer_equity_cny",
    ),
    "customer": (
        "customers_active",
        "customers_declining",
        "customers_dormant",
        "customers_left_truth",
        "orders",
        "retention_rate",
        "mean_satisfaction",
        "top20_revenue_share",
        "loyalty_members",
    ),
    "internal_process": (
        "complaints",
        "complaint_service_level",
        "complaint_abandonment_rate",
        "centre_contacts",
        "centre_service_level",
        "centre_abandonment_rate",
        "centre_occupancy_share",
    ),
    "learning_growth": ("customers_acquired",),
}
#: Balanced-scorecard perspective of every KPI a card may weight (the perspectives of
#: :data:`simulation.analytics.kpis.PERSPECTIVES`).
SCORING_PERSPECTIVES = {k: p for p, ks in _BY_PERSPECTIVE.items() for k in ks}


@dataclass(frozen=True)
class Lever:
    """A scenario field a role may set each round, within ``[lo, hi]`` (numbers) or ``choices`` (text)."""

    path: str
    start: object
    lo: float | None = None
    hi: float | None = None
    choices: tuple = ()
    cost_per_unit_cny: float = 0.0
    kind: str = "number"  # number | integer | bool | choice
    unit: str = ""
    en: str = ""
    zh: str = ""

    def check(self, value, where: str = ""):
        """The value converted to the lever's type, or :class:`RoleplayError` naming the rule."""
        name = f"{where}{self.path}"
        if self.kind == "bool":
            if not isinstance(value, bool):
                raise RoleplayError(f"{name} must be true or false; got {value!r}")
            return value
        if self.kind == "choice":
            if value not in self.choices:
                tip = did_you_mean(value, self.choices)
                raise RoleplayError(f"{name} must be one of {', '.join(map(repr, self.choices))}; got {value!r}{tip}")
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise RoleplayError(f"{name} must be a number; got {value!r}")
        if self.kind == "integer":
            if float(value) != int(value):
                raise RoleplayError(f"{name} must be a whole number; got {value!r}")
            value = int(value)
        else:
            value = float(value)
        if not self.lo <= value <= self.hi:
            raise RoleplayError(f"{name} must be in [{self.lo:g}, {self.hi:g}] {self.unit}; got {value:g}".rstrip())
        return value

    def cost(self, value) -> float:
        """Cost of ``value`` in one round: ``max(0, cost_per_unit_cny * (value - start))``."""
        if self.kind == "choice":
            return 0.0
        return max(0.0, self.cost_per_unit_cny * (float(value) - float(self.start)))


@dataclass(frozen=True)
class Role:
    """A department in the game: its name, labels, private information, budget and levers."""

    name: str
    en: str
    zh: str
    private_en: str = ""
    private_zh: str = ""
    budget_cny: float = 0.0
    levers: tuple[Lever, ...] = ()

    def lever(self, path: str) -> Lever:
        for lv in self.levers:
            if lv.path == path:
                return lv
        raise KeyError(path)


@dataclass(frozen=True)
class Event:
    """Scenario changes applied at the start of ``round``, with the news the class reads."""

    round: int
    en: str
    zh: str
    changes: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Weight:
    """A KPI's weight in the score: ``weight * kpi / per`` (a ``None`` KPI counts as 0)."""

    kpi: str
    weight: float
    per: float = 1.0


@dataclass(frozen=True)
class Question:
    """A debrief question."""

    en: str
    zh: str


@dataclass(frozen=True)
class Card:
    """A role-play scenario card (see the module's docstring)."""

    name: str
    title_en: str
    title_zh: str
    briefing_en: str
    briefing_zh: str
    preset: str
    rounds: int
    period_days: float
    warmup_periods: int
    roles: tuple[Role, ...]
    events: tuple[Event, ...]
    scoring: tuple[Weight, ...]
    debrief: tuple[Question, ...]
    scenario: Scenario = field(repr=False, compare=False)
    text: str = field(default="", repr=False, compare=False)

    def role(self, name: str) -> Role:
        """The role ``name`` (a clear error with a suggestion otherwise)."""
        for r in self.roles:
            if r.name == name:
                return r
        names = [r.name for r in self.roles]
        raise RoleplayError(
            f"card {self.name!r} has no role {name!r}{did_you_mean(name, names)} Roles: {', '.join(names)}."
        )

    def owner(self, path: str) -> Role:
        """The role that owns lever ``path``."""
        for r in self.roles:
            if any(lv.path == path for lv in r.levers):
                return r
        raise RoleplayError(f"card {self.name!r} has no lever {path!r}")

    def check_levers(self, role_name: str, values: dict) -> dict:
        """``values`` checked for role ``role_name`` (converted to each lever's type).

        Raises :class:`~simulation.roleplay.errors.Refused` when a lever belongs to another
        role or to no role, or a value is outside its lever's range.
        """
        role = self.role(role_name)
        mine = [lv.path for lv in role.levers]
        checked = {}
        for path, value in values.items():
            if path not in mine:
                if any(path == lv.path for r in self.roles for lv in r.levers):
                    raise Refused(
                        f"{path} belongs to the {self.owner(path).name} role, not {role_name}; nothing was stored"
                    )
                tip = did_you_mean(path, mine, cutoff=0.5)
                raise Refused(f"{role_name} has no lever {path!r}{tip} Levers: {', '.join(mine)}; nothing was stored")
            try:
                checked[path] = role.lever(path).check(value)
            except RoleplayError as exc:
                raise Refused(f"{exc}; nothing was stored") from None
        return checked

    def check_budget(self, role_name: str, settings: dict) -> float:
        """The cost of a role's ``settings`` for one round, or :class:`Refused` if over its budget."""
        role = self.role(role_name)
        cost = sum(lv.cost(settings.get(lv.path, lv.start)) for lv in role.levers)
        if cost > role.budget_cny + 1e-9:
            raise Refused(
                f"these settings cost {cost:,.0f} CNY this round, over the {role_name} budget of "
                f"{role.budget_cny:,.0f} CNY; nothing was stored"
            )
        return cost

    def start_values(self) -> dict:
        """Every lever's value when the game begins."""
        return {lv.path: lv.start for r in self.roles for lv in r.levers}

    def events_at(self, round_no: int) -> list[Event]:
        return [e for e in self.events if e.round == round_no]
