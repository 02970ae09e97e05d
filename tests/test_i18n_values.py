"""The Chinese edition: in Chinese, what a student sees has no English left.

Tables the course notebooks show (through :func:`simulation.common.i18n.headers`), figures,
and the explorers' controls are built in Chinese on a class-sized firm and searched for
English words (three or more ASCII letters, technical tokens such as CLV, RFM, NPS, KPI,
CRM, CNY allowed: :data:`zh_text.ALLOWED`). The package's Chinese uses one term per concept;
the retired terms must not come back.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from zh_text import english_words, figure_english, table_english, widget_english

from simulation import preset, run
from simulation.common.i18n import get_language, headers, localise, set_language, unit_label, value_label
from simulation.common.i18n_values import UNITS, VALUES

ROOT = Path(__file__).resolve().parents[1] / "simulation"


@pytest.fixture(autouse=True)
def chinese():
    before = get_language()
    set_language("zh")
    yield
    set_language(before)


@pytest.fixture(scope="module")
def firm():
    return run(preset("small-class"), seed=1)


# --------------------------------------------------------------------------- the checker itself


def test_the_checker_finds_english_and_allows_technical_tokens():
    assert english_words("Customers (CNY)") == ["Customers"]
    assert english_words("RFM 细分 · CLV(元) · NPS · KPI · CRM") == []
    assert english_words("%{y}<br>%{x:,.0f}<extra></extra>") == []
    frame = pd.DataFrame({"segment": ["household"], "n": [1]})
    assert table_english(frame) == ["household", "segment"]
    assert table_english(headers(frame)) == []


def test_headers_translate_known_cells_only_in_chinese_and_leave_the_data_alone():
    data = pd.DataFrame({"channel": ["store", "referral", "someone"], "alive_at_end": [True, False, True]})
    shown = headers(data)
    assert list(shown.columns) == ["渠道", "期末仍为客户（隐藏真值）"]
    assert shown.iloc[:, 0].tolist() == ["门店", "老客户推荐", "someone"]
    assert shown.iloc[:, 1].tolist() == ["是", "否", "是"]
    assert data["channel"].tolist() == ["store", "referral", "someone"]  # the data keeps its codes
    english = headers(data, "en")
    assert english["Channel"].tolist() == ["store", "referral", "someone"]
    counts = data["channel"].value_counts()
    assert set(localise(counts).index) == {"门店", "老客户推荐", "someone"}
    assert headers({"members": 3}).index.tolist() == ["会员数"]


def test_every_category_the_model_writes_has_a_chinese_name():
    from simulation.analytics.kpis import PERSPECTIVES
    from simulation.analytics.rfm import DEFAULT_SEGMENT_RULES, QUADRANT_DESCRIPTIONS
    from simulation.loyalty.ledger import ENTRIES
    from simulation.model.records import CATEGORIES, CHANNEL_CODES, CHURN_REASONS, EVENT_TYPES, STAGES
    from simulation.scenario.complaint_parts import COMPLAINT_CATEGORIES, COMPLAINT_CHANNELS, SEVERITIES
    from simulation.scenario.contact_parts import CONTACT_TYPES
    from simulation.scenario.loyalty_parts import TIERS
    from simulation.scenario.parts import SEGMENTS
    from simulation.scenario.presets import presets

    codes = [
        *CATEGORIES, *CHANNEL_CODES, *CHURN_REASONS, *EVENT_TYPES, *STAGES, *SEGMENTS, *COMPLAINT_CATEGORIES,
        *COMPLAINT_CHANNELS, *SEVERITIES, *CONTACT_TYPES, *TIERS, *ENTRIES, *DEFAULT_SEGMENT_RULES,
        *QUADRANT_DESCRIPTIONS, *PERSPECTIVES, *presets(),
    ]  # fmt: skip
    missing = sorted({c for c in codes if c not in VALUES})
    assert not missing, f"add Chinese names to simulation/common/i18n_values.VALUES: {missing}"
    assert not [c for c in codes if english_words(value_label(c))]


def test_rfm_segments_use_the_course_names():
    assert [value_label(s) for s in ("champions", "at_risk", "about_to_sleep", "hibernating")] == [
        "重要价值客户",
        "重要挽留客户",
        "即将休眠客户",
        "休眠客户",
    ]


def test_every_field_has_chinese_help_and_a_chinese_unit():
    from simulation.interventions.campaign import Campaign
    from simulation.scenario.fields import field_rows

    rows = field_rows(preset("baseline")) + field_rows(Campaign())
    no_help = sorted({r["help"] for r in rows if r["help"] and not r["help_zh"]})
    assert not no_help, f"add to simulation/scenario/help_zh.HELP_ZH: {no_help[:3]}"
    units = sorted({r["unit"] for r in rows if r["unit"] and r["unit"] not in UNITS})
    assert not units, f"add to simulation/common/i18n_values.UNITS: {units}"
    assert not [u for u in UNITS if english_words(unit_label(u))]


# --------------------------------------------------------------------------- the course's tables


def _tables(firm):
    from simulation.analytics import (
        churn_reasons,
        customer_profit,
        pareto_table,
        rfm_scores,
        rfm_segments,
        rfm_table,
        satisfaction_retention,
        segment_summary,
        simulate_survey,
        survey_summary,
    )
    from simulation.interventions.capstone import capstone_scorecard, run_plan, yearly_results
    from simulation.lessons import course
    from simulation.lessons.cleaning import clean_customers, quality_report
    from simulation.lessons.glossary import glossary
    from simulation.lessons.journey import customer_story, pick_customer, walk
    from simulation.lessons.tables import category_table, channel_table, levers_table, stage_counts

    profit = customer_profit(firm.orders, firm.customers)
    customers = firm.customers.loc[firm.customers["acquired_day"].notna()]
    segments = rfm_segments(rfm_scores(rfm_table(firm.orders, as_of_day=firm.as_of_day)))
    yield "departments", course.departments()
    yield "modules", course.modules()
    yield "time_plan", course.time_plan()
    yield "evolution", course.evolution()
    yield "crm_functions", course.crm_functions()
    yield "system_types", course.system_types()
    yield "explorations", course.explorations()
    yield "score_systems", course.score_systems()
    yield "glossary", glossary()
    yield "orders", firm.orders.head(20)
    yield "customers", firm.customers.head(20)
    yield "category_table", category_table(firm.orders)
    yield "channel_table", channel_table(firm.customers)
    yield "walk", walk(False)
    yield "customer_story", customer_story(firm, pick_customer(firm))
    yield "segment_profit", profit.groupby("segment")[["revenue_cny", "profit_cny"]].mean()
    yield "pareto_table", pareto_table(profit)
    yield "stage_counts", firm.customers["stage_at_end"].value_counts().to_frame()
    yield "stages_over_time", stage_counts(firm.lifecycle, as_of_day=firm.as_of_day, step_days=90)
    yield "segment_summary", segment_summary(segments)
    yield "survey_summary", survey_summary(simulate_survey(customers, n=100, response_rate=0.3, seed=7))
    yield "satisfaction_retention", satisfaction_retention(firm.customers)
    yield "churn_reasons", churn_reasons(firm.customers)
    yield "levers_table", levers_table(preset("small-class"))
    yield "capstone_scorecard", capstone_scorecard(run_plan({}, seed=1))
    yield "yearly_results", yearly_results(run_plan({}, seed=1))
    from simulation.data import load_dataset

    raw = load_dataset("class-dirty")["customers_raw"]
    yield "quality_report", quality_report(clean_customers(raw, latest="2025-12-31"))


def test_course_tables_have_no_english_in_chinese(firm):
    """Every table the notebooks show through headers(): headers, index and text cells."""
    from simulation.lessons.tables import department_comparison

    found = {}
    for name, table in _tables(firm):
        bad = table_english(headers(table), skip_columns={"英文"}, identifier_columns={"决策变量", "笔记本"})
        if bad:
            found[name] = bad[:5]
    bad = table_english(department_comparison({"baseline": firm, "product-defect": firm}))
    if bad:
        found["department_comparison"] = bad[:5]
    assert not found, f"English left in Chinese tables: {found}"


def test_headers_also_cover_what_notebooks_show_without_it_today(firm):
    """Tables and KPI dicts that notebook cells display directly: wrapped in headers() they are Chinese."""
    from simulation.analytics import (
        campaign_lift,
        good_customer_score,
        rfm_table,
        selection_inputs,
        spend_frequency_quadrants,
    )
    from simulation.complaints import centre_kpis, complaint_kpis
    from simulation.interventions.campaign import Campaign, campaign_outcomes, run_campaign
    from simulation.lessons.course import class_seeds

    offer = Campaign(target="all", discount_share=0.10)
    result, assignment = run_campaign(preset("small-class"), 2024, offer)
    out = campaign_outcomes(result, assignment, offer)
    lift = campaign_lift(
        out[out["group"] == "treated"],
        out[out["group"] == "holdout"],
        outcome_col="ordered",
        value_col="net_margin_cny",
        cost_per_contact_cny=offer.cost_per_contact_cny,
    )
    shown = {
        "campaign_outcomes": out.head(20),
        "campaign_lift": lift.T,
        "describe": firm.customers[["n_orders", "revenue_cny"]].describe(),
        "good_customer_score": good_customer_score(
            selection_inputs(firm.orders, firm.customers, as_of_day=firm.as_of_day)
        ).head(),
        "quadrants": spend_frequency_quadrants(rfm_table(firm.orders, as_of_day=firm.as_of_day))[
            "quadrant"
        ].value_counts(),
        "class_seeds": class_seeds(["S001", "S002"]),
        "complaint_kpis": complaint_kpis(firm),
        "centre_kpis": centre_kpis(firm),
    }
    found = {name: bad[:5] for name, table in shown.items() if (bad := table_english(headers(table)))}
    assert not found, f"English left in Chinese tables: {found}"


def test_printed_texts_follow_the_language(firm):
    from simulation.complaints import band_check

    assert not english_words(firm.summary_text())
    assert not english_words(band_check(firm.scenario.complaints)["verdict"])
    assert "Erlangs" in band_check(firm.scenario.complaints, lang="en")["verdict"]


# --------------------------------------------------------------------------- figures and widgets


def test_figures_have_no_english_in_chinese(firm):
    from simulation.figures import RESULT_FIGURES, result_figure, trend_figure
    from simulation.figures.journey_game import journey_rounds_figure
    from simulation.interventions.capstone import run_plan, yearly_results
    from simulation.roleplay.journey_session import rehearsal

    figures = {kind: result_figure(firm, kind) for kind in RESULT_FIGURES}
    figures["kpis_against_reference"] = result_figure(firm, "kpis", reference=firm)
    figures["trend"] = trend_figure(yearly_results(run_plan({}, seed=1)), x="year", ys=["revenue_cny", "profit_cny"])
    figures["journey_rounds"] = journey_rounds_figure(rehearsal())
    found = {name: bad[:5] for name, fig in figures.items() if (bad := figure_english(fig))}
    assert not found, f"English left in Chinese figures: {found}"
    assert figure_english(result_figure(firm, "churn", lang="en")), "the figure check finds English"


def test_value_matrix_figure_is_chinese(firm):
    from simulation.analytics import customer_profit, value_matrix
    from simulation.figures.analytics import value_matrix_figure

    profit = customer_profit(firm.orders, firm.customers)
    frame = profit.assign(clv_cny=profit["profit_cny"].rank())
    assert not figure_english(value_matrix_figure(value_matrix(frame)))


def test_explorers_have_no_english_in_chinese(firm):
    """Slider labels and units, tooltips, dropdown options, the text line and the figure."""
    from simulation.data import load_dataset
    from simulation.notebook import explorers as E
    from simulation.notebook.controls import explore

    customers = firm.customers.loc[firm.customers["acquired_day"].notna()]
    dirty = load_dataset("class-dirty")
    made = {
        "journey": E.journey_explorer(),
        "clv": E.clv_explorer(),
        "survey": E.survey_explorer(customers, repeats=10),
        "selection": E.selection_explorer(),
        "staffing": E.staffing_explorer(),
        "criteria": E.criteria_explorer(firm),
        "campaign": E.campaign_explorer(),
        "loyalty": E.loyalty_explorer(),
        "desk": E.desk_explorer(),
        "duplicates": E.duplicates_explorer(dirty["customers_raw"], dirty["customers_truth"], latest="2025-12-31"),
        "explore_kpis": explore(["pricing.discount_pct"], "kpis", seed_slider=True),
        "explore_whale": explore(["service.delivery_cost_cny"], "whale", text=E.pareto_text),
        "explore_churn": explore(["dropout.satisfaction_effect"], "churn", text=["customers_left_truth"]),
        "explore_stages": explore(["lifecycle.decline_after_days", "lifecycle.dormant_after_days"], "stages"),
    }
    found = {name: bad[:5] for name, ex in made.items() if (bad := widget_english(ex.widget))}
    assert not found, f"English left in Chinese widgets: {found}"


def test_a_language_switch_relabels_dropdown_options():
    from simulation.notebook import explorers as E

    ex = E.campaign_explorer()
    target = ex.controls["target"]
    assert "衰退期" in target._options_labels
    before = target.value
    set_language("en")
    assert "decline" in target._options_labels and target.value == before
    assert widget_english(ex.widget), "the widget check finds English"


# --------------------------------------------------------------------------- one term per concept

#: Retired Chinese terms: (wrong, use instead).
WRONG_TERMS = (
    ("协作型", "协同型 CRM"),
    ("投诉处理台", "投诉受理中心"),
    ("投诉台", "投诉受理中心"),
    ("投诉热线", "投诉受理中心"),
    ("仿真热线", "仿真投诉受理中心"),
    ("隐含真值", "隐藏真值"),
    ("杠杆", "决策变量"),
    ("积分沉淀", "积分失效率"),
    ("会员俱乐部", "客户忠诚度计划"),
    ("普遍折扣", "全场统一折扣"),
    ("优惠券", "代金券"),
    ("回复率", "问卷回收率"),
    ("回复人数", "有效应答人数"),
    ("客服人数", "在岗坐席数"),
    ("二线处理人", "二线坐席"),
    ("实践学时", "实训学时"),
    ("活动组", "实验组"),
    ("{p} 对正确", "{p} 对中判断正确 {c} 对"),
    ("联络中心", "呼叫中心"),
    ("首次接触解决率", "首次联络解决率"),
)


def test_retired_chinese_terms_appear_nowhere_in_the_package_or_the_course():
    """One Chinese term per concept, in the package and in every notebook source (and answer key)."""
    hits = []
    sources = sorted((ROOT.parent / "course" / "_build" / "src").rglob("*.txt"))
    for path in [*sorted(ROOT.rglob("*")), *sources]:
        if path.suffix not in (".py", ".toml", ".txt") or "__pycache__" in path.parts:
            continue
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for wrong, right in WRONG_TERMS:
                if wrong in line and "WRONG_TERMS" not in line:
                    hits.append(f"{path.relative_to(ROOT.parent)}:{no}: {wrong!r} -> {right!r}")
            if re.search(r"爱尔兰C(?!公式)", line):
                hits.append(f"{path.relative_to(ROOT.parent)}:{no}: '爱尔兰C' -> '爱尔兰C公式'")
    assert not hits, "\n".join(hits)


def test_a_table_of_column_names_and_units_shows_their_labels_not_other_codes():
    """A data-dictionary table: its ``column`` cells are column names (``channel`` is the
    acquisition channel, not the desk's queue rule of the same code) and its ``unit`` cells units."""
    from simulation.common.dictionary import dictionary_frame
    from simulation.common.i18n import headers, t

    d = dictionary_frame().query("table == 'customers'")[["column", "unit", "meaning_zh"]]
    shown = headers(d, "zh")
    assert list(shown.columns) == [t("column", "zh"), t("unit", "zh"), t("meaning_zh", "zh")]
    names = dict(zip(d["column"], shown.iloc[:, 0]))
    assert names["channel"] == t("channel", "zh") and names["segment"] == t("segment", "zh")
    units = dict(zip(d["unit"], shown.iloc[:, 1]))
    assert units["points (0-100)"] == "分（0-100）" and units["days"] != "days"


_HALF_WIDTH_IN_CHINESE = re.compile(r"[\u4e00-\u9fff][,;:?!()]|[(][\u4e00-\u9fff]")


def _chinese_literals(path: Path):
    """The package's Chinese string literals: not docstrings, not raw or byte strings, more
    Chinese characters than Latin letters (code, SQL parameters and format fields removed)."""
    import io
    import tokenize

    if path.suffix == ".toml":
        for line in path.read_text(encoding="utf-8").splitlines():
            m = re.match(r'^\s*zh\s*=\s*"(.*)"\s*$', line)
            if m:
                yield m.group(1)
        return
    for tok in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
        if tok.type != tokenize.STRING:
            continue
        m = re.match(r"(?s)^([A-Za-z]*)('''|\"\"\"|'|\")(.*)\2$", tok.string)
        if not m or m.group(2) in ("'''", '"""') or set(m.group(1).lower()) & {"r", "b"}:
            continue
        body = re.sub(r"``[^`]*``|`[^`]*`|\{[^{}]*\}|:[a-z_]+", "", m.group(3))
        if len(re.findall(r"[\u4e00-\u9fff]", body)) >= max(1, len(re.findall(r"[A-Za-z]", body))):
            yield body


def test_chinese_texts_in_the_package_use_full_width_punctuation():
    """Every Chinese label, help text, message and card text in the package is typeset as
    Chinese: a comma, semicolon, colon, question or exclamation mark after a Chinese character,
    and brackets around Chinese text, are full width (，；：？！（）), as in the course's Chinese
    edition. Code in backticks, format fields and SQL parameters keep their ASCII."""
    root = Path(__file__).resolve().parents[1] / "simulation"
    found = []
    for path in sorted([*root.rglob("*.py"), *root.rglob("*.toml")]):
        for text in _chinese_literals(path):
            for m in _HALF_WIDTH_IN_CHINESE.finditer(text):
                found.append(f"{path.relative_to(root)}: ...{text[max(0, m.start() - 8) : m.end() + 8]}...")
    assert not found, "half-width punctuation in Chinese text:\n" + "\n".join(found[:20])


def test_the_label_value_and_unit_tables_use_full_width_punctuation_in_chinese():
    """The same rule on the tables themselves, whatever mix of Latin and Chinese a label has
    (``CLV（元）``): every Chinese label, value, unit, data-dictionary meaning and help text."""
    from simulation.common.dictionary import COLUMNS
    from simulation.common.i18n_labels import LABELS
    from simulation.common.i18n_values import COLUMN_LABELS
    from simulation.scenario.help_zh import HELP_ZH

    texts = [
        *(zh for _, zh in LABELS.values()),
        *(zh for _, zh in COLUMN_LABELS.values()),
        *(zh for _, zh in VALUES.values()),
        *(zh for _, zh in UNITS.values()),
        *(row[5] for row in COLUMNS),
        *HELP_ZH.values(),
    ]
    bad = [text for text in texts if _HALF_WIDTH_IN_CHINESE.search(text)]
    assert not bad, bad[:10]
