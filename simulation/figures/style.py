"""The look shared by the workbench's figures: height, margins, legend and a translated title."""

from __future__ import annotations

import plotly.graph_objects as go

from ..common.i18n import t

__all__ = ["HEIGHT", "style"]

#: Default figure height in pixels (fits a laptop screen beside the notebook's text).
HEIGHT = 380


def style(fig: go.Figure, title_key: str, lang: str, **layout) -> go.Figure:
    """Give ``fig`` the workbench's layout and the title ``t(title_key, lang)``; return it."""
    fig.update_layout(
        title=dict(text=t(title_key, lang), x=0.01),
        template="plotly_white",
        height=layout.pop("height", HEIGHT),
        margin=dict(l=60, r=30, t=60, b=50),
        legend=dict(orientation="h", y=-0.18),
        **layout,
    )
    return fig
