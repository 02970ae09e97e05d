"""The customer's-eye role-play's data: the journey, the record fields, the role cards and the
customers' cards, read from TOML (``simulation/roleplay/journey/*.toml``) and validated.

A game file has ``name``, ``title_en``, ``title_zh`` and four lists of tables:

- ``[[facts]]``: the fields a customer record can hold (``key``, ``en``, ``zh`` and ``schema``,
  the ``table.column`` of the workbench's customer database that holds the same fact, or ``""``);
- ``[[steps]]``: the purchase journey in order (``key``, ``en``, ``zh`` and the ``department`` that
  serves the customer at that step);
- ``[[roles]]``: the five departments and the two customers, each with a bilingual card
  (goal, what it knows, what it is measured on);
- ``[[customers]]``: one per customer role, with prices (``list_price_cny``, ``budget_cny``,
  ``competitor_price_cny``), ``deadline_days``, what the customer ``wants`` (a promise kind or
  ``""``), the facts the customer can tell and one question per step with the facts a department
  must see on its record to answer it well.

Every mistake is reported with the table, the key and a fix; unknown keys get a hint.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources

from ..common.checks import did_you_mean
from ..database.schema import TABLES
from .errors import RoleplayError

__all__ = [
    "DEPARTMENTS",
    "CUSTOMERS",
    "ROLES",
    "PROMISES",
    "Fact",
    "Step",
    "Role",
    "Question",
    "Customer",
    "Game",
    "game",
    "game_from_text",
    "games",
    "schema_comparison",
]

#: The five departments, in the order the course names them.
DEPARTMENTS = ("marketing", "sales", "repair", "delivery", "finance")
#: The two customers of a group.
CUSTOMERS = ("customer_a", "customer_b")
#: Every role of a group of seven.
ROLES = DEPARTMENTS + CUSTOMERS
#: Promises a department can make, and the department each one binds.
PROMISES = {"express_delivery": "delivery", "free_installation": "repair", "instalments": "finance"}


@dataclass(frozen=True)
class Fact:
    """A field of the customer record."""

    key: str
    en: str
    zh: str
    schema: str  # "table.column" of the customer database, or "" when the database has none


@dataclass(frozen=True)
class Step:
    """A step of the purchase journey and the department that serves it."""

    key: str
    en: str
    zh: str
    department: str


@dataclass(frozen=True)
class Role:
    """A player's bilingual role card."""

    key: str
    kind: str  # "department" or "customer"
    en: str
    zh: str
    goal_en: str
    goal_zh: str
    knows_en: str
    knows_zh: str
    measured_en: str
    measured_zh: str


@dataclass(frozen=True)
class Question:
    """What a customer asks at a step, and the facts needed on the record to answer it well."""

    step: str
    en: str
    zh: str
    needs: tuple[str, ...]


@dataclass(frozen=True)
class Customer:
    """A customer's card: what they buy, their money and time limits, their facts and questions."""

    role: str
    product_en: str
    product_zh: str
    list_price_cny: float
    budget_cny: float
    competitor_price_cny: float
    deadline_days: int
    wants: str
    facts: dict  # fact key -> {"en": ..., "zh": ...}
    questions: dict  # step key -> Question


@dataclass(frozen=True)
class Game:
    """A whole game file (see the module's docstring)."""

    name: str
    title_en: str
    title_zh: str
    facts: dict  # key -> Fact, in the file's order
    steps: tuple[Step, ...]
    roles: dict  # key -> Role
    customers: dict  # role key -> Customer
    text: str

    def step_index(self, key: str) -> int:
        """The position of step ``key`` in the journey."""
        for i, s in enumerate(self.steps):
            if s.key == key:
                return i
        raise RoleplayError(f"unknown step {key!r}{did_you_mean(key, [s.key for s in self.steps])}")


def _keys(data, where: str, required: tuple, optional: tuple = ()) -> dict:
    if not isinstance(data, dict):
        raise RoleplayError(f"{where} must be a table; got {type(data).__name__}")
    for k in data:
        if k not in required + optional:
            hint = did_you_mean(k, required + optional)
            raise RoleplayError(f"{where} has no key {k!r}{hint} Keys: {', '.join(required + optional)}.")
    for k in required:
        if k not in data:
            raise RoleplayError(f"{where} is missing key {k!r}; add it")
    return data


def _text(data: dict, key: str, where: str, *, empty: bool = False) -> str:
    v = data[key]
    if not isinstance(v, str) or (not empty and not v.strip()):
        raise RoleplayError(f"{where}.{key} must be a non-empty text; got {v!r}")
    return v.strip()


def _number(data: dict, key: str, where: str, lo: float, hi: float) -> float:
    v = data[key]
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not lo <= v <= hi:
        raise RoleplayError(f"{where}.{key} must be a number in [{lo:g}, {hi:g}]; got {v!r}")
    return v


def _columns() -> set[str]:
    return {f"{t.name}.{c}" for t in TABLES for c in t.col_names}


def _fact(d, i: int) -> Fact:
    w = f"facts[{i}]"
    _keys(d, w, ("key", "en", "zh", "schema"))
    f = Fact(*(_text(d, k, w, empty=k == "schema") for k in ("key", "en", "zh", "schema")))
    if f.schema and f.schema not in _columns():
        raise RoleplayError(
            f"{w}.schema {f.schema!r} is not a column of the customer database{did_you_mean(f.schema, _columns())}"
            ' (see `python -m simulation db-schema`; use "" for a fact the database does not hold)'
        )
    return f


def _customer(d, i: int, facts: dict, steps: tuple) -> Customer:
    w = f"customers[{i}]"
    _keys(
        d,
        w,
        ("role", "product_en", "product_zh", "list_price_cny", "budget_cny", "competitor_price_cny")
        + ("deadline_days", "wants", "facts", "questions"),
    )
    role = _text(d, "role", w)
    if role not in CUSTOMERS:
        raise RoleplayError(f"{w}.role must be one of {', '.join(CUSTOMERS)}; got {role!r}")
    wants = _text(d, "wants", w, empty=True)
    if wants and wants not in PROMISES:
        raise RoleplayError(f'{w}.wants must be "" or one of {", ".join(PROMISES)}; got {wants!r}')
    told = _keys(d["facts"], f"{w}.facts", (), tuple(k for k in facts if k != "promises"))
    for k in facts:
        if k != "promises" and k not in told:
            raise RoleplayError(f"{w}.facts is missing {k!r}; every customer must be able to tell every fact")
    values = {}
    for k, v in told.items():
        _keys(v, f"{w}.facts.{k}", ("en", "zh"))
        values[k] = {"en": _text(v, "en", f"{w}.facts.{k}"), "zh": _text(v, "zh", f"{w}.facts.{k}")}
    questions = {}
    if not isinstance(d["questions"], list):
        raise RoleplayError(f"{w}.questions must be a list of tables ([[customers.questions]])")
    for j, q in enumerate(d["questions"]):
        wq = f"{w}.questions[{j}]"
        _keys(q, wq, ("step", "en", "zh", "needs"))
        step = _text(q, "step", wq)
        if step not in [s.key for s in steps]:
            raise RoleplayError(f"{wq}.step: unknown step {step!r}{did_you_mean(step, [s.key for s in steps])}")
        needs = q["needs"]
        if not isinstance(needs, list) or any(n not in facts for n in needs):
            bad = [n for n in needs if n not in facts] if isinstance(needs, list) else needs
            raise RoleplayError(f"{wq}.needs must list facts of the game; unknown: {bad!r}")
        questions[step] = Question(step, _text(q, "en", wq), _text(q, "zh", wq), tuple(needs))
    missing = [s.key for s in steps if s.key not in questions]
    if missing:
        raise RoleplayError(f"{w}.questions has no question for step(s) {', '.join(missing)}; add one per step")
    return Customer(
        role,
        _text(d, "product_en", w),
        _text(d, "product_zh", w),
        _number(d, "list_price_cny", w, 1, 1e7),
        _number(d, "budget_cny", w, 1, 1e7),
        _number(d, "competitor_price_cny", w, 1, 1e7),
        int(_number(d, "deadline_days", w, 1, 365)),
        wants,
        values,
        questions,
    )


def game_from_text(text: str, what: str = "game file") -> Game:
    """A :class:`Game` from the text of a game file; :class:`RoleplayError` naming what is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RoleplayError(f"{what} is not valid TOML: {exc}") from None
    try:
        _keys(data, what, ("name", "title_en", "title_zh", "facts", "steps", "roles", "customers"))
        facts = {f.key: f for f in (_fact(d, i) for i, d in enumerate(data["facts"]))}
        if "promises" not in facts:
            raise RoleplayError("facts must include 'promises' (what the firm promised the customer)")
        steps = []
        for i, d in enumerate(data["steps"]):
            w = f"steps[{i}]"
            _keys(d, w, ("key", "en", "zh", "department"))
            s = Step(*(_text(d, k, w) for k in ("key", "en", "zh", "department")))
            if s.department not in DEPARTMENTS:
                raise RoleplayError(f"{w}.department must be one of {', '.join(DEPARTMENTS)}; got {s.department!r}")
            steps.append(s)
        keys = [s.key for s in steps]
        for needed in ("order", "deliver", "try", "pay"):
            if needed not in keys:
                raise RoleplayError(f"steps must include {needed!r}: the rules fulfil orders and promises there")
        roles = {}
        for i, d in enumerate(data["roles"]):
            w = f"roles[{i}]"
            fields = ("key", "kind", "en", "zh", "goal_en", "goal_zh", "knows_en", "knows_zh")
            fields += ("measured_en", "measured_zh")
            _keys(d, w, fields)
            r = Role(*(_text(d, k, w) for k in fields))
            if r.key not in ROLES:
                raise RoleplayError(f"{w}.key must be one of {', '.join(ROLES)}{did_you_mean(r.key, ROLES)}")
            if r.kind != ("customer" if r.key in CUSTOMERS else "department"):
                raise RoleplayError(f"{w}.kind of {r.key} must be {'customer' if r.key in CUSTOMERS else 'department'}")
            roles[r.key] = r
        missing = [r for r in ROLES if r not in roles]
        if missing:
            raise RoleplayError(f"roles has no card for {', '.join(missing)}; every role needs one")
        customers = {c.role: c for c in (_customer(d, i, facts, tuple(steps)) for i, d in enumerate(data["customers"]))}
        if set(customers) != set(CUSTOMERS):
            raise RoleplayError(f"customers must hold one card for each of {', '.join(CUSTOMERS)}")
    except RoleplayError as exc:
        raise RoleplayError(f"{what}: {exc}") from None
    except (TypeError, KeyError, AttributeError) as exc:
        raise RoleplayError(f"{what}: a value has the wrong shape ({exc!r}); compare with evergreen.toml") from None
    return Game(
        _text(data, "name", what),
        _text(data, "title_en", what),
        _text(data, "title_zh", what),
        facts,
        tuple(steps),
        roles,
        customers,
        text,
    )


def games() -> list[str]:
    """The names of the game files shipped with the workbench."""
    folder = resources.files("simulation.roleplay") / "journey"
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


def game(name: str = "evergreen") -> Game:
    """A shipped game file by name (see :func:`games`)."""
    if name not in games():
        raise RoleplayError(f"unknown journey game {name!r}{did_you_mean(name, games())} Games: {', '.join(games())}.")
    path = resources.files("simulation.roleplay") / "journey" / f"{name}.toml"
    return game_from_text(path.read_text(encoding="utf-8"), f"journey/{name}.toml")


def schema_comparison(g: Game, agreed, declared: dict) -> list[dict]:
    """Step 1's record set against the workbench's customer database, one row per record field.

    Parameters
    ----------
    g : Game
    agreed : list of str
        The fields the group agreed on.
    declared : dict
        ``{department: {"holds": [...], "needs": [...]}}`` as the departments declared them.

    Returns
    -------
    list of dict
        ``key, en, zh, agreed, held_by, needed_by, schema`` (the database column, ``""`` when the
        database has no column for the field: what the group's record adds to the database).
    """
    rows = []
    for k, f in g.facts.items():
        rows.append(
            {
                "key": k,
                "en": f.en,
                "zh": f.zh,
                "agreed": k in agreed,
                "held_by": [d for d in DEPARTMENTS if k in declared.get(d, {}).get("holds", [])],
                "needed_by": [d for d in DEPARTMENTS if k in declared.get(d, {}).get("needs", [])],
                "schema": f.schema,
            }
        )
    return rows
