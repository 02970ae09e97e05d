"""Plotly figure builders for the analytics (one per analysis), in English or Chinese.

Each builder takes the table an analytics function returned and gives back a
``plotly.graph_objects.Figure``; none simulates, reads files or shows anything.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative

_COLOURS = qualitative.Plotly

from ._checks import check_choice, check_int, require_columns
from .value import TREATMENTS, whale_curve

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "whale_title": "Whale curve: cumulative profit by customers ranked by profit",
        "customer_share": "Customers, ranked by profit (%)",
        "cumulative_profit": "Cumulative profit (% of total)",
        "total_profit": "100% of total profit",
        "peak": "peak",
        "segments_title": "RFM segments: size and value",
        "segment": "Segment",
        "share_pct": "Share (%)",
        "customers_share": "Customers",
        "value_share": "Value",
        "matrix_title": "Customer value matrix",
        "current_value": "Current value (CNY)",
        "potential_value": "Potential value (CNY)",
        "current_rank": "Current value (percentile rank)",
        "potential_rank": "Potential value (percentile rank)",
        "cohort_title": "Cohort retention: share of each cohort buying",
        "cohort": "Acquisition cohort",
        "age": "Periods since acquisition",
        "retention": "Retention (%)",
        "survival_title": "Customer survival (Kaplan-Meier)",
        "days": "Days since acquisition",
        "survival": "Share of customers still active (%)",
        "clv_title": "Distribution of customer lifetime value",
        "clv": "CLV (CNY)",
        "count": "Customers",
        "mean": "mean",
        "palive_title": "Probability a customer is still active",
        "since_last": "Time since last purchase (model time units)",
        "model_units": "model time units",
        "p_alive": "P(alive)",
        "frequency": "Repeat purchases",
    },
    "zh": {
        "whale_title": "鲸鱼曲线：按利润排序的客户累计利润",
        "customer_share": "按利润排序的客户（%）",
        "cumulative_profit": "累计利润（占总利润%）",
        "total_profit": "总利润的100%",
        "peak": "峰值",
        "segments_title": "RFM细分：客户数与价值",
        "segment": "细分",
        "share_pct": "占比（%）",
        "customers_share": "客户数",
        "value_share": "价值",
        "matrix_title": "客户价值矩阵",
        "current_value": "当前价值（元）",
        "potential_value": "潜在价值（元）",
        "current_rank": "当前价值（百分位排名）",
        "potential_rank": "潜在价值（百分位排名）",
        "cohort_title": "同期群留存：各期群中购买客户的比例",
        "cohort": "获客期群",
        "age": "获客后期数",
        "retention": "留存率（%）",
        "survival_title": "客户生存曲线（Kaplan-Meier）",
        "days": "获客后天数",
        "survival": "仍然活跃的客户比例（%）",
        "clv_title": "客户终身价值分布",
        "clv": "客户终身价值（元）",
        "count": "客户数",
        "mean": "平均值",
        "palive_title": "客户仍然活跃的概率",
        "since_last": "距上次购买的时间（模型时间单位）",
        "model_units": "模型时间单位",
        "p_alive": "活跃概率",
        "frequency": "重复购买次数",
    },
}

#: Names of analytics categories (segments, treatments, quadrants) in each language.
CATEGORY_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "champions": "Champions", "loyal": "Loyal", "new": "New", "promising": "Promising",
        "about_to_sleep": "About to sleep", "at_risk": "At risk", "hibernating": "Hibernating",
        "others": "Others", "keep_and_grow": "Keep & grow", "develop": "Develop",
        "maintain": "Maintain", "think_before_investing": "Think carefully before investing",
        "best": "Best", "frequent_low_spend": "Frequent, low spend", "rare_high_spend": "Rare, high spend",
        "uncertain": "Uncertain", "all": "All customers",
    },
    "zh": {
        "champions": "冠军客户", "loyal": "忠诚客户", "new": "新客户", "promising": "有潜力客户",
        "about_to_sleep": "即将沉睡", "at_risk": "流失风险", "hibernating": "沉睡客户",
        "others": "其他", "keep_and_grow": "保持并发展", "develop": "培养开发",
        "maintain": "维持", "think_before_investing": "谨慎投入",
        "best": "最佳客户", "frequent_low_spend": "高频低消费", "rare_high_spend": "低频高消费",
        "uncertain": "不确定客户", "all": "全部客户",
        "household": "家庭客户", "small_business": "小企业客户",
    },
}


def _labels(lang: str) -> dict[str, str]:
    check_choice(lang, "lang", list(LABELS))
    return LABELS[lang]


def _cat(name, lang: str) -> str:
    return CATEGORY_LABELS[lang].get(str(name), str(name))


def _layout(fig: go.Figure, title: str, x: str, y: str) -> go.Figure:
    fig.update_layout(title=title, xaxis_title=x, yaxis_title=y, template="plotly_white", legend_title_text="")
    return fig


def whale_curve_figure(profit: pd.DataFrame | pd.Series, *, lang: str = "en") -> go.Figure:
    """Whale curve from :func:`whale_curve` output, or from profit per customer (``profit_cny``)."""
    t = _labels(lang)
    if isinstance(profit, pd.DataFrame) and "cumulative_profit_share" in profit.columns:
        curve = profit
    else:
        curve = whale_curve(profit)
    x = np.concatenate([[0.0], 100.0 * curve["customer_share"].to_numpy()])
    y = np.concatenate([[0.0], 100.0 * curve["cumulative_profit_share"].to_numpy()])
    fig = go.Figure(go.Scatter(x=x, y=y, mode="lines", name=t["cumulative_profit"]))
    fig.add_hline(y=100.0, line_dash="dash", annotation_text=t["total_profit"])
    if np.isfinite(y).any():
        i = int(np.nanargmax(y))
        fig.add_trace(go.Scatter(x=[x[i]], y=[y[i]], mode="markers+text", text=[f"{t['peak']} {y[i]:.0f}%"],
                                 textposition="top center", showlegend=False))
    return _layout(fig, t["whale_title"], t["customer_share"], t["cumulative_profit"])


def rfm_segment_figure(summary: pd.DataFrame, *, lang: str = "en") -> go.Figure:
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
    lang: str = "en",
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
        fig.add_trace(go.Scatter(x=x[part], y=y[part], mode="markers", name=_cat(treat, lang),
                                 marker={"size": 5, "opacity": 0.6, "color": _COLOURS[i]}))
    hc, hp = matrix["high_current"].to_numpy(bool), matrix["high_potential"].to_numpy(bool)
    if hc.any() and (~hc).any():
        fig.add_vline(x=float(x[~hc].max()), line_dash="dot")
    if hp.any() and (~hp).any():
        fig.add_hline(y=float(y[~hp].max()), line_dash="dot")
    xt, yt = ("current_rank", "potential_rank") if axes == "rank" else ("current_value", "potential_value")
    return _layout(fig, t["matrix_title"], t[xt], t[yt])


def cohort_heatmap_figure(retention: pd.DataFrame, *, lang: str = "en") -> go.Figure:
    """Heatmap of retention shares, from :func:`cohort_retention` (tidy or ``wide=True``)."""
    t = _labels(lang)
    wide = retention
    if {"cohort", "age", "retention"}.issubset(retention.columns):
        wide = retention.pivot(index="cohort", columns="age", values="retention")
    z = 100.0 * wide.to_numpy(dtype=float)
    fig = go.Figure(go.Heatmap(z=z, x=[str(c) for c in wide.columns], y=[str(i) for i in wide.index],
                               colorscale="Blues", zmin=0, zmax=100, colorbar={"title": t["retention"]},
                               texttemplate="%{z:.0f}"))
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category")
    return _layout(fig, t["cohort_title"], t["age"], t["cohort"])


def survival_figure(table: pd.DataFrame, *, lang: str = "en", show_ci: bool = True) -> go.Figure:
    """Kaplan-Meier step curves per group, from :func:`survival_table` or :func:`kaplan_meier`."""
    t = _labels(lang)
    require_columns(table, "table", ["time", "survival"])
    groups = table.groupby("group", sort=False) if "group" in table.columns else [("all", table)]
    fig = go.Figure()
    for i, (name, part) in enumerate(groups):
        colour = _COLOURS[i % len(_COLOURS)]
        fig.add_trace(go.Scatter(x=part["time"], y=100.0 * part["survival"], mode="lines",
                                 line_shape="hv", name=_cat(name, lang), line={"color": colour}))
        if show_ci and {"lower_95", "upper_95"}.issubset(part.columns):
            for col in ("upper_95", "lower_95"):
                fig.add_trace(go.Scatter(x=part["time"], y=100.0 * part[col], mode="lines", line_shape="hv",
                                         line={"width": 0.6, "dash": "dot", "color": colour},
                                         showlegend=False, hoverinfo="skip"))
    fig.update_yaxes(range=[0, 101])
    return _layout(fig, t["survival_title"], t["days"], t["survival"])


def clv_distribution_figure(clv: pd.DataFrame | pd.Series, *, clv_col: str = "clv_cny",
                            bins: int = 50, lang: str = "en") -> go.Figure:
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


def p_alive_figure(predicted: pd.DataFrame, *, time_unit: str | None = None, lang: str = "en") -> go.Figure:
    """P(alive) against time since the last purchase (T - recency), coloured by repeat purchases,
    from :meth:`BGNBDFit.predict` or :func:`clv_bgnbd_gg` output. `time_unit` (e.g. "weeks",
    "周") names the summary's time unit on the x axis."""
    t = dict(_labels(lang))
    if time_unit is not None:
        t["since_last"] = t["since_last"].replace(LABELS[lang]["model_units"], str(time_unit))
    require_columns(predicted, "predicted", ["frequency", "recency", "T", "p_alive"])
    fig = go.Figure(go.Scatter(
        x=predicted["T"] - predicted["recency"], y=predicted["p_alive"], mode="markers",
        marker={"color": predicted["frequency"], "colorscale": "Viridis", "showscale": True,
                "colorbar": {"title": t["frequency"]}, "size": 5, "opacity": 0.6},
        name=t["p_alive"],
    ))
    fig.update_yaxes(range=[0, 1.02])
    return _layout(fig, t["palive_title"], t["since_last"], t["p_alive"])
