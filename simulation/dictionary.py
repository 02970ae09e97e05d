"""The data dictionary: every column of every table, with type, unit and meaning (en + zh).

``datasets/data_dictionary.csv`` is written from :data:`COLUMNS` by
``python -m simulation dictionary``; a test keeps the two identical and checks that every
column a run produces is documented here.
"""
from __future__ import annotations

import csv
import io

__all__ = ["COLUMNS", "SUMMARY_LABELS", "dictionary_frame", "dictionary_csv"]

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
    ("events", "event_type", "category", "", "What happened (see simulation.records.EVENT_TYPES)", "事件类型"),
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
}

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
