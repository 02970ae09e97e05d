"""The class server in a real browser: a facilitator and two students, each in a separate browser
context (as on separate phones), play a round through the pages.

Two roles of two teams join by typing their codes, submit their levers with the page's form
(one of them first typing an out-of-range value and reading the refusal), the facilitator
closes the round from the console, the projector's leaderboard shows both teams with a plotly
figure drawn from the server's own plotly.js, and a student's page shows the results by itself. Screenshots go to ``tests/artifacts/``.

Needs Debian's ``chromium`` (driven by Playwright, pointed at the system executable); skipped
with the reason shown where it is missing. Every wait is bounded.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_util import CHROMIUM_ARGS, require_chromium
from roleplay_data import quick_card
from roleplay_server_util import Server

from simulation.roleplay import Classroom

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = require_chromium()
pytestmark = [pytest.mark.browser, pytest.mark.slow]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed: pip install playwright")
WAIT_MS = 30_000


def _code(room: Classroom, team_no: int, role: str) -> str:
    return room.join_codes().query("team_no == @t and role == @r", local_dict={"t": team_no, "r": role}).code.iloc[0]


def test_a_round_played_through_the_pages_in_chromium(tmp_path):
    room = Classroom.create(tmp_path / "class.db", quick_card(), teams=["Lions", "Tigers"], seed=4)
    server = Server(tmp_path / "class.db", tmp_path).start()
    ARTIFACTS.mkdir(exist_ok=True)
    outside: list[str] = []
    try:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                contexts = {who: browser.new_context(viewport={"width": 420, "height": 900}) for who in ("a", "b")}
                contexts["f"] = browser.new_context(viewport={"width": 1200, "height": 900})
                pages = {who: c.new_page() for who, c in contexts.items()}
                for page in pages.values():
                    page.set_default_timeout(WAIT_MS)
                    page.on(
                        "request",
                        lambda r: None if r.url.startswith(server.url) else outside.append(r.url),
                    )

                # two students join by typing the code from their card
                for who, team_no, role in (("a", 1, "service"), ("b", 2, "sales")):
                    page = pages[who]
                    page.goto(server.url + "/")
                    page.fill("#code", _code(room, team_no, role).lower())
                    page.click("button[type=submit]")
                    page.wait_for_url(f"**/team/{team_no}/{role}?code=*")
                    assert page.locator("#decisions").is_visible()

                a, b = pages["a"], pages["b"]
                a.fill("[name='complaints.agents']", "12")
                a.click("#decisions button[type=submit]")
                a.wait_for_selector("#message.refused")
                assert "must be in [1, 10]" in a.inner_text("#message")
                a.fill("[name='complaints.agents']", "5")
                a.click("#decisions button[type=submit]")
                a.wait_for_selector("#message.stored")
                assert "complaints.agents = 5" in a.inner_text("#message")
                a.screenshot(path=str(ARTIFACTS / "roleplay_server_role.png"), full_page=True)

                b.fill("[name='pricing.discount_pct']", "6")
                b.click("#decisions button[type=submit]")
                b.wait_for_selector("#message.stored")

                # the facilitator sees both submissions and closes the round
                f = pages["f"]
                f.goto(f"{server.url}/?code={room.facilitator_code}")
                f.wait_for_url("**/console?code=*")
                assert "Submitted: 2 of 10" in f.inner_text("body")
                f.click("#close")
                f.wait_for_selector("#message.stored")
                assert "round 1 closed and computed for 2 teams" in f.inner_text("#message")
                f.wait_for_selector("#fig0 .main-svg")  # plotly drew the console's figures
                f.screenshot(path=str(ARTIFACTS / "roleplay_server_console.png"), full_page=True)

                f.goto(server.url + "/board")
                f.wait_for_selector("#board-figure .main-svg")
                board = f.inner_text("#leaderboard")
                assert "Lions" in board and "Tigers" in board and "customer_equity_cny" in board
                f.screenshot(path=str(ARTIFACTS / "roleplay_server_board.png"), full_page=True)

                # the role's page notices the new round by itself (it checks every 10 s)
                a.wait_for_selector("#scores", timeout=WAIT_MS)
                assert "Team results (round 1)" in a.inner_text("body") and "Round 2 of 3" in a.inner_text("#round")
                assert "customer_equity_cny" in a.inner_text("#scorecard")  # the team's balanced scorecard
            finally:
                browser.close()
    finally:
        server.stop()
    states = {t: v for t, _, v, _ in room.ledger.round_states(room.session_id)}
    assert states[1]["complaints.agents"] == 5 and states[2]["pricing.discount_pct"] == 6
    assert outside == []  # nothing was loaded from anywhere but the class server
