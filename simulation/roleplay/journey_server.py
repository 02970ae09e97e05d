"""The class server's pages for the customer's-eye role-play (a journey-game session).

``python -m simulation roleplay serve --ledger L`` serves these pages when the ledger's session
is a journey game (:func:`simulation.roleplay.journey_session.is_journey_session`); the
plumbing (threads, security headers, plotly.js, ``/health``, form size limits) is the class
server's own (:mod:`.server`). Addresses::

    GET  /                         join page; /?code=CODE opens the right page
    GET  /team/N/ROLE?code=CODE    a player's page: role card, customers, actions open now
    POST /team/N/ROLE              one action (fields: code, do, and customer, fact, kind, pct,
                                   to, holds, needs, fields as the action needs)
    GET  /group/N?code=CODE        the group's page (any code of the group, or the facilitator's)
    GET  /console?code=CODE        the facilitator's console; POST /console/close closes the round
    GET  /console/cards|roles|observer?code=CODE   join cards, role cards, observer sheet
    GET  /board                    every group's numbers per closed round (no code needed)

A code acts only as its own group's role (403 otherwise, nothing stored); an action that does
not apply now is answered 400 with the page and the reason, and nothing is stored.
"""

from __future__ import annotations

import re
from http import HTTPStatus
from urllib.parse import parse_qs

from ..figures.journey_game import journey_rounds_figure
from ..figures.roleplay import figure_fragment
from . import journey_pages as jp
from . import journey_sheets as sheets
from . import server_pages as pages
from .classroom import FACILITATOR
from .errors import Refused, RoleplayError
from .journey_session import JourneyClass
from .printing import join_cards_html
from .server import MAX_BODY_BYTES, Answer, ClassServer, Handler

__all__ = ["make_journey_server", "parse_action", "JourneyHandler"]

_TEAM = re.compile(r"^/team/(\d{1,4})/([a-z_]{1,20})$")
_GROUP = re.compile(r"^/group/(\d{1,4})$")
_LISTS = ("holds", "needs", "fields")


def _redirect(location: str) -> Answer:
    return Answer(HTTPStatus.SEE_OTHER, "", {"Location": location})


def parse_action(form: dict[str, list[str]]) -> dict:
    """An action's values from a submitted form (every field a list of texts, checkboxes repeat).

    >>> parse_action({"code": ["X"], "do": ["discount"], "customer": ["customer_a"], "pct": ["5"]})
    {'do': 'discount', 'customer': 'customer_a', 'pct': 5}
    """
    out: dict = {}
    for name, values in form.items():
        if name == "code":
            continue
        if name in _LISTS:
            out[name] = [v.strip() for v in values if v.strip()]
        elif name == "pct":
            text = values[-1].strip().rstrip("%").strip()
            try:
                pct = float(text)
            except ValueError:
                raise RoleplayError(
                    f"the discount must be a number of percent, such as 5; got {values[-1]!r}"
                ) from None
            out[name] = int(pct) if pct.is_integer() else pct
        elif name in ("do", "customer", "fact", "kind", "to"):
            out[name] = values[-1].strip()
        else:
            raise RoleplayError(f"the form has an unknown field {name!r}; nothing was stored")
    if out.get("do") in ("declare", "agree"):
        for k in ("holds", "needs") if out["do"] == "declare" else ("fields",):
            out.setdefault(k, [])
    return out


class JourneyHandler(Handler):
    """One request to a journey-game class server (see the module's docstring)."""

    def _fields(self) -> dict[str, list[str]]:
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            raise Answer(411, pages.message_page("Bad request", "a form must be sent with its Content-Length"))
        if int(length) > MAX_BODY_BYTES:
            self.close_connection = True
            raise Answer(413, pages.message_page("Bad request", f"a form has at most {MAX_BODY_BYTES} bytes"))
        try:
            text = self.rfile.read(int(length)).decode("utf-8")
        except UnicodeDecodeError:
            raise Answer(400, pages.message_page("Bad request", "the form is not UTF-8 text")) from None
        return parse_qs(text, keep_blank_values=True)

    def _player(self, code: str, team_no: int, role: str) -> None:
        room: JourneyClass = self.server.room
        try:
            who = room.who(code)
        except Refused as exc:
            raise Answer(403, pages.message_page("Not allowed", str(exc))) from None
        if who != (team_no, role):
            raise Answer(403, pages.message_page("Not allowed", "this code opens another group's or role's page"))

    def _console(self, code: str) -> JourneyClass:
        try:
            return self.server.room.console(code)
        except Refused as exc:
            raise Answer(403, pages.message_page("Not allowed", str(exc))) from None

    def get(self, path: str, q: dict):
        """``(status, page)`` for a GET; raises :class:`Answer` for redirects and refusals."""
        room: JourneyClass = self.server.room
        code = q.get("code", "").strip().upper()
        title = f"{room.game.title_zh} · {room.game.title_en}"
        if path == "/":
            if not code:
                return 200, pages.join_page(title)
            found = room.ledger.code(code)
            if found is None or found[0] != room.session_id:
                return 403, pages.join_page(title, "unknown join code; check the code on your card")
            if found[2] == FACILITATOR:
                raise _redirect(pages.with_code("/console", code))
            raise _redirect(pages.with_code(f"/team/{found[1]}/{found[2]}", code))
        m = _TEAM.match(path)
        if m:
            team_no, role = int(m.group(1)), m.group(2)
            self._player(code, team_no, role)
            return 200, jp.player_page(room, team_no, role, code, message=q.get("error"), ok=q.get("ok"))
        m = _GROUP.match(path)
        if m:
            team_no = int(m.group(1))
            if code != room.facilitator_code:
                try:
                    if room.who(code)[0] != team_no:
                        raise Refused("this code belongs to another group")
                except Refused as exc:
                    raise Answer(403, pages.message_page("Not allowed", str(exc))) from None
            if team_no not in room.groups():
                return 404, pages.message_page("Not found", f"there is no group {team_no}")
            figure = self.server.cached(("group", team_no), lambda: self._figure(team_no))
            return 200, jp.group_page(room, team_no, figure)
        if path == "/console":
            self._console(code)
            return 200, jp.journey_console_page(room, code, message=q.get("error"), ok=q.get("ok"))
        if path == "/console/cards":
            self._console(code)
            host = self.headers.get("Host") or f"{self.server.server_address[0]}:{self.server.server_address[1]}"
            url = self.server.public_url or f"http://{host}/"
            cards = room.join_codes()
            return 200, join_cards_html(cards[cards["role"] != FACILITATOR], title=room.game.title_zh, url=url)
        if path == "/console/roles":
            self._console(code)
            return 200, sheets.role_cards_page(room.game)
        if path == "/console/observer":
            self._console(code)
            return 200, sheets.observer_page(room.game)
        if path == "/board":
            res = room.results()
            cols = [
                c for c in ("team", "round_no", "repeated_questions", "promises_broken", "satisfaction") if c in res
            ]
            body = f"<h1>{pages.esc(title)}</h1>" + pages.table_html(res[cols] if cols else res, table_id="board")
            return 200, pages.page(title, body, refresh_s=15)
        return 404, pages.message_page("Not found", f"there is no page {path!r} on this server")

    def _figure(self, team_no: int) -> str:
        res = self.server.room.results()
        if res.empty or team_no not in set(res["team_no"]):
            return ""
        mine = res[res["team_no"] == team_no]
        fig = journey_rounds_figure(mine, team=self.server.room.groups()[team_no])
        return figure_fragment(fig, div_id="rounds-figure")

    def post(self, path: str, q: dict):
        """``(status, page)`` for a form; raises :class:`Answer` for redirects and refusals."""
        room: JourneyClass = self.server.room
        form = self._fields()
        code = (form.get("code") or [""])[-1].strip().upper()
        m = _TEAM.match(path)
        if m:
            team_no, role = int(m.group(1)), m.group(2)
            self._player(code, team_no, role)
            try:
                values = parse_action(form)
                stored = room.act(code, values)
            except RoleplayError as exc:
                return 400, jp.player_page(room, team_no, role, code, message=str(exc))
            raise _redirect(pages.with_code(f"/team/{team_no}/{role}", code, stored=str(stored)))
        if path == "/console/close":
            self._console(code)
            try:
                asked = int((form.get("round") or [""])[-1])
                if asked != room.round:
                    raise RoleplayError(f"round {asked} is not the open round ({room.round}); reload the console")
                with self.server.close_lock:
                    r = room.close_round()
            except (ValueError, RoleplayError) as exc:
                raise _redirect(pages.with_code("/console", code, error=str(exc))) from None
            raise _redirect(pages.with_code("/console", code, ok=f"round {r} closed"))
        return 404, pages.message_page("Not found", f"there is no form {path!r} on this server")


def make_journey_server(ledger, session: str | None = None, *, host: str = "127.0.0.1", port: int = 8765):
    """A class server for a journey-game session of ``ledger``, bound but not yet serving."""
    room = JourneyClass.open(ledger, session)
    room.resume()
    try:
        server = ClassServer((host, port), room)
    except OSError as exc:
        raise RoleplayError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}; choose another --port (or --host)"
        ) from None
    server.RequestHandlerClass = JourneyHandler
    return server
