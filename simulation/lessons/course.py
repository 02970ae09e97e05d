"""The course around the firm: modules, time plan, departments, and per-student seeds.

Facts the notebooks and the instructor guide show as tables, kept here as data so every
notebook prints the same thing in English or Chinese. Nothing here simulates.
"""

from __future__ import annotations

import hashlib

import pandas as pd

from ..common.i18n import pick, resolve
from .exploration_table import EXPLORATIONS, EXPLORATIONS_ZH, explorations

__all__ = [
    "MODULES",
    "THEORY_HOURS",
    "PRACTICE_HOURS",
    "modules",
    "time_plan",
    "departments",
    "crm_functions",
    "system_types",
    "evolution",
    "student_seed",
    "class_seeds",
    "SYSTEM_CRITERIA",
    "CANDIDATE_SYSTEMS",
    "score_systems",
    "EXPLORATIONS",
    "EXPLORATIONS_ZH",
    "explorations",
]

THEORY_HOURS = 48
PRACTICE_HOURS = 32

#: (number, notebook, English title, Chinese title, theory hours, practice hours)
MODULES = (
    (1, "01_understanding_crm.ipynb", "Understanding CRM", "认识客户关系管理", 6, 4),
    (2, "02_identifying_customers.ipynb", "Identifying and developing customers", "识别与开发客户资源", 11, 7),
    (3, "03_customer_database.ipynb", "Building and managing the customer database", "建设与管理客户信息库", 9, 7),
    (4, "04_satisfaction_loyalty.ipynb", "Raising satisfaction and loyalty", "提升客户满意度和忠诚度", 11, 7),
    (5, "05_applying_crm.ipynb", "Applying CRM", "客户关系管理的应用", 11, 7),
)

#: (module, theory hours, practice hours, English activity, Chinese activity)
_SESSIONS = (
    (
        1,
        2,
        0,
        "What CRM means; product- versus customer-centric views of the firm",
        "客户关系管理的含义；以产品为中心与以客户为中心",
    ),
    (1, 2, 0, "Four functions and three system types, evolution of CRM", "四项功能、三类系统与发展历程"),
    (1, 2, 4, "Role-play: one customer's journey across the departments", "角色扮演：一位客户跨部门的旅程"),
    (2, 3, 2, "Acquisition channels and their costs; good-customer criteria", "获客渠道与成本；好客户标准"),
    (
        2,
        3,
        2,
        "Big and small customers; the 80/20/30 rule and cost to serve",
        "大客户与小客户；80/20/30 法则与服务成本",
    ),
    (2, 3, 2, "Customer lifetime value: the formula, then the models", "客户终身价值：公式与模型"),
    (2, 2, 1, "Value matrix, elastic customers, dormant accounts", "价值矩阵、弹性客户与休眠账户"),
    (3, 3, 3, "Collecting and cleaning customer data", "客户信息的收集与清洗"),
    (3, 3, 2, "RFM and segmentation", "RFM 分析与客户细分"),
    (3, 3, 2, "Lifecycle stages; privacy and data-quality rules", "生命周期阶段；隐私与数据质量规则"),
    (4, 3, 2, "Surveys and their sampling error; satisfaction versus loyalty", "满意度调查与抽样误差；满意与忠诚"),
    (4, 4, 3, "Designing the loyalty club", "设计客户忠诚度计划"),
    (4, 4, 2, "The complaint desk and service recovery", "投诉受理中心与服务补救"),
    (
        5,
        3,
        1,
        "CRM strategy as levers; campaigns with hold-out groups",
        "客户关系管理战略与决策变量；设实验组和对照组的营销活动",
    ),
    (5, 3, 1, "Balanced scorecard; choosing and rolling out a CRM system", "平衡计分卡；系统选型与实施"),
    (5, 5, 5, "Capstone: run the firm for three years", "综合实训：经营企业三年"),
)

#: (key, English name, Chinese name, English role, Chinese role, tables holding its data in
#: English, then in Chinese)
_DEPARTMENTS = (
    (
        "marketing",
        "Marketing",
        "市场部",
        "Advertising, channels, campaigns, the loyalty club",
        "广告、渠道、营销活动、客户忠诚度计划",
        "customers (channel, acquisition cost)",
        "客户表（渠道、获客成本）",
    ),
    (
        "sales",
        "Sales",
        "销售部",
        "Stores, web shop and dealers; key accounts",
        "门店、网店、经销商；大客户",
        "orders",
        "订单表",
    ),
    (
        "delivery_centre",
        "Delivery centre",
        "配送中心",
        "Delivers appliances",
        "配送家电",
        "orders (late_delivery)",
        "订单表（是否延迟配送）",
    ),
    (
        "repair_centre",
        "Installation and repair centre",
        "安装维修中心",
        "Installs appliances, repairs failures",
        "安装家电、维修故障",
        "orders (installation, repair), plans",
        "订单表（安装、维修）、服务合同表",
    ),
    (
        "call_centre",
        "Call centre",
        "呼叫中心",
        "Answers questions and complaints",
        "解答咨询，受理投诉",
        "complaints",
        "投诉表",
    ),
    (
        "finance",
        "Finance",
        "财务部",
        "Payments, service-plan contracts, profit",
        "收款、服务合同、利润核算",
        "orders (margin), plans",
        "订单表（毛利）、服务合同表",
    ),
)

_FUNCTIONS = (
    (
        "Customer information management",
        "客户信息管理",
        "Who the customers are and what they did",
        "客户是谁、做过什么",
        "customers, events",
        "客户表、事件表",
    ),
    (
        "Marketing management",
        "市场营销管理",
        "Research, segmentation, targeting, positioning",
        "市场调研、细分、目标选择、定位",
        "customers.segment, channel table",
        "客户表的客户类型、渠道汇总表",
    ),
    ("Sales management", "销售管理", "Orders, discounts, key accounts", "订单、折扣、大客户", "orders", "订单表"),
    (
        "Measuring customer quality",
        "客户质量评估",
        "Profit, value and loyalty of each customer",
        "每位客户的利润、价值与忠诚度",
        "customer profit, RFM, CLV",
        "客户利润、RFM、CLV",
    ),
)

_SYSTEMS = (
    (
        "Operational CRM",
        "运营型 CRM",
        "Automates sales, marketing and service work",
        "销售、营销与服务流程自动化",
        "order taking, delivery and repair scheduling",
        "接单、送货与维修排程",
    ),
    (
        "Analytical CRM",
        "分析型 CRM",
        "Data warehouse, mining and prediction",
        "数据仓库、数据挖掘与预测",
        "simulation.analytics: RFM, CLV, churn",
        "分析模块：RFM、CLV、客户流失",
    ),
    (
        "Collaborative CRM",
        "协同型 CRM",
        "Connects the channels: call centre, web, e-mail, chat",
        "整合呼叫中心、网站、邮件、在线客服等渠道",
        "call centre, web shop, shared customer record",
        "呼叫中心、网店、共享客户档案",
    ),
)

_EVOLUTION = (
    ("before 1980", "1980年以前", "Product-centred: sell what the factory makes", "以产品为中心：生产什么卖什么"),
    ("1980s", "20世纪80年代", "Contact management: records of who was called", "接触管理：记录联系过谁"),
    (
        "1985",
        "1985年",
        "Relationship marketing: keep customers, not just win them",
        "关系营销：不仅获得客户，更要保持客户",
    ),
    ("1990s", "20世纪90年代", "Customer care: service as part of the offer", "客户关怀：服务成为产品的一部分"),
    (
        "1999",
        "1999年",
        'Gartner coins "CRM": one view of the customer across the firm',
        "高德纳提出“CRM”：全企业统一的客户视图",
    ),
)


def _frame(rows, cols) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=cols)


def modules(lang: str | None = None) -> pd.DataFrame:
    """The five modules: number, title, notebook, theory and practice hours."""
    lang = resolve(lang)
    return _frame(
        [(n, pick(en, zh, lang), nb, th, pr) for n, nb, en, zh, th, pr in MODULES],
        ["module", "title", "notebook", "theory_hours", "practice_hours"],
    )


def time_plan(lang: str | None = None) -> pd.DataFrame:
    """Sessions of the 80-hour course (48 theory + 32 practice), module by module."""
    lang = resolve(lang)
    return _frame(
        [(m, pick(en, zh, lang), th, pr, th + pr) for m, th, pr, en, zh in _SESSIONS],
        ["module", "activity", "theory_hours", "practice_hours", "hours"],
    )


def departments(lang: str | None = None) -> pd.DataFrame:
    """The firm's departments (the role-play roles), what they do and where their data is."""
    lang = resolve(lang)
    return _frame(
        [
            (pick(en, zh, lang), pick(ren, rzh, lang), pick(ten, tzh, lang))
            for _, en, zh, ren, rzh, ten, tzh in _DEPARTMENTS
        ],
        ["department", "role", "data"],
    )


def crm_functions(lang: str | None = None) -> pd.DataFrame:
    """The four CRM functions and where each shows in the firm's data."""
    lang = resolve(lang)
    return _frame(
        [(pick(en, zh, lang), pick(wen, wzh, lang), pick(den, dzh, lang)) for en, zh, wen, wzh, den, dzh in _FUNCTIONS],
        ["function", "what", "data"],
    )


def system_types(lang: str | None = None) -> pd.DataFrame:
    """The three CRM system types and their counterparts at the firm."""
    lang = resolve(lang)
    return _frame(
        [(pick(en, zh, lang), pick(wen, wzh, lang), pick(hen, hzh, lang)) for en, zh, wen, wzh, hen, hzh in _SYSTEMS],
        ["system", "what", "at_the_firm"],
    )


def evolution(lang: str | None = None) -> pd.DataFrame:
    """From product-centred selling to CRM: the milestones the course names."""
    lang = resolve(lang)
    return _frame([(pick(wen, wzh, lang), pick(en, zh, lang)) for wen, wzh, en, zh in _EVOLUTION], ["when", "idea"])


def student_seed(student_id, *, course_seed: int = 2024) -> int:
    """A stable seed for one student: the same ID always gives the same firm.

    ``int(sha256(f"{course_seed}:{id}")[:8], 16) % 2**31``; the ID is stripped and
    lower-cased, so ``" S001 "`` and ``"s001"`` get the same seed. Change ``course_seed``
    for a new term so last year's answers do not fit.

    Raises
    ------
    ValueError
        For an empty ID or a non-integer course seed.
    """
    if isinstance(course_seed, bool) or not isinstance(course_seed, int):
        raise ValueError(f"course_seed must be a whole number; got {course_seed!r}.")
    sid = str(student_id).strip().lower()
    if not sid:
        raise ValueError("student_id must not be empty; use the student's number or login.")
    digest = hashlib.sha256(f"{course_seed}:{sid}".encode()).hexdigest()
    return int(digest[:8], 16) % 2**31


def class_seeds(student_ids, *, course_seed: int = 2024) -> pd.DataFrame:
    """Seeds for a class list: one row per student; duplicate IDs are refused."""
    ids = [str(s).strip() for s in student_ids]
    seen = set()
    for s in ids:
        if s.lower() in seen:
            raise ValueError(f"student ID {s!r} appears twice in the class list.")
        seen.add(s.lower())
    return pd.DataFrame({"student_id": ids, "seed": [student_seed(s, course_seed=course_seed) for s in ids]})


#: Criteria for choosing a CRM system: (key, English, Chinese, default weight 0-10).
SYSTEM_CRITERIA = (
    ("functions", "Fits our processes", "功能契合业务流程", 8),
    ("ease", "Easy for staff to use", "员工易于使用", 7),
    ("integration", "Connects stores, web, call centre", "打通门店、网店与呼叫中心", 6),
    ("migration", "Data migration effort (low = good)", "数据迁移难度（越低越好）", 5),
    ("cost", "Total cost over five years (low = good)", "五年总成本（越低越好）", 6),
    ("vendor", "Vendor support and stability", "供应商服务与稳定性", 4),
)

#: Three fictional candidate systems scored 1-10 on each criterion (10 = best for the firm).
CANDIDATE_SYSTEMS = {
    "CloudDesk (SaaS)": {"functions": 6, "ease": 9, "integration": 7, "migration": 8, "cost": 8, "vendor": 6},
    "EnterpriseSuite": {"functions": 9, "ease": 5, "integration": 9, "migration": 4, "cost": 3, "vendor": 9},
    "Open-source + local partner": {
        "functions": 7,
        "ease": 6,
        "integration": 6,
        "migration": 6,
        "cost": 9,
        "vendor": 4,
    },
}


def score_systems(weights: dict | None = None, systems: dict | None = None) -> pd.DataFrame:
    """Weighted scores of candidate CRM systems: ``score = sum_k w_k s_k / sum_k w_k`` (0-10).

    Parameters
    ----------
    weights : dict, optional
        ``{criterion: weight >= 0}`` (default: the weights in :data:`SYSTEM_CRITERIA`).
    systems : dict, optional
        ``{system: {criterion: score 0-10}}`` (default: :data:`CANDIDATE_SYSTEMS`).

    Returns
    -------
    DataFrame sorted from best to worst: ``system``, ``score`` and one column per criterion
    holding its weighted contribution ``w_k s_k / sum w``.
    """
    keys = [k for k, *_ in SYSTEM_CRITERIA]
    weights = {k: w for k, _, _, w in SYSTEM_CRITERIA} if weights is None else dict(weights)
    systems = CANDIDATE_SYSTEMS if systems is None else systems
    unknown = sorted(set(weights) - set(keys))
    if unknown:
        raise ValueError(f"unknown criterion {unknown[0]!r}; criteria: {', '.join(keys)}.")
    for k, w in weights.items():
        if isinstance(w, bool) or not isinstance(w, (int, float)) or w < 0:
            raise ValueError(f"weight of {k!r} must be a number >= 0; got {w!r}.")
    total = float(sum(weights.get(k, 0) for k in keys))
    if total <= 0:
        raise ValueError("at least one criterion needs a weight above 0.")
    rows = []
    for name, scores in systems.items():
        missing = [k for k in keys if k not in scores]
        if missing:
            raise ValueError(f"system {name!r} has no score for {missing[0]!r}.")
        parts = {k: weights.get(k, 0) * scores[k] / total for k in keys}
        rows.append({"system": name, "score": sum(parts.values()), **parts})
    return pd.DataFrame(rows).sort_values(["score", "system"], ascending=[False, True]).reset_index(drop=True)
