"""Plotly figure builders for the analytics (one per analysis), in English or Chinese.

Each builder takes the table an analytics function returned and gives back a
``plotly.graph_objects.Figure``; none simulates, reads files or shows anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative

from ..analytics.value import TREATMENTS, whale_curve
from ..common.checks import check_choice, check_int, require_columns
from ..common.i18n import LABELS as I18N_LABELS
from ..common.i18n import LANGUAGES, resolve, t

_COLOURS = qualitative.Plotly

#: Label keys of the figures (``figure.<key>`` in :data:`simulation.common.i18n.LABELS`).
FIGURE_KEYS = tuple(k.split(".", 1)[1] for k in I18N_LABELS if k.startswith("figure."))
#: Category names with a label (``category.<name>`` in :data:`simulation.common.i18n.LABELS`).
CATEGORY_KEYS = tuple(k.split(".", 1)[1] for k in I18N_LABELS if k.startswith("category."))
#: The figures' labels by language, as read from the workbench's one label table.
LABELS = MappingProxyType(
    {lang: MappingProxyType({k: t(f"figure.{k}", lang) for k in FIGURE_KEYS}) for lang in LANGUAGES}
)
#: Names of analytics categories (segments, treatments, quadrants) by language.
CATEGORY_LABELS = MappingProxyType(
    {lang: MappingProxyType({k: t(f"category.{k}", lang) for k in CATEGORY_KEYS}) for lang in LANGUAGES}
)


def _labels(lang: str | None) -> Mapping[str, str]:
    return LABELS[resolve(lang)]


def _cat(name, lang: str | None) -> str:
    return CATEGORY_LABELS[resolve(lang)].get(str(name), str(name))


def _layout(fig: go.Figure, title: str, x: str, y: str) -> go.Figure:
    fig.update_layout(title=title, xaxis_title=x, yaxis_title=y, template="plotly_white", legend_title_text="")
    return fig


def whale_curve_figure(
    profit: pd.DataFrame | pd.Series, *, lang: str | None = None, before_acquisition: bool = False
) -> go.Figure:
    """Whale curve from :func:`whale_curve` output, or from profit per customer (``profit_cny``).

    With ``before_acquisition=True`` (needs the columns ``profit_cny`` and
    ``acquisition_cost_cny`` of :func:`simulation.analytics.customer_profit`) a second, dashed
    curve ranks the customers by profit *before* their acquisition cost, each curve as a share
    of its own total: the gap between them is what charging the acquisition cost in full does
    to recently acquired customers (see :func:`simulation.analytics.loss_reasons`).
    """
    t = _labels(lang)
    if isinstance(profit, pd.DataFrame) and "cumulative_profit_share" in profit.columns:
        if before_acquisition:
            raise ValueError("before_acquisition needs profit per customer, not a finished whale curve")
        curve = profit
    else:
        curve = whale_curve(profit)
    x = np.concatenate([[0.0], 100.0 * curve["customer_share"].to_numpy()])
    y = np.concatenate([[0.0], 100.0 * curve["cumulative_profit_share"].to_numpy()])
    name = t["after_acquisition"] if before_acquisition else t["cumulative_profit"]
    fig = go.Figure(go.Scatter(x=x, y=y, mode="lines", name=name))
    if before_acquisition:
        require_columns(profit, "profit", ["profit_cny", "acquisition_cost_cny"])
        before = whale_curve(profit["profit_cny"] + profit["acquisition_cost_cny"])
        fig.add_trace(
            go.Scatter(
                x=np.concatenate([[0.0], 100.0 * before["customer_share"].to_numpy()]),
                y=np.concatenate([[0.0], 100.0 * before["cumulative_profit_share"].to_numpy()]),
                mode="lines",
                line={"dash": "dash"},
                name=t["before_acquisition"],
            )
        )
    fig.add_hline(y=100.0, line_dash="dash", annotation_text=t["total_profit"])
    if np.isfinite(y).any():
        i = int(np.nanargmax(y))
        fig.add_trace(
            go.Scatter(
                x=[x[i]],
                y=[y[i]],
                mode="markers+text",
                text=[f"{t['peak']} {y[i]:.0f}%"],
                textposition="top center",
                showlegend=False,
            )
        )
    return _layout(fig, t["whale_title"], t["customer_share"], t["cumulative_profit"])


def rfm_segment_figure(summary: pd.DataFrame, *, lang: str | None = None) -> go.Figure:
    """Bars of customer share and value share per segment, from :func:`segment_summary`."""
    t = _labels(lang)
    require_columns(summary, "summary", ["customer_share", "value_share"])
    names = [_cat(s, lang) for s in summary.index]
    fig = go.Figure(
        [
            go.Bar(x=names, y=100.0 * summary["customer_share"].to_numpy(), name=t["customers_share"]),
            go.Bar(x=names, y=100.0 * summary["value_share"].to_numpy(), name=t["value_share"]),
        ]
    )
    fig.update_layout(barmode="group")
    return _layout(fig, t["segments_title"], t["segment"], t["share_pct"])


def value_matrix_figure(
    matrix: pd.DataFrame,
    *,
    current_col: str = "profit_cny",
    potential_col: str = "clv_cny",
    axes: str = "rank",
    lang: str | None = None,
) -> go.Figure:
    """Scatter of current vs potential value coloured by treatment, from :func:`value_matrix`.

    ``axes="rank"`` (default) plots percentile ranks (0-100), which keeps the four quadrants
    readable when a few customers are worth far more than the rest; ``axes="value"`` plots CNY.
    Dotted lines mark the splits between the low and high groups.
    """
    t = _labels(lang)
    check_choice(axes, "axes", ["rank", "value"])
    require_columns(matrix, "matrix", [current_col, potential_col, "treatment", "high_current", "high_potential"])
    if axes == "rank":
        x = 100.0 * matrix[current_col].rank(pct=True)
        y = 100.0 * matrix[potential_col].rank(pct=True)
    else:
        x, y = matrix[current_col], matrix[potential_col]
    fig = go.Figure()
    for i, treat in enumerate(TREATMENTS):
        part = (matrix["treatment"] == treat).to_numpy()
        fig.add_trace(
            go.Scatter(
                x=x[part],
                y=y[part],
                mode="markers",
                name=_cat(treat, lang),
                marker={"size": 5, "opacity": 0.6, "color": _COLOURS[i]},
            )
        )
    hc, hp = matrix["high_current"].to_numpy(bool), matrix["high_potential"].to_numpy(bool)
    if hc.any() and (~hc).any():
        fig.add_vline(x=float(x[~hc].max()), line_dash="dot")
    if hp.any() and (~hp).any():
        fig.add_hline(y=float(y[~hp].max()), line_dash="dot")
    xt, yt = ("current_rank", "potential_rank") if axes == "rank" else ("current_value", "potential_value")
    return _layout(fig, t["matrix_title"], t[xt], t[yt])


def cohort_heatmap_figure(retention: pd.DataFrame, *, lang: str | None = None) -> go.Figure:
    """Heatmap of retention shares, from :func:`cohort_retention` (tidy or ``wide=True``)."""
    t = _labels(lang)
    wide = retention
    if {"cohort", "age", "retention"}.issubset(retention.columns):
        wide = retention.pivot(index="cohort", columns="age", values="retention")
    z = 100.0 * wide.to_numpy(dtype=float)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[str(c) for c in wide.columns],
            y=[str(i) for i in wide.index],
            colorscale="Blues",
            zmin=0,
            zmax=100,
            colorbar={"title": t["retention"]},
            texttemplate="%{z:.0f}",
        )
    )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category")
    return _layout(fig, t["cohort_title"], t["age"], t["cohort"])


def survival_figure(table: pd.DataFrame, *, lang: str | None = None, show_ci: bool = True) -> go.Figure:
    """Kaplan-Meier step curves per group, from :func:`survival_table` or :func:`kaplan_meier`."""
    t = _labels(lang)
    require_columns(table, "table", ["time", "survival"])
    groups = table.groupby("group", sort=False) if "group" in table.columns else [("all", table)]
    fig = go.Figure()
    for i, (name, part) in enumerate(groups):
        colour = _COLOURS[i % len(_COLOURS)]
        fig.add_trace(
            go.Scatter(
                x=part["time"],
                y=100.0 * part["survival"],
                mode="lines",
                line_shape="hv",
                name=_cat(name, lang),
                line={"color": colour},
            )
        )
        if show_ci and {"lower_95", "upper_95"}.issubset(part.columns):
            for col in ("upper_95", "lower_95"):
                fig.add_trace(
                    go.Scatter(
                        x=part["time"],
                        y=100.0 * part[col],
                        mode="lines",
                        line_shape="hv",
                        line={"width": 0.6, "dash": "dot", "color": colour},
                        showlegend=False,
                        hoverinfo="skip",
                    )
                )
    fig.update_yaxes(range=[0, 101])
    return _layout(fig, t["survival_title"], t["days"], t["survival"])


def clv_distribution_figure(
    clv: pd.DataFrame | pd.Series, *, clv_col: str = "clv_cny", bins: int = 50, lang: str | None = None
) -> go.Figure:
    """Histogram of per-customer CLV with its mean marked, from :func:`clv_bgnbd_gg` or a Series."""
    t = _labels(lang)
    bins = check_int(bins, "bins", lo=2, hi=1000)
    if isinstance(clv, pd.DataFrame):
        require_columns(clv, "clv", [clv_col])
        values = clv[clv_col]
    else:
        values = clv
    v = values.to_numpy(dtype=float)
    fig = go.Figure(go.Histogram(x=v, nbinsx=bins, name=t["clv"]))
    fig.add_vline(x=float(np.nanmean(v)), line_dash="dash", annotation_text=f"{t['mean']} {np.nanmean(v):,.0f}")
    return _layout(fig, t["clv_title"], t["clv"], t["count"])


def p_alive_figure(predicted: pd.DataFrame, *, time_unit: str | None = None, lang: str | None = None) -> go.Figure:
    """P(alive) against time since the last purchase (T - recency), coloured by repeat purchases,
    from :meth:`BGNBDFit.predict` or :func:`clv_bgnbd_gg` output. `time_unit` (e.g. "weeks",
    "周") names the summary's time unit on the x axis."""
    t = dict(_labels(lang))
    if time_unit is not None:
        t["since_last"] = t["since_last"].replace(LABELS[resolve(lang)]["model_units"], str(time_unit))
    require_columns(predicted, "predicted", ["frequency", "recency", "T", "p_alive"])
    fig = go.Figure(
        go.Scatter(
            x=predicted["T"] - predicted["recency"],
            y=predicted["p_alive"],
            mode="markers",
            marker={
                "color": predicted["frequency"],
                "colorscale": "Viridis",
                "showscale": True,
                "colorbar": {"title": t["frequency"]},
                "size": 5,
                "opacity": 0.6,
            },
            name=t["p_alive"],
        )
    )
    fig.update_yaxes(range=[0, 1.02])
    return _layout(fig, t["palive_title"], t["since_last"], t["p_alive"])
