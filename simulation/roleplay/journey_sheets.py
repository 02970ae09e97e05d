"""The customer's-eye role-play's printable sheets (for classes without devices, and on the
server): every role's bilingual card, both customers' cards and the observer sheet with the
session's four debrief questions. Every text goes through
:func:`simulation.roleplay.server_pages.esc`; print CSS puts one card on each page.
"""

from __future__ import annotations

from .journey_data import CUSTOMERS, DEPARTMENTS, Game
from .server_pages import esc, page

__all__ = ["DEBRIEF", "PRINT_CSS", "bi", "step_label", "role_card", "customer_card", "role_cards_page", "observer_page"]

PRINT_CSS = """
.card { border: 1px solid #888; padding: 0.6rem 0.9rem; margin: 0.6rem 0; page-break-inside: avoid; }
.sheet td { height: 1.8rem; min-width: 5rem; }
.actions form { display: inline-block; margin: 0.2rem 0.6rem 0.2rem 0; }
.customer { border: 2px solid #2a7f62; padding: 0.5rem 0.8rem; margin: 0.8rem 0; }
@media print { a, .noprint { display: none; } .card { page-break-after: always; } body { max-width: none; } }
"""

#: The session's four questions, with what the group's numbers say about each.
DEBRIEF = (
    ("什么是CRM？", "What is CRM?"),
    ("CRM的核心理念是什么？", "What is the core idea of CRM?"),
    ("CRM有哪些功能？", "What are the functions of CRM?"),
    ("CRM与客户是什么关系？", "How does CRM relate to the customer?"),
)


def bi(zh: str, en: str) -> str:
    return f"{esc(zh)} · <span class='muted'>{esc(en)}</span>"


def step_label(g: Game, i: int) -> str:
    s = g.steps[i]
    return bi(s.zh, s.en)


def role_card(g: Game, role: str) -> str:
    r = g.roles[role]
    return (
        f"<div class='card' id='card-{esc(role)}'><h2>{bi(r.zh, r.en)}</h2>"
        f"<p><b>目标 · Goal</b>: {esc(r.goal_zh)}<br><span class='muted'>{esc(r.goal_en)}</span></p>"
        f"<p><b>你知道什么 · What you know</b>: {esc(r.knows_zh)}<br><span class='muted'>{esc(r.knows_en)}</span></p>"
        f"<p><b>考核指标 · Measured on</b>: {esc(r.measured_zh)}<br>"
        f"<span class='muted'>{esc(r.measured_en)}</span></p></div>"
    )


def customer_card(g: Game, role: str) -> str:
    c = g.customers[role]
    rows = "".join(
        f"<tr><th>{bi(g.facts[k].zh, g.facts[k].en)}</th><td>{esc(v['zh'])}<br><span class='muted'>{esc(v['en'])}"
        "</span></td></tr>"
        for k, v in c.facts.items()
    )
    wants = {
        "express_delivery": ("希望加急送货", "wants an express delivery"),
        "free_installation": ("希望免费安装", "wants free installation"),
        "instalments": ("希望分期付款", "wants to pay in instalments"),
    }.get(c.wants, ("", ""))
    qs = "".join(
        f"<tr><td>{step_label(g, i)}</td><td>{esc(c.questions[s.key].zh)}<br>"
        f"<span class='muted'>{esc(c.questions[s.key].en)}</span></td></tr>"
        for i, s in enumerate(g.steps)
    )
    return (
        f"<div class='card'><h2>{bi(c.product_zh, c.product_en)}</h2>"
        f"<p>标价 list price {c.list_price_cny:,.0f} 元 · 预算 budget {c.budget_cny:,.0f} 元 · "
        f"对手报价 competitor {c.competitor_price_cny:,.0f} 元 · 最晚 deadline {c.deadline_days} 天 days"
        + (f" · {bi(*wants)}" if wants[0] else "")
        + f"</p><table>{rows}</table><h3>每一步要问的问题 · Your question at each step</h3><table>{qs}</table></div>"
    )


def role_cards_page(g: Game) -> str:
    """Every role's card and both customers' cards, one per printed page (for classes without devices)."""
    cards = "".join(role_card(g, r) for r in DEPARTMENTS) + "".join(
        role_card(g, c) + customer_card(g, c) for c in CUSTOMERS
    )
    return page(f"{g.title_zh} · 角色卡 Role cards", f"<style>{PRINT_CSS}</style><h1>{esc(g.title_zh)}</h1>{cards}")


def observer_page(g: Game) -> str:
    """A printable observer sheet: a tally per step and round, and the four debrief questions."""
    cols = (
        "重复提问 repeated questions",
        "转交 hand-overs",
        "承诺 / 违背 promises made / broken",
        "等待 waiting",
        "折扣 discount",
    )
    head = "".join(f"<th>{esc(c)}</th>" for c in cols)
    blank = "<td></td>" * len(cols)
    tables = "".join(
        f"<h2>第{r}轮 · Round {r}</h2><table class='sheet'><tr><th>步骤 · Step</th>{head}</tr>"
        + "".join(f"<tr><th>{step_label(g, i)}</th>{blank}</tr>" for i in range(len(g.steps)))
        + "</table>"
        for r in (1, 2)
    )
    questions = "".join(
        f"<li><b>{esc(zh)}</b> <span class='muted'>{esc(en)}</span><br><br><br></li>" for zh, en in DEBRIEF
    )
    body = (
        f"<style>{PRINT_CSS}</style><h1>观察员记录表 · Observer sheet</h1>"
        "<p>每看到一次就画一笔（正）。Make one tally mark each time you see it.</p>"
        "<p>小组 Group: ________ 观察员 Observer: ________</p>"
        f"{tables}<h2>讨论问题 · Debrief questions</h2><ol>{questions}</ol>"
    )
    return page("观察员记录表 · Observer sheet", body)
