"""Notebook controls built from the scenario's field metadata, wired to live figures.

The only module of the workbench that imports ipywidgets. A slider's range, step, label
(English or Chinese) and tooltip come from :func:`simulation.scenario.fields.field_rows`, so they
live in one place, the scenario. :func:`explore` wires controls to a re-run of a firm
(by default the small-class preset) and copies the new figure into a ``go.FigureWidget``
in place, inside ``batch_update()``, so the picture on screen changes without flicker::

    explore(["service.late_delivery_prob"], "satisfaction")

:func:`explore_function` does the same for controls that are not scenario fields (the
textbook CLV formula, the module-1 journey), and :func:`number` makes such a control.
"""

from __future__ import annotations

import html
import math
import time
import weakref
from collections.abc import Callable

import ipywidgets as W
import plotly.graph_objects as go

from ..common import i18n
from ..common.checks import did_you_mean
from ..common.dictionary import PERCENT_SUFFIXES
from ..scenario.fields import field_rows
from ..scenario.offer import switched_off_parts

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

_STYLE = {"description_width": "initial"}
_LAYOUT = dict(width="560px")


def _nice(x: float) -> float:
    """The nearest 1, 2 or 5 times a power of ten at or above ``x`` (> 0)."""
    if x <= 0:
        return 1.0
    e = math.floor(math.log10(x))
    for m in (1, 2, 5, 10):
        if m * 10**e >= x * (1 - 1e-12):
            return float(m * 10**e)
    return float(10 ** (e + 1))


def slider_spec(row: dict, *, lo=None, hi=None, step=None) -> dict:
    """Range and step of a slider for one scenario field row.

    The field's own bounds are used when they are a sensible range for a slider (a span of at
    most 100, or ``hi`` at most 20 times the current value); a very wide bound (e.g. 10 million
    customers) is cut to about four times the value, rounded to 1/2/5 x 10^k (100 when the
    value is 0). The step is 1/100 of the range,
    rounded the same way (1 for whole-number fields). Explicit ``lo``/``hi``/``step`` win.

    Returns
    -------
    dict
        ``lo``, ``hi``, ``step``, ``integer`` (bool).
    """
    value = row["value"]
    integer = bool(row.get("integer")) or (isinstance(value, int) and not isinstance(value, bool))
    f_lo = row.get("lo")
    f_hi = row.get("hi")
    s_lo = f_lo if lo is None else lo
    if s_lo is None:
        s_lo = 0.0 if value >= 0 else -_nice(4 * abs(value))
    if hi is not None:
        s_hi = hi
    elif f_hi is not None and (f_hi - s_lo <= 100 or f_hi <= 20 * abs(value)):
        s_hi = f_hi
    else:
        s_hi = _nice(4 * abs(value)) if value else 100.0
        if f_hi is not None:
            s_hi = min(s_hi, f_hi)
    if s_hi <= s_lo:
        raise ValueError(f"{row['path']}: slider range [{s_lo}, {s_hi}] is empty; pass lo= and hi=.")
    if step is None:
        step = 1 if integer else _nice((s_hi - s_lo) / 100.0)
        if integer:
            step = max(1, int(_nice((s_hi - s_lo) / 100.0)))
    if not s_lo <= value <= s_hi:
        raise ValueError(
            f"{row['path']} = {value!r} is outside the slider range [{s_lo}, {s_hi}]; pass lo= and hi= that include it."
        )
    return dict(lo=s_lo, hi=s_hi, step=step, integer=integer)


def _rows_by_path(scenario) -> dict[str, dict]:
    return {r["path"]: r for r in field_rows(scenario)}


def _unknown(path: str, rows: dict) -> ValueError:
    tip = did_you_mean(path, list(rows), cutoff=0.5)
    return ValueError(f"the scenario has no field {path!r}{tip}")


def _label(widget, en: str, zh: str, unit: str = "") -> None:
    """Remember both labels on the widget and show the current one (unit in the same language)."""
    widget._crm_labels = (en, zh, unit)
    text = i18n.pick(en, zh)
    widget.description = i18n.bracketed(text, i18n.unit_label(unit)) if unit else text
    tips = getattr(widget, "_crm_tooltips", None)
    if tips:
        widget.tooltip = i18n.pick(*tips)
    pairs = getattr(widget, "_crm_option_pairs", None)
    if pairs:
        value = widget.value
        with widget.hold_trait_notifications():
            widget.options = [(i18n.pick(*pair), key) for key, pair in pairs.items()]
            widget.value = value
    choices = getattr(widget, "_crm_choices", None)
    if choices:
        value = widget.value
        with widget.hold_trait_notifications():
            labels = [str(i18n.value_label(c)) for c in choices]
            same = labels == [str(c) for c in choices]
            widget.options = list(choices) if same else list(zip(labels, choices))
            widget.value = value


def control(scenario, path: str, *, lo=None, hi=None, step=None) -> W.Widget:
    """A control for one scenario field: a slider for numbers, a dropdown for choices.

    Sliders report only on release (``continuous_update=False``), so a drag re-runs the
    firm once, not at every pixel.

    Raises
    ------
    ValueError
        For an unknown path (with the closest field name), a field that is a whole section, or
        a field of a part the scenario switches off (such as ``loyalty.*`` while
        ``loyalty.enabled`` is false: moving it would change nothing).
    """
    rows = _rows_by_path(scenario)
    if path not in rows:
        raise _unknown(path, rows)
    for part in switched_off_parts(scenario):
        if path.startswith(part + ".") and path != part + ".enabled":
            raise ValueError(
                f"{path} belongs to {part!r}, which this scenario switches off ({part}.enabled = false), so a "
                f"control for it would change nothing; switch the part on first, e.g. "
                f'fixed={{"{part}.enabled": True}}.'
            )
    row = rows[path]
    value = row["value"]
    common = dict(style=_STYLE, layout=W.Layout(**_LAYOUT), description_allow_html=False)
    if row.get("choices"):
        w = W.Dropdown(options=list(row["choices"]), value=value, **common)
        w._crm_choices = tuple(row["choices"])
    elif isinstance(value, bool):
        w = W.Checkbox(value=value, indent=False, **common)
    elif isinstance(value, (int, float)):
        spec = slider_spec(row, lo=lo, hi=hi, step=step)
        cls = W.IntSlider if spec["integer"] else W.FloatSlider
        extra = {} if spec["integer"] else {"readout_format": _readout(spec["step"])}
        w = cls(
            value=value, min=spec["lo"], max=spec["hi"], step=spec["step"], continuous_update=False, **extra, **common
        )
    else:
        raise ValueError(f"{path} is a text field ({value!r}); only numbers, choices and switches get controls.")
    w._crm_tooltips = (row.get("help") or row["en"], row.get("help_zh") or row["zh"] or row["en"])
    _label(w, row["en"], row["zh"], row.get("unit") or "")
    w._crm_path = path
    return w


def _readout(step: float) -> str:
    decimals = max(0, -int(math.floor(math.log10(step)))) if step < 1 else 0
    return f".{decimals}f"


def controls(scenario, paths, *, ranges: dict | None = None) -> dict[str, W.Widget]:
    """Controls for several fields: ``{path: widget}``; ``ranges`` maps a path to ``(lo, hi)``."""
    ranges = ranges or {}
    out = {}
    for path in paths:
        lo, hi = ranges.get(path, (None, None))
        out[path] = control(scenario, path, lo=lo, hi=hi)
    return out


def number(
    value: float, lo: float, hi: float, step: float, *, en: str, zh: str, unit: str = "", integer: bool = False
) -> W.Widget:
    """A slider that is not a scenario field (formula inputs), with both labels."""
    if not lo <= value <= hi:
        raise ValueError(f"{en}: value {value!r} is outside [{lo}, {hi}].")
    cls = W.IntSlider if integer else W.FloatSlider
    extra = {} if integer else {"readout_format": _readout(step)}
    w = cls(
        value=value,
        min=lo,
        max=hi,
        step=step,
        continuous_update=False,
        style=_STYLE,
        layout=W.Layout(**_LAYOUT),
        **extra,
    )
    _label(w, en, zh, unit)
    return w


def choice(options, value, *, en: str, zh: str) -> W.Widget:
    """A dropdown that is not a scenario field; ``options`` is a list or ``{label: value}``."""
    w = W.Dropdown(options=options, value=value, style=_STYLE, layout=W.Layout(**_LAYOUT))
    _label(w, en, zh)
    return w


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
                _label(w, *labels)
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
        parts.append(f"{i18n.label_or_key(key)}: {shown}")
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


def language_picker(lang: str | None = None) -> W.Widget:
    """A two-button switch between English and Chinese for the whole notebook.

    With ``lang`` (``"en"`` or ``"zh"``) the notebook first switches to that language, so a
    Chinese edition starts in Chinese whatever the computer's settings.
    """
    if lang is not None:
        i18n.set_language(lang)
    w = W.ToggleButtons(
        options=[("English", "en"), ("中文", "zh")],
        value=i18n.get_language(),
        description="Language / 语言",
        style=_STYLE,
    )
    w.observe(lambda change: i18n.set_language(change["new"]), names="value")
    return w
