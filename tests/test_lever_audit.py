"""Offered levers and the lever audit: what a preset offers, how levers are moved and judged.

The unit tests use a class-sized firm shrunk to about 150 customers and 3 seeds. The slow test
audits every shipped preset at the audit's quick size and fails with the list of every offered
lever that moves nothing.
"""

from __future__ import annotations

import dataclasses
import math
import subprocess
import sys

import numpy as np
import pytest
from roleplay_data import card_text
from scipy import stats

from simulation import preset, presets, run
from simulation.experiments.audit import (
    COST_KPIS,
    HEADLINE,
    audit_settings,
    audit_threshold,
    audit_wide,
    lever_arms,
    lever_audit,
    lever_verdicts,
    shrink,
)
from simulation.experiments.design import replication_seed
from simulation.model.firm import Firm
from simulation.roleplay import RoleplayError
from simulation.roleplay.cards import card_from_text
from simulation.scenario import ScenarioError, field_rows, offered_levers, switched_off_parts, with_changes


def _levers(sc) -> list[str]:
    return [r["path"] for r in field_rows(sc) if r["lever"]]


# ------------------------------------------------------------------ offered levers
def test_a_preset_without_the_club_offers_no_club_lever():
    base, club = preset("baseline"), preset("loyalty-launch")
    assert switched_off_parts(base) == ["loyalty"] and switched_off_parts(club) == []
    offered = offered_levers(base)
    hidden = set(base.not_offered_levers)
    assert offered == [p for p in _levers(base) if not p.startswith("loyalty.") and p not in hidden]
    assert "pricing.discount_pct" in offered and "complaints.agents" in offered
    assert offered_levers(club) == [p for p in _levers(club) if p not in set(club.not_offered_levers)]
    assert any(p.startswith("loyalty.") for p in offered_levers(club))


def test_a_firm_without_its_contact_centre_offers_none_of_its_levers():
    sc = with_changes(preset("small-class"), {"complaints.enabled": False})
    offered = offered_levers(sc)
    assert switched_off_parts(sc) == ["loyalty", "complaints"]
    assert offered and not any(p.startswith(("complaints.", "loyalty.")) for p in offered)
    assert "service.late_delivery_prob" in offered


@pytest.mark.parametrize("name", presets())
def test_the_firm_offers_exactly_the_offered_levers(name):
    sc = preset(name)
    assert Firm(sc, 1).levers() == offered_levers(sc)


def test_the_firm_refuses_a_lever_of_a_switched_off_part():
    firm = Firm(dataclasses.replace(preset("small-class"), horizon_days=60.0), 1)
    with pytest.raises(ScenarioError, match="not a lever"):
        firm.set({"loyalty.gold.discount_pct": 10.0})
    firm.set({"pricing.discount_pct": 5.0})  # an offered lever still moves
    assert firm.decisions == [(0.0, "pricing.discount_pct", 0.0, 5.0)]


def test_a_card_cannot_hand_out_a_lever_of_a_switched_off_part():
    text = card_text().replace(
        '[roles.sales.levers."pricing.discount_pct"]', '[roles.sales.levers."loyalty.gold.discount_pct"]'
    )
    with pytest.raises(RoleplayError, match=r"'loyalty.gold.discount_pct' belongs to 'loyalty', which is switched off"):
        card_from_text(text, "card")
    on = text.replace('"complaints.agents" = 2', '"complaints.agents" = 2\n"loyalty.enabled" = true')
    c = card_from_text(on, "card")
    assert "loyalty.gold.discount_pct" in {lv.path for r in c.roles for lv in r.levers}


def test_a_card_event_cannot_move_a_lever_of_a_switched_off_part():
    text = card_text().replace(
        'changes = { "service.appliance_failure_prob" = 0.15 }', 'changes = { "loyalty.gold.discount_pct" = 10 }'
    )
    with pytest.raises(RoleplayError, match=r"events\[1\]\.changes: 'loyalty.gold.discount_pct' belongs to 'loyalty'"):
        card_from_text(text, "card")


def test_lessons_table_and_describe_list_only_offered_levers():
    from simulation.lessons.tables import levers_table

    assert list(levers_table(preset("baseline"))["lever"]) == offered_levers(preset("baseline"))
    out = subprocess.run(
        [sys.executable, "-m", "simulation", "describe", "baseline"], capture_output=True, text=True, check=True
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("loyalty.gold.discount_pct"))
    assert line.endswith("(lever; its part is switched off)")
    assert next(x for x in out.splitlines() if x.startswith("pricing.discount_pct")).endswith("(lever)")


def test_a_notebook_control_refuses_a_field_of_a_switched_off_part():
    from simulation.notebook.controls import control

    with pytest.raises(ValueError, match="switches off"):
        control(preset("baseline"), "loyalty.gold.discount_pct")
    assert control(preset("loyalty-launch"), "loyalty.gold.discount_pct").value == 2.0
    assert control(preset("baseline"), "loyalty.enabled").value is False  # the switch itself


# ------------------------------------------------------------------ arms: clipping, steps, switches
def test_numbers_move_by_the_factors_and_are_clipped_to_their_range():
    sc = preset("baseline")
    assert lever_arms(sc, "service.late_delivery_prob") == [("x0.5", 0.04), ("x2", 0.16)]
    # 0.9 x 2 = 1.8 is clipped to the range's top, 1
    assert lever_arms(sc, "complaints.contacts.repair_request.prob") == [("x0.5", 0.45), ("x2", 1.0)]
    # at the top already: only the way down is left
    top = with_changes(sc, {"service.late_delivery_prob": 1.0})
    assert lever_arms(top, "service.late_delivery_prob") == [("x0.5", 0.5)]
    assert lever_arms(sc, "service.late_delivery_prob", factors=(0.25, 3.0)) == [("x0.25", 0.02), ("x3", 0.24)]


def test_whole_numbers_round_and_never_stay_put():
    sc = preset("baseline")
    assert lever_arms(sc, "complaints.agents") == [("x0.5", 1), ("x2", 4)]
    three = with_changes(sc, {"complaints.agents": 3})
    assert lever_arms(three, "complaints.agents") == [("x0.5", 2), ("x2", 6)]
    one = with_changes(sc, {"complaints.agents": 1})
    assert lever_arms(one, "complaints.agents") == [("x2", 2)]  # cannot go below 1
    assert lever_arms(one, "complaints.agents", factors=(1.2,)) == [("x1.2", 2)]  # 1.2 rounds to 1: one up


def test_a_lever_at_zero_steps_by_its_namesakes_or_by_its_range():
    sc = preset("baseline")
    # the club's tiers give 1, 2 and 4 % discounts: the general discount steps by their mean, 7/3
    arms = lever_arms(sc, "pricing.discount_pct")
    assert [a for a, _ in arms] == ["x0.5", "x2"] and [v for _, v in arms] == pytest.approx([7 / 6, 14 / 3])
    # no namesake: 5 % of the range [0, 1]
    assert lever_arms(sc, "complaints.recovery.empowerment") == [("x0.5", 0.025), ("x2", 0.1)]
    # the dealers of a coffee chain are closed: they step by the open channels' mean rate
    coffee = preset("coffee-chain")
    assert lever_arms(coffee, "channels.dealer.customers_per_year") == [("x0.5", 500.0), ("x2", 2000.0)]


def test_switches_flip_and_choices_try_every_alternative():
    club = preset("loyalty-launch")
    assert lever_arms(club, "loyalty.silver.free_delivery") == [("flip", True)]
    assert lever_arms(club, "loyalty.gold.free_delivery") == [("flip", False)]
    assert lever_arms(club, "complaints.priority") == [
        ("= fifo", "fifo"),
        ("= severity", "severity"),
        ("= channel", "channel"),
    ]
    with pytest.raises(ValueError, match="factors"):
        lever_arms(club, "pricing.discount_pct", factors=(1.0,))


# ------------------------------------------------------------------ the audit on a known firm
@pytest.fixture(scope="module")
def known():
    """A class-sized firm of about 150 customers whose appliances and accessories never fail:
    the store's volume must move customers, the delivery cost only costs, and the repair cost
    (paid per failure) can move nothing."""
    sc = with_changes(
        preset("small-class"), {"service.appliance_failure_prob": 0.0, "service.accessory_failure_prob": 0.0}
    )
    return shrink(sc, customers_scale=0.075)


@pytest.fixture(scope="module")
def known_audit(known):
    levers = ["channels.store.customers_per_year", "service.delivery_cost_cny", "service.repair_cost_cny"]
    return lever_audit(known, seeds=3, levers=levers)


def test_verdicts_on_a_firm_whose_answers_are_known(known_audit):
    v = lever_verdicts(known_audit).set_index("lever")
    assert v.loc["channels.store.customers_per_year", "verdict"] == "moves"
    assert "customers_acquired" in v.loc["channels.store.customers_per_year", "moved_kpis"]
    assert v.loc["service.delivery_cost_cny", "verdict"] == "cost-only"
    assert v.loc["service.delivery_cost_cny", "moved_kpis"] == "cost_to_serve_cny, profit_cny, net_profit_cny"
    assert v.loc["service.repair_cost_cny", "verdict"] == "inert"
    assert bool(v.loc["service.repair_cost_cny", "identical"])
    assert not v.loc[["channels.store.customers_per_year", "service.delivery_cost_cny"], "identical"].any()
    assert set(known_audit["verdict"]) == {"moves", "cost-only", "inert"}
    # a unit cost moves nothing a customer does: under common random numbers the runs are the same
    delivery = known_audit[(known_audit["lever"] == "service.delivery_cost_cny") & (known_audit["kind"] == "headline")]
    assert (delivery["mean_diff"].fillna(0) == 0).all() and not delivery["moves"].any()


def test_the_table_is_one_row_per_lever_arm_and_kpi(known_audit):
    assert len(known_audit) == 3 * 2 * len(HEADLINE)
    assert list(known_audit.columns) == [
        "lever", "arm", "default", "value", "kpi", "kind", "n", "mean_diff", "se", "t", "moves", "verdict",
    ]  # fmt: skip
    assert set(known_audit.loc[known_audit["kind"] == "cost", "kpi"]) == set(HEADLINE) & COST_KPIS
    a = known_audit.attrs
    assert a["runs"] == (1 + 6) * 3 and a["threshold"] == 3.0 and a["skipped"] == []
    assert a["seeds"] == [replication_seed(0, k) for k in range(3)]
    wide = audit_wide(known_audit)
    assert len(wide) == 6 and list(wide.columns[4:]) == list(HEADLINE)


def test_the_paired_statistics_are_those_of_the_runs(known):
    """Mean, standard error and t of the paired differences, recomputed from the runs themselves."""
    seeds = [11, 12, 13]
    audit = lever_audit(known, seeds=seeds, levers=["pricing.discount_pct"], kpis=["orders", "revenue_cny"])
    row = audit[(audit["arm"] == "x2") & (audit["kpi"] == "orders")].iloc[0]
    moved = with_changes(known, {"pricing.discount_pct": row["value"]})
    d = np.array([run(moved, s).summary()["orders"] - run(known, s).summary()["orders"] for s in seeds], float)
    assert row["mean_diff"] == pytest.approx(d.mean())
    assert row["se"] == pytest.approx(d.std(ddof=1) / math.sqrt(3))
    assert row["t"] == pytest.approx(d.mean() / (d.std(ddof=1) / math.sqrt(3)))
    assert row["moves"] == (abs(row["t"]) > 3.0)


def test_a_switch_is_audited_flipped(known):
    club = dataclasses.replace(known, loyalty=preset("loyalty-launch").loyalty)
    audit = lever_audit(club, seeds=2, levers=["loyalty.gold.free_delivery"], kpis=["loyalty_members"])
    assert audit[["arm", "default", "value"]].values.tolist() == [["flip", True, False]]


def test_the_bonferroni_cut_off_is_a_t_quantile():
    assert audit_threshold(10, 32) == pytest.approx(stats.t.ppf(1 - 0.05 / 64, 9))
    assert audit_threshold(10, 1024) > audit_threshold(10, 32) > audit_threshold(20, 32) > 3
    with pytest.raises(ValueError, match="n_seeds"):
        audit_threshold(1, 10)


def test_threshold_none_uses_the_lever_family(known):
    audit = lever_audit(known, seeds=2, levers=["pricing.discount_pct"], kpis=["orders"], threshold=None)
    assert audit.attrs["comparisons"] == 2
    assert audit.attrs["threshold"] == pytest.approx(stats.t.ppf(1 - 0.05 / 4, 1))


def test_bad_requests_are_refused_with_a_reason(known):
    with pytest.raises(ValueError, match="'loyalty.gold.discount_pct' is not a lever 'small-class' offers"):
        lever_audit(known, seeds=2, levers=["loyalty.gold.discount_pct"])
    with pytest.raises(ValueError, match="seeds"):
        lever_audit(known, seeds=1)
    with pytest.raises(ValueError, match="customers_scale"):
        shrink(known, customers_scale=2.0)
    with pytest.raises(ValueError, match="horizon_days must be a number >= 395"):
        shrink(preset("baseline"), horizon_days=200)
    with pytest.raises(ValueError, match="not in Result.summary"):
        lever_audit(known, seeds=2, levers=["pricing.discount_pct"], kpis=["profit"])


def test_shrinking_keeps_the_channel_mix_and_replans_the_centre():
    base = preset("baseline")
    small = shrink(base, customers_scale=0.1, horizon_days=730)
    assert small.horizon_days == 730.0
    rates = [(getattr(small.channels, c), getattr(base.channels, c)) for c in ("store", "web", "dealer")]
    assert [s.customers_per_year / b.customers_per_year for s, b in rates] == pytest.approx([0.1] * 3, rel=1e-3)
    assert small.complaints.agents == small.complaints.planned_agents()
    assert audit_settings(base, "quick")["customers_scale"] * 11_400 == pytest.approx(2000, rel=0.01)
    assert audit_settings(preset("small-class"), "full") == {"seeds": 10, "customers_scale": None}


# ------------------------------------------------------------------ every preset
@pytest.mark.slow
def test_every_lever_each_preset_offers_moves_something():
    """Every offered lever of every preset moves some KPI that is not a cost beyond noise.

    Quick size (:data:`~simulation.experiments.audit.AUDIT_SIZES`): 8 seeds, about 2,000
    customers over the preset's whole horizon (the class-sized firm at its own size),
    each lever at half and double its value with common random numbers. A KPI moves when its
    mean paired difference exceeds 3 standard errors (|t| > 3 with 7 degrees of freedom), the
    audit's criterion. A lever with no effect at all gives identical paired runs and fails
    whatever the cut-off; a lever that only reshuffles the random paths passes a single KPI
    with probability P(|t_7| > 3) = 0.02, and some KPI of one of its two arms with
    at most about 0.57 (1 - 0.98^42 for two arms of 21 KPIs if they were independent; they are
    strongly correlated, so less in practice) — the test catches
    levers that do nothing, not small effects, and the benchmark
    (``benchmarks/bench_levers.py``) prints the stricter Bonferroni verdicts at 4,000 customers.
    """
    inert = {}
    for name in ("baseline", "small-class", "product-defect", "loyalty-launch", "bank-dormant", "coffee-chain"):
        sc = preset(name)
        audit = lever_audit(sc, threshold=3.0, jobs=-1, **audit_settings(sc, "quick"))
        v = lever_verdicts(audit)
        found = v.loc[v["verdict"] == "inert", "lever"].tolist()
        if found:
            inert[name] = found
    assert not inert, "offered levers that move nothing:\n" + "\n".join(
        f"  {name}: {', '.join(levers)}" for name, levers in inert.items()
    )
