"""Lever audit of every shipped preset: which offered levers move the firm, and how long it takes.

For each preset (``baseline``, ``small-class``, ``product-defect``, ``loyalty-launch``,
``bank-dormant``, ``coffee-chain``) runs :func:`simulation.experiments.audit.lever_audit` on
a firm shrunk to the audit's size (:data:`~simulation.experiments.audit.AUDIT_SIZES`: the
customers acquired over the preset's whole horizon, and the seeds), with the Bonferroni
cut-off per lever (``threshold=None``), on every core. Prints the settings and run time, the
verdict per lever, the full table of paired t statistics (one row per lever and arm, one
column per KPI; ``inf`` = the same difference on every seed), and the count of inert levers
per preset. The full size takes under about ten minutes on a 2-core machine; ``--quick``
about half of that.

Usage: ``python benchmarks/bench_levers.py [--quick] [--preset NAME ...]``
"""

from __future__ import annotations

import argparse
import time
import warnings

PRESETS = ("baseline", "small-class", "product-defect", "loyalty-launch", "bank-dormant", "coffee-chain")


def main(argv=None) -> int:
    import pandas as pd

    from simulation import preset
    from simulation.experiments.audit import audit_settings, audit_wide, lever_audit, lever_verdicts

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer seeds and a smaller firm")
    parser.add_argument("--preset", nargs="+", choices=PRESETS, default=list(PRESETS))
    args = parser.parse_args(argv)
    size = "quick" if args.quick else "full"
    warnings.simplefilter("ignore")  # an audited arm may overload the desk on purpose
    pd.set_option("display.width", 250)
    pd.set_option("display.max_columns", 40)
    pd.set_option("display.max_rows", 500)
    pd.set_option("display.max_colwidth", 80)

    print(f"CRM Workbench — lever audit of the presets ({size} size)")
    started = time.perf_counter()
    counts = []
    for name in args.preset:
        sc = preset(name)
        settings = audit_settings(sc, size)
        t0 = time.perf_counter()
        audit = lever_audit(sc, threshold=None, jobs=-1, **settings)
        secs = time.perf_counter() - t0
        a = audit.attrs
        verdicts = lever_verdicts(audit)
        n = verdicts["verdict"].value_counts()
        print()
        print(f"== {name}: {len(verdicts)} offered levers, {a['runs']} runs in {secs:.1f} s")
        print(
            f"   seeds {len(a['seeds'])}, customers_scale {a['customers_scale']}, horizon {a['horizon_days']:g} days, "
            f"unchanged firm acquires {a['unchanged']['customers_acquired']:.0f} customers; "
            f"|t| > {a['threshold']:.2f} (Bonferroni over {a['comparisons']} tests per lever, alpha 0.05)"
        )
        for line in a["skipped"]:
            print(f"   skipped arm: {line}")
        print(verdicts.to_string(index=False, float_format=lambda v: f"{v:.1f}"))
        print()
        wide = audit_wide(audit)
        wide["value"] = [f"{v:g}" if isinstance(v, float) else str(v) for v in wide["value"]]
        print(wide.to_string(index=False, float_format=lambda v: f"{v:.1f}"))
        counts.append((name, int(n.get("moves", 0)), int(n.get("cost-only", 0)), int(n.get("inert", 0)), secs))
        inert = verdicts.loc[verdicts["verdict"] == "inert", "lever"].tolist()
        print(f"   inert: {', '.join(inert) if inert else 'none'}")
    print()
    print(f"{'preset':16s} {'moves':>6s} {'cost-only':>10s} {'inert':>6s} {'seconds':>8s}")
    for name, mv, co, ine, secs in counts:
        print(f"{name:16s} {mv:6d} {co:10d} {ine:6d} {secs:8.1f}")
    print(f"total {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
