"""Customer analytics for CRM Workbench: pure functions from the model's tables to tables and numbers.

Modules: rfm (RFM scores, segments, spend x frequency), value (profit per customer, whale
curve, 80/20/30, value matrix), selection (good-customer score), clv (textbook, historical,
cohort and model-based CLV), bgnbd / gammagamma / sbg (probabilistic customer-base models),
association (support, confidence, lift of items bought together), demographics (profiles
by age band, gender, city), cohorts (retention, survival, churn reasons), kpis (KPI system,
balanced scorecard), campaigns (lift against a hold-out), surveys (CSAT, NPS), pipeline (sales
funnel: stage win rates and a weighted forecast). Their figures are in
:mod:`simulation.figures.analytics`.
"""

from ..common.checks import require_columns
from .association import association_rules, baskets
from .bgnbd import BGNBDFit, bgnbd_loglik, fit_bgnbd
from .campaigns import campaign_lift
from .clv import (
    alive_customer_clv,
    clv_bgnbd_gg,
    clv_schedule,
    cohort_clv,
    customer_equity,
    deterministic_clv,
    historical_clv,
)
from .cohorts import CHURN_REASONS, churn_reasons, cohort_retention, customer_durations, kaplan_meier, survival_table
from .datasets import load_cdnow_summary
from .demographics import age_band, demographic_profile
from .gammagamma import GammaGammaFit, fit_gamma_gamma, gamma_gamma_loglik
from .kpis import (
    KPI_DEFINITIONS,
    KPI_GROUPS,
    PERSPECTIVES,
    balanced_scorecard,
    kpi_table,
    scorecard_by_group,
    scorecard_score,
)
from .pipeline import STAGES, channel_deals, pipeline_table, weighted_forecast
from .rfm import (
    DEFAULT_SEGMENT_RULES,
    QUADRANT_DESCRIPTIONS,
    rfm_scores,
    rfm_segments,
    rfm_summary,
    rfm_table,
    segment_summary,
    spend_frequency_quadrants,
)
from .sbg import SBGFit, contract_tenure, fit_sbg, fit_sbg_tenure, sbg_loglik
from .selection import CRITERIA, DEFAULT_WEIGHTS, good_customer_score, selection_inputs
from .surveys import csat, nps, satisfaction_retention, simulate_survey, survey_summary, top_box_share
from .value import (
    LOSS_TYPES,
    RULE_80_20_30,
    TREATMENTS,
    customer_profit,
    loss_reasons,
    pareto_table,
    value_matrix,
    whale_curve,
)

__all__ = [
    # checks and data
    "require_columns",
    "load_cdnow_summary",
    # RFM and segmentation
    "DEFAULT_SEGMENT_RULES",
    "QUADRANT_DESCRIPTIONS",
    "rfm_table",
    "rfm_scores",
    "rfm_segments",
    "segment_summary",
    "spend_frequency_quadrants",
    "rfm_summary",
    "age_band",
    "demographic_profile",
    "baskets",
    "association_rules",
    # customer value and selection
    "TREATMENTS",
    "RULE_80_20_30",
    "customer_profit",
    "LOSS_TYPES",
    "loss_reasons",
    "whale_curve",
    "pareto_table",
    "value_matrix",
    "CRITERIA",
    "DEFAULT_WEIGHTS",
    "selection_inputs",
    "good_customer_score",
    # CLV and probabilistic models
    "clv_schedule",
    "deterministic_clv",
    "historical_clv",
    "cohort_clv",
    "clv_bgnbd_gg",
    "alive_customer_clv",
    "customer_equity",
    "BGNBDFit",
    "fit_bgnbd",
    "bgnbd_loglik",
    "GammaGammaFit",
    "fit_gamma_gamma",
    "gamma_gamma_loglik",
    "SBGFit",
    "fit_sbg",
    "fit_sbg_tenure",
    "contract_tenure",
    "sbg_loglik",
    # cohorts and churn
    "CHURN_REASONS",
    "cohort_retention",
    "kaplan_meier",
    "customer_durations",
    "survival_table",
    "churn_reasons",
    # KPIs, scorecard, campaigns, surveys
    "KPI_DEFINITIONS",
    "PERSPECTIVES",
    "kpi_table",
    "balanced_scorecard",
    "scorecard_score",
    "scorecard_by_group",
    "KPI_GROUPS",
    "STAGES",
    "channel_deals",
    "pipeline_table",
    "weighted_forecast",
    "campaign_lift",
    "simulate_survey",
    "csat",
    "top_box_share",
    "nps",
    "survey_summary",
    "satisfaction_retention",
]
