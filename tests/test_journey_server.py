"""The customer's-eye role-play over real HTTP: ``roleplay serve`` (the README's command) in a
subprocess, a full group of seven playing step 1 and both rounds the way the pages let them.

Departments decide what to ask from what their page's record shows: a needed fact missing from
the record is asked for. In round 1 that means asking again what another department already
recorded; in round 2 the shared record agreed in step 1 shows it. The numbers stored in the
ledger and shown on the group's page must say so.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from roleplay_server_util import Server, location_path

from simulation.roleplay.journey_data import CUSTOMERS, game
from simulation.roleplay.journey_session import JourneyClass

pytestmark = pytest.mark.slow
G = game()
NASTY = '<script>alert("g")</script>'


def _code(room, team, role):
    c = room.join_codes()
    return c[(c.team_no == team) & (c.role == role)].code.iloc[0]


def _act(s, room, team, role, **form) -> None:
    fields = [("code", _code(room, team, role))]
    for k, v in form.items():
        fields += [(k, x) for x in v] if isinstance(v, list) else [(k, str(v))]
    status, headers, text = s.request("POST", f"/team/{team}/{role}", fields)
    assert status == 303, (role, form, re.findall(r"class='refused'>([^<]*)", text))
    assert "stored=" in headers["Location"]


def _seen(s, room, team, role, customer) -> set[str]:
    """The facts the department's page shows on its record of ``customer``."""
    status, _, text = s.get(f"/team/{team}/{role}", code=_code(room, team, role))
    assert status == 200
    block = text.split(f"id='serve-{customer}'", 1)[1].split("class='actions'", 1)[0]
    return set(re.findall(r"data-fact='(\w+)' data-seen='1'", block))


PROMISE = {"customer_a": ("negotiate", "express_delivery"), "customer_b": ("negotiate", "instalments")}


def _play_round(s, room, team) -> None:
    """Both customers walk the whole journey, one step each in turn; each department asks the
    needed facts its page does not show, answers, makes the customer's promise at negotiate,
    gives customer A an 8 % discount there, and finishes the step."""
    for step in G.steps:
        for c in CUSTOMERS:
            _act(s, room, team, c, do="arrive")
            dept = step.department
            needs = G.customers[c].questions[step.key].needs
            seen = _seen(s, room, team, dept, c)
            for fact in needs:
                if fact not in seen:
                    _act(s, room, team, dept, do="ask", customer=c, fact=fact)
            _act(s, room, team, dept, do="answer", customer=c)
            if step.key == PROMISE[c][0]:
                _act(s, room, team, dept, do="promise", customer=c, kind=PROMISE[c][1])
                if c == "customer_a":
                    _act(s, room, team, dept, do="discount", customer=c, pct="8")
            _act(s, room, team, dept, do="done", customer=c)


def test_a_group_of_seven_plays_both_rounds_through_the_server(tmp_path):
    room = JourneyClass.create(tmp_path / "j.db", groups=[7, 3], names=[NASTY, "South"])
    s = Server(tmp_path / "j.db", tmp_path).start()
    fac = room.facilitator_code
    try:
        # joining: each code opens its own page; a code opens nobody else's page, nor stores anything
        status, headers, _ = s.get("/", code=_code(room, 1, "sales").lower())
        assert status == 303 and location_path(headers).startswith("/team/1/sales?")
        status, _, text = s.get("/team/1/sales", code=_code(room, 1, "sales"))
        assert status == 200 and "销售部经理" in text and "Discount given" in text
        assert NASTY not in text and "&lt;script&gt;" in text
        assert s.get("/team/1/finance", code=_code(room, 1, "sales"))[0] == 403
        assert s.post("/team/1/finance", code=_code(room, 1, "sales"), do="agree", fields="need")[0] == 403
        assert s.get("/team/1/sales", code=_code(room, 2, "sales"))[0] == 403
        # an action that does not apply now: 400 with the reason, nothing stored
        status, _, text = s.post("/team/1/sales", code=_code(room, 1, "sales"), do="done", customer="customer_a")
        assert status == 400 and "not in front of sales" in text
        assert room.ledger.decisions(room.session_id) == []

        # step 1: each department declares, the group agrees on the shared record
        for dept, holds, needs in [
            ("marketing", ["channel", "need"], ["budget"]),
            ("sales", ["need", "budget", "competitor"], ["address", "deadline"]),
            ("repair", ["site"], ["need", "promises"]),
            ("delivery", ["address"], ["deadline", "promises"]),
            ("finance", ["payment"], ["contact", "promises"]),
        ]:
            _act(s, room, 1, dept, do="declare", holds=holds, needs=needs)
        agreed = ["contact", "need", "budget", "deadline", "competitor", "address", "site", "payment", "promises"]
        _act(s, room, 1, "sales", do="agree", fields=agreed)
        status, _, text = s.get("/group/1", code=_code(room, 1, "customer_b"))
        assert status == 200 and "customer_contacts.address" in text and "missing from the database" in text
        # repair needs the need; it is agreed. Every need in this group is agreed: nothing unmet
        assert re.search(r"id='unmet'>[^<]*<b>—</b>", text)
        assert "需求和用途、预算" in text
        assert s.get("/group/2", code=_code(room, 1, "customer_b"))[0] == 403

        _play_round(s, room, 1)
        status, headers, _ = s.post("/console/close", code=fac, round="1")
        assert status == 303 and "round+1+closed" in headers["Location"]
        assert room.round == 2
        _play_round(s, room, 1)
        status, headers, _ = s.post("/console/close", code=fac, round="2")
        assert status == 303 and room.round is None

        res = room.results().set_index(["team_no", "round_no"])
        one, two = res.loc[(1, 1)], res.loc[(1, 2)]
        assert one["repeated_questions"] > 0 and two["repeated_questions"] == 0
        # round 1: finance asked customer B again what was promised (so it honours the instalments);
        # nobody told the delivery centre about customer A's express delivery: broken, and late
        assert (one["promises_broken"], one["promises_kept"], one["late_deliveries"]) == (1, 1, 1)
        assert (two["promises_broken"], two["promises_kept"], two["late_deliveries"]) == (0, 2, 0)
        assert one["poor_answers"] == 0 and two["first_time_fixes"] == 2 and two["orders"] == 2
        assert two["satisfaction"] > one["satisfaction"] and two["discount_cny"] == one["discount_cny"] == 336
        # group 2 (three players, nobody acted) was played by the computer where it could: still at the start
        assert res.loc[(2, 1)]["orders"] == 0

        status, _, text = s.get("/group/1", code=fac)
        assert status == 200 and 'id="rounds-figure"' in text and "/static/plotly.min.js" in text
        assert "CRM与客户是什么关系" in text and f"{int(one['repeated_questions'])} → 0" in text
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", text)
        for path in ("/console", "/console/roles", "/console/observer", "/console/cards"):
            status, _, text = s.get(path, code=fac)
            assert status == 200 and NASTY not in text, path
        assert s.get("/console/roles", code=_code(room, 1, "sales"))[0] == 403
        status, _, text = s.get("/board")
        assert status == 200 and "&lt;script&gt;" in text
        status, headers, _ = s.post("/console/close", code=fac, round="2")
        assert "error=" in headers["Location"]
        assert "not the open round" in parse_qs(urlsplit(headers["Location"]).query)["error"][0]
    finally:
        s.stop()
