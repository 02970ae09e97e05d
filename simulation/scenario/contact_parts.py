"""Scenario parts of the contact centre's everyday load: why customers contact the firm.

The firm's contact centre (the desk of :class:`~simulation.scenario.complaint_parts.ComplaintDesk`)
answers every kind of contact, not only complaints. Each reason below is tied to an event of
the firm: a prospect's first contact, an order, an appliance order that must be delivered and
installed, a product failure. At each such event the customer contacts the centre with the
reason's probability ``prob`` (a Bernoulli trial per event, so the contacts of one reason over
``n`` events are Binomial(n, prob)), ``Exp(delay_hours)`` later, through a channel drawn from
the desk's channel shares (moved into the channel's opening hours like a complaint), and an
agent spends ``Exp(handling_min)`` minutes on it.

Complaints keep their own path (failures, silence, severity, escalation, recovery) in
:mod:`simulation.complaints.centre`; the reasons here are answered and closed by the first
agent. The rates and handling times are the workbench's stated assumptions (README, model table).
"""

from __future__ import annotations

from dataclasses import dataclass

from .fields import check_fields, param

__all__ = ["ContactReason", "ContactReasons", "CONTACT_TYPES", "CONTACT_REASONS", "CONTACT_TRIGGERS"]

#: Every kind of contact the centre answers, in code order (``complaint`` is code 0).
CONTACT_TYPES = ("complaint", "pre_sales", "order_enquiry", "booking", "repair_request", "billing_question")
#: The everyday reasons (all but complaints), the fields of :class:`ContactReasons`.
CONTACT_REASONS = CONTACT_TYPES[1:]
#: The firm's event behind each reason.
CONTACT_TRIGGERS = {
    "pre_sales": "prospect",
    "order_enquiry": "order",
    "booking": "appliance_order",
    "repair_request": "product_failure",
    "billing_question": "order",
}


@dataclass(frozen=True)
class ContactReason:
    """One reason to contact the centre: how often per triggering event, when, and for how long.

    The expected number of contacts of this reason is ``prob x events``; the offered load it
    brings to the agents is ``prob x events x (handling_min + classify_min)`` minutes
    (Erlang's offered load, ``a = lambda x h``).
    """

    prob: float = param(
        0.1,
        unit="prob/event",
        lo=0,
        hi=1,
        lever=True,
        en="Contacts per event",
        zh="每事件联络概率",
        help="Chance that one triggering event leads to one contact of this kind.",
    )
    delay_hours: float = param(
        24.0,
        unit="hours",
        lo=0,
        hi=8760,
        en="Delay after the event",
        zh="事件后联络延迟",
        help="Mean hours from the event to the contact (exponential).",
    )
    handling_min: float = param(
        5.0,
        unit="min",
        lo=0.1,
        hi=600,
        en="Mean handling time",
        zh="平均处理时长",
        help="Mean minutes an agent spends on one contact of this kind (exponential).",
    )

    def __post_init__(self):
        check_fields(self)


@dataclass(frozen=True)
class ContactReasons:
    """The everyday contacts of a home-appliance retailer, besides complaints.

    Defaults (stated assumptions, sized for Evergreen; see the README's model table):
    a quarter of prospects ask a question before buying; one order in six is followed by a
    "where is my order" enquiry; most appliance orders need a delivery and installation slot
    agreed by phone or chat; nearly every failed product leads to a repair request; one order
    in twenty raises a billing question. Handling times are typical inbound-call times of
    3–10 minutes (Gans, Koole & Mandelbaum 2003 report mean service times of a few minutes
    in retail and banking centres).

    Waiting and not getting through cost the customer, as the workbench's stated assumptions
    (in the direction of Dixon, Freeman & Toman 2010, *Harvard Business Review* 88(7/8): having
    to contact a firm again is what most makes customers disloyal): an abandoned contact costs
    ``unanswered_drop = 5`` points and ``unanswered_leaving_odds = 0.5`` in the log-odds of
    leaving (odds x 1.65, a third of an unresolved complaint's, fading with the complaint
    grudge's half-life); every hour waited beyond the channel's target costs
    ``wait_drop_per_hour = 6`` points (0.1 a minute).
    """

    pre_sales: ContactReason = param(
        ContactReason(0.25, 0.0, 6.0),
        en="Pre-sales questions (per prospect)",
        zh="售前咨询（每位潜在客户）",
    )
    order_enquiry: ContactReason = param(
        ContactReason(0.15, 48.0, 4.0),
        en="Order and delivery enquiries (per order)",
        zh="订单与配送查询（每笔订单）",
    )
    booking: ContactReason = param(
        ContactReason(0.6, 12.0, 6.0),
        en="Delivery and installation booking (per appliance order)",
        zh="配送与安装预约（每笔家电订单）",
    )
    repair_request: ContactReason = param(
        ContactReason(0.9, 4.0, 10.0),
        en="Repair requests (per product failure)",
        zh="报修（每次产品故障）",
    )
    billing_question: ContactReason = param(
        ContactReason(0.05, 72.0, 5.0),
        en="Billing questions (per order)",
        zh="账单咨询（每笔订单）",
    )
    unanswered_drop: float = param(
        5.0,
        unit="points",
        lo=0,
        hi=100,
        en="Drop: unanswered contact",
        zh="联络未获应答降幅",
        help="Satisfaction points a customer loses when an everyday contact is abandoned.",
    )
    unanswered_leaving_odds: float = param(
        0.5,
        unit="log-odds",
        lo=0,
        hi=10,
        en="Leaving odds: unanswered contact",
        zh="联络未获应答的流失对数几率",
        help="Added to the customer's log-odds of leaving when an everyday contact is abandoned (fades).",
    )
    wait_drop_per_hour: float = param(
        6.0,
        unit="points/hour",
        lo=0,
        hi=1000,
        en="Drop per hour of waiting",
        zh="每小时等待降幅",
        help="Satisfaction points lost per hour waited beyond the channel's answer target.",
    )

    def __post_init__(self):
        check_fields(self)
