"""Importing the dirty CRM export into a clean customer database (module 3).

The pipeline, in order:

1. **Clean each cell** with the rules of :mod:`simulation.database.normalise`. A cell that
   cannot be used (a birth year of 2085, an e-mail without ``@``) is left empty and logged in
   ``import_issues``; the row itself is kept.
2. **Quarantine rows that cannot be accepted** into ``rejects``, with the reason and the raw
   row as JSON: a customer record without a record id or name, or with an unknown segment or
   channel; an order that is an exact copy of an earlier row, repeats an order number, is
   booked to an unknown or rejected record, or has no usable date, category or amount.
3. **Match and merge** duplicate customer records (:mod:`simulation.database.dedup`); every
   record is kept in ``customer_records`` with the customer it was merged into and the rule.
4. **Write** customers, contacts, orders and order lines, with the same schema, constraints
   and views as an exported firm (:func:`simulation.database.write_database`).

Nothing is dropped silently: for each raw table, rows in = rows loaded + rows rejected; the
:class:`ImportReport` states both, and :func:`import_dirty` raises if they ever differ.
"""

from __future__ import annotations

import datetime as _dt
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..common.checks import require_columns
from ..data.dirty import RECORD_COLUMNS
from ..model.records import CATEGORIES, CHANNEL_CODES, STAGES
from ..scenario.parts import SEGMENTS, Lifecycle
from . import normalise as nz
from .dedup import match_records, merge_records
from .export import write_database
from .frames import DatabaseError

__all__ = ["ImportReport", "import_dirty", "read_raw", "CUSTOMER_RAW_COLUMNS", "ORDER_RAW_COLUMNS"]

CUSTOMER_RAW_COLUMNS = ("record_id", *RECORD_COLUMNS)
ORDER_RAW_COLUMNS = ("order_no", "record_id", "order_date", "category", "amount_cny")


@dataclass
class ImportReport:
    """Rows in, loaded and rejected per raw table; customers after merging; cells left empty."""

    path: Path
    customers_in: int
    records_loaded: int
    records_rejected: int
    customers: int
    orders_in: int
    orders_loaded: int
    orders_rejected: int
    issues: int
    seconds: float
    reasons: dict = field(default_factory=dict)

    @property
    def duplicates_merged(self) -> int:
        return self.records_loaded - self.customers

    def as_dict(self) -> dict:
        d = {k: v for k, v in self.__dict__.items() if k != "path"}
        return {**d, "path": str(self.path), "duplicates_merged": self.duplicates_merged}

    def text(self) -> str:
        """The end-of-import report: every raw row is accounted for."""
        why = "; ".join(f"{r} {n:,}" for r, n in sorted(self.reasons.items(), key=lambda kv: -kv[1]))
        return "\n".join(
            [
                f"customers_raw: {self.customers_in:,} rows in = {self.records_loaded:,} loaded + "
                f"{self.records_rejected:,} rejected; {self.customers:,} customers after merging "
                f"{self.duplicates_merged:,} duplicate records",
                f"orders_raw:    {self.orders_in:,} rows in = {self.orders_loaded:,} loaded + {self.orders_rejected:,} rejected",
                f"rejected because: {why or 'nothing rejected'}",
                f"cells left empty: {self.issues:,} (see table import_issues)",
                f"wrote {self.path} in {self.seconds:.2f} s; integrity_check ok, foreign_key_check ok",
            ]
        )


class _Log:
    """Rejected rows and unusable cells, as they are found."""

    def __init__(self):
        self.rejects: list[tuple] = []
        self.issues: list[tuple] = []

    def reject(self, table: str, row: int, key, detail: str, raw: dict) -> None:
        self.rejects.append((table, row, key, _reason_kind(detail), detail, json.dumps(raw, ensure_ascii=False)))

    def issue(self, table: str, row: int, key, column: str, raw, reason: str) -> None:
        self.issues.append((table, row, key, column, str(raw), reason))


def _cell(v) -> str:
    return "" if v is None or (isinstance(v, float) and v != v) else str(v)


def _clean_records(raw: pd.DataFrame, log: _Log, first: _dt.date, last: _dt.date) -> pd.DataFrame:
    out, seen = [], {}
    for i, r in enumerate(raw[list(CUSTOMER_RAW_COLUMNS)].itertuples(index=False, name=None), start=1):
        cells = dict(zip(CUSTOMER_RAW_COLUMNS, (_cell(v) for v in r)))
        rid = cells["record_id"].strip()
        name, name_problem = nz.name_zh(cells["name"])
        seg, seg_problem = nz.label(cells["segment"], "segment")
        chan, chan_problem = nz.label(cells["channel"], "channel")
        reason = None
        if not rid:
            reason = "record_id is empty"
        elif rid in seen:
            reason = f"record_id {rid} already used by row {seen[rid]}"
        elif name is None:
            reason = f"name {name_problem}" if name_problem else "name is empty"
        elif seg is None:
            reason = f"segment {seg_problem}" if seg_problem else "segment is empty"
        elif chan is None:
            reason = f"channel {chan_problem}" if chan_problem else "channel is empty"
        if reason:
            log.reject("customers_raw", i, rid or None, reason, cells)
            continue
        seen[rid] = i
        rec = {"row": i, "record_id": rid, "name_zh": name, "segment": seg, "channel": chan}
        checks = {
            "name_pinyin": nz.name_pinyin(cells["name_pinyin"], name),
            "gender": nz.label(cells["gender"], "gender"),
            "birth_year": nz.birth_year(cells["birth_year"], first=first.year - 110, last=first.year - 16),
            "mobile": nz.mobile(cells["mobile"]),
            "email": nz.email(cells["email"]),
            "city": nz.text(cells["city"]),
            "district": nz.text(cells["district"]),
            "address": nz.text(cells["address"]),
            "company": nz.text(cells["company"]),
            "registered_on": nz.date(cells["registered_on"], first=first, last=last),
        }
        for col, (value, problem) in checks.items():
            rec[col] = value
            if problem:
                log.issue("customers_raw", i, rid, col, cells[col], problem)
        out.append(rec)
    cols = [
        "row",
        "record_id",
        "name_zh",
        "segment",
        "channel",
        *(
            "name_pinyin",
            "gender",
            "birth_year",
            "mobile",
            "email",
            "city",
            "district",
            "address",
            "company",
            "registered_on",
        ),
    ]
    return pd.DataFrame(out, columns=cols)


def _clean_orders(
    raw: pd.DataFrame, log: _Log, record_group: dict, rejected_rows: dict, first: _dt.date, last: _dt.date
) -> list[dict]:
    out, copies, loaded = [], {}, {}
    for i, r in enumerate(raw[list(ORDER_RAW_COLUMNS)].itertuples(index=False, name=None), start=1):
        cells = dict(zip(ORDER_RAW_COLUMNS, (_cell(v) for v in r)))
        key = tuple(cells.values())
        no = nz.fold(cells["order_no"]).upper()
        rid = cells["record_id"].strip()
        when, date_problem = nz.date(cells["order_date"], first=first, last=last)
        cat, cat_problem = nz.label(cells["category"], "category")
        amt, amt_problem = nz.amount(cells["amount_cny"])
        digits = no[2:] if no.startswith("SO") else ""
        reason = None
        if key in copies:
            reason = f"exact copy of row {copies[key]}"
        elif not no:
            reason = "order_no is empty"
        elif not digits.isdigit():
            reason = f"order_no {cells['order_no']!r} is not SO followed by digits"
        elif int(digits) in loaded:
            reason = f"order_no {no} already loaded from row {loaded[int(digits)]} with other values"
        elif rid not in record_group and rid in rejected_rows:
            reason = f"booked to customer record {rid}, which was rejected (row {rejected_rows[rid]})"
        elif rid not in record_group:
            reason = f"record_id {rid!r} is not in customers_raw" if rid else "record_id is empty"
        elif when is None:
            reason = f"order_date {date_problem}" if date_problem else "order_date is empty"
        elif cat is None:
            reason = f"category {cat_problem}" if cat_problem else "category is empty"
        elif amt is None:
            reason = f"amount_cny {amt_problem}" if amt_problem else "amount_cny is empty"
        copies.setdefault(key, i)
        if reason:
            log.reject("orders_raw", i, cells["order_no"] or None, reason, cells)
            continue
        loaded[int(digits)] = i
        out.append(
            {
                "order_id": int(digits),
                "group": record_group[rid],
                "when": when,
                "category": cat,
                "amount_cny": amt,
                "row": i,
            }
        )
    return out


def _stage(times: np.ndarray, as_of: float, lc: Lifecycle) -> str:
    """Lifecycle stage at ``as_of`` from sorted non-contract order times (rules of :class:`Lifecycle`)."""
    if len(times) == 0:
        return "contact"
    gap = as_of - times[-1]
    if gap > lc.dormant_after_days:
        return "termination"
    if gap > lc.decline_after_days:
        return "decline"
    restart = np.flatnonzero(np.diff(times) > lc.dormant_after_days)
    since = len(times) - (restart[-1] + 1 if len(restart) else 0)
    return "maintenance" if since >= lc.maintenance_after_orders else "development"


def import_dirty(
    customers_raw: pd.DataFrame,
    orders_raw: pd.DataFrame,
    path,
    *,
    start_date: str = "2024-01-01",
    horizon_days: float = 730.0,
    force: bool = False,
    lifecycle: Lifecycle | None = None,
) -> ImportReport:
    """Clean, deduplicate and load a raw CRM export into a new customer database.

    Parameters
    ----------
    customers_raw, orders_raw : DataFrame
        The raw tables (every cell text), e.g. ``load_dataset("class-dirty")``'s; columns as in
        the data dictionary (extra columns are ignored).
    path : str or Path
        The database file to create (atomically; see :func:`write_database`).
    start_date : str
        The firm's first day (ISO date); earlier dates are impossible. Day numbers count from it.
    horizon_days : float
        Length of the records: dates on or after ``start_date + horizon_days`` are impossible,
        and the analysis date (``as_of_day``) is ``horizon_days``.
    force : bool
        Replace an existing workbench database at ``path``.
    lifecycle : Lifecycle, optional
        Stage rules for ``customers.stage_at_end`` (default: the model's defaults).

    Returns
    -------
    ImportReport
    """
    t0 = time.perf_counter()
    require_columns(customers_raw, "customers_raw", CUSTOMER_RAW_COLUMNS, error=DatabaseError)
    require_columns(orders_raw, "orders_raw", ORDER_RAW_COLUMNS, error=DatabaseError)
    try:
        first = _dt.date.fromisoformat(start_date)
    except (TypeError, ValueError):
        raise DatabaseError(f"start_date must be an ISO date like '2024-01-01'; got {start_date!r}") from None
    if not isinstance(horizon_days, (int, float)) or not 1 <= horizon_days <= 36_500:
        raise DatabaseError(f"horizon_days must be a number of days in [1, 36500]; got {horizon_days!r}")
    last = first + _dt.timedelta(days=int(np.ceil(horizon_days)) - 1)
    lc = lifecycle or Lifecycle()
    log = _Log()
    recs = _clean_records(customers_raw, log, first, last)
    m = match_records(recs)
    recs = pd.concat([recs, m], axis=1)
    rejected_rows = {str(r[2]): r[1] for r in log.rejects if r[2] and r[0] == "customers_raw"}
    orders = _clean_orders(orders_raw, log, dict(zip(recs["record_id"], recs["group"])), rejected_rows, first, last)
    frames = _frames(recs, orders, log, first, float(horizon_days), lc)
    n_cust = len(frames["customers"])
    meta = {
        "kind": "import",
        "source": "dirty CRM export (customers_raw, orders_raw)",
        "start_date": first.isoformat(),
        "as_of_day": float(horizon_days),
        "horizon_days": float(horizon_days),
        "decline_after_days": lc.decline_after_days,
        "dormant_after_days": lc.dormant_after_days,
        "maintenance_after_orders": lc.maintenance_after_orders,
    }
    n_rej_c = sum(1 for r in log.rejects if r[0] == "customers_raw")
    report = ImportReport(
        Path(path),
        len(customers_raw),
        len(recs),
        n_rej_c,
        n_cust,
        len(orders_raw),
        len(orders),
        len(log.rejects) - n_rej_c,
        len(log.issues),
        0.0,
        dict(Counter(r[3] for r in log.rejects)),
    )
    if (
        report.records_loaded + report.records_rejected != report.customers_in
        or report.orders_loaded + report.orders_rejected != report.orders_in
    ):
        raise DatabaseError("internal error: rows in differ from rows loaded + rejected; nothing was written")
    meta["import_report"] = {k: v for k, v in report.as_dict().items() if k not in ("path", "seconds")}
    write_database(frames, path, meta=meta, force=force)
    report.seconds = time.perf_counter() - t0
    return report


_KINDS = (
    ("exact copy of row", "exact copy of an earlier row"),
    ("already used by row", "record_id used twice"),
    ("already loaded from row", "order_no used twice"),
    ("which was rejected", "booked to a rejected record"),
    ("is not in customers_raw", "record_id not in customers_raw"),
)


def _reason_kind(detail: str) -> str:
    """The rule behind a rejection, without the row's specifics (for counting)."""
    for marker, kind in _KINDS:
        if marker in detail:
            return kind
    return detail.split(" (")[0]


def _frames(
    recs: pd.DataFrame, orders: list[dict], log: _Log, first: _dt.date, as_of: float, lc: Lifecycle
) -> dict[str, pd.DataFrame]:
    day0 = pd.Timestamp(first)
    merged = merge_records(recs, recs["group"])
    n = len(merged)
    o = pd.DataFrame(orders, columns=["order_id", "group", "when", "category", "amount_cny", "row"])
    o = o.sort_values("order_id", kind="stable").reset_index(drop=True)
    when = pd.to_datetime(o["when"]).astype("datetime64[s]")
    o["time_days"] = (when - day0).dt.total_seconds().to_numpy(dtype=float) / 86400.0
    contract = (o["category"] == "service_plan").to_numpy()
    nc = o.loc[~contract]
    reg = pd.to_datetime(recs["registered_on"]).astype("datetime64[s]")
    contact = ((reg - day0).dt.total_seconds() / 86400.0).groupby(recs["group"].to_numpy()).min()
    contact = contact.reindex(range(n)).to_numpy(dtype=float)
    acquired = nc.groupby("group")["time_days"].min().reindex(range(n)).to_numpy(dtype=float)
    late = acquired < contact
    for g in np.flatnonzero(late):
        grp = recs.loc[recs["group"] == g]
        row = grp.loc[reg.loc[grp.index].idxmin()]
        log.issue(
            "customers_raw",
            int(row["row"]),
            row["record_id"],
            "registered_on",
            pd.Timestamp(row["registered_on"]).date().isoformat(),
            "the customer's earliest registration is after their first order; the first order's day is used",
        )
    contact = np.where(late | np.isnan(contact), np.floor(acquired), contact)
    times = {g: np.sort(t.to_numpy()) for g, t in nc.groupby("group")["time_days"]}
    customers = pd.DataFrame(
        {
            "customer_id": np.arange(1, n + 1, dtype=np.int64),
            "segment": pd.Categorical(merged["segment"], categories=list(SEGMENTS)),
            "channel": pd.Categorical(merged["channel"], categories=list(CHANNEL_CODES)),
            "contact_day": contact,
            "acquired_day": acquired,
            "n_orders": nc.groupby("group").size().reindex(range(n), fill_value=0).to_numpy(dtype=np.int64),
            "revenue_cny": o.groupby("group")["amount_cny"]
            .sum()
            .reindex(range(n), fill_value=0.0)
            .to_numpy(dtype=float),
            "last_order_day": nc.groupby("group")["time_days"].max().reindex(range(n)).to_numpy(dtype=float),
            "stage_at_end": pd.Categorical(
                [_stage(times.get(g, np.zeros(0)), as_of, lc) for g in range(n)], categories=list(STAGES)
            ),
        }
    )
    contacts = pd.DataFrame({"customer_id": customers["customer_id"]})
    for col in ("name_zh", "name_pinyin", "mobile", "email", "city", "district", "address", "company"):
        contacts[col] = merged[col].astype("str")
    contacts["gender"] = pd.Categorical(merged["gender"], categories=["F", "M"])
    contacts["birth_year"] = pd.array(merged["birth_year"], dtype="Int64")
    contacts["company"] = merged["company"].fillna("").astype("str")
    out_orders = pd.DataFrame(
        {
            "order_id": o["order_id"].to_numpy(dtype=np.int64),
            "customer_id": o["group"].to_numpy(dtype=np.int64) + 1,
            "time_days": o["time_days"].to_numpy(dtype=float),
            "date": when.to_numpy(),
            "category": pd.Categorical(o["category"], categories=list(CATEGORIES)),
            "contract": contract,
            "amount_cny": o["amount_cny"].to_numpy(dtype=float),
        }
    )
    records = pd.DataFrame(
        {
            "record_id": recs["record_id"].astype("str"),
            "customer_id": recs["group"].to_numpy(dtype=np.int64) + 1,
            "source_row": recs["row"].to_numpy(dtype=np.int64),
            "match_rule": recs["match_rule"].astype("str"),
            "matched_record": recs["matched_record"],
        }
    )
    rejects = pd.DataFrame(log.rejects, columns=["source_table", "source_row", "source_key", "reason", "detail", "raw"])
    issues = pd.DataFrame(
        log.issues, columns=["source_table", "source_row", "source_key", "column_name", "raw_value", "reason"]
    )
    for df in (rejects, issues):
        df["source_row"] = df["source_row"].astype(np.int64)
    return {
        "customers": customers,
        "contacts": contacts,
        "orders": out_orders,
        "customer_records": records,
        "rejects": rejects,
        "import_issues": issues,
    }


def read_raw(folder) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``customers_raw`` and ``orders_raw`` from a folder (``.csv`` or ``.csv.gz`` files).

    Raises
    ------
    DatabaseError
        If a file is missing or is not a valid export (its header is checked).
    """
    from ..data.csvio import load_table
    from ..data.file_schema import DatasetError

    folder = Path(folder)
    if not folder.is_dir():
        raise DatabaseError(f"{str(folder)!r} is not a folder holding customers_raw.csv and orders_raw.csv")
    out = []
    for name in ("customers_raw", "orders_raw"):
        path = next(
            (folder / f"{name}{ext}" for ext in (".csv.gz", ".csv") if (folder / f"{name}{ext}").is_file()), None
        )
        if path is None:
            raise DatabaseError(f"{str(folder)!r} has no {name}.csv or {name}.csv.gz")
        try:
            out.append(load_table(path, name))
        except DatasetError as exc:
            raise DatabaseError(str(exc)) from None
    return out[0], out[1]
