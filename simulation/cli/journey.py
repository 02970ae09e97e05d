"""``python -m simulation roleplay journey-...``: the customer's-eye role-play from the command line.

``journey-create`` makes a new ledger with a journey-game session (groups of up to seven; the
computer plays missing roles) and prints the join codes; ``journey-status`` shows where every
group's customers are; ``journey-close`` closes the open round and prints every group's
numbers; ``journey-sheets`` writes the printable role cards and observer sheet for classes
without devices. ``roleplay serve`` serves a journey-game ledger's pages. Bad input is one line
on stderr with exit code 2.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..roleplay.errors import RoleplayError

__all__ = ["add_journey_parsers", "journey_command", "journey_serve", "JOURNEY_COMMANDS"]

JOURNEY_COMMANDS = ("journey-create", "journey-status", "journey-close", "journey-sheets")


def add_journey_parsers(rsub, ledger_args) -> None:
    """Add the ``journey-*`` actions to the ``roleplay`` subparsers ``rsub``."""
    c = rsub.add_parser("journey-create", help="new ledger with a customer's-eye journey game; print the join codes")
    c.add_argument("--ledger", required=True, help="the new ledger file (SQLite; never overwritten)")
    c.add_argument("--groups", default="7", help="players per group, comma-separated (e.g. 7,7,5); default 7")
    c.add_argument("--names", help="the groups' names, comma-separated (default Group 1, Group 2, ...)")
    s = rsub.add_parser("journey-status", help="where each group's customers are in the open round")
    ledger_args(s)
    cl = rsub.add_parser("journey-close", help="close the open round of the journey game and print the numbers")
    ledger_args(cl)
    sh = rsub.add_parser("journey-sheets", help="write printable role cards and the observer sheet (HTML)")
    sh.add_argument("--out", required=True, help="folder to write into (created if missing)")


def _sizes(text: str) -> list[int]:
    try:
        return [int(t) for t in text.split(",")]
    except ValueError:
        raise RoleplayError(
            f"--groups must be whole numbers separated by commas, such as 7,7,5; got {text!r}"
        ) from None


def journey_command(args) -> int:
    """Run one ``journey-*`` action; the exit code (bad input raises :class:`RoleplayError`)."""
    from ..roleplay.journey_data import game
    from ..roleplay.journey_session import JourneyClass
    from ..roleplay.journey_sheets import observer_page, role_cards_page

    action = args.roleplay_command
    if action == "journey-sheets":
        out = Path(args.out)
        if out.exists() and not out.is_dir():
            raise RoleplayError(f"--out {args.out!r} is a file; give a folder")
        out.mkdir(parents=True, exist_ok=True)
        g = game()
        for name, text in (("role_cards.html", role_cards_page(g)), ("observer_sheet.html", observer_page(g))):
            (out / name).write_text(text, encoding="utf-8")
            print(out / name)
        return 0
    if action == "journey-create":
        names = [n.strip() for n in re.split("[,，]", args.names)] if args.names else None
        room = JourneyClass.create(args.ledger, groups=_sizes(args.groups), names=names)
        print(f"session {room.session_id}: {room.game.title_en} / {room.game.title_zh}; round 1 is open")
        print(room.join_codes()[["team_no", "team", "role", "role_zh", "code"]].to_string(index=False))
        return 0
    room = JourneyClass.open(args.ledger, args.session)
    if action == "journey-close":
        r = room.close_round()
        print(f"round {r} closed" + ("; round 2 (the shared record) is open" if room.round == 2 else "; game over"))
        res = room.results()
        cols = ["team", "round_no", "repeated_questions", "promises_broken", "wait_min", "discount_cny"]
        print(res[cols + ["satisfaction", "intent_pct"]].to_string(index=False))
        return 0
    print(room.status().to_string(index=False))
    return 0


def lan_addresses(host: str) -> list[str]:
    """The addresses students type: ``host``, or for ``0.0.0.0`` this laptop's own network
    addresses (looked up locally, nothing is sent), or ``LAPTOP-ADDRESS`` when none is found."""
    import socket

    if host not in ("0.0.0.0", ""):
        return [host]
    try:
        found = {a[4][0] for a in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)}
    except OSError:
        found = set()
    return sorted(a for a in found if not a.startswith("127.")) or ["LAPTOP-ADDRESS"]


def serve_until_stopped(server, host: str, port: int) -> int:
    """Serve until Ctrl+C or SIGTERM; the ledger keeps everything, so the same command carries on."""
    import signal

    print(f"listening on {host}:{port}", flush=True)

    def stop(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever(poll_interval=0.25)
    except KeyboardInterrupt:
        print("server stopped; start it again with the same command to carry on", flush=True)
    finally:
        server.server_close()
    return 0


def journey_serve(args) -> int:
    """``roleplay serve`` for a journey-game ledger: print the addresses and serve until stopped."""
    from ..roleplay.journey_server import make_journey_server

    server = make_journey_server(args.ledger, args.session, host=args.host, port=args.port)
    room, port = server.room, server.server_address[1]
    lan = lan_addresses(args.host)
    if args.url:
        server.public_url = args.url
    elif len(lan) == 1 and lan != ["LAPTOP-ADDRESS"]:
        server.public_url = f"http://{lan[0]}:{port}/"  # the join cards' QR codes open this address
    print(f"session {room.session_id} (journey game): round {room.round or '-'}")
    where = args.url or " or ".join(f"http://{a}:{port}/" for a in lan)
    print(f"students: open {where} and type the code on their card (or scan its QR code)")
    print("join cards, role cards and observer sheet: from the console (console ▸ links)")
    print(f"facilitator console: http://127.0.0.1:{port}/console?code={room.facilitator_code}")
    return serve_until_stopped(server, args.host, port)
