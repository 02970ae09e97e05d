"""The loyalty club's impact: the same firm and seed run with the club and without it."""

from __future__ import annotations

import dataclasses

from ..loyalty.kpis import loyalty_kpis
from ..model.firm import run
from ..scenario.fields import ScenarioError

__all__ = ["loyalty_impact"]


def loyalty_impact(scenario, seed: int = 0) -> dict:
    """Run ``scenario`` with its club and without it (same seed); return :func:`loyalty_kpis`.

    The club must be enabled in ``scenario`` (for example the ``loyalty-launch`` preset).
    """
    if not scenario.loyalty.enabled:
        raise ScenarioError(
            "loyalty_impact needs a scenario with Loyalty.enabled = true; got a scenario with the "
            "club off. Try preset('loyalty-launch')."
        )
    without = dataclasses.replace(scenario, loyalty=dataclasses.replace(scenario.loyalty, enabled=False))
    return loyalty_kpis(run(scenario, seed), baseline=run(without, seed))
