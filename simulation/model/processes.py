"""The SimPy processes of the firm: prospects arriving, customers ordering, plans renewing.

Each process reads like the course: a channel brings prospects; a prospect makes contact
and may become a customer; a customer orders, lives through deliveries, installations and
failures, may refer others or deter them, may leave and may come back; a service plan
renews every year or lapses. The processes decide *when* things happen; the firm's rules
for *what* happens at an order live in :class:`simulation.model.firm.Firm`.
"""

from __future__ import annotations

import simpy

__all__ = ["channel_arrivals", "prospect", "customer", "reconsider", "service_plan"]

INF = float("inf")


def channel_arrivals(env: simpy.Environment, firm, c: int):
    """Prospects arrive through channel ``c`` as a Poisson process.

    The waiting time is a unit exponential "mass" spent at the channel's current rate,
    so when a lever changes the rate mid-wait (the process is interrupted) the unspent
    mass is carried over: the arrivals stay an exact Poisson process with a piecewise
    constant rate (the time-change property of the Poisson process).
    """
    unit_exp = firm.streams.exponential(f"arrivals.{firm.channel_names[c]}")
    mass = unit_exp()
    while True:
        rate = firm.prospect_rate[c]
        start = env.now
        try:
            if rate > 0:
                yield env.timeout(mass / rate)
            else:
                yield env.event()  # closed channel: wait for a lever change
            firm.contact(c)
            mass = unit_exp()
        except simpy.Interrupt:
            mass = max(mass - (env.now - start) * rate, 0.0)


def prospect(env: simpy.Environment, firm, i: int, delay: float):
    """A converting prospect: first order after ``delay`` days, then a customer for life."""
    if delay > 0:
        yield env.timeout(delay)
    firm.acquire(i)
    yield from customer(env, firm, i)


def referred_prospect(env: simpy.Environment, firm, referrer: int, delay: float):
    """A prospect referred by customer ``referrer`` contacts the firm after ``delay`` days."""
    yield env.timeout(delay)
    i, wait = firm.referred_contact(referrer)
    if i >= 0:
        yield from prospect(env, firm, i, wait)


def customer(env: simpy.Environment, firm, i: int):
    """An acquired customer: orders until leaving; a lost customer may come back.

    Repeat orders follow a Poisson process at the customer's rate (times the price
    multiplier in force when the wait starts). Under the ``after_purchase`` dropout model
    the customer may leave after each repeat order (BG/NBD); under ``constant_hazard``
    the customer leaves when their exponential "leaving mass" is spent.
    """
    order, next_gap, leaves_after_order = firm.place_order, firm.next_gap, firm.leaves_after_order
    firm.proc[i] = env.active_process  # so a decision after a bad experience can end the wait
    order(i)  # the first order makes the customer
    while True:
        left = False
        try:
            if firm.hazard_mode:
                gap, leave_in = next_gap(i), firm.time_to_leave(i)
                if leave_in < gap:
                    yield env.timeout(leave_in)
                    firm.spend_leaving_mass(i, leave_in)
                    firm.leave(i)
                    left = True
                else:
                    yield env.timeout(gap)
                    firm.spend_leaving_mass(i, gap)
                    order(i)
            else:
                yield from wait_for_order(env, firm, i, next_gap(i))
                order(i)
                left = leaves_after_order(i)
        except simpy.Interrupt:  # left after a bad experience (see reconsider)
            left = True
        if left:
            back_in = firm.time_to_comeback(i)
            if env.now + back_in > firm.scenario.horizon_days:
                return  # not back within this run: free the process
            yield env.timeout(back_in)
            firm.come_back(i)
            order(i)


def wait_for_order(env: simpy.Environment, firm, i: int, gap: float):
    """Wait ``gap`` days for the next order; a price change on the way re-times the rest.

    The wait is exponential, so its unspent part can be rescaled exactly (the time-change
    property, as for the channels' arrivals): when a price lever changes the customer's rate
    multiplier from ``m_old`` to ``m_new`` (:meth:`~simulation.model.firm.Firm.set`
    interrupts the wait with cause ``"price"``), the rest of the wait becomes
    ``rest * m_old / m_new``. Any other interruption (leaving) is passed on.
    """
    end = env.now + gap
    waiting = firm.waiting
    waiting.add(i)
    try:
        while True:
            try:
                yield env.timeout(end - env.now)
                return
            except simpy.Interrupt as stop:
                if stop.cause != "price":
                    raise
                old = firm.gap_mult[i]
                new = firm.rate_factor(i)
                firm.gap_mult[i] = new
                end = env.now + (end - env.now) * old / new if new > 0 else INF
    finally:
        waiting.discard(i)


def reconsider(env: simpy.Environment, firm, i: int, delay: float):
    """After a bad experience the customer takes ``delay`` days to decide whether to stay."""
    yield env.timeout(delay)
    firm.weigh_leaving(i)


def service_plan(env: simpy.Environment, firm, i: int, plan: int):
    """A yearly service plan: at each anniversary it renews or lapses (sBG).

    It lapses with the customer's own probability ``theta`` (drawn once from a beta
    distribution), and always lapses when the customer has left the firm.
    """
    while True:
        yield env.timeout(365.0)
        if not firm.renews_plan(i, plan):
            return
