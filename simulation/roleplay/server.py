"""The class server: one process on the facilitator's laptop serves the whole class over the LAN.

Addresses (``CODE`` is a join code from the ledger; the facilitator has one too)::

    GET  /                         the join page; /?code=CODE (the QR code's address) opens the right page
    GET  /team/N/ROLE?code=CODE    team N's ROLE page: briefing, private information, results, lever form
    POST /team/N/ROLE              submit ROLE's levers (form fields: code and one per lever)
    GET  /console?code=CODE        the facilitator's console (status, deadline, close round, debrief)
    POST /console/close            close the round named in the form (fields: code, round)
    POST /console/deadline         set or clear the open round's deadline (fields: code, minutes)
    GET  /console/cards?code=CODE  printable join cards whose QR codes open this server
    GET  /board                    the projector's leaderboard (scores only, no code needed)
    GET  /static/plotly.min.js     plotly.js from the installed plotly package
    GET  /health                   ``{"round": ...}`` as JSON, for scripts

A code opens only its own team's page and submits only its own role's levers: anything else is
answered 403 and nothing is stored. A refused decision (out of range, over budget, round
closed) is answered 400 with the page and the message, and nothing is stored. The server keeps
no state of its own: every page is read from the ledger and every decision is committed to it
before the answer, so a restarted server (or a second one on a PostgreSQL ledger) carries on.

Built on the standard library's threading HTTP server: one thread per connection, pages
rendered as plain HTML forms, nothing loaded from outside the server. Measured against Solara
1.58.2 (ipywidgets served from one process) on the same busy 2-core machine: a Solara page with
a slider and a plotly figure took 8-10 s to draw in headless Chromium and each open page held
about 19 MiB of server memory; here a role's page draws in 0.4-0.7 s and the projector's
figure in 2-3 s (plotly.js parsed once per browser), and the server holds about 144 MiB idle
and 390 MiB at its peak with 60 clients (10 teams' firms included; benchmarks/bench_roleplay_server.py).
Every page and every refusal is also one HTTP request that a test can send and check.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from ..figures.roleplay import figure_fragment, leaderboard_figure, plotly_bundle, rounds_figure, settings_figure
from . import server_pages as pages
from .backends import SqliteBackend
from .classroom import FACILITATOR, Classroom
from .errors import Refused, RoleplayError
from .printing import join_cards_html

__all__ = ["ClassServer", "make_server", "parse_levers"]

MAX_BODY_BYTES = 64 * 1024
_TEAM_PATH = re.compile(r"^/team/(\d{1,4})/([A-Za-z0-9_-]{1,40})$")
_SECURITY_HEADERS = {
    # Everything from this server; inline scripts only for plotly's figure calls.
    "Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class Answer(Exception):
    """An answer other than a normal page: a status, a page and optional extra headers."""

    def __init__(self, status: int, body: str, headers: dict | None = None):
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers or {}


def _redirect(location: str) -> Answer:
    return Answer(HTTPStatus.SEE_OTHER, "", {"Location": location})


def parse_levers(card, role_name: str, form: dict[str, str]) -> dict:
    """A role's lever values from a submitted form (texts), converted to each lever's kind.

    Raises :class:`Refused` with ``forbidden=True`` for a field that is another role's lever,
    and :class:`RoleplayError` for an unknown field or a text that is not a value of its kind.
    Ranges and budgets are checked afterwards by :meth:`simulation.roleplay.seat.Seat.submit`.
    """
    role = card.role(role_name)
    mine = {lv.path: lv for lv in role.levers}
    out: dict = {}
    for name, text in form.items():
        if name == "code":
            continue
        lever = mine.get(name)
        if lever is None:
            try:
                owner = card.owner(name).name
            except RoleplayError:
                raise RoleplayError(f"{name!r} is not a lever of the {role_name} role; nothing was stored") from None
            err = Refused(f"{name} belongs to the {owner} role, not {role_name}; nothing was stored")
            err.forbidden = True
            raise err
        t = text.strip()
        if lever.kind == "choice":
            out[name] = t
        elif lever.kind == "bool":
            if t.lower() not in ("true", "false"):
                raise RoleplayError(f"{name} must be true or false; got {text!r}")
            out[name] = t.lower() == "true"
        else:
            try:
                value = float(t.replace(",", ""))
            except ValueError:
                raise RoleplayError(f"{name} must be a number; got {text!r}") from None
            out[name] = int(value) if lever.kind == "integer" and value.is_integer() else value
    if not out:
        raise RoleplayError(f"the form has none of the {role_name} role's levers; nothing was stored")
    return out


def _keep_open(backend) -> sqlite3.Connection | None:
    """An idle connection held open to a SQLite ledger for the server's lifetime.

    The ledger opens a fresh connection for every transaction. When the last connection to a
    WAL database closes, SQLite checkpoints the journal into the database file and deletes it,
    which made every submission cost about three times as much (measured: 43 ms against 13 ms
    for a page and a submission). With this connection open, closing the others is cheap and
    SQLite checkpoints in the background of commits as usual. Durability is unchanged: each
    decision is committed to the journal before the page answers.
    """
    if not isinstance(backend, SqliteBackend):
        return None
    con = sqlite3.connect(backend.path, check_same_thread=False)
    con.execute("SELECT value FROM ledger_info").fetchall()
    return con


class ClassServer(ThreadingHTTPServer):
    """The HTTP server of one session of a ledger (see the module's docstring).

    Parameters
    ----------
    address : tuple
        ``(host, port)``; port 0 picks a free port (see ``server_address`` after start).
    room : Classroom
        The session served.
    """

    daemon_threads = True
    request_queue_size = 256
    allow_reuse_address = True

    def __init__(self, address, room: Classroom):
        self.room = room
        self.close_lock = threading.Lock()  # one round computation at a time in this process
        self._plotly: tuple[bytes, str] | None = None
        self._keeper = _keep_open(room.ledger.db)
        self.public_url: str | None = None  # the address students open, for the join cards' QR codes
        self._cache: dict = {}  # drawn pages and figures, each with the results' state it was drawn from
        self._cache_lock = threading.Lock()
        self._drawing: dict = {}
        super().__init__(address, Handler)

    def handle_error(self, request, client_address) -> None:
        """A phone that went away mid-answer is one line on stderr, not a traceback."""
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            sys.stderr.write(f"connection from {client_address[0]} ended early: {exc!r}\n")
        else:
            super().handle_error(request, client_address)

    def server_close(self) -> None:
        """Stop listening and close the ledger connection held open (see :func:`_keep_open`)."""
        super().server_close()
        if self._keeper is not None:
            self._keeper.close()

    def cached(self, key: tuple, make):
        """``make()``, kept while the ledger's results stay the same (checked on every call).

        The leaderboard and the debrief figures change only when a round's results are stored,
        and drawing them costs far more than one query, so they are drawn once per state of the
        results table. The check reads the ledger, so a round closed by another server process
        sharing the ledger is seen at once.
        """
        room = self.room
        state = tuple(
            room.ledger.db.query(
                "SELECT COUNT(*), MAX(computed_at) FROM results WHERE session_id = ?", (room.session_id,)
            )[0]
        )
        with self._cache_lock:
            hit = self._cache.get(key)
            if hit is not None and hit[0] == state:
                return hit[1]
            drawing = self._drawing.setdefault(key, threading.Lock())
        with drawing:  # many projectors asking at once: one draws, the others wait for it
            with self._cache_lock:
                hit = self._cache.get(key)
            if hit is not None and hit[0] == state:
                return hit[1]
            value = make()
            with self._cache_lock:
                self._cache[key] = (state, value)
        return value

    def plotly(self) -> tuple[bytes, str]:
        """plotly.js as bytes and its ETag (read once from the installed package)."""
        if self._plotly is None:
            data = plotly_bundle().encode("utf-8")
            self._plotly = (data, '"' + hashlib.sha256(data).hexdigest()[:20] + '"')
        return self._plotly


class Handler(BaseHTTPRequestHandler):
    """One request to the class server."""

    server: ClassServer
    protocol_version = "HTTP/1.1"
    server_version = "CRMWorkbench"
    timeout = 60  # seconds a connection may stay silent

    # ------------------------------------------------------------------ plumbing
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        """One line per request on stderr, without the query (it holds join codes)."""
        path = urlsplit(self.path).path
        sys.stderr.write(f"{self.log_date_time_string()} {self.command} {path} {args[1] if len(args) > 1 else ''}\n")

    def log_request(self, code="-", size="-"):
        """Log the status of an answer (the path only, see :meth:`log_message`)."""
        self.log_message('"%s" %s %s', self.requestline, str(code), str(size))

    def _send(self, status: int, body: bytes, content_type: str, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in {**_SECURITY_HEADERS, **(headers or {})}.items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _html(self, status: int, text: str, headers: dict | None = None) -> None:
        self._send(
            status, text.encode("utf-8"), "text/html; charset=utf-8", {"Cache-Control": "no-store", **(headers or {})}
        )

    def _run(self, route) -> None:
        """Answer with ``route(path, query)``; an :class:`Answer` or an error becomes its page."""
        try:
            url = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(url.query).items()}
            status, text = route(unquote(url.path), query)
            self._html(status, text)
        except Answer as a:
            self._html(a.status, a.body, a.headers)
        except Exception as exc:  # a bug or a broken ledger: say so, keep serving
            self.log_error("error on %s: %r", urlsplit(self.path).path, exc)
            self._html(500, pages.message_page("Server error", f"the server could not answer: {exc}"))

    def do_GET(self):  # noqa: N802 - the base class's name
        path = urlsplit(self.path).path
        if path == "/static/plotly.min.js":
            data, etag = self.server.plotly()
            if self.headers.get("If-None-Match") == etag:
                self._send(304, b"", "application/javascript", {"ETag": etag})
            else:
                headers = {"ETag": etag, "Cache-Control": "public, max-age=86400"}
                self._send(200, data, "application/javascript; charset=utf-8", headers)
            return
        if path == "/favicon.ico":
            self._send(204, b"", "image/x-icon")
            return
        if path == "/health":
            room = self.server.room
            body = json.dumps({"session": room.session_id, "round": room.round, "pending": room.pending()})
            self._send(200, body.encode(), "application/json", {"Cache-Control": "no-store"})
            return
        self._run(self.get)

    do_HEAD = do_GET

    def do_POST(self):  # noqa: N802 - the base class's name
        self._run(self.post)

    def _form(self) -> dict[str, str]:
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            raise Answer(411, pages.message_page("Bad request", "a form must be sent with its Content-Length"))
        if int(length) > MAX_BODY_BYTES:
            self.close_connection = True
            raise Answer(413, pages.message_page("Bad request", f"a form has at most {MAX_BODY_BYTES} bytes"))
        raw = self.rfile.read(int(length))
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise Answer(400, pages.message_page("Bad request", "the form is not UTF-8 text")) from None
        return {k: v[-1] for k, v in parse_qs(text, keep_blank_values=True).items()}

    # ------------------------------------------------------------------ who is asking
    def _seat(self, code: str, team_no: int, role: str):
        """The seat behind ``code`` if it is team ``team_no``'s ``role``; 403 otherwise."""
        room = self.server.room
        try:
            seat = room.seat(code)
        except Refused as exc:
            raise Answer(403, pages.message_page("Not allowed", str(exc))) from None
        if (seat.team_no, seat.role) != (team_no, role):
            raise Answer(
                403,
                pages.message_page("Not allowed", "this code opens another team's or role's page; use your own card"),
            )
        return seat

    def _facilitator(self, code: str) -> Classroom:
        try:
            return self.server.room.console(code)
        except Refused as exc:
            raise Answer(403, pages.message_page("Not allowed", str(exc))) from None

    # ------------------------------------------------------------------ pages
    def get(self, path: str, q: dict):
        """``(status, page)`` for a GET of ``path`` with query ``q``; raises :class:`Answer` for
        redirects and refusals."""
        room = self.server.room
        code = q.get("code", "").strip().upper()
        if path == "/":
            title = f"{room.card.title_zh} · {room.card.title_en}"
            if not code:
                return 200, pages.join_page(title)
            found = room.ledger.code(code)
            if found is None or found[0] != room.session_id:
                return 403, pages.join_page(title, "unknown join code; check the code on your card")
            if found[2] == FACILITATOR:
                raise _redirect(pages.with_code("/console", code))
            raise _redirect(pages.with_code(f"/team/{found[1]}/{found[2]}", code))
        m = _TEAM_PATH.match(path)
        if m:
            seat = self._seat(code, int(m.group(1)), m.group(2))
            return 200, pages.seat_page(seat.view(), self._team_name(seat.team_no), code)
        if path == "/board":
            r, c = room.round, room.card
            state = f"第 {r} 轮进行中 · Round {r} of {c.rounds} is open" if r else "没有开放的轮次 · No round is open"
            body = self.server.cached(("board",), self._board)
            return 200, pages.board_page(f"{c.title_zh} · {c.title_en}", state, body)
        if path == "/console":
            self._facilitator(code)
            kpi, lever = self._choice(q.get("kpi"), q.get("lever"))
            figures = self.server.cached(("debrief", kpi, lever), lambda: self._debrief_figures(kpi, lever))
            return 200, pages.console_page(
                room, code, message=q.get("error"), ok=q.get("ok"), figures=figures, kpi=kpi, lever=lever
            )
        if path == "/console/cards":
            self._facilitator(code)
            host = self.headers.get("Host") or f"{self.server.server_address[0]}:{self.server.server_address[1]}"
            url = self.server.public_url or f"http://{host}/"
            cards = room.join_codes()
            cards = cards[cards["role"] != FACILITATOR]
            return 200, join_cards_html(cards, title=f"{room.card.title_zh} {room.card.title_en}", url=url)
        return 404, pages.message_page("Not found", f"there is no page {path!r} on this server")

    def _team_name(self, team_no: int) -> str:
        return next(n for t, n, _ in self.server.room.ledger.teams(self.server.room.session_id) if t == team_no)

    def _board(self) -> str:
        room = self.server.room
        board = room.leaderboard()
        fig = figure_fragment(leaderboard_figure(board), div_id="board-figure") if len(board) else ""
        return pages.board_body(board, fig)

    def _choice(self, kpi: str | None, lever: str | None) -> tuple[str, str]:
        """The debrief's KPI and lever: the ones asked for if the card has them, else its first."""
        c = self.server.room.card
        kpis = [w.kpi for w in c.scoring]
        levers = [lv.path for r in c.roles for lv in r.levers]
        return (kpi if kpi in kpis else kpis[0]), (lever if lever in levers else levers[0])

    def _debrief_figures(self, kpi: str, lever: str) -> list[str]:
        room = self.server.room
        res = room.results()
        if res.empty:
            return []
        figs = [leaderboard_figure(room.leaderboard()), rounds_figure(res, "score")]
        if kpi in res.columns:
            figs.append(rounds_figure(res, kpi))
        figs.append(settings_figure(room.settings_table(), lever))
        return [figure_fragment(f, div_id=f"fig{i}") for i, f in enumerate(figs)]

    def post(self, path: str, q: dict):
        """``(status, page)`` for a form sent to ``path`` (the code travels in the form, not in
        ``q``); raises :class:`Answer` for redirects and refusals."""
        room = self.server.room
        form = self._form()
        code = form.get("code", "").strip().upper()
        m = _TEAM_PATH.match(path)
        if m:
            seat = self._seat(code, int(m.group(1)), m.group(2))
            try:
                values = parse_levers(room.card, seat.role, form)
                decision = seat.submit(values)
            except RoleplayError as exc:
                status = 403 if getattr(exc, "forbidden", False) else 400
                typed = {k: v for k, v in form.items() if k != "code"}
                text = pages.seat_page(seat.view(), self._team_name(seat.team_no), code, message=str(exc), typed=typed)
                return status, text
            raise _redirect(pages.with_code(f"/team/{seat.team_no}/{seat.role}", code, stored=str(decision)))
        if path == "/console/close":
            self._facilitator(code)
            try:
                round_no = int(form.get("round", ""))
            except ValueError:
                raise _redirect(pages.with_code("/console", code, error="the form names no round to close")) from None
            t0 = time.perf_counter()
            try:
                with self.server.close_lock:
                    res = room.close_round(round_no)
            except RoleplayError as exc:
                raise _redirect(pages.with_code("/console", code, error=str(exc))) from None
            done = f"round {round_no} closed and computed for {len(res)} teams in {time.perf_counter() - t0:.1f} s"
            raise _redirect(pages.with_code("/console", code, ok=done))
        if path == "/console/deadline":
            self._facilitator(code)
            text = form.get("minutes", "").strip()
            try:
                minutes = float(text) if text else None
            except ValueError:
                raise _redirect(
                    pages.with_code("/console", code, error=f"minutes must be a number; got {text!r}")
                ) from None
            try:
                at = room.set_deadline(minutes)
            except RoleplayError as exc:
                raise _redirect(pages.with_code("/console", code, error=str(exc))) from None
            raise _redirect(pages.with_code("/console", code, ok=f"deadline: {at or 'none'}"))
        return 404, pages.message_page("Not found", f"there is no form {path!r} on this server")


def make_server(ledger, session: str | None = None, *, host: str = "127.0.0.1", port: int = 8765) -> ClassServer:
    """A :class:`ClassServer` for a session of ``ledger`` (a SQLite path or a PostgreSQL URL),
    bound to ``host:port`` but not yet serving (call ``serve_forever()``).

    Rounds that were closed but not computed (the server stopped while computing) are computed
    first, so every page shows a consistent game.
    """
    room = Classroom.open(ledger, session)
    room.resume()
    try:
        return ClassServer((host, port), room)
    except OSError as exc:
        raise RoleplayError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}; choose another --port (or --host)"
        ) from None
