"""Shared fixtures: small, fast scenarios for the model's tests, and hand-made tables for the analytics."""

import dataclasses

import pytest
from analytics_data import hand_customers, hand_orders

from simulation import preset, with_changes


@pytest.fixture(scope="session")
def small():
    """The small-class preset (about 2,000 customers, one year)."""
    return preset("small-class")


@pytest.fixture(scope="session")
def tiny(small):
    """A quick variant: about 600 customers over 180 days."""
    return with_changes(
        dataclasses.replace(small, horizon_days=180.0),
        {
            "channels.store.customers_per_year": 500.0,
            "channels.web.customers_per_year": 500.0,
            "channels.dealer.customers_per_year": 200.0,
        },
    )


@pytest.fixture
def orders():
    """A fresh copy of :func:`analytics_data.hand_orders` for each test."""
    return hand_orders()


@pytest.fixture
def customers():
    """A fresh copy of :func:`analytics_data.hand_customers` for each test."""
    return hand_customers()
