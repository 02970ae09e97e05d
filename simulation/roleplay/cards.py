"""Scenario cards: the data of a class game, in TOML, validated like scenarios.

A card names a preset of the firm, the roles of the game (the firm's departments), the levers
each role owns (dotted scenario fields that :meth:`Firm.set <simulation.model.firm.Firm.set>`
may change while the firm runs) with a range and a cost, each role's budget per round, the
number of rounds and their length, scheduled events (scenario changes applied at the start of
a round), the scoring weights over the KPIs of :meth:`Result.summary
<simulation.model.result.Result.summary>` and the debrief questions. Every text a student
reads is given in Chinese (``zh``) and English (``en``).

The cards shipped with the package live in ``simulation/roleplay/cards/*.toml``; a teacher's
own card is loaded with :func:`load_card`. Unknown keys are rejected with the closest valid
name; every message names the card, the place and the rule.

Cost of a lever setting, per round (money the simulation does not already charge, such as a
quality programme or extra staff; costs the model already books, like a discount or the
desk's hourly cost, are given ``cost_per_unit_cny = 0``)::

    cost = max(0, cost_per_unit_cny * (value - start))

where ``start`` is the lever's value when the game begins. A negative ``cost_per_unit_cny``
makes lowering the value cost money (for example lowering a failure rate). A role's settings
may cost at most its ``budget_cny`` in each round.
"""

from __future__ import annotations

import dataclasses
import math
import re
import tomllib
from importlib import resources
from pathlib import Path

from ..common.checks import did_you_mean
from ..scenario.fields import ScenarioError, field_rows
from ..scenario.offer import offered_levers, switched_off_parts
from ..scenario.parts import Scenario
from ..scenario.presets import preset, presets, scale_customers, with_changes
from .errors import RoleplayError
from .parts import SCORING_KPIS, Card, Event, Lever, Question, Role, Weight

__all__ = [
    "SCORING_KPIS",
    "Lever",
    "Role",
    "Event",
    "Weight",
    "Question",
    "Card",
    "cards",
    "card",
    "load_card",
    "card_from_text",
]

_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")


# ---------------------------------------------------------------------------- loading
def _take(data, where: str, required: tuple, optional: dict) -> dict:
    """The keys of table ``data``: every required one present, unknown ones refused with a hint."""
    if not isinstance(data, dict):
        raise RoleplayError(f"{where} must be a table; got {data!r}")
    names = list(required) + list(optional)
    for key in data:
        if key not in names:
            tip = did_you_mean(key, names, cutoff=0.5) or f". Valid keys: {', '.join(names)}."
            raise RoleplayError(f"{where} has no key {key!r}{tip}")
    for key in required:
        if key not in data:
            raise RoleplayError(f"{where} needs the key {key!r}")
    return {**optional, **data}


def _text(value, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RoleplayError(f"{where} must be a non-empty text; got {value!r}")
    return value.strip()


def _number(value, where: str, *, lo=None, integer=False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise RoleplayError(f"{where} must be a number; got {value!r}")
    if integer and float(value) != int(value):
        raise RoleplayError(f"{where} must be a whole number; got {value!r}")
    if lo is not None and value < lo:
        raise RoleplayError(f"{where} must be >= {lo}; got {value!r}")
    return int(value) if integer else float(value)


def _bilingual(data, where: str) -> tuple[str, str]:
    d = _take(data, where, ("en", "zh"), {})
    return _text(d["en"], f"{where}.en"), _text(d["zh"], f"{where}.zh")


def _base_scenario(data, where: str, horizon: float, period: float) -> tuple[str, Scenario]:
    d = _take(data, where, ("preset",), {"customers_per_year": None, "changes": {}})
    name = d["preset"]
    if name not in presets():
        raise RoleplayError(
            f"{where}.preset: unknown preset {name!r}{did_you_mean(name, presets())} Presets: {', '.join(presets())}."
        )
    try:
        sc = dataclasses.replace(preset(name), horizon_days=horizon, period_days=period)
        if d["customers_per_year"] is not None:
            per_year = _number(d["customers_per_year"], f"{where}.customers_per_year", lo=1)
            sc = scale_customers(sc, max(1, round(per_year * horizon / 365.0)))
        if not isinstance(d["changes"], dict):
            raise RoleplayError(f'{where}.changes must be a table of "dotted.field" = value; got {d["changes"]!r}')
        sc = with_changes(sc, d["changes"])
    except ScenarioError as exc:
        raise RoleplayError(f"{where}: {exc}") from None
    return name, sc


def _off_part(path: str, off: list[str]) -> str | None:
    """The switched-off part (``"loyalty"``) that ``path`` lies in, if any."""
    return next((p for p in off if path.startswith(p + ".")), None)


def _lever(path: str, data, where: str, rows: dict, off: list[str]) -> Lever:
    if path not in rows:
        tip = did_you_mean(path, [p for p, r in rows.items() if r["lever"]], cutoff=0.5)
        raise RoleplayError(f"{where}: the scenario has no field {path!r}{tip}")
    row = rows[path]
    if not row["lever"]:
        raise RoleplayError(f"{where}: {path!r} cannot change while the firm runs, so it cannot be a lever")
    part = _off_part(path, off)
    if part is not None:
        raise RoleplayError(
            f"{where}: {path!r} belongs to {part!r}, which is switched off in this scenario "
            f"({part}.enabled = false), so it cannot be a lever; switch it on in the card's "
            f'scenario changes ("{part}.enabled" = true) or choose another lever'
        )
    d = _take(data, where, (), {"lo": None, "hi": None, "choices": None, "cost_per_unit_cny": 0.0})
    start = row["value"]
    common = dict(path=path, start=start, unit=row["unit"], en=row["en"], zh=row["zh"])
    cost = _number(d["cost_per_unit_cny"], f"{where}.cost_per_unit_cny")
    if isinstance(start, bool):
        if d["lo"] is not None or d["hi"] is not None or d["choices"] is not None:
            raise RoleplayError(f"{where}: {path!r} is true/false; give no lo, hi or choices")
        return Lever(kind="bool", cost_per_unit_cny=cost, **common)
    if isinstance(start, str):
        allowed = tuple(row["choices"] or ())
        choices = tuple(d["choices"] or allowed)
        for c in choices:
            if c not in allowed:
                raise RoleplayError(
                    f"{where}.choices: {c!r} is not one of {', '.join(map(repr, allowed))}{did_you_mean(c, allowed)}"
                )
        if start not in choices:
            raise RoleplayError(f"{where}.choices must include the starting value {start!r}")
        return Lever(kind="choice", choices=choices, **common)
    if d["lo"] is None or d["hi"] is None:
        raise RoleplayError(f"{where} needs lo and hi (the scenario allows [{row['lo']}, {row['hi']}])")
    lo, hi = _number(d["lo"], f"{where}.lo"), _number(d["hi"], f"{where}.hi")
    if not (row["lo"] is None or lo >= row["lo"]) or not (row["hi"] is None or hi <= row["hi"]) or lo > hi:
        raise RoleplayError(
            f"{where}: range [{lo:g}, {hi:g}] must lie inside the scenario's [{row['lo']}, {row['hi']}] with lo <= hi"
        )
    if not lo <= start <= hi:
        raise RoleplayError(f"{where}: range [{lo:g}, {hi:g}] must include the starting value {start:g}")
    kind = "integer" if isinstance(start, int) else "number"
    return Lever(kind=kind, lo=lo, hi=hi, cost_per_unit_cny=cost, **common)


def _role(name: str, data, where: str, rows: dict, off: list[str]) -> Role:
    if not _NAME.match(name):
        raise RoleplayError(f"{where}: a role name is lower-case letters, digits, _ or -; got {name!r}")
    d = _take(data, where, ("en", "zh", "levers"), {"private": None, "budget_cny": 0.0})
    priv_en, priv_zh = _bilingual(d["private"], f"{where}.private") if d["private"] is not None else ("", "")
    if not isinstance(d["levers"], dict) or not d["levers"]:
        raise RoleplayError(f'{where}.levers must be a table with at least one "dotted.field" lever')
    levers = tuple(_lever(p, v, f"{where}.levers.{p!r}", rows, off) for p, v in d["levers"].items())
    return Role(
        name=name,
        en=_text(d["en"], f"{where}.en"),
        zh=_text(d["zh"], f"{where}.zh"),
        private_en=priv_en,
        private_zh=priv_zh,
        budget_cny=_number(d["budget_cny"], f"{where}.budget_cny", lo=0),
        levers=levers,
    )


def card_from_text(text: str, what: str = "card") -> Card:
    """Parse and validate a card from its TOML text (``what`` names it in messages)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RoleplayError(f"{what} is not valid TOML: {exc}") from None
    top = _take(
        data,
        what,
        ("name", "title", "briefing", "scenario", "rounds", "period_days", "roles", "scoring"),
        {"warmup_periods": 0, "events": [], "debrief": []},
    )
    name = top["name"]
    if not isinstance(name, str) or not _NAME.match(name):
        raise RoleplayError(f"{what}.name must be lower-case letters, digits, _ or -; got {name!r}")
    rounds = _number(top["rounds"], f"{what}.rounds", lo=1, integer=True)
    period = _number(top["period_days"], f"{what}.period_days", lo=1)
    warmup = _number(top["warmup_periods"], f"{what}.warmup_periods", lo=0, integer=True)
    base, sc = _base_scenario(top["scenario"], f"{what}.scenario", (warmup + rounds) * period, period)
    rows = {r["path"]: r for r in field_rows(sc)}
    off = switched_off_parts(sc)
    offered = set(offered_levers(sc))
    if not isinstance(top["roles"], dict) or not top["roles"]:
        raise RoleplayError(f"{what}.roles must name at least one role")
    roles = tuple(_role(n, v, f"{what}.roles.{n}", rows, off) for n, v in top["roles"].items())
    owners: dict[str, str] = {}
    for r in roles:
        for lv in r.levers:
            if lv.path in owners:
                raise RoleplayError(f"{what}: lever {lv.path!r} is owned by both {owners[lv.path]!r} and {r.name!r}")
            owners[lv.path] = r.name
    events = []
    if not isinstance(top["events"], list):
        raise RoleplayError(f"{what}.events must be a list of [[events]] tables")
    for i, e in enumerate(top["events"], 1):
        where = f"{what}.events[{i}]"
        d = _take(e, where, ("round", "en", "zh"), {"changes": {}})
        rnd = _number(d["round"], f"{where}.round", lo=1, integer=True)
        if rnd > rounds:
            raise RoleplayError(f"{where}.round must be <= rounds ({rounds}); got {rnd}")
        if not isinstance(d["changes"], dict):
            raise RoleplayError(f'{where}.changes must be a table of "dotted.field" = value')
        for path in d["changes"]:
            if path not in offered:
                part = _off_part(path, off)
                if part is not None and path in rows and rows[path]["lever"]:
                    raise RoleplayError(
                        f"{where}.changes: {path!r} belongs to {part!r}, which is switched off in this "
                        f"scenario ({part}.enabled = false)"
                    )
                tip = did_you_mean(path, sorted(offered), cutoff=0.5)
                raise RoleplayError(
                    f"{where}.changes: {path!r} is not a field that can change while the firm runs{tip}"
                )
        try:
            with_changes(sc, d["changes"])
        except ScenarioError as exc:
            raise RoleplayError(f"{where}.changes: {exc}") from None
        events.append(
            Event(
                round=rnd,
                en=_text(d["en"], f"{where}.en"),
                zh=_text(d["zh"], f"{where}.zh"),
                changes=dict(d["changes"]),
            )
        )
    if not isinstance(top["scoring"], dict) or not top["scoring"]:
        raise RoleplayError(f"{what}.scoring must weight at least one KPI ({', '.join(SCORING_KPIS)})")
    scoring = []
    for kpi, w in top["scoring"].items():
        where = f"{what}.scoring.{kpi}"
        if kpi not in SCORING_KPIS:
            raise RoleplayError(
                f"{what}.scoring has no KPI {kpi!r}{did_you_mean(kpi, SCORING_KPIS)} KPIs: {', '.join(SCORING_KPIS)}."
            )
        d = _take(w, where, ("weight",), {"per": 1.0})
        per = _number(d["per"], f"{where}.per")
        if per <= 0:
            raise RoleplayError(f"{where}.per must be > 0; got {per:g}")
        scoring.append(Weight(kpi=kpi, weight=_number(d["weight"], f"{where}.weight"), per=per))
    if not isinstance(top["debrief"], list):
        raise RoleplayError(f"{what}.debrief must be a list of [[debrief]] tables")
    debrief = tuple(Question(*_bilingual(q, f"{what}.debrief[{i}]")) for i, q in enumerate(top["debrief"], 1))
    title_en, title_zh = _bilingual(top["title"], f"{what}.title")
    brief_en, brief_zh = _bilingual(top["briefing"], f"{what}.briefing")
    return Card(
        name=name,
        title_en=title_en,
        title_zh=title_zh,
        briefing_en=brief_en,
        briefing_zh=brief_zh,
        preset=base,
        rounds=rounds,
        period_days=period,
        warmup_periods=warmup,
        roles=roles,
        events=tuple(sorted(events, key=lambda e: e.round)),
        scoring=tuple(scoring),
        debrief=debrief,
        scenario=sc,
        text=text,
    )


def _card_files() -> dict:
    folder = resources.files("simulation.roleplay") / "cards"
    return {f.name[:-5]: f for f in folder.iterdir() if f.name.endswith(".toml")}


def cards() -> list[str]:
    """Names of the cards shipped with the package, sorted."""
    return sorted(_card_files())


def card(name: str) -> Card:
    """The shipped card ``name``, or the card in the TOML file at path ``name``."""
    files = _card_files()
    if name in files:
        return card_from_text(files[name].read_text(encoding="utf-8"), f"card {name!r}")
    if name.endswith(".toml") or Path(name).exists():
        return load_card(name)
    raise RoleplayError(f"unknown card {name!r}{did_you_mean(name, list(files))} Cards: {', '.join(sorted(files))}.")


def load_card(path: str | Path) -> Card:
    """Read and validate a card from a TOML file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RoleplayError(f"cannot read card file {str(path)!r}: {getattr(exc, 'strerror', None) or exc}") from None
    return card_from_text(text, f"card file {str(path)!r}")
