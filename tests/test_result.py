"""Tidy tables: lifecycle rules, consistency between tables, the data dictionary, the summary."""

import re
import tomllib
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from simulation import Scenario, run
from simulation.common.dictionary import COLUMNS
from simulation.model.records import STAGES
from simulation.model.result import TABLES
from simulation.model.tables import lifecycle_table

ROOT = Path(__file__).resolve().parents[1]


def test_lifecycle_rules_on_a_hand_made_history():
    """Rules: development from the first order, maintenance at the 3rd order, decline after
    180 days without an order, termination after 365; an order after termination restarts
    development (a win-back)."""
    orders = pd.DataFrame(
        {
            "customer_id": [0, 0, 0, 0, 1, 1],
            "time_days": [10.0, 20.0, 30.0, 300.0, 5.0, 500.0],
            "contract": [False] * 6,
        }
    )
    firm = SimpleNamespace(contact_day=[0.0, 5.0, 50.0])
    lc = lifecycle_table(None, orders, firm, Scenario(), now=1000.0)
    got = [(r.customer_id, r.time_days, r.from_stage, r.to_stage) for r in lc.itertuples()]
    assert got == [
        (0, 0.0, "none", "contact"),
        (0, 10.0, "contact", "development"),
        (0, 30.0, "development", "maintenance"),
        (0, 210.0, "maintenance", "decline"),
        (0, 300.0, "decline", "maintenance"),
        (0, 480.0, "maintenance", "decline"),
        (0, 665.0, "decline", "termination"),
        (1, 5.0, "none", "contact"),
        (1, 5.0, "contact", "development"),
        (1, 185.0, "development", "decline"),
        (1, 370.0, "decline", "termination"),
        (1, 500.0, "termination", "development"),
        (1, 680.0, "development", "decline"),
        (1, 865.0, "decline", "termination"),
        (2, 50.0, "none", "contact"),
    ]


@pytest.fixture(scope="module")
def result(small):
    return run(small, 21)


def test_tables_are_consistent(result):
    c, o, lc = result.customers, result.orders, result.lifecycle
    assert c["customer_id"].tolist() == list(range(len(c)))
    assert o["order_id"].is_unique and o["customer_id"].isin(c["customer_id"]).all()
    nc = o.loc[~o["contract"]].groupby("customer_id").size()
    assert (c.set_index("customer_id")["n_orders"].loc[nc.index] == nc).all()
    assert np.allclose(c["revenue_cny"].sum(), o["amount_cny"].sum())
    # every order happens at or after acquisition, and within the run
    first = o.loc[~o["contract"]].groupby("customer_id")["time_days"].min()
    assert np.allclose(first, c.set_index("customer_id").loc[first.index, "acquired_day"])
    assert o["time_days"].between(0, result.as_of_day).all()
    # categories follow the value bands, contract flags the plans
    pr = result.scenario.products
    gross = o["amount_cny"] + o["discount_cny"]
    appl = o["category"] == "appliance"
    assert (gross[appl] >= pr.appliance_from_cny).all()
    assert (gross[o["category"] == "consumable"] < pr.consumable_below_cny).all()
    assert (o["contract"] == (o["category"] == "service_plan")).all()
    assert (o.loc[o["late_delivery"], "category"] == "appliance").all()
    # the stage at the end is the last transition; transitions only go between known stages
    last = lc.groupby("customer_id")["to_stage"].last()
    assert (c.set_index("customer_id").loc[last.index, "stage_at_end"].astype(str) == last.astype(str)).all()
    assert set(lc["to_stage"].astype(str)) <= set(STAGES)
    assert lc.groupby("customer_id")["time_days"].apply(lambda s: s.is_monotonic_increasing).all()
    # churn reasons exactly for those who left; satisfaction in range
    assert (c["churn_reason"].notna() == ~c["alive_at_end"]).all()
    assert c["satisfaction_final"].between(0, 100).all()


def test_every_column_is_in_the_data_dictionary(result):
    documented = {(t, col): typ for t, col, typ, *_ in COLUMNS}
    for name in TABLES:
        df = result.tables[name]
        for col in df.columns:
            assert (name, col) in documented, f"{name}.{col} is missing from simulation/common/dictionary.py"
            dtype = str(df[col].dtype)
            expected = documented[(name, col)]
            assert dtype == expected or (expected == "str" and dtype in ("str", "object", "string")), (
                f"{name}.{col}: dtype {dtype}, dictionary says {expected}"
            )
    for t, col, typ, unit, en, zh in COLUMNS:
        assert en and zh, (t, col)
        if t in TABLES:
            assert col in result.tables[t].columns, f"dictionary documents {t}.{col}, which no table has"


def test_summary_numbers_agree_with_the_tables(result):
    s = result.summary()
    c, o = result.customers, result.orders
    assert s["customers_acquired"] == c["acquired_day"].notna().sum()
    assert s["revenue_cny"] == pytest.approx(o["amount_cny"].sum(), abs=0.01)
    assert s["orders"] == (~o["contract"]).sum()
    assert 0 <= s["retention_rate"] <= 1 and 0 < s["top20_revenue_share"] <= 1
    assert s["customers_active"] + s["customers_declining"] + s["customers_dormant"] <= s["customers_acquired"]


def test_summary_counts_the_desk_and_the_club_in_net_profit():
    """Complaints are the voiced rows of the complaints table; their cost is agents' time plus
    compensation; the club's cost excludes member discounts (already in the margin). Net
    profit subtracts the compensation, the contact centre's capacity cost (first-level hours on
    shift, second-level hours used) and the club's cost. With desk and club off the extra lines
    are zero and hidden."""
    from simulation import preset, scale_customers, with_changes

    r = run(scale_customers(preset("loyalty-launch"), 1500), 3)
    s = r.summary()
    voiced = r.complaints.loc[r.complaints["voiced"]]
    assert s["complaints"] == len(voiced) > 0
    cost = voiced["compensation_cny"].sum() + voiced["handling_cost_cny"].sum()
    assert s["complaint_cost_cny"] == pytest.approx(cost, abs=0.01)
    led = r.loyalty_ledger
    assert s["loyalty_members"] == (led["entry"] == "enrol").sum() > 0
    assert s["loyalty_cost_cny"] < led["cost_cny"].sum() + led["discount_cny"].sum()
    desk = r.scenario.complaints
    capacity = (
        desk.agents * (desk.closes_hour - desk.opens_hour) * r.as_of_day * desk.agent_cost_per_hour_cny
        + r.centre_contacts["second_level_min"].sum() / 60.0 * desk.second_level_cost_per_hour_cny
    )
    assert s["centre_capacity_cost_cny"] == pytest.approx(capacity, abs=0.01)
    assert s["complaint_compensation_cny"] == pytest.approx(voiced["compensation_cny"].sum(), abs=0.01)
    assert s["fixed_cost_cny"] == pytest.approx(r.scenario.overheads.fixed_cost_cny_per_year * r.as_of_day / 365.0)
    assert s["net_profit_cny"] == pytest.approx(
        s["profit_cny"]
        - s["complaint_compensation_cny"]
        - s["centre_capacity_cost_cny"]
        - s["loyalty_cost_cny"]
        - s["fixed_cost_cny"],
        abs=0.03,
    )
    assert s["operating_margin"] == pytest.approx(s["net_profit_cny"] / s["revenue_cny"], abs=1e-4)
    assert "Loyalty club members" in r.summary_text() and "投诉数" in r.summary_text("zh")
    off = run(with_changes(Scenario(horizon_days=200.0), {"complaints.enabled": False}), 3)
    t = off.summary()
    assert (t["complaints"], t["complaint_service_level"], t["loyalty_members"]) == (0, None, 0)
    assert t["net_profit_cny"] == pytest.approx(t["profit_cny"] - t["fixed_cost_cny"], abs=0.01)
    assert "Complaints" not in off.summary_text() and "Loyalty" not in off.summary_text()


def test_baseline_shows_the_intended_concentration_and_frequency():
    """The baseline firm: the top 20% of customers give 60–75% of revenue, and a household
    that stays active orders about once a year (mean order rate 1.2/year: an appliance
    retailer, see the README's calibration table)."""
    r = run(Scenario(horizon_days=730.0), 1)
    s = r.summary()
    assert 0.60 <= s["top20_revenue_share"] <= 0.75
    c = r.customers
    hh = c.loc[(c["segment"] == "household") & c["acquired_day"].notna()]
    assert 1.0 <= hh["purchase_rate_per_year"].mean() <= 1.4


def _requirement_names(reqs):
    return {
        re.split(r"[<>=!~\[ ;]", r.strip(), maxsplit=1)[0].lower().replace("_", "-"): r.replace(" ", "") for r in reqs
    }


def test_environment_yml_matches_pyproject():
    """The conda route installs the same packages with the same version ranges."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"]) + list(project["optional-dependencies"]["test"])
    text = (ROOT / "environment.yml").read_text()
    pip_part = text.split("- pip:", 1)[1]
    listed = [
        line.strip()[2:].strip().strip('"').strip("'")
        for line in pip_part.splitlines()
        if line.strip().startswith("- ")
    ]
    listed = [x for x in listed if not x.startswith("-e")]
    assert "- python=3.11" in text
    assert _requirement_names(listed) == _requirement_names(wanted)


def test_summary_is_computed_once_and_handed_out_as_a_fresh_dict(result):
    s = result.summary()
    s["orders"] = -1  # a caller's edit does not leak back
    assert result.summary()["orders"] == (~result.orders["contract"]).sum()
    assert result.summary() is not result.summary() and result.summary() == result.summary()


def _pandas_csv(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False, lineterminator="\n").encode("utf-8")


def test_written_csv_is_what_pandas_writes(result, tmp_path):
    """Every table file holds exactly pandas' ``to_csv`` text, so ``pd.read_csv`` reads it as before."""
    written = result.to_dir(tmp_path / "out")
    assert {p.name for p in written} >= {f"{name}.csv" for name in TABLES}
    for name in TABLES:
        assert (tmp_path / "out" / f"{name}.csv").read_bytes() == _pandas_csv(result.tables[name]), name


def test_csv_text_matches_pandas_on_awkward_values():
    """The forms where pyarrow and pandas differ: whole, tiny and huge floats, NaN, inf and -0.0;
    date-times that need no time, seconds only, or fractions; cells that need quotes; missing
    categories and strings; an empty table; a one-column table (written by pandas itself)."""
    from simulation.model import csvtext
    from simulation.model.csvtext import csv_bytes

    rng = np.random.default_rng(3)
    n = 400
    x = np.concatenate(
        [
            rng.random(n) * 1000,
            np.exp(rng.uniform(-60, 60, n)) * rng.choice([-1.0, 1.0], n),
            np.round(rng.random(n) * 100, 1),
            [np.nan, np.inf, -np.inf, 0.0, -0.0, 1e16, 1e-4, 9.999e-5, 2.0**53, 1e15 + 0.5, 19999926891.418213],
        ]
    )
    m = len(x)
    seconds = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 10**7, m), unit="s")
    df = pd.DataFrame(
        {
            "x": x,
            "i": rng.integers(-(10**12), 10**12, m),
            "b": rng.random(m) < 0.5,
            "c": pd.Categorical(
                rng.choice(["a", "b,c", 'd"e', "f\ng", "zz"], m), categories=["a", "b,c", 'd"e', "f\ng", "zz"]
            ),
            "s": pd.Series(rng.choice(["p", "q,r", 's"t', "", None], m), dtype="str"),
            "when": pd.Series(seconds).astype("datetime64[ms]"),
            "day": pd.Series(pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 900, m), unit="D")),
        }
    )
    df.loc[3, "when"] = pd.NaT
    df.loc[5, "day"] = pd.NaT
    df.loc[7, "c"] = np.nan
    assert csvtext._columns(df) is not None  # formatted by pyarrow, not handed to pandas
    assert csv_bytes(df) == _pandas_csv(df)
    for unit, scale in [("ms", 10**6), ("us", 10**3), ("us", 1), ("ns", 1)]:
        fine = df.assign(
            when=(df["when"] + pd.to_timedelta(rng.integers(0, 1000, m) * scale, unit="ns")).astype(
                f"datetime64[{unit}]"
            )
        )
        assert csv_bytes(fine) == _pandas_csv(fine), (unit, scale)
    assert csv_bytes(df.iloc[:0]) == _pandas_csv(df.iloc[:0])
    assert csv_bytes(df[["s"]]) == _pandas_csv(df[["s"]])
    odd = pd.DataFrame({"f32": np.float32([0.1, 2.5]), "o": [1, "x"]})
    assert csvtext._columns(odd) is None  # not handled: pandas writes it
    assert csv_bytes(odd) == _pandas_csv(odd)
    returns = pd.DataFrame({"s": pd.Series(["a\rb", "c"], dtype="str"), "n": [1, 2]})
    assert csvtext._columns(returns) is None  # quoted or not depending on Python's version
    assert csv_bytes(returns) == _pandas_csv(returns)
