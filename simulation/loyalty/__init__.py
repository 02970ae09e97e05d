"""The loyalty club plugged into the firm: members, points and tiers while the firm runs, the
ledger it writes and the programme's KPIs.
"""

from .club import LoyaltyClub, Member
from .kpis import loyalty_kpis
from .ledger import ENTRIES, LedgerLog, ledger_table

__all__ = ["LoyaltyClub", "Member", "ENTRIES", "LedgerLog", "ledger_table", "loyalty_kpis"]
