"""The contact centre's ``centre_contacts`` table and its KPIs: load, service level, backlog, cost.

Every contact that reaches the desk — complaints and the everyday reasons of
:mod:`simulation.complaints.everyday` — is one row of ``centre_contacts``. :func:`centre_kpis` measures
the centre the way a contact-centre manager does (Koole 2013, *Call Center Optimization*, ch. 1;
Gans, Koole & Mandelbaum 2003):

- **service level** of the phone: of the calls that *arrive while the desk is open*, the share
  answered within ``target_answer_s`` among those answered or abandoned;
- **abandonment** of the same calls;
- **after-hours backlog**: contacts that arrive while the desk is closed (online forms and
  posts overnight, the store's last hour) wait for the morning; measured by their number per
  day and the share answered within the first hour after opening;
- **online response**: online forms and social-media posts answered within
  ``online_response_hours`` (a target in hours, not seconds);
- **occupancy**: first-level handling hours (classification included) / agent-hours on shift;
- **capacity cost**: every first-level agent-hour on shift at its hourly cost — the dedicated
  team is paid whether or not calls come — plus the second-level specialists' hours spent on
  escalations (they are the firm's product and service experts, who take escalations besides
  their other work, so only the time used is charged to the centre).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..common.dates import day_dates
from ..scenario.complaint_parts import COMPLAINT_CHANNELS
from ..scenario.contact_parts import CONTACT_TYPES
from .kpis import roster_hours, staffed_agent_hours, start_weekday
from .records import OUTCOMES, ComplaintLog

__all__ = ["centre_contacts_frame", "centre_contacts_table", "centre_kpis", "arrived_open"]


def arrived_open(
    arrival_day: np.ndarray, opens_hour: float, closes_hour: float, week=None, start_weekday: int = 0
) -> np.ndarray:
    """Whether each arrival time (days) falls inside the desk's daily hours ``[opens, closes)``.

    With a weekly roster ``week`` (168 hourly staffings, Monday 00:00 first; day 0 is weekday
    ``start_weekday``), whether an agent was on shift in the arrival's hour.
    """
    t = np.asarray(arrival_day, dtype=float)
    if week is not None:
        h = (24 * (start_weekday % 7) + np.floor(t * 24.0 + 24e-9).astype(np.int64)) % 168
        return np.asarray(week)[h] > 0
    if opens_hour <= 0 and closes_hour >= 24:
        return np.ones(len(t), dtype=bool)
    f = (t - np.floor(t)) * 24.0
    return (f >= opens_hour - 1e-6) & (f < closes_hour - 1e-6)


def centre_contacts_frame(
    log: ComplaintLog, start_date: str, opens_hour: float = 0.0, closes_hour: float = 24.0, week=None
):
    """The ``centre_contacts`` table from the desk's log: one row per contact that reached the desk.

    Silent failures (never voiced) are not contacts and are left out. ``complaint_id`` links a
    complaint to its row of the ``complaints`` table (-1 for the everyday reasons).
    """
    a = log.columns()
    kind = a["kind"].astype(np.int64)
    complaint_id = np.where(kind == 0, np.cumsum(kind == 0) - 1, -1)
    keep = a["voiced"].astype(bool)
    a = {name: col[keep] for name, col in a.items()}
    kind, complaint_id = kind[keep], complaint_id[keep]
    n = len(kind)
    answered, abandoned = a["answered"], a["abandoned"]
    reply = np.where(np.isnan(answered), abandoned, answered)
    return pd.DataFrame(
        {
            "contact_id": np.arange(n, dtype=np.int64),
            "contact_type": pd.Categorical.from_codes(kind, CONTACT_TYPES),
            "complaint_id": complaint_id.astype(np.int64),
            "customer_id": a["customer"].astype(np.int64),
            "order_id": a["order"].astype(np.int64),
            "channel": pd.Categorical.from_codes(a["channel"].astype(np.int64), COMPLAINT_CHANNELS),
            "arrival_day": a["arrival"],
            "date": day_dates(start_date, a["arrival"]),
            "arrived_open": arrived_open(a["arrival"], opens_hour, closes_hour, week, start_weekday(start_date)),
            "answered_day": answered,
            "abandoned_day": abandoned,
            "wait_min": (reply - a["arrival"]) * 1440.0,
            "handling_min": (a["handled"] - answered) * 1440.0,
            "agent_id": a["agent"].astype(np.int64),
            "escalated": a["escalated"].astype(bool),
            "second_level_min": np.where(a["escalated"].astype(bool) & ~np.isnan(a["resolved"]), a["level2"], 0.0)
            * 1440.0,
            "outcome": pd.Categorical.from_codes(a["outcome"].astype(np.int64), OUTCOMES),
            "handling_cost_cny": a["cost"],
        }
    )


def centre_contacts_table(firm) -> pd.DataFrame:
    """The ``centre_contacts`` table of a firm (empty, with all columns, when the desk is off)."""
    centre = getattr(firm, "complaints", None)
    log = centre.log if centre is not None else ComplaintLog()
    desk = firm.scenario.complaints
    week = desk.weekly_roster() if desk.roster else None
    return centre_contacts_frame(log, firm.scenario.start_date, desk.opens_hour, desk.closes_hour, week)


def _share(num, den) -> float:
    return float(num) / den if den else math.nan


def centre_kpis(result) -> dict:
    """The contact centre's KPIs over a run (see the module text for the definitions).

    Returns a dict with ``contacts`` (all offered), ``contacts_by_type`` (dict),
    ``phone_offered_open``, ``service_level`` and ``abandonment_rate`` (phone, arrived while
    open), ``asa_s`` (their average speed of answer), ``after_hours_contacts``,
    ``after_hours_per_day``, ``after_hours_first_hour`` (share of them answered within an
    hour of the next opening), ``online_within_target`` (online and social media answered
    within ``online_response_hours``), ``online_mean_response_hours``, ``occupancy``
    (first-level handling / staffed hours), ``offered_load_erlangs`` (first-level handling
    hours per open hour), ``staffed_agent_hours``, ``capacity_cost_cny`` (both levels' hours
    on shift at their hourly cost) and ``staffing`` (agents on shift at the end).
    """
    desk = result.scenario.complaints
    c = result.centre_contacts
    days = result.as_of_day
    start = result.scenario.start_date
    hours1 = staffed_agent_hours(desk, result.decisions, days, start_date=start)
    hours2 = float(c["second_level_min"].sum()) / 60.0
    if desk.roster:
        open_hours = roster_hours(desk.weekly_roster(), start_weekday(start), days)[1]
    else:
        whole = math.floor(days)
        part = min(max((days - whole) * 24.0 - desk.opens_hour, 0.0), desk.closes_hour - desk.opens_hour)
        open_hours = whole * (desk.closes_hour - desk.opens_hour) + part
    kind = c["contact_type"].astype(str)
    chan = c["channel"].astype(str).to_numpy()
    ans = c["answered_day"].notna().to_numpy()
    ab = c["abandoned_day"].notna().to_numpy()
    wait_s = c["wait_min"].to_numpy(float) * 60.0
    is_open = c["arrived_open"].to_numpy(bool)
    phone = (chan == "phone") & is_open
    reached = phone & (ans | ab)
    within = phone & ans & (wait_s <= desk.target_answer_s + 1e-9)
    late = ~is_open
    arr = c["arrival_day"].to_numpy(float)
    if desk.roster:  # the start of the next hour with an agent on shift
        week = np.asarray(desk.weekly_roster())
        ahead = np.array([next(n for n in range(168) if week[(h + n) % 168] > 0) for h in range(168)])
        hour = np.floor(arr * 24.0 + 24e-9)
        h = (24 * start_weekday(start) + np.nan_to_num(hour).astype(np.int64)) % 168
        opening = (hour + ahead[h]) / 24.0
    else:
        opening = np.floor(arr) + desk.opens_hour / 24.0
        opening = np.where(arr > opening, opening + 1.0, opening)  # the next opening after arrival
    first_hour = late & ans & (c["answered_day"].to_numpy(float) <= opening + 1.0 / 24.0 + 1e-9)
    online = np.isin(chan, ("online", "social_media"))
    online_done = online & ans
    online_hours = wait_s[online_done] / 3600.0
    busy_h = float(np.nansum(c["handling_min"].to_numpy(float))) / 60.0
    return {
        "contacts": int(len(c)),
        "contacts_by_type": {t: int((kind == t).sum()) for t in CONTACT_TYPES},
        "phone_offered_open": int(phone.sum()),
        "service_level": _share(within.sum(), int(reached.sum())),
        "abandonment_rate": _share((phone & ab).sum(), int(reached.sum())),
        "asa_s": float(wait_s[phone & ans].mean()) if (phone & ans).any() else math.nan,
        "after_hours_contacts": int(late.sum()),
        "after_hours_per_day": _share(late.sum(), days),
        "after_hours_first_hour": _share(first_hour.sum(), int((late & (ans | ab)).sum())),
        "online_within_target": _share((online_hours <= desk.online_response_hours).sum(), int(online_done.sum())),
        "online_mean_response_hours": float(online_hours.mean()) if len(online_hours) else math.nan,
        "occupancy": _share(busy_h, hours1),
        "offered_load_erlangs": _share(busy_h, open_hours),
        "staffed_agent_hours": hours1,
        "second_level_hours": hours2,
        "capacity_cost_cny": hours1 * desk.agent_cost_per_hour_cny + hours2 * desk.second_level_cost_per_hour_cny,
        "staffing": int(desk.agents),
    }
