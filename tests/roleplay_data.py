"""Shared pieces of the role-play tests: a quick card and helpers for subprocess scripts."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

from simulation.roleplay.cards import card_from_text

ROOT = Path(__file__).resolve().parents[1]


def card_text(name: str = "product-defect-crisis") -> str:
    """The TOML text of a shipped card."""
    return (resources.files("simulation.roleplay") / "cards" / f"{name}.toml").read_text(encoding="utf-8")


def quick_card(rounds: int = 3):
    """The product-defect card made quick: about 600 customers a year, two warm-up months, ``rounds >= 2``
    rounds (its defect wave comes in round 2)."""
    text = card_text().replace("customers_per_year = 2400", "customers_per_year = 600")
    text = text.replace("warmup_periods = 6", "warmup_periods = 2").replace("rounds = 6", f"rounds = {rounds}")
    text = text.replace("round = 5", f"round = {min(5, rounds)}")
    return card_from_text(text, "quick card")


def run_python(code: str, *args, timeout: float = 300, **kw) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh Python process (the test's interpreter); check the exit code."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    p = subprocess.run(
        [sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True, timeout=timeout, env=env, **kw
    )
    assert p.returncode == 0, p.stderr
    return p
