"""The flat event log the model writes while it runs.

One row per event. Columns are kept as ``array`` objects of plain numbers (no Python
objects per row), so recording is cheap and the garbage collector has nothing to scan.
Tidy tables are derived from the log once, at the end (:mod:`simulation.model.result`).
"""

from __future__ import annotations

from array import array

import numpy as np
import pandas as pd

__all__ = ["EVENT_TYPES", "EV", "CATEGORY", "CHURN", "CHANNEL", "CATEGORIES", "CHURN_REASONS", "STAGES", "EventLog"]

#: Event types, in code order (the ``event_type`` column is categorical on these names).
EVENT_TYPES = (
    "contact",  # a prospect contacts the firm (customer_id = -1 if it never converts)
    "deterred",  # a prospect turned away by negative word of mouth
    "acquired",  # a prospect becomes a customer (amount = acquisition cost)
    "order",  # an order (amount = revenue, discount, cost = delivery cost)
    "installation",  # an installation job (cost = installation cost)
    "late_delivery",  # an order delivered late
    "installation_problem",  # an installation that went wrong
    "product_failure",  # a product failed early (cost = repair cost)
    "referral",  # a customer refers a prospect
    "dropout",  # the customer silently leaves (hidden truth; code = churn reason)
    "comeback",  # a lost customer comes back
    "plan_start",  # a yearly service plan starts (its sale is an order too)
    "plan_renewal",  # a service plan renews (its renewal is an order too)
    "plan_lapse",  # a service plan is not renewed
)
EV = {name: i for i, name in enumerate(EVENT_TYPES)}

#: Order categories (``code`` of order events).
CATEGORIES = ("appliance", "accessory", "consumable", "service_plan")
#: Churn reasons (``code`` of dropout events).
CHURN_REASONS = ("price", "competitor", "product", "service", "complaint")
#: Observable lifecycle stages.
STAGES = ("contact", "development", "maintenance", "decline", "termination")
#: Acquisition channels (``code`` of contact/acquired events).
CHANNEL_CODES = ("store", "web", "dealer", "referral")

#: Codes of the names above, for the model's hot paths (``EV["order"]``, ``CHURN["service"]`` …).
CATEGORY = {name: i for i, name in enumerate(CATEGORIES)}
CHURN = {name: i for i, name in enumerate(CHURN_REASONS)}
CHANNEL = {name: i for i, name in enumerate(CHANNEL_CODES)}


class EventLog:
    """Column store of events: time, type, customer, order, code, amounts, satisfaction."""

    def __init__(self):
        self.time = array("d")
        self.event = array("b")
        self.customer = array("q")
        self.order = array("q")
        self.code = array("h")
        self.amount = array("d")
        self.discount = array("d")
        self.cost = array("d")
        self.satisfaction = array("d")

    def __len__(self) -> int:
        return len(self.time)

    def add(
        self,
        t: float,
        event: int,
        customer: int,
        order: int = -1,
        code: int = -1,
        amount: float = 0.0,
        discount: float = 0.0,
        cost: float = 0.0,
        satisfaction: float = float("nan"),
    ) -> None:
        """Append one event (all arguments are plain numbers)."""
        self.time.append(t)
        self.event.append(event)
        self.customer.append(customer)
        self.order.append(order)
        self.code.append(code)
        self.amount.append(amount)
        self.discount.append(discount)
        self.cost.append(cost)
        self.satisfaction.append(satisfaction)

    def arrays(self) -> dict[str, np.ndarray]:
        """The columns as NumPy arrays (copies, so the log may keep growing)."""
        return {
            name: np.array(getattr(self, name))
            for name in ("time", "event", "customer", "order", "code", "amount", "discount", "cost", "satisfaction")
        }

    def frame(self) -> pd.DataFrame:
        """The raw log as a DataFrame, sorted stably by time (ties keep recording order)."""
        a = self.arrays()
        t = a["time"]
        if np.all(t[1:] >= t[:-1]):  # the model appends in clock order: already sorted
            order = slice(None)
        else:
            order = np.argsort(t, kind="stable")
        return pd.DataFrame(
            {
                "time_days": a["time"][order],
                "event_type": pd.Categorical.from_codes(a["event"][order], EVENT_TYPES),
                "customer_id": a["customer"][order],
                "order_id": a["order"][order],
                "code": a["code"][order].astype(np.int64),
                "amount_cny": a["amount"][order],
                "discount_cny": a["discount"][order],
                "cost_cny": a["cost"][order],
                "satisfaction": a["satisfaction"][order],
            }
        )
