"""The scenario: every parameter of the simulated firm, as frozen validated dataclasses.

The firm is *Evergreen Home Appliances* (常青家电), a home-appliance retailer with stores,
a web shop, dealers, a delivery centre, an installation and repair centre, a call centre and
a loyalty club. A :class:`Scenario` is pure data: build variants with
``dataclasses.replace`` (or :func:`simulation.scenario.presets.with_changes`), never by mutation.

Units live in the names (``_days``, ``_per_year``, ``_cny``, ``_prob``). Fields marked
``lever`` may be changed while a firm runs (see :meth:`simulation.Firm.set`).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from .complaint_parts import ComplaintDesk
from .fields import ScenarioError, check_fields, param
from .loyalty_parts import Loyalty

__all__ = [
    "Channel",
    "Channels",
    "Segment",
    "Products",
    "Service",
    "Pricing",
    "Satisfaction",
    "Dropout",
    "WordOfMouth",
    "Lifecycle",
    "Scenario",
    "CHANNELS",
    "SEGMENTS",
]

CHANNELS = ("store", "web", "dealer")
SEGMENTS = ("household", "small_business")


@dataclass(frozen=True)
class Channel:
    """An acquisition channel: prospects arrive as a Poisson process and some convert.

    Acquired customers per year = ``customers_per_year`` (prospects arrive at
    ``customers_per_year / conversion_prob`` per year). Each acquired customer costs
    ``cost_per_customer_cny`` (the marketing budget of the channel divided by its customers).
    """

    customers_per_year: float = param(
        1000.0,
        unit="customers/year",
        lo=0,
        hi=10_000_000,
        lever=True,
        en="New customers per year",
        zh="每年新增客户数",
        help="Expected customers this channel acquires per year.",
    )
    cost_per_customer_cny: float = param(
        300.0,
        unit="CNY",
        lo=0,
        hi=100_000,
        lever=True,
        en="Acquisition cost per customer",
        zh="单位获客成本",
        help="Marketing spend per acquired customer.",
    )
    conversion_prob: float = param(
        0.3,
        unit="share",
        lo=0.001,
        hi=1,
        en="Prospect conversion",
        zh="潜在客户转化率",
        help="Share of prospects who place a first order.",
    )
    days_to_first_order: float = param(
        10.0,
        unit="days",
        lo=0,
        hi=365,
        en="Days from contact to first order",
        zh="接触到首单天数",
        help="Mean of the exponential delay between contact and first order.",
    )
    small_business_share: float = param(
        0.1,
        unit="share",
        lo=0,
        hi=1,
        en="Small-business share",
        zh="小企业客户占比",
        help="Share of this channel's new customers that are small businesses.",
    )

    def __post_init__(self):
        check_fields(self)


@dataclass(frozen=True)
class Channels:
    """The firm's paid acquisition channels (referrals are in :class:`WordOfMouth`)."""

    store: Channel = param(Channel(1800.0, 350.0, 0.35, 7.0, 0.08), en="Stores", zh="门店")
    web: Channel = param(Channel(1400.0, 220.0, 0.2, 3.0, 0.05), en="Web shop", zh="网店")
    dealer: Channel = param(Channel(600.0, 500.0, 0.4, 14.0, 0.35), en="Dealers", zh="经销商")

    def __post_init__(self):
        check_fields(self)


@dataclass(frozen=True)
class Segment:
    """Purchase behaviour of one customer segment (BG/NBD + Gamma-Gamma + sBG).

    Repeat orders: each customer orders as a Poisson process with rate
    ``lambda ~ Gamma(shape=r, rate=alpha)`` per year, ``alpha = r / mean_orders_per_year``.
    Dropout (``Dropout.model = "after_purchase"``): after each repeat order the customer
    leaves with probability ``p ~ Beta(a, b)``, ``a = dropout_mean * dropout_concentration``,
    ``b = (1 - dropout_mean) * dropout_concentration`` (Fader, Hardie & Lee 2005, BG/NBD).
    Spend per order: ``z ~ Gamma(p_s, nu)``, ``nu ~ Gamma(q_s, gamma)``, with
    ``gamma = mean_order_cny * (q_s - 1) / p_s`` so the mean order is ``mean_order_cny``
    (Fader, Hardie & Lee 2005, Gamma-Gamma). Service plans renew yearly; the customer's
    lapse probability ``theta ~ Beta`` (shifted-beta-geometric, Fader & Hardie 2007).
    """

    mean_orders_per_year: float = param(
        3.0,
        unit="orders/year",
        lo=0.01,
        hi=365,
        en="Mean orders per year",
        zh="年均订单数",
        help="Mean repeat-order rate of an active customer.",
    )
    rate_shape: float = param(
        1.5,
        unit="",
        lo=0.05,
        hi=100,
        en="Order-rate heterogeneity r",
        zh="购买率异质性 r",
        help="Gamma shape r; smaller = more unequal customers.",
    )
    dropout_mean: float = param(
        0.12,
        unit="prob",
        lo=0,
        hi=1,
        en="Mean dropout after an order",
        zh="每单后流失概率均值",
        help="Mean of p, the chance of leaving after a repeat order.",
    )
    dropout_concentration: float = param(
        6.0,
        unit="",
        lo=0.01,
        hi=10_000,
        en="Dropout concentration a+b",
        zh="流失概率集中度 a+b",
        help="a + b of the beta distribution of p; larger = more alike.",
    )
    hazard_per_year: float = param(
        0.3,
        unit="1/year",
        lo=0,
        hi=100,
        en="Dropout hazard",
        zh="流失风险率",
        help="Constant leaving rate used by the constant-hazard model.",
    )
    mean_order_cny: float = param(
        800.0,
        unit="CNY",
        lo=1,
        hi=1_000_000,
        en="Mean order value",
        zh="平均订单金额",
        help="Mean revenue of an order before discount.",
    )
    spend_shape_p: float = param(
        2.0,
        unit="",
        lo=0.1,
        hi=100,
        en="Spend shape p",
        zh="消费形状参数 p",
        help="Gamma-Gamma p: variation of one customer's orders.",
    )
    spend_shape_q: float = param(
        4.0,
        unit="",
        lo=1.05,
        hi=100,
        en="Spend heterogeneity q",
        zh="消费异质性 q",
        help="Gamma-Gamma q (> 1): smaller = more unequal spenders.",
    )
    plan_take_up_prob: float = param(
        0.25,
        unit="prob",
        lo=0,
        hi=1,
        en="Service-plan take-up",
        zh="年度延保服务合同购买率",
        help="Chance of buying a yearly service plan with an appliance.",
    )
    plan_lapse_mean: float = param(
        0.3,
        unit="prob",
        lo=0.001,
        hi=0.999,
        en="Mean plan lapse",
        zh="年度延保服务合同未续约率均值",
        help="Mean yearly chance a service plan is not renewed.",
    )
    plan_lapse_concentration: float = param(
        3.0,
        unit="",
        lo=0.01,
        hi=10_000,
        en="Plan lapse concentration",
        zh="年度延保服务合同流失集中度",
        help="alpha + beta of the sBG beta distribution.",
    )

    def __post_init__(self):
        check_fields(self)

    @property
    def alpha_years(self) -> float:
        """Gamma rate alpha of the order rate, in years."""
        return self.rate_shape / self.mean_orders_per_year

    @property
    def dropout_ab(self) -> tuple[float, float]:
        """(a, b) of the beta distribution of the dropout probability."""
        m, c = self.dropout_mean, self.dropout_concentration
        return m * c, (1 - m) * c

    @property
    def spend_gamma(self) -> float:
        """Gamma-Gamma scale gamma, so that E[order] = mean_order_cny."""
        return self.mean_order_cny * (self.spend_shape_q - 1) / self.spend_shape_p


@dataclass(frozen=True)
class Products:
    """What an order is: its category follows from its value; margins per category."""

    consumable_below_cny: float = param(
        200.0,
        unit="CNY",
        lo=0,
        hi=1_000_000,
        en="Consumable if below",
        zh="耗材金额上限",
        help="Orders below this value are consumables.",
    )
    appliance_from_cny: float = param(
        1000.0,
        unit="CNY",
        lo=0,
        hi=1_000_000,
        en="Appliance from",
        zh="家电金额下限",
        help="Orders from this value up are appliances (delivered).",
    )
    appliance_margin: float = param(0.22, unit="share", lo=0, hi=1, en="Appliance margin", zh="家电毛利率")
    accessory_margin: float = param(0.40, unit="share", lo=0, hi=1, en="Accessory margin", zh="配件毛利率")
    consumable_margin: float = param(0.35, unit="share", lo=0, hi=1, en="Consumable margin", zh="耗材毛利率")
    plan_price_cny: float = param(
        480.0, unit="CNY/year", lo=0, hi=100_000, lever=True, en="Service-plan price", zh="年度延保服务合同年费"
    )
    plan_margin: float = param(0.55, unit="share", lo=0, hi=1, en="Service-plan margin", zh="年度延保服务合同毛利率")

    def __post_init__(self):
        check_fields(self)
        if self.consumable_below_cny > self.appliance_from_cny:
            raise ScenarioError(
                f"Products.consumable_below_cny ({self.consumable_below_cny:g}) must not exceed "
                f"Products.appliance_from_cny ({self.appliance_from_cny:g}); lower the first or raise the second."
            )


@dataclass(frozen=True)
class Service:
    """Delivery, installation and repair: costs and failure chances per order."""

    delivery_cost_cny: float = param(
        120.0,
        unit="CNY/order",
        lo=0,
        hi=100_000,
        lever=True,
        en="Delivery cost",
        zh="单次配送成本",
        help="Cost of delivering an appliance.",
    )
    late_delivery_prob: float = param(
        0.08,
        unit="prob",
        lo=0,
        hi=1,
        lever=True,
        en="Late deliveries",
        zh="延迟配送比例",
        help="Share of deliveries that arrive late.",
    )
    installation_share: float = param(
        0.6,
        unit="share",
        lo=0,
        hi=1,
        en="Appliances installed",
        zh="需安装家电比例",
        help="Share of appliance orders that need installation.",
    )
    installation_cost_cny: float = param(
        150.0, unit="CNY/job", lo=0, hi=100_000, lever=True, en="Installation cost", zh="单次安装成本"
    )
    installation_problem_prob: float = param(
        0.05, unit="prob", lo=0, hi=1, lever=True, en="Installation problems", zh="安装问题比例"
    )
    appliance_failure_prob: float = param(
        0.04,
        unit="prob",
        lo=0,
        hi=1,
        lever=True,
        en="Appliance failures",
        zh="家电故障率",
        help="Chance an appliance fails early (a product defect).",
    )
    accessory_failure_prob: float = param(
        0.02, unit="prob", lo=0, hi=1, lever=True, en="Accessory failures", zh="配件故障率"
    )
    repair_cost_cny: float = param(
        300.0, unit="CNY/repair", lo=0, hi=100_000, lever=True, en="Repair cost", zh="单次维修成本"
    )

    def __post_init__(self):
        check_fields(self)


@dataclass(frozen=True)
class Pricing:
    """Price levers: a general discount raises order rates through a constant elasticity.

    Order-rate multiplier ``m = (1 - discount_pct/100) ** (-price_elasticity)``.
    """

    discount_pct: float = param(
        0.0,
        unit="%",
        lo=0,
        hi=90,
        lever=True,
        en="General discount",
        zh="普遍折扣",
        help="Discount on every non-contract order.",
    )
    price_elasticity: float = param(
        1.2,
        unit="",
        lo=0,
        hi=10,
        en="Price elasticity of orders",
        zh="订单价格弹性",
        help="Order-rate response to the discount.",
    )

    def __post_init__(self):
        check_fields(self)


@dataclass(frozen=True)
class Satisfaction:
    """Satisfaction on a 0–100 scale, moved by experiences.

    A trouble-free order closes ``good_order_gain`` of the gap to 100; a failure subtracts
    its drop; values are clipped to [0, 100].
    """

    initial_mean: float = param(
        72.0,
        unit="points",
        lo=0,
        hi=100,
        en="Initial satisfaction",
        zh="初始满意度",
        help="Mean satisfaction of a new customer.",
    )
    initial_sd: float = param(10.0, unit="points", lo=0, hi=50, en="Initial spread", zh="初始满意度标准差")
    good_order_gain: float = param(
        0.05,
        unit="share",
        lo=0,
        hi=1,
        en="Gain per good order",
        zh="顺利订单提升",
        help="Share of the gap to 100 closed by a trouble-free order.",
    )
    late_delivery_drop: float = param(8.0, unit="points", lo=0, hi=100, en="Drop: late delivery", zh="延迟配送降幅")
    installation_problem_drop: float = param(
        10.0, unit="points", lo=0, hi=100, en="Drop: installation problem", zh="安装问题降幅"
    )
    product_failure_drop: float = param(
        15.0, unit="points", lo=0, hi=100, en="Drop: product failure", zh="产品故障降幅"
    )

    def __post_init__(self):
        check_fields(self)


@dataclass(frozen=True)
class Dropout:
    """How customers leave (latent dropout) and come back.

    ``after_purchase``: BG/NBD — after each repeat order leave with probability ``p_eff``;
    ``constant_hazard``: leave at rate ``h_eff`` per year, independent of orders;
    ``none``: nobody leaves. Satisfaction shifts the log-odds (or log-hazard):
    ``logit p_eff = logit p + k (s_ref - s) / 10`` and ``h_eff = h exp(k (s_ref - s) / 10)``.
    """

    model: str = param(
        "after_purchase", en="Dropout model", zh="流失模型", choices=("after_purchase", "constant_hazard", "none")
    )
    satisfaction_effect: float = param(
        0.25,
        unit="per 10 points",
        lo=0,
        hi=5,
        en="Satisfaction effect on leaving",
        zh="满意度对流失的影响",
        help="k: each 10 points below the reference multiply the odds of leaving by e^k.",
    )
    reference_satisfaction: float = param(
        72.0, unit="points", lo=0, hi=100, en="Reference satisfaction", zh="参照满意度"
    )
    price_reason_share: float = param(
        0.5,
        unit="share",
        lo=0,
        hi=1,
        en="Price share of ordinary churn",
        zh="价格原因占比",
        help="Ordinary leavers citing price; the rest cite a competitor.",
    )
    comeback_per_year: float = param(
        0.05,
        unit="1/year",
        lo=0,
        hi=10,
        lever=True,
        en="Win-back rate",
        zh="客户回流率",
        help="Rate at which lost customers come back by themselves.",
    )

    def __post_init__(self):
        check_fields(self)


@dataclass(frozen=True)
class WordOfMouth:
    """Satisfied customers refer prospects; dissatisfied ones deter them."""

    promoter_threshold: float = param(80.0, unit="points", lo=0, hi=100, en="Promoter threshold", zh="推荐者满意度阈值")
    referral_prob: float = param(
        0.06,
        unit="prob/order",
        lo=0,
        hi=1,
        lever=True,
        en="Referral chance",
        zh="推荐概率",
        help="Chance that a promoter's order brings a referred prospect.",
    )
    referral_conversion_prob: float = param(0.5, unit="prob", lo=0, hi=1, en="Referral conversion", zh="推荐转化率")
    referral_delay_days: float = param(30.0, unit="days", lo=0, hi=365, en="Referral delay", zh="推荐延迟天数")
    referral_reward_cny: float = param(
        100.0,
        unit="CNY",
        lo=0,
        hi=100_000,
        lever=True,
        en="Referral reward",
        zh="推荐奖励",
        help="Paid per referred customer acquired.",
    )
    detractor_threshold: float = param(
        50.0, unit="points", lo=0, hi=100, en="Detractor threshold", zh="贬损者满意度阈值"
    )
    deterrence_prob: float = param(
        0.3,
        unit="prob",
        lo=0,
        hi=1,
        en="Deterrence chance",
        zh="劝阻概率",
        help="Chance a detractor's bad experience turns away the next prospect.",
    )

    def __post_init__(self):
        check_fields(self)
        if self.detractor_threshold > self.promoter_threshold:
            raise ScenarioError(
                f"WordOfMouth.detractor_threshold ({self.detractor_threshold:g}) must not exceed "
                f"WordOfMouth.promoter_threshold ({self.promoter_threshold:g})."
            )


@dataclass(frozen=True)
class Lifecycle:
    """Rules for the observable stages contact → development → maintenance → decline → termination.

    - contact: a prospect made contact and has not ordered yet;
    - development: from the first order until ``maintenance_after_orders`` orders;
    - maintenance: a customer with that many orders who keeps ordering;
    - decline: ``decline_after_days`` without an order;
    - termination (dormant): ``dormant_after_days`` without an order.
    An order in decline returns the customer to the stage their order count gives; an
    order after termination is a win-back and restarts development.
    """

    maintenance_after_orders: int = param(
        3, unit="orders", lo=1, hi=1000, integer=True, en="Orders to reach maintenance", zh="进入维护期的订单数"
    )
    decline_after_days: float = param(180.0, unit="days", lo=1, hi=3650, en="Decline after", zh="进入衰退期天数")
    dormant_after_days: float = param(365.0, unit="days", lo=1, hi=3650, en="Dormant after", zh="进入终止(休眠)期天数")

    def __post_init__(self):
        check_fields(self)
        if self.dormant_after_days <= self.decline_after_days:
            raise ScenarioError(
                f"Lifecycle.dormant_after_days ({self.dormant_after_days:g}) must be greater than "
                f"Lifecycle.decline_after_days ({self.decline_after_days:g})."
            )


@dataclass(frozen=True)
class Scenario:
    """One complete, validated parameter set of the firm."""

    name: str = param("baseline", en="Scenario name", zh="情景名称")
    description: str = param("", en="Description", zh="说明")
    start_date: str = param("2024-01-01", en="First day", zh="起始日期", help="ISO date of day 0.")
    horizon_days: float = param(1095.0, unit="days", lo=1, hi=36_500, en="Horizon", zh="模拟天数")
    period_days: float = param(
        30.0,
        unit="days",
        lo=1,
        hi=3650,
        en="Period length",
        zh="周期长度",
        help="Length of one step when the firm is advanced period by period.",
    )
    channels: Channels = param(Channels(), en="Acquisition channels", zh="获客渠道")
    household: Segment = param(Segment(), en="Households", zh="家庭客户")
    small_business: Segment = param(
        Segment(
            mean_orders_per_year=6.0,
            rate_shape=1.2,
            dropout_mean=0.08,
            dropout_concentration=8.0,
            hazard_per_year=0.2,
            mean_order_cny=2600.0,
            spend_shape_p=2.0,
            spend_shape_q=3.0,
            plan_take_up_prob=0.4,
            plan_lapse_mean=0.2,
        ),
        en="Small businesses",
        zh="小企业客户",
    )
    products: Products = param(Products(), en="Products", zh="产品")
    service: Service = param(Service(), en="Delivery, installation and repair", zh="配送安装维修")
    pricing: Pricing = param(Pricing(), en="Pricing", zh="定价")
    satisfaction: Satisfaction = param(Satisfaction(), en="Satisfaction", zh="满意度")
    dropout: Dropout = param(Dropout(), en="Leaving and coming back", zh="流失与回流")
    word_of_mouth: WordOfMouth = param(WordOfMouth(), en="Word of mouth", zh="口碑")
    lifecycle: Lifecycle = param(Lifecycle(), en="Lifecycle stages", zh="生命周期阶段")
    loyalty: Loyalty = param(Loyalty(), en="Loyalty club", zh="会员俱乐部")
    complaints: ComplaintDesk = param(ComplaintDesk(), en="Complaint desk", zh="投诉受理中心")

    def __post_init__(self):
        check_fields(self)
        try:
            _dt.date.fromisoformat(self.start_date)
        except ValueError:
            raise ScenarioError(
                f"Scenario.start_date must be an ISO date like '2024-01-01'; got {self.start_date!r}."
            ) from None

    def segment(self, name: str) -> Segment:
        """The :class:`Segment` called ``name`` ("household" or "small_business")."""
        return getattr(self, name)

    @property
    def customers_per_year(self) -> float:
        """Expected customers acquired per year through the paid channels."""
        return sum(getattr(self.channels, c).customers_per_year for c in CHANNELS)
