"""Every CLI command in the README, and bad input: exit 2, one line on stderr, nothing written."""

import json
import subprocess
import sys

import pytest

from simulation.cli import main


def cli(*args, cwd=None):
    p = subprocess.run(
        [sys.executable, "-m", "simulation", *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )
    return p.returncode, p.stdout, p.stderr


def test_run_default_prints_the_summary():
    code, out, err = cli("run", "--customers", "1500", "--days", "200")
    assert code == 0, err
    assert "Customers acquired" in out and "Revenue (CNY)" in out and "Repeat-buyer retention" in out


def test_run_writes_every_table_and_the_summary(tmp_path):
    out = tmp_path / "firm"
    code, stdout, err = cli("run", "--scenario", "small-class", "--seed", "3", "--out", str(out))
    assert code == 0, err
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        [
            "customers.csv",
            "orders.csv",
            "lifecycle.csv",
            "plans.csv",
            "events.csv",
            "decisions.csv",
            "loyalty_ledger.csv",
            "complaints.csv",
            "centre_contacts.csv",
            "summary.json",
        ]
    )
    summary = json.loads((out / "summary.json").read_text())
    assert summary["scenario"] == "small-class" and summary["seed"] == 3
    assert f"{summary['customers_acquired']}" in stdout


def test_run_parquet_and_chinese_summary(tmp_path):
    code, out, err = main_capture(
        [
            "run",
            "--scenario",
            "small-class",
            "--days",
            "60",
            "--format",
            "parquet",
            "--out",
            str(tmp_path / "p"),
            "--lang",
            "zh",
        ]
    )
    assert code == 0, err
    assert (tmp_path / "p" / "orders.parquet").exists()
    assert "获得客户数" in out


def main_capture(argv):
    import contextlib
    import io

    o, e = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(o), contextlib.redirect_stderr(e):
        code = main(argv)
    return code, o.getvalue(), e.getvalue()


def test_scenarios_lists_presets():
    code, out, err = main_capture(["scenarios"])
    assert code == 0 and "baseline" in out and "small-class" in out


def test_describe_lists_every_parameter():
    code, out, err = main_capture(["describe", "baseline"])
    assert code == 0
    assert "channels.web.customers_per_year" in out and "customers/year" in out and "(lever)" in out
    code, out, err = main_capture(["describe", "baseline", "--lang", "zh"])
    assert "每年新增客户数" in out


def test_scenario_from_a_toml_file(tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text('name = "mine"\nhorizon_days = 90\n[pricing]\ndiscount_pct = 5\n')
    code, out, err = main_capture(["run", "--scenario", str(f)])
    assert code == 0, err
    assert "mine" in out and "90.0" in out


BAD = [
    (["run", "--scenario", "basline"], "; did you mean 'baseline'?"),
    (["run", "--customers", "0"], "--customers: must be >= 1; got 0"),
    (["run", "--customers", "lots"], "--customers: must be a whole number; got 'lots'"),
    (["run", "--days", "-3"], "--days: must be between 1 and 36500 days"),
    (["run", "--seed", "-1"], "--seed: must be >= 0"),
    (["run", "--format", "xlsx"], "invalid choice: 'xlsx'"),
    (["describe", "nope"], "unknown scenario 'nope'"),
    (["run", "--frobnicate"], "unrecognized arguments: --frobnicate"),
    (["launch"], "invalid choice: 'launch'"),
]


@pytest.mark.parametrize("argv, message", BAD)
def test_bad_input_exits_2_with_one_line(argv, message):
    code, out, err = main_capture(argv)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_bad_toml_value_names_the_field(tmp_path):
    f = tmp_path / "bad.toml"
    f.write_text("[channels.web]\ncustomers_per_year = -10\n")
    code, out, err = main_capture(["run", "--scenario", str(f)])
    assert code == 2
    assert "Channel.customers_per_year must be >= 0; got -10" in err


def test_existing_output_is_never_overwritten(tmp_path):
    out = tmp_path / "firm"
    out.mkdir()
    (out / "notes.txt").write_text("my notes")
    code, stdout, err = main_capture(["run", "--scenario", "small-class", "--out", str(out)])
    assert code == 2 and "already exists" in err
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    assert (out / "notes.txt").read_text() == "my notes"
    assert stdout == ""


def test_bad_input_as_a_real_process_has_no_traceback(tmp_path):
    code, out, err = cli("run", "--scenario", "nope", "--out", str(tmp_path / "x"))
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "x").exists()


def test_dictionary_command_matches_the_shipped_file(tmp_path):
    from pathlib import Path

    code, out, err = main_capture(["dictionary"])
    shipped = Path(__file__).resolve().parents[1] / "datasets" / "data_dictionary.csv"
    assert code == 0 and out == shipped.read_text(encoding="utf-8")
    code, out, err = main_capture(["dictionary", "--out", str(shipped)])
    assert code == 2 and "already exists" in err


def test_sweep_with_a_repeated_value_exits_2_without_a_traceback(tmp_path):
    code, out, err = cli(
        "sweep",
        "--scenario",
        "small-class",
        "--set",
        "pricing.discount_pct=0,0",
        "--replications",
        "2",
        "--out",
        str(tmp_path / "s"),
    )
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert "lists the value 0 more than once" in err
    assert not (tmp_path / "s").exists()


@pytest.mark.parametrize("make_blocker", ["file", "unwritable"])
def test_run_out_that_cannot_be_created_is_refused_before_simulating(tmp_path, monkeypatch, make_blocker):
    """The output location is checked first: the simulation is never started (``run`` would
    raise if it were called) and the message names the path and the reason."""
    import simulation.model.firm as firm_module

    if make_blocker == "file":
        (tmp_path / "notes.txt").write_text("mine")
        target = tmp_path / "notes.txt" / "out"
        reason = "is a file, not a folder"
    else:
        import os
        import tempfile

        def refuse(*args, **kwargs):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(tempfile, "mkdtemp", refuse)
        target = tmp_path / "locked" / "out"
        reason = "Permission denied"
        assert not os.path.exists(target)

    def never(*args, **kwargs):
        raise AssertionError("the simulation ran before the output folder was checked")

    monkeypatch.setattr(firm_module, "run", never)
    code, out, err = main_capture(["run", "--scenario", "small-class", "--out", str(target)])
    assert code == 2 and str(target) in err and reason in err, err
    assert out == "" and not target.exists()
    if make_blocker == "file":
        assert (tmp_path / "notes.txt").read_text() == "mine"
