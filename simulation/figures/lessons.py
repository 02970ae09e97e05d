"""Figure builders for the course's formula explorations and exercises.

The companions of :mod:`simulation.figures` (which draws the model's own tables): the
module-1 journey, the textbook CLV schedule, repeated surveys, Erlang C staffing and the
simulated desk, duplicate search scores, the good-customer check, campaigns against their
hold-out group and the choice of a CRM system. Data in, ``go.Figure`` out; nothing here
simulates, reads files or shows anything; labels come from :mod:`simulation.common.i18n`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..common.checks import require_columns
from ..common.i18n import label_or_key, resolve, t, value_label
from .style import HEIGHT, style

__all__ = [
    "journey_figure",
    "clv_schedule_figure",
    "survey_figure",
    "selection_figure",
    "staffing_figure",
    "match_figure",
    "future_profit_figure",
    "campaign_figure",
    "desk_figure",
]


def journey_figure(walks: dict[str, pd.DataFrame], *, lang: str | None = None) -> go.Figure:
    """Questions the customer answers at each step, one bar group per way of working.

    Parameters
    ----------
    walks : dict
        ``{name: steps}`` where ``steps`` comes from :func:`simulation.lessons.journey.walk`
        (``step``, ``questions``, ``repeated_questions``); names are label keys such as
        ``"not_shared"`` and ``"shared"``.
    """
    lang = resolve(lang)
    fig = go.Figure()
    colours = ["#de2d26", "#31a354", "#4292c6", "#756bb1"]
    for n, (name, steps) in enumerate(walks.items()):
        require_columns(steps, f"walks[{name!r}]", ["step", "questions", "repeated_questions"])
        fig.add_trace(
            go.Bar(
                x=steps["step"],
                y=steps["questions"],
                name=label_or_key(name, lang),
                marker_color=colours[n % len(colours)],
                customdata=steps["repeated_questions"],
                hovertemplate="%{x}: %{y} (" + t("repeated_questions", lang) + ": %{customdata})",
            )
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text=t("questions", lang), rangemode="tozero")
    return style(fig, "title.journey", lang)


def clv_schedule_figure(schedule: pd.DataFrame, *, acquisition_cost: float = 0.0, lang: str | None = None) -> go.Figure:
    """The textbook CLV year by year: present value of each year (bars) and the running CLV (line).

    ``schedule`` comes from :func:`simulation.analytics.clv_schedule`; year 0 shows
    ``-acquisition_cost``, so the line ends at the CLV.
    """
    lang = resolve(lang)
    require_columns(schedule, "schedule", ["year", "present_value_cny", "cumulative_clv_cny"])
    years = np.concatenate([[0], schedule["year"].to_numpy()])
    pv = np.concatenate([[-float(acquisition_cost)], schedule["present_value_cny"].to_numpy()])
    cum = np.concatenate([[-float(acquisition_cost)], schedule["cumulative_clv_cny"].to_numpy()])
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=years,
            y=pv,
            name=t("present_value_cny", lang),
            marker_color=np.where(pv >= 0, "#4292c6", "#de2d26").tolist(),
        )
    )
    fig.add_trace(
        go.Scatter(
            x=years,
            y=cum,
            mode="lines+markers+text",
            name=t("cumulative_clv_cny", lang),
            text=[f"{v:,.0f}" for v in cum],
            textposition="top center",
            line=dict(color="#31a354"),
        )
    )
    fig.add_hline(y=0, line_color="#636363", line_width=1)
    fig.update_xaxes(title_text=t("year", lang), dtick=1)
    fig.update_yaxes(title_text=t("cny", lang))
    return style(fig, "title.clv_schedule", lang)


def survey_figure(estimates: pd.DataFrame, *, lang: str | None = None) -> go.Figure:
    """Histogram of CSAT estimates from repeated surveys, the truth marked (views.survey_estimates)."""
    lang = resolve(lang)
    require_columns(estimates, "estimates", ["csat"])
    edges = np.arange(0.0, 1.0001, 0.02)
    counts, _ = np.histogram(estimates["csat"].dropna().to_numpy(dtype=float), bins=edges)
    truth = float(estimates.attrs.get("true_csat", np.nan))
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=100 * (edges[:-1] + 0.01), y=counts, width=1.8, name=t("survey_estimate", lang), marker_color="#4292c6"
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[100 * truth, 100 * truth],
            y=[0, max(1, int(counts.max()))],
            mode="lines",
            name=t("truth", lang),
            line=dict(color="#de2d26", width=3),
        )
    )
    fig.update_xaxes(title_text=t("csat_pct", lang), range=[0, 100])
    fig.update_yaxes(title_text=t("surveys", lang))
    return style(fig, "title.survey", lang)


def selection_figure(scores: pd.DataFrame, *, lang: str | None = None) -> go.Figure:
    """Stacked bars: each candidate system's weighted score by criterion (course.score_systems)."""
    from ..lessons.course import SYSTEM_CRITERIA

    lang = resolve(lang)
    require_columns(scores, "scores", ["system", "score"])
    fig = go.Figure()
    names = [value_label(s, lang) for s in scores["system"]]
    for key, en, zh, _ in SYSTEM_CRITERIA:
        if key in scores.columns:
            fig.add_trace(go.Bar(y=names, x=scores[key], orientation="h", name=zh if lang == "zh" else en))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text=t("weighted_score", lang), range=[0, 10])
    fig.update_yaxes(autorange="reversed")
    return style(fig, "title.selection", lang, height=HEIGHT + 60)


def staffing_figure(table: pd.DataFrame, *, chosen: int | None = None, lang: str | None = None) -> go.Figure:
    """Service level and chance of waiting against the number of agents (erlang.staffing_table)."""
    lang = resolve(lang)
    require_columns(table, "table", ["agents", "service_level", "prob_wait"])
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=table["agents"],
            y=100 * table["service_level"],
            name=t("service_level", lang),
            marker_color=["#08519c" if a == chosen else "#9ecae1" for a in table["agents"]],
        )
    )
    fig.add_trace(
        go.Scatter(
            x=table["agents"],
            y=100 * table["prob_wait"],
            mode="lines+markers",
            name=t("prob_wait", lang),
            line=dict(color="#de2d26"),
        )
    )
    fig.add_hline(y=80, line_dash="dot", line_color="#636363")
    fig.update_xaxes(title_text=t("agents", lang), dtick=1)
    fig.update_yaxes(title_text="%", range=[0, 101])
    return style(fig, "title.staffing", lang)


def match_figure(scores: dict, *, lang: str | None = None) -> go.Figure:
    """Precision, recall and F1 of duplicate searches side by side.

    ``scores`` maps a label key (e.g. ``"raw_export"``, ``"cleaned"``) to the dict of
    :func:`simulation.data.score_duplicates`.
    """
    lang = resolve(lang)
    measures = ["precision", "recall", "f1"]
    fig = go.Figure()
    for name, sc in scores.items():
        missing = [m for m in measures if m not in sc]
        if missing:
            raise ValueError(f"scores[{name!r}] has no {missing[0]!r}; pass score_duplicates() results.")
        fig.add_trace(
            go.Bar(
                x=[t(m, lang) for m in measures],
                y=[100 * sc[m] for m in measures],
                name=label_or_key(name, lang),
                text=[f"{100 * sc[m]:.0f}%" for m in measures],
                textposition="outside",
            )
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text="%", range=[0, 110])
    return style(fig, "title.duplicates", lang)


def future_profit_figure(table: pd.DataFrame, *, lang: str | None = None) -> go.Figure:
    """Mean later profit per customer of each score group (views.selection_check); 1 = best score."""
    lang = resolve(lang)
    require_columns(table, "table", ["group", "future_profit_per_customer_cny", "mean_score"])
    fig = go.Figure(
        go.Bar(
            x=[f"{t('score_group', lang)} {g}" for g in table["group"]],
            y=table["future_profit_per_customer_cny"],
            customdata=table["mean_score"],
            hovertemplate="%{x}: %{y:,.0f} (" + t("mean_score", lang) + " %{customdata:.0f})",
            marker_color="#31a354",
            name=t("future_profit_per_customer_cny", lang),
        )
    )
    fig.update_yaxes(title_text=t("future_profit_per_customer_cny", lang))
    return style(fig, "title.selection_check", lang)


def campaign_figure(outcomes: pd.DataFrame, *, lang: str | None = None) -> go.Figure:
    """Share of each group that ordered in the window, with 95% intervals (campaign_outcomes)."""
    lang = resolve(lang)
    require_columns(outcomes, "outcomes", ["group", "ordered"])
    groups = ["treated", "holdout"]
    shares, errors, sizes = [], [], []
    for g in groups:
        y = outcomes.loc[outcomes["group"] == g, "ordered"].to_numpy(dtype=float)
        p = float(y.mean()) if len(y) else float("nan")
        shares.append(100 * p)
        errors.append(100 * 1.96 * math.sqrt(p * (1 - p) / len(y)) if len(y) else 0.0)
        sizes.append(len(y))
    fig = go.Figure(
        go.Bar(
            x=[f"{t(g, lang)} (n={n})" for g, n in zip(groups, sizes)],
            y=shares,
            error_y=dict(type="data", array=errors, visible=True),
            marker_color=["#08519c", "#9ecae1"],
            name=t("ordered_share", lang),
        )
    )
    fig.update_yaxes(title_text=t("ordered_share", lang), rangemode="tozero")
    return style(fig, "title.campaign", lang)


def desk_figure(formula: dict, simulated: dict, *, lang: str | None = None) -> go.Figure:
    """Erlang C's prediction next to the simulated desk: service level, chance of waiting,
    abandonment (each a share, shown in %). Both dicts hold those three keys."""
    lang = resolve(lang)
    keys = ["service_level", "prob_wait", "abandonment_rate"]
    fig = go.Figure()
    for name, values, colour in (("erlang_c", formula, "#9ecae1"), ("simulated_desk", simulated, "#08519c")):
        missing = [k for k in keys if k not in values]
        if missing:
            raise ValueError(f"{name} values lack {missing[0]!r}.")
        fig.add_trace(
            go.Bar(
                x=[t(k, lang) for k in keys],
                y=[100 * float(values[k]) for k in keys],
                name=t(name, lang),
                marker_color=colour,
                text=[f"{100 * float(values[k]):.0f}%" for k in keys],
                textposition="outside",
            )
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text="%", range=[0, 110])
    return style(fig, "title.desk", lang)
