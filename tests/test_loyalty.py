"""The loyalty club's books: points, expiry and breakage, tiers, enrolment, KPIs, levers, bad input.

The ledger is checked against independent recomputations from the other tables (orders) and
from its own rows (a first-in-first-out replay of every member's points).
"""

import dataclasses
import math

import numpy as np
import pytest

from simulation import Firm, Scenario, ScenarioError, loyalty_impact, loyalty_kpis, preset, run, with_changes

EXPIRY = 300.0


@pytest.fixture(scope="module")
def club():
    """The loyalty launch on the class-sized firm, 900 days, points expiring after 300 days."""
    ll = preset("loyalty-launch")
    return with_changes(
        dataclasses.replace(ll, horizon_days=900.0, channels=preset("small-class").channels),
        {"loyalty.expiry_days": EXPIRY},
    )


@pytest.fixture(scope="module")
def club_run(club):
    return run(club, 5)


def test_the_club_is_off_in_the_baseline_and_on_in_the_launch():
    assert not Scenario().loyalty.enabled and not preset("baseline").loyalty.enabled
    assert preset("loyalty-launch").loyalty.enabled
    r = run(dataclasses.replace(preset("small-class"), horizon_days=60.0), 1)
    assert len(r.loyalty_ledger) == 0 and "entry" in r.loyalty_ledger.columns


def test_balances_are_the_running_sum_of_points(club_run):
    led = club_run.loyalty_ledger
    run_sum = led.groupby("customer_id")["points"].cumsum()
    assert (run_sum == led["balance_after"]).all()
    assert (led["balance_after"] >= 0).all()
    assert led["time_days"].is_monotonic_increasing


def test_points_are_earned_on_what_members_pay(club_run, club):
    """Earned points = floor(amount x points_per_cny x multiplier of the tier held at the order)."""
    led, o = club_run.loyalty_ledger, club_run.orders.set_index("order_id")
    earn = led.loc[led["entry"] == "earn"]
    amount = o.loc[earn["order_id"], "amount_cny"].to_numpy()
    mult = (
        earn["tier"]
        .astype(str)
        .map({n: getattr(club.loyalty, n).points_multiplier for n in ("member", "silver", "gold", "platinum")})
        .to_numpy(float)
    )
    assert (earn["points"].to_numpy() == np.floor(amount * club.loyalty.points_per_cny * mult)).all()
    # every order of a member after enrolment earns; no one else's order does
    members = set(led.loc[led["entry"] == "enrol", "customer_id"])
    nc = club_run.orders.loc[~club_run.orders["contract"]]
    assert set(earn["order_id"]) == set(nc.loc[nc["customer_id"].isin(members), "order_id"])


def test_expiry_replays_first_in_first_out(club_run, club):
    """Replay each member's lots (earn, partner, welcome) and uses (vouchers, oldest first):
    every expire row removes exactly the points left in lots whose expiry day
    ceil(t + expiry_days) has come, and breakage = expired / earned points."""
    led = club_run.loyalty_ledger
    V = club.loyalty.voucher_points
    expired_total = earned_total = 0
    for cid, g in led.groupby("customer_id", sort=False):
        lots = []  # [expiry day, points left]
        for e, t, p in zip(g["entry"].astype(str), g["time_days"], g["points"]):
            if e in ("earn", "partner", "welcome") and p > 0:
                lots.append([math.ceil(t + EXPIRY), p])
                earned_total += p
            elif e == "redeem":
                need = V
                for lot in lots:
                    take = min(lot[1], need)
                    lot[1] -= take
                    need -= take
                assert need == 0
            elif e == "expire":
                due = sum(lot[1] for lot in lots if lot[0] <= t)
                assert -p == due, (cid, t)
                for lot in lots:
                    if lot[0] <= t:
                        lot[1] = 0
                expired_total += -p
        # nothing that was due before the end is left unexpired
        assert sum(lot[1] for lot in lots if lot[0] < club_run.as_of_day) == 0, cid
    k = loyalty_kpis(club_run)
    assert expired_total > 0
    assert k["points_expired"] == expired_total and k["points_earned"] == earned_total
    assert k["breakage"] == pytest.approx(expired_total / earned_total)


def test_tiers_follow_the_rolling_twelve_months(club_run, club):
    """qualifying_12m (after enrolment) = the member's spend in (t - 365, t]; a promotion follows
    the first order that reaches a threshold; demotions come only at yearly reviews, one tier
    at a time (soft landing), to the tier the last 12 months qualify for or one below the old."""
    lo = club.loyalty
    thr = [t.threshold for t in lo.tiers]
    led = club_run.loyalty_ledger
    o = club_run.orders.loc[~club_run.orders["contract"]]
    by_cust = {c: (g["time_days"].to_numpy(), g["amount_cny"].to_numpy()) for c, g in o.groupby("customer_id")}
    enrolled = led.loc[led["entry"] == "enrol"].set_index("customer_id")["time_days"]
    rows = led.loc[
        led["entry"].isin(["earn", "redeem", "promotion", "demotion", "expire", "annual"])
        & (led["time_days"] > enrolled.reindex(led["customer_id"]).to_numpy())
    ]
    assert {"earn", "expire", "annual", "demotion"} <= set(rows["entry"].astype(str))
    for cid, t, q in zip(rows["customer_id"], rows["time_days"], rows["qualifying_12m"]):
        ts, am = by_cust.get(cid, (np.zeros(0), np.zeros(0)))
        assert q == pytest.approx(am[(ts > t - 365.0) & (ts <= t)].sum(), abs=1e-6), (cid, t)
    codes = {"member": 0, "silver": 1, "gold": 2, "platinum": 3}
    rows = list(
        zip(
            led["customer_id"],
            led["entry"].astype(str),
            led["tier"].astype(str),
            led["qualifying_12m"],
            led["time_days"],
        )
    )
    tier = {}
    promotions = demotions = 0
    for n, (cid, e, tr, q, t) in enumerate(rows):
        if e == "promotion":
            promotions += 1
            before = tier[cid]
            assert codes[tr] > before and q >= thr[codes[tr]]
            assert codes[tr] == 3 or q < thr[codes[tr] + 1]
            prev = rows[n - 1]
            assert prev[0] == cid and prev[1] == "earn" and prev[4] == t
        elif e == "demotion":
            demotions += 1
            assert codes[tr] == tier[cid] - 1 and q < thr[tier[cid]]
            nxt = rows[n + 1]
            assert nxt[0] == cid and nxt[1] == "annual" and nxt[4] == t
        tier[cid] = codes[tr]
    assert promotions > 100 and demotions > 20
    # yearly reviews: an annual row at enrolment and every 365 days after the first anniversary
    ann = led.loc[led["entry"] == "annual"].groupby("customer_id")["time_days"].apply(list)
    enrol = led.loc[led["entry"] == "enrol"].set_index("customer_id")["time_days"]
    for cid in ann.index[:300]:
        times = ann[cid]
        expect = [enrol[cid]] + [math.ceil(enrol[cid] + 365.0) + 365.0 * j for j in range(len(times) - 1)]
        assert times == pytest.approx(expect)
        assert times[-1] + 365.0 >= club_run.as_of_day - 1e-9


def test_enrolment_by_channel(club_run, club):
    """Opt-in: a household joins with its channel's probability, a small business with that
    times small_business_factor; each share within 4 binomial standard errors."""
    en = club.loyalty.enrolment
    c = club_run.customers.loc[club_run.customers["acquired_day"].notna()]
    members = set(club_run.loyalty_ledger.loc[club_run.loyalty_ledger["entry"] == "enrol", "customer_id"])
    joined = c["customer_id"].isin(members)
    for ch in ("store", "web", "dealer", "referral"):
        for seg, f in (("household", 1.0), ("small_business", en.small_business_factor)):
            sel = (c["channel"] == ch) & (c["segment"] == seg)
            n = int(sel.sum())
            if n < 30:
                continue
            p = min(1.0, getattr(en, ch) * f)
            assert abs(joined[sel].mean() - p) <= 4 * math.sqrt(p * (1 - p) / n) + 1e-12, (ch, seg)
    auto = run(with_changes(dataclasses.replace(club, horizon_days=60.0), {"loyalty.enrolment_mode": "automatic"}), 2)
    acquired = set(auto.customers.loc[auto.customers["acquired_day"].notna(), "customer_id"])
    assert set(auto.loyalty_ledger.loc[auto.loyalty_ledger["entry"] == "enrol", "customer_id"]) == acquired


def test_benefits_reach_the_orders_and_the_books(club_run, club):
    """Member discounts appear in the orders (discount share of the tier, on top of the
    segment's negotiated discount) and in the ledger; vouchers are redeemed only with enough
    points; costs add up in the KPIs."""
    lo = club.loyalty
    led = club_run.loyalty_ledger
    earn = led.loc[led["entry"] == "earn"]
    o = club_run.orders.set_index("order_id").loc[earn["order_id"]]
    share = (
        earn["tier"]
        .astype(str)
        .map({n: getattr(lo, n).discount_pct / 100.0 for n in ("member", "silver", "gold", "platinum")})
        .to_numpy(float)
    )
    gross = (o["amount_cny"] + o["discount_cny"]).to_numpy()
    seg_keep = (
        o["segment"].astype(str).map(lambda g: 1.0 - club.segment(g).negotiated_discount_pct / 100.0).to_numpy(float)
    )
    assert np.allclose(o["discount_cny"].to_numpy(), gross * (1.0 - seg_keep * (1.0 - share)), atol=1e-6)
    assert np.allclose(earn["discount_cny"].to_numpy(), gross * seg_keep * share, atol=1e-6)
    red = led.loc[led["entry"] == "redeem"]
    assert (red["balance_after"] + lo.voucher_points >= lo.voucher_points).all()
    assert (red["cost_cny"] == lo.voucher_value_cny).all() and (red["points"] == -lo.voucher_points).all()
    k = loyalty_kpis(club_run)
    assert k["redemption_cost_cny"] == pytest.approx(len(red) * lo.voucher_value_cny)
    assert k["programme_cost_cny"] == pytest.approx(led["cost_cny"].sum())
    assert k["liability_cny"] == pytest.approx(
        k["points_outstanding"] * lo.voucher_value_cny / lo.voucher_points * (1 - lo.breakage_estimate)
    )
    assert sum(k[f"tier_{n}"] for n in ("member", "silver", "gold", "platinum")) == k["members"]
    assert 0 < k["active_member_share"] <= 1 and 0 < k["redemption_rate"] < 1


def test_impact_against_the_same_firm_without_the_club():
    sc = dataclasses.replace(preset("loyalty-launch"), horizon_days=200.0, channels=preset("small-class").channels)
    k = loyalty_impact(sc, seed=3)
    with_club = run(sc, 3)
    without = run(with_changes(sc, {"loyalty.enabled": False}), 3)
    assert k["incremental_revenue_cny"] == pytest.approx(
        with_club.orders["amount_cny"].sum() - without.orders["amount_cny"].sum()
    )
    direct = loyalty_kpis(with_club, baseline=without)
    assert direct == k
    assert k["incremental_margin_cny"] == pytest.approx(
        with_club.orders["margin_cny"].sum()
        - without.orders["margin_cny"].sum()
        - (k["programme_cost_cny"] - k["discount_cost_cny"])
    )
    with pytest.raises(ScenarioError, match="needs a scenario with Loyalty.enabled = true"):
        loyalty_impact(preset("baseline"))


def test_benefit_levers_apply_to_members_from_now_on(club):
    firm = Firm(dataclasses.replace(club, horizon_days=400.0), 6)
    firm.run_until(380.0)
    clubrt = firm.loyalty
    gold = [m.customer for m in clubrt.members if m.tier == 3]
    assert gold
    before = [firm.extra_discount[i] for i in gold]
    firm.set({"loyalty.gold.discount_pct": 10.0, "loyalty.voucher_value_cny": 150.0})
    assert [firm.extra_discount[i] for i in gold] == pytest.approx([b + 0.06 for b in before])
    firm.run()
    r = firm.result()
    led = r.loyalty_ledger
    late = led.loc[(led["time_days"] > 380.0) & (led["entry"] == "redeem")]
    assert len(late) and (late["cost_cny"] == 150.0).all()
    assert list(r.decisions["lever"]) == ["loyalty.gold.discount_pct", "loyalty.voucher_value_cny"]


@pytest.mark.parametrize(
    "changes,message",
    [
        (
            {"loyalty.gold.threshold": 3000.0},
            r"thresholds must increase member < silver < gold < platinum; got "
            r"Loyalty.gold.threshold = 3000 <= Loyalty.silver.threshold = 5000",
        ),
        ({"loyalty.member.threshold": 100.0}, "Loyalty.member.threshold must be 0"),
        (
            {"loyalty.costs.warranty_cny_per_year": 0.0},
            r"Loyalty.costs.warranty_cny_per_year is missing \(got 0\) but "
            r"Loyalty.gold.warranty_years = 1.0 is offered",
        ),
        ({"loyalty.costs.event_cny": 0.0}, "Loyalty.costs.event_cny is missing"),
        ({"loyalty.points_per_cny": -1.0}, "Loyalty.points_per_cny must be >= 0; got -1"),
        ({"loyalty.partner_points_per_year": -5.0}, "Loyalty.partner_points_per_year must be >= 0; got -5"),
        (
            {"loyalty.welcome_points": 2500},
            r"Loyalty.welcome_points \(2500\) must be below Loyalty.voucher_points \(2000\)",
        ),
        ({"loyalty.qualify_on": "visits"}, "Loyalty.qualify_on must be one of 'spend', 'points'; got 'visits'"),
        ({"loyalty.golld.discount_pct": 5.0}, "has no field 'golld'; did you mean 'gold'"),
    ],
)
def test_bad_club_settings_are_rejected(changes, message):
    with pytest.raises(ScenarioError, match=message):
        with_changes(preset("loyalty-launch"), changes)


def test_a_toml_file_naming_a_benefit_without_its_cost_is_rejected(tmp_path):
    from simulation import load_scenario

    f = tmp_path / "club.toml"
    f.write_text("[loyalty]\nenabled = true\n[loyalty.costs]\ndelivery_cny = 0\n", encoding="utf-8")
    with pytest.raises(
        ScenarioError,
        match=r"Loyalty.costs.delivery_cny is missing \(got 0\) but "
        r"Loyalty.gold.free_delivery = True is offered",
    ):
        load_scenario(f)
