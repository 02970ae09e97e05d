"""Plotly figures of experiments: KPI distributions, intervals, CRN comparisons, tornado.

Each builder takes a table from :mod:`simulation.experiments` /
:mod:`simulation.experiments.stats` (the runs, a summary, a comparison, a sensitivity
table) and returns a ``plotly.graph_objects.Figure``. None simulates, reads files or
shows anything. Labels are English or Chinese (``lang``, default: the workbench's
current language, see :mod:`simulation.common.i18n`).
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from ..common.checks import require_columns
from ..common.i18n import label_or_key, pick, resolve, value_label

__all__ = ["kpi_distribution", "interval_plot", "comparison_plot", "tornado", "field_axis_label"]

_BLUE, _GREY, _RED, _GREEN = "#1f77b4", "#9aa5b1", "#d62728", "#2ca02c"


def field_axis_label(path: str, lang: str) -> str:
    """The label of a swept scenario field (its metadata), or the dotted path itself."""
    from ..scenario.fields import field_rows
    from ..scenario.parts import Scenario

    for row in field_rows(Scenario()):
        if row["path"] == path:
            text = row["zh"] if lang == "zh" else row["en"]
            return f"{text} ({path})"
    return path


def _one_kpi(df: pd.DataFrame, kpi: str | None, name: str) -> tuple[pd.DataFrame, str]:
    kpis = list(dict.fromkeys(df["kpi"]))
    if kpi is None:
        if len(kpis) != 1:
            raise ValueError(f"{name} holds {len(kpis)} KPIs ({', '.join(map(str, kpis))}); choose one with kpi=...")
        kpi = kpis[0]
    if kpi not in kpis:
        raise ValueError(f"kpi must be one of {', '.join(map(str, kpis))}; got {kpi!r}")
    return df.loc[df["kpi"] == kpi], kpi


def kpi_distribution(runs: pd.DataFrame, kpi: str, *, lang: str | None = None) -> go.Figure:
    """Distribution of a KPI over the replications of each policy (violin, box and points).

    What a student sees: the spread of outcomes one policy produces by chance alone,
    before any comparison — one run is one draw from this distribution.

    Parameters
    ----------
    runs : DataFrame
        ``Experiment.runs``: needs ``policy`` and the ``kpi`` column.
    kpi : str
    lang : {"en", "zh"}, optional
    """
    lang = resolve(lang)
    require_columns(runs, "runs", ["policy", kpi])
    fig = go.Figure()
    for pol in dict.fromkeys(runs["policy"]):
        y = runs.loc[runs["policy"] == pol, kpi]
        fig.add_trace(
            go.Violin(
                y=y,
                name=str(pol),
                box_visible=True,
                meanline_visible=True,
                points="all",
                pointpos=0,
                jitter=0.3,
                spanmode="hard",
            )
        )
    title = pick(
        f"{label_or_key(kpi, 'en')}: one value per replication", f"{label_or_key(kpi, 'zh')}：每次重复运行一个值", lang
    )
    fig.update_layout(
        title=title, yaxis_title=label_or_key(kpi, lang), showlegend=False, xaxis_title=pick("Policy", "策略", lang)
    )
    return fig


def interval_plot(summary: pd.DataFrame, kpi: str | None = None, *, lang: str | None = None) -> go.Figure:
    """Mean of a KPI per policy with its confidence interval (dot and whiskers).

    The whiskers are the Student-t interval ``mean ± t(1-α/2, n-1) s/sqrt(n)`` from
    :func:`simulation.experiments.stats.summarise`; intervals that do not overlap point to a
    real difference, overlapping ones need a paired comparison (:func:`comparison_plot`).

    Parameters
    ----------
    summary : DataFrame
        From ``Experiment.summary()``: ``policy, kpi, mean, ci_low, ci_high, n, confidence``.
    kpi : str, optional
        Needed when the summary holds several KPIs.
    lang : {"en", "zh"}, optional
    """
    lang = resolve(lang)
    require_columns(summary, "summary", ["policy", "kpi", "mean", "ci_low", "ci_high", "n", "confidence"])
    df, kpi = _one_kpi(summary, kpi, "summary")
    conf = float(df["confidence"].iloc[0]) if len(df) else 0.95
    fig = go.Figure(
        go.Scatter(
            x=df["mean"],
            y=df["policy"].astype(str),
            mode="markers",
            marker=dict(size=10, color=_BLUE),
            error_x=dict(
                type="data",
                symmetric=False,
                array=df["ci_high"] - df["mean"],
                arrayminus=df["mean"] - df["ci_low"],
                thickness=2,
            ),
            customdata=df[["n", "ci_low", "ci_high"]].to_numpy(),
            hovertemplate="%{y}<br>%{x:,.4g} [%{customdata[1]:,.4g}, %{customdata[2]:,.4g}]"
            "<br>n = %{customdata[0]}<extra></extra>",
        )
    )
    pct = f"{100 * conf:g}%"
    fig.update_layout(
        title=pick(
            f"{label_or_key(kpi, 'en')}: mean and {pct} t-interval per policy",
            f"{label_or_key(kpi, 'zh')}：各策略均值及{pct} t置信区间",
            lang,
        ),
        xaxis_title=label_or_key(kpi, lang),
        yaxis=dict(autorange="reversed"),
        yaxis_title=pick("Policy", "策略", lang),
    )
    return fig


def comparison_plot(comparison: pd.DataFrame, *, lang: str | None = None) -> go.Figure:
    """Difference of each policy from the baseline: the CRN interval beside the independent one.

    Dark whiskers: the interval actually used (paired-t under common random numbers);
    light whiskers: the Welch interval the same runs would give if they had been
    independent. Their ratio of widths is ``sqrt(1 - variance_reduction)`` up to the
    t quantiles, the variance reduction being shown in the hover text.

    Parameters
    ----------
    comparison : DataFrame
        From ``Experiment.compare(kpi)``.
    lang : {"en", "zh"}, optional
    """
    lang = resolve(lang)
    need = [
        "policy",
        "baseline",
        "kpi",
        "difference",
        "ci_low",
        "ci_high",
        "half_width_independent",
        "variance_reduction",
        "method",
    ]
    require_columns(comparison, "comparison", need)
    df = comparison
    y = df["policy"].astype(str)
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=df["difference"],
            y=y,
            mode="markers",
            name=pick("Independent runs (Welch)", "独立运行（Welch）", lang),
            marker=dict(size=1, color=_GREY),
            error_x=dict(type="data", array=df["half_width_independent"], color=_GREY, thickness=6, width=0),
            hoverinfo="skip",
        )
    )
    vr = [
        ("–" if (v is None or (isinstance(v, float) and math.isnan(v))) else f"{100 * v:.0f}%")
        for v in df["variance_reduction"]
    ]
    fig.add_trace(
        go.Scatter(
            x=df["difference"],
            y=y,
            mode="markers",
            name=pick("Interval used", "所用区间", lang),
            marker=dict(size=10, color=_BLUE),
            error_x=dict(
                type="data",
                symmetric=False,
                array=df["ci_high"] - df["difference"],
                arrayminus=df["difference"] - df["ci_low"],
                thickness=2,
                color=_BLUE,
            ),
            customdata=list(zip([value_label(m, lang) for m in df["method"]], vr)),
            hovertemplate="%{y}<br>%{x:,.4g}<br>%{customdata[0]}<br>"
            + pick("variance reduction", "方差缩减", lang)
            + ": %{customdata[1]}<extra></extra>",
        )
    )
    fig.add_vline(x=0, line=dict(color="black", width=1, dash="dot"))
    kpi = str(df["kpi"].iloc[0]) if len(df) else ""
    base = str(df["baseline"].iloc[0]) if len(df) else ""
    fig.update_layout(
        title=pick(
            f"{label_or_key(kpi, 'en')}: difference from {base}", f"{label_or_key(kpi, 'zh')}：与{base}的差异", lang
        ),
        xaxis_title=pick("Difference", "差异", lang),
        yaxis=dict(autorange="reversed"),
        legend=dict(orientation="h", y=-0.2),
    )
    return fig


def tornado(sensitivity: pd.DataFrame, kpi: str | None = None, *, lang: str | None = None) -> go.Figure:
    """Tornado chart: each swept field's swing of the KPI's mean, largest at the top.

    Each row spans the mean KPI at the field's lowest value and at its highest value
    (:func:`simulation.experiments.stats.sensitivity`), drawn from the reference mean, so
    the fields the KPI is most sensitive to stand out at the top.

    Parameters
    ----------
    sensitivity : DataFrame
        From ``Experiment.sensitivity(kpi)``.
    kpi : str, optional
        Name of the KPI, for the title.
    lang : {"en", "zh"}, optional
    """
    lang = resolve(lang)
    need = ["factor", "low_value", "high_value", "mean_low", "mean_high", "reference_mean", "swing"]
    require_columns(sensitivity, "sensitivity", need)
    df = sensitivity.sort_values("swing", ascending=False, kind="stable")
    y = [field_axis_label(f, lang) for f in df["factor"]]
    fig = go.Figure()
    for col, val, name, color in (
        ("mean_low", "low_value", pick("Lowest value", "最低取值", lang), _RED),
        ("mean_high", "high_value", pick("Highest value", "最高取值", lang), _GREEN),
    ):
        fig.add_trace(
            go.Bar(
                y=y,
                x=df[col] - df["reference_mean"],
                base=df["reference_mean"],
                orientation="h",
                name=name,
                marker_color=color,
                customdata=list(zip(df[val].astype(str), df[col])),
                hovertemplate="%{y}<br>= %{customdata[0]}: %{customdata[1]:,.4g}<extra></extra>",
            )
        )
    what = label_or_key(kpi, lang) if kpi else pick("KPI", "指标", lang)
    fig.update_layout(
        barmode="overlay",
        yaxis=dict(autorange="reversed"),
        title=pick(f"Sensitivity of {what} to each field", f"{what}对各参数的敏感性", lang),
        xaxis_title=what,
        legend=dict(orientation="h", y=-0.2),
    )
    return fig
