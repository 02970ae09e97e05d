"""``python -m simulation roleplay ...``: run a class game from the command line.

``cards`` lists the scenario cards; ``create`` makes a new ledger with a session and prints
the join codes; ``add-teams`` and ``join-codes`` manage teams; ``submit`` records a role's
decisions from a TOML or CSV file; ``status`` shows who has submitted; ``deadline`` stops
submissions to the open round after some minutes; ``close-round`` closes
the open round and prints the leaderboard; ``export`` writes CSV tables and a copy of the
ledger. Bad input (and a refused decision) is one line on stderr with exit code 2; a ledger
is never overwritten.
"""

from __future__ import annotations

import csv
import re
import tomllib
from pathlib import Path

from ..roleplay.cards import card, cards
from ..roleplay.classroom import Classroom
from ..roleplay.errors import RoleplayError
from .journey import (
    JOURNEY_COMMANDS,
    add_journey_parsers,
    journey_command,
    journey_serve,
    lan_addresses,
    serve_until_stopped,
)

__all__ = ["add_parser", "command", "read_decisions"]


def add_parser(sub, seed_type=int) -> None:
    """Add the ``roleplay`` command to the subparsers ``sub`` of the main parser."""
    p = sub.add_parser("roleplay", help="class role-play: create a session, submit decisions, close rounds, export")
    rsub = p.add_subparsers(dest="roleplay_command", metavar="ACTION", parser_class=type(p))
    rsub.add_parser("cards", help="list the scenario cards")

    def ledger_args(q, session=True):
        q.add_argument("--ledger", required=True, help="the ledger file (SQLite)")
        if session:
            q.add_argument("--session", help="session id (needed only when the ledger holds several)")

    c = rsub.add_parser("create", help="create a new ledger with a session of a card; print the join codes")
    ledger_args(c, session=False)
    c.add_argument("--card", required=True, help="card name (see `roleplay cards`) or path of a .toml card")
    c.add_argument("--teams", default="4", help="number of teams, or team names separated by commas (default 4)")
    c.add_argument("--seed", type=seed_type, default=0, help="the session's seed; each team's seed is drawn from it")
    a = rsub.add_parser("add-teams", help="add teams before the first round closes; print their codes")
    ledger_args(a)
    a.add_argument("--teams", default="1", help="number of teams, or names separated by commas (default 1)")
    j = rsub.add_parser("join-codes", help="print (or write as CSV) the join code of every team and role")
    ledger_args(j)
    j.add_argument("--out", help="CSV file to write (must not exist)")
    j.add_argument("--html", help="printable HTML page of join cards with QR codes to write (must not exist)")
    j.add_argument("--url", help="the class server's address, for the QR codes (with --html)")
    s = rsub.add_parser("submit", help="submit a role's decisions from a TOML or CSV file")
    ledger_args(s, session=False)
    s.add_argument("--code", required=True, help="the role's join code")
    s.add_argument("file", help='TOML ("lever.path" = value) or CSV (columns lever,value)')
    st = rsub.add_parser("status", help="the open round and who has submitted")
    ledger_args(st)
    dl = rsub.add_parser("deadline", help="refuse submissions to the open round after a number of minutes")
    ledger_args(dl)
    dl.add_argument("--minutes", type=float, help="minutes from now (omit to clear the deadline)")
    cl = rsub.add_parser("close-round", help="close the open round, compute every team's firm, print the leaderboard")
    ledger_args(cl)
    cl.add_argument("--round", type=int, dest="round_no", help="the round to close (refused if another is open)")
    lb = rsub.add_parser("leaderboard", help="print the leaderboard of the last computed round")
    ledger_args(lb)
    e = rsub.add_parser("export", help="write results, decisions and round states as CSV, and a copy of the ledger")
    ledger_args(e)
    e.add_argument("--out", required=True, help="folder to write into (new or empty)")
    sv = rsub.add_parser("serve", help="serve the class: facilitator console, team pages and leaderboard over the LAN")
    ledger_args(sv)
    sv.add_argument("--host", default="0.0.0.0", help="address to listen on (default 0.0.0.0: every network)")
    sv.add_argument("--port", type=int, default=8765, help="port to listen on (default 8765; 0 picks a free one)")
    sv.add_argument("--url", help="the address students open, for the join cards' QR codes (default: found here)")
    add_journey_parsers(rsub, ledger_args)


def _teams(text: str):
    text = text.strip()
    if text.isdigit():
        return int(text)
    return [n.strip() for n in re.split("[,，]", text)]


def _value(text: str):
    t = text.strip()
    if t.lower() in ("true", "false"):
        return t.lower() == "true"
    for conv in (int, float):
        try:
            return conv(t)
        except ValueError:
            pass
    return t


def read_decisions(path: str) -> dict:
    """``{lever: value}`` from a TOML file (``"pricing.discount_pct" = 5``) or a CSV file (lever,value)."""
    p = Path(path)
    if not p.is_file():
        raise RoleplayError(f"decisions file {path!r} does not exist")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RoleplayError(f"cannot read decisions file {path!r}: {exc}") from None
    if p.suffix.lower() == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise RoleplayError(f"decisions file {path!r} is not valid TOML: {exc}") from None
        nested = [k for k, v in data.items() if isinstance(v, dict)]
        if nested:
            raise RoleplayError(
                f"decisions file {path!r}: write each lever as one quoted key, e.g. "
                f'"{nested[0]}.{next(iter(data[nested[0]]), "field")}" = value'
            )
        return data
    if p.suffix.lower() == ".csv":
        rows = list(csv.reader(text.splitlines()))
        if not rows or [h.strip() for h in rows[0]] != ["lever", "value"]:
            raise RoleplayError(
                f"decisions file {path!r} must have the header lever,value; got {rows[0] if rows else 'nothing'}"
            )
        out = {}
        for i, row in enumerate(rows[1:], 2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != 2:
                raise RoleplayError(f"decisions file {path!r} line {i}: expected lever,value; got {row}")
            lever = row[0].strip()
            if lever in out:
                raise RoleplayError(f"decisions file {path!r} line {i}: lever {lever!r} is given twice")
            out[lever] = _value(row[1])
        return out
    raise RoleplayError(f"decisions file {path!r} must end in .toml or .csv")


def _print(df) -> None:
    print(df.to_string(index=False) if len(df) else "(none)")


def command(args) -> int:
    """Run ``roleplay ACTION``; returns the exit code. Bad input raises :class:`RoleplayError`."""
    action = args.roleplay_command
    if action is None:
        raise RoleplayError(
            "roleplay needs an action: cards, create, add-teams, join-codes, submit, status, deadline, close-round, "
            "leaderboard, export or serve"
        )
    if action == "cards":
        for name in cards():
            c = card(name)
            print(
                f"{name:24s} {c.title_en} / {c.title_zh}  ({len(c.roles)} roles, {c.rounds} rounds of {c.period_days:g} days)"
            )
        return 0
    if action == "create":
        room = Classroom.create(args.ledger, args.card, teams=_teams(args.teams), seed=args.seed)
        print(
            f"session {room.session_id}: {room.card.title_en} / {room.card.title_zh}, {len(room.teams())} teams, seed {room.seed}"
        )
        print(f"ledger {args.ledger}; round 1 is open")
        _print(room.join_codes()[["team_no", "team", "role", "role_zh", "code"]])
        return 0
    if action == "submit":
        values = read_decisions(args.file)
        room = _room_of_code(args.ledger, args.code)
        seat = room.seat(args.code)
        decision = seat.submit(values)
        print(
            f"stored decision {decision}: team {seat.team_no}, {seat.role}, round {room.round}: "
            + ", ".join(f"{k} = {v}" for k, v in values.items())
        )
        return 0
    if action == "serve":
        return _serve(args)
    if action in JOURNEY_COMMANDS:
        return journey_command(args)
    _refuse_journey_ledger(args, action)
    room = Classroom.open(args.ledger, args.session)
    if action == "add-teams":
        _print(room.add_teams(_teams(args.teams))[["team_no", "team", "role", "role_zh", "code"]])
        return 0
    if action == "join-codes":
        codes = room.join_codes()
        for option in ("out", "html"):
            if getattr(args, option) and Path(getattr(args, option)).exists():
                raise RoleplayError(
                    f"--{option} {getattr(args, option)!r} already exists; choose a new file (nothing was written)"
                )
        if args.out and args.html and Path(args.out).resolve() == Path(args.html).resolve():
            raise RoleplayError("--out and --html must be different files (nothing was written)")
        if args.url and not args.html:
            raise RoleplayError("--url is for the QR codes of --html; give --html FILE too")
        if args.html:
            page = room.join_cards_html(args.url)  # checks the url before anything is written
            Path(args.html).write_text(page, encoding="utf-8")
            print(f"wrote {len(codes)} join cards to {args.html}")
        if args.out:
            codes.to_csv(Path(args.out), index=False)
            print(f"wrote {len(codes)} codes to {args.out}")
        if not (args.out or args.html):
            _print(codes[["team_no", "team", "role", "role_zh", "code"]])
        return 0
    if action == "status":
        pending = room.pending()
        r = room.round
        state = f"round {r} of {room.card.rounds} is open" if r else "no round is open"
        if r and room.deadline:
            state += f" until {room.deadline} (UTC)"
        print(
            f"session {room.session_id} ({room.card.name}): {state}"
            + (f"; rounds {pending} await computing (close-round resumes)" if pending else "")
        )
        if r:
            st = room.status()
            print(f"submitted: {int(st['submitted'].sum())} of {len(st)} roles")
            _print(st[["team_no", "team", "role", "submitted", "submissions", "last_submitted_at"]])
        return 0
    if action == "deadline":
        text = room.set_deadline(args.minutes)
        print(f"round {room.round}: " + (f"submissions close at {text} (UTC)" if text else "no deadline"))
        return 0
    if action == "close-round":
        res = room.close_round(args.round_no)
        print(f"round {int(res['round_no'].iloc[0])} closed and computed for {len(res)} teams")
        _print(room.leaderboard())
        return 0
    if action == "leaderboard":
        _print(room.leaderboard())
        return 0
    if action == "export":
        written = room.export(args.out)
        print(f"wrote {len(written)} files to {args.out}: " + ", ".join(p.name for p in written))
        return 0
    raise RoleplayError(f"unknown roleplay action {action!r}")


def _refuse_journey_ledger(args, action: str) -> None:
    """A clear message when a department role-play command is given a journey-game ledger."""
    from ..roleplay.journey_session import is_journey_session

    if is_journey_session(args.ledger, args.session):
        raise RoleplayError(
            f"{args.ledger!r} holds a customer's-eye journey game; `roleplay {action}` is for the department "
            "role-play: use journey-status, journey-close or serve"
        )


def _serve(args) -> int:
    from ..roleplay.printing import join_link
    from ..roleplay.server import make_server

    if not 0 <= args.port <= 65535:
        raise RoleplayError(f"--port must be in [0, 65535]; got {args.port}")
    if args.url:
        join_link(args.url, "CHECK")  # a clear message for an address that is not http(s)://host
    from ..roleplay.journey_session import is_journey_session

    if is_journey_session(args.ledger, args.session):
        return journey_serve(args)
    server = make_server(args.ledger, args.session, host=args.host, port=args.port)
    room, port = server.room, server.server_address[1]
    lan = lan_addresses(args.host)
    r = room.round
    print(f"session {room.session_id} ({room.card.name}): " + (f"round {r} is open" if r else "no round is open"))
    if args.url:
        server.public_url = args.url
    elif len(lan) == 1 and lan != ["LAPTOP-ADDRESS"]:
        server.public_url = f"http://{lan[0]}:{port}/"
    where = args.url or " or ".join(f"http://{a}:{port}/" for a in lan)
    print(f"students: open {where} and type the code on their card (or scan its QR code)")
    if lan == ["LAPTOP-ADDRESS"]:
        print("  (LAPTOP-ADDRESS: this laptop's address on the class network, from `ip addr` or the network settings)")
    print(f"join cards with QR codes: http://127.0.0.1:{port}/console/cards?code={room.facilitator_code}")
    print(f"facilitator console: http://127.0.0.1:{port}/console?code={room.facilitator_code}")
    print(f"projector: http://127.0.0.1:{port}/board    (Ctrl+C stops the server; the ledger keeps everything)")
    return serve_until_stopped(server, args.host, port)


def _room_of_code(ledger_path: str, code: str) -> Classroom:
    from ..roleplay.ledger import Ledger

    ledger = Ledger.open(ledger_path)
    found = ledger.code(str(code).strip().upper())
    if found is None:
        raise RoleplayError("unknown join code; check the code on your card (nothing was stored)")
    return Classroom(ledger, found[0])
