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
    "Overheads",
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
    ``customers_per_year / conversion_prob`` per year). At the channel's planned volume
    ``reference_customers_per_year`` each acquired customer costs ``cost_per_customer_cny``
    (the channel's marketing budget divided by its customers). Buying more customers than
    planned costs more per customer, because the channel's best prospects are reached first:

    ``cost per customer = cost_per_customer_cny * (customers_per_year / reference_customers_per_year) ** cost_elasticity``

    so the channel's budget grows like ``customers ** (1 + cost_elasticity)``; equivalently
    customers respond to budget with elasticity ``1 / (1 + cost_elasticity)`` (2/3 at the
    default 0.5: a concave, diminishing-returns response, as advertising response curves are;
    Hanssens, Parsons & Schultz 2001, *Market Response Models*, ch. 3; the value 0.5 is a
    stated assumption of the workbench).
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
    reference_customers_per_year: float = param(
        1000.0,
        unit="customers/year",
        lo=0.01,
        hi=10_000_000,
        en="Planned customers per year",
        zh="计划年获客数",
        help="Volume at which a customer costs cost_per_customer_cny; beyond it each one costs more.",
    )
    cost_elasticity: float = param(
        0.5,
        unit="",
        lo=0,
        hi=5,
        en="Rise of acquisition cost with volume",
        zh="获客成本随规模上升弹性",
        help="Doubling the volume multiplies the cost per customer by 2 to this power.",
    )

    def __post_init__(self):
        check_fields(self)

    def acquisition_cost(self) -> float:
        """Cost of one acquired customer at the channel's current volume (CNY).

        >>> Channel(customers_per_year=4000, cost_per_customer_cny=200, reference_customers_per_year=1000).acquisition_cost()
        400.0
        """
        if self.customers_per_year <= 0:
            return self.cost_per_customer_cny
        return (
            self.cost_per_customer_cny
            * (self.customers_per_year / self.reference_customers_per_year) ** self.cost_elasticity
        )


@dataclass(frozen=True)
class Channels:
    """The firm's paid acquisition channels (referrals are in :class:`WordOfMouth`)."""

    store: Channel = param(Channel(1800.0, 300.0, 0.35, 7.0, 0.08, 1800.0), en="Stores", zh="门店")
    web: Channel = param(Channel(1400.0, 180.0, 0.2, 3.0, 0.05, 1400.0), en="Web shop", zh="网店")
    dealer: Channel = param(Channel(600.0, 420.0, 0.4, 14.0, 0.35, 600.0), en="Dealers", zh="经销商")

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
        1.2,
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
        0.06,
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
        1000.0,
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
    negotiated_discount_pct: float = param(
        0.0,
        unit="%",
        lo=0,
        hi=90,
        en="Negotiated discount",
        zh="议价折扣",
        help="Discount this segment bargains for on every non-contract order, on top of any general discount.",
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
    """What an order is: its category follows from its value; margins per category.

    Default margins are those of a large appliance retailer: about 15–20 % on appliances,
    more on accessories and consumables, most on service plans, which blend to a gross
    margin near 21 % of revenue (large appliance and electronics retailers report about
    19–23 %, e.g. Best Buy's annual reports for 2019–2023; Suning's and Gome's appliance
    retail about 14–18 %). The category margins themselves are stated assumptions.
    """

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
    appliance_margin: float = param(0.18, unit="share", lo=0, hi=1, en="Appliance margin", zh="家电毛利率")
    accessory_margin: float = param(0.35, unit="share", lo=0, hi=1, en="Accessory margin", zh="配件毛利率")
    consumable_margin: float = param(0.30, unit="share", lo=0, hi=1, en="Consumable margin", zh="耗材毛利率")
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
    """Delivery, installation and repair: costs and failure chances per order.

    Every order costs something to serve: an appliance is delivered by the delivery centre
    (``delivery_cost_cny``); any other order is picked, packed and handed over or sent as a
    parcel (``parcel_cost_cny``; both recorded as the order's delivery cost). The parcel cost
    is what makes many small orders unprofitable (Kaplan & Narayanan 2001, "Measuring and
    managing customer profitability"); 25 CNY is a stated assumption close to Chinese
    express-parcel prices plus handling.
    """

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
    parcel_cost_cny: float = param(
        25.0,
        unit="CNY/order",
        lo=0,
        hi=100_000,
        en="Handling cost of a small order",
        zh="小件订单处理成本",
        help="Picking, packing and parcel cost of an order that is not an appliance.",
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
    """Price levers: a general discount works both ways.

    With ``k = 1 - discount_pct / 100`` the share of the list price customers pay:

    - **Orders**: the order rate of every customer is multiplied by
      ``m(t) = k ** (-price_elasticity) * (k / R(t)) ** (-reference_price_effect)``. The first
      factor is the lasting response to a lower price; the second compares the price with
      the customers' *reference price* ``R(t)`` (share of list price), which drifts towards
      the price paid: ``R(t) = k + (R0 - k) exp(-(t - t0) / reference_adaptation_days)``
      after a price change at ``t0``. A new discount lifts orders at once; the lift fades as
      customers get used to the price; when the discount ends the price looks high against
      the lowered reference and orders dip below normal for a while — customers learn to
      wait for the next promotion (reference-price models: Kalyanaram & Winer 1995,
      *Marketing Science* 14(3); Kopalle, Rao & Assunção 1996, *Marketing Science* 15(1);
      Mela, Gupta & Lehmann 1997, *JMR* 34(2)).
    - **Acquisition**: prospects convert with ``conversion_prob * k ** (-conversion_elasticity)``
      (at most 1), through the paid channels and referrals alike.
    - **Leaving**: buying more often does not mean more chances to leave: the chance of
      leaving after an order is adjusted so the leaving rate *per day* is unchanged
      (see :mod:`simulation.model.leaving`).

    The elasticities are stated assumptions within published ranges: mean price elasticity
    of demand about −2.6 across brands (Bijmolt, van Heerde & Pieters 2005, *JMR* 42(2))
    of which the store-level lasting part is much smaller; a temporary price cut's lift is
    mostly borrowed from later purchases and other stores.
    """

    discount_pct: float = param(
        0.0,
        unit="%",
        lo=0,
        hi=90,
        lever=True,
        en="General discount",
        zh="全场统一折扣",
        help="Discount on every non-contract order.",
    )
    price_elasticity: float = param(
        0.5,
        unit="",
        lo=0,
        hi=10,
        en="Price elasticity of orders",
        zh="订单价格弹性",
        help="Lasting order-rate response to the discount.",
    )
    reference_price_effect: float = param(
        1.5,
        unit="",
        lo=0,
        hi=10,
        en="Reference-price effect",
        zh="参考价格效应",
        help="Extra order-rate response while the price differs from the price customers are used to.",
    )
    reference_adaptation_days: float = param(
        90.0,
        unit="days",
        lo=1,
        hi=3650,
        en="Reference price adapts in",
        zh="参考价格适应天数",
        help="Time constant with which customers get used to a new price.",
    )
    conversion_elasticity: float = param(
        1.0,
        unit="",
        lo=0,
        hi=10,
        en="Price elasticity of conversion",
        zh="转化价格弹性",
        help="How much a discount raises the share of prospects who become customers.",
    )

    def __post_init__(self):
        check_fields(self)


@dataclass(frozen=True)
class Satisfaction:
    """Satisfaction on a 0–100 scale, moved by experiences; it changes how much customers buy.

    A trouble-free order closes ``good_order_gain`` of the gap to 100; a failure subtracts
    its drop; values are clipped to [0, 100]. A dissatisfied customer buys less: the order
    rate is multiplied by ``exp(rate_effect * min(0, s - s_ref) / 10)`` with ``s_ref`` the
    dropout's reference satisfaction (0.15: each 10 points below the reference cost about
    14 % of the customer's orders — a stated assumption in line with the satisfaction →
    repurchase elasticities of Bolton 1998, *Marketing Science* 17(1), and Mittal &
    Kamakura 2001, *JMR* 38(1)). Satisfaction also drives leaving
    (:class:`Dropout`) and word of mouth (:class:`WordOfMouth`).

    The drops are stated assumptions ordered by severity (a failed product hurts more than a
    late van), sized so that one failure takes a typical customer from the reference level
    into the zone where most customers consider leaving (Jones & Sasser 1995, "Why satisfied
    customers defect", *Harvard Business Review* 73(6)).
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
    late_delivery_drop: float = param(10.0, unit="points", lo=0, hi=100, en="Drop: late delivery", zh="延迟配送降幅")
    installation_problem_drop: float = param(
        12.0, unit="points", lo=0, hi=100, en="Drop: installation problem", zh="安装问题降幅"
    )
    product_failure_drop: float = param(
        20.0, unit="points", lo=0, hi=100, en="Drop: product failure", zh="产品故障降幅"
    )
    rate_effect: float = param(
        0.15,
        unit="per 10 points",
        lo=0,
        hi=5,
        en="Satisfaction effect on buying",
        zh="满意度对购买频率的影响",
        help="b: each 10 points below the reference multiply the order rate by e^-b.",
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

    A bad experience (late delivery, installation problem, failure) is also a moment of
    decision — a *critical incident* (Keaveney 1995, "Customer switching behavior in service
    industries", *Journal of Marketing* 59(2): core service failures and failed responses to
    them are the leading reasons customers switch). ``incident_decision_days`` after it, once
    any complaint has had time to be handled, the customer leaves with
    ``q = expit(logit q0 + k (s_ref - s) / 10 + shift)``, ``q0 = incident_leave_prob``,
    with ``s`` the satisfaction at that moment: a customer whose complaint was put right
    stays, one left with the problem often goes (TARP's studies for the U.S. Office of
    Consumer Affairs found repurchase intent far higher among complainants whose problem was
    resolved than among those left unsatisfied).

    A lost customer comes back after an exponential time at ``comeback_per_year`` (0.15: about
    one in seven within a year — a stated assumption; lapsed customers can be won back,
    Thomas, Blattberg & Fox 2004, "Recapturing lost customers", *JMR* 41(1)). Raising the
    rate during a run (a win-back campaign) reaches the customers already lost. ``k`` = ``satisfaction_effect`` = 0.8 per
    10 points and ``q0`` = 0.08 are stated assumptions calibrated so that 35–55 % of the
    baseline's leavers leave after a bad experience (Keaveney: 44 % core service failures,
    the course's quoted 60 % for poor service and 13 % for the product).
    """

    model: str = param(
        "after_purchase", en="Dropout model", zh="流失模型", choices=("after_purchase", "constant_hazard", "none")
    )
    satisfaction_effect: float = param(
        0.8,
        unit="per 10 points",
        lo=0,
        hi=5,
        en="Satisfaction effect on leaving",
        zh="满意度对流失的影响",
        help="k: each 10 points below the reference multiply the odds of leaving by e^k.",
    )
    incident_leave_prob: float = param(
        0.08,
        unit="prob",
        lo=0,
        hi=1,
        en="Leaving after a bad experience",
        zh="不良体验后流失概率",
        help="q0: chance of leaving after a bad experience for a customer at the reference satisfaction.",
    )
    incident_decision_days: float = param(
        14.0,
        unit="days",
        lo=0,
        hi=365,
        en="Days to decide after a bad experience",
        zh="不良体验后决定天数",
        help="How long after a bad experience the customer decides whether to stay.",
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
        0.15,
        unit="1/year",
        lo=0,
        hi=10,
        lever=True,
        en="Win-back rate",
        zh="客户回流率",
        help="Rate at which lost customers come back by themselves (or answering a win-back campaign).",
    )

    def __post_init__(self):
        check_fields(self)


@dataclass(frozen=True)
class WordOfMouth:
    """Satisfied customers refer prospects; dissatisfied ones deter them.

    A promoter's order brings a referred prospect with chance
    ``referral_prob * ((reward + 100) / 200) ** reward_effect``: ``referral_prob`` is the
    chance at a 100 CNY reward; a bigger reward brings more referrals, in proportion to
    (reward + 100) at the default 1.0 (×1.5 at 200 CNY, ×0.5 with no reward: satisfied
    customers recommend anyway, a reward adds to it), after Ryu & Feick (2007), "A penny for
    your thoughts: referral reward programs and referral likelihood", *Journal of Marketing*
    71(1), who found rewards raise the likelihood of recommending; the functional form and
    1.0 are stated assumptions.
    """

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
    reward_effect: float = param(
        1.0,
        unit="",
        lo=0,
        hi=5,
        en="Effect of the reward on referrals",
        zh="奖励对推荐的影响",
        help="Elasticity of the referral chance with respect to (reward + 100 CNY).",
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
class Overheads:
    """Costs that do not change with customers: head office, systems, rent not tied to a sale.

    Most of a retailer's operating costs are in the model as activities — delivery, parcels,
    installation, repair, acquisition, the contact centre and the club. ``net_profit_cny``
    also subtracts ``fixed_cost_cny_per_year`` for the length of the run, so that the firm's
    operating margin is that of an appliance retailer — a few per cent of revenue (Best Buy
    about 4–5 %, Chinese appliance chains 0–3 % in their profitable years). The default,
    150,000 CNY a year (about 1 % of ``baseline``'s revenue), and each preset's value are
    stated assumptions sized for that margin at the preset's scale; ``scale_customers``
    scales them with the firm; no lever moves them within a run.
    """

    fixed_cost_cny_per_year: float = param(
        150_000.0,
        unit="CNY/year",
        lo=0,
        hi=1e12,
        en="Fixed costs per year",
        zh="年固定费用",
        help="Rent, salaried staff and systems; subtracted from net profit.",
    )

    def __post_init__(self):
        check_fields(self)


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
    dormant_after_days: float = param(
        365.0, unit="days", lo=1, hi=3650, en="Dormant after", zh="进入终止期（休眠）天数"
    )

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
            mean_orders_per_year=4.0,
            rate_shape=1.2,
            dropout_mean=0.04,
            dropout_concentration=8.0,
            hazard_per_year=0.2,
            mean_order_cny=3000.0,
            spend_shape_p=2.0,
            spend_shape_q=3.0,
            plan_take_up_prob=0.4,
            plan_lapse_mean=0.2,
            negotiated_discount_pct=6.0,
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
    overheads: Overheads = param(Overheads(), en="Fixed costs", zh="固定费用")
    not_offered: str = param(
        "",
        en="Levers not offered",
        zh="不开放的决策变量",
        help="Comma-separated levers this setting does not offer, because they cannot matter in it.",
    )
    loyalty: Loyalty = param(Loyalty(), en="Loyalty club", zh="客户忠诚度计划")
    complaints: ComplaintDesk = param(ComplaintDesk(), en="Complaint desk", zh="投诉受理中心")

    def __post_init__(self):
        check_fields(self)
        try:
            _dt.date.fromisoformat(self.start_date)
        except ValueError:
            raise ScenarioError(
                f"Scenario.start_date must be an ISO date like '2024-01-01'; got {self.start_date!r}."
            ) from None
        if self.not_offered.strip():
            from ..common.checks import did_you_mean
            from .fields import field_rows

            levers = [r["path"] for r in field_rows(self) if r["lever"]]
            for path in self.not_offered_levers:
                if path not in levers:
                    raise ScenarioError(
                        f"Scenario.not_offered names {path!r}, which is not a lever" + did_you_mean(path, levers)
                    )

    @property
    def not_offered_levers(self) -> tuple[str, ...]:
        """The levers listed in ``not_offered`` (comma-separated text), as a tuple of paths."""
        return tuple(p.strip() for p in self.not_offered.split(",") if p.strip())

    def segment(self, name: str) -> Segment:
        """The :class:`Segment` called ``name`` ("household" or "small_business")."""
        return getattr(self, name)

    @property
    def customers_per_year(self) -> float:
        """Expected customers acquired per year through the paid channels."""
        return sum(getattr(self.channels, c).customers_per_year for c in CHANNELS)
