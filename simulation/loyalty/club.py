"""Evergreen's loyalty club as part of the running firm: enrolment, points, tiers, benefits.

:class:`LoyaltyClub` hooks into the firm (``acquired`` and ``order`` hooks, plus lever
changes) and runs one SimPy process, :meth:`LoyaltyClub.calendar`, that each day expires
points and holds the yearly tier reviews due that day. It acts on customers only through
the firm's per-customer levers: ``logit_shift`` (odds of leaving), ``rate_boost`` (order
rate) and ``extra_discount`` (price), always adding its own part and removing it again,
so other modules can use the same levers.

Behavioural effects (each switchable in :class:`~simulation.scenario.loyalty_parts.LoyaltyEffects`):

- **Goal gradient** — customers buy faster as they near a reward (Kivetz, Urminsky & Zheng
  2006, *Journal of Marketing Research* 43(1): a coffee card's purchase intervals shortened
  by about 20 % towards the free coffee) and are less likely to abandon a goal in progress.
  With progress ``p`` towards the next voucher and ``p2`` towards the next tier, the order
  rate is multiplied by ``1 + g max(v_V x(p), v_T x(p2))``, ``x(p) = max(0, (p - p0) / (1 -
  p0))``, and ``r max(v_V p, v_T p2)`` is subtracted from the log-odds of leaving; both reset
  after a redemption.
- **Reward value** — a goal pulls in proportion to what it is worth, with diminishing
  returns: ``v_V = (rebate / rebate_ref) ** eta`` for the voucher (rebate = voucher value per
  CNY spent, times the tier's points multiplier) and ``v_T = (step / step_ref) ** eta`` for
  the next tier (its extra benefits in log-odds of leaving); ``eta = 0.5`` by default, so
  doubling a voucher raises its pull by about 41 % while doubling its cost (concave value,
  Kahneman & Tversky 1979; the exponent is a stated assumption). See
  :meth:`LoyaltyClub.value_factors`.
- **Value of joining** — with opt-in enrolment the channel's log-odds of joining move by
  ``c ln(J / J_ref)``, ``J`` = welcome points' value + a year of rewards and member discount
  on a typical spend (:meth:`LoyaltyClub.join_log_odds`; membership as a choice on expected
  benefits, Leenheer et al. 2007). Welcome points thus raise enrolment as well as giving
  endowed progress.
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

from .ledger import ANNUAL, DEMOTION, EARN, ENROL, EXPIRE, PARTNER, PROMOTION, REDEEM, WELCOME, LedgerLog

__all__ = ["LoyaltyClub", "Member"]

_APPLIANCE = 0
_YEAR = 365.0


class Member:
    """The club's state of one member (slots only: small and quick to read in the hot path)."""

    __slots__ = (
        "customer",
        "tier",
        "balance",
        "lot_exp",
        "lot_pts",
        "head",
        "win_t",
        "win_q",
        "win_head",
        "win_sum",
        "welcome_lot",
        "demoted",
        "shift",
        "progress_shift",
        "boost",
        "member_discount",
        "partner_rate",
        "partner_from",
        "partner_carry",
    )

    def __init__(self, customer: int, now: float, welcome: bool, partner_rate: float):
        self.customer = customer
        self.tier = 1  # 1 member, 2 silver, 3 gold, 4 platinum
        self.balance = 0  # points
        self.lot_exp: list[float] = []  # expiry time of each lot of points, oldest first
        self.lot_pts: list[int] = []  # points left in each lot
        self.head = 0  # first lot with points left
        self.win_t: list[float] = []  # qualifying amounts of the last 12 months: times ...
        self.win_q: list[float] = []  # ... and amounts
        self.win_head = 0
        self.win_sum = 0.0  # rolling 12-month qualifying amount
        self.welcome_lot = welcome  # lot 0 holds the welcome points, untouched so far
        self.demoted = False
        self.shift = 0.0  # the club's parts of the firm's per-customer levers:
        self.progress_shift = 0.0  #   tier and demotion, progress (odds of leaving),
        self.boost = 1.0  #   order-rate factor,
        self.member_discount = 0.0  #   discount share
        self.partner_rate = partner_rate  # partner points per day (0 = no partner use)
        self.partner_from = now
        self.partner_carry = 0.0


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
        self.member_of: list[Member | None] = []  # per customer id
        self.members: list[Member] = []  # in order of enrolment
        self.reviews: dict[int, list[Member]] = {}  # yearly reviews by day
        # points due to expire, in the order they were earned (= order of expiry day)
        self.due_day: list[int] = []
        self.due_member: list[Member] = []
        self.due_head = 0
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
        self.order_cost = [0.0] + [
            (co.delivery_cny if t.free_delivery else 0.0) + t.warranty_years * co.warranty_cny_per_year for t in tiers
        ]
        self.annual_cost = [0.0] + [
            t.events_per_year * co.event_cny
            + (co.priority_cny_per_year if t.desk_priority else 0.0)
            + co.admin_cny_per_year
            for t in tiers
        ]
        if ef.benefit_retention:
            self.tier_shift = [0.0] + [
                -(
                    ef.membership_effect
                    + ef.discount_effect * t.discount_pct
                    + (ef.delivery_effect if t.free_delivery else 0.0)
                    + ef.warranty_effect * t.warranty_years
                    + (ef.priority_effect if t.desk_priority else 0.0)
                    + ef.events_effect * t.events_per_year
                )
                for t in tiers
            ]
        else:
            self.tier_shift = [0.0] * 5
        self.penalty = ef.demotion_penalty if ef.demotion_effect else 0.0
        self.voucher_pull, self.tier_pull = self.value_factors(lo)
        self.join_shift = self.join_log_odds(lo)
        self.priority = [False] + [t.desk_priority for t in tiers]
        self.ppc = lo.points_per_cny
        self.V = lo.voucher_points
        self.on_spend = lo.qualify_on == "spend"
        self.gradient = ef.goal_gradient
        self.endowed = ef.endowed_progress
        self.g, self.p0 = ef.goal_gradient_boost, ef.goal_gradient_from
        self.pr = ef.progress_retention
        self.expiry = lo.expiry_days
        self.redeem_prob = lo.redeem_prob
        self.voucher_value = lo.voucher_value_cny

    @staticmethod
    def value_factors(lo) -> tuple[list[float], list[float]]:
        """Per tier code (0–4): how strongly the next voucher and the next tier pull.

        Voucher: ``v_V = (rebate_pct * points_multiplier / reference_rebate_pct) ** eta``.
        Next tier: ``v_T = (step / tier_step_reference) ** eta`` with ``step = w(t + 1) - w(t)``
        and ``w = b_d (discount_pct + rebate_pct * multiplier) + b_f [free delivery]
        + b_w warranty_years + b_p [desk priority] + b_e events_per_year`` (the benefit
        effects' weights, reward rate valued like a discount); 0 when the next tier gives
        nothing more, and 0 above the top tier. ``eta = value_elasticity``.

        The reference values give the stated goal-gradient and progress sizes (Kivetz,
        Urminsky & Zheng 2006 measured theirs for one reward). That larger rewards pull harder
        but with diminishing returns is the concave value function of prospect theory
        (Kahneman & Tversky 1979, *Econometrica* 47(2); the power form with exponent 0.88 in
        Tversky & Kahneman 1992, *Journal of Risk and Uncertainty* 5(4)); the exponent 0.5
        is a stated assumption.
        """
        ef = lo.effects
        eta, rho = ef.value_elasticity, lo.rebate_pct
        tiers = lo.tiers
        voucher = [0.0] + [(rho * t.points_multiplier / ef.reference_rebate_pct) ** eta for t in tiers]
        w = [
            ef.discount_effect * (t.discount_pct + rho * t.points_multiplier)
            + (ef.delivery_effect if t.free_delivery else 0.0)
            + ef.warranty_effect * t.warranty_years
            + (ef.priority_effect if t.desk_priority else 0.0)
            + ef.events_effect * t.events_per_year
            for t in tiers
        ]
        tier = [0.0] * 5
        for k in range(3):
            step = w[k + 1] - w[k]
            tier[k + 1] = (step / ef.tier_step_reference) ** eta if step > 0 else 0.0
        return voucher, tier

    @staticmethod
    def join_log_odds(lo) -> float:
        """Shift of the opt-in log-odds from the value of joining: ``c ln(J / J_ref)``.

        ``J`` is :attr:`Loyalty.join_value_cny <simulation.scenario.loyalty_parts.Loyalty.join_value_cny>`,
        ``c = join_value_effect``; ``-inf`` (nobody opts in) when joining is worth nothing,
        0 when the effect is off. Customers join a programme when its expected benefits
        outweigh the effort (Leenheer, van Heerde, Bijmolt & Smidts 2007, *International
        Journal of Research in Marketing* 24(1), model membership as such a choice); the
        logarithmic, diminishing form is a stated assumption.
        """
        ef = lo.effects
        if not ef.enrolment_value or ef.join_value_effect == 0:
            return 0.0
        j = lo.join_value_cny
        return ef.join_value_effect * math.log(j / ef.reference_join_value_cny) if j > 0 else -math.inf

    def on_set(self, firm) -> None:
        """Levers changed: new benefits apply to every member from now on."""
        if firm.scenario.loyalty == self.lo:
            return
        self._apply(firm.scenario.loyalty)
        for m in self.members:
            self._member_levers(m)
            self._gradient(m)

    # ------------------------------------------------------------------ queries
    def tier_of(self, i: int) -> int:
        """Tier code of customer ``i`` (0 = not a member)."""
        m = self.member_of[i] if i < len(self.member_of) else None
        return m.tier if m is not None else 0

    def has_desk_priority(self, i: int) -> bool:
        """Whether customer ``i``'s tier has priority at the complaint desk."""
        return self.priority[self.tier_of(i)]

    # ------------------------------------------------------------------ enrolment
    def on_acquired(self, firm, i: int) -> None:
        """A new customer: join the club automatically or with the channel's opt-in chance."""
        while len(self.member_of) <= i:
            self.member_of.append(None)
        lo = self.lo
        if lo.enrolment_mode != "automatic":
            en = lo.enrolment
            p = (en.store, en.web, en.dealer, en.referral)[firm.chan[i]]
            if firm.seg[i] == 1:
                p = min(1.0, p * en.small_business_factor)
            p = self.opt_in(p)
            if self.u_enrol() >= p:
                return
        self._join(i)

    def opt_in(self, p: float) -> float:
        """The channel's opt-in probability ``p`` moved by the value of joining (logit scale)."""
        x = self.join_shift
        if x == 0.0 or p <= 0.0 or p >= 1.0:
            return p
        if x == -math.inf:
            return 0.0
        return 1.0 / (1.0 + (1.0 - p) / p * math.exp(-x))

    def _join(self, i: int) -> None:
        now, lo = self.env.now, self.lo
        w = lo.welcome_points
        rate = lo.partner_points_per_year / _YEAR if self.u_partner() < lo.partner_share else 0.0
        m = Member(i, now, w > 0, rate)
        self.members.append(m)
        self.member_of[i] = m
        add = self.ledger.add
        add(now, i, -1, ENROL, 0, 0, 1, 0.0, 0.0)
        if w > 0:
            self._add_points(m, w, now)
            add(now, i, -1, WELCOME, w, m.balance, 1, 0.0, 0.0)
        add(now, i, -1, ANNUAL, 0, m.balance, 1, self.annual_cost[1], 0.0)
        self.reviews.setdefault(math.ceil(now + _YEAR), []).append(m)
        self._member_levers(m)
        self._gradient(m)

    # ------------------------------------------------------------------ points
    def _add_points(self, m: Member, pts: int, now: float) -> None:
        exp = now + self.expiry
        m.lot_exp.append(exp)
        m.lot_pts.append(pts)
        m.balance += pts
        self.due_day.append(math.ceil(exp))
        self.due_member.append(m)

    @staticmethod
    def _take(m: Member, pts: int) -> None:
        """Use ``pts`` points, oldest first (the caller lowers the balance)."""
        lots, h = m.lot_pts, m.head
        while pts > 0:
            x = lots[h]
            if x > pts:
                lots[h] = x - pts
                break
            pts -= x
            lots[h] = 0
            h += 1
        m.head = h

    @staticmethod
    def _window(m: Member, now: float) -> float:
        """The rolling 12-month qualifying amount after dropping what is older than a year."""
        ts, h, s = m.win_t, m.win_head, m.win_sum
        if h < len(ts) and ts[h] <= now - _YEAR:
            qs = m.win_q
            while h < len(ts) and ts[h] <= now - _YEAR:
                s -= qs[h]
                h += 1
            s = s if s > 1e-9 else 0.0
            m.win_head, m.win_sum = h, s
        return s

    def _partner(self, m: Member, now: float) -> None:
        x = m.partner_rate * (now - m.partner_from) + m.partner_carry
        m.partner_from = now
        pts = int(x)
        m.partner_carry = x - pts
        if pts > 0:
            self._add_points(m, pts, now)
            self.ledger.add(
                now,
                m.customer,
                -1,
                PARTNER,
                pts,
                m.balance,
                m.tier,
                -pts * self.lo.partner_price_per_point_cny,
                self._window(m, now),
            )

    def on_order(self, firm, i: int, oid: int, category: int, amount: float) -> None:
        """A member's order: earn points, maybe reach a tier, maybe redeem a voucher."""
        m = self.member_of[i]
        if m is None:
            return
        now = self.env.now
        if m.partner_rate > 0.0:
            self._partner(m, now)
        t = m.tier
        pts = int(amount * self.ppc * self.mult[t])
        bal = m.balance
        if pts > 0:
            exp = now + self.expiry
            m.lot_exp.append(exp)
            m.lot_pts.append(pts)
            bal += pts
            m.balance = bal
            self.due_day.append(math.ceil(exp))
            self.due_member.append(m)
        d = self.disc_share[t]
        disc = amount * d / (1.0 - firm.extra_discount[i]) if d else 0.0
        cost = disc + self.order_cost[t] if category == _APPLIANCE else disc
        x = amount if self.on_spend else pts
        m.win_t.append(now)
        m.win_q.append(x)
        q = m.win_sum + x
        m.win_sum = q
        if m.win_t[m.win_head] <= now - _YEAR:
            q = self._window(m, now)
        add = self.ledger.add
        self.ledger.rows.extend((now, i, oid, EARN, pts, bal, t, cost, q, disc))  # add(...), inlined
        if t < 4 and q >= self.thresholds[t]:
            nt = t + 1
            while nt < 4 and q >= self.thresholds[nt]:
                nt += 1
            self._change(m, nt, PROMOTION, now, q)
            t = nt
        V = self.V
        if bal >= V and self.u_redeem() < self.redeem_prob:
            self._take(m, V)
            bal -= V
            m.balance = bal
            add(now, i, oid, REDEEM, -V, bal, t, self.voucher_value, q)
            m.welcome_lot = False
        if self.gradient:
            if self.endowed or not m.welcome_lot:  # the common case, inlined
                p = bal / V
                p2 = q / self.thresholds[t] if t < 4 else 0.0
                self._pull(m, t, 1.0 if p > 1.0 else p, 1.0 if p2 > 1.0 else p2)
            else:
                self._gradient(m)

    # ------------------------------------------------------------------ tiers and effects
    def _change(self, m: Member, nt: int, entry: int, now: float, q: float) -> None:
        m.tier = nt
        if entry == DEMOTION:
            m.demoted = True
        self.ledger.add(now, m.customer, -1, entry, 0, m.balance, nt, 0.0, q)
        self._member_levers(m)

    def _member_levers(self, m: Member) -> None:
        """Set the club's part of the member's odds of leaving and discount for their tier."""
        firm, t, i = self.firm, m.tier, m.customer
        shift = self.tier_shift[t] + (self.penalty if m.demoted else 0.0)
        firm.logit_shift[i] += shift - m.shift
        m.shift = shift
        d = self.disc_share[t]
        firm.extra_discount[i] += d - m.member_discount
        m.member_discount = d

    def progress(self, m: Member) -> tuple[float, float]:
        """Perceived progress (each 0–1) towards the next voucher and towards the next tier.

        Voucher: ``balance / V``, or without the endowed-progress effect only the member's
        own points ``(balance - e) / (V - e)`` while the welcome points ``e`` are unused.
        Tier: rolling 12-month qualifying amount / the next tier's threshold (0 at the top).
        """
        bal, V = m.balance, self.V
        if self.endowed or not m.welcome_lot or m.head > 0:
            p = bal / V
        else:
            e = m.lot_pts[0]
            p = (bal - e) / (V - e)
        p2 = m.win_sum / self.thresholds[m.tier] if m.tier < 4 else 0.0
        return (1.0 if p > 1.0 else (0.0 if p < 0.0 else p)), (1.0 if p2 > 1.0 else p2)

    def pull(self, t: int, p: float, p2: float) -> tuple[float, float]:
        """Order-rate factor and odds-of-leaving shift of a tier-``t`` member at progress ``p, p2``.

        Each goal pulls in proportion to its value factor (:meth:`value_factors`): the rate
        factor is ``1 + g max(v_V x(p), v_T x(p2))`` with ``x(p) = max(0, (p - p0)/(1 - p0))``,
        the shift ``-r max(v_V p, v_T p2)`` — the nearer, more valuable goal drives behaviour.
        """
        vv, vt = self.voucher_pull[t], self.tier_pull[t]
        p0 = self.p0
        x = vv * (p - p0)
        x2 = vt * (p2 - p0)
        x = x2 if x2 > x else x
        b = 1.0 + self.g * x / (1.0 - p0) if x > 0.0 else 1.0
        y = vv * p
        y2 = vt * p2
        return b, -self.pr * (y2 if y2 > y else y)

    def _gradient(self, m: Member) -> None:
        """Goal gradient: the member buys faster, and is less likely to leave, near a reward."""
        if not self.gradient:
            return
        p, p2 = self.progress(m)
        self._pull(m, m.tier, p, p2)

    def _pull(self, m: Member, t: int, p: float, p2: float) -> None:
        """Set the member's order-rate factor and odds-of-leaving shift (see :meth:`pull`)."""
        b, ps = self.pull(t, p, p2)
        if b != m.boost:
            self.firm.rate_boost[m.customer] *= b / m.boost
            m.boost = b
        if ps != m.progress_shift:
            self.firm.logit_shift[m.customer] += ps - m.progress_shift
            m.progress_shift = ps

    # ------------------------------------------------------------------ the calendar
    def calendar(self):
        """Process: each day, expire points that are due and hold the yearly reviews due."""
        env = self.env
        day = math.floor(env.now)
        while True:
            day += 1
            yield env.timeout(day - env.now)
            h, due_day, due_member = self.due_head, self.due_day, self.due_member
            while h < len(due_day) and due_day[h] <= day:
                self._expire(due_member[h], day)
                h += 1
            self.due_head = h
            for m in self.reviews.pop(day, ()):
                self._review(m, day)

    def _expire(self, m: Member, day: int) -> None:
        exps, lots, h = m.lot_exp, m.lot_pts, m.head
        gone = 0
        while h < len(exps) and exps[h] <= day:
            gone += lots[h]
            lots[h] = 0
            h += 1
        m.head = h
        if gone:
            m.balance -= gone
            m.welcome_lot = m.welcome_lot and h == 0
            self.ledger.add(day, m.customer, -1, EXPIRE, -gone, m.balance, m.tier, 0.0, self._window(m, day))
            self._gradient(m)

    def _review(self, m: Member, day: int) -> None:
        """Yearly review: re-qualify on the last 12 months (demote), charge the year's benefits."""
        if m.partner_rate > 0.0:
            self._partner(m, day)
        q = self._window(m, day)
        t = m.tier
        qt = 1
        while qt < 4 and q >= self.thresholds[qt]:
            qt += 1
        if qt < t:
            self._change(m, max(qt, t - 1) if self.lo.soft_landing else qt, DEMOTION, day, q)
        t = m.tier
        self.ledger.add(day, m.customer, -1, ANNUAL, 0, m.balance, t, self.annual_cost[t], q)
        self.reviews.setdefault(day + 365, []).append(m)
        self._gradient(m)
