"""The levers a scenario offers: what a student, a team or a widget may move in that setting.

A field is a *lever* when its metadata says so (``param(..., lever=True)``): it may change
while the firm runs. A scenario does not offer every lever, though. Some parts of the firm
can be switched off as a whole — the loyalty club (``loyalty.enabled``) and the contact centre
that handles complaints and everyday contacts (``complaints.enabled``). While a part is off,
its levers change nothing: the club has no members to give a discount to, a centre that is
not running has no agents to add. Offering such a lever would only teach that levers do
nothing, so :func:`offered_levers` leaves them out.

A setting may also name levers it does not offer because they cannot matter in it — in a
coffee shop no appliance is delivered, so delivery levers would move nothing — in the
scenario's ``not_offered`` field (the sister presets do).

The switches are found from the scenario itself: a section with a true/false field called
``enabled`` that is not a lever is a part that can be switched off, and while it is false
every lever inside that section is left out. A new part with such a switch is handled
without a change here.
"""

from __future__ import annotations

from .fields import field_rows

__all__ = ["offered_levers", "switched_off_parts"]


def switched_off_parts(scenario) -> list[str]:
    """Dotted names of the scenario's sections that are switched off.

    A section is switched off when it has a true/false field ``enabled`` (not itself a lever)
    whose value is false.

    Examples
    --------
    >>> from simulation import preset
    >>> switched_off_parts(preset("baseline"))
    ['loyalty']
    >>> switched_off_parts(preset("loyalty-launch"))
    []
    """
    out = []
    for row in field_rows(scenario):
        path = row["path"]
        if path.endswith(".enabled") and isinstance(row["value"], bool) and not row["lever"] and not row["value"]:
            out.append(path[: -len(".enabled")])
    return out


def offered_levers(scenario) -> list[str]:
    """Dotted names of the levers ``scenario`` offers, in the order of the scenario's fields.

    Every field declared with ``lever=True``, except those inside a switched-off part
    (:func:`switched_off_parts`): ``loyalty.*`` while ``loyalty.enabled`` is false,
    ``complaints.*`` (the contact centre, its recovery rules and everyday contacts) while
    ``complaints.enabled`` is false; and except the levers named in the scenario's
    ``not_offered``.

    Parameters
    ----------
    scenario : Scenario

    Returns
    -------
    list of str

    Examples
    --------
    >>> from simulation import preset
    >>> levers = offered_levers(preset("baseline"))
    >>> "pricing.discount_pct" in levers, any(p.startswith("loyalty.") for p in levers)
    (True, False)
    >>> any(p.startswith("loyalty.") for p in offered_levers(preset("loyalty-launch")))
    True
    """
    off = tuple(p + "." for p in switched_off_parts(scenario))
    hidden = set(getattr(scenario, "not_offered_levers", ()))
    return [
        r["path"]
        for r in field_rows(scenario)
        if r["lever"] and not r["path"].startswith(off) and r["path"] not in hidden
    ]
