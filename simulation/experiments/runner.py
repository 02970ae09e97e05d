"""Running many independent simulations: in this process, on local processes, or on a cluster.

Three ways to execute the same list of runs, chosen by :func:`execute`:

- ``jobs=1``: one after the other in this process (no start-up cost; easiest to debug);
- ``backend="loky"`` (default): joblib's ``loky`` process pool on this machine, one
  worker process per core, reused between calls;
- ``backend="dask"``: a ``dask.distributed`` cluster — an existing one given by its
  scheduler address (``"tcp://host:8786"``), or a local cluster started for the call.

A task is ``(key, scenario, seed, kpis)``; a worker simulates the scenario with the seed,
computes the KPI dictionary from the :class:`~simulation.model.result.Result` and sends back only
``(key, kpis)`` — a few hundred bytes, never the tables. The parent process receives the
results in completion order and hands each to a callback (which writes it to the results
file at once), so an interruption loses at most the runs still in progress.
Whatever the backend, each run's outcome depends only on its scenario and seed, so the
results are identical for every backend and worker count.
"""

from __future__ import annotations

import math
import sys
import warnings
from collections.abc import Callable, Mapping, Sequence
from numbers import Integral, Real

import numpy as np

from ..common.i18n import pick, progress_format

__all__ = ["execute", "run_task", "clean_kpis", "check_jobs", "BACKENDS", "RESERVED"]

BACKENDS = ("loky", "dask")
RESERVED = ("policy", "replication", "seed")


def clean_kpis(values) -> dict:
    """Check a KPI dictionary and convert its values to plain Python numbers.

    Keys must be non-empty text without dots (dotted names are swept scenario fields) and
    not one of :data:`RESERVED`; values must be numbers (``bool`` counts as 0/1) or
    ``None``; NaN and infinities become ``None``.
    """
    if not isinstance(values, Mapping):
        raise TypeError(f"kpis must return a dict of KPI name -> number; got {type(values).__name__}")
    out = {}
    for k, v in values.items():
        if not isinstance(k, str) or not k or "." in k:
            raise ValueError(
                f"kpis returned the KPI name {k!r}; names must be non-empty text "
                "without dots (dotted names are swept scenario fields)"
            )
        if k in RESERVED:
            raise ValueError(
                f"kpis returned the KPI name {k!r}, which is reserved for the runs "
                f"table ({', '.join(RESERVED)}); rename it"
            )
        if v is None:
            out[k] = None
        elif isinstance(v, (bool, np.bool_)):
            out[k] = int(v)
        elif isinstance(v, Integral):
            out[k] = int(v)
        elif isinstance(v, Real):
            f = float(v)
            out[k] = f if math.isfinite(f) else None
        else:
            raise TypeError(f"kpis returned {k!r} = {v!r} ({type(v).__name__}); KPI values must be numbers or None")
    return out


def run_task(task: tuple) -> tuple:
    """Simulate one run and return ``(key, kpis)`` — executed in the worker."""
    from ..model.firm import run

    key, scenario, seed, kpis = task
    return key, clean_kpis(kpis(run(scenario, seed)))


def check_jobs(jobs) -> int:
    """Number of worker processes: a whole number >= 1, or -1 / None for every core."""
    if jobs is None:
        return -1
    if isinstance(jobs, bool) or not isinstance(jobs, Integral) or not (jobs >= 1 or jobs == -1):
        raise ValueError(f"jobs must be a whole number >= 1, or -1 for every core; got {jobs!r}")
    return int(jobs)


def _in_notebook() -> bool:
    """True inside a Jupyter kernel (the test tqdm.auto itself makes)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


def progress_bar(total: int, progress: bool | None, desc: str, initial: int = 0):
    """A tqdm bar (a widget in notebooks).

    ``True`` always shows it, ``False`` never; ``None`` shows it in a terminal or notebook
    unless the ``TQDM_DISABLE=1`` environment variable turns bars off.
    """
    from tqdm.auto import tqdm

    kw = {}
    if progress is True:
        kw["disable"] = False
    elif progress is False or not (_in_notebook() or sys.stderr.isatty()):
        kw["disable"] = True
    return tqdm(
        total=total + initial, initial=initial, desc=desc, unit=pick("run", "次"), bar_format=progress_format(), **kw
    )


def execute(
    tasks: Sequence[tuple],
    on_result: Callable[[object, dict], None],
    *,
    jobs: int = -1,
    backend: str = "loky",
    scheduler_address: str | None = None,
    progress: bool | None = None,
    desc: str = "runs",
    done: int = 0,
) -> None:
    """Run every task and call ``on_result(key, kpis)`` in this process as each finishes.

    Parameters
    ----------
    tasks : list of ``(key, scenario, seed, kpis)``
    on_result : callable
        Called in the parent process, in completion order.
    jobs : int
        Worker processes (-1: every core). ``1`` with the loky backend runs in this process.
        For Dask, the number of workers of a local cluster (ignored with a scheduler address).
    backend : {"loky", "dask"}
    scheduler_address : str, optional
        Address of a running Dask scheduler; implies ``backend="dask"``.
    progress : bool or None
        Show a progress bar (None: only in a terminal or notebook).
    desc : str
        Label of the progress bar.
    done : int
        Runs already finished before this call (shown as the bar's start).

    Raises
    ------
    Whatever a run raised, or ``KeyboardInterrupt``; runs not yet finished are cancelled,
    and every ``on_result`` call already made stands.
    """
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(map(repr, BACKENDS))}; got {backend!r}")
    jobs = check_jobs(jobs)
    if scheduler_address is not None:
        backend = "dask"
    bar = progress_bar(len(tasks), progress, desc, initial=done)
    try:
        if not tasks:
            return
        if backend == "dask":
            _run_dask(tasks, on_result, bar, jobs, scheduler_address)
        elif jobs == 1 or len(tasks) == 1:  # nothing to share out
            for task in tasks:
                on_result(*run_task(task))
                bar.update()
        else:
            _run_loky(tasks, on_result, bar, jobs)
    finally:
        bar.close()


def _run_loky(tasks, on_result, bar, jobs: int) -> None:
    from joblib import Parallel, delayed

    parallel = Parallel(n_jobs=jobs, backend="loky", return_as="generator_unordered")
    outputs = parallel(delayed(run_task)(t) for t in tasks)
    try:
        for key, values in outputs:
            on_result(key, values)
            bar.update()
    finally:
        with warnings.catch_warnings():  # "tasks executed but not used" on cancellation
            warnings.simplefilter("ignore")
            outputs.close()


def _run_dask(tasks, on_result, bar, jobs: int, address: str | None) -> None:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:  # pragma: no cover
        raise ImportError("the Dask backend needs the distributed package; pip install 'dask[distributed]'") from None
    cluster = None
    if address is None:
        n = jobs if jobs > 0 else None
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    else:
        try:
            client = Client(address, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise OSError(f"cannot reach the Dask scheduler at {address!r}: {exc}") from None
    try:
        futures = client.map(run_task, list(tasks), pure=False)
        try:
            for fut in as_completed(futures):
                key, values = fut.result()
                on_result(key, values)
                bar.update()
        except BaseException:
            client.cancel(futures)
            raise
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
