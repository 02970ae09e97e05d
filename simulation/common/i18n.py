"""Language of the workbench's labels: English or Chinese, switched at run time.

Every widget label, figure title and axis, and table header the course shows is looked up
here, so one call switches a whole notebook::

    >>> set_language("zh")
    'zh'
    >>> t("revenue_cny")
    '收入(元)'

The starting language comes from the environment variable ``CRM_LANG`` (``en`` or ``zh``;
values such as ``zh_CN.UTF-8`` count as ``zh``); anything else starts in English. This module
imports neither plotly nor ipywidgets: figure builders and widgets call it, and widgets that
must relabel themselves when the language changes register with :func:`on_language_change`.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable

from .checks import did_you_mean
from .dictionary import SUMMARY_LABELS

__all__ = [
    "LANGUAGES",
    "ENV_VAR",
    "LABELS",
    "set_language",
    "get_language",
    "resolve",
    "t",
    "pick",
    "bilingual",
    "headers",
    "field_label",
    "label_or_key",
    "on_language_change",
]

LANGUAGES = ("en", "zh")
ENV_VAR = "CRM_LANG"

#: key -> (English, Chinese). Column keys match the model's and analytics' column names.
LABELS: dict[str, tuple[str, str]] = {
    # --- general words and axes
    "day": ("Day", "天"),
    "days": ("Days", "天数"),
    "date": ("Date", "日期"),
    "period": ("Period", "周期"),
    "week": ("Week", "周"),
    "month": ("Month", "月"),
    "year": ("Year", "年"),
    "customers": ("Customers", "客户数"),
    "customer": ("Customer", "客户"),
    "share": ("Share", "占比"),
    "count": ("Count", "数量"),
    "value": ("Value", "取值"),
    "cny": ("CNY", "元"),
    "stage": ("Stage", "阶段"),
    "department": ("Department", "部门"),
    "step": ("Step", "步骤"),
    "kpi": ("Indicator", "指标"),
    "seed": ("Seed", "随机种子"),
    "language": ("Language", "语言"),
    "run": ("Run", "运行"),
    "reset": ("Reset", "重置"),
    "before": ("Before", "之前"),
    "after": ("After", "之后"),
    "shared": ("Shared customer information", "共享客户信息"),
    "not_shared": ("Each department on its own", "各部门各自为政"),
    # --- model table columns (headers)
    "customer_id": ("Customer", "客户编号"),
    "order_id": ("Order", "订单编号"),
    "segment": ("Segment", "客户类型"),
    "channel": ("Channel", "渠道"),
    "category": ("Category", "品类"),
    "time_days": ("Day", "天"),
    "n_orders": ("Orders", "订单数"),
    "orders": ("Orders", "订单数"),
    "revenue_cny": ("Revenue (CNY)", "收入(元)"),
    "amount_cny": ("Amount (CNY)", "金额(元)"),
    "margin_cny": ("Gross margin (CNY)", "毛利(元)"),
    "gross_margin_cny": ("Gross margin (CNY)", "毛利(元)"),
    "discount_cny": ("Discount (CNY)", "折扣(元)"),
    "cost_to_serve_cny": ("Cost to serve (CNY)", "服务成本(元)"),
    "acquisition_cost_cny": ("Acquisition cost (CNY)", "获客成本(元)"),
    "cost_per_customer_cny": ("Cost per customer (CNY)", "单位获客成本(元)"),
    "revenue_per_customer_cny": ("Revenue per customer (CNY)", "单客收入(元)"),
    "profit_cny": ("Profit (CNY)", "利润(元)"),
    "profit_per_customer_cny": ("Profit per customer (CNY)", "单客利润(元)"),
    "satisfaction": ("Satisfaction (0-100)", "满意度(0-100)"),
    "satisfaction_initial": ("Satisfaction at first contact", "初始满意度"),
    "satisfaction_final": ("Satisfaction at the end", "期末满意度"),
    "mean_satisfaction": ("Mean satisfaction", "平均满意度"),
    "stage_at_end": ("Stage at the end", "期末阶段"),
    "churn_reason": ("Reason for leaving", "流失原因"),
    "new_customers": ("New customers", "新增客户"),
    "active_customers": ("Customers ordering", "下单客户数"),
    "customers_acquired": ("Customers acquired", "获得客户数"),
    "cumulative_customers": ("Customers acquired so far", "累计获得客户"),
    "leavers_truth": ("Customers who left (truth)", "流失客户(真值)"),
    "mean_orders": ("Orders per customer", "人均订单数"),
    "questions": ("Questions asked", "被问问题数"),
    "repeated_questions": ("Repeated questions", "重复提问数"),
    "minutes": ("Customer minutes", "客户耗时(分钟)"),
    "handoff_risk": ("Chance a hand-off fails", "交接失败概率"),
    "asked": ("Asked", "询问内容"),
    "touchpoint": ("Touchpoint", "接触点"),
    "what_happened": ("What happened", "发生了什么"),
    "policy": ("Policy", "方案"),
    "difference": ("Difference", "差异"),
    "module": ("Module", "模块"),
    "title": ("Title", "标题"),
    "notebook": ("Notebook", "笔记本"),
    "activity": ("Activity", "教学内容"),
    "theory_hours": ("Theory hours", "理论学时"),
    "practice_hours": ("Practice hours", "实训学时"),
    "hours": ("Hours", "学时"),
    "role": ("Role", "职责"),
    "data": ("Data", "数据"),
    "function": ("Function", "功能"),
    "what": ("What it covers", "内容"),
    "system": ("System type", "系统类型"),
    "at_the_firm": ("At the firm", "在本企业中"),
    "when": ("When", "时间"),
    "idea": ("Idea", "理念"),
    "student_id": ("Student", "学生"),
    "insight": ("Expected insight", "预期结论"),
    "lever": ("Lever", "决策变量"),
    "label": ("Meaning", "含义"),
    "unit": ("Unit", "单位"),
    "target": ("Target", "目标"),
    "achievement": ("Achievement", "达成率"),
    "weight": ("Weight", "权重"),
    "points": ("Points", "得分"),
    "perspective": ("Perspective", "维度"),
    "start_day": ("First day", "起始日"),
    "group": ("Group", "组别"),
    "repeat": ("Repeat", "第几次"),
    "respondents": ("Respondents", "回复人数"),
    "csat": ("CSAT (share satisfied)", "满意度 CSAT"),
    "item": ("Question", "题目"),
    "mean": ("Mean", "平均值"),
    "top_box": ("Top-box share", "最高分占比"),
    "nps": ("NPS", "净推荐值"),
    "response_rate": ("Response rate", "回复率"),
    "value_cny": ("Value (CNY)", "价值(元)"),
    "mean_recency_days": ("Mean days since last order", "平均距上次下单天数"),
    "mean_frequency": ("Mean orders", "平均订单数"),
    "customer_share": ("Share of customers", "客户占比"),
    "value_share": ("Share of value", "价值占比"),
    "value_per_customer_cny": ("Value per customer (CNY)", "单客价值(元)"),
    "measure": ("Measure", "指标"),
    "rule_of_thumb": ("Rule of thumb", "经验法则"),
    "satisfaction_band": ("Satisfaction band", "满意度区间"),
    "retained_share": ("Share still customers", "仍为客户的比例"),
    "mean_revenue_cny": ("Mean revenue (CNY)", "平均收入(元)"),
    "reason": ("Reason", "原因"),
    "share_of_all": ("Share of all customers", "占全部客户比例"),
    "plan": ("Plan", "方案"),
    "active_customers_last_year": ("Customers ordering in the last year", "最后一年下单客户数"),
    "mean_satisfaction_last_year": ("Mean satisfaction in the last year", "最后一年平均满意度"),
    "english": ("English", "英文"),
    "chinese": ("Chinese", "中文"),
    "definition": ("Meaning", "释义"),
    "touchpoints": ("Touchpoints", "接触点数"),
    "departments": ("Departments met", "接触部门数"),
    "reintroductions": ("Times the customer re-introduces themself", "客户重复自我介绍次数"),
    "unaware_touchpoints": ("Contacts unaware of earlier trouble", "不知情的接触次数"),
    "new_to_department": ("First time for this department", "该部门首次接触"),
    "unaware_of_trouble": ("Unaware of earlier trouble", "不知此前问题"),
    "late_delivery_pct": ("Late deliveries (%)", "延迟配送比例(%)"),
    "repairs": ("Repairs", "维修次数"),
    "repair_cost_cny": ("Repair cost (CNY)", "维修成本(元)"),
    "nobody": ("No department", "无人负责"),
    "change_pct": ("Change (%)", "变化(%)"),
    "precision": ("Precision", "精确率"),
    "recall": ("Recall", "召回率"),
    "f1": ("F1", "F1 值"),
    "raw_export": ("Raw export", "原始导出数据"),
    "cleaned": ("After cleaning", "清洗后"),
    "filled": ("Filled", "完整率"),
    "valid": ("Valid", "有效率"),
    "distinct": ("Distinct values", "不同取值数"),
    "column": ("Column", "字段"),
    "score_group": ("Score group", "评分组"),
    "mean_score": ("Mean score", "平均得分"),
    "future_profit_per_customer_cny": ("Later profit per customer (CNY)", "此后单客利润(元)"),
    "treated": ("Offered the campaign", "活动组"),
    "holdout": ("Hold-out group", "对照组"),
    "ordered_share": ("Ordered within the window (%)", "观察期内下单比例(%)"),
    "lift": ("Lift", "增量效果(lift)"),
    "roi": ("Return on cost", "投资回报率"),
    "abandonment_rate": ("Callers who hang up", "放弃率"),
    "erlang_c": ("Erlang C (nobody hangs up)", "爱尔兰C(无人挂断)"),
    "simulated_desk": ("Simulated desk (callers hang up)", "仿真热线(有人挂断)"),
    "members": ("Members", "会员数"),
    "breakage": ("Breakage", "积分失效率"),
    "redemption_rate": ("Redemption rate", "兑换率"),
    "programme_cost_cny": ("Programme cost (CNY)", "计划成本(元)"),
    "incremental_margin_cny": ("Extra margin after costs (CNY)", "扣除成本后的增量毛利(元)"),
    "survey_estimate": ("Survey result", "调查结果"),
    "truth": ("Truth (all customers)", "真实值(全体客户)"),
    "csat_pct": ("Share satisfied, CSAT (%)", "满意比例 CSAT(%)"),
    "surveys": ("Surveys", "调查次数"),
    "weighted_score": ("Weighted score (0-10)", "加权得分(0-10)"),
    "service_level": ("Service level", "服务水平"),
    "prob_wait": ("Chance a caller waits", "来电需等待概率"),
    "agents": ("Agents", "坐席数"),
    "utilisation": ("Utilisation", "利用率"),
    "mean_wait_s": ("Mean wait (s)", "平均等待(秒)"),
    "mean_queue": ("Callers waiting", "平均排队人数"),
    "present_value_cny": ("Present value of the year (CNY)", "当年现值(元)"),
    "cumulative_clv_cny": ("Lifetime value so far (CNY)", "累计终身价值(元)"),
    "broken_promise_prob": ("Chance a promise is broken", "承诺落空概率"),
    # --- lifecycle stages, segments, channels, categories, churn reasons
    "contact": ("Contact", "接触期"),
    "development": ("Development", "发展期"),
    "maintenance": ("Maintenance", "维护期"),
    "decline": ("Decline", "衰退期"),
    "termination": ("Termination (dormant)", "终止期(休眠)"),
    "household": ("Household", "家庭客户"),
    "small_business": ("Small business", "小企业客户"),
    "store": ("Stores", "门店"),
    "web": ("Web shop", "网店"),
    "dealer": ("Dealers", "经销商"),
    "referral": ("Referrals", "推荐"),
    "appliance": ("Appliances", "家电"),
    "accessory": ("Accessories", "配件"),
    "consumable": ("Consumables", "耗材"),
    "service_plan": ("Service plans", "年度延保服务合同"),
    "price": ("Price", "价格"),
    "competitor": ("Competitor", "竞争对手"),
    "product": ("Product", "产品"),
    "service": ("Service", "服务"),
    "complaint": ("Complaint", "投诉"),
    # --- departments of the role-play
    "marketing": ("Marketing", "市场部"),
    "sales": ("Sales", "销售部"),
    "delivery_centre": ("Delivery centre", "配送中心"),
    "repair_centre": ("Installation and repair centre", "安装维修中心"),
    "finance": ("Finance", "财务部"),
    "call_centre": ("Call centre", "呼叫中心"),
    # --- figure titles
    "title.kpis": ("Headline indicators", "核心指标"),
    "title.orders_over_time": ("Orders and revenue per period", "各周期订单与收入"),
    "title.customers_over_time": ("Customers won and lost", "客户获得与流失"),
    "title.stages_over_time": ("Customers in each lifecycle stage", "各生命周期阶段客户数"),
    "title.satisfaction": ("Satisfaction of customers", "客户满意度分布"),
    "title.channels": ("Acquisition by channel", "各渠道获客情况"),
    "title.product_view": ("Product-centric view: revenue by category", "以产品为中心:各品类收入"),
    "title.customer_view": ("Customer-centric view: profit by customer", "以客户为中心:各客户利润"),
    "title.two_views": ("Two ways to look at the same firm", "看同一家企业的两种视角"),
    "title.journey": ("One customer's journey across the departments", "一位客户跨部门的旅程"),
    "title.burden": ("What the customer goes through", "客户的负担"),
    "title.compare": ("Compare runs", "方案对比"),
    "title.clv_schedule": ("Customer lifetime value, year by year", "客户终身价值逐年计算"),
    "title.duplicates": ("Finding duplicate customers", "查找重复客户"),
    "title.selection_check": ("Do the criteria pick the profitable customers?", "评分标准能选出盈利客户吗?"),
    "title.campaign": ("Campaign against its hold-out group", "实验组与对照组对比"),
    "title.desk": ("The complaint desk: formula and simulation", "投诉受理中心:公式与仿真"),
    "title.churn": ("Why customers left (hidden truth)", "客户流失原因(隐藏真值)"),
    "title.survey": ("The same survey, run again and again", "同一调查反复进行的结果"),
    "title.selection": ("Choosing a CRM system", "客户关系管理系统选型"),
    "title.staffing": ("Staffing the complaint desk (Erlang C)", "投诉受理中心人员配置(爱尔兰C)"),
    "title.capstone": ("Three years at the helm", "经营三年"),
    # --- KPI names (keys of Result.summary)
    "customers_active": ("Active customers", "活跃客户数"),
    "customers_declining": ("Declining customers", "衰退期客户数"),
    "customers_dormant": ("Dormant customers", "休眠客户数"),
    "customers_left_truth": ("Customers who left (truth)", "已流失客户数(真值)"),
    "retention_rate": ("Repeat-buyer retention", "客户保持率"),
    "top20_revenue_share": ("Revenue share of top 20%", "前20%客户收入占比"),
    # --- module 2 tables: loss-makers, BG/NBD inputs, the dormant-account rule
    "score": ("Score", "综合得分"),
    "rank": ("Rank", "排名"),
    "kind_of_customer": ("Kind of customer", "客户类别"),
    "mean_profit_cny": ("Mean profit after acquisition cost (CNY)", "扣除获客成本后的平均利润(元)"),
    "mean_profit_before_acquisition_cny": (
        "Mean profit before acquisition cost (CNY)",
        "扣除获客成本前的平均利润(元)",
    ),
    "repeat_orders": ("Repeat orders (BG/NBD frequency)", "重复购买次数(BG/NBD 频率)"),
    "last_order_week": (
        "Week of the last order, from the first (BG/NBD recency)",
        "末次购买距首次购买的周数(BG/NBD 近度)",
    ),
    "weeks_since_first_order": ("Weeks since the first order (T)", "首次购买至今的周数(T)"),
    "p_alive": ("Chance still active", "仍活跃的概率"),
    "expected_purchases": ("Expected orders in the horizon", "预测期内的预期购买次数"),
    "clv_cny": ("Model CLV (CNY)", "模型估计的客户终身价值(元)"),
    "rule_condition": ("Condition of the rule", "规则条件"),
    "contract_year": ("Contract year", "合同年度"),
    "survival": ("Share still holding a plan, S(t)", "仍持有合同的比例 S(t)"),
    "retention": ("Renewal rate r(t)", "续约率 r(t)"),
    "discounted_margin_cny": ("Expected discounted margin (CNY)", "预期折现毛利(元)"),
    "parameter": ("Parameter", "参数"),
    "estimate": ("Estimate", "估计值"),
    "standard_error": ("Standard error", "标准误"),
    "accounts": ("Accounts", "账户数"),
    "still_active_truth_share": ("Share still active (hidden truth)", "实际仍活跃的占比(隐藏真值)"),
    # --- analytics figures (simulation.figures.analytics): titles and axes
    "figure.whale_title": (
        "Whale curve: cumulative profit by customers ranked by profit",
        "鲸鱼曲线：按利润排序的客户累计利润",
    ),
    "figure.customer_share": ("Customers, ranked by profit (%)", "按利润排序的客户（%）"),
    "figure.cumulative_profit": ("Cumulative profit (% of total)", "累计利润（占总利润%）"),
    "figure.total_profit": ("100% of total profit", "总利润的100%"),
    "figure.peak": ("peak", "峰值"),
    "figure.after_acquisition": ("After acquisition cost", "扣除获客成本后"),
    "figure.before_acquisition": ("Before acquisition cost", "扣除获客成本前"),
    "figure.segments_title": ("RFM segments: size and value", "RFM细分：客户数与价值"),
    "figure.segment": ("Segment", "细分"),
    "figure.share_pct": ("Share (%)", "占比（%）"),
    "figure.customers_share": ("Customers", "客户数"),
    "figure.value_share": ("Value", "价值"),
    "figure.matrix_title": ("Customer value matrix", "客户价值矩阵"),
    "figure.current_value": ("Current value (CNY)", "当前价值（元）"),
    "figure.potential_value": ("Potential value (CNY)", "潜在价值（元）"),
    "figure.current_rank": ("Current value (percentile rank)", "当前价值（百分位排名）"),
    "figure.potential_rank": ("Potential value (percentile rank)", "潜在价值（百分位排名）"),
    "figure.cohort_title": ("Cohort retention: share of each cohort buying", "同期群留存：各期群中购买客户的比例"),
    "figure.cohort": ("Acquisition cohort", "获客期群"),
    "figure.age": ("Periods since acquisition", "获客后期数"),
    "figure.retention": ("Retention (%)", "留存率（%）"),
    "figure.survival_title": ("Customer survival (Kaplan-Meier)", "客户生存曲线（Kaplan-Meier）"),
    "figure.days": ("Days since acquisition", "获客后天数"),
    "figure.survival": ("Share of customers still active (%)", "仍然活跃的客户比例（%）"),
    "figure.clv_title": ("Distribution of customer lifetime value", "客户终身价值分布"),
    "figure.clv": ("CLV (CNY)", "客户终身价值（元）"),
    "figure.count": ("Customers", "客户数"),
    "figure.mean": ("mean", "平均值"),
    "figure.palive_title": ("Probability a customer is still active", "客户仍然活跃的概率"),
    "figure.since_last": ("Time since last purchase (model time units)", "距上次购买的时间（模型时间单位）"),
    "figure.model_units": ("model time units", "模型时间单位"),
    "figure.p_alive": ("P(alive)", "活跃概率"),
    "figure.frequency": ("Repeat purchases", "重复购买次数"),
    # --- names of analytics categories: RFM segments, value-matrix treatments, quadrants
    "category.champions": ("Champions", "重要价值客户"),
    "category.loyal": ("Loyal", "忠诚客户"),
    "category.new": ("New", "新客户"),
    "category.promising": ("Promising", "有潜力客户"),
    "category.about_to_sleep": ("About to sleep", "即将休眠客户"),
    "category.at_risk": ("At risk", "重要挽留客户"),
    "category.hibernating": ("Hibernating", "休眠客户"),
    "category.others": ("Others", "其他"),
    "category.keep_and_grow": ("Keep & grow", "保持并发展"),
    "category.develop": ("Develop", "培养开发"),
    "category.maintain": ("Maintain", "维持"),
    "category.think_before_investing": ("Think carefully before investing", "谨慎投入"),
    "category.best": ("Best", "最佳客户"),
    "category.frequent_low_spend": ("Frequent, low spend", "高频低消费"),
    "category.rare_high_spend": ("Rare, high spend", "低频高消费"),
    "category.uncertain": ("Uncertain", "不确定客户"),
    "category.all": ("All customers", "全部客户"),
    "category.household": ("Household", "家庭客户"),
    "category.small_business": ("Small business", "小企业客户"),
    # --- module 5: the sales pipeline (simulation.analytics.pipeline) and new scorecard KPIs
    "reached": ("Deals that reached the stage", "到达该阶段的商机数"),
    "won": ("Won", "成交数"),
    "win_rate": ("Win rate from this stage", "该阶段赢单率"),
    "step_rate": ("Moved to the next stage", "进入下一阶段的比例"),
    "open_deals": ("Open deals", "在跟进商机数"),
    "open_value_cny": ("Open value (CNY)", "在跟进商机金额(元)"),
    "forecast_cny": ("Weighted forecast (CNY)", "加权预测(元)"),
    "customer_equity_cny": ("Customer equity (CNY)", "客户资产(元)"),
    "first_contact_resolution": ("Solved by the first agent", "首次接触解决率"),
    "staff_skills": ("Staff skills (0-1)", "员工技能(0-1)"),
    "staff_empowerment": ("Staff empowerment (0-1)", "一线授权(0-1)"),
    "data_completeness": ("Data completeness", "数据完整率"),
    "shared_record_share": ("Departments on the shared record", "使用共享客户档案的部门占比"),
}
# Every other KPI of Result.summary is labelled as in the printed summary.
LABELS.update({k: (v["en"], v["zh"]) for k, v in SUMMARY_LABELS.items() if k not in LABELS})


def _normalise(value: str | None) -> str | None:
    if value is None:
        return None
    v = str(value).strip().lower().replace("-", "_")
    for lang in LANGUAGES:
        if v == lang or v.startswith(lang + "_") or v.startswith(lang + "."):
            return lang
    if v in ("cn", "chinese", "中文"):
        return "zh"
    if v in ("english",):
        return "en"
    return None


def _from_env() -> str:
    raw = os.environ.get(ENV_VAR)
    if raw is None or raw.strip() == "":
        return "en"
    lang = _normalise(raw)
    if lang is None:
        warnings.warn(
            f"{ENV_VAR}={raw!r} is not a supported language; using 'en'. Set {ENV_VAR} to 'en' or 'zh'.", stacklevel=2
        )
        return "en"
    return lang


_state = {"lang": _from_env()}
_listeners: list[Callable[[str], None]] = []


def resolve(lang: str | None = None) -> str:
    """The language to use: ``lang`` if given (checked), else the current language.

    Raises
    ------
    ValueError
        ``"language must be 'en' or 'zh'; got 'fr'"``.
    """
    if lang is None:
        return _state["lang"]
    norm = _normalise(lang) if isinstance(lang, str) else None
    if norm is None:
        raise ValueError(f"language must be 'en' or 'zh'; got {lang!r}.")
    return norm


def get_language() -> str:
    """The current language, ``"en"`` or ``"zh"``."""
    return _state["lang"]


def set_language(lang: str) -> str:
    """Switch every label the workbench shows from now on; returns the language set.

    Widgets already on screen that registered with :func:`on_language_change` relabel
    themselves; figures drawn before the switch keep their language until they are redrawn.
    """
    new = resolve(lang)
    changed = new != _state["lang"]
    _state["lang"] = new
    if changed:
        for callback in list(_listeners):
            callback(new)
    return new


def on_language_change(callback: Callable[[str], None]) -> Callable[[str], None]:
    """Call ``callback(lang)`` whenever :func:`set_language` switches the language."""
    _listeners.append(callback)
    return callback


def t(key: str, lang: str | None = None, **fmt) -> str:
    """The label of ``key`` in ``lang`` (default: the current language).

    Raises
    ------
    KeyError
        For an unknown key, with the closest known key as a suggestion.
    """
    try:
        pair = LABELS[key]
    except KeyError:
        tip = did_you_mean(key, list(LABELS))
        raise KeyError(f"no label for {key!r}{tip}") from None
    text = pair[LANGUAGES.index(resolve(lang))]
    return text.format(**fmt) if fmt else text


def label_or_key(key: str, lang: str | None = None) -> str:
    """The label of ``key`` if there is one, else ``key`` itself (for open-ended names)."""
    pair = LABELS.get(key)
    return pair[LANGUAGES.index(resolve(lang))] if pair else key


def pick(en: str, zh: str, lang: str | None = None) -> str:
    """``en`` or ``zh`` according to ``lang`` (default: the current language)."""
    return zh if resolve(lang) == "zh" else en


def bilingual(key: str) -> str:
    """``"English (中文)"`` for a label key, as the course prints key terms."""
    en, zh = LABELS[key] if key in LABELS else (t(key, "en"), t(key, "zh"))
    return f"{en} ({zh})"


def headers(df, lang: str | None = None):
    """A copy of ``df`` with column headers (and the index name) in ``lang``.

    Columns without a label keep their name, so any table can be passed.
    """
    lang = resolve(lang)
    out = df.rename(columns=lambda c: label_or_key(c, lang) if isinstance(c, str) else c)
    if isinstance(out.index.name, str):
        out.index.name = label_or_key(out.index.name, lang)
    return out


def field_label(row: dict, lang: str | None = None, *, unit: bool = True) -> str:
    """The label of a scenario field row (from :func:`simulation.scenario.fields.field_rows`).

    With ``unit=True`` the unit follows in brackets, e.g. ``"Late deliveries (prob)"``.
    """
    lang = resolve(lang)
    text = row.get(lang) or row.get("en") or row["path"]
    if unit and row.get("unit"):
        text = f"{text} ({row['unit']})"
    return text
