"""A sales pipeline (sales force automation, SFA) for one channel: stages, win rates, forecast.

Sales teams follow each deal through stages: **prospect** (an enquiry) → **contacted** (a
salesperson has talked to the customer) → **quoted** (an offer was made) → **won** (the first
order). Two pure functions do the arithmetic on any table of deals:

- :func:`pipeline_table` — per stage, how many closed deals reached it, how many of those were
  won, the stage's win rate ``P(win | reached stage k) = won / reached_k`` and the step rate to
  the next stage, plus the open deals now sitting at each stage;
- the **weighted forecast** (its column ``forecast_cny``): ``Σ value × P(win | stage)`` over
  the open deals, the usual SFA forecast of what the open pipeline will bring.

:func:`channel_deals` builds the deals of one channel from the model's tables. The simulation
records when a prospect enquired and whether (and when) the first order came, but **not the
steps in between**: those are stated assumptions, parameters of the function (see its Notes).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..common.checks import check_number, require_columns

__all__ = ["STAGES", "CHANNEL_CODES", "pipeline_table", "weighted_forecast", "channel_deals"]

#: The pipeline's stages, in order; ``won`` is the last.
STAGES = ("prospect", "contacted", "quoted", "won")
#: ``detail_code`` of a ``contact`` event: the channel the prospect came through.
CHANNEL_CODES = {"store": 0, "web": 1, "dealer": 2, "referral": 3}


def _stage_index(deals: pd.DataFrame) -> np.ndarray:
    bad = sorted(set(deals["stage"]) - set(STAGES))
    if bad:
        raise ValueError(f"deals has unknown stage(s) {bad}; stages are {', '.join(STAGES)}")
    return deals["stage"].map({s: i for i, s in enumerate(STAGES)}).to_numpy()


def pipeline_table(deals: pd.DataFrame) -> pd.DataFrame:
    """Stage counts, win rates and the weighted forecast of a pipeline.

    Parameters
    ----------
    deals : DataFrame
        One row per deal: ``stage`` (the furthest stage reached, one of :data:`STAGES`),
        ``status`` (``won``, ``lost`` or ``open``) and ``value_cny`` (the deal's value: the
        first order for a won deal, an estimate for the others).

    Returns
    -------
    DataFrame, one row per stage, with ``stage``, ``reached`` (closed deals that got at least
    this far), ``won``, ``win_rate`` = won / reached (the chance that a deal at this stage is
    won), ``step_rate`` = reached at the next stage / reached here, ``open_deals`` and
    ``open_value_cny`` (open deals now at this stage) and ``forecast_cny`` =
    ``open_value_cny × win_rate``.

    Notes
    -----
    A closed deal that reached stage k also passed every earlier stage, so ``reached`` counts
    deals whose stage index is >= k. Win rates are estimated from closed deals only (won or
    lost) and applied to the open ones: the forecast assumes the open deals will convert like
    the closed deals did. The ``won`` row's win rate is 1 by definition.

    >>> d = pd.DataFrame({"stage": ["won", "quoted", "prospect", "contacted"],
    ...                   "status": ["won", "lost", "lost", "open"], "value_cny": [100.0] * 4})
    >>> pipeline_table(d)[["stage", "reached", "won", "win_rate"]].to_dict("list")["win_rate"]
    [0.3333333333333333, 0.5, 0.5, 1.0]
    """
    require_columns(deals, "deals", ["stage", "status", "value_cny"])
    bad = sorted(set(deals["status"]) - {"won", "lost", "open"})
    if bad:
        raise ValueError(f"deals has unknown status(es) {bad}; use won, lost or open")
    k = _stage_index(deals)
    status = deals["status"].to_numpy()
    if ((status == "won") != (k == len(STAGES) - 1)).any():
        raise ValueError("a deal is at stage 'won' exactly when its status is 'won'")
    closed = status != "open"
    value = deals["value_cny"].astype(float).to_numpy()
    rows = []
    for i, stage in enumerate(STAGES):
        reached = int((closed & (k >= i)).sum())
        won = int((status == "won").sum())
        nxt = int((closed & (k >= i + 1)).sum()) if i + 1 < len(STAGES) else np.nan
        at = (status == "open") & (k == i)
        rate = won / reached if reached else np.nan
        rows.append(
            dict(
                stage=stage,
                reached=reached,
                won=won,
                win_rate=rate,
                step_rate=nxt / reached if reached and i + 1 < len(STAGES) else np.nan,
                open_deals=int(at.sum()),
                open_value_cny=float(value[at].sum()),
                forecast_cny=float(value[at].sum() * rate) if at.any() else 0.0,
            )
        )
    out = pd.DataFrame(rows)
    out["stage"] = out["stage"].astype("str")
    return out


def weighted_forecast(deals: pd.DataFrame) -> float:
    """The weighted pipeline forecast ``Σ value_cny × P(win | stage)`` over the open deals (CNY).

    The stage probabilities are the win rates of :func:`pipeline_table`.
    """
    return float(pipeline_table(deals)["forecast_cny"].sum())


def channel_deals(
    events: pd.DataFrame,
    customers: pd.DataFrame,
    orders: pd.DataFrame,
    *,
    as_of_day: float,
    channel: str = "dealer",
    contacted_share: float = 0.7,
    quoted_share: float = 0.4,
    open_days: float = 30.0,
) -> pd.DataFrame:
    """The deals of one acquisition channel up to ``as_of_day``, staged by stated assumptions.

    Parameters
    ----------
    events, customers, orders : DataFrame
        The model's tables (``Result.events``, ``.customers``, ``.orders``).
    as_of_day : float
        The day the sales manager looks at the pipeline.
    channel : str
        ``store``, ``web``, ``dealer`` or ``referral`` (the dealers serve households and small
        businesses).
    contacted_share, quoted_share : float
        Of the *lost* enquiries, the share the sales team had contacted and the share it had
        quoted (``quoted_share <= contacted_share``). Assumptions, not model output.
    open_days : float
        An enquiry younger than this with no order yet is still open.

    Returns
    -------
    DataFrame with one row per enquiry: ``customer_id`` (-1 when the prospect never became a
    customer), ``contact_day``, ``stage``, ``status`` and ``value_cny``; ready for
    :func:`pipeline_table`; ``won_later`` (bool) marks the open deals that the model shows were
    in fact won after ``as_of_day`` (hidden truth, for checking a forecast) and
    ``won_later_value_cny`` holds their first order.

    Notes
    -----
    From the model: every enquiry (a ``contact`` event of the channel), whether it became a
    customer (``acquired_day``) and the first order's value. Stated assumptions:

    1. A won deal passed every stage.
    2. A lost enquiry (no order within ``open_days``; the model's prospects who do not
       convert never order) stopped at *quoted* with share ``quoted_share``, at *contacted*
       with ``contacted_share - quoted_share`` and at *prospect* otherwise, assigned in the
       order of the enquiries so the shares hold exactly up to rounding.
    3. An open enquiry is at a stage by its age ``a`` (days): *prospect* when
       ``a < open_days / 3``, *contacted* when ``a < 2 open_days / 3``, *quoted* otherwise.
    4. A deal that is not won is worth the mean first order of the channel's won deals.
    """
    require_columns(events, "events", ["time_days", "event_type", "customer_id", "detail_code"])
    require_columns(customers, "customers", ["customer_id", "channel", "contact_day", "acquired_day"])
    require_columns(orders, "orders", ["customer_id", "time_days", "amount_cny"])
    as_of = check_number(as_of_day, "as_of_day", lo=0.0)
    window = check_number(open_days, "open_days", lo=0.0, lo_open=True)
    cs = check_number(contacted_share, "contacted_share", lo=0.0, hi=1.0)
    qs = check_number(quoted_share, "quoted_share", lo=0.0, hi=cs)
    if channel not in CHANNEL_CODES:
        raise ValueError(f"channel must be one of {', '.join(CHANNEL_CODES)}; got {channel!r}")
    ev = events.loc[
        (events["event_type"] == "contact")
        & (events["detail_code"] == CHANNEL_CODES[channel])
        & (events["time_days"] <= as_of)
    ]
    cust = customers.set_index("customer_id")
    first = orders.sort_values("time_days").groupby("customer_id")["amount_cny"].first()
    cid = ev["customer_id"].to_numpy().astype(np.int64)
    day = ev["time_days"].to_numpy().astype(float)
    acquired = cust["acquired_day"].reindex(cid).to_numpy(dtype=float, na_value=np.nan)
    value = first.reindex(cid).to_numpy(dtype=float, na_value=np.nan)
    won = (cid >= 0) & (acquired <= as_of)
    mean_won = float(np.nanmean(value[won])) if won.any() else 0.0
    age = as_of - day
    open_ = ~won & (age < window)
    lost = ~won & ~open_
    stage = np.full(len(ev), "prospect", dtype=object)
    stage[won] = "won"
    # lost enquiries: fixed shares in order of arrival (rank r of n -> position (r + 0.5) / n)
    n = int(lost.sum())
    pos = (np.arange(n) + 0.5) / n if n else np.array([])
    lost_stage = np.where(pos < qs, "quoted", np.where(pos < cs, "contacted", "prospect"))
    stage[lost] = lost_stage
    stage[open_] = np.where(
        age[open_] < window / 3, "prospect", np.where(age[open_] < 2 * window / 3, "contacted", "quoted")
    )
    status = np.where(won, "won", np.where(open_, "open", "lost"))
    won_later = open_ & (cid >= 0) & np.isfinite(acquired)
    out = pd.DataFrame(
        {
            "customer_id": cid,
            "contact_day": day,
            "stage": pd.array(stage, dtype="str"),
            "status": pd.array(status, dtype="str"),
            "value_cny": np.where(won, value, mean_won),
            "won_later": won_later,
            "won_later_value_cny": np.where(won_later, value, 0.0),
        }
    )
    return out.reset_index(drop=True)
