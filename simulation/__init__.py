"""CRM Workbench: a SimPy model of a home-appliance retailer and its customers, for teaching CRM.

The package's folders are its architecture; data flows one way, down this list:

- ``common``: helpers that know nothing of the firm (checks, dates, labels, data dictionary);
- ``scenario``: the firm's parameters as frozen, validated dataclasses, and the presets;
- ``model``: the SimPy model (random streams and the event log at its bottom, then the
  customers' processes, the firm and the tidy tables of a run), with ``complaints`` (the desk)
  and ``loyalty`` (the club) plugged in;
- ``analytics``: pure functions of the tables (RFM, CLV, BG/NBD, cohorts, KPIs ...);
- ``interventions`` (campaigns, the capstone, the club's impact) and ``experiments``
  (replications and sweeps), which run the firm;
- ``data`` (the canonical data sets) and ``database`` (the customer database in SQLite);
- ``lessons``: pure helpers of the course notebooks;
- ``figures``: plotly figure builders; ``notebook``: ipywidgets controls and explorations;
- ``grading`` (graded assignments) and ``roleplay`` (class games) on top of all of these;
- ``cli``: the command line, ``python -m simulation``.

``tests/test_layering.py`` reads every import and holds the package to this order. The names
below are loaded on first use, so ``import simulation`` stays light.
"""

from __future__ import annotations

import importlib

#: Public name -> the module that defines it.
_HOMES = {
    "simulation.scenario.complaint_parts": ("ComplaintDesk",),
    "simulation.scenario.fields": ("ScenarioError",),
    "simulation.scenario.loyalty_parts": ("Loyalty",),
    "simulation.scenario.parts": ("Scenario",),
    "simulation.scenario.presets": (
        "preset",
        "presets",
        "load_scenario",
        "resolve_scenario",
        "scale_customers",
        "with_changes",
    ),
    "simulation.model.firm": ("Firm", "run"),
    "simulation.model.result": ("Result",),
    "simulation.complaints.erlang": (
        "erlang_b",
        "erlang_c",
        "erlang_c_wait",
        "service_level",
        "agents_needed",
        "staffing_table",
    ),
    "simulation.complaints.kpis": ("desk_kpis", "complaint_kpis"),
    "simulation.complaints.contacts": ("centre_kpis",),
    "simulation.complaints.standalone": ("simulate_desk",),
    "simulation.loyalty.kpis": ("loyalty_kpis",),
    "simulation.interventions.campaign": ("Campaign", "run_campaign", "campaign_outcomes"),
    "simulation.interventions.capstone": ("run_plan", "compare_plans", "capstone_scorecard"),
    "simulation.interventions.loyalty_impact": ("loyalty_impact",),
    "simulation.experiments.design": ("replicate", "sweep", "Experiment"),
    "simulation.experiments.stats": ("summarise",),
    "simulation.lessons.cleaning": ("clean_customers", "quality_report"),
    "simulation.lessons.course": ("student_seed", "class_seeds"),
    "simulation.common.i18n": ("set_language", "get_language"),
    "simulation.data": ("load_dataset", "load_table", "DatasetError"),
    "simulation.database": (
        "DatabaseError",
        "export_result",
        "export_dataset",
        "import_dirty",
        "open_database",
        "read_table",
        "run_query",
        "student_copy",
    ),
    "simulation.roleplay.classroom": ("Classroom",),
    "simulation.roleplay.practice": ("Practice",),
    "simulation.roleplay.cards": ("card", "cards"),
}
_WHERE = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
    "Firm",
    "run",
    "Result",
    "Scenario",
    "ScenarioError",
    "preset",
    "presets",
    "load_scenario",
    "resolve_scenario",
    "scale_customers",
    "with_changes",
    "replicate",
    "sweep",
    "Experiment",
    "summarise",
    "set_language",
    "get_language",
    "load_dataset",
    "load_table",
    "DatasetError",
    "Loyalty",
    "loyalty_kpis",
    "loyalty_impact",
    "ComplaintDesk",
    "simulate_desk",
    "desk_kpis",
    "complaint_kpis",
    "centre_kpis",
    "erlang_b",
    "erlang_c",
    "erlang_c_wait",
    "service_level",
    "agents_needed",
    "staffing_table",
    "DatabaseError",
    "export_result",
    "export_dataset",
    "import_dirty",
    "open_database",
    "read_table",
    "run_query",
    "student_copy",
    "student_seed",
    "class_seeds",
    "Campaign",
    "run_campaign",
    "campaign_outcomes",
    "run_plan",
    "compare_plans",
    "capstone_scorecard",
    "clean_customers",
    "quality_report",
    "Classroom",
    "Practice",
    "card",
    "cards",
]


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'simulation' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__():
    return sorted([*globals(), *__all__])
