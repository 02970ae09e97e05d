"""The customer's-eye role-play's figure: a group's two rounds side by side.

Round 1 is played with each department's own records, round 2 with the shared record the group
agreed; one small panel per measure puts the two rounds next to each other, so the group sees
what the shared record changed in its own numbers.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..common.checks import require_columns
from ..common.i18n import pick, resolve
from .style import HEIGHT

__all__ = ["JOURNEY_MEASURES", "journey_rounds_figure"]

#: The measures shown, with their English and Chinese labels.
JOURNEY_MEASURES = {
    "repeated_questions": ("Repeated questions", "重复提问"),
    "promises_broken": ("Broken promises", "违背的承诺"),
    "wait_min": ("Waiting (min)", "等待（分钟）"),
    "discount_cny": ("Discount given (yuan)", "让出的折扣（元）"),
    "satisfaction": ("Satisfaction (0-100)", "满意度（0-100）"),
    "intent_pct": ("Would buy again (%)", "再次购买意愿（%）"),
}


def journey_rounds_figure(numbers: pd.DataFrame, *, team: str = "", lang: str | None = None) -> go.Figure:
    """Round 1 (own records) against round 2 (shared record), one panel per measure.

    Parameters
    ----------
    numbers : DataFrame
        One row per round: ``round_no`` and every column of :data:`JOURNEY_MEASURES`
        (the totals of :func:`simulation.roleplay.journey_rules.summary`).
    team : str
        The group's name for the title (escaped here: names are typed by people).
    lang : {"en", "zh"}, optional
    """
    require_columns(numbers, "numbers", ["round_no", *JOURNEY_MEASURES])
    lang = resolve(lang)
    names = {
        1: pick("Round 1: own records", "第1轮：各部门各自记录", lang),
        2: pick("Round 2: shared record", "第2轮：共享客户档案", lang),
    }
    titles = [pick(en, zh, lang) for en, zh in JOURNEY_MEASURES.values()]
    fig = make_subplots(rows=1, cols=len(JOURNEY_MEASURES), subplot_titles=titles)
    colours = {1: "#b0b0b0", 2: "#2a7f62"}
    for r in (1, 2):
        row = numbers[numbers["round_no"] == r]
        for i, key in enumerate(JOURNEY_MEASURES, start=1):
            y = [float(row[key].iloc[0])] if len(row) else []
            fig.add_trace(
                go.Bar(
                    x=[names[r]] if y else [],
                    y=y,
                    name=names[r],
                    marker_color=colours[r],
                    showlegend=i == 1,
                    text=[f"{v:g}" for v in y],
                    textposition="auto",
                ),
                row=1,
                col=i,
            )
    fig.update_xaxes(showticklabels=False)
    fig.update_yaxes(rangemode="tozero")
    title = pick("The two rounds side by side", "两轮对比", lang)
    if team:
        title = f"{html.escape(str(team))} · {title}"
    fig.update_layout(
        title=dict(text=title, x=0.01),
        template="plotly_white",
        height=HEIGHT,
        margin=dict(l=40, r=20, t=80, b=40),
        legend=dict(orientation="h", y=-0.1),
        barmode="group",
    )
    return fig
