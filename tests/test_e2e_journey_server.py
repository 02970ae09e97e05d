"""The customer's-eye role-play in a real browser: seven players of one group, each in a separate
browser context (as on separate phones), and the facilitator play step 1 and round 1 through
the pages.

Every player joins by typing the code from their card. The sales manager ticks the fields of
the shared record and agrees them. Both customers walk all ten steps by pressing "Go to"; at
each step the serving department's page shows the customer and the department answers and
finishes the step (marketing also asks the need once, and sales asks it again: a repeated
question). The facilitator closes the round; the group's page shows the round's numbers and
plotly draws its figure from the server's own plotly.js. Screenshots go to ``tests/artifacts/``.

Needs Debian's ``chromium`` (driven by Playwright, pointed at the system executable); skipped
with the reason shown where it is missing. Every wait is bounded.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_util import CHROMIUM_ARGS, require_chromium
from roleplay_server_util import Server

from simulation.roleplay.journey_data import CUSTOMERS, ROLES, game
from simulation.roleplay.journey_session import JourneyClass

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = require_chromium()
pytestmark = [pytest.mark.browser, pytest.mark.slow]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed: pip install playwright")
WAIT_MS = 30_000
G = game()


def _code(room, role: str) -> str:
    c = room.join_codes()
    return c[(c.team_no == 1) & (c.role == role)].code.iloc[0]


def _press(page, do: str, customer: str | None = None) -> None:
    """Reload the player's page (the customer may have just arrived) and press one action's button."""
    page.reload()
    scope = f"#serve-{customer} " if customer else ""
    page.click(f"{scope}form:has(input[name=do][value={do}]) button")
    page.wait_for_load_state()
    assert page.locator(".refused").count() == 0, page.inner_text(".refused")


def test_seven_players_play_a_round_in_chromium(tmp_path):
    room = JourneyClass.create(tmp_path / "j.db", groups=[7], names=["常青一组"])
    server = Server(tmp_path / "j.db", tmp_path).start()
    ARTIFACTS.mkdir(exist_ok=True)
    outside: list[str] = []
    try:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                contexts = {r: browser.new_context(viewport={"width": 420, "height": 900}) for r in ROLES}
                contexts["facilitator"] = browser.new_context(viewport={"width": 1200, "height": 900})
                pages = {r: c.new_page() for r, c in contexts.items()}
                for page in pages.values():
                    page.set_default_timeout(WAIT_MS)
                    page.on("request", lambda r: None if r.url.startswith(server.url) else outside.append(r.url))
                for role in ROLES:  # each player types the code from the card
                    page = pages[role]
                    page.goto(server.url + "/")
                    page.fill("#code", _code(room, role).lower())
                    page.click("button[type=submit]")
                    page.wait_for_url(f"**/team/1/{role}?code=*")
                    assert G.roles[role].zh in page.inner_text("body")

                # step 1: sales ticks the fields of the shared record and the group agrees
                sales = pages["sales"]
                for field in ("need", "budget", "promises"):
                    sales.check(f"form:has(input[name=do][value=agree]) input[name=fields][value={field}]")
                sales.click("form:has(input[name=do][value=agree]) button")
                sales.wait_for_load_state()
                assert sales.locator("form:has(input[name=do][value=agree]) input[value=budget]").is_checked()

                # round 1: both customers walk every step; the serving department answers and finishes
                for step in G.steps:
                    for c in CUSTOMERS:
                        _press(pages[c], "arrive")
                        dept = pages[step.department]
                        if step.key in ("advert", "phone") and c == "customer_a":
                            dept.reload()
                            dept.select_option(f"#serve-{c} select[name=fact]", "need")
                            dept.click(f"#serve-{c} form:has(input[name=do][value=ask]) button")
                            dept.wait_for_load_state()
                        if step.key == "negotiate" and c == "customer_a":
                            dept.reload()
                            assert "加急送货" in dept.inner_text(f"#serve-{c} select[name=kind]")
                            dept.screenshot(path=str(ARTIFACTS / "journey_department.png"), full_page=True)
                        _press(dept, "answer", c)
                        _press(dept, "done", c)
                pages["customer_a"].reload()
                assert "满意度 satisfaction" in pages["customer_a"].inner_text("#final")
                pages["customer_a"].screenshot(path=str(ARTIFACTS / "journey_customer.png"), full_page=True)

                f = pages["facilitator"]
                f.goto(f"{server.url}/?code={room.facilitator_code}")
                f.wait_for_url("**/console?code=*")
                assert "bought" in f.inner_text("#groups")
                f.click("form[action='/console/close'] button")
                f.wait_for_selector(".stored")
                assert "round 1 closed" in f.inner_text(".stored")
                f.click("#groups a")
                f.wait_for_selector("#rounds-figure .main-svg")  # plotly drew the two-rounds figure
                assert "customer_contacts.address" in f.inner_text("#schema")
                assert "常青一组" in f.inner_text("h1")
                f.screenshot(path=str(ARTIFACTS / "journey_group.png"), full_page=True)
            finally:
                browser.close()
    finally:
        server.stop()
    res = room.results()
    assert list(res["round_no"]) == [1] and res["repeated_questions"].iloc[0] == 1
    assert res["orders"].iloc[0] == 2 and room.round == 2 and room.agreed(1) == ["need", "budget", "promises"]
    assert outside == []  # nothing was loaded from anywhere but the class server
