"""Lever audit: does every lever a scenario offers move the firm's headline KPIs?

A lever that moves nothing teaches students that management does not matter. The audit
moves each offered lever (:func:`simulation.scenario.offer.offered_levers`) away from its
value, one at a time, runs the firm with and without the change on the same seeds (common
random numbers), and tests each KPI's paired difference. See :func:`lever_audit`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from numbers import Integral

import numpy as np
import pandas as pd

from ..scenario.fields import ScenarioError, field_rows
from ..scenario.offer import offered_levers
from ..scenario.parts import Scenario
from ..scenario.presets import with_changes
from .arms import AUDIT_SIZES, audit_settings, audit_threshold, lever_arms, shrink
from .design import replication_seed, summary_kpis
from .runner import execute
from .stats import t_interval

__all__ = [
    "lever_audit",
    "lever_arms",
    "shrink",
    "audit_settings",
    "AUDIT_SIZES",
    "audit_threshold",
    "lever_verdicts",
    "audit_wide",
    "HEADLINE",
    "COST_KPIS",
    "VERDICTS",
]

#: Behaviour KPIs (customers, orders, service, club) and money KPIs (costs, profit) audited by default.
HEADLINE = (
    "customers_acquired",
    "customers_left_truth",
    "orders",
    "revenue_cny",
    "retention_rate",
    "mean_satisfaction",
    "complaints",
    "complaint_service_level",
    "complaint_abandonment_rate",
    "centre_contacts",
    "centre_service_level",
    "centre_abandonment_rate",
    "loyalty_members",
    "acquisition_cost_cny",
    "cost_to_serve_cny",
    "complaint_cost_cny",
    "centre_capacity_cost_cny",
    "loyalty_cost_cny",
    "profit_cny",
    "net_profit_cny",
)
#: KPIs that a change of a unit cost moves by arithmetic alone: the costs and the profits net of them.
COST_KPIS = frozenset(
    {
        "acquisition_cost_cny",
        "cost_to_serve_cny",
        "complaint_cost_cny",
        "complaint_compensation_cny",
        "centre_capacity_cost_cny",
        "loyalty_cost_cny",
        "gross_margin_cny",
        "profit_cny",
        "net_profit_cny",
    }
)
#: Verdicts of :func:`lever_verdicts`, strongest first.
VERDICTS = ("moves", "cost-only", "inert")


# ---------------------------------------------------------------------------- the audit
def _seed_list(seeds) -> list[int]:
    if isinstance(seeds, Integral) and not isinstance(seeds, bool):
        if seeds < 2:
            raise ValueError(f"seeds must be >= 2 replications (or a list of >= 2 seeds); got {seeds!r}")
        return [replication_seed(0, k) for k in range(int(seeds))]
    out = list(seeds)
    if len(out) < 2 or any(isinstance(s, bool) or not isinstance(s, Integral) or s < 0 for s in out):
        raise ValueError(f"seeds must be a count >= 2 or a list of >= 2 whole numbers >= 0; got {seeds!r}")
    if len(set(out)) != len(out):
        raise ValueError(f"seeds must not repeat; got {out!r}")
    return [int(s) for s in out]


def lever_audit(
    scenario: Scenario,
    *,
    seeds,
    factors: Sequence[float] = (0.5, 2.0),
    kpis: Sequence[str] = HEADLINE,
    levers: Sequence[str] | None = None,
    customers_scale: float | None = None,
    horizon_days: float | None = None,
    threshold: float | None = 3.0,
    alpha: float = 0.05,
    family: str = "lever",
    jobs: int | None = 1,
    progress: bool | None = False,
) -> pd.DataFrame:
    """Move each offered lever and test whether the headline KPIs move beyond noise.

    Parameters
    ----------
    scenario : Scenario
    seeds : int or sequence of int
        A count ``n`` (seeds :func:`~simulation.experiments.design.replication_seed` ``(0, k)``,
        ``k < n``) or the seeds themselves; at least 2.
    factors : sequence of float, default (0.5, 2.0)
    kpis : sequence of str, default :data:`HEADLINE`
        Keys of :meth:`Result.summary`.
    levers : sequence of str, optional
        Levers to audit (each must be offered by the scenario); default all offered levers.
    customers_scale, horizon_days : optional
        See :func:`shrink`.
    threshold : float or None, default 3.0
        ``|t|`` above which a difference counts; ``None``: the Bonferroni cut-off at ``alpha``.
    alpha : float, default 0.05
        Family-wise error rate for ``threshold=None``.
    family : {"lever", "audit"}, default "lever"
        The family of tests ``alpha`` holds for with ``threshold=None`` (see *Threshold* in the Notes).
    jobs : int, optional, default 1
        Worker processes (``None`` or -1: every core).
    progress : bool, optional, default False

    Returns
    -------
    DataFrame
        One row per lever, arm and KPI: ``lever, arm, default, value, kpi, kind``
        (``"headline"`` or ``"cost"``), ``n, mean_diff, se, t, moves, verdict``. ``attrs`` holds
        ``scenario, seeds, threshold, comparisons, customers_scale, horizon_days, runs``,
        ``unchanged`` (the KPI means of the unchanged firm) and ``skipped`` (arms a cross-field
        rule of the scenario refused, with the reason).

    Raises
    ------
    ValueError
        A lever the scenario does not offer, fewer than 2 seeds, a KPI that is not in
        ``Result.summary()``, or settings :func:`shrink` refuses.

    Notes
    -----
    *Method.*

    1. The firm is shrunk for speed (:func:`shrink`: ``customers_scale``, ``horizon_days``);
       lever values are those of the shrunk firm.
    2. For each lever (default: every lever the scenario offers) and each arm of
       :func:`lever_arms` (``factor x value`` clipped to the range, a step from zero, the
       other value of a switch, every other choice) the firm runs from day 0 with the lever at
       the arm's value, once per seed (set from the start rather than changed mid-run with
       :meth:`~simulation.model.firm.Firm.set`: the audit asks whether the lever matters at
       all). The unchanged firm runs with the same seeds. Each
       stochastic element draws from its own named stream, so the two runs of a seed see the
       same arrivals, spends and failures wherever the lever does not change them (common
       random numbers).
    3. For each KPI, the paired differences ``D_s = KPI(arm, s) - KPI(unchanged, s)`` over the
       ``n`` seeds (a seed where the KPI is undefined is dropped) give the mean ``d``, its
       standard error ``se = sd(D) / sqrt(n)`` and ``t = d / se``; ``moves`` is
       ``|t| > threshold``. When every ``D_s`` is equal (a pure arithmetic effect, or none at all)
       ``se`` is 0 and ``t`` is ``±inf`` (or 0 when ``d = 0``).
    4. A lever's verdict (:func:`lever_verdicts`) is ``moves`` when some arm moves a KPI that is
       not in :data:`COST_KPIS`, ``cost-only`` when only costs and profits move, else ``inert``.

    *Threshold.* Under the null of no effect, ``t`` has Student's t distribution with ``n - 1`` degrees of
    freedom (the differences are independent across seeds and, summed over hundreds of
    customers, close to normal). A fixed cut-off such as 3 gives each test a false-"moves"
    chance of ``2 P(T_{n-1} > 3)`` — 4 % with 5 seeds, 1.5 % with 10, 0.3 % with 100 — so
    with few seeds use ``threshold=None``: the Bonferroni cut-off :func:`audit_threshold`
    ``t.ppf(1 - alpha / (2 N), n - 1)`` over a family of ``N`` tests. ``family="lever"``
    (default) takes ``N`` = one lever's tests (its most arms x the KPIs, about ``2 m``): each
    lever's verdict is then wrongly "moves" with probability at most ``alpha``, and across ``k``
    levers at most ``k alpha`` verdicts are expected to be wrong that way. ``family="audit"``
    takes ``N`` = every test of the audit (about ``k x 2 x m``, e.g. 32 x 2 x 16 = 1,024) and
    bounds the chance of any false "moves" in the whole audit by ``alpha``, at the price of a
    higher cut-off (10 seeds: 4.5 per lever against 7.2 per audit). A lever with no effect at
    all gives identical paired runs (every ``D_s = 0``) and is never called moving whatever the
    cut-off; false moves can only come from a lever that reshuffles the random paths without a
    systematic effect.

    *Power.* A KPI whose true mean difference is ``delta``, with standard deviation ``sigma_D`` of
    the paired differences, is called moving with probability about
    ``P(T'_{n-1}(delta sqrt(n) / sigma_D) > c)`` (non-central t with cut-off ``c``); 80 % needs
    roughly ``delta / sigma_D >= (c + 1) / sqrt(n)``, e.g. ``1.7 sigma_D`` with 10 seeds and
    ``c = 4.5``. Because ``sigma_D`` grows like the square root of the firm's customers while
    ``delta`` grows like the customers, a shrunk firm detects only larger relative effects: a
    lever called ``inert`` has no effect larger than about that size at the audit's settings.
    Raise the seeds or the firm's size before concluding that a small lever does nothing.

    Examples
    --------
    >>> from simulation import preset
    >>> audit = lever_audit(preset("small-class"), seeds=3, levers=["pricing.discount_pct"],
    ...                     kpis=["orders"], customers_scale=0.2)
    >>> audit[["lever", "arm", "kpi"]].values.tolist()
    [['pricing.discount_pct', 'x0.5', 'orders'], ['pricing.discount_pct', 'x2', 'orders']]
    """
    if not isinstance(scenario, Scenario):
        raise TypeError(f"scenario must be a Scenario; got {type(scenario).__name__}")
    if family not in ("lever", "audit"):
        raise ValueError(f"family must be 'lever' or 'audit'; got {family!r}")
    seed_list = _seed_list(seeds)
    kpis = [kpis] if isinstance(kpis, str) else list(kpis)
    if not kpis:
        raise ValueError("kpis must name at least one KPI of Result.summary()")
    sc = shrink(scenario, customers_scale=customers_scale, horizon_days=horizon_days)
    offered = offered_levers(sc)
    if levers is None:
        levers = offered
    else:
        levers = [levers] if isinstance(levers, str) else list(levers)
        for path in levers:
            if path not in offered:
                raise ValueError(f"{path!r} is not a lever {sc.name!r} offers; offered: {', '.join(offered)}")
    defaults = {r["path"]: r["value"] for r in field_rows(sc)}
    arms, variants, skipped = [], [sc], []
    for path in levers:
        for label, value in lever_arms(sc, path, factors):
            try:
                variants.append(with_changes(sc, {path: value}))
            except ScenarioError as exc:  # a rule that ties the lever to another field
                skipped.append(f"{path} {label}: {exc}")
                continue
            arms.append((path, label, value))
    tasks = [((a, k), variant, s, summary_kpis) for a, variant in enumerate(variants) for k, s in enumerate(seed_list)]
    table = np.full((len(variants), len(seed_list), len(kpis)), np.nan)

    def on_result(key, values):
        missing = [k for k in kpis if k not in values]
        if missing:
            raise ValueError(f"kpis {missing} are not in Result.summary(); KPIs: {', '.join(values)}")
        table[key[0], key[1]] = [np.nan if values[k] is None else values[k] for k in kpis]

    execute(tasks, on_result, jobs=jobs, progress=progress, desc=f"audit {sc.name}")
    per_lever = max([sum(1 for a in arms if a[0] == path) for path in levers] + [1]) * len(kpis)
    n_tests = max(1, len(arms) * len(kpis)) if family == "audit" else per_lever
    cut = audit_threshold(len(seed_list), n_tests, alpha) if threshold is None else float(threshold)
    rows = []
    for a, (path, label, value) in enumerate(arms, start=1):
        for j, kpi in enumerate(kpis):
            d = table[a, :, j] - table[0, :, j]
            ti = t_interval(d)
            mean, se = ti["mean"], ti["se"]
            if ti["n"] < 2:
                t = math.nan
            elif se == 0 or (not math.isnan(se) and se < 1e-12 * max(1.0, abs(mean))):
                t = 0.0 if mean == 0 else math.copysign(math.inf, mean)
            else:
                t = mean / se
            rows.append(
                dict(
                    lever=path,
                    arm=label,
                    default=defaults[path],
                    value=value,
                    kpi=kpi,
                    kind="cost" if kpi in COST_KPIS else "headline",
                    n=ti["n"],
                    mean_diff=mean,
                    se=se,
                    t=t,
                    moves=bool(abs(t) > cut) if not math.isnan(t) else False,
                )
            )
    cols = ["lever", "arm", "default", "value", "kpi", "kind", "n", "mean_diff", "se", "t", "moves"]
    out = pd.DataFrame(rows, columns=cols).astype({"default": object, "value": object})
    verdict = lever_verdicts(out).set_index("lever")["verdict"] if len(out) else pd.Series(dtype=str)
    out["verdict"] = out["lever"].map(verdict)
    out.attrs.update(
        scenario=sc.name,
        seeds=seed_list,
        threshold=cut,
        comparisons=n_tests,
        customers_scale=customers_scale,
        horizon_days=sc.horizon_days,
        runs=len(tasks),
        skipped=skipped,
        unchanged=dict(zip(kpis, np.nanmean(table[0], axis=0).tolist())) if len(seed_list) else {},
    )
    return out


# ---------------------------------------------------------------------------- reading it
def lever_verdicts(audit: pd.DataFrame) -> pd.DataFrame:
    """One row per lever: its verdict, the KPIs it moves and its largest ``|t|``.

    ``moves``: some arm moves a KPI outside :data:`COST_KPIS`; ``cost-only``: only costs and
    profits move; ``inert``: nothing moves beyond the audit's threshold. ``identical`` is true
    when every run with the lever moved gave exactly the unchanged firm's KPIs.
    """
    need = {"lever", "kpi", "kind", "t", "moves", "mean_diff", "se"}
    missing = sorted(need - set(audit.columns))
    if missing:
        raise ValueError(f"audit is missing column(s) {', '.join(missing)} (has: {', '.join(audit.columns)})")
    rows = []
    for lever, g in audit.groupby("lever", sort=False):
        moved = g.loc[g["moves"]]
        head = sorted(set(moved.loc[moved["kind"] == "headline", "kpi"]), key=list(g["kpi"]).index)
        cost = sorted(set(moved.loc[moved["kind"] == "cost", "kpi"]), key=list(g["kpi"]).index)
        verdict = "moves" if head else "cost-only" if cost else "inert"
        abs_t = g["t"].abs()
        identical = bool(((g["mean_diff"].fillna(0) == 0) & (g["se"].fillna(0) == 0)).all())
        rows.append(
            dict(
                lever=lever,
                verdict=verdict,
                moved_kpis=", ".join(head + cost),
                max_abs_t=float(abs_t.max()) if abs_t.notna().any() else math.nan,
                identical=identical,
            )
        )
    return pd.DataFrame(rows, columns=["lever", "verdict", "moved_kpis", "max_abs_t", "identical"])


def audit_wide(audit: pd.DataFrame) -> pd.DataFrame:
    """The audit as one row per lever and arm, with ``t`` per KPI as columns and the verdict."""
    if not len(audit):
        return pd.DataFrame(columns=["lever", "arm", "value", "verdict"])
    order = list(dict.fromkeys(audit["kpi"]))
    rows = []
    for (lever, arm), g in audit.groupby(["lever", "arm"], sort=False):
        first = g.iloc[0]
        rows.append(
            {
                "lever": lever,
                "arm": arm,
                "value": first["value"],
                "verdict": first.get("verdict"),
                **dict(zip(g["kpi"], g["t"])),
            }
        )
    return pd.DataFrame(rows, columns=["lever", "arm", "value", "verdict", *order])
