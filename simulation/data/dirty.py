"""A "dirty" export of the class data set, for the database-building module (module 3).

:func:`make_dirty` turns the clean contacts, customers and orders into the kind of raw text a
real CRM export contains — duplicate customer records, phone numbers and e-mails in several
formats, missing values, impossible dates, categories in mixed case — and keeps the truth
beside it so that cleaning exercises can be graded (:mod:`simulation.data.scoring`).

The process, in order (every draw from stream ``"dirty"`` of ``SeedSequence(seed)``):

1. **Records.** One record per customer with canonical text: mobile ``13812345678``, e-mail in
   lower case, categories as in the model, ``registered_on`` = the day of first contact.
2. **Duplicates.** ``round(duplicate_customers × customers)`` customers, drawn at random, get a
   second record, and ``round(second_duplicate ×`` that number``)`` of them a third; a duplicate
   is created again at a later time (uniform up to the end of the run) and differs from the
   first record in one to three of: the name's format, the phone's format, the e-mail's format.
3. **Record ids.** Records are sorted by the time they were created and numbered
   ``C000001, C000002 …``; this is also their order in the file.
4. **Cell defects.** For each (column, defect) below, ``k = round(rate × rows)`` cells not yet
   touched are drawn at random and rewritten; rarer defects go first, so a cell carries at
   most one defect.
5. **Orders.** One row per order, booked to the customer's first record; an order placed on or
   after a duplicate was created is booked to that duplicate with chance
   ``duplicate_booking``. Cell defects as for records; then ``round(duplicate_order_rows ×
   orders)`` rows are exported twice (an exact copy right after the row).

Defects (``defects.defect``): ``missing`` (empty or a marker such as ``NULL``, ``N/A``, ``-``,
``无``), ``phone_format`` (``138-1234-5678``, ``+86 138 1234 5678`` …), ``email_format`` (upper
case, spaces, a full-width ``＠``), ``name_format`` (spaces, case, given name first),
``date_format`` (``2024/03/05``, ``2024年3月5日`` …; the calendar date is kept),
``impossible_date`` (``2024-02-30``, month 13, a year before the firm opened or decades
ahead, birth year 2085 or 1885 or 0), ``category_case`` (``Household``, ``HOUSEHOLD ``,
``small business``, ``女``), ``amount_format`` (``¥1,234.50``, ``1234.50元``).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..model.streams import stream_key
from ..scenario.fields import check_fields, param
from .file_schema import DEFECT_KINDS, LEVELS

__all__ = ["DirtyRates", "make_dirty", "RECORD_COLUMNS", "ORDER_COLUMNS"]

RECORD_COLUMNS = (
    "name",
    "name_pinyin",
    "gender",
    "birth_year",
    "mobile",
    "email",
    "city",
    "district",
    "address",
    "company",
    "segment",
    "channel",
    "registered_on",
)
ORDER_COLUMNS = ("order_no", "record_id", "order_date", "category", "amount_cny")
_MISSING = ("", "", "NULL", "N/A", "-", "无")


def _rate(default, en, zh, help=""):
    return param(default, unit="share", lo=0.0, hi=1.0, en=en, zh=zh, help=help)


@dataclass(frozen=True)
class DirtyRates:
    """How often each defect is injected (shares of rows; see the module docstring)."""

    duplicate_customers: float = _rate(0.05, "Customers with a duplicate record", "有重复记录的客户比例")
    second_duplicate: float = _rate(0.2, "Duplicated customers with a third record", "有第三条记录的比例")
    duplicate_booking: float = _rate(0.5, "Later orders booked to the duplicate", "记到重复记录上的订单比例")
    duplicate_order_rows: float = _rate(0.01, "Order rows exported twice", "重复导出的订单行比例")
    missing: float = _rate(0.04, "Missing gender, birth year, e-mail, district, address", "缺失值比例")
    missing_mobile: float = _rate(0.02, "Missing mobile numbers", "手机号缺失比例")
    missing_order_values: float = _rate(0.01, "Missing order category or amount", "订单品类或金额缺失比例")
    phone_format: float = _rate(0.15, "Phones in another format", "手机号格式不一致比例")
    email_format: float = _rate(0.08, "E-mails in another format", "邮箱格式不一致比例")
    name_format: float = _rate(0.05, "Names in another format", "姓名格式不一致比例")
    date_format: float = _rate(0.08, "Dates in another format", "日期格式不一致比例")
    impossible_date: float = _rate(0.005, "Impossible dates and birth years", "不可能日期比例")
    category_case: float = _rate(0.10, "Categories in mixed case or another form", "类别大小写不一致比例")
    amount_format: float = _rate(0.05, "Amounts with currency signs or separators", "金额格式不一致比例")

    def __post_init__(self):
        check_fields(self)


# ---------------------------------------------------------------------- cell rewriters
# Each returns the forms a defect may give the clean text ``v``; one that differs is drawn.
def _choose(rng, options):
    return options[int(rng.integers(0, len(options)))]


def _phone(v: str) -> list[str]:
    a, b, c = v[:3], v[3:7], v[7:]
    return [f"{a}-{b}-{c}", f"+86 {a} {b} {c}", f"{a} {b} {c}", f"86{v}", f"(+86){v}", f"+86-{v}"]


def _email(v: str) -> list[str]:
    local, _, host = v.partition("@")
    return [
        v.upper(),
        f" {v}",
        f"{v} ",
        f"{local}＠{host}",
        f"{local} @ {host}",
        f"{local.capitalize()}@{host.upper()}",
    ]


def _name(v: str, column: str) -> list[str]:
    if column == "name":
        return [f"{v[0]} {v[1:]}", f"{v[0]}\u3000{v[1:]}", f" {v}", f"{v} "]
    sur, _, given = v.partition(" ")
    return [v.upper(), v.lower(), f"{given} {sur}", f"{sur.upper()} {given}", f"{sur}  {given}", f"{sur}{given}"]


_CATEGORY_FORMS = {
    "F": ["女", "female", "f", "Female"],
    "M": ["男", "male", "m", "MALE"],
    "household": ["Household", "HOUSEHOLD ", " household", "家庭", "House hold"],
    "small_business": ["small business", "Small Business", "SMALL_BUSINESS", "小企业", "small_business "],
    "service_plan": ["service plan", "Service_Plan", "SERVICE PLAN", "服务计划"],
}


def _category(v: str) -> list[str]:
    return _CATEGORY_FORMS.get(v) or [v.capitalize(), v.upper() + " ", f" {v}", v.title()]


def _date(v: str) -> list[str]:
    d = _dt.date.fromisoformat(v[:10])
    time = v[10:]
    hm = time[:6]
    return [
        f"{d:%Y/%m/%d}{time}",
        f"{d.year}年{d.month}月{d.day}日{hm}",
        f"{d:%Y%m%d}",
        f"{d.year}-{d.month}-{d.day}{hm}",
        f"{d:%d.%m.%Y}{time}",
    ]


def _impossible(v: str, column: str) -> list[str]:
    if column == "birth_year":
        y = int(v)
        return [str(y + 100), str(y - 100), "0"]
    y, m, d, rest = v[:4], v[5:7], v[8:10], v[10:]
    return [f"{y}-02-30{rest}", f"{y}-13-{d}{rest}", f"{int(y) - 20}-{m}-{d}{rest}", f"{int(y) + 70}-{m}-{d}{rest}"]


def _amount(v: str) -> list[str]:
    a = float(v)
    return [f"¥{a:,.2f}", f"{a:.2f}元", f"{a:,.2f}", f"RMB {a:.2f}"]


def _rewrite(rng, kind: str, v: str, column: str) -> str:
    forms = {
        "missing": lambda: list(_MISSING),
        "phone_format": lambda: _phone(v),
        "email_format": lambda: _email(v),
        "name_format": lambda: _name(v, column),
        "category_case": lambda: _category(v),
        "date_format": lambda: _date(v),
        "impossible_date": lambda: _impossible(v, column),
        "amount_format": lambda: _amount(v),
    }[kind]()
    return _choose(rng, [f for f in forms if f != v])


class _Cells:
    """Text cells of one raw table with a record of every rewritten cell."""

    def __init__(self, table: str, frame: pd.DataFrame, key: str):
        self.table, self.key = table, key
        self.cols = {c: frame[c].astype(str).tolist() for c in frame.columns}
        self.clean = {c: list(v) for c, v in self.cols.items()}
        self.touched: dict[tuple[int, str], str] = {}

    def rewrite(self, rng, i: int, column: str, kind: str) -> None:
        self.cols[column][i] = _rewrite(rng, kind, self.clean[column][i], column)
        self.touched[(i, column)] = kind

    def inject(self, rng, column: str, kind: str, rate: float, eligible=None) -> None:
        n = len(self.cols[column])
        free = [i for i in range(n) if (i, column) not in self.touched and (eligible is None or eligible[i])]
        k = min(int(round(rate * n)), len(free))
        for i in sorted(rng.choice(free, size=k, replace=False).tolist()) if k else []:
            self.rewrite(rng, i, column, kind)


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(stream_key("dirty"),)))


def make_dirty(
    contacts: pd.DataFrame,
    customers: pd.DataFrame,
    orders: pd.DataFrame,
    seed: int,
    *,
    start_date: str,
    horizon_days: float,
    rates: DirtyRates | None = None,
) -> dict[str, pd.DataFrame]:
    """The dirty export and its truth.

    Parameters
    ----------
    contacts : DataFrame
        The ``contacts`` table (:func:`simulation.data.contacts.make_contacts`).
    customers : DataFrame
        Needs ``customer_id, segment, channel, contact_day``.
    orders : DataFrame
        Needs ``order_id, customer_id, time_days, date, category, amount_cny``.
    seed : int
        Seed of the injection (stream ``"dirty"``).
    start_date : str
        First day of the run (ISO date); ``horizon_days`` its length.
    rates : DirtyRates, optional
        Defect rates (default :class:`DirtyRates`).

    Returns
    -------
    dict with the tables ``customers_raw`` and ``orders_raw`` (all text), ``customers_truth``
    and ``orders_truth`` (per raw row: the true customer and order, and the clean values) and
    ``defects`` (one row per rewritten cell: table, row, column, defect, dirty and clean text).
    """
    rates = rates or DirtyRates()
    rng = _rng(seed)
    day0 = np.datetime64(start_date, "D")
    c = customers[["customer_id", "segment", "channel", "contact_day"]].merge(contacts, on="customer_id", how="left")
    if c["name_zh"].isna().any():
        missing = c.loc[c["name_zh"].isna(), "customer_id"].iloc[0]
        raise ValueError(f"contacts has no row for customer_id {missing}")
    n = len(c)
    base_day = c["contact_day"].to_numpy(float)
    # 2. duplicates: source customer position, time the record was created, is it a duplicate
    k1 = int(round(rates.duplicate_customers * n))
    dup = np.sort(rng.choice(n, size=k1, replace=False)) if k1 else np.zeros(0, int)
    k2 = int(round(rates.second_duplicate * k1))
    third = np.sort(rng.choice(dup, size=k2, replace=False)) if k2 else np.zeros(0, int)
    src = np.concatenate([np.arange(n), dup, third])
    later = base_day[src] + rng.random(len(src)) * np.maximum(horizon_days - base_day[src], 0.0)
    is_dup = np.arange(len(src)) >= n
    day = np.where(is_dup, later, base_day[src])
    # 3. record ids in registration order
    order = np.lexsort((is_dup, day))
    src, day, is_dup = src[order], day[order], is_dup[order]
    rec_ids = np.array([f"C{i + 1:06d}" for i in range(len(src))])
    first_rec = {}
    for r, s, d in zip(rec_ids.tolist(), src.tolist(), is_dup.tolist()):
        if not d:
            first_rec[s] = r
    master = np.array([first_rec[s] for s in src.tolist()])
    clean = pd.DataFrame(
        {
            "name": c["name_zh"].to_numpy()[src],
            "name_pinyin": c["name_pinyin"].to_numpy()[src],
            "gender": c["gender"].astype(str).to_numpy()[src],
            "birth_year": c["birth_year"].astype(str).to_numpy()[src],
            "mobile": c["mobile"].to_numpy()[src],
            "email": c["email"].to_numpy()[src],
            "city": c["city"].to_numpy()[src],
            "district": c["district"].to_numpy()[src],
            "address": c["address"].to_numpy()[src],
            "company": c["company"].to_numpy()[src],
            "segment": c["segment"].astype(str).to_numpy()[src],
            "channel": c["channel"].astype(str).to_numpy()[src],
            "registered_on": np.datetime_as_string(day0 + np.floor(day).astype("timedelta64[D]"), unit="D"),
        }
    )
    cells = _Cells("customers_raw", clean, "record_id")
    for i in np.flatnonzero(is_dup).tolist():
        kinds = [k for k in ("name_format", "phone_format", "email_format") if rng.random() < 0.5]
        for kind in kinds or [_choose(rng, ["name_format", "phone_format", "email_format"])]:
            col = {
                "name_format": _choose(rng, ["name", "name_pinyin"]),
                "phone_format": "mobile",
                "email_format": "email",
            }[kind]
            cells.rewrite(rng, i, col, kind)
    # 4. cell defects, rarest first
    plan = [
        ("birth_year", "impossible_date", rates.impossible_date),
        ("registered_on", "impossible_date", rates.impossible_date),
        ("mobile", "missing", rates.missing_mobile),
    ]
    plan += [(col, "missing", rates.missing) for col in ("gender", "birth_year", "email", "district", "address")]
    plan += [
        ("name", "name_format", rates.name_format / 2),
        ("name_pinyin", "name_format", rates.name_format / 2),
        ("email", "email_format", rates.email_format),
        ("registered_on", "date_format", rates.date_format),
        ("segment", "category_case", rates.category_case),
        ("channel", "category_case", rates.category_case),
        ("gender", "category_case", rates.category_case),
        ("mobile", "phone_format", rates.phone_format),
    ]
    for col, kind, rate in plan:
        cells.inject(rng, col, kind, rate)
    raw = pd.DataFrame({"record_id": rec_ids, **cells.cols})
    truth = pd.DataFrame(
        {
            "row": np.arange(1, len(src) + 1),
            "record_id": rec_ids,
            "customer_id": c["customer_id"].to_numpy(np.int64)[src],
            "duplicate_of": np.where(is_dup, master, ""),
            **clean,
        }
    )
    # 5. orders
    oraw, otruth, odefects = _orders(rng, orders, rates, src, day, is_dup, rec_ids, c["customer_id"].to_numpy(np.int64))
    defects = pd.concat([_defect_rows(cells, rec_ids), odefects], ignore_index=True)
    return {
        "customers_raw": raw,
        "orders_raw": oraw,
        "customers_truth": _typed_truth(truth),
        "orders_truth": otruth,
        "defects": defects,
    }


def _orders(rng, orders, rates, src, day, is_dup, rec_ids, cust_ids):
    """Raw order rows booked to the records, their truth and their defects."""
    o = orders.sort_values("order_id", kind="stable").reset_index(drop=True)
    pos = {int(cid): k for k, cid in enumerate(cust_ids.tolist())}
    books: dict[int, list[tuple[float, str, bool]]] = {}
    for s, d, dp, r in zip(src.tolist(), day.tolist(), is_dup.tolist(), rec_ids.tolist()):
        books.setdefault(s, []).append((d, r, dp))
    t = o["time_days"].to_numpy(float)
    u = rng.random(len(o))
    record = []
    for k, (cid, tt) in enumerate(zip(o["customer_id"].tolist(), t.tolist())):
        recs = books[pos[int(cid)]]
        chosen = next(r for d, r, dp in recs if not dp)
        later = [r for d, r, dp in recs if dp and d <= tt]
        if later and u[k] < rates.duplicate_booking:
            chosen = later[-1]
        record.append(chosen)
    clean = pd.DataFrame(
        {
            "order_no": [f"SO{i:07d}" for i in o["order_id"].tolist()],
            "record_id": record,
            "order_date": pd.to_datetime(o["date"]).dt.strftime("%Y-%m-%d %H:%M:%S").tolist(),
            "category": o["category"].astype(str).tolist(),
            "amount_cny": [f"{a:.2f}" for a in o["amount_cny"].tolist()],
        }
    )
    cells = _Cells("orders_raw", clean, "order_no")
    for col, kind, rate in [
        ("order_date", "impossible_date", rates.impossible_date),
        ("category", "missing", rates.missing_order_values),
        ("amount_cny", "missing", rates.missing_order_values),
        ("order_date", "date_format", rates.date_format),
        ("category", "category_case", rates.category_case),
        ("amount_cny", "amount_format", rates.amount_format),
    ]:
        cells.inject(rng, col, kind, rate)
    n = len(o)
    k = int(round(rates.duplicate_order_rows * n))
    copied = set(rng.choice(n, size=k, replace=False).tolist()) if k else set()
    take = []  # (source index, copy?) in file order
    for i in range(n):
        take.append((i, False))
        if i in copied:
            take.append((i, True))
    idx = np.array([i for i, _ in take], dtype=np.int64)
    copy = np.array([cp for _, cp in take], dtype=bool)
    rows = np.arange(1, len(take) + 1)
    first_row = {}
    for r, (i, cp) in zip(rows.tolist(), take):
        if not cp:
            first_row[i] = r
    raw = pd.DataFrame({col: np.asarray(v, dtype=object)[idx] for col, v in cells.cols.items()}).astype(str)
    truth = pd.DataFrame(
        {
            "row": rows,
            "order_no": np.asarray(cells.clean["order_no"], dtype=object)[idx],
            "order_id": o["order_id"].to_numpy(np.int64)[idx],
            "customer_id": o["customer_id"].to_numpy(np.int64)[idx],
            "record_id": np.asarray(record, dtype=object)[idx],
            "copy_of_row": np.where(copy, [first_row[i] for i in idx.tolist()], -1).astype(np.int64),
            "order_date": pd.to_datetime(o["date"]).to_numpy()[idx].astype("datetime64[s]"),
            "category": pd.Categorical(
                o["category"].astype(str).to_numpy()[idx], categories=list(LEVELS[("orders_truth", "category")])
            ),
            "amount_cny": o["amount_cny"].to_numpy(float)[idx],
        }
    )
    for col in ("order_no", "record_id"):
        truth[col] = truth[col].astype(str)
    rows_of = {}
    for r, i in zip(rows.tolist(), idx.tolist()):
        rows_of.setdefault(i, []).append(r)
    defects = _defect_rows(cells, None, rows_of)
    return raw, truth, defects


def _defect_rows(cells: _Cells, keys, rows_of=None) -> pd.DataFrame:
    out = []
    for (i, col), kind in sorted(cells.touched.items()):
        for r in rows_of[i] if rows_of is not None else [i + 1]:
            key = keys[i] if keys is not None else cells.clean[cells.key][i]
            out.append((cells.table, r, str(key), col, kind, cells.cols[col][i], cells.clean[col][i]))
    df = pd.DataFrame(out, columns=["table", "row", "key", "column", "defect", "dirty_value", "clean_value"])
    df["row"] = df["row"].astype(np.int64)
    for col in ("table", "key", "column", "dirty_value", "clean_value"):
        df[col] = df[col].astype(str)
    df["defect"] = pd.Categorical(df["defect"], categories=list(DEFECT_KINDS))
    return df.sort_values(["row", "column"], kind="stable").reset_index(drop=True)


def _typed_truth(t: pd.DataFrame) -> pd.DataFrame:
    t = t.copy()
    t["row"] = t["row"].astype(np.int64)
    t["birth_year"] = t["birth_year"].astype(np.int64)
    for col in ("gender", "segment", "channel"):
        t[col] = pd.Categorical(t[col], categories=list(LEVELS[("customers_truth", col)]))
    t["registered_on"] = pd.to_datetime(t["registered_on"]).astype("datetime64[s]")
    for col in t.columns:
        if t[col].dtype == object:
            t[col] = t[col].astype(str)
    return t
