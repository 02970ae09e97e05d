"""Stand-alone desk runs and desk KPIs, for staffing exercises and the desk's validity tests.

:func:`simulate_desk` runs the firm's own complaint process (:func:`simulation.complaints.desk.complaint`)
on a desk fed by Poisson arrivals — without abandonment, escalation or closing hours it is the
M/M/c queue of :mod:`simulation.complaints.erlang`, and the tests hold it to the Erlang C formulas.
:func:`desk_kpis` turns any ``complaints`` table (stand-alone or from a firm) into the desk's
KPIs: service level, average speed of answer, abandonment, first-contact resolution,
backlog, occupancy and cost.
"""

from __future__ import annotations

import math
import warnings

import pandas as pd
import simpy

from ..common.collector import collector_paused
from ..model.streams import Streams
from .desk import INF, MINUTE, Desk, complaint
from .kpis import UnboundedQueueWarning
from .records import complaints_frame

__all__ = ["simulate_desk"]


def _arrivals(
    env,
    desk: Desk,
    streams: Streams,
    rate_per_day: float,
    end: float,
    mean_handling: float,
    patience_mean: float,
    escalation_prob: float,
    mean_level2: float,
):
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
        desk.active += 1  # desk.receive(k), inlined
        process(complaint(env, desk, k))
    desk.arrivals_done = True
    if desk.active == 0 and not desk.done.triggered:
        desk.done.succeed()


def simulate_desk(
    arrival_rate_per_hour: float,
    mean_handling_min: float,
    agents: int,
    hours: float,
    seed: int = 0,
    *,
    patience_min: float | None = None,
    escalation_prob: float = 0.0,
    second_level_agents: int = 1,
    mean_second_level_min: float = 60.0,
    opens_hour: float = 0.0,
    closes_hour: float = 24.0,
    start_date: str = "2024-01-01",
) -> pd.DataFrame:
    """Simulate the complaint desk alone (an M/M/c queue with options); return its complaints.

    Complaints arrive as a Poisson process at ``arrival_rate_per_hour`` while the desk is
    open, during the first ``hours`` hours; handling times are exponential with mean
    ``mean_handling_min``; ``agents`` answer in order of arrival. With ``patience_min`` the
    callers' patience is exponential with that mean (abandonment); with ``escalation_prob``
    that share goes on to ``second_level_agents`` (exponential, mean
    ``mean_second_level_min``). The run continues until every complaint is closed.

    Without abandonment, escalation or closing hours this is the M/M/c queue of
    :mod:`simulation.complaints.erlang` (the tests compare the two).

    Returns
    -------
    pandas.DataFrame
        The ``complaints`` table (see the data dictionary); ``customer_id`` is -1.

    Warns
    -----
    UnboundedQueueWarning
        When utilisation ``rho = lambda h / c >= 1`` and nobody abandons.
    """
    for name, v in (
        ("arrival_rate_per_hour", arrival_rate_per_hour),
        ("mean_handling_min", mean_handling_min),
        ("hours", hours),
        ("escalation_prob", escalation_prob),
        ("mean_second_level_min", mean_second_level_min),
    ):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
            raise ValueError(f"{name} must be a finite number >= 0; got {v!r}.")
    for name, v in (("agents", agents), ("second_level_agents", second_level_agents)):
        if isinstance(v, bool) or not isinstance(v, int) or v < 1:
            raise ValueError(f"{name} must be a whole number >= 1; got {v!r}.")
    if escalation_prob > 1:
        raise ValueError(f"escalation_prob must be a probability in [0, 1]; got {escalation_prob!r}.")
    if patience_min is not None and (
        isinstance(patience_min, bool) or not isinstance(patience_min, (int, float)) or not patience_min > 0
    ):
        raise ValueError(f"patience_min must be a number > 0 (or None for no abandonment); got {patience_min!r}.")
    if not 0 <= opens_hour < closes_hour <= 24:
        raise ValueError(
            f"opens_hour and closes_hour must satisfy 0 <= opens_hour < closes_hour <= 24; "
            f"got {opens_hour!r} and {closes_hour!r}."
        )
    rho = arrival_rate_per_hour * mean_handling_min / 60.0 / agents
    if patience_min is None and rho >= 1:
        need = math.floor(arrival_rate_per_hour * mean_handling_min / 60.0) + 1
        warnings.warn(
            f"simulate_desk: utilisation rho = arrival_rate_per_hour x mean_handling_min / 60 / agents "
            f"= {arrival_rate_per_hour:g} x {mean_handling_min:g} / 60 / {agents} = {rho:.3g} >= 1 with "
            f"patience_min=None (nobody abandons): the queue grows without bound. Use at least "
            f"{need} agents or give callers a patience_min.",
            UnboundedQueueWarning,
            stacklevel=2,
        )
    env = simpy.Environment()
    desk = Desk(env, agents, second_level_agents, opens_hour=opens_hour, closes_hour=closes_hour)
    streams = Streams(seed)
    env.process(
        _arrivals(
            env,
            desk,
            streams,
            arrival_rate_per_hour * 24.0,
            hours / 24.0,
            mean_handling_min * MINUTE,
            INF if patience_min is None else patience_min * MINUTE,
            float(escalation_prob),
            mean_second_level_min * MINUTE,
        )
    )
    with collector_paused():
        env.run(until=desk.done)
    return complaints_frame(desk.log, start_date)
