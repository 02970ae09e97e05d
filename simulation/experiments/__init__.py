"""Experiments: independent replications and parameter sweeps with confidence intervals, run in
this process, on local processes or on a Dask cluster, stored in a resumable results file; and the
lever audit, which checks that every lever a scenario offers moves the firm.
"""

from .audit import lever_audit, lever_verdicts
from .design import DEFAULT_KPIS, DESIGNS, Experiment, replicate, replication_seed, summary_kpis, sweep
from .fingerprint import model_fingerprint
from .stats import compare, kpi_columns, sensitivity, summarise, t_interval

__all__ = [
    "Experiment",
    "replicate",
    "sweep",
    "replication_seed",
    "summary_kpis",
    "DESIGNS",
    "DEFAULT_KPIS",
    "summarise",
    "compare",
    "sensitivity",
    "t_interval",
    "kpi_columns",
    "model_fingerprint",
    "lever_audit",
    "lever_verdicts",
]
