"""Experiments: independent replications and parameter sweeps, with confidence intervals.

One run of a stochastic model can mislead; a class comparing policies needs many runs.
:func:`replicate` runs one scenario ``n`` times; :func:`sweep` runs every combination of
the values given for some scenario fields (the *policies*) ``n`` times each. Both return
an :class:`Experiment`: a tidy table with one row per run (the policy's field values, the
replication index, the seed and the run's KPIs) plus methods for summaries with Student-t
intervals, CRN comparisons and sensitivity (see :mod:`simulation.experiments.stats`).

Seeds
-----
Replication ``k`` of an experiment with seed ``s`` runs with the seed

``int(SeedSequence(s, spawn_key=(k,)).generate_state(1, uint64)[0] >> 1)``

i.e. the first 63 bits of the state of ``SeedSequence(s).spawn(k + 1)[k]``
(:func:`replication_seed`). Replications are therefore independent streams, the seed of
replication ``k`` does not depend on how many replications are run, and the experiments
with seeds 0 and 1 share no replication. With common random numbers (``crn=True``, the
default) every policy uses the same seed for replication ``k``; since the model draws
each stochastic element from its own named stream (:mod:`simulation.model.streams`), two
policies then see the same arrivals, the same spends, the same failures wherever the
policy does not change them, and their difference has a much smaller variance. With
``crn=False`` the policy's field values enter the spawn key too, making policies independent.

Parallel runs and resuming
--------------------------
Runs execute in this process (``jobs=1``), on local worker processes (joblib's loky
backend, the default, ``jobs=-1`` = every core) or on a Dask cluster
(``backend="dask"``, optionally ``scheduler_address="tcp://host:8786"``); see
:mod:`simulation.experiments.runner`. A ``kpis`` callable runs in the workers, so it must be
picklable by cloudpickle: a module-level function or a class instance always is; a
lambda or closure works but is copied with everything it refers to. A script (not a
notebook) that lets ``backend="dask"`` start a local cluster must guard its entry point with
``if __name__ == "__main__":``, as Python requires for processes started by spawning.

With ``results_file=...`` every finished run is appended at once as one line of JSON
(flushed and synced), keyed by (policy, replication). If the experiment is stopped —
Ctrl-C, a failing run, a closed laptop — calling it again with ``resume=True`` skips the
runs already in the file. A file is never overwritten.

Examples
--------
>>> from simulation import preset
>>> exp = replicate(preset("small-class"), 3, seed=1, jobs=1, progress=False)
>>> exp.summary(["profit_cny"])[["kpi", "n"]].to_dict("records")    # with mean, se, ci_low, ci_high …
[{'kpi': 'profit_cny', 'n': 3}]

A sweep over a lever, compared policy by policy with paired-t intervals (common random numbers)::

    exp = sweep(preset("small-class"), {"pricing.discount_pct": [0, 5, 10]}, 20, seed=1)
    exp.compare("profit_cny")
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import product
from numbers import Integral

import numpy as np
import pandas as pd

from ..common.i18n import value_label
from ..scenario.fields import field_value, to_dict
from ..scenario.parts import Scenario
from ..scenario.presets import with_changes
from . import stats as _stats
from .fingerprint import model_fingerprint
from .runner import BACKENDS, check_jobs, execute
from .store import FORMAT, RunFile

__all__ = ["Experiment", "replicate", "sweep", "replication_seed", "summary_kpis", "DESIGNS", "DEFAULT_KPIS"]

DESIGNS = ("grid", "one-at-a-time")
DEFAULT_KPIS = (
    "customers_acquired",
    "customers_active",
    "customers_declining",
    "customers_dormant",
    "customers_left_truth",
    "orders",
    "revenue_cny",
    "gross_margin_cny",
    "cost_to_serve_cny",
    "acquisition_cost_cny",
    "profit_cny",
    "retention_rate",
    "mean_satisfaction",
    "top20_revenue_share",
    "complaints",
    "complaint_service_level",
    "complaint_abandonment_rate",
    "complaint_cost_cny",
    "complaint_compensation_cny",
    "centre_contacts",
    "centre_service_level",
    "centre_abandonment_rate",
    "centre_occupancy_share",
    "centre_capacity_cost_cny",
    "loyalty_members",
    "loyalty_cost_cny",
    "fixed_cost_cny",
    "net_profit_cny",
    "operating_margin",
)


def summary_kpis(result) -> dict:
    """The default KPIs of a run: the numbers of :meth:`Result.summary` (without seed and days).

    Their names are :data:`DEFAULT_KPIS`, in that order.
    """
    return {
        k: v
        for k, v in result.summary().items()
        if k not in ("seed", "days") and (v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)))
    }


def replication_seed(seed: int, replication: int, policy: Mapping | None = None) -> int:
    """The seed of replication ``replication`` (see the module's *Seeds* section).

    ``policy`` (the swept field values) is given only for experiments without common
    random numbers; its CRC-32 then joins the spawn key.
    """
    key = (int(replication),)
    if policy is not None:
        key += (zlib.crc32(json.dumps(dict(policy), sort_keys=True).encode()),)
    state = np.random.SeedSequence(int(seed), spawn_key=key).generate_state(1, np.uint64)[0]
    return int(state >> np.uint64(1))


@dataclass(frozen=True)
class Experiment:
    """The runs of a replication or sweep, with their summaries.

    Attributes
    ----------
    runs : DataFrame
        One row per run: ``policy`` (a label), one column per swept field (dotted path),
        ``replication``, ``seed`` and one column per KPI. Sorted by policy, then replication.
    factors : tuple of str
        The swept fields (empty for :func:`replicate`).
    reference : dict
        The swept fields' values in the base scenario.
    seed, replications, crn, design
        As given to :func:`sweep` / :func:`replicate`.
    complete : bool
        False for the partial experiment attached to an interruption.
    """

    runs: pd.DataFrame = field(repr=False)
    factors: tuple = ()
    reference: dict = field(default_factory=dict)
    seed: int = 0
    replications: int = 0
    crn: bool = True
    design: str = "grid"
    complete: bool = True

    @property
    def kpis(self) -> list[str]:
        """Names of the KPI columns."""
        return _stats.kpi_columns(self.runs, self.factors)

    @property
    def policies(self) -> list[str]:
        """Policy labels in the experiment's order."""
        return list(dict.fromkeys(self.runs["policy"]))

    def summary(self, kpis=None, *, confidence: float = 0.95) -> pd.DataFrame:
        """Mean and t-interval of each KPI per policy (:func:`experiment_stats.summarise`)."""
        return _stats.summarise(
            self.runs, self.kpis if kpis is None else kpis, by=["policy", *self.factors], confidence=confidence
        )

    def compare(
        self, kpi: str = "profit_cny", *, baseline: str | None = None, confidence: float = 0.95
    ) -> pd.DataFrame:
        """Each policy against a baseline, paired under CRN (:func:`experiment_stats.compare`)."""
        return _stats.compare(self.runs, kpi, baseline=baseline, confidence=confidence)

    def sensitivity(self, kpi: str = "profit_cny") -> pd.DataFrame:
        """Swing of the KPI's mean over each swept field's range (:func:`experiment_stats.sensitivity`)."""
        ref = self.reference if self.design == "one-at-a-time" else None
        return _stats.sensitivity(self.runs, kpi, self.factors, reference=ref)


# ---------------------------------------------------------------------------- checks
def _whole(name: str, value, lo: int) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < lo:
        raise ValueError(f"{name} must be a whole number >= {lo}; got {value!r}")
    return int(value)


def _plain(v):
    return v.item() if isinstance(v, np.generic) else v


def _fmt(v) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def design_policies(scenario: Scenario, grid, design: str) -> tuple[tuple, dict, list[dict], list[Scenario]]:
    """Validate the grid; return factors, reference values, policies and their scenarios."""
    if not isinstance(grid, Mapping):
        raise TypeError(
            f"grid must be a dict of field -> list of values, e.g. "
            f"{{'pricing.discount_pct': [0, 10]}}; got {type(grid).__name__}"
        )
    if design not in DESIGNS:
        raise ValueError(f"design must be one of {', '.join(map(repr, DESIGNS))}; got {design!r}")
    factors, levels = [], []
    for path, values in grid.items():
        if not isinstance(path, str):
            raise TypeError(f"grid keys must be dotted field names such as 'pricing.discount_pct'; got {path!r}")
        if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
            raise ValueError(f"grid[{path!r}] must be a list of values; got {values!r}")
        values = [_plain(v) for v in values]
        if not values:
            raise ValueError(f"grid[{path!r}] must list at least one value; got an empty list")
        for v in values:
            if values.count(v) > 1:
                raise ValueError(f"grid[{path!r}] lists the value {v!r} more than once; got {values!r}")
        with_changes(scenario, {path: values[0]})  # unknown field -> suggestion
        factors.append(path)
        levels.append(values)
    reference = {f: field_value(scenario, f) for f in factors}
    if design == "grid":
        raw = [dict(zip(factors, combo)) for combo in product(*levels)]
    else:
        raw = [{}] + [{f: v} for f, vs in zip(factors, levels) for v in vs]
    policies, variants, seen = [], [], set()
    for changes in raw:
        variant = with_changes(scenario, changes) if changes else scenario
        pol = {f: field_value(variant, f) for f in factors}  # values as the scenario stores them
        key = json.dumps([pol[f] for f in factors])
        if key not in seen:
            seen.add(key)
            policies.append(pol)
            variants.append(variant)
    return tuple(factors), reference, policies, variants


def _label(policy: dict, scenario: Scenario) -> str:
    return ", ".join(f"{f}={_fmt(v)}" for f, v in policy.items()) if policy else scenario.name


def _callable_name(fn) -> str:
    mod = getattr(fn, "__module__", None) or type(fn).__module__
    qual = getattr(fn, "__qualname__", None) or type(fn).__qualname__
    return f"{mod}.{qual}"


# ---------------------------------------------------------------------------- API
def replicate(
    scenario: Scenario,
    n: int,
    seed: int = 0,
    *,
    kpis: Callable | None = None,
    jobs: int | None = None,
    backend: str = "loky",
    scheduler_address: str | None = None,
    progress: bool | None = None,
    results_file=None,
    resume: bool = False,
) -> Experiment:
    """Run ``scenario`` ``n`` times with independent seeds; KPIs per run and their intervals.

    Parameters
    ----------
    scenario : Scenario
    n : int
        Replications (>= 2 for confidence intervals).
    seed : int, default 0
        Experiment seed; replication ``k`` uses :func:`replication_seed` ``(seed, k)``.
    kpis : callable, optional
        ``kpis(result) -> {name: number}``, run in the workers (must be picklable);
        default :func:`summary_kpis`.
    jobs : int, optional
        Worker processes; ``None`` or -1 = every core, 1 = in this process.
    backend : {"loky", "dask"}
    scheduler_address : str, optional
        A running Dask scheduler (implies ``backend="dask"``).
    progress : bool, optional
        Progress bar; default: shown in a terminal or notebook.
    results_file : path, optional
        JSON-lines file that receives every finished run (see *Parallel runs and resuming*).
    resume : bool, default False
        Continue an existing ``results_file``, skipping its finished runs.

    Returns
    -------
    Experiment
    """
    return run_experiment(
        scenario,
        {},
        n,
        seed,
        kpis=kpis,
        jobs=jobs,
        backend=backend,
        scheduler_address=scheduler_address,
        progress=progress,
        results_file=results_file,
        resume=resume,
    )


def sweep(
    scenario: Scenario,
    grid: Mapping,
    n: int,
    seed: int = 0,
    *,
    design: str = "grid",
    crn: bool = True,
    kpis: Callable | None = None,
    jobs: int | None = None,
    backend: str = "loky",
    scheduler_address: str | None = None,
    progress: bool | None = None,
    results_file=None,
    resume: bool = False,
) -> Experiment:
    """Run every policy of a parameter grid ``n`` times; KPIs per run and their intervals.

    Parameters
    ----------
    scenario : Scenario
        The base scenario; each policy changes only the swept fields.
    grid : dict
        ``{"dotted.field": [values, ...], ...}``, e.g. ``{"pricing.discount_pct": [0, 10]}``.
    n : int
        Replications per policy.
    seed : int, default 0
    design : {"grid", "one-at-a-time"}
        ``"grid"``: every combination (full factorial). ``"one-at-a-time"``: the base
        scenario, plus each field at each of its values with the others at the base
        scenario's values (cheap sensitivity analysis; the tornado chart's design).
    crn : bool, default True
        Common random numbers: replication ``k`` of every policy uses the same seed.
    kpis, jobs, backend, scheduler_address, progress, results_file, resume
        As in :func:`replicate`.

    Returns
    -------
    Experiment

    Raises
    ------
    ScenarioError
        An unknown field (with the closest valid name) or an invalid value, before any run.
    KeyboardInterrupt, or the error of a failing run
        Finished runs stay in ``results_file``; a note on the exception says how many, and
        ``exc.experiment`` holds them as a partial :class:`Experiment`.
    """
    if isinstance(grid, Mapping) and not grid:
        raise ValueError(
            "grid must name at least one field to sweep, e.g. "
            "{'pricing.discount_pct': [0, 10]}; use replicate() for one policy"
        )
    return run_experiment(
        scenario,
        grid,
        n,
        seed,
        design=design,
        crn=crn,
        kpis=kpis,
        jobs=jobs,
        backend=backend,
        scheduler_address=scheduler_address,
        progress=progress,
        results_file=results_file,
        resume=resume,
    )


def run_experiment(
    scenario,
    grid,
    n,
    seed,
    *,
    design="grid",
    crn=True,
    kpis=None,
    jobs=None,
    backend="loky",
    scheduler_address=None,
    progress=None,
    results_file=None,
    resume=False,
) -> Experiment:
    """The work of :func:`sweep` and :func:`replicate` (an empty grid = one policy)."""
    if not isinstance(scenario, Scenario):
        raise TypeError(
            f"scenario must be a Scenario; got {type(scenario).__name__}. "
            "Use preset('small-class') or load_scenario('file.toml')."
        )
    n = _whole("n", n, 1)
    seed = _whole("seed", seed, 0)
    if not isinstance(crn, bool):
        raise TypeError(f"crn must be True or False; got {crn!r}")
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(map(repr, BACKENDS))}; got {backend!r}")
    jobs = check_jobs(jobs)
    kpis = summary_kpis if kpis is None else kpis
    if not callable(kpis):
        raise TypeError(f"kpis must be a function of a Result returning a dict; got {kpis!r}")
    factors, reference, policies, variants = design_policies(scenario, grid, design)
    header = dict(
        format=FORMAT,
        version=1,
        seed=seed,
        crn=crn,
        factors=list(factors),
        kpis=_callable_name(kpis),
        model=model_fingerprint(),
        scenario=to_dict(scenario),
    )
    store = RunFile(results_file, header, resume) if results_file is not None else None

    keys, tasks, seeds, finished = [], [], {}, {}
    by_key = {}
    for pol, variant in zip(policies, variants):
        pk = json.dumps([pol[f] for f in factors])
        by_key[pk] = pol
        for k in range(n):
            s = replication_seed(seed, k, pol) if (not crn and factors) else replication_seed(seed, k)
            keys.append((pk, k))
            seeds[(pk, k)] = s
    if store is not None:
        for rec in store.records:
            finished[(json.dumps([rec["policy"].get(f) for f in factors]), rec["replication"])] = rec
    tasks = [(key, variants[i // n], seeds[key], kpis) for i, key in enumerate(keys) if key not in finished]

    def on_result(key, values):
        rec = dict(policy=by_key[key[0]], replication=key[1], seed=seeds[key], kpis=values)
        rec = json.loads(json.dumps(rec))  # exactly what a resumed read gives
        if store is not None:
            store.append(rec)
        finished[key] = rec

    done_before = len(keys) - len(tasks)

    def experiment(complete: bool) -> Experiment:
        recs = [finished[k] for k in keys if k in finished]
        return Experiment(_table(recs, factors, scenario), factors, reference, seed, n, crn, design, complete)

    try:
        execute(
            tasks,
            on_result,
            jobs=jobs,
            backend=backend,
            scheduler_address=scheduler_address,
            progress=progress,
            desc=value_label(scenario.name),
            done=done_before,
        )
    except BaseException as exc:
        new = len([k for k in keys if k in finished]) - done_before
        where = (
            f"; they are saved in {str(store.path)!r}: call again with resume=True to continue"
            if store is not None
            else "; pass results_file=... to keep finished runs for resuming"
        )
        exc.add_note(f"{new} of {len(tasks)} runs finished before the stop{where}")
        exc.experiment = experiment(False)
        raise
    finally:
        if store is not None:
            store.close()
    return experiment(True)


def _table(records: list[dict], factors: tuple, scenario: Scenario) -> pd.DataFrame:
    """The runs table from run records (in the experiment's order)."""
    rows = [
        {
            "policy": _label(r["policy"], scenario),
            **{f: r["policy"].get(f) for f in factors},
            "replication": r["replication"],
            "seed": r["seed"],
            **r["kpis"],
        }
        for r in records
    ]
    df = pd.DataFrame(rows, columns=None if rows else ["policy", *factors, "replication", "seed"])
    for c in df.columns:
        if c not in ("policy", *factors):
            df[c] = pd.to_numeric(df[c])
    return df
