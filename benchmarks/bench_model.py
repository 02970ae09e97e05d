"""Speed and memory of the firm model, with same-run baselines.

Prints, for the baseline firm:
- wall time for 10,000 customers over 3 years (and the share spent building the tables),
  SimPy events per second, and that rate as a fraction of raw SimPy ``timeout`` throughput
  measured in this run (10,000 live processes);
- peak memory (max RSS of a fresh process per size);
- the time ratio 100,000 vs 10,000 customers (linear = 10);
- SimPy events per order and model time per order as a multiple of raw SimPy's time per
  event (same run), with and without the contact centre (which simulates every contact);
- the small-class preset's run time;
- a vectorised NumPy generator of the same purchase stream (arrivals, gamma order rates,
  BG/NBD dropout, Gamma-Gamma spend) and the model's time as a multiple of it.

Usage: ``python benchmarks/bench_model.py [--quick]`` (quick skips the 100,000 run).
Each measurement runs in its own process so peak memory is per size.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

TARGETS = {"10k": 1.5, "small": 0.15, "100k": 15.0}


def measure_model(customers: int | None, preset_name: str, years: float | None, centre: bool = True) -> dict:
    import dataclasses
    import resource

    from simulation import Firm, preset, scale_customers

    sc = preset(preset_name)
    if years is not None:
        sc = dataclasses.replace(sc, horizon_days=365.0 * years)
    if customers is not None:
        sc = scale_customers(sc, customers)
    if not centre:
        sc = dataclasses.replace(sc, complaints=dataclasses.replace(sc.complaints, enabled=False))
    best = None
    for _ in range(3 if (customers or 0) <= 20_000 else 1):
        t0 = time.perf_counter()
        firm = Firm(sc, 1)
        firm.run()
        t_sim = time.perf_counter() - t0
        result = firm.result()
        t_all = time.perf_counter() - t0
        if best is None or t_all < best["wall_s"]:
            best = dict(
                wall_s=t_all,
                sim_s=t_sim,
                tables_s=t_all - t_sim,
                simpy_events=next(firm.env._eid),
                logged_events=len(firm.log),
                customers=int(result.customers["acquired_day"].notna().sum()),
                orders=int((~result.orders["contract"]).sum()),
            )
    best["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return best


def measure_raw_simpy(processes: int = 10_000, events: int = 1_000_000) -> dict:
    import gc

    import simpy

    env = simpy.Environment()
    per = events // processes

    def ticker(env):
        for _ in range(per):
            yield env.timeout(1.0)

    for _ in range(processes):
        env.process(ticker(env))
    gc.disable()
    t0 = time.perf_counter()
    env.run()
    dt = time.perf_counter() - t0
    gc.enable()
    return dict(events_per_s=processes * per / dt)


def measure_numpy(customers: int, years: float = 3.0) -> dict:
    """The same purchase stream drawn vectorised: the practical lower bound."""
    import numpy as np

    from simulation import Scenario

    sc = Scenario()
    g = sc.household
    rng = np.random.default_rng(1)
    t0 = time.perf_counter()
    horizon = 365.0 * years
    n = rng.poisson(customers)
    start = np.sort(rng.uniform(0, horizon, n))
    lam = rng.gamma(g.rate_shape, 1 / g.alpha_years, n) / 365.0
    a, b = g.dropout_ab
    p = rng.beta(a, b, n)
    repeats = rng.geometric(p)  # repeat orders until leaving (BG/NBD)
    cap = np.minimum(repeats, 1 + rng.poisson(lam * (horizon - start) * 1.5) + 5)
    idx = np.repeat(np.arange(n), cap)
    gaps = rng.standard_exponential(idx.size) / lam[idx]
    offsets = np.cumsum(cap) - cap
    times = np.cumsum(gaps)
    times -= np.repeat(times[offsets] - gaps[offsets], cap)
    times += start[idx]
    keep = times < horizon
    nu = rng.gamma(g.spend_shape_q, 1 / g.spend_gamma, n)
    amount = rng.gamma(g.spend_shape_p, 1.0, int(keep.sum())) / nu[idx[keep]]
    dt = time.perf_counter() - t0
    return dict(wall_s=dt, orders=int(keep.sum() + n), amount_total=float(amount.sum()))


def _child(kind: str, arg: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, arg], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="skip the 100,000-customer run")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        kind, arg = args.child
        if kind == "model":
            n, name, years, *rest = arg.split(":")
            res = measure_model(int(n) if n else None, name, float(years) if years else None, rest != ["nocentre"])
        elif kind == "raw":
            res = measure_raw_simpy(processes=int(arg or 10_000))
        else:
            res = measure_numpy(int(arg))
        print(json.dumps(res))
        return

    raw = _child("raw", "10000")
    m10 = _child("model", "10000:baseline:3")
    bare10 = _child("model", "10000:baseline:3:nocentre")
    small = _child("model", ":small-class:")
    np10 = _child("numpy", "10000")
    print("CRM Workbench — firm model benchmark")
    print(f"raw SimPy timeouts (10,000 processes): {raw['events_per_s']:,.0f} events/s")
    rate = m10["simpy_events"] / m10["sim_s"]
    print(
        f"10,000 customers x 3 years: {m10['wall_s']:.3f} s (simulate {m10['sim_s']:.3f} s + tables "
        f"{m10['tables_s']:.3f} s; target <= {TARGETS['10k']} s); {m10['customers']:,} customers, "
        f"{m10['orders']:,} orders"
    )
    print(f"  building the tables: {m10['tables_s'] / m10['wall_s']:.1%} of the run (Result.from_firm)")
    print(
        f"  SimPy events: {m10['simpy_events']:,} -> {rate:,.0f} events/s = "
        f"{rate / raw['events_per_s']:.2f} of raw SimPy throughput; logged events {m10['logged_events']:,}"
    )
    per_event = 1.0 / raw["events_per_s"]
    for label, m in (("with the contact centre", m10), ("contact centre off", bare10)):
        print(
            f"  {label}: {m['simpy_events'] / m['orders']:.2f} SimPy events per order (goal <= 1.5); "
            f"{m['sim_s'] / m['orders'] * 1e6:.1f} us per order = "
            f"{m['sim_s'] / m['orders'] / per_event:.1f} x raw SimPy's time per event (goal <= 4)"
        )
    print(f"  peak memory: {m10['peak_rss_mib']:.0f} MiB")
    print(
        f"  NumPy vectorised purchase stream (same size): {np10['wall_s']:.3f} s -> model/NumPy = "
        f"{m10['wall_s'] / np10['wall_s']:.1f}x"
    )
    print(
        f"small-class preset ({small['customers']:,} customers x 1 year): {small['wall_s']:.3f} s "
        f"(target <= {TARGETS['small']} s)"
    )
    if not args.quick:
        raw100 = _child("raw", "100000")
        m100 = _child("model", "100000:baseline:3")
        np100 = _child("numpy", "100000")
        print(
            f"100,000 customers x 3 years: {m100['wall_s']:.2f} s (target <= {TARGETS['100k']} s), "
            f"peak memory {m100['peak_rss_mib']:.0f} MiB (target < 1024), {m100['orders']:,} orders"
        )
        print(
            f"  time ratio 100k/10k: {m100['wall_s'] / m10['wall_s']:.1f} (goal <= 11; simulate only "
            f"{m100['sim_s'] / m10['sim_s']:.1f}); memory ratio: {m100['peak_rss_mib'] / m10['peak_rss_mib']:.1f}"
        )
        print(
            f"  raw SimPy with 100,000 processes: {raw100['events_per_s']:,.0f} events/s, "
            f"{raw['events_per_s'] / raw100['events_per_s']:.2f}x slower per event than with 10,000 "
            f"(the same-run scaling baseline): raw SimPy's own ratio for 10x the events is "
            f"{10 * raw['events_per_s'] / raw100['events_per_s']:.1f}, the model's is "
            f"{m100['wall_s'] / m10['wall_s'] / (10 * raw['events_per_s'] / raw100['events_per_s']):.2f} of it"
        )
        print(
            f"  NumPy vectorised purchase stream: {np100['wall_s']:.3f} s -> model/NumPy = "
            f"{m100['wall_s'] / np100['wall_s']:.1f}x"
        )


if __name__ == "__main__":
    main()
