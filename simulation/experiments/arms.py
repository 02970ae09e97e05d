"""The settings of a lever audit: how far each lever moves, how small the firm, which cut-off.

Used by :func:`simulation.experiments.audit.lever_audit`: :func:`lever_arms` gives the values
a lever is audited at, :func:`shrink` and :func:`audit_settings` make the firm small enough to
audit quickly, and :func:`audit_threshold` is the t cut-off for a family of paired tests.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from numbers import Integral

import numpy as np

from ..scenario.fields import ScenarioError, field_rows
from ..scenario.parts import Scenario
from ..scenario.presets import scale_customers

__all__ = ["lever_arms", "shrink", "audit_settings", "audit_threshold", "AUDIT_SIZES", "ZERO_STEP_SHARE"]

#: Share of a field's range used as the step of a lever whose value is zero and has no non-zero namesake.
ZERO_STEP_SHARE = 0.05


def shrink(scenario: Scenario, *, customers_scale: float | None = None, horizon_days: float | None = None) -> Scenario:
    """A smaller copy of the firm for quick audits: fewer customers and, optionally, fewer days.

    ``customers_scale`` multiplies every paid channel's ``customers_per_year`` through
    :func:`simulation.scenario.presets.scale_customers`, which keeps the channel mix and
    re-plans the contact centre for the smaller load (the forecast contacts scale with the
    customers and the agents follow the same Erlang C rule). Every customer still lives the
    same life — the same order rates, failures, complaints, club tiers and dropout — so every
    mechanism stays reachable; only the counts, and with them the precision of each run, shrink.
    ``horizon_days`` shortens the run; it must leave room for the slowest yearly mechanism, so it
    may not be shorter than a year plus one period, nor than the lifecycle's dormancy rule
    (``lifecycle.dormant_after_days``) plus one period.

    Parameters
    ----------
    scenario : Scenario
    customers_scale : float, optional
        Factor in (0, 1]; default: keep the firm's size.
    horizon_days : float, optional
        Default: keep the scenario's horizon.

    Returns
    -------
    Scenario
    """
    sc = scenario
    if horizon_days is not None:
        shortest = max(365.0, sc.lifecycle.dormant_after_days) + sc.period_days
        if isinstance(horizon_days, bool) or not isinstance(horizon_days, (int, float)) or horizon_days < shortest:
            raise ValueError(
                f"horizon_days must be a number >= {shortest:g} for {sc.name!r} (a year or the dormancy rule "
                f"of {sc.lifecycle.dormant_after_days:g} days, plus one period), so every mechanism can "
                f"happen; got {horizon_days!r}"
            )
        sc = dataclasses.replace(sc, horizon_days=float(horizon_days))
    if customers_scale is not None:
        ok = isinstance(customers_scale, (int, float)) and not isinstance(customers_scale, bool)
        if not ok or not 0 < customers_scale <= 1:
            raise ValueError(f"customers_scale must be a number in (0, 1]; got {customers_scale!r}")
        expected = sc.customers_per_year * sc.horizon_days / 365.0
        if customers_scale < 1 and expected > 0:
            sc = scale_customers(sc, max(1, round(expected * customers_scale)))
    return sc


#: Sizes of the preset audits: seeds, and the customers each firm acquires over its horizon.
AUDIT_SIZES = {"full": {"seeds": 10, "customers": 4000}, "quick": {"seeds": 8, "customers": 2000}}


def audit_settings(scenario: Scenario, size: str = "quick") -> dict:
    """``seeds`` and ``customers_scale`` for :func:`lever_audit` at one of :data:`AUDIT_SIZES`.

    The firm is scaled (never enlarged) to acquire about ``customers`` over its own horizon,
    which is kept whole so that every yearly and dormancy mechanism happens.

    Examples
    --------
    >>> from simulation import preset
    >>> audit_settings(preset("baseline"), "quick")
    {'seeds': 8, 'customers_scale': 0.1754}
    """
    if size not in AUDIT_SIZES:
        raise ValueError(f"size must be one of {', '.join(map(repr, AUDIT_SIZES))}; got {size!r}")
    s = AUDIT_SIZES[size]
    expected = scenario.customers_per_year * scenario.horizon_days / 365.0
    scale = round(s["customers"] / expected, 4) if expected > s["customers"] else None
    return {"seeds": s["seeds"], "customers_scale": scale}


def audit_threshold(n_seeds: int, comparisons: int, alpha: float = 0.05) -> float:
    """The |t| above which a paired difference counts as a move, at family-wise error ``alpha``.

    Bonferroni over ``comparisons`` two-sided paired-t tests with ``n_seeds - 1`` degrees of
    freedom: ``t.ppf(1 - alpha / (2 * comparisons), n_seeds - 1)``. For example 10 seeds give
    4.7 for one lever's 2 arms x 21 KPIs = 42 comparisons and 7.5 for 32 levers' 1,344;
    20 seeds give 3.8 and 5.3.
    """
    if isinstance(n_seeds, bool) or not isinstance(n_seeds, Integral) or n_seeds < 2:
        raise ValueError(f"n_seeds must be a whole number >= 2; got {n_seeds!r}")
    if isinstance(comparisons, bool) or not isinstance(comparisons, Integral) or comparisons < 1:
        raise ValueError(f"comparisons must be a whole number >= 1; got {comparisons!r}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be strictly between 0 and 1; got {alpha!r}")
    from scipy import stats  # imported on first use: keeps `import simulation` light

    return float(stats.t.ppf(1 - alpha / (2 * comparisons), n_seeds - 1))


def _zero_step(rows: list[dict], row: dict) -> float:
    """Absolute step for a lever at zero: its namesakes' mean, else a share of its range."""
    leaf = row["path"].rsplit(".", 1)[-1]
    kin = [
        abs(r["value"])
        for r in rows
        if r["lever"]
        and r["path"] != row["path"]
        and r["path"].rsplit(".", 1)[-1] == leaf
        and isinstance(r["value"], (int, float))
        and not isinstance(r["value"], bool)
        and r["value"] != 0
    ]
    if kin:
        return float(np.mean(kin))
    lo, hi = row["lo"], row["hi"]
    if lo is not None and hi is not None and hi > lo:
        return ZERO_STEP_SHARE * (hi - lo)
    return 1.0


def lever_arms(scenario: Scenario, path: str, factors: Sequence[float] = (0.5, 2.0)) -> list[tuple[str, object]]:
    """The values a lever is audited at: ``[(arm label, value), ...]``.

    - a number: ``factor x value`` for each factor, clipped to the field's range; a whole-number
      field is rounded and, if rounding lands on the value itself, moved one unit in the factor's
      direction. A lever at zero takes ``factor x step``, where the step is the mean of its
      non-zero namesakes (fields with the same last name, e.g. the tiers' ``discount_pct`` for
      ``loyalty.member.discount_pct``) or else 5 % of its range. An arm that cannot move the
      lever (already at the bound) is left out, as are repeated values;
    - true/false: the other value (arm ``"flip"``);
    - a choice: every other choice (arms ``"= choice"``).

    Examples
    --------
    >>> from simulation import preset
    >>> lever_arms(preset("baseline"), "service.late_delivery_prob")
    [('x0.5', 0.04), ('x2', 0.16)]
    >>> lever_arms(preset("baseline"), "complaints.priority")
    [('= fifo', 'fifo'), ('= tier', 'tier'), ('= channel', 'channel')]
    """
    rows = field_rows(scenario)
    by_path = {r["path"]: r for r in rows}
    if path not in by_path:
        raise ScenarioError(f"the scenario has no field {path!r}")
    row = by_path[path]
    value = row["value"]
    if isinstance(value, bool):
        return [("flip", not value)]
    if row["choices"]:
        return [(f"= {c}", c) for c in row["choices"] if c != value]
    if not isinstance(value, (int, float)):
        raise ScenarioError(f"{path!r} is text ({value!r}); only numbers, choices and switches can be audited")
    whole = isinstance(value, int)
    lo = -math.inf if row["lo"] is None else row["lo"]
    hi = math.inf if row["hi"] is None else row["hi"]
    base = value if value != 0 else _zero_step(rows, row)
    arms, seen = [], {value}
    for f in factors:
        if isinstance(f, bool) or not isinstance(f, (int, float)) or f <= 0 or f == 1:
            raise ValueError(f"factors must be positive numbers other than 1; got {f!r}")
        v = min(max(f * base, lo), hi)
        if whole:
            v = int(round(v))
            if v == value:
                v = int(min(max(value + (1 if f > 1 else -1), lo), hi))
        else:
            v = float(v)
        if v in seen:
            continue
        seen.add(v)
        arms.append((f"x{f:g}", v))
    return arms
