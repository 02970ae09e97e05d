"""Importing the dirty CRM export: cleaning rules, quarantine, deduplication graded against the truth."""

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from simulation import load_dataset
from simulation.data import score_column, score_duplicates
from simulation.database import DatabaseError, import_dirty, open_database, read_raw, read_table
from simulation.database import normalise as nz


@pytest.fixture(scope="module")
def dirty():
    return load_dataset("class-dirty")


@pytest.fixture(scope="module")
def imported(dirty, tmp_path_factory):
    path = tmp_path_factory.mktemp("imp") / "clean.sqlite"
    report = import_dirty(dirty["customers_raw"], dirty["orders_raw"], path)
    conn = open_database(path)
    tables = {
        name: read_table(conn, name)
        for name in ("customers", "contacts", "orders", "customer_records", "rejects", "import_issues", "order_lines")
    }
    conn.close()
    return path, report, tables


# ---------------------------------------------------------------------- cleaning rules
@pytest.mark.parametrize(
    "raw, clean",
    [
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("(+86)13812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("NULL", None),
        ("12345", None),
    ],
)
def test_mobile_numbers(raw, clean):
    assert nz.mobile(raw)[0] == clean
    assert (nz.mobile(raw)[1] is None) == (clean is not None or nz.missing(raw))


@pytest.mark.parametrize(
    "raw, clean",
    [
        (" Wang.Li@Mail163.example ", "wang.li@mail163.example"),
        ("wang.li＠mail163.example", "wang.li@mail163.example"),
        ("wang.li @ mail163.example", "wang.li@mail163.example"),
        ("wang.li#mail", None),
        ("N/A", None),
    ],
)
def test_email_addresses(raw, clean):
    assert nz.email(raw)[0] == clean


@pytest.mark.parametrize(
    "raw, hanzi, clean",
    [
        ("LIU HANQIAN", "刘涵倩", "Liu Hanqian"),
        ("Hanqian Liu", "刘涵倩", "Liu Hanqian"),
        ("liuhanqian", "刘涵倩", "Liu Hanqian"),
        ("LIU  Hanqian", None, "Liu Hanqian"),
        ("Na Wang", None, "Wang Na"),
    ],
)
def test_pinyin_names_become_surname_given(raw, hanzi, clean):
    assert nz.name_pinyin(raw, hanzi)[0] == clean


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("2024/03/05", dt.datetime(2024, 3, 5)),
        ("2024年3月5日 14:02", dt.datetime(2024, 3, 5, 14, 2)),
        ("20240305", dt.datetime(2024, 3, 5)),
        ("2024-3-5 14:02", dt.datetime(2024, 3, 5, 14, 2)),
        ("05.03.2024 14:02:11", dt.datetime(2024, 3, 5, 14, 2, 11)),
        ("2024-02-30", None),
        ("2024-13-01", None),
    ],
)
def test_dates(raw, clean):
    assert nz.date(raw)[0] == clean


def test_dates_outside_the_records_and_other_values():
    first, last = dt.date(2024, 1, 1), dt.date(2025, 12, 30)
    assert nz.date("2094-02-06", first=first, last=last)[1].startswith("after the export")
    assert nz.date("2004-02-06", first=first, last=last)[1].startswith("before the firm")
    assert nz.amount("¥1,234.50") == (1234.5, None) and nz.amount("RMB 80.00")[0] == 80.0
    assert nz.amount("1234.50元")[0] == 1234.5 and nz.amount("-3")[0] is None and nz.amount("abc")[0] is None
    assert nz.label("SMALL_BUSINESS", "segment")[0] == "small_business"
    assert nz.label("House hold", "segment")[0] == "household" and nz.label("女", "gender")[0] == "F"
    assert nz.label("Service_Plan", "category")[0] == "service_plan" and nz.label("robot", "category")[0] is None
    assert (
        nz.birth_year("2085", first=1914, last=2008)[0] is None
        and nz.birth_year("1980", first=1914, last=2008)[0] == 1980
    )


def test_the_import_rules_agree_with_the_notebook_cleaning_rules(dirty):
    """Module 3 teaches cleaning with simulation.lessons.cleaning (whole columns); the import uses the
    cell-by-cell rules of simulation.database.normalise (which also say why a cell fails). On
    every cell of the dirty export, both must give the same canonical value."""
    from simulation.lessons import cleaning as cl

    c, o = dirty["customers_raw"], dirty["orders_raw"]

    def same(theirs: pd.Series, mine: list) -> bool:
        t = theirs.astype(object).where(theirs.notna(), None).tolist()
        return t == mine

    assert same(cl.normalise_mobile(c["mobile"]), [nz.mobile(v)[0] for v in c["mobile"]])
    assert same(cl.normalise_email(c["email"]), [nz.email(v)[0] for v in c["email"]])
    assert same(cl.normalise_name(c["name"]), [nz.name_zh(v)[0] for v in c["name"]])
    for col in ("segment", "channel", "gender"):
        assert same(cl.normalise_choice(c[col], col), [nz.label(v, col)[0] for v in c[col]]), col
    assert same(cl.normalise_choice(o["category"], "category"), [nz.label(v, "category")[0] for v in o["category"]])
    assert np.allclose(
        cl.parse_amounts(o["amount_cny"]).fillna(-1.0),
        [a if a is not None else -1.0 for a, _ in map(nz.amount, o["amount_cny"])],
    )
    theirs = cl.parse_dates(c["registered_on"], latest="2025-12-30")
    mine = [nz.date(v, first=dt.date(2024, 1, 1), last=dt.date(2025, 12, 30))[0] for v in c["registered_on"]]
    assert [None if pd.isna(t) else t.to_pydatetime() for t in theirs] == mine


# ---------------------------------------------------------------------- the class-dirty import
def test_nothing_is_dropped_silently(dirty, imported):
    """Rows in = rows loaded + rows rejected, for both raw tables, in the report and in the tables."""
    _path, report, t = imported
    assert report.customers_in == len(dirty["customers_raw"]) == report.records_loaded + report.records_rejected
    assert report.orders_in == len(dirty["orders_raw"]) == report.orders_loaded + report.orders_rejected
    assert len(t["customer_records"]) == report.records_loaded
    assert len(t["orders"]) == report.orders_loaded
    rej = t["rejects"]
    assert (rej["source_table"] == "orders_raw").sum() == report.orders_rejected
    loaded_rows = set(t["customer_records"]["source_row"])
    rejected_rows = set(rej.loc[rej["source_table"] == "customers_raw", "source_row"])
    assert loaded_rows | rejected_rows == set(range(1, report.customers_in + 1))
    assert f"{report.orders_in:,} rows in = {report.orders_loaded:,} loaded" in report.text()


def test_duplicates_are_found_with_high_precision_and_recall(dirty, imported):
    """The injected duplicates differ from the first record only in the format of the name, phone
    or e-mail and in missing cells; once normalised, the mobile or e-mail rule links every one
    unless both are missing. A pipeline that lost more than 1% of pairs, or merged 1% too many,
    would be wrong here, so both must be at least 0.99."""
    rec = imported[2]["customer_records"]
    truth = dirty["customers_truth"]
    pred = pd.Series(rec["customer_id"].to_numpy(), index=rec["record_id"].to_numpy())
    score = score_duplicates(pred, truth)
    assert score["true_pairs"] > 100
    assert score["precision"] >= 0.99 and score["recall"] >= 0.99, score
    assert imported[1].customers == len(rec["customer_id"].unique())


def test_cleaned_contacts_match_the_truth(dirty, imported):
    """Every record's cleaned (and merged) contact equals the clean value, except cells whose value
    was destroyed, which must be left empty (score_column counts those as right)."""
    t = imported[2]
    merged = t["customer_records"].merge(t["contacts"], on="customer_id").rename(columns={"name_zh": "name"})
    merged["birth_year"] = merged["birth_year"].astype("float64")
    for col in ("name", "name_pinyin", "mobile", "email", "gender", "birth_year", "district", "address"):
        s = score_column(merged, dirty["customers_truth"], col, defects=dirty["defects"])
        assert s["accuracy"] >= 0.99, (col, s)


def test_loaded_orders_match_the_truth_and_rejects_are_explained(dirty, imported):
    t = imported[2]
    truth = dirty["orders_truth"]
    ot = truth.loc[truth["copy_of_row"] == -1].set_index("order_id")
    o = t["orders"].set_index("order_id")  # the frame written: header and line joined back
    rec = t["customer_records"].set_index("record_id")
    true_customer = dirty["customers_truth"].set_index("record_id")["customer_id"]
    assert np.allclose(o["amount_cny"], ot.loc[o.index, "amount_cny"], atol=0.005)
    assert (o["category"].astype(str) == ot.loc[o.index, "category"].astype(str)).all()
    assert (o["date"].dt.normalize() == ot.loc[o.index, "order_date"].dt.normalize().astype("datetime64[ms]")).all()
    # every order of one true customer lands on one database customer
    db_cust = ot.loc[o.index, "record_id"].map(rec["customer_id"])
    assert (db_cust.to_numpy() == o["customer_id"].to_numpy()).all()
    assert (
        pd.Series(o["customer_id"].to_numpy())
        .groupby(ot.loc[o.index, "record_id"].map(true_customer).to_numpy())
        .nunique()
        .max()
        == 1
    )
    # each rejected row is a copy or has a destroyed category, amount or date
    rej = t["rejects"].loc[t["rejects"]["source_table"] == "orders_raw"]
    d = dirty["defects"]
    destroyed = set(d.loc[(d["table"] == "orders_raw") & d["defect"].isin(["missing", "impossible_date"]), "row"])
    copies = set(truth.loc[truth["copy_of_row"] > 0, "row"])
    assert set(rej["source_row"]) == destroyed | copies
    assert (
        rej["raw"].map(lambda s: set(json.loads(s)))
        == {"order_no", "record_id", "order_date", "category", "amount_cny"}
    ).all()


def test_stages_and_totals_of_imported_customers(imported):
    t = imported[2]
    c = t["customers"].set_index("customer_id")
    o = t["orders"]
    assert np.allclose(
        o.groupby("customer_id")["amount_cny"].sum(), c.loc[o["customer_id"].unique(), "revenue_cny"].sort_index()
    )
    nc = o.loc[~o["contract"]]
    assert (nc.groupby("customer_id").size() == c.loc[nc["customer_id"].unique(), "n_orders"].sort_index()).all()
    gap = 730.0 - c["last_order_day"]
    assert ((gap > 365) == (c["stage_at_end"] == "termination")).all()


def test_bad_rows_are_quarantined_with_their_reason(dirty, tmp_path):
    cr = dirty["customers_raw"].head(6).copy()
    cr.loc[1, "record_id"] = ""
    cr.loc[2, "record_id"] = cr.loc[0, "record_id"]
    cr.loc[3, "name"] = "NULL"
    cr.loc[4, "segment"] = "martian"
    orr = pd.DataFrame(
        {
            "order_no": ["SO0000001", "SO0000002", "SO0000003", "X-1", "SO0000005"],
            "record_id": [
                cr.loc[0, "record_id"],
                cr.loc[3, "record_id"],
                "C999999",
                cr.loc[5, "record_id"],
                cr.loc[5, "record_id"],
            ],
            "order_date": ["2024-02-01"] * 5,
            "category": ["appliance"] * 5,
            "amount_cny": ["100"] * 5,
        }
    )
    report = import_dirty(cr, orr, tmp_path / "x.sqlite")
    conn = open_database(tmp_path / "x.sqlite")
    rej = read_table(conn, "rejects")
    conn.close()
    assert report.records_rejected == 4 and report.records_loaded == 2
    assert report.orders_rejected == 3 and report.orders_loaded == 2
    details = " | ".join(rej["detail"])
    for text in (
        "record_id is empty",
        "already used by row 1",
        "name is empty",
        "segment not a known segment",
        "which was rejected (row 4)",
        "'C999999' is not in customers_raw",
        "not SO followed by digits",
    ):
        assert text in details


def test_bad_import_input_is_refused(dirty, imported, tmp_path):
    with pytest.raises(DatabaseError, match="missing column 'mobile'"):
        import_dirty(dirty["customers_raw"].drop(columns="mobile"), dirty["orders_raw"], tmp_path / "x.sqlite")
    with pytest.raises(DatabaseError, match="already exists"):
        import_dirty(dirty["customers_raw"], dirty["orders_raw"], imported[0])
    with pytest.raises(DatabaseError, match="start_date"):
        import_dirty(dirty["customers_raw"], dirty["orders_raw"], tmp_path / "x.sqlite", start_date="1.1.2024")
    assert not (tmp_path / "x.sqlite").exists()


def test_raw_files_are_read_from_a_folder(dirty, tmp_path):
    dirty["customers_raw"].to_csv(tmp_path / "customers_raw.csv", index=False)
    with pytest.raises(DatabaseError, match="no orders_raw"):
        read_raw(tmp_path)
    dirty["orders_raw"].iloc[:, :3].to_csv(tmp_path / "orders_raw.csv", index=False)
    with pytest.raises(DatabaseError, match="missing column"):
        read_raw(tmp_path)
    dirty["orders_raw"].to_csv(tmp_path / "orders_raw.csv", index=False)
    c, o = read_raw(tmp_path)
    assert len(c) == len(dirty["customers_raw"]) and list(o.columns) == list(dirty["orders_raw"].columns)
