"""The contact centre inside the firm: every kind of contact, its mechanism, the queue, the KPIs.

Counts are compared with their theoretical law within 4 standard deviations (two-sided false
alarm about 6e-5 each, normal approximation); the queue is compared with Erlang C through
batch means, whose standard error is estimated from the batches (each docstring gives the
numbers).
"""

import math

import numpy as np
import pytest

from simulation import preset, run, scale_customers, with_changes
from simulation.common.erlang import agents_needed, erlang_c, erlang_c_wait
from simulation.complaints.contacts import centre_kpis
from simulation.scenario import CONTACT_REASONS

CHANNELS = ("phone", "online", "store", "social_media")


@pytest.fixture(scope="module")
def firm_run():
    return run(preset("small-class"), 4)


#: The desk's feedback on the firm switched off (satisfaction, word of mouth, grudges), so that
#: firms differing only in staffing or contact streams see exactly the same customers.
NO_FEEDBACK = {
    "dropout.satisfaction_effect": 0.0,
    "satisfaction.rate_effect": 0.0,
    "word_of_mouth.referral_prob": 0.0,
    "word_of_mouth.deterrence_prob": 0.0,
    "complaints.recovery.leaving_odds_unresolved": 0.0,
    "complaints.contacts.unanswered_leaving_odds": 0.0,
}


def test_each_contact_type_follows_its_mechanism(firm_run):
    """Each event of the firm leads to a contact of a reason with the reason's probability p,
    independently (a Bernoulli trial per event), so the contacts of that reason over n events
    are Binomial(n, p): |N - n p| <= 4 sqrt(n p (1 - p)).

    Events: every logged prospect contact (pre-sales), every non-contract order (order
    enquiries, billing questions), every non-contract appliance order (booking), every product
    failure (repair requests).
    """
    r = firm_run
    parts = r.scenario.complaints.contacts
    o = r.orders.loc[~r.orders["contract"]]
    n = {
        "pre_sales": int((r.events["event_type"] == "contact").sum()),
        "order_enquiry": len(o),
        "billing_question": len(o),
        "booking": int((o["category"] == "appliance").sum()),
        "repair_request": int(o["product_failure"].sum()),
    }
    counts = r.centre_contacts["contact_type"].astype(str).value_counts()
    for reason in CONTACT_REASONS:
        p = getattr(parts, reason).prob
        mean, sd = n[reason] * p, math.sqrt(n[reason] * p * (1 - p))
        assert n[reason] > 50, reason
        assert abs(counts.get(reason, 0) - mean) <= 4 * sd, (reason, counts.get(reason, 0), mean, sd)


def test_contacts_link_to_their_customers_orders_and_complaints(firm_run):
    r = firm_run
    c = r.centre_contacts
    assert (c["contact_id"] == np.arange(len(c))).all()
    comp = c.loc[c["contact_type"] == "complaint"]
    voiced = r.complaints.loc[r.complaints["voiced"]]
    assert comp["complaint_id"].tolist() == voiced["complaint_id"].tolist()
    assert (c.loc[c["contact_type"] != "complaint", "complaint_id"] == -1).all()
    with_order = c.loc[c["order_id"] >= 0]
    orders = r.orders.set_index("order_id")
    assert (orders.loc[with_order["order_id"], "customer_id"].to_numpy() == with_order["customer_id"].to_numpy()).all()
    pre = c.loc[c["contact_type"] == "pre_sales"]
    assert (pre["order_id"] == -1).all() and (pre["customer_id"] == -1).any()
    # an everyday contact is answered and closed by the first agent, never escalated
    everyday = c.loc[c["contact_type"] != "complaint"]
    assert not everyday["escalated"].any() and (everyday["second_level_min"] == 0).all()
    done = everyday["answered_day"].notna()
    assert (everyday.loc[done, "outcome"] == "resolved").all()


H_MIN = 180.0  # handling of the pre-sales questions below: long, so that the small firm's queue is busy


def _pre_sales_only(agents: int, *, hours=(0.0, 24.0), channels_open=True, horizon=240.0, handling_min=H_MIN):
    """A firm whose centre answers one kind of contact: every prospect's pre-sales question.

    Prospects arrive as a Poisson process of constant rate (no referrals, no deterrence), each
    asks one question (p = 1, no delay) that takes Exp(handling_min); complaints stay silent and the
    other reasons are off; no classification time, first come first served, nobody abandons.
    """
    changes = {
        "horizon_days": horizon,
        "word_of_mouth.referral_prob": 0.0,
        "word_of_mouth.deterrence_prob": 0.0,
        "complaints.silent_share": 1.0,
        "complaints.billing_error_prob": 0.0,
        "complaints.classify_min": 0.0,
        "complaints.priority": "fifo",
        "complaints.agents": agents,
        "complaints.opens_hour": hours[0],
        "complaints.closes_hour": hours[1],
        "complaints.contacts.pre_sales.prob": 1.0,
        "complaints.contacts.pre_sales.handling_min": handling_min,
        "complaints.contacts.pre_sales.delay_hours": 0.0,
    }
    for reason in CONTACT_REASONS[1:]:
        changes[f"complaints.contacts.{reason}.prob"] = 0.0
    for ch in CHANNELS:
        changes[f"complaints.channels.{ch}.patience_min"] = 0.0
        if channels_open:
            changes[f"complaints.channels.{ch}.opens_hour"] = 0.0
            changes[f"complaints.channels.{ch}.closes_hour"] = 24.0
    return with_changes(preset("small-class"), changes)


def _prospects_per_hour(sc) -> float:
    """The prospects' Poisson rate: sum of customers_per_year / conversion_prob, per hour."""
    ch = [getattr(sc.channels, c) for c in ("store", "web", "dealer")]
    return sum(c.customers_per_year / c.conversion_prob for c in ch) / 8760.0


def test_an_always_open_centre_is_the_erlang_c_queue():
    """Pre-sales questions of a constant Poisson stream of prospects, Exp(180 min) handling,
    c = 4 agents, first come first served, no abandonment: the M/M/4 queue. The prospect rate
    of small-class is lambda = sum(customers_per_year / conversion_prob) / 8760 per hour
    (0.82 per hour, a = 2.46 Erlangs, rho = 0.62): Erlang C gives the probability of waiting
    C = 0.31 and the mean wait Wq = C h / (c - a) = 36 min.

    The run (240 days, after a 20-day warm-up) is cut into 22 batches of 10 days; the batch
    means of the wait, of the share that waited and of the agents' occupancy are nearly
    independent (the queue forgets its state within hours), so each overall mean lies within
    4 standard errors s / sqrt(22) of its theoretical value (Student t with 21 degrees of
    freedom: two-sided false alarm 7e-4 each).
    """
    sc = _pre_sales_only(4)
    lam = _prospects_per_hour(sc)
    h = H_MIN
    r = run(sc, 11)
    c = r.centre_contacts
    c = c.loc[(c["arrival_day"] >= 20.0) & c["answered_day"].notna()]
    batch = ((c["arrival_day"] - 20.0) // 10.0).astype(int)
    keep = batch < 22
    c, batch = c.loc[keep], batch[keep]
    wait = c.groupby(batch)["wait_min"].mean()
    waited = (c["wait_min"] > 1e-6).groupby(batch).mean()
    busy = c.groupby(batch)["handling_min"].sum() / (10 * 24 * 60 * 4)
    for observed, theory in (
        (wait, erlang_c_wait(lam, h, 4)),
        (waited, erlang_c(lam, h, 4)),
        (busy, lam * h / 60.0 / 4),
    ):
        se = observed.std(ddof=1) / math.sqrt(len(observed))
        assert len(observed) == 22
        assert abs(observed.mean() - theory) <= 4 * se, (observed.mean(), theory, se)


def test_after_hours_contacts_wait_for_the_morning():
    """Desk staffed 8:00-20:00, channels always open: the pre-sales questions that arrive while
    the desk is closed are the Poisson arrivals of the 12 closed hours, N ~ Poisson(lambda x 12
    x days), within 4 sqrt(mean); none of them is answered before the next opening, and the
    service level counts only the calls that arrived while the desk was open."""
    sc = _pre_sales_only(4, hours=(8.0, 20.0), horizon=120.0, handling_min=60.0)
    lam = _prospects_per_hour(sc)
    r = run(sc, 12)
    c = r.centre_contacts
    late = c.loc[~c["arrived_open"]]
    mean = lam * 12.0 * r.as_of_day
    assert abs(len(late) - mean) <= 4 * math.sqrt(mean), (len(late), mean)
    answered = late.loc[late["answered_day"].notna(), "answered_day"].to_numpy()
    assert ((answered - np.floor(answered)) * 24.0 >= 8.0 - 1e-6).all()
    k = centre_kpis(r)
    phone_open = int(((c["channel"] == "phone") & c["arrived_open"]).sum())
    assert k["phone_offered_open"] == phone_open and k["after_hours_contacts"] == len(late)
    assert 0.0 <= k["after_hours_first_hour"] <= 1.0


def test_service_level_rises_with_agents_under_common_random_numbers():
    """The same firm and seed with 1, 2 and 3 agents: every contact keeps its arrival,
    handling time and patience (common random numbers: staffing draws nothing), so only the
    queue differs. The desk's feedback on the firm (satisfaction moving the chance of leaving,
    word of mouth) is switched off here so that the three firms see exactly the same contacts. Each added agent raises the phone service level and lowers abandonment;
    with the small-class load (about 0.1 Erlang per open hour at 7 minutes, Erlang C service
    level 0.83 with one agent and 0.99 with two at 20 s) the first step is worth about 15 points
    against a sampling standard error below 1 point for about 1,700 calls."""
    results = [run(with_changes(preset("small-class"), {**NO_FEEDBACK, "complaints.agents": a}), 5) for a in (1, 2, 3)]
    arrivals = [r.centre_contacts["arrival_day"].to_numpy() for r in results]
    assert all(np.array_equal(arrivals[0], a) for a in arrivals[1:])
    k = [centre_kpis(r) for r in results]
    sl = [x["service_level"] for x in k]
    ab = [x["abandonment_rate"] for x in k]
    occ = [x["occupancy"] for x in k]
    assert sl[0] < sl[1] <= sl[2] and ab[0] > ab[1] >= ab[2], (sl, ab)
    assert occ[0] > occ[1] > occ[2]
    assert sl[1] - sl[0] > 0.05
    cost = [r.summary()["centre_capacity_cost_cny"] for r in results]
    assert cost[0] < cost[1] < cost[2]


def test_default_staffing_follows_the_erlang_c_rule_and_scales_with_customers():
    """Every preset staffs the plan of its forecast (agents_needed at the scenario's service
    goal), and scale_customers re-plans for the scaled load with the same rule."""
    from simulation import presets

    for name in presets():
        d = preset(name).complaints
        assert d.agents == d.planned_agents(), name
    base = preset("baseline")
    for customers in (2_000, 100_000):
        sc = scale_customers(base, customers)
        f = sc.customers_per_year / base.customers_per_year
        d = sc.complaints
        assert d.forecast_contacts_per_hour == pytest.approx(base.complaints.forecast_contacts_per_hour * f)
        assert d.agents == agents_needed(d.forecast_contacts_per_hour, d.forecast_handling_min, 0.8, 20.0)
    hand = with_changes(base, {"complaints.agents": 7})
    assert scale_customers(hand, 2_000).complaints.agents == 7  # a staffing chosen by hand is kept


def test_the_forecast_matches_the_load_the_firm_brings():
    """The planners' forecast of contacts per open hour in small-class is the measured load.

    Contacts per run are over-dispersed (order counts are NBD, not Poisson), so the standard
    error comes from 5 independent seeds: |mean - forecast| <= t(0.9995, 4) s / sqrt(5), with
    t(0.9995, 4) = 8.61 (two-sided false alarm 0.001), plus the 1% the forecast is rounded to.
    """
    from scipy import stats

    sc = preset("small-class")
    d = sc.complaints
    rates = []
    for seed in range(1, 6):
        r = run(sc, seed)
        rates.append(len(r.centre_contacts) / (r.as_of_day * (d.closes_hour - d.opens_hour)))
    rate, s = float(np.mean(rates)), float(np.std(rates, ddof=1))
    bound = stats.t.ppf(0.9995, 4) * s / math.sqrt(5) + 0.01 * rate
    assert abs(rate - d.forecast_contacts_per_hour) <= bound, (rate, d.forecast_contacts_per_hour, bound)


def _erlang_a(lam: float, h_min: float, c: int, patience_min: float, states: int = 400):
    """Erlang A (M/M/c+M) by its birth-death chain: birth rate lambda, death rate
    min(n, c) mu + max(n - c, 0) theta (Palm 1943; Garnett, Mandelbaum & Reiman 2002).
    Returns (probability of abandoning, probability of waiting)."""
    mu, theta = 60.0 / h_min, 60.0 / patience_min
    p = [1.0]
    for n in range(1, states):
        p.append(p[-1] * lam / (min(n, c) * mu + max(n - c, 0) * theta))
    total = sum(p)
    pi = [x / total for x in p]
    abandon = theta * sum(max(n - c, 0) * q for n, q in enumerate(pi)) / lam
    wait = sum(pi[c:])  # PASTA: an arrival finds all agents busy
    return abandon, wait


def test_callers_who_give_up_follow_erlang_a():
    """The M/M/3 centre of pre-sales questions (lambda = 0.82 per hour, Exp(180 min) handling,
    a = 2.46 Erlangs) with callers whose patience is Exp(60 min) on every channel: the
    M/M/3+M queue (Erlang A: 21% abandon, 37% find every agent busy).
    The number waiting is the same birth-death chain whatever the order of service (every
    caller has the same service and patience rates), so the share who abandon and the share who
    wait match Erlang A even with online contacts queued behind calls. 22 batches of 10 days after
    a 20-day warm-up; each batch-mean average lies within 4 standard errors of the theory
    (Student t, 21 degrees of freedom: two-sided false alarm 7e-4 each)."""
    sc = _pre_sales_only(3)
    changes = {f"complaints.channels.{ch}.patience_min": 60.0 for ch in CHANNELS}
    sc = with_changes(sc, changes)
    lam = _prospects_per_hour(sc)
    r = run(sc, 13)
    c = r.centre_contacts
    c = c.loc[(c["arrival_day"] >= 20.0) & (c["answered_day"].notna() | c["abandoned_day"].notna())]
    batch = ((c["arrival_day"] - 20.0) // 10.0).astype(int)
    keep = batch < 22
    c, batch = c.loc[keep], batch[keep]
    abandoned = c["abandoned_day"].notna().groupby(batch).mean()
    waited = (c["wait_min"] > 1e-6).groupby(batch).mean()
    p_abandon, p_wait = _erlang_a(lam, H_MIN, 3, 60.0)
    for observed, theory in ((abandoned, p_abandon), (waited, p_wait)):
        se = observed.std(ddof=1) / math.sqrt(len(observed))
        assert len(observed) == 22
        assert abs(observed.mean() - theory) <= 4 * se, (observed.mean(), theory, se)


def test_everyday_contacts_do_not_shift_the_firms_or_the_complaints_streams():
    """Every reason draws from named streams of its own: switching the everyday contacts off
    leaves the orders and every complaint's drawn attributes (arrival, channel, category,
    severity) exactly as they were. The desk's feedback on the firm is switched off, so only
    the streams could make a difference."""
    on = with_changes(preset("small-class"), NO_FEEDBACK)
    off = with_changes(on, {f"complaints.contacts.{r}.prob": 0.0 for r in CONTACT_REASONS})
    a, b = run(on, 6), run(off, 6)
    assert (b.centre_contacts["contact_type"] == "complaint").all()
    assert len(a.centre_contacts) > 2 * len(b.centre_contacts)
    assert a.orders["amount_cny"].equals(b.orders["amount_cny"])
    cols = ["customer_id", "order_id", "arrival_day", "channel", "category", "severity"]
    assert a.complaints[cols].equals(b.complaints[cols])
