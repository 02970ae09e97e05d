"""The complaint desk as a queue: Erlang C, Erlang A, Little's law, staffing, shifts, priorities.

Statistical tests use independent replications (seeds 1..R): the replication means are
i.i.d. and close to normal (each averages thousands of calls), so (average - theory) /
(s / sqrt(R)) follows Student's t with R - 1 degrees of freedom. A check passes within the
two-sided quantile t(1 - 0.0001 / 2, R - 1) standard errors (4.90 for R = 20), so a correct
model fails each check with probability 1e-4, and the file's 7 such checks together with
probability below 7e-4. Each replication discards the calls that arrive in its first
``WARMUP_H`` hours (the desk starts empty; it forgets its start within a few dozen hours).
"""

import math
import warnings

import numpy as np
import pytest
import simpy

from simulation import desk_kpis, erlang_c, erlang_c_wait, service_level, simulate_desk
from simulation.complaints.desk import MINUTE, Desk
from simulation.complaints.kpis import UnboundedQueueWarning

LAM, H, C = 4.0, 60.0, 5  # M/M/5: 4 calls/h, 60 min each, utilisation 0.8
WARMUP_H = 500.0


def _within(values, theory, alpha=1e-4):
    """Two-sided t test of the replication means against the theory at level alpha."""
    from scipy import stats

    x = np.asarray(values, dtype=float)
    se = x.std(ddof=1) / math.sqrt(len(x))
    k = float(stats.t.ppf(1.0 - alpha / 2.0, len(x) - 1))
    return abs(x.mean() - theory) <= k * se, x.mean(), se


@pytest.fixture(scope="module")
def mmc_replications():
    """20 replications of 3,000 hours (about 10,000 calls each after the warm-up) of the M/M/5 desk."""
    reps = []
    for seed in range(1, 21):
        df = simulate_desk(LAM, H, C, 3000.0, seed=seed)
        reps.append(df.loc[df["arrival_day"] * 24.0 >= WARMUP_H])
    return reps


def test_desk_matches_erlang_c(mmc_replications):
    """M/M/c desk, c = 5, lambda = 4/h, h = 60 min: Erlang C gives P(wait) = 0.5541,
    Wq = 33.25 min and SL(20 s) = 0.4490. 20 replications of 10,000 calls; each replication
    mean lies around the theory with the replications' own spread, and the average of the 20
    must be within t(0.99995, 19) = 4.90 standard errors (about ±5 min for Wq, ±0.02 to ±0.03
    for the shares)."""
    waits = [d["wait_min"].mean() for d in mmc_replications]
    pwait = [(d["wait_min"] > 0).mean() for d in mmc_replications]
    sl = [(d["wait_min"] * 60.0 <= 20.0).mean() for d in mmc_replications]
    for values, theory, what in [
        (waits, erlang_c_wait(LAM, H, C), "mean wait"),
        (pwait, erlang_c(LAM, H, C), "probability of waiting"),
        (sl, service_level(LAM, H, C, 20.0), "service level"),
    ]:
        ok, mean, se = _within(values, theory)
        assert ok, f"{what}: simulated {mean:.4f} ± {se:.4f}, Erlang C {theory:.4f}"
        assert se < 0.05 * theory, f"{what}: too few calls for a meaningful test (se {se:.4f})"
    # desk_kpis reads the same numbers off the table
    k = desk_kpis(mmc_replications[0], target_answer_s=20.0)
    d = mmc_replications[0]
    assert k["asa_s"] == pytest.approx(d["wait_min"].mean() * 60.0)
    assert k["prob_wait"] == pytest.approx((d["wait_min"] > 0).mean())
    assert k["abandonment_rate"] == 0 and k["first_contact_resolution"] == 1.0


def test_littles_law_on_the_queue(mmc_replications):
    """Little's law Lq = lambda Wq. Lq is measured independently of the waits: the number
    waiting that each arriving call finds (Poisson arrivals see time averages, PASTA).
    Per replication d = Lq_hat - lambda_hat Wq_hat; the mean of d is within t(0.99995, 19)
    = 4.90 standard errors of 0, and Lq_hat within as many of Erlang C's 2.2165."""
    diffs, lqs = [], []
    for d in mmc_replications:
        span_min = (d["arrival_day"].max() - d["arrival_day"].min()) * 1440.0
        lam_per_min = (len(d) - 1) / span_min
        lq = d["queue_on_arrival"].mean()
        lqs.append(lq)
        diffs.append(lq - lam_per_min * d["wait_min"].mean())
    ok, mean, se = _within(diffs, 0.0)
    assert ok, f"Lq - lambda Wq = {mean:.4f} ± {se:.4f}"
    ok, mean, se = _within(lqs, LAM * erlang_c_wait(LAM, H, C) / 60.0)
    assert ok, f"Lq = {mean:.4f} ± {se:.4f}"


def test_more_agents_never_increase_waiting():
    """Same seed, same calls and handling times (common random numbers): with first-come
    first-served, adding an agent can only shorten every caller's wait (Kiefer-Wolfowitz:
    the sorted workload vector with c + 1 servers is dominated componentwise by that with c)."""
    runs = {c: simulate_desk(LAM, H, c, 1500.0, seed=9) for c in (5, 6, 7, 9)}
    base = runs[5]
    means = []
    for c, df in runs.items():
        assert np.array_equal(df["arrival_day"], base["arrival_day"])
        means.append(df["wait_min"].mean())
    for (c1, a), (c2, b) in zip(list(runs.items()), list(runs.items())[1:]):
        assert (b["wait_min"].to_numpy() <= a["wait_min"].to_numpy() + 1e-9).all(), (c1, c2)
    assert all(m2 < m1 for m1, m2 in zip(means, means[1:]))


def test_abandonment_matches_erlang_a():
    """M/M/c+M (Erlang A): c = 4, lambda = 4/h, h = 60 min, exponential patience with mean
    20 min (theta = 3/h). The birth-death chain with death rate mu min(n, c) + theta (n - c)+
    gives P(abandon) = theta E[(N - c)+] / lambda and E[wait] = E[(N - c)+] / lambda
    (Little on the queue). 20 replications of 1,100 hours (the first 200 discarded, about
    3,600 calls kept in each); both within t(0.99995, 19) = 4.90 standard errors."""
    lam, mu, c, theta = 4.0, 1.0, 4, 3.0
    p = [1.0]
    for n in range(1, 400):
        p.append(p[-1] * lam / (mu * min(n, c) + theta * max(n - c, 0)))
    p = np.array(p) / sum(p)
    eq = float((np.maximum(np.arange(400) - c, 0) * p).sum())
    ab, wait = [], []
    for seed in range(1, 21):
        df = simulate_desk(lam, 60.0, c, 1100.0, seed=seed, patience_min=20.0)
        d = df.loc[df["arrival_day"] * 24.0 >= 200.0]
        ab.append(d["abandoned_day"].notna().mean())
        wait.append(d["wait_min"].mean())
        gave_up = d.loc[d["abandoned_day"].notna()]
        assert gave_up["agent_id"].eq(-1).all() and gave_up["resolved_day"].isna().all()
        assert (gave_up["outcome"] == "abandoned").all()
    for values, theory, what in [(ab, theta * eq / lam, "abandonment"), (wait, eq / lam * 60.0, "mean wait")]:
        ok, mean, se = _within(values, theory)
        assert ok, f"{what}: {mean:.4f} ± {se:.4f}, Erlang A {theory:.4f}"


def test_escalation_share_and_second_level():
    """Each answered call is escalated with probability 0.3: over n calls the share is within
    4 binomial standard errors sqrt(0.3 * 0.7 / n) of 0.3."""
    df = simulate_desk(
        6.0, 8.0, 2, 2000.0, seed=4, escalation_prob=0.3, second_level_agents=2, mean_second_level_min=20.0
    )
    n = len(df)
    assert abs(df["escalated"].mean() - 0.3) <= 4 * math.sqrt(0.21 / n)
    esc = df.loc[df["escalated"]]
    assert esc["second_level_agent_id"].between(0, 1).all()
    assert (esc["resolved_day"] >= esc["answered_day"] + esc["handling_min"] / 1440.0 - 1e-12).all()
    assert (~df["first_contact_resolution"] == df["escalated"]).all()
    assert df["resolved_day"].notna().all()  # the run drains the desk


def test_shifts_agents_work_only_while_open():
    """Desk open 08:00-18:00: calls arrive only in those hours, no call is answered outside
    them, and no agent takes a call before finishing the last one."""
    df = simulate_desk(10.0, 10.0, 2, 24.0 * 60, seed=2, opens_hour=8.0, closes_hour=18.0)
    hour = (df["answered_day"] % 1.0) * 24.0
    assert hour.between(8.0 - 1e-6, 18.0).all()
    assert ((df["arrival_day"] % 1.0) * 24.0).between(8.0 - 1e-6, 18.0).all()
    late = df.loc[(df["arrival_day"] % 1.0) * 24.0 > 17.5]
    assert len(late) > 0
    for _, g in df.groupby("agent_id"):
        g = g.sort_values("answered_day")
        ends = (g["answered_day"] + g["handling_min"] / 1440.0).to_numpy()
        assert (g["answered_day"].to_numpy()[1:] >= ends[:-1] - 1e-12).all()
    # calls that queue at closing time are answered the next morning
    overnight = df.loc[df["wait_min"] > 12 * 60]
    assert len(overnight) > 0 and ((overnight["answered_day"] % 1.0) * 24.0 < 12.0).all()


def test_priority_serves_smaller_numbers_first():
    """One agent busy with complaint 0; complaints 1, 2, 3 arrive with priorities 0, -2, -1:
    they are answered in the order 2, 3, 1 (first come first served within a priority)."""
    env = simpy.Environment()
    desk = Desk(env, 1)
    log = desk.log
    for k, (t, prio) in enumerate([(0.0, 0), (1.0, 0), (2.0, -2), (3.0, -1), (4.0, -2)]):
        log.new(t * MINUTE)
        log.handling[k] = 10 * MINUTE
        log.priority[k] = prio
        desk.receive(k, t * MINUTE)
    env.run()
    order = np.argsort(np.array(log.answered)[:5]).tolist()
    assert order == [0, 2, 4, 3, 1]
    assert list(log.queue)[:5] == [0, 0, 1, 2, 3]


def test_unbounded_queue_is_warned_and_inputs_are_checked():
    with pytest.warns(UnboundedQueueWarning, match=r"rho = .* = 1 >= 1 with patience_min=None.*at least 6 agents"):
        simulate_desk(4.0, 75.0, 5, 10.0, seed=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        simulate_desk(4.0, 75.0, 5, 10.0, seed=1, patience_min=5.0)  # abandonment bounds the queue
    for kwargs, message in [
        (dict(arrival_rate_per_hour=-2.0), "arrival_rate_per_hour must be a finite number >= 0; got -2.0"),
        (dict(mean_handling_min=-1.0), "mean_handling_min must be a finite number >= 0; got -1.0"),
        (dict(agents=0), "agents must be a whole number >= 1; got 0"),
        (dict(patience_min=0.0), "patience_min must be a number > 0"),
        (dict(escalation_prob=1.5), r"escalation_prob must be a probability in \[0, 1\]; got 1.5"),
        (dict(opens_hour=20.0, closes_hour=8.0), "opens_hour and closes_hour must satisfy"),
    ]:
        args = dict(arrival_rate_per_hour=4.0, mean_handling_min=10.0, agents=2, hours=10.0)
        args.update(kwargs)
        with pytest.raises(ValueError, match=message):
            simulate_desk(**args)


def test_same_seed_same_desk_and_kpi_checks():
    a = simulate_desk(5.0, 20.0, 2, 300.0, seed=5, patience_min=8.0)
    b = simulate_desk(5.0, 20.0, 2, 300.0, seed=5, patience_min=8.0)
    assert a.equals(b)
    assert not a["wait_min"].equals(simulate_desk(5.0, 20.0, 2, 300.0, seed=6, patience_min=8.0)["wait_min"])
    k = desk_kpis(a, target_answer_s=30.0, staffed_agent_hours=600.0)
    assert k["offered"] == len(a) == k["answered"] + k["abandoned"]
    assert k["occupancy"] == pytest.approx(a["handling_min"].sum() / 60.0 / 600.0)
    ans = a.loc[a["answered_day"].notna()]
    assert k["service_level"] == pytest.approx((ans["wait_min"] * 60 <= 30.0).sum() / len(a))
    with pytest.raises(ValueError, match="complaints is missing column 'wait_min'"):
        desk_kpis(a.drop(columns="wait_min"))
    with pytest.raises(ValueError, match="channels has unknown channel"):
        desk_kpis(a, channels=["fax"])
