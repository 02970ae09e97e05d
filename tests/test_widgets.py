"""Controls built from field metadata, explorations that re-run the firm and redraw in place."""

import subprocess
import sys

import pytest

pytest.importorskip("ipywidgets")
import ipywidgets as W  # noqa: E402

from simulation import preset  # noqa: E402
from simulation.common.i18n import get_language, set_language  # noqa: E402
from simulation.notebook.controls import control, explore, explore_function, number, slider_spec  # noqa: E402
from simulation.scenario.fields import field_rows  # noqa: E402


@pytest.fixture(autouse=True)
def english():
    before = get_language()
    set_language("en")
    yield
    set_language(before)


def _row(scenario, path):
    return next(r for r in field_rows(scenario) if r["path"] == path)


def test_probability_slider_spans_its_field_range(small):
    spec = slider_spec(_row(small, "service.late_delivery_prob"))
    assert spec == dict(lo=0, hi=1, step=0.01, integer=False)


def test_very_wide_field_range_is_cut_to_a_useful_slider(small):
    row = _row(small, "channels.web.customers_per_year")  # field allows up to 10 million
    spec = slider_spec(row)
    assert row["hi"] == 10_000_000
    assert spec["lo"] == 0 and spec["hi"] == 5000 and spec["step"] == 50
    assert spec["lo"] <= row["value"] <= spec["hi"]


def test_whole_number_field_gets_an_integer_slider(small):
    w = control(small, "lifecycle.maintenance_after_orders")
    assert isinstance(w, W.IntSlider)
    assert w.value == 3 and w.step >= 1 and w.min == 1


def test_explicit_range_wins_and_must_contain_the_value(small):
    spec = slider_spec(_row(small, "pricing.discount_pct"), lo=0, hi=40, step=5)
    assert (spec["lo"], spec["hi"], spec["step"]) == (0, 40, 5)
    with pytest.raises(ValueError, match="outside the slider range"):
        slider_spec(_row(small, "pricing.price_elasticity"), lo=2, hi=3)


def test_control_takes_label_unit_help_and_range_from_the_metadata(small):
    w = control(small, "service.late_delivery_prob")
    assert isinstance(w, W.FloatSlider)
    assert w.description == "Late deliveries (prob)"
    assert w.tooltip == "Share of deliveries that arrive late."
    assert (w.min, w.max, w.value) == (0, 1, small.service.late_delivery_prob)
    assert w.continuous_update is False
    assert w.style.description_width == "initial"


def test_choice_field_gets_a_dropdown(small):
    w = control(small, "dropout.model")
    assert isinstance(w, W.Dropdown)
    assert list(w.options) == ["after_purchase", "constant_hazard", "none"]


def test_bad_paths_are_refused_with_a_suggestion(small):
    with pytest.raises(ValueError, match="did you mean 'service.late_delivery_prob'"):
        control(small, "service.late_delivery")
    with pytest.raises(ValueError, match="text field"):
        control(small, "name")


def test_moving_a_slider_reruns_the_firm_and_redraws_in_place():
    ex = explore(["service.late_delivery_prob"], "satisfaction")
    fig, traces = ex.figure, list(ex.figure.data)
    before = list(ex.figure.data[1].y)
    ex.set(**{"service.late_delivery_prob": 0.6})
    assert ex.updates == 1
    assert ex.result.scenario.service.late_delivery_prob == 0.6
    assert ex.figure is fig and list(ex.figure.data) == traces  # same widget, same traces
    after = list(ex.figure.data[1].y)
    assert after != before
    # final satisfaction falls when most deliveries are late
    mean = lambda ys: sum((5 * i + 2.5) * y for i, y in enumerate(ys)) / sum(ys)  # noqa: E731
    assert mean(after) < mean(before)


def test_same_values_and_seed_redraw_the_same_picture():
    ex = explore(["pricing.discount_pct"], "orders", seed=5)
    first = list(ex.figure.data[0].y)
    ex.set(**{"pricing.discount_pct": 20.0})
    assert list(ex.figure.data[0].y) != first
    ex.set(**{"pricing.discount_pct": 0.0})
    assert list(ex.figure.data[0].y) == first


def test_kpi_tiles_compare_with_the_starting_firm():
    ex = explore(["pricing.discount_pct"], "kpis")
    revenue = next(tr for tr in ex.figure.data if tr.title.text == "Revenue (CNY)")
    assert revenue.mode == "number+delta"
    start = revenue.value
    ex.set(**{"pricing.discount_pct": 30.0})
    assert revenue.delta.reference == start and revenue.value != start


def test_seed_slider_changes_only_the_seed():
    ex = explore(["pricing.discount_pct"], "kpis", seed=4, seed_slider=True)
    assert ex.result.seed == 4
    ex.set(seed=9)
    assert ex.result.seed == 9
    assert ex.result.scenario.pricing.discount_pct == 0.0


def test_language_switch_relabels_controls_and_redraws():
    ex = explore(["service.late_delivery_prob"], "stages")
    set_language("zh")
    assert ex.controls["service.late_delivery_prob"].description == "延迟配送比例（概率）"
    assert ex.figure.layout.title.text == "各生命周期阶段客户数"


def test_explore_function_feeds_values_to_the_figure():
    import plotly.graph_objects as go

    ctrl = {"a": number(2.0, 0, 10, 0.5, en="Height", zh="高度")}
    ex = explore_function(ctrl, lambda a: go.Figure(go.Bar(x=["x"], y=[a])), text=lambda a: f"a = {a}")
    ex.set(a=7.5)
    assert list(ex.figure.data[0].y) == [7.5]
    assert "a = 7.5" in ex.text.value
    with pytest.raises(KeyError, match="no control 'b'"):
        ex.set(b=1)


def test_unknown_figure_name_is_refused():
    with pytest.raises(ValueError, match="unknown figure 'stage'; did you mean 'stages'"):
        explore(["pricing.discount_pct"], "stage")


def test_only_the_widget_layer_imports_ipywidgets_and_only_figures_import_plotly():
    code = (
        "import sys, simulation, simulation.lessons.tables, simulation.lessons.journey, simulation.lessons.course, "
        "simulation.lessons.glossary, simulation.common.i18n; "
        "print('ipywidgets' in sys.modules, 'plotly' in sys.modules); "
        "import simulation.figures; print('ipywidgets' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False", "False"]


def test_small_class_preset_is_what_explorations_use():
    ex = explore(["pricing.discount_pct"], "kpis")
    assert ex.result.scenario.name == preset("small-class").name


def _data(fig):
    """Comparable content of every trace (arrays and indicator values)."""
    out = []
    for t in fig.data:
        j = t.to_plotly_json()
        out.append(tuple(repr(j.get(k)) for k in ("x", "y", "value", "text")))
    return out


@pytest.fixture(scope="module")
def result(small):
    from simulation import run

    return run(small, seed=2)


def _explorers(result):
    from simulation.data import load_dataset
    from simulation.notebook.explorers import (
        campaign_explorer,
        clv_explorer,
        criteria_explorer,
        desk_explorer,
        duplicates_explorer,
        journey_explorer,
        loyalty_explorer,
        selection_explorer,
        staffing_explorer,
        survey_explorer,
    )

    dirty = load_dataset("class-dirty")
    return {
        "journey": (journey_explorer, {"connected": ("sales", "delivery_centre")}),
        "clv": (clv_explorer, {"retention": 0.7}),
        "survey": (lambda: survey_explorer(result.customers), {"n": 600}),
        "selection": (selection_explorer, {"cost": 10}),
        "staffing": (staffing_explorer, {"agents": 8}),
        "duplicates": (
            lambda: duplicates_explorer(dirty["customers_raw"], dirty["customers_truth"]),
            {"keys": ("mobile", "email")},
        ),
        "criteria": (lambda: criteria_explorer(result), {"purchase_power": 5.0}),
        "campaign": (campaign_explorer, {"discount_share": 0.4}),
        "loyalty": (loyalty_explorer, {"loyalty.expiry_days": 600.0}),
        "desk": (desk_explorer, {"agents": 6}),
    }


@pytest.mark.parametrize(
    "name",
    ["journey", "clv", "survey", "selection", "staffing", "duplicates", "criteria", "campaign", "loyalty", "desk"],
)
def test_ready_made_explorers_respond_to_their_controls(result, name):
    make, move = _explorers(result)[name]
    ex = make()
    before = _data(ex.figure)
    ex.set(**move)
    assert ex.error is None and ex.updates == 1
    assert _data(ex.figure) != before
    assert ex.text.value or name == "criteria"


def test_clv_explorer_starts_at_the_course_example():
    from simulation.notebook.explorers import clv_explorer

    assert "CLV = 1,280.60 CNY" in clv_explorer().text.value


def test_criteria_explorer_refuses_all_zero_weights(result):
    from simulation.notebook.explorers import criteria_explorer

    ex = criteria_explorer(result)
    ex.set(**{k: 0.0 for k in ex.controls})
    assert "weight above 0" in ex.error
    assert "color:#b00020" in ex.text.value


def test_invalid_scenario_values_show_a_message_and_keep_the_figure():
    ex = explore(["lifecycle.decline_after_days", "lifecycle.dormant_after_days"], "stages")
    before = _data(ex.figure)
    ex.set(**{"lifecycle.decline_after_days": 400.0})  # after dormancy at 365 days
    assert "must be greater than" in ex.error and ex.updates == 0
    assert _data(ex.figure) == before


def test_kpi_line_shows_shares_as_percentages_and_names_an_unknown_kpi():
    from simulation.notebook.controls import kpi_line

    s = {
        "revenue_cny": 5144448.4,
        "retention_rate": 0.593,
        "complaint_service_level": 0.787,
        "complaints": 1788,
        "complaint_abandonment_rate": None,
    }
    line = kpi_line(
        s, ["revenue_cny", "retention_rate", "complaint_service_level", "complaints", "complaint_abandonment_rate"]
    )
    assert line == (
        "Revenue (CNY): 5,144,448 · Repeat-buyer retention: 59.3% · Complaint desk service level: "
        "78.7% · Complaints (voiced): 1,788 · Complaint abandonment rate: n/a"
    )
    with pytest.raises(ValueError, match="no KPI 'profit'"):
        kpi_line(s, ["profit"])


def test_a_redraw_keeps_the_template_and_sends_a_new_one_only_when_it_changes():
    import plotly.graph_objects as go
    import plotly.io as pio

    def fig(n, dark):
        f = go.Figure(go.Bar(x=list(range(int(n))), y=list(range(int(n)))))
        return f.update_layout(template="plotly_dark" if dark else "plotly_white", title=f"n={n}")

    ex = explore_function(
        {"n": number(3, 1, 10, 1, en="n", zh="n", integer=True), "dark": W.Checkbox(value=False)}, fig
    )
    white = pio.templates["plotly_white"].layout.paper_bgcolor
    dark = pio.templates["plotly_dark"].layout.paper_bgcolor
    assert ex.figure.layout.template.layout.paper_bgcolor == white
    ex.set(n=5)
    assert len(ex.figure.data[0].x) == 5 and ex.figure.layout.title.text == "n=5"
    assert ex.figure.layout.template.layout.paper_bgcolor == white
    ex.set(dark=True)
    assert ex.figure.layout.template.layout.paper_bgcolor == dark
    ex.set(n=7)
    assert ex.figure.layout.template.layout.paper_bgcolor == dark and len(ex.figure.data[0].x) == 7
