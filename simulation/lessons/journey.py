"""The module-1 customer journey across the departments, with and without shared information.

Two pure views of the same lesson, "without shared customer information each department
asks the same questions and hand-offs fail":

1. The course's role-play journey (:data:`JOURNEY`): advert → website → phone a dealer →
   showroom → compare competitors → negotiate → order → delivery and installation → payment.
   Sales takes the order it negotiated; finance collects the payment.
   :func:`walk` counts, step by step, the questions the customer must answer and the chance
   that an agreement made earlier is lost on the way, for any set of departments connected
   to a shared customer record.
2. One simulated customer's real history (:func:`customer_story`): the events of a
   :class:`simulation.Result` turned into touchpoints of the departments, with the
   moments a department meets the customer without knowing what happened elsewhere.

The rules of :func:`walk`:

- *Facts* (name, phone, address, household size, budget …) that a department needs and
  cannot see are asked again. A department sees what it was told itself, and — if it is
  connected — everything told to any connected department.
- *Agreements* (the negotiated discount, delivery window, installation needs) are promises.
  A department that needs one it cannot see gets it by an internal hand-off (a note, a
  call) that fails with probability ``loss_prob``; a step's risk is
  ``1 - (1 - loss_prob) ** k`` for ``k`` such hand-offs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..common.i18n import label_or_key, listing, pick, resolve

__all__ = [
    "DEPARTMENTS",
    "FACTS",
    "AGREEMENTS",
    "JOURNEY",
    "walk",
    "journey_summary",
    "customer_story",
    "story_summary",
    "pick_customer",
]

#: The role-play departments (label keys in :mod:`simulation.common.i18n`).
DEPARTMENTS = ("marketing", "sales", "delivery_centre", "repair_centre", "finance", "call_centre")

#: Facts about the customer: asked again when the department cannot see them. (en, zh)
FACTS = {
    "name": ("name", "姓名"),
    "phone": ("phone", "电话"),
    "address": ("address", "地址"),
    "interest": ("product interest", "意向产品"),
    "household": ("household size", "家庭人数"),
    "budget": ("budget", "预算"),
    "competitor_offer": ("competitor's offer", "竞品报价"),
    "payment": ("payment method", "付款方式"),
    "invoice": ("invoice title", "发票抬头"),
}
#: Agreements made with the customer: handed over, and possibly lost, when not shared.
AGREEMENTS = {
    "discount": ("agreed discount", "约定折扣"),
    "delivery_window": ("delivery window", "送货时间"),
    "installation": ("installation needs", "安装要求"),
}

#: The role-play journey: (key, English, Chinese, department, facts needed, agreements needed,
#: agreements made at this step).
JOURNEY: tuple = (
    ("advert", "Sees an advert", "看到广告", "marketing", (), (), ()),
    ("website", "Browses the website", "浏览网站", "marketing", ("name", "phone", "interest"), (), ()),
    (
        "phone_dealer",
        "Phones a local dealer",
        "致电本地经销商",
        "sales",
        ("name", "phone", "interest", "address"),
        (),
        (),
    ),
    ("showroom", "Visits the showroom", "参观展厅", "sales", ("name", "interest", "household", "budget"), (), ()),
    (
        "follow_up",
        "Compares competitors; the firm calls back",
        "比较竞品，企业回访",
        "call_centre",
        ("name", "phone", "interest", "budget", "competitor_offer"),
        (),
        (),
    ),
    (
        "negotiate",
        "Negotiates price, delivery, after-sales",
        "洽谈价格、配送与售后",
        "sales",
        ("name", "interest", "budget", "competitor_offer", "address"),
        (),
        ("discount", "delivery_window", "installation"),
    ),
    (
        "order",
        "Places the order",
        "下单",
        "sales",
        ("name", "phone", "address", "interest", "payment"),
        ("discount",),
        (),
    ),
    (
        "delivery",
        "Receives the appliance",
        "收货",
        "delivery_centre",
        ("name", "phone", "address"),
        ("delivery_window",),
        (),
    ),
    (
        "installation",
        "Has it installed and tries it",
        "安装试用",
        "repair_centre",
        ("name", "phone", "address", "interest"),
        ("installation",),
        (),
    ),
    ("payment", "Pays", "付款", "finance", ("name", "address", "payment", "invoice"), ("discount",), ()),
)


def _check_connected(connected) -> frozenset:
    if isinstance(connected, bool):
        return frozenset(DEPARTMENTS) if connected else frozenset()
    conn = frozenset(connected)
    unknown = sorted(conn - set(DEPARTMENTS))
    if unknown:
        raise ValueError(f"unknown department {unknown[0]!r}; departments: {', '.join(DEPARTMENTS)}.")
    return conn


def walk(
    connected=False,
    *,
    loss_prob: float = 0.1,
    minutes_per_question: float = 1.5,
    journey=JOURNEY,
    lang: str | None = None,
) -> pd.DataFrame:
    """Walk the journey once and count what the customer goes through at each step.

    Parameters
    ----------
    connected : bool or iterable of str
        Departments that read and write one shared customer record (``True`` = all,
        ``False`` = none, or e.g. ``{"sales", "finance"}``).
    loss_prob : float
        Chance that one internal hand-off of an agreement fails (0..1).
    minutes_per_question : float
        Customer's time per question answered.

    Returns
    -------
    DataFrame
        One row per step: ``step`` (label), ``department``, ``questions`` (asked at the step),
        ``repeated_questions`` (the customer had already answered them elsewhere),
        ``handoff_risk`` (chance at least one agreement needed here is lost), ``minutes``,
        ``asked`` (the questions, as text).
    """
    if not 0.0 <= float(loss_prob) <= 1.0:
        raise ValueError(f"loss_prob must be a probability in [0, 1]; got {loss_prob!r}.")
    if minutes_per_question < 0:
        raise ValueError(f"minutes_per_question must be >= 0; got {minutes_per_question!r}.")
    lang = resolve(lang)
    conn = _check_connected(connected)
    known: dict[str, set] = {d: set() for d in DEPARTMENTS}  # what each department can see
    shared: set = set()  # the shared record
    told: set = set()  # what the customer told anyone
    made: dict[str, str] = {}  # agreement -> department that made it
    rows = []
    for key, en, zh, dept, facts, needs, makes in journey:
        if dept not in known:
            raise ValueError(f"step {key!r} names unknown department {dept!r}.")
        sees = known[dept] | (shared if dept in conn else set())
        asked = [f for f in facts if f not in sees]
        repeated = sum(1 for f in asked if f in told)
        handoffs = sum(1 for a in needs if a in made and a not in sees)
        for item in (*asked, *makes):
            known[dept].add(item)
            if dept in conn:
                shared.add(item)
        told.update(asked)
        for a in makes:
            made[a] = dept
        rows.append(
            dict(
                step=pick(en, zh, lang),
                department=label_or_key(dept, lang),
                questions=len(asked),
                repeated_questions=repeated,
                handoff_risk=1.0 - (1.0 - loss_prob) ** handoffs,
                minutes=len(asked) * minutes_per_question,
                asked=listing((pick(*FACTS[f], lang) for f in asked), lang),
            )
        )
    return pd.DataFrame(rows)


def journey_summary(steps: pd.DataFrame) -> dict:
    """Totals of a :func:`walk`: questions, repeated questions, minutes and the chance that at
    least one agreement is broken, ``1 - prod(1 - handoff_risk)``."""
    for col in ("questions", "repeated_questions", "minutes", "handoff_risk"):
        if col not in steps.columns:
            raise ValueError(f"steps is missing column {col!r}; pass the table from walk().")
    return dict(
        questions=int(steps["questions"].sum()),
        repeated_questions=int(steps["repeated_questions"].sum()),
        minutes=float(steps["minutes"].sum()),
        broken_promise_prob=float(1.0 - np.prod(1.0 - steps["handoff_risk"].to_numpy())),
    )


#: How each event type of the log shows up in the firm: (department, English, Chinese).
_TOUCH = {
    "contact": ("marketing", "first contact through the {channel}", "通过{channel}首次接触"),
    "acquired": ("sales", "first order: becomes a customer", "首单：成为客户"),
    "order": ("sales", "orders {category} for {amount:,.0f} CNY", "订购{category}，金额 {amount:,.0f} 元"),
    "installation": ("repair_centre", "installs the appliance", "上门安装"),
    "late_delivery": ("delivery_centre", "delivers late", "延迟送达"),
    "installation_problem": ("repair_centre", "installation goes wrong", "安装出现问题"),
    "product_failure": ("repair_centre", "repairs a failed product", "维修故障产品"),
    "referral": ("marketing", "recommends the firm to a friend", "向朋友推荐本企业"),
    "plan_start": ("finance", "buys a yearly service plan", "购买年度延保服务合同"),
    "plan_renewal": ("finance", "renews the service plan", "续约年度延保服务合同"),
    "plan_lapse": ("finance", "lets the service plan lapse", "年度延保服务合同到期未续"),
    "dropout": ("", "quietly stops buying (nobody in the firm sees it)", "悄然停止购买（企业内无人察觉）"),
    "comeback": ("sales", "comes back", "重新回来购买"),
}
_BAD = ("late_delivery", "installation_problem", "product_failure")


def customer_story(result, customer_id: int, *, lang: str | None = None) -> pd.DataFrame:
    """One customer's touchpoints with the departments, in time order.

    Returns
    -------
    DataFrame
        ``day``, ``department`` (empty for the silent leaving), ``what_happened``,
        ``new_to_department`` (the first time this department meets the customer: without
        shared information the customer introduces themself again), ``unaware_of_trouble``
        (a bad experience happened in another department and this department, without a
        shared record, does not know).
    """
    lang = resolve(lang)
    n = len(result.customers)
    if isinstance(customer_id, bool) or not isinstance(customer_id, (int, np.integer)) or not 0 <= customer_id < n:
        raise ValueError(f"customer_id must be a customer number in [0, {n - 1}]; got {customer_id!r}.")
    ev = result.events.loc[result.events["customer_id"] == customer_id]
    orders = result.orders.set_index("order_id")
    met: set = set()
    trouble: str | None = None
    rows = []
    for r in ev.itertuples(index=False):
        kind = str(r.event_type)
        if kind not in _TOUCH:
            continue
        dept, en, zh = _TOUCH[kind]
        fmt = {}
        if kind == "contact":
            fmt["channel"] = label_or_key(str(result.customers.at[customer_id, "channel"]), lang).lower()
        if kind == "order":
            if bool(orders.at[r.order_id, "contract"]):
                continue  # the plan's own sale/renewal row
            fmt = dict(
                category=label_or_key(str(orders.at[r.order_id, "category"]), lang).lower(), amount=float(r.amount_cny)
            )
        rows.append(_touch(r.time_days, dept, pick(en, zh, lang).format(**fmt), met, trouble, lang))
        if kind == "order" and float(r.cost_cny) > 0:
            rows.append(
                _touch(r.time_days, "delivery_centre", pick("delivers the order", "送货上门", lang), met, trouble, lang)
            )
        if kind in _BAD:
            trouble = dept
    return pd.DataFrame(rows, columns=["day", "department", "what_happened", "new_to_department", "unaware_of_trouble"])


def _touch(day, dept, text, met: set, trouble, lang) -> dict:
    new = bool(dept) and dept not in met
    if dept:
        met.add(dept)
    unaware = bool(dept) and trouble is not None and trouble != dept
    return dict(
        day=round(float(day), 1),
        department=label_or_key(dept, lang) if dept else "",
        what_happened=text,
        new_to_department=new,
        unaware_of_trouble=unaware,
    )


def story_summary(story: pd.DataFrame) -> dict:
    """Counts of a :func:`customer_story`: touchpoints, departments met, times the customer
    introduces themself again without shared information (departments met minus one) and
    touchpoints where a department does not know about earlier trouble."""
    for col in ("department", "new_to_department", "unaware_of_trouble"):
        if col not in story.columns:
            raise ValueError(f"story is missing column {col!r}; pass the table from customer_story().")
    depts = int(story["new_to_department"].sum())
    return dict(
        touchpoints=int((story["department"] != "").sum()),
        departments=depts,
        reintroductions=max(0, depts - 1),
        unaware_touchpoints=int(story["unaware_of_trouble"].sum()),
    )


def pick_customer(result, *, min_orders: int = 3, max_orders: int = 8) -> int:
    """A customer worth following: ``min_orders`` to ``max_orders`` orders and at least one bad
    experience, the one with the most kinds of events (ties: lowest number). Deterministic.
    Falls back to the customer with the most orders when nobody qualifies."""
    ev = result.events
    bad = set(ev.loc[ev["event_type"].isin(_BAD), "customer_id"])
    c = result.customers
    cand = c.loc[c["n_orders"].between(min_orders, max_orders) & c["customer_id"].isin(bad)]
    if cand.empty:
        cand = c.loc[c["n_orders"] == c["n_orders"].max()]
    kinds = ev.loc[ev["customer_id"].isin(cand["customer_id"])].groupby("customer_id")["event_type"].nunique()
    best = kinds.max()
    return int(kinds.loc[kinds == best].index.min())
