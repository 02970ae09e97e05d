"""Evergreen's loyalty club as part of the running firm: enrolment, points, tiers, benefits.

:class:`LoyaltyClub` hooks into the firm (``acquired`` and ``order`` hooks, plus lever
changes) and runs one SimPy process, :meth:`LoyaltyClub.calendar`, that each day expires
points and holds the yearly tier reviews due that day. It acts on customers only through
the firm's per-customer levers: ``logit_shift`` (odds of leaving), ``rate_boost`` (order
rate) and ``extra_discount`` (price), always adding its own part and removing it again,
so other modules can use the same levers.

Behavioural effects (each switchable in :class:`~simulation.loyalty_params.LoyaltyEffects`):

- **Goal gradient** — customers buy faster as they near a reward (Kivetz, Urminsky & Zheng
  2006, *Journal of Marketing Research* 43(1): a coffee card's purchase intervals shortened
  by about 20 % towards the free coffee) and are less likely to abandon a goal in progress.
  With progress ``p`` towards the next voucher or tier (whichever is nearer), the order rate
  is multiplied by ``1 + g max(0, (p - p0) / (1 - p0))`` and ``r p`` is subtracted from the
  log-odds of leaving; both reset after a redemption.
- **Endowed progress** — points given at enrolment count as progress, so members who start
  with some progress complete more often (Nunes & Drèze 2006, *Journal of Consumer Research*
  32(4): 34 % against 19 % for the same effort). When the effect is off, progress counts
  only the member's own points: ``(balance - e) / (V - e)`` with ``e`` the welcome points
  still in the balance.
- **Benefits lower the odds of leaving** — membership and each benefit subtract from the
  log-odds (or log-hazard) of leaving: ``-(m + b_d discount_pct + b_f [free delivery] +
  b_w warranty_years + b_p [desk priority] + b_e events_per_year)``, all coefficients
  >= 0, so more benefits never raise the odds (Bolton, Kannan & Bramlett 2000, *JAMS*
  28(1); Verhoef 2003, *Journal of Marketing* 67(4); Meyer-Waarden 2007, *Journal of
  Retailing* 83(2)).
- **Demotion** — a demoted member is less loyal than one never promoted to the tier they
  now hold: ``+demotion_penalty`` on the log-odds of leaving from the first demotion on
  (Wagner, Hennig-Thurau & Rudolph 2009, *Journal of Marketing* 73(3)).
"""
from __future__ import annotations

import math

from .loyalty_ledger import (ANNUAL, DEMOTION, EARN, ENROL, EXPIRE, PARTNER, PROMOTION, REDEEM, WELCOME,
                             LedgerLog)

__all__ = ["LoyaltyClub"]

_APPLIANCE = 0
_YEAR = 365.0


class LoyaltyClub:
    """The club of one running firm. Create with ``LoyaltyClub(firm).attach()``."""

    def __init__(self, firm):
        self.firm = firm
        self.env = firm.env
        self.ledger = LedgerLog()
        s = firm.streams
        self.u_enrol = s.uniform("loyalty.enrolment")
        self.u_partner = s.uniform("loyalty.partner")
        self.u_redeem = s.uniform("loyalty.redemption")
        self.tier: list[int] = []          # per customer: 0 = not a member, 1..4 = tier
        self.mid: list[int] = []           # per customer: member number or -1
        self.members: list[int] = []       # per member: customer id
        # per member
        self.balance, self.head, self.lot_exp, self.lot_pts = [], [], [], []
        self.win_t, self.win_q, self.win_head, self.win_sum = [], [], [], []
        self.welcome_lot, self.demoted, self.shift, self.boost, self.disc = [], [], [], [], []
        self.pshift: list[float] = []      # per member: the progress part of the odds of leaving
        self.partner_rate, self.partner_from, self.partner_carry = [], [], []
        self.reviews: dict[int, list[int]] = {}
        self.expiries: dict[int, list[int]] = {}
        self._apply(firm.scenario.loyalty)

    def attach(self) -> "LoyaltyClub":
        """Register the hooks and the calendar process on the firm; returns self."""
        h = self.firm.hooks
        h["acquired"].append(self.on_acquired)
        h["order"].append(self.on_order)
        h.setdefault("set", []).append(self.on_set)
        self.env.process(self.calendar())
        return self

    # ------------------------------------------------------------------ settings
    def _apply(self, lo) -> None:
        """Cache what the hooks need from the scenario's Loyalty part."""
        self.lo = lo
        ef, co = lo.effects, lo.costs
        tiers = lo.tiers
        self.thresholds = [t.threshold for t in tiers]
        self.mult = [0.0] + [t.points_multiplier for t in tiers]
        self.disc_share = [0.0] + [t.discount_pct / 100.0 for t in tiers]
        self.order_cost = [0.0] + [(co.delivery_cny if t.free_delivery else 0.0)
                                   + t.warranty_years * co.warranty_cny_per_year for t in tiers]
        self.annual_cost = [0.0] + [t.events_per_year * co.event_cny
                                    + (co.priority_cny_per_year if t.desk_priority else 0.0)
                                    + co.admin_cny_per_year for t in tiers]
        if ef.benefit_retention:
            self.tier_shift = [0.0] + [-(ef.membership_effect + ef.discount_effect * t.discount_pct
                                         + (ef.delivery_effect if t.free_delivery else 0.0)
                                         + ef.warranty_effect * t.warranty_years
                                         + (ef.priority_effect if t.desk_priority else 0.0)
                                         + ef.events_effect * t.events_per_year) for t in tiers]
        else:
            self.tier_shift = [0.0] * 5
        self.penalty = ef.demotion_penalty if ef.demotion_effect else 0.0
        self.priority = [False] + [t.desk_priority for t in tiers]
        self.ppc = lo.points_per_cny
        self.V = lo.voucher_points
        self.on_spend = lo.qualify_on == "spend"
        self.gradient = ef.goal_gradient
        self.expiry = lo.expiry_days
        self.endowed = ef.endowed_progress
        self.redeem_prob = lo.redeem_prob
        self.voucher_value = lo.voucher_value_cny
        self.g, self.p0 = ef.goal_gradient_boost, ef.goal_gradient_from
        self.pr = ef.progress_retention

    def on_set(self, firm) -> None:
        """Levers changed: new benefits apply to every member from now on."""
        if firm.scenario.loyalty == self.lo:
            return
        self._apply(firm.scenario.loyalty)
        for m, i in enumerate(self.members):
            self._member_levers(i, m)

    # ------------------------------------------------------------------ queries
    def tier_of(self, i: int) -> int:
        """Tier code of customer ``i`` (0 = not a member)."""
        return self.tier[i] if i < len(self.tier) else 0

    def has_desk_priority(self, i: int) -> bool:
        """Whether customer ``i``'s tier has priority at the complaint desk."""
        return self.priority[self.tier_of(i)]

    # ------------------------------------------------------------------ enrolment
    def on_acquired(self, firm, i: int) -> None:
        """A new customer: join the club automatically or with the channel's opt-in chance."""
        while len(self.tier) <= i:
            self.tier.append(0)
            self.mid.append(-1)
        lo = self.lo
        if lo.enrolment_mode != "automatic":
            en = lo.enrolment
            p = (en.store, en.web, en.dealer, en.referral)[firm.chan[i]]
            if firm.seg[i] == 1:
                p = min(1.0, p * en.small_business_factor)
            if self.u_enrol() >= p:
                return
        self._join(i)

    def _join(self, i: int) -> None:
        now = self.env.now
        m = len(self.members)
        self.members.append(i)
        self.mid[i] = m
        self.tier[i] = 1
        w = self.lo.welcome_points
        self.balance.append(0)
        self.head.append(0)
        self.lot_exp.append([])
        self.lot_pts.append([])
        self.win_t.append([])
        self.win_q.append([])
        self.win_head.append(0)
        self.win_sum.append(0.0)
        self.welcome_lot.append(w > 0)
        self.demoted.append(False)
        self.shift.append(0.0)
        self.boost.append(1.0)
        self.pshift.append(0.0)
        self.disc.append(0.0)
        rate = self.lo.partner_points_per_year / _YEAR if self.u_partner() < self.lo.partner_share else 0.0
        self.partner_rate.append(rate)
        self.partner_from.append(now)
        self.partner_carry.append(0.0)
        led = self.ledger
        led.add(now, i, -1, ENROL, 0, 0, 1, 0.0, 0.0)
        if w > 0:
            self._add_points(i, m, w, now)
            led.add(now, i, -1, WELCOME, w, self.balance[m], 1, 0.0, 0.0)
        led.add(now, i, -1, ANNUAL, 0, self.balance[m], 1, self.annual_cost[1], 0.0)
        self.reviews.setdefault(math.ceil(now + _YEAR), []).append(i)
        self._member_levers(i, m)
        self._gradient(i, m)

    # ------------------------------------------------------------------ points
    def _add_points(self, i: int, m: int, pts: int, now: float) -> None:
        exp = now + self.expiry
        self.lot_exp[m].append(exp)
        self.lot_pts[m].append(pts)
        self.balance[m] += pts
        bucket = self.expiries.setdefault(math.ceil(exp), [])
        if not bucket or bucket[-1] != i:
            bucket.append(i)

    def _take(self, m: int, pts: int) -> None:
        """Use ``pts`` points, oldest first."""
        lots, h = self.lot_pts[m], self.head[m]
        while pts > 0:
            x = lots[h]
            if x > pts:
                lots[h] = x - pts
                break
            pts -= x
            lots[h] = 0
            h += 1
        self.head[m] = h

    def _window(self, m: int, now: float) -> float:
        """The rolling 12-month qualifying amount after dropping what is older than a year."""
        ts, h = self.win_t[m], self.win_head[m]
        s = self.win_sum[m]
        if h < len(ts) and ts[h] <= now - _YEAR:
            qs = self.win_q[m]
            while h < len(ts) and ts[h] <= now - _YEAR:
                s -= qs[h]
                h += 1
            s = s if s > 1e-9 else 0.0
            self.win_head[m], self.win_sum[m] = h, s
        return s

    def _partner(self, i: int, m: int, now: float) -> None:
        x = self.partner_rate[m] * (now - self.partner_from[m]) + self.partner_carry[m]
        self.partner_from[m] = now
        pts = int(x)
        self.partner_carry[m] = x - pts
        if pts > 0:
            self._add_points(i, m, pts, now)
            self.ledger.add(now, i, -1, PARTNER, pts, self.balance[m], self.tier[i],
                            -pts * self.lo.partner_price_per_point_cny, self.win_sum[m])

    def on_order(self, firm, i: int, oid: int, category: int, amount: float) -> None:
        """A member's order: earn points, maybe reach a tier, maybe redeem a voucher."""
        m = self.mid[i]
        if m < 0:
            return
        now = self.env.now
        if self.partner_rate[m] > 0.0:
            self._partner(i, m, now)
        t = self.tier[i]
        pts = int(amount * self.ppc * self.mult[t])
        bal = self.balance[m]
        if pts > 0:
            exp = now + self.expiry
            self.lot_exp[m].append(exp)
            self.lot_pts[m].append(pts)
            bal += pts
            self.balance[m] = bal
            day = math.ceil(exp)
            bucket = self.expiries.get(day)
            if bucket is None:
                self.expiries[day] = [i]
            elif bucket[-1] != i:
                bucket.append(i)
        d = self.disc_share[t]
        disc = amount * d / (1.0 - firm.extra_discount[i]) if d else 0.0
        cost = disc + self.order_cost[t] if category == _APPLIANCE else disc
        x = amount if self.on_spend else pts
        self.win_t[m].append(now)
        self.win_q[m].append(x)
        q = self.win_sum[m] + x
        self.win_sum[m] = q
        if self.win_t[m][self.win_head[m]] <= now - _YEAR:
            q = self._window(m, now)
        led = self.ledger
        led.add(now, i, oid, EARN, pts, bal, t, cost, q, disc)
        if t < 4 and q >= self.thresholds[t]:
            nt = t + 1
            while nt < 4 and q >= self.thresholds[nt]:
                nt += 1
            self._change(i, m, nt, PROMOTION, now, q)
            t = nt
        V = self.V
        if bal >= V and self.u_redeem() < self.redeem_prob:
            self._take(m, V)
            bal -= V
            self.balance[m] = bal
            led.add(now, i, oid, REDEEM, -V, bal, t, self.voucher_value, q)
            self.welcome_lot[m] = False
        if self.gradient:
            if self.endowed or not self.welcome_lot[m]:          # the common case, inlined
                p = bal / V
                if t < 4:
                    p2 = q / self.thresholds[t]
                    p = p2 if p2 > p else p
                self._apply_progress(firm, i, m, p if p < 1.0 else 1.0)
            else:
                self._gradient(i, m)

    # ------------------------------------------------------------------ tiers and effects
    def _change(self, i: int, m: int, nt: int, entry: int, now: float, q: float) -> None:
        self.tier[i] = nt
        if entry == DEMOTION:
            self.demoted[m] = True
        self.ledger.add(now, i, -1, entry, 0, self.balance[m], nt, 0.0, q)
        self._member_levers(i, m)

    def _member_levers(self, i: int, m: int) -> None:
        """Set the club's part of the member's odds of leaving and discount for their tier."""
        firm, t = self.firm, self.tier[i]
        shift = self.tier_shift[t] + (self.penalty if self.demoted[m] else 0.0)
        firm.logit_shift[i] += shift - self.shift[m]
        self.shift[m] = shift
        d = self.disc_share[t]
        firm.extra_discount[i] += d - self.disc[m]
        self.disc[m] = d

    def progress(self, m: int) -> float:
        """Perceived progress (0–1) towards the nearer of the next voucher and the next tier."""
        bal, V = self.balance[m], self.V
        if self.lo.effects.endowed_progress or not self.welcome_lot[m] or self.head[m] > 0:
            p = bal / V
        else:
            e = self.lot_pts[m][0]
            p = (bal - e) / (V - e)
        t = self.tier[self.members[m]]
        if t < 4:
            p2 = self.win_sum[m] / self.thresholds[t]
            p = p2 if p2 > p else p
        return 1.0 if p > 1.0 else (0.0 if p < 0.0 else p)

    def _gradient(self, i: int, m: int) -> None:
        """Goal gradient: the member buys faster, and is less likely to leave, near a reward."""
        if self.gradient:
            self._apply_progress(self.firm, i, m, self.progress(m))

    def _apply_progress(self, firm, i: int, m: int, p: float) -> None:
        """Set the order-rate factor ``1 + g max(0, (p - p0)/(1 - p0))`` and the odds shift ``-r p``."""
        x = (p - self.p0) / (1.0 - self.p0)
        b = 1.0 + self.g * x if x > 0.0 else 1.0
        old = self.boost[m]
        if b != old:
            firm.rate_boost[i] *= b / old
            self.boost[m] = b
        ps = -self.pr * p
        old = self.pshift[m]
        if ps != old:
            firm.logit_shift[i] += ps - old
            self.pshift[m] = ps

    # ------------------------------------------------------------------ the calendar
    def calendar(self):
        """Process: each day, expire points that are due and hold the yearly reviews due."""
        env = self.env
        day = math.floor(env.now)
        while True:
            day += 1
            yield env.timeout(day - env.now)
            for i in self.expiries.pop(day, ()):
                self._expire(i, day)
            for i in self.reviews.pop(day, ()):
                self._review(i, day)

    def _expire(self, i: int, day: int) -> None:
        m = self.mid[i]
        exps, lots, h = self.lot_exp[m], self.lot_pts[m], self.head[m]
        gone = 0
        while h < len(exps) and exps[h] <= day:
            gone += lots[h]
            lots[h] = 0
            h += 1
        self.head[m] = h
        if gone:
            self.balance[m] -= gone
            self.welcome_lot[m] = self.welcome_lot[m] and h == 0
            self.ledger.add(day, i, -1, EXPIRE, -gone, self.balance[m], self.tier[i], 0.0, self.win_sum[m])
            self._gradient(i, m)

    def _review(self, i: int, day: int) -> None:
        """Yearly review: re-qualify on the last 12 months (demote), charge the year's benefits."""
        m = self.mid[i]
        if self.partner_rate[m] > 0.0:
            self._partner(i, m, day)
        q = self._window(m, day)
        t = self.tier[i]
        qt = 1
        while qt < 4 and q >= self.thresholds[qt]:
            qt += 1
        if qt < t:
            self._change(i, m, max(qt, t - 1) if self.lo.soft_landing else qt, DEMOTION, day, q)
        t = self.tier[i]
        self.ledger.add(day, i, -1, ANNUAL, 0, self.balance[m], t, self.annual_cost[t], q)
        self.reviews.setdefault(day + 365, []).append(i)
        self._gradient(i, m)
