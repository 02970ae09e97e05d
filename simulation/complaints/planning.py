"""Planning the contact centre's week: the roster hour by hour and the occupancy band.

Planners forecast the contacts of every hour of the week, staff each hour with Erlang C for the
service-level target (:func:`simulation.common.erlang.agents_needed`) and check the agents'
occupancy ``rho = a / c`` (offered load ``a = lambda h`` in Erlangs over the agents ``c``)
against a planning band, commonly 70–85%: below it agents sit idle, above it they burn out and
any surge breaks the service level (Koole 2013, *Call Center Optimization*, ch. 5; Gans, Koole &
Mandelbaum 2003, *Manufacturing & Service Operations Management* 5(2)).

A small centre cannot be in the band at a tight target. Erlang C needs ``c > a`` and, for a
20-second answer, a margin of idle agents that shrinks only relative to ``sqrt(a)`` (the
square-root staffing rule ``c ~ a + beta sqrt(a)``, Halfin & Whitt 1981): with 7-minute
contacts and an 80/20 target, occupancy first reaches 70% at about 7 Erlangs (10 agents);
Evergreen's centre is forecast at 2.05 contacts an open hour, 0.24 Erlangs, so its Erlang C
staffing of 2 agents is about 12% busy, and one agent (24% busy) would answer only 77% of calls
within 20 seconds.
:func:`band_check` states this for any desk, :func:`smallest_load_in_band` finds the load from
which the band can be reached, and :func:`roster_plan` lays out the week.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..common.erlang import agents_needed, offered_load, service_level
from ..common.i18n import resolve
from ..scenario.complaint_parts import WEEKDAYS
from .kpis import start_weekday

__all__ = ["roster_plan", "band_check", "smallest_load_in_band", "hourly_profile", "OCCUPANCY_BAND"]

#: The planning band of agent occupancy (share of the agents' time spent on contacts).
OCCUPANCY_BAND = (0.70, 0.85)


def smallest_load_in_band(
    mean_handling_min: float,
    target_service_level: float = 0.8,
    target_answer_s: float = 20.0,
    low: float = OCCUPANCY_BAND[0],
    step: float = 0.01,
    max_load: float = 1000.0,
) -> tuple[float, int]:
    """The smallest offered load (Erlangs) whose Erlang C staffing is at least ``low`` busy.

    Scans ``a = step, 2 step, ...``: ``c(a) = agents_needed(a / h, h, target)`` and returns the
    first ``(a, c(a))`` with ``a / c(a) >= low``. Occupancy is a saw-tooth in ``a`` (it drops
    each time one more agent is needed), so a larger load can still fall below ``low``.

    >>> smallest_load_in_band(7.0)
    (7.0, 10)
    """
    n = 1
    while n * step <= max_load:
        a = round(n * step, 10)
        rate = a * 60.0 / mean_handling_min
        c = agents_needed(rate, mean_handling_min, target_service_level, target_answer_s)
        if a / c >= low:
            return a, c
        n += 1
    raise ValueError(f"no load up to {max_load:g} Erlangs reaches occupancy {low:g} at this target.")


def band_check(desk, band: tuple[float, float] = OCCUPANCY_BAND, *, lang: str | None = None) -> dict:
    """Does the desk's Erlang C plan keep its agents in the occupancy band?

    Returns ``offered_load_erlangs`` (forecast per open hour), ``agents`` (the plan,
    :meth:`~simulation.scenario.complaint_parts.ComplaintDesk.planned_agents`), ``occupancy``,
    ``service_level`` of the plan and of one agent fewer, ``in_band``,
    ``band_from_erlangs`` and ``band_from_agents`` (:func:`smallest_load_in_band`) and a one-line
    ``verdict`` in ``lang`` (default: the current language).
    """
    lang = resolve(lang)
    lam, h = desk.forecast_contacts_per_hour, desk.forecast_handling_min
    a = offered_load(lam, h)
    c = desk.planned_agents()
    occ = a / c
    sl = service_level(lam, h, c, desk.target_answer_s)
    sl_less = service_level(lam, h, c - 1, desk.target_answer_s) if c > 1 else math.nan
    band_a, band_c = smallest_load_in_band(h, desk.target_service_level, desk.target_answer_s, band[0])
    inside = band[0] <= occ <= band[1]
    goal = f"{desk.target_service_level:.0%} in {desk.target_answer_s:g} s"
    if lang == "zh":
        verdict = _verdict_zh(c, a, occ, band, inside, desk, band_a, band_c, sl_less)
    elif inside:
        verdict = f"{c} agents for {a:.2f} Erlangs are {occ:.0%} busy: inside the {band[0]:.0%}-{band[1]:.0%} band."
    else:
        verdict = (
            f"{c} agents for {a:.2f} Erlangs are {occ:.0%} busy, outside the {band[0]:.0%}-{band[1]:.0%} band: "
            f"at {goal} the band is reachable only from about {band_a:g} Erlangs ({band_c} agents)"
            + (f"; {c - 1} agent{'s' if c > 2 else ''} would answer {sl_less:.0%} in time." if c > 1 else ".")
        )
    return {
        "offered_load_erlangs": a,
        "agents": c,
        "occupancy": occ,
        "service_level": sl,
        "service_level_one_fewer": sl_less,
        "in_band": inside,
        "band_from_erlangs": band_a,
        "band_from_agents": band_c,
        "verdict": verdict,
    }


def _verdict_zh(c, a, occ, band, inside, desk, band_a, band_c, sl_less) -> str:
    """The Chinese verdict of :func:`band_check`."""
    head = f"{c} 名坐席承担 {a:.2f} 爱尔兰的话务量，坐席占用率 {occ:.0%}，"
    span = f"{band[0]:.0%}-{band[1]:.0%}"
    if inside:
        return head + f"在 {span} 的合理区间内。"
    goal = f"{desk.target_answer_s:g} 秒内接听 {desk.target_service_level:.0%}"
    text = (
        head
        + f"不在 {span} 的合理区间内：要做到{goal}，话务量至少约 {band_a:g} 爱尔兰（{band_c} 名坐席）才能进入该区间"
    )
    if c > 1:
        text += f"；少一名坐席（{c - 1} 名）时，能按时接听 {sl_less:.0%}。"
    return text + ("" if c > 1 else "。")


def hourly_profile(contacts: pd.DataFrame, start_date: str, days: float) -> np.ndarray:
    """Contacts per hour of the week (168 values, Monday 00:00 first) in a ``centre_contacts`` table.

    The mean number of contacts that reached the desk in each hour of the week, over the
    ``days`` the table covers (arrival times in days from ``start_date``).
    """
    t = contacts["arrival_day"].to_numpy(float)
    t = t[~np.isnan(t)]
    h = (24 * start_weekday(start_date) + np.floor(t * 24.0 + 24e-9).astype(np.int64)) % 168
    counts = np.bincount(h, minlength=168).astype(float)
    weeks = np.bincount(
        (24 * start_weekday(start_date) + np.arange(int(math.floor(days * 24.0)))) % 168, minlength=168
    ).astype(float)
    return np.divide(counts, weeks, out=np.zeros(168), where=weeks > 0)


def roster_plan(desk, rates=None, band: tuple[float, float] = OCCUPANCY_BAND) -> pd.DataFrame:
    """The week hour by hour: forecast, Erlang C staffing, the roster in force, service and occupancy.

    ``rates`` are contacts per hour for the 168 hours of the week (e.g. :func:`hourly_profile`
    of a run); by default the desk's forecast ``forecast_contacts_per_hour`` in every open hour.
    Columns: ``day``, ``hour``, ``contacts_per_hour``, ``offered_load_erlangs``
    (``lambda x forecast_handling_min / 60``), ``erlang_c_agents`` (fewest agents meeting the
    target, 0 for an hour without contacts), ``rostered_agents``
    (:meth:`~simulation.scenario.complaint_parts.ComplaintDesk.weekly_roster`), ``service_level``
    (Erlang C at the rostered agents; 0 when none are on shift and contacts come), ``occupancy``
    (load / rostered agents) and ``in_band``.
    """
    week = desk.weekly_roster()
    if rates is None:
        rates = [desk.forecast_contacts_per_hour if n > 0 else 0.0 for n in desk.planned_roster()]
    rates = [float(x) for x in rates]
    if len(rates) != 168:
        raise ValueError(f"rates must give 168 hourly values (one week); got {len(rates)}.")
    h = desk.forecast_handling_min
    rows = []
    for k, (lam, c) in enumerate(zip(rates, week)):
        a = offered_load(lam, h)
        need = agents_needed(lam, h, desk.target_service_level, desk.target_answer_s) if lam > 0 else 0
        sl = service_level(lam, h, c, desk.target_answer_s) if c > 0 else (math.nan if lam == 0 else 0.0)
        occ = a / c if c > 0 else math.nan
        rows.append(
            dict(
                day=WEEKDAYS[k // 24],
                hour=k % 24,
                contacts_per_hour=lam,
                offered_load_erlangs=a,
                erlang_c_agents=need,
                rostered_agents=c,
                service_level=sl,
                occupancy=occ,
                in_band=bool(c > 0 and band[0] <= occ <= band[1]),
            )
        )
    return pd.DataFrame(rows)
