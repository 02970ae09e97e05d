"""Figure builders for the model's own tables (the course's KPI, time and stage pictures).

Each builder takes data (a :class:`Result` table, a view from :mod:`simulation.lessons.tables` or a
summary dict) and returns a ``plotly.graph_objects.Figure``. Builders never simulate, read
files or show anything; the caller decides where a figure goes. Titles, axes and legends come
from :mod:`simulation.common.i18n` in ``lang`` (default: the current language). A builder always makes
the same traces in the same order, so a widget can copy a new figure's data into a figure on
screen (see :func:`simulation.notebook.controls.explore`). Analytics pictures (whale curve, RFM, CLV …)
live in :mod:`simulation.figures.analytics`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..common.checks import did_you_mean, require_columns
from ..common.dictionary import PERCENT_SUFFIXES
from ..common.i18n import bracketed, label_or_key, resolve, t
from ..model.records import STAGES
from .style import HEIGHT, style

__all__ = [
    "DEFAULT_KPIS",
    "kpi_figure",
    "orders_figure",
    "customers_figure",
    "stages_figure",
    "satisfaction_figure",
    "channel_figure",
    "views_figure",
    "compare_figure",
    "trend_figure",
    "churn_figure",
    "RESULT_FIGURES",
    "result_figure",
]

#: The KPIs a KPI figure shows unless told otherwise (keys of ``Result.summary()``).
DEFAULT_KPIS = (
    "customers_acquired",
    "revenue_cny",
    "profit_cny",
    "retention_rate",
    "mean_satisfaction",
    "top20_revenue_share",
)

_STAGE_COLOURS = {
    "contact": "#9ecae1",
    "development": "#4292c6",
    "maintenance": "#08519c",
    "decline": "#fd8d3c",
    "termination": "#a50f15",
}


def _number_format(key: str) -> dict:
    if key.endswith(PERCENT_SUFFIXES):
        return dict(valueformat=".1%")
    if key.endswith("_cny"):
        return dict(valueformat=",.0f")
    if key.startswith("mean_"):
        return dict(valueformat=".1f")
    return dict(valueformat=",.0f")


def kpi_figure(
    summary: dict, *, keys=DEFAULT_KPIS, reference: dict | None = None, lang: str | None = None
) -> go.Figure:
    """Headline indicators of a run as number tiles, with the change against ``reference``.

    Parameters
    ----------
    summary : dict
        ``Result.summary()`` of the run to show.
    keys : sequence of str
        Which KPIs, in order (at most 8 fit in two rows of four).
    reference : dict, optional
        Another run's summary; each tile then shows the difference to it (green = up).
    """
    lang = resolve(lang)
    if not isinstance(summary, dict):
        raise TypeError(f"summary must be a dict from Result.summary(); got {type(summary).__name__}.")
    keys = list(keys)
    missing = [k for k in keys if k not in summary]
    if missing:
        raise ValueError(f"summary has no KPI {missing[0]!r}; it has {', '.join(summary)}.")
    cols = min(4, max(1, len(keys)))
    rows = math.ceil(len(keys) / cols)
    fig = go.Figure()
    for n, key in enumerate(keys):
        value = summary[key]
        value = float("nan") if value is None else float(value)
        fmt = _number_format(key)
        kw = {}
        if reference is not None and reference.get(key) is not None:
            kw = dict(mode="number+delta", delta=dict(reference=float(reference[key]), **fmt))
        fig.add_trace(
            go.Indicator(
                value=value,
                mode=kw.pop("mode", "number"),
                number=fmt,
                title=dict(text=label_or_key(key, lang), font=dict(size=14)),
                domain=dict(row=n // cols, column=n % cols),
                **kw,
            )
        )
    fig.update_layout(grid=dict(rows=rows, columns=cols, pattern="independent"))
    return style(fig, "title.kpis", lang, height=150 + 120 * rows)


def orders_figure(table: pd.DataFrame, *, lang: str | None = None) -> go.Figure:
    """Orders (bars) and revenue (line, right axis) per period, from :func:`views.orders_by_period`."""
    lang = resolve(lang)
    require_columns(table, "table", ["period", "orders", "revenue_cny"])
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(
        go.Bar(x=table["period"], y=table["orders"], name=t("orders", lang), marker_color="#4292c6"), secondary_y=False
    )
    fig.add_trace(
        go.Scatter(
            x=table["period"],
            y=table["revenue_cny"],
            name=t("revenue_cny", lang),
            mode="lines+markers",
            line=dict(color="#e6550d"),
        ),
        secondary_y=True,
    )
    fig.update_xaxes(title_text=t("period", lang))
    fig.update_yaxes(title_text=t("orders", lang), secondary_y=False, rangemode="tozero")
    fig.update_yaxes(title_text=t("revenue_cny", lang), secondary_y=True, rangemode="tozero", showgrid=False)
    return style(fig, "title.orders_over_time", lang)


def customers_figure(table: pd.DataFrame, *, lang: str | None = None) -> go.Figure:
    """New customers (up), leavers (down) and customers acquired so far (line, right axis)."""
    lang = resolve(lang)
    require_columns(table, "table", ["period", "new_customers", "leavers_truth", "cumulative_customers"])
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(
        go.Bar(x=table["period"], y=table["new_customers"], name=t("new_customers", lang), marker_color="#31a354"),
        secondary_y=False,
    )
    fig.add_trace(
        go.Bar(x=table["period"], y=-table["leavers_truth"], name=t("leavers_truth", lang), marker_color="#de2d26"),
        secondary_y=False,
    )
    fig.add_trace(
        go.Scatter(
            x=table["period"],
            y=table["cumulative_customers"],
            mode="lines",
            name=t("cumulative_customers", lang),
            line=dict(color="#636363"),
        ),
        secondary_y=True,
    )
    fig.update_layout(barmode="relative")
    fig.update_xaxes(title_text=t("period", lang))
    fig.update_yaxes(title_text=t("customers", lang), secondary_y=False)
    fig.update_yaxes(title_text=t("cumulative_customers", lang), secondary_y=True, rangemode="tozero", showgrid=False)
    return style(fig, "title.customers_over_time", lang)


def stages_figure(table: pd.DataFrame, *, lang: str | None = None) -> go.Figure:
    """Stacked areas: customers in each lifecycle stage over time (from :func:`views.stage_counts`)."""
    lang = resolve(lang)
    require_columns(table, "table", ["day", *STAGES])
    fig = go.Figure()
    for s in STAGES:
        fig.add_trace(
            go.Scatter(
                x=table["day"],
                y=table[s],
                name=t(s, lang),
                mode="lines",
                stackgroup="stages",
                line=dict(width=0.5, color=_STAGE_COLOURS[s]),
            )
        )
    fig.update_xaxes(title_text=t("day", lang))
    fig.update_yaxes(title_text=t("customers", lang))
    return style(fig, "title.stages_over_time", lang)


def satisfaction_figure(customers: pd.DataFrame, *, lang: str | None = None) -> go.Figure:
    """Distribution of satisfaction (0-100) at first contact and at the end, acquired customers only."""
    lang = resolve(lang)
    require_columns(customers, "customers", ["acquired_day", "satisfaction_initial", "satisfaction_final"])
    acq = customers.loc[customers["acquired_day"].notna()]
    edges = np.arange(0, 105, 5.0)
    fig = go.Figure()
    for col, colour in (("satisfaction_initial", "#9ecae1"), ("satisfaction_final", "#08519c")):
        counts, _ = np.histogram(acq[col].to_numpy(dtype=float), bins=edges)
        fig.add_trace(
            go.Bar(x=edges[:-1] + 2.5, y=counts, width=4.6, name=t(col, lang), marker_color=colour, opacity=0.75)
        )
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(title_text=t("satisfaction", lang), range=[0, 100])
    fig.update_yaxes(title_text=t("customers", lang))
    return style(fig, "title.satisfaction", lang)


def channel_figure(table: pd.DataFrame, *, lang: str | None = None) -> go.Figure:
    """Customers won per channel (bars) and the cost of one customer (diamonds, right axis)."""
    lang = resolve(lang)
    require_columns(table, "table", ["channel", "customers", "cost_per_customer_cny"])
    names = [label_or_key(str(c), lang) for c in table["channel"]]
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(
        go.Bar(x=names, y=table["customers"], name=t("customers_acquired", lang), marker_color="#4292c6"),
        secondary_y=False,
    )
    fig.add_trace(
        go.Scatter(
            x=names,
            y=table["cost_per_customer_cny"],
            mode="markers",
            marker=dict(symbol="diamond", size=14, color="#e6550d"),
            name=t("cost_per_customer_cny", lang),
        ),
        secondary_y=True,
    )
    fig.update_yaxes(title_text=t("customers", lang), secondary_y=False, rangemode="tozero")
    fig.update_yaxes(title_text=t("cost_per_customer_cny", lang), secondary_y=True, rangemode="tozero", showgrid=False)
    return style(fig, "title.channels", lang)


def views_figure(categories: pd.DataFrame, profit: pd.Series, *, lang: str | None = None) -> go.Figure:
    """Product-centric next to customer-centric: revenue by category | profit of each customer.

    Parameters
    ----------
    categories : DataFrame
        From :func:`views.category_table` (``category``, ``revenue_cny``, ``margin_cny``).
    profit : Series
        Profit per customer in CNY (any order; shown ranked from best to worst).
    """
    lang = resolve(lang)
    require_columns(categories, "categories", ["category", "revenue_cny", "margin_cny"])
    p = np.sort(np.asarray(profit, dtype=float))[::-1]
    fig = make_subplots(rows=1, cols=2, subplot_titles=(t("title.product_view", lang), t("title.customer_view", lang)))
    names = [label_or_key(str(c), lang) for c in categories["category"]]
    fig.add_trace(
        go.Bar(x=names, y=categories["revenue_cny"], name=t("revenue_cny", lang), marker_color="#9ecae1"), row=1, col=1
    )
    fig.add_trace(
        go.Bar(x=names, y=categories["margin_cny"], name=t("margin_cny", lang), marker_color="#08519c"), row=1, col=1
    )
    fig.add_trace(
        go.Scatter(
            x=np.arange(1, len(p) + 1),
            y=p,
            mode="lines",
            name=t("profit_cny", lang),
            line=dict(color="#31a354"),
            fill="tozeroy",
        ),
        row=1,
        col=2,
    )
    fig.update_xaxes(title_text=t("customer", lang), row=1, col=2)
    fig.update_yaxes(title_text=t("cny", lang), row=1, col=1)
    fig.update_annotations(font_size=13)
    return style(fig, "title.two_views", lang, height=HEIGHT + 40)


def compare_figure(frame: pd.DataFrame, *, lang: str | None = None) -> go.Figure:
    """KPIs of several runs as grouped bars, each KPI scaled to the first run (= 100).

    ``frame`` comes from :func:`simulation.lessons.tables.kpi_frame` (rows = KPIs, columns = runs).
    """
    lang = resolve(lang)
    if not isinstance(frame, pd.DataFrame) or frame.shape[1] == 0:
        raise ValueError("frame must be a DataFrame with one column per run (views.kpi_frame).")
    base = frame.iloc[:, 0].astype(float).replace(0.0, np.nan)
    fig = go.Figure()
    names = [label_or_key(str(k), lang) for k in frame.index]
    for col in frame.columns:
        rel = 100.0 * frame[col].astype(float) / base
        fig.add_trace(
            go.Bar(x=names, y=rel, name=str(col), customdata=frame[col], hovertemplate="%{x}: %{customdata:,.4g}")
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text=bracketed(t("value", lang), f"{frame.columns[0]} = 100", lang))
    return style(fig, "title.compare", lang)


def churn_figure(reasons: pd.DataFrame, *, lang: str | None = None) -> go.Figure:
    """Customers who left, by reason (``churn_reasons`` table: reason, customers, share)."""
    lang = resolve(lang)
    require_columns(reasons, "reasons", ["reason", "customers", "share"])
    fig = go.Figure(
        go.Bar(
            x=[label_or_key(str(r), lang) for r in reasons["reason"]],
            y=reasons["customers"],
            text=[f"{s:.0%}" for s in reasons["share"].fillna(0.0)],
            textposition="outside",
            marker_color="#de2d26",
            name=t("leavers_truth", lang),
        )
    )
    fig.update_yaxes(title_text=t("leavers_truth", lang), rangemode="tozero")
    return style(fig, "title.churn", lang)


def trend_figure(
    table: pd.DataFrame, *, x: str, ys, title_key: str = "title.capstone", lang: str | None = None
) -> go.Figure:
    """Lines of several columns of ``table`` against ``x`` (a KPI path over periods or years)."""
    lang = resolve(lang)
    ys = [ys] if isinstance(ys, str) else list(ys)
    require_columns(table, "table", [x, *ys])
    fig = go.Figure()
    for y in ys:
        fig.add_trace(go.Scatter(x=table[x], y=table[y], mode="lines+markers", name=label_or_key(y, lang)))
    fig.update_xaxes(title_text=label_or_key(x, lang))
    return style(fig, title_key, lang)


#: Pictures of a whole :class:`Result` by name (what :func:`result_figure` can draw).
RESULT_FIGURES = ("kpis", "orders", "customers", "stages", "satisfaction", "channels", "views", "whale", "rfm", "churn")


def result_figure(result, kind: str, *, reference=None, lang: str | None = None) -> go.Figure:
    """One of the standard pictures of a run, by name (see :data:`RESULT_FIGURES`).

    Parameters
    ----------
    result : Result
        The run to draw (its tables are summarised with :mod:`simulation.lessons.tables`).
    kind : str
        ``"kpis"`` (tiles, with the change against ``reference``), ``"orders"``,
        ``"customers"``, ``"stages"``, ``"satisfaction"``, ``"channels"`` or ``"views"``
        (product-centric next to customer-centric), ``"whale"`` (cumulative profit of
        customers ranked by profit, after cost to serve and acquisition, with a dashed curve
        before the acquisition cost; drawn by
        :func:`simulation.figures.analytics.whale_curve_figure`), ``"rfm"`` (size and value
        of the default RFM segments at the end of the run, by
        :func:`simulation.figures.analytics.rfm_segment_figure`), ``"churn"`` (why the
        customers who left did so, from :func:`simulation.analytics.churn_reasons`).
    reference : Result, optional
        Only for ``"kpis"``: the run the tiles compare against.
    """
    from ..lessons import tables as views

    if kind not in RESULT_FIGURES:
        tip = did_you_mean(str(kind), RESULT_FIGURES)
        raise ValueError(f"unknown figure {kind!r}{tip} Choose one of {', '.join(RESULT_FIGURES)}.")
    period = result.scenario.period_days
    if kind == "kpis":
        return kpi_figure(result.summary(), reference=None if reference is None else reference.summary(), lang=lang)
    if kind == "orders":
        return orders_figure(
            views.orders_by_period(result.orders, as_of_day=result.as_of_day, period_days=period), lang=lang
        )
    if kind == "customers":
        return customers_figure(
            views.customers_by_period(result.customers, as_of_day=result.as_of_day, period_days=period), lang=lang
        )
    if kind == "stages":
        return stages_figure(views.stage_counts(result.lifecycle, as_of_day=result.as_of_day, step_days=7.0), lang=lang)
    if kind == "satisfaction":
        return satisfaction_figure(result.customers, lang=lang)
    if kind == "channels":
        return channel_figure(views.channel_table(result.customers), lang=lang)
    if kind == "churn":
        from ..analytics.cohorts import churn_reasons

        return churn_figure(churn_reasons(result.customers), lang=lang)
    if kind == "rfm":
        from ..analytics.rfm import rfm_scores, rfm_segments, rfm_table, segment_summary
        from .analytics import rfm_segment_figure

        segments = rfm_segments(rfm_scores(rfm_table(result.orders, as_of_day=result.as_of_day)))
        return rfm_segment_figure(segment_summary(segments), lang=resolve(lang))
    from ..analytics.value import customer_profit

    profit = customer_profit(result.orders, result.customers)
    if kind == "whale":
        from .analytics import whale_curve_figure

        return whale_curve_figure(profit, lang=resolve(lang), before_acquisition=True)
    return views_figure(views.category_table(result.orders), profit["profit_cny"], lang=lang)
