"""Finding the records that belong to one customer, and merging them (deduplication).

Matching rules, applied to the *cleaned* records (see :mod:`simulation.database.normalise`);
two records are the same customer when they share

1. ``mobile`` — the same mobile number (a number belongs to one person);
2. ``email`` — the same e-mail address;
3. ``name_address`` — the same Chinese name *and* the same street address (both present).

Matches are transitive: if A matches B and B matches C, all three are one customer. The
customer's record is then merged, field by field:

- identity fields (name, pinyin, gender, birth year, segment, channel, company) come from the
  *earliest* record that has them — the first registration is the one checked in the store;
- contact fields (mobile, e-mail, city, district, address) come from the *latest* record that
  has them — customers tell the firm when they move, and the course asks that the database be
  kept current, not registered once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["RULES", "IDENTITY_FIELDS", "CONTACT_FIELDS", "match_records", "merge_records"]

RULES = ("mobile", "email", "name_address")
IDENTITY_FIELDS = ("name_zh", "name_pinyin", "gender", "birth_year", "segment", "channel", "company")
CONTACT_FIELDS = ("mobile", "email", "city", "district", "address")


def _keys(recs: pd.DataFrame, rule: str) -> pd.Series:
    if rule == "name_address":
        ok = recs["name_zh"].notna() & recs["address"].notna()
        return (recs["name_zh"].astype(object) + "\x1f" + recs["address"].astype(object)).where(ok, None)
    return recs[rule].astype(object)


def match_records(recs: pd.DataFrame) -> pd.DataFrame:
    """Group records into customers with :data:`RULES`.

    Parameters
    ----------
    recs : DataFrame
        Cleaned records in registration order, with ``record_id``, ``mobile``, ``email``,
        ``name_zh`` and ``address`` (missing values as None/NaN).

    Returns
    -------
    DataFrame aligned with ``recs``: ``group`` (0, 1, … numbered by each group's first record),
    ``match_rule`` (``first`` for a group's first record, else the first rule by which it
    shares a key with another record of its group) and ``matched_record`` (that record,
    an earlier one when possible; None for ``first``).
    """
    n = len(recs)
    parent = np.arange(n)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    keys = {rule: _keys(recs, rule).tolist() for rule in RULES}
    for rule in RULES:
        first: dict = {}
        for i, k in enumerate(keys[rule]):
            if k is None or k != k:
                continue
            j = first.setdefault(k, i)
            if j != i:
                a, b = find(i), find(j)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    roots = np.array([find(i) for i in range(n)], dtype=np.int64)
    _, group = np.unique(roots, return_inverse=True)  # roots are first rows, so in order
    ids = recs["record_id"].tolist()
    members: dict[int, list[int]] = {}
    for i, r in enumerate(roots.tolist()):
        members.setdefault(r, []).append(i)
    rule_of, matched = ["first"] * n, [None] * n
    for i in range(n):
        if roots[i] == i:
            continue
        best = None  # (rule number, later than i?, row)
        for r_k, rule in enumerate(RULES):
            k = keys[rule][i]
            if k is None or k != k:
                continue
            for j in members[int(roots[i])]:
                if j != i and keys[rule][j] == k and (best is None or (r_k, j > i, j) < best):
                    best = (r_k, j > i, j)
        rule_of[i], matched[i] = RULES[best[0]], ids[best[2]]
    return pd.DataFrame(
        {"group": group.astype(np.int64), "match_rule": rule_of, "matched_record": matched}, index=recs.index
    )


def merge_records(recs: pd.DataFrame, group: pd.Series) -> pd.DataFrame:
    """One row per group: identity fields from the earliest record, contact fields from the latest.

    ``recs`` must be in registration order; missing values are skipped (a field is missing in
    the result only if every record of the group lacks it).
    """
    g = recs.assign(_group=group.to_numpy()).groupby("_group", sort=True)
    out = pd.DataFrame(index=pd.RangeIndex(group.max() + 1 if len(group) else 0))
    for col in IDENTITY_FIELDS:
        out[col] = g[col].first()
    for col in CONTACT_FIELDS:
        out[col] = g[col].last()
    return out
