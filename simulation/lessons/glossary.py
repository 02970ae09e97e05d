"""The course's bilingual glossary: each key term in English and Chinese, with its module.

The glossary notebook lists every term; each module notebook names its terms with the
Chinese beside the English (a test checks that every term below appears, in both
languages, in the notebook of its module).
"""

from __future__ import annotations

import pandas as pd

from ..common.checks import did_you_mean
from ..common.i18n import pick, resolve

__all__ = ["TERMS", "glossary", "term"]

#: (key, English, Chinese, module (0 = the start page), English definition, Chinese definition)
TERMS: tuple = (
    (
        "simulation",
        "simulation",
        "仿真",
        0,
        "A model that imitates the firm and its customers so decisions can be tried safely.",
        "模仿企业及其客户的模型，可安全地试验决策。",
    ),
    (
        "seed",
        "random seed",
        "随机种子",
        0,
        "The number that fixes the chance events of a run; the same seed gives the same firm.",
        "确定一次运行中随机事件的数字；相同种子得到相同的企业。",
    ),
    (
        "kpi",
        "key performance indicator",
        "关键绩效指标",
        0,
        "A number the firm watches to judge how well it is doing.",
        "企业用来判断经营好坏的关键数字。",
    ),
    (
        "crm",
        "customer relationship management",
        "客户关系管理",
        1,
        "Both a software system for customer information and a management idea that puts the customer at the centre.",
        "既指管理客户信息的软件系统，也指以客户为中心的管理理念。",
    ),
    (
        "customer_centric",
        "customer-centric",
        "以客户为中心",
        1,
        "Organising the firm around customers and their whole relationship rather than around products.",
        "围绕客户及其整个关系而非产品来组织企业。",
    ),
    (
        "product_centric",
        "product-centric",
        "以产品为中心",
        1,
        "Judging the firm by what each product sells, not by what each customer is worth.",
        "以各产品的销售而非各客户的价值来评价企业。",
    ),
    (
        "operational_crm",
        "operational CRM",
        "运营型客户关系管理",
        1,
        "Systems that automate sales, marketing and service work.",
        "实现销售、营销与服务自动化的系统。",
    ),
    (
        "analytical_crm",
        "analytical CRM",
        "分析型客户关系管理",
        1,
        "Systems that store and analyse customer data to predict and decide.",
        "存储并分析客户数据以支持预测和决策的系统。",
    ),
    (
        "collaborative_crm",
        "collaborative CRM",
        "协同型客户关系管理",
        1,
        "Systems that connect the channels through which customers reach the firm.",
        "整合客户接触企业各渠道的系统。",
    ),
    (
        "touchpoint",
        "touchpoint",
        "接触点",
        1,
        "A moment at which the customer meets the firm: an advert, a call, a delivery.",
        "客户与企业接触的时刻，如广告、电话、送货。",
    ),
    (
        "customer_journey",
        "customer journey",
        "客户旅程",
        1,
        "The sequence of touchpoints from first noticing the firm to paying and using the product.",
        "从首次注意到企业到付款、使用产品的一系列接触点。",
    ),
    (
        "acquisition_cost",
        "acquisition cost",
        "获客成本",
        2,
        "What the firm spends to win one new customer.",
        "企业获得一位新客户的花费。",
    ),
    (
        "cost_to_serve",
        "cost to serve",
        "服务成本",
        2,
        "Delivery, installation, repair and other costs of serving one customer.",
        "为一位客户提供配送、安装、维修等服务的成本。",
    ),
    (
        "rule_80_20_30",
        "80/20/30 rule",
        "80/20/30 法则",
        2,
        "The top 20% of customers make about 80% of profit; the bottom 30% lose about half of it.",
        "前20%的客户创造约80%的利润，其中约一半被最末30%的客户消耗掉。",
    ),
    (
        "whale_curve",
        "whale curve",
        "鲸鱼曲线",
        2,
        "Cumulative profit against customers ranked from most to least profitable.",
        "按利润从高到低排列客户后的累计利润曲线。",
    ),
    (
        "clv",
        "customer lifetime value",
        "客户终身价值",
        2,
        "The present value of all future profit a customer brings, net of the cost to win and keep them.",
        "客户在整个关系期内带来的未来利润的现值，扣除获取与维系成本。",
    ),
    (
        "discount_rate",
        "discount rate",
        "折现率",
        2,
        "The yearly rate that turns future money into today's money.",
        "把未来的钱折算为今天价值所用的年利率。",
    ),
    (
        "retention_rate",
        "retention rate",
        "客户保持率",
        2,
        "The share of customers still buying after a period.",
        "一段时间后仍在购买的客户比例。",
    ),
    (
        "value_matrix",
        "value matrix",
        "客户价值矩阵",
        2,
        "Current value against potential value: four groups with four treatments.",
        "当前价值与潜在价值构成的四类客户及其对策。",
    ),
    (
        "elastic_customer",
        "elastic customer",
        "弹性客户",
        2,
        "A customer unprofitable today but worth keeping for future value, scale or word of mouth.",
        "当前不盈利、但因未来价值、规模或口碑值得保留的客户。",
    ),
    (
        "dormant_account",
        "dormant account",
        "休眠账户",
        2,
        "An account with no activity for a long time (e.g. three years).",
        "长期（如三年）无任何交易的账户。",
    ),
    (
        "word_of_mouth",
        "word of mouth",
        "口碑",
        2,
        "Customers recommending the firm to others, or warning them off.",
        "客户向他人推荐或劝阻他人购买。",
    ),
    (
        "customer_database",
        "customer database",
        "客户信息库",
        3,
        "Organised, current information about every customer, shared across the firm.",
        "有组织、及时更新、全企业共享的客户信息。",
    ),
    (
        "data_cleaning",
        "data cleaning",
        "数据清洗",
        3,
        "Finding and fixing duplicates, typos, missing and impossible values.",
        "发现并修正重复、错误、缺失与不合理的数据。",
    ),
    (
        "duplicate",
        "duplicate record",
        "重复记录",
        3,
        "Two records that describe the same customer.",
        "描述同一位客户的两条记录。",
    ),
    (
        "rfm",
        "RFM analysis",
        "RFM 分析",
        3,
        "Scoring customers by recency, frequency and monetary value of their purchases.",
        "按最近一次购买、购买频率与购买金额给客户打分。",
    ),
    ("recency", "recency", "最近一次消费", 3, "Days since the customer's last order.", "距客户最近一次下单的天数。"),
    ("frequency", "frequency", "消费频率", 3, "How often the customer orders.", "客户下单的频繁程度。"),
    ("monetary", "monetary value", "消费金额", 3, "How much the customer spends.", "客户的消费金额。"),
    (
        "segmentation",
        "segmentation",
        "客户细分",
        3,
        "Dividing customers into groups that are alike inside and different between.",
        "把客户分成组内相似、组间不同的群体。",
    ),
    (
        "lifecycle",
        "customer lifecycle",
        "客户生命周期",
        3,
        "The stages of a relationship: contact, development, maintenance, decline, termination.",
        "客户关系的各阶段：接触期、发展期、维护期、衰退期、终止期。",
    ),
    (
        "privacy",
        "privacy",
        "隐私保护",
        3,
        "Collecting only what is needed, with consent, and keeping it safe.",
        "只在同意的前提下收集必要信息并妥善保管。",
    ),
    (
        "data_quality",
        "data quality",
        "数据质量",
        3,
        "Whether data are complete, correct, consistent and current.",
        "数据是否完整、准确、一致、及时。",
    ),
    (
        "satisfaction",
        "customer satisfaction",
        "客户满意度",
        4,
        "How well the firm met the customer's expectations.",
        "企业满足客户期望的程度。",
    ),
    (
        "loyalty",
        "customer loyalty",
        "客户忠诚度",
        4,
        "Buying again and recommending the firm, even when competitors offer alternatives.",
        "即使有竞争者可选，仍再次购买并推荐企业。",
    ),
    (
        "sampling_error",
        "sampling error",
        "抽样误差",
        4,
        "The chance difference between a survey's result and the truth for all customers.",
        "调查结果与全体客户真实情况之间的随机差异。",
    ),
    (
        "nps",
        "Net Promoter Score",
        "净推荐值",
        4,
        "Share of promoters (9-10) minus share of detractors (0-6) on the recommend question.",
        "推荐意愿题中推荐者（9-10分）比例减去贬损者（0-6分）比例。",
    ),
    (
        "loyalty_programme",
        "loyalty programme",
        "客户忠诚度计划",
        4,
        "Tiers, points and rewards that give customers reasons to come back.",
        "以等级、积分和奖励吸引客户再次光顾的计划。",
    ),
    (
        "breakage",
        "breakage",
        "积分失效率",
        4,
        "Points that are earned but never redeemed.",
        "已发放却始终没有被兑换的积分所占的比例。",
    ),
    (
        "complaint_handling",
        "complaint handling",
        "投诉处理",
        4,
        "Receive, classify and assess, handle, then summarise and analyse complaints.",
        "受理、分类评估、处理、总结分析投诉。",
    ),
    (
        "service_level",
        "service level",
        "服务水平",
        4,
        "Share of calls answered within a target time.",
        "在目标时间内接通的来电比例。",
    ),
    (
        "erlang_c",
        "Erlang C formula",
        "爱尔兰C公式",
        4,
        "The queueing formula that gives the chance a caller waits, for a number of agents.",
        "给定坐席数时计算来电需要等待概率的排队公式。",
    ),
    (
        "abandonment",
        "abandonment",
        "放弃率",
        4,
        "Callers who hang up before they are answered.",
        "在接通前挂断的来电。",
    ),
    (
        "service_recovery",
        "service recovery",
        "服务补救",
        4,
        "Putting things right after a failure so the customer stays.",
        "服务失误后加以补救，留住客户。",
    ),
    (
        "crm_strategy",
        "CRM strategy",
        "客户关系管理战略",
        5,
        "Direction, goals and principles for managing customers, tied to the firm's strategy.",
        "与企业战略相结合的客户管理方向、目标与原则。",
    ),
    (
        "lever",
        "lever",
        "管理决策变量",
        5,
        "A setting the managers can change, such as a discount or a channel budget.",
        "管理者可以调整的设置，如折扣或渠道预算。",
    ),
    (
        "campaign",
        "marketing campaign",
        "营销活动",
        5,
        "An offer sent to chosen customers for a limited time.",
        "在限定时间内面向选定客户的优惠活动。",
    ),
    (
        "holdout",
        "hold-out group",
        "对照组",
        5,
        "Customers deliberately left out of a campaign to measure what it really changed.",
        "特意不参加活动的客户，用于衡量活动的真实效果。",
    ),
    (
        "lift",
        "lift",
        "增量效果\uff08lift\uff09",
        5,
        "The difference the campaign made: treated group minus hold-out group.",
        "活动带来的差异：实验组减去对照组。",
    ),
    (
        "balanced_scorecard",
        "balanced scorecard",
        "平衡计分卡",
        5,
        "Goals and measures in four perspectives: financial, customer, internal process, learning and growth.",
        "从财务、客户、内部流程、学习与成长四个维度设定目标与衡量指标。",
    ),
    (
        "crm_system_selection",
        "CRM system selection",
        "客户关系管理系统选型",
        5,
        "Choosing a system by needs analysis and weighted criteria, then rolling it out.",
        "通过需求分析与加权标准选择系统并实施。",
    ),
    (
        "data_migration",
        "data migration",
        "数据迁移",
        5,
        "Moving customer data from old records into the new system.",
        "把旧记录中的客户数据转入新系统。",
    ),
)


def glossary(module: int | None = None, *, lang: str | None = None) -> pd.DataFrame:
    """The glossary as a table: English, Chinese, module and the definition in ``lang``.

    ``module`` (0-5) keeps the terms of one notebook only.
    """
    lang = resolve(lang)
    if module is not None and module not in range(6):
        raise ValueError(f"module must be 0..5; got {module!r}.")
    rows = [(en, zh, m, pick(den, dzh, lang)) for _, en, zh, m, den, dzh in TERMS if module is None or m == module]
    return pd.DataFrame(rows, columns=["english", "chinese", "module", "definition"])


def term(key: str) -> str:
    """``"customer lifetime value (客户终身价值)"`` for a glossary key."""
    for k, en, zh, *_ in TERMS:
        if k == key:
            return f"{en} ({zh})"
    tip = did_you_mean(key, [t[0] for t in TERMS])
    raise KeyError(f"no glossary term {key!r}{tip}")
