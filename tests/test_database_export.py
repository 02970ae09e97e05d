"""The customer database: export, exact read-back, constraints, atomic writing, opening safely."""

import dataclasses
import sqlite3

import numpy as np
import pandas as pd
import pytest

from simulation import Firm, load_dataset, preset, with_changes
from simulation.data import datasets_root
from simulation.database import (
    TABLES,
    DatabaseError,
    database_meta,
    erd_markdown,
    export_dataset,
    export_result,
    load_database,
    open_database,
    read_table,
    schema_csv,
    write_database,
)
from simulation.database.schema import APPLICATION_ID, SCHEMA_VERSION


@pytest.fixture(scope="module")
def result():
    """Two years of the class firm with the loyalty club on and one lever change (decisions)."""
    sc = with_changes(dataclasses.replace(preset("small-class"), horizon_days=730.0), {"loyalty.enabled": True})
    firm = Firm(sc, seed=11)
    firm.step(3)
    firm.set({"pricing.discount_pct": 10})
    firm.run()
    return firm.result()


@pytest.fixture(scope="module")
def db(result, tmp_path_factory):
    path = tmp_path_factory.mktemp("db") / "firm.sqlite"
    report = export_result(result, path)
    return path, report


def test_every_table_of_a_run_round_trips_exactly(result, db):
    """Tables -> SQLite -> DataFrames gives the same frames, dtypes and category order included."""
    conn = open_database(db[0])
    for name in ("customers", "orders", "lifecycle", "plans", "events", "decisions", "complaints", "loyalty_ledger"):
        assert len(result.tables[name]) > 0, name
        pd.testing.assert_frame_equal(read_table(conn, name), result.tables[name], check_exact=True)
    conn.close()


def test_the_class_data_set_round_trips_exactly(tmp_path):
    tables = load_dataset("class")
    export_dataset("class", tmp_path / "class.sqlite")
    back = load_database(tmp_path / "class.sqlite")
    assert set(back) == set(tables)
    for name, df in tables.items():
        pd.testing.assert_frame_equal(back[name], df, check_exact=True)


def test_the_tables_are_normalised_with_keys_checks_indexes_and_views(db):
    conn = sqlite3.connect(db[0])
    objects = dict(conn.execute("SELECT name, type FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall())
    for t in TABLES:
        assert objects.get(t.name) == "table", t.name
    for v in ("v_customer_360", "v_rfm_input", "v_contacts_masked", "v_orders"):
        assert objects.get(v) == "view", v
    assert any(k == "index" and n.startswith("ix_orders_customer_id") for n, k in objects.items())
    fks = {(r[2], r[3]) for r in conn.execute("PRAGMA foreign_key_list(orders)")}
    assert ("customers", "customer_id") in fks
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    # orders are split into header and line; segment is stored once, with the customer
    assert "segment" not in {r[1] for r in conn.execute("PRAGMA table_info(orders)")}
    assert (
        conn.execute("SELECT COUNT(*) FROM orders").fetchone()
        == conn.execute("SELECT COUNT(*) FROM order_lines").fetchone()
    )
    conn.close()


def test_export_report_and_meta(result, db):
    path, report = db
    assert report.rows["customers"] == len(result.customers)
    assert report.rows["order_lines"] == len(result.orders)
    assert report.rows["loyalty_accounts"] == result.loyalty_ledger["customer_id"].nunique()
    assert "integrity_check ok" in report.text()
    conn = open_database(path)
    meta = database_meta(conn)
    assert meta["kind"] == "simulation" and meta["seed"] == 11
    assert meta["as_of_day"] == result.as_of_day and meta["start_date"] == result.scenario.start_date
    conn.close()


def test_dates_are_stored_as_days_and_iso_text(result, db):
    conn = sqlite3.connect(db[0])
    day, on = conn.execute("SELECT acquired_day, acquired_on FROM customers WHERE customer_id = 5").fetchone()
    stamp = pd.Timestamp(result.scenario.start_date) + pd.to_timedelta(np.floor(day * 86400), unit="s")
    assert on == stamp.date().isoformat()
    text = conn.execute("SELECT date FROM orders WHERE order_id = 0").fetchone()[0]
    assert text == result.orders.loc[0, "date"].strftime("%Y-%m-%d %H:%M:%S")
    conn.close()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE customers SET segment = 'Household' WHERE customer_id = 0",  # enumeration
        "UPDATE orders SET contract = 2 WHERE order_id = 0",  # boolean 0/1
        "UPDATE customers SET satisfaction_final = 101 WHERE customer_id = 0",  # range
        "UPDATE order_lines SET amount_cny = -5 WHERE order_id = 0",  # non-negative money
        "UPDATE service_plans SET lapsed_day = NULL, active_at_end = 0 WHERE plan_id = 0",  # consistency
        "UPDATE customer_contacts SET mobile = '2381234567' WHERE customer_id = 0",  # format
        "INSERT INTO orders (order_id, customer_id, time_days, date, contract) VALUES (99999999, 99999999, 1.0, "
        "'2024-01-02 00:00:00', 0)",  # foreign key
    ],
)
def test_the_constraints_refuse_bad_rows(db, tmp_path, sql):
    copy = tmp_path / "copy.sqlite"
    copy.write_bytes(db[0].read_bytes())
    conn = sqlite3.connect(copy)
    conn.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(sql)
    conn.close()


def test_an_unknown_model_column_is_stored_typed_and_round_trips(result, tmp_path):
    customers = result.customers.copy()
    customers["vip"] = customers["revenue_cny"] > 5000
    customers["region"] = pd.Categorical(
        np.where(customers["customer_id"] % 2 == 0, "north", "south"), categories=["south", "north"], ordered=True
    )
    frames = {"customers": customers, "orders": result.orders}
    write_database(frames, tmp_path / "x.sqlite", meta={"start_date": "2024-01-01", "as_of_day": 730.0})
    conn = open_database(tmp_path / "x.sqlite")
    pd.testing.assert_frame_equal(read_table(conn, "customers"), customers, check_exact=True)
    ddl = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'customers'").fetchone()[0]
    assert "region IN ('south', 'north')" in ddl and "vip IN (0, 1)" in ddl
    conn.close()


def test_an_existing_file_is_never_overwritten_without_force(result, db, tmp_path):
    before = db[0].read_bytes()
    with pytest.raises(DatabaseError, match="already exists"):
        export_result(result, db[0])
    assert db[0].read_bytes() == before
    notes = tmp_path / "notes.sqlite"
    notes.write_text("my thesis", encoding="utf-8")
    with pytest.raises(DatabaseError, match="not a CRM Workbench database"):
        export_result(result, notes, force=True)
    assert notes.read_text(encoding="utf-8") == "my thesis"
    copy = tmp_path / "firm.sqlite"
    copy.write_bytes(before)
    export_result(result, copy, force=True, contacts=False)
    assert open_database(copy).execute("SELECT COUNT(*) FROM customer_contacts").fetchone()[0] == 0


def test_a_failed_export_leaves_nothing_behind(result, tmp_path):
    """A value that breaks a constraint aborts the export: no file, no temporary file."""
    customers = result.customers.copy()
    customers.loc[3, "satisfaction_final"] = 150.0
    with pytest.raises(DatabaseError, match="customers.*CHECK constraint failed"):
        write_database(
            {"customers": customers}, tmp_path / "bad.sqlite", meta={"start_date": "2024-01-01", "as_of_day": 730.0}
        )
    assert list(tmp_path.iterdir()) == []


def test_a_failed_forced_export_keeps_the_old_file(result, db, tmp_path):
    target = tmp_path / "firm.sqlite"
    target.write_bytes(db[0].read_bytes())
    customers = result.customers.copy()
    customers.loc[0, "segment"] = np.nan  # NOT NULL
    with pytest.raises(DatabaseError, match="NOT NULL constraint failed: customers.segment"):
        write_database(
            {"customers": customers}, target, meta={"start_date": "2024-01-01", "as_of_day": 1.0}, force=True
        )
    assert target.read_bytes() == db[0].read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["firm.sqlite"]


def test_tables_without_a_place_in_the_schema_are_reported(result, tmp_path):
    extra = dataclasses.replace(result, tables={**result.tables, "surveys": pd.DataFrame({"x": [1, 2]})})
    report = export_result(extra, tmp_path / "x.sqlite", contacts=False)
    assert report.skipped == ["surveys"] and "not stored" in report.text()


def test_orders_must_agree_with_their_customer_and_have_a_parent(result, tmp_path):
    meta = {"start_date": "2024-01-01", "as_of_day": 730.0}
    orders = result.orders.copy()
    orders["segment"] = pd.Categorical(
        np.where(orders["segment"] == "household", "small_business", "household"),
        categories=orders["segment"].cat.categories,
    )
    with pytest.raises(DatabaseError, match="orders.segment"):
        write_database({"customers": result.customers, "orders": orders}, tmp_path / "a.sqlite", meta=meta)
    few = result.customers.loc[result.customers["customer_id"] != result.orders.loc[0, "customer_id"]]
    with pytest.raises(DatabaseError, match="refer to rows that do not exist|differs"):
        write_database({"customers": few, "orders": result.orders}, tmp_path / "b.sqlite", meta=meta)
    with pytest.raises(DatabaseError, match="did you mean 'orders'"):
        write_database({"order": result.orders}, tmp_path / "c.sqlite", meta=meta)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "where, message",
    [
        ("missing", "no such file"),
        ("folder", "is a folder"),
        ("text", "not an SQLite database"),
        ("foreign", "not one written by CRM Workbench"),
        ("newer", "newer than this workbench"),
        ("truncated", "damaged|malformed|not an SQLite"),
    ],
)
def test_opening_refuses_files_that_are_not_workbench_databases(db, tmp_path, where, message):
    path = tmp_path / "in.sqlite"
    if where == "folder":
        path.mkdir()
    elif where == "text":
        path.write_text("customer_id,name\n1,x\n", encoding="utf-8")
    elif where == "foreign":
        other = sqlite3.connect(path)
        other.execute("CREATE TABLE t (x)")
        other.commit()
        other.close()
    elif where == "newer":
        path.write_bytes(db[0].read_bytes())
        conn = sqlite3.connect(path)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        conn.close()
    elif where == "truncated":
        data = db[0].read_bytes()
        path.write_bytes(data[:4096] + b"\x00" * 4096 + data[8192 : len(data) // 3])
    with pytest.raises(DatabaseError, match=message):
        open_database(path).close()


@pytest.mark.parametrize("target, message", [("nowhere/x.sqlite", "does not exist"), ("", "file path")])
def test_bad_output_paths_are_refused_before_writing(result, tmp_path, target, message):
    path = tmp_path / target if target else ""
    with pytest.raises(DatabaseError, match=message):
        export_result(result, path)


def test_reading_an_unknown_table_suggests_a_name(db):
    conn = open_database(db[0])
    with pytest.raises(DatabaseError, match="did you mean 'orders'"):
        read_table(conn, "ordres")
    lines = read_table(conn, "order_lines")
    assert str(lines["category"].dtype) == "category" and lines["line_no"].eq(1).all()
    conn.close()


def test_the_schema_documentation_and_diagram_are_current():
    """datasets/database_schema.csv and datasets/erd.md are generated; regenerate them with
    python -m simulation db-schema [--format erd] when the schema or the dictionary changes."""
    root = datasets_root()
    assert (root / "database_schema.csv").read_text(encoding="utf-8") == schema_csv()
    assert (root / "erd.md").read_text(encoding="utf-8") == erd_markdown()


def test_every_schema_column_is_documented_in_both_languages():
    doc = pd.read_csv(datasets_root() / "database_schema.csv", keep_default_na=False)
    assert (doc["meaning_en"] != "").all() and (doc["meaning_zh"] != "").all()
    for t in TABLES:
        cols = set(doc.loc[doc["table"] == t.name, "column"])
        assert {c.name for c in t.cols} <= cols, t.name
    text = erd_markdown()
    for t in TABLES:
        for c in t.cols:
            if c.ref and t.group != "meta":
                assert f'{t.name} : "{c.name}"' in text
