"""The class server over real HTTP: ``roleplay serve`` (the README's command) in a subprocess on a
free loopback port, a ledger of the quick product-defect card, and requests as a phone would send them.

What a code may do is checked from both sides: the answer's status and what the ledger holds
afterwards (a refused request must store nothing).
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from roleplay_data import quick_card
from roleplay_server_util import Server, free_port, location_path, readme_serve_args

from simulation.roleplay import Classroom

NASTY = '<script>alert("team")</script>'
pytestmark = pytest.mark.slow


def _code(room: Classroom, team_no: int, role: str) -> str:
    return room.join_codes().query("team_no == @t and role == @r", local_dict={"t": team_no, "r": role}).code.iloc[0]


def _decisions(room: Classroom):
    return room.decisions()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """One server for the tests that do not close rounds: teams 1, 2 and a team named with HTML."""
    folder = tmp_path_factory.mktemp("served")
    room = Classroom.create(folder / "class.db", quick_card(), teams=["North", "South", NASTY], seed=11)
    server = Server(folder / "class.db", folder).start()
    yield room, server
    server.stop()


def test_the_readme_documents_the_serve_command():
    args = readme_serve_args()
    assert args[:2] == ["roleplay", "serve"] and "--ledger" in args and "--port" in args


def test_join_pages_load(served):
    room, s = served
    status, _, text = s.get("/")
    assert status == 200 and "name='code'" in text
    code = _code(room, 1, "service")
    status, headers, _ = s.get("/", code=code.lower())  # typed in lower case on a phone
    assert status == 303 and location_path(headers) == f"/team/1/service?code={code}"
    status, headers, text = s.get("/team/1/service", code=code)
    assert status == 200
    service, marketing = room.card.role("service"), room.card.role("marketing")
    assert service.private_en.split(".")[0] in text and marketing.private_en.split(".")[0] not in text
    assert "name='complaints.agents'" in text and "name='pricing.discount_pct'" not in text
    assert headers["Cache-Control"] == "no-store" and "default-src 'self'" in headers["Content-Security-Policy"]
    status, headers, _ = s.get("/", code=room.facilitator_code)
    assert status == 303 and location_path(headers).startswith("/console?")
    for path, query in [("/console", {"code": room.facilitator_code}), ("/board", {})]:
        status, _, text = s.get(path, **query)
        assert status == 200, path
        # every script and style comes from this server
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", text), path
    status, headers, js = s.get("/static/plotly.min.js")
    assert status == 200 and len(js) > 1_000_000 and headers["ETag"]
    assert s.get("/", code="NOSUCH")[0] == 403
    assert s.get("/no/such/page")[0] == 404


def test_a_role_submits_its_levers_and_the_ledger_has_them(served):
    room, s = served
    code = _code(room, 2, "service")
    status, headers, _ = s.post("/team/2/service", code=code, **{"complaints.agents": "4"})
    assert status == 303 and "stored=" in headers["Location"]
    status, _, _ = s.post(
        "/team/2/service", code=code, **{"complaints.agents": "3", "complaints.recovery.procedural": "0.8"}
    )
    assert status == 303
    d = _decisions(room).query("team_no == 2 and role == 'service'")
    assert d.groupby("decision_id").size().tolist() == [2, 2]  # a role submits all its levers each time
    last = d[d.decision_id == d.decision_id.max()].set_index("lever")["value"]
    assert last["complaints.agents"] == 3 and last["complaints.recovery.procedural"] == 0.8
    _, _, text = s.get("/team/2/service", code=code)
    assert "Submitted this round" in text and "complaints.agents = 3" in text
    _, _, console = s.get("/console", code=room.facilitator_code)
    assert "✓ 2" in console


def test_a_code_reads_only_its_own_team_and_submits_only_its_own_levers(served):
    room, s = served
    code = _code(room, 1, "sales")
    before = len(_decisions(room))
    status, _, text = s.get("/team/2/sales", code=code)
    assert status == 403 and "South" not in text
    assert s.get("/team/1/service", code=code)[0] == 403  # same team, another role
    assert s.get("/team/1/sales")[0] == 403  # no code
    assert s.post("/team/2/sales", code=code, **{"pricing.discount_pct": "5"})[0] == 403
    status, _, text = s.post("/team/1/sales", code=code, **{"complaints.agents": "5"})
    assert status == 403 and "belongs to the service role" in text
    status, _, _ = s.post("/team/1/sales", code=code, **{"pricing.discount_pct": "5", "complaints.agents": "5"})
    assert status == 403
    assert s.get("/console", code=code)[0] == 403
    assert s.get("/console/cards", code=code)[0] == 403
    assert s.post("/console/close", code=code, round="1")[0] == 403
    assert s.post("/console/deadline", code=code, minutes="1")[0] == 403
    assert s.get("/team/1/sales", code=room.facilitator_code)[0] == 403  # the facilitator's code is no seat
    assert len(_decisions(room)) == before and room.round == 1 and room.deadline is None


@pytest.mark.parametrize(
    "form, says",
    [
        ({"complaints.agents": "11"}, "complaints.agents must be in [1, 10]"),
        ({"complaints.agents": "2.5"}, "must be a whole number"),
        ({"complaints.agents": "four"}, "complaints.agents must be a number; got &#x27;four&#x27;"),
        ({"complaints.agents": "10", "complaints.recovery.procedural": "0.6"}, "over the service budget"),
        ({"complaints.agentz": "3"}, "&#x27;complaints.agentz&#x27; is not a lever of the service role"),
        ({}, "none of the service role"),
    ],
)
def test_out_of_range_decisions_are_refused_with_a_message_and_not_stored(served, form, says):
    room, s = served
    code = _code(room, 1, "service")
    before = len(_decisions(room))
    status, _, text = s.post("/team/1/service", code=code, **form)
    assert status == 400
    assert "Not stored" in text and says in text
    assert len(_decisions(room)) == before


def test_student_text_is_escaped_everywhere_it_is_shown(served):
    room, s = served
    code = _code(room, 3, "marketing")
    _, _, page = s.get("/team/3/marketing", code=code)
    evil = '<img src=x onerror="alert(1)">'
    status, _, refused = s.post("/team/3/marketing", code=code, **{"complaints.recovery.courtesy": evil})
    assert status == 400
    _, _, console = s.get("/console", code=room.facilitator_code)
    for text in (page, refused, console):
        assert NASTY not in text and "&lt;script&gt;alert(&quot;team&quot;)&lt;/script&gt;" in text
    assert evil not in refused and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in refused
    _, _, cards = s.get("/console/cards", code=room.facilitator_code)
    assert NASTY not in cards and f"http://127.0.0.1:{s.port}/?code={code}" in cards


def test_the_facilitator_closes_the_round_and_the_leaderboard_updates(tmp_path):
    room = Classroom.create(tmp_path / "class.db", quick_card(), teams=2, seed=5)
    s = Server(tmp_path / "class.db", tmp_path).start()
    try:
        _, _, board = s.get("/board")
        assert "id='leaderboard'>(none)" in board
        code = _code(room, 1, "service")
        assert s.post("/team/1/service", code=code, **{"complaints.agents": "5"})[0] == 303
        assert s.post("/console/deadline", code=room.facilitator_code, minutes="30")[0] == 303
        assert room.deadline is not None
        status, headers, _ = s.post("/console/close", code=room.facilitator_code, round="1")
        assert status == 303 and "closed+and+computed+for+2+teams" in headers["Location"]
        assert room.round == 2
        states = {t: v for t, r, v, _ in room.ledger.round_states(room.session_id)}
        assert states[1]["complaints.agents"] == 5 and states[2]["complaints.agents"] == 2
        board = room.leaderboard()
        _, _, text = s.get("/board")
        assert "Team 1" in text and "Team 2" in text and f"{board.score.iloc[0]:.4g}" in text
        assert "Plotly.newPlot" in text and "Round 2 of 3 is open" in text
        _, _, page = s.get("/team/1/service", code=code)
        assert "Team results (round 1)" in page and "Round 2 of 3 is open" in page
        _, _, console = s.get("/console", code=room.facilitator_code)
        assert "Score by round" in console and "Plotly.newPlot" in console and "id='debrief'" in console
        _, _, chosen = s.get(
            "/console", code=room.facilitator_code, kpi="mean_satisfaction", lever="pricing.discount_pct"
        )
        assert "<option value='mean_satisfaction' selected>" in chosen and "Decisions: pricing.discount_pct" in chosen
        _, _, unknown = s.get("/console", code=room.facilitator_code, kpi="<b>", lever="nope")
        assert "Decisions: channels.web.customers_per_year" in unknown and "<b>" not in unknown
        # a second click on the same button closes nothing more
        status, headers, _ = s.post("/console/close", code=room.facilitator_code, round="1")
        assert status == 303 and "error=" in headers["Location"] and room.round == 2
        assert len(room.results()) == 2
    finally:
        s.stop()


def test_kill_9_mid_round_and_restart_loses_nothing(tmp_path):
    room = Classroom.create(tmp_path / "class.db", quick_card(), teams=2, seed=9)
    s = Server(tmp_path / "class.db", tmp_path).start()
    codes = {(t, r): _code(room, t, r) for t in (1, 2) for r in ("service", "sales")}
    try:
        assert s.post("/team/1/service", code=codes[1, "service"], **{"complaints.agents": "6"})[0] == 303
        assert s.post("/team/2/sales", code=codes[2, "sales"], **{"pricing.discount_pct": "7.5"})[0] == 303
    finally:
        s.stop(kill=True)  # SIGKILL: no clean-up of any kind
    assert s.proc.returncode == -9
    s2 = Server(tmp_path / "class.db", tmp_path, port=free_port()).start()
    try:
        _, _, page = s2.get("/team/1/service", code=codes[1, "service"])
        assert "complaints.agents = 6" in page
        _, _, page = s2.get("/team/2/sales", code=codes[2, "sales"])
        assert "pricing.discount_pct = 7.5" in page
        assert s2.post("/team/1/sales", code=codes[1, "sales"], **{"pricing.discount_pct": "3"})[0] == 303
        assert s2.post("/console/close", code=room.facilitator_code, round="1")[0] == 303
        states = {t: v for t, r, v, _ in room.ledger.round_states(room.session_id)}
        assert states[1]["complaints.agents"] == 6 and states[1]["pricing.discount_pct"] == 3
        assert states[2]["pricing.discount_pct"] == 7.5 and states[2]["complaints.agents"] == 2
    finally:
        s2.stop()


def _serve(*args):
    return subprocess.run(
        [sys.executable, "-m", "simulation", "roleplay", "serve", *args], capture_output=True, text=True, timeout=120
    )


def test_serve_answers_bad_input_in_one_line_with_exit_2(tmp_path):
    p = _serve("--ledger", str(tmp_path / "missing.db"))
    assert p.returncode == 2 and p.stderr.count("\n") == 1 and "missing.db" in p.stderr
    Classroom.create(tmp_path / "class.db", quick_card(), teams=1, seed=1)
    p = _serve("--ledger", str(tmp_path / "class.db"), "--port", "70000")
    assert p.returncode == 2 and "--port must be in [0, 65535]" in p.stderr
    with __import__("socket").socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        p = _serve("--ledger", str(tmp_path / "class.db"), "--host", "127.0.0.1", "--port", str(busy.getsockname()[1]))
    assert p.returncode == 2 and "choose another --port" in p.stderr and "Traceback" not in p.stderr


def test_two_servers_share_one_ledger_and_keep_nothing_of_their_own(tmp_path):
    """Decisions sent to one server, the round closed on the other: both show the same game."""
    room = Classroom.create(tmp_path / "class.db", quick_card(), teams=2, seed=3)
    a = Server(tmp_path / "class.db", tmp_path).start()
    b = Server(tmp_path / "class.db", tmp_path).start()
    try:
        code = _code(room, 2, "sales")
        assert a.get("/board")[2].count("Team 2") == 0  # drawn (and kept) before any result
        assert a.post("/team/2/sales", code=code, **{"pricing.discount_pct": "4"})[0] == 303
        assert "pricing.discount_pct = 4" in b.get("/team/2/sales", code=code)[2]
        assert b.post("/console/close", code=room.facilitator_code, round="1")[0] == 303
        assert "Team 2" in a.get("/board")[2]
        assert "Team results (round 1)" in a.get("/team/2/sales", code=code)[2]
        assert "Round 2 of 3 is open" in a.get("/console", code=room.facilitator_code)[2]
    finally:
        a.stop()
        b.stop()


def test_the_console_draws_the_chosen_kpi_and_lever(served):
    room, s = served
    _, _, text = s.get("/console", code=room.facilitator_code, kpi="mean_satisfaction", lever="pricing.discount_pct")
    assert "id='status'" in text and "id='debrief'" not in text  # no results yet: no figures
    assert "Which department noticed the crisis first" in text  # the card's debrief questions


def test_a_decision_after_the_deadline_is_refused(served):
    from datetime import UTC, datetime, timedelta

    room, s = served
    code = _code(room, 2, "delivery")
    before = len(_decisions(room))
    room.set_deadline(at=datetime.now(UTC) - timedelta(seconds=1))
    try:
        status, _, text = s.post("/team/2/delivery", code=code, **{"service.late_delivery_prob": "0.07"})
        assert status == 400 and "the deadline of round 1 passed" in text
        assert len(_decisions(room)) == before
    finally:
        room.set_deadline()


def test_oversized_or_malformed_forms_are_refused(served):
    room, s = served
    code = _code(room, 1, "finance")
    status, _, _ = s.post("/team/1/finance", code=code, **{"complaints.recovery.empowerment": "x" * 70_000})
    assert status == 413
    assert s.request("POST", "/team/1/finance?code=" + code)[0] == 403  # the code belongs in the form
    assert s.post("/console/close", code=room.facilitator_code, round="first")[0] == 303
    assert room.round == 1


def test_join_cards_point_at_the_address_students_open(tmp_path):
    room = Classroom.create(tmp_path / "class.db", quick_card(), teams=1, seed=2)
    s = Server(tmp_path / "class.db", tmp_path, extra=("--url", "http://class.example:8765/")).start()
    try:
        status, _, cards = s.get("/console/cards", code=room.facilitator_code)
        assert status == 200 and f"http://class.example:8765/?code={_code(room, 1, 'sales')}" in cards
        assert room.facilitator_code not in cards  # the facilitator's card is not printed for the class
    finally:
        s.stop()
    p = _serve("--ledger", str(tmp_path / "class.db"), "--port", "0", "--url", "class.example")
    assert p.returncode == 2 and "url must be an http://" in p.stderr


def test_fifty_roles_submitting_at_once_are_all_stored(tmp_path):
    """Every role of 10 teams presses submit at the same moment: each gets its answer and the
    ledger holds exactly one decision per role, with the values that role sent."""
    import threading

    room = Classroom.create(tmp_path / "class.db", quick_card(), teams=10, seed=6)
    s = Server(tmp_path / "class.db", tmp_path).start()
    seats = [(int(r.team_no), r.role, r.code) for r in room.join_codes().itertuples() if r.role != "facilitator"]
    first = {r.name: r.levers[0] for r in room.card.roles}
    answers: dict = {}
    go = threading.Event()

    def submit(team_no, role, code):
        lv = first[role]
        value = lv.lo if lv.cost_per_unit_cny >= 0 else lv.hi  # within range and budget
        go.wait()
        answers[team_no, role] = (s.post(f"/team/{team_no}/{role}", code=code, **{lv.path: str(value)})[0], value)

    threads = [threading.Thread(target=submit, args=seat) for seat in seats]
    try:
        for t in threads:
            t.start()
        go.set()
        for t in threads:
            t.join(timeout=120)
    finally:
        s.stop()
    assert len(seats) == 50 and {a for a, _ in answers.values()} == {303}
    d = room.decisions()
    assert d["decision_id"].nunique() == 50
    for (team_no, role), (_, value) in answers.items():
        row = d[(d.team_no == team_no) & (d.role == role) & (d.lever == first[role].path)]
        assert len(row) == 1 and row["value"].iloc[0] == value
