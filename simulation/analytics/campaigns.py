"""Measuring a CRM campaign against a random hold-out group (course module 5: evaluating activities)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri, stdtr, stdtrit  # normal and Student t, without scipy.stats

from ..common.checks import check_choice, check_number, require_columns


def campaign_lift(
    treated: pd.DataFrame,
    holdout: pd.DataFrame,
    *,
    outcome_col: str = "responded",
    test: str = "auto",
    value_col: str | None = None,
    value_per_response_cny: float | None = None,
    margin: float = 1.0,
    cost_per_contact_cny: float = 0.0,
    fixed_cost_cny: float = 0.0,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Lift, confidence interval and ROI of a campaign measured against a random hold-out group.

    Lift is ``mean(outcome | treated) - mean(outcome | hold-out)``; because the hold-out was
    drawn at random from the same customers and not contacted, the difference estimates the
    campaign's causal effect per contacted customer.

    - ``test="proportion"`` (0/1 outcome such as "bought"): two-proportion z test. The CI
      uses the unpooled standard error ``sqrt(p1(1-p1)/n1 + p0(1-p0)/n0)``; the p-value the
      pooled one (Newcombe 1998 discusses both).
    - ``test="welch"`` (numeric outcome such as revenue per customer): Welch's t test with
      ``se = sqrt(s1^2/n1 + s0^2/n0)`` and Welch-Satterthwaite degrees of freedom
      (Welch 1947, *Biometrika* 34).
    - ``"auto"`` picks "proportion" for bool/0-1 outcomes and "welch" otherwise.

    ROI is ``(incremental margin - cost) / cost`` with
    ``incremental margin = n1 * margin * (mean value | treated - mean value | hold-out)`` and
    ``cost = n1 * cost_per_contact + fixed cost``. The value per customer is `value_col` if
    given; else the outcome itself for a Welch test; else the outcome times
    `value_per_response_cny` (then ROI also gets a confidence interval from the lift's).

    Returns
    -------
    One-row DataFrame: ``test``, ``n_treated``, ``n_holdout``, ``mean_treated``,
    ``mean_holdout``, ``lift``, ``lift_relative``, ``ci_low``, ``ci_high``, ``p_value``,
    ``incremental_margin_cny``, ``cost_cny``, ``roi``, ``roi_low``, ``roi_high``.
    """
    for name, df in (("treated", treated), ("holdout", holdout)):
        require_columns(df, name, [outcome_col] + ([value_col] if value_col else []))
        if len(df) < 2:
            raise ValueError(f"{name} needs at least 2 customers; got {len(df)}")
    check_choice(test, "test", ["auto", "proportion", "welch"])
    m = check_number(margin, "margin", lo=0.0, hi=1.0)
    cpc = check_number(cost_per_contact_cny, "cost_per_contact_cny", lo=0.0)
    fixed = check_number(fixed_cost_cny, "fixed_cost_cny", lo=0.0)
    conf = check_number(confidence, "confidence", lo=0.0, hi=1.0, lo_open=True, hi_open=True)
    y1 = treated[outcome_col].to_numpy(dtype=float)
    y0 = holdout[outcome_col].to_numpy(dtype=float)
    if np.isnan(y1).any() or np.isnan(y0).any():
        raise ValueError(f"column '{outcome_col}' has missing values; drop or fill them first")
    binary = bool(np.isin(y1, (0.0, 1.0)).all() and np.isin(y0, (0.0, 1.0)).all())
    if test == "auto":
        test = "proportion" if binary else "welch"
    if test == "proportion" and not binary:
        raise ValueError(f"test='proportion' needs a 0/1 outcome; column '{outcome_col}' has other values")
    n1, n0 = len(y1), len(y0)
    p1, p0 = y1.mean(), y0.mean()
    lift = p1 - p0
    if test == "proportion":
        se = np.sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0)
        pooled = (y1.sum() + y0.sum()) / (n1 + n0)
        se0 = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0))
        crit = ndtri(0.5 + conf / 2)
        p_value = 2 * ndtr(-abs(lift) / se0) if se0 > 0 else (1.0 if lift == 0 else 0.0)
    else:
        v1, v0 = y1.var(ddof=1) / n1, y0.var(ddof=1) / n0
        se = np.sqrt(v1 + v0)
        df = (v1 + v0) ** 2 / (v1**2 / (n1 - 1) + v0**2 / (n0 - 1)) if se > 0 else np.inf
        crit = stdtrit(df, 0.5 + conf / 2)
        p_value = 2 * stdtr(df, -abs(lift) / se) if se > 0 else (1.0 if lift == 0 else 0.0)
    lo, hi = lift - crit * se, lift + crit * se
    cost = n1 * cpc + fixed
    roi_lo = roi_hi = np.nan
    if value_col is not None:
        inc = n1 * m * (treated[value_col].astype(float).mean() - holdout[value_col].astype(float).mean())
    elif test == "welch" or value_per_response_cny is not None:
        scale = (
            1.0
            if test == "welch" and value_per_response_cny is None
            else check_number(value_per_response_cny, "value_per_response_cny", lo=0.0)
        )
        inc = n1 * m * scale * lift
        if cost > 0:
            roi_lo, roi_hi = (n1 * m * scale * lo - cost) / cost, (n1 * m * scale * hi - cost) / cost
    else:
        inc = np.nan
    roi = (inc - cost) / cost if cost > 0 else np.nan
    return pd.DataFrame(
        [
            {
                "test": test,
                "n_treated": n1,
                "n_holdout": n0,
                "mean_treated": p1,
                "mean_holdout": p0,
                "lift": lift,
                "lift_relative": lift / p0 if p0 != 0 else np.nan,
                "ci_low": lo,
                "ci_high": hi,
                "p_value": float(p_value),
                "incremental_margin_cny": inc,
                "cost_cny": cost,
                "roi": roi,
                "roi_low": roi_lo,
                "roi_high": roi_hi,
            }
        ]
    )
