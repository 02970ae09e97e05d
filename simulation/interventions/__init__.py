"""Studies that run the firm under a decision: a campaign with a hold-out group, the capstone's
yearly plans, the loyalty club's impact against a run without it.
"""

from .campaign import Campaign, campaign_outcomes, run_campaign
from .capstone import (
    CAPSTONE_LEVERS,
    CAPSTONE_TARGETS,
    SATURATION,
    SERVICE_UPGRADES,
    STAFF_TRAINING,
    capstone_kpis,
    capstone_scenario,
    capstone_scorecard,
    compare_plans,
    plan_changes,
    run_plan,
    yearly_results,
)
from .loyalty_impact import loyalty_impact

__all__ = [
    "Campaign",
    "run_campaign",
    "campaign_outcomes",
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
    "loyalty_impact",
]
