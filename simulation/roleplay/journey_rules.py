"""The rules of the customer's-eye role-play, as pure functions: a round is rebuilt by replaying
its actions in the order they were stored.

A group plays two rounds of the same journey with the same two customers. In round 1 every
department sees only what it recorded itself; in round 2 the fields of the shared record the
group agreed in step 1 ("launching the CRM") are seen by every department as soon as any
department has recorded them.

Who acts when
    Each customer is either waiting to walk to the next step (the customer acts: ``arrive`` or
    ``leave`` for the competitor) or being served at a step by one department (the department
    that owns the step, or the one it was handed to), which acts until it says ``done``.

Department actions on the customer in front of it
    ``ask`` a fact (the customer tells it; it goes on this department's record);
    ``answer`` the step's question; ``promise`` one of :data:`PROMISES`; ``discount`` a percentage
    of the list price; ``handover`` to another department; ``done`` (the customer walks on).

What is counted, and the satisfaction points (a customer starts at :data:`START` and ends
clamped to 0-100)
    - a repeated question (asking a fact the customer already told anyone): :data:`REPEAT`;
    - an answer with every needed fact on the department's record: :data:`GOOD_ANSWER`, without
      them: :data:`POOR_ANSWER`; a step finished without an answer: :data:`UNANSWERED`;
    - a promise made: :data:`PROMISED`; kept: :data:`KEPT`; broken: :data:`BROKEN`. A promise binds
      the department named in :data:`PROMISES`; it is kept when that department, finishing the
      step where it is due, can see it (it made it, or ``promises`` is on its record, or shared)
      and broken otherwise. Express delivery is due at ``deliver``, free installation at
      ``try``, instalments at ``pay``;
    - delivery after the customer's deadline (standard delivery takes :data:`STANDARD_DAYS`,
      express :data:`EXPRESS_DAYS`): :data:`LATE`;
    - installation right first time (``site`` seen by the installer): :data:`FIRST_FIX`; a second
      visit otherwise: :data:`SECOND_VISIT` and :data:`SECOND_VISIT_MIN` more minutes of waiting;
    - a discount: :data:`PER_5_PCT` per 5 % given; an order above the budget: :data:`OVER_BUDGET`;
    - a hand-over: :data:`HANDOVER` and :data:`HANDOVER_MIN` minutes of waiting; each question
      asked :data:`ASK_MIN` minutes; every 10 minutes of waiting costs one point.

Intent to buy again (%) = clamp(2 × (satisfaction − 40), 0, 100): 40 points or fewer, never;
90 or more, certainly.

The computer covers roles nobody plays (policy, documented so the class can see it): a
department asks every fact the step's question needs that it cannot see, answers, and
finishes the step; it never promises, discounts or hands over. A customer walks on at every
step, and at ``order`` walks away to the competitor when the price is above the budget or
satisfaction is below 40.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import Refused
from .journey_data import CUSTOMERS, DEPARTMENTS, PROMISES, ROLES, Game

__all__ = [
    "Journey",
    "Play",
    "play",
    "check_action",
    "summary",
    "intent_pct",
    "ACTIONS",
    "START",
    "STANDARD_DAYS",
    "EXPRESS_DAYS",
]

START = 60
REPEAT, GOOD_ANSWER, POOR_ANSWER, UNANSWERED = -5, 2, -6, -8
PROMISED, KEPT, BROKEN = 2, 3, -15
LATE, FIRST_FIX, SECOND_VISIT, SECOND_VISIT_MIN = -10, 5, -8, 60
PER_5_PCT, OVER_BUDGET, HANDOVER, HANDOVER_MIN, ASK_MIN = 1, -10, -2, 10, 2
STANDARD_DAYS, EXPRESS_DAYS = 5, 2
MAX_DISCOUNT_PCT = 30
DUE = {"express_delivery": "deliver", "free_installation": "try", "instalments": "pay"}
#: Actions by kind of role (step 1's ``declare`` and ``agree`` are the departments').
ACTIONS = {
    "department": ("ask", "answer", "promise", "discount", "handover", "done", "declare", "agree"),
    "customer": ("arrive", "leave"),
}


@dataclass
class Journey:
    """One customer's walk through one round."""

    customer: str
    step: int = -1  # index of the current step; -1 before the advert
    phase: str = "arrive"  # arrive (customer to act), serve (a department), bought, left
    at: str = ""  # the department serving now
    told: set = field(default_factory=set)
    records: dict = field(default_factory=lambda: {d: set() for d in DEPARTMENTS})
    answered: bool = False
    promises: list = field(default_factory=list)  # {"kind", "by"}
    discount_pct: float = 0.0
    ordered_price_cny: float | None = None
    delivery_days: int | None = None
    points: list = field(default_factory=list)  # (reason, points)
    counts: dict = field(
        default_factory=lambda: dict.fromkeys(
            (
                "repeated_questions",
                "good_answers",
                "poor_answers",
                "unanswered",
                "promises_made",
                "promises_kept",
                "promises_broken",
                "late_deliveries",
                "first_time_fixes",
                "second_visits",
                "handovers",
                "wait_min",
            ),
            0,
        )
    )

    def add(self, reason: str, pts: int) -> None:
        self.points.append((reason, pts))

    @property
    def satisfaction(self) -> int:
        raw = START + sum(p for _, p in self.points) - self.counts["wait_min"] // 10
        return max(0, min(100, raw))


@dataclass
class Play:
    """A round rebuilt from its actions: the two journeys, step 1's declarations and agreement."""

    game: Game
    round_no: int
    shared: frozenset  # record fields every department sees (round 2)
    seated: frozenset
    journeys: dict
    declared: dict = field(default_factory=dict)  # department -> {"holds": [...], "needs": [...]}
    agreed: list | None = None  # fields agreed in step 1 (the last agreement)
    log: list = field(default_factory=list)  # (role, values, who) of every action applied
    ignored: list = field(default_factory=list)  # (role, values, reason) stored but not applicable

    def visible(self, j: Journey, dept: str) -> set:
        """The facts ``dept`` sees about ``j``'s customer: its own record and the shared fields."""
        known = set().union(*j.records.values())
        return set(j.records[dept]) | (set(self.shared) & known)

    def sees_promises(self, j: Journey, dept: str) -> bool:
        return "promises" in self.visible(j, dept)

    def actor(self, j: Journey) -> str | None:
        """Whose turn it is for ``j``'s customer (None when the journey is over)."""
        if j.phase == "arrive":
            return j.customer
        return j.at if j.phase == "serve" else None

    def price(self, j: Journey) -> float:
        c = self.game.customers[j.customer]
        return round(c.list_price_cny * (1 - j.discount_pct / 100), 2)


def _fail(message: str):
    raise Refused(message + "; nothing was stored")


def check_action(p: Play, role: str, values: dict) -> None:
    """Refuse (:class:`Refused`, with a message naming the problem) an action ``role`` may not
    take now; return None when the action applies to the current state."""
    if role not in ROLES:
        _fail(f"unknown role {role!r}")
    kind = "customer" if role in CUSTOMERS else "department"
    do = values.get("do") if isinstance(values, dict) else None
    if do not in ACTIONS[kind]:
        _fail(f"a {kind} can {', '.join(ACTIONS[kind])}; got {do!r}")
    g = p.game
    if do == "declare":
        for k in ("holds", "needs"):
            bad = [f for f in values.get(k, []) if f not in g.facts]
            if not isinstance(values.get(k, []), list) or bad:
                _fail(f"{k} must list record fields ({', '.join(g.facts)}); unknown: {bad}")
        return
    if do == "agree":
        fields = values.get("fields")
        if not isinstance(fields, list) or not fields or any(f not in g.facts for f in fields):
            _fail(f"agree on at least one record field of: {', '.join(g.facts)}; got {fields!r}")
        if p.round_no != 1:
            _fail("the shared record is agreed in round 1 (step 1, launching the CRM)")
        return
    if kind == "customer":
        j = p.journeys[role]
        if j.phase != "arrive":
            _fail(f"{role} cannot walk on now: the customer is {_where(p, j)}")
        if do == "arrive" and j.step + 1 >= len(g.steps):
            _fail("the journey is over")
        return
    cust = values.get("customer")
    if cust not in CUSTOMERS:
        _fail(f"name the customer ({', '.join(CUSTOMERS)}); got {cust!r}")
    j = p.journeys[cust]
    if j.phase != "serve" or j.at != role:
        _fail(f"{cust} is not in front of {role}: the customer is {_where(p, j)}")
    if do == "ask" and values.get("fact") not in g.facts:
        _fail(f"ask for one of {', '.join(g.facts)}; got {values.get('fact')!r}")
    if do == "answer" and j.answered:
        _fail("the question of this step is answered already")
    if do == "promise":
        if values.get("kind") not in PROMISES:
            _fail(f"a promise is one of {', '.join(PROMISES)}; got {values.get('kind')!r}")
        if j.step >= g.step_index(DUE[values["kind"]]):
            _fail(f"too late to promise {values['kind']}: it is due at {DUE[values['kind']]}")
    if do == "discount":
        pct = values.get("pct")
        if isinstance(pct, bool) or not isinstance(pct, (int, float)) or not 0 < pct <= MAX_DISCOUNT_PCT:
            _fail(f"a discount is a percentage in (0, {MAX_DISCOUNT_PCT}]; got {pct!r}")
        if j.discount_pct + pct > MAX_DISCOUNT_PCT:
            _fail(f"discounts add up to at most {MAX_DISCOUNT_PCT} %; {j.discount_pct:g} % given already")
        if j.ordered_price_cny is not None:
            _fail("the order is placed; the price cannot change any more")
    if do == "handover" and (values.get("to") not in DEPARTMENTS or values.get("to") == role):
        _fail(f"hand over to another department ({', '.join(d for d in DEPARTMENTS if d != role)})")


def _where(p: Play, j: Journey) -> str:
    g = p.game
    if j.phase == "arrive":
        nxt = g.steps[j.step + 1].key if j.step + 1 < len(g.steps) else "the end"
        return f"walking to {nxt}"
    if j.phase == "serve":
        return f"at {g.steps[j.step].key} with {j.at}"
    return j.phase


def _apply(p: Play, role: str, v: dict) -> None:
    g = p.game
    do = v["do"]
    if do == "declare":
        p.declared[role] = {"holds": list(v.get("holds", [])), "needs": list(v.get("needs", []))}
        return
    if do == "agree":
        p.agreed = list(dict.fromkeys(v["fields"]))
        return
    if role in CUSTOMERS:
        j, c = p.journeys[role], g.customers[role]
        if do == "leave":
            j.phase = "left"
            return
        j.step += 1
        j.phase, j.at, j.answered = "serve", g.steps[j.step].department, False
        if g.steps[j.step].key == "order":
            j.ordered_price_cny = p.price(j)
            if j.ordered_price_cny > c.budget_cny:
                j.add("ordered above the budget", OVER_BUDGET)
        return
    j = p.journeys[v["customer"]]
    c, step = g.customers[j.customer], g.steps[j.step]
    n = j.counts
    if do == "ask":
        fact = v["fact"]
        if fact in j.told or (fact == "promises" and j.promises):
            n["repeated_questions"] += 1
            j.add(f"asked again: {fact}", REPEAT)
        j.told.add(fact)
        j.records[role].add(fact)
        n["wait_min"] += ASK_MIN
    elif do == "answer":
        j.answered = True
        if set(c.questions[step.key].needs) <= p.visible(j, role):
            n["good_answers"] += 1
            j.add(f"good answer at {step.key}", GOOD_ANSWER)
        else:
            n["poor_answers"] += 1
            j.add(f"answer without the facts at {step.key}", POOR_ANSWER)
    elif do == "promise":
        j.promises.append({"kind": v["kind"], "by": role})
        j.records[role].add("promises")
        j.told.add("promises")
        n["promises_made"] += 1
        j.add(f"promised {v['kind']}", PROMISED)
    elif do == "discount":
        before = int(j.discount_pct // 5)
        j.discount_pct += v["pct"]
        j.add(f"discount {v['pct']:g} %", PER_5_PCT * (int(j.discount_pct // 5) - before))
    elif do == "handover":
        j.at = v["to"]
        n["handovers"] += 1
        n["wait_min"] += HANDOVER_MIN
        j.add(f"handed over to {v['to']}", HANDOVER)
    elif do == "done":
        _finish_step(p, j, role)


def _finish_step(p: Play, j: Journey, dept: str) -> None:
    g, c, n = p.game, p.game.customers[j.customer], j.counts
    key = g.steps[j.step].key
    if not j.answered:
        n["unanswered"] += 1
        j.add(f"question not answered at {key}", UNANSWERED)
    for pr in j.promises:
        if DUE[pr["kind"]] == key:
            kept = pr["by"] == dept or p.sees_promises(j, dept)
            n["promises_kept" if kept else "promises_broken"] += 1
            j.add(f"{pr['kind']} {'kept' if kept else 'broken'}", KEPT if kept else BROKEN)
    if key == "deliver":
        express = any(pr["kind"] == "express_delivery" for pr in j.promises) and (
            p.sees_promises(j, dept) or any(pr["by"] == dept for pr in j.promises)
        )
        j.delivery_days = EXPRESS_DAYS if express else STANDARD_DAYS
        if j.delivery_days > c.deadline_days:
            n["late_deliveries"] += 1
            j.add("delivered after the deadline", LATE)
    if key == "try":
        if "site" in p.visible(j, dept):
            n["first_time_fixes"] += 1
            j.add("installed right first time", FIRST_FIX)
        else:
            n["second_visits"] += 1
            n["wait_min"] += SECOND_VISIT_MIN
            j.add("second visit to install", SECOND_VISIT)
    if j.step + 1 >= len(g.steps):
        j.phase = "bought"
    else:
        j.phase, j.at = "arrive", ""


def _computer(p: Play, role: str, j: Journey) -> dict:
    """The computer's action for an unseated ``role`` whose turn it is (see the module's docstring)."""
    g = p.game
    if role in CUSTOMERS:
        c = g.customers[role]
        nxt = g.steps[j.step + 1].key
        if nxt == "order" and (p.price(j) > c.budget_cny or j.satisfaction < 40):
            return {"do": "leave"}
        return {"do": "arrive"}
    if not j.answered:
        for fact in g.customers[j.customer].questions[g.steps[j.step].key].needs:
            if fact not in p.visible(j, role):
                return {"do": "ask", "customer": j.customer, "fact": fact}
        return {"do": "answer", "customer": j.customer}
    return {"do": "done", "customer": j.customer}


def _run_computer(p: Play) -> None:
    for _ in range(1000):  # every computer action moves a journey on; bounded all the same
        moved = False
        for j in p.journeys.values():
            who = p.actor(j)
            if who is not None and who not in p.seated:
                v = _computer(p, who, j)
                _apply(p, who, v)
                p.log.append((who, v, "computer"))
                moved = True
        if not moved:
            return


def play(game: Game, actions, *, round_no: int = 1, shared=(), seated=ROLES) -> Play:
    """Replay ``actions`` — ``(role, values)`` pairs in the order stored — into a :class:`Play`.

    Parameters
    ----------
    game : Game
        The game file.
    actions : iterable of (str, dict)
        The players' actions of this round (and of step 1 in round 1).
    round_no : int
        1 (siloed records) or 2 (the shared record).
    shared : iterable of str
        The record fields every department sees (used in round 2; ignored in round 1).
    seated : iterable of str
        The roles played by people; the computer plays the others.

    An action that does not apply to the state it meets (two players clicked at once) is kept
    in ``Play.ignored`` with the reason and changes nothing.
    """
    p = Play(
        game,
        round_no,
        frozenset(shared) if round_no == 2 else frozenset(),
        frozenset(seated),
        {c: Journey(c) for c in CUSTOMERS},
    )
    _run_computer(p)
    for role, values in actions:
        try:
            check_action(p, role, values)
        except Refused as exc:
            p.ignored.append((role, values, str(exc)))
            continue
        _apply(p, role, values)
        p.log.append((role, values, "player"))
        _run_computer(p)
    return p


def intent_pct(satisfaction: float) -> int:
    """Intent to buy again in percent: ``clamp(2 × (satisfaction − 40), 0, 100)``.

    >>> intent_pct(70), intent_pct(35), intent_pct(95)
    (60, 0, 100)
    """
    return int(max(0, min(100, 2 * (satisfaction - 40))))


def summary(p: Play) -> dict:
    """The round's numbers: totals over both customers and one block per customer."""
    per = {}
    for c, j in p.journeys.items():
        cust = p.game.customers[c]
        bought = j.phase == "bought"
        per[c] = {
            **j.counts,
            "satisfaction": j.satisfaction,
            "intent_pct": intent_pct(j.satisfaction),
            "bought": bought,
            "finished": j.phase in ("bought", "left"),
            "discount_cny": round(cust.list_price_cny * j.discount_pct / 100, 2) if bought else 0.0,
            "delivery_days": j.delivery_days,
            "points": [list(x) for x in j.points],
        }
    keys = list(Journey("x").counts)
    total = {k: sum(per[c][k] for c in per) for k in keys}
    total["discount_cny"] = round(sum(per[c]["discount_cny"] for c in per), 2)
    total["orders"] = sum(per[c]["bought"] for c in per)
    total["satisfaction"] = round(sum(per[c]["satisfaction"] for c in per) / len(per), 1)
    total["intent_pct"] = round(sum(per[c]["intent_pct"] for c in per) / len(per), 1)
    total["finished"] = all(per[c]["finished"] for c in per)
    return {"round": p.round_no, "shared": sorted(p.shared), "total": total, "customers": per}
