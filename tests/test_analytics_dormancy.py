"""The securities case's three-condition dormancy rule and the stated balance derivation."""

import numpy as np
import pandas as pd
import pytest

from simulation.analytics.dormancy import DORMANT_RULE, account_balances, dormant_accounts


def _accounts():
    customers = pd.DataFrame({"customer_id": [1, 2, 3, 4], "acquired_day": [0.0, 0.0, 10.0, np.nan]})
    orders = pd.DataFrame(
        {
            "customer_id": [1, 1, 2, 2, 2],
            "time_days": [5.0, 50.0, 3.0, 1500.0, 2000.0],
            "amount_cny": [30.0, 60.0, 9.0, 12.0, 3.0],
        }
    )
    return orders, customers


def test_balances_follow_the_stated_assumption():
    orders, customers = _accounts()
    all_buy = account_balances(orders, customers, as_of_day=2100.0, purchase_share=1.0, commission_rate=0.003)
    assert list(all_buy.index) == [1, 2, 3]  # account 4 was never opened
    # every last trade a purchase: the position is worth fee / commission rate
    assert all_buy.loc[1, "securities_cny"] == pytest.approx(60.0 / 0.003)
    assert all_buy.loc[2, "securities_cny"] == pytest.approx(3.0 / 0.003)
    assert all_buy.loc[3, "last_trade"] == "none" and all_buy.loc[3, "securities_cny"] == 0
    assert all_buy.loc[3, "last_activity_day"] == 10.0 and all_buy.loc[2, "last_activity_day"] == 2000.0
    assert list(all_buy["transactions"]) == [2, 3, 0]
    all_sell = account_balances(orders, customers, as_of_day=2100.0, purchase_share=0.0)
    assert (all_sell["securities_cny"] == 0).all() and set(all_sell["last_trade"]) == {"sale", "none"}
    # later transactions are ignored
    early = account_balances(orders, customers, as_of_day=1000.0, purchase_share=0.0)
    assert early.loc[2, "last_activity_day"] == 3.0


def test_balances_are_seeded_and_cash_has_the_stated_mean():
    n = 20_000
    customers = pd.DataFrame({"customer_id": np.arange(n), "acquired_day": np.zeros(n)})
    orders = pd.DataFrame({"customer_id": np.arange(n), "time_days": np.ones(n), "amount_cny": np.ones(n)})
    a = account_balances(orders, customers, as_of_day=10.0, seed=7, mean_cash_cny=200.0)
    b = account_balances(orders, customers, as_of_day=10.0, seed=7, mean_cash_cny=200.0)
    pd.testing.assert_frame_equal(a, b)
    # mean of 20,000 exponential draws: standard error 200 / sqrt(20,000) = 1.4 -> 5 SE
    assert a["cash_cny"].mean() == pytest.approx(200.0, abs=7.1)
    # share of purchases: standard error sqrt(0.25 / 20,000) = 0.0035 -> 5 SE
    assert (a["last_trade"] == "purchase").mean() == pytest.approx(0.5, abs=0.018)
    c = account_balances(orders, customers, as_of_day=10.0, seed=8, mean_cash_cny=200.0)
    assert not a["cash_cny"].equals(c["cash_cny"])


def test_all_three_conditions_are_needed():
    bal = pd.DataFrame(
        {
            "securities_cny": [0.0, 0.0, 500.0, 0.0, 0.0],
            "cash_cny": [100.0, 50.0, 0.0, 100.01, 10.0],
            "last_activity_day": [0.0, 100.0, 0.0, 0.0, 0.0],
        }
    )
    rule = dormant_accounts(bal, as_of_day=1095.0)
    assert list(rule["quiet"]) == [True, False, True, True, True]
    assert list(rule["no_securities"]) == [True, True, False, True, True]
    assert list(rule["low_cash"]) == [True, True, True, False, True]
    assert list(rule["dormant"]) == [True, False, False, False, True]
    assert DORMANT_RULE == {"max_securities_cny": 0.0, "max_cash_cny": 100.0, "quiet_days": 1095.0}
    looser = dormant_accounts(bal, as_of_day=1095.0, max_cash_cny=200.0, max_securities_cny=1000.0)
    assert list(looser["dormant"]) == [True, False, True, True, True]


def test_dormancy_bad_input():
    with pytest.raises(ValueError, match="cash_cny"):
        dormant_accounts(pd.DataFrame({"securities_cny": [0.0], "last_activity_day": [0.0]}), as_of_day=1.0)
    orders, customers = _accounts()
    with pytest.raises(ValueError, match="purchase_share"):
        account_balances(orders, customers, as_of_day=1.0, purchase_share=1.5)
    with pytest.raises(ValueError, match="commission_rate"):
        account_balances(orders, customers, as_of_day=1.0, commission_rate=0.0)
