"""Scenario parts of the loyalty club: enrolment, points, tiers, benefits, costs and effects.

The club itself runs in :mod:`simulation.loyalty`; its ledger and KPIs are in
:mod:`simulation.loyalty.ledger`. The club is off in the baseline and on in the
``loyalty-launch`` preset. Benefit levels and the voucher value are levers a marketing
team may change between periods of a role-play.
"""

from __future__ import annotations

from dataclasses import dataclass

from .fields import ScenarioError, check_fields, param

__all__ = ["Tier", "Enrolment", "LoyaltyCosts", "LoyaltyEffects", "Loyalty", "TIERS", "TIER_NAMES"]

#: Tier codes: 0 = not a member, then the four tiers from entry to top.
TIERS = ("none", "member", "silver", "gold", "platinum")
TIER_NAMES = TIERS[1:]


@dataclass(frozen=True)
class Tier:
    """One tier: how to reach it and what it gives.

    A member holds the highest tier whose ``threshold`` their rolling 12-month qualifying
    amount (spend in CNY or points, see ``Loyalty.qualify_on``) has reached; promotion is
    immediate, demotion happens at the yearly review.
    """

    threshold: float = param(
        0.0,
        unit="CNY or points / 12 months",
        lo=0,
        hi=1e9,
        en="Qualifying threshold",
        zh="升级门槛",
        help="Rolling 12-month spend (or points) needed for this tier.",
    )
    points_multiplier: float = param(1.0, unit="x", lo=0, hi=20, en="Points multiplier", zh="积分倍数")
    discount_pct: float = param(
        0.0,
        unit="%",
        lo=0,
        hi=50,
        lever=True,
        en="Member discount",
        zh="会员折扣",
        help="Discount on every order of a member of this tier.",
    )
    free_delivery: bool = param(
        False,
        lever=True,
        en="Free delivery and installation",
        zh="免费配送安装",
        help="Premium delivery and installation of appliances at the firm's cost.",
    )
    warranty_years: float = param(
        0.0,
        unit="years",
        lo=0,
        hi=10,
        lever=True,
        en="Extended warranty",
        zh="延长保修",
        help="Extra warranty years on appliances bought in this tier.",
    )
    desk_priority: bool = param(
        False,
        en="Complaint-desk priority",
        zh="投诉优先处理",
        help="Served first when the desk's priority rule is 'tier'. A tier setting, not a lever: too few members "
        "complain for it to move the firm's KPIs.",
    )
    events_per_year: float = param(
        0.0,
        unit="events/year",
        lo=0,
        hi=52,
        lever=True,
        en="Exclusive events",
        zh="专属活动",
        help="Member events per year this tier is invited to.",
    )

    def __post_init__(self):
        check_fields(self)


@dataclass(frozen=True)
class Enrolment:
    """Chance that a new customer joins the club (opt-in), by acquisition channel.

    A small business joins with the channel's probability times ``small_business_factor``
    (at most 1).
    """

    store: float = param(0.55, unit="prob", lo=0, hi=1, en="Store customers", zh="门店客户入会率")
    web: float = param(0.40, unit="prob", lo=0, hi=1, en="Web customers", zh="网店客户入会率")
    dealer: float = param(0.25, unit="prob", lo=0, hi=1, en="Dealer customers", zh="经销商客户入会率")
    referral: float = param(0.60, unit="prob", lo=0, hi=1, en="Referred customers", zh="推荐客户入会率")
    small_business_factor: float = param(1.2, unit="x", lo=0, hi=10, en="Small-business factor", zh="小企业入会系数")

    def __post_init__(self):
        check_fields(self)


@dataclass(frozen=True)
class LoyaltyCosts:
    """What each benefit costs the firm (discounts cost what they give)."""

    delivery_cny: float = param(
        80.0,
        unit="CNY/appliance order",
        lo=0,
        hi=100_000,
        en="Cost: free delivery and installation",
        zh="成本：免费配送安装",
    )
    warranty_cny_per_year: float = param(
        40.0, unit="CNY/appliance/year", lo=0, hi=100_000, en="Cost: warranty year", zh="成本：每年延保"
    )
    event_cny: float = param(
        60.0, unit="CNY/member/event", lo=0, hi=100_000, en="Cost: event place", zh="成本：活动名额"
    )
    priority_cny_per_year: float = param(
        10.0, unit="CNY/member/year", lo=0, hi=100_000, en="Cost: desk priority", zh="成本：优先服务"
    )
    admin_cny_per_year: float = param(
        8.0, unit="CNY/member/year", lo=0, hi=100_000, en="Cost: administration", zh="成本：会员管理"
    )

    def __post_init__(self):
        check_fields(self)


@dataclass(frozen=True)
class LoyaltyEffects:
    """Behavioural effects of the club, each switchable (sources in :mod:`simulation.loyalty`).

    - goal gradient: the order rate rises by up to ``goal_gradient_boost`` as a member nears
      a voucher or the next tier (from progress ``goal_gradient_from`` on), and progress ``p``
      lowers the odds of leaving by ``progress_retention * p``; both are sizes for a reward
      of the reference value and scale with the reward's value ``v`` (see below);
    - reward value: a voucher's pull is scaled by ``v = (rebate / reference_rebate_pct) **
      value_elasticity`` (rebate = voucher value per CNY spent, in %), the next tier's pull
      by ``(step / tier_step_reference) ** value_elasticity`` (step = the next tier's extra
      benefits, in log-odds); an elasticity below 1 makes the response concave;
    - enrolment value: the opt-in log-odds move by ``join_value_effect * ln(J / J_ref)``,
      ``J`` = welcome points' value + a year of rewards and member discount on
      ``reference_spend_cny`` (the channel probabilities hold at ``J = J_ref``);
    - endowed progress: welcome points count as progress towards the first voucher;
    - benefits lower the odds of leaving: ``-(membership + sum of benefit effects)``;
    - demotion: a demoted member's odds of leaving rise by ``demotion_penalty``.
    """

    goal_gradient: bool = param(True, en="Goal-gradient effect", zh="目标梯度效应")
    goal_gradient_boost: float = param(0.25, unit="x", lo=0, hi=5, en="Goal-gradient boost", zh="目标梯度加速")
    goal_gradient_from: float = param(
        0.5, unit="share", lo=0, hi=0.99, en="Goal gradient from progress", zh="目标梯度起点"
    )
    progress_retention: float = param(
        0.3,
        unit="log-odds at full progress",
        lo=0,
        hi=5,
        en="Effect: progress towards a reward",
        zh="效应：奖励进度",
        help="Members near a reward are less likely to leave (0 = no effect).",
    )
    reference_rebate_pct: float = param(
        1.5,
        unit="% of spend",
        lo=0.01,
        hi=100,
        en="Reference reward rate",
        zh="参考回馈率",
        help="Voucher value per CNY spent at which the goal-gradient boost and progress effect have their stated size.",
    )
    tier_step_reference: float = param(
        0.1,
        unit="log-odds",
        lo=0.001,
        hi=5,
        en="Reference tier step",
        zh="参考升级权益差",
        help="Extra benefits of the next tier (in log-odds of leaving) at which its pull has the stated size.",
    )
    value_elasticity: float = param(
        0.5,
        unit="",
        lo=0,
        hi=2,
        en="Response to reward value",
        zh="奖励价值敏感度",
        help="Pull = stated size x (value / reference) ^ this; below 1: doubling a reward helps less than double.",
    )
    enrolment_value: bool = param(True, en="Value of joining drives opt-in", zh="入会价值影响入会率")
    join_value_effect: float = param(
        0.5,
        unit="log-odds per log of value",
        lo=0,
        hi=5,
        en="Effect: value of joining",
        zh="效应：入会价值",
        help="How much the opt-in odds rise with the value of joining (0 = no effect).",
    )
    reference_join_value_cny: float = param(
        35.0,
        unit="CNY",
        lo=0.01,
        hi=1_000_000,
        en="Reference value of joining",
        zh="参考入会价值",
        help="Value of joining at which the channels' opt-in probabilities apply.",
    )
    reference_spend_cny: float = param(
        2000.0,
        unit="CNY/year",
        lo=1,
        hi=10_000_000,
        en="Typical yearly spend",
        zh="典型年消费额",
        help="A new customer's expected yearly spend, used to value a year of rewards when deciding to join.",
    )
    endowed_progress: bool = param(True, en="Endowed-progress effect", zh="禀赋进度效应")
    benefit_retention: bool = param(True, en="Benefits lower leaving", zh="权益降低流失")
    membership_effect: float = param(0.10, unit="log-odds", lo=0, hi=5, en="Effect: membership", zh="效应：会员身份")
    discount_effect: float = param(0.03, unit="log-odds per %", lo=0, hi=1, en="Effect: discount", zh="效应：折扣")
    delivery_effect: float = param(0.10, unit="log-odds", lo=0, hi=5, en="Effect: free delivery", zh="效应：免费配送")
    warranty_effect: float = param(0.06, unit="log-odds per year", lo=0, hi=5, en="Effect: warranty", zh="效应：延保")
    priority_effect: float = param(0.04, unit="log-odds", lo=0, hi=5, en="Effect: desk priority", zh="效应：优先服务")
    events_effect: float = param(0.03, unit="log-odds per event", lo=0, hi=5, en="Effect: events", zh="效应：专属活动")
    demotion_effect: bool = param(True, en="Demotion effect", zh="降级效应")
    demotion_penalty: float = param(0.35, unit="log-odds", lo=0, hi=5, en="Demotion penalty", zh="降级惩罚")

    def __post_init__(self):
        check_fields(self)


@dataclass(frozen=True)
class Loyalty:
    """Evergreen's loyalty club (常青会): points, vouchers, four tiers and their benefits.

    Points: ``floor(amount_cny * points_per_cny * tier multiplier)`` per order; partner
    brands add ``partner_points_per_year`` to the ``partner_share`` of members who use them.
    A member with ``voucher_points`` may redeem them (chance ``redeem_prob`` at each order)
    for a voucher worth ``voucher_value_cny``. Points expire ``expiry_days`` after they were
    earned (first in, first out); unredeemed expired points are breakage.
    """

    enabled: bool = param(False, en="Loyalty club on", zh="启用客户忠诚度计划")
    enrolment_mode: str = param(
        "opt_in",
        choices=("opt_in", "automatic"),
        en="Enrolment",
        zh="入会方式",
        help="opt_in: by channel probability; automatic: every new customer.",
    )
    enrolment: Enrolment = param(Enrolment(), en="Opt-in probabilities", zh="入会概率")
    points_per_cny: float = param(1.0, unit="points/CNY", lo=0, hi=100, lever=True, en="Points per CNY", zh="每元积分")
    qualify_on: str = param("spend", choices=("spend", "points"), en="Tiers qualify on", zh="等级依据")
    soft_landing: bool = param(True, en="Soft landing", zh="软着陆", help="At the yearly review drop at most one tier.")
    welcome_points: int = param(
        0, unit="points", lo=0, hi=1_000_000, integer=True, lever=True, en="Welcome points", zh="入会赠送积分"
    )
    voucher_points: int = param(
        3000, unit="points", lo=1, hi=10_000_000, integer=True, en="Points per voucher", zh="代金券所需积分"
    )
    voucher_value_cny: float = param(
        50.0, unit="CNY", lo=0.01, hi=100_000, lever=True, en="Voucher value", zh="代金券面值"
    )
    redeem_prob: float = param(
        0.9,
        unit="prob/order",
        lo=0,
        hi=1,
        en="Redemption chance",
        zh="兑换概率",
        help="Chance a member with enough points redeems at an order.",
    )
    expiry_days: float = param(730.0, unit="days", lo=1, hi=36_500, en="Points expire after", zh="积分有效期")
    partner_share: float = param(
        0.2, unit="share", lo=0, hi=1, en="Members earning with partners", zh="跨界合作积分会员占比"
    )
    partner_points_per_year: float = param(
        600.0, unit="points/year", lo=0, hi=1_000_000, en="Partner points per year", zh="合作伙伴年积分"
    )
    partner_price_per_point_cny: float = param(
        0.03, unit="CNY/point", lo=0, hi=100, en="Partner pays per point", zh="合作伙伴每分支付"
    )
    breakage_estimate: float = param(
        0.25,
        unit="share",
        lo=0,
        hi=1,
        en="Expected breakage",
        zh="预计积分失效率",
        help="Used to value the points liability.",
    )
    member: Tier = param(Tier(0.0, 1.0), en="Member", zh="普通会员")
    silver: Tier = param(Tier(5000.0, 1.25, 1.0, False, 0.0, False, 1.0), en="Silver", zh="银卡")
    gold: Tier = param(Tier(15000.0, 1.5, 2.0, True, 1.0, True, 2.0), en="Gold", zh="金卡")
    platinum: Tier = param(Tier(40000.0, 2.0, 4.0, True, 2.0, True, 4.0), en="Platinum", zh="白金卡")
    costs: LoyaltyCosts = param(LoyaltyCosts(), en="Benefit costs", zh="权益成本")
    effects: LoyaltyEffects = param(LoyaltyEffects(), en="Behavioural effects", zh="行为效应")

    def __post_init__(self):
        check_fields(self)
        tiers = self.tiers
        if tiers[0].threshold != 0:
            raise ScenarioError(
                f"Loyalty.member.threshold must be 0 (every member starts in the entry tier); "
                f"got {tiers[0].threshold:g}."
            )
        for lo, hi in zip(TIER_NAMES, TIER_NAMES[1:]):
            a, b = getattr(self, lo).threshold, getattr(self, hi).threshold
            if b <= a:
                raise ScenarioError(
                    f"Loyalty tier thresholds must increase member < silver < gold < platinum; "
                    f"got Loyalty.{hi}.threshold = {b:g} <= Loyalty.{lo}.threshold = {a:g}."
                )
        if self.welcome_points >= self.voucher_points:
            raise ScenarioError(
                f"Loyalty.welcome_points ({self.welcome_points}) must be below "
                f"Loyalty.voucher_points ({self.voucher_points}); otherwise a new member "
                "could redeem without buying."
            )
        c = self.costs
        needs = (
            ("free_delivery", "delivery_cny", lambda t: t.free_delivery),
            ("warranty_years", "warranty_cny_per_year", lambda t: t.warranty_years > 0),
            ("events_per_year", "event_cny", lambda t: t.events_per_year > 0),
            ("desk_priority", "priority_cny_per_year", lambda t: t.desk_priority),
        )
        for benefit, cost, offered in needs:
            for name in TIER_NAMES:
                tier = getattr(self, name)
                if offered(tier) and getattr(c, cost) <= 0:
                    raise ScenarioError(
                        f"Loyalty.costs.{cost} is missing (got {getattr(c, cost):g}) but "
                        f"Loyalty.{name}.{benefit} = {getattr(tier, benefit)!r} is offered; "
                        f"give the benefit's cost (> 0) or withdraw the benefit."
                    )

    @property
    def tiers(self) -> tuple[Tier, Tier, Tier, Tier]:
        """The four tiers from entry to top."""
        return tuple(getattr(self, n) for n in TIER_NAMES)

    @property
    def rebate_pct(self) -> float:
        """The entry tier's reward rate: voucher value per CNY spent, in percent.

        ``100 * voucher_value_cny * points_per_cny / voucher_points`` (a tier's points
        multiplier scales it). Retail programmes typically give back about 1–2.5 % of spend
        (stated in the ``loyalty-launch`` preset).
        """
        return 100.0 * self.voucher_value_cny * self.points_per_cny / self.voucher_points

    @property
    def join_value_cny(self) -> float:
        """What joining is worth to a new customer in the first year, in CNY.

        ``J = welcome_points * voucher_value_cny / voucher_points
        + (rebate_pct + member.discount_pct) / 100 * effects.reference_spend_cny``:
        the welcome gift at the points' voucher value plus a year of rewards and member
        discount on a typical yearly spend (stated assumption: future rewards are not
        discounted within the year).
        """
        gift = self.welcome_points * self.voucher_value_cny / self.voucher_points
        return gift + (self.rebate_pct + self.member.discount_pct) / 100.0 * self.effects.reference_spend_cny
