"""The customer's-eye role-play in the classroom ledger: groups, join codes, actions, two rounds.

A session is stored in the same ledger as the department role-play (:mod:`.ledger`): the
session's card is :data:`CARD_NAME` and its text is a JSON object with the game file and the
roles seated in each group; every player's action is an append-only decision of the open
round; closing round 1 stores each group's numbers and opens round 2 (the shared record);
closing round 2 ends the game. Nothing else is kept: a group's state is rebuilt by replaying
its actions (:func:`simulation.roleplay.journey_rules.play`).

>>> from simulation.roleplay.journey_session import JourneyClass
>>> import tempfile, pathlib
>>> room = JourneyClass.create(pathlib.Path(tempfile.mkdtemp()) / "j.db", groups=[7, 5])
>>> room.seated(2)
['customer_a', 'sales', 'customer_b', 'delivery', 'finance']
"""

from __future__ import annotations

import json
import secrets

import pandas as pd

from .classroom import FACILITATOR
from .errors import Refused, RoleplayError
from .journey_data import CUSTOMERS, ROLES, Game, game, game_from_text
from .journey_rules import Play, check_action, play, summary
from .ledger import Ledger, dumps

__all__ = ["JourneyClass", "CARD_NAME", "SEATING_ORDER", "is_journey_session", "rehearsal"]

CARD_NAME = "journey-game"
#: Who is seated first when a group has fewer than seven players; the computer plays the rest.
SEATING_ORDER = ("customer_a", "sales", "customer_b", "delivery", "finance", "repair", "marketing")
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ROUNDS = 2


def _code(n: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(n))


def rehearsal(shared=None, *, game_name: str = "evergreen") -> pd.DataFrame:
    """Both rounds played by the computer alone (the policy of :mod:`.journey_rules`), one row
    per round with the totals: what the facilitator can expect before the class plays.

    ``shared`` is the record agreed in step 1 (default: every field of the game).

    >>> r = rehearsal()
    >>> list(r["round_no"]), bool(r["repeated_questions"].iloc[0] > r["repeated_questions"].iloc[1])
    ([1, 2], True)
    """
    g = game(game_name)
    fields = list(g.facts) if shared is None else list(shared)
    rows = {r: summary(play(g, [], round_no=r, shared=fields, seated=()))["total"] for r in (1, 2)}
    return pd.DataFrame([{"round_no": r, **t} for r, t in rows.items()])


def is_journey_session(where, session_id: str | None = None) -> bool:
    """Whether the session of ledger ``where`` (the only one unless named) is a journey game."""
    ledger = Ledger.open(where)
    ids = ledger.sessions()
    if session_id is None:
        if len(ids) != 1:
            return False
        session_id = ids[0]
    return session_id in ids and ledger.session(session_id)["card_name"] == CARD_NAME


class JourneyClass:
    """One journey-game session of a ledger, for the facilitator and the class server."""

    def __init__(self, ledger: Ledger, session_id: str):
        info = ledger.session(session_id)
        if info["card_name"] != CARD_NAME:
            raise RoleplayError(f"session {session_id!r} is a {info['card_name']!r} game, not the journey game")
        config = json.loads(info["card_toml"])
        self.ledger, self.session_id = ledger, session_id
        self.game: Game = game_from_text(config["game_text"], f"the game of session {session_id!r}")
        self._seated = {int(k): list(v) for k, v in config["seated"].items()}

    # ------------------------------------------------------------------ set-up
    @classmethod
    def create(cls, path, *, groups=1, names=None, game_name: str = "evergreen", seed: int = 0) -> "JourneyClass":
        """A new ledger at ``path`` (never an existing file) with a journey-game session.

        Parameters
        ----------
        groups : int or list of int
            A number of full groups of seven, or the number of players in each group (1-7; the
            roles are seated in :data:`SEATING_ORDER` and the computer plays the others).
        names : list of str, optional
            The groups' names (default "Group 1", "Group 2", ...).
        """
        sizes = [7] * groups if isinstance(groups, int) and not isinstance(groups, bool) else groups
        if not isinstance(sizes, list) or not 1 <= len(sizes) <= 30:
            raise RoleplayError(f"groups must be a number of groups (1-30) or a list of group sizes; got {groups!r}")
        for n in sizes:
            if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 7:
                raise RoleplayError(f"a group has 1 to 7 players; got {n!r} (the computer plays missing roles)")
        names = [f"Group {i + 1}" for i in range(len(sizes))] if names is None else [str(n).strip() for n in names]
        if len(names) != len(sizes) or any(not n or len(n) > 40 for n in names) or len(set(names)) < len(names):
            raise RoleplayError(f"give one different name (1-40 characters) per group; got {names!r}")
        g = game(game_name)
        seated = {i + 1: list(SEATING_ORDER[:n]) for i, n in enumerate(sizes)}
        config = {"game": game_name, "game_text": g.text, "seated": seated}
        teams = [(i + 1, name, seed) for i, name in enumerate(names)]
        codes = [(_code(6), t, r) for t, roles in seated.items() for r in roles] + [(_code(10), None, FACILITATOR)]
        if len({c for c, _, _ in codes}) < len(codes):  # vanishingly rare; draw again
            return cls.create(path, groups=sizes, names=names, game_name=game_name, seed=seed)
        session_id = f"{CARD_NAME}-{secrets.token_hex(3)}"
        ledger = Ledger.with_new_session(path, session_id, CARD_NAME, dumps(config), seed, teams, codes)
        return cls(ledger, session_id)

    @classmethod
    def open(cls, path, session_id: str | None = None) -> "JourneyClass":
        """An existing journey-game session (the only one in the ledger unless named)."""
        return cls(*Ledger.open_session(path, session_id))

    # ------------------------------------------------------------------ who is who
    def seated(self, team_no: int) -> list[str]:
        """The roles played by people in group ``team_no`` (the computer plays the others)."""
        if team_no not in self._seated:
            raise RoleplayError(f"there is no group {team_no}; groups: {sorted(self._seated)}")
        return self._seated[team_no]

    def groups(self) -> dict[int, str]:
        return {t: n for t, n, _ in self.ledger.teams(self.session_id)}

    def join_codes(self) -> pd.DataFrame:
        """One row per seated role (and the facilitator): ``team_no, team, role, role_en, role_zh, code``."""
        names = self.groups()
        rows = []
        for code, team_no, role in self.ledger.codes(self.session_id):
            if role == FACILITATOR:
                rows.append((None, "", role, "Facilitator", "主持人", code))
            else:
                r = self.game.roles[role]
                rows.append((team_no, names[team_no], role, r.en, r.zh, code))
        out = pd.DataFrame(rows, columns=["team_no", "team", "role", "role_en", "role_zh", "code"])
        out["team_no"] = out["team_no"].astype("Int64")
        return out

    @property
    def facilitator_code(self) -> str:
        return next(c for c, _, r in self.ledger.codes(self.session_id) if r == FACILITATOR)

    def console(self, code: str) -> "JourneyClass":
        """This session if ``code`` is the facilitator's code; :class:`Refused` otherwise."""
        if str(code).strip().upper() != self.facilitator_code:
            raise Refused("this is not the facilitator's code")
        return self

    def who(self, code: str) -> tuple[int, str]:
        """``(team_no, role)`` behind a player's join code; :class:`Refused` for any other code."""
        found = self.ledger.code(str(code).strip().upper())
        if found is None or found[0] != self.session_id or found[2] == FACILITATOR:
            raise Refused("unknown join code; check the code on your card")
        return found[1], found[2]

    # ------------------------------------------------------------------ playing
    @property
    def round(self) -> int | None:
        """The open round (1: siloed records, 2: the shared record), or None when the game is over."""
        return self.ledger.open_round(self.session_id)

    def pending(self) -> list[int]:
        """Rounds closed whose numbers are not stored yet (the server stopped in between)."""
        have = {r for _, r, _, _, _ in self.ledger.results(self.session_id)}
        return [r for r, state, *_ in self.ledger.rounds(self.session_id) if state == "closed" and r not in have]

    def resume(self) -> list[int]:
        """Store the numbers of rounds closed but not stored; the rounds stored."""
        done = self.pending()
        for r in done:
            self._store(r)
        return done

    def _actions(self, team_no: int, round_no: int) -> list[tuple[str, dict]]:
        return [
            (role, v) for _, t, _, role, v, _, _ in self.ledger.decisions(self.session_id, round_no) if t == team_no
        ]

    def agreed(self, team_no: int) -> list[str]:
        """The record fields group ``team_no`` agreed in step 1 (empty until it agrees)."""
        return play(self.game, self._actions(team_no, 1), seated=ROLES).agreed or []

    def play(self, team_no: int, round_no: int) -> Play:
        """Group ``team_no``'s round ``round_no`` rebuilt from the ledger."""
        if round_no not in (1, 2):
            raise RoleplayError(f"round must be 1 or 2; got {round_no!r}")
        shared = self.agreed(team_no) if round_no == 2 else ()
        return play(
            self.game, self._actions(team_no, round_no), round_no=round_no, shared=shared, seated=self.seated(team_no)
        )

    def act(self, code: str, values: dict) -> int:
        """Store the action of the player behind ``code`` in the open round; its decision id.

        Refused, with nothing stored, when no round is open or the action does not apply now
        (the message says why).
        """
        team_no, role = self.who(code)
        r = self.round
        if r is None:
            raise Refused("the game is over; nothing was stored")
        check_action(self.play(team_no, r), role, values)
        return self.ledger.submit(self.session_id, team_no, role, r, values, by=f"group{team_no}/{role}")

    def close_round(self) -> int:
        """Close the open round, store every group's numbers (and open round 2 after round 1);
        the number of the round closed."""
        r = self.round
        if r is None:
            raise RoleplayError("no round is open: the game is over")
        nos = sorted(self._seated)
        self.ledger.close_round(
            self.session_id, r, lambda latest, previous: {t: ({"agreed": self.agreed(t)}, []) for t in nos}
        )
        self._store(r)
        return r

    def _store(self, r: int) -> None:
        rows = []
        for t in sorted(self._seated):
            s = summary(self.play(t, r))
            rows.append((t, s, float(s["total"]["satisfaction"]), []))
        self.ledger.store_results(self.session_id, r, rows, open_next=r < ROUNDS)

    def results(self) -> pd.DataFrame:
        """One row per group and closed round with the round's totals (see :func:`summary`)."""
        names = self.groups()
        rows = []
        for t, r, s, _, _ in self.ledger.results(self.session_id):
            rows.append({"team_no": t, "team": names[t], "round_no": r, **s["total"]})
        return pd.DataFrame(rows)

    def numbers(self, team_no: int) -> dict[int, dict]:
        """Group ``team_no``'s summaries by round: stored for closed rounds, replayed for the open one."""
        out = {r: s for t, r, s, _, _ in self.ledger.results(self.session_id, team_no) if t == team_no}
        r = self.round
        if r is not None and r not in out:
            out[r] = summary(self.play(team_no, r))
        return dict(sorted(out.items()))

    def status(self) -> pd.DataFrame:
        """Where each group's customers are in the open round."""
        r = self.round
        rows = []
        for t, name in self.groups().items():
            row = {"team_no": t, "team": name, "players": len(self.seated(t)), "agreed_fields": len(self.agreed(t))}
            if r is not None:
                p = self.play(t, r)
                for c in CUSTOMERS:
                    j = p.journeys[c]
                    if j.phase == "serve":
                        row[c] = f"{self.game.steps[j.step].key} ({j.at})"
                    elif j.phase == "arrive":
                        row[c] = "not started" if j.step < 0 else f"after {self.game.steps[j.step].key}"
                    else:
                        row[c] = j.phase
            rows.append(row)
        return pd.DataFrame(rows)
