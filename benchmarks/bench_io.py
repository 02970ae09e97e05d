"""Files and start-up around a run: the command line, loading a data set, the first summary.

Each figure is the median of several fresh processes, run interleaved with its baseline so
that both see the same load on the machine. Wall time and CPU time (user + system, less
disturbed by other work on a shared machine) are both printed.

1. ``python -m simulation run --customers 10000 --days 1095 --out DIR`` as a whole process,
   against the same run and its tables in a process that has already imported the package
   (``run(scenario, seed)``, nothing printed or written). Aim: ratio <= 1.6.
2. ``load_dataset("large", "orders")`` (validated, first call in a fresh process) against the
   analytics run on it: RFM table and scores, BG/NBD summary and fit, Gamma-Gamma fit and
   CLV (as in ``bench_analytics.py``). Aim: ratio <= 0.25.
3. The first ``Result.summary()`` of a fresh process (which pays for any module it imports)
   against the second one, on another result of the same run, in the same process.

Usage: ``python benchmarks/bench_io.py [--repeats N]``
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CUSTOMERS, DAYS, SEED = 10_000, 1095, 0


def _cpu_children() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _timed(args: list[str]) -> tuple[float, float, str]:
    """Wall and CPU seconds of a child process, and its stdout."""
    c0, t0 = _cpu_children(), time.perf_counter()
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return time.perf_counter() - t0, _cpu_children() - c0, out


# ---------------------------------------------------------------------- children
def child_inprocess() -> dict:
    """Run + tables of the CLI's scenario, in a process whose imports are done."""
    import dataclasses

    from simulation import preset, run, scale_customers

    sc = scale_customers(dataclasses.replace(preset("baseline"), horizon_days=float(DAYS)), CUSTOMERS)
    c0, t0 = time.process_time(), time.perf_counter()
    result = run(sc, SEED)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return dict(wall_s=wall, cpu_s=cpu, orders=len(result.orders))


def child_load() -> dict:
    """First load of the large orders table in a fresh process, then the analytics on it."""
    from simulation.analytics import clv_bgnbd_gg, fit_bgnbd, fit_gamma_gamma, rfm_scores, rfm_summary, rfm_table
    from simulation.data import load_dataset

    c0, t0 = time.process_time(), time.perf_counter()
    orders = load_dataset("large", "orders")
    load = (time.perf_counter() - t0, time.process_time() - c0)
    c0, t0 = time.process_time(), time.perf_counter()
    as_of = float(orders["time_days"].max())
    rfm_scores(rfm_table(orders, as_of_day=as_of))
    summary = rfm_summary(orders, as_of_day=as_of, time_unit_days=7.0)
    bg = fit_bgnbd(summary)
    gg = fit_gamma_gamma(summary)
    clv_bgnbd_gg(summary, bg, gg, margin=0.3, horizon_years=3.0, annual_discount_rate=0.10, time_unit_days=7.0)
    analytics = (time.perf_counter() - t0, time.process_time() - c0)
    return dict(load_wall_s=load[0], load_cpu_s=load[1], analytics_wall_s=analytics[0], analytics_cpu_s=analytics[1])


def child_summary() -> dict:
    """The first and the second ``summary()`` (on two results of one run) in a fresh process."""
    from simulation import Firm, preset

    firm = Firm(preset("small-class"), 1).run()
    first, second = firm.result(), firm.result()
    t0 = time.perf_counter()
    first.summary()
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    second.summary()
    warm = time.perf_counter() - t0
    modules = sorted({m.split(".")[0] for m in sys.modules})
    return dict(first_s=cold, second_s=warm, top_level_modules=len(modules))


# ---------------------------------------------------------------------- parent
def _child(kind: str) -> dict:
    return json.loads(_timed([sys.executable, __file__, "--child", kind])[2])


def _median(rows: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in rows)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=5, help="fresh processes per figure (default 5)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--only", choices=("cli", "load", "summary"), help="measure one figure only")
    args = ap.parse_args()
    if args.child:
        print(json.dumps({"inprocess": child_inprocess, "load": child_load, "summary": child_summary}[args.child]()))
        return
    n = args.repeats
    print(f"CRM Workbench — files and start-up benchmark (median of {n} fresh processes each)")

    if args.only in (None, "cli"):
        cli, base = [], []
        tmp = Path(tempfile.mkdtemp(prefix="crm-bench-io-"))
        try:
            for k in range(n):
                base.append(_child("inprocess"))
                out = tmp / f"run{k}"
                cmd = ["run", "--customers", str(CUSTOMERS), "--days", str(DAYS), "--seed", str(SEED)]
                wall, cpu, _ = _timed([sys.executable, "-m", "simulation", *cmd, "--out", str(out)])
                cli.append(dict(wall_s=wall, cpu_s=cpu))
                size = sum(p.stat().st_size for p in out.iterdir())
                shutil.rmtree(out)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        bw, bc = _median(base, "wall_s"), _median(base, "cpu_s")
        cw, cc = _median(cli, "wall_s"), _median(cli, "cpu_s")
        print(f"1. python -m simulation run --customers {CUSTOMERS} --days {DAYS} --out DIR ({size / 1e6:.1f} MB)")
        print(f"   whole process:              {cw:6.2f} s wall, {cc:6.2f} s CPU")
        print(f"   run + tables in-process:    {bw:6.2f} s wall, {bc:6.2f} s CPU   (baseline)")
        print(f"   ratio: {cw / bw:.2f} wall, {cc / bc:.2f} CPU (aim <= 1.6)")

    if args.only in (None, "load"):
        rows = [_child("load") for _ in range(n)]
        lw, aw = _median(rows, "load_wall_s"), _median(rows, "analytics_wall_s")
        lc, ac = _median(rows, "load_cpu_s"), _median(rows, "analytics_cpu_s")
        print('2. load_dataset("large", "orders"), validated, first call in a fresh process')
        print(f"   load:                       {lw:6.2f} s wall, {lc:6.2f} s CPU")
        print(f"   RFM + BG/NBD + GG + CLV:    {aw:6.2f} s wall, {ac:6.2f} s CPU   (baseline)")
        print(f"   ratio: {lw / aw:.2f} wall, {lc / ac:.2f} CPU (aim <= 0.25)")

    if args.only in (None, "summary"):
        rows = [_child("summary") for _ in range(n)]
        first, second = _median(rows, "first_s"), _median(rows, "second_s")
        print("3. Result.summary() of the small-class preset")
        print(f"   first call in a process:    {first * 1000:7.1f} ms")
        print(f"   second call (new result):   {second * 1000:7.1f} ms   (baseline)")
        print(f"   the first call's extra cost: {(first - second) * 1000:.1f} ms, ratio {first / second:.1f}")


if __name__ == "__main__":
    main()
