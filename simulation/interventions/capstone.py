"""The capstone: run Evergreen for three years with a plan of yearly decisions (module 5).

A *plan* maps a year (1, 2, 3) to the decisions taken on its first day::

    plan = {1: {"pricing.discount_pct": 5, "service_upgrade": 1},
            2: {"channels.web.customers_per_year": 2500},
            3: {}}

Decisions are the capstone's levers (:data:`CAPSTONE_LEVERS`): channel volumes, the general
discount, ``service_upgrade`` — a level 0-3 that buys fewer late deliveries and installation
problems with higher delivery and installation costs (:data:`SERVICE_UPGRADES`) — and
``staff_training`` — a level 0-3 that trains and empowers the contact centre's agents (more
courtesy, clearer procedures, more complaints solved by the first agent) at a higher cost per
agent-hour (:data:`STAFF_TRAINING`). Neither
quality nor growth is free in the capstone: a channel's next customers are harder to win, so
its cost per customer rises with its volume,
``cost = base cost * (volume / base volume) ** SATURATION`` (and falls when it shrinks).

:func:`run_plan` steps a :class:`simulation.Firm` period by period, applying each year's
decisions on time, with a notebook-aware progress bar; :func:`yearly_results` reads the
year-by-year account from the finished run; :func:`compare_plans` runs several plans on the
same seeds (common random numbers) so that differences come from the plans, not from chance.
"""

from __future__ import annotations

import math
from types import MappingProxyType

import numpy as np
import pandas as pd

from ..common.checks import did_you_mean
from ..common.i18n import pick, progress_format
from ..model.firm import Firm
from ..scenario.presets import preset

__all__ = [
    "CAPSTONE_LEVERS",
    "SERVICE_UPGRADES",
    "STAFF_TRAINING",
    "SATURATION",
    "capstone_scenario",
    "plan_changes",
    "run_plan",
    "yearly_results",
    "compare_plans",
    "CAPSTONE_TARGETS",
    "capstone_kpis",
    "capstone_scorecard",
]

#: Levers a capstone plan may set (plus ``service_upgrade`` and ``staff_training``).
CAPSTONE_LEVERS = (
    "channels.store.customers_per_year",
    "channels.web.customers_per_year",
    "channels.dealer.customers_per_year",
    "pricing.discount_pct",
)

#: Service upgrade levels: what each buys and what it costs per job (the baseline is level 0).
SERVICE_UPGRADES = {
    0: {
        "service.late_delivery_prob": 0.08,
        "service.installation_problem_prob": 0.05,
        "service.delivery_cost_cny": 120.0,
        "service.installation_cost_cny": 150.0,
    },
    1: {
        "service.late_delivery_prob": 0.05,
        "service.installation_problem_prob": 0.03,
        "service.delivery_cost_cny": 135.0,
        "service.installation_cost_cny": 170.0,
    },
    2: {
        "service.late_delivery_prob": 0.03,
        "service.installation_problem_prob": 0.02,
        "service.delivery_cost_cny": 155.0,
        "service.installation_cost_cny": 195.0,
    },
    3: {
        "service.late_delivery_prob": 0.01,
        "service.installation_problem_prob": 0.01,
        "service.delivery_cost_cny": 180.0,
        "service.installation_cost_cny": 230.0,
    },
}


#: Staff training levels (learning and growth): what each sets for the contact centre's agents
#: and the factor on their hourly cost (training time, higher pay for trained staff). Level 0 is
#: the baseline firm. The values are the workbench's stated assumptions.
STAFF_TRAINING = {
    0: {"courtesy": 0.6, "procedural": 0.6, "empowerment": 0.0, "agent_cost_factor": 1.00},
    1: {"courtesy": 0.7, "procedural": 0.65, "empowerment": 0.25, "agent_cost_factor": 1.05},
    2: {"courtesy": 0.8, "procedural": 0.7, "empowerment": 0.5, "agent_cost_factor": 1.10},
    3: {"courtesy": 0.9, "procedural": 0.75, "empowerment": 0.75, "agent_cost_factor": 1.15},
}


#: How fast a channel's cost per customer rises with its volume (1 = doubles when volume doubles).
SATURATION = 1.0


def capstone_scenario():
    """The baseline firm (three years) at a third of its size — stores 600, web shop 500 and
    dealers 200 new customers a year — so that a plan runs in about a second."""
    from dataclasses import replace

    from ..scenario.presets import with_changes

    sc = with_changes(
        preset("baseline"),
        {
            "channels.store.customers_per_year": 600.0,
            "channels.web.customers_per_year": 500.0,
            "channels.dealer.customers_per_year": 200.0,
        },
    )
    return replace(sc, name="capstone", description="Evergreen, three years, for the capstone.")


def plan_changes(decisions: dict, base=None) -> dict:
    """Turn one year's decisions into lever changes.

    ``service_upgrade`` expands to its four levers, ``staff_training`` to the agents' courtesy,
    procedural quality, empowerment and hourly cost (the cost scaled from ``base``); a channel volume brings the channel's
    cost per customer with it, scaled from ``base`` (default :func:`capstone_scenario`) by
    :data:`SATURATION`.

    Raises
    ------
    ValueError
        For a decision that is not a capstone lever (with the closest one) or an unknown level.
    """
    if not isinstance(decisions, dict):
        raise ValueError(f"a year's decisions must be a dict of lever -> value; got {decisions!r}.")
    out = {}
    for key, value in decisions.items():
        if key == "service_upgrade":
            if value not in SERVICE_UPGRADES:
                raise ValueError(f"service_upgrade must be one of {sorted(SERVICE_UPGRADES)}; got {value!r}.")
            out.update(SERVICE_UPGRADES[value])
        elif key == "staff_training":
            if value not in STAFF_TRAINING:
                raise ValueError(f"staff_training must be one of {sorted(STAFF_TRAINING)}; got {value!r}.")
            base = capstone_scenario() if base is None else base
            level = STAFF_TRAINING[value]
            for part in ("courtesy", "procedural", "empowerment"):
                out[f"complaints.recovery.{part}"] = level[part]
            out["complaints.agent_cost_per_hour_cny"] = round(
                base.complaints.agent_cost_per_hour_cny * level["agent_cost_factor"], 2
            )
        elif key in CAPSTONE_LEVERS:
            out[key] = value
            if key.endswith(".customers_per_year"):
                base = capstone_scenario() if base is None else base
                channel = getattr(base.channels, key.split(".")[1])
                if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                    raise ValueError(f"{key} must be a number of customers per year >= 0; got {value!r}.")
                ratio = value / channel.customers_per_year if channel.customers_per_year > 0 else 1.0
                out[key.replace("customers_per_year", "cost_per_customer_cny")] = round(
                    channel.cost_per_customer_cny * ratio**SATURATION, 2
                )
        else:
            options = [*CAPSTONE_LEVERS, "service_upgrade", "staff_training"]
            tip = did_you_mean(str(key), options, cutoff=0.4)
            raise ValueError(f"{key!r} is not a capstone decision{tip or '.'} Decisions: {', '.join(options)}.")
    return out


def _check_plan(plan: dict, years: int, base) -> dict[int, dict]:
    if not isinstance(plan, dict):
        raise ValueError(f"plan must be a dict {{year: decisions}}; got {type(plan).__name__}.")
    out = {}
    for year, decisions in plan.items():
        if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= years:
            raise ValueError(f"plan years must be whole numbers 1..{years}; got {year!r}.")
        out[year] = plan_changes(decisions, base)
    return out


def run_plan(plan: dict, *, scenario=None, seed: int = 1, progress: bool | None = None):
    """Run the firm to its horizon, applying each year's decisions on the year's first day.

    Parameters
    ----------
    plan : dict
        ``{year: {decision: value}}`` (see the module docstring); years without an entry keep
        the decisions in force.
    scenario : Scenario, optional
        Default :func:`capstone_scenario`.
    seed : int
    progress : bool, optional
        Show a progress bar (``tqdm.auto``: a widget in a notebook, text in a terminal);
        default: shown unless ``TQDM_DISABLE`` is set.

    Returns
    -------
    Result
        Its ``decisions`` table lists every change with its day.
    """
    from tqdm.auto import tqdm

    sc = capstone_scenario() if scenario is None else scenario
    years = int(math.ceil(sc.horizon_days / 365.0 - 1e-9))
    changes = _check_plan(plan, years, sc)
    firm = Firm(sc, seed)
    starts = {365.0 * (y - 1): y for y in range(1, years + 1)}
    periods = int(math.ceil(sc.horizon_days / sc.period_days - 1e-9))
    bar = tqdm(
        total=periods,
        desc=pick("capstone", "综合实训"),
        unit=pick("period", "周期"),
        bar_format=progress_format(),
        disable=None if progress is None else not progress,
        leave=False,
    )
    try:
        for day, year in sorted(starts.items()):
            firm.run_until(min(day, sc.horizon_days))
            if changes.get(year):
                firm.set(changes[year])
            end = min(day + 365.0, sc.horizon_days)
            while firm.now < end - 1e-9:
                firm.run_until(min(firm.now + sc.period_days, end))
                bar.update(1)
    finally:
        bar.close()
    return firm.result()


def yearly_results(result) -> pd.DataFrame:
    """The year-by-year account of a run: customers won, orders, money, satisfaction.

    ``profit_cny`` = gross margin − cost to serve of the year's orders − acquisition cost of
    the year's new customers. ``mean_satisfaction`` is the mean satisfaction recorded at the
    year's orders (how customers felt when they bought).
    """
    o, c = result.orders, result.customers
    years = int(math.ceil(result.as_of_day / 365.0 - 1e-9))
    oy = np.minimum((o["time_days"].to_numpy() // 365).astype(int), years - 1) + 1
    acq = c.loc[c["acquired_day"].notna()]
    cy = np.minimum((acq["acquired_day"].to_numpy() // 365).astype(int), years - 1) + 1
    ev = result.events
    orders_ev = ev.loc[ev["event_type"] == "order"]
    ey = np.minimum((orders_ev["time_days"].to_numpy() // 365).astype(int), years - 1) + 1
    serve = o[["delivery_cost_cny", "installation_cost_cny", "repair_cost_cny"]].sum(axis=1).to_numpy()
    rows = []
    for y in range(1, years + 1):
        sel = oy == y
        nc = sel & ~o["contract"].to_numpy()
        margin = float(o["margin_cny"].to_numpy()[sel].sum())
        cost = float(serve[sel].sum())
        acquisition = float(acq["acquisition_cost_cny"].to_numpy()[cy == y].sum())
        rows.append(
            dict(
                year=y,
                new_customers=int((cy == y).sum()),
                orders=int(nc.sum()),
                active_customers=int(
                    o["customer_id"].to_numpy()[nc].size and np.unique(o["customer_id"].to_numpy()[nc]).size
                ),
                revenue_cny=float(o["amount_cny"].to_numpy()[sel].sum()),
                gross_margin_cny=margin,
                cost_to_serve_cny=cost,
                acquisition_cost_cny=acquisition,
                profit_cny=margin - cost - acquisition,
                mean_satisfaction=float(orders_ev["satisfaction"].to_numpy()[ey == y].mean())
                if (ey == y).any()
                else math.nan,
            )
        )
    return pd.DataFrame(rows)


def compare_plans(plans: dict, *, seeds=(1, 2, 3), scenario=None, progress: bool | None = None) -> pd.DataFrame:
    """Run every plan on every seed (the same seeds for all plans) and total the three years.

    Returns
    -------
    DataFrame with one row per (plan, seed): ``plan``, ``seed``, ``profit_cny``,
    ``revenue_cny``, ``new_customers``, ``active_customers_last_year``,
    ``mean_satisfaction_last_year``.
    """
    from tqdm.auto import tqdm

    if not isinstance(plans, dict) or not plans:
        raise ValueError("plans must be a non-empty dict {name: plan}.")
    seeds = list(seeds)
    if not seeds:
        raise ValueError("give at least one seed.")
    rows = []
    runs = [(name, s) for name in plans for s in seeds]
    for name, s in tqdm(
        runs,
        desc=pick("plans x seeds", "方案 × 随机种子"),
        bar_format=progress_format(),
        disable=None if progress is None else not progress,
        leave=False,
    ):
        years = yearly_results(run_plan(plans[name], scenario=scenario, seed=s, progress=False))
        last = years.iloc[-1]
        rows.append(
            dict(
                plan=name,
                seed=s,
                profit_cny=float(years["profit_cny"].sum()),
                revenue_cny=float(years["revenue_cny"].sum()),
                new_customers=int(years["new_customers"].sum()),
                active_customers_last_year=int(last["active_customers"]),
                mean_satisfaction_last_year=float(last["mean_satisfaction"]),
            )
        )
    return pd.DataFrame(rows)


def _in_force(result, lever: str) -> float:
    """The value of ``lever`` at the end of the run: the last decision, else the scenario's."""
    d = result.decisions
    changed = d.loc[d["lever"] == lever, "new_value"]
    if len(changed):
        return float(changed.iloc[-1])
    obj = result.scenario
    for part in lever.split("."):
        obj = getattr(obj, part)
    return float(obj)


def capstone_kpis(result) -> pd.DataFrame:
    """The KPI table of a finished capstone run (:func:`simulation.analytics.kpi_table`).

    Besides the order and customer KPIs it holds:

    - ``customer_equity_cny`` = Σ CLV of the customers still alive at the end
      (:func:`simulation.analytics.clv.alive_customer_clv`: three years of future margin at
      10% a year; who is alive is the simulation's hidden truth, so this is the course's
      evaluation of the run, not a number the firm itself could see);
    - the contact centre's service level and capacity cost (``centre_cost_share``);
    - learning and growth: ``first_contact_resolution`` (from the complaints table) and
      ``staff_skills`` / ``staff_empowerment``, the agents' courtesy and empowerment in force at
      the end (set by ``staff_training``).
    """
    from ..analytics.clv import alive_customer_clv
    from ..analytics.kpis import kpi_table

    s = result.summary()
    clv = alive_customer_clv(result.orders, result.customers, as_of_day=result.as_of_day)
    return kpi_table(
        result.orders,
        result.customers,
        as_of_day=result.as_of_day,
        clv=clv,
        centre_service_level=s.get("centre_service_level"),
        centre_cost_cny=s.get("centre_capacity_cost_cny") if s.get("centre_contacts") else None,
        complaints=result.complaints if s.get("complaints") else None,
        staff_skills=_in_force(result, "complaints.recovery.courtesy"),
        staff_empowerment=_in_force(result, "complaints.recovery.empowerment"),
    )


#: The capstone's balanced-scorecard targets, about 10% better than running the capstone firm
#: unchanged for three years (seeds 1 and 2 gave: profit 1.39-1.42 million CNY, customer
#: equity 3.00-3.01 million, satisfied share 0.64, active share 0.72, 1,316-1,322 new customers
#: in the last year, 3.3-3.5% of them referred, late deliveries 2.9% of orders, cost to serve
#: 7.8-7.9% and the contact centre 10.3-10.6% of revenue, 57-59% of answered complaints solved
#: by the first agent, staff skills 0.6). Perspectives: financial (profit, customer equity),
#: customer (satisfied, active, new, referred), internal process (late deliveries, cost to
#: serve, contact-centre cost), learning and growth (first-contact resolution, staff skills).
CAPSTONE_TARGETS = MappingProxyType(
    {
        "profit_cny": 1_550_000.0,
        "customer_equity_cny": 3_300_000.0,
        "satisfied_share": 0.70,
        "active_customer_share": 0.79,
        "new_customers": 1_450.0,
        "referral_share": 0.04,
        "late_delivery_rate": 0.026,
        "cost_to_serve_share": 0.07,
        "centre_cost_share": 0.095,
        "first_contact_resolution": 0.65,
        "staff_skills": 0.7,
    }
)


def capstone_scorecard(result, *, targets: dict | None = None) -> pd.DataFrame:
    """The balanced scorecard of a finished capstone run against :data:`CAPSTONE_TARGETS`
    (:func:`simulation.analytics.balanced_scorecard` over :func:`capstone_kpis`; 100 points =
    every target met, each perspective a quarter of the points).
    """
    from ..analytics.kpis import balanced_scorecard

    return balanced_scorecard(capstone_kpis(result), targets=CAPSTONE_TARGETS if targets is None else targets)
