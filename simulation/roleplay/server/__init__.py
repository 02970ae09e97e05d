"""The class server: the facilitator's console, one page per team role and the projector's
leaderboard, served to the whole class from the facilitator's laptop (see :mod:`.app`)."""

from .app import ClassServer, make_server, parse_levers

__all__ = ["ClassServer", "make_server", "parse_levers"]
