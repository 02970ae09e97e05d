"""The role-play's two kinds of refusal: a bad card or ledger, and a refused decision."""

from __future__ import annotations

__all__ = ["RoleplayError", "Refused"]


class RoleplayError(ValueError):
    """A scenario card, a ledger or a facilitator's request is invalid; the message says what and how to fix it."""


class Refused(RoleplayError):
    """A decision was refused (out of range, over budget, wrong role or code, round closed); nothing was stored."""
