"""Early-warning signals of a crisis, week by week, in the firm's own data (module 4).

A crisis rarely starts with customers leaving: it starts with more repair calls and more
complaints, weeks before the departures add up. :func:`warning_signals` counts those signals
per period of one run; :func:`compare_signals` puts a normal run and a crisis run side by
side (for example ``preset("baseline")`` and ``preset("product-defect")`` on the same seed),
so the first weeks of the crisis can be read against the firm's usual level.
:func:`respond_at` runs a crisis with a response decided on a given day.

The signal functions are pure: they summarise a :class:`simulation.Result`'s tables and never
simulate.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..common.checks import require_columns
from ..common.i18n import pick, resolve

__all__ = ["SIGNALS", "warning_signals", "compare_signals", "respond_at"]

#: The signals, in order, with their English and Chinese column labels.
SIGNALS = {
    "repair_requests": ("Repair requests", "报修来电"),
    "complaints": ("Complaints", "投诉"),
    "mean_satisfaction": ("Mean satisfaction (hidden truth)", "平均满意度（隐藏真值）"),
    "leavers_truth": ("Customers who left (hidden truth)", "流失客户（隐藏真值）"),
}


def _period_counts(days: pd.Series, n: int, period: float) -> np.ndarray:
    idx = np.floor(days.dropna().to_numpy(dtype=float) / period).astype(np.int64)
    idx = idx[(idx >= 0) & (idx < n)]
    return np.bincount(idx, minlength=n)


def warning_signals(result, *, period_days: float = 7.0) -> pd.DataFrame:
    """The early-warning signals of one run, per period of ``period_days`` (default a week).

    Columns (keys of :data:`SIGNALS`, one row per period, ``period`` numbered from 1):

    - ``repair_requests``: contacts of type ``repair_request`` that reached the contact
      centre in the period (``centre_contacts.arrival_day``);
    - ``complaints``: contacts of type ``complaint`` (complaints the customers voiced);
    - ``mean_satisfaction``: mean satisfaction (0-100) of the customers who ordered in the
      period, at the moment they ordered (``events.satisfaction`` of order events). This is
      the simulation's hidden truth; a firm estimates it with surveys;
    - ``leavers_truth``: customers who silently left in the period (``customers.dropped_day``,
      hidden truth; the firm sees them only later, as customers who stop ordering).

    Parameters
    ----------
    result : Result
        A finished or partly run firm.
    period_days : float
        Length of a period in days; the last, partial period is dropped.

    Returns
    -------
    DataFrame
        ``period`` and the four signal columns.
    """
    if isinstance(period_days, bool) or not isinstance(period_days, (int, float)) or not period_days > 0:
        raise ValueError(f"period_days must be a positive number of days; got {period_days!r}.")
    contacts, events, customers = result.centre_contacts, result.events, result.customers
    require_columns(contacts, "centre_contacts", ["contact_type", "arrival_day"])
    require_columns(events, "events", ["event_type", "time_days", "satisfaction"])
    require_columns(customers, "customers", ["dropped_day"])
    period = float(period_days)
    n = int(math.floor(result.as_of_day / period + 1e-9))
    kind = contacts["contact_type"].astype(str)
    orders = events.loc[events["event_type"].astype(str) == "order"]
    idx = np.floor(orders["time_days"].to_numpy(dtype=float) / period).astype(np.int64)
    keep = idx < n
    sat = pd.Series(orders["satisfaction"].to_numpy(dtype=float)[keep]).groupby(idx[keep]).mean()
    return pd.DataFrame(
        {
            "period": np.arange(1, n + 1),
            "repair_requests": _period_counts(contacts.loc[kind == "repair_request", "arrival_day"], n, period),
            "complaints": _period_counts(contacts.loc[kind == "complaint", "arrival_day"], n, period),
            "mean_satisfaction": sat.reindex(range(n)).to_numpy(),
            "leavers_truth": _period_counts(customers["dropped_day"], n, period),
        }
    )


def compare_signals(
    normal, crisis, *, period_days: float = 7.0, periods: int = 8, lang: str | None = None
) -> pd.DataFrame:
    """The signals of a normal run and a crisis run side by side, first ``periods`` periods.

    Both runs should share a seed, so that the difference comes from the crisis. Columns are
    two-level: the run (``Normal`` / ``Crisis``) and the signal, labelled in ``lang``; the
    index is the period (``Week 1`` … when ``period_days`` is 7).

    Examples
    --------
    >>> compare_signals(run(preset("baseline"), 2024), run(preset("product-defect"), 2024))  # doctest: +SKIP
    """
    if isinstance(periods, bool) or not isinstance(periods, int) or periods < 1:
        raise ValueError(f"periods must be a whole number >= 1; got {periods!r}.")
    lang = resolve(lang)
    runs = {
        pick("Normal", "正常运营", lang): warning_signals(normal, period_days=period_days),
        pick("Crisis", "危机", lang): warning_signals(crisis, period_days=period_days),
    }
    weekly = float(period_days) == 7.0
    parts = {}
    for name, table in runs.items():
        table = table.head(periods).set_index("period")
        parts[name] = table.rename(columns={k: pick(*SIGNALS[k], lang) for k in SIGNALS})
    out = pd.concat(parts, axis=1)
    if weekly:
        out.index = [pick(f"Week {i}", f"第{i}周", lang) for i in out.index]
    else:
        out.index = [pick(f"Period {i}", f"第{i}期", lang) for i in out.index]
    return out.round(1)


def respond_at(scenario, seed: int, *, day: float, changes: dict):
    """Run ``scenario`` to ``day``, then apply the response ``changes`` and run to the horizon.

    The response is a set of lever changes (for example stopping a faulty batch,
    ``{"service.appliance_failure_prob": 0.04}``, or more agents on shift), applied with
    :meth:`simulation.model.firm.Firm.set` and recorded in the ``decisions`` table. Comparing
    the same response on different days shows what a late alarm costs.

    Returns
    -------
    Result
        The finished run.
    """
    from ..model.firm import Firm

    if isinstance(day, bool) or not isinstance(day, (int, float)) or not 0 <= day <= scenario.horizon_days:
        raise ValueError(f"day must be between 0 and the horizon ({scenario.horizon_days:g}); got {day!r}.")
    firm = Firm(scenario, seed).run_until(float(day))
    return firm.set(dict(changes)).run().result()
