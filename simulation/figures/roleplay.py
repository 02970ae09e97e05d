"""Plotly figures of a class game: the projector's leaderboard and the debrief's comparisons.

Each builder takes a table of :class:`simulation.roleplay.Classroom` (``leaderboard()``,
``results()``, ``settings_table()``) and returns a ``plotly.graph_objects.Figure``; none reads
a ledger or simulates. Team names are typed by people, so they are HTML-escaped before plotly
(which reads a few HTML tags in labels) shows them.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import plotly.offline

from ..common.checks import require_columns
from ..common.i18n import label_or_key, pick, resolve
from .style import HEIGHT

__all__ = ["leaderboard_figure", "rounds_figure", "settings_figure", "figure_fragment", "plotly_bundle"]


def _layout(fig: go.Figure, title: str, **layout) -> go.Figure:
    fig.update_layout(
        title=dict(text=html.escape(title), x=0.01),
        template="plotly_white",
        height=layout.pop("height", HEIGHT),
        margin=dict(l=90, r=30, t=60, b=50),
        legend=dict(orientation="h", y=-0.2),
        **layout,
    )
    return fig


def _team(name) -> str:
    return html.escape(str(name))


def leaderboard_figure(board: pd.DataFrame, *, lang: str | None = None) -> go.Figure:
    """Teams' scores as horizontal bars, the leader on top (for the projector).

    Parameters
    ----------
    board : DataFrame
        ``Classroom.leaderboard()``: needs ``rank``, ``team``, ``score`` and ``round_no``.
    lang : {"en", "zh"}, optional
    """
    require_columns(board, "board", ["rank", "team", "score", "round_no"])
    lang = resolve(lang)
    b = board.sort_values(["rank", "team"], ascending=[False, False])
    labels = [f"{r}. {_team(t)}" for r, t in zip(b["rank"], b["team"])]
    fig = go.Figure(go.Bar(x=b["score"], y=labels, orientation="h", text=[f"{s:.2f}" for s in b["score"]]))
    r = int(board["round_no"].max()) if len(board) else 0
    fig.update_xaxes(title_text=pick("Score", "得分", lang))
    return _layout(fig, pick(f"Leaderboard after round {r}", f"第{r}轮后排行榜", lang))


def rounds_figure(results: pd.DataFrame, kpi: str = "score", *, lang: str | None = None) -> go.Figure:
    """One line per team: a KPI (or the score) at the end of each round.

    Parameters
    ----------
    results : DataFrame
        ``Classroom.results()``: needs ``round_no``, ``team`` and ``kpi``.
    kpi : str
        ``"score"`` or a KPI column (``net_profit_cny``, ``customers_active`` ...).
    """
    require_columns(results, "results", ["round_no", "team", kpi])
    lang = resolve(lang)
    fig = go.Figure()
    for team, rows in results.sort_values("round_no").groupby("team", sort=True):
        fig.add_trace(go.Scatter(x=rows["round_no"], y=rows[kpi], mode="lines+markers", name=_team(team)))
    name = pick("Score", "得分", lang) if kpi == "score" else label_or_key(kpi, lang)
    fig.update_xaxes(title_text=pick("Round", "轮次", lang), dtick=1)
    fig.update_yaxes(title_text=html.escape(name))
    return _layout(fig, pick(f"{name} by round", f"各轮{name}", lang))


def settings_figure(settings: pd.DataFrame, lever: str, *, lang: str | None = None) -> go.Figure:
    """One step line per team: the value of a lever in each round (what each team decided).

    Parameters
    ----------
    settings : DataFrame
        ``Classroom.settings_table()``: needs ``round_no``, ``team``, ``lever`` and ``value``.
    lever : str
        A lever's dotted path, e.g. ``"complaints.agents"``.
    """
    require_columns(settings, "settings", ["round_no", "team", "lever", "value"])
    levers = sorted(set(settings["lever"]))
    if lever not in levers:
        raise ValueError(f"lever must be one of {', '.join(levers)}; got {lever!r}")
    lang = resolve(lang)
    rows = settings[settings["lever"] == lever].sort_values("round_no")
    fig = go.Figure()
    for team, part in rows.groupby("team", sort=True):
        y = [int(v) if isinstance(v, bool) else v for v in part["value"]]  # true/false as 1/0
        fig.add_trace(go.Scatter(x=part["round_no"], y=y, mode="lines+markers", line_shape="hv", name=_team(team)))
    fig.update_xaxes(title_text=pick("Round", "轮次", lang), dtick=1)
    from .experiments import field_axis_label

    name = field_axis_label(lever, lang)
    fig.update_yaxes(title_text=html.escape(name))
    return _layout(fig, pick(f"Decisions: {lever}", f"各队决策：{name}", lang))


def plotly_bundle() -> str:
    """plotly.js as shipped inside the installed plotly package (minified, about 4.7 MB).

    A page that shows figures made by :func:`figure_fragment` loads this script from the
    class server itself, so figures draw with no internet connection.
    """
    return plotly.offline.get_plotlyjs()


def figure_fragment(fig: go.Figure, *, div_id: str | None = None) -> str:
    """``fig`` as an HTML ``<div>`` and the inline script that draws it, without plotly.js.

    The page must load plotly.js first (see :func:`plotly_bundle`). The mode bar's link to
    plotly's online editor is left out, so nothing on the page points off the class network.
    """
    config = {"displaylogo": False, "responsive": True}
    return pio.to_html(fig, include_plotlyjs=False, full_html=False, config=config, div_id=div_id)
