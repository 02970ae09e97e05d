"""Canonical data sets: byte-for-byte regeneration, loaders, contact details, the dirty variant.

The committed files in ``datasets/`` are compared with a fresh generation: the class sets
here, every set through ``datasets build --check`` (the command CI can run on its own).
"""

import contextlib
import gzip
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation.cli import main
from simulation.data import (
    DATASETS,
    DatasetError,
    DirtyRates,
    build,
    check,
    generate,
    load_dataset,
    load_table,
    make_contacts,
    make_dirty,
    schema,
    score_column,
    score_duplicates,
    truth_columns,
)
from simulation.data.csvio import read_cells, table_text
from simulation.scenario.fields import ScenarioError

ROOT = Path(__file__).resolve().parents[1] / "datasets"


def run_cli(argv):
    o, e = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(o), contextlib.redirect_stderr(e):
        code = main(argv)
    return code, o.getvalue(), e.getvalue()


@pytest.fixture(scope="module")
def fresh():
    """The class set and its dirty variant, generated in memory."""
    return {"class": generate("class"), "class-dirty": generate("class-dirty")}


@pytest.fixture(scope="module")
def committed():
    return {"class": load_dataset("class"), "class-dirty": load_dataset("class-dirty")}


# ---------------------------------------------------------------------- reproduction
def test_class_sets_regenerate_byte_for_byte(tmp_path):
    written = build(["class", "class-dirty"], tmp_path)
    assert {p.name for p in written} >= {"orders.csv.gz", "customers_raw.csv.gz", "manifest.json"}
    for name in ("class", "class-dirty"):
        files = sorted(p.name for p in (tmp_path / name).iterdir())
        assert files == sorted(p.name for p in (ROOT / name).iterdir()), name
        for f in files:
            assert (tmp_path / name / f).read_bytes() == (ROOT / name / f).read_bytes(), (
                f"datasets/{name}/{f} differs from a fresh generation; run python -m simulation datasets build"
            )
    assert (tmp_path / "data_dictionary.csv").read_bytes() == (ROOT / "data_dictionary.csv").read_bytes()


def test_check_command_passes_on_every_committed_set():
    """The README's `datasets build --check`, over all sets (the large one included)."""
    code, out, err = run_cli(["datasets", "build", "--check"])
    assert code == 0, err
    assert "identical" in out and all(n in out for n in DATASETS)


def test_check_reports_a_changed_cell_and_ignores_recompression(tmp_path):
    build(["class"], tmp_path)
    path = tmp_path / "class" / "plans.csv.gz"
    text = gzip.decompress(path.read_bytes())
    path.write_bytes(gzip.compress(text, compresslevel=1))  # same text, other gzip bytes
    assert check(["class"], tmp_path) == []
    lines = text.split(b"\n")
    lines[3] = lines[3].replace(b",", b",9", 1)
    path.write_bytes(gzip.compress(b"\n".join(lines)))
    (tmp_path / "class" / "stray.csv").write_text("x\n")
    problems = check(["class"], tmp_path)
    assert "class/plans.csv.gz: differs from row 3" in problems
    assert "class/stray.csv: not produced by the generator" in problems
    code, out, err = run_cli(["datasets", "build", "--check", "--only", "class", "--out", str(tmp_path)])
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "class/plans.csv.gz: differs from row 3" in err


def test_manifest_records_scenario_seed_and_rows(committed):
    import json

    for name, spec in DATASETS.items():
        m = json.loads((ROOT / name / "manifest.json").read_text(encoding="utf-8"))
        assert m["seed"] == spec.seed and m["name"] == name
        assert list(m["files"]) == [f"{t}.csv.gz" for t in spec.tables]
    m = json.loads((ROOT / "class" / "manifest.json").read_text(encoding="utf-8"))
    assert m["scenario"]["horizon_days"] == 730.0 and m["scenario"]["name"] == "small-class"
    for t, df in committed["class"].items():
        assert m["files"][f"{t}.csv.gz"]["rows"] == len(df)


# ---------------------------------------------------------------------- contents
def test_sizes_and_horizons(committed):
    c = committed["class"]
    assert 1900 <= len(c["customers"]) <= 2300
    assert c["orders"]["time_days"].max() < 730 and c["orders"]["time_days"].max() > 700
    large = load_dataset("large", "customers")
    assert 19_000 <= len(large) <= 23_000
    assert load_dataset("large", "orders")["date"].max() < pd.Timestamp("2027-01-01")


def test_hidden_truth_is_kept_apart(committed):
    c = committed["class"]
    hidden = set(truth_columns())
    assert {
        "alive_at_end",
        "dropped_day",
        "purchase_rate_per_year",
        "dropout_prob",
        "mean_spend_cny",
        "plan_lapse_prob",
        "churn_reason",
    } <= hidden
    assert not hidden & set(c["customers"].columns)
    assert list(c["truth"].columns) == ["customer_id"] + [x for x in c["truth"].columns[1:]]
    assert set(c["truth"].columns) == hidden | {"customer_id"}
    assert not set(c["events"]["event_type"].astype(str)) & {"dropout", "comeback", "deterred"}
    assert (c["truth"]["churn_reason"].notna() == ~c["truth"]["alive_at_end"]).all()


def test_loaded_tables_equal_a_fresh_run_up_to_rounding(fresh, committed):
    """Floats are written with 2 decimals for CNY and 6 otherwise; everything else is exact."""
    for table in DATASETS["class"].tables:
        new = fresh["class"][table].reset_index(drop=True)
        old = committed["class"][table]
        assert list(old.columns) == list(new.columns), table
        for col in old.columns:
            a, b = old[col], new[col]
            if pd.api.types.is_float_dtype(b):
                tol = 0.005 if col.endswith("_cny") else 5e-7
                assert np.allclose(a, b, atol=tol, rtol=0, equal_nan=True), (table, col)
            elif isinstance(b.dtype, pd.CategoricalDtype):
                assert list(a.cat.categories) == list(b.cat.categories), (table, col)
                assert a.astype(str).equals(b.astype(str)), (table, col)
            else:
                assert str(a.dtype) == str(b.dtype) and (a.to_numpy() == b.to_numpy()).all(), (table, col)


# ---------------------------------------------------------------------- loaders
def _write(tmp_path, name, text, compress=True):
    p = tmp_path / name
    p.write_bytes(gzip.compress(text.encode("utf-8")) if compress else text.encode("utf-8"))
    return p


PLANS = "plan_id,customer_id,start_day,renewals,lapsed_day,active_at_end\n"


@pytest.mark.parametrize(
    "body, message",
    [
        (
            "1,2,3.5,0,,True\n2,3,abc,1,,False\n",
            "plans.csv.gz, row 2, column 'start_day': expected a number (or an empty cell), got 'abc'",
        ),
        ("1,2,3.5,0,,True\n2,3,4.0,1.5,,False\n", "row 2, column 'renewals': expected a whole number, got '1.5'"),
        ("1,2,3.5,0,,yes\n", "row 1, column 'active_at_end': expected True or False, got 'yes'"),
        ("1,2,3.5,0,,True\n2,3,4.0,1,False\n", "plans.csv.gz, row 2: expected 6 fields like the header, got 5"),
        ("1,2,3.5,0,,True\n2,3,nan,1,,False\n", "row 2, column 'start_day'"),
    ],
)
def test_malformed_cells_name_file_row_and_column(tmp_path, body, message):
    p = _write(tmp_path, "plans.csv.gz", PLANS + body)
    with pytest.raises(DatasetError) as e:
        load_table(p, "plans")
    assert message in str(e.value)


def test_bad_dates_and_categories(tmp_path):
    header = "customer_id,time_days,date,from_stage,to_stage\n"
    p = _write(
        tmp_path,
        "lc.csv",
        header + "1,0.5,2024-01-01 12:00:00,none,contact\n2,1.0,2023-02-30 00:00:00,none,contact\n",
        compress=False,
    )
    with pytest.raises(
        DatasetError, match=r"lc.csv, row 2, column 'date': expected a real calendar date, got '2023-02-30 00:00:00'"
    ):
        load_table(p, "lifecycle")
    p = _write(tmp_path, "lc2.csv", header + "1,0.5,2024/01/01,none,contact\n", compress=False)
    with pytest.raises(DatasetError, match="row 1, column 'date': expected a date-time"):
        load_table(p, "lifecycle")
    p = _write(tmp_path, "lc3.csv", header + "1,0.5,2024-01-01 12:00:00,none,Contact\n", compress=False)
    with pytest.raises(
        DatasetError, match=r"row 1, column 'to_stage': expected one of contact, development.*got 'Contact'"
    ):
        load_table(p, "lifecycle")
    ok = load_table(_write(tmp_path, "lc4.csv", header + "1,0.5,2024-01-01 12:00:00,none,contact\n"), "lifecycle")
    assert ok["date"].iloc[0] == pd.Timestamp("2024-01-01 12:00:00") and ok["to_stage"].dtype == "category"
    bad = tmp_path / "latin.csv"
    bad.write_bytes(
        (header + "1,0.5,2024-01-01 12:00:00,none,contact\n2,0.5,2024-01-01 12:00:00,\xe9,contact\n").encode("latin-1")
    )
    with pytest.raises(DatasetError, match="latin.csv, line 3: not UTF-8 text"):
        load_table(bad, "lifecycle")


def test_header_problems(tmp_path):
    p = _write(tmp_path, "plans.csv.gz", "plan_id,customer_id,start_day,renewals,lapsed,active_at_end,colour\n")
    with pytest.raises(DatasetError, match=r"missing column 'lapsed_day'; unexpected columns 'lapsed', 'colour'"):
        load_table(p, "plans")
    p = _write(tmp_path, "dup.csv.gz", PLANS.strip() + ",renewals\n")
    with pytest.raises(DatasetError, match="column 'renewals' appears twice"):
        load_table(p, "plans")
    with pytest.raises(DatasetError, match="the file is empty"):
        load_table(_write(tmp_path, "empty.csv.gz", ""), "plans")
    bad = tmp_path / "plain.csv.gz"
    bad.write_text(PLANS)
    with pytest.raises(DatasetError, match="plain.csv.gz: cannot decompress"):
        load_table(bad, "plans")
    with pytest.raises(DatasetError, match="nothere.csv.gz: file not found"):
        load_table(tmp_path / "nothere.csv.gz", "plans")
    with pytest.raises(DatasetError, match="table 'plan' is not in the data dictionary"):
        load_table(p, "plan")


def test_columns_in_another_order_are_accepted(tmp_path):
    p = _write(
        tmp_path, "p.csv.gz", "active_at_end,plan_id,customer_id,start_day,renewals,lapsed_day\nTrue,1,2,3.5,0,\n"
    )
    df = load_table(p, "plans")
    assert list(df.columns) == [c.name for c in schema("plans")] and df["lapsed_day"].isna().all()


def test_load_dataset_errors(tmp_path):
    with pytest.raises(DatasetError, match="unknown data set 'clas'; did you mean 'class'"):
        load_dataset("clas")
    with pytest.raises(DatasetError, match="has no table 'order'; did you mean 'orders'"):
        load_dataset("class", "order")
    with pytest.raises(
        DatasetError, match="file not found; regenerate it with `python -m simulation datasets build --only large`"
    ):
        load_dataset("large", "orders", root=tmp_path)


def test_writer_refuses_undocumented_columns(fresh):
    df = fresh["class"]["plans"].assign(colour="red")
    with pytest.raises(DatasetError, match=r"not documented: \['colour'\]"):
        table_text(df, "plans")


# ---------------------------------------------------------------------- contacts
def test_contacts_look_real_and_are_fictional(committed):
    c = committed["class"]["contacts"]
    cust = committed["class"]["customers"]
    assert (c["customer_id"] == cust["customer_id"]).all()
    assert c["mobile"].str.fullmatch(r"1[3-9]\d{9}").all() and c["mobile"].is_unique
    assert c["email"].str.fullmatch(r"[a-z0-9._]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.example").all() and c["email"].is_unique
    assert c["birth_year"].between(2024 - 85, 2024 - 20).all()
    assert c["name_zh"].str.len().between(2, 3).all()
    assert c["name_pinyin"].str.fullmatch(r"[A-Z][a-z]+ [A-Z][a-z]+").all()
    business = (cust["segment"] == "small_business").to_numpy()
    assert (c.loc[business, "company"].str.endswith("有限公司")).all() and (c.loc[~business, "company"] == "").all()


def test_contacts_gender_and_surnames_match_their_weights(committed):
    """Gender is F with probability 1/2: with n customers the share lies within 4 standard
    errors (4 * sqrt(0.25 / n)). The surname Wang has weight 72 of the list's total; its share
    lies within 4 standard errors of that probability."""
    from simulation.data.contacts import _SURNAMES

    c = committed["class"]["contacts"]
    n = len(c)
    assert abs((c["gender"] == "F").mean() - 0.5) < 4 * np.sqrt(0.25 / n)
    p = 72 / sum(w for *_, w in _SURNAMES)
    assert abs(c["name_pinyin"].str.startswith("Wang ").mean() - p) < 4 * np.sqrt(p * (1 - p) / n)


def test_contacts_are_seeded():
    cust = pd.DataFrame({"customer_id": np.arange(300), "segment": ["household"] * 250 + ["small_business"] * 50})
    a, b, other = make_contacts(cust, 5), make_contacts(cust, 5), make_contacts(cust, 6)
    pd.testing.assert_frame_equal(a, b)
    assert (a["mobile"] != other["mobile"]).mean() > 0.99
    with pytest.raises(ValueError, match="customers is missing column 'segment'"):
        make_contacts(cust[["customer_id"]], 1)


# ---------------------------------------------------------------------- dirty variant
def _text(name, table):
    header, rows = read_cells(ROOT / name / f"{table}.csv.gz")
    return pd.DataFrame(rows, columns=header, dtype="str")


def test_raw_files_differ_from_the_truth_exactly_at_the_defects():
    """Every cell of the raw files equals the truth's text except the cells listed in defects."""
    defects = _text("class-dirty", "defects")
    for raw_name, truth_name in (("customers_raw", "customers_truth"), ("orders_raw", "orders_truth")):
        raw, truth = _text("class-dirty", raw_name), _text("class-dirty", truth_name)
        d = defects.loc[defects["table"] == raw_name]
        listed = set(zip(d["row"].astype(int), d["column"]))
        assert len(listed) == len(d)
        for col in raw.columns:
            differ = set((np.flatnonzero((raw[col] != truth[col]).to_numpy()) + 1).tolist())
            assert differ == {r for r, c in listed if c == col}, (raw_name, col)
        for r, col, dirty, clean in zip(d["row"].astype(int), d["column"], d["dirty_value"], d["clean_value"]):
            assert raw.at[r - 1, col] == dirty and truth.at[r - 1, col] == clean and dirty != clean


def test_defect_counts_follow_the_documented_rates(committed):
    r = DirtyRates()
    t = committed["class-dirty"]
    truth, d = t["customers_truth"], t["defects"]
    n_cust = len(committed["class"]["customers"])
    k1 = round(r.duplicate_customers * n_cust)
    assert (truth["duplicate_of"] != "").sum() == k1 + round(r.second_duplicate * k1)
    rows = len(truth)
    cust_d = d.loc[d["table"] == "customers_raw"]
    count = cust_d.groupby(["column", "defect"], observed=True).size()
    assert count[("birth_year", "impossible_date")] == round(r.impossible_date * rows)
    assert count[("mobile", "missing")] == round(r.missing_mobile * rows)
    for col in ("gender", "district", "address"):
        assert count[(col, "missing")] == round(r.missing * rows)
    assert count[("segment", "category_case")] == round(r.category_case * rows)
    orders = t["orders_truth"]
    n_orders = (orders["copy_of_row"] == -1).sum()
    assert n_orders == len(committed["class"]["orders"])
    assert (orders["copy_of_row"] != -1).sum() == round(r.duplicate_order_rows * n_orders)
    assert set(d["defect"].astype(str)) == {
        "missing",
        "phone_format",
        "email_format",
        "name_format",
        "date_format",
        "impossible_date",
        "category_case",
        "amount_format",
    }


def test_duplicates_and_bookings_point_to_the_right_customer(committed):
    t = committed["class-dirty"]
    truth, orders = t["customers_truth"], t["orders_truth"]
    by_rec = truth.set_index("record_id")
    dups = truth.loc[truth["duplicate_of"] != ""]
    first = by_rec.loc[dups["duplicate_of"]]
    assert (first["customer_id"].to_numpy() == dups["customer_id"].to_numpy()).all()
    assert (first["duplicate_of"] == "").all()
    assert (dups["registered_on"].to_numpy() >= first["registered_on"].to_numpy()).all()
    assert truth.loc[truth["duplicate_of"] == "", "customer_id"].is_unique
    assert (by_rec.loc[orders["record_id"], "customer_id"].to_numpy() == orders["customer_id"].to_numpy()).all()
    assert (orders.loc[orders["record_id"].isin(dups["record_id"])]).shape[0] > 0
    raw = t["orders_raw"]
    copies = np.flatnonzero((orders["copy_of_row"] != -1).to_numpy())
    assert (orders["copy_of_row"].to_numpy()[copies] == copies).all()  # the row just before (1-based)
    assert raw.iloc[copies].reset_index(drop=True).equals(raw.iloc[copies - 1].reset_index(drop=True))
    clean = committed["class"]["orders"]
    o = orders.loc[orders["copy_of_row"] == -1].set_index("order_id").loc[clean["order_id"]]
    assert (
        np.allclose(o["amount_cny"], clean["amount_cny"])
        and (o["customer_id"].to_numpy() == clean["customer_id"]).all()
    )


def test_no_defects_at_zero_rates(fresh):
    c = fresh["class"]
    zero = DirtyRates(**{f: 0.0 for f in DirtyRates.__dataclass_fields__})
    out = make_dirty(
        c["contacts"], c["customers"], c["orders"], 1, start_date="2024-01-01", horizon_days=730.0, rates=zero
    )
    assert out["defects"].empty and len(out["customers_raw"]) == len(c["customers"])
    assert (out["customers_raw"]["mobile"] == out["customers_truth"]["mobile"]).all()
    with pytest.raises(ScenarioError, match="DirtyRates.missing must be <= 1"):
        DirtyRates(missing=1.5)


def test_dirty_process_is_seeded(fresh):
    c = fresh["class"]
    args = (c["contacts"], c["customers"], c["orders"])
    a = make_dirty(*args, 7, start_date="2024-01-01", horizon_days=730.0)
    b = make_dirty(*args, 8, start_date="2024-01-01", horizon_days=730.0)
    assert not a["customers_raw"].equals(b["customers_raw"])
    assert table_text(a["defects"], "defects") == table_text(
        make_dirty(*args, 7, start_date="2024-01-01", horizon_days=730.0)["defects"], "defects"
    )


# ---------------------------------------------------------------------- grading
def test_score_duplicates(committed):
    truth = committed["class-dirty"]["customers_truth"]
    raw = committed["class-dirty"]["customers_raw"]
    perfect = score_duplicates(pd.Series(truth["customer_id"].to_numpy(), index=truth["record_id"]), truth)
    assert perfect["precision"] == perfect["recall"] == perfect["f1"] == 1.0 and perfect["true_pairs"] > 100
    alone = score_duplicates(dict(zip(truth["record_id"], truth["record_id"])), truth)
    assert alone["recall"] == 0.0 and alone["precision"] == 1.0
    exact = score_duplicates(
        pd.Series(raw["mobile"].to_numpy(), index=raw["record_id"]).where(
            raw["mobile"].str.len() > 5, raw["record_id"].to_numpy()
        ),
        truth,
    )
    digits = raw["mobile"].str.replace(r"\D", "", regex=True).str[-11:]
    normalised = score_duplicates(
        pd.Series(digits.where(digits.str.len() == 11, raw["record_id"]).to_numpy(), index=raw["record_id"]), truth
    )
    assert exact["recall"] < normalised["recall"] <= 1.0 and normalised["precision"] > 0.99
    with pytest.raises(ValueError, match=r"no label for 1 record\(s\), e.g. 'C000001'"):
        score_duplicates(dict(zip(truth["record_id"][1:], truth["record_id"][1:])), truth)


def test_score_column(committed):
    t = committed["class-dirty"]
    truth, raw, defects = t["customers_truth"], t["customers_raw"], t["defects"]
    same = score_column(truth[["record_id", "mobile"]], truth, "mobile")
    assert same["accuracy"] == 1.0 and same["not_found"] == 0
    as_is = score_column(raw, truth, "mobile", defects=defects)
    cleaned = raw.assign(mobile=raw["mobile"].str.replace(r"\D", "", regex=True).str[-11:])
    better = score_column(cleaned, truth, "mobile", defects=defects)
    assert as_is["defect_accuracy"] < 0.2 < 0.95 < better["defect_accuracy"] and better["accuracy"] > as_is["accuracy"]
    years = score_column(raw.assign(birth_year=pd.to_numeric(raw["birth_year"], errors="coerce")), truth, "birth_year")
    assert 0.9 < years["accuracy"] < 1.0
    orders = t["orders_truth"]
    dates = score_column(t["orders_raw"].assign(row=orders["row"]), orders, "order_date", key="row")
    assert 0.85 < dates["accuracy"] < 1.0


# ---------------------------------------------------------------------- CLI
def test_cli_builds_one_set_into_a_new_folder_and_lists(tmp_path):
    code, out, err = run_cli(["datasets", "build", "--only", "class", "--out", str(tmp_path / "d")])
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "d").iterdir()) == ["class", "data_dictionary.csv"]
    assert load_table(tmp_path / "d" / "class" / "plans.csv.gz", "plans").shape[0] > 100
    code, out, err = run_cli(["datasets", "list"])
    assert code == 0 and all(re.search(rf"^{re.escape(n)} +seed {s.seed}", out, re.M) for n, s in DATASETS.items())


@pytest.mark.parametrize(
    "argv, message",
    [
        (["datasets", "build", "--only", "clas"], "unknown data set 'clas'; did you mean 'class'?"),
        (["datasets"], "datasets needs an action"),
        (["datasets", "build", "--check", "--out", "/nonexistent/folder"], "is not a folder"),
    ],
)
def test_cli_bad_input(argv, message):
    code, out, err = run_cli(argv)
    assert code == 2 and err.count("\n") == 1 and message in err


def test_cli_refuses_a_folder_with_files(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    code, out, err = run_cli(["datasets", "build", "--only", "class", "--out", str(tmp_path)])
    assert code == 2 and "not an empty folder" in err
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


@pytest.mark.parametrize("name", list(DATASETS))
def test_the_fast_reader_gives_the_same_tables_as_the_cell_by_cell_check(name):
    """pyarrow's typed reader and the cell-by-cell check agree on every shipped table (values,
    dtypes, category levels, missing cells), so speed costs no validation."""
    from simulation.data import datasets_root
    from simulation.data.csvio import load_table

    root = datasets_root() / name
    for table in DATASETS[name].tables:
        path = root / f"{table}.csv.gz"
        fast = load_table(path, table)
        slow = load_table(path, table, cell_by_cell=True)
        pd.testing.assert_frame_equal(fast, slow, check_exact=True, obj=f"{name}/{table}")


@pytest.mark.parametrize(
    "column, cell, message",
    [
        ("amount_cny", "nan", "expected a number"),
        ("amount_cny", "inf", "expected a number"),
        ("late_delivery", "1", "expected True or False"),
        ("customer_id", "0x10", "expected a whole number"),
        ("customer_id", "", "expected a whole number"),
        ("date", "2024-01-05T10:00:00", "expected a date-time"),
        ("date", "2024-01-05 24:00:00", "expected a real calendar date"),
        ("date", "2023-02-29 10:00:00", "expected a real calendar date"),
        ("category", "Appliance", "expected one of appliance"),
    ],
)
def test_forms_the_writer_never_writes_are_refused(tmp_path, column, cell, message):
    """pyarrow alone would accept "nan", "inf", "1", "0x10", a "T" in a date-time or a label in
    another case; the loader still refuses them and names the cell, as the cell-by-cell check
    always did."""
    from simulation.data import datasets_root
    from simulation.data.csvio import load_table

    source = datasets_root() / "class" / "orders.csv.gz"
    header, rows = read_cells(source)
    rows[4][header.index(column)] = cell
    text = ",".join(header) + "\n" + "\n".join(",".join(r) for r in rows) + "\n"
    path = tmp_path / "orders.csv.gz"
    path.write_bytes(gzip.compress(text.encode("utf-8")))
    with pytest.raises(DatasetError, match=f"row 5, column '{column}': {message}"):
        load_table(path, "orders")


@pytest.mark.parametrize("table", ["orders", "customers", "truth", "lifecycle", "contacts", "customers_raw"])
def test_a_header_only_file_loads_the_same_through_both_readers(tmp_path, table):
    """No rows: the same empty columns, dtypes and category levels from the fast reader and the check."""
    from simulation.data.csvio import load_table
    from simulation.data.file_schema import schema

    path = tmp_path / f"{table}.csv.gz"
    path.write_bytes(gzip.compress((",".join(c.name for c in schema(table)) + "\n").encode("utf-8")))
    fast = load_table(path, table)
    slow = load_table(path, table, cell_by_cell=True)
    assert len(fast) == 0
    pd.testing.assert_frame_equal(fast, slow, check_exact=True)


def test_missing_dates_and_labels_load_the_same_through_both_readers(tmp_path):
    """Empty date and category cells are missing values (NaT, NaN) in both readers; a date alone
    is midnight."""
    from simulation.data.csvio import load_table

    body = (
        "customer_id,time_days,date,from_stage,to_stage\n"
        "1,0.5,2024-01-01 12:00:00,none,contact\n"
        "2,0.7,,,development\n"
        "3,1.5,2024-02-29,contact,\n"
    )
    path = tmp_path / "lifecycle.csv.gz"
    path.write_bytes(gzip.compress(body.encode("utf-8")))
    fast = load_table(path, "lifecycle")
    pd.testing.assert_frame_equal(fast, load_table(path, "lifecycle", cell_by_cell=True), check_exact=True)
    assert fast["date"].isna().tolist() == [False, True, False]
    assert str(fast.loc[2, "date"]) == "2024-02-29 00:00:00"
    assert fast["from_stage"].isna().tolist() == [False, True, False]
