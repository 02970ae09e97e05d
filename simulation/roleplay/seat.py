"""A student's seat in a class game: one team, one role, behind a join code.

A :class:`Seat` reads only its own team's results and its own role's briefing, private
information and levers, and writes only its own role's levers. It is handed out by
:meth:`simulation.roleplay.classroom.Classroom.seat`, which checks the code.
"""

from __future__ import annotations

from . import engine
from .errors import Refused

__all__ = ["Seat"]


class Seat:
    """A student's place in the game: one team, one role, behind a join code."""

    def __init__(self, room, team_no: int, role: str, code: str):  # room: the Classroom
        self._room, self.team_no, self.role, self._code = room, team_no, role, code

    def view(self) -> dict:
        """What this role may see: the briefing, its private information, its levers with their
        current values, its budget, the round, its own last submission and its team's results."""
        room, c = self._room, self._room.card
        role = c.role(self.role)
        current = room.settings(self.team_no)
        now = current[max(current)]
        r = room.round
        mine = (
            [
                v
                for _, t, _, ro, v, _, _ in room.ledger.decisions(room.session_id, r)
                if t == self.team_no and ro == self.role
            ]
            if r
            else []
        )
        results = room.ledger.results(room.session_id, self.team_no)
        return {
            "card": c.name,
            "title": {"en": c.title_en, "zh": c.title_zh},
            "briefing": {"en": c.briefing_en, "zh": c.briefing_zh},
            "team_no": self.team_no,
            "role": {"name": role.name, "en": role.en, "zh": role.zh},
            "private": {"en": role.private_en, "zh": role.private_zh},
            "budget_cny": role.budget_cny,
            "round": r,
            "rounds": c.rounds,
            "deadline": room.deadline,
            "levers": [
                {
                    "path": lv.path,
                    "en": lv.en,
                    "zh": lv.zh,
                    "unit": lv.unit,
                    "kind": lv.kind,
                    "lo": lv.lo,
                    "hi": lv.hi,
                    "choices": list(lv.choices),
                    "cost_per_unit_cny": lv.cost_per_unit_cny,
                    "value": now[lv.path],
                }
                for lv in role.levers
            ],
            "submitted": mine[-1] if mine else None,
            "results": [
                {"round_no": rn, "score": s, "kpis": k, "notes": n, "scorecard": engine.scorecard(c, k)}
                for _, rn, k, s, n in results
            ],
        }

    def submit(self, values: dict) -> int:
        """Submit this role's settings for the open round; the stored decision's id.

        Levers not named keep the previous round's values. Refused, with nothing stored, when a
        lever is not this role's, a value is outside its range, the settings cost more than the
        role's budget, or no round is open.
        """
        room = self._room
        role = room.card.role(self.role)
        if not isinstance(values, dict) or not values:
            raise Refused(
                f"give the {self.role} role's levers as {{lever: value}}; got {values!r} (nothing was stored)"
            )
        checked = room.card.check_levers(self.role, values)
        r = room.round
        if r is None:
            raise Refused("no round is open (the round is being computed or the game is over); nothing was stored")
        settings = room.settings(self.team_no)
        full = {lv.path: settings[max(settings)][lv.path] for lv in role.levers} | checked
        room.card.check_budget(self.role, full)
        return room.ledger.submit(
            room.session_id, self.team_no, self.role, r, full, by=f"team{self.team_no}/{self.role}"
        )
