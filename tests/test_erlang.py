"""The Erlang formulas the course uses for staffing: published values, identities, bad input."""

import math

import pytest

from simulation import agents_needed, erlang_b, erlang_c, erlang_c_wait, service_level, staffing_table
from simulation.complaints.erlang import offered_load


def _erlang_c_direct(a: float, c: int) -> float:
    """Erlang C from its textbook sum (Kleinrock 1975, eq. 3.40), for small c."""
    top = a**c / math.factorial(c) * c / (c - a)
    return top / (sum(a**k / math.factorial(k) for k in range(c)) + top)


def test_published_values():
    """a = 4 Erlangs on 5 agents: B = 0.1991, C = 0.5541, Wq = C h / (c - a) = 0.5541 h."""
    assert erlang_b(4.0, 60.0, 5) == pytest.approx(0.19907, abs=1e-5)
    assert erlang_c(4.0, 60.0, 5) == pytest.approx(0.55411, abs=1e-5)
    assert erlang_c_wait(4.0, 60.0, 5) == pytest.approx(0.55411 * 60.0, abs=1e-3)
    # a call centre example: 100 calls/h, 3 min each (a = 5), 7 agents
    assert erlang_c(100.0, 3.0, 7) == pytest.approx(_erlang_c_direct(5.0, 7), rel=1e-12)


@pytest.mark.parametrize("a,c", [(0.5, 1), (2.7, 3), (4.0, 5), (9.3, 12), (19.0, 25)])
def test_recursion_equals_the_textbook_sums(a, c):
    b_direct = (a**c / math.factorial(c)) / sum(a**k / math.factorial(k) for k in range(c + 1))
    assert erlang_b(a * 60.0, 1.0, c) == pytest.approx(b_direct, rel=1e-12)
    assert erlang_c(a * 60.0, 1.0, c) == pytest.approx(_erlang_c_direct(a, c), rel=1e-12)


def test_identities_and_monotonicity():
    lam, h = 30.0, 6.0  # a = 3 Erlangs
    assert offered_load(lam, h) == pytest.approx(3.0)
    prev_c, prev_w, prev_sl = 1.0, math.inf, 0.0
    for c in range(4, 12):
        pc, w, sl = erlang_c(lam, h, c), erlang_c_wait(lam, h, c), service_level(lam, h, c, 20.0)
        assert service_level(lam, h, c, 0.0) == pytest.approx(1.0 - pc)  # SL(0) = 1 - C
        assert w == pytest.approx(pc * h / (c - 3.0))  # Wq = C h / (c - a)
        assert pc < prev_c and w < prev_w and sl > prev_sl  # more agents help
        prev_c, prev_w, prev_sl = pc, w, sl
    # a large centre stays finite and sensible (the recursion never overflows)
    assert 0 < erlang_c(9500.0, 6.0, 1000) < 1


def test_overloaded_desk_waits_forever():
    assert erlang_c(5.0, 60.0, 5) == 1.0
    assert erlang_c_wait(6.0, 60.0, 5) == math.inf
    assert service_level(6.0, 60.0, 5) == 0.0


def test_agents_needed_is_the_smallest_staffing_that_meets_the_target():
    for lam, h, target in [(4.0, 60.0, 0.8), (120.0, 4.0, 0.8), (120.0, 4.0, 0.95), (10.0, 10.0, 0.5)]:
        c = agents_needed(lam, h, target, 20.0)
        assert service_level(lam, h, c, 20.0) >= target
        assert c == 1 or service_level(lam, h, c - 1, 20.0) < target


def test_staffing_table_agrees_with_the_functions():
    t = staffing_table(4.0, 60.0)
    assert t["agents"].tolist() == list(range(5, agents_needed(4.0, 60.0) + 5))
    row = t.loc[t["agents"] == 6].iloc[0]
    assert row["prob_wait"] == pytest.approx(erlang_c(4.0, 60.0, 6))
    assert row["mean_wait_s"] == pytest.approx(erlang_c_wait(4.0, 60.0, 6) * 60.0)
    assert row["mean_queue"] == pytest.approx(4.0 * erlang_c_wait(4.0, 60.0, 6) / 60.0)  # Little: Lq = lambda Wq
    assert row["utilisation"] == pytest.approx(4.0 / 6.0)


@pytest.mark.parametrize(
    "call,message",
    [
        (lambda: erlang_c(-1.0, 5.0, 3), "arrival_rate_per_hour must be >= 0; got -1"),
        (lambda: erlang_c(10.0, -5.0, 3), "mean_handling_min must be >= 0; got -5"),
        (lambda: erlang_c(10.0, 5.0, 0), "agents must be a whole number >= 1; got 0"),
        (lambda: erlang_c_wait(10.0, 5.0, 2.5), "agents must be a whole number >= 1; got 2.5"),
        (lambda: erlang_b(float("nan"), 5.0, 2), "arrival_rate_per_hour must be a finite number"),
        (lambda: service_level(10.0, 5.0, 2, -3), "target_answer_s must be >= 0; got -3"),
        (
            lambda: agents_needed(10.0, 5.0, 1.2),
            "target_service_level must be a share strictly between 0 and 1; got 1.2",
        ),
    ],
)
def test_bad_input_names_the_argument(call, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call()
