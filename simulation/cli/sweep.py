"""The ``sweep`` command: ``python -m simulation sweep --set field=v1,v2 --replications N``.

Runs every combination of the ``--set`` values ``--replications`` times (common random
numbers across policies), prints each policy's KPI means with 95% t-intervals and the
paired comparison with the first policy, and with ``--out DIR`` keeps

- ``DIR/runs.jsonl``: the results file, one line per finished run (resumable);
- ``DIR/runs.csv``: one row per run; ``DIR/summary.csv``: means and intervals per policy.

An interrupted sweep (Ctrl-C) continues with the same command plus ``--resume``.
Bad input gets one line on stderr and exit code 2, before anything is written.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from ..experiments.design import DEFAULT_KPIS
from .errors import UsageError

__all__ = ["add_parser", "cmd_sweep", "parse_set"]

_INT = re.compile(r"[+-]?\d+")
SHOWN = ("profit_cny", "revenue_cny", "customers_acquired", "retention_rate")


def parse_set(items: list[str] | None) -> dict:
    """``["pricing.discount_pct=0,10", ...]`` -> ``{"pricing.discount_pct": [0, 10]}``.

    Values that read as whole numbers become ``int``, other numbers ``float``, anything
    else stays text (for fields such as ``dropout.model``); the scenario checks them.
    """
    grid = {}
    for item in items or []:
        path, sep, values = item.partition("=")
        path = path.strip()
        if not sep or not path or not values.strip():
            raise UsageError(f"--set expects field=v1,v2 (e.g. pricing.discount_pct=0,10); got {item!r}")
        if path in grid:
            raise UsageError(f"--set names {path!r} twice; give all its values once, e.g. {path}=0,10")
        parsed = []
        for text in values.split(","):
            text = text.strip()
            if not text:
                raise UsageError(f"--set {item!r} has an empty value; separate values with single commas")
            if _INT.fullmatch(text):
                parsed.append(int(text))
            else:
                try:
                    parsed.append(float(text))
                except ValueError:
                    parsed.append(text)
        grid[path] = parsed
    return grid


def add_parser(sub, positive_int, seed, days) -> None:
    """Add the ``sweep`` sub-command to the CLI's sub-parsers."""
    s = sub.add_parser("sweep", help="run policies many times; KPI means with confidence intervals")
    s.add_argument("--scenario", default="baseline", help="preset name or path of a .toml file (default: baseline)")
    s.add_argument(
        "--set",
        action="append",
        metavar="FIELD=V1,V2",
        help="a field to sweep and its values, e.g. pricing.discount_pct=0,10 (repeatable)",
    )
    s.add_argument("--replications", type=positive_int, default=10, help="runs per policy (default 10)")
    s.add_argument("--seed", type=seed, default=0, help="experiment seed (default 0)")
    s.add_argument("--jobs", type=positive_int, help="worker processes (default: every core)")
    s.add_argument(
        "--backend", choices=("loky", "dask"), default="loky", help="local processes (loky, default) or a Dask cluster"
    )
    s.add_argument(
        "--scheduler", metavar="ADDRESS", help="address of a running Dask scheduler (implies --backend dask)"
    )
    s.add_argument(
        "--design",
        choices=("grid", "one-at-a-time"),
        default="grid",
        help="every combination (default) or one field at a time",
    )
    s.add_argument("--customers", type=positive_int, help="customers to acquire per run (scales the channels)")
    s.add_argument("--days", type=days, help="horizon in days")
    s.add_argument(
        "--kpi", default="profit_cny", help="KPI for the comparison with the first policy (default profit_cny)"
    )
    s.add_argument("--out", help="folder for runs.jsonl, runs.csv and summary.csv (new or empty)")
    s.add_argument("--resume", action="store_true", help="continue the sweep saved in --out")
    s.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress bar (default: only in a terminal)",
    )


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def cmd_sweep(args, scenario) -> int:
    """Run the sweep described by ``args`` on ``scenario``; print and write the results."""
    from ..experiments.design import design_policies, run_experiment
    from ..experiments.stats import compare, summarise

    grid = parse_set(args.set)
    try:
        design_policies(scenario, grid, args.design)  # bad fields/values: nothing written
    except (TypeError, ValueError) as exc:  # ScenarioError is a ValueError
        raise UsageError(f"--set: {exc}") from None
    if args.kpi not in DEFAULT_KPIS:
        raise UsageError(f"--kpi must be one of {', '.join(DEFAULT_KPIS)}; got {args.kpi!r}")
    results = None
    if args.resume and not args.out:
        raise UsageError("--resume needs --out, the folder of the sweep to continue")
    if args.out:
        out = Path(args.out)
        results = out / "runs.jsonl"
        if out.exists() and not out.is_dir():
            raise UsageError(f"--out {args.out!r} is a file; give a folder (nothing was written)")
        busy = out.exists() and any(out.iterdir())
        if busy and not (args.resume and results.is_file()):
            tip = " or add --resume to continue the sweep saved there" if results.is_file() else ""
            raise UsageError(
                f"--out {args.out!r} already exists and is not empty; choose a new folder{tip} (nothing was written)"
            )
        out.mkdir(parents=True, exist_ok=True)
    try:
        exp = run_experiment(
            scenario,
            grid,
            args.replications,
            args.seed,
            design=args.design,
            jobs=args.jobs,
            backend="dask" if args.scheduler else args.backend,
            scheduler_address=args.scheduler,
            progress=args.progress,
            results_file=results,
            resume=args.resume,
        )
    except KeyboardInterrupt as exc:
        partial = getattr(exc, "experiment", None)
        done = len(partial.runs) if partial is not None else 0
        where = (
            f"are saved in {str(results)!r}; add --resume to the same command to finish the sweep"
            if results
            else "were not saved (use --out DIR to keep them)"
        )
        print(f"interrupted: {done} finished runs {where}", file=sys.stderr)
        return 130
    runs = exp.runs
    shown = [k for k in SHOWN if k in exp.kpis]
    summ = summarise(runs, shown, by=["policy"])
    n_pol = len(exp.policies)
    crn = "common random numbers" if n_pol > 1 else "independent replications"
    print(
        f"{scenario.name}: {n_pol} {'policy' if n_pol == 1 else 'policies'} x {args.replications} "
        f"replications = {len(runs)} runs (seed {args.seed}, {crn}); mean ± 95% t-interval half-width"
    )
    width = max(len(p) for p in exp.policies + ["policy"])
    print("policy".ljust(width) + "".join(f"  {k:>24}" for k in shown))
    for pol in exp.policies:
        cells = []
        for k in shown:
            r = summ.loc[(summ["policy"] == pol) & (summ["kpi"] == k)].iloc[0]
            digits = (
                0
                if max(abs(r["mean"]), abs(r["half_width"]) if r["half_width"] == r["half_width"] else 0) >= 100
                else 4
            )
            text = f"{r['mean']:,.{digits}f}"
            if r["half_width"] == r["half_width"]:  # not NaN (n >= 2)
                text += f" ± {r['half_width']:,.{digits}f}"
            cells.append(f"  {text:>24}")
        print(pol.ljust(width) + "".join(cells))
    if n_pol > 1:
        comp = compare(runs, args.kpi)
        print(f"\n{args.kpi}: difference from {exp.policies[0]} (95% interval)")
        for _, r in comp.iterrows():
            vr = (
                ""
                if r["variance_reduction"] != r["variance_reduction"]
                else f"; CRN variance reduction {100 * r['variance_reduction']:.0f}%"
            )
            print(
                f"  {r['policy'].ljust(width)}  {r['difference']:+,.2f}  [{r['ci_low']:,.2f}, {r['ci_high']:,.2f}]"
                f"  ({r['method']}{vr})"
            )
    if args.out:
        _write_atomic(out / "runs.csv", runs.to_csv(index=False))
        _write_atomic(out / "summary.csv", exp.summary().to_csv(index=False))
        print(f"\nwrote runs.jsonl, runs.csv and summary.csv to {args.out}")
    return 0
