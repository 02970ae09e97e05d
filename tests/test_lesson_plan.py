"""The instructor guide's lesson plan and assessment scheme (simulation.lessons.plan)."""

import re
import tomllib
from pathlib import Path

import pytest

from simulation.common.i18n import headers
from simulation.lessons.course import MODULES, PRACTICE_HOURS, THEORY_HOURS, time_plan
from simulation.lessons.plan import (
    ASSESSMENT,
    CLASS_HOUR_MINUTES,
    LEVELS,
    RUBRICS,
    SESSIONS,
    assessment,
    lesson_plan,
    plan_hours,
    rubric,
)

ROOT = Path(__file__).resolve().parents[1]
CARDS = ROOT / "simulation" / "roleplay" / "cards"
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_the_sessions_fill_48_theory_and_32_practice_hours_module_by_module():
    hours = plan_hours().set_index("module")
    assert hours["theory_hours"].sum() == THEORY_HOURS == 48
    assert hours["practice_hours"].sum() == PRACTICE_HOURS == 32
    for number, _, _, _, theory, practice in MODULES:
        assert (hours.loc[number, "theory_hours"], hours.loc[number, "practice_hours"]) == (theory, practice), number
    coarse = time_plan().groupby("module")[["theory_hours", "practice_hours"]].sum()
    assert (coarse.values == hours[["theory_hours", "practice_hours"]].values).all()
    assert len(SESSIONS) == hours["sessions"].sum() == 40


def test_each_session_is_two_class_hours_each_of_one_type():
    for number, (_, parts) in enumerate(SESSIONS, start=1):
        assert sum(p[1] for p in parts) == 2 * CLASS_HOUR_MINUTES, f"session {number}"
        kinds = {0: set(), 1: set()}  # class hour -> the types of the parts in it
        start = 0
        for kind, minutes, *_ in parts:
            assert kind in ("T", "P") and minutes > 0, f"session {number}"
            for hour in {(start + m) // CLASS_HOUR_MINUTES for m in range(minutes)}:
                kinds[hour].add(kind)
            start += minutes
        assert all(len(k) == 1 for k in kinds.values()), f"session {number} mixes theory and practice in one hour"


def test_every_material_exists():
    notebooks = {p.name for p in (ROOT / "course").glob("*.ipynb")}
    assignments = {p.stem.split("_")[0] for p in (ROOT / "assignments" / "source").glob("a*.ipynb")}
    cards = {p.stem for p in CARDS.glob("*.toml")}
    plan = lesson_plan(lang="en")
    for material in plan["material"]:
        if material.endswith(".ipynb"):
            assert material in notebooks
    for _, parts in SESSIONS:
        for _, _, material, *_ in parts:
            assert isinstance(material, int) or material in cards | assignments | {"journey", "glossary"}, material


def test_role_plays_and_capstone_sit_in_practice_hours():
    # practical session 1: the journey game, four practice hours of module 1
    journey = [(m, p) for m, parts in SESSIONS for p in parts if p[2] == "journey"]
    assert {m for m, _ in journey} == {1} and {p[0] for _, p in journey} == {"P"}
    assert sum(p[1] for _, p in journey) == 4 * CLASS_HOUR_MINUTES
    # every firm role-play card is played once, for as many rounds as the card has
    for card in CARDS.glob("*.toml"):
        rounds = tomllib.loads(card.read_text(encoding="utf-8"))["rounds"]
        parts = [p for _, ps in SESSIONS for p in ps if p[2] == card.stem]
        assert parts and {p[0] for p in parts} == {"P"}, card.stem
        assert sum(p[1] for p in parts) == 2 * CLASS_HOUR_MINUTES
        assert any(p[3] == f"{rounds} monthly rounds" for p in parts), card.stem
    # the capstone: three hours of practice in module 5, as the README plans a6
    capstone = [(m, p) for m, parts in SESSIONS for p in parts if p[2] == "a6"]
    assert {m for m, _ in capstone} == {5} and {p[0] for _, p in capstone} == {"P"}
    assert sum(p[1] for _, p in capstone) == 180


def test_assessment_weights_add_up_to_100_and_every_item_has_a_rubric_of_100_points():
    assert sum(row[3] for row in ASSESSMENT) == 100 == assessment()["weight_pct"].sum()
    assert [row[0] for row in ASSESSMENT] == list(RUBRICS)
    for item in RUBRICS:
        table = rubric(item)
        assert table["max_points"].sum() == 100, item
        assert table.notna().all().all() and (table != "").all().all(), item
    assert [low for *_, low in LEVELS] == sorted((low for *_, low in LEVELS), reverse=True)
    with pytest.raises(ValueError, match="no rubric for 'homework'"):
        rubric("homework")


@pytest.mark.parametrize("make", [lesson_plan, assessment, lambda lang: rubric("practical_reports", lang)])
def test_plan_tables_are_bilingual_with_labelled_headers(make):
    en, zh = make(lang="en"), make(lang="zh")
    assert en.shape == zh.shape
    text = [c for c in en.columns if en[c].dtype == object and c != "material"]
    for c in text:
        assert not CJK.search(" ".join(en[c])), c
        assert all(CJK.search(v) for v in zh[c]), c
    for lang in ("en", "zh"):
        shown = headers(en if lang == "en" else zh, lang)
        assert all(a != b for a, b in zip(shown.columns, en.columns)), "every column needs a label"
    assert all(CJK.search(c) for c in headers(zh, "zh").columns)


def test_the_rubric_level_headers_name_the_levels_thresholds():
    """The rubric's column headers (in the label table) state the same thresholds as ``LEVELS``,
    in both languages, so a change of a threshold cannot leave a stale header behind."""
    from simulation.common.i18n_labels import LABELS
    from simulation.lessons.plan import LEVELS

    for key, en, zh, low in LEVELS:
        head_en, head_zh = LABELS[f"level_{key}"]
        assert head_en.startswith(en) and head_zh.startswith(zh)
        assert f"{max(low, LEVELS[-2][3]):.0%}" in head_en and f"{max(low, LEVELS[-2][3]):.0%}" in head_zh
