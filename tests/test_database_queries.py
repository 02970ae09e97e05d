"""Module-3 SQL questions, each cross-checked against the same figure from the pandas analytics."""

import dataclasses
import sqlite3

import numpy as np
import pandas as pd
import pytest

from simulation import preset, run, with_changes
from simulation.analytics import rfm_scores, rfm_segments, rfm_table, segment_summary
from simulation.database import (
    QUERIES,
    DatabaseError,
    export_result,
    import_dirty,
    list_queries,
    open_database,
    query_sql,
    run_query,
)
from simulation.database.accounts import accounts


@pytest.fixture(scope="module")
def firm(tmp_path_factory):
    """Two years with the loyalty club, so that there are dormant accounts, tiers and complaints."""
    sc = with_changes(dataclasses.replace(preset("small-class"), horizon_days=730.0), {"loyalty.enabled": True})
    r = run(sc, seed=4)
    path = tmp_path_factory.mktemp("q") / "firm.sqlite"
    export_result(r, path)
    conn = open_database(path)
    yield r, conn
    conn.close()


def test_rfm_input_view_equals_rfm_table(firm):
    r, conn = firm
    want = rfm_table(r.orders, as_of_day=r.as_of_day)
    got = pd.read_sql_query("SELECT * FROM v_rfm_input ORDER BY customer_id", conn).set_index("customer_id")
    assert got.index.tolist() == want.index.tolist()
    for col in ("recency_days", "frequency", "monetary_cny", "first_order_day", "last_order_day"):
        np.testing.assert_allclose(got[col].to_numpy(float), want[col].to_numpy(float), rtol=1e-12, err_msg=col)


def test_rfm_segments_in_sql_equal_the_analytics(firm):
    """Scores from RANK() window functions and segments from the same ordered rules."""
    r, conn = firm
    want = rfm_segments(rfm_scores(rfm_table(r.orders, as_of_day=r.as_of_day)))
    got = run_query(conn, "rfm_segments").set_index("customer_id")
    for col in ("R", "F", "M"):
        assert (got[col].to_numpy() == want[col].to_numpy()).all(), col
    assert (got["segment"].to_numpy() == want["segment"].to_numpy()).all()
    sizes = run_query(conn, "rfm_segment_sizes").set_index("segment")
    summary = segment_summary(want)
    assert sizes["customers"].to_dict() == summary["customers"].to_dict()
    np.testing.assert_allclose(sizes.loc[summary.index, "value_cny"], summary["value_cny"], rtol=1e-12)


def test_segments_and_stages(firm):
    r, conn = firm
    c = r.customers.loc[r.customers["acquired_day"].notna()]
    by_seg = run_query(conn, "customers_by_segment").set_index("segment")
    want = c.groupby("segment", observed=True).agg(
        customers=("customer_id", "size"), orders=("n_orders", "sum"), revenue_cny=("revenue_cny", "sum")
    )
    assert by_seg["customers"].to_dict() == want["customers"].to_dict()
    assert by_seg["orders"].to_dict() == want["orders"].to_dict()
    np.testing.assert_allclose(by_seg.loc[want.index, "revenue_cny"], want["revenue_cny"], rtol=1e-12)
    stages = run_query(conn, "customers_by_stage").set_index("stage")["customers"]
    counts = r.customers["stage_at_end"].value_counts()
    assert stages.to_dict() == counts[counts > 0].to_dict()


def test_dormant_accounts_are_the_terminated_customers(firm):
    """No order for more than dormant_after_days = the lifecycle's termination stage."""
    r, conn = firm
    dormant = run_query(conn, "dormant_accounts")
    terminated = r.customers.loc[r.customers["stage_at_end"] == "termination", "customer_id"]
    assert len(dormant) > 0
    assert sorted(dormant["customer_id"]) == sorted(terminated)
    bank_rule = run_query(conn, "dormant_accounts", days=540)  # a stricter rule
    gap = r.as_of_day - r.customers["last_order_day"]
    assert len(bank_rule) == int((gap > 540).sum()) < len(dormant)


def test_complaints_per_tier(firm):
    r, conn = firm
    got = run_query(conn, "complaints_per_tier").set_index("tier")
    voiced = r.complaints.loc[r.complaints["voiced"]]
    want = voiced.groupby(voiced["loyalty_tier"].astype(str)).agg(
        complaints=("complaint_id", "size"), customers_complaining=("customer_id", "nunique")
    )
    assert len(want) >= 2
    assert got["complaints"].to_dict() == want["complaints"].to_dict()
    assert got["customers_complaining"].to_dict() == want["customers_complaining"].to_dict()


def test_customer_360_view(firm):
    r, conn = firm
    view = pd.read_sql_query("SELECT * FROM v_customer_360 ORDER BY customer_id", conn).set_index("customer_id")
    c = r.customers.set_index("customer_id")
    assert len(view) == len(c)
    np.testing.assert_allclose(view["revenue_cny"], c["revenue_cny"], rtol=1e-12)
    np.testing.assert_allclose(
        view["margin_cny"],
        r.orders.groupby("customer_id")["margin_cny"].sum().reindex(c.index, fill_value=0.0),
        rtol=1e-9,
        atol=1e-9,
    )
    voiced = r.complaints.loc[r.complaints["voiced"]]
    assert (view["complaints"] == voiced.groupby("customer_id").size().reindex(c.index, fill_value=0)).all()
    assert len(voiced) < len(r.complaints)
    assert (
        view["active_plans"] == r.plans.groupby("customer_id")["active_at_end"].sum().reindex(c.index, fill_value=0)
    ).all()
    acc = accounts(r.loyalty_ledger).set_index("customer_id")
    assert (view.loc[acc.index, "loyalty_tier"] == acc["tier"].astype(str)).all()
    one = run_query(conn, "customer_360", customer_id=int(acc.index[0]))
    assert len(one) == 1 and one.loc[0, "loyalty_tier"] == acc["tier"].iloc[0]


def test_top_customers_and_monthly_revenue(firm):
    r, conn = firm
    share = run_query(conn, "top_customers_share").iloc[0, 0]
    assert round(share, 4) == r.summary()["top20_revenue_share"]
    month = run_query(conn, "monthly_revenue").set_index("month")
    want = r.orders.groupby(r.orders["date"].dt.strftime("%Y-%m"))["amount_cny"].agg(["size", "sum"])
    assert month["orders"].to_dict() == want["size"].to_dict()
    np.testing.assert_allclose(month["revenue_cny"], want["sum"], rtol=1e-12)


def test_import_questions(tmp_path):
    from simulation import load_dataset

    dirty = load_dataset("class-dirty")
    report = import_dirty(dirty["customers_raw"], dirty["orders_raw"], tmp_path / "clean.sqlite")
    dup = run_query(tmp_path / "clean.sqlite", "duplicate_customers")
    truth = dirty["customers_truth"]
    assert len(dup) == truth.loc[truth["duplicate_of"] != "", "customer_id"].nunique()
    assert dup["records"].sum() - len(dup) == report.duplicates_merged
    rej = run_query(tmp_path / "clean.sqlite", "rejects_by_reason")
    assert rej["rows"].sum() == report.orders_rejected + report.records_rejected
    assert rej.set_index("reason")["rows"].to_dict() == report.reasons


def test_every_query_runs_on_an_exported_firm_and_shows_its_sql(firm):
    _r, conn = firm
    for name in QUERIES:
        assert query_sql(name).upper().startswith(("SELECT", "WITH"))
        if name not in ("duplicate_customers", "rejects_by_reason"):
            assert len(run_query(conn, name)) > 0, name
    assert list(list_queries()["name"]) == list(QUERIES)


def test_bad_query_input(firm, tmp_path):
    _r, conn = firm
    with pytest.raises(DatabaseError, match="did you mean 'dormant_accounts'"):
        run_query(conn, "dormant_acounts")
    with pytest.raises(DatabaseError, match="no parameter 'day'"):
        run_query(conn, "dormant_accounts", day=3)
    bare = tmp_path / "bare.sqlite"
    sqlite3.connect(bare).close()
    with pytest.raises(DatabaseError, match="not an SQLite database"):
        run_query(bare, "customers_by_stage")
