"""Cleaning rules for raw CRM text: phones, e-mails, names, dates, categories, amounts.

Each function takes one cell as text and returns ``(value, problem)``:

- ``(value, None)`` — the cell was understood; ``value`` is its canonical form;
- ``(None, None)`` — the cell is empty or a missing-value marker (``NULL``, ``N/A``, ``-``, ``无``);
- ``(None, problem)`` — the cell holds something that cannot be used; ``problem`` says why.

The canonical forms are those of the clean data sets: mobile ``13812345678``; e-mail in lower
case without spaces; Chinese name without spaces; pinyin ``Surname Given``; categories as
the model spells them (``small_business``); dates as :class:`datetime.datetime`.
Full-width characters (``＠``, ``１３８``, the ideographic space) are first folded to their
ordinary forms (Unicode NFKC).
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata

from ..model.records import CATEGORIES, CHANNEL_CODES
from ..scenario.parts import SEGMENTS

__all__ = [
    "MISSING_MARKERS",
    "MOBILE",
    "EMAIL",
    "SURNAME_PINYIN",
    "fold",
    "missing",
    "mobile",
    "email",
    "name_zh",
    "name_pinyin",
    "label",
    "date",
    "amount",
    "birth_year",
    "text",
]

#: Texts that mean "no value" in the raw exports (compared after trimming, case-insensitive).
MISSING_MARKERS = frozenset({"", "null", "none", "n/a", "na", "nan", "-", "--", "?", "无", "空", "未知"})

#: Common surnames and their pinyin (for putting pinyin names in "Surname Given" order).
SURNAME_PINYIN = dict(
    zip(
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐韩冯邓曹彭曾肖田董潘袁蔡蒋余杜叶程魏苏吕丁任沈姚卢"
        "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤",
        (
            "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Luo Gao Zheng Liang Xie Song "
            "Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong Pan Yuan Cai Jiang Yu Du Ye Cheng Wei Su Lyu Ding Ren Shen "
            "Yao Lu Jiang Cui Zhong Tan Lu Wang Fan Jin Shi Liao Jia Xia Wei Fu Fang Bai Zou Meng Xiong Qin Qiu Jiang "
            "Yin Xue Yan Duan Lei Hou Long Shi Tao Li He Gu Mao Hao Gong Shao Wan Qian Yan Qin Wu Dai Mo Kong Xiang "
            "Tang"
        ).split(),
    )
)

_LABELS = {
    "segment": {
        **{s.replace("_", ""): s for s in SEGMENTS},
        "家庭": "household",
        "小企业": "small_business",
        "企业": "small_business",
    },
    "channel": {
        **{c: c for c in CHANNEL_CODES},
        "门店": "store",
        "网店": "web",
        "网上": "web",
        "online": "web",
        "经销商": "dealer",
        "推荐": "referral",
    },
    "category": {
        **{c.replace("_", ""): c for c in CATEGORIES},
        "家电": "appliance",
        "配件": "accessory",
        "耗材": "consumable",
        "服务计划": "service_plan",
    },
    "gender": {"f": "F", "female": "F", "女": "F", "w": "F", "m": "M", "male": "M", "男": "M"},
}
_SPACES = re.compile(r"\s+")
#: A mainland mobile number once separators and a leading 86 are removed (whole text).
MOBILE = re.compile(r"1[3-9]\d{9}")
#: A plausible e-mail address in lower case (whole text): no leading or trailing dot in either part.
EMAIL = re.compile(r"[a-z0-9](?:[a-z0-9._%+-]*[a-z0-9])?@[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?\.[a-z]{2,}")
_HANZI = re.compile(r"[\u3400-\u9fff\u00b7]+")
_DATES = [
    (re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?"), (0, 1, 2)),
    (re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?\s*(?:(\d{1,2})[:：时](\d{2})(?:[:：分](\d{2}))?)?"), (0, 1, 2)),
    (re.compile(r"(\d{4})(\d{2})(\d{2})"), (0, 1, 2)),
    (re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?"), (2, 1, 0)),
]
_AMOUNT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def fold(v) -> str:
    """The cell as text, full-width characters folded (NFKC) and trimmed."""
    return unicodedata.normalize("NFKC", "" if v is None else str(v)).strip()


def missing(v) -> bool:
    """True if the cell is empty or a missing-value marker."""
    return fold(v).lower() in MISSING_MARKERS


def text(v):
    """Free text (city, address, company): trimmed, inner spaces collapsed; empty → None."""
    if missing(v):
        return None, None
    return _SPACES.sub(" ", fold(v)), None


def mobile(v):
    """A mainland mobile number: digits only, without a +86/0086/86 country code."""
    if missing(v):
        return None, None
    digits = re.sub(r"\D", "", fold(v))
    for prefix in ("0086", "86"):
        if len(digits) == 11 + len(prefix) and digits.startswith(prefix):
            digits = digits[len(prefix) :]
    if MOBILE.fullmatch(digits):
        return digits, None
    return None, "not an 11-digit mobile number"


def email(v):
    """An e-mail address in lower case, with spaces and full-width characters removed."""
    if missing(v):
        return None, None
    e = _SPACES.sub("", fold(v)).lower()
    if EMAIL.fullmatch(e):
        return e, None
    return None, "not an e-mail address"


def name_zh(v):
    """A name in Chinese characters, spaces removed."""
    if missing(v):
        return None, None
    n = _SPACES.sub("", fold(v))
    if _HANZI.fullmatch(n):
        return n, None
    return None, "not a name in Chinese characters"


def name_pinyin(v, hanzi: str | None = None):
    """A pinyin name as ``Surname Given`` (e.g. ``Liu Hanqian``).

    The surname is recognised from the Chinese name (``hanzi``) when given, else from
    :data:`SURNAME_PINYIN`; a name written given-name first or without a space is reordered.
    """
    if missing(v):
        return None, None
    words = _SPACES.sub(" ", fold(v)).split(" ")
    if not all(w.isalpha() and w.isascii() for w in words):
        return None, "not a pinyin name"
    sur = SURNAME_PINYIN.get(hanzi[0]) if hanzi else None
    known = {s.lower() for s in SURNAME_PINYIN.values()}
    if len(words) == 1:
        w = words[0]
        if sur and w.lower().startswith(sur.lower()) and len(w) > len(sur):
            words = [w[: len(sur)], w[len(sur) :]]
        else:
            return w.capitalize(), None
    if len(words) == 2:
        a, b = words
        if sur:
            swap = b.lower() == sur.lower() and a.lower() != sur.lower()
        else:
            swap = b.lower() in known and a.lower() not in known
        if swap:
            a, b = b, a
        return f"{a.capitalize()} {b.capitalize()}", None
    return " ".join(w.capitalize() for w in words), None


def label(v, kind: str):
    """A category label (``segment``, ``channel``, ``category`` or ``gender``) in canonical form.

    Case, spaces, underscores and hyphens are ignored; Chinese names of the labels are known.
    """
    if missing(v):
        return None, None
    key = re.sub(r"[\s_\-]+", "", fold(v).lower())
    table = _LABELS[kind]
    if key in table:
        return table[key], None
    return None, f"not a known {kind} ({', '.join(sorted(set(table.values())))})"


def date(v, *, first: _dt.date | None = None, last: _dt.date | None = None):
    """A date or date-time in one of the formats seen in exports, checked against the calendar.

    Formats: ``2024-03-05 [14:02[:11]]``, ``2024/03/05``, ``2024-3-5``, ``2024年3月5日 14:02``,
    ``20240305``, ``05.03.2024`` (day first). ``first``/``last`` bound the plausible dates
    (the firm's first day and the day of the export).
    """
    if missing(v):
        return None, None
    s = fold(v)
    for pattern, (iy, im, id_) in _DATES:
        m = pattern.fullmatch(s)
        if not m:
            continue
        g = m.groups() + (None,) * (6 - len(m.groups()))
        try:
            out = _dt.datetime(int(g[iy]), int(g[im]), int(g[id_]), int(g[3] or 0), int(g[4] or 0), int(g[5] or 0))
        except ValueError:
            return None, "not a real calendar date"
        if first is not None and out.date() < first:
            return None, f"before the firm's records begin ({first.isoformat()})"
        if last is not None and out.date() > last:
            return None, f"after the export was made ({last.isoformat()})"
        return out, None
    return None, "not a date"


def amount(v):
    """A money amount in CNY: currency signs, ``RMB``, ``元`` and thousands separators removed."""
    if missing(v):
        return None, None
    s = fold(v).replace("¥", "").replace(",", "").replace("元", "")
    s = re.sub(r"(?i)rmb|cny", "", s).replace(" ", "")
    if not _AMOUNT.fullmatch(s):
        return None, "not an amount of money"
    a = float(s)
    if a < 0:
        return None, "a negative amount"
    return round(a, 2), None


def birth_year(v, *, first: int, last: int):
    """A year of birth between ``first`` and ``last`` (plausible ages of customers)."""
    if missing(v):
        return None, None
    s = fold(v)
    if not re.fullmatch(r"\d{1,4}", s):
        return None, "not a year"
    y = int(s)
    if not first <= y <= last:
        return None, f"not a plausible year of birth ({first}-{last})"
    return y, None
