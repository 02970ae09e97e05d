"""Widgets built from the scenario's field metadata, labelled in English or Chinese.

A slider's range, step, label and tooltip come from :func:`simulation.scenario.fields.field_rows`,
so they live in one place, the scenario: :func:`control` makes one, :func:`controls` several.
:func:`number` and :func:`choice` make inputs that are not scenario fields (formula inputs), and
:func:`language_picker` switches a whole notebook between English and Chinese. Every widget keeps
both labels (:func:`relabel`), so a language switch relabels it in place.
:mod:`simulation.notebook.controls` wires these widgets to live figures.
"""

from __future__ import annotations

import math

import ipywidgets as W

from ..common import i18n
from ..common.checks import did_you_mean
from ..scenario.fields import field_rows
from ..scenario.offer import switched_off_parts

__all__ = ["slider_spec", "control", "controls", "number", "choice", "relabel", "language_picker"]

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


def relabel(widget, en: str, zh: str, unit: str = "") -> None:
    """Remember both labels on ``widget`` and show the current language's (unit in the same language)."""
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
    relabel(w, row["en"], row["zh"], row.get("unit") or "")
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
    relabel(w, en, zh, unit)
    return w


def choice(options, value, *, en: str, zh: str) -> W.Widget:
    """A dropdown that is not a scenario field; ``options`` is a list or ``{label: value}``."""
    w = W.Dropdown(options=options, value=value, style=_STYLE, layout=W.Layout(**_LAYOUT))
    relabel(w, en, zh)
    return w


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
