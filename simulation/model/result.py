"""Tidy tables derived from the event log, and the run's summary KPIs.

Every column is documented in the data dictionary (:mod:`simulation.common.dictionary`,
``datasets/data_dictionary.csv``). Tables are built once, vectorised, from the log.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..common.dates import day_dates
from ..scenario.parts import Scenario
from .tables import customers_table, lifecycle_table, orders_table, plans_table

__all__ = ["Result", "TABLES"]

TABLES = (
    "customers",
    "orders",
    "lifecycle",
    "plans",
    "events",
    "decisions",
    "loyalty_ledger",
    "complaints",
    "centre_contacts",
)
_CAT = pd.CategoricalDtype


class Tables(Mapping):
    """The tables of a run, read-only: each look-up hands out a shallow copy.

    pandas copies on write, so changing a handed-out table (``result.orders.loc[0, ...] = x``)
    changes only that copy: the run's own tables, and the summary computed from them, stay
    as the model made them.
    """

    __slots__ = ("_frames",)

    def __init__(self, frames):
        self._frames = dict(frames)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self._frames[name].copy(deep=False)

    def __iter__(self):
        return iter(self._frames)

    def __len__(self) -> int:
        return len(self._frames)

    def __repr__(self) -> str:
        return f"Tables({', '.join(self._frames)})"


@dataclass
class Result:
    """The outcome of a run: tidy tables, the scenario, the seed and the clock.

    Attributes
    ----------
    customers, orders, lifecycle, plans, events, decisions, loyalty_ledger, complaints, centre_contacts : pandas.DataFrame
    scenario : Scenario
    seed : int
    as_of_day : float
        Day the tables were taken (the horizon for a finished run).
    """

    scenario: Scenario
    seed: int
    as_of_day: float
    tables: Mapping = field(repr=False)

    def __post_init__(self):
        if not isinstance(self.tables, Tables):
            object.__setattr__(self, "tables", Tables(self.tables))

    def __getattr__(self, name):
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    def __setattr__(self, name, value):
        if name in self.__dict__.get("tables", {}) or (name == "tables" and "tables" in self.__dict__):
            raise AttributeError(
                f"Result.{name} is read-only: a run's tables stay as the model made them. "
                f"Work on a copy, e.g. df = result.{name if name != 'tables' else 'orders'}.copy()."
            )
        object.__setattr__(self, name, value)

    # ------------------------------------------------------------------ building
    @classmethod
    def from_firm(cls, firm) -> "Result":
        sc = firm.scenario
        now = float(firm.env.now)
        events = firm.log.frame()
        events.insert(1, "date", day_dates(sc.start_date, events["time_days"].to_numpy()))
        orders = orders_table(events, firm, sc)
        lifecycle = lifecycle_table(events, orders, firm, sc, now)
        customers = customers_table(firm, orders, lifecycle, sc)
        plans = plans_table(events, sc, now)
        decisions = pd.DataFrame(firm.decisions, columns=["time_days", "lever", "old_value", "new_value"])
        decisions = decisions.astype({"time_days": "float64", "lever": "str"})
        decisions["old_value"] = decisions["old_value"].astype("str")
        decisions["new_value"] = decisions["new_value"].astype("str")
        out_events = events.rename(columns={"code": "detail_code"})
        from ..complaints.contacts import centre_contacts_table
        from ..complaints.kpis import complaints_table
        from ..loyalty.ledger import ledger_table

        return cls(
            sc,
            firm.seed,
            now,
            dict(
                customers=customers,
                orders=orders,
                lifecycle=lifecycle,
                plans=plans,
                events=out_events,
                decisions=decisions,
                loyalty_ledger=ledger_table(firm),
                complaints=complaints_table(firm),
                centre_contacts=centre_contacts_table(firm),
            ),
        )

    # ------------------------------------------------------------------ KPIs
    def summary(self) -> dict:
        """The run's headline KPIs (plain numbers, JSON-ready).

        - ``retention_rate``: of the customers who ordered in the window before the last
          one (each window = half the run, at most 365 days), the share who ordered again
          in the last window (repeat-buyer retention).
        - ``top20_revenue_share``: revenue share of the top 20% of customers by revenue.
        - ``profit_cny``: gross margin − cost to serve (delivery, installation, repair)
          − acquisition cost (incl. referral rewards).
        - ``complaints``, ``complaint_service_level``, ``complaint_abandonment_rate``: the
          complaint desk (:func:`simulation.complaints.complaint_kpis`); 0 / ``None`` when it
          is off. ``complaint_cost_cny`` = agents' time spent on complaints (both levels, at
          their hourly cost) + compensation: the activity-based cost of complaints (the desk's
          capacity cost, all hours on shift, is ``centre_capacity_cost_cny``).
        - ``centre_contacts``, ``centre_service_level``, ``centre_abandonment_rate``,
          ``centre_occupancy_share``: the whole contact centre — every contact, and the phone
          calls that arrived while it was open (:func:`simulation.complaints.contacts.centre_kpis`).
        - ``complaint_compensation_cny``: compensation paid to complainants.
        - ``centre_capacity_cost_cny``: every first-level agent-hour on shift at its hourly
          cost — the price of the staffing, whatever the agents did with the hours — plus the
          second-level specialists' hours spent on escalations.
        - ``loyalty_members``, ``loyalty_cost_cny``: the club's members and its cost other than
          member discounts, which the orders' margin already carries
          (:func:`simulation.loyalty.kpis.loyalty_kpis`); 0 when it is off.
        - ``fixed_cost_cny``: the fixed costs for the days run
          (``overheads.fixed_cost_cny_per_year * days / 365``).
        - ``net_profit_cny`` = ``profit_cny`` − ``complaint_compensation_cny`` −
          ``centre_capacity_cost_cny`` − ``loyalty_cost_cny`` − ``fixed_cost_cny`` (the agents'
          time on complaints is part of the capacity cost, so it is not counted twice): the
          operating profit; ``operating_margin`` = ``net_profit_cny / revenue_cny``.

        Computed once per result (its tables are read-only, see :class:`Tables`) and returned as a
        fresh dict.
        """
        cached = self.__dict__.get("_summary")
        if cached is None:
            cached = self.__dict__["_summary"] = self._summary()
        return dict(cached)

    def _summary(self) -> dict:
        c, o = self.customers, self.orders
        acquired = c[c["acquired_day"].notna()]
        stage = acquired["stage_at_end"]
        margin = float(o["margin_cny"].sum())
        serve = float(o[["delivery_cost_cny", "installation_cost_cny", "repair_cost_cny"]].sum().sum())
        acq = float(acquired["acquisition_cost_cny"].sum())
        rev = acquired["revenue_cny"].sort_values(ascending=False).to_numpy()
        top = max(1, int(round(0.2 * len(rev)))) if len(rev) else 0
        top20 = float(rev[:top].sum() / rev.sum()) if len(rev) and rev.sum() > 0 else math.nan
        w = min(365.0, self.as_of_day / 2)
        nc = o[~o["contract"]]
        prev = set(
            nc.loc[(nc["time_days"] >= self.as_of_day - 2 * w) & (nc["time_days"] < self.as_of_day - w), "customer_id"]
        )
        last = set(nc.loc[nc["time_days"] >= self.as_of_day - w, "customer_id"])
        retention = len(prev & last) / len(prev) if prev else math.nan
        out = {
            "scenario": self.scenario.name,
            "seed": self.seed,
            "days": round(self.as_of_day, 6),
            "customers_acquired": int(len(acquired)),
            "customers_active": int(stage.isin(["development", "maintenance"]).sum()),
            "customers_declining": int((stage == "decline").sum()),
            "customers_dormant": int((stage == "termination").sum()),
            "customers_left_truth": int((~acquired["alive_at_end"]).sum()),
            "orders": int(len(nc)),
            "revenue_cny": round(float(o["amount_cny"].sum()), 2),
            "gross_margin_cny": round(margin, 2),
            "cost_to_serve_cny": round(serve, 2),
            "acquisition_cost_cny": round(acq, 2),
            "profit_cny": round(margin - serve - acq, 2),
            "retention_rate": round(retention, 4) if not math.isnan(retention) else None,
            "mean_satisfaction": round(float(acquired["satisfaction_final"].mean()), 2) if len(acquired) else None,
            "top20_revenue_share": round(top20, 4) if not math.isnan(top20) else None,
        }
        out.update(self._desk_and_club())
        out["fixed_cost_cny"] = round(self.scenario.overheads.fixed_cost_cny_per_year * self.as_of_day / 365.0, 2)
        out["net_profit_cny"] = round(
            out["profit_cny"]
            - out["complaint_compensation_cny"]
            - out["centre_capacity_cost_cny"]
            - out["loyalty_cost_cny"]
            - out["fixed_cost_cny"],
            2,
        )
        rev = out["revenue_cny"]
        out["operating_margin"] = round(out["net_profit_cny"] / rev, 4) if rev > 0 else None
        return out

    def _desk_and_club(self) -> dict:
        """The complaint desk's and the loyalty club's headline KPIs (zeros when they are off)."""

        def rounded(x, digits=4):
            return None if x is None or math.isnan(x) else round(float(x), digits)

        out = {
            "complaints": 0,
            "complaint_service_level": None,
            "complaint_abandonment_rate": None,
            "complaint_cost_cny": 0.0,
            "complaint_compensation_cny": 0.0,
            "centre_contacts": 0,
            "centre_service_level": None,
            "centre_abandonment_rate": None,
            "centre_occupancy_share": None,
            "centre_capacity_cost_cny": 0.0,
            "loyalty_members": 0,
            "loyalty_cost_cny": 0.0,
        }
        if self.scenario.complaints.enabled:
            from ..complaints.contacts import centre_kpis
            from ..complaints.kpis import complaint_kpis

            k = complaint_kpis(self)
            out.update(
                complaints=k["offered"],
                complaint_service_level=rounded(k["service_level"]),
                complaint_abandonment_rate=rounded(k["abandonment_rate"]),
                complaint_cost_cny=round(k["cost_cny"], 2),
                complaint_compensation_cny=round(k["compensation_cny"], 2),
            )
            k = centre_kpis(self)
            out.update(
                centre_contacts=k["contacts"],
                centre_service_level=rounded(k["service_level"]),
                centre_abandonment_rate=rounded(k["abandonment_rate"]),
                centre_occupancy_share=rounded(k["occupancy"]),
                centre_capacity_cost_cny=round(k["capacity_cost_cny"], 2),
            )
        if self.scenario.loyalty.enabled and len(self.loyalty_ledger):
            from ..loyalty.kpis import loyalty_kpis

            k = loyalty_kpis(self)
            out.update(
                loyalty_members=k["members"],
                loyalty_cost_cny=round(k["programme_cost_cny"] - k["discount_cost_cny"], 2),
            )
        return out

    def summary_text(self, lang: str | None = None) -> str:
        """The summary as aligned ``label  value`` lines, in ``lang`` (default: the current language)."""
        from ..common.dictionary import PERCENT_SUFFIXES, SUMMARY_LABELS
        from ..common.i18n import pick, resolve, value_label

        lang = resolve(lang)

        s = self.summary()
        hide = set()
        if not self.scenario.complaints.enabled:
            hide |= {"complaints", "complaint_service_level", "complaint_abandonment_rate", "complaint_cost_cny"}
        if not self.scenario.loyalty.enabled:
            hide |= {"loyalty_members", "loyalty_cost_cny"}
        rows = []
        for key, value in s.items():
            if key in hide:
                continue
            label = SUMMARY_LABELS.get(key, {}).get(lang, key)
            if isinstance(value, float) and key.endswith(("_cny",)):
                value = f"{value:,.0f}"
            elif isinstance(value, float) and key.endswith(PERCENT_SUFFIXES):
                value = f"{value:.1%}"
            if isinstance(value, str):
                value = value_label(value, lang)
            rows.append((label, pick("n/a", "无", lang) if value is None else str(value)))
        width = max(len(r[0]) for r in rows)
        return "\n".join(f"{k.ljust(width)}  {v}" for k, v in rows)

    # ------------------------------------------------------------------ output
    def to_dir(self, out: str | Path, fmt: str = "csv") -> list[Path]:
        """Write every table (``.csv`` or ``.parquet``) and ``summary.json`` into ``out``.

        A CSV file holds exactly what ``DataFrame.to_csv(index=False, lineterminator="\\n")``
        writes (UTF-8, floats in their shortest round-trip form, see
        :mod:`simulation.model.csvtext`), so ``pd.read_csv`` reads it back unchanged.

        Files are written to a temporary folder beside ``out`` and moved in at the end,
        so a failure leaves nothing half-written. ``out`` must not exist or be empty.
        """
        import os
        import shutil
        import tempfile

        from .csvtext import csv_bytes

        if fmt not in ("csv", "parquet"):
            raise ValueError(f"format must be 'csv' or 'parquet'; got {fmt!r}.")
        out = Path(out)
        if out.exists() and (not out.is_dir() or any(out.iterdir())):
            raise FileExistsError(
                f"{str(out)!r} already exists and is not an empty folder; "
                "choose a new --out folder (nothing was written)."
            )
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".crm-", dir=out.parent))
        try:
            for name in TABLES:
                df = self.tables[name]
                if fmt == "csv":
                    (tmp / f"{name}.csv").write_bytes(csv_bytes(df))
                else:
                    df.to_parquet(tmp / f"{name}.parquet", index=False)
            (tmp / "summary.json").write_text(
                json.dumps(self.summary(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
            if out.exists():
                out.rmdir()
            os.replace(tmp, out)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return sorted(out.iterdir())
