"""Role-play in class: teams run the firm's departments round by round against the simulation.

- :mod:`.parts` and :mod:`.cards`: scenario cards (TOML data, validated like scenarios);
- :mod:`.backends` and :mod:`.ledger`: the classroom ledger (SQLite or PostgreSQL, append-only decisions);
- :mod:`.engine`: a team's firm rebuilt by replaying its recorded decisions, and the score;
- :mod:`.news`: a round's notable events as bilingual lines;
- :mod:`.classroom` and :mod:`.seat`: the facilitator's and the students' Python interface;
- :mod:`.printing`: printable join cards with QR codes;
- :mod:`.practice`: one student plays a card alone in a notebook, with undo;
- :mod:`.server` and :mod:`.server_pages`: the class server (team pages, facilitator console, projector).
"""

from .cards import Card, card, cards, load_card
from .classroom import Classroom, Seat
from .errors import Refused, RoleplayError
from .practice import Practice

__all__ = ["Classroom", "Seat", "Practice", "Card", "card", "cards", "load_card", "RoleplayError", "Refused"]
