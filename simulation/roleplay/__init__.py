"""Role-play in class: teams run the firm's departments round by round against the simulation.

- :mod:`.cards`: scenario cards (TOML data, validated like scenarios);
- :mod:`.ledger`: the classroom ledger (SQLite, append-only decisions);
- :mod:`.engine`: a team's firm rebuilt by replaying its recorded decisions, and the score;
- :mod:`.classroom`: the facilitator's and the students' Python interface.
"""

from .cards import Card, card, cards, load_card
from .classroom import Classroom, Seat
from .errors import Refused, RoleplayError

__all__ = ["Classroom", "Seat", "Card", "card", "cards", "load_card", "RoleplayError", "Refused"]
