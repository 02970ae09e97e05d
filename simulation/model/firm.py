"""The running firm: customer state, the rules applied at each event, stepping and levers.

:class:`Firm` owns one SimPy environment, the random streams, the per-customer state
(plain Python lists, small and fast) and the event log. It can be advanced period by period
(:meth:`Firm.step`), its levers changed between periods (:meth:`Firm.set`), and turned
into tidy tables at any time (:meth:`Firm.result`). ``run(scenario, seed)`` is a firm run
to its horizon in one go; stepping with no lever change gives the same tables.
"""

from __future__ import annotations

import math

import simpy

from ..common.collector import collector_paused
from ..scenario.fields import ScenarioError, field_rows, field_value
from ..scenario.parts import CHANNELS, SEGMENTS, Scenario
from . import processes as model
from .leaving import LeavingRules
from .records import CATEGORIES, CATEGORY, CHANNEL, CHANNEL_CODES, CHURN, EV, EventLog
from .streams import Streams

__all__ = ["Firm", "run"]

INF = float("inf")
_APPLIANCE, _ACCESSORY, _CONSUMABLE, _PLAN = (CATEGORY[c] for c in CATEGORIES)
_PRODUCT, _SERVICE, _COMPLAINT = CHURN["product"], CHURN["service"], CHURN["complaint"]  # bad experiences
_REFERRAL = CHANNEL["referral"]
_ORDER, _INSTALLATION, _LATE, _PROBLEM, _FAILURE, _REFERRED = (
    EV[e] for e in ("order", "installation", "late_delivery", "installation_problem", "product_failure", "referral")
)


def _logit(p: float) -> float:
    if p <= 0.0:
        return -INF
    if p >= 1.0:
        return INF
    return math.log(p / (1.0 - p))


class Firm(LeavingRules):
    """The firm of one scenario and seed, advanced in time by SimPy.

    Parameters
    ----------
    scenario : Scenario
    seed : int
        Seed of all random streams (see :mod:`simulation.model.streams`).

    Examples
    --------
    >>> from simulation import preset
    >>> firm = Firm(preset("small-class"), seed=7)
    >>> firm.step().env.now                                  # one period (scenario.period_days)
    30.0
    >>> firm.set(**{"pricing.discount_pct": 10}).scenario.pricing.discount_pct   # from now on
    10.0
    >>> result = firm.run().result()                         # to the horizon
    >>> result.as_of_day
    365.0
    """

    channel_names = CHANNEL_CODES

    def __init__(self, scenario: Scenario, seed: int):
        if not isinstance(scenario, Scenario):
            raise TypeError(
                f"scenario must be a Scenario; got {type(scenario).__name__}. "
                "Use preset('baseline') or load_scenario('file.toml')."
            )
        self.scenario = scenario
        self.seed = seed
        self.streams = Streams(seed)
        self.env = simpy.Environment()
        self.log = EventLog()
        self.decisions: list[tuple[float, str, object, object]] = []
        self.hooks: dict[str, list] = {
            "order": [],
            "experience": [],
            "acquired": [],
            "leave": [],
            "set": [],
            "prospect": [],
        }  # set hooks: hook(firm) after a lever change; prospect hooks: hook(firm, i) at every contact event
        self._state()
        self._draws()
        self._apply(scenario)
        self.loyalty = self.complaints = None  # the club and the desk, when switched on
        if scenario.loyalty.enabled:
            from ..loyalty.club import LoyaltyClub

            self.loyalty = LoyaltyClub(self).attach()
        if scenario.complaints.enabled:
            from ..complaints.centre import ComplaintCentre

            self.complaints = ComplaintCentre(self).attach()
        self._arrival_procs = [
            self.env.process(model.channel_arrivals(self.env, self, c)) for c in range(len(CHANNELS))
        ]

    # ------------------------------------------------------------------ set-up
    def _state(self):
        """Per-customer state: one plain list per attribute, indexed by customer_id."""
        self.seg, self.chan, self.referred_by = [], [], []
        self.contact_day, self.acquired_day, self.acq_cost = [], [], []
        self.rate, self.dropout_prob, self.dropout_logit, self.spend_scale, self.theta = [], [], [], [], []
        self.sat, self.sat0, self.n_orders, self.last_order = [], [], [], []
        self.alive, self.dropped_day, self.reason, self.bad, self.mass = [], [], [], [], []
        self.logit_shift = []  # added to the log-odds of leaving (loyalty etc.)
        self.rate_boost = []  # multiplies the order rate (loyalty goal gradient etc.)
        self.extra_discount = []  # per-customer discount share on top of the general one
        self.plan_active = []
        self.proc = []  # each customer's SimPy process (set when it starts)
        self.waiting = set()  # customers waiting for their next order (re-timed when the price changes)
        self.gap_mult = []  # the order-rate multiplier of the customer's current wait (price, club, satisfaction)
        self.n_plans = 0
        self.n_order_ids = 0
        self.deterrence_pending = 0
        self.ref_price, self.ref_day = 1.0, 0.0  # customers' reference price (share of list) at ref_day

    def _draws(self):
        """One buffered stream per stochastic element."""
        s = self.streams
        self.u_convert = s.uniform("conversion")
        self.u_segment = s.uniform("segment")
        self.e_first = s.exponential("first_order_delay")
        self.z_sat0 = s.normal("initial_satisfaction")
        self.e_gap = s.exponential("order_timing")
        self.e_mass = s.exponential("leaving_mass")
        self.u_drop = s.uniform("dropout")
        self.u_reason = s.uniform("churn_reason")
        self.u_incident = s.uniform("incident_decision")
        self.u_late = s.uniform("late_delivery")
        self.u_install = s.uniform("installation")
        self.u_problem = s.uniform("installation_problem")
        self.u_fail = s.uniform("product_failure")
        self.u_refer = s.uniform("referral")
        self.e_refer = s.exponential("referral_delay")
        self.u_deter = s.uniform("deterrence")
        self.u_plan = s.uniform("plan_take_up")
        self.u_renew = s.uniform("plan_renewal")
        self.e_back = s.exponential("comeback")
        self.attr = []
        for name in SEGMENTS:
            g = self.scenario.segment(name)
            a, b = g.dropout_ab
            pa, pb = (
                g.plan_lapse_mean * g.plan_lapse_concentration,
                (1 - g.plan_lapse_mean) * g.plan_lapse_concentration,
            )
            self.attr.append(
                dict(
                    rate=s.gamma(f"order_rate.{name}", g.rate_shape),
                    p=s.beta(f"dropout_prob.{name}", a, b) if 0 < g.dropout_mean < 1 else (lambda v=g.dropout_mean: v),
                    nu=s.gamma(f"spend_scale.{name}", g.spend_shape_q),
                    z=s.gamma(f"order_value.{name}", g.spend_shape_p),
                    theta=s.beta(f"plan_lapse.{name}", pa, pb),
                )
            )

    def _apply(self, sc: Scenario):
        """Cache the numbers the hot path needs from the scenario (after every lever change)."""
        self.scenario = sc
        pricing = sc.pricing
        keep = 1.0 - pricing.discount_pct / 100.0
        if hasattr(self, "keep") and keep != self.keep:  # a price change: the reference starts adapting now
            self.ref_price, self.ref_day = self.reference_price(self.env.now), self.env.now
        self.keep = keep
        self.rate_mult = keep ** (-pricing.price_elasticity)
        self.ref_effect = pricing.reference_price_effect
        self.ref_days = pricing.reference_adaptation_days
        conv = keep ** (-pricing.conversion_elasticity)
        ch = [getattr(sc.channels, c) for c in CHANNELS]
        self.prospect_rate = [c.customers_per_year / c.conversion_prob / 365.0 for c in ch]
        self.conversion_prob = [min(1.0, c.conversion_prob * conv) for c in ch]
        self.first_delay = [c.days_to_first_order for c in ch]
        self.smb_share = [c.small_business_share for c in ch]
        # the spend per prospect is fixed, so a better conversion makes each customer cheaper
        self.chan_cost = [c.acquisition_cost() * c.conversion_prob / p for c, p in zip(ch, self.conversion_prob)]
        self.referral_conversion = min(1.0, sc.word_of_mouth.referral_conversion_prob * conv)
        wm = sc.word_of_mouth
        self.referral_chance = min(
            1.0, wm.referral_prob * ((wm.referral_reward_cny + 100.0) / 200.0) ** wm.reward_effect
        )
        segs = [sc.segment(n) for n in SEGMENTS]
        self.seg_keep = [1.0 - g.negotiated_discount_pct / 100.0 for g in segs]
        self.alpha_days = [g.alpha_years * 365.0 for g in segs]
        self.hazard_day = [g.hazard_per_year / 365.0 for g in segs]
        self.gamma = [g.spend_gamma for g in segs]
        self.take_up = [g.plan_take_up_prob for g in segs]
        pr, sv, sa, do, wm = sc.products, sc.service, sc.satisfaction, sc.dropout, sc.word_of_mouth
        self.cons_below, self.appl_from = pr.consumable_below_cny, pr.appliance_from_cny
        self.margin = (pr.appliance_margin, pr.accessory_margin, pr.consumable_margin, pr.plan_margin)
        self.plan_price = pr.plan_price_cny
        self.service = sv
        self.satisfaction = sa
        self.sat_rate_effect = sa.rate_effect
        self.hazard_mode = do.model == "constant_hazard"
        self.no_dropout = do.model == "none"
        self.satisfaction_effect = do.satisfaction_effect
        self.s_ref = do.reference_satisfaction
        self.price_share = do.price_reason_share
        self.comeback_day = do.comeback_per_year / 365.0
        self.incident_logit = _logit(do.incident_leave_prob)
        self.incident_days = do.incident_decision_days
        self.word_of_mouth = wm

    # ------------------------------------------------------------------ acquisition
    def contact(self, c: int) -> None:
        """A prospect contacts the firm through paid channel ``c``."""
        t = self.env.now
        if self.deterrence_pending > 0:
            self.deterrence_pending -= 1
            self.log.add(t, EV["deterred"], -1, code=c)
            return
        if self.u_convert() >= self.conversion_prob[c]:
            self.log.add(t, EV["contact"], -1, code=c)
            for hook in self.hooks["prospect"]:
                hook(self, -1)
            return
        i = self._new_customer(c, -1)
        self.env.process(model.prospect(self.env, self, i, self.e_first() * self.first_delay[c]))

    def referred_contact(self, referrer: int) -> tuple[int, float]:
        """A referred prospect contacts the firm; returns (customer_id or -1, delay to first order)."""
        if self.u_convert() >= self.referral_conversion:
            self.log.add(self.env.now, EV["contact"], -1, code=_REFERRAL)
            for hook in self.hooks["prospect"]:
                hook(self, -1)
            return -1, 0.0
        i = self._new_customer(_REFERRAL, referrer)
        return i, self.e_first() * self.first_delay[0]

    def _new_customer(self, c: int, referrer: int) -> int:
        """Create a customer record with its hidden traits; log the contact."""
        i = len(self.seg)
        share = self.smb_share[c] if c < len(CHANNELS) else self.smb_share[0]
        g = 1 if self.u_segment() < share else 0
        a = self.attr[g]
        sa = self.satisfaction
        self.seg.append(g)
        self.chan.append(c)
        self.referred_by.append(referrer)
        self.contact_day.append(self.env.now)
        self.acquired_day.append(math.nan)
        self.acq_cost.append(0.0)
        self.rate.append(a["rate"]() / self.alpha_days[g])
        p = a["p"]()
        self.dropout_prob.append(p)
        self.dropout_logit.append(_logit(p))
        self.spend_scale.append(self.gamma[g] / a["nu"]())
        self.theta.append(a["theta"]())
        s0 = min(100.0, max(0.0, sa.initial_mean + sa.initial_sd * self.z_sat0()))
        self.sat.append(s0)
        self.sat0.append(s0)
        self.n_orders.append(0)
        self.last_order.append(math.nan)
        self.alive.append(True)
        self.dropped_day.append(math.nan)
        self.reason.append(-1)
        self.bad.append(-1)
        self.mass.append(self.e_mass())
        self.logit_shift.append(0.0)
        self.rate_boost.append(1.0)
        self.extra_discount.append(0.0)
        self.plan_active.append(False)
        self.gap_mult.append(1.0)
        self.proc.append(None)
        self.log.add(self.env.now, EV["contact"], i, code=c)
        for hook in self.hooks["prospect"]:
            hook(self, i)
        return i

    def acquire(self, i: int) -> None:
        """The prospect's first order is due: the customer is acquired (cost charged)."""
        c = self.chan[i]
        cost = self.chan_cost[c] if c < len(CHANNELS) else self.word_of_mouth.referral_reward_cny
        self.acquired_day[i] = self.env.now
        self.acq_cost[i] = cost
        self.log.add(self.env.now, EV["acquired"], i, code=c, amount=cost, satisfaction=self.sat[i])
        for hook in self.hooks["acquired"]:
            hook(self, i)

    # ------------------------------------------------------------------ orders
    def reference_price(self, t: float) -> float:
        """Customers' reference price at day ``t``, as a share of the list price.

        ``R(t) = k + (R0 - k) exp(-(t - t0) / tau)``: it drifts from ``R0`` (its value at the
        last price change ``t0``) towards the price paid ``k`` (see
        :class:`~simulation.scenario.parts.Pricing`).
        """
        k, r0 = self.keep, self.ref_price
        if r0 == k:
            return k
        return k + (r0 - k) * math.exp(-(t - self.ref_day) / self.ref_days)

    def price_multiplier(self, t: float) -> float:
        """Order-rate multiplier of the price at day ``t``: ``k^-e (k / R(t))^-e_ref``."""
        if self.ref_price == self.keep or self.ref_effect == 0.0:
            return self.rate_mult
        return self.rate_mult * (self.keep / self.reference_price(t)) ** (-self.ref_effect)

    def next_gap(self, i: int) -> float:
        """Days to the customer's next order.

        Exponential at rate ``lambda_i * m``, with ``m`` the product of the price multiplier
        (:meth:`price_multiplier`), the club's boost and the satisfaction factor
        ``exp(b min(0, s - s_ref) / 10)`` (:class:`~simulation.scenario.parts.Satisfaction`),
        fixed for the wait. ``m`` is kept per customer so the chance of leaving after the
        order can be made independent of it (:mod:`simulation.model.leaving`).
        """
        m = self.gap_mult[i] = self.rate_factor(i)
        r = self.rate[i] * m
        return self.e_gap() / r if r > 0 else INF

    def rate_factor(self, i: int) -> float:
        """The customer's order-rate multiplier now: price x club boost x satisfaction factor."""
        m = self.price_multiplier(self.env.now) * self.rate_boost[i]
        s = self.sat[i]
        if s < self.s_ref and self.sat_rate_effect:
            m *= math.exp(self.sat_rate_effect * (s - self.s_ref) / 10.0)
        return m

    def place_order(self, i: int) -> None:
        """One non-contract order and its experiences (delivery, installation, failure)."""
        t = self.env.now
        log, sv, sa = self.log, self.service, self.satisfaction
        oid = self.n_order_ids
        self.n_order_ids += 1
        g = self.seg[i]
        price = self.attr[g]["z"]() * self.spend_scale[i]
        keep = self.keep * self.seg_keep[g] * (1.0 - self.extra_discount[i])
        cat = _APPLIANCE if price >= self.appl_from else (_CONSUMABLE if price < self.cons_below else _ACCESSORY)
        s = self.sat[i]
        bad = -1
        delivery = sv.delivery_cost_cny if cat == _APPLIANCE else sv.parcel_cost_cny
        log.add(t, _ORDER, i, oid, cat, price * keep, price - price * keep, delivery, s)
        if cat == _APPLIANCE:
            if self.u_late() < sv.late_delivery_prob:
                s -= sa.late_delivery_drop
                bad = _SERVICE
                log.add(t, _LATE, i, oid, _SERVICE)
            if self.u_install() < sv.installation_share:
                log.add(t, _INSTALLATION, i, oid, cost=sv.installation_cost_cny)
                if self.u_problem() < sv.installation_problem_prob:
                    s -= sa.installation_problem_drop
                    bad = _SERVICE
                    log.add(t, _PROBLEM, i, oid, _SERVICE)
            fail_p = sv.appliance_failure_prob
        else:
            fail_p = sv.accessory_failure_prob if cat == _ACCESSORY else 0.0
        if self.u_fail() < fail_p:
            s -= sa.product_failure_drop
            bad = _PRODUCT
            log.add(t, _FAILURE, i, oid, _PRODUCT, cost=sv.repair_cost_cny)
        if bad < 0:
            s += sa.good_order_gain * (100.0 - s)
        s = 0.0 if s < 0.0 else (100.0 if s > 100.0 else s)
        self.sat[i] = s
        self.n_orders[i] += 1
        self.last_order[i] = t
        if bad >= 0:
            self.bad[i] = bad
            wm = self.word_of_mouth
            if s < wm.detractor_threshold and self.u_deter() < wm.deterrence_prob:
                self.deterrence_pending += 1
            for hook in self.hooks["experience"]:
                hook(self, i, bad, oid)
            if self.incident_logit > -INF and not self.no_dropout:
                self.env.process(model.reconsider(self.env, self, i, self.incident_days))
        elif s >= self.word_of_mouth.promoter_threshold and self.u_refer() < self.referral_chance:
            log.add(t, _REFERRED, i, oid)
            self.env.process(
                model.referred_prospect(self.env, self, i, self.e_refer() * self.word_of_mouth.referral_delay_days)
            )
        if cat == _APPLIANCE and not self.plan_active[i] and self.u_plan() < self.take_up[g]:
            self._start_plan(i)
        for hook in self.hooks["order"]:
            hook(self, i, oid, cat, price * keep)

    def _start_plan(self, i: int) -> None:
        self.plan_active[i] = True
        plan = self.n_plans
        self.n_plans += 1
        self.log.add(self.env.now, EV["plan_start"], i, plan)
        self._plan_order(i)
        self.env.process(model.service_plan(self.env, self, i, plan))

    def _plan_order(self, i: int) -> None:
        oid = self.n_order_ids
        self.n_order_ids += 1
        self.log.add(self.env.now, EV["order"], i, oid, _PLAN, self.plan_price, 0.0, 0.0, self.sat[i])

    def renews_plan(self, i: int, plan: int) -> bool:
        """At an anniversary: renew (a contract order) or lapse (sBG with theta_i)."""
        u = self.u_renew()
        if not self.alive[i] or u < self.theta[i]:
            self.plan_active[i] = False
            self.log.add(self.env.now, EV["plan_lapse"], i, plan)
            return False
        self.log.add(self.env.now, EV["plan_renewal"], i, plan)
        self._plan_order(i)
        return True

    # ------------------------------------------------------------------ time and levers
    @property
    def now(self) -> float:
        """The simulation clock, in days since ``scenario.start_date``."""
        return self.env.now

    def run_until(self, day: float) -> "Firm":
        """Advance the firm to ``day`` (at most the scenario's horizon)."""
        horizon = self.scenario.horizon_days
        if not isinstance(day, (int, float)) or isinstance(day, bool) or math.isnan(day):
            raise ValueError(f"day must be a number of days; got {day!r}.")
        if day > horizon + 1e-9:
            raise ValueError(
                f"day {day:g} is after the horizon ({horizon:g} days); raise Scenario.horizon_days to run longer."
            )
        if day < self.env.now:
            raise ValueError(
                f"day {day:g} is before the firm's clock ({self.env.now:g}); "
                "a firm only moves forward. Start a new Firm to replay."
            )
        if day > self.env.now:
            with collector_paused():
                self.env.run(until=day)
        return self

    def step(self, periods: int = 1) -> "Firm":
        """Advance by ``periods`` periods of ``scenario.period_days`` (stopping at the horizon)."""
        if isinstance(periods, bool) or not isinstance(periods, int) or periods < 1:
            raise ValueError(f"periods must be a whole number >= 1; got {periods!r}.")
        target = min(self.env.now + periods * self.scenario.period_days, self.scenario.horizon_days)
        return self.run_until(target)

    def run(self) -> "Firm":
        """Advance to the horizon."""
        return self.run_until(self.scenario.horizon_days)

    @property
    def finished(self) -> bool:
        """True when the clock has reached the horizon."""
        return self.env.now >= self.scenario.horizon_days - 1e-9

    def levers(self) -> list[str]:
        """Dotted names of the fields that may change while the firm runs."""
        return [r["path"] for r in field_rows(self.scenario) if r["lever"]]

    def set(self, changes: dict | None = None, **kw) -> "Firm":
        """Change levers from now on: ``firm.set({"pricing.discount_pct": 10})``.

        Only fields marked as levers may change; each change is validated like a scenario
        value and recorded in the ``decisions`` table. Arrival rates change exactly (a
        Poisson process with a new rate); a price change re-times every customer's wait for
        their next order at once (:func:`~simulation.model.processes.wait_for_order`).
        """
        from ..scenario.presets import with_changes

        changes = {**(changes or {}), **kw}
        allowed = set(self.levers())
        for path in changes:
            if path not in allowed:
                raise ScenarioError(
                    f"{path!r} is not a lever that can change during a run. Levers: {', '.join(sorted(allowed))}."
                )
        new = with_changes(self.scenario, changes)
        old_rates = list(self.prospect_rate)
        old_price = self.price_multiplier(self.env.now)
        for path, value in changes.items():
            old = field_value(self.scenario, path)
            if old != value:
                self.decisions.append((self.env.now, path, old, value))
        self._apply(new)
        for hook in self.hooks["set"]:
            hook(self)
        for c, proc in enumerate(self._arrival_procs):
            if self.prospect_rate[c] != old_rates[c] and proc.is_alive:
                proc.interrupt("rate change")
        if self.price_multiplier(self.env.now) != old_price:
            proc = self.proc
            for i in sorted(self.waiting):  # sorted: the same order in every run
                proc[i].interrupt("price")
        return self

    def result(self):
        """Tidy tables of everything that has happened up to now.

        Warns (:class:`~simulation.complaints.standalone.UnboundedQueueWarning`) when the complaint desk
        had more work than its agents could do (:func:`simulation.complaints.desk_overload`).
        """
        import warnings

        from ..complaints.kpis import UnboundedQueueWarning, desk_overload
        from .result import Result

        out = Result.from_firm(self)
        message = desk_overload(out)
        if message:
            warnings.warn(message, UnboundedQueueWarning, stacklevel=2)
        return out


def run(scenario: Scenario, seed: int = 0):
    """Simulate ``scenario`` to its horizon with ``seed``; return the :class:`Result`."""
    return Firm(scenario, seed).run().result()
