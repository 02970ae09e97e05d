"""The class game's Python interface: the facilitator's :class:`Classroom` and a student's :class:`Seat`.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "class.db"
>>> room = Classroom.create(path, "product-defect-crisis", teams=2, seed=7)
>>> codes = room.join_codes()                       # one code per team and role
>>> seat = room.seat(codes.query("team_no == 1 and role == 'service'").code.iloc[0])
>>> seat.submit({"complaints.agents": 4}) > 0       # stored; may be resubmitted until the round closes
True
>>> seat.submit({"pricing.discount_pct": 5})        # doctest: +ELLIPSIS
Traceback (most recent call last):
...
simulation.roleplay.errors.Refused: pricing.discount_pct belongs to the sales role, not service; nothing was stored

Holding the ledger file is the facilitator's authority (create, close rounds, export); a
student holds only a join code, and a :class:`Seat` reads its own team's results and writes
its own role's levers, nothing else.
"""

from __future__ import annotations

import secrets
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from . import engine
from .cards import Card, card, card_from_text
from .errors import Refused, RoleplayError
from .ledger import Ledger
from .printing import join_cards_html
from .seat import Seat

__all__ = ["Classroom", "Seat", "team_seed"]

_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed on phones
FACILITATOR = "facilitator"


def team_seed(session_seed: int, team_no: int) -> int:
    """Team ``team_no``'s seed: ``SeedSequence(session_seed, spawn_key=(team_no,))``, so teams
    differ but are comparable, and adding a team never changes another team's seed."""
    return int(np.random.SeedSequence(session_seed, spawn_key=(team_no,)).generate_state(1)[0])


def _code(n: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(n))


class Classroom:
    """One session of a card in a ledger, as the facilitator sees it.

    Use :meth:`create` for a new ledger and session, :meth:`open` to come back to it (after a
    restart, for example); rounds closed but not yet computed are computed by :meth:`close_round`
    or :meth:`resume`.
    """

    def __init__(self, ledger: Ledger, session_id: str):
        self.ledger = ledger
        info = ledger.session(session_id)
        self.session_id = session_id
        self.seed = info["seed"]
        self.card: Card = card_from_text(info["card_toml"], f"the card of session {session_id!r}")
        self._firms: dict[int, tuple[int, object]] = {}  # team_no -> (round, firm): a cache only
        self._firms_lock = threading.Lock()
        self._warming: threading.Thread | None = None
        self._stop_warming = threading.Event()

    # ------------------------------------------------------------------ set-up
    @classmethod
    def create(cls, path, card_name: str | Card, *, teams=4, seed: int = 0) -> "Classroom":
        """A new ledger at ``path`` (never an existing file) with a session of ``card_name``.

        ``teams`` is a number of teams or a list of team names; ``seed`` the session's seed.
        """
        c = card_name if isinstance(card_name, Card) else card(card_name)
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise RoleplayError(f"seed must be a whole number >= 0; got {seed!r}")
        rows, codes = cls._new_teams(c, _team_names(teams), 1, seed)
        session_id = f"{c.name}-{secrets.token_hex(3)}"
        ledger = Ledger.with_new_session(
            path, session_id, c.name, c.text, seed, rows, codes + [(_code(10), None, FACILITATOR)]
        )
        return cls(ledger, session_id)

    @classmethod
    def open(cls, path, session_id: str | None = None) -> "Classroom":
        """An existing session (the only one in the ledger unless ``session_id`` names it)."""
        return cls(*Ledger.open_session(path, session_id))

    @staticmethod
    def _new_teams(c: Card, names: list[str], first: int, seed: int):
        rows = [(first + i, name, team_seed(seed, first + i)) for i, name in enumerate(names)]
        codes = [(_code(6), n, r.name) for n, _, _ in rows for r in c.roles]
        if len({k for k, _, _ in codes}) < len(codes):  # vanishingly rare; draw again
            return Classroom._new_teams(c, names, first, seed)
        return rows, codes

    def add_teams(self, teams=1) -> pd.DataFrame:
        """Add teams (a number or names) before the first round closes; their join codes."""
        names = _team_names(teams, start=len(self.ledger.teams(self.session_id)) + 1)
        rows, codes = self._new_teams(self.card, names, len(self.ledger.teams(self.session_id)) + 1, self.seed)
        self.ledger.add_teams(self.session_id, rows, codes)
        return self.join_codes().query("team_no in @nos", local_dict={"nos": [r[0] for r in rows]})

    # ------------------------------------------------------------------ who is who
    def teams(self) -> pd.DataFrame:
        return pd.DataFrame(self.ledger.teams(self.session_id), columns=["team_no", "team", "seed"])

    def join_codes(self) -> pd.DataFrame:
        """One row per team and role (and one for the facilitator): the code to type or scan."""
        names = {t: n for t, n, _ in self.ledger.teams(self.session_id)}
        rows = []
        for code, team_no, role in self.ledger.codes(self.session_id):
            if role == FACILITATOR:
                rows.append((None, "", role, "Facilitator", "主持人", code))
                continue
            r = self.card.role(role)
            rows.append((team_no, names[team_no], role, r.en, r.zh, code))
        df = pd.DataFrame(rows, columns=["team_no", "team", "role", "role_en", "role_zh", "code"])
        return df.astype({"team_no": "Int64"})

    def join_cards_html(self, url: str | None = None) -> str:
        """The join codes as a printable HTML page of cards with QR codes (see
        :func:`~simulation.roleplay.printing.join_cards_html`)."""
        return join_cards_html(self.join_codes(), title=f"{self.card.title_zh} {self.card.title_en}", url=url)

    @property
    def facilitator_code(self) -> str:
        return next(c for c, _, r in self.ledger.codes(self.session_id) if r == FACILITATOR)

    def console(self, code: str) -> "Classroom":
        """The facilitator's console behind the facilitator's code (this object), refused for any other code."""
        if str(code).strip().upper() != self.facilitator_code:
            raise Refused("this is not the facilitator's code; the console opens only with it")
        return self

    def seat(self, code: str) -> "Seat":
        """The student's seat behind a join code (the facilitator's code is not a seat)."""
        found = self.ledger.code(str(code).strip().upper())
        if found is None or found[0] != self.session_id:
            raise Refused("unknown join code; check the code on your card (nothing was stored)")
        if found[2] == FACILITATOR:
            raise Refused("the facilitator's code is not a team seat; use a team member's code")
        return Seat(self, found[1], found[2], str(code).strip().upper())

    def submit(self, code: str, values: dict) -> int:
        """Submit ``values`` for the role behind ``code`` (see :meth:`Seat.submit`)."""
        return self.seat(code).submit(values)

    # ------------------------------------------------------------------ rounds
    @property
    def round(self) -> int | None:
        """The open round, or None."""
        return self.ledger.open_round(self.session_id)

    @property
    def deadline(self) -> str | None:
        """The open round's deadline (ISO 8601, UTC), or None."""
        r = self.round
        return next((d for n, _, _, _, d in self.ledger.rounds(self.session_id) if n == r), None) if r else None

    def set_deadline(self, minutes: float | None = None, *, at: datetime | None = None) -> str | None:
        """Refuse submissions to the open round after ``minutes`` from now or ``at`` (an aware
        datetime); no argument clears the deadline. The round still closes when the facilitator
        closes it; a role that has not submitted by then keeps its previous values."""
        r = self.round
        if r is None:
            raise RoleplayError("no round is open; there is nothing to set a deadline for")
        if minutes is not None and at is not None:
            raise RoleplayError("give minutes or at, not both")
        if minutes is not None:
            if isinstance(minutes, bool) or not isinstance(minutes, (int, float)) or not 0 < minutes <= 24 * 60:
                raise RoleplayError(f"minutes must be a number in (0, 1440]; got {minutes!r}")
            at = datetime.now(UTC) + timedelta(minutes=minutes)
        if at is not None and (not isinstance(at, datetime) or at.tzinfo is None):
            raise RoleplayError(f"at must be a datetime with a time zone; got {at!r}")
        text = None if at is None else at.astimezone(UTC).isoformat(timespec="microseconds")
        self.ledger.set_deadline(self.session_id, r, text)
        return text

    def settings(self, team_no: int) -> dict[int, dict]:
        """``{round_no: settings}`` of the team's closed rounds (round 0 = the card's start)."""
        out = {0: self.card.start_values()}
        for t, r, values, _ in self.ledger.round_states(self.session_id):
            if t == team_no:
                out[r] = values
        return out

    def _settle(self, latest: dict, previous: dict) -> dict:
        start = self.card.start_values()
        out = {}
        for team_no, _, _ in self.ledger.teams(self.session_id):
            values = dict(previous.get(team_no, start))
            by_role = latest.get(team_no, {})
            for role_values in by_role.values():
                values.update(role_values)
            kept = [r.name for r in self.card.roles if r.name not in by_role]
            out[team_no] = (values, kept)
        return out

    def close_round(self, round_no: int | None = None) -> pd.DataFrame:
        """Close the open round (roles that did not submit keep their values) and compute it.

        If a round was closed but not computed (the process stopped while computing it), that
        round is computed instead and the open round stays open: running the command again
        after a crash finishes the interrupted work and nothing more. ``round_no``, when given,
        must be the round to close, so that a second click or a second console cannot close
        the following round. Returns the results of the round closed (or finished).
        """
        if round_no is not None:
            expected = (self.pending() or [self.round])[0]
            if expected is None:
                raise RoleplayError(f"no round is open: the game ended after round {self.card.rounds}")
            if round_no != expected:
                raise RoleplayError(f"round {round_no} is not the round to close (that is round {expected})")
        done = self.resume()
        if done:
            r = done[-1]
        else:
            r = self.round
            if r is None:
                raise RoleplayError(f"no round is open: the game ended after round {self.card.rounds}")
            self.ledger.close_round(self.session_id, r, self._settle)
            self._compute(r)
        return self.results().query("round_no == @r", local_dict={"r": r}).reset_index(drop=True)

    def pending(self) -> list[int]:
        """Rounds closed whose results are not stored yet."""
        closed = [r for r, state, *_ in self.ledger.rounds(self.session_id) if state == "closed"]
        done = {r for _, r, _, _, _ in self.ledger.results(self.session_id)}
        return [r for r in closed if r not in done]

    def resume(self) -> list[int]:
        """Compute every closed round that has no results yet; the rounds computed."""
        todo = self.pending()
        for r in todo:
            self._compute(r)
        return todo

    def firm(self, team_no: int, round_no: int):
        """The team's firm at the end of closed round ``round_no``, rebuilt from the ledger."""
        settings = self.settings(team_no)
        if round_no not in settings:
            raise RoleplayError(f"round {round_no} of team {team_no} is not closed")
        return engine.replay(self.card, self._seed(team_no), settings, round_no)

    def _seed(self, team_no: int) -> int:
        for t, _, s in self.ledger.teams(self.session_id):
            if t == team_no:
                return s
        raise RoleplayError(f"no team {team_no} in session {self.session_id!r}")

    def warm(self, *, pace: bool = False) -> list[int]:
        """Rebuild, before the open round closes, each team's firm at the end of the last closed round.

        Closing a round advances each team's firm by one period; without a firm at hand it is
        replayed from the team's seed first (for round 1, the card's whole warm-up). ``warm``
        does that replay ahead, from the ledger's closed rounds only, so that closing the round
        has only the round itself left to compute. The firms are a cache: the results are the
        ones a replay from the ledger gives (:meth:`recompute`), byte for byte. Stops early
        when a round starts closing. With ``pace``, waits after each team's firm as long as it
        took to build, so that a server answering students meanwhile keeps at least half of the
        interpreter. Returns the teams whose firm was built.
        """
        r = self.round
        if r is None:
            return []
        built = []
        for team_no, _, seed in self.ledger.teams(self.session_id):
            if self._stop_warming.is_set():
                break
            with self._firms_lock:
                cached = self._firms.get(team_no)
            if cached is not None and cached[0] == r - 1:
                continue
            settings = self.settings(team_no)
            if any(k not in settings for k in range(1, r)):
                break  # the ledger moved on (another process closed a round); the close replays
            t0 = time.perf_counter()
            firm = engine.replay(self.card, seed, settings, r - 1)
            with self._firms_lock:
                cached = self._firms.get(team_no)
                if cached is None or cached[0] < r - 1:
                    self._firms[team_no] = (r - 1, firm)
                    built.append(team_no)
            if pace:
                self._stop_warming.wait(time.perf_counter() - t0)
        return built

    def warm_in_background(self) -> threading.Thread:
        """Run :meth:`warm` (paced) in a daemon thread, one at a time; the thread."""
        with self._firms_lock:
            if self._warming is not None and self._warming.is_alive():
                return self._warming
            self._stop_warming.clear()
            self._warming = threading.Thread(target=self.warm, kwargs={"pace": True}, name="roleplay-warm", daemon=True)
            self._warming.start()
            return self._warming

    def _stop_warm(self) -> None:
        thread = self._warming
        if thread is not None and thread.is_alive() and thread is not threading.current_thread():
            self._stop_warming.set()
            thread.join()
        self._stop_warming.clear()

    def _take_firm(self, team_no: int, round_no: int):
        """The cached firm at the end of ``round_no``, removed from the cache (advancing changes it)."""
        with self._firms_lock:
            cached = self._firms.pop(team_no, None)
        return cached[1] if cached is not None and cached[0] == round_no else None

    def _compute(self, round_no: int) -> None:
        self._stop_warm()  # the firm a warm-up thread is building is finished first, then used
        rows = []
        for team_no, _, seed in self.ledger.teams(self.session_id):
            settings = self.settings(team_no)
            firm = self._take_firm(team_no, round_no - 1)
            if firm is not None:
                firm = engine.advance(self.card, firm, round_no, settings[round_no])
            else:
                firm = engine.replay(self.card, seed, settings, round_no)
            rows.append((team_no, *self._outcome(firm, settings, round_no)))
            with self._firms_lock:
                self._firms[team_no] = (round_no, firm)
        self.ledger.store_results(self.session_id, round_no, rows, open_next=round_no < self.card.rounds)

    def _outcome(self, firm, settings: dict, round_no: int):
        spend = sum(sum(engine.settings_cost(self.card, settings[r]).values()) for r in range(1, round_no + 1))
        return engine.outcome(self.card, firm, round_no, spend)

    def recompute(self, team_no: int, round_no: int) -> tuple[dict, float, list[dict]]:
        """``(kpis, score, notes)`` of a closed round rebuilt from the ledger alone (no cache):
        equal to the stored results, which is what makes a restart resume exactly."""
        return self._outcome(self.firm(team_no, round_no), self.settings(team_no), round_no)

    # ------------------------------------------------------------------ views
    def status(self) -> pd.DataFrame:
        """Who has submitted in the open round: one row per team and role."""
        r = self.round
        subs: dict = {}
        for _, t, _, role, _, _, at in self.ledger.decisions(self.session_id, r) if r else []:
            n, _ = subs.get((t, role), (0, None))
            subs[(t, role)] = (n + 1, at)
        rows = []
        for team_no, name, _ in self.ledger.teams(self.session_id):
            for role in self.card.roles:
                n, at = subs.get((team_no, role.name), (0, None))
                rows.append((r, team_no, name, role.name, n > 0, n, at))
        cols = ["round_no", "team_no", "team", "role", "submitted", "submissions", "last_submitted_at"]
        return pd.DataFrame(rows, columns=cols).astype({"round_no": "Int64"})

    def results(self) -> pd.DataFrame:
        """One row per team and computed round: the score and every KPI."""
        names = {t: n for t, n, _ in self.ledger.teams(self.session_id)}
        rows = [
            {
                "round_no": r,
                "team_no": t,
                "team": names[t],
                "score": s,
                **k,
                "notes": " | ".join(n["en"] for n in notes),
            }
            for t, r, k, s, notes in self.ledger.results(self.session_id)
        ]
        return pd.DataFrame(rows)

    def leaderboard(self, round_no: int | None = None) -> pd.DataFrame:
        """Teams ranked by score after ``round_no`` (default: the last computed round)."""
        res = self.results()
        if res.empty:
            return pd.DataFrame(columns=["rank", "team_no", "team", "score", "round_no"])
        r = int(res["round_no"].max()) if round_no is None else round_no
        kpis = [w.kpi for w in self.card.scoring]
        board = res[res["round_no"] == r][["team_no", "team", "score", *kpis]]
        board = board.sort_values(["score", "team_no"], ascending=[False, True]).reset_index(drop=True)
        board.insert(0, "rank", board["score"].rank(method="min", ascending=False).astype(int))
        board["round_no"] = r
        return board

    def decisions(self) -> pd.DataFrame:
        """Every stored submission, in order (append-only)."""
        rows = [
            (i, r, t, role, path, value, by, at)
            for i, t, r, role, values, by, at in self.ledger.decisions(self.session_id)
            for path, value in values.items()
        ]
        return pd.DataFrame(
            rows,
            columns=["decision_id", "round_no", "team_no", "role", "lever", "value", "submitted_by", "submitted_at"],
        )

    def settings_table(self) -> pd.DataFrame:
        """Each team's lever values in each closed round, and whether the owning role kept its
        previous value (did not submit): the debrief's record of who decided what."""
        names = {t: n for t, n, _ in self.ledger.teams(self.session_id)}
        rows = [
            (r, t, names[t], path, v, self.card.owner(path).name, role_kept(self.card, path, kept))
            for t, r, values, kept in self.ledger.round_states(self.session_id)
            for path, v in values.items()
        ]
        cols = ["round_no", "team_no", "team", "lever", "value", "role", "kept_from_previous_round"]
        return pd.DataFrame(rows, columns=cols)

    def export(self, folder) -> list[Path]:
        """Write results, leaderboard, decisions and round states as CSV and a copy of the ledger
        into ``folder`` (new or empty; nothing is overwritten)."""
        out = Path(folder)
        if out.exists() and (not out.is_dir() or any(out.iterdir())):
            raise RoleplayError(f"{str(out)!r} already exists and is not an empty folder; choose a new folder")
        out.mkdir(parents=True, exist_ok=True)
        states = self.settings_table()
        tables = {
            "results.csv": self.results(),
            "leaderboard.csv": self.leaderboard(),
            "decisions.csv": self.decisions(),
            "round_states.csv": states,
            "teams.csv": self.teams(),
        }
        written = []
        for name, df in tables.items():
            df.to_csv(out / name, index=False)
            written.append(out / name)
        target = out / "ledger.sqlite"
        self.ledger.copy_to_sqlite(target)
        written.append(target)
        return written


def role_kept(c: Card, path: str, kept: list[str]) -> bool:
    """Whether the role owning ``path`` kept its previous value (did not submit) that round."""
    return c.owner(path).name in kept


def _team_names(teams, start: int = 1) -> list[str]:
    if isinstance(teams, bool):
        raise RoleplayError(f"teams must be a number of teams or a list of names; got {teams!r}")
    if isinstance(teams, int):
        if not 1 <= teams <= 60:
            raise RoleplayError(f"teams must be between 1 and 60; got {teams}")
        return [f"Team {start + i}" for i in range(teams)]
    names = [str(n).strip() for n in teams]
    if not names or any(not n for n in names) or len(set(names)) < len(names):
        raise RoleplayError(f"team names must be non-empty and different; got {list(teams)!r}")
    if any(len(n) > 40 for n in names):
        raise RoleplayError(f"a team name has at most 40 characters; got {max(names, key=len)!r}")
    return names
