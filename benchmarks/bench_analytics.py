"""RFM + CLV on the 20,000-customer data set, against the archived `lifetimes` library.

Times, on the `large` canonical data set (about 20,000 customers, 3 years):
- RFM table and scores, the BG/NBD summary, the BG/NBD fit, the Gamma-Gamma fit and the
  per-customer CLV (target: all together under 5 s on a 2-core machine);
- the same BG/NBD + Gamma-Gamma fits and CLV with `lifetimes` (benchmark-only dependency:
  ``pip install -e ".[bench]"``) on the same summary, in the same run, and the ratio.
Also prints both sets of parameter estimates so that the comparison is like for like.

Usage: ``python benchmarks/bench_analytics.py``
"""

from __future__ import annotations

import time
import warnings


def main() -> None:
    from simulation.analytics import clv_bgnbd_gg, fit_bgnbd, fit_gamma_gamma, rfm_scores, rfm_summary, rfm_table
    from simulation.data import load_dataset

    t0 = time.perf_counter()
    orders = load_dataset("large", "orders")
    load_s = time.perf_counter() - t0
    as_of = float(orders["time_days"].max())
    n_customers = orders["customer_id"].nunique()

    t0 = time.perf_counter()
    rfm_scores(rfm_table(orders, as_of_day=as_of))
    t_rfm = time.perf_counter() - t0
    t0 = time.perf_counter()
    summary = rfm_summary(orders, as_of_day=as_of, time_unit_days=7.0)
    bg = fit_bgnbd(summary)
    gg = fit_gamma_gamma(summary)
    clv = clv_bgnbd_gg(summary, bg, gg, margin=0.3, horizon_years=3.0, annual_discount_rate=0.10, time_unit_days=7.0)
    t_clv = time.perf_counter() - t0
    ours = t_rfm + t_clv

    print("CRM Workbench — analytics benchmark (large data set)")
    print(f"data: {n_customers:,} customers, {len(orders):,} orders (loaded and validated in {load_s:.2f} s)")
    print(f"RFM table + scores: {t_rfm:.3f} s")
    print(f"BG/NBD + Gamma-Gamma fits + CLV for {len(clv):,} customers: {t_clv:.3f} s")
    print(f"RFM + CLV total: {ours:.3f} s (target < 5 s)")
    t0 = time.perf_counter()
    load_dataset("large", "orders", cell_by_cell=True)
    slow_s = time.perf_counter() - t0
    print(
        f"loading ÷ the analytics run on it: {load_s / ours:.2f} (aim <= 0.25); cell-by-cell check alone: "
        f"{slow_s:.2f} s, {slow_s / load_s:.1f} x the fast reader"
    )
    print(
        "  ours     BG/NBD r, alpha, a, b = "
        + ", ".join(f"{v:.4f}" for v in bg.params.values())
        + "; Gamma-Gamma p, q, gamma = "
        + ", ".join(f"{v:.4f}" for v in gg.params.values())
    )

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from lifetimes import BetaGeoFitter, GammaGammaFitter
    except ImportError:
        print("lifetimes is not installed: pip install -e '.[bench]' for the comparison")
        return
    rep = summary.loc[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        lbg = BetaGeoFitter().fit(summary["frequency"], summary["recency"], summary["T"])
        lgg = GammaGammaFitter().fit(rep["frequency"], rep["monetary_value"])
        lclv = lgg.customer_lifetime_value(
            lbg,
            summary["frequency"],
            summary["recency"],
            summary["T"],
            summary["monetary_value"],
            time=36,
            discount_rate=0.10 / 12,
            freq="W",
        )
        t_lt = time.perf_counter() - t0
    lp = lbg.params_
    gp = lgg.params_
    print(f"lifetimes fits + CLV on the same summary: {t_lt:.3f} s")
    print(
        "  lifetimes BG/NBD r, alpha, a, b = "
        + ", ".join(f"{lp[k]:.4f}" for k in ("r", "alpha", "a", "b"))
        + "; Gamma-Gamma p, q, gamma = "
        + ", ".join(f"{gp[k]:.4f}" for k in ("p", "q", "v"))
    )
    print(
        f"ratio workbench / lifetimes (fits + CLV): {t_clv / t_lt:.2f} "
        f"(below 1 = faster); mean CLV ours {clv['clv_cny'].mean() / 0.3:,.0f} CNY revenue-equivalent, "
        f"lifetimes {lclv.mean():,.0f}"
    )


if __name__ == "__main__":
    main()
