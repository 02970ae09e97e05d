"""Dormant accounts under the securities rule of the course's bank case (module 2).

The rule of the case has three conditions, all of which must hold for an account to be
dormant (休眠账户):

1. no securities held (securities balance of zero);
2. a cash balance of at most 100 yuan;
3. no trade for three consecutive years or more.

The simulation records each account's transactions (as orders with a fee) but no balances.
:func:`account_balances` therefore derives a balance table from the orders under a stated,
seeded assumption — a glass box the student can read and change, not a hidden mechanism:

* each transaction is a purchase of securities with probability ``purchase_share`` and
  otherwise a sale (one seeded coin per transaction);
* a sale closes the whole position, a purchase opens one, so an account holds securities at
  the end exactly when its last transaction was a purchase; the position is worth the
  trade's value, ``fee / commission_rate``;
* the cash left on the account after its last transaction is exponential with mean
  ``mean_cash_cny`` (one seeded draw per account); an account with no transaction holds no
  securities and its opening cash drawn the same way.

:func:`dormant_accounts` then applies the three conditions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..common.checks import check_number, require_columns

#: The securities case's dormancy rule (all three must hold).
DORMANT_RULE = {"max_securities_cny": 0.0, "max_cash_cny": 100.0, "quiet_days": 3 * 365.0}


def account_balances(
    orders: pd.DataFrame,
    customers: pd.DataFrame,
    *,
    as_of_day: float,
    seed: int = 0,
    purchase_share: float = 0.5,
    commission_rate: float = 0.003,
    mean_cash_cny: float = 200.0,
    customer_col: str = "customer_id",
) -> pd.DataFrame:
    """A securities and cash balance per account, derived from its transactions (stated assumption).

    Parameters
    ----------
    orders : DataFrame
        ``customer_id``, ``time_days`` and ``amount_cny`` (the fee of each transaction).
    customers : DataFrame
        ``customer_id`` and ``acquired_day`` (the day the account was opened; NaN = never
        opened, left out).
    as_of_day : float
        The day the balances are taken; later transactions are ignored.
    seed : int
        Seed of the coins and draws, so the same run gives the same table.
    purchase_share : float
        Chance that a transaction is a purchase (else a sale that closes the position).
    commission_rate : float
        Fee as a share of the trade's value, so a position is worth ``fee / commission_rate``.
    mean_cash_cny : float
        Mean cash left on an account (exponential).

    Returns
    -------
    DataFrame indexed by account with ``opened_day``, ``last_trade_day`` (NaN if none),
    ``last_activity_day`` (last trade, else the opening day), ``transactions``,
    ``last_trade`` (``"purchase"``, ``"sale"`` or ``"none"``), ``securities_cny`` and
    ``cash_cny``.

    Notes
    -----
    The derivation is a teaching assumption stated in the module docstring, not a bank's
    data; change its parameters to see how the dormant count depends on it.
    """
    require_columns(orders, "orders", [customer_col, "time_days", "amount_cny"])
    require_columns(customers, "customers", [customer_col, "acquired_day"])
    as_of = check_number(as_of_day, "as_of_day")
    share = check_number(purchase_share, "purchase_share", lo=0.0, hi=1.0)
    rate = check_number(commission_rate, "commission_rate", lo=0.0, hi=1.0, lo_open=True)
    mean_cash = check_number(mean_cash_cny, "mean_cash_cny", lo=0.0)
    rng = np.random.default_rng(seed)
    acc = customers.loc[customers["acquired_day"].notna() & (customers["acquired_day"] <= as_of)]
    out = pd.DataFrame(index=pd.Index(acc[customer_col].to_numpy(), name=customer_col))
    out["opened_day"] = acc["acquired_day"].to_numpy(dtype=float)
    use = orders.loc[orders["time_days"] <= as_of, [customer_col, "time_days", "amount_cny"]]
    use = use.sort_values([customer_col, "time_days"], kind="stable")
    purchase = rng.random(len(use)) < share  # one coin per transaction, in a fixed order
    use = use.assign(purchase=purchase)
    last = use.groupby(customer_col).tail(1).set_index(customer_col)
    out["last_trade_day"] = last["time_days"].reindex(out.index)
    out["last_activity_day"] = out["last_trade_day"].fillna(out["opened_day"])
    out["transactions"] = use.groupby(customer_col).size().reindex(out.index).fillna(0).astype("int64")
    bought = last["purchase"].reindex(out.index)
    out["last_trade"] = np.where(bought.isna(), "none", np.where(bought.fillna(False).astype(bool), "purchase", "sale"))
    value = last["amount_cny"].reindex(out.index) / rate
    out["securities_cny"] = np.where(out["last_trade"] == "purchase", value, 0.0)
    out["cash_cny"] = np.round(rng.exponential(mean_cash, size=len(out)) if mean_cash > 0 else np.zeros(len(out)), 2)
    return out


def dormant_accounts(
    balances: pd.DataFrame,
    *,
    as_of_day: float,
    quiet_days: float = DORMANT_RULE["quiet_days"],
    max_cash_cny: float = DORMANT_RULE["max_cash_cny"],
    max_securities_cny: float = DORMANT_RULE["max_securities_cny"],
) -> pd.DataFrame:
    """Apply the securities case's three-condition dormancy rule to a balance table.

    ``no_securities = securities_cny <= max_securities_cny`` (zero by default),
    ``low_cash = cash_cny <= max_cash_cny`` (100 yuan) and
    ``quiet = as_of_day - last_activity_day >= quiet_days`` (three years); ``dormant`` holds
    when all three do.

    Parameters
    ----------
    balances : DataFrame
        ``securities_cny``, ``cash_cny`` and ``last_activity_day``, e.g. from
        :func:`account_balances`.

    Returns
    -------
    A copy of `balances` with ``days_quiet``, ``quiet``, ``no_securities``, ``low_cash`` and
    ``dormant`` (bool).
    """
    require_columns(balances, "balances", ["securities_cny", "cash_cny", "last_activity_day"])
    as_of = check_number(as_of_day, "as_of_day")
    quiet = check_number(quiet_days, "quiet_days", lo=0.0)
    cash = check_number(max_cash_cny, "max_cash_cny", lo=0.0)
    sec = check_number(max_securities_cny, "max_securities_cny", lo=0.0)
    out = balances.copy()
    out["days_quiet"] = as_of - out["last_activity_day"].astype(float)
    out["quiet"] = (out["days_quiet"] >= quiet).to_numpy()
    out["no_securities"] = (out["securities_cny"] <= sec).to_numpy()
    out["low_cash"] = (out["cash_cny"] <= cash).to_numpy()
    out["dormant"] = out["quiet"] & out["no_securities"] & out["low_cash"]
    return out
