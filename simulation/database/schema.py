"""The customer database's schema: tables, columns, keys, constraints, indexes and views.

One declarative list, :data:`TABLES`, drives everything: the DDL written into every database
(:func:`create_statements`), the schema documentation beside the data dictionary
(:mod:`simulation.database.docs`, ``datasets/database_schema.csv``) and the entity-relationship diagram
(:mod:`simulation.database.erd`). Column meanings of the model's tables come from the data
dictionary (:mod:`simulation.common.dictionary`), so they are written in one place only.

Storage conventions (so that tables → SQLite → DataFrames round-trips exactly):

- times are ``REAL`` days since the firm's first day, and beside them an ISO text date
  (``acquired_on = '2024-03-05'``) or date-time (``date = '2024-03-05 14:02:11'``);
- yes/no columns are ``INTEGER`` 0/1 with ``CHECK (x IN (0, 1))``;
- categories are ``TEXT`` with ``CHECK (x IN ('a', 'b'))`` listing the allowed labels;
- a missing value is ``NULL`` (``-1`` "none" codes of the model's tables become ``NULL`` so that
  they can be foreign keys).
"""

from __future__ import annotations

from ..common.dictionary import COLUMNS as _DICTIONARY
from ..model.records import CATEGORIES, CHANNEL_CODES, CHURN_REASONS, EVENT_TYPES, STAGES
from ..scenario.parts import SEGMENTS
from .columns import Col, Table, sql_literal
from .sql_views import VIEWS, view_statements

__all__ = [
    "Col",
    "Table",
    "TABLES",
    "TABLE_NAMES",
    "VIEWS",
    "APPLICATION_ID",
    "SCHEMA_VERSION",
    "table",
    "create_statements",
    "index_statements",
    "view_statements",
    "sql_literal",
]

#: ``PRAGMA application_id`` of every workbench database: the bytes "CRMW".
APPLICATION_ID = 0x43524D57
#: ``PRAGMA user_version``: the schema version; raised when the schema changes incompatibly.
SCHEMA_VERSION = 1
GENDERS = ("F", "M")
MATCH_RULES = ("first", "mobile", "email", "name_address")
MEANINGS = {(t, c): (en, zh) for t, c, _typ, _u, en, zh in _DICTIONARY}


def _m(frame: str, name: str, sql: str, kind: str, **kw) -> Col:
    """A column written from DataFrame ``frame``; its meaning comes from the data dictionary."""
    en, zh = MEANINGS.get((frame, kw.get("frame_col") or name), ("", ""))
    return Col(name, sql, kind, kw.pop("en", en), kw.pop("zh", zh), **kw)


def _on(day_col: str, en: str, zh: str) -> Col:
    return Col(day_col.replace("_day", "_on"), "TEXT", "date", en, zh, derive=("date", day_col))


_NONNEG = "{} >= 0"
_PROB = "{} BETWEEN 0 AND 1"
_POINTS = "{} BETWEEN 0 AND 100"


def _c(template: str, name: str) -> str:
    return template.format(name)


def _money(frame, name, *, nn=False, signed=False):
    return _m(frame, name, "REAL", "float", not_null=nn, check="" if signed else _c(_NONNEG, name))


_CUSTOMERS = Table(
    "customers",
    "One row per customer (observable facts only)",
    "客户表（每位客户一行，仅可观察信息）",
    (
        _m("customers", "customer_id", "INTEGER", "int", check="customer_id >= 0"),
        _m("customers", "segment", "TEXT", "category", levels=SEGMENTS, not_null=True),
        _m("customers", "channel", "TEXT", "category", levels=CHANNEL_CODES, not_null=True),
        _m(
            "customers",
            "referred_by",
            "INTEGER",
            "int",
            ref="customers(customer_id)",
            null=-1,
            en="Customer who referred this one (empty = none)",
            zh="推荐人客户编号（空表示无）",
            check="referred_by <> customer_id",
        ),
        _m("customers", "contact_day", "REAL", "float", check=_c(_NONNEG, "contact_day")),
        _on("contact_day", "Date of first contact (ISO)", "首次接触日期"),
        _m("customers", "acquired_day", "REAL", "float", check="acquired_day >= contact_day"),
        _on("acquired_day", "Date of the first order (ISO)", "首单日期"),
        _money("customers", "acquisition_cost_cny"),
        _m("customers", "n_orders", "INTEGER", "int", not_null=True, check=_c(_NONNEG, "n_orders")),
        _money("customers", "revenue_cny", nn=True),
        _m("customers", "last_order_day", "REAL", "float", check="last_order_day >= acquired_day"),
        _on("last_order_day", "Date of the last non-contract order (ISO)", "最近一次非合约订单日期"),
        _m("customers", "satisfaction_initial", "REAL", "float", check=_c(_POINTS, "satisfaction_initial")),
        _m("customers", "satisfaction_final", "REAL", "float", check=_c(_POINTS, "satisfaction_final")),
        _m("customers", "stage_at_end", "TEXT", "category", levels=STAGES, not_null=True),
    ),
    pk=("customer_id",),
    checks=("(n_orders = 0) = (last_order_day IS NULL)",),
    indexes=(("segment",), ("stage_at_end",), ("last_order_day",)),
)

_TRUTH = Table(
    "customer_truth",
    "Hidden truth of the simulation, one row per customer (instructors only)",
    "模拟的隐藏真值（每位客户一行，仅供教师）",
    (
        _m("customers", "customer_id", "INTEGER", "int", ref="customers(customer_id)"),
        _m("customers", "alive_at_end", "INTEGER", "bool", not_null=True),
        _m("customers", "dropped_day", "REAL", "float", check=_c(_NONNEG, "dropped_day")),
        _m("customers", "churn_reason", "TEXT", "category", levels=CHURN_REASONS),
        _m("customers", "purchase_rate_per_year", "REAL", "float", check=_c(_NONNEG, "purchase_rate_per_year")),
        _m("customers", "dropout_prob", "REAL", "float", check=_c(_PROB, "dropout_prob")),
        _m("customers", "mean_spend_cny", "REAL", "float", check=_c(_NONNEG, "mean_spend_cny")),
        _m("customers", "plan_lapse_prob", "REAL", "float", check=_c(_PROB, "plan_lapse_prob")),
    ),
    pk=("customer_id",),
    group="truth",
)

_CONTACTS = Table(
    "customer_contacts",
    "Contact details of each customer (personal data)",
    "客户联系信息（个人信息）",
    (
        _m("contacts", "customer_id", "INTEGER", "int", ref="customers(customer_id)"),
        _m("contacts", "name_zh", "TEXT", "str", not_null=True, check="length(trim(name_zh)) > 0"),
        _m("contacts", "name_pinyin", "TEXT", "str"),
        _m("contacts", "gender", "TEXT", "category", levels=GENDERS),
        _m("contacts", "birth_year", "INTEGER", "int", check="birth_year BETWEEN 1900 AND 2100"),
        _m(
            "contacts",
            "mobile",
            "TEXT",
            "str",
            unique=True,
            check="length(mobile) = 11 AND mobile GLOB '1[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'",
        ),
        _m(
            "contacts",
            "email",
            "TEXT",
            "str",
            unique=True,
            check="email LIKE '_%@_%._%' AND email = lower(email) AND instr(email, ' ') = 0",
        ),
        _m("contacts", "city", "TEXT", "str"),
        _m("contacts", "district", "TEXT", "str"),
        _m("contacts", "address", "TEXT", "str"),
        _m(
            "contacts",
            "company",
            "TEXT",
            "str",
            null="",
            en="Company name for a small business (empty for a household)",
        ),
    ),
    pk=("customer_id",),
    indexes=(("city", "district"), ("name_zh",)),
)

_ORDERS = Table(
    "orders",
    "Order headers: who ordered when, and how the order was fulfilled",
    "订单表头：谁何时下单、履约情况",
    (
        _m("orders", "order_id", "INTEGER", "int", check="order_id >= 0"),
        _m("orders", "customer_id", "INTEGER", "int", not_null=True, ref="customers(customer_id)"),
        _m("orders", "time_days", "REAL", "float", not_null=True, check=_c(_NONNEG, "time_days")),
        _m("orders", "date", "TEXT", "datetime", not_null=True),
        _m("orders", "contract", "INTEGER", "bool", not_null=True),
        _money("orders", "delivery_cost_cny"),
        _money("orders", "installation_cost_cny"),
        _money("orders", "repair_cost_cny"),
        _m("orders", "late_delivery", "INTEGER", "bool"),
        _m("orders", "installation_problem", "INTEGER", "bool"),
        _m("orders", "product_failure", "INTEGER", "bool"),
    ),
    pk=("order_id",),
    indexes=(("customer_id", "time_days"), ("date",)),
)

_LINES = Table(
    "order_lines",
    "Order lines: what was bought and for how much (one line per order in the simulation)",
    "订单明细：买了什么、多少钱（模拟中每单一行）",
    (
        Col("order_id", "INTEGER", "int", "Order", "订单编号", ref="orders(order_id)"),
        Col(
            "line_no",
            "INTEGER",
            "int",
            "Line number within the order",
            "订单内行号",
            check="line_no >= 1",
            derive=("one",),
        ),
        _m("orders", "category", "TEXT", "category", levels=CATEGORIES, not_null=True),
        _money("orders", "amount_cny", nn=True),
        _money("orders", "discount_cny"),
        _money("orders", "margin_cny", signed=True),
    ),
    pk=("order_id", "line_no"),
    indexes=(("category",),),
)

_PLANS = Table(
    "service_plans",
    "Yearly service plans (the contractual relationship)",
    "年度延保服务合同（合约关系）",
    (
        _m("plans", "plan_id", "INTEGER", "int", check="plan_id >= 0"),
        _m("plans", "customer_id", "INTEGER", "int", not_null=True, ref="customers(customer_id)"),
        _m("plans", "start_day", "REAL", "float", not_null=True, check=_c(_NONNEG, "start_day")),
        _on("start_day", "Date the plan was sold (ISO)", "购买日期"),
        _m("plans", "renewals", "INTEGER", "int", not_null=True, check=_c(_NONNEG, "renewals")),
        _m("plans", "lapsed_day", "REAL", "float", check="lapsed_day >= start_day"),
        _on("lapsed_day", "Date the plan lapsed (ISO; empty if active)", "失效日期（仍有效则为空）"),
        _m("plans", "active_at_end", "INTEGER", "bool", not_null=True),
    ),
    pk=("plan_id",),
    checks=("active_at_end = (lapsed_day IS NULL)",),
    indexes=(("customer_id",),),
)

_LIFECYCLE = Table(
    "lifecycle_transitions",
    "Lifecycle stage changes: contact → development → maintenance → decline → termination",
    "生命周期阶段变化：接触→发展→维护→衰退→终止",
    (
        Col(
            "transition_id",
            "INTEGER",
            "int",
            "Transition number (in time order)",
            "阶段变化编号（按时间）",
            derive=("rownum",),
        ),
        _m("lifecycle", "customer_id", "INTEGER", "int", not_null=True, ref="customers(customer_id)"),
        _m("lifecycle", "time_days", "REAL", "float", not_null=True, check=_c(_NONNEG, "time_days")),
        _m("lifecycle", "date", "TEXT", "datetime", not_null=True),
        _m("lifecycle", "from_stage", "TEXT", "category", levels=("none",) + STAGES, not_null=True),
        _m("lifecycle", "to_stage", "TEXT", "category", levels=STAGES, not_null=True),
    ),
    pk=("transition_id",),
    checks=("from_stage <> to_stage",),
    indexes=(("customer_id", "time_days"),),
)

_PLAN_EVENTS = ("plan_start", "plan_renewal", "plan_lapse")
_INTERACTIONS = Table(
    "interactions",
    "Touchpoints: every contact, order, service event and referral, in time order",
    "客户接触点：每次接触、订单、服务事件和推荐（按时间）",
    (
        Col(
            "interaction_id",
            "INTEGER",
            "int",
            "Interaction number (in time order)",
            "接触编号（按时间）",
            derive=("rownum",),
        ),
        _m("events", "time_days", "REAL", "float", not_null=True, check=_c(_NONNEG, "time_days")),
        _m("events", "date", "TEXT", "datetime", not_null=True),
        _m("events", "event_type", "TEXT", "category", levels=EVENT_TYPES, not_null=True),
        _m(
            "events",
            "customer_id",
            "INTEGER",
            "int",
            ref="customers(customer_id)",
            null=-1,
            en="Customer (empty for a prospect who never became one)",
            zh="客户编号（未转化的潜在客户为空）",
        ),
        Col(
            "order_id",
            "INTEGER",
            "int",
            "Order concerned (empty if none)",
            "相关订单编号（无则为空）",
            ref="orders(order_id)",
            null=-1,
            derive=("split", "order_id", "order"),
        ),
        Col(
            "plan_id",
            "INTEGER",
            "int",
            "Service plan concerned (plan events)",
            "相关年度延保服务合同编号（年度延保服务合同事件）",
            ref="service_plans(plan_id)",
            null=-1,
            derive=("split", "order_id", "plan"),
        ),
        _m("events", "detail_code", "INTEGER", "int", not_null=True),
        _money("events", "amount_cny", signed=True),
        _money("events", "discount_cny", signed=True),
        _money("events", "cost_cny", signed=True),
        _m("events", "satisfaction", "REAL", "float", check=_c(_POINTS, "satisfaction")),
    ),
    pk=("interaction_id",),
    checks=("order_id IS NULL OR plan_id IS NULL",),
    indexes=(("customer_id", "time_days"), ("event_type",)),
)

_DECISIONS = Table(
    "decisions",
    "Levers the firm's managers changed during the run",
    "运行期间管理者调整的决策变量",
    (
        Col(
            "decision_id", "INTEGER", "int", "Decision number (in time order)", "决策编号（按时间）", derive=("rownum",)
        ),
        _m("decisions", "time_days", "REAL", "float", not_null=True, check=_c(_NONNEG, "time_days")),
        _m("decisions", "lever", "TEXT", "str", not_null=True),
        _m("decisions", "old_value", "TEXT", "str"),
        _m("decisions", "new_value", "TEXT", "str"),
    ),
    pk=("decision_id",),
)

_COMPLAINTS = Table(
    "complaints",
    "Complaints about failed orders and how the desk handled them (module 4)",
    "对失败订单的投诉及其处理情况（模块4）",
    (
        _m(
            "complaints",
            "complaint_id",
            "INTEGER",
            "int",
            check="complaint_id >= 0",
            en="Complaint number",
            zh="投诉编号",
        ),
        _m(
            "complaints",
            "customer_id",
            "INTEGER",
            "int",
            not_null=True,
            ref="customers(customer_id)",
            en="Customer who complained (or stayed silent)",
            zh="投诉（或沉默）的客户编号",
        ),
        _m(
            "complaints",
            "order_id",
            "INTEGER",
            "int",
            ref="orders(order_id)",
            null=-1,
            en="Order the complaint is about (empty if none)",
            zh="被投诉订单编号（无则为空）",
        ),
        _m(
            "complaints",
            "arrival_day",
            "REAL",
            "float",
            not_null=True,
            check=_c(_NONNEG, "arrival_day"),
            en="Time the complaint arrived (or the failure, if silent), days since the first day",
            zh="投诉到达时间（沉默则为故障时间），距起始日天数",
        ),
        _m("complaints", "voiced", "INTEGER", "bool"),
    ),
    pk=("complaint_id",),
    indexes=(("customer_id", "arrival_day"),),
)

_CENTRE_CONTACTS = Table(
    "centre_contacts",
    "Every contact the contact centre answered or lost: complaints, questions, bookings (module 4)",
    "呼叫中心的全部联络：投诉、咨询、预约等（模块4）",
    (
        _m("centre_contacts", "contact_id", "INTEGER", "int", check="contact_id >= 0"),
        _m("centre_contacts", "contact_type", "TEXT", "str", not_null=True),
        _m(
            "centre_contacts",
            "customer_id",
            "INTEGER",
            "int",
            ref="customers(customer_id)",
            null=-1,
            en="Customer (empty for a prospect who never bought)",
            zh="客户编号（未成交潜在客户为空）",
        ),
        _m(
            "centre_contacts",
            "order_id",
            "INTEGER",
            "int",
            ref="orders(order_id)",
            null=-1,
            en="Order the contact is about (empty if none)",
            zh="相关订单编号（无则为空）",
        ),
        _m(
            "centre_contacts",
            "arrival_day",
            "REAL",
            "float",
            not_null=True,
            check=_c(_NONNEG, "arrival_day"),
            en="Time the contact reached the centre, days since the first day",
            zh="到达呼叫中心时间，距起始日天数",
        ),
    ),
    pk=("contact_id",),
    indexes=(("customer_id", "arrival_day"),),
)

_LEDGER = Table(
    "loyalty_ledger",
    "Loyalty club ledger: every points movement and tier change of every member (module 4)",
    "客户忠诚度计划流水：每位会员的每笔积分变动和等级变化（模块4）",
    (
        Col(
            "entry_id",
            "INTEGER",
            "int",
            "Ledger entry number (in time order)",
            "流水编号（按时间）",
            derive=("rownum",),
        ),
        _m(
            "loyalty_ledger",
            "time_days",
            "REAL",
            "float",
            not_null=True,
            check=_c(_NONNEG, "time_days"),
            en="Time of the entry, days since the first day",
            zh="记账时间（距起始日天数）",
        ),
        _m(
            "loyalty_ledger",
            "customer_id",
            "INTEGER",
            "int",
            not_null=True,
            ref="customers(customer_id)",
            en="Member",
            zh="会员客户编号",
        ),
        _m(
            "loyalty_ledger",
            "order_id",
            "INTEGER",
            "int",
            ref="orders(order_id)",
            null=-1,
            en="Order that earned or used the points (empty if none)",
            zh="产生或使用积分的订单（无则为空）",
        ),
    ),
    pk=("entry_id",),
    indexes=(("customer_id", "time_days"),),
)

_ACCOUNTS = Table(
    "loyalty_accounts",
    "Loyalty club accounts, one row per member (summed from the ledger)",
    "会员账户（每位会员一行，由积分流水汇总）",
    (
        Col("customer_id", "INTEGER", "int", "Member", "会员客户编号", ref="customers(customer_id)"),
        Col(
            "joined_day",
            "REAL",
            "float",
            "Day of the member's first ledger entry",
            "首笔积分流水日",
            not_null=True,
            check=_c(_NONNEG, "joined_day"),
        ),
        Col("joined_on", "TEXT", "date", "Date the member joined (ISO)", "入会日期", derive=("date", "joined_day")),
        Col(
            "tier",
            "TEXT",
            "str",
            "Tier after the latest entry (empty if the club has no tiers)",
            "最新会员等级（无等级则为空）",
        ),
        Col("points_balance", "REAL", "float", "Points balance after the latest entry", "最新积分余额"),
        Col(
            "entries",
            "INTEGER",
            "int",
            "Ledger entries of the member",
            "积分流水笔数",
            not_null=True,
            check="entries >= 1",
        ),
    ),
    pk=("customer_id",),
    indexes=(("tier",),),
)

_RECORDS = Table(
    "customer_records",
    "Imported CRM records and the customer each was matched to (deduplication)",
    "导入的客户记录及其归并到的客户（去重）",
    (
        Col(
            "record_id",
            "TEXT",
            "str",
            "Record number in the source CRM",
            "源系统客户记录编号",
            check="length(record_id) > 0",
        ),
        Col(
            "customer_id",
            "INTEGER",
            "int",
            "Customer the record belongs to",
            "记录所属客户编号",
            not_null=True,
            ref="customers(customer_id)",
        ),
        Col(
            "source_row",
            "INTEGER",
            "int",
            "Data row in customers_raw (1 = first line after the header)",
            "customers_raw 中的数据行号",
            not_null=True,
            unique=True,
            check="source_row >= 1",
        ),
        Col(
            "match_rule",
            "TEXT",
            "category",
            "Rule that matched the record to an earlier one (first = none)",
            "与更早记录匹配所依据的规则（first 表示首条）",
            levels=MATCH_RULES,
            not_null=True,
        ),
        Col(
            "matched_record",
            "TEXT",
            "str",
            "Earlier record it was matched to (empty for the first)",
            "匹配到的更早记录编号（首条为空）",
            ref="customer_records(record_id)",
        ),
    ),
    pk=("record_id",),
    checks=("(match_rule = 'first') = (matched_record IS NULL)",),
    indexes=(("customer_id",),),
    group="import",
)

_REJECTS = Table(
    "rejects",
    "Rows the import could not accept, with the reason (nothing is dropped silently)",
    "导入时无法接受的行及原因（不静默丢弃任何数据）",
    (
        Col("reject_id", "INTEGER", "int", "Reject number", "拒收编号", derive=("rownum",)),
        Col(
            "source_table",
            "TEXT",
            "category",
            "Raw table of the row",
            "所在原始表",
            levels=("customers_raw", "orders_raw"),
            not_null=True,
        ),
        Col(
            "source_row",
            "INTEGER",
            "int",
            "Data row in that table (1 = first line after the header)",
            "数据行号",
            not_null=True,
            check="source_row >= 1",
        ),
        Col(
            "source_key", "TEXT", "str", "record_id or order_no of the row, as given", "该行的记录编号或订单号（原样）"
        ),
        Col("reason", "TEXT", "str", "Why the row was not accepted (the rule)", "拒收原因（规则）", not_null=True),
        Col("detail", "TEXT", "str", "The reason with the row's specifics", "具体说明", not_null=True),
        Col(
            "raw",
            "TEXT",
            "str",
            "The whole row as JSON text, exactly as given",
            "整行原始内容（JSON 文本）",
            not_null=True,
            check="json_valid(raw)",
        ),
    ),
    pk=("reject_id",),
    unique=(("source_table", "source_row"),),
    group="import",
)

_ISSUES = Table(
    "import_issues",
    "Cells the import could not use and left empty (the row itself was loaded)",
    "导入时无法使用而置空的单元格（该行已导入）",
    (
        Col("issue_id", "INTEGER", "int", "Issue number", "问题编号", derive=("rownum",)),
        Col(
            "source_table",
            "TEXT",
            "category",
            "Raw table of the cell",
            "所在原始表",
            levels=("customers_raw", "orders_raw"),
            not_null=True,
        ),
        Col(
            "source_row", "INTEGER", "int", "Data row in that table", "数据行号", not_null=True, check="source_row >= 1"
        ),
        Col("source_key", "TEXT", "str", "record_id or order_no of the row", "该行的记录编号或订单号"),
        Col("column_name", "TEXT", "str", "Column of the cell", "所在列", not_null=True),
        Col("raw_value", "TEXT", "str", "The cell as given", "原始值", not_null=True),
        Col("reason", "TEXT", "str", "Why it could not be used", "原因", not_null=True),
    ),
    pk=("issue_id",),
    group="import",
)

_META = Table(
    "crm_meta",
    "What this database is: kind, source, scenario, seed, clock",
    "数据库说明：类型、来源、情景、种子、时钟",
    (
        Col("key", "TEXT", "str", "Name of the fact", "项目名"),
        Col("value", "TEXT", "str", "Its value (text)", "取值（文本）", not_null=True),
    ),
    pk=("key",),
    group="meta",
)

_FRAMES = Table(
    "crm_frames",
    "How to read each table back into pandas with its exact column types",
    "如何按原列类型把各表读回 pandas",
    (
        Col("frame", "TEXT", "str", "Table name in pandas", "pandas 中的表名"),
        Col("position", "INTEGER", "int", "Column position in the DataFrame", "列位置", check="position >= 0"),
        Col("column_name", "TEXT", "str", "Column name in the DataFrame", "列名", not_null=True),
        Col("dtype", "TEXT", "str", "pandas dtype", "pandas 数据类型", not_null=True),
        Col(
            "categories",
            "TEXT",
            "str",
            "Category labels in order (JSON), for a category column",
            "分类标签及其顺序（JSON）",
            check="categories IS NULL OR json_valid(categories)",
        ),
        Col("db_table", "TEXT", "str", "Database table holding the column", "所在数据库表", not_null=True),
        Col("db_column", "TEXT", "str", "Database column holding the column", "所在数据库列", not_null=True),
    ),
    pk=("frame", "position"),
    group="meta",
)

#: Every table, parents before children (the order tables are created and filled in).
TABLES: tuple[Table, ...] = (
    _CUSTOMERS,
    _TRUTH,
    _CONTACTS,
    _ORDERS,
    _LINES,
    _PLANS,
    _LIFECYCLE,
    _INTERACTIONS,
    _DECISIONS,
    _COMPLAINTS,
    _CENTRE_CONTACTS,
    _LEDGER,
    _ACCOUNTS,
    _RECORDS,
    _REJECTS,
    _ISSUES,
    _META,
    _FRAMES,
)
TABLE_NAMES = tuple(t.name for t in TABLES)
PLAN_EVENTS = _PLAN_EVENTS


def table(name: str) -> Table:
    """The :class:`Table` called ``name``."""
    for t in TABLES:
        if t.name == name:
            return t
    raise KeyError(f"the database has no table {name!r} (tables: {', '.join(TABLE_NAMES)})")


def create_statements(extra: dict[str, list[Col]] | None = None) -> list[str]:
    """``CREATE TABLE`` statements of every table, with ``extra`` columns appended per table.

    Extra columns are columns of the model's tables that the schema does not know yet (a
    column added to the model later); they are stored with their type and enumeration.
    """
    extra = extra or {}
    out = []
    for t in TABLES:
        cols = list(t.cols) + list(extra.get(t.name, []))
        lines = [c.ddl(t.pk) for c in cols]
        lines.append(f"PRIMARY KEY ({', '.join(t.pk)})")
        lines += [f"UNIQUE ({', '.join(u)})" for u in t.unique]
        lines += [f"CHECK ({chk})" for chk in t.checks]
        body = ",\n    ".join(lines)
        rowid = t.pk == (t.cols[0].name,) and t.cols[0].sql == "INTEGER"  # the key is the rowid
        out.append(f"CREATE TABLE {t.name} (\n    {body}\n){'' if rowid else ' WITHOUT ROWID'}")
    return out


def index_statements() -> list[str]:
    """``CREATE INDEX`` statements for the common questions (created after loading)."""
    return [
        f"CREATE INDEX ix_{t.name}_{'_'.join(cols)} ON {t.name} ({', '.join(cols)})"
        for t in TABLES
        for cols in t.indexes
    ]
