"""Throughput of replications: one process against local worker processes and Dask.

Prints, for ``--runs`` replications (default 100) of the small-class firm:

- the baseline: the same replications run one after another in this process
  (``jobs=1``), in runs per second;
- joblib/loky with ``--jobs`` workers (default: every core), *cold* (the call that starts
  the worker processes, as a first sweep in a fresh session) and *warm* (the pool is
  reused, as for every later sweep in the session), with runs per second and the speed-up
  over the baseline measured in this same process. Baseline and warm runs alternate for
  ``--rounds`` rounds (default 3) and the best time of each is reported, so that load from
  other programs affects both alike;
- optionally (``--dask``) a local Dask cluster with the same number of workers: its
  start-up time, then runs per second and speed-up;
- a check that every backend gave the identical runs table.

The target of issue #5 is a warm speed-up of at least 1.7 with two workers. The figures
depend on what else the machine is doing: run it on a quiet machine.

Usage: ``python benchmarks/bench_experiments.py [--runs 100] [--jobs 2] [--rounds 3] [--dask]``
"""

from __future__ import annotations

import argparse
import os
import time

TARGET_SPEEDUP = 1.7


def _timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=100)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds of baseline and warm runs")
    ap.add_argument("--dask", action="store_true", help="also measure a local Dask cluster")
    args = ap.parse_args(argv)

    import pandas as pd

    from simulation import preset, replicate

    sc = preset("small-class")
    n, jobs = args.runs, args.jobs
    print(
        f"{n} replications of the small-class firm; {os.cpu_count()} cores; "
        f"load average before: {', '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    replicate(sc, 2, seed=99, jobs=1, progress=False)  # warm imports and caches
    cold, tc = _timed(lambda: replicate(sc, n, seed=1, jobs=jobs, progress=False))
    base_times, warm_times = [], []
    for _ in range(args.rounds):  # interleaved: load affects both
        base, t1 = _timed(lambda: replicate(sc, n, seed=1, jobs=1, progress=False))
        warm, tw = _timed(lambda: replicate(sc, n, seed=1, jobs=jobs, progress=False))
        base_times.append(t1)
        warm_times.append(tw)
    t1, tw = min(base_times), min(warm_times)
    print(f"  baseline, 1 process        {t1:7.2f} s   {n / t1:6.1f} runs/s   (best of {args.rounds})")
    print(
        f"  loky, {jobs} workers, cold    {tc:7.2f} s   {n / tc:6.1f} runs/s   speed-up {t1 / tc:.2f}"
        "   (includes starting the workers)"
    )
    print(
        f"  loky, {jobs} workers, warm    {tw:7.2f} s   {n / tw:6.1f} runs/s   speed-up {t1 / tw:.2f}"
        f"   (best of {args.rounds}; target >= {TARGET_SPEEDUP} with 2 workers: "
        f"{'met' if t1 / tw >= TARGET_SPEEDUP else 'NOT met'})"
    )
    print("  speed-up per round         " + ", ".join(f"{a / b:.2f}" for a, b in zip(base_times, warm_times)))
    frames = {"loky cold": cold.runs, "loky warm": warm.runs}
    if args.dask:
        from distributed import Client, LocalCluster

        (cluster, ts) = _timed(
            lambda: LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None)
        )
        with cluster, Client(cluster) as client:
            client.run(lambda: __import__("simulation") and None)  # imports in the workers
            replicate(sc, 2 * jobs, seed=99, scheduler_address=cluster.scheduler_address, progress=False)
            print(f"  dask local cluster start   {ts:7.2f} s   (then warmed up like the loky pool)")
            dk, td = _timed(
                lambda: replicate(sc, n, seed=1, scheduler_address=cluster.scheduler_address, progress=False)
            )
            print(f"  dask, {jobs} workers          {td:7.2f} s   {n / td:6.1f} runs/s   speed-up {t1 / td:.2f}")
            frames["dask"] = dk.runs
    for name, frame in frames.items():
        pd.testing.assert_frame_equal(base.runs, frame)
    print(f"  identical runs tables: baseline = {' = '.join(frames)}")
    print(f"load average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
