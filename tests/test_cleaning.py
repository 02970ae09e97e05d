"""Cleaning rules, the quality report, duplicate search and pseudonymising (module 3)."""

import pandas as pd
import pytest

from simulation.lessons.cleaning import (
    clean_customers,
    duplicate_labels,
    normalise_choice,
    normalise_email,
    normalise_mobile,
    normalise_name,
    parse_amounts,
    parse_dates,
    pseudonymise,
    quality_report,
)


def _values(s):
    return [None if pd.isna(v) else v for v in s]


def test_mobiles_keep_eleven_digits_and_refuse_the_rest():
    raw = pd.Series(
        [
            "138-1234-5678",
            "+86 138 1234 5678",
            "8613812345678",
            "(+86)13812345678",
            "NULL",
            "12345",
            "23812345678",
            None,
            "１３８１２３４５６７８",
        ]
    )
    assert _values(normalise_mobile(raw)) == ["13812345678"] * 4 + [None, None, None, None, "13812345678"]


def test_emails_are_folded_and_checked():
    raw = pd.Series(["Li.Hua@Mail163.example ", "li hua @ mail.example", "li＠qmail.example", "N/A", "no-at-sign"])
    assert _values(normalise_email(raw)) == [
        "li.hua@mail163.example",
        "lihua@mail.example",
        "li@qmail.example",
        None,
        None,
    ]


def test_names_lose_their_spaces():
    assert _values(normalise_name(pd.Series(["王 小明", "王　小明", "WANG XIAOMING", "-"]))) == [
        "王小明",
        "王小明",
        "Wang Xiaoming",
        None,
    ]


def test_choices_map_every_spelling_to_one_value():
    assert _values(
        normalise_choice(
            pd.Series(["Household", "HOUSE hold", "家庭", "small business", "Small_Business", "shop"]), "segment"
        )
    ) == ["household", "household", "household", "small_business", "small_business", None]
    assert _values(normalise_choice(pd.Series(["女", "female", " M "]), "gender")) == ["F", "F", "M"]
    with pytest.raises(ValueError, match="no canonical values for column 'city'"):
        normalise_choice(pd.Series(["x"]), "city")


def test_dates_in_every_format_and_impossible_ones_refused():
    raw = pd.Series(
        [
            "2024-03-05",
            "2024-3-5",
            "2024/03/05",
            "20240305",
            "2024年3月5日",
            "05.03.2024",
            "2024-02-30",
            "2004-03-05",
            "2095-03-05",
            "无",
        ]
    )
    out = parse_dates(raw, latest="2025-12-31")
    assert (out.iloc[:6] == pd.Timestamp("2024-03-05")).all()
    assert out.iloc[6:].isna().all()


def test_amounts_in_every_format():
    assert _values(parse_amounts(pd.Series(["¥1,234.50", "1234.50元", "RMB 1234.50", "1234.5", "", "abc"]))) == [
        1234.5,
        1234.5,
        1234.5,
        1234.5,
        None,
        None,
    ]


def test_quality_report_counts_filled_and_valid_cells():
    df = pd.DataFrame(
        {
            "record_id": ["a", "b", "c", "d"],
            "mobile": ["13812345678", "138-1234-5678", "NULL", "13912345678"],
            "city": ["上海", "", "杭州", "苏州"],
        }
    )
    rep = quality_report(df).set_index("column")
    assert rep.loc["mobile", "filled"] == 0.75 and rep.loc["mobile", "valid"] == 0.5
    assert rep.loc["city", "filled"] == 0.75 and pd.isna(rep.loc["city", "valid"])


def test_duplicates_chain_across_keys_and_ignore_missing_values():
    df = pd.DataFrame(
        {
            "record_id": ["r1", "r2", "r3", "r4", "r5"],
            "mobile": ["13800000001", "13800000001", None, None, "13800000009"],
            "email": ["a@x.example", None, "a@x.example", None, None],
        }
    )
    labels = duplicate_labels(df, ["mobile", "email"])
    assert labels.to_dict() == {"r1": "r1", "r2": "r1", "r3": "r1", "r4": "r4", "r5": "r5"}
    assert duplicate_labels(df, ["mobile"]).to_dict()["r3"] == "r3"
    with pytest.raises(ValueError, match="unknown match key 'phone'"):
        duplicate_labels(df, ["phone"])


def test_pseudonymised_extract_hides_people_but_keeps_them_apart():
    df = pd.DataFrame(
        {
            "record_id": ["r1", "r2", "r3"],
            "name": ["王小明", "李华", "王小明"],
            "mobile": ["13800000001", "13800000002", "13800000001"],
            "birth_year": [1985, 1992, 1985],
            "city": ["上海", "杭州", "上海"],
        }
    )
    out = pseudonymise(df, salt="s3cret")
    assert not {"name", "mobile", "birth_year"} & set(out.columns)
    assert out["person_key"].iloc[0] == out["person_key"].iloc[2] != out["person_key"].iloc[1]
    assert list(out["birth_decade"]) == ["1980s", "1990s", "1980s"]
    assert pseudonymise(df, salt="other")["person_key"].iloc[0] != out["person_key"].iloc[0]
    with pytest.raises(ValueError, match="salt"):
        pseudonymise(df, salt="")


@pytest.fixture(scope="module")
def dirty():
    from simulation.data import load_dataset

    return load_dataset("class-dirty")


def test_cleaning_restores_the_dirty_class_export(dirty):
    """Every defect kind of the class-dirty data set (datasets/README.md) that can be undone is undone."""
    from simulation.data import score_column

    clean = clean_customers(dirty["customers_raw"], latest="2025-12-31")
    for col in ("mobile", "email", "name", "gender", "segment", "channel", "birth_year", "registered_on"):
        score = score_column(clean, dirty["customers_truth"], col, defects=dirty["defects"])
        assert score["accuracy"] >= 0.995, (col, score)


def test_duplicate_search_on_cleaned_data_finds_the_registered_twice(dirty):
    from simulation.data import score_duplicates

    raw, truth = dirty["customers_raw"], dirty["customers_truth"]
    clean = clean_customers(raw, latest="2025-12-31")
    on_clean = score_duplicates(duplicate_labels(clean, ["mobile", "email"]), truth)
    on_raw = score_duplicates(duplicate_labels(raw, ["mobile", "email"]), truth)
    assert on_clean["f1"] >= 0.98
    assert on_raw["precision"] < 0.5  # 'NULL' matches 'NULL'
