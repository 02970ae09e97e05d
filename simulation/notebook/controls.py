"""Notebook controls wired to live figures: explorations.

The widgets themselves are built from the scenario's field metadata in
:mod:`simulation.notebook.widgets` (re-exported here). :func:`explore` wires controls to a re-run of a firm
(by default the small-class preset) and copies the new figure into a ``go.FigureWidget``
in place, inside ``batch_update()``, so the picture on screen changes without flicker::

    explore(["service.late_delivery_prob"], "satisfaction")

:func:`explore_function` does the same for controls that are not scenario fields (the
textbook CLV formula, the module-1 journey), and :func:`number` makes such a control.
"""

from __future__ import annotations

import html
import time
import weakref
from collections.abc import Callable

import ipywidgets as W
import plotly.graph_objects as go

from ..common import i18n
from ..common.dictionary import PERCENT_SUFFIXES
from .widgets import choice, control, controls, language_picker, number, relabel, slider_spec

__all__ = [
    "slider_spec",
    "control",
    "controls",
    "number",
    "choice",
    "Exploration",
    "explore",
    "explore_function",
    "language_picker",
    "kpi_line",
]


_LIVE: "weakref.WeakSet[Exploration]" = weakref.WeakSet()


def _relabel_all(lang: str) -> None:
    for ex in list(_LIVE):
        ex.relabel()


i18n.on_language_change(_relabel_all)


class Exploration:
    """Controls, a live figure and a line of text, recomputed whenever a control moves.

    Parameters
    ----------
    controls : dict
        ``{name: widget}``; the values reach ``compute`` as ``{name: value}``.
    compute : callable
        ``compute(values) -> (figure, text)``, where ``text`` may be ``None``.

    Attributes
    ----------
    figure : plotly.graph_objects.FigureWidget
        Updated in place; traces are copied from each new figure inside ``batch_update()``.
    seconds : float
        Wall time of the last recompute and redraw.
    error : str or None
        The message of the last rejected input (shown in red instead of redrawing).
    updates : int
        How many times the figure was redrawn.
    """

    def __init__(self, controls: dict, compute: Callable[[dict], tuple]):
        if not controls:
            raise ValueError("an exploration needs at least one control.")
        self.controls = dict(controls)
        self._compute = compute
        self._holder: dict = {}
        self.text = W.HTML()
        self.updates = 0
        self.seconds = 0.0
        self.error: str | None = None
        fig, text = compute(self.values)
        self.figure = go.FigureWidget(fig)
        self._template = fig.layout.to_plotly_json().get("template")
        self._set_text(text)
        for w in self.controls.values():
            w.observe(self._on_change, names="value")
        self.widget = W.VBox([W.VBox(list(self.controls.values())), self.text, self.figure])
        _LIVE.add(self)

    @property
    def result(self):
        """The latest run of an :func:`explore` exploration (``None`` for a function)."""
        return self._holder.get("result")

    @property
    def values(self) -> dict:
        """The controls' current values, ``{name: value}``."""
        return {name: w.value for name, w in self.controls.items()}

    def _on_change(self, change) -> None:
        self.update()

    def _set_text(self, text) -> None:
        self.text.value = "" if text is None else f"<b>{text}</b>"

    def update(self) -> None:
        """Recompute with the current values and redraw the figure in place."""
        t0 = time.perf_counter()
        try:
            fig, text = self._compute(self.values)
        except ValueError as exc:  # e.g. a ScenarioError: say why, keep the figure
            lead = i18n.pick("", "这组设置无效，图表保持不变。原因：")
            self.text.value = f"<span style='color:#b00020'>{lead}{html.escape(str(exc))}</span>"
            self.error = str(exc)
            return
        self.error = None
        target = self.figure
        with target.batch_update():
            if len(target.data) == len(fig.data) and all(a.type == b.type for a, b in zip(target.data, fig.data)):
                for old, new in zip(target.data, fig.data):
                    old.update(new.to_plotly_json(), overwrite=True)
            else:
                target.data = ()
                target.add_traces(list(fig.data))
            layout = fig.layout.to_plotly_json()
            template = layout.pop("template", None)
            if template is not None and template != self._template:  # validating a template is slow:
                layout["template"] = self._template = template  # send it only when it changes
            target.layout.update(layout, overwrite=True)
        self._set_text(text)
        self.updates += 1
        self.seconds = time.perf_counter() - t0

    def set(self, **values) -> "Exploration":
        """Move controls from code (as a student would): ``ex.set(**{"pricing.discount_pct": 10})``."""
        for name, value in values.items():
            if name not in self.controls:
                raise KeyError(f"no control {name!r}; controls: {', '.join(self.controls)}")
            self.controls[name].value = value
        return self

    def relabel(self) -> None:
        """Show labels in the current language and redraw (called on :func:`set_language`)."""
        for w in self.controls.values():
            labels = getattr(w, "_crm_labels", None)
            if labels:
                relabel(w, *labels)
        self.update()

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def kpi_line(summary: dict, keys) -> str:
    """``"Revenue (CNY): 5,144,448 · Repeat-buyer retention: 59.3%"`` in the current language."""
    parts = []
    for key in keys:
        if key not in summary:
            raise ValueError(f"no KPI {key!r} in the summary; KPIs: {', '.join(summary)}.")
        v = summary[key]
        if v is None:
            shown = i18n.pick("n/a", "无")
        elif key.endswith(PERCENT_SUFFIXES):
            shown = f"{v:.1%}"
        elif isinstance(v, float):
            shown = f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.2f}"
        else:
            shown = f"{v:,}" if isinstance(v, int) else str(v)
        parts.append(f"{i18n.label_or_key(key)}{i18n.colon()}{shown}")
    return " · ".join(parts)


def explore(
    paths,
    figure="kpis",
    *,
    scenario=None,
    seed: int = 1,
    fixed: dict | None = None,
    ranges: dict | None = None,
    text: Callable | None = None,
    seed_slider: bool = False,
) -> Exploration:
    """Sliders for scenario fields that re-run the firm and redraw a figure in place.

    Parameters
    ----------
    paths : list of str
        Dotted scenario fields, e.g. ``["service.late_delivery_prob"]``.
    figure : str or callable
        A name from :data:`simulation.figures.RESULT_FIGURES` (``"kpis"`` compares with the
        run at the starting values) or ``figure(result) -> go.Figure``.
    scenario : Scenario, optional
        Default: ``preset("small-class")``, quick enough to re-run at every move.
    seed : int
        The same seed at every re-run, so only the controls change the picture.
    fixed : dict, optional
        Further dotted-path changes applied to every run.
    ranges : dict, optional
        ``{path: (lo, hi)}`` to narrow a slider.
    text : callable or sequence of str, optional
        ``text(result) -> str``, a line shown above the figure; or KPI keys of
        ``Result.summary()`` (e.g. ``["profit_cny", "customers_left_truth"]``) to show.
    seed_slider : bool
        Add a "Seed" slider (0-99), to see how much a KPI moves by chance alone.

    Returns
    -------
    Exploration
        Display it (last line of a cell); ``.result`` is the latest run.
    """
    from ..figures.results import result_figure
    from ..model.firm import run
    from ..scenario.presets import preset, with_changes

    if isinstance(paths, str):
        paths = [paths]
    sc = preset("small-class") if scenario is None else scenario
    fixed = dict(fixed or {})
    if fixed:
        sc = with_changes(sc, fixed)
    ctrls = controls(sc, paths, ranges=ranges)
    if seed_slider:
        ctrls["seed"] = number(seed, 0, 99, 1, en="Seed", zh="随机种子", integer=True)
    holder: dict = {}

    def compute(values: dict):
        values = dict(values)
        run_seed = values.pop("seed", seed)
        key = (run_seed, tuple(values.items()))
        if holder.get("key") == key:  # e.g. a language switch: redraw, do not re-run
            result = holder["result"]
        else:
            result = run(with_changes(sc, values), run_seed)
        holder["result"], holder["key"] = result, key
        if callable(figure):
            fig = figure(result)
        else:
            if figure == "kpis" and "reference" not in holder:
                holder["reference"] = result
            fig = result_figure(result, figure, reference=holder.get("reference"))
        if text is None:
            return fig, None
        return fig, (text(result) if callable(text) else kpi_line(result.summary(), text))

    ex = Exploration(ctrls, compute)
    ex._holder = holder
    return ex


def explore_function(
    controls: dict, figure: Callable[..., go.Figure], *, text: Callable[..., str] | None = None
) -> Exploration:
    """Controls that feed a function directly (no simulation): ``figure(**values)``.

    Used for formulas shown next to a widget, e.g. the textbook CLV, and for the
    module-1 journey. ``text(**values)`` gives an optional line above the figure.
    """

    def compute(values: dict):
        return figure(**values), (text(**values) if text else None)

    return Exploration(controls, compute)
