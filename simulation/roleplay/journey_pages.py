"""The customer's-eye role-play's pages as HTML text: a player's page, a group's page (step 1's
shared record against the database, the two rounds, the debrief), the facilitator's console,
with the cards of :mod:`.journey_sheets`.

Bilingual, Chinese first. Every text from the ledger or a request (group names, messages) goes
through :func:`simulation.roleplay.server_pages.esc`. Plain HTML forms: one button per action.
"""

from __future__ import annotations

import json

from .journey_data import CUSTOMERS, DEPARTMENTS, PROMISES, Game, schema_comparison
from .journey_rules import DUE, MAX_DISCOUNT_PCT, Journey, Play
from .journey_sheets import DEBRIEF, bi, customer_card, role_card, step_label
from .server_pages import esc, page, with_code

__all__ = [
    "PROMISE_LABELS",
    "player_page",
    "group_page",
    "journey_console_page",
    "DEBRIEF",
]

# A player's page reloads itself after 12 s without a click or a key press (and never while a
# field has the focus), so a department sees the customer arrive and a customer sees the step
# finish without pressing anything.
_WATCH = """<script>
(function () {
  var last = Date.now();
  ["click", "keydown", "touchstart", "change"].forEach(function (e) {
    document.addEventListener(e, function () { last = Date.now(); }, true);
  });
  setInterval(function () {
    var a = document.activeElement;
    if (Date.now() - last > 12000 && !(a && a.form)) { location.replace(PAGE); }
  }, 3000);
})();
</script>"""

#: What each promise means, in Chinese and English (the rules are in :mod:`.journey_rules`).
PROMISE_LABELS = {
    "express_delivery": (
        "加急送货（2天送到，由送货中心兑现）",
        "express delivery in 2 days (the delivery centre keeps it)",
    ),
    "free_installation": ("免费安装（由维修中心兑现）", "free installation (the repair centre keeps it)"),
    "instalments": ("分期付款（由财务结算部兑现）", "payment in instalments (finance keeps it)"),
}


def _hidden(code: str, **fields) -> str:
    return "".join(
        f"<input type='hidden' name='{esc(k)}' value='{esc(v)}'>" for k, v in {"code": code, **fields}.items()
    )


def _button(action: str, code: str, label: str, extra: str = "", **fields) -> str:
    return (
        f"<form method='post' action='{esc(action)}'>{_hidden(code, **fields)}{extra}"
        f"<button type='submit'>{label}</button></form>"
    )


def _record(p: Play, j: Journey, dept: str) -> str:
    g, c = p.game, p.game.customers[j.customer]
    seen = p.visible(j, dept)
    rows = []
    for k, f in g.facts.items():
        if k == "promises":
            mine = [pr for pr in j.promises if pr["by"] == dept or "promises" in seen]
            value = ", ".join(f"{pr['kind']} ({pr['by']})" for pr in mine) if mine else ""
        else:
            value = f"{c.facts[k]['zh']} · {c.facts[k]['en']}" if k in seen else ""
        shared = " <span class='muted'>(共享 shared)</span>" if k in seen and k not in j.records[dept] else ""
        rows.append(
            f"<tr data-fact='{esc(k)}' data-seen='{int(bool(value))}'><th>{bi(f.zh, f.en)}</th>"
            f"<td>{esc(value) or '—'}{shared}</td></tr>"
        )
    return f"<table class='record'>{''.join(rows)}</table>"


def _serve_forms(p: Play, j: Journey, dept: str, code: str, action: str) -> str:
    g = p.game
    q = g.customers[j.customer].questions[g.steps[j.step].key]
    cust = j.customer
    facts = "".join(f"<option value='{esc(k)}'>{esc(f.zh)} · {esc(f.en)}</option>" for k, f in g.facts.items())
    promises = "".join(
        f"<option value='{esc(k)}'>{esc(PROMISE_LABELS[k][0])} · {esc(PROMISE_LABELS[k][1])}</option>"
        for k in PROMISES
        if j.step < g.step_index(DUE[k])
    )
    others = "".join(
        f"<option value='{esc(d)}'>{esc(g.roles[d].zh)} · {esc(d)}</option>" for d in DEPARTMENTS if d != dept
    )
    forms = [
        _button(
            action,
            code,
            "问客户 · Ask",
            f"<select name='fact' aria-label='fact'>{facts}</select>",
            customer=cust,
            do="ask",
        ),
        "" if j.answered else _button(action, code, "回答问题 · Answer", customer=cust, do="answer"),
        _button(
            action,
            code,
            "承诺 · Promise",
            f"<select name='kind' aria-label='promise'>{promises}</select>",
            customer=cust,
            do="promise",
        )
        if promises
        else "",
        _button(
            action,
            code,
            "给折扣 · Discount",
            f"<input type='text' inputmode='decimal' name='pct' size='4' aria-label='discount %'> % "
            f"<span class='muted'>(≤ {MAX_DISCOUNT_PCT})</span>",
            customer=cust,
            do="discount",
        )
        if j.ordered_price_cny is None
        else "",
        _button(
            action,
            code,
            "转交 · Hand over",
            f"<select name='to' aria-label='hand over to'>{others}</select>",
            customer=cust,
            do="handover",
        ),
        _button(action, code, "完成这一步 · Done", customer=cust, do="done"),
    ]
    return (
        f"<div class='customer' id='serve-{esc(cust)}'><h3>{esc(g.roles[cust].zh)} · {step_label(g, j.step)}</h3>"
        f"<p>客户问 · The customer asks: <b>{esc(q.zh)}</b><br><span class='muted'>{esc(q.en)}</span></p>"
        f"<p class='muted'>价格 price {p.price(j):,.0f} 元 · {'已回答 answered' if j.answered else '未回答 not answered'}</p>"
        f"<h4>你的客户记录 · What your record shows</h4>{_record(p, j, dept)}"
        f"<div class='actions'>{''.join(forms)}</div></div>"
    )


def _where(p: Play, j: Journey) -> str:
    g = p.game
    if j.phase == "serve":
        return f"{step_label(g, j.step)} — {esc(g.roles[j.at].zh)} · {esc(j.at)}"
    if j.phase == "arrive":
        return "还没出发 · not started" if j.step < 0 else f"已完成 · Done: {step_label(g, j.step)}"
    return {"bought": "已购买并付款 · bought and paid", "left": "去了竞争对手 · went to the competitor"}[j.phase]


def _step1(p: Play, role: str, code: str, action: str) -> str:
    g = p.game
    mine = p.declared.get(role, {"holds": [], "needs": []})

    def boxes(name, chosen):
        return "".join(
            f"<label><input type='checkbox' name='{name}' value='{esc(k)}'{' checked' if k in chosen else ''}> "
            f"{esc(f.zh)} · {esc(f.en)}</label>"
            for k, f in g.facts.items()
        )

    agreed = p.agreed or []
    return (
        f"<details id='step1'{'' if agreed else ' open'}>"
        "<summary><b>第一步：启动公司的CRM · Step 1: launching the CRM</b>"
        + (f" — 已商定 agreed: {esc('、'.join(g.facts[k].zh for k in agreed))}" if agreed else "")
        + "</summary>"
        f"<form method='post' action='{esc(action)}'>{_hidden(code, do='declare')}"
        f"<fieldset><legend>我们部门掌握的客户信息 · Facts we hold</legend>{boxes('holds', mine['holds'])}</fieldset>"
        f"<fieldset><legend>我们需要其他部门提供的 · Facts we need from others</legend>{boxes('needs', mine['needs'])}"
        "</fieldset><button type='submit'>提交 · Declare</button></form>"
        f"<form method='post' action='{esc(action)}'>{_hidden(code, do='agree')}"
        f"<fieldset><legend>全组商定的共享客户档案字段 · Fields of the shared record the group agrees on</legend>"
        f"{boxes('fields', agreed)}</fieldset><button type='submit'>全组商定 · Agree</button></form></details>"
    )


def player_page(room, team_no: int, role: str, code: str, *, message: str | None = None, ok: str | None = None) -> str:
    """A player's page: the role card, where the customers are, and the actions open to the role now."""
    g, r = room.game, room.round
    name = room.groups()[team_no]
    action = f"/team/{team_no}/{role}"
    head = (
        f"<h1>{esc(g.title_zh)}</h1><p>{esc(name)} · {bi(g.roles[role].zh, g.roles[role].en)}</p>"
        + (f"<p class='refused'>{esc(message)}</p>" if message else "")
        + (f"<p class='stored'>{esc(ok)}</p>" if ok else "")
    )
    if r is None:
        state = "<p>游戏结束 · The game is over.</p>"
        body = ""
    else:
        p = room.play(team_no, r)
        state = (
            "<p><b>第1轮：各部门只看到自己的记录 · Round 1: each department sees only its own records</b></p>"
            if r == 1
            else "<p><b>第2轮：使用全组商定的共享客户档案 · Round 2: the shared record agreed in step 1</b></p>"
        )
        if role in CUSTOMERS:
            j = p.journeys[role]
            nxt = g.steps[j.step + 1] if j.phase == "arrive" and j.step + 1 < len(g.steps) else None
            moves = ""
            if nxt is not None:
                moves = _button(action, code, f"下一步：{esc(nxt.zh)} · Go to: {esc(nxt.en)}", do="arrive") + _button(
                    action, code, "去竞争对手那里买 · Buy from the competitor", do="leave"
                )
            done = ""
            if j.phase in ("bought", "left"):
                done = (
                    f"<p class='stored' id='final'>满意度 satisfaction {j.satisfaction} · "
                    f"再次购买意愿 would buy again {max(0, min(100, 2 * (j.satisfaction - 40)))} %</p>"
                )
            body = (
                f"<h2>你现在在 · Where you are</h2><p id='where'>{_where(p, j)}</p>{moves}{done}"
                f"<p class='muted'>价格 current price {p.price(j):,.0f} 元</p>{customer_card(g, role)}"
            )
        else:
            parts = ["<h2>第二步：客户旅程 · Step 2: the customer's journey</h2>"]
            for c in CUSTOMERS:
                j = p.journeys[c]
                if j.phase == "serve" and j.at == role:
                    parts.append(_serve_forms(p, j, role, code, action))
                else:
                    parts.append(f"<p>{esc(g.roles[c].zh)}: {_where(p, j)}</p>")
            if r == 1:  # step 1 first until the group has agreed its record, then below the journey
                step1 = _step1(p, role, code, action)
                parts = parts + [step1] if p.agreed else [step1] + parts
            else:
                shared = "、".join(g.facts[k].zh for k in sorted(p.shared))
                parts.insert(0, f"<p>共享档案字段 · Shared record: {esc(shared or '—')}</p>")
            body = "".join(parts)
    links = (
        f"<p class='noprint'><a href='{esc(with_code(f'/group/{team_no}', code))}'>本组数据与讨论 · Our group's numbers</a>"
        f" · <a href='{esc(with_code(action, code))}'>刷新 · Refresh</a></p>"
    )
    watch = _WATCH.replace("PAGE", json.dumps(with_code(action, code)).replace("<", "\\u003c"))
    return page(f"{g.title_zh} · {role}", head + state + links + body + role_card(g, role) + watch)


def _schema_table(g: Game, agreed: list, declared: dict) -> str:
    rows = []
    for row in schema_comparison(g, agreed, declared):
        where = (
            esc(row["schema"]) if row["schema"] else "<span class='no'>数据库里没有 · missing from the database</span>"
        )
        mark = "<span class='yes'>✓</span>" if row["agreed"] else "<span class='no'>✗</span>"
        needed = esc(", ".join(row["needed_by"])) or "—"
        held = esc(", ".join(row["held_by"])) or "—"
        rows.append(
            f"<tr><th>{bi(row['zh'], row['en'])}</th><td>{mark}</td><td>{held}</td><td>{needed}</td><td>{where}</td></tr>"
        )
    rows_all = schema_comparison(g, agreed, declared)
    unmet = [f"{r['zh']}（{', '.join(r['needed_by'])}）" for r in rows_all if r["needed_by"] and not r["agreed"]]
    new = [r["zh"] for r in rows_all if r["agreed"] and not r["schema"]]
    summary_html = (
        f"<p id='unmet'>有部门需要、但没有放进共享档案的字段 · Needed by a department but not agreed: "
        f"<b>{esc('、'.join(unmet) or '—')}</b></p>"
        f"<p id='new-columns'>共享档案里有、工作台数据库却没有的字段 · Agreed but missing from the database: "
        f"<b>{esc('、'.join(new) or '—')}</b></p>"
    )
    return (
        summary_html + "<table id='schema'><tr><th>字段 · Field</th><th>商定 · Agreed</th><th>掌握 · Held by</th>"
        "<th>需要 · Needed by</th><th>工作台客户数据库 · Workbench database column</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def _debrief(numbers: dict) -> str:
    one, two = numbers.get(1, {}).get("total"), numbers.get(2, {}).get("total")
    if not one:
        return "<p class='muted'>第1轮结束后显示 · Shown after round 1.</p>"

    def both(key, unit=""):
        b = f"{two[key]:g}{unit}" if two else "?"
        return f"{one[key]:g}{unit} → {b}"

    lines = (
        f"重复提问 repeated questions {both('repeated_questions')}；转交 hand-overs {both('handovers')}；"
        f"答不上的问题 answers without the facts {both('poor_answers')}",
        f"满意度 satisfaction {both('satisfaction')}；再次购买意愿 would buy again {both('intent_pct', ' %')}",
        f"违背的承诺 broken promises {both('promises_broken')}；一次装好 first-time fixes {both('first_time_fixes')}；"
        f"延迟送货 late deliveries {both('late_deliveries')}；让出的折扣 discount {both('discount_cny', ' 元')}",
        f"订单 orders {both('orders')}；等待 waiting {both('wait_min', ' min')}",
    )
    prompts = (
        "CRM既是管理客户信息的系统，也是以客户为中心的经营理念：你们的共享档案改变了什么？"
        " CRM is both a system for customer information and a customer-centred philosophy: what did your shared record change?",
        "核心理念是以客户为中心：从客户的角度看，哪一步最让人失望？"
        " The core idea is putting the customer at the centre: seen from the customer, which step disappointed most?",
        "客户信息管理、营销管理、销售管理、客户质量衡量：哪个功能在第2轮起了作用？"
        " Customer information, marketing, sales, measuring customer quality: which function worked in round 2?",
        "在客户眼中，CRM是挖掘需求、定制服务、实现双赢，不是某一个部门的事：你们的数字支持这个结论吗？"
        " Through the customer's eyes CRM means digging out needs, customised service and a win-win, and no single "
        "department's job: do your numbers support this?",
    )
    items = "".join(
        f"<li><b>{esc(zh)}</b> <span class='muted'>{esc(en)}</span><br>{esc(line)}<br><span class='muted'>{esc(pr)}</span></li>"
        for (zh, en), line, pr in zip(DEBRIEF, lines, prompts)
    )
    return f"<ol id='debrief'>{items}</ol>"


def group_page(room, team_no: int, figure: str = "") -> str:
    """A group's page: step 1's record against the database, both rounds' numbers and figure, the debrief."""
    g = room.game
    p1 = room.play(team_no, 1)
    numbers = room.numbers(team_no)
    live = room.round
    rows = "".join(
        f"<tr><th>第{r}轮 Round {r}"
        + (" <span class='muted'>(进行中 in progress)</span>" if r == live else "")
        + "</th>"
        + "".join(f"<td class='num'>{esc(s['total'][k])}</td>" for k in _COLS)
        + "</tr>"
        for r, s in numbers.items()
    )
    head = "".join(f"<th>{esc(zh)}<br><span class='muted'>{esc(en)}</span></th>" for zh, en in _COLS.values())
    body = (
        f"<h1>{esc(room.groups()[team_no])} · {esc(g.title_zh)}</h1>"
        "<h2>第一步：共享客户档案与工作台数据库的对比 · Step 1: the shared record against the workbench's database</h2>"
        + _schema_table(g, p1.agreed or [], p1.declared)
        + f"<h2>两轮对比 · The two rounds</h2><table id='rounds'><tr><th></th>{head}</tr>{rows}</table>{figure}"
        + "<h2>讨论 · Debrief</h2>"
        + _debrief(numbers)
    )
    return page(f"{room.groups()[team_no]} · {g.title_en}", body, plotly=bool(figure))


_COLS = {
    "repeated_questions": ("重复提问", "repeated questions"),
    "handovers": ("转交", "hand-overs"),
    "wait_min": ("等待（分）", "waiting (min)"),
    "promises_made": ("承诺", "promises"),
    "promises_broken": ("违背承诺", "broken promises"),
    "discount_cny": ("折扣（元）", "discount (yuan)"),
    "first_time_fixes": ("一次装好", "first-time fixes"),
    "orders": ("订单", "orders"),
    "satisfaction": ("满意度", "satisfaction"),
    "intent_pct": ("再购意愿%", "buy again %"),
}


def journey_console_page(room, code: str, *, message: str | None = None, ok: str | None = None) -> str:
    """The facilitator's console: where every group is, closing the round, links to every sheet."""
    r = room.round
    status = room.status()
    rows = "".join(
        f"<tr><td>{esc(s.team_no)}</td><td><a href='{esc(with_code(f'/group/{s.team_no}', code))}'>{esc(s.team)}</a></td>"
        f"<td class='num'>{esc(s.players)}</td><td class='num'>{esc(s.agreed_fields)}</td>"
        + "".join(f"<td>{esc(getattr(s, c, ''))}</td>" for c in CUSTOMERS)
        + "</tr>"
        for s in status.itertuples(index=False)
    )
    close = (
        f"<form method='post' action='/console/close'>{_hidden(code, round=r)}"
        f"<button type='submit'>结束第{r}轮 · Close round {r}</button></form>"
        if r
        else "<p>游戏结束 · The game is over.</p>"
    )
    links = " · ".join(
        f"<a href='{esc(with_code(path, code))}'>{label}</a>"
        for path, label in (
            ("/console/cards", "加入卡片 · Join cards"),
            ("/console/roles", "角色卡 · Role cards"),
            ("/console/observer", "观察员记录表 · Observer sheet"),
        )
    )
    body = (
        f"<h1>{esc(room.game.title_zh)} · 主持人 Facilitator</h1>"
        + (f"<p class='refused'>{esc(message)}</p>" if message else "")
        + (f"<p class='stored'>{esc(ok)}</p>" if ok else "")
        + f"<p>{'第%d轮进行中 · Round %d is open' % (r, r) if r else ''}</p>{close}<p>{links}</p>"
        "<table id='groups'><tr><th>#</th><th>小组 · Group</th><th>玩家 · Players</th><th>共享字段 · Agreed fields</th>"
        "<th>客户A · Customer A</th><th>客户B · Customer B</th></tr>" + rows + "</table>"
    )
    return page("Facilitator · 主持人", body, refresh_s=15)
