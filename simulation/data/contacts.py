"""Fictional contact details for the firm's customers (module 3, building the database).

Every person, company, mobile number and e-mail address made here is invented by a seeded
random draw from small built-in lists; any likeness to a real person is a coincidence.
E-mail addresses use domains under ``.example``, a top-level domain reserved for examples
(RFC 2606), so no address can reach anybody. Mobile numbers have the 11-digit format of
mainland China (``1`` + a carrier digit 3–9 + 9 digits); they are random and not meant to be
dialled.

The firm, Evergreen Home Appliances, serves the Yangtze River Delta, so addresses are drawn
from a few cities of that region and their districts.
"""

from __future__ import annotations

import datetime as _dt

import numpy as np
import pandas as pd

from ..model.streams import stream_key

__all__ = ["make_contacts", "CITIES"]

# Common surnames with a rough relative frequency (Hanzi, pinyin, weight).
_SURNAMES = [
    ("王", "Wang", 72),
    ("李", "Li", 70),
    ("张", "Zhang", 66),
    ("刘", "Liu", 53),
    ("陈", "Chen", 45),
    ("杨", "Yang", 31),
    ("黄", "Huang", 25),
    ("赵", "Zhao", 20),
    ("吴", "Wu", 20),
    ("周", "Zhou", 19),
    ("徐", "Xu", 15),
    ("孙", "Sun", 15),
    ("马", "Ma", 12),
    ("朱", "Zhu", 12),
    ("胡", "Hu", 11),
    ("郭", "Guo", 11),
    ("何", "He", 10),
    ("林", "Lin", 10),
    ("罗", "Luo", 9),
    ("高", "Gao", 9),
    ("郑", "Zheng", 8),
    ("梁", "Liang", 8),
    ("谢", "Xie", 7),
    ("宋", "Song", 6),
    ("唐", "Tang", 6),
    ("韩", "Han", 5),
    ("冯", "Feng", 5),
    ("邓", "Deng", 5),
    ("曹", "Cao", 5),
    ("彭", "Peng", 5),
    ("曾", "Zeng", 5),
    ("肖", "Xiao", 5),
    ("田", "Tian", 4),
    ("董", "Dong", 4),
    ("潘", "Pan", 4),
    ("袁", "Yuan", 4),
    ("蔡", "Cai", 4),
    ("蒋", "Jiang", 4),
    ("余", "Yu", 4),
    ("杜", "Du", 3),
    ("叶", "Ye", 3),
    ("程", "Cheng", 3),
    ("魏", "Wei", 3),
    ("苏", "Su", 3),
    ("陆", "Lu", 3),
    ("丁", "Ding", 3),
    ("沈", "Shen", 3),
    ("姚", "Yao", 3),
    ("方", "Fang", 3),
    ("钱", "Qian", 2),
]
# Characters of given names (Hanzi, pinyin), by the gender they are more often given to.
_GIVEN = {
    "M": [
        ("伟", "wei"),
        ("强", "qiang"),
        ("磊", "lei"),
        ("军", "jun"),
        ("勇", "yong"),
        ("杰", "jie"),
        ("涛", "tao"),
        ("明", "ming"),
        ("超", "chao"),
        ("刚", "gang"),
        ("平", "ping"),
        ("辉", "hui"),
        ("鹏", "peng"),
        ("华", "hua"),
        ("飞", "fei"),
        ("鑫", "xin"),
        ("波", "bo"),
        ("斌", "bin"),
        ("宇", "yu"),
        ("浩", "hao"),
        ("凯", "kai"),
        ("健", "jian"),
        ("俊", "jun"),
        ("帆", "fan"),
        ("志", "zhi"),
        ("建", "jian"),
        ("国", "guo"),
        ("文", "wen"),
        ("博", "bo"),
        ("子", "zi"),
        ("轩", "xuan"),
        ("晨", "chen"),
        ("阳", "yang"),
        ("海", "hai"),
        ("东", "dong"),
        ("龙", "long"),
    ],
    "F": [
        ("芳", "fang"),
        ("娜", "na"),
        ("敏", "min"),
        ("静", "jing"),
        ("丽", "li"),
        ("艳", "yan"),
        ("娟", "juan"),
        ("霞", "xia"),
        ("秀", "xiu"),
        ("玲", "ling"),
        ("婷", "ting"),
        ("雪", "xue"),
        ("慧", "hui"),
        ("颖", "ying"),
        ("琳", "lin"),
        ("欣", "xin"),
        ("怡", "yi"),
        ("佳", "jia"),
        ("梅", "mei"),
        ("红", "hong"),
        ("倩", "qian"),
        ("萍", "ping"),
        ("洁", "jie"),
        ("月", "yue"),
        ("晓", "xiao"),
        ("雨", "yu"),
        ("思", "si"),
        ("梦", "meng"),
        ("诗", "shi"),
        ("涵", "han"),
        ("春", "chun"),
        ("燕", "yan"),
        ("兰", "lan"),
        ("凤", "feng"),
        ("晶", "jing"),
        ("云", "yun"),
    ],
}
#: Cities served (Hanzi, pinyin, relative weight, districts).
CITIES = [
    ("上海", "Shanghai", 24, ["浦东新区", "徐汇区", "闵行区", "杨浦区", "静安区", "宝山区"]),
    ("杭州", "Hangzhou", 20, ["西湖区", "拱墅区", "上城区", "滨江区", "余杭区", "萧山区"]),
    ("苏州", "Suzhou", 14, ["姑苏区", "吴中区", "相城区", "虎丘区", "吴江区"]),
    ("南京", "Nanjing", 12, ["玄武区", "秦淮区", "鼓楼区", "建邺区", "江宁区"]),
    ("宁波", "Ningbo", 10, ["海曙区", "江北区", "鄞州区", "镇海区"]),
    ("无锡", "Wuxi", 8, ["梁溪区", "滨湖区", "新吴区", "锡山区"]),
    ("嘉兴", "Jiaxing", 6, ["南湖区", "秀洲区"]),
    ("绍兴", "Shaoxing", 6, ["越城区", "柯桥区", "上虞区"]),
]
_STREETS = [
    "人民路",
    "解放路",
    "中山路",
    "建设路",
    "和平路",
    "文化路",
    "新华路",
    "胜利路",
    "青年路",
    "学院路",
    "长江路",
    "湖滨路",
    "春晓路",
    "光明路",
    "幸福路",
    "朝阳路",
    "滨河路",
    "园林路",
    "丰收路",
    "兴业街",
    "书院街",
    "梧桐巷",
    "桂花巷",
    "运河路",
]
# Small-business names: brand (Hanzi, pinyin) and trade.
_BRANDS = [
    ("明达", "mingda"),
    ("恒信", "hengxin"),
    ("华联", "hualian"),
    ("鑫源", "xinyuan"),
    ("永盛", "yongsheng"),
    ("佳美", "jiamei"),
    ("德润", "derun"),
    ("金鼎", "jinding"),
    ("宏图", "hongtu"),
    ("瑞丰", "ruifeng"),
    ("东方", "dongfang"),
    ("祥和", "xianghe"),
    ("嘉禾", "jiahe"),
    ("锦程", "jincheng"),
    ("丰泽", "fengze"),
    ("益康", "yikang"),
]
_TRADES = ["餐饮", "酒店", "美容", "咖啡", "物业", "贸易", "文化传媒", "教育培训", "健身", "洗衣", "便利店", "民宿"]
_MAIL_DOMAINS = ["qmail.example", "mail163.example", "sinamail.example", "evermail.example", "foxmail.example"]
# Mobile prefixes: 1 + carrier digit + one more digit (the shape of mainland numbers).
_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "173",
    "175",
    "176",
    "177",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "195",
    "198",
    "199",
]


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(stream_key("contacts"),)))


def _pick(rng, items, size, weights=None):
    p = None if weights is None else np.asarray(weights, float) / np.sum(weights)
    return rng.choice(len(items), size=size, p=p)


def _mobiles(rng, n: int) -> list[str]:
    """``n`` distinct 11-digit mobile numbers."""
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        k = n - len(out)
        pre = _pick(rng, _PREFIXES, k)
        tail = rng.integers(0, 100_000_000, size=k)
        for p, t in zip(pre.tolist(), tail.tolist()):
            m = f"{_PREFIXES[p]}{t:08d}"
            if m not in seen:
                seen.add(m)
                out.append(m)
    return out


def _email(rng, sur: str, given: str, year: int, company_pinyin: str | None) -> str:
    s, g = sur.lower(), given.lower()
    if company_pinyin is not None:
        local = [f"{g}.{s}", f"{s}{g}", f"{g[0]}{s}", "sales", "office"][rng.integers(0, 5)]
        return f"{local}@{company_pinyin}.example"
    style = int(rng.integers(0, 5))
    if style == 0:
        local = f"{s}{g}{int(rng.integers(1, 100)):02d}"
    elif style == 1:
        local = f"{g}.{s}"
    elif style == 2:
        local = f"{s}{g[0]}{year}"
    elif style == 3:
        local = str(int(rng.integers(10_000_000, 2_000_000_000)))  # a messenger-style number
    else:
        local = f"{g}_{s}{year % 100:02d}"
    return f"{local}@{_MAIL_DOMAINS[int(rng.integers(0, len(_MAIL_DOMAINS)))]}"


def make_contacts(customers: pd.DataFrame, seed: int, *, start_date: str = "2024-01-01") -> pd.DataFrame:
    """Fictional contact details, one row per customer (the ``contacts`` table).

    Parameters
    ----------
    customers : DataFrame
        Needs ``customer_id`` and ``segment`` (household or small_business).
    seed : int
        Seed of the draws (stream ``"contacts"`` of ``SeedSequence(seed)``); the same customers
        and seed give the same contacts.
    start_date : str
        First day of the firm's database (ISO date); ages are taken at that year.

    Returns
    -------
    DataFrame with ``customer_id, name_zh, name_pinyin, gender, birth_year, mobile, email,
    city, district, address, company``. For a small business the person is its contact and
    ``company`` its name; households have an empty ``company``.

    Notes
    -----
    Surnames follow rough national frequencies; a given name has two characters (75%) or one.
    Ages at ``start_date`` are ``20 + Gamma(shape 4, scale 5.5)`` years (mean 42), cut at 85.
    Mobile numbers are distinct; e-mail addresses are made distinct by adding a number.
    """
    for col in ("customer_id", "segment"):
        if col not in customers.columns:
            raise ValueError(f"customers is missing column {col!r} (has: {', '.join(map(str, customers.columns))})")
    rng = _rng(seed)
    n = len(customers)
    year0 = _dt.date.fromisoformat(start_date).year
    business = (customers["segment"].astype(str) == "small_business").to_numpy()
    gender = np.where(rng.random(n) < 0.5, "F", "M")
    sur = _pick(rng, _SURNAMES, n, [w for *_, w in _SURNAMES])
    two = rng.random(n) < 0.75
    g1 = rng.integers(0, 36, size=n)
    g2 = rng.integers(0, 36, size=n)
    age = np.minimum(20 + rng.gamma(4.0, 5.5, size=n), 85).astype(int)
    city = _pick(rng, CITIES, n, [c[2] for c in CITIES])
    dist_u = rng.random(n)
    street = _pick(rng, _STREETS, n)
    number = rng.integers(1, 400, size=n)
    building = rng.integers(1, 30, size=n)
    unit = rng.integers(1, 6, size=n)
    room = rng.integers(1, 33, size=n) * 100 + rng.integers(1, 5, size=n)
    brand = _pick(rng, _BRANDS, n)
    trade = _pick(rng, _TRADES, n)
    mobiles = _mobiles(rng, n)
    rows = {k: [] for k in ("name_zh", "name_pinyin", "email", "city", "district", "address", "company")}
    used_mail: set[str] = set()
    for i in range(n):
        zh_s, py_s, _w = _SURNAMES[sur[i]]
        chars = _GIVEN[gender[i]]
        given = [chars[g1[i]]] + ([chars[g2[i]]] if two[i] else [])
        zh_g = "".join(c for c, _ in given)
        py_g = "".join(p for _, p in given)
        rows["name_zh"].append(zh_s + zh_g)
        rows["name_pinyin"].append(f"{py_s} {py_g.capitalize()}")
        c_zh, c_py, _cw, districts = CITIES[city[i]]
        rows["city"].append(c_zh)
        rows["district"].append(districts[int(dist_u[i] * len(districts))])
        if business[i]:
            b_zh, b_py = _BRANDS[brand[i]]
            rows["company"].append(f"{c_zh}{b_zh}{_TRADES[trade[i]]}有限公司")
            rows["address"].append(f"{_STREETS[street[i]]}{number[i]}号")
            domain = f"{b_py}-{c_py.lower()}"
        else:
            rows["company"].append("")
            rows["address"].append(f"{_STREETS[street[i]]}{number[i]}号{building[i]}幢{unit[i]}单元{room[i]}室")
            domain = None
        mail = _email(rng, py_s, py_g, int(year0 - age[i]), domain)
        base, k = mail, 2
        while mail in used_mail:
            local, host = base.split("@")
            mail, k = f"{local}{k}@{host}", k + 1
        used_mail.add(mail)
        rows["email"].append(mail)
    out = pd.DataFrame(
        {
            "customer_id": customers["customer_id"].to_numpy(dtype=np.int64),
            "name_zh": rows["name_zh"],
            "name_pinyin": rows["name_pinyin"],
            "gender": pd.Categorical(gender, categories=["F", "M"]),
            "birth_year": (year0 - age).astype(np.int64),
            "mobile": mobiles,
            "email": rows["email"],
            "city": rows["city"],
            "district": rows["district"],
            "address": rows["address"],
            "company": rows["company"],
        }
    )
    for col in ("name_zh", "name_pinyin", "mobile", "email", "city", "district", "address", "company"):
        out[col] = out[col].astype("str")
    return out
