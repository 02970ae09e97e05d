"""The complaint desk's tables and KPIs: the ``complaints`` table of a firm, the desk's service
level, speed of answer, abandonment, resolution, occupancy and cost, and the overload warning.

:func:`desk_kpis` reads any ``complaints`` table, from a firm or from a stand-alone desk
(:func:`simulation.complaints.standalone.simulate_desk`); :func:`complaint_kpis` adds the
firm's staffing and its full cost.
"""

from __future__ import annotations

import datetime
import math

import numpy as np
import pandas as pd

from ..common.checks import require_columns
from ..scenario.complaint_parts import COMPLAINT_CHANNELS
from .records import ComplaintLog, complaints_frame

__all__ = [
    "complaints_table",
    "desk_kpis",
    "complaint_kpis",
    "staffed_agent_hours",
    "roster_hours",
    "start_weekday",
    "desk_overload",
    "UnboundedQueueWarning",
]


class UnboundedQueueWarning(RuntimeWarning):
    """Utilisation at or above 1 with nobody abandoning: the queue grows without bound."""


def complaints_table(firm) -> pd.DataFrame:
    """The ``complaints`` table of a firm (empty, with all columns, when the desk is off)."""
    centre = getattr(firm, "complaints", None)
    log = centre.log if centre is not None else ComplaintLog()
    return complaints_frame(log, firm.scenario.start_date)


def _open_days(t: float, opens: float, closes: float) -> float:
    """Days the desk was open in [0, t] (opening hours as fractions of a day)."""
    day = math.floor(t)
    return day * (closes - opens) + min(max(t - day - opens, 0.0), closes - opens)


def start_weekday(start_date: str) -> int:
    """Day of the week of a run's day 0 (0 = Monday), to place a weekly roster.

    >>> start_weekday("2024-01-01")
    0
    """
    return datetime.date.fromisoformat(str(start_date)[:10]).weekday()


def roster_hours(week, start_weekday: int, until_day: float) -> tuple[float, float]:
    """Agent-hours on shift and hours open (an agent on shift) in ``[0, until_day]`` under a weekly roster.

    ``week`` holds the agents of the 168 hours of the week (Monday 00:00 first); day 0 is
    weekday ``start_weekday``. A partial last hour counts for its fraction.

    >>> roster_hours([2] * 12 + [0] * 156, 0, 7.0)
    (24.0, 12.0)
    """
    w = np.roll(np.asarray(week, dtype=float), -24 * (start_weekday % 7))
    hours = max(until_day, 0.0) * 24.0
    full, rest = divmod(hours, 168.0)
    whole = int(rest)
    frac = rest - whole
    staffed = full * w.sum() + w[:whole].sum() + (frac * w[whole] if whole < 168 else 0.0)
    on = (w > 0).astype(float)
    opened = full * on.sum() + on[:whole].sum() + (frac * on[whole] if whole < 168 else 0.0)
    return float(staffed), float(opened)


def staffed_agent_hours(
    desk, decisions: pd.DataFrame, until_day: float, lever: str = "complaints.agents", start_date: str = "2024-01-01"
) -> float:
    """Agent-hours on shift in ``[0, until_day]``: staffing x opening hours, lever changes included.

    ``desk`` is the :class:`~simulation.scenario.complaint_parts.ComplaintDesk` in force at the end;
    the earlier staffing is read from the ``decisions`` table (old and new values). With a weekly
    ``roster`` the hours are the roster's (:func:`roster_hours`; ``start_date`` places the week).
    """
    if getattr(desk, "roster", "") and lever == "complaints.agents":
        return roster_hours(desk.weekly_roster(), start_weekday(start_date), until_day)[0]
    rows = decisions.loc[decisions["lever"] == lever].sort_values("time_days", kind="stable")
    value = int(float(rows["old_value"].iloc[0])) if len(rows) else getattr(desk, lever.split(".")[-1])
    o, c = desk.opens_hour / 24.0, desk.closes_hour / 24.0
    total, start = 0.0, 0.0
    for t, new in zip(rows["time_days"].to_numpy(float), rows["new_value"].to_numpy()):
        total += value * (_open_days(t, o, c) - _open_days(start, o, c))
        start, value = t, int(float(new))
    total += value * (_open_days(until_day, o, c) - _open_days(start, o, c))
    return total * 24.0


def desk_kpis(
    complaints: pd.DataFrame, target_answer_s: float = 20.0, staffed_agent_hours: float | None = None, channels=None
) -> dict:
    """The desk's KPIs from a ``complaints`` table (silent rows are not complaints).

    ``channels`` (e.g. ``["phone"]``) restricts the KPIs to complaints from those channels;
    the service level of a call centre is usually quoted for the phone.

    - ``offered``: voiced complaints; ``answered``, ``abandoned``, ``waiting_at_end``;
    - ``service_level``: answered within ``target_answer_s`` / (answered + abandoned);
    - ``asa_s``: average speed of answer (mean wait of answered complaints, seconds);
    - ``prob_wait``: share of answered complaints that waited at all (Erlang C's ``C``);
    - ``abandonment_rate``: abandoned / (answered + abandoned);
    - ``first_contact_resolution``: solved by the first agent / complaints handled;
    - ``escalation_rate``: escalated / complaints handled;
    - ``backlog``: voiced complaints neither resolved nor abandoned at the end;
    - ``mean_resolution_hours``: arrival to resolution, resolved complaints;
    - ``occupancy``: first-level handling hours / ``staffed_agent_hours`` (when given);
    - ``compensation_cny``, ``handling_cost_cny`` and ``cost_cny`` (their sum);
    - ``silent_share``: silent / (silent + voiced) dissatisfied customers (hidden truth);
    - ``paradox_share``: resolved complaints that left satisfaction above its pre-failure level.
    """
    require_columns(
        complaints,
        "complaints",
        [
            "voiced",
            "answered_day",
            "abandoned_day",
            "wait_min",
            "first_contact_resolution",
            "escalated",
            "resolved_day",
            "resolution_hours",
            "handling_min",
            "compensation_cny",
            "handling_cost_cny",
            "satisfaction_after",
            "satisfaction_pre_failure",
            "outcome",
        ],
    )
    if channels is not None:
        if isinstance(channels, str):
            channels = [channels]
        unknown = sorted(set(channels) - set(COMPLAINT_CHANNELS))
        if unknown:
            raise ValueError(f"channels has unknown channel(s) {unknown}; use some of {list(COMPLAINT_CHANNELS)}.")
        complaints = complaints.loc[complaints["channel"].astype(str).isin(channels) | ~complaints["voiced"]]
    voiced = complaints["voiced"].to_numpy(bool)
    c = complaints.loc[voiced]
    ans = c["answered_day"].notna().to_numpy()
    ab = c["abandoned_day"].notna().to_numpy()
    wait_s = c["wait_min"].to_numpy(float) * 60.0
    reached = int(ans.sum() + ab.sum())
    handled = (c["first_contact_resolution"] | c["escalated"]).to_numpy()
    resolved = c["resolved_day"].notna().to_numpy()
    busy_h = float(np.nansum(c["handling_min"].to_numpy(float))) / 60.0
    comp = float(c["compensation_cny"].sum())
    hcost = float(c["handling_cost_cny"].sum())
    after = c["satisfaction_after"].to_numpy(float)
    pre = c["satisfaction_pre_failure"].to_numpy(float)
    res_with_sat = resolved & ~np.isnan(after) & ~np.isnan(pre)
    n_silent = int((~voiced).sum())

    def share(num, den):
        return float(num) / den if den else math.nan

    return {
        "offered": int(len(c)),
        "answered": int(ans.sum()),
        "abandoned": int(ab.sum()),
        "waiting_at_end": int((~ans & ~ab).sum()),
        "service_level": share(((wait_s <= target_answer_s + 1e-9) & ans).sum(), reached),
        "asa_s": float(wait_s[ans].mean()) if ans.any() else math.nan,
        "prob_wait": share((wait_s[ans] > 1e-9).sum(), int(ans.sum())),
        "abandonment_rate": share(ab.sum(), reached),
        "first_contact_resolution": share(c["first_contact_resolution"].sum(), int(handled.sum())),
        "escalation_rate": share(c["escalated"].sum(), int(handled.sum())),
        "backlog": int((~resolved & ~ab).sum()),
        "mean_resolution_hours": float(c["resolution_hours"].to_numpy(float)[resolved].mean())
        if resolved.any()
        else math.nan,
        "occupancy": share(busy_h, staffed_agent_hours) if staffed_agent_hours else math.nan,
        "compensation_cny": comp,
        "handling_cost_cny": hcost,
        "cost_cny": comp + hcost,
        "silent_share": share(n_silent, n_silent + len(c)),
        "paradox_share": share((after[res_with_sat] > pre[res_with_sat] + 1e-9).sum(), int(res_with_sat.sum())),
    }


def complaint_kpis(result) -> dict:
    """Desk KPIs of a run's complaints (:func:`desk_kpis`) plus staffing and full cost.

    Adds ``staffed_agent_hours`` (first level), ``staff_cost_cny`` — the contact centre's
    capacity cost as in :func:`simulation.complaints.contacts.centre_kpis`: first-level hours
    on shift and second-level hours spent, each at its hourly cost — and ``total_cost_cny`` =
    staff cost + compensation. ``occupancy`` here is the complaints' share of the first-level
    hours on shift; the centre's occupancy over every contact is in ``centre_kpis``.
    """
    desk = result.scenario.complaints
    hours1 = staffed_agent_hours(desk, result.decisions, result.as_of_day, start_date=result.scenario.start_date)
    c = result.complaints
    level2_h = 0.0
    if "centre_contacts" in result.tables:
        level2_h = float(result.centre_contacts["second_level_min"].sum()) / 60.0
    k = desk_kpis(c, desk.target_answer_s, staffed_agent_hours=hours1)
    staff = hours1 * desk.agent_cost_per_hour_cny + level2_h * desk.second_level_cost_per_hour_cny
    k.update(staffed_agent_hours=hours1, staff_cost_cny=staff, total_cost_cny=staff + k["compensation_cny"])
    return k


def desk_overload(result) -> str | None:
    """A warning text when the firm's first-level desk was offered more work than its agents, else ``None``.

    Offered load per agent ``rho = contacts x mean handling time / staffed agent-hours``
    (every contact that reached the desk — complaints and everyday contacts — and the mean
    handling of the contacts answered; the desk's mean if none was). With ``rho >= 1`` the
    M/M/c queue has no steady state (Erlang 1917; e.g. Gross & Harris, *Fundamentals of
    Queueing Theory*): the desk keeps up only because callers give up, and the queue of
    customers who never give up (online form, social media: ``patience_min = 0``) grows
    without bound.
    """
    desk = result.scenario.complaints
    if "centre_contacts" in result.tables:
        voiced = result.centre_contacts
    else:
        c = result.complaints
        voiced = c.loc[c["voiced"].to_numpy(bool)]
    if not desk.enabled or result.as_of_day <= 0 or not len(voiced):
        return None
    handling = voiced["handling_min"].to_numpy(float)
    done = handling[~np.isnan(handling)]
    mean = float(done.mean()) if len(done) else desk.mean_handling_min
    demand = len(voiced) * mean / 60.0
    staffed = staffed_agent_hours(desk, result.decisions, result.as_of_day, start_date=result.scenario.start_date)
    rho = demand / staffed if staffed > 0 else math.inf
    if rho < 1.0:
        return None
    abandoned = float(voiced["abandoned_day"].notna().mean())
    need = math.floor(rho * desk.agents) + 1
    return (
        f"The contact centre was overloaded: {len(voiced)} contacts x {mean:.0f} min handling = {demand:,.0f} "
        f"agent-hours offered against {staffed:,.0f} on shift (utilisation {rho:.2f} >= 1); {abandoned:.0%} of "
        f"the customers gave up and those who never give up wait without bound. Raise complaints.agents "
        f"(now {desk.agents}) to at least {need}, or shorten complaints.mean_handling_min "
        f"(now {desk.mean_handling_min:g}) or the handling times of complaints.contacts."
    )
