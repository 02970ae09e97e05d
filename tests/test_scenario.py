"""Scenario validation: every bad value gets a message naming the field, the rule and the value."""

import dataclasses

import pytest

from simulation import Scenario, ScenarioError, load_scenario, preset, presets, with_changes
from simulation.scenario import Channel, Dropout, Lifecycle, Products, Segment, WordOfMouth
from simulation.scenario.fields import field_rows

BAD_VALUES = [
    (lambda: Channel(customers_per_year=-5), "Channel.customers_per_year must be >= 0; got -5"),
    (lambda: Channel(conversion_prob=1.5), "Channel.conversion_prob must be <= 1; got 1.5"),
    (lambda: Channel(customers_per_year="many"), "Channel.customers_per_year must be a number; got 'many'"),
    (lambda: Channel(customers_per_year=True), "Channel.customers_per_year must be a number; got True"),
    (lambda: Channel(customers_per_year=float("nan")), "Channel.customers_per_year must be a finite number"),
    (lambda: Segment(spend_shape_q=1.0), "Segment.spend_shape_q must be >= 1.05; got 1"),
    (lambda: Segment(mean_orders_per_year=0), "Segment.mean_orders_per_year must be >= 0.01; got 0"),
    (
        lambda: Lifecycle(maintenance_after_orders=2.5),
        "Lifecycle.maintenance_after_orders must be a whole number; got 2.5",
    ),
    (
        lambda: Lifecycle(decline_after_days=400, dormant_after_days=300),
        "Lifecycle.dormant_after_days (300) must be greater than Lifecycle.decline_after_days (400)",
    ),
    (
        lambda: Dropout(model="geometric"),
        "Dropout.model must be one of 'after_purchase', 'constant_hazard', 'none'; got 'geometric'",
    ),
    (lambda: Dropout(model="none "), "did you mean 'none'?"),
    (
        lambda: Products(consumable_below_cny=2000, appliance_from_cny=1000),
        "Products.consumable_below_cny (2000) must not exceed Products.appliance_from_cny (1000)",
    ),
    (
        lambda: WordOfMouth(promoter_threshold=40, detractor_threshold=60),
        "WordOfMouth.detractor_threshold (60) must not exceed WordOfMouth.promoter_threshold (40)",
    ),
    (lambda: Scenario(start_date="2024-13-01"), "Scenario.start_date must be an ISO date"),
    (lambda: Scenario(horizon_days=0), "Scenario.horizon_days must be >= 1; got 0"),
    (lambda: Scenario(channels="store"), "Scenario.channels must be a Channels section; got 'store'"),
]


@pytest.mark.parametrize("make, message", BAD_VALUES)
def test_bad_values_are_rejected_with_a_clear_message(make, message):
    with pytest.raises(ScenarioError) as err:
        make()
    assert message in str(err.value)


def test_range_message_suggests_the_valid_range():
    with pytest.raises(ScenarioError, match=r"Use a number in \[0.001, 1\]"):
        Channel(conversion_prob=2)


def test_scenarios_are_frozen():
    sc = Scenario()
    with pytest.raises(dataclasses.FrozenInstanceError):
        sc.horizon_days = 10


def test_every_preset_loads_and_is_named_after_its_file():
    names = presets()
    assert {"baseline", "small-class"} <= set(names)
    for name in names:
        assert preset(name).name == name


def test_unknown_preset_suggests_the_closest_name():
    with pytest.raises(ScenarioError, match="did you mean 'baseline'"):
        preset("basline")


def test_toml_unknown_key_gets_closest_name(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text("horizon_day = 100\n")
    with pytest.raises(ScenarioError, match="Scenario has no field 'horizon_day'; did you mean 'horizon_days'"):
        load_scenario(f)
    f.write_text("[channels.web]\ncustomer_per_year = 100\n")
    with pytest.raises(
        ScenarioError, match="Scenario.channels.web has no field 'customer_per_year'; did you mean 'customers_per_year'"
    ):
        load_scenario(f)


def test_toml_wrong_type_and_range_name_the_field(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text('[pricing]\ndiscount_pct = "ten"\n')
    with pytest.raises(ScenarioError, match="Pricing.discount_pct must be a number; got 'ten'"):
        load_scenario(f)
    f.write_text("[pricing]\ndiscount_pct = 95\n")
    with pytest.raises(ScenarioError, match="Pricing.discount_pct must be <= 90; got 95"):
        load_scenario(f)


def test_toml_syntax_error_and_missing_file(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text("horizon_days = = 3\n")
    with pytest.raises(ScenarioError, match="is not valid TOML"):
        load_scenario(f)
    with pytest.raises(ScenarioError, match="does not exist"):
        load_scenario(tmp_path / "missing.toml")


def test_toml_sections_override_only_what_they_name(tmp_path):
    """A file naming one field of a channel keeps the other fields of the default scenario."""
    f = tmp_path / "s.toml"
    f.write_text("[channels.dealer]\ncustomers_per_year = 10\n")
    sc = load_scenario(f)
    assert sc.channels.dealer.customers_per_year == 10
    assert sc.channels.dealer.cost_per_customer_cny == Scenario().channels.dealer.cost_per_customer_cny
    assert sc.small_business == Scenario().small_business


def test_with_changes_validates_and_suggests():
    sc = with_changes(Scenario(), {"pricing.discount_pct": 10})
    assert sc.pricing.discount_pct == 10
    with pytest.raises(ScenarioError, match="did you mean 'pricing'"):
        with_changes(Scenario(), {"pricng.discount_pct": 10})
    with pytest.raises(ScenarioError, match="'pricing' is a section, not a value"):
        with_changes(Scenario(), {"pricing": 10})
    with pytest.raises(ScenarioError, match="must be <= 90"):
        with_changes(Scenario(), {"pricing.discount_pct": 91})


def test_every_field_has_labels_unit_and_range_metadata():
    for row in field_rows(Scenario()):
        assert row["en"] and row["zh"], row["path"]
        if isinstance(row["value"], (int, float)) and not isinstance(row["value"], bool):
            assert row["lo"] is not None and row["hi"] is not None, row["path"]
            assert row["lo"] <= row["value"] <= row["hi"], row["path"]


def test_derived_parameters_follow_their_formulas():
    g = Segment(
        mean_orders_per_year=4,
        rate_shape=2,
        dropout_mean=0.25,
        dropout_concentration=8,
        mean_order_cny=900,
        spend_shape_p=3,
        spend_shape_q=4,
    )
    assert g.alpha_years == pytest.approx(0.5)
    assert g.dropout_ab == pytest.approx((2.0, 6.0))
    assert g.spend_gamma == pytest.approx(900 * 3 / 3)


def test_a_setting_can_withhold_levers_that_cannot_matter_in_it():
    """The coffee chain delivers nothing, so it does not offer delivery levers; a misspelt
    entry in ``not_offered`` is refused with the closest lever named."""
    from simulation.scenario import ScenarioError
    from simulation.scenario.offer import offered_levers

    cafe = preset("coffee-chain")
    assert "service.late_delivery_prob" in cafe.not_offered_levers
    assert "service.late_delivery_prob" not in offered_levers(cafe)
    assert "pricing.discount_pct" in offered_levers(cafe)
    assert "service.late_delivery_prob" in offered_levers(preset("baseline"))
    with pytest.raises(ScenarioError, match="service.late_delivery_prob"):
        with_changes(preset("baseline"), {"not_offered": "service.late_delivery_prop"})
