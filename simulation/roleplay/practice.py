"""Practice mode: one student plays every role of a card in a notebook, with undo.

Nothing is written to disk; the firm is rebuilt from the seed and the settings of each round,
exactly as in a class game (:mod:`.engine`), so a practice round and a class round with the
same seed and settings give the same results.

>>> game = Practice("key-account-at-risk", seed=3)
>>> game.set({"pricing.discount_pct": 6, "service.late_delivery_prob": 0.05})
>>> row = game.play()                    # round 1 with these settings
>>> row["round_no"], row["settings"]["pricing.discount_pct"]
(1, 6.0)
>>> game.undo(0)                         # back to the start: round 1 can be played again
>>> game.round
1
"""

from __future__ import annotations

import pandas as pd

from ..common.checks import did_you_mean
from . import engine
from .cards import Card, card
from .errors import RoleplayError

__all__ = ["Practice"]


class Practice:
    """A card played alone: :meth:`set` levers of any role, :meth:`play` a round, :meth:`undo`.

    Parameters
    ----------
    card_name : str or Card
        A shipped card's name, the path of a card file, or a :class:`Card`.
    seed : int
        The firm's seed.
    """

    def __init__(self, card_name: str | Card, seed: int = 0):
        self.card = card_name if isinstance(card_name, Card) else card(card_name)
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise RoleplayError(f"seed must be a whole number >= 0; got {seed!r}")
        self.seed = seed
        self._settings: dict[int, dict] = {0: self.card.start_values()}
        self._results: dict[int, tuple[dict, float, list[dict]]] = {}
        self._pending: dict = {}
        self._firm = None  # (round, firm) of the last round played

    @property
    def round(self) -> int | None:
        """The round to play next, or None when every round has been played."""
        nxt = max(self._settings) + 1
        return nxt if nxt <= self.card.rounds else None

    def values(self) -> dict:
        """The settings the next round will use (the last round's, changed by :meth:`set`)."""
        return self._settings[max(self._settings)] | self._pending

    def set(self, values: dict) -> None:
        """Change levers for the next round (any role's); checked like a class submission."""
        if not isinstance(values, dict) or not values:
            raise RoleplayError(f"give levers as {{lever: value}}; got {values!r}")
        by_role: dict[str, dict] = {}
        for path, value in values.items():
            try:
                owner = self.card.owner(path).name
            except RoleplayError:
                every = [lv.path for r in self.card.roles for lv in r.levers]
                raise RoleplayError(
                    f"card {self.card.name!r} has no lever {path!r}{did_you_mean(path, every, cutoff=0.5)}"
                ) from None
            by_role.setdefault(owner, {})[path] = value
        checked = {}
        for role, vals in by_role.items():
            checked |= self.card.check_levers(role, vals)
        after = self.values() | checked
        for role in by_role:
            self.card.check_budget(role, after)
        self._pending |= checked

    def play(self) -> dict:
        """Play the next round; its row of :meth:`results`."""
        r = self.round
        if r is None:
            raise RoleplayError(f"every round has been played ({self.card.rounds}); undo to play again")
        values = self.values()
        if self._firm is not None and self._firm[0] == r - 1:
            firm = engine.advance(self.card, self._firm[1], r, values)
        else:
            firm = engine.replay(self.card, self.seed, {**self._settings, r: values}, r)
        self._settings[r] = values
        self._pending = {}
        self._firm = (r, firm)
        spend = sum(sum(engine.settings_cost(self.card, self._settings[k]).values()) for k in range(1, r + 1))
        self._results[r] = engine.outcome(self.card, firm, r, spend)
        return self.results().iloc[-1].to_dict()

    def undo(self, to_round: int) -> None:
        """Restore the game as it was at the end of round ``to_round`` (0 = the start)."""
        if isinstance(to_round, bool) or not isinstance(to_round, int) or to_round not in self._settings:
            raise RoleplayError(f"to_round must be a round already played, 0..{max(self._settings)}; got {to_round!r}")
        for k in [k for k in self._settings if k > to_round]:
            del self._settings[k]
            self._results.pop(k, None)
        self._pending = {}
        if self._firm is not None and self._firm[0] > to_round:
            self._firm = None

    def firm(self, round_no: int | None = None):
        """The firm at the end of a played round (default: the last), rebuilt from the settings."""
        r = max(self._settings) if round_no is None else round_no
        if r not in self._settings:
            raise RoleplayError(f"round {r} has not been played")
        return engine.replay(self.card, self.seed, self._settings, r)

    def results(self) -> pd.DataFrame:
        """One row per played round: score, KPIs, the settings used and the round's news (English)."""
        rows = [
            {"round_no": r, "score": s, **k, "settings": self._settings[r], "notes": " | ".join(n["en"] for n in notes)}
            for r, (k, s, notes) in sorted(self._results.items())
        ]
        return pd.DataFrame(rows)

    def news(self, round_no: int | None = None, lang: str = "en") -> list[str]:
        """The notable events of a played round (default: the last) in ``lang`` ("en" or "zh")."""
        if not self._results:
            return []
        r = max(self._results) if round_no is None else round_no
        if r not in self._results:
            raise RoleplayError(f"round {r} has not been played")
        return [n["zh" if lang == "zh" else "en"] for n in self._results[r][2]]
