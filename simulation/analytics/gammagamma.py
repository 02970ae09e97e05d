"""Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005, "RFM and CLV").

Assumptions (FHL 2005, "RFM and CLV: Using iso-value curves for customer base analysis",
*Journal of Marketing Research* 42(4), 415-430, building on Schmittlein & Peterson 1994):

1. A customer's transaction values z_1, ..., z_x vary around the customer's mean:
   z_i ~ Gamma(shape p, rate nu), so the customer's mean spend is p / nu.
2. nu varies across customers as Gamma(shape q, rate gamma).
3. Spend is independent of the purchase process (check: correlation of frequency and
   mean spend should be near zero).

Only customers with at least one repeat transaction (x >= 1) and positive mean spend carry
information; the mean spend z-bar is the mean of the *repeat* transactions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.special import gammaln

from ..common.checks import check_number, require_columns, require_rows
from ._mle import fit_positive_mle

_NAMES = ["p", "q", "gamma"]


def gamma_gamma_loglik(params, frequency, monetary_value) -> float:
    """Total log-likelihood of the mean spends z-bar given x transactions each.

    Per customer, the density of z-bar (FHL 2005 "RFM and CLV", eq. 3 with the Jacobian of
    the mean) is ``G(px+q) / (G(px) G(q)) * gamma^q * zbar^(px-1) * x^(px) / (gamma + x zbar)^(px+q)``.
    """
    p, q, g = (float(v) for v in params)
    x = np.asarray(frequency, dtype=float)
    z = np.asarray(monetary_value, dtype=float)
    px = p * x
    ll = (
        gammaln(px + q)
        - gammaln(px)
        - gammaln(q)
        + q * np.log(g)
        + (px - 1.0) * np.log(z)
        + px * np.log(x)
        - (px + q) * np.log(g + x * z)
    )
    return float(ll.sum())


@dataclass(frozen=True)
class GammaGammaFit:
    """A fitted Gamma-Gamma spend model.

    The population mean spend per transaction is ``p * gamma / (q - 1)`` (needs q > 1).
    """

    p: float
    q: float
    gamma: float
    se: dict = field(default_factory=dict)
    loglik: float = float("nan")
    n_customers: int = 0
    converged: bool = True

    @property
    def params(self) -> dict[str, float]:
        """Parameter estimates as a dict ``{"p", "q", "gamma"}``."""
        return {"p": self.p, "q": self.q, "gamma": self.gamma}

    def params_table(self) -> pd.DataFrame:
        """Estimates with standard errors and 95% Wald intervals."""
        est = pd.Series(self.params)
        se = pd.Series({k: self.se.get(k, np.nan) for k in _NAMES})
        return pd.DataFrame({"estimate": est, "se": se, "lower_95": est - 1.96 * se, "upper_95": est + 1.96 * se})

    @property
    def population_mean_spend(self) -> float:
        """E[Z] = p gamma / (q - 1) for a customer we know nothing about (inf if q <= 1)."""
        return self.p * self.gamma / (self.q - 1.0) if self.q > 1 else float("inf")

    def conditional_expected_spend(self, frequency, monetary_value) -> np.ndarray:
        """E[Z | x, zbar]: a weighted average of the population mean and the customer's own mean.

        ``E[Z | x, zbar] = (q-1)/(px+q-1) * p gamma/(q-1) + px/(px+q-1) * zbar
        = p (gamma + x zbar) / (px + q - 1)`` (FHL 2005 "RFM and CLV", eq. 5).
        Customers with x = 0 get the population mean.
        """
        x = np.asarray(frequency, dtype=float)
        z = np.asarray(monetary_value, dtype=float)
        z = np.where(x > 0, z, 0.0)
        return self.p * (self.gamma + x * z) / (self.p * x + self.q - 1.0)


def fit_gamma_gamma(
    summary: pd.DataFrame,
    *,
    frequency_col: str = "frequency",
    monetary_col: str = "monetary_value",
    initial: dict[str, float] | None = None,
) -> GammaGammaFit:
    """Fit the Gamma-Gamma spend model by maximum likelihood.

    Parameters
    ----------
    summary : DataFrame
        Per-customer ``frequency`` (repeat transactions) and ``monetary_value`` (their mean
        value), e.g. from :func:`simulation.analytics.rfm_summary`. Rows with frequency 0 or
        non-positive monetary value are left out of the fit (they carry no spend information).

    Returns
    -------
    GammaGammaFit
        Estimates, standard errors (inverse numerical Hessian), log-likelihood.

    Notes
    -----
    On the CDNOW sample (946 repeat buyers) this reproduces p=6.25, q=3.74, gamma=15.44
    (Fader, Hardie & Lee 2005, "RFM and CLV").
    """
    require_columns(summary, "summary", [frequency_col, monetary_col])
    require_rows(summary, "summary")
    x = summary[frequency_col].to_numpy(dtype=float)
    z = summary[monetary_col].to_numpy(dtype=float)
    keep = (x > 0) & np.isfinite(z) & (z > 0)
    if keep.sum() < 3:
        raise ValueError(
            f"summary needs at least 3 customers with {frequency_col} > 0 and {monetary_col} > 0 "
            f"to fit the Gamma-Gamma model; got {int(keep.sum())}"
        )
    x, z = x[keep], z[keep]
    start = {"p": 1.0, "q": 2.0, "gamma": float(np.mean(z))}
    if initial is not None:
        for k, v in initial.items():
            if k not in start:
                raise ValueError(f"initial has unknown parameter {k!r}; use p, q, gamma")
            start[k] = check_number(v, f"initial[{k!r}]", lo=0.0, lo_open=True)
    res = fit_positive_mle(
        lambda th: -gamma_gamma_loglik(th, x, z), np.array([start[k] for k in _NAMES]), _NAMES, scale=float(x.size)
    )
    return GammaGammaFit(
        **res.params, se=res.se, loglik=res.loglik, n_customers=int(keep.sum()), converged=res.converged
    )
