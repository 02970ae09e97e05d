"""Stand-alone desk runs and desk KPIs, for staffing exercises and the desk's validity tests.

:func:`simulate_desk` runs the firm's own complaint process (:func:`simulation.desk.complaint`)
on a desk fed by Poisson arrivals — without abandonment, escalation or closing hours it is the
M/M/c queue of :mod:`simulation.erlang`, and the tests hold it to the Erlang C formulas.
:func:`desk_kpis` turns any ``complaints`` table (stand-alone or from a firm) into the desk's
KPIs: service level, average speed of answer, abandonment, first-contact resolution,
backlog, occupancy and cost.
"""
from __future__ import annotations

import gc
import math
import warnings

import numpy as np
import pandas as pd
import simpy

from .complaint_params import COMPLAINT_CHANNELS
from .desk import INF, MINUTE, Desk, complaint, complaints_frame
from .streams import Streams

__all__ = ["simulate_desk", "desk_kpis", "UnboundedQueueWarning"]


class UnboundedQueueWarning(RuntimeWarning):
    """Utilisation at or above 1 with nobody abandoning: the queue grows without bound."""


def _arrivals(env, desk: Desk, streams: Streams, rate_per_day: float, end: float, mean_handling: float,
              patience_mean: float, escalation_prob: float, mean_level2: float):
    """Poisson arrivals until ``end`` (thinned to the desk's opening hours)."""
    gap = streams.exponential("desk.arrivals")
    handling = streams.exponential("desk.handling")
    patience = streams.exponential("desk.patience")
    u_fcr = streams.uniform("desk.first_contact")
    level2 = streams.exponential("desk.second_level")
    log = desk.log
    new, process, log_handling, log_patience = log.new, env.process, log.handling, log.patience
    fcr_p = 1.0 - escalation_prob
    t = 0.0
    while rate_per_day > 0:
        t += gap() / rate_per_day
        if t >= end:
            break
        yield env.timeout(t - env.now)
        if not desk.is_open(t):
            continue
        k = new(t)
        log_handling[k] = handling() * mean_handling
        if patience_mean < INF:
            log_patience[k] = patience() * patience_mean
        if fcr_p < 1.0:
            log.u_fcr[k] = u_fcr()
            log.fcr_p[k] = fcr_p
            log.level2[k] = level2() * mean_level2
        desk.active += 1                                     # desk.receive(k), inlined
        process(complaint(env, desk, k))
    desk.arrivals_done = True
    if desk.active == 0 and not desk.done.triggered:
        desk.done.succeed()


def simulate_desk(arrival_rate_per_hour: float, mean_handling_min: float, agents: int, hours: float,
                  seed: int = 0, *, patience_min: float | None = None, escalation_prob: float = 0.0,
                  second_level_agents: int = 1, mean_second_level_min: float = 60.0,
                  opens_hour: float = 0.0, closes_hour: float = 24.0,
                  start_date: str = "2024-01-01") -> pd.DataFrame:
    """Simulate the complaint desk alone (an M/M/c queue with options); return its complaints.

    Complaints arrive as a Poisson process at ``arrival_rate_per_hour`` while the desk is
    open, during the first ``hours`` hours; handling times are exponential with mean
    ``mean_handling_min``; ``agents`` answer in order of arrival. With ``patience_min`` the
    callers' patience is exponential with that mean (abandonment); with ``escalation_prob``
    that share goes on to ``second_level_agents`` (exponential, mean
    ``mean_second_level_min``). The run continues until every complaint is closed.

    Without abandonment, escalation or closing hours this is the M/M/c queue of
    :mod:`simulation.erlang` (the tests compare the two).

    Returns
    -------
    pandas.DataFrame
        The ``complaints`` table (see the data dictionary); ``customer_id`` is -1.

    Warns
    -----
    UnboundedQueueWarning
        When utilisation ``rho = lambda h / c >= 1`` and nobody abandons.
    """
    for name, v in (("arrival_rate_per_hour", arrival_rate_per_hour), ("mean_handling_min", mean_handling_min),
                    ("hours", hours), ("escalation_prob", escalation_prob),
                    ("mean_second_level_min", mean_second_level_min)):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
            raise ValueError(f"{name} must be a finite number >= 0; got {v!r}.")
    for name, v in (("agents", agents), ("second_level_agents", second_level_agents)):
        if isinstance(v, bool) or not isinstance(v, int) or v < 1:
            raise ValueError(f"{name} must be a whole number >= 1; got {v!r}.")
    if escalation_prob > 1:
        raise ValueError(f"escalation_prob must be a probability in [0, 1]; got {escalation_prob!r}.")
    if patience_min is not None and (isinstance(patience_min, bool) or not isinstance(patience_min, (int, float))
                                     or not patience_min > 0):
        raise ValueError(f"patience_min must be a number > 0 (or None for no abandonment); got {patience_min!r}.")
    if not 0 <= opens_hour < closes_hour <= 24:
        raise ValueError(f"opens_hour and closes_hour must satisfy 0 <= opens_hour < closes_hour <= 24; "
                         f"got {opens_hour!r} and {closes_hour!r}.")
    rho = arrival_rate_per_hour * mean_handling_min / 60.0 / agents
    if patience_min is None and rho >= 1:
        need = math.floor(arrival_rate_per_hour * mean_handling_min / 60.0) + 1
        warnings.warn(f"simulate_desk: utilisation rho = arrival_rate_per_hour x mean_handling_min / 60 / agents "
                      f"= {arrival_rate_per_hour:g} x {mean_handling_min:g} / 60 / {agents} = {rho:.3g} >= 1 with "
                      f"patience_min=None (nobody abandons): the queue grows without bound. Use at least "
                      f"{need} agents or give callers a patience_min.", UnboundedQueueWarning, stacklevel=2)
    env = simpy.Environment()
    desk = Desk(env, agents, second_level_agents, opens_hour=opens_hour, closes_hour=closes_hour)
    streams = Streams(seed)
    env.process(_arrivals(env, desk, streams, arrival_rate_per_hour * 24.0, hours / 24.0,
                          mean_handling_min * MINUTE,
                          INF if patience_min is None else patience_min * MINUTE,
                          float(escalation_prob), mean_second_level_min * MINUTE))
    enabled = gc.isenabled()
    gc.disable()
    try:
        env.run(until=desk.done)
    finally:
        if enabled:
            gc.enable()
    return complaints_frame(desk.log, start_date)


def desk_kpis(complaints: pd.DataFrame, target_answer_s: float = 20.0,
              staffed_agent_hours: float | None = None, channels=None) -> dict:
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
    from .analytics._checks import require_columns
    require_columns(complaints, "complaints", ["voiced", "answered_day", "abandoned_day", "wait_min",
                                               "first_contact_resolution", "escalated", "resolved_day",
                                               "resolution_hours", "handling_min", "compensation_cny",
                                               "handling_cost_cny", "satisfaction_after",
                                               "satisfaction_pre_failure", "outcome"])
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
        "mean_resolution_hours": float(c["resolution_hours"].to_numpy(float)[resolved].mean()) if resolved.any() else math.nan,
        "occupancy": share(busy_h, staffed_agent_hours) if staffed_agent_hours else math.nan,
        "compensation_cny": comp,
        "handling_cost_cny": hcost,
        "cost_cny": comp + hcost,
        "silent_share": share(n_silent, n_silent + len(c)),
        "paradox_share": share((after[res_with_sat] > pre[res_with_sat] + 1e-9).sum(), int(res_with_sat.sum())),
    }
