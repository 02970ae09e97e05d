"""The record of every complaint and contact at the desk, and the ``complaints`` table built from it.

:class:`ComplaintLog` keeps one index ``k`` per complaint (or everyday contact, or silent
failure) in plain column arrays that the desk (:mod:`simulation.complaints.desk`) and the firm's
complaint centre fill as the complaint goes through its steps; :func:`complaints_frame` turns
the complaints among them into the ``complaints`` table once, vectorised, at the end.
"""

from __future__ import annotations

from array import array

import numpy as np
import pandas as pd

from ..common.dates import day_dates
from ..scenario.complaint_parts import COMPLAINT_CATEGORIES, COMPLAINT_CHANNELS, SEVERITIES
from ..scenario.loyalty_parts import TIERS

__all__ = ["ComplaintLog", "complaints_frame", "OUTCOMES"]

INF = float("inf")
NAN = float("nan")
#: How a complaint ended (``silent``: a dissatisfied customer who never complained).
OUTCOMES = ("resolved", "resolved_late", "abandoned", "open", "silent")
RESOLVED, RESOLVED_LATE, ABANDONED, OPEN, SILENT = range(5)


class ComplaintLog:
    """Column store of complaints, one index ``k`` per complaint (or silent failure).

    Columns are ``array`` objects grown in blocks pre-filled with their defaults, so a new
    complaint costs one call to :meth:`new` plus one assignment per attribute that differs
    from its default; the table takes the first ``len(log)`` entries.
    """

    #: column -> (typecode, default)
    COLUMNS = {
        # drawn when the complaint is created
        "arrival": ("d", NAN),
        "patience": ("d", INF),
        "handling": ("d", 0.0),
        "u_fcr": ("d", 0.0),
        "fcr_p": ("d", 1.0),
        "level2": ("d", 0.0),
        "sat_pre": ("d", NAN),
        "sat_before": ("d", NAN),
        "customer": ("q", -1),
        "order": ("q", -1),
        "priority": ("q", 0),
        "channel": ("b", 0),
        "category": ("b", 4),
        "severity": ("b", 1),
        "tier": ("b", 0),
        "voiced": ("b", 1),
        "kind": ("b", 0),  # contact type (CONTACT_TYPES; 0 = complaint)
        # filled as it goes through the desk
        "answered": ("d", NAN),
        "abandoned": ("d", NAN),
        "handled": ("d", NAN),
        "resolved": ("d", NAN),
        "compensation": ("d", 0.0),
        "cost": ("d", 0.0),
        "quality": ("d", NAN),
        "sat_after": ("d", NAN),
        "queue": ("q", 0),
        "agent": ("q", -1),
        "agent2": ("q", -1),
        "deterred": ("q", 0),
        "outcome": ("b", OPEN),
        "escalated": ("b", 0),
        "fcr": ("b", 0),
    }
    BLOCK = 4096

    def __init__(self):
        self.n = 0
        self.size = 0
        self._blocks = {name: array(tc, [default]) * self.BLOCK for name, (tc, default) in self.COLUMNS.items()}
        for name, (tc, _) in self.COLUMNS.items():
            setattr(self, name, array(tc))

    def __len__(self) -> int:
        return self.n

    def new(self, arrival: float) -> int:
        """A new complaint arriving at ``arrival`` (days); returns its index ``k``."""
        k = self.n
        if k == self.size:
            for name, block in self._blocks.items():
                getattr(self, name).extend(block)
            self.size += self.BLOCK
        self.n = k + 1
        self.arrival[k] = arrival
        return k

    def columns(self) -> dict[str, np.ndarray]:
        """The first ``len(self)`` entries of every column, as NumPy arrays."""
        n = self.n
        return {
            name: np.frombuffer(getattr(self, name), dtype=tc)[:n].copy() if n else np.zeros(0, tc)
            for name, (tc, _) in self.COLUMNS.items()
        }


def complaints_frame(log: ComplaintLog, start_date: str) -> pd.DataFrame:
    """The ``complaints`` table from a :class:`ComplaintLog` (vectorised, once).

    Only complaints (``kind`` 0): the centre's everyday contacts are in the ``centre_contacts`` table
    (:func:`simulation.complaints.contacts.centre_contacts_frame`). ``complaint_id`` numbers the
    complaints 0, 1, 2, ... in the order they were created.
    """
    a = log.columns()
    if a["kind"].any():
        keep = a["kind"] == 0
        a = {name: col[keep] for name, col in a.items()}
    n = len(a["arrival"])
    answered, abandoned = a["answered"], a["abandoned"]
    reply = np.where(np.isnan(answered), abandoned, answered)
    voiced = a["voiced"].astype(bool)
    chan = np.where(voiced, a["channel"], len(COMPLAINT_CHANNELS)).astype(np.int64)
    return pd.DataFrame(
        {
            "complaint_id": np.arange(n, dtype=np.int64),
            "customer_id": a["customer"].astype(np.int64),
            "order_id": a["order"].astype(np.int64),
            "voiced": voiced,
            "channel": pd.Categorical.from_codes(chan, COMPLAINT_CHANNELS + ("none",)),
            "category": pd.Categorical.from_codes(a["category"].astype(np.int64), COMPLAINT_CATEGORIES),
            "severity": pd.Categorical.from_codes(a["severity"].astype(np.int64), SEVERITIES),
            "loyalty_tier": pd.Categorical.from_codes(a["tier"].astype(np.int64), TIERS),
            "priority": a["priority"].astype(np.int64),
            "arrival_day": a["arrival"],
            "date": day_dates(start_date, a["arrival"]),
            "queue_on_arrival": a["queue"].astype(np.int64),
            "answered_day": answered,
            "abandoned_day": abandoned,
            "wait_min": (reply - a["arrival"]) * 1440.0,
            "handling_min": (a["handled"] - answered) * 1440.0,
            "agent_id": a["agent"].astype(np.int64),
            "escalated": a["escalated"].astype(bool),
            "second_level_agent_id": a["agent2"].astype(np.int64),
            "resolved_day": a["resolved"],
            "resolution_hours": (a["resolved"] - a["arrival"]) * 24.0,
            "first_contact_resolution": a["fcr"].astype(bool),
            "compensation_cny": a["compensation"],
            "handling_cost_cny": a["cost"],
            "recovery_quality": a["quality"],
            "satisfaction_pre_failure": a["sat_pre"],
            "satisfaction_before": a["sat_before"],
            "satisfaction_after": a["sat_after"],
            "outcome": pd.Categorical.from_codes(a["outcome"].astype(np.int64), OUTCOMES),
            "deterred_prospects": a["deterred"].astype(np.int64),
        }
    )
