"""The data dictionary: every column of every table, with type, unit and meaning (en + zh).

``datasets/data_dictionary.csv`` is written from :data:`COLUMNS` by
``python -m simulation dictionary``; a test keeps the two identical and checks that every
column a run produces is documented here.
"""
from __future__ import annotations

import csv
import io

__all__ = ["COLUMNS", "SUMMARY_LABELS", "PERCENT_SUFFIXES", "dictionary_frame", "dictionary_csv"]

# (table, column, type, unit, English meaning, Chinese meaning)
COLUMNS: list[tuple[str, str, str, str, str, str]] = [
    # customers
    ("customers", "customer_id", "int64", "", "Customer number (0, 1, 2 … in order of first contact)", "客户编号(按首次接触顺序)"),
    ("customers", "segment", "category", "", "Segment: household or small_business", "客户类型:家庭或小企业"),
    ("customers", "channel", "category", "", "Acquisition channel: store, web, dealer or referral", "获客渠道:门店、网店、经销商或推荐"),
    ("customers", "referred_by", "int64", "", "Customer who referred this one (-1 = none)", "推荐人客户编号(-1 表示无)"),
    ("customers", "contact_day", "float64", "days", "Day of first contact", "首次接触日"),
    ("customers", "acquired_day", "float64", "days", "Day of the first order (empty if not yet ordered)", "首单日(尚未下单则为空)"),
    ("customers", "acquisition_cost_cny", "float64", "CNY", "Cost of acquiring the customer (or referral reward)", "获客成本(或推荐奖励)"),
    ("customers", "n_orders", "int64", "orders", "Non-contract orders placed", "非合约订单数"),
    ("customers", "revenue_cny", "float64", "CNY", "Revenue from all orders incl. service plans", "全部订单收入(含服务计划)"),
    ("customers", "last_order_day", "float64", "days", "Day of the last non-contract order", "最近一次非合约订单日"),
    ("customers", "satisfaction_initial", "float64", "points (0-100)", "Satisfaction when first contacting the firm", "初始满意度"),
    ("customers", "satisfaction_final", "float64", "points (0-100)", "Satisfaction at the end of the run", "期末满意度"),
    ("customers", "stage_at_end", "category", "", "Lifecycle stage at the end: contact, development, maintenance, decline, termination", "期末生命周期阶段:接触、发展、维护、衰退、终止"),
    ("customers", "alive_at_end", "bool", "", "Hidden truth: still a customer at the end (not visible to a real firm)", "隐含真值:期末是否仍为客户"),
    ("customers", "dropped_day", "float64", "days", "Hidden truth: day the customer silently left (empty if not)", "隐含真值:客户悄然流失日"),
    ("customers", "churn_reason", "category", "", "Reason for leaving: price, competitor, product, service, complaint", "流失原因:价格、竞争对手、产品、服务、投诉"),
    ("customers", "purchase_rate_per_year", "float64", "orders/year", "Hidden truth: the customer's repeat-order rate lambda", "隐含真值:复购率 λ"),
    ("customers", "dropout_prob", "float64", "prob", "Hidden truth: chance p of leaving after a repeat order", "隐含真值:每次复购后流失概率 p"),
    ("customers", "mean_spend_cny", "float64", "CNY", "Hidden truth: the customer's mean order value p/nu", "隐含真值:平均订单金额"),
    ("customers", "plan_lapse_prob", "float64", "prob", "Hidden truth: yearly chance theta that a service plan lapses", "隐含真值:服务计划年流失概率 θ"),
    # orders
    ("orders", "order_id", "int64", "", "Order number", "订单编号"),
    ("orders", "customer_id", "int64", "", "Customer who ordered", "下单客户编号"),
    ("orders", "time_days", "float64", "days", "Time of the order, days since the first day", "下单时间(距起始日天数)"),
    ("orders", "date", "datetime64[ms]", "", "Date and time of the order", "下单日期时间"),
    ("orders", "segment", "category", "", "Segment of the customer", "客户类型"),
    ("orders", "category", "category", "", "Appliance, accessory, consumable or service_plan", "品类:家电、配件、耗材或服务计划"),
    ("orders", "contract", "bool", "", "True for service-plan sales and renewals (the contractual stream)", "是否为服务计划(合约)订单"),
    ("orders", "amount_cny", "float64", "CNY", "Revenue after discount", "折后收入"),
    ("orders", "discount_cny", "float64", "CNY", "Discount given", "折扣金额"),
    ("orders", "margin_cny", "float64", "CNY", "Gross margin after discount, before cost to serve", "毛利(扣折扣,未扣服务成本)"),
    ("orders", "delivery_cost_cny", "float64", "CNY", "Delivery cost", "配送成本"),
    ("orders", "installation_cost_cny", "float64", "CNY", "Installation cost", "安装成本"),
    ("orders", "repair_cost_cny", "float64", "CNY", "Repair cost of an early failure", "早期故障维修成本"),
    ("orders", "late_delivery", "bool", "", "Delivered late", "是否延迟配送"),
    ("orders", "installation_problem", "bool", "", "Installation went wrong", "是否安装出问题"),
    ("orders", "product_failure", "bool", "", "Product failed early", "产品是否早期故障"),
    # lifecycle
    ("lifecycle", "customer_id", "int64", "", "Customer", "客户编号"),
    ("lifecycle", "time_days", "float64", "days", "Time of the stage change", "阶段变化时间"),
    ("lifecycle", "date", "datetime64[ms]", "", "Date and time of the stage change", "阶段变化日期时间"),
    ("lifecycle", "from_stage", "category", "", "Stage before (none for the first contact)", "变化前阶段(首次接触为 none)"),
    ("lifecycle", "to_stage", "category", "", "Stage after", "变化后阶段"),
    # plans
    ("plans", "plan_id", "int64", "", "Service plan number", "服务计划编号"),
    ("plans", "customer_id", "int64", "", "Customer holding the plan", "持有客户编号"),
    ("plans", "start_day", "float64", "days", "Day the plan was sold", "购买日"),
    ("plans", "renewals", "int64", "renewals", "Yearly renewals so far", "已续约次数"),
    ("plans", "lapsed_day", "float64", "days", "Day the plan lapsed (empty if active)", "失效日(仍有效则为空)"),
    ("plans", "active_at_end", "bool", "", "Plan still running at the end", "期末是否有效"),
    # events
    ("events", "time_days", "float64", "days", "Time of the event", "事件时间"),
    ("events", "date", "datetime64[ms]", "", "Date and time of the event", "事件日期时间"),
    ("events", "event_type", "category", "", "What happened (see simulation.model.records.EVENT_TYPES)", "事件类型"),
    ("events", "customer_id", "int64", "", "Customer (-1 for a prospect who never became one)", "客户编号(-1 表示未转化的潜在客户)"),
    ("events", "order_id", "int64", "", "Order (or service plan) concerned, -1 if none", "相关订单或服务计划编号"),
    ("events", "detail_code", "int64", "", "Category, channel or churn-reason code, by event type", "细分代码(品类、渠道或流失原因)"),
    ("events", "amount_cny", "float64", "CNY", "Revenue or acquisition cost", "收入或获客成本"),
    ("events", "discount_cny", "float64", "CNY", "Discount of an order", "订单折扣"),
    ("events", "cost_cny", "float64", "CNY", "Cost caused by the event", "事件产生的成本"),
    ("events", "satisfaction", "float64", "points (0-100)", "Customer's satisfaction when the event was recorded", "记录时客户满意度"),
    # decisions
    ("decisions", "time_days", "float64", "days", "Time a lever was changed", "调整杠杆的时间"),
    ("decisions", "lever", "str", "", "Dotted name of the lever", "杠杆名称"),
    ("decisions", "old_value", "str", "", "Value before", "调整前取值"),
    ("decisions", "new_value", "str", "", "Value after", "调整后取值"),
    # loyalty_ledger (simulation.loyalty; empty when the club is off)
    ("loyalty_ledger", "time_days", "float64", "days", "Time of the entry", "记账时间"),
    ("loyalty_ledger", "date", "datetime64[ms]", "", "Date and time of the entry", "记账日期时间"),
    ("loyalty_ledger", "customer_id", "int64", "", "Member", "会员客户编号"),
    ("loyalty_ledger", "order_id", "int64", "", "Order that earned or redeemed the points (-1 if none)", "相关订单编号(-1 表示无)"),
    ("loyalty_ledger", "entry", "category", "", "enrol, welcome, earn, partner, redeem, expire, promotion, demotion or annual", "记账类型:入会、赠分、消费积分、合作积分、兑换、过期、升级、降级、年度权益"),
    ("loyalty_ledger", "points", "int64", "points", "Points added (+) or taken (-) by the entry", "积分变动(增为正,减为负)"),
    ("loyalty_ledger", "balance_after", "int64", "points", "Member's points balance after the entry", "记账后积分余额"),
    ("loyalty_ledger", "tier", "category", "", "Member's tier after the entry: member, silver, gold, platinum", "记账后会员等级:普通、银卡、金卡、白金卡"),
    ("loyalty_ledger", "cost_cny", "float64", "CNY", "Cost to the firm: voucher value, benefits of the order or of the year; negative = partner income", "企业成本:兑换券面值、订单或年度权益成本;负值为合作伙伴收入"),
    ("loyalty_ledger", "discount_cny", "float64", "CNY", "Member discount on the order (part of cost_cny)", "订单会员折扣(含于成本)"),
    ("loyalty_ledger", "qualifying_12m", "float64", "CNY or points", "Rolling 12-month spend (or points) that qualifies for tiers", "滚动12个月定级消费额(或积分)"),
    # complaints (simulation.complaints; silent rows are hidden truth)
    ("complaints", "complaint_id", "int64", "", "Complaint number (also numbers silent failures)", "投诉编号(含沉默的不满)"),
    ("complaints", "customer_id", "int64", "", "Customer (-1 in a stand-alone desk run)", "客户编号(独立投诉台模拟为 -1)"),
    ("complaints", "order_id", "int64", "", "Order the complaint is about (-1 if none)", "所投诉的订单编号(-1 表示无)"),
    ("complaints", "voiced", "bool", "", "False for a dissatisfied customer who stayed silent (hidden truth)", "是否投诉(否=沉默的不满客户,隐含真值)"),
    ("complaints", "channel", "category", "", "phone, online, store, social_media (none when silent)", "投诉渠道:电话、在线、门店、社交媒体(沉默为 none)"),
    ("complaints", "category", "category", "", "product_defect, late_delivery, installation_problem, billing_error or other", "投诉类别:产品缺陷、延迟配送、安装问题、账单错误或其他"),
    ("complaints", "severity", "category", "", "Severity assessed when classified: low, medium, high", "分类评估的严重度:低、中、高"),
    ("complaints", "loyalty_tier", "category", "", "Customer's loyalty tier when complaining (none = not a member)", "投诉时会员等级(none 表示非会员)"),
    ("complaints", "priority", "int64", "", "Queue priority (smaller is served first)", "排队优先级(数值小者优先)"),
    ("complaints", "arrival_day", "float64", "days", "Time the complaint reached the desk (silent rows: time of the failure)", "投诉到达时间(沉默行为故障时间)"),
    ("complaints", "date", "datetime64[ms]", "", "Date and time of arrival", "到达日期时间"),
    ("complaints", "queue_on_arrival", "int64", "complaints", "Complaints waiting when this one arrived", "到达时排队投诉数"),
    ("complaints", "answered_day", "float64", "days", "Time of the first response by an agent (empty if none)", "首次响应时间(无则为空)"),
    ("complaints", "abandoned_day", "float64", "days", "Time the customer gave up waiting (empty if not)", "客户放弃等待时间(未放弃为空)"),
    ("complaints", "wait_min", "float64", "min", "Minutes waited until answered or abandoned", "等待分钟数(至响应或放弃)"),
    ("complaints", "handling_min", "float64", "min", "First-level minutes: classification and handling", "一线处理分钟数(分类评估与处理)"),
    ("complaints", "agent_id", "int64", "", "First-level agent who answered (-1 if none)", "接待的一线客服编号(-1 表示无)"),
    ("complaints", "escalated", "bool", "", "Passed to the second-level team", "是否升级至二线"),
    ("complaints", "second_level_agent_id", "int64", "", "Second-level agent (-1 if not escalated)", "二线处理人员编号(-1 表示未升级)"),
    ("complaints", "resolved_day", "float64", "days", "Time the complaint was resolved (empty if not)", "解决时间(未解决为空)"),
    ("complaints", "resolution_hours", "float64", "hours", "Hours from arrival to resolution", "从到达到解决的小时数"),
    ("complaints", "first_contact_resolution", "bool", "", "Solved by the first agent", "是否首次接触即解决"),
    ("complaints", "compensation_cny", "float64", "CNY", "Compensation paid (distributive recovery)", "补偿金额(分配公平)"),
    ("complaints", "handling_cost_cny", "float64", "CNY", "Agents' time on the complaint at their hourly cost", "处理人工成本"),
    ("complaints", "recovery_quality", "float64", "0-1", "Service recovery quality Q (see simulation.complaints.recovery)", "服务补救质量 Q"),
    ("complaints", "satisfaction_pre_failure", "float64", "points (0-100)", "Satisfaction just before the failure", "故障前满意度"),
    ("complaints", "satisfaction_before", "float64", "points (0-100)", "Satisfaction just after the failure, before handling", "处理前(故障后)满意度"),
    ("complaints", "satisfaction_after", "float64", "points (0-100)", "Satisfaction after the complaint was closed", "处理后满意度"),
    ("complaints", "outcome", "category", "", "resolved, resolved_late, abandoned, open (at the end) or silent", "结果:已解决、解决过慢、放弃、未结(期末)、沉默"),
    ("complaints", "deterred_prospects", "int64", "prospects", "Prospects turned away by negative word of mouth about it", "因负面口碑流失的潜在客户数"),
    # contacts (data sets; fictional people, see simulation/data/contacts.py)
    ("contacts", "customer_id", "int64", "", "Customer", "客户编号"),
    ("contacts", "name_zh", "str", "", "Name in Chinese characters (fictional)", "姓名(虚构)"),
    ("contacts", "name_pinyin", "str", "", "Name in pinyin, surname first (fictional)", "姓名拼音(姓在前,虚构)"),
    ("contacts", "gender", "category", "", "Gender of the person: F or M", "性别:F 女,M 男"),
    ("contacts", "birth_year", "int64", "year", "Year of birth", "出生年份"),
    ("contacts", "mobile", "str", "", "Mobile number, 11 digits (random, not for dialling)", "手机号(11位,随机生成,勿拨打)"),
    ("contacts", "email", "str", "", "E-mail address (reserved .example domains, cannot be reached)", "电子邮箱(保留的 .example 域名)"),
    ("contacts", "city", "str", "", "City", "城市"),
    ("contacts", "district", "str", "", "District of the city", "区"),
    ("contacts", "address", "str", "", "Street address", "详细地址"),
    ("contacts", "company", "str", "", "Company name for a small business (empty for a household)", "企业名称(家庭客户为空)"),
    # customers_raw (dirty class data set: a CRM export, every cell as text)
    ("customers_raw", "record_id", "str", "", "Record number in the CRM (one customer may have several)", "客户记录编号(一位客户可能有多条)"),
    ("customers_raw", "name", "str", "", "Name in Chinese characters, as entered", "姓名(录入原样)"),
    ("customers_raw", "name_pinyin", "str", "", "Name in pinyin, as entered", "姓名拼音(录入原样)"),
    ("customers_raw", "gender", "str", "", "Gender, as entered", "性别(录入原样)"),
    ("customers_raw", "birth_year", "str", "", "Year of birth, as entered", "出生年份(录入原样)"),
    ("customers_raw", "mobile", "str", "", "Mobile number, as entered", "手机号(录入原样)"),
    ("customers_raw", "email", "str", "", "E-mail address, as entered", "电子邮箱(录入原样)"),
    ("customers_raw", "city", "str", "", "City, as entered", "城市(录入原样)"),
    ("customers_raw", "district", "str", "", "District, as entered", "区(录入原样)"),
    ("customers_raw", "address", "str", "", "Street address, as entered", "详细地址(录入原样)"),
    ("customers_raw", "company", "str", "", "Company name, as entered", "企业名称(录入原样)"),
    ("customers_raw", "segment", "str", "", "Segment, as entered", "客户类型(录入原样)"),
    ("customers_raw", "channel", "str", "", "Acquisition channel, as entered", "获客渠道(录入原样)"),
    ("customers_raw", "registered_on", "str", "", "Date the record was created, as entered", "建档日期(录入原样)"),
    # orders_raw (dirty class data set)
    ("orders_raw", "order_no", "str", "", "Order number, as exported", "订单号(导出原样)"),
    ("orders_raw", "record_id", "str", "", "Customer record the order is booked to", "订单所记的客户记录编号"),
    ("orders_raw", "order_date", "str", "", "Date and time of the order, as entered", "下单日期时间(录入原样)"),
    ("orders_raw", "category", "str", "", "Product category, as entered", "品类(录入原样)"),
    ("orders_raw", "amount_cny", "str", "CNY", "Revenue after discount, as entered", "折后收入(录入原样)"),
    # customers_truth (grading key of customers_raw)
    ("customers_truth", "row", "int64", "", "Data row of customers_raw (1 = first line after the header)", "customers_raw 的数据行号(表头后第一行为 1)"),
    ("customers_truth", "record_id", "str", "", "Record number", "客户记录编号"),
    ("customers_truth", "customer_id", "int64", "", "The customer the record really belongs to", "记录实际所属客户编号"),
    ("customers_truth", "duplicate_of", "str", "", "First record of the same customer (empty if this is the first)", "同一客户的首条记录编号(本身为首条则为空)"),
    ("customers_truth", "name", "str", "", "Clean name in Chinese characters", "规范姓名"),
    ("customers_truth", "name_pinyin", "str", "", "Clean pinyin name, 'Surname Given'", "规范拼音姓名"),
    ("customers_truth", "gender", "category", "", "Clean gender: F or M", "规范性别:F 或 M"),
    ("customers_truth", "birth_year", "int64", "year", "True year of birth", "真实出生年份"),
    ("customers_truth", "mobile", "str", "", "Clean mobile number, 11 digits", "规范手机号(11位)"),
    ("customers_truth", "email", "str", "", "Clean e-mail address, lower case", "规范邮箱(小写)"),
    ("customers_truth", "city", "str", "", "City", "城市"),
    ("customers_truth", "district", "str", "", "True district", "真实区"),
    ("customers_truth", "address", "str", "", "True street address", "真实详细地址"),
    ("customers_truth", "company", "str", "", "Company name (empty for a household)", "企业名称(家庭客户为空)"),
    ("customers_truth", "segment", "category", "", "Clean segment: household or small_business", "规范客户类型"),
    ("customers_truth", "channel", "category", "", "Clean acquisition channel", "规范获客渠道"),
    ("customers_truth", "registered_on", "date", "", "True date the record was created", "真实建档日期"),
    # orders_truth (grading key of orders_raw)
    ("orders_truth", "row", "int64", "", "Data row of orders_raw (1 = first line after the header)", "orders_raw 的数据行号(表头后第一行为 1)"),
    ("orders_truth", "order_no", "str", "", "Order number", "订单号"),
    ("orders_truth", "order_id", "int64", "", "Order in the clean class data set", "干净数据集中的订单编号"),
    ("orders_truth", "customer_id", "int64", "", "Customer who really placed the order", "实际下单客户编号"),
    ("orders_truth", "record_id", "str", "", "Customer record the order is booked to", "订单所记的客户记录编号"),
    ("orders_truth", "copy_of_row", "int64", "", "Row this row is an exact copy of (-1 if not a copy)", "本行所复制的行号(非重复行为 -1)"),
    ("orders_truth", "order_date", "datetime64[s]", "", "True date and time of the order", "真实下单日期时间"),
    ("orders_truth", "category", "category", "", "True product category", "真实品类"),
    ("orders_truth", "amount_cny", "float64", "CNY", "True revenue after discount", "真实折后收入"),
    # defects (every cell the dirty-data process rewrote)
    ("defects", "table", "str", "", "customers_raw or orders_raw", "所在表"),
    ("defects", "row", "int64", "", "Data row in that table (1 = first line after the header)", "数据行号"),
    ("defects", "key", "str", "", "record_id or order_no of the row", "该行的记录编号或订单号"),
    ("defects", "column", "str", "", "Column of the rewritten cell", "被改写单元格所在列"),
    ("defects", "defect", "category", "", "Kind of defect (see simulation.data.dirty)", "缺陷类型"),
    ("defects", "dirty_value", "str", "", "Text in the raw file", "原始文件中的文本"),
    ("defects", "clean_value", "str", "", "Text before the defect (the canonical form)", "注入缺陷前的规范文本"),
]

SUMMARY_LABELS = {
    "scenario": {"en": "Scenario", "zh": "情景"},
    "seed": {"en": "Seed", "zh": "随机种子"},
    "days": {"en": "Days simulated", "zh": "模拟天数"},
    "customers_acquired": {"en": "Customers acquired", "zh": "获得客户数"},
    "customers_active": {"en": "Active customers", "zh": "活跃客户数"},
    "customers_declining": {"en": "Declining customers", "zh": "衰退期客户数"},
    "customers_dormant": {"en": "Dormant customers", "zh": "休眠(终止)客户数"},
    "customers_left_truth": {"en": "Customers who left (truth)", "zh": "已流失客户数(真值)"},
    "orders": {"en": "Orders (non-contract)", "zh": "订单数(非合约)"},
    "revenue_cny": {"en": "Revenue (CNY)", "zh": "收入(元)"},
    "gross_margin_cny": {"en": "Gross margin (CNY)", "zh": "毛利(元)"},
    "cost_to_serve_cny": {"en": "Cost to serve (CNY)", "zh": "服务成本(元)"},
    "acquisition_cost_cny": {"en": "Acquisition cost (CNY)", "zh": "获客成本(元)"},
    "profit_cny": {"en": "Customer profit (CNY)", "zh": "客户利润(元)"},
    "retention_rate": {"en": "Repeat-buyer retention", "zh": "客户保持率"},
    "mean_satisfaction": {"en": "Mean satisfaction", "zh": "平均满意度"},
    "top20_revenue_share": {"en": "Revenue share of top 20%", "zh": "前20%客户收入占比"},
    "complaints": {"en": "Complaints (voiced)", "zh": "投诉数(已表达)"},
    "complaint_service_level": {"en": "Complaint desk service level", "zh": "投诉台服务水平"},
    "complaint_abandonment_rate": {"en": "Complaint abandonment rate", "zh": "投诉放弃率"},
    "complaint_cost_cny": {"en": "Complaint handling cost (CNY)", "zh": "投诉处理成本(元)"},
    "loyalty_members": {"en": "Loyalty club members", "zh": "会员俱乐部会员数"},
    "loyalty_cost_cny": {"en": "Loyalty club cost (CNY)", "zh": "会员俱乐部成本(元)"},
    "net_profit_cny": {"en": "Net profit after complaints and club (CNY)", "zh": "扣除投诉与俱乐部成本后净利润(元)"},
}

#: Summary keys ending in one of these are shares (0–1), shown as percentages.
PERCENT_SUFFIXES = ("rate", "share", "level")

_HEADER = ("table", "column", "type", "unit", "meaning_en", "meaning_zh")


def dictionary_frame():
    """The dictionary as a DataFrame (one row per table column)."""
    import pandas as pd
    return pd.DataFrame(COLUMNS, columns=list(_HEADER))


def dictionary_csv() -> str:
    """The dictionary as CSV text (the content of ``datasets/data_dictionary.csv``)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(_HEADER)
    w.writerows(COLUMNS)
    return buf.getvalue()
