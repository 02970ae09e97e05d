"""Service recovery: how the handling of a complaint changes the customer's satisfaction.

Pure functions, used by the firm's complaint desk (:mod:`simulation.complaints`) when a
complaint is closed, and shown in the course next to the recovery levers.

Recovery quality ``Q`` (0–1) is a weighted sum of four parts (weights add up to 1):

- distributive justice ``D = min(1, compensation / fair compensation)``;
- interactional justice ``I = courtesy`` (apology, explanation, respect);
- procedural justice ``P = process quality``, times ``escalation_factor`` when the complaint
  had to be escalated (more hand-offs, more effort for the customer);
- speed ``S = exp(-resolution_hours / speed_reference_hours)``.

The justice dimensions follow Tax, Brown & Chandrashekaran (1998, *Journal of Marketing*
62(2)) and Smith, Bolton & Wagner (1999, *Journal of Marketing Research* 36(3)); speed is
the fourth driver reported by Davidow (2003, *Journal of Service Research* 5(3)).

Satisfaction after a resolved complaint closes the share ``Q`` of the gap the failure
opened and, for an excellent recovery (``Q > q*``), adds up to ``paradox_points`` above
the pre-failure level — the service recovery paradox (McCollough, Berry & Yadav 2000,
*Journal of Service Research* 3(2): it appears only after very good recoveries). The
meta-analysis of de Matos, Henrique & Rossi (2007, *Journal of Service Research* 10(1))
finds the paradox in satisfaction but not in repurchase intention; by default the workbench
therefore offsets the satisfaction gained above the pre-failure level in the customer's
odds of leaving (:func:`retention_offset`).

A complaint handled below an acceptable quality ``q_ok`` is a "double deviation" (Bitner, Booms
& Tetreault 1990, *Journal of Marketing* 54(1)): the firm failed twice. It costs up to
``unresolved_drop`` points (the whole drop for an abandoned complaint, ``Q = 0``) and raises the
customer's log-odds of leaving by up to ``leaving_odds_unresolved`` (:func:`complaint_leaving_odds`).
The yardstick is the TARP studies for the White House Office of Consumer Affairs (TARP 1979,
1986; figures as reported by Hart, Heskett & Sasser 1990, *Harvard Business Review* 68(4)): of
customers with a large problem, 19% of those whose complaint was not resolved would buy again
against 54% of those whose complaint was resolved and 82% when it was resolved quickly. The odds
ratio resolved / unresolved is ``(0.54 / 0.46) / (0.19 / 0.81) = 5.0``, i.e. ``ln 5.0 = 1.6`` in
log-odds; the satisfaction drop alone reproduces it in the firm (see
:class:`~simulation.scenario.complaint_parts.Recovery`), so the extra odds are 0 by default.
Extra odds fade with a half-life (:func:`faded`): a grudge is not for ever.
"""

from __future__ import annotations

import math

__all__ = [
    "recovery_quality",
    "paradox_bonus",
    "double_deviation",
    "satisfaction_after",
    "retention_offset",
    "complaint_leaving_odds",
    "faded",
]


def recovery_quality(
    compensation_cny: float,
    fair_compensation_cny: float,
    courtesy: float,
    procedural: float,
    first_contact: bool,
    escalation_factor: float,
    resolution_hours: float,
    speed_reference_hours: float,
    weights: tuple[float, float, float, float],
) -> float:
    """Recovery quality ``Q = w_d D + w_i I + w_p P + w_s S`` in [0, 1].

    Parameters
    ----------
    compensation_cny, fair_compensation_cny : paid and "fully fair" compensation (CNY).
    courtesy, procedural : interactional and procedural quality, each in [0, 1].
    first_contact : True when the first agent solved the complaint.
    escalation_factor : procedural quality multiplier after an escalation.
    resolution_hours, speed_reference_hours : time to the fix and its 1/e reference.
    weights : ``(w_d, w_i, w_p, w_s)``, adding up to 1.

    >>> recovery_quality(100, 100, 1, 1, True, 0.6, 0.0, 24, (0.35, 0.25, 0.2, 0.2))
    1.0
    """
    w_d, w_i, w_p, w_s = weights
    d = min(1.0, compensation_cny / fair_compensation_cny) if fair_compensation_cny > 0 else 1.0
    p = procedural * (1.0 if first_contact else escalation_factor)
    s = math.exp(-max(resolution_hours, 0.0) / speed_reference_hours)
    return w_d * d + w_i * courtesy + w_p * p + w_s * s


def paradox_bonus(quality: float, excellent_from: float, paradox_points: float) -> float:
    """Points above the pre-failure level: ``paradox_points * (Q - q*) / (1 - q*)`` for ``Q > q*``.

    >>> paradox_bonus(1.0, 0.8, 6.0), paradox_bonus(0.5, 0.8, 6.0)
    (6.0, 0.0)
    """
    if quality <= excellent_from:
        return 0.0
    return paradox_points * (quality - excellent_from) / (1.0 - excellent_from)


def double_deviation(quality: float, acceptable: float) -> float:
    """How far a recovery falls short of acceptable, 0–1: ``max(0, (q_ok - Q) / q_ok)``.

    1 for an abandoned complaint (``Q = 0``), 0 at or above ``q_ok``.

    >>> double_deviation(0.0, 0.6), double_deviation(0.3, 0.6), double_deviation(0.7, 0.6)
    (1.0, 0.5, 0.0)
    """
    if acceptable <= 0.0 or quality >= acceptable:
        return 0.0
    return (acceptable - quality) / acceptable


def satisfaction_after(
    s_now: float,
    s_pre: float,
    s_fail: float,
    quality: float,
    excellent_from: float,
    paradox_points: float,
    acceptable: float = 0.0,
    unresolved_drop: float = 0.0,
) -> float:
    """Satisfaction after a closed complaint, clipped to [0, 100].

    ``s' = s_now + Q (s_pre - s_fail) + paradox_bonus(Q) - drop x double_deviation(Q, q_ok)``,
    where ``s_pre`` is the satisfaction just before the failure, ``s_fail`` just after it and
    ``s_now`` the current value (other orders may have moved it since). An abandoned complaint
    is ``Q = 0``: ``s' = s_now - drop``.

    >>> satisfaction_after(60.0, 75.0, 60.0, 1.0, 0.85, 6.0)    # a perfect recovery
    81.0
    >>> satisfaction_after(60.0, 75.0, 60.0, 0.5, 0.85, 6.0)    # half of the gap closed
    67.5
    >>> satisfaction_after(60.0, 75.0, 60.0, 0.3, 0.85, 6.0, 0.6, 20.0)    # a poor recovery
    54.5
    """
    gap = max(0.0, s_pre - s_fail)
    s = (
        s_now
        + quality * gap
        + paradox_bonus(quality, excellent_from, paradox_points)
        - unresolved_drop * double_deviation(quality, acceptable)
    )
    return 0.0 if s < 0.0 else (100.0 if s > 100.0 else s)


def retention_offset(s_new: float, s_pre: float, s_now: float, satisfaction_effect: float) -> float:
    """Log-odds of leaving added so that satisfaction above the pre-failure level keeps no one.

    The firm's odds of leaving fall by ``k / 10`` per satisfaction point
    (``Dropout.satisfaction_effect``); the points a recovery adds above
    ``max(s_pre, s_now)`` are offset by ``+k (s_new - max(s_pre, s_now)) / 10``.

    >>> retention_offset(81.0, 75.0, 60.0, 0.25)
    0.15
    """
    excess = s_new - max(s_pre, s_now)
    return satisfaction_effect * excess / 10.0 if excess > 0 else 0.0


def complaint_leaving_odds(quality: float, acceptable: float, odds_unresolved: float) -> float:
    """Log-odds of leaving added by a complaint handled below ``q_ok``.

    ``g = odds_unresolved x double_deviation(Q, q_ok)``: the full ``odds_unresolved`` for an
    abandoned complaint, nothing for an acceptable one. With the TARP calibration
    (``odds_unresolved = 1.6``) an unresolved complaint multiplies the odds of leaving by
    ``e^1.6 = 5``, the ratio of repurchase odds between resolved and unresolved complainants.

    >>> complaint_leaving_odds(0.0, 0.6, 1.6), round(complaint_leaving_odds(0.45, 0.6, 1.6), 6)
    (1.6, 0.4)
    """
    return odds_unresolved * double_deviation(quality, acceptable)


def faded(g0: float, days: float, half_life_days: float) -> float:
    """What is left of an added log-odds ``g0`` after ``days``: ``g0 x 2^(-days / half-life)``.

    >>> faded(1.6, 180.0, 180.0)
    0.8
    """
    return g0 * 2.0 ** (-days / half_life_days)
