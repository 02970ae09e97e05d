"""Erlang formulas for staffing a call centre or complaint desk (module 4 of the course).

The M/M/c queue ("Erlang C"): calls arrive as a Poisson process at rate ``lambda``
(per hour), each call takes an exponentially distributed handling time with mean
``h = 1 / mu``, ``c`` agents answer in order of arrival and nobody hangs up. With the
offered load ``a = lambda * h`` (in Erlangs) and the utilisation ``rho = a / c``:

- Erlang B (blocking of an ``c``-server loss system), by the stable recursion
  ``B(0) = 1``, ``B(k) = a B(k-1) / (k + a B(k-1))``;
- Erlang C, the probability that a call has to wait,
  ``C(c, a) = c B(c, a) / (c - a (1 - B(c, a)))`` for ``a < c`` (and 1 when ``a >= c``);
- mean wait in queue ``Wq = C(c, a) h / (c - a)``;
- service level, the share of calls answered within ``t``:
  ``SL(t) = 1 - C(c, a) exp(-(c - a) t / h)``;
- mean number waiting (Little's law) ``Lq = lambda Wq``.

Sources: A. K. Erlang (1917), "Solution of some problems in the theory of probabilities of
significance in automatic telephone exchanges"; L. Kleinrock (1975), *Queueing Systems*,
vol. 1, section 3.5; G. Koole (2013), *Call Center Optimization*, chapter 5. The desk
model (:func:`simulation.complaints.standalone.simulate_desk`) is tested against these formulas.

All functions take the arrival rate per hour and the mean handling time in minutes, the
units a desk manager uses. When ``a >= c`` the queue grows without bound: the probability
of waiting is 1, the mean wait is infinite and the service level is 0.
"""

from __future__ import annotations

import math

import pandas as pd

__all__ = ["offered_load", "erlang_b", "erlang_c", "erlang_c_wait", "service_level", "agents_needed", "staffing_table"]


def _check_rate(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number; got {value!r}.")
    if value < 0:
        raise ValueError(f"{name} must be >= 0; got {value!r}. Rates and times cannot be negative.")
    return float(value)


def _check_agents(agents) -> int:
    if isinstance(agents, bool) or not isinstance(agents, int) or agents < 1:
        raise ValueError(f"agents must be a whole number >= 1; got {agents!r}.")
    return agents


def offered_load(arrival_rate_per_hour: float, mean_handling_min: float) -> float:
    """Offered load ``a = lambda * h`` in Erlangs (agents kept busy on average).

    >>> offered_load(4.0, 60.0)
    4.0
    """
    lam = _check_rate("arrival_rate_per_hour", arrival_rate_per_hour)
    h = _check_rate("mean_handling_min", mean_handling_min)
    return lam * h / 60.0


def _erlang_b_load(a: float, c: int) -> float:
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return b


def erlang_b(arrival_rate_per_hour: float, mean_handling_min: float, agents: int) -> float:
    """Erlang B: the share of calls lost when ``agents`` lines are busy and nobody queues.

    ``B(c, a) = (a^c / c!) / sum_{k=0..c} a^k / k!``, computed by the recursion
    ``B(k) = a B(k-1) / (k + a B(k-1))`` (stable for thousands of agents).

    >>> round(erlang_b(4.0, 60.0, 5), 4)
    0.1991
    """
    a = offered_load(arrival_rate_per_hour, mean_handling_min)
    return _erlang_b_load(a, _check_agents(agents))


def _erlang_c_load(a: float, c: int) -> float:
    if a >= c:
        return 1.0
    if a == 0:
        return 0.0
    b = _erlang_b_load(a, c)
    return c * b / (c - a * (1.0 - b))


def erlang_c(arrival_rate_per_hour: float, mean_handling_min: float, agents: int) -> float:
    """Erlang C: the probability that a call waits before an agent answers.

    ``C(c, a) = c B(c, a) / (c - a (1 - B(c, a)))`` for ``a < c``; 1 when ``a >= c``
    (the queue grows without bound).

    >>> round(erlang_c(4.0, 60.0, 5), 4)
    0.5541
    """
    a = offered_load(arrival_rate_per_hour, mean_handling_min)
    return _erlang_c_load(a, _check_agents(agents))


def erlang_c_wait(arrival_rate_per_hour: float, mean_handling_min: float, agents: int) -> float:
    """Mean wait in queue (minutes) of an M/M/c desk: ``Wq = C(c, a) h / (c - a)``.

    Returns ``inf`` when ``a >= c``. The average speed of answer of all calls is ``Wq``;
    of the calls that wait it is ``h / (c - a)``.

    >>> round(erlang_c_wait(4.0, 60.0, 5), 2)      # minutes
    33.25
    """
    a = offered_load(arrival_rate_per_hour, mean_handling_min)
    c = _check_agents(agents)
    if a >= c:
        return math.inf
    return _erlang_c_load(a, c) * float(mean_handling_min) / (c - a)


def service_level(
    arrival_rate_per_hour: float, mean_handling_min: float, agents: int, target_answer_s: float = 20.0
) -> float:
    """Share of calls answered within ``target_answer_s`` seconds.

    ``SL(t) = 1 - C(c, a) exp(-(c - a) t / h)`` (waits of delayed calls are exponential
    with rate ``(c - a) / h``). Returns 0 when ``a >= c``.

    >>> round(service_level(4.0, 60.0, 5, 20.0), 4)
    0.449
    """
    a = offered_load(arrival_rate_per_hour, mean_handling_min)
    c = _check_agents(agents)
    t = _check_rate("target_answer_s", target_answer_s)
    if a >= c:
        return 0.0
    h = float(mean_handling_min) * 60.0
    if h == 0:
        return 1.0
    return 1.0 - _erlang_c_load(a, c) * math.exp(-(c - a) * t / h)


def agents_needed(
    arrival_rate_per_hour: float,
    mean_handling_min: float,
    target_service_level: float = 0.8,
    target_answer_s: float = 20.0,
    max_agents: int = 10_000,
) -> int:
    """The fewest agents that answer ``target_service_level`` of calls within the target.

    Starts at the smallest stable staffing ``floor(a) + 1`` and adds agents until
    ``SL(t) >= target`` (the classic "80/20" rule is the default).

    >>> agents_needed(4.0, 60.0, 0.8, 20.0)
    7
    """
    a = offered_load(arrival_rate_per_hour, mean_handling_min)
    if (
        isinstance(target_service_level, bool)
        or not isinstance(target_service_level, (int, float))
        or not 0 < target_service_level < 1
    ):
        raise ValueError(
            f"target_service_level must be a share strictly between 0 and 1; got {target_service_level!r}."
        )
    _check_rate("target_answer_s", target_answer_s)
    c = max(1, int(math.floor(a)) + 1)
    while c <= max_agents:
        if service_level(arrival_rate_per_hour, mean_handling_min, c, target_answer_s) >= target_service_level:
            return c
        c += 1
    raise ValueError(
        f"more than max_agents={max_agents} agents would be needed for an offered load "
        f"of {a:g} Erlangs; check arrival_rate_per_hour and mean_handling_min."
    )


def staffing_table(
    arrival_rate_per_hour: float, mean_handling_min: float, agents=None, target_answer_s: float = 20.0
) -> pd.DataFrame:
    """The staffing exercise as a table: one row per number of agents.

    Columns: ``agents``, ``utilisation`` (``a / c``), ``prob_wait`` (Erlang C),
    ``mean_wait_s`` (``Wq``), ``service_level`` (within ``target_answer_s``) and
    ``mean_queue`` (``Lq = lambda Wq``). By default the rows run from the smallest
    stable staffing to four agents beyond the 80/20 staffing.
    """
    a = offered_load(arrival_rate_per_hour, mean_handling_min)
    if agents is None:
        lo = max(1, int(math.floor(a)) + 1)
        agents = range(lo, agents_needed(arrival_rate_per_hour, mean_handling_min, 0.8, target_answer_s) + 5)
    rows = []
    for c in agents:
        wq = erlang_c_wait(arrival_rate_per_hour, mean_handling_min, c)
        rows.append(
            dict(
                agents=int(c),
                utilisation=a / c,
                prob_wait=erlang_c(arrival_rate_per_hour, mean_handling_min, c),
                mean_wait_s=wq * 60.0,
                service_level=service_level(arrival_rate_per_hour, mean_handling_min, c, target_answer_s),
                mean_queue=float(arrival_rate_per_hour) * wq / 60.0 if math.isfinite(wq) else math.inf,
            )
        )
    return pd.DataFrame(rows)
