"""Experiments: independent replications and parameter sweeps with confidence intervals, run in
this process, on local processes or on a Dask cluster, stored in a resumable results file.
"""
from .design import Experiment, replicate, sweep, replication_seed, summary_kpis, DESIGNS, DEFAULT_KPIS
from .stats import summarise, compare, sensitivity, t_interval, kpi_columns

__all__ = ['Experiment', 'replicate', 'sweep', 'replication_seed', 'summary_kpis', 'DESIGNS', 'DEFAULT_KPIS', 'summarise', 'compare', 'sensitivity', 't_interval', 'kpi_columns']
