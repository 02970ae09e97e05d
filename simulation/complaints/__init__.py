"""The contact centre plugged into the firm: the SimPy desk, the complaint centre the firm calls,
its everyday contacts, service recovery, the Erlang formulas, the weekly roster and its occupancy
check, stand-alone desk runs and the desk's tables and KPIs.
"""

from .centre import ComplaintCentre
from .contacts import centre_contacts_table, centre_kpis
from .erlang import agents_needed, erlang_b, erlang_c, erlang_c_wait, offered_load, service_level, staffing_table
from .kpis import UnboundedQueueWarning, complaint_kpis, complaints_table, desk_kpis, desk_overload, staffed_agent_hours
from .planning import band_check, roster_plan, smallest_load_in_band
from .standalone import simulate_desk

__all__ = [
    "ComplaintCentre",
    "complaints_table",
    "complaint_kpis",
    "centre_contacts_table",
    "centre_kpis",
    "staffed_agent_hours",
    "desk_overload",
    "desk_kpis",
    "simulate_desk",
    "UnboundedQueueWarning",
    "offered_load",
    "erlang_b",
    "erlang_c",
    "erlang_c_wait",
    "service_level",
    "agents_needed",
    "staffing_table",
    "band_check",
    "roster_plan",
    "smallest_load_in_band",
]
