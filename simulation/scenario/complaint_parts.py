"""Scenario parts of the complaint desk: channels, complaint categories, service recovery.

The desk follows the course's complaint process (module 4): receive → classify and assess
severity → handle (resolve at first contact or escalate to a second-level team) → close and
record. The runtime is in :mod:`simulation.complaints.desk` (the queue) and
:mod:`simulation.complaints` (the firm's complaints); the recovery rules are in
:mod:`simulation.complaints.recovery`. Fields marked ``lever`` can change between periods of a
role-play (``firm.set({"complaints.agents": 4})``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..common.erlang import agents_needed
from .contact_parts import ContactReasons
from .fields import ScenarioError, check_fields, param

__all__ = [
    "ComplaintChannel",
    "ComplaintChannels",
    "ComplaintCategory",
    "ComplaintCategories",
    "Recovery",
    "ComplaintDesk",
    "COMPLAINT_CHANNELS",
    "COMPLAINT_CATEGORIES",
    "SEVERITIES",
    "PRIORITY_RULES",
    "SEVERITY_HANDLING",
    "SEVERITY_FCR",
    "SEVERITY_COMPENSATION",
    "SEVERITY_SILENCE",
    "WEEKDAYS",
    "parse_roster",
]

#: Channels a complaint can come through (``none`` marks a dissatisfied customer who stayed silent).
COMPLAINT_CHANNELS = ("phone", "online", "store", "social_media")
#: What went wrong (``other`` is used by the stand-alone desk, which has no failures behind it).
COMPLAINT_CATEGORIES = ("product_defect", "late_delivery", "installation_problem", "billing_error", "other")
#: Severity assessed when the complaint is classified.
SEVERITIES = ("low", "medium", "high")
#: Queue disciplines of the desk.
PRIORITY_RULES = ("fifo", "severity", "tier", "channel")

# Severity multipliers (low, medium, high). A severe complaint takes longer to handle, is
# less often solved at first contact, is owed more compensation, and its customer is less
# likely to stay silent (TARP 1986: the larger the problem, the more customers complain).
SEVERITY_HANDLING = (0.75, 1.0, 1.5)
SEVERITY_FCR = (1.0, 0.85, 0.6)
SEVERITY_COMPENSATION = (0.5, 1.0, 2.0)
SEVERITY_SILENCE = (1.3, 1.0, 0.4)

#: Days of the week as a roster names them (hour 0 of the week is Monday 00:00–01:00).
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _roster_days(text: str, entry: str) -> list[int]:
    t = text.lower()
    if t in ("daily", "all"):
        return list(range(7))
    a, _, b = t.partition("-")
    for d in (a, b or a):
        if d not in WEEKDAYS:
            raise ScenarioError(
                f"ComplaintDesk.roster entry {entry!r}: unknown day {d!r}; use mon, tue, wed, thu, fri, "
                "sat, sun, a range such as mon-fri, or daily."
            )
    i, j = WEEKDAYS.index(a), WEEKDAYS.index(b or a)
    return [(i + n) % 7 for n in range((j - i) % 7 + 1)]


def parse_roster(text: str) -> tuple[int, ...]:
    """Agents on shift in each of the 168 hours of the week, from a roster text.

    The text is a comma-separated list of ``DAYS HH-HH AGENTS`` entries, e.g.
    ``"mon-fri 8-12 3, mon-fri 12-20 2, sat-sun 9-18 1"``: on those days, from the first hour
    (inclusive) to the second (exclusive), that many first-level agents are on shift. Later
    entries override earlier ones; hours no entry names have no agent (the centre is closed).
    Hour 0 of the week is Monday 00:00–01:00.

    >>> r = parse_roster("mon-fri 8-20 2, sat 9-13 1")
    >>> len(r), r[8], r[20], r[5 * 24 + 9], r[6 * 24 + 9], sum(r)
    (168, 2, 0, 1, 0, 124)
    """
    week = [0] * 168
    for entry in (e.strip() for e in text.split(",")):
        if not entry:
            continue
        bits = entry.split()
        hours = bits[1].split("-") if len(bits) == 3 else []
        try:
            start, end, n = int(hours[0]), int(hours[1]), int(bits[2])
        except (IndexError, ValueError):
            raise ScenarioError(
                f"ComplaintDesk.roster entry {entry!r} must read 'DAYS FROM-TO AGENTS', e.g. 'mon-fri 8-20 2'."
            ) from None
        if not (0 <= start < end <= 24) or not 0 <= n <= 200:
            raise ScenarioError(
                f"ComplaintDesk.roster entry {entry!r}: hours must satisfy 0 <= from < to <= 24 and agents "
                "must be in [0, 200]."
            )
        for d in _roster_days(bits[0], entry):
            week[d * 24 + start : d * 24 + end] = [n] * (end - start)
    if not any(week):
        raise ScenarioError(f"ComplaintDesk.roster {text!r} puts no agent on shift; give at least one entry.")
    return tuple(week)


@dataclass(frozen=True)
class ComplaintChannel:
    """One way to complain: its share, timing, opening hours, callers' patience and reach.

    A customer who complains does so ``Exp(delay_hours)`` after the failure; a complaint
    that would arrive while the channel is closed arrives at the next opening plus an
    exponential spread of half an hour (the morning peak). ``patience_min`` is the mean of
    an exponential patience (0 = the customer never gives up, as with a letter or a post).
    An unresolved or slow complaint is told to ``reach`` people (social media reaches further).
    """

    share: float = param(
        0.25,
        unit="share",
        lo=0,
        hi=1,
        en="Share of complaints",
        zh="投诉占比",
        help="Share of voiced complaints that use this channel.",
    )
    delay_hours: float = param(
        6.0,
        unit="hours",
        lo=0,
        hi=8760,
        en="Delay after the failure",
        zh="故障后投诉延迟",
        help="Mean hours from the failure to the complaint.",
    )
    opens_hour: float = param(
        0.0,
        unit="hour",
        lo=0,
        hi=24,
        en="Opens at",
        zh="开放时间",
        help="Hour of day the channel opens (0 and 24 = always open).",
    )
    closes_hour: float = param(24.0, unit="hour", lo=0, hi=24, en="Closes at", zh="关闭时间")
    patience_min: float = param(
        0.0,
        unit="min",
        lo=0,
        hi=10_080,
        en="Mean patience",
        zh="平均等待耐心",
        help="Mean minutes a customer waits for an answer (0 = never gives up).",
    )
    reach: float = param(
        3.0,
        unit="people",
        lo=0,
        hi=100_000,
        en="Word-of-mouth reach",
        zh="口碑传播人数",
        help="People told about an unresolved or slow complaint.",
    )

    def __post_init__(self):
        check_fields(self)
        if self.opens_hour >= self.closes_hour:
            raise ScenarioError(
                f"ComplaintChannel.opens_hour ({self.opens_hour:g}) must be before "
                f"ComplaintChannel.closes_hour ({self.closes_hour:g}); use 0 and 24 for "
                "a channel that is always open."
            )


@dataclass(frozen=True)
class ComplaintChannels:
    """The four complaint channels; their shares must add up to 1."""

    phone: ComplaintChannel = param(ComplaintChannel(0.45, 2.0, 8.0, 20.0, 4.0, 3.0), en="Phone", zh="电话")
    online: ComplaintChannel = param(ComplaintChannel(0.30, 12.0, 0.0, 24.0, 0.0, 3.0), en="Online form", zh="在线表单")
    store: ComplaintChannel = param(ComplaintChannel(0.15, 48.0, 9.0, 21.0, 30.0, 3.0), en="In store", zh="门店")
    social_media: ComplaintChannel = param(
        ComplaintChannel(0.10, 6.0, 0.0, 24.0, 0.0, 40.0), en="Social media", zh="社交媒体"
    )

    def __post_init__(self):
        check_fields(self)
        total = sum(getattr(self, c).share for c in COMPLAINT_CHANNELS)
        if abs(total - 1.0) > 1e-6:
            detail = ", ".join(f"{c}={getattr(self, c).share:g}" for c in COMPLAINT_CHANNELS)
            raise ScenarioError(
                f"ComplaintChannels shares must add up to 1; got {total:g} ({detail}). Adjust the shares."
            )


@dataclass(frozen=True)
class ComplaintCategory:
    """A kind of failure: how severe its complaints are and how hard they are to solve.

    Severity is drawn when the complaint is classified: high with ``high_share``, low with
    ``low_share``, medium otherwise. Handling takes ``handling_factor`` times the desk's
    mean; the first agent solves it with probability ``fcr_prob`` (before the severity and
    empowerment adjustments of :mod:`simulation.complaints.recovery`).
    """

    high_share: float = param(0.2, unit="share", lo=0, hi=1, en="High severity", zh="高严重度占比")
    low_share: float = param(0.4, unit="share", lo=0, hi=1, en="Low severity", zh="低严重度占比")
    handling_factor: float = param(1.0, unit="x", lo=0.05, hi=20, en="Handling time factor", zh="处理时长系数")
    fcr_prob: float = param(
        0.75,
        unit="prob",
        lo=0,
        hi=1,
        en="First-contact resolution",
        zh="首次解决率",
        help="Chance the first agent solves a medium complaint of this kind.",
    )

    def __post_init__(self):
        check_fields(self)
        if self.high_share + self.low_share > 1 + 1e-9:
            raise ScenarioError(
                f"ComplaintCategory.high_share + low_share must be <= 1; got "
                f"{self.high_share:g} + {self.low_share:g} = {self.high_share + self.low_share:g}."
            )


@dataclass(frozen=True)
class ComplaintCategories:
    """The failures that cause complaints (billing errors are drawn by the desk itself)."""

    product_defect: ComplaintCategory = param(
        ComplaintCategory(0.40, 0.20, 1.3, 0.55), en="Product defect", zh="产品缺陷"
    )
    late_delivery: ComplaintCategory = param(
        ComplaintCategory(0.10, 0.50, 0.8, 0.85), en="Late delivery", zh="延迟配送"
    )
    installation_problem: ComplaintCategory = param(
        ComplaintCategory(0.25, 0.30, 1.0, 0.70), en="Installation problem", zh="安装问题"
    )
    billing_error: ComplaintCategory = param(
        ComplaintCategory(0.05, 0.60, 0.7, 0.90), en="Billing error", zh="账单错误"
    )

    def __post_init__(self):
        check_fields(self)


@dataclass(frozen=True)
class Recovery:
    """Service recovery: what the firm gives and how it treats the complaining customer.

    Recovery quality ``Q`` in [0, 1] weighs the three justice dimensions of Tax, Brown &
    Chandrashekaran (1998) and the speed of the fix: distributive (compensation against a
    fair amount), interactional (courtesy and explanation), procedural (an easy process,
    lower after an escalation) and speed (``exp(-hours / speed_reference_hours)``). See
    :func:`simulation.complaints.recovery.recovery_quality` for the formula and the satisfaction update.

    A complaint handled below ``acceptable_quality`` (or abandoned, or resolved after
    ``slow_after_hours``) is badly handled: it costs up to ``unresolved_drop`` points, adds up to
    ``leaving_odds_unresolved`` to the customer's log-odds of leaving (fading with
    ``memory_half_life_days``) and makes the complaint the customer's reason if they leave.

    Calibration: TARP found repurchase odds about 5 times higher among complainants whose
    problem was resolved than among those left unresolved (19% against 54%, log-odds 1.6).
    With the firm's satisfaction effect on leaving (``Dropout.satisfaction_effect`` = 0.8 per 10
    points) the 20-point drop of an abandoned complaint against the ~9 points a typical
    recovery gives back already reproduces it: on ``product-defect`` (seeds 1–2) 61% of the
    customers whose complaint was abandoned left within 60 days against 22% of those whose
    complaint was resolved acceptably, an odds ratio of 5.6. The extra ``leaving_odds_unresolved``
    is therefore 0 by default; a class can raise it to study a grudge beyond satisfaction.
    """

    compensation_cny: float = param(
        50.0,
        unit="CNY",
        lo=0,
        hi=100_000,
        lever=True,
        en="Compensation (medium severity)",
        zh="补偿金额（中等严重度）",
        help="Paid per resolved complaint; half for low, double for high severity.",
    )
    fair_compensation_cny: float = param(
        100.0,
        unit="CNY",
        lo=1,
        hi=100_000,
        en="Fair compensation",
        zh="公平补偿额",
        help="Amount customers see as fully fair for a medium complaint.",
    )
    courtesy: float = param(
        0.6,
        unit="0-1",
        lo=0,
        hi=1,
        lever=True,
        en="Courtesy and explanation",
        zh="礼貌与解释",
        help="Interactional quality: training of agents in apology and explanation.",
    )
    procedural: float = param(
        0.6,
        unit="0-1",
        lo=0,
        hi=1,
        lever=True,
        en="Process quality",
        zh="流程质量",
        help="Procedural quality: one contact, clear steps, follow-up.",
    )
    empowerment: float = param(
        0.0,
        unit="0-1",
        lo=0,
        hi=1,
        lever=True,
        en="Agent empowerment",
        zh="一线授权",
        help="Share of otherwise escalated complaints the first agent may solve.",
    )
    escalation_procedural_factor: float = param(
        0.6, unit="x", lo=0, hi=1, en="Process quality after escalation", zh="升级后流程质量系数"
    )
    speed_reference_hours: float = param(
        24.0,
        unit="hours",
        lo=0.1,
        hi=8760,
        en="Speed reference",
        zh="速度参照时长",
        help="Resolution time at which speed quality falls to 1/e.",
    )
    slow_after_hours: float = param(
        72.0,
        unit="hours",
        lo=0.1,
        hi=8760,
        en="Slow after",
        zh="处理过慢阈值",
        help="A complaint resolved later than this counts as slow (resolved_late).",
    )
    weight_distributive: float = param(0.35, unit="share", lo=0, hi=1, en="Weight: compensation", zh="权重：补偿")
    weight_interactional: float = param(0.25, unit="share", lo=0, hi=1, en="Weight: courtesy", zh="权重：礼貌")
    weight_procedural: float = param(0.2, unit="share", lo=0, hi=1, en="Weight: process", zh="权重：流程")
    weight_speed: float = param(0.2, unit="share", lo=0, hi=1, en="Weight: speed", zh="权重：速度")
    excellent_from: float = param(
        0.85,
        unit="0-1",
        lo=0,
        hi=0.999,
        en="Excellent recovery from",
        zh="卓越补救阈值",
        help="Recovery quality above which the paradox can appear.",
    )
    paradox_points: float = param(
        6.0,
        unit="points",
        lo=0,
        hi=50,
        en="Recovery paradox",
        zh="服务补救悖论",
        help="Satisfaction points above the pre-failure level after a perfect recovery.",
    )
    paradox_raises_repurchase: bool = param(
        False,
        en="Paradox raises repurchase",
        zh="悖论提升复购",
        help="Off by default: the paradox lifts satisfaction, not retention.",
    )
    acceptable_quality: float = param(
        0.55,
        unit="0-1",
        lo=0,
        hi=1,
        en="Acceptable recovery from",
        zh="可接受补救阈值",
        help="Recovery quality below which the complaint counts as badly handled (a double deviation).",
    )
    unresolved_drop: float = param(
        20.0,
        unit="points",
        lo=0,
        hi=100,
        en="Drop: unresolved complaint",
        zh="未解决投诉降幅",
        help="Points lost by an abandoned complaint; a poor recovery loses a share of them.",
    )
    leaving_odds_unresolved: float = param(
        0.0,
        unit="log-odds",
        lo=0,
        hi=10,
        en="Extra leaving odds: unresolved complaint",
        zh="未解决投诉的额外流失对数几率",
        help="Added to the log-odds of leaving by an unresolved complaint, beyond what its satisfaction "
        "drop does (0: the drop alone gives TARP's odds ratio of about 5).",
    )
    memory_half_life_days: float = param(
        180.0,
        unit="days",
        lo=1,
        hi=36_500,
        en="Grudge half-life",
        zh="不满记忆半衰期",
        help="Days after which half of the added odds of leaving is forgotten.",
    )

    def __post_init__(self):
        check_fields(self)
        w = self.weight_distributive + self.weight_interactional + self.weight_procedural + self.weight_speed
        if abs(w - 1.0) > 1e-6:
            raise ScenarioError(
                f"Recovery weights must add up to 1; got {w:g} (distributive "
                f"{self.weight_distributive:g}, interactional {self.weight_interactional:g}, "
                f"procedural {self.weight_procedural:g}, speed {self.weight_speed:g})."
            )


@dataclass(frozen=True)
class ComplaintDesk:
    """The firm's contact centre: the team that answers every contact, complaints included (module 4).

    First-level ``agents`` and the ``second_level_agents`` are SimPy resources on shift from
    ``opens_hour`` to ``closes_hour`` every day; contacts wait in one queue ordered by the
    ``priority`` rule (online forms and posts of the everyday ``contacts`` behind calls). Of the
    customers with a bad experience, ``silent_share`` (adjusted by severity) never complain:
    the firm does not see them. The planners staff the centre with Erlang C for their forecast
    (:meth:`planned_agents`); every first-level agent-hour on shift is the centre's capacity cost.
    """

    enabled: bool = param(True, en="Complaint desk on", zh="启用投诉受理中心")
    silent_share: float = param(
        0.5,
        unit="share",
        lo=0,
        hi=1,
        en="Silent dissatisfied",
        zh="沉默的不满客户",
        help="Share of customers with a medium problem who do not complain.",
    )
    billing_error_prob: float = param(
        0.01, unit="prob/order", lo=0, hi=1, lever=True, en="Billing errors", zh="账单错误率"
    )
    billing_error_drop: float = param(6.0, unit="points", lo=0, hi=100, en="Drop: billing error", zh="账单错误降幅")
    agents: int = param(2, unit="agents", lo=1, hi=200, integer=True, lever=True, en="Agents on shift", zh="在岗坐席数")
    second_level_agents: int = param(
        1, unit="agents", lo=1, hi=200, integer=True, lever=True, en="Second-level team", zh="二线坐席数"
    )
    opens_hour: float = param(8.0, unit="hour", lo=0, hi=24, en="Desk opens", zh="上班时间")
    closes_hour: float = param(20.0, unit="hour", lo=0, hi=24, en="Desk closes", zh="下班时间")
    mean_handling_min: float = param(
        12.0,
        unit="min",
        lo=0.1,
        hi=600,
        en="Mean handling time",
        zh="平均处理时长",
        help="Mean minutes an agent spends on a medium complaint.",
    )
    classify_min: float = param(
        1.0,
        unit="min",
        lo=0,
        hi=120,
        en="Classification time",
        zh="分类评估时长",
        help="Minutes to classify the complaint and assess its severity.",
    )
    mean_second_level_min: float = param(
        90.0, unit="min", lo=0.1, hi=10_080, en="Second-level handling", zh="二线处理时长"
    )
    priority: str = param(
        "severity",
        lever=True,
        choices=PRIORITY_RULES,
        en="Queue priority",
        zh="排队优先规则",
        help="fifo; severity first; loyalty tiers with desk priority first; phone and store first.",
    )
    agent_cost_per_hour_cny: float = param(
        60.0, unit="CNY/hour", lo=0, hi=10_000, lever=True, en="Agent cost", zh="坐席人工成本"
    )
    second_level_cost_per_hour_cny: float = param(
        90.0, unit="CNY/hour", lo=0, hi=10_000, en="Second-level cost", zh="二线人工成本"
    )
    target_answer_s: float = param(
        20.0,
        unit="s",
        lo=0,
        hi=86_400,
        en="Service-level target",
        zh="服务水平目标",
        help="Answer within this many seconds (e.g. 80% in 20 s).",
    )
    target_service_level: float = param(
        0.8,
        unit="share",
        lo=0.01,
        hi=0.99,
        en="Service-level goal",
        zh="服务水平目标比例",
        help="Share of phone contacts to answer within the target (the 80 of 80/20).",
    )
    online_response_hours: float = param(
        12.0,
        unit="hours",
        lo=0.01,
        hi=720,
        en="Online response target",
        zh="在线回复时限",
        help="Online forms and social media posts should be answered within this many hours.",
    )
    forecast_contacts_per_hour: float = param(
        2.05,
        unit="contacts/hour",
        lo=0,
        hi=100_000,
        en="Forecast contacts per open hour",
        zh="营业时段每小时预测联络量",
        help="The planners' forecast of contacts reaching the agents per open hour (all channels).",
    )
    forecast_handling_min: float = param(
        7.0,
        unit="min",
        lo=0.1,
        hi=600,
        en="Forecast handling time",
        zh="预测平均处理时长",
        help="The planners' forecast of the mean minutes per contact (classification included).",
    )
    roster: str = param(
        "",
        en="Weekly roster",
        zh="每周排班表",
        help="Agents per hour of the week, e.g. 'mon-fri 8-20 2, sat-sun 9-18 1' (replaces agents and the "
        "daily hours); empty: agents every day from opens_hour to closes_hour.",
    )
    channels: ComplaintChannels = param(ComplaintChannels(), en="Complaint channels", zh="投诉渠道")
    categories: ComplaintCategories = param(ComplaintCategories(), en="Complaint categories", zh="投诉类别")
    recovery: Recovery = param(Recovery(), en="Service recovery", zh="服务补救")
    contacts: ContactReasons = param(ContactReasons(), en="Everyday contacts", zh="日常联络")

    def __post_init__(self):
        check_fields(self)
        if self.opens_hour >= self.closes_hour:
            raise ScenarioError(
                f"ComplaintDesk.opens_hour ({self.opens_hour:g}) must be before "
                f"ComplaintDesk.closes_hour ({self.closes_hour:g}); use 0 and 24 for a "
                "desk that never closes."
            )
        if self.roster:
            parse_roster(self.roster)

    def weekly_roster(self) -> tuple[int, ...]:
        """First-level agents on shift in each hour of the week (168 numbers, Monday 00:00 first).

        From ``roster`` when given; otherwise ``agents`` in every hour from ``opens_hour`` to
        ``closes_hour`` (whole hours; a partial hour counts when the desk is open at its start).
        """
        if self.roster:
            return parse_roster(self.roster)
        day = [self.agents if self.opens_hour - 1e-9 <= h < self.closes_hour - 1e-9 else 0 for h in range(24)]
        return tuple(day * 7)

    def planned_roster(self, profile=None) -> tuple[int, ...]:
        """The Erlang C roster for the forecast: agents per hour of the week.

        Hour ``h`` of an open day gets ``agents_needed(lambda x w_h, h_min, target)`` with
        ``w_h`` the hour's share of the forecast relative to the mean open hour (``profile``,
        168 weights, 0 where the desk is closed; default: flat over the opening hours, which
        gives ``planned_agents()`` in every open hour). A closed hour gets no agent.
        """
        open_hours = [h for h in range(168) if self.opens_hour - 1e-9 <= h % 24 < self.closes_hour - 1e-9]
        if profile is None:
            hours = set(open_hours)
            profile = [1.0 if h in hours else 0.0 for h in range(168)]
        if len(profile) != 168:
            raise ValueError(f"profile must have 168 hourly weights (one week); got {len(profile)}.")
        return tuple(self.planned_agents(self.forecast_contacts_per_hour * w) if w > 0 else 0 for w in profile)

    @property
    def always_open(self) -> bool:
        """True when the desk is staffed around the clock."""
        return self.opens_hour <= 0 and self.closes_hour >= 24

    def planned_agents(self, contacts_per_hour: float | None = None) -> int:
        """Agents the planners put on shift: the Erlang C rule for the forecast load.

        ``agents_needed(lambda, h, target_service_level, target_answer_s)``
        (:func:`simulation.common.erlang.agents_needed`) with ``lambda`` =
        ``forecast_contacts_per_hour`` (or ``contacts_per_hour``) and ``h`` =
        ``forecast_handling_min``; at least one agent. The presets' ``agents`` follow this rule,
        and :func:`simulation.scenario.presets.scale_customers` re-applies it to the scaled load.
        """
        rate = self.forecast_contacts_per_hour if contacts_per_hour is None else contacts_per_hour
        if rate <= 0:
            return 1
        return agents_needed(rate, self.forecast_handling_min, self.target_service_level, self.target_answer_s)
