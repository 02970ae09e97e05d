"""The class server's pages as HTML text: the join page, a role's page, the facilitator's
console and the projector's leaderboard.

Every text that comes from the ledger or from a request (team names, lever values typed by a
student, refusal messages that quote them) goes through :func:`esc` before it is written into
a page. Labels are bilingual, Chinese first, as on the printed join cards. Pages use plain
HTML forms, so they work on any phone browser; only the console and the projector load
plotly.js, from the server itself (``/static/plotly.min.js``).
"""

from __future__ import annotations

import html
import json
from urllib.parse import quote, urlencode

import pandas as pd

__all__ = [
    "esc",
    "page",
    "join_page",
    "seat_page",
    "console_page",
    "board_page",
    "message_page",
    "with_code",
    "table_html",
]

_STYLE = """
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", system-ui, sans-serif; margin: 0 auto;
       max-width: 60rem; padding: 0.8rem; line-height: 1.45; color: #222; }
h1 { font-size: 1.35rem; margin: 0.3rem 0; } h2 { font-size: 1.1rem; margin: 1.2rem 0 0.4rem; }
table { border-collapse: collapse; margin: 0.4rem 0; } td, th { border: 1px solid #ccc; padding: 0.2rem 0.5rem; }
th { background: #f3f3f3; text-align: left; } td.num { text-align: right; }
.refused { background: #fde8e8; border: 1px solid #c33; padding: 0.5rem; margin: 0.6rem 0; }
.stored { background: #e7f6e7; border: 1px solid #393; padding: 0.5rem; margin: 0.6rem 0; }
.private { background: #fff7dd; border-left: 4px solid #e0a800; padding: 0.4rem 0.6rem; }
.muted { color: #666; font-size: 0.9rem; } .yes { color: #176117; font-weight: bold; } .no { color: #a33; }
label { display: block; margin: 0.5rem 0 0.1rem; } input[type=number], input[type=text] { font-size: 1rem; width: 12rem; }
button { font-size: 1rem; padding: 0.35rem 1rem; margin-top: 0.6rem; }
form.inline { display: inline-block; margin-right: 1rem; }
.board td, .board th { font-size: 1.15rem; }
"""


def esc(value) -> str:
    """``value`` as text safe to put inside HTML (``<``, ``>``, ``&`` and quotes escaped)."""
    return html.escape("" if value is None else str(value), quote=True)


def with_code(path: str, code: str, **more) -> str:
    """``path`` with ``?code=CODE`` (and ``more`` query fields) added."""
    return f"{path}?{urlencode({'code': code, **more})}"


def page(title: str, body: str, *, refresh_s: int | None = None, plotly: bool = False) -> str:
    """A whole HTML page around ``body`` (already HTML); ``title`` is escaped here."""
    head = [
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{esc(title)}</title>",
        f"<style>{_STYLE}</style>",
    ]
    if refresh_s:
        head.append(f'<meta http-equiv="refresh" content="{int(refresh_s)}">')
    if plotly:
        head.append('<script src="/static/plotly.min.js"></script>')
    return f'<!DOCTYPE html>\n<html lang="zh"><head>{"".join(head)}</head><body>{body}</body></html>\n'


def message_page(title: str, message: str) -> str:
    """A short page that says one thing (an unknown address, a refused code ...)."""
    return page(title, f"<h1>{esc(title)}</h1><p class='refused'>{esc(message)}</p><p><a href='/'>加入 · Join</a></p>")


def join_page(card_title: str, message: str | None = None) -> str:
    """The start page: a box for the join code printed on the card."""
    note = f"<p class='refused'>{esc(message)}</p>" if message else ""
    body = (
        f"<h1>{esc(card_title)}</h1>{note}"
        "<form method='get' action='/'><label for='code'>加入代码 · Join code</label>"
        "<input type='text' id='code' name='code' autocomplete='off' autocapitalize='characters' required>"
        "<button type='submit'>加入 · Join</button></form>"
        "<p class='muted'>扫描卡片上的二维码，或输入卡片上的代码。Scan the QR code on your card or type its code.</p>"
        "<p><a href='/board'>排行榜 · Leaderboard</a></p>"
    )
    return page(card_title, body)


def _para(text: str) -> str:
    return "".join(f"<p>{esc(p.strip())}</p>" for p in str(text).strip().split("\n\n") if p.strip())


def _fmt(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def _lever_input(lv: dict, value) -> str:
    name = esc(lv["path"])
    label = f"{esc(lv['zh'])} · {esc(lv['en'])}" + (f" ({esc(lv['unit'])})" if lv["unit"] else "")
    if lv["kind"] == "choice":
        options = "".join(
            f"<option value='{esc(c)}'{' selected' if c == value else ''}>{esc(c)}</option>" for c in lv["choices"]
        )
        field = f"<select id='{name}' name='{name}'>{options}</select>"
    elif lv["kind"] == "bool":
        options = "".join(
            f"<option value='{v}'{' selected' if str(value).lower() == v else ''}>{v}</option>"
            for v in ("true", "false")
        )
        field = f"<select id='{name}' name='{name}'>{options}</select>"
    else:
        step = "1" if lv["kind"] == "integer" else "any"
        field = (
            f"<input type='text' inputmode='decimal' id='{name}' name='{name}' value='{esc(value)}' "
            f"data-step='{step}'>"
            f" <span class='muted'>[{_fmt(lv['lo'])} – {_fmt(lv['hi'])}]</span>"
        )
    cost = f" <span class='muted'>{lv['cost_per_unit_cny']:,.0f} CNY / unit</span>" if lv["cost_per_unit_cny"] else ""
    return f"<label for='{name}'>{label}{cost}</label>{field}"


# A role's page reloads itself when the round it shows closes or the next one opens, so
# students see their results without pressing anything (checked every 10 s, no reload while
# a lever is being edited).
_WATCH_ROUND = """<script>
(function () {
  var shown = ROUND;
  setInterval(function () {
    fetch("/health", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (h) {
      var editing = document.activeElement && document.activeElement.form;
      if (h.round !== shown && !editing) { location.replace(PAGE); }
    }).catch(function () {});
  }, 10000);
})();
</script>"""


def seat_page(view: dict, team: str, code: str, *, message: str | None = None, typed: dict | None = None) -> str:
    """A team role's page from :meth:`simulation.roleplay.seat.Seat.view`.

    ``message`` is a refusal to show above the form and ``typed`` what the student typed (shown
    again in the form so that nothing has to be re-entered); both are escaped.
    """
    role, title = view["role"], f"{view['title']['zh']} · {view['title']['en']}"
    action = f"/team/{int(view['team_no'])}/{quote(role['name'])}"
    parts = [
        f"<h1>{esc(title)}</h1>",
        f"<p><b>{esc(team)}</b> — {esc(role['zh'])} · {esc(role['en'])}</p>",
    ]
    if view["round"]:
        line = f"第 {view['round']} 轮（共 {view['rounds']} 轮）· Round {view['round']} of {view['rounds']} is open"
        if view["deadline"]:
            line += f"; 截止 · deadline {esc(view['deadline'][:19].replace('T', ' '))} UTC"
    else:
        line = "目前没有开放的轮次 · No round is open (being computed, or the game is over)"
    parts.append(f"<p class='muted' id='round'>{line}</p>")
    if message:
        parts.append(f"<div class='refused' id='message'>未保存 · Not stored: {esc(message)}</div>")
    elif view["submitted"] is not None:
        mine = ", ".join(f"{esc(k)} = {esc(_fmt(v))}" for k, v in view["submitted"].items())
        parts.append(f"<div class='stored' id='message'>本轮已提交 · Submitted this round: {mine}</div>")
    if view["round"]:
        current = view["submitted"] or {}
        fields = "".join(
            _lever_input(lv, (typed or {}).get(lv["path"], current.get(lv["path"], lv["value"])))
            for lv in view["levers"]
        )
        budget = (
            f"<p class='muted'>预算 · Budget {view['budget_cny']:,.0f} CNY / round</p>" if view["budget_cny"] else ""
        )
        parts.append(
            f"<h2>本轮决策 · Your decisions</h2>{budget}<form method='post' action='{action}' id='decisions'>"
            f"<input type='hidden' name='code' value='{esc(code)}'>{fields}"
            "<br><button type='submit'>提交 · Submit</button></form>"
            "<p class='muted'>本轮结束前可以重新提交。You may submit again until the round closes.</p>"
        )
    parts.append(f"<h2>背景 · Briefing</h2>{_para(view['briefing']['zh'])}{_para(view['briefing']['en'])}")
    private = _para(view["private"]["zh"]) + _para(view["private"]["en"])
    if private:
        parts.append(f"<h2>仅你可见 · For your eyes only</h2><div class='private'>{private}</div>")
    parts.append(_team_results(view["results"]))
    parts.append(
        f"<p><a href='{esc(with_code(action, code))}'>刷新 · Refresh</a> · <a href='/board'>排行榜 · Leaderboard</a></p>"
    )
    watch = _WATCH_ROUND.replace("ROUND", json.dumps(view["round"]))
    parts.append(watch.replace("PAGE", json.dumps(with_code(action, code))))
    return page(f"{role['zh']} · {team}", "".join(parts))


def _team_results(results: list[dict]) -> str:
    if not results:
        return "<h2>团队结果 · Team results</h2><p class='muted'>还没有结果 · No results yet.</p>"
    last = results[-1]
    scores = "".join(f"<tr><td>{r['round_no']}</td><td class='num'>{r['score']:.3f}</td></tr>" for r in results)
    kpis = "".join(
        f"<tr><td>{esc(k)}</td><td class='num'>{esc(_fmt(v))}</td></tr>"
        for k, v in last["kpis"].items()
        if isinstance(v, (int, float))
    )
    notes = "".join(
        f"<li>{esc(n.get('zh', ''))}<br><span class='muted'>{esc(n.get('en', ''))}</span></li>" for n in last["notes"]
    )
    return (
        f"<h2>团队结果 · Team results (round {last['round_no']})</h2>"
        f"<table id='scores'><tr><th>轮次 · Round</th><th>得分 · Score</th></tr>{scores}</table>"
        + (f"<h2>本轮要闻 · News</h2><ul>{notes}</ul>" if notes else "")
        + f"<details><summary>全部指标 · All KPIs</summary><table>{kpis}</table></details>"
    )


def table_html(df: pd.DataFrame, *, table_id: str, css: str = "") -> str:
    """``df`` as an HTML table with every cell escaped."""
    if df.empty:
        return f"<p class='muted' id='{table_id}'>(none)</p>"
    head = "".join(f"<th>{esc(c)}</th>" for c in df.columns)
    rows = []
    for row in df.itertuples(index=False):
        cells = []
        for v in row:
            num = isinstance(v, (int, float)) and not isinstance(v, bool)
            cells.append(f"<td{' class=num' if num else ''}>{esc(_fmt(v) if num else v)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table id='{table_id}' class='{css}'><tr>{head}</tr>{''.join(rows)}</table>"


def board_body(board: pd.DataFrame, figure: str) -> str:
    """The leaderboard as a figure (an HTML fragment, may be empty) and a table of rank, team and score."""
    cols = [c for c in ("rank", "team", "score") if c in board.columns]
    return figure + table_html(board[cols], table_id="leaderboard", css="board")


def board_page(title: str, state: str, body: str, *, refresh_s: int = 10) -> str:
    """The projector's view around :func:`board_body`, with the round's ``state``; reloads every few seconds."""
    text = f"<h1>{esc(title)} — 排行榜 · Leaderboard</h1><p class='muted' id='round'>{esc(state)}</p>{body}"
    return page(f"{title} — leaderboard", text, refresh_s=refresh_s, plotly="Plotly.newPlot" in body)


def console_page(
    room, code: str, *, message: str | None = None, ok: str | None = None, figures: list, kpi: str, lever: str
) -> str:
    """The facilitator's console: the round, who has submitted, the deadline and close-round
    forms, the leaderboard and the debrief: ``figures`` (HTML fragments) with a form to choose
    the ``kpi`` and the ``lever`` they show."""
    c = room.card
    r, pending = room.round, room.pending()
    parts = [f"<h1>{esc(c.title_zh)} · {esc(c.title_en)} — 主持人 · Facilitator</h1>"]
    if message:
        parts.append(f"<div class='refused' id='message'>{esc(message)}</div>")
    if ok:
        parts.append(f"<div class='stored' id='message'>{esc(ok)}</div>")
    state = f"第 {r} 轮开放 · Round {r} of {c.rounds} is open" if r else "没有开放的轮次 · No round is open"
    if r and room.deadline:
        state += f"; deadline {esc(room.deadline[:19].replace('T', ' '))} UTC"
    if pending:
        state += f"; rounds {pending} await computing (press close to finish them)"
    parts.append(f"<p id='round'>{state}</p>")
    if r or pending:
        st = room.status()
        grid = st.pivot(index=["team_no", "team"], columns="role", values="submissions").reset_index()
        grid = grid[["team_no", "team", *[ro.name for ro in c.roles]]]
        head = "".join(f"<th>{esc(h)}</th>" for h in grid.columns)
        rows = "".join(
            "<tr>"
            + f"<td>{row[0]}</td><td>{esc(row[1])}</td>"
            + "".join(f"<td class='{'yes' if n else 'no'}'>{'✓ ' + str(n) if n else '—'}</td>" for n in row[2:])
            + "</tr>"
            for row in grid.itertuples(index=False)
        )
        done = int(st["submitted"].sum())
        parts.append(
            f"<h2>提交情况 · Submitted: {done} of {len(st)}</h2><table id='status'><tr>{head}</tr>{rows}</table>"
        )
        target = pending[0] if pending else r
        parts.append(
            f"<form class='inline' method='post' action='/console/close'><input type='hidden' name='code' value='{esc(code)}'>"
            f"<input type='hidden' name='round' value='{int(target)}'>"
            f"<button type='submit' id='close'>结束第 {int(target)} 轮并计算 · Close round {int(target)}</button></form>"
        )
        if r:
            parts.append(
                "<form class='inline' method='post' action='/console/deadline'>"
                f"<input type='hidden' name='code' value='{esc(code)}'>"
                "<label for='minutes'>截止（分钟后）· Deadline in minutes (empty clears it)</label>"
                "<input type='text' inputmode='decimal' id='minutes' name='minutes'>"
                "<button type='submit'>设置 · Set</button></form>"
            )
    board = room.leaderboard()
    parts.append("<h2>排行榜 · Leaderboard</h2>" + table_html(board, table_id="leaderboard"))
    if figures:
        kpis = "".join(
            f"<option value='{esc(w.kpi)}'{' selected' if w.kpi == kpi else ''}>{esc(w.kpi)}</option>"
            for w in c.scoring
        )
        levers = "".join(
            f"<option value='{esc(lv.path)}'{' selected' if lv.path == lever else ''}>{esc(lv.path)}</option>"
            for ro in c.roles
            for lv in ro.levers
        )
        parts.append(
            "<h2>复盘 · Debrief</h2><form method='get' action='/console' id='debrief'>"
            f"<input type='hidden' name='code' value='{esc(code)}'>"
            f"指标 · KPI <select name='kpi'>{kpis}</select> 决策 · Lever <select name='lever'>{levers}</select> "
            "<button type='submit'>显示 · Show</button></form>" + "".join(figures)
        )
    if c.debrief:
        qs = "".join(f"<li>{esc(q.zh)}<br><span class='muted'>{esc(q.en)}</span></li>" for q in c.debrief)
        parts.append(f"<h2>复盘问题 · Debrief questions</h2><ol>{qs}</ol>")
    parts.append(
        f"<p><a href='{esc(with_code('/console', code))}'>刷新 · Refresh</a> · "
        f"<a href='{esc(with_code('/console/cards', code))}'>加入卡片 · Join cards</a> · "
        "<a href='/board'>投影排行榜 · Projector view</a></p>"
    )
    return page(f"{c.title_en} — facilitator", "".join(parts), plotly=bool(figures))
