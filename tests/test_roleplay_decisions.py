"""Decisions: refused ones are not stored, codes are isolated per team and role, the ledger is append-only."""

from __future__ import annotations

import sqlite3

import pytest
from roleplay_data import quick_card

from simulation.roleplay import Classroom, Refused, RoleplayError
from simulation.roleplay.classroom import team_seed
from simulation.roleplay.ledger import Ledger


@pytest.fixture
def room(tmp_path):
    return Classroom.create(tmp_path / "class.db", quick_card(rounds=2), teams=3, seed=21)


def code(room, team_no, role):
    return room.join_codes().query("team_no == @t and role == @r", local_dict={"t": team_no, "r": role}).code.iloc[0]


def n_decisions(room):
    return len(room.ledger.decisions(room.session_id))


@pytest.mark.parametrize(
    "role, values, message",
    [
        ("service", {"complaints.agents": 11}, "complaints.agents must be in [1, 10] agents; got 11"),
        ("service", {"complaints.agents": 2.5}, "must be a whole number"),
        ("service", {"complaints.agents": "4"}, "must be a number"),
        ("service", {"pricing.discount_pct": 5}, "pricing.discount_pct belongs to the sales role, not service"),
        ("service", {"complaints.agent": 4}, "did you mean 'complaints.agents'?"),
        ("service", {"complaints.agents": 6, "complaints.recovery.procedural": 1.0}, "over the service budget"),
        ("sales", {"pricing.discount_pct": float("nan")}, "must be a number"),
        ("sales", {}, "give the sales role's levers"),
        ("sales", [("pricing.discount_pct", 5)], "give the sales role's levers"),
    ],
)
def test_refused_decisions_are_not_stored(room, role, values, message):
    seat = room.seat(code(room, 1, role))
    with pytest.raises(Refused) as err:
        seat.submit(values)
    assert message in str(err.value) and "nothing was stored" in str(err.value)
    assert n_decisions(room) == 0


def test_unknown_and_facilitator_codes_are_not_seats(room):
    with pytest.raises(Refused, match="unknown join code"):
        room.submit("ZZZZZZ", {"pricing.discount_pct": 5})
    with pytest.raises(Refused, match="not a team seat"):
        room.submit(room.facilitator_code, {"pricing.discount_pct": 5})
    assert n_decisions(room) == 0


def test_a_code_of_another_session_is_refused(room, tmp_path):
    other = Classroom.create(tmp_path / "other.db", quick_card(), teams=1, seed=1)
    with pytest.raises(Refused, match="unknown join code"):
        room.seat(code(other, 1, "sales"))


def test_decisions_after_a_round_closed_are_refused(room):
    sales = room.seat(code(room, 1, "sales"))
    sales.submit({"pricing.discount_pct": 5})
    room.close_round()
    with pytest.raises(Refused, match="round 1 is not open"):  # a late write aimed at round 1
        room.ledger.submit(room.session_id, 1, "sales", 1, {"pricing.discount_pct": 9}, by="team1/sales")
    sales.submit({"pricing.discount_pct": 6})  # round 2 is open
    room.close_round()
    with pytest.raises(Refused, match="no round is open"):
        sales.submit({"pricing.discount_pct": 7})
    with pytest.raises(RoleplayError, match="the game ended after round 2"):
        room.close_round()
    with pytest.raises(RoleplayError, match="the game ended after round 2"):
        room.close_round(2)
    assert [(r, v) for _, _, r, _, v, _, _ in room.ledger.decisions(room.session_id)] == [
        (1, {"pricing.discount_pct": 5.0}),
        (2, {"pricing.discount_pct": 6.0}),
    ]


def test_resubmission_wins_and_silent_roles_keep_their_values(room):
    svc = room.seat(code(room, 2, "service"))
    svc.submit({"complaints.agents": 5})
    svc.submit({"complaints.agents": 3})
    room.seat(code(room, 2, "sales")).submit({"pricing.discount_pct": 4})
    room.close_round()
    states = {(t, r): (v, k) for t, r, v, k in room.ledger.round_states(room.session_id)}
    values, kept = states[(2, 1)]
    assert values["complaints.agents"] == 3 and values["complaints.recovery.procedural"] == 0.6
    assert values["pricing.discount_pct"] == 4.0
    assert kept == ["delivery", "finance", "marketing"]
    assert states[(1, 1)][0] == room.card.start_values()
    assert states[(1, 1)][1] == sorted(r.name for r in room.card.roles)
    with pytest.raises(RoleplayError, match="round 1 is not the round to close \\(that is round 2\\)"):
        room.close_round(1)
    room.close_round(2)  # nobody submits in round 2: every value carries over
    assert {(t, r): v for t, r, v, _ in room.ledger.round_states(room.session_id)}[(2, 2)] == values


def test_a_seat_sees_only_its_own_team_and_role(room):
    room.seat(code(room, 1, "sales")).submit({"pricing.discount_pct": 8})
    room.close_round()
    view = room.seat(code(room, 2, "finance")).view()
    assert view["team_no"] == 2 and view["role"]["name"] == "finance"
    assert view["private"]["zh"] == room.card.role("finance").private_zh
    assert [lv["path"] for lv in view["levers"]] == [lv.path for lv in room.card.role("finance").levers]
    ours = [k for _, r, k, _, _ in room.ledger.results(room.session_id, 2)]
    assert [r["kpis"] for r in view["results"]] == ours
    theirs = room.ledger.results(room.session_id, 1)[0][2]
    assert theirs != ours[0]
    text = repr(view)
    for other in room.join_codes().code:
        assert other not in text  # no code, not even its own, is shown back
    for role in room.card.roles:
        if role.name != "finance":
            assert role.private_en not in text


def test_a_seat_writes_only_its_own_team(room):
    seat = room.seat(code(room, 3, "marketing"))
    seat.submit({"complaints.recovery.courtesy": 0.8})
    rows = room.ledger.decisions(room.session_id)
    assert [(t, role, by) for _, t, _, role, _, by, _ in rows] == [(3, "marketing", "team3/marketing")]


def test_decisions_are_append_only(room):
    room.seat(code(room, 1, "sales")).submit({"pricing.discount_pct": 5})
    con = sqlite3.connect(room.ledger.db.path)
    for sql in ("UPDATE decisions SET values_json = '{}'", "DELETE FROM decisions"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute(sql)
    con.close()
    assert n_decisions(room) == 1


def test_a_ledger_is_never_overwritten(room, tmp_path):
    path = room.ledger.db.path
    before = open(path, "rb").read()
    with pytest.raises(RoleplayError, match="already exists"):
        Classroom.create(path, quick_card(), teams=1)
    assert open(path, "rb").read() == before
    with pytest.raises(RoleplayError, match="does not exist"):
        Ledger.open(tmp_path / "none.db")
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(RoleplayError, match="not a role-play ledger"):
        Ledger.open(tmp_path / "notes.txt")
    with pytest.raises(RoleplayError, match="backend is not available"):
        Ledger.open("mysql://localhost/class")


def test_team_seeds_differ_and_do_not_move_when_teams_join(room):
    seeds = [s for _, _, s in room.ledger.teams(room.session_id)]
    assert len(set(seeds)) == 3 and seeds == [team_seed(21, n) for n in (1, 2, 3)]
    added = room.add_teams(["Blue"])
    assert set(added.team) == {"Blue"} and len(added) == len(room.card.roles)
    assert [s for _, _, s in room.ledger.teams(room.session_id)][:3] == seeds
    room.close_round()
    with pytest.raises(RoleplayError, match="before the first round closes"):
        room.add_teams(1)
    assert len(room.teams()) == 4


def test_status_shows_who_has_submitted(room):
    room.seat(code(room, 1, "sales")).submit({"pricing.discount_pct": 5})
    room.seat(code(room, 1, "sales")).submit({"pricing.discount_pct": 6})
    st = room.status()
    assert len(st) == 3 * len(room.card.roles) and int(st["submitted"].sum()) == 1
    assert st.query("team_no == 1 and role == 'sales'").submissions.iloc[0] == 2


def test_after_the_deadline_decisions_are_refused_until_it_is_cleared(room):
    from datetime import UTC, datetime, timedelta

    sales = room.seat(code(room, 1, "sales"))
    assert room.deadline is None and sales.view()["deadline"] is None
    later = room.set_deadline(30)
    assert room.deadline == later and sales.view()["deadline"] == later
    sales.submit({"pricing.discount_pct": 5})
    room.set_deadline(at=datetime.now(UTC) - timedelta(seconds=1))
    with pytest.raises(Refused, match="the deadline of round 1 passed at"):
        sales.submit({"pricing.discount_pct": 6})
    assert n_decisions(room) == 1
    room.set_deadline()  # cleared
    sales.submit({"pricing.discount_pct": 7})
    for bad, message in [(0, "minutes must be"), (True, "minutes must be"), (2000, "minutes must be")]:
        with pytest.raises(RoleplayError, match=message):
            room.set_deadline(bad)
    with pytest.raises(RoleplayError, match="time zone"):
        room.set_deadline(at=datetime(2030, 1, 1))
    room.close_round()
    assert room.deadline is None  # round 2 starts without one


def test_only_the_facilitators_code_opens_the_console(room):
    assert room.console(room.facilitator_code.lower()) is room
    for team_code in room.join_codes().dropna(subset=["team_no"]).code:
        with pytest.raises(Refused, match="not the facilitator's code"):
            room.console(team_code)
    with pytest.raises(RoleplayError, match="at most 40 characters"):
        room.add_teams(["x" * 41])
