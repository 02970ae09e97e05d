"""A round's notable events: hand-made tables give the expected lines, in English and Chinese."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from simulation.roleplay.news import round_news


def tables(**extra):
    customers = pd.DataFrame(
        {
            "customer_id": [1, 2, 3, 4],
            "segment": ["household", "small_business", "small_business", "household"],
            "acquired_day": [5.0, 35.0, 40.0, 70.0],
            "revenue_cny": [100.0, 9000.0, 25000.0, 50.0],
        }
    )
    orders = pd.DataFrame(
        {"customer_id": [1, 2, 3, 3], "time_days": [31.0, 35.0, 40.0, 45.0], "contract": [False, False, True, False]}
    )
    complaints = pd.DataFrame(
        {
            "complaint_id": [0, 1, 2, 3],
            "customer_id": [1, 2, 4, 1],
            "voiced": [True, True, True, False],
            "category": ["product_defect", "late_delivery", "billing_error", "late_delivery"],
            "severity": ["high", "low", "medium", "high"],
            "arrival_day": [32.0, 36.0, 50.0, 40.0],
            "wait_min": [3.0, 9.5, 1.0, 0.0],
            "outcome": ["abandoned", "abandoned", "resolved", "silent"],
        }
    )
    lifecycle = pd.DataFrame(
        {
            "customer_id": [2, 3, 1],
            "time_days": [50.0, 55.0, 52.0],
            "to_stage": ["decline", "termination", "termination"],
        }
    )
    base = dict(customers=customers, orders=orders, complaints=complaints, lifecycle=lifecycle)
    return SimpleNamespace(tables={**base, **extra})


def test_the_round_in_lines():
    lines = round_news(tables(), 30.0, 60.0)
    assert [n["en"] for n in lines] == [
        "This round: 2 new customers, 3 orders, 3 complaints (2 callers gave up waiting).",
        "Customer 2 (a small business) complained about a late delivery and hung up after waiting 10 minutes.",
        "Customer 3, a small business that has bought 25,000 CNY from us, has stopped buying (dormant).",
    ]
    assert lines[1]["zh"] == "客户2（小企业客户）投诉送货延误，等待10分钟后挂断了电话。"
    assert lines[2]["zh"] == "客户3是一家小企业，累计在我们这里购买了25,000元，已停止购买（休眠）。"


def test_without_an_abandoned_call_the_most_severe_complaint_is_told():
    t = tables()
    t.tables["complaints"]["outcome"] = ["resolved", "resolved_late", "open", "silent"]
    line = round_news(t, 30.0, 60.0)[1]
    assert line["en"] == "Customer 1 (a household) complained about a faulty product (a serious case), resolved."
    assert line["zh"] == "客户1（家庭客户）投诉产品故障（严重），已解决。"


def test_tier_promotions_and_an_empty_window():
    ledger = pd.DataFrame(
        {
            "customer_id": [1, 4, 2],
            "time_days": [33.0, 34.0, 36.0],
            "entry": ["promotion", "promotion", "earn"],
            "tier": ["silver", "gold", "gold"],
        }
    )
    lines = round_news(tables(loyalty_ledger=ledger), 30.0, 60.0)
    assert lines[-1] == {
        "en": "2 members moved up a tier; customer 4 reached Gold.",
        "zh": "本轮有2位会员升级；客户4升为金卡。",
    }
    quiet = round_news(tables(loyalty_ledger=ledger), 100.0, 130.0)
    assert quiet == [
        {
            "en": "This round: 0 new customers, 0 orders, 0 complaints (0 callers gave up waiting).",
            "zh": "本轮：新增客户0位，订单0笔，投诉0件（其中0位来电者放弃等待）。",
        }
    ]
