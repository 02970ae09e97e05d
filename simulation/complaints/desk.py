"""The complaint desk as a SimPy queue: agents on shift, priorities, patience, escalation.

One process per complaint follows the course's four steps — receive, classify and assess,
handle (solve at first contact or escalate to the second-level team), close and record
(:func:`complaint`). Everyday contacts, about fifteen for each complaint, take the same steps
without escalation as event callbacks (:meth:`Desk.receive_contact`). Agents are the units of
a ``simpy.PriorityResource`` (:class:`DeskResource`); a ``roster`` process takes agents off
shift at closing time (a top-priority request that each agent accepts after finishing the
current call) and brings them back at opening. Callers with a finite patience renege with
``yield request | env.timeout(patience)``.

The same :func:`complaint` process runs inside the firm (:mod:`simulation.complaints`) and
stand-alone in :func:`simulation.complaints.standalone.simulate_desk`, which the Erlang C tests
and the benchmark use.
Time is in days, like the firm; durations are converted with ``MINUTE = 1 / 1440``.
Every complaint is recorded into plain column arrays
(:class:`~simulation.complaints.records.ComplaintLog`).
"""

from __future__ import annotations

import math
from bisect import insort
from heapq import heappop, heappush
from operator import attrgetter

import simpy

from .records import ABANDONED, RESOLVED, ComplaintLog

__all__ = ["Desk", "DeskResource", "complaint", "roster", "MINUTE"]

INF = float("inf")
MINUTE = 1.0 / 1440.0  # one minute in days
EPS = 1e-9  # days (86 microseconds): tolerance at shift changes
OFF_SHIFT = -(10**9)  # priority of an agent going off shift (before any caller)
_KEY = attrgetter("key")


class _KeyQueue(list):
    """SimPy's sorted request queue, kept in order by binary insertion instead of a full sort.

    Same order as ``simpy.resources.resource.SortedQueue`` (by ``request.key``, first come
    first served among equal keys, since ``insort`` inserts after equal keys), at O(log n)
    comparisons per request instead of a sort of the whole queue.
    """

    def __init__(self, maxlen=None):
        super().__init__()
        self.maxlen = maxlen

    def append(self, item) -> None:
        insort(self, item, key=_KEY)


class DeskResource(simpy.PriorityResource):
    """A ``simpy.PriorityResource`` whose waiting line is a :class:`_KeyQueue` and whose release is immediate."""

    PutQueue = _KeyQueue

    def _do_put(self, event) -> None:
        """Grant ``event`` if a unit is free; schedule it only if someone waits for it.

        A request granted while it is being made has only SimPy's own bookkeeping callback
        (the desk checks ``triggered`` right after asking), and an off-shift hold is only ever
        checked, never awaited: such a grant is marked triggered without an event to process.
        A request the desk waits on carries the desk's callback and is scheduled as usual.
        """
        if len(self.users) < self.capacity:
            self.users.append(event)
            event.usage_since = self._env.now
            if len(event.callbacks) > 1:
                event.succeed()
            else:
                event._ok, event._value = True, None

    def release(self, request) -> None:  # type: ignore[override]
        """Give ``request``'s unit back now and grant the first waiting request, if any.

        SimPy's own ``release`` creates a ``Release`` event whose processing, later at the same
        simulated time, grants the next request; handing the unit over at once gives the same
        times and the same order of service with one event fewer per call.
        """
        try:
            self.users.remove(request)
        except ValueError:  # already released (an off-shift hold given back twice)
            pass
        self._trigger_put(None)


class Desk:
    """First-level agents and a second-level team as SimPy priority resources.

    Parameters
    ----------
    env : simpy.Environment (time in days)
    agents, second_level_agents : int
        Agents on shift while the desk is open.
    capacity : int, optional
        Units of each resource (default: the staffing). A firm uses the largest staffing
        a lever may set; the units not on shift are held by the roster.
    opens_hour, closes_hour : float
        Daily shift; 0 and 24 mean always staffed (no roster process).
    classify_min : float
        Minutes an agent spends classifying a complaint before handling it.
    empowerment : float
        Share of otherwise escalated complaints the first agent may solve.
    week : tuple of 168 int, optional
        First-level agents on shift in each hour of the week (Monday 00:00 first); replaces
        ``agents``, ``opens_hour`` and ``closes_hour``: the desk is open while an agent is on
        shift, and the second-level team works the same hours.
    start_weekday : int
        Day of the week of day 0 (0 = Monday), to place the roster.
    """

    def __init__(
        self,
        env: simpy.Environment,
        agents: int,
        second_level_agents: int = 1,
        *,
        capacity: int | None = None,
        opens_hour: float = 0.0,
        closes_hour: float = 24.0,
        classify_min: float = 0.0,
        empowerment: float = 0.0,
        week: tuple[int, ...] | None = None,
        start_weekday: int = 0,
    ):
        self.env = env
        self.log = ComplaintLog()
        self.roster = tuple(week) if week else None
        self.week0 = 24 * (start_weekday % 7)
        cap1 = max(agents, capacity or 0, max(self.roster) if self.roster else 0)
        cap2 = max(second_level_agents, capacity or 0)
        self.agents = DeskResource(env, capacity=cap1)
        self.level2 = DeskResource(env, capacity=cap2)
        self.free = list(range(cap1))  # agent numbers, smallest first (a heap)
        self.free_second_level = list(range(cap2))
        self.staff, self.second_level_staff = agents, second_level_agents
        self.opens, self.closes = opens_hour / 24.0, closes_hour / 24.0
        self.always_open = opens_hour <= 0 and closes_hour >= 24 and self.roster is None
        self.holds: list = []
        self.second_level_holds: list = []
        self.classify = classify_min * MINUTE
        self.empowerment = empowerment
        self.on_close = None  # callback(k) after a complaint is closed
        self.active = 0  # complaints received and not yet closed
        self.present = 0  # of these, the ones that have reached the desk
        self.unheld = False  # closed, but the idle agents not yet taken off shift
        self.arrivals_done = False
        self.done = env.event()
        self.n_resolved = 0
        self.generation = 0
        if not self.always_open or cap1 > agents or cap2 > second_level_agents:
            self.roster_proc = env.process(roster(env, self))

    # -------------------------------------------------------------- shifts
    def is_open(self, t: float) -> bool:
        """Whether the desk is staffed at time ``t`` (days).

        Times within ``EPS`` of a shift change count as after it, so the rounding of
        ``day + hour / 24`` never makes the roster miss an opening.
        """
        if self.always_open:
            return True
        if self.roster is not None:
            return self.roster[self._hour(t)] > 0
        day = math.floor(t + EPS)
        f = t - day
        return self.opens - EPS <= f < self.closes - EPS

    def _hour(self, t: float) -> int:
        """Hour of the week (0–167) at time ``t`` (days), with the ``EPS`` rule of :meth:`is_open`."""
        return (self.week0 + math.floor(t * 24.0 + 24.0 * EPS)) % 168

    def on_shift(self, t: float) -> int:
        """First-level agents on shift at time ``t``."""
        if self.roster is not None:
            return self.roster[self._hour(t)]
        return self.staff if self.is_open(t) else 0

    def next_change(self, t: float) -> float:
        """The next time after ``t`` at which the staffing changes (opening, closing, roster)."""
        if self.roster is not None:
            h0 = math.floor(t * 24.0 + 24.0 * EPS)
            now = self.roster[(self.week0 + h0) % 168]
            for n in range(1, 169):
                if self.roster[(self.week0 + h0 + n) % 168] != now:
                    return (h0 + n) / 24.0
            return INF  # the same staffing every hour of the week
        day = math.floor(t + EPS)
        for b in (day + self.opens, day + self.closes, day + 1 + self.opens):
            if b > t + EPS:
                return b
        return day + 1 + self.closes

    def set_staff(self, agents: int, second_level_agents: int) -> None:
        """Change the staffing from now on (agents busy with a call finish it first)."""
        self.staff, self.second_level_staff = agents, second_level_agents
        self.adjust()

    def set_roster(self, week: tuple[int, ...] | None) -> None:
        """Follow a new weekly roster from now on (``None``: ``agents`` during the daily hours).

        The resources keep their capacity (the largest staffing a lever may set), so a roster
        may not put more agents on shift than that.
        """
        if week is not None and max(week) > self.agents.capacity:
            raise ValueError(f"the roster puts {max(week)} agents on shift; at most {self.agents.capacity} can be.")
        self.roster = tuple(week) if week else None
        self.always_open = self.roster is None and self.opens <= 0 and self.closes >= 1
        self.generation += 1  # the running roster process stops at its next wake-up
        self.roster_proc = self.env.process(roster(self.env, self))

    def adjust(self, force: bool = False) -> None:
        """Hold exactly the units that are off shift now, on both resources.

        While the desk is closed and nobody is at it, taking the (idle) agents off shift
        is deferred to the next complaint that arrives (:func:`complaint` calls
        ``adjust(force=True)``): the holds would be granted at once either way, so the
        outcome is the same with fewer events.
        """
        on = self.is_open(self.env.now)
        lazy = not on and not force and self.present == 0
        self.unheld = lazy
        off = on or lazy
        staff = self.staff if self.roster is None else self.roster[self._hour(self.env.now)]
        if lazy:
            staff = self.staff if self.roster is None else max(self.roster)
        _hold(self.agents, self.holds, self.agents.capacity - (staff if off else 0))
        _hold(self.level2, self.second_level_holds, self.level2.capacity - (self.second_level_staff if off else 0))

    # -------------------------------------------------------------- arrivals
    def receive(self, k: int, at: float | None = None) -> None:
        """Start complaint ``k``'s :func:`complaint` process; it reaches the desk at ``at`` (default now)."""
        self.active += 1
        if at is None or at <= self.env.now:
            self.env.process(complaint(self.env, self, k))
        else:
            self.env.process(self._lodge(k, at))

    def _lodge(self, k: int, at: float):
        env = self.env
        yield env.timeout(at - env.now)
        yield from complaint(env, self, k)

    def receive_contact(self, k: int, at: float) -> None:
        """Queue everyday contact ``k`` (closed at first contact) for time ``at`` (days).

        The steps of :func:`complaint` without escalation — join the queue with its priority,
        maybe give up when the patience runs out, be answered, be handled, close — written as
        SimPy event callbacks instead of a process of its own, since a firm has about fifteen
        everyday contacts for each complaint: a contact then costs its arrival, its handling and,
        when it has to wait, its grant (no events for starting and ending a process), with the
        same times and the same order of service.
        """
        self.active += 1
        env = self.env
        if at <= env.now:
            self._contact_arrives(k)
        else:
            env.timeout(at - env.now).callbacks.append(lambda _ev: self._contact_arrives(k))

    def _contact_arrives(self, k: int) -> None:
        log = self.log
        self._join(k)
        req = self.agents.request(priority=log.priority[k])
        if req.triggered:  # an agent was free: answered at once
            self._contact_answered(k, req)
            return
        req.callbacks.append(lambda _ev: self._contact_answered(k, req))
        patience = log.patience[k]
        if patience < INF:
            self.env.timeout(patience).callbacks.append(lambda _ev: self._contact_gives_up(k, req))

    def _contact_gives_up(self, k: int, req) -> None:
        if req.triggered:
            return
        req.cancel()
        self.log.abandoned[k] = self.env.now
        self.log.outcome[k] = ABANDONED
        self.closed(k)

    def _contact_answered(self, k: int, req) -> None:
        log = self.log
        log.answered[k] = self.env.now
        agent = heappop(self.free)
        log.agent[k] = agent
        done = self.env.timeout(self.classify + log.handling[k])
        done.callbacks.append(lambda _ev: self._contact_handled(k, req, agent))

    def _contact_handled(self, k: int, req, agent: int) -> None:
        log = self.log
        heappush(self.free, agent)
        self.agents.release(req)
        log.handled[k] = log.resolved[k] = self.env.now
        log.fcr[k] = 1
        log.outcome[k] = RESOLVED
        self.closed(k)

    def _join(self, k: int) -> None:
        """A contact reaches the desk: count it present and record the queue it finds."""
        self.present += 1
        if self.unheld:
            self.adjust(force=True)  # the desk is closed: agents go off shift
        waiting = len(self.agents.queue)
        holds = self.holds
        j = len(holds) - 1
        while j >= 0 and not holds[j].triggered:  # agents about to go off shift
            waiting -= 1
            j -= 1
        self.log.queue[k] = waiting

    def closed(self, k: int) -> None:
        self.active -= 1
        self.present -= 1
        if self.on_close is not None:
            self.on_close(k)
        if self.active == 0 and self.arrivals_done and not self.done.triggered:
            self.done.succeed()


def _hold(resource, holds: list, wanted: int) -> None:
    """Make ``holds`` (off-shift requests on ``resource``) number ``wanted``."""
    while len(holds) < wanted:
        holds.append(resource.request(priority=OFF_SHIFT))
    while len(holds) > wanted:
        req = holds.pop()  # the newest hold is the one least likely granted
        if req.triggered:
            resource.release(req)
        else:
            req.cancel()


def roster(env: simpy.Environment, desk: Desk):
    """Agents come on shift at opening and go off at closing, every day (or as the weekly roster says)."""
    generation = desk.generation
    while generation == desk.generation:
        desk.adjust()
        if desk.always_open:
            return
        t = desk.next_change(env.now)
        if t == INF:
            return
        yield env.timeout(t - env.now)


def complaint(env: simpy.Environment, desk: Desk, k: int):
    """One complaint through the desk: receive → classify and assess → handle → close.

    Receive: the complaint joins the agents' queue with its priority (smaller first) and,
    with a finite patience, leaves unanswered when the patience runs out. Classify and
    assess: the answering agent spends ``classify_min``. Handle: the handling time drawn
    for the complaint; the agent solves it with probability
    ``1 - (1 - p)(1 - empowerment)`` (``p`` from its category and severity), otherwise
    it is escalated to the second-level team's queue. Close: the outcome is recorded and
    the desk's ``on_close`` callback (the firm's service recovery) runs.

    A request granted at once is not waited for (:class:`DeskResource` does not schedule it).
    """
    log = desk.log
    agents = desk.agents
    desk._join(k)
    req = agents.request(priority=log.priority[k])
    patience = log.patience[k]
    if not req.triggered:  # every agent busy: wait in the queue
        if patience < INF:
            yield req | env.timeout(patience)
            if not req.triggered:  # gave up waiting
                req.cancel()
                log.abandoned[k] = env.now
                log.outcome[k] = ABANDONED
                desk.closed(k)
                return
        else:
            yield req
    log.answered[k] = env.now
    agent = heappop(desk.free)
    log.agent[k] = agent
    yield env.timeout(desk.classify + log.handling[k])  # classify and assess severity, then handle
    heappush(desk.free, agent)
    agents.release(req)
    log.handled[k] = env.now
    p = log.fcr_p[k]
    if p < 1.0 and log.u_fcr[k] >= 1.0 - (1.0 - p) * (1.0 - desk.empowerment):
        log.escalated[k] = 1  # second level
        team = desk.level2
        req2 = team.request(priority=log.priority[k])
        if not req2.triggered:
            yield req2
        agent2 = heappop(desk.free_second_level)
        log.agent2[k] = agent2
        yield env.timeout(log.level2[k])
        heappush(desk.free_second_level, agent2)
        team.release(req2)
    else:
        log.fcr[k] = 1
    log.resolved[k] = env.now
    log.outcome[k] = RESOLVED
    desk.closed(k)
