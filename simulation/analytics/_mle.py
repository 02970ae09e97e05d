"""Maximum-likelihood helper shared by the BG/NBD, Gamma-Gamma and sBG fitters.

All three models have strictly positive parameters, so the optimiser works on their
logarithms (unconstrained), and standard errors come from a central-difference Hessian of
the negative log-likelihood at the optimum, mapped back with the delta method:
``se(theta) = theta * se(log theta)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import optimize


@dataclass(frozen=True)
class MLEResult:
    """Outcome of one maximum-likelihood fit (natural-scale parameters)."""

    params: dict[str, float]
    se: dict[str, float]
    cov: np.ndarray
    loglik: float
    converged: bool
    message: str


def numerical_hessian(f: Callable[[np.ndarray], float], x: np.ndarray, step: float = 1e-4) -> np.ndarray:
    """Central-difference Hessian of scalar `f` at `x` (step `step` in every coordinate)."""
    x = np.asarray(x, dtype=float)
    k = x.size
    h = np.full(k, step)
    hess = np.empty((k, k))
    f0 = f(x)
    for i in range(k):
        ei = np.zeros(k)
        ei[i] = h[i]
        hess[i, i] = (f(x + ei) - 2.0 * f0 + f(x - ei)) / h[i] ** 2
        for j in range(i + 1, k):
            ej = np.zeros(k)
            ej[j] = h[j]
            val = (f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)) / (4 * h[i] * h[j])
            hess[i, j] = hess[j, i] = val
    return hess


def fit_positive_mle(
    negloglik: Callable[[np.ndarray], float],
    x0: np.ndarray,
    names: list[str],
    *,
    scale: float = 1.0,
) -> MLEResult:
    """Minimise `negloglik` (a function of the natural, positive parameters) over log-parameters.

    The optimiser sees ``negloglik / scale`` (pass the number of customers), so that its
    gradient tolerance means the same for 100 or 100,000 customers. BFGS does the work;
    if it stops with a gradient that is not yet tiny (|g| >= 1e-5 per customer), a
    Nelder-Mead run polishes the result. Non-finite objective values are treated as a very bad fit, so that the
    optimiser steps back instead of failing. The Hessian for the standard errors is taken
    of the unscaled negative log-likelihood.
    """

    def total(z: np.ndarray) -> float:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            val = negloglik(np.exp(z))
        return float(val) if np.isfinite(val) else 1e300

    def objective(z: np.ndarray) -> float:
        return total(z) / scale

    z0 = np.log(np.asarray(x0, dtype=float))
    best = optimize.minimize(objective, z0, method="BFGS", options={"gtol": 1e-7, "maxiter": 2000})
    # "precision loss" with a gradient this small means the optimum is found to rounding noise
    flat = best.jac is not None and np.all(np.isfinite(best.jac)) and np.max(np.abs(best.jac)) < 1e-5
    ok = bool(best.success or flat)
    if not ok:
        polish = optimize.minimize(
            objective,
            best.x,
            method="Nelder-Mead",
            options={"xatol": 1e-9, "fatol": 1e-12, "maxiter": 20000, "maxfev": 20000},
        )
        if polish.fun <= best.fun:
            best = polish
            ok = bool(polish.success)
    z = best.x
    theta = np.exp(z)
    hess = numerical_hessian(total, z)
    try:
        cov_log = np.linalg.inv(hess)
        cov = cov_log * np.outer(theta, theta)
        diag = np.diag(cov)
        se = np.where(diag > 0, np.sqrt(np.abs(diag)), np.nan)
    except np.linalg.LinAlgError:
        cov = np.full((theta.size, theta.size), np.nan)
        se = np.full(theta.size, np.nan)
    loglik = -total(z)
    converged = bool(ok and np.isfinite(loglik) and loglik > -1e300)
    return MLEResult(
        params={n: float(v) for n, v in zip(names, theta)},
        se={n: float(s) for n, s in zip(names, se)},
        cov=cov,
        loglik=loglik,
        converged=converged,
        message=str(best.message),
    )
