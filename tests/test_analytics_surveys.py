"""Simulated satisfaction surveys, CSAT / top-box / NPS, and satisfaction -> retention."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from simulation.analytics import csat, nps, satisfaction_retention, simulate_survey, survey_summary, top_box_share


def test_noise_free_survey_hand_values(customers):
    s = simulate_survey(customers, n=4, response_rate=1.0, seed=0, noise_sd=0.0)
    # satisfaction 80, 40, 90, 50 -> round(1 + 4 s / 100) = 4, 3, 5, 3; recommend = round of the line
    # through (0, 0), (50, 6.5), (80, 8.5), (100, 10): 8.5, 5.2, 9.25, 6.5 -> 8, 5, 9, 6 (halves to even)
    assert s["overall"].tolist() == [4, 3, 5, 3] and s["recommend_0_10"].tolist() == [8, 5, 9, 6]
    assert s["overall"].dtype == "Int64" and s["responded"].all()
    assert csat(s) == 0.5 and top_box_share(s) == 0.25
    assert nps(s) == pytest.approx(100 * (1 / 4 - 2 / 4))  # one promoter (9), two detractors (5, 6)
    assert s["segment"].tolist() == ["household", "small_business", "household", "household"]


def test_item_offsets_and_summary(customers):
    s = simulate_survey(customers, n=4, response_rate=1.0, seed=0, noise_sd=0.0, items={"overall": 0, "delivery": -1})
    assert s["delivery"].tolist() == [3, 2, 4, 2]
    summ = survey_summary(s, items=["overall", "delivery"]).set_index("item")
    assert summ.loc["overall", "mean"] == 3.75 and summ.loc["delivery", "csat"] == 0.25
    assert summ.loc["all", "nps"] == pytest.approx(-25) and summ.loc["all", "response_rate"] == 1.0


def test_same_seed_same_survey_and_no_global_state(customers):
    big = pd.concat([customers] * 50, ignore_index=True).assign(customer_id=np.arange(200))
    a = simulate_survey(big, n=100, response_rate=0.5, seed=42)
    np.random.seed(1)  # global state must not matter
    b = simulate_survey(big, n=100, response_rate=0.5, seed=42)
    pd.testing.assert_frame_equal(a, b)
    c = simulate_survey(big, n=100, response_rate=0.5, seed=43)
    assert not a["customer_id"].equals(c["customer_id"]) or not a["responded"].equals(c["responded"])
    g = simulate_survey(big, n=100, response_rate=0.5, seed=np.random.default_rng(42))
    pd.testing.assert_frame_equal(a, g)


@pytest.fixture(scope="module")
def population():
    rng = np.random.default_rng(123)
    return pd.DataFrame({"customer_id": np.arange(5000), "satisfaction_final": rng.uniform(0, 100, 5000)})


def test_response_count_is_binomial(population):
    """With no response bias each of the n = 2,000 sampled customers answers with
    probability 0.3: the count is Binomial(2000, 0.3), mean 600, sd 20.5; allow 4 sd."""
    s = simulate_survey(population, n=2000, response_rate=0.3, seed=1)
    assert abs(s["responded"].sum() - 600) <= 4 * np.sqrt(2000 * 0.3 * 0.7)


def test_csat_estimates_population_csat(population):
    """An answer is >= 4 exactly when 1 + 4 s/100 + e >= 3.5 with e ~ N(0, 0.8), so each
    customer's chance is Phi((1 + 4 s/100 - 3.5) / 0.8) and the population CSAT is its mean.
    The survey CSAT over m respondents has standard error at most sqrt(p (1-p) / m); allow 4."""
    mu = 1 + 4 * population["satisfaction_final"] / 100
    truth = stats.norm.cdf((mu - 3.5) / 0.8).mean()
    s = simulate_survey(population, n=3000, response_rate=0.6, seed=2, noise_sd=0.8)
    m = int(s["responded"].sum())
    assert abs(csat(s) - truth) <= 4 * np.sqrt(truth * (1 - truth) / m)


def test_nonresponse_bias_makes_the_survey_look_better(population):
    s = simulate_survey(population, n=3000, response_rate=0.3, seed=3, nonresponse_bias=2.0)
    sat = population.set_index("customer_id").loc[s["customer_id"], "satisfaction_final"].to_numpy()
    resp = s["responded"].to_numpy()
    assert sat[resp].mean() > sat[~resp].mean() + 10


def test_satisfaction_retention_hand_values(customers):
    t = satisfaction_retention(customers).set_index("satisfaction_band")
    assert t.index.tolist() == ["0-20", "20-40", "40-60", "60-80", "80-100"]
    assert t["customers"].tolist() == [0, 1, 1, 1, 1]
    assert t["retained_share"].iloc[1:].tolist() == [0.0, 1.0, 1.0, 1.0]
    assert t["mean_revenue_cny"].iloc[1] == 3300
    with pytest.raises(ValueError, match="bins must be at least 2 strictly increasing edges"):
        satisfaction_retention(customers, bins=[0, 50, 50])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(n=5, response_rate=0.5, seed=0), "n must be a whole number <= 4; got 5"),
        (dict(n=2, response_rate=0.0, seed=0), "response_rate must be > 0; got 0.0"),
        (dict(n=2, response_rate=0.5, seed=-1), "seed must be a whole number >= 0; got -1"),
        (dict(n=2, response_rate=0.5, seed=0, scale=2), "scale must be a whole number >= 3; got 2"),
        (dict(n=2, response_rate=0.5, seed=0, items=[]), "items must name at least one survey item"),
        (dict(n=2, response_rate=0.5, seed=0, noise_sd=-1), "noise_sd must be >= 0; got -1"),
    ],
)
def test_simulate_survey_bad_arguments(customers, kwargs, message):
    with pytest.raises(ValueError, match=message):
        simulate_survey(customers, **kwargs)


def test_measures_need_answers(customers):
    s = simulate_survey(customers, n=2, response_rate=1.0, seed=0)
    with pytest.raises(ValueError, match="survey is missing column 'quality'"):
        csat(s, item="quality")
    empty = s.assign(overall=pd.array([pd.NA, pd.NA], dtype="Int64"))
    with pytest.raises(ValueError, match="survey column 'overall' has no answers"):
        csat(empty)
    with pytest.raises(ValueError, match="boxes must be a whole number <= 4; got 5"):
        top_box_share(s, boxes=5)
