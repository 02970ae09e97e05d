"""Two class servers sharing one PostgreSQL ledger (a throw-away cluster, as in
``test_roleplay_postgres.py``; skipped where PostgreSQL or psycopg is missing)."""

from __future__ import annotations

import threading

import pytest
from roleplay_data import quick_card
from roleplay_server_util import Server
from test_roleplay_postgres import cluster, url  # noqa: F401 - the fixtures

from simulation.roleplay import Classroom

pytestmark = pytest.mark.slow


def _code(room, team_no, role):
    return room.join_codes().query("team_no == @t and role == @r", local_dict={"t": team_no, "r": role}).code.iloc[0]


def test_two_servers_on_one_postgresql_ledger(url, tmp_path):  # noqa: F811 - the fixture
    room = Classroom.create(url, quick_card(), teams=3, seed=8)
    servers = [Server(url, tmp_path).start(), Server(url, tmp_path).start()]
    try:
        answers = []

        def submit(i, team_no, role, lever, value):
            s = servers[i % 2]
            answers.append(s.post(f"/team/{team_no}/{role}", code=_code(room, team_no, role), **{lever: value})[0])

        jobs = [
            (1, "service", "complaints.agents", "4"),
            (2, "sales", "pricing.discount_pct", "6"),
            (3, "delivery", "service.late_delivery_prob", "0.06"),
            (1, "sales", "pricing.discount_pct", "2"),
        ]
        threads = [threading.Thread(target=submit, args=(i, *job)) for i, job in enumerate(jobs)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert answers == [303] * 4
        a, b = servers
        assert "pricing.discount_pct = 6" in a.get("/team/2/sales", code=_code(room, 2, "sales"))[2]
        assert "Submitted: 4 of 15" in b.get("/console", code=room.facilitator_code)[2]
        assert a.post("/console/close", code=room.facilitator_code, round="1")[0] == 303
        status, headers, _ = b.post("/console/close", code=room.facilitator_code, round="1")
        assert status == 303 and "error=" in headers["Location"]  # the other server's click closes nothing more
        assert "Team 3" in b.get("/board")[2] and "Round 2 of 3 is open" in b.get("/board")[2]
        states = {t: v for t, _, v, _ in room.ledger.round_states(room.session_id)}
        assert states[1]["complaints.agents"] == 4 and states[3]["service.late_delivery_prob"] == 0.06
        assert len(room.results()) == 3
    finally:
        for s in servers:
            s.stop()
