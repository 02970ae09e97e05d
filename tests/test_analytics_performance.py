"""RFM + model-based CLV run end to end on a 20,000-customer base (its time is measured by
``benchmarks/bench_analytics.py``, not here: shared machines make timings noisy)."""

import numpy as np
import pytest
from analytics_data import synthetic_bgnbd_orders

from simulation.analytics import (
    clv_bgnbd_gg,
    fit_bgnbd,
    fit_gamma_gamma,
    rfm_scores,
    rfm_segments,
    rfm_summary,
    rfm_table,
)


@pytest.mark.slow
def test_rfm_and_clv_for_20000_customers():
    """About 65,000 orders of 20,000 customers (synthetic BG/NBD, seed 0): the RFM table,
    scores and segments, the BG/NBD summary, both fits and the per-customer CLV cover every
    customer with a finite, non-negative value."""
    orders = synthetic_bgnbd_orders(20000, r=2.0, alpha_years=1.0, a=0.8, b=4.0, seed=0)
    segments = rfm_segments(rfm_scores(rfm_table(orders, as_of_day=730)))
    summary = rfm_summary(orders, as_of_day=730, time_unit_days=7)
    clv = clv_bgnbd_gg(summary, fit_bgnbd(summary), fit_gamma_gamma(summary), margin=0.3, time_unit_days=7)
    assert len(segments) == len(clv) == 20000
    values = clv["clv_cny"].to_numpy(float)
    assert np.isfinite(values).all() and (values >= 0).all()
