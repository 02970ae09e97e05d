"""Confidence intervals, policy comparisons and sensitivity from a table of runs.

Pure functions: a DataFrame of runs (one row per replication, as made by
:func:`simulation.experiments.replicate` or :func:`simulation.experiments.sweep`) in, a
DataFrame out. Nothing here simulates.

The statistics are the classical ones for terminating simulations with independent
replications (Law, *Simulation Modeling and Analysis*, 5th ed., 2015, §9.4 and §10.2;
Banks, Carson, Nelson & Nicol, *Discrete-Event System Simulation*, 5th ed., 2010, ch. 11–12):

- replications of one policy are independent and identically distributed, so a KPI's mean
  gets the Student-t interval ``mean ± t(1-α/2, n-1) · s / sqrt(n)``;
- two policies run with common random numbers (CRN: replication ``k`` of every policy uses
  the same seed) are compared with the paired-t interval on the differences
  ``D_k = X_k - Y_k``; without CRN the Welch interval is used;
- the variance reduction of CRN is ``1 - Var(D) / (Var(X) + Var(Y))``, because
  ``Var(X - Y) = Var(X) + Var(Y) - 2 Cov(X, Y)`` and independent runs have ``Cov = 0``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..common.checks import require_columns

__all__ = ["summarise", "compare", "sensitivity", "t_interval", "kpi_columns"]

_ID_COLUMNS = ("policy", "replication", "seed")


def _t_quantile(q: float, df: float) -> float:
    from scipy import stats  # imported on first use: keeps `import simulation` light

    return float(stats.t.ppf(q, df))


def _check_confidence(confidence) -> float:
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float)) or not 0 < confidence < 1:
        raise ValueError(f"confidence must be a number strictly between 0 and 1 (e.g. 0.95); got {confidence!r}")
    return float(confidence)


def t_interval(values, confidence: float = 0.95) -> dict:
    """Student-t confidence interval for the mean of independent observations.

    ``mean ± t(1 - α/2, n - 1) · s / sqrt(n)`` with ``s`` the sample standard deviation
    (``ddof = 1``) and ``α = 1 - confidence``. Missing values (NaN) are dropped first.

    Parameters
    ----------
    values : array-like of numbers
    confidence : float, default 0.95

    Returns
    -------
    dict
        ``n, mean, sd, se, half_width, ci_low, ci_high``; the interval is NaN when n < 2.
    """
    conf = _check_confidence(confidence)
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    n = int(x.size)
    mean = float(x.mean()) if n else math.nan
    sd = float(x.std(ddof=1)) if n >= 2 else math.nan
    se = sd / math.sqrt(n) if n >= 2 else math.nan
    hw = _t_quantile(0.5 + conf / 2, n - 1) * se if n >= 2 else math.nan
    return dict(n=n, mean=mean, sd=sd, se=se, half_width=hw, ci_low=mean - hw, ci_high=mean + hw)


def kpi_columns(runs: pd.DataFrame, factors: Sequence[str] = ()) -> list[str]:
    """The numeric KPI columns of a runs table.

    Everything numeric except the ids (``policy, replication, seed``), the given
    ``factors`` and swept fields, which are recognised by their dotted scenario path
    (``"pricing.discount_pct"``).
    """
    skip = set(_ID_COLUMNS) | set(factors)
    return [
        c
        for c in runs.columns
        if c not in skip
        and "." not in c
        and pd.api.types.is_numeric_dtype(runs[c])
        and not pd.api.types.is_bool_dtype(runs[c])
    ]


def _check_kpi(runs: pd.DataFrame, kpi: str) -> None:
    if not isinstance(kpi, str) or kpi not in runs.columns:
        raise ValueError(f"kpi must name a column of runs; got {kpi!r} (KPIs: {', '.join(kpi_columns(runs))})")
    if not pd.api.types.is_numeric_dtype(runs[kpi]):
        raise ValueError(f"kpi {kpi!r} is not numeric (dtype {runs[kpi].dtype})")


def summarise(
    runs: pd.DataFrame, kpis: Sequence[str] | None = None, *, by: Sequence[str] = ("policy",), confidence: float = 0.95
) -> pd.DataFrame:
    """Mean and Student-t confidence interval of each KPI, per policy.

    Each policy's replications are independent, so for KPI values ``x_1..x_n``
    the interval is ``mean ± t(1 - α/2, n - 1) · s / sqrt(n)`` (Law 2015, §9.4.1).
    Replications where a KPI is missing (e.g. no retention rate in a very short run) are
    left out of that KPI's ``n``.

    Parameters
    ----------
    runs : DataFrame
        One row per run, with the ``by`` columns and numeric KPI columns.
    kpis : list of str, optional
        KPI columns to summarise (default: every numeric column that is not an id or a
        swept field).
    by : list of str, default ("policy",)
        Columns that identify a policy (add the swept fields to keep them as columns).
    confidence : float, default 0.95

    Returns
    -------
    DataFrame
        Long format: the ``by`` columns, ``kpi, n, mean, sd, se, half_width, ci_low,
        ci_high, confidence``.
    """
    by = [by] if isinstance(by, str) else list(by)
    require_columns(runs, "runs", by)
    conf = _check_confidence(confidence)
    kpis = kpi_columns(runs, by) if kpis is None else ([kpis] if isinstance(kpis, str) else list(kpis))
    for k in kpis:
        _check_kpi(runs, k)
    rows = []
    for keys, group in runs.groupby(by, sort=False, dropna=False):
        keys = keys if isinstance(keys, tuple) else (keys,)
        for k in kpis:
            rows.append({**dict(zip(by, keys)), "kpi": k, **t_interval(group[k], conf), "confidence": conf})
    cols = by + ["kpi", "n", "mean", "sd", "se", "half_width", "ci_low", "ci_high", "confidence"]
    return pd.DataFrame(rows, columns=cols)


def _welch(x: np.ndarray, y: np.ndarray, conf: float) -> tuple[float, float]:
    """Welch interval half-width for mean(x) - mean(y) and its degrees of freedom."""
    vx, vy = x.var(ddof=1) / x.size, y.var(ddof=1) / y.size
    if vx + vy == 0:
        return 0.0, math.inf
    df = (vx + vy) ** 2 / (vx**2 / (x.size - 1) + vy**2 / (y.size - 1))
    return _t_quantile(0.5 + conf / 2, df) * math.sqrt(vx + vy), float(df)


def compare(runs: pd.DataFrame, kpi: str, *, baseline: str | None = None, confidence: float = 0.95) -> pd.DataFrame:
    """Difference of each policy's mean KPI from a baseline policy, with its interval.

    With common random numbers (replication ``k`` of both policies ran with the same
    seed — detected from the ``seed`` column) the interval is the paired-t interval on
    ``D_k = X_k - Y_k``: ``mean(D) ± t(1 - α/2, n - 1) · sd(D) / sqrt(n)``
    (Law 2015, §10.2.1). For comparison the Welch interval that treats the two samples as
    independent is given too, and the variance reduction CRN achieved,

    ``variance_reduction = 1 - Var(D) / (Var(X) + Var(Y))``,

    i.e. the share of the difference's variance removed by the positive covariance that
    CRN induces (``Var(X - Y) = Var X + Var Y - 2 Cov(X, Y)``). A value of 0.9 means
    independent runs would need about ten times as many replications for the same
    precision. Without CRN the Welch interval (Law 2015, §10.2.2) is the result and the
    paired columns are NaN.

    Parameters
    ----------
    runs : DataFrame
        Needs ``policy``, ``replication``, ``seed`` and the ``kpi`` column.
    kpi : str
    baseline : str, optional
        Policy label to compare against (default: the first policy in ``runs``).
    confidence : float, default 0.95

    Returns
    -------
    DataFrame
        One row per other policy: ``policy, baseline, kpi, method, n, mean_policy,
        mean_baseline, difference, ci_low, ci_high, half_width, half_width_independent,
        variance_reduction, confidence``.
    """
    require_columns(runs, "runs", ["policy", "replication", "seed"])
    _check_kpi(runs, kpi)
    conf = _check_confidence(confidence)
    policies = list(dict.fromkeys(runs["policy"]))
    if baseline is None:
        baseline = policies[0]
    if baseline not in policies:
        raise ValueError(
            f"baseline must be one of the policies in runs; got {baseline!r} "
            f"(policies: {', '.join(map(str, policies))})"
        )
    base = runs.loc[runs["policy"] == baseline].set_index("replication")
    rows = []
    for pol in policies:
        if pol == baseline:
            continue
        other = runs.loc[runs["policy"] == pol].set_index("replication")
        common = base.index.intersection(other.index)
        crn = len(common) > 0 and bool((base.loc[common, "seed"] == other.loc[common, "seed"]).all())
        x_all = other[kpi].to_numpy(float)
        y_all = base[kpi].to_numpy(float)
        row = dict(policy=pol, baseline=baseline, kpi=kpi, confidence=conf)
        if crn:
            pair = pd.DataFrame({"x": other.loc[common, kpi], "y": base.loc[common, kpi]}).dropna()
            x, y = pair["x"].to_numpy(float), pair["y"].to_numpy(float)
            ti = t_interval(x - y, conf)
            denom = x.var(ddof=1) + y.var(ddof=1) if x.size >= 2 else math.nan
            vr = 1 - ti["sd"] ** 2 / denom if denom and denom > 0 else math.nan
            hw_ind = _welch(x, y, conf)[0] if x.size >= 2 else math.nan
            row.update(
                method="paired-t (CRN)",
                n=ti["n"],
                mean_policy=float(x.mean()) if x.size else math.nan,
                mean_baseline=float(y.mean()) if y.size else math.nan,
                difference=ti["mean"],
                ci_low=ti["ci_low"],
                ci_high=ti["ci_high"],
                half_width=ti["half_width"],
                half_width_independent=hw_ind,
                variance_reduction=vr,
            )
        else:
            x, y = x_all[~np.isnan(x_all)], y_all[~np.isnan(y_all)]
            ok = x.size >= 2 and y.size >= 2
            d = float(x.mean() - y.mean()) if x.size and y.size else math.nan
            hw = _welch(x, y, conf)[0] if ok else math.nan
            row.update(
                method="Welch t (independent)",
                n=int(min(x.size, y.size)),
                mean_policy=float(x.mean()) if x.size else math.nan,
                mean_baseline=float(y.mean()) if y.size else math.nan,
                difference=d,
                ci_low=d - hw,
                ci_high=d + hw,
                half_width=hw,
                half_width_independent=hw,
                variance_reduction=math.nan,
            )
        rows.append(row)
    cols = [
        "policy",
        "baseline",
        "kpi",
        "method",
        "n",
        "mean_policy",
        "mean_baseline",
        "difference",
        "ci_low",
        "ci_high",
        "half_width",
        "half_width_independent",
        "variance_reduction",
        "confidence",
    ]
    return pd.DataFrame(rows, columns=cols)


def sensitivity(runs: pd.DataFrame, kpi: str, factors: Sequence[str], *, reference: dict | None = None) -> pd.DataFrame:
    """How far a KPI's mean swings when each swept field goes from its lowest to highest value.

    For each factor ``f`` the mean KPI is taken at the lowest and at the highest value of
    ``f``. In a full-factorial sweep these are main effects (means over all runs at that
    level, averaging over the other factors). With ``reference`` (one-at-a-time designs)
    only runs where every *other* factor is at its reference value are used, so each bar
    shows the effect of one field alone. ``swing = |mean_high - mean_low|``; rows are
    sorted by swing, largest first — the order of a tornado chart.

    Parameters
    ----------
    runs : DataFrame
        Needs the factor columns and ``kpi``.
    kpi : str
    factors : list of str
        Swept fields (column names such as ``"pricing.discount_pct"``).
    reference : dict, optional
        ``{factor: reference value}`` for one-at-a-time designs.

    Returns
    -------
    DataFrame
        ``factor, low_value, high_value, mean_low, mean_high, n_low, n_high, reference_mean,
        swing`` (``reference_mean``: mean KPI over the runs used for that factor).
    """
    factors = [factors] if isinstance(factors, str) else list(factors)
    require_columns(runs, "runs", factors)
    _check_kpi(runs, kpi)
    rows = []
    for f in factors:
        sub = runs
        if reference is not None:
            for g in factors:
                if g != f:
                    sub = sub.loc[sub[g] == reference[g]]
        levels = sorted(sub[f].dropna().unique())
        if len(levels) < 2:
            continue
        lo, hi = levels[0], levels[-1]
        a, b = sub.loc[sub[f] == lo, kpi], sub.loc[sub[f] == hi, kpi]
        rows.append(
            dict(
                factor=f,
                low_value=lo,
                high_value=hi,
                mean_low=float(a.mean()),
                mean_high=float(b.mean()),
                n_low=int(a.notna().sum()),
                n_high=int(b.notna().sum()),
                reference_mean=float(sub[kpi].mean()),
                swing=abs(float(b.mean() - a.mean())),
            )
        )
    cols = ["factor", "low_value", "high_value", "mean_low", "mean_high", "n_low", "n_high", "reference_mean", "swing"]
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
