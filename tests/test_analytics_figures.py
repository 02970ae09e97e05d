"""Figure builders return plotly figures with English or Chinese labels and never simulate."""

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from analytics_data import hand_customers, hand_orders

from simulation.analytics import (
    cohort_retention,
    customer_profit,
    fit_bgnbd,
    load_cdnow_summary,
    rfm_scores,
    rfm_segments,
    rfm_table,
    segment_summary,
    survival_table,
    value_matrix,
    whale_curve,
)
from simulation.figures.analytics import (
    CATEGORY_LABELS,
    LABELS,
    clv_distribution_figure,
    cohort_heatmap_figure,
    p_alive_figure,
    rfm_segment_figure,
    survival_figure,
    value_matrix_figure,
    whale_curve_figure,
)


@pytest.fixture(scope="module")
def builders():
    orders, customers = hand_orders(), hand_customers()
    profit = customer_profit(orders, customers)
    profit.loc[:, "profit_cny"] = [300.0, -50.0, 80.0, -10.0]
    seg = segment_summary(rfm_segments(rfm_scores(rfm_table(orders, as_of_day=84))))
    matrix = value_matrix(profit.assign(clv_cny=[10.0, 1.0, 7.0, 2.0]))
    summary = load_cdnow_summary().head(200)
    predicted = fit_bgnbd(load_cdnow_summary()).predict(summary, t=39)
    return {
        "whale": lambda lang: whale_curve_figure(profit, lang=lang),
        "whale_from_curve": lambda lang: whale_curve_figure(whale_curve(profit), lang=lang),
        "segments": lambda lang: rfm_segment_figure(seg, lang=lang),
        "matrix": lambda lang: value_matrix_figure(matrix, lang=lang),
        "cohorts": lambda lang: cohort_heatmap_figure(cohort_retention(orders), lang=lang),
        "survival": lambda lang: survival_figure(
            survival_table(customers, as_of_day=84, basis="dropout", group_col="segment"), lang=lang
        ),
        "clv": lambda lang: clv_distribution_figure(pd.Series(np.linspace(0, 100, 50)), lang=lang),
        "p_alive": lambda lang: p_alive_figure(predicted, lang=lang),
    }


@pytest.mark.parametrize(
    "name", ["whale", "whale_from_curve", "segments", "matrix", "cohorts", "survival", "clv", "p_alive"]
)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_builders_return_labelled_figures(builders, name, lang):
    fig = builders[name](lang)
    assert isinstance(fig, go.Figure) and len(fig.data) >= 1
    title = fig.layout.title.text
    assert title in {v for k, v in LABELS[lang].items() if k.endswith("_title")}
    if lang == "zh":
        assert any("\u4e00" <= ch <= "\u9fff" for ch in title)


def test_whale_curve_figure_starts_at_origin_and_peaks(orders, customers):
    profit = customer_profit(orders, customers)
    profit.loc[:, "profit_cny"] = [300.0, -50.0, 80.0, -10.0]
    fig = whale_curve_figure(profit)
    line = fig.data[0]
    assert line.x[0] == 0 and line.y[0] == 0
    assert max(line.y) == pytest.approx(100 * 380 / 320)


def test_value_matrix_axes_and_p_alive_time_unit(builders, orders, customers):
    profit = customer_profit(orders, customers)
    matrix = value_matrix(profit.assign(clv_cny=[10.0, 1.0, 7.0, 2.0]))
    ranked = value_matrix_figure(matrix)
    assert max(max(tr.x) for tr in ranked.data if len(tr.x)) <= 100
    assert value_matrix_figure(matrix, axes="value", lang="zh").layout.xaxis.title.text == LABELS["zh"]["current_value"]
    with pytest.raises(ValueError, match="axes must be one of 'rank', 'value'; got 'log'"):
        value_matrix_figure(matrix, axes="log")
    predicted = fit_bgnbd(load_cdnow_summary()).predict(load_cdnow_summary().head(20), t=39)
    assert "weeks" in p_alive_figure(predicted, time_unit="weeks").layout.xaxis.title.text
    assert "周" in p_alive_figure(predicted, time_unit="周", lang="zh").layout.xaxis.title.text


def test_chinese_category_names_and_bad_language(orders, customers):
    seg = segment_summary(rfm_segments(rfm_scores(rfm_table(orders, as_of_day=84))))
    fig = rfm_segment_figure(seg, lang="zh")
    assert CATEGORY_LABELS["zh"]["hibernating"] in fig.data[0].x
    with pytest.raises(ValueError, match="language must be 'en' or 'zh'; got 'fr'"):
        rfm_segment_figure(seg, lang="fr")
    assert set(LABELS["en"]) == set(LABELS["zh"])
    with pytest.raises(ValueError, match="summary is missing column 'value_share'"):
        rfm_segment_figure(seg.drop(columns="value_share"))


def test_whale_curve_figure_before_acquisition(orders, customers):
    from simulation.figures import result_figure  # noqa: F401  (the notebook's entry point)

    profit = customer_profit(orders, customers)  # profits 170, -310, 80, -80; acquisition 100, 200, 50, 80
    fig = whale_curve_figure(profit, before_acquisition=True, lang="zh")
    after, before = fig.data[0], fig.data[1]
    assert after.name == LABELS["zh"]["after_acquisition"] and before.name == LABELS["zh"]["before_acquisition"]
    # before acquisition: 270, -110, 130, 0 -> total 290, ranked 270, 130, 0, -110 -> peak 400 / 290
    assert max(before.y) == pytest.approx(100 * 400 / 290)
    assert len(whale_curve_figure(profit).data) == 2  # the default picture is unchanged: curve and peak
    with pytest.raises(ValueError, match="before_acquisition"):
        whale_curve_figure(whale_curve(profit), before_acquisition=True)
