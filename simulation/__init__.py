"""CRM Workbench: a SimPy model of a home-appliance retailer and its customers, for teaching CRM."""
from .data import DatasetError, load_dataset, load_table
from .database import (DatabaseError, export_dataset, export_result, import_dirty, open_database, read_table,
                       run_query, student_copy)
from .experiment_stats import summarise
from .campaign import Campaign, campaign_outcomes, run_campaign
from .capstone import capstone_scorecard, compare_plans, run_plan
from .cleaning import clean_customers, quality_report
from .complaint_params import ComplaintDesk
from .course import class_seeds, student_seed
from .complaints import complaint_kpis
from .erlang import agents_needed, erlang_b, erlang_c, erlang_c_wait, service_level, staffing_table
from .experiments import Experiment, replicate, sweep
from .firm import Firm, run
from .i18n import get_language, set_language
from .loyalty_ledger import loyalty_impact, loyalty_kpis
from .loyalty_params import Loyalty
from .params import ScenarioError
from .presets import load_scenario, preset, presets, resolve_scenario, scale_customers, with_changes
from .result import Result
from .scenario import Scenario
from .staffing import desk_kpis, simulate_desk

__all__ = ["Firm", "run", "Result", "Scenario", "ScenarioError", "preset", "presets",
           "load_scenario", "resolve_scenario", "scale_customers", "with_changes",
           "replicate", "sweep", "Experiment", "summarise",
           "set_language", "get_language", "load_dataset", "load_table", "DatasetError",
           "Loyalty", "loyalty_kpis", "loyalty_impact", "ComplaintDesk", "simulate_desk", "desk_kpis",
           "complaint_kpis", "erlang_b", "erlang_c", "erlang_c_wait", "service_level", "agents_needed",
           "staffing_table", "DatabaseError", "export_result", "export_dataset", "import_dirty", "open_database",
           "read_table", "run_query", "student_copy",
           "student_seed", "class_seeds", "Campaign", "run_campaign", "campaign_outcomes",
           "run_plan", "compare_plans", "capstone_scorecard", "clean_customers", "quality_report"]
