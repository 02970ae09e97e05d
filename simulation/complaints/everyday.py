"""The contact centre's everyday load: pre-sales questions, enquiries, bookings, repairs, billing.

:class:`EverydayContacts` listens to the firm's events and turns some of them into contacts
for the same desk (agents, queue, opening hours) that handles complaints:

========================  =====================================  ==================================
contact type              triggering event                        hook
========================  =====================================  ==================================
``pre_sales``             a prospect contacts the firm            ``prospect``
``order_enquiry``         a (non-contract) order                  ``order``
``booking``               an appliance order (delivery, install)  ``order`` (category appliance)
``repair_request``        a product failure                       ``order`` after ``experience``
``billing_question``      a (non-contract) order                  ``order``
========================  =====================================  ==================================

Each event leads to a contact with the reason's probability ``p`` — a Bernoulli trial per
event, drawn as the geometric number of events until the next contact,
``ceil(E / -ln(1 - p))`` with ``E ~ Exp(1)`` (the same law with one draw per contact instead
of one per event). The contact arrives ``Exp(delay_hours)`` after the event through a channel
drawn from the desk's channel shares
(at a uniform moment of the next open period when the channel is closed), and the agent
spends ``Exp(handling_min)`` minutes on it and closes it at first contact. Online forms and
social-media posts are deferrable work: they queue behind calls and store contacts (priority
1), as in a blended centre where agents answer e-mail when no call waits.

Waiting and not getting through cost the customer (:class:`~simulation.scenario.contact_parts.ContactReasons`):
an answered contact loses ``wait_drop_per_hour x`` the hours waited beyond the channel's target
(``target_answer_s`` for calls and store visits, ``online_response_hours`` for forms and posts);
an abandoned contact loses ``unanswered_drop`` points, adds ``unanswered_leaving_odds`` to the
customer's log-odds of leaving (fading like a complaint's grudge) and makes "service" the
customer's reason if they leave. Having to try again is the costliest part of a contact for
loyalty (Dixon, Freeman & Toman 2010, *Harvard Business Review* 88(7/8)).

Every reason draws from named streams of its own (``contacts.<reason>.*``), so the firm's and
the complaints' streams never shift and the same seed gives the same contacts whatever the
staffing (common random numbers).
"""

from __future__ import annotations

import math
from itertools import accumulate

from ..model.records import CATEGORY, CHURN
from ..scenario.complaint_parts import COMPLAINT_CHANNELS
from ..scenario.contact_parts import CONTACT_REASONS, CONTACT_TYPES
from .desk import MINUTE
from .records import ABANDONED

__all__ = ["EverydayContacts", "into_hours", "channel_arrival", "next_open_time"]

_SERVICE = CHURN["service"]
_APPLIANCE = CATEGORY["appliance"]
_PRE, _ENQ, _BOOK, _REPAIR, _BILL = (CONTACT_TYPES.index(r) for r in CONTACT_REASONS)


def into_hours(t: float, opens: float, closes: float) -> float:
    """``t`` if the channel is open then, else its next opening (times in days)."""
    day = math.floor(t)
    f = t - day
    if opens <= f < closes:
        return t
    return day + opens if f < opens else day + 1.0 + opens


def channel_arrival(at: float, chan, spread: float) -> float:
    """When a complaint meant for time ``at`` reaches channel ``chan``.

    Inside the channel's hours: ``at``. Outside: the next opening plus ``spread x 30`` minutes
    (``spread ~ Exp(1)``: the morning peak of the complaints that waited for the opening).
    """
    if chan.opens_hour > 0 or chan.closes_hour < 24:
        shifted = into_hours(at, chan.opens_hour / 24.0, chan.closes_hour / 24.0)
        if shifted != at:
            return shifted + spread * 30.0 * MINUTE
    return at


def next_open_time(at: float, chan, u: float) -> float:
    """When an everyday contact meant for time ``at`` reaches channel ``chan``.

    Inside the channel's hours: ``at``. Outside: a uniform moment ``u`` of the channel's next
    open period (the customer gets round to it some time the next day). A Poisson stream of
    events over the whole day so becomes a Poisson stream over the open hours, at the rate
    ``24 / open hours`` times higher, with no peak at the opening.
    """
    if chan.opens_hour > 0 or chan.closes_hour < 24:
        o, c = chan.opens_hour / 24.0, chan.closes_hour / 24.0
        shifted = into_hours(at, o, c)
        if shifted != at:
            return shifted + u * (c - o)
    return at


class _Reason:
    """The random sources and the event countdown of one reason."""

    __slots__ = ("kind", "p", "left", "e_skip", "u_chan", "e_delay", "u_later", "e_hand", "e_pat", "part")

    def __init__(self, streams, name: str, kind: int):
        self.kind = kind
        self.p = -1.0
        self.left = -1
        self.e_skip = streams.exponential(f"contacts.{name}.events")
        self.u_chan = streams.uniform(f"contacts.{name}.channel")
        self.e_delay = streams.exponential(f"contacts.{name}.delay")
        self.u_later = streams.uniform(f"contacts.{name}.later")
        self.e_hand = streams.exponential(f"contacts.{name}.handling")
        self.e_pat = streams.exponential(f"contacts.{name}.patience")

    def set(self, part) -> None:
        self.part = part
        if part.prob != self.p:  # the geometric law is memoryless: redraw on a change
            self.p = part.prob
            self.skip()

    def skip(self) -> None:
        """Events until the next contact: ``ceil(E / -ln(1 - p))`` (geometric, support 1, 2, ...)."""
        p = self.p
        if p <= 0.0:
            self.left = -1
        elif p >= 1.0:
            self.left = 1
        else:
            self.left = max(1, math.ceil(self.e_skip() / -math.log1p(-p)))

    def hit(self) -> bool:
        """One triggering event: True when it leads to a contact."""
        self.left -= 1
        if self.left == 0:
            self.skip()
            return True
        return False


class EverydayContacts:
    """Everyday contacts of the firm's customers and prospects, queued at the centre's desk."""

    def __init__(self, centre):
        self.centre = centre
        self.firm = centre.firm
        self.desk = centre.desk
        self.log = centre.log
        s = self.firm.streams
        self.reasons = [_Reason(s, name, CONTACT_TYPES.index(name)) for name in CONTACT_REASONS]
        self.pre, self.enq, self.book, self.repair, self.bill = self.reasons
        self.apply(self.firm.scenario.complaints)

    def attach(self) -> "EverydayContacts":
        """Register the prospect hook (orders and failures come through the centre)."""
        self.firm.hooks["prospect"].append(self.on_prospect)
        return self

    def apply(self, sc) -> None:
        """Cache the scenario's reasons and channels (at start and after a lever change)."""
        parts = sc.contacts
        for r, name in zip(self.reasons, CONTACT_REASONS):
            r.set(getattr(parts, name))
        self.drop = parts.unanswered_drop
        self.chans = [getattr(sc.channels, c) for c in COMPLAINT_CHANNELS]
        self.cum_share = list(accumulate(c.share for c in self.chans))
        self.rule = sc.priority
        self.cost_per_day = sc.agent_cost_per_hour_cny * 24.0
        self.odds = parts.unanswered_leaving_odds
        self.wait_drop_per_day = parts.wait_drop_per_hour * 24.0
        self.target = [sc.target_answer_s / 86_400.0, sc.online_response_hours / 24.0]

    # ------------------------------------------------------------------ triggers
    def on_prospect(self, firm, i: int) -> None:
        """A prospect's contact event: maybe a pre-sales question."""
        if self.pre.hit():
            self.create(self.pre, i, -1)

    def on_order(self, firm, i: int, oid: int, category: int, failed: bool) -> None:
        """A non-contract order (and whether its product failed): enquiries, booking, billing, repair."""
        if self.enq.hit():
            self.create(self.enq, i, oid)
        if self.bill.hit():
            self.create(self.bill, i, oid)
        if category == _APPLIANCE and self.book.hit():
            self.create(self.book, i, oid)
        if failed and self.repair.hit():
            self.create(self.repair, i, oid)

    def create(self, r: _Reason, i: int, oid: int) -> None:
        """Draw contact attributes from the reason's streams and send it to the desk."""
        now = self.firm.env.now
        log = self.log
        k = log.new(now)
        log.kind[k] = r.kind
        log.customer[k] = i
        log.order[k] = oid
        log.category[k] = 4  # "other": not a failure category
        u = r.u_chan()
        ch = 0
        while ch < 3 and u >= self.cum_share[ch]:
            ch += 1
        chan = self.chans[ch]
        part = r.part
        at = next_open_time(now + r.e_delay() * part.delay_hours / 24.0, chan, r.u_later())
        log.arrival[k] = at
        log.channel[k] = ch
        log.handling[k] = r.e_hand() * part.handling_min * MINUTE
        pat = r.e_pat()
        if chan.patience_min > 0:
            log.patience[k] = pat * chan.patience_min * MINUTE
        if ch in (1, 3):
            log.priority[k] = 1  # online forms and posts: deferrable, answered when no call waits
        self.desk.receive_contact(k, at)

    # ------------------------------------------------------------------ closing
    def close(self, k: int) -> None:
        """Cost of the agent's time; waiting beyond the target and giving up cost the customer.

        Answered: ``drop = wait_drop_per_hour x max(0, wait - target)`` (hours). Abandoned:
        ``drop = unanswered_drop``, ``unanswered_leaving_odds`` added to the log-odds of leaving
        and the churn reason set to ``service``. Prospects who never became customers have
        nothing to lose here.
        """
        log = self.log
        answered = log.answered[k]
        i = log.customer[k]
        if answered == answered:
            log.cost[k] = (log.handled[k] - answered) * self.cost_per_day
            if i < 0 or self.wait_drop_per_day <= 0.0:
                return
            late = answered - log.arrival[k] - self.target[log.channel[k] in (1, 3)]
            if late <= 0.0:
                return
            drop = self.wait_drop_per_day * late
        elif log.outcome[k] == ABANDONED and i >= 0:
            drop = self.drop
            if self.odds > 0.0:
                self.centre.add_grudge(self.firm, i, self.odds)
            self.firm.bad[i] = _SERVICE
        else:
            return
        sat = self.firm.sat
        s_new = sat[i] - drop
        sat[i] = s_new if s_new > 0.0 else 0.0
        log.sat_after[k] = sat[i]
