"""CRM Workbench: a SimPy model of a home-appliance retailer and its customers, for teaching CRM."""
from .data import DatasetError, load_dataset, load_table
from .experiment_stats import summarise
from .experiments import Experiment, replicate, sweep
from .firm import Firm, run
from .i18n import get_language, set_language
from .params import ScenarioError
from .presets import load_scenario, preset, presets, resolve_scenario, scale_customers, with_changes
from .result import Result
from .scenario import Scenario

__all__ = ["Firm", "run", "Result", "Scenario", "ScenarioError", "preset", "presets",
           "load_scenario", "resolve_scenario", "scale_customers", "with_changes",
           "replicate", "sweep", "Experiment", "summarise",
           "set_language", "get_language", "load_dataset", "load_table", "DatasetError"]
