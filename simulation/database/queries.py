"""The module-3 questions as named SQL queries, run with ``pandas.read_sql``.

Each query is plain SQL that a student can read, copy and change (:func:`query_sql`), and each
has a pandas counterpart in the workbench's analytics; the tests check that both give the
same figures. Parameters are named (``:days``); a default written ``meta:<key>`` is read from
the database's ``crm_meta`` table (for example the dormancy threshold of the scenario).

>>> query_sql("rfm_segments").split()[:2]
['WITH', 'scored']

On a database written by :func:`simulation.database.export_result` (the bank case: accounts
without a trade for three years — the first of the securities rule's three conditions; the
balance conditions are applied by :func:`simulation.analytics.dormancy.dormant_accounts`)::

    run_query("firm.sqlite", "dormant_accounts", days=3 * 365)
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from ..common.checks import did_you_mean
from .export import database_meta, open_database
from .frames import DatabaseError

__all__ = ["Query", "QUERIES", "list_queries", "query_sql", "run_query", "rfm_segment_sql"]


@dataclass(frozen=True)
class Query:
    """A named question: its SQL, bilingual description, parameters and the columns it needs.

    ``sql`` is the text, or a function making it (so that building it from the analytics'
    rules does not import the analytics before the query is used).
    """

    name: str
    en: str
    zh: str
    sql: str | Callable[[], str]
    params: dict = field(default_factory=dict)
    needs: tuple[str, ...] = ()

    def text(self) -> str:
        """The SQL text."""
        return (self.sql() if callable(self.sql) else self.sql).strip()


def rfm_segment_sql(rules: dict | None = None, *, bins: int = 5, default: str = "others") -> str:
    """SQL scoring R, F, M 1..``bins`` and naming segments with the same ordered rules as
    :func:`simulation.analytics.rfm_segments` (first matching rule wins).

    Score = 1 + floor(bins x share of customers with a strictly worse value); ``RANK()`` gives
    1 + the number of customers ranked strictly before, so ties share a score.
    """
    if rules is None:
        from ..analytics.rfm import DEFAULT_SEGMENT_RULES as rules
    cases = []
    for name, rule in rules.items():
        cond = " AND ".join(f"{k} BETWEEN {lo} AND {hi}" for k, (lo, hi) in rule.items()) or "1"
        cases.append(f"        WHEN {cond} THEN '{name}'")
    score = (
        "MIN({b}, 1 + CAST({b}.0 * (RANK() OVER (ORDER BY {expr}) - 1) / (SELECT COUNT(*) FROM v_rfm_input) "
        "AS INTEGER))"
    )
    return f"""WITH scored AS (
    SELECT customer_id, recency_days, frequency, monetary_cny,
           {score.format(b=bins, expr="recency_days DESC")} AS R,
           {score.format(b=bins, expr="frequency")} AS F,
           {score.format(b=bins, expr="monetary_cny")} AS M
    FROM v_rfm_input
)
SELECT customer_id, recency_days, frequency, monetary_cny, R, F, M,
       CASE
{chr(10).join(cases)}
        ELSE '{default}'
       END AS segment
FROM scored
ORDER BY customer_id"""


QUERIES: dict[str, Query] = {
    q.name: q
    for q in [
        Query(
            "customers_by_segment",
            "Customers, orders and revenue per segment (acquired customers)",
            "各客户类型的客户数、订单数和收入（已获客户）",
            """
SELECT segment, COUNT(*) AS customers, SUM(n_orders) AS orders, SUM(revenue_cny) AS revenue_cny,
       AVG(revenue_cny) AS revenue_per_customer_cny
FROM customers
WHERE acquired_day IS NOT NULL
GROUP BY segment
ORDER BY segment""",
        ),
        Query(
            "customers_by_stage",
            "Customers per lifecycle stage at the analysis date",
            "各生命周期阶段的客户数",
            """
SELECT stage_at_end AS stage, COUNT(*) AS customers
FROM customers
GROUP BY stage_at_end
ORDER BY CASE stage_at_end WHEN 'contact' THEN 1 WHEN 'development' THEN 2 WHEN 'maintenance' THEN 3
                           WHEN 'decline' THEN 4 ELSE 5 END""",
        ),
        Query(
            "rfm_segments",
            "RFM scores and segment of every customer with an order (window functions)",
            "每位有订单客户的 RFM 得分与细分（窗口函数）",
            lambda: rfm_segment_sql(),
        ),
        Query(
            "rfm_segment_sizes",
            "Customers and value per RFM segment",
            "各 RFM 细分的客户数与价值",
            lambda: (
                f"""
WITH seg AS (
{rfm_segment_sql()}
)
SELECT segment, COUNT(*) AS customers, SUM(monetary_cny) AS value_cny
FROM seg
GROUP BY segment
ORDER BY value_cny DESC"""
            ),
        ),
        Query(
            "dormant_accounts",
            "Dormant-account candidates: acquired customers with no order for more than :days days "
            "(only the no-trade condition of the securities rule; the database holds no balances)",
            "休眠账户候选：超过 :days 天没有下单（交易）的已获客户（只检查证券休眠规则中“长期无交易”这一条；"
            "数据库中没有余额数据）",
            """
SELECT c.customer_id, c.segment, c.last_order_on,
       (SELECT CAST(value AS REAL) FROM crm_meta WHERE key = 'as_of_day') - c.last_order_day AS days_since_last_order,
       c.n_orders, c.revenue_cny
FROM customers AS c
WHERE c.last_order_day IS NOT NULL
  AND (SELECT CAST(value AS REAL) FROM crm_meta WHERE key = 'as_of_day') - c.last_order_day > :days
ORDER BY days_since_last_order DESC, c.customer_id""",
            {"days": "meta:dormant_after_days"},
        ),
        Query(
            "complaints_per_tier",
            "Voiced complaints per loyalty tier at the time of the complaint",
            "按投诉时会员等级统计的投诉数",
            """
SELECT COALESCE(loyalty_tier, 'none') AS tier, COUNT(*) AS complaints,
       COUNT(DISTINCT customer_id) AS customers_complaining
FROM complaints
WHERE voiced = 1
GROUP BY COALESCE(loyalty_tier, 'none')
ORDER BY tier""",
            needs=("complaints.voiced", "complaints.loyalty_tier"),
        ),
        Query(
            "customer_360",
            "Everything about one customer (the customer-360 view)",
            "单个客户的 360 度视图",
            """
SELECT * FROM v_customer_360 WHERE customer_id = :customer_id""",
            {"customer_id": 0},
        ),
        Query(
            "top_customers_share",
            "Revenue share of the top :share of acquired customers (the 80/20 rule)",
            "收入最高的前 :share 客户的收入占比（80/20 法则）",
            """
WITH ranked AS (
    SELECT revenue_cny, ROW_NUMBER() OVER (ORDER BY revenue_cny DESC) AS k, COUNT(*) OVER () AS n
    FROM customers
    WHERE acquired_day IS NOT NULL
)
SELECT SUM(CASE WHEN k <= MAX(1, CAST(ROUND(:share * n) AS INTEGER)) THEN revenue_cny ELSE 0 END)
       / SUM(revenue_cny) AS revenue_share
FROM ranked""",
            {"share": 0.2},
        ),
        Query(
            "monthly_revenue",
            "Orders and revenue per calendar month",
            "每月订单数与收入",
            """
SELECT substr(date, 1, 7) AS month, COUNT(*) AS orders, SUM(amount_cny) AS revenue_cny
FROM v_orders
GROUP BY substr(date, 1, 7)
ORDER BY month""",
        ),
        Query(
            "duplicate_customers",
            "Customers whose records were merged by the import, with the rules used",
            "导入时合并了多条记录的客户及匹配规则",
            """
SELECT customer_id, COUNT(*) AS records, GROUP_CONCAT(record_id, ' ') AS record_ids,
       GROUP_CONCAT(match_rule, ' ') AS rules
FROM (SELECT * FROM customer_records ORDER BY source_row)
GROUP BY customer_id
HAVING COUNT(*) > 1
ORDER BY customer_id""",
        ),
        Query(
            "rejects_by_reason",
            "Rows the import quarantined, per raw table and reason",
            "导入拒收的行（按原始表和原因）",
            """
SELECT source_table, reason, COUNT(*) AS rows
FROM rejects
GROUP BY source_table, reason
ORDER BY rows DESC, source_table, reason""",
        ),
    ]
}


def list_queries() -> pd.DataFrame:
    """The named queries: ``name``, ``question`` (English), ``问题`` (Chinese), ``params``."""
    return pd.DataFrame(
        [(q.name, q.en, q.zh, ", ".join(f"{k}={v}" for k, v in q.params.items())) for q in QUERIES.values()],
        columns=["name", "question", "问题", "params"],
    )


def _query(name: str) -> Query:
    if name not in QUERIES:
        tip = did_you_mean(name, list(QUERIES))
        raise DatabaseError(f"unknown query {name!r}{tip} (queries: {', '.join(QUERIES)})")
    return QUERIES[name]


def query_sql(name: str) -> str:
    """The SQL text of a named query."""
    return _query(name).text()


def run_query(db, name: str, **params) -> pd.DataFrame:
    """Run a named query on a database and return the answer as a DataFrame.

    Parameters
    ----------
    db : str, Path or sqlite3.Connection
        A workbench database file (opened read-only and checked) or an open connection.
    name : str
        A query of :data:`QUERIES` (see :func:`list_queries`).
    **params
        Values of the query's parameters (defaults in :data:`QUERIES`).

    Raises
    ------
    DatabaseError
        For an unknown query or parameter, or a database without the columns the query needs.
    """
    q = _query(name)
    unknown = set(params) - set(q.params)
    if unknown:
        raise DatabaseError(
            f"query {name!r} has no parameter {sorted(unknown)[0]!r}"
            + (f" (parameters: {', '.join(q.params)})" if q.params else " (it takes none)")
        )
    conn = db if isinstance(db, sqlite3.Connection) else open_database(db)
    try:
        for need in q.needs:
            t, c = need.split(".")
            if c not in {r[1] for r in conn.execute(f"PRAGMA table_info({t})")}:
                raise DatabaseError(
                    f"query {name!r} needs column {need}, which this database does not have "
                    "(it was made without that part of the firm)"
                )
        values = {}
        meta = None
        for k, default in q.params.items():
            v = params.get(k, default)
            if isinstance(v, str) and v.startswith("meta:"):
                meta = meta if meta is not None else database_meta(conn)
                if v[5:] not in meta:
                    raise DatabaseError(f"query {name!r}: give {k}=...; the database does not record {v[5:]}")
                v = meta[v[5:]]
            values[k] = v
        return pd.read_sql_query(q.text(), conn, params=values)
    finally:
        if conn is not db:
            conn.close()
