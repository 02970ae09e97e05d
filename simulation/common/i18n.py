"""Language of the workbench's labels: English or Chinese, switched at run time.

Every widget label, figure title and axis, and table header the course shows is looked up
here, so one call switches a whole notebook::

    >>> set_language("zh")
    'zh'
    >>> t("revenue_cny")
    '收入（元）'

Tables are shown with :func:`headers`: it labels the columns and, in Chinese, also the
cells that hold a known code (segments, channels, stages, categories, reasons, RFM
segments …, see :mod:`simulation.common.i18n_values`), so ``headers(table)`` is all a
notebook needs; the data frames themselves keep their English codes. The label table is
:mod:`simulation.common.i18n_labels`.

The starting language comes from the environment variable ``CRM_LANG`` (``en`` or ``zh``;
values such as ``zh_CN.UTF-8`` count as ``zh``); anything else starts in English. This module
imports neither plotly nor ipywidgets: figure builders and widgets call it, and widgets that
must relabel themselves when the language changes register with :func:`on_language_change`.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd

from .checks import did_you_mean
from .i18n_labels import LABELS
from .i18n_values import UNITS, VALUES, YES_NO

__all__ = [
    "LANGUAGES",
    "ENV_VAR",
    "LABELS",
    "bracketed",
    "colon",
    "listing",
    "progress_format",
    "set_language",
    "get_language",
    "resolve",
    "t",
    "pick",
    "bilingual",
    "headers",
    "localise",
    "value_label",
    "unit_label",
    "field_label",
    "label_or_key",
    "on_language_change",
]

LANGUAGES = ("en", "zh")
ENV_VAR = "CRM_LANG"


def _normalise(value: str | None) -> str | None:
    if value is None:
        return None
    v = str(value).strip().lower().replace("-", "_")
    for lang in LANGUAGES:
        if v == lang or v.startswith(lang + "_") or v.startswith(lang + "."):
            return lang
    if v in ("cn", "chinese", "中文"):
        return "zh"
    if v in ("english",):
        return "en"
    return None


def _from_env() -> str:
    raw = os.environ.get(ENV_VAR)
    if raw is None or raw.strip() == "":
        return "en"
    lang = _normalise(raw)
    if lang is None:
        warnings.warn(
            f"{ENV_VAR}={raw!r} is not a supported language; using 'en'. Set {ENV_VAR} to 'en' or 'zh'.", stacklevel=2
        )
        return "en"
    return lang


_state = {"lang": _from_env()}
_listeners: list[Callable[[str], None]] = []


def resolve(lang: str | None = None) -> str:
    """The language to use: ``lang`` if given (checked), else the current language.

    Raises
    ------
    ValueError
        ``"language must be 'en' or 'zh'; got 'fr'"``.
    """
    if lang is None:
        return _state["lang"]
    norm = _normalise(lang) if isinstance(lang, str) else None
    if norm is None:
        raise ValueError(f"language must be 'en' or 'zh'; got {lang!r}.")
    return norm


def get_language() -> str:
    """The current language, ``"en"`` or ``"zh"``."""
    return _state["lang"]


def set_language(lang: str) -> str:
    """Switch every label the workbench shows from now on; returns the language set.

    Widgets already on screen that registered with :func:`on_language_change` relabel
    themselves; figures drawn before the switch keep their language until they are redrawn.
    """
    new = resolve(lang)
    changed = new != _state["lang"]
    _state["lang"] = new
    if changed:
        for callback in list(_listeners):
            callback(new)
    return new


def on_language_change(callback: Callable[[str], None]) -> Callable[[str], None]:
    """Call ``callback(lang)`` whenever :func:`set_language` switches the language."""
    _listeners.append(callback)
    return callback


def t(key: str, lang: str | None = None, **fmt) -> str:
    """The label of ``key`` in ``lang`` (default: the current language).

    Raises
    ------
    KeyError
        For an unknown key, with the closest known key as a suggestion.
    """
    try:
        pair = LABELS[key]
    except KeyError:
        tip = did_you_mean(key, list(LABELS))
        raise KeyError(f"no label for {key!r}{tip}") from None
    text = pair[LANGUAGES.index(resolve(lang))]
    return text.format(**fmt) if fmt else text


def label_or_key(key: str, lang: str | None = None) -> str:
    """The label of ``key`` if there is one, else ``key`` itself (for open-ended names)."""
    pair = LABELS.get(key)
    return pair[LANGUAGES.index(resolve(lang))] if pair else key


def pick(en: str, zh: str, lang: str | None = None) -> str:
    """``en`` or ``zh`` according to ``lang`` (default: the current language)."""
    return zh if resolve(lang) == "zh" else en


def bilingual(key: str) -> str:
    """``"English (中文)"`` for a label key, as the course prints key terms."""
    en, zh = LABELS[key] if key in LABELS else (t(key, "en"), t(key, "zh"))
    return f"{en} ({zh})"


def value_label(value, lang: str | None = None):
    """The label of a table cell ``value`` in ``lang``; unknown values come back unchanged.

    Codes of :data:`simulation.common.i18n_values.VALUES` (segments, channels, stages,
    categories, reasons, contact types, RFM segments, presets …) are translated; in Chinese
    ``True``/``False`` become 是/否. English keeps the codes, so English tables look as before.
    """
    if resolve(lang) != "zh":
        return value
    if isinstance(value, (bool, np.bool_)):
        return YES_NO[bool(value)][1]
    if isinstance(value, str):
        pair = VALUES.get(value) or LABELS.get(value)
        return pair[1] if pair else value
    if isinstance(value, dict):
        return {value_label(k, lang): v for k, v in value.items()}
    return value


def bracketed(text: str, inner: str, lang: str | None = None) -> str:
    """``text`` followed by ``inner`` in brackets as the language sets them.

    English ``"Late deliveries (prob)"``; Chinese full-width brackets with no space, ``"延迟配送比例（概率）"``.
    """
    return f"{text}（{inner}）" if resolve(lang) == "zh" else f"{text} ({inner})"


def colon(lang: str | None = None) -> str:
    """The colon between a label and its value: ``": "`` in English, full-width ``"："`` in Chinese."""
    return "：" if resolve(lang) == "zh" else ": "


def listing(items, lang: str | None = None) -> str:
    """Items in a row as the language lists them: ``"name, mobile"``; Chinese ``"姓名、手机号"``."""
    return ("、" if resolve(lang) == "zh" else ", ").join(str(x) for x in items)


def progress_format(lang: str | None = None) -> str | None:
    """A progress bar's layout (tqdm ``bar_format``): tqdm's own in English; in Chinese the
    description ends with a full-width colon (``综合实训：84%``)."""
    return "{desc}：{percentage:3.0f}%|{bar}{r_bar}" if resolve(lang) == "zh" else None


def unit_label(unit: str, lang: str | None = None) -> str:
    """A scenario field's unit in ``lang`` (``"CNY/order"`` -> ``"元/单"``); unknown units unchanged."""
    pair = UNITS.get(unit)
    return pair[LANGUAGES.index(resolve(lang))] if pair else unit


def _translatable(series) -> bool:
    kind = series.dtype.kind
    return kind in ("O", "b", "U", "T") or str(series.dtype) in ("str", "string", "category", "bool", "boolean")


def _localise_index(index, lang: str):
    if isinstance(index, pd.MultiIndex):
        return index.set_levels([_localise_index(level, lang) for level in index.levels])
    if index.dtype.kind in ("i", "u", "f", "M", "m"):
        return index
    return index.map(lambda v: value_label(v, lang))


def localise(df, lang: str | None = None):
    """A copy of ``df`` whose categorical cells (and index labels) are shown in ``lang``.

    Only whole cells that are known codes change (see :func:`value_label`; a column named
    ``unit`` uses :func:`unit_label`); numbers, free
    text and unknown values stay as they are. In English the frame comes back unchanged, so
    data frames keep their English codes and only what is displayed in Chinese differs.
    """
    lang = resolve(lang)
    if lang != "zh":
        return df
    if isinstance(df, pd.Series):
        out = df.map(lambda v: value_label(v, lang)) if _translatable(df) else df.copy()
        out.index = _localise_index(out.index, lang)
        return out
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if isinstance(s, pd.DataFrame) or not _translatable(s):
            continue
        if col == "unit":  # a column of units (data dictionary, levers): the unit table
            out[col] = s.astype(object).map(lambda v: unit_label(v, lang) if isinstance(v, str) else v)
            continue
        if col == "column":  # a column of column names (data dictionary): their labels
            out[col] = s.astype(object).map(
                lambda v: (label_or_key(v, lang) if v in LABELS else value_label(v, lang)) if isinstance(v, str) else v
            )
            continue
        out[col] = s.astype(object).map(lambda v: value_label(v, lang))
    out.index = _localise_index(out.index, lang)
    return out


def headers(df, lang: str | None = None):
    """A copy of ``df`` ready to show: column headers, index name and, in Chinese, the cells.

    Headers and the index name use :data:`LABELS` (then :data:`VALUES`, e.g. preset names);
    in Chinese the categorical cells and index labels are translated too (:func:`localise`).
    Columns without a label keep their name, so any table can be passed; a Series becomes a
    one-column table and a dict of KPIs (``{kpi: value}``) a table with a ``kpi`` index.
    """
    lang = resolve(lang)
    if isinstance(df, dict):
        df = pd.Series(df, name="value").rename_axis("kpi").to_frame()
    out = localise(df, lang)
    if isinstance(out, pd.Series):
        out = out.to_frame()

    def name(c):
        if not isinstance(c, str):
            return c
        if c in LABELS:
            return label_or_key(c, lang)
        return value_label(c, lang)

    out = out.rename(columns=name)
    if isinstance(out.index.name, str):
        out.index.name = name(out.index.name)
    if isinstance(out.columns.name, str):
        out.columns.name = name(out.columns.name)
    return out


def field_label(row: dict, lang: str | None = None, *, unit: bool = True) -> str:
    """The label of a scenario field row (from :func:`simulation.scenario.fields.field_rows`).

    With ``unit=True`` the unit follows in brackets, e.g. ``"Late deliveries (prob)"``.
    """
    lang = resolve(lang)
    text = row.get(lang) or row.get("en") or row["path"]
    if unit and row.get("unit"):
        text = bracketed(text, unit_label(row["unit"], lang), lang)
    return text
