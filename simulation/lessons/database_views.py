"""Module 3's tables as a student reads them: the schema of one table, association rules,
attribute profiles — with headers in the notebook's language.

Pure functions, DataFrame in and DataFrame out. The values stay the package's codes; the
headers that :func:`simulation.common.i18n.headers` does not know (support, confidence …)
are named here, so that association *lift* (提升度) is not confused with a campaign's lift.
"""

from __future__ import annotations

import pandas as pd

from ..common.checks import did_you_mean
from ..common.i18n import headers, pick

__all__ = ["schema_view", "rules_view", "profile_view"]

_LABELS = {
    "sql_column": ("Column (as SQL writes it)", "字段名（SQL）"),
    "antecedent": ("If a customer bought (A)", "如果买了（A）"),
    "consequent": ("… they also bought (B)", "……也买了（B）"),
    "baskets_both": ("Customers with A and B", "同时买 A 和 B 的客户数"),
    "support_antecedent": ("Support of A", "A 的支持度"),
    "support_consequent": ("Support of B", "B 的支持度"),
    "support": ("Support of A and B", "A 与 B 的支持度"),
    "confidence": ("Confidence", "置信度"),
    "lift": ("Lift of the rule", "提升度"),
    "age_band": ("Age band", "年龄段"),
    "gender": ("Gender", "性别"),
    "city": ("City", "城市"),
    "buyer_share": ("Share with an order", "已下单客户占比"),
    "orders_per_customer": ("Orders per customer", "人均订单数"),
    "column": ("Column", "字段"),
    "type": ("SQL type", "SQL 类型"),
    "constraint": ("Rule", "约束"),
    "meaning": ("Meaning", "含义"),
}
_GENDER = {"F": ("F", "女"), "M": ("M", "男")}


def _rename(df: pd.DataFrame) -> pd.DataFrame:
    out = df.rename(columns=lambda c: pick(*_LABELS[c]) if c in _LABELS else c)
    if out.index.name in _LABELS:
        out.index.name = pick(*_LABELS[out.index.name])
    return out


def schema_view(table: str) -> pd.DataFrame:
    """The columns of one table of the customer database: name, SQL type, rule and meaning.

    The meaning is in the notebook's language; the column names stay as SQL writes them.
    """
    from ..database.docs import schema_frame

    schema = schema_frame()
    names = [t for t in schema["table"].unique() if not t.startswith("v_")]
    if table not in names:
        raise ValueError(
            f"the database has no table {table!r}{did_you_mean(table, names)} (tables: {', '.join(names)})"
        )
    rows = schema.loc[(schema["table"] == table) & (schema["column"] != "*")]
    out = pd.DataFrame(
        {
            "sql_column": rows["column"].to_numpy(),
            "type": rows["type"].to_numpy(),
            "meaning": rows[pick("meaning_en", "meaning_zh")].to_numpy(),
        }
    )
    return _rename(out)


def rules_view(rules: pd.DataFrame, *, digits: int = 3) -> pd.DataFrame:
    """Association rules (:func:`simulation.analytics.association_rules`) ready to show."""
    return headers(_rename(rules.round(digits)))


def profile_view(profile: pd.DataFrame, *, digits: int = 2) -> pd.DataFrame:
    """An attribute profile (:func:`simulation.analytics.demographic_profile`) ready to show."""
    out = profile.round(digits)
    if out.index.name == "gender":
        out.index = [pick(*_GENDER[g]) if g in _GENDER else g for g in out.index]
        out.index.name = "gender"
    return headers(_rename(out))
