"""Satisfaction surveys and their measures: CSAT, top-box share, NPS, and the link from
satisfaction to retention (course module 4).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from ..common.checks import check_int, check_number, require_columns, require_rows

DEFAULT_ITEMS: tuple[str, ...] = ("overall", "product", "delivery", "service")


def simulate_survey(
    customers: pd.DataFrame,
    *,
    n: int,
    response_rate: float,
    seed: int | np.random.Generator,
    items: Sequence[str] | dict[str, float] = DEFAULT_ITEMS,
    scale: int = 5,
    noise_sd: float = 0.8,
    nonresponse_bias: float = 0.0,
    promoter_threshold: float = 80.0,
    detractor_threshold: float = 50.0,
) -> pd.DataFrame:
    """Run a satisfaction survey on a random sample of customers.

    1. Draw `n` customers at random without replacement (sampling error).
    2. Each answers with probability ``expit(logit(response_rate) + nonresponse_bias *
       (satisfaction - 50) / 50)`` (non-response; a positive bias means satisfied customers
       answer more often, so the survey looks better than the truth).
    3. A respondent with true satisfaction s (0-100, ``satisfaction_final``) answers item k on
       the 1..`scale` Likert scale with ``round(1 + (scale - 1) * s / 100 + offset_k + e)``,
       e ~ Normal(0, `noise_sd`), clipped to the scale; and the 0-10 recommendation question
       with ``round(r(s) + e * 10 / (scale - 1))`` clipped to 0..10, where ``r`` is the
       piecewise-linear line through (0, 0), (`detractor_threshold`, 6.5),
       (`promoter_threshold`, 8.5) and (100, 10): without noise a customer the model counts
       as a promoter (s above the promoter threshold, see
       :class:`~simulation.scenario.parts.WordOfMouth`) answers 9–10 and one it counts as a
       detractor answers 0–6, so the survey's NPS and the model's word of mouth agree.

    Parameters
    ----------
    customers : DataFrame
        ``customer_id`` and ``satisfaction_final``; ``segment`` is carried over when present.
    n : int
        Sample size (1..number of customers).
    response_rate : float
        Average probability that a sampled customer answers, in (0, 1].
    seed : int or numpy.random.Generator
        Seed for ``numpy.random.default_rng``, or a generator; no global state is used.
    items : sequence of str or dict
        Likert items, or ``{item: offset}`` to make an item systematically lower or higher.
    scale : int
        Points on the Likert scale (3..11).
    noise_sd : float
        Standard deviation of the answer noise in scale points (0 = answers reveal s exactly).
    nonresponse_bias : float
        Change in the log-odds of answering between s = 50 and s = 100.
    promoter_threshold, detractor_threshold : float
        The firm's word-of-mouth thresholds (``scenario.word_of_mouth``), 0 < detractor <
        promoter < 100.

    Returns
    -------
    One row per sampled customer: ``customer_id`` (``segment``), ``responded`` (bool), one
    nullable-integer column per item and ``recommend_0_10``; non-respondents have missing answers.

    Notes
    -----
    Likert items after Likert (1932), "A technique for the measurement of attitudes",
    *Archives of Psychology* 140. The survey is a measurement of the hidden satisfaction, so
    students see sampling error, non-response and noise separate the survey from the truth.
    """
    require_columns(customers, "customers", ["customer_id", "satisfaction_final"])
    require_rows(customers, "customers")
    n = check_int(n, "n", lo=1, hi=len(customers))
    rate = check_number(response_rate, "response_rate", lo=0.0, hi=1.0, lo_open=True)
    scale = check_int(scale, "scale", lo=3, hi=11)
    sd = check_number(noise_sd, "noise_sd", lo=0.0)
    bias = check_number(nonresponse_bias, "nonresponse_bias")
    hi_t = check_number(promoter_threshold, "promoter_threshold", lo=0.0, hi=100.0, lo_open=True)
    lo_t = check_number(detractor_threshold, "detractor_threshold", lo=0.0, hi=100.0, lo_open=True)
    if not lo_t < hi_t < 100.0:
        raise ValueError(
            f"detractor_threshold ({lo_t:g}) must be below promoter_threshold ({hi_t:g}), and both below 100"
        )
    offsets = dict(items) if isinstance(items, dict) else {str(k): 0.0 for k in items}
    if not offsets:
        raise ValueError("items must name at least one survey item; got none")
    for k, v in offsets.items():
        check_number(v, f"items[{k!r}]")
    if isinstance(seed, np.random.Generator):
        rng = seed
    else:
        rng = np.random.default_rng(check_int(seed, "seed", lo=0))
    pick = rng.choice(len(customers), size=n, replace=False)
    sample = customers.iloc[np.sort(pick)]
    s = sample["satisfaction_final"].to_numpy(dtype=float)
    if not np.all(np.isfinite(s)):
        raise ValueError("customers column 'satisfaction_final' has missing values in the sample")
    p_respond = rate if rate == 1.0 else expit(logit(rate) + bias * (s - 50.0) / 50.0)
    responded = rng.random(n) < p_respond
    out = pd.DataFrame({"customer_id": sample["customer_id"].to_numpy()})
    if "segment" in sample.columns:
        out["segment"] = sample["segment"].astype("str").to_numpy()
    out["responded"] = responded
    mu = 1.0 + (scale - 1) * s / 100.0
    for item, off in offsets.items():
        ans = np.clip(np.rint(mu + off + rng.normal(0.0, sd, n) if sd > 0 else mu + off), 1, scale)
        out[item] = pd.array(np.where(responded, ans, np.nan), dtype="Int64")
    e = rng.normal(0.0, sd, n) if sd > 0 else np.zeros(n)
    r = np.interp(s, [0.0, lo_t, hi_t, 100.0], [0.0, 6.5, 8.5, 10.0])
    rec = np.clip(np.rint(r + e * 10.0 / (scale - 1)), 0, 10)
    out["recommend_0_10"] = pd.array(np.where(responded, rec, np.nan), dtype="Int64")
    return out


def _answers(survey: pd.DataFrame, col: str) -> np.ndarray:
    require_columns(survey, "survey", [col])
    a = survey[col].dropna().to_numpy(dtype=float)
    if a.size == 0:
        raise ValueError(f"survey column '{col}' has no answers (all missing)")
    return a


def csat(survey: pd.DataFrame, *, item: str = "overall", threshold: int = 4) -> float:
    """Customer satisfaction score: share of answers >= `threshold` (default 4 of 5, "top two boxes").

    ``CSAT = #(answer >= threshold) / #answers``, over respondents only. Top-two-box CSAT is
    common practice in satisfaction research; report it with the number of respondents.
    """
    a = _answers(survey, item)
    t = check_number(threshold, "threshold")
    return float(np.mean(a >= t))


def top_box_share(survey: pd.DataFrame, *, item: str = "overall", boxes: int = 1, scale: int = 5) -> float:
    """Share of respondents in the top `boxes` answer categories of a 1..`scale` item
    (top-box = only the best answer; a stricter measure than CSAT)."""
    scale = check_int(scale, "scale", lo=2)
    boxes = check_int(boxes, "boxes", lo=1, hi=scale - 1)
    a = _answers(survey, item)
    return float(np.mean(a >= scale - boxes + 1))


def nps(survey: pd.DataFrame, *, col: str = "recommend_0_10") -> float:
    """Net Promoter Score on the 0-10 "would you recommend us?" question.

    ``NPS = 100 * (share of promoters 9-10 - share of detractors 0-6)``, from -100 to 100
    (Reichheld 2003, "The one number you need to grow", *Harvard Business Review* 81(12)).
    """
    a = _answers(survey, col)
    if np.any((a < 0) | (a > 10)):
        raise ValueError(f"survey column '{col}' must hold answers on the 0-10 scale")
    return float(100.0 * (np.mean(a >= 9) - np.mean(a <= 6)))


def survey_summary(survey: pd.DataFrame, *, items: Sequence[str] | None = None, scale: int = 5) -> pd.DataFrame:
    """Per item: respondents, mean answer, CSAT (top two boxes) and top-box share; plus the
    response rate and NPS for the whole survey (``item="all"`` row)."""
    require_columns(survey, "survey", ["responded"])
    items = [c for c in DEFAULT_ITEMS if c in survey.columns] if items is None else list(items)
    rows = []
    for it in items:
        a = _answers(survey, it)
        rows.append((it, a.size, a.mean(), float(np.mean(a >= scale - 1)), float(np.mean(a >= scale)), np.nan))
    rate = float(survey["responded"].mean())
    n_resp = int(survey["responded"].sum())
    rows.append(("all", n_resp, np.nan, np.nan, np.nan, nps(survey) if "recommend_0_10" in survey.columns else np.nan))
    out = pd.DataFrame(rows, columns=["item", "respondents", "mean", "csat", "top_box", "nps"])
    out["response_rate"] = rate
    return out


def satisfaction_retention(
    customers: pd.DataFrame,
    *,
    bins: Sequence[float] = (0, 20, 40, 60, 80, 100),
    satisfaction_col: str = "satisfaction_final",
    retained_col: str = "alive_at_end",
) -> pd.DataFrame:
    """Retention by satisfaction band: does higher satisfaction keep customers?

    Customers are grouped into the half-open bands ``(b_i, b_{i+1}]`` of `bins` (the first
    band includes its lower edge), labelled like "60-80". Per band: ``customers``, ``retained_share`` (mean of
    `retained_col`) and, if present, ``mean_revenue_cny`` (``revenue_cny``).
    The default `retained_col` is the model's hidden truth; pass an observed column (e.g.
    "ordered in the last year") to see what the firm could see. The satisfaction -> loyalty
    link is the service-profit chain of Heskett et al. (1994), "Putting the service-profit
    chain to work", *Harvard Business Review* 72(2).
    """
    require_columns(customers, "customers", [satisfaction_col, retained_col])
    require_rows(customers, "customers")
    edges = np.asarray(bins, dtype=float)
    if edges.ndim != 1 or edges.size < 2 or np.any(np.diff(edges) <= 0):
        raise ValueError(f"bins must be at least 2 strictly increasing edges; got {bins!r}")
    labels = [f"{lo:g}-{hi:g}" for lo, hi in zip(edges[:-1], edges[1:])]
    band = pd.cut(customers[satisfaction_col].astype(float), edges, include_lowest=True, labels=labels)
    g = customers.assign(_band=band, _ret=customers[retained_col].astype(float)).groupby("_band", observed=False)
    out = pd.DataFrame({"customers": g.size(), "retained_share": g["_ret"].mean()})
    if "revenue_cny" in customers.columns:
        out["mean_revenue_cny"] = g["revenue_cny"].mean()
    out.index = out.index.astype("str")
    out.index.name = "satisfaction_band"
    return out.reset_index()
