"""Views of the customer database: the customer-360 view, the RFM input, masked contacts.

A view is a stored query: it holds no data of its own and always shows the current tables.
Views that need the analysis date read it from ``crm_meta`` (key ``as_of_day``), so the same
SQL works on every database the workbench writes.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["View", "VIEWS", "view_statements"]

_AS_OF = "(SELECT CAST(value AS REAL) FROM crm_meta WHERE key = 'as_of_day')"


@dataclass(frozen=True)
class View:
    """A named view with its SQL and a bilingual description."""

    name: str
    en: str
    zh: str
    sql: str

    def ddl(self) -> str:
        return f"CREATE VIEW {self.name} AS\n{self.sql.strip()}"


VIEWS: tuple[View, ...] = (
    View(
        "v_orders",
        "Orders with their line, category and the customer's segment (one row per order line)",
        "订单及其明细、品类和客户类型（每个订单行一行）",
        """
SELECT o.order_id, o.customer_id, c.segment, o.time_days, o.date, l.line_no, l.category, o.contract,
       l.amount_cny, l.discount_cny, l.margin_cny,
       o.delivery_cost_cny, o.installation_cost_cny, o.repair_cost_cny,
       o.late_delivery, o.installation_problem, o.product_failure
FROM orders AS o
JOIN order_lines AS l ON l.order_id = o.order_id
JOIN customers AS c ON c.customer_id = o.customer_id
""",
    ),
    View(
        "v_rfm_input",
        "Recency, frequency and monetary value per customer as of the analysis date (all orders)",
        "截至分析日每位客户的最近购买、频次与金额（含全部订单）",
        f"""
SELECT o.customer_id,
       {_AS_OF} - MAX(o.time_days) AS recency_days,
       COUNT(DISTINCT o.order_id) AS frequency,
       SUM(l.amount_cny) AS monetary_cny,
       MIN(o.time_days) AS first_order_day,
       MAX(o.time_days) AS last_order_day
FROM orders AS o
JOIN order_lines AS l ON l.order_id = o.order_id
WHERE o.time_days <= {_AS_OF}
GROUP BY o.customer_id
""",
    ),
    View(
        "v_customer_360",
        "Everything the firm knows about a customer on one row (the customer-360 view)",
        "客户 360 度视图：一行看全客户信息",
        f"""
SELECT c.customer_id, k.name_zh, k.name_pinyin, k.gender, k.birth_year, k.mobile, k.email,
       k.city, k.district, k.company,
       c.segment, c.channel, c.stage_at_end AS stage,
       c.contact_on, c.acquired_on, c.last_order_on,
       {_AS_OF} - c.last_order_day AS days_since_last_order,
       c.n_orders, c.revenue_cny,
       COALESCE(o.margin_cny, 0.0) AS margin_cny,
       COALESCE(o.service_problems, 0) AS service_problems,
       COALESCE(p.plans, 0) AS service_plans,
       COALESCE(p.active_plans, 0) AS active_plans,
       COALESCE(q.complaints, 0) AS complaints,            -- voiced ones: the firm hears of no others
       a.tier AS loyalty_tier, a.points_balance AS loyalty_points,
       COALESCE(i.interactions, 0) AS interactions,
       c.satisfaction_final AS satisfaction
FROM customers AS c
LEFT JOIN customer_contacts AS k ON k.customer_id = c.customer_id
LEFT JOIN (SELECT o.customer_id, SUM(l.margin_cny) AS margin_cny,
                  SUM(COALESCE(o.late_delivery, 0) + COALESCE(o.installation_problem, 0)
                      + COALESCE(o.product_failure, 0)) AS service_problems
           FROM orders AS o JOIN order_lines AS l ON l.order_id = o.order_id
           GROUP BY o.customer_id) AS o ON o.customer_id = c.customer_id
LEFT JOIN (SELECT customer_id, COUNT(*) AS plans, SUM(active_at_end) AS active_plans
           FROM service_plans GROUP BY customer_id) AS p ON p.customer_id = c.customer_id
LEFT JOIN (SELECT customer_id, COUNT(*) AS complaints FROM complaints
           WHERE voiced IS NOT 0 GROUP BY customer_id) AS q
       ON q.customer_id = c.customer_id
LEFT JOIN loyalty_accounts AS a ON a.customer_id = c.customer_id
LEFT JOIN (SELECT customer_id, COUNT(*) AS interactions FROM interactions
           WHERE customer_id IS NOT NULL GROUP BY customer_id) AS i ON i.customer_id = c.customer_id
""",
    ),
    View(
        "v_contacts_masked",
        "Contact details with personal data masked (for staff who need no more)",
        "个人信息脱敏后的联系信息（供无需完整信息的员工使用）",
        """
SELECT customer_id,
       substr(name_zh, 1, 1) || substr('********', 1, max(length(name_zh) - 1, 0)) AS name_zh,
       CASE WHEN name_pinyin IS NULL THEN NULL
            ELSE substr(name_pinyin, 1, instr(name_pinyin || ' ', ' ') - 1) || ' *' END AS name_pinyin,
       gender,
       (birth_year / 10) * 10 AS birth_decade,
       CASE WHEN mobile IS NULL THEN NULL ELSE substr(mobile, 1, 3) || '****' || substr(mobile, 8, 4) END AS mobile,
       CASE WHEN email IS NULL THEN NULL
            ELSE substr(email, 1, 1) || '***' || substr(email, instr(email, '@')) END AS email,
       city, district,
       CASE WHEN address IS NULL THEN NULL ELSE '***' END AS address,
       company
FROM customer_contacts
""",
    ),
)


def view_statements() -> list[str]:
    """``CREATE VIEW`` statements of every view."""
    return [v.ddl() for v in VIEWS]
