"""Schemas of the data-set files, taken from the data dictionary.

Every file in ``datasets/`` holds one *table*. Its columns, their order and their types come
from :data:`simulation.common.dictionary.COLUMNS`, with one exception: the canonical data sets split
the model's ``customers`` table in two, so that students do not see the simulation's hidden
truth by accident:

- ``customers``: every column a real firm could know;
- ``truth``: ``customer_id`` plus the hidden columns (:func:`truth_columns`) — the latent
  purchase rate, dropout chance, mean spend and plan lapse chance of each customer, whether
  and when they silently left, and why. Instructors use it to grade and validate.

Types (the ``type`` column of the dictionary) and how they are written to text:

========== ========================================= =====================================
type       text in the file                          pandas dtype after loading
========== ========================================= =====================================
int64      ``-12``                                   ``int64``
float64    ``12.500000``; empty = missing            ``float64`` (NaN)
bool       ``True`` / ``False``                      ``bool``
datetime64 ``2024-03-05 14:02:11``; empty = missing  ``datetime64[s]`` (NaT)
date       ``2024-03-05``; empty = missing           ``datetime64[s]`` (NaT)
category   a label; empty = missing                  ``category`` with the model's levels
str        the text exactly as written               ``str``
========== ========================================= =====================================
"""

from __future__ import annotations

from dataclasses import dataclass

from ..common.dictionary import COLUMNS
from ..model.records import CATEGORIES, CHANNEL_CODES, CHURN_REASONS, EVENT_TYPES, STAGES
from ..scenario.parts import SEGMENTS

__all__ = [
    "DatasetError",
    "Column",
    "schema",
    "truth_columns",
    "TRUTH_EXTRA",
    "HIDDEN_EVENTS",
    "LEVELS",
    "DEFECT_KINDS",
    "GENDERS",
    "decimals",
]


class DatasetError(ValueError):
    """A data-set file is missing, malformed or does not match its schema.

    The message names the file, and where it can, the row and the column:
    ``"orders.csv.gz, row 17, column 'amount_cny': expected a number, got 'abc'"``.
    """


#: Columns of ``customers`` that go to the ``truth`` file although the dictionary does not
#: call them hidden: a churn reason is recorded exactly for the customers who silently left,
#: so it would give the hidden ``alive_at_end`` away.
TRUTH_EXTRA = ("churn_reason",)

#: Event types a real firm cannot observe; they are left out of the data sets' event files
#: (``dropped_day``, ``alive_at_end`` and ``churn_reason`` in ``truth`` carry the facts).
HIDDEN_EVENTS = ("deterred", "dropout", "comeback")

#: Genders of the contact people (F = female, M = male).
GENDERS = ("F", "M")

#: Kinds of defect the dirty-data injector writes into ``defects.defect``.
DEFECT_KINDS = (
    "missing",
    "phone_format",
    "email_format",
    "name_format",
    "date_format",
    "impossible_date",
    "category_case",
    "amount_format",
)

#: Fixed category levels, in the model's order, so that loaded tables have the same
#: categorical dtypes as a fresh run. Category columns not listed use their sorted labels.
LEVELS: dict[tuple[str, str], tuple[str, ...]] = {
    ("customers", "segment"): SEGMENTS,
    ("customers", "channel"): CHANNEL_CODES,
    ("customers", "stage_at_end"): STAGES,
    ("customers", "churn_reason"): CHURN_REASONS,
    ("orders", "segment"): SEGMENTS,
    ("orders", "category"): CATEGORIES,
    ("lifecycle", "from_stage"): ("none",) + STAGES,
    ("lifecycle", "to_stage"): STAGES,
    ("events", "event_type"): EVENT_TYPES,
    ("contacts", "gender"): GENDERS,
    ("customers_truth", "gender"): GENDERS,
    ("customers_truth", "segment"): SEGMENTS,
    ("customers_truth", "channel"): CHANNEL_CODES,
    ("orders_truth", "category"): CATEGORIES,
    ("defects", "defect"): DEFECT_KINDS,
}
LEVELS[("truth", "churn_reason")] = CHURN_REASONS


@dataclass(frozen=True)
class Column:
    """One column of a data-set table: name, type, unit and English meaning."""

    name: str
    type: str
    unit: str
    meaning: str

    @property
    def decimals(self) -> int:
        """Decimals a float column is written with (see :func:`decimals`)."""
        return decimals(self.unit)


def decimals(unit: str) -> int:
    """Decimals of a float column in the files: 2 for money (``CNY``, whole fen), else 6.

    Six decimals of a day are 0.09 s, finer than the seconds of the date columns.
    """
    return 2 if unit.startswith("CNY") else 6


def _dictionary_table(table: str) -> list[Column]:
    return [Column(c, typ, unit, en) for t, c, typ, unit, en, _zh in COLUMNS if t == table]


def truth_columns() -> tuple[str, ...]:
    """Columns of ``customers`` kept out of the students' file (hidden truth + TRUTH_EXTRA).

    A column is hidden when its English meaning in the dictionary starts with
    ``"Hidden truth"``, so a hidden column added to the model later moves here by itself.
    """
    cols = _dictionary_table("customers")
    return tuple(c.name for c in cols if c.meaning.lower().startswith("hidden truth") or c.name in TRUTH_EXTRA)


def schema(table: str) -> list[Column]:
    """The columns of ``table`` as written in the data-set files, in file order.

    Parameters
    ----------
    table : str
        A dictionary table (``orders``, ``contacts``, ``customers_raw`` …), or one of the two
        halves of the model's customers table: ``customers`` (observable columns) and
        ``truth`` (``customer_id`` + :func:`truth_columns`).

    Raises
    ------
    DatasetError
        If the table is not documented in the data dictionary.
    """
    if table == "truth":
        hidden = set(truth_columns())
        return [c for c in _dictionary_table("customers") if c.name == "customer_id" or c.name in hidden]
    cols = _dictionary_table(table)
    if not cols:
        known = sorted({t for t, *_ in COLUMNS} | {"truth"})
        raise DatasetError(f"table {table!r} is not in the data dictionary; known tables: {', '.join(known)}")
    if table == "customers":
        hidden = set(truth_columns())
        cols = [c for c in cols if c.name not in hidden]
    return cols
