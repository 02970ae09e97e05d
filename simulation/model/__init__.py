"""The SimPy model of the firm: random streams, the event log, the customers' processes, the
firm with its rules and levers, and the tidy tables of a run.
"""

from .firm import Firm, run
from .result import TABLES, Result

__all__ = ["Firm", "run", "Result", "TABLES"]
