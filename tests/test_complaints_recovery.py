"""Service recovery and the cost of waiting: what the contact centre does to its customers.

Exact checks follow each closed contact through the firm (the satisfaction drop, the odds of
leaving added, the churn reason); paired comparisons of two settings use the same seeds
(common random numbers) and a one-sided Student t on the paired differences with R - 1 degrees
of freedom (each docstring gives the threshold and its false-alarm probability).
"""

import dataclasses
import math

import numpy as np
import pytest
from scipy import stats

from simulation import Firm, preset, run, with_changes
from simulation.complaints.recovery import (
    complaint_leaving_odds,
    double_deviation,
    faded,
    recovery_quality,
    satisfaction_after,
)
from simulation.model.records import CHURN


@pytest.fixture(scope="module")
def crisis():
    """The small-class firm with many failures, so the desk has work."""
    return with_changes(preset("small-class"), {"service.appliance_failure_prob": 0.15})


def test_recovery_formulas():
    """Hand-computed values: a poor recovery (Q = 0.3, q_ok = 0.6) closes 0.3 of a 15-point gap
    (+4.5) and loses half of the 20-point double-deviation drop (-10); an abandoned complaint
    (Q = 0) loses the whole drop and adds the whole TARP log-odds 1.6; an acceptable one adds
    nothing; the odds halve after one half-life."""
    assert satisfaction_after(60.0, 75.0, 60.0, 0.3, 0.85, 6.0, 0.6, 20.0) == pytest.approx(54.5)
    assert satisfaction_after(60.0, 75.0, 60.0, 0.0, 0.85, 6.0, 0.6, 20.0) == pytest.approx(40.0)
    assert satisfaction_after(5.0, 75.0, 60.0, 0.0, 0.85, 6.0, 0.6, 20.0) == 0.0
    assert double_deviation(0.6, 0.6) == 0.0 and double_deviation(0.0, 0.6) == 1.0
    assert complaint_leaving_odds(0.0, 0.6, 1.6) == pytest.approx(1.6)
    assert complaint_leaving_odds(0.61, 0.6, 1.6) == 0.0
    assert faded(1.6, 360.0, 180.0) == pytest.approx(0.4)
    # TARP: repurchase 19% unresolved vs 54% resolved -> odds ratio 5.0 -> log-odds 1.6
    assert round(math.log((0.54 / 0.46) / (0.19 / 0.81)), 1) == 1.6
    # courtesy and process quality enter Q with their weights
    w = (0.35, 0.25, 0.2, 0.2)
    q = recovery_quality(50, 100, 0.6, 0.6, True, 0.6, 0.0, 24, w)
    assert recovery_quality(50, 100, 0.3, 0.6, True, 0.6, 0.0, 24, w) == pytest.approx(q - 0.25 * 0.3)
    assert recovery_quality(50, 100, 0.6, 0.3, True, 0.6, 0.0, 24, w) == pytest.approx(q - 0.2 * 0.3)


def test_each_closed_complaint_moves_satisfaction_odds_and_reason_as_specified(crisis):
    """Every closed complaint of a run, followed through the firm: satisfaction becomes
    ``satisfaction_after`` (abandoned: minus ``unresolved_drop``), the log-odds of leaving rise
    by exactly ``complaint_leaving_odds(Q)`` (plus the paradox offset, which is never negative),
    and the churn reason becomes ``complaint`` exactly when the complaint was abandoned, slow or
    below the acceptable quality. Exact (floating point), every complaint."""
    sc = with_changes(crisis, {"complaints.recovery.courtesy": 0.2, "complaints.recovery.leaving_odds_unresolved": 1.6})
    firm = Firm(sc, 4)
    centre, rec, seen = firm.complaints, sc.complaints.recovery, []
    close = centre._close

    def spy(k, close=close):
        i = centre.log.customer[k]
        kind = centre.log.kind[k]
        before = (firm.sat[i], firm.logit_shift[i], _pending(firm, i), firm.bad[i], centre.guard.get(i, 0.0))
        close(k)
        if kind == 0:
            seen.append((k, i, *before, firm.sat[i], firm.logit_shift[i], firm.bad[i], centre.guard.get(i, 0.0)))

    centre.desk.on_close = spy
    firm.run()
    log = centre.log
    poor = abandoned = 0
    for k, i, s0, x0, pending, bad0, g0, s1, x1, bad, g1 in seen:
        q = 0.0 if log.outcome[k] == 2 else log.quality[k]
        add = complaint_leaving_odds(q, rec.acceptable_quality, rec.leaving_odds_unresolved)
        paradox = g1 - g0
        assert paradox >= 0.0
        refreshed = pending if add > 0.0 else 0.0  # adding a grudge first brings the old one up to date
        assert x1 - x0 == pytest.approx(add + paradox + refreshed, abs=1e-9)
        if log.outcome[k] == 2:
            abandoned += 1
            assert s1 == pytest.approx(max(0.0, s0 - rec.unresolved_drop))
        else:
            expect = satisfaction_after(
                s0,
                log.sat_pre[k],
                log.sat_before[k],
                q,
                rec.excellent_from,
                rec.paradox_points,
                rec.acceptable_quality,
                rec.unresolved_drop,
            )
            assert s1 == pytest.approx(expect)
        badly = log.outcome[k] in (1, 2) or q < rec.acceptable_quality
        poor += q < rec.acceptable_quality
        assert bad == (CHURN["complaint"] if badly else bad0)
    assert poor > 50 and abandoned > 5, (poor, abandoned)


def _pending(firm, i: int) -> float:
    """How much bringing customer ``i``'s grudge up to date would change the log-odds now."""
    centre = firm.complaints
    if i not in centre.grudge:
        return 0.0
    cur, g0, t0 = centre.grudge[i]
    new = faded(g0, firm.env.now - t0, centre.rec.memory_half_life_days)
    return -cur if new < 1e-4 else new - cur


def test_a_grudge_fades_with_its_half_life(crisis):
    """Log-odds added to a customer who has left (so no order refreshes it in between) are
    brought up to date as ``g x 2^(-t / half-life)``: after exactly one half-life half is
    left, after 30 half-lives the grudge is forgotten and removed exactly. Exact."""
    sc = with_changes(dataclasses.replace(crisis, horizon_days=120.0), {"dropout.comeback_per_year": 0.0})
    firm = Firm(sc, 2)  # nobody comes back: a lost customer places no order while the clock runs on
    firm.run()
    centre = firm.complaints
    i = next(j for j in range(len(firm.alive)) if not firm.alive[j] and j not in centre.grudge)
    hl = sc.complaints.recovery.memory_half_life_days
    x0 = firm.logit_shift[i]
    centre.add_grudge(firm, i, 1.0)
    assert firm.logit_shift[i] == pytest.approx(x0 + 1.0)
    firm.env.run(until=firm.env.now + hl)
    centre.refresh_grudge(firm, i)
    assert firm.logit_shift[i] == pytest.approx(x0 + 0.5)
    firm.env.run(until=firm.env.now + 29 * hl)
    centre.refresh_grudge(firm, i)
    assert i not in centre.grudge and firm.logit_shift[i] == pytest.approx(x0, abs=1e-12)


def test_unanswered_and_late_contacts_cost_their_customers():
    """Every everyday contact of a one-agent centre that is slow to answer: an abandoned one
    costs its customer ``unanswered_drop`` points, adds ``unanswered_leaving_odds`` to the
    log-odds of leaving and makes ``service`` the churn reason; an answered one costs
    ``wait_drop_per_hour x`` the hours beyond its channel's target. Exact, every contact."""
    sc = with_changes(
        dataclasses.replace(preset("small-class"), horizon_days=200.0),
        {"complaints.channels.phone.patience_min": 1.0, "complaints.mean_handling_min": 30.0},
    )
    firm = Firm(sc, 3)
    centre, parts, seen = firm.complaints, sc.complaints.contacts, []
    close = centre.everyday.close

    def spy(k, close=close):
        i = centre.log.customer[k]
        before = (firm.sat[i], firm.logit_shift[i], _pending(firm, i)) if i >= 0 else (math.nan,) * 3
        close(k)
        if i >= 0:
            seen.append((k, i, *before, firm.sat[i], firm.logit_shift[i], firm.bad[i]))

    centre.everyday.close = spy
    firm.run()
    log = centre.log
    target = {0: sc.complaints.target_answer_s / 86_400, 2: sc.complaints.target_answer_s / 86_400}
    online = sc.complaints.online_response_hours / 24
    n_ab = n_late = 0
    for k, i, s0, x0, pending, s1, x1, bad in seen:
        if log.outcome[k] == 2:
            n_ab += 1
            assert s1 == pytest.approx(max(0.0, s0 - parts.unanswered_drop))
            assert x1 - x0 == pytest.approx(parts.unanswered_leaving_odds + pending, abs=1e-9)
            assert bad == CHURN["service"]
        elif log.answered[k] == log.answered[k]:
            late = log.answered[k] - log.arrival[k] - target.get(log.channel[k], online)
            drop = parts.wait_drop_per_hour * 24 * late if late > 0 else 0.0
            n_late += late > 0
            assert s1 == pytest.approx(max(0.0, s0 - drop)) and x1 == x0
    assert n_ab > 20 and n_late > 5, (n_ab, n_late)


def _paired_t(diffs) -> float:
    d = np.asarray(diffs, dtype=float)
    return d.mean() / (d.std(ddof=1) / math.sqrt(len(d)))


def test_courtesy_and_empowerment_raise_satisfaction_after_complaints(crisis):
    """Courtesy 1.0 against 0.2, and full empowerment against none, on 6 paired seeds.
    Courtesy: the mean satisfaction change of the complainants over their complaint (after -
    before) is higher. Empowerment: first-contact resolution and the mean recovery quality of
    the resolved complaints are higher (fewer escalations, so fewer hand-offs and faster fixes).
    One-sided t > t(0.999, 5) = 5.89 each (false alarm 0.001 for a lever that does nothing).
    By the formulas, courtesy 1.0 - 0.2 adds 0.25 x 0.8 = 0.2 to Q: about 3 points of the gap
    plus the double deviation it avoids, per complaint, against a per-seed noise of well under a
    point on hundreds of complaints; empowerment turns the escalated third of the complaints
    (procedural quality x 0.6, second-level wait) into first-contact ones."""
    t_crit = stats.t.ppf(0.999, 5)
    for lever, low, high in (("courtesy", 0.2, 1.0), ("empowerment", 0.0, 1.0)):
        diffs, fcr, quality = [], [], []
        for seed in range(1, 7):
            r = [run(with_changes(crisis, {f"complaints.recovery.{lever}": v}), seed) for v in (low, high)]
            ch = []
            for x in r:
                k = x.complaints.loc[x.complaints["voiced"]]
                ch.append((k["satisfaction_after"] - k["satisfaction_before"]).mean())
            diffs.append(ch[1] - ch[0])
            f = [x.complaints.loc[x.complaints["voiced"], "first_contact_resolution"].mean() for x in r]
            fcr.append(f[1] - f[0])
            q = [x.complaints["recovery_quality"].mean() for x in r]
            quality.append(q[1] - q[0])
        if lever == "courtesy":
            assert _paired_t(diffs) > t_crit, diffs
        else:
            assert _paired_t(fcr) > t_crit, fcr
            assert _paired_t(quality) > t_crit, quality


def test_cutting_an_agent_costs_satisfaction():
    """The baseline firm over one year with 1 agent against its Erlang C staffing of 2, on 5
    paired seeds: more callers give up and wait, so the customers' mean satisfaction at the end
    is lower. One-sided t < -t(0.999, 4) = -7.17 (false alarm 0.001 if staffing did not matter).
    On seeds 1..5 the difference was -0.41 points with a standard error of 0.035 (t about -12)."""
    sc = dataclasses.replace(preset("baseline"), horizon_days=365.0)
    diffs = []
    for seed in range(1, 6):
        two = run(sc, seed).summary()["mean_satisfaction"]
        one = run(with_changes(sc, {"complaints.agents": 1}), seed).summary()["mean_satisfaction"]
        diffs.append(one - two)
    assert _paired_t(diffs) < -stats.t.ppf(0.999, 4), diffs
