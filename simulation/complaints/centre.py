"""The firm's complaints: failures that customers voice (or not), the desk, service recovery.

:class:`ComplaintCentre` connects the firm to the desk (:mod:`simulation.complaints.desk`):

1. A failure happens at an order (late delivery, installation problem, product defect — from
   the firm's rules — or a billing error, drawn here with ``billing_error_prob``). One order
   gives at most one complaint, about its most serious failure.
2. Its severity is assessed; the customer stays silent with probability
   ``silent_share x severity factor`` (TARP 1986; Hirschman's "exit or voice"). Silent
   customers are recorded as hidden-truth rows (outcome ``silent``) the firm cannot see.
3. Otherwise the customer picks a channel (shares), complains ``Exp(delay_hours)`` later
   (moved into the channel's opening hours) and the complaint goes through the desk.
4. When it closes, service recovery (:mod:`simulation.complaints.recovery`) updates satisfaction.
   A complaint abandoned (recovery quality ``Q = 0``) or handled below ``acceptable_quality``
   costs up to ``unresolved_drop`` points and adds up to ``leaving_odds_unresolved`` to the
   customer's log-odds of leaving (a grudge that halves every ``memory_half_life_days``,
   brought up to date at each of the customer's orders, before the decision to leave). A badly
   handled, abandoned or slow one (``slow_after_hours``) marks the customer's churn reason as
   ``complaint`` and spreads negative word of mouth to ``reach`` people (social media reaches
   further), each of whom is deterred with the firm's ``WordOfMouth.deterrence_prob``.

All random draws of a complaint are made when it is created, from streams of its own,
so the firm's other streams never shift and the same seed gives the same complaints
whatever the staffing (common random numbers).
"""

from __future__ import annotations

import math
from itertools import accumulate

from ..model.records import CHURN, EV
from ..scenario.complaint_parts import (
    COMPLAINT_CATEGORIES,
    COMPLAINT_CHANNELS,
    SEVERITY_COMPENSATION,
    SEVERITY_FCR,
    SEVERITY_HANDLING,
    SEVERITY_SILENCE,
)
from .desk import MINUTE, Desk
from .everyday import EverydayContacts, channel_arrival
from .kpis import start_weekday
from .records import ABANDONED, RESOLVED_LATE, SILENT, ComplaintLog
from .recovery import complaint_leaving_odds, faded, recovery_quality, retention_offset, satisfaction_after

__all__ = ["ComplaintCentre"]

_ORDER, _LATE, _PROBLEM, _FAILURE = (
    EV[e] for e in ("order", "late_delivery", "installation_problem", "product_failure")
)
_DEFECT, _LATE_C, _INSTALL, _BILLING = (
    COMPLAINT_CATEGORIES.index(c) for c in ("product_defect", "late_delivery", "installation_problem", "billing_error")
)
_SERVICE, _COMPLAINT = CHURN["service"], CHURN["complaint"]
_CAPACITY = 200  # largest staffing a lever may set


class ComplaintCentre:
    """The firm's complaint handling: hooks on its orders, the desk, recovery effects."""

    def __init__(self, firm):
        self.firm = firm
        sc = firm.scenario.complaints
        self.desk = Desk(
            firm.env,
            sc.agents,
            sc.second_level_agents,
            capacity=_CAPACITY,
            opens_hour=sc.opens_hour,
            closes_hour=sc.closes_hour,
            classify_min=sc.classify_min,
            empowerment=sc.recovery.empowerment,
            week=sc.weekly_roster() if sc.roster else None,
            start_weekday=start_weekday(firm.scenario.start_date),
        )
        self.desk.on_close = self._close
        self.log: ComplaintLog = self.desk.log
        s = firm.streams
        self.e_bill = s.exponential("complaints.billing_error")
        self.u_sev = s.uniform("complaints.severity")
        self.u_voice = s.uniform("complaints.voice")
        self.u_chan = s.uniform("complaints.channel")
        self.e_delay = s.exponential("complaints.delay")
        self.e_spread = s.exponential("complaints.opening_spread")
        self.e_hand = s.exponential("complaints.handling")
        self.e_pat = s.exponential("complaints.patience")
        self.u_fcr = s.uniform("complaints.first_contact")
        self.e_l2 = s.exponential("complaints.second_level")
        self.u_wom = s.uniform("complaints.word_of_mouth")
        self.pending_oid = -1
        self.pending = (0, 0.0)
        self.guard: dict[int, float] = {}  # retention offsets of the recovery paradox, per customer
        self.grudge: dict[int, tuple[float, float, float]] = {}  # customer -> (odds now, odds at t0, t0)
        self.p_bill = -1.0
        self._apply(sc)
        self.everyday = EverydayContacts(self)

    def attach(self) -> "ComplaintCentre":
        """Register the hooks on the firm; returns self."""
        h = self.firm.hooks
        h["experience"].append(self.on_experience)
        h["order"].append(self.on_order)
        h.setdefault("set", []).append(self.on_set)
        self.everyday.attach()
        return self

    def _apply(self, sc) -> None:
        self.sc = sc
        self.rec = sc.recovery
        if sc.billing_error_prob != self.p_bill:
            self.p_bill = sc.billing_error_prob
            self._next_bill()
        chans = [getattr(sc.channels, c) for c in COMPLAINT_CHANNELS]
        self.cum_share = list(accumulate(c.share for c in chans))
        self.chans = chans
        self.cats = [getattr(sc.categories, c) for c in COMPLAINT_CATEGORIES[:4]]
        self.rule = sc.priority
        self.weights = (
            self.rec.weight_distributive,
            self.rec.weight_interactional,
            self.rec.weight_procedural,
            self.rec.weight_speed,
        )

    def on_set(self, firm) -> None:
        """Levers changed: new staffing, recovery levers and rules from now on."""
        sc = firm.scenario.complaints
        self._apply(sc)
        self.everyday.apply(sc)
        self.desk.empowerment = sc.recovery.empowerment
        roster = sc.weekly_roster() if sc.roster else None
        if roster != self.desk.roster:
            self.desk.set_roster(roster)
        if (sc.agents, sc.second_level_agents) != (self.desk.staff, self.desk.second_level_staff):
            self.desk.set_staff(sc.agents, sc.second_level_agents)

    # ------------------------------------------------------------------ failures
    def on_experience(self, firm, i: int, reason: int, oid: int) -> None:
        """A bad experience at order ``oid``: note its most serious failure for the order hook."""
        log = firm.log
        ev, order, sat = log.event, log.order, log.satisfaction
        cat, pre = _BILLING, firm.sat[i]
        k = len(ev) - 1
        while k >= 0:
            if order[k] == oid:
                e = ev[k]
                if e == _ORDER:
                    pre = sat[k]
                    break
                if e == _FAILURE:
                    cat = _DEFECT
                elif e == _PROBLEM and cat != _DEFECT:
                    cat = _INSTALL
                elif e == _LATE and cat == _BILLING:
                    cat = _LATE_C
            k -= 1
        self.pending_oid = oid
        self.pending = (cat, pre)

    def _next_bill(self) -> None:
        """Orders until the next billing error: geometric, ``ceil(E / -ln(1 - p))`` with ``E ~ Exp(1)``.

        ``P(N > n) = (1 - p)^n``, the same as a coin with chance ``p`` at every order, but
        with one draw per error instead of one per order. Redrawn when the lever changes
        (the geometric distribution is memoryless).
        """
        p = self.p_bill
        if p <= 0.0:
            self.bill_in = -1
        elif p >= 1.0:
            self.bill_in = 1
        else:
            self.bill_in = max(1, math.ceil(self.e_bill() / -math.log1p(-p)))

    def on_order(self, firm, i: int, oid: int, category: int, amount: float) -> None:
        """Every order: everyday contacts, a possible billing error, then the complaint (if any)."""
        if self.grudge and i in self.grudge:
            self.refresh_grudge(firm, i)
        self.everyday.on_order(firm, i, oid, category, self.pending_oid == oid and self.pending[0] == _DEFECT)
        self.bill_in -= 1
        billing = self.bill_in == 0
        if billing:
            self._next_bill()
        if self.pending_oid == oid:
            cat, pre = self.pending
            self.pending_oid = -1
        elif billing:
            cat, pre = _BILLING, firm.sat[i]
            firm.bad[i] = _SERVICE
        else:
            if self.guard and i in self.guard:
                self._decay_guard(firm, i)
            return
        if billing:
            s = firm.sat[i] - self.sc.billing_error_drop
            firm.sat[i] = s if s > 0.0 else 0.0
        self._create(firm, i, oid, cat, pre)

    def add_grudge(self, firm, i: int, g: float) -> None:
        """Add ``g`` to customer ``i``'s log-odds of leaving, to fade from now on (see :meth:`refresh_grudge`)."""
        if i in self.grudge:
            self.refresh_grudge(firm, i)
        now = firm.env.now
        cur = self.grudge[i][0] if i in self.grudge else 0.0
        self.grudge[i] = (cur + g, cur + g, now)
        firm.logit_shift[i] += g

    def refresh_grudge(self, firm, i: int) -> None:
        """Bring customer ``i``'s grudge up to date: ``g(t) = g0 x 2^(-(t - t0) / half-life)``."""
        cur, g0, t0 = self.grudge[i]
        new = faded(g0, firm.env.now - t0, self.rec.memory_half_life_days)
        if new < 1e-4:  # forgotten: remove exactly what is left
            firm.logit_shift[i] -= cur
            del self.grudge[i]
        else:
            firm.logit_shift[i] += new - cur
            self.grudge[i] = (new, g0, t0)

    def _decay_guard(self, firm, i: int) -> None:
        """A trouble-free order shrinks the paradox gap (and its offset) by ``good_order_gain``."""
        old = self.guard[i]
        new = old * (1.0 - firm.satisfaction.good_order_gain)
        firm.logit_shift[i] += new - old
        if new < 1e-9:
            firm.logit_shift[i] -= new
            del self.guard[i]
        else:
            self.guard[i] = new

    def _create(self, firm, i: int, oid: int, cat: int, pre: float) -> None:
        """Classify the failure, decide voice or silence, draw the complaint's attributes."""
        sc, log, now = self.sc, self.log, firm.env.now
        c = self.cats[cat]
        u = self.u_sev()
        sev = 2 if u < c.high_share else (0 if u < c.high_share + c.low_share else 1)
        k = log.new(now)
        log.customer[k] = i
        log.order[k] = oid
        log.category[k] = cat
        log.severity[k] = sev
        log.sat_pre[k] = pre
        log.sat_before[k] = firm.sat[i]
        club = firm.loyalty
        tier = club.tier_of(i) if club is not None else 0
        log.tier[k] = tier
        if self.u_voice() < sc.silent_share * SEVERITY_SILENCE[sev]:
            log.voiced[k] = 0
            log.outcome[k] = SILENT
            return
        u = self.u_chan()
        ch = 0
        while ch < 3 and u >= self.cum_share[ch]:
            ch += 1
        chan = self.chans[ch]
        at = now + self.e_delay() * chan.delay_hours / 24.0
        shifted = channel_arrival(at, chan, 0.0)
        if shifted != at:  # moved to the opening: the morning spread
            at = shifted + self.e_spread() * 30.0 * MINUTE
        log.arrival[k] = at
        log.channel[k] = ch
        log.handling[k] = self.e_hand() * sc.mean_handling_min * c.handling_factor * SEVERITY_HANDLING[sev] * MINUTE
        pat = self.e_pat()
        if chan.patience_min > 0:
            log.patience[k] = pat * chan.patience_min * MINUTE
        log.u_fcr[k] = self.u_fcr()
        log.fcr_p[k] = c.fcr_prob * SEVERITY_FCR[sev]
        log.level2[k] = self.e_l2() * sc.mean_second_level_min * MINUTE
        rule = self.rule
        if rule == "severity":
            log.priority[k] = -sev
        elif rule == "tier":
            log.priority[k] = -tier if tier and club is not None and club.has_desk_priority(i) else 0
        elif rule == "channel":
            log.priority[k] = 0 if ch in (0, 2) else 1
        self.desk.receive(k, at)

    # ------------------------------------------------------------------ recovery
    def _close(self, k: int) -> None:
        """Service recovery when complaint ``k`` is closed (resolved or abandoned)."""
        firm, log, rec = self.firm, self.log, self.rec
        if log.kind[k]:
            self.everyday.close(k)
            return
        i = log.customer[k]
        now = firm.env.now
        sc = self.sc
        answered = log.answered[k]
        if answered == answered:  # answered (not NaN)
            first = (log.handled[k] - answered) * 24.0 * sc.agent_cost_per_hour_cny
            second = log.level2[k] * 24.0 * sc.second_level_cost_per_hour_cny if log.escalated[k] else 0.0
            log.cost[k] = first + second
        s_now = firm.sat[i]
        bad = False
        if log.outcome[k] == ABANDONED:
            q = 0.0
            s_new = max(0.0, s_now - rec.unresolved_drop)
            bad = True
        else:
            sev = log.severity[k]
            comp = rec.compensation_cny * SEVERITY_COMPENSATION[sev]
            hours = (now - log.arrival[k]) * 24.0
            q = recovery_quality(
                comp,
                rec.fair_compensation_cny * SEVERITY_COMPENSATION[sev],
                rec.courtesy,
                rec.procedural,
                bool(log.fcr[k]),
                rec.escalation_procedural_factor,
                hours,
                rec.speed_reference_hours,
                self.weights,
            )
            pre = log.sat_pre[k]
            s_new = satisfaction_after(
                s_now,
                pre,
                log.sat_before[k],
                q,
                rec.excellent_from,
                rec.paradox_points,
                rec.acceptable_quality,
                rec.unresolved_drop,
            )
            log.compensation[k] = comp
            log.quality[k] = q
            if not rec.paradox_raises_repurchase:
                g = retention_offset(s_new, pre, s_now, firm.satisfaction_effect)
                if g > 0.0:
                    firm.logit_shift[i] += g
                    self.guard[i] = self.guard.get(i, 0.0) + g
            if hours > rec.slow_after_hours:
                log.outcome[k] = RESOLVED_LATE
                bad = True
            elif q < rec.acceptable_quality:
                bad = True
        firm.sat[i] = s_new
        log.sat_after[k] = s_new
        g = complaint_leaving_odds(q, rec.acceptable_quality, rec.leaving_odds_unresolved)
        if g > 0.0:
            self.add_grudge(firm, i, g)
        if bad:
            firm.bad[i] = _COMPLAINT
            reach = self.chans[log.channel[k]].reach * firm.word_of_mouth.deterrence_prob
            n = int(reach + self.u_wom())  # randomised rounding: E[n] = reach
            log.deterred[k] = n
            firm.deterrence_pending += n
