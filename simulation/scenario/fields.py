"""Self-describing scenario fields: metadata, validation and dict/TOML mapping.

Every scenario part is a frozen dataclass whose fields are made with :func:`param`.
The metadata of a field (unit, range, English and Chinese label, help, whether it is a
lever that may change while a firm runs) lives in one place and drives three things:
validation at construction (:func:`check_fields`), the ``describe`` listing, and the
widgets of the course notebooks.
"""

from __future__ import annotations

import dataclasses
import math
import typing
from dataclasses import field
from typing import Any

from ..common.checks import did_you_mean
from .help_zh import help_zh

__all__ = ["field_value", "ScenarioError", "param", "check_fields", "from_dict", "to_dict", "field_rows"]


class ScenarioError(ValueError):
    """A scenario value or file is invalid; the message says what and how to fix it."""


def param(
    default,
    *,
    unit: str = "",
    lo=None,
    hi=None,
    en: str,
    zh: str,
    help: str = "",
    lever: bool = False,
    choices: tuple | None = None,
    integer: bool = False,
):
    """Declare a scenario field with its metadata.

    Parameters
    ----------
    default : the default value (a scalar, or a frozen dataclass instance for a nested part).
    unit : unit shown beside the value ("customers/year", "CNY", "days" ...).
    lo, hi : inclusive bounds for numbers (None = unbounded).
    en, zh : short English and Chinese labels.
    help : one-line explanation.
    lever : True when the field may be changed while a firm is running (``Firm.set``).
    choices : allowed values for a text field.
    integer : the value must be a whole number.
    """
    meta = dict(unit=unit, lo=lo, hi=hi, en=en, zh=zh, help=help, lever=lever, choices=choices, integer=integer)
    if dataclasses.is_dataclass(default):
        return field(default_factory=lambda d=default: d, metadata=meta)
    return field(default=default, metadata=meta)


def _is_part(tp) -> bool:
    return isinstance(tp, type) and dataclasses.is_dataclass(tp)


def _field_types(cls) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def check_fields(obj) -> None:
    """Validate every field of a scenario part against its type and metadata.

    Raises
    ------
    ScenarioError
        ``"Channel.customers_per_year must be >= 0; got -5. Use a number in [0, 1000000]."``
    """
    cls = type(obj)
    types = _field_types(cls)
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        where = f"{cls.__name__}.{f.name}"
        tp = types[f.name]
        m = f.metadata
        if _is_part(tp):
            if not isinstance(value, tp):
                raise ScenarioError(f"{where} must be a {tp.__name__} section; got {value!r}.")
            continue
        if tp is bool:
            if not isinstance(value, bool):
                raise ScenarioError(f"{where} must be true or false; got {value!r}.")
            continue
        if tp is str:
            if not isinstance(value, str):
                raise ScenarioError(f"{where} must be text; got {value!r}.")
            choices = m.get("choices")
            if choices and value not in choices:
                tip = did_you_mean(value, choices)
                raise ScenarioError(f"{where} must be one of {', '.join(map(repr, choices))}; got {value!r}{tip}")
            continue
        # numbers
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ScenarioError(f"{where} must be a number; got {value!r} ({type(value).__name__}).")
        if not math.isfinite(value):
            raise ScenarioError(f"{where} must be a finite number; got {value!r}.")
        if (m.get("integer") or tp is int) and float(value) != int(value):
            raise ScenarioError(f"{where} must be a whole number; got {value!r}.")
        lo, hi = m.get("lo"), m.get("hi")
        rng = f" Use a number in [{_fmt(lo)}, {_fmt(hi)}]." if lo is not None and hi is not None else ""
        if lo is not None and value < lo:
            raise ScenarioError(f"{where} must be >= {_fmt(lo)}; got {_fmt(value)}.{rng}")
        if hi is not None and value > hi:
            raise ScenarioError(f"{where} must be <= {_fmt(hi)}; got {_fmt(value)}.{rng}")


def _fmt(x) -> str:
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(x) if not isinstance(x, float) else f"{x:g}"


def _coerce(value, tp, where: str):
    """Convert a TOML value to the field's Python type where that is lossless."""
    if tp is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if tp is int and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def from_dict(cls, data: dict, *, where: str | None = None, base=None):
    """Build a scenario part of type ``cls`` from a (TOML) dictionary.

    Missing keys keep the values of ``base`` (default: ``cls()``), section by section, so
    a file names only what differs from the defaults. Unknown keys are rejected with the
    closest valid name: ``"Scenario has no field 'horizon_day'; did you mean 'horizon_days'?"``.
    """
    where = where or cls.__name__
    if base is None:
        base = cls()
    if not isinstance(data, dict):
        raise ScenarioError(f"{where} must be a table of settings; got {data!r}.")
    types = _field_types(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    kwargs = {}
    for key, value in data.items():
        if key not in names:
            tip = did_you_mean(key, names, cutoff=0.5) or f". Valid names: {', '.join(names)}."
            raise ScenarioError(f"{where} has no field {key!r}{tip}")
        tp = types[key]
        if _is_part(tp):
            kwargs[key] = from_dict(tp, value, where=f"{where}.{key}", base=getattr(base, key))
        else:
            kwargs[key] = _coerce(value, tp, f"{where}.{key}")
    return dataclasses.replace(base, **kwargs)


def to_dict(obj) -> dict:
    """The scenario part as a plain nested dictionary (TOML-ready)."""
    out = {}
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        out[f.name] = to_dict(value) if dataclasses.is_dataclass(value) else value
    return out


def field_rows(obj, prefix: str = "") -> list[dict]:
    """One row per leaf field: path, value, unit, range, labels, help (English and Chinese), lever flag."""
    rows = []
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        path = f"{prefix}{f.name}"
        if dataclasses.is_dataclass(value):
            rows.extend(field_rows(value, prefix=path + "."))
            continue
        m = f.metadata
        rows.append(
            dict(
                path=path,
                value=value,
                unit=m.get("unit", ""),
                lo=m.get("lo"),
                hi=m.get("hi"),
                choices=m.get("choices"),
                en=m.get("en", ""),
                zh=m.get("zh", ""),
                help=m.get("help", ""),
                help_zh=help_zh(m.get("help", "")),
                lever=m.get("lever", False),
            )
        )
    return rows


def field_value(scenario, path: str):
    """The value of the dotted field ``path`` (for example ``"pricing.discount_pct"``) of a scenario.

    Examples
    --------
    >>> from simulation import preset
    >>> field_value(preset("baseline"), "complaints.agents")
    2
    """
    value = scenario
    for part in path.split("."):
        value = getattr(value, part)
    return value
