"""Privacy on the customer database: pseudonymised student copies, masking, the checklist."""

import dataclasses
import sqlite3

import numpy as np
import pandas as pd
import pytest

from simulation import load_dataset, preset, run
from simulation.database import (
    DatabaseError,
    Pseudonymiser,
    export_result,
    import_dirty,
    open_database,
    privacy_checklist,
    read_table,
    run_query,
    student_copy,
)
from simulation.database.privacy import HIDDEN_EVENTS


@pytest.fixture(scope="module")
def firm(tmp_path_factory):
    folder = tmp_path_factory.mktemp("priv")
    r = run(dataclasses.replace(preset("small-class"), horizon_days=500.0), seed=5)
    export_result(r, folder / "firm.sqlite")
    reports = [
        student_copy(folder / "firm.sqlite", folder / f"s{k}.sqlite", key=key)
        for k, key in enumerate(["class key", "class key", None])
    ]
    return folder, r, reports


def _contacts(path):
    conn = open_database(path)
    try:
        return read_table(conn, "contacts")
    finally:
        conn.close()


def test_no_personal_value_survives_anywhere_in_the_file(firm):
    """Not in a table, an index, a free page or the journal: the file's bytes are scanned for the
    personal fields of 300 customers drawn at random (a leak, such as unwiped free pages, would
    show many values, so a sample finds it; scanning every value would take minutes)."""
    folder, _r, _ = firm
    orig = _contacts(folder / "firm.sqlite")
    data = (folder / "s0.sqlite").read_bytes()
    assert not list(folder.glob("s0.sqlite-*"))  # no journal left beside it
    other = " ".join(pd.concat([orig["company"], orig["city"], orig["district"]]).unique())
    sample = orig.sample(300, random_state=3)
    for col in ("name_zh", "name_pinyin", "mobile", "email", "address"):
        for value in sample[col].dropna():
            if col == "name_zh" and value in other:  # e.g. a name inside a company name
                continue
            assert value.encode("utf-8") not in data, (col, value)
    raw = (folder / "firm.sqlite").read_bytes()  # the scan can fail
    assert all(v.encode("utf-8") in raw for v in sample["email"].head(20))


def test_pseudonyms_are_consistent_valid_and_keyed(firm):
    folder, _r, reports = firm
    orig, s0, s1, s2 = (_contacts(folder / f) for f in ("firm.sqlite", "s0.sqlite", "s1.sqlite", "s2.sqlite"))
    pd.testing.assert_frame_equal(s0, s1)  # same key, same pseudonyms
    assert (s2["email"] != s0["email"]).all()  # a random key gives other ones
    assert reports[2].random_key and not reports[0].random_key
    for col in ("mobile", "email"):
        assert s0[col].is_unique and (s0[col] != orig[col]).mean() > 0.99
    assert s0["mobile"].str.fullmatch(r"1[3-9]\d{9}").all()
    assert (s0["mobile"].str[:3] == orig["mobile"].str[:3]).all()
    # the same name always gets the same pseudonym, different names different ones
    pairs = pd.DataFrame({"orig": orig["name_zh"], "pseudo": s0["name_zh"]})
    assert pairs.groupby("orig")["pseudo"].nunique().max() == 1
    assert pairs.groupby("pseudo")["orig"].nunique().max() == 1
    kept = ["customer_id", "gender", "birth_year", "city", "district", "company"]
    pd.testing.assert_frame_equal(s0[kept], orig[kept])


def test_the_mobile_permutation_is_one_to_one():
    p = Pseudonymiser("k")
    rng = np.random.default_rng(1)
    inputs = [f"138{x:08d}" for x in range(10_000)] + [f"138{x:08d}" for x in rng.integers(0, 10**8, 10_000)]
    inputs = list(dict.fromkeys(inputs))
    out = [p.mobile(m) for m in inputs]
    assert len(set(out)) == len(inputs)
    assert all(len(m) == 11 and m.startswith("138") for m in out)


def test_the_hidden_truth_is_removed_and_the_rest_kept(firm):
    folder, r, _ = firm
    conn = open_database(folder / "s0.sqlite")
    assert conn.execute("SELECT COUNT(*) FROM customer_truth").fetchone()[0] == 0
    observable = [c for c in r.customers.columns if c in read_table(conn, "customers").columns]
    assert "alive_at_end" not in observable and "segment" in observable
    pd.testing.assert_frame_equal(read_table(conn, "customers"), r.customers[observable], check_exact=True)
    ev = r.events.loc[~r.events["event_type"].isin(HIDDEN_EVENTS)].reset_index(drop=True)
    assert len(ev) < len(r.events)
    pd.testing.assert_frame_equal(read_table(conn, "events"), ev, check_exact=True)
    comp = r.complaints.loc[r.complaints["voiced"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(read_table(conn, "complaints"), comp, check_exact=True)
    assert len(run_query(conn, "rfm_segments")) == r.orders["customer_id"].nunique()
    conn.close()


def test_the_masked_view_hides_the_values(firm):
    folder, _r, _ = firm
    orig = _contacts(folder / "firm.sqlite")
    conn = sqlite3.connect(folder / "firm.sqlite")
    m = pd.read_sql_query("SELECT * FROM v_contacts_masked ORDER BY customer_id", conn)
    conn.close()
    assert (m["mobile"] == orig["mobile"].str[:3] + "****" + orig["mobile"].str[7:]).all()
    assert m["name_zh"].str[0].eq(orig["name_zh"].str[0]).all() and m["name_zh"].str[1:].str.fullmatch(r"\*+").all()
    assert m["address"].eq("***").all() and (m["birth_decade"] % 10 == 0).all()
    assert m["email"].str.contains(r"^.\*\*\*@", regex=True).all()


def test_the_checklist_tells_the_firm_database_from_the_student_copy(firm):
    folder, _r, _ = firm
    own = privacy_checklist(folder / "firm.sqlite").set_index("point")["ok"]
    copy = privacy_checklist(folder / "s0.sqlite").set_index("point")["ok"]
    assert copy.all()
    assert not own["Copies shared for study are pseudonymised"]
    assert not own["Data minimisation: hidden truth removed"]
    assert own["Integrity: the file is not damaged"]


def test_raw_rows_kept_by_an_import_are_pseudonymised_too(tmp_path):
    dirty = load_dataset("class-dirty")
    cr = dirty["customers_raw"].head(40).copy()
    cr.loc[3, "segment"] = "martian"  # rejected: its whole raw row is kept in rejects
    cr.loc[5, "mobile"] = "555-0199"  # an unusable cell, logged in import_issues
    keep = dirty["orders_raw"]["record_id"].isin(cr["record_id"])
    import_dirty(cr, dirty["orders_raw"].loc[keep], tmp_path / "clean.sqlite")
    conn = open_database(tmp_path / "clean.sqlite")
    assert read_table(conn, "rejects")["raw"].str.contains(cr.loc[3, "name"]).any()
    conn.close()
    student_copy(tmp_path / "clean.sqlite", tmp_path / "copy.sqlite", key="k")
    data = (tmp_path / "copy.sqlite").read_bytes()
    for col in ("name", "mobile", "email", "address"):
        value = cr.loc[3, col].strip()
        if value.upper() in ("NULL", "N/A", "NONE", "-", ""):
            continue  # a placeholder of the dirty data, not personal data (and a word of SQL itself)
        assert value.encode() not in data, col
    assert b"555-0199" not in data
    conn = open_database(tmp_path / "copy.sqlite")
    issues = read_table(conn, "import_issues")
    assert issues.loc[issues["column_name"] == "mobile", "raw_value"].eq("***").all()
    conn.close()


def test_a_student_copy_is_refused_for_bad_targets(firm, tmp_path):
    folder, _r, _ = firm
    with pytest.raises(DatabaseError, match="new file"):
        student_copy(folder / "firm.sqlite", folder / "firm.sqlite", force=True)
    with pytest.raises(DatabaseError, match="already exists"):
        student_copy(folder / "firm.sqlite", folder / "s0.sqlite")
    text = tmp_path / "a.txt"
    text.write_text("hello", encoding="utf-8")
    with pytest.raises(DatabaseError, match="not an SQLite database"):
        student_copy(text, tmp_path / "b.sqlite")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
