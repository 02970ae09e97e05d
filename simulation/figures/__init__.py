"""Figure builders: data in, a plotly ``go.Figure`` out. The only layer besides ``notebook``
that imports plotly.
"""

from .results import (
    DEFAULT_KPIS,
    RESULT_FIGURES,
    channel_figure,
    churn_figure,
    compare_figure,
    customers_figure,
    kpi_figure,
    orders_figure,
    result_figure,
    satisfaction_figure,
    stages_figure,
    trend_figure,
    views_figure,
)

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
