"""Scenario presets shipped with the package, TOML loading and scenario variants.

Presets are TOML files in ``simulation/presets/``; each states only what differs from the
defaults of :class:`simulation.scenario.Scenario`.
"""

from __future__ import annotations

import dataclasses
import tomllib
from importlib import resources
from pathlib import Path

from ..common.checks import did_you_mean
from .fields import ScenarioError, from_dict, to_dict
from .parts import CHANNELS, Scenario

__all__ = ["preset", "presets", "load_scenario", "with_changes", "scale_customers", "resolve_scenario"]


def _preset_files() -> dict[str, object]:
    folder = resources.files("simulation.scenario") / "presets"
    return {f.name[:-5]: f for f in folder.iterdir() if f.name.endswith(".toml")}


def presets() -> list[str]:
    """Names of the shipped presets, sorted."""
    return sorted(_preset_files())


def preset(name: str) -> Scenario:
    """The shipped preset ``name`` (see :func:`presets`)."""
    files = _preset_files()
    if name not in files:
        tip = did_you_mean(name, list(files))
        raise ScenarioError(f"unknown scenario {name!r}{tip} Presets: {', '.join(sorted(files))}.")
    return _from_toml_text(files[name].read_text(encoding="utf-8"), f"preset {name!r}")


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario from a TOML file (unknown keys are rejected with a suggestion)."""
    path = Path(path)
    if not path.is_file():
        raise ScenarioError(
            f"scenario file {str(path)!r} does not exist; give a preset name "
            f"({', '.join(presets())}) or the path of a .toml file."
        )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"cannot read scenario file {str(path)!r}: {exc}") from None
    return _from_toml_text(text, f"scenario file {str(path)!r}")


def _from_toml_text(text: str, what: str) -> Scenario:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{what} is not valid TOML: {exc}") from None
    try:
        return from_dict(Scenario, data)
    except TypeError as exc:
        raise ScenarioError(f"{what}: {exc}") from None
    except ScenarioError as exc:
        raise ScenarioError(f"{what}: {exc}") from None


def resolve_scenario(name_or_path: str) -> Scenario:
    """A preset name, or else the path of a TOML file."""
    if name_or_path in presets():
        return preset(name_or_path)
    if name_or_path.endswith(".toml") or Path(name_or_path).exists():
        return load_scenario(name_or_path)
    return preset(name_or_path)  # raises with a suggestion


def with_changes(scenario: Scenario, changes: dict) -> Scenario:
    """A variant with dotted-path changes: ``{"channels.web.customers_per_year": 900}``.

    Every changed part is rebuilt (and so re-validated) with ``dataclasses.replace``.
    """
    data = to_dict(scenario)
    for path, value in changes.items():
        parts = path.split(".")
        node = data
        for k, part in enumerate(parts):
            if not isinstance(node, dict) or part not in node:
                where = ".".join(parts[:k]) or "Scenario"
                options = list(node) if isinstance(node, dict) else []
                tip = did_you_mean(part, options, cutoff=0.5)
                raise ScenarioError(f"{where} has no field {part!r}{tip}")
            if k == len(parts) - 1:
                if isinstance(node[part], dict):
                    raise ScenarioError(
                        f"{path!r} is a section, not a value; name one of its "
                        f"fields, e.g. {path}.{next(iter(node[part]))}"
                    )
                node[part] = value
            else:
                node = node[part]
    return from_dict(Scenario, data)


def scale_customers(scenario: Scenario, customers: int) -> Scenario:
    """Scale the paid channels so the firm acquires ``customers`` over the horizon.

    Each channel's ``customers_per_year`` is multiplied by
    ``f = customers / (sum of rates * horizon_days / 365)``; the channel mix is kept.
    Referred customers come on top of this number. A bigger firm plans for its size: each
    channel's planned volume ``reference_customers_per_year`` and the fixed costs
    (``overheads.fixed_cost_cny_per_year``) are multiplied by ``f`` too, so the cost per
    customer and the operating margin stay those of the preset. The contact centre grows with the firm:
    its forecast load ``forecast_contacts_per_hour`` is multiplied by ``f`` (every contact is
    tied to a prospect, an order or a failure, all proportional to the customers) and, when the
    scenario's ``agents`` follow the planning rule (as in every preset), they are set by the
    same Erlang C rule for the scaled load
    (:meth:`~simulation.scenario.complaint_parts.ComplaintDesk.planned_agents`); a staffing
    chosen by hand is kept.
    """
    if isinstance(customers, bool) or not isinstance(customers, int) or customers < 1:
        raise ScenarioError(f"customers must be a whole number >= 1; got {customers!r}.")
    expected = scenario.customers_per_year * scenario.horizon_days / 365.0
    if expected <= 0:
        raise ScenarioError(
            "every channel has customers_per_year = 0; cannot scale to "
            f"{customers} customers. Give at least one channel a rate."
        )
    f = customers / expected
    ch = scenario.channels
    new = {
        c: dataclasses.replace(
            getattr(ch, c),
            customers_per_year=getattr(ch, c).customers_per_year * f,
            reference_customers_per_year=getattr(ch, c).reference_customers_per_year * f,
        )
        for c in CHANNELS
    }
    desk = scenario.complaints
    rate = desk.forecast_contacts_per_hour * f
    agents = desk.planned_agents(rate) if desk.agents == desk.planned_agents() else desk.agents
    desk = dataclasses.replace(desk, forecast_contacts_per_hour=rate, agents=agents)
    fixed = dataclasses.replace(
        scenario.overheads, fixed_cost_cny_per_year=scenario.overheads.fixed_cost_cny_per_year * f
    )
    return dataclasses.replace(scenario, channels=dataclasses.replace(ch, **new), complaints=desk, overheads=fixed)
