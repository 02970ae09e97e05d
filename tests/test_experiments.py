"""Experiments: seeds, backends, intervals, CRN, resuming, the sweep command and figures.

Runs use the small-class firm shrunk with ``scale_customers`` (a few hundred customers,
about 30–60 ms a run), so the whole file stays well under two minutes on two cores.
"""

import json
import math
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from simulation import (
    Experiment,
    ScenarioError,
    preset,
    replicate,
    run,
    scale_customers,
    summarise,
    sweep,
    with_changes,
)
from simulation.experiments import DEFAULT_KPIS, replication_seed, summary_kpis
from simulation.experiments.stats import compare, sensitivity, t_interval
from simulation.figures import experiments as ef

DISCOUNT = "pricing.discount_pct"


@pytest.fixture(scope="module")
def firm():
    """The small-class firm shrunk to about 150 customers over its year."""
    return scale_customers(preset("small-class"), 150)


@pytest.fixture(scope="module")
def closed(firm):
    """No referrals, no deterrence and a conversion that ignores price: acquisitions come from
    the paid channels alone, whatever the discount."""
    return with_changes(
        firm,
        {
            "word_of_mouth.referral_prob": 0.0,
            "word_of_mouth.deterrence_prob": 0.0,
            "pricing.conversion_elasticity": 0.0,
        },
    )


class Flaky:
    """KPI function that counts its calls and raises ``error`` on call number ``fail_at``."""

    def __init__(self, fail_at=None, error=KeyboardInterrupt):
        self.fail_at, self.error, self.calls = fail_at, error, 0

    def __call__(self, result):
        self.calls += 1
        if self.calls == self.fail_at:
            raise self.error("stopped on purpose")
        return summary_kpis(result)


def fail_on_replication_2(result):
    """Raises in the worker for replication 2 of seed 5 (module level: picklable)."""
    if result.seed == replication_seed(5, 2):
        raise ValueError("replication 2 fails on purpose")
    return summary_kpis(result)


def pid_kpis(result):
    return {"profit_cny": result.summary()["profit_cny"], "worker_pid": os.getpid()}


# ------------------------------------------------------------------ seeds and tables
def test_replication_seeds_come_from_spawned_seed_sequences():
    """Replication k's seed is the first 63 bits of SeedSequence(seed).spawn(k + 1)[k]."""
    children = np.random.SeedSequence(11).spawn(5)
    expected = [int(c.generate_state(1, np.uint64)[0] >> np.uint64(1)) for c in children]
    assert [replication_seed(11, k) for k in range(5)] == expected
    seeds0 = {replication_seed(0, k) for k in range(200)}
    seeds1 = {replication_seed(1, k) for k in range(200)}
    assert len(seeds0) == 200 and not seeds0 & seeds1
    assert replication_seed(0, 3, {DISCOUNT: 10.0}) != replication_seed(0, 3, {DISCOUNT: 0.0})


def test_replicate_rows_are_the_single_runs(firm):
    exp = replicate(firm, 3, seed=4, jobs=1, progress=False)
    assert isinstance(exp, Experiment) and exp.complete
    assert list(exp.runs["replication"]) == [0, 1, 2]
    assert list(exp.runs.columns[:3]) == ["policy", "replication", "seed"]
    assert exp.kpis == list(DEFAULT_KPIS)
    for _, row in exp.runs.iterrows():
        assert row["seed"] == replication_seed(4, row["replication"])
        kpis = summary_kpis(run(firm, int(row["seed"])))
        assert list(kpis) == list(DEFAULT_KPIS)
        for k, v in kpis.items():
            assert (row[k] == v) or (v is None and math.isnan(row[k])), k


def test_same_results_for_one_and_two_workers_and_a_dask_cluster(firm):
    """Each run depends only on its scenario and seed, so every backend gives the same table."""
    grid = {DISCOUNT: [0, 10]}
    one = sweep(firm, grid, 3, seed=2, jobs=1, progress=False)
    two = sweep(firm, grid, 3, seed=2, jobs=2, progress=False)
    pd.testing.assert_frame_equal(one.runs, two.runs)
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        dask = sweep(firm, grid, 3, seed=2, scheduler_address=cluster.scheduler_address, progress=False)
    pd.testing.assert_frame_equal(one.runs, dask.runs)
    own = replicate(firm, 2, seed=2, backend="dask", jobs=1, progress=False)  # starts its own cluster
    pd.testing.assert_frame_equal(own.runs, replicate(firm, 2, seed=2, jobs=1, progress=False).runs)


def test_loky_runs_in_worker_processes(firm):
    exp = replicate(firm, 6, seed=0, kpis=pid_kpis, jobs=2, progress=False)
    assert os.getpid() not in set(exp.runs["worker_pid"])
    assert (
        exp.runs["profit_cny"].tolist()
        == replicate(firm, 6, seed=0, jobs=1, progress=False).runs["profit_cny"].tolist()
    )


# ------------------------------------------------------------------ statistics
def test_t_interval_formula():
    """[1, 2, 3, 4]: mean 2.5, s = 1.2910, t(0.975, 3) = 3.182446 (tables) -> ±2.0542."""
    ti = t_interval([1, 2, 3, 4, float("nan")])
    assert ti["n"] == 4 and ti["mean"] == 2.5
    assert ti["half_width"] == pytest.approx(3.182446305 * math.sqrt(5 / 3) / 2, rel=1e-9)
    assert math.isnan(t_interval([3.0])["half_width"])
    with pytest.raises(ValueError, match="confidence must be .* got 95"):
        t_interval([1, 2], 95)


def test_compare_paired_under_crn_and_welch_without():
    """Hand-made runs: D = (1, 3, 2), so the paired interval is 2 ± t(0.975, 2)·1/sqrt(3);
    variance reduction 1 - Var(D) / (Var X + Var Y) = 1 - 1 / (31 + 19) = 0.98."""
    runs = pd.DataFrame(
        {
            "policy": ["a"] * 3 + ["b"] * 3,
            "replication": [0, 1, 2] * 2,
            "seed": [7, 8, 9] * 2,
            "k": [10.0, 20.0, 15.0, 11.0, 23.0, 17.0],
        }
    )
    row = compare(runs, "k").iloc[0]
    assert row["method"].startswith("paired")
    assert row["difference"] == pytest.approx(2.0)
    assert row["half_width"] == pytest.approx(4.302652730 / math.sqrt(3), rel=1e-8)
    vx, vy = np.var([11, 23, 17], ddof=1), np.var([10, 20, 15], ddof=1)
    assert row["variance_reduction"] == pytest.approx(1 - 1.0 / (vx + vy))
    indep = runs.assign(seed=[1, 2, 3, 4, 5, 6])
    row = compare(indep, "k").iloc[0]
    assert row["method"].startswith("Welch") and math.isnan(row["variance_reduction"])
    se = math.sqrt(vx / 3 + vy / 3)
    assert row["half_width"] > 4.302652730 / math.sqrt(3) and row["half_width"] / se == pytest.approx(2.8, abs=0.3)
    with pytest.raises(ValueError, match="baseline must be one of the policies; got 'c'|baseline must be one of"):
        compare(runs, "k", baseline="c")


def test_crn_gives_both_policies_the_same_customers(closed):
    """The discount changes order rates only. Acquisitions draw from their own streams, so with
    referrals and deterrence off, common random numbers give both policies exactly the same
    acquired customers in every replication (difference 0, variance reduction 1); with
    independent seeds they differ. Profit differences keep a positive variance reduction (above
    0.1 over these 6 pairs: the discount also re-times orders and so shifts later draws, which
    limits how much of the profit noise the two policies share)."""
    grid = {DISCOUNT: [0, 10]}
    crn = sweep(closed, grid, 6, seed=3, jobs=1, progress=False)
    a, b = (crn.runs.loc[crn.runs[DISCOUNT] == v] for v in (0.0, 10.0))
    assert a["seed"].tolist() == b["seed"].tolist()
    assert a["customers_acquired"].tolist() == b["customers_acquired"].tolist()
    acq = crn.compare("customers_acquired").iloc[0]
    assert acq["difference"] == 0 and acq["variance_reduction"] == 1.0
    assert crn.compare("profit_cny").iloc[0]["variance_reduction"] > 0.1
    ind = sweep(closed, grid, 6, seed=3, crn=False, jobs=1, progress=False)
    c, d = (ind.runs.loc[ind.runs[DISCOUNT] == v] for v in (0.0, 10.0))
    assert c["customers_acquired"].tolist() != d["customers_acquired"].tolist()
    assert ind.compare("profit_cny").iloc[0]["method"].startswith("Welch")


def test_t_intervals_cover_the_known_mean_of_acquisitions(closed):
    """Known answer: with referrals and deterrence off, a channel c brings converting contacts as
    a Poisson process of rate lambda_c per day, and each becomes a customer after an exponential
    delay with mean d_c days, so customers acquired by day T are Poisson with mean
    mu = sum_c lambda_c (T - d_c (1 - exp(-T / d_c))) (thinned Poisson process).

    400 replications form 100 independent batches of 4; each batch's 95% t-interval covers mu
    with probability 0.95 (Poisson(about 150) is close to normal), so the number of covering
    batches X ~ Binomial(100, 0.95). We accept 87 <= X <= 99: a correct interval fails this
    with probability P(X <= 86) + P(X = 100) = 0.0001 + 0.0059; intervals that ignore the
    t quantile (coverage 0.855 at n = 4) or repeat seeds (zero width) fall below, intervals
    too wide by a factor of sqrt(n) give X = 100. The grand mean must lie within 4 standard
    errors sqrt(mu / 400) of mu."""
    sc = closed
    T = sc.horizon_days
    mu = 0.0
    for c in ("store", "web", "dealer"):
        ch = getattr(sc.channels, c)
        lam, d = ch.customers_per_year / 365.0, ch.days_to_first_order
        mu += lam * (T - d * (1 - math.exp(-T / d)))
    exp = replicate(sc, 400, seed=2024, jobs=2, progress=False)
    x = exp.runs["customers_acquired"].to_numpy(float)
    assert abs(x.mean() - mu) <= 4 * math.sqrt(mu / 400)
    batches = pd.DataFrame({"policy": np.repeat(np.arange(100), 4).astype(str), "customers_acquired": x})
    s = summarise(batches, ["customers_acquired"])
    covered = int(((s["ci_low"] <= mu) & (mu <= s["ci_high"])).sum())
    assert 87 <= covered <= 99, covered


def test_summary_sensitivity_and_one_at_a_time_design(firm):
    exp = sweep(
        firm,
        {DISCOUNT: [0, 10], "service.late_delivery_prob": [0.0, 0.3]},
        2,
        seed=1,
        design="one-at-a-time",
        jobs=1,
        progress=False,
    )
    assert len(exp.policies) == 4  # base, discount 10, late 0, late 0.3
    assert exp.runs.loc[exp.runs["policy"] == exp.policies[0], DISCOUNT].eq(0.0).all()
    summ = exp.summary(["profit_cny"])
    assert list(summ.columns[:3]) == ["policy", DISCOUNT, "service.late_delivery_prob"]
    assert (summ["ci_low"] <= summ["mean"]).all() and (summ["mean"] <= summ["ci_high"]).all()
    sens = exp.sensitivity("profit_cny")
    assert sens["factor"].iloc[0] == DISCOUNT  # a 10% discount moves profit most
    low = exp.runs.loc[(exp.runs[DISCOUNT] == 0) & (exp.runs["service.late_delivery_prob"] == 0.08), "profit_cny"]
    assert sens.set_index("factor").loc[DISCOUNT, "mean_low"] == pytest.approx(low.mean())
    full = sensitivity(exp.runs, "profit_cny", exp.factors)
    assert set(full["factor"]) == set(exp.factors)


# ------------------------------------------------------------------ interruption and resume
def test_interrupted_replication_resumes_without_recomputing(firm, tmp_path):
    path = tmp_path / "runs.jsonl"
    with pytest.raises(KeyboardInterrupt) as info:
        replicate(firm, 6, seed=9, jobs=1, kpis=Flaky(fail_at=4), results_file=path, progress=False)
    assert "3 of 6 runs finished" in "".join(info.value.__notes__)
    assert not info.value.experiment.complete and len(info.value.experiment.runs) == 3
    assert len(path.read_text().splitlines()) == 1 + 3
    with pytest.raises(FileExistsError, match="resume=True"):
        replicate(firm, 6, seed=9, jobs=1, kpis=Flaky(), results_file=path, progress=False)
    with pytest.raises(ScenarioError, match="seed = 9; got 8"):
        replicate(firm, 6, seed=8, jobs=1, kpis=Flaky(), results_file=path, resume=True)
    counter = Flaky()
    done = replicate(firm, 6, seed=9, jobs=1, kpis=counter, results_file=path, resume=True, progress=False)
    assert counter.calls == 3
    fresh = replicate(firm, 6, seed=9, jobs=1, progress=False)
    pd.testing.assert_frame_equal(done.runs, fresh.runs)


def test_failing_run_in_a_worker_keeps_finished_runs(firm, tmp_path):
    path = tmp_path / "runs.jsonl"
    with pytest.raises(ValueError, match="fails on purpose") as info:
        sweep(firm, {DISCOUNT: [0]}, 4, seed=5, jobs=2, kpis=fail_on_replication_2, results_file=path, progress=False)
    assert "runs finished before the stop" in "".join(info.value.__notes__)
    kept = [json.loads(line)["replication"] for line in path.read_text().splitlines()[1:]]
    assert 2 not in kept
    first_two = sweep(
        firm,
        {DISCOUNT: [0]},
        2,
        seed=5,
        jobs=1,
        kpis=fail_on_replication_2,
        results_file=path,
        resume=True,
        progress=False,
    )
    fresh = sweep(firm, {DISCOUNT: [0]}, 2, seed=5, jobs=1, progress=False)
    pd.testing.assert_frame_equal(first_two.runs, fresh.runs)
    with pytest.raises(ScenarioError, match="made with kpis = "):  # another KPI function: refused
        sweep(firm, {DISCOUNT: [0]}, 4, seed=5, jobs=1, kpis=Flaky(), results_file=path, resume=True)


def test_cut_short_and_damaged_lines(firm, tmp_path):
    path = tmp_path / "runs.jsonl"
    full = replicate(firm, 3, seed=6, jobs=1, results_file=path, progress=False)
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:3]) + lines[3][:25])  # last run cut mid-line
    again = replicate(firm, 3, seed=6, jobs=1, results_file=path, resume=True, progress=False)
    pd.testing.assert_frame_equal(full.runs, again.runs)
    assert all(json.loads(line) for line in path.read_text().splitlines())
    path.write_text("".join(lines[:2]) + "garbage\n" + lines[3])
    with pytest.raises(ScenarioError, match="line 3 is damaged"):
        replicate(firm, 3, seed=6, jobs=1, results_file=path, resume=True)
    header = json.loads(lines[0])
    path.write_text(json.dumps({**header, "model": "0" * 16}) + "\n" + "".join(lines[1:]))
    with pytest.raises(ScenarioError, match="another version of the model"):
        replicate(firm, 3, seed=6, jobs=1, results_file=path, resume=True)
    path.write_text(
        json.dumps({**header, "scenario": {**header["scenario"], "horizon_days": 300.0}}) + "\n" + "".join(lines[1:])
    )
    with pytest.raises(ScenarioError, match=r"different scenario \(horizon_days = 300.0, now 365.0\)"):
        replicate(firm, 3, seed=6, jobs=1, results_file=path, resume=True)


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (dict(n=0), ValueError, "n must be a whole number >= 1; got 0"),
        (dict(seed=-1), ValueError, "seed must be a whole number >= 0; got -1"),
        (dict(jobs=0), ValueError, "jobs must be a whole number >= 1, or -1 for every core; got 0"),
        (dict(backend="spark"), ValueError, "backend must be one of 'loky', 'dask'; got 'spark'"),
        (dict(grid={"pricing.discont_pct": [0]}), ScenarioError, "did you mean 'discount_pct'"),
        (dict(grid={DISCOUNT: [0, 95]}), ScenarioError, "Pricing.discount_pct must be <= 90; got 95"),
        (dict(grid={DISCOUNT: 10}), ValueError, r"grid\['pricing.discount_pct'\] must be a list of values; got 10"),
        (dict(grid={DISCOUNT: [5, 5]}), ValueError, "lists the value 5 more than once"),
        (dict(grid={}), ValueError, "grid must name at least one field"),
        (dict(design="random"), ValueError, "design must be one of 'grid', 'one-at-a-time'; got 'random'"),
        (dict(kpis=lambda r: {"profit": "high"}), TypeError, "kpis returned 'profit' = 'high'"),
        (dict(kpis=lambda r: {"seed": 1}), ValueError, "reserved"),
    ],
)
def test_bad_input_is_named(firm, kwargs, error, message):
    args = dict(scenario=firm, grid={DISCOUNT: [0, 10]}, n=1, seed=0, jobs=1, progress=False)
    args.update(kwargs)
    with pytest.raises(error, match=message):
        sweep(**args)


def test_progress_bar_when_asked(firm, capsys, monkeypatch):
    monkeypatch.delenv("TQDM_DISABLE", raising=False)
    replicate(firm, 2, seed=0, jobs=1, progress=True)
    assert "2/2" in capsys.readouterr().err
    replicate(firm, 2, seed=0, jobs=1, progress=False)
    assert capsys.readouterr().err == ""


# ------------------------------------------------------------------ the sweep command
def cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "simulation", "sweep", *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )


def test_sweep_command_writes_and_resumes(tmp_path):
    out = tmp_path / "sweep"
    args = [
        "--scenario",
        "small-class",
        "--customers",
        "150",
        "--set",
        "pricing.discount_pct=0,10",
        "--replications",
        "3",
        "--jobs",
        "1",
        "--out",
        str(out),
    ]
    p = cli(*args)
    assert p.returncode == 0, p.stderr
    assert "2 policies x 3 replications = 6 runs" in p.stdout and "CRN variance reduction" in p.stdout
    runs = pd.read_csv(out / "runs.csv")
    assert len(runs) == 6 and set(runs["pricing.discount_pct"]) == {0.0, 10.0}
    assert set(pd.read_csv(out / "summary.csv")["kpi"]) >= {"profit_cny", "revenue_cny"}
    lines = (out / "runs.jsonl").read_text().splitlines(keepends=True)
    (out / "runs.jsonl").write_text("".join(lines[:4]))  # as if stopped after 3 runs
    p = cli(*args)
    assert p.returncode == 2 and "add --resume" in p.stderr
    p = cli(*args, "--resume")
    assert p.returncode == 0, p.stderr
    pd.testing.assert_frame_equal(pd.read_csv(out / "runs.csv"), runs)


def test_ctrl_c_on_the_sweep_command_keeps_finished_runs(tmp_path):
    """SIGINT (Ctrl-C) once three runs are saved: exit 130, the saved runs stay, --resume finishes."""
    out = tmp_path / "sweep"
    args = [
        sys.executable,
        "-m",
        "simulation",
        "sweep",
        "--scenario",
        "small-class",
        "--customers",
        "150",
        "--set",
        "pricing.discount_pct=0,10",
        "--replications",
        "8",
        "--jobs",
        "2",
        "--out",
        str(out),
    ]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    results = out / "runs.jsonl"
    while proc.poll() is None and not (results.exists() and len(results.read_text().splitlines()) >= 4):
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    saved = len(results.read_text().splitlines()) - 1
    if proc.returncode == 0:  # finished before the signal arrived: nothing to test
        pytest.skip("the sweep finished before the interruption")
    assert proc.returncode == 130 and "add --resume" in err and saved < 16
    p = subprocess.run(args + ["--resume"], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert len(results.read_text().splitlines()) == 1 + 16
    assert len(pd.read_csv(out / "runs.csv")) == 16


@pytest.mark.parametrize(
    "args, message",
    [
        (["--set", "pricing.discont_pct=0,10"], "did you mean 'discount_pct'"),
        (["--set", "pricing.discount_pct=0,100"], "Pricing.discount_pct must be <= 90; got 100"),
        (["--set", "pricing.discount_pct"], "--set expects field=v1,v2"),
        (["--set", "pricing.discount_pct=0,,5"], "has an empty value"),
        (["--set", "pricing.discount_pct=0", "--set", "pricing.discount_pct=5"], "names 'pricing.discount_pct' twice"),
        (["--kpi", "profits"], "--kpi must be one of"),
        (["--replications", "0"], "must be >= 1"),
        (["--resume"], "--resume needs --out"),
    ],
)
def test_sweep_command_bad_input(tmp_path, args, message):
    out = tmp_path / "never"
    p = (
        cli("--scenario", "small-class", "--out", str(out), *args)
        if "--resume" not in args
        else cli("--scenario", "small-class", *args)
    )
    assert p.returncode == 2
    assert message in p.stderr and len(p.stderr.strip().splitlines()) == 1
    assert not out.exists()


# ------------------------------------------------------------------ figures
def test_figures_are_built_from_tables(firm):
    exp = sweep(firm, {DISCOUNT: [0, 10]}, 3, seed=1, jobs=1, progress=False)
    figs = [
        ef.kpi_distribution(exp.runs, "profit_cny"),
        ef.interval_plot(exp.summary(["profit_cny"])),
        ef.comparison_plot(exp.compare("profit_cny"), lang="zh"),
        ef.tornado(exp.sensitivity("profit_cny"), "profit_cny"),
    ]
    assert all(isinstance(f, go.Figure) for f in figs)
    assert len(figs[0].data) == 2 and len(figs[1].data[0].x) == 2
    assert "差异" in figs[2].layout.xaxis.title.text
    assert figs[3].data[0].base[0] == pytest.approx(exp.runs["profit_cny"].mean())
    with pytest.raises(ValueError, match="choose one with kpi="):
        ef.interval_plot(exp.summary(["profit_cny", "orders"]))
    with pytest.raises(ValueError, match="runs is missing column 'profit'"):
        ef.kpi_distribution(exp.runs, "profit")
