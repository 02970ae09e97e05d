"""Labels in English and Chinese: the language switch, the label table, translated figures."""

import os
import re
import subprocess
import sys

import pandas as pd
import pytest

from simulation.common import i18n
from simulation.common.i18n import LABELS, field_label, get_language, headers, on_language_change, set_language, t
from simulation.scenario import Scenario
from simulation.scenario.fields import field_rows

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def small_result(small):
    from simulation import run

    return run(small, seed=3)


@pytest.fixture(autouse=True)
def english():
    """Every test starts and ends in English, whatever CRM_LANG says."""
    before = get_language()
    set_language("en")
    yield
    set_language(before)


def _language_in_fresh_process(value):
    env = {k: v for k, v in os.environ.items() if k != "CRM_LANG"}
    if value is not None:
        env["CRM_LANG"] = value
    out = subprocess.run(
        [
            sys.executable,
            "-W",
            "always",
            "-c",
            "from simulation.common.i18n import get_language; print(get_language())",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip(), out.stderr


@pytest.mark.parametrize(
    "value, expected",
    [(None, "en"), ("zh", "zh"), ("zh_CN.UTF-8", "zh"), ("EN", "en"), ("en_US.UTF-8", "en"), ("", "en")],
)
def test_default_language_comes_from_the_environment(value, expected):
    lang, _ = _language_in_fresh_process(value)
    assert lang == expected


def test_unsupported_environment_language_falls_back_to_english_with_a_warning():
    lang, err = _language_in_fresh_process("fr")
    assert lang == "en"
    assert "CRM_LANG='fr'" in err and "'en' or 'zh'" in err


def test_set_language_switches_labels_and_rejects_unknown_languages():
    assert t("revenue_cny") == "Revenue (CNY)"
    assert set_language("zh") == "zh"
    assert get_language() == "zh"
    assert t("revenue_cny") == "收入（元）"
    assert t("revenue_cny", "en") == "Revenue (CNY)"
    with pytest.raises(ValueError, match="language must be 'en' or 'zh'; got 'fr'"):
        set_language("fr")
    assert get_language() == "zh"


def test_unknown_label_key_suggests_the_closest():
    with pytest.raises(KeyError, match="did you mean 'revenue_cny'"):
        t("revenue_cn")


def test_every_label_has_english_and_chinese_text():
    for key, (en, zh) in LABELS.items():
        assert en.strip() and zh.strip(), key
        assert CJK.search(zh), f"{key}: Chinese label {zh!r} has no Chinese characters"
        assert not CJK.search(en), f"{key}: English label {en!r} contains Chinese"


def test_headers_translate_known_columns_and_keep_the_rest():
    df = pd.DataFrame({"customer_id": [1], "revenue_cny": [2.0], "my_own_column": [3]})
    zh = headers(df, "zh")
    assert list(zh.columns) == ["客户编号", "收入（元）", "my_own_column"]
    assert list(df.columns) == ["customer_id", "revenue_cny", "my_own_column"]  # not changed in place
    set_language("zh")
    assert list(headers(df).columns) == list(zh.columns)


def test_every_scenario_field_has_a_chinese_widget_label():
    for row in field_rows(Scenario()):
        label = field_label(row, "zh", unit=False)
        assert CJK.search(label), f"{row['path']}: {label!r}"
        assert not CJK.search(field_label(row, "en", unit=False)), row["path"]


def test_listeners_hear_a_real_switch_only():
    heard = []
    callback = on_language_change(heard.append)
    try:
        set_language("en")  # no change
        set_language("zh")
        set_language("zh")  # no change
        set_language("en")
    finally:
        i18n._listeners.remove(callback)
    assert heard == ["zh", "en"]


def test_course_figures_are_drawn_in_chinese(small_result):
    from simulation.figures import RESULT_FIGURES, result_figure

    for kind in RESULT_FIGURES:
        fig = result_figure(small_result, kind, reference=small_result, lang="zh")
        texts = [fig.layout.title.text or ""]
        texts += [ax.title.text for ax in (fig.layout.xaxis, fig.layout.yaxis) if ax.title.text]
        texts += [tr.name for tr in fig.data if getattr(tr, "name", None)]
        texts += [tr.title.text for tr in fig.data if tr.type == "indicator"]
        assert texts, kind
        for text in texts:
            assert CJK.search(text), f"{kind}: {text!r} is not translated"


def test_course_figures_follow_the_current_language(small_result):
    from simulation.figures import result_figure

    assert result_figure(small_result, "stages").layout.title.text == t("title.stages_over_time", "en")
    set_language("zh")
    assert result_figure(small_result, "stages").layout.title.text == t("title.stages_over_time", "zh")


def test_course_tables_are_bilingual():
    from simulation.lessons.course import crm_functions, departments, evolution, modules, system_types, time_plan

    for make in (modules, time_plan, departments, crm_functions, system_types, evolution):
        en, zh = make("en"), make("zh")
        assert en.shape == zh.shape
        assert CJK.search(" ".join(map(str, zh.iloc[:, 1]))), make.__name__
        assert not CJK.search(" ".join(map(str, en.iloc[:, 1]))), make.__name__
        translated = headers(zh, "zh")
        assert all(CJK.search(str(c)) for c in translated.columns), make.__name__


def test_every_table_the_course_shows_has_bilingual_headers(small_result):
    """Each column of the tables the notebooks pass to ``headers()`` has a label (run names aside)."""
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
    from simulation.interventions import capstone
    from simulation.lessons import cleaning, course, glossary, journey
    from simulation.lessons import tables as views

    r = small_result
    acquired = r.customers.loc[r.customers["acquired_day"].notna()]
    tables = {
        "channel_table": views.channel_table(r.customers),
        "category_table": views.category_table(r.orders),
        "orders_by_period": views.orders_by_period(r.orders, as_of_day=r.as_of_day),
        "customers_by_period": views.customers_by_period(r.customers, as_of_day=r.as_of_day),
        "stage_counts": views.stage_counts(r.lifecycle, as_of_day=r.as_of_day),
        "department_comparison": views.department_comparison({"run": r}),
        "levers_table": views.levers_table(r.scenario),
        "selection_check": views.selection_check(r, as_of_day=180),
        "survey_estimates": views.survey_estimates(r.customers, n=50, response_rate=0.5, repeats=2),
        "time_plan": course.time_plan(),
        "modules": course.modules(),
        "departments": course.departments(),
        "crm_functions": course.crm_functions(),
        "system_types": course.system_types(),
        "evolution": course.evolution(),
        "explorations": course.explorations(),
        "glossary": glossary.glossary(),
        "class_seeds": course.class_seeds(["S1"]),
        "walk": journey.walk(False),
        "customer_story": journey.customer_story(r, journey.pick_customer(r)),
        "quality_report": cleaning.quality_report(r.customers[["customer_id"]].astype(str)),
        "segment_summary": segment_summary(
            rfm_segments(rfm_scores(rfm_table(r.orders, as_of_day=r.as_of_day)))
        ).reset_index(),
        "pareto_table": pareto_table(customer_profit(r.orders, r.customers)),
        "survey_summary": survey_summary(simulate_survey(acquired, n=100, response_rate=0.5, seed=1)),
        "satisfaction_retention": satisfaction_retention(r.customers),
        "churn_reasons": churn_reasons(r.customers),
        "yearly_results": capstone.yearly_results(r),
    }
    for name, table in tables.items():
        unlabelled = [c for c in table.columns if c not in LABELS and c != "run"]
        assert not unlabelled, f"{name}: no label for {unlabelled}"
        assert all(CJK.search(str(c)) for c in headers(table.drop(columns=["run"], errors="ignore"), "zh").columns), (
            name
        )


def test_every_summary_kpi_has_an_english_and_a_chinese_label():
    """Figures and KPI lines label the keys of Result.summary through i18n; none may fall back to the raw key."""
    from simulation import preset, run
    from simulation.common.i18n import label_or_key

    keys = [k for k in run(preset("small-class"), 1).summary() if k not in ("scenario", "seed", "days")]
    for lang in ("en", "zh"):
        missing = [k for k in keys if label_or_key(k, lang) == k]
        assert not missing, (lang, missing)
