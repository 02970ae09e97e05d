"""Cleaning a customer database: normalise, check, find duplicates (course module 3).

The functions work on the text of a messy CRM export such as the ``class-dirty`` data set
(:func:`simulation.data.load_dataset`): every cell is text as somebody typed it. Each
normaliser turns one column into its canonical form and leaves a missing value (``<NA>``)
where the text cannot be read — it never guesses. :func:`quality_report` measures
completeness and validity column by column, before and after; :func:`duplicate_labels`
groups records that share a key. The answer key and the scores live in
:mod:`simulation.data` (``score_duplicates``, ``score_column``).
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from ..database.normalise import EMAIL, MISSING_MARKERS, MOBILE

__all__ = [
    "MISSING_TOKENS",
    "CHOICES",
    "RULES",
    "normalise_mobile",
    "normalise_email",
    "normalise_name",
    "normalise_choice",
    "parse_dates",
    "parse_amounts",
    "clean_customers",
    "quality_report",
    "duplicate_labels",
    "MATCH_KEYS",
    "PERSONAL_COLUMNS",
    "pseudonymise",
]

#: Text that means "nothing was entered" (the customer database's rule set).
MISSING_TOKENS = MISSING_MARKERS

#: Canonical values of the categorical columns and the spellings seen in exports.
CHOICES: dict[str, dict[str, str]] = {
    "gender": {"f": "F", "female": "F", "女": "F", "m": "M", "male": "M", "男": "M"},
    "segment": {
        "household": "household",
        "家庭": "household",
        "家庭客户": "household",
        "small_business": "small_business",
        "small business": "small_business",
        "smallbusiness": "small_business",
        "小企业": "small_business",
        "企业": "small_business",
    },
    "channel": {
        "store": "store",
        "门店": "store",
        "web": "web",
        "网店": "web",
        "online": "web",
        "dealer": "dealer",
        "经销商": "dealer",
        "referral": "referral",
        "推荐": "referral",
    },
    "category": {
        "appliance": "appliance",
        "家电": "appliance",
        "accessory": "accessory",
        "配件": "accessory",
        "consumable": "consumable",
        "耗材": "consumable",
        "service_plan": "service_plan",
        "service plan": "service_plan",
        "服务计划": "service_plan",
    },
}


def _text(s: pd.Series) -> pd.Series:
    """Text with full-width characters folded (NFKC), trimmed, missing tokens as <NA>."""
    t = s.astype("string").map(lambda v: unicodedata.normalize("NFKC", v) if isinstance(v, str) else v)
    t = t.str.strip()
    return t.mask(t.str.lower().isin(MISSING_TOKENS) | t.isna())


def normalise_mobile(s: pd.Series) -> pd.Series:
    """Mainland mobile numbers as 11 digits: drop spaces, dashes, brackets and a leading +86/86.

    Anything that is not then ``1[3-9]`` followed by 9 digits becomes <NA>.
    """
    digits = _text(s).str.replace(r"\D", "", regex=True)
    digits = digits.mask(digits.str.len().eq(13) & digits.str.startswith("86"), digits.str[2:])
    return digits.where(digits.str.fullmatch(MOBILE.pattern).fillna(False).astype(bool))


def normalise_email(s: pd.Series) -> pd.Series:
    """E-mail addresses in lower case without spaces (full-width ＠ folded to @); invalid → <NA>."""
    e = _text(s).str.replace(r"\s+", "", regex=True).str.lower()
    return e.where(e.str.fullmatch(EMAIL.pattern).fillna(False).astype(bool))


def normalise_name(s: pd.Series) -> pd.Series:
    """Names without spaces (ideographic or not) — ``王 小明`` and ``王　小明`` become ``王小明``.

    Latin (pinyin) names become ``Surname Given`` in title case when written surname-first
    in capitals (``WANG XIAOMING``); other word orders are left as typed.
    """
    t = _text(s)
    latin = t.str.match(r"^[A-Za-z ]+$").fillna(False).astype(bool)
    han = t.where(~latin).str.replace(r"\s+", "", regex=True)
    lat = t.where(latin).str.replace(r"\s+", " ", regex=True).str.title()
    return han.fillna(lat).astype("string")


def normalise_choice(s: pd.Series, column: str) -> pd.Series:
    """A categorical column in its canonical spelling (:data:`CHOICES`); unknown text → <NA>.

    Case, spaces and underscores do not matter: ``HOUSE hold`` is ``household``.
    """
    if column not in CHOICES:
        raise ValueError(f"no canonical values for column {column!r}; columns: {', '.join(CHOICES)}.")
    table = {_squash(k): v for k, v in CHOICES[column].items()}
    t = _text(s).str.lower().str.replace(r"[\s_]+", "", regex=True)
    return t.map(table, na_action="ignore").astype("string")


def _squash(text: str) -> str:
    return re.sub(r"[\s_]+", "", text.lower())


_DATE_FORMATS = (
    (r"^\d{4}-\d{1,2}-\d{1,2}$", "%Y-%m-%d"),
    (r"^\d{4}/\d{1,2}/\d{1,2}$", "%Y/%m/%d"),
    (r"^\d{8}$", "%Y%m%d"),
    (r"^\d{4}年\d{1,2}月\d{1,2}日$", "%Y年%m月%d日"),
    (r"^\d{1,2}\.\d{1,2}\.\d{4}$", "%d.%m.%Y"),
)


def parse_dates(s: pd.Series, *, earliest: str = "2024-01-01", latest: str | None = None) -> pd.Series:
    """Dates written in any of the export's formats → ``datetime64``; impossible ones → NaT.

    Formats: ``2024-03-05``, ``2024-3-5``, ``2024/03/05``, ``20240305``, ``2024年3月5日`` and
    ``05.03.2024`` (day first). A date that does not exist (``2024-02-30``) or lies outside
    [``earliest``, ``latest``] (before the firm opened, in the future) becomes NaT.
    """
    t = _text(s)
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[s]")
    for pattern, fmt in _DATE_FORMATS:
        hit = t.str.match(pattern).fillna(False).astype(bool)
        if hit.any():
            out.loc[hit] = pd.to_datetime(t.loc[hit], format=fmt, errors="coerce").astype("datetime64[s]")
    lo = pd.Timestamp(earliest)
    out = out.mask(out < lo)
    if latest is not None:
        out = out.mask(out > pd.Timestamp(latest))
    return out


def parse_amounts(s: pd.Series) -> pd.Series:
    """Money written as ``¥1,234.50``, ``1234.50元`` or ``RMB 1234.50`` → float CNY; else NaN."""
    t = _text(s).str.replace(r"(?i)rmb|cny|[¥￥元,\s]", "", regex=True)
    return pd.to_numeric(t, errors="coerce").astype("float64")


def _birth_year(s: pd.Series, lo: int = 1920, hi: int = 2010) -> pd.Series:
    y = pd.to_numeric(_text(s), errors="coerce")
    return y.where((y >= lo) & (y <= hi)).astype("Int64")


def clean_customers(raw: pd.DataFrame, *, latest: str | None = None) -> pd.DataFrame:
    """Every column of a raw customer export in canonical form (one row per raw record).

    ``latest`` is the last valid registration date (default: none).
    """
    need = ["record_id", "name", "mobile", "email"]
    missing = [c for c in need if c not in raw.columns]
    if missing:
        raise ValueError(f"raw is missing column {missing[0]!r} (has: {', '.join(map(str, raw.columns))}).")
    out = pd.DataFrame({"record_id": raw["record_id"].astype("string")}, index=raw.index)
    for col in raw.columns:
        if col == "record_id":
            continue
        if col == "mobile":
            out[col] = normalise_mobile(raw[col])
        elif col == "email":
            out[col] = normalise_email(raw[col])
        elif col in ("name", "name_pinyin"):
            out[col] = normalise_name(raw[col])
        elif col in CHOICES:
            out[col] = normalise_choice(raw[col], col)
        elif col == "birth_year":
            out[col] = _birth_year(raw[col])
        elif col == "registered_on":
            out[col] = parse_dates(raw[col], latest=latest)
        else:
            out[col] = _text(raw[col])
    return out


#: Validity rules per column: a function of the column's text → True where valid.
RULES = {
    "mobile": lambda s: _text(s).str.fullmatch(MOBILE.pattern),
    "email": lambda s: _text(s).str.fullmatch(EMAIL.pattern),
    "gender": lambda s: _text(s).isin(["F", "M"]),
    "segment": lambda s: _text(s).isin(["household", "small_business"]),
    "channel": lambda s: _text(s).isin(["store", "web", "dealer", "referral"]),
    "birth_year": lambda s: _text(s).str.match(r"^(19[2-9]\d|200\d|2010)$"),
    "registered_on": lambda s: (
        _text(s).str.match(r"^20\d\d-\d\d-\d\d( 00:00:00)?$") & parse_dates(_text(s).str.slice(0, 10)).notna()
    ),
    "name": lambda s: _text(s).str.match(r"^[\u4e00-\u9fff]{2,4}$"),
}


def quality_report(df: pd.DataFrame, *, columns=None) -> pd.DataFrame:
    """Completeness and validity of each column, as shares of rows.

    ``filled`` = share of cells not missing (after folding tokens such as ``NULL`` or ``无``);
    ``valid`` = share of all cells passing the column's rule in :data:`RULES` in its
    canonical form (NaN when the column has no rule); ``distinct`` = different filled values.
    Run it on the raw export and on the cleaned table to see what cleaning fixed.
    """
    columns = [c for c in df.columns if c != "record_id"] if columns is None else list(columns)
    rows = []
    for col in columns:
        if col not in df.columns:
            raise ValueError(f"df has no column {col!r} (has: {', '.join(map(str, df.columns))}).")
        text = (
            df[col].astype("string")
            if not pd.api.types.is_datetime64_any_dtype(df[col])
            else df[col].dt.strftime("%Y-%m-%d").astype("string")
        )
        t = _text(text)
        rule = RULES.get(col)
        valid = float(rule(text).fillna(False).astype(bool).mean()) if rule else np.nan
        rows.append((col, float(t.notna().mean()), valid, int(t.nunique())))
    return pd.DataFrame(rows, columns=["column", "filled", "valid", "distinct"])


#: Keys a duplicate search can use: a name and the columns that must all agree.
MATCH_KEYS = {
    "mobile": ("mobile",),
    "email": ("email",),
    "name_birth_year": ("name", "birth_year"),
    "name_district": ("name", "district"),
}


def duplicate_labels(df: pd.DataFrame, keys=("mobile",)) -> pd.Series:
    """Group records that agree on any of ``keys`` (each a :data:`MATCH_KEYS` name).

    Two records are linked when every column of one key is filled and equal in both; links
    chain (A–B by mobile, B–C by e-mail puts A, B and C together). Returns a Series
    ``record_id -> label`` where the label is the first record_id of the group — the shape
    :func:`simulation.data.score_duplicates` expects.
    """
    if "record_id" not in df.columns:
        raise ValueError("df needs a 'record_id' column.")
    unknown = [k for k in keys if k not in MATCH_KEYS]
    if unknown:
        raise ValueError(f"unknown match key {unknown[0]!r}; keys: {', '.join(MATCH_KEYS)}.")
    ids = df["record_id"].astype(str).to_numpy()
    parent = np.arange(len(df))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for key in keys:
        cols = list(MATCH_KEYS[key])
        part = df[cols].astype("string")
        ok = part.notna().all(axis=1).to_numpy()
        codes = part.loc[ok, cols[0]]
        for c in cols[1:]:
            codes = codes.str.cat(part.loc[ok, c], sep="\x1f")
        first = {}
        for pos, value in zip(np.flatnonzero(ok), codes.to_numpy()):
            if value in first:
                a, b = find(first[value]), find(pos)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                first[value] = pos
    roots = np.array([find(i) for i in range(len(df))])
    return pd.Series(ids[roots], index=pd.Index(ids, name="record_id"), name="label")


#: Columns that identify a person: keep them away from anyone who does not need them.
PERSONAL_COLUMNS = ("name", "name_pinyin", "mobile", "email", "address", "birth_year")


def pseudonymise(df: pd.DataFrame, *, salt: str) -> pd.DataFrame:
    """A copy for analysts: personal columns dropped, a salted hash as the only key.

    ``person_key = sha256(salt + mobile or record_id)[:12]``: the same person gets the same
    key in every extract made with the same salt, but the key does not reveal the number.
    Birth year is kept as a ten-year band (``1980s``).
    """
    import hashlib

    if not salt:
        raise ValueError("salt must be a non-empty secret string kept away from the analysts.")
    base = (
        df["mobile"].astype("string").fillna(df["record_id"].astype("string"))
        if "mobile" in df.columns
        else df["record_id"].astype("string")
    )
    out = df.drop(columns=[c for c in PERSONAL_COLUMNS if c in df.columns])
    out.insert(0, "person_key", [hashlib.sha256((salt + str(v)).encode()).hexdigest()[:12] for v in base])
    if "birth_year" in df.columns:
        y = pd.to_numeric(df["birth_year"], errors="coerce")
        out["birth_decade"] = (y // 10 * 10).astype("Int64").astype("string") + "s"
    return out
