"""Do the contact centre's levers change customers and money? A paired lever audit.

For each preset (``baseline`` and ``product-defect`` by default) and each recovery and staffing
lever, the firm is run at the lever's default and at about half and double of it, on the same
seeds (common random numbers: every stochastic element has its own stream, so a lever changes
only what it touches). For every headline KPI of :meth:`simulation.Result.summary` the script
prints the mean paired difference ``d = KPI(variant) - KPI(default)`` over the seeds and its
standard error ``s_d / sqrt(R)``; a difference larger than 3 standard errors is flagged ``*``
(with R = 5 seeds, ``|t| > 3`` has a two-sided false-alarm probability of 0.04 under a Student t
with 4 degrees of freedom). Leavers by churn reason (the ``churn_reason`` column of the
customers table), the share of acquired customers who left (``left_share``) and the complaints'
first-contact resolution (``complaint_fcr``) are reported the same way.

Levers whose default is 0 (``recovery.empowerment``) are set to 0.5 and 1 instead; shares are
capped at 1 (courtesy and process quality: 0.3 and 1.0 around 0.6).

Usage: ``python benchmarks/bench_recovery_levers.py [--seeds 5] [--presets baseline product-defect]
[--horizon-days 1095] [--customers N]``. Prints plain text; it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np

KPIS = (
    "customers_acquired",
    "customers_left_truth",
    "retention_rate",
    "mean_satisfaction",
    "net_profit_cny",
    "complaint_cost_cny",
    "centre_service_level",
    "centre_abandonment_rate",
    "centre_capacity_cost_cny",
)
REASONS = ("complaint", "service", "product", "price", "competitor")
#: lever -> (low, high) variants around the default
LEVERS = {
    "complaints.recovery.courtesy": (0.3, 1.0),
    "complaints.recovery.procedural": (0.3, 1.0),
    "complaints.recovery.empowerment": (0.5, 1.0),
    "complaints.recovery.compensation_cny": (25.0, 100.0),
    "complaints.agents": (1, 4),
}


def measure(result) -> dict:
    s = result.summary()
    out = {k: (math.nan if s.get(k) is None else float(s[k])) for k in KPIS}
    reasons = result.customers["churn_reason"].astype(str).value_counts()
    for r in REASONS:
        out[f"left_{r}"] = float(reasons.get(r, 0))
    k = result.complaints
    voiced = k.loc[k["voiced"]]
    out["complaint_fcr"] = float(voiced["first_contact_resolution"].mean()) if len(voiced) else math.nan
    out["left_share"] = (
        out["customers_left_truth"] / out["customers_acquired"] if out["customers_acquired"] else math.nan
    )
    return out


def audit(name: str, seeds: list[int], horizon_days: float | None, customers: int | None) -> None:
    import dataclasses

    from simulation import preset, run, with_changes
    from simulation.scenario.presets import scale_customers

    base = preset(name)
    if horizon_days:
        base = dataclasses.replace(base, horizon_days=float(horizon_days))
    if customers:
        base = scale_customers(base, customers)
    t0 = time.perf_counter()
    ref = [measure(run(base, s)) for s in seeds]
    print(f"\n== {name}: {len(seeds)} seeds, horizon {base.horizon_days:g} days, agents {base.complaints.agents}")
    cols = list(ref[0])
    print("default means: " + ", ".join(f"{c}={np.nanmean([r[c] for r in ref]):,.4g}" for c in cols))
    for lever, variants in LEVERS.items():
        for value in variants:
            sc = with_changes(base, {lever: value})
            rows = [measure(run(sc, s)) for s in seeds]
            parts = []
            for c in cols:
                d = np.array([b[c] - a[c] for a, b in zip(ref, rows)], dtype=float)
                if np.isnan(d).any():
                    parts.append(f"{c} n/a")
                    continue
                m = d.mean()
                se = d.std(ddof=1) / math.sqrt(len(d)) if len(d) > 1 else math.nan
                flag = "*" if (se > 0 and abs(m) > 3 * se) or (se == 0 and m != 0) else " "
                parts.append(f"{c} {m:+,.4g}±{se:,.2g}{flag}")
            print(f"{lever.split('.')[-1]}={value:g}: " + "; ".join(parts))
    print(f"({time.perf_counter() - t0:.0f} s)")


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seeds", type=int, default=5)
    p.add_argument("--presets", nargs="+", default=["baseline", "product-defect"])
    p.add_argument("--horizon-days", type=float, default=None)
    p.add_argument("--customers", type=int, default=None)
    a = p.parse_args(argv)
    seeds = list(range(1, a.seeds + 1))
    print("paired differences variant - default, mean ± standard error; * = more than 3 standard errors")
    for name in a.presets:
        audit(name, seeds, a.horizon_days, a.customers)


if __name__ == "__main__":
    main()
