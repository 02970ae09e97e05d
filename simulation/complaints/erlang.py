"""Erlang formulas for staffing the contact centre (module 4): see :mod:`simulation.common.erlang`.

The formulas live in :mod:`simulation.common.erlang`, below the scenario layer, so that the
scenario's staffing rule (:func:`simulation.scenario.presets.scale_customers`) and the desk use
the same ones; this module gives them their place in the complaint desk's folder.
"""

from __future__ import annotations

from ..common.erlang import (
    agents_needed,
    erlang_b,
    erlang_c,
    erlang_c_wait,
    offered_load,
    service_level,
    staffing_table,
)

__all__ = ["offered_load", "erlang_b", "erlang_c", "erlang_c_wait", "service_level", "agents_needed", "staffing_table"]
