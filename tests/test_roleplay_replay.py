"""Replay: a closed round rebuilt from the ledger in a new process is identical, and a game
killed mid-round (kill -9) resumes exactly where it stopped, losing no acknowledged decision."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys

import pytest
from roleplay_data import quick_card, run_python

from simulation.roleplay import Classroom
from simulation.roleplay.ledger import dumps

RECOMPUTE = """
import sys, json
from simulation.roleplay import Classroom
from simulation.roleplay.ledger import dumps
room = Classroom.open(sys.argv[1])
for t, r, k, s, n in room.ledger.results(room.session_id):
    print(json.dumps([t, r, dumps(list(room.recompute(t, r)))]))
"""


def code(room, team_no, role):
    return room.join_codes().query("team_no == @t and role == @r", local_dict={"t": team_no, "r": role}).code.iloc[0]


def play(room, rounds):
    """A fixed sequence of decisions over ``rounds`` rounds."""
    for r in range(1, rounds + 1):
        room.submit(code(room, 1, "service"), {"complaints.agents": 2 + r})
        room.submit(code(room, 2, "sales"), {"pricing.discount_pct": 3.0 * r})
        room.submit(code(room, 2, "finance"), {"complaints.recovery.compensation_cny": 100 * r})
        room.close_round()


def test_closed_rounds_rebuilt_in_a_new_process_are_identical(tmp_path):
    """Rounds 2 and 3 were computed from the firms kept in memory; a new process replays every
    round from the ledger alone and gets the same KPIs, score and notes, byte for byte."""
    room = Classroom.create(tmp_path / "class.db", quick_card(rounds=3), teams=2, seed=8)
    play(room, 3)
    stored = {(t, r): dumps([k, s, n]) for t, r, k, s, n in room.ledger.results(room.session_id)}
    assert len(stored) == 6
    out = run_python(RECOMPUTE, tmp_path / "class.db").stdout.splitlines()
    rebuilt = {(t, r): text for t, r, text in map(json.loads, out)}
    assert rebuilt == stored
    ranks = room.leaderboard()
    assert list(ranks["rank"]) == [1, 2] and set(ranks["team_no"]) == {1, 2}


def test_same_card_different_teams_different_firms(tmp_path):
    room = Classroom.create(tmp_path / "class.db", quick_card(rounds=2), teams=2, seed=8)
    res = room.close_round()
    a, b = res.to_dict("records")
    assert a["seed"] != b["seed"] and a["revenue_cny"] != b["revenue_cny"]
    assert a["scenario"] == b["scenario"]


KILLED_WHILE_COMPUTING = """
import sys, time
import simulation.roleplay.engine as engine
from simulation.roleplay import Classroom
def stuck(*args):
    print("computing", flush=True)
    time.sleep(600)
engine.outcome = stuck
Classroom.open(sys.argv[1]).close_round()
"""


@pytest.mark.slow
def test_kill_9_while_a_round_is_computed_then_resume(tmp_path):
    """The round is closed (settings recorded) when the process dies; reopening finds it
    pending, refuses new decisions for it, and computes exactly what an uninterrupted game gives."""
    card = quick_card(rounds=2)
    rooms = [Classroom.create(tmp_path / f"{name}.db", card, teams=2, seed=13) for name in ("killed", "reference")]
    for room in rooms:
        room.submit(code(room, 1, "sales"), {"pricing.discount_pct": 7})
        room.submit(code(room, 2, "service"), {"complaints.agents": 5})
    killed, reference = rooms
    p = subprocess.Popen(
        [sys.executable, "-c", KILLED_WHILE_COMPUTING, str(tmp_path / "killed.db")], stdout=subprocess.PIPE, text=True
    )
    try:
        assert p.stdout.readline().strip() == "computing"
    finally:
        os.kill(p.pid, signal.SIGKILL)
        p.wait()
    room = Classroom.open(tmp_path / "killed.db")
    assert room.round is None and room.pending() == [1]
    with pytest.raises(Exception, match="no round is open"):
        room.submit(code(room, 1, "sales"), {"pricing.discount_pct": 9})
    with pytest.raises(Exception, match="round 2 is not the round to close"):
        room.close_round(2)
    finished = room.close_round(1)  # finishes the interrupted round, closes nothing more
    assert list(finished["round_no"]) == [1, 1] and room.round == 2 and room.pending() == []
    reference.close_round()

    def results(r):
        return [(t, rn, k, s, n) for t, rn, k, s, n in r.ledger.results(r.session_id)]

    assert results(room) == results(reference)
    assert len(room.ledger.decisions(room.session_id)) == 2


SUBMITTING = """
import sys, itertools
from simulation.roleplay import Classroom
room = Classroom.open(sys.argv[1])
seat = room.seat(sys.argv[2])
for i in itertools.count():
    d = seat.submit({"pricing.discount_pct": float(i % 16)})
    print(d, i % 16, flush=True)
"""


@pytest.mark.slow
def test_kill_9_while_submitting_loses_no_acknowledged_decision(tmp_path):
    room = Classroom.create(tmp_path / "class.db", quick_card(rounds=2), teams=1, seed=2)
    p = subprocess.Popen(
        [sys.executable, "-c", SUBMITTING, str(tmp_path / "class.db"), code(room, 1, "sales")],
        stdout=subprocess.PIPE,
        text=True,
    )
    acknowledged = []
    try:
        while len(acknowledged) < 25:
            acknowledged.append(tuple(int(x) for x in p.stdout.readline().split()))
    finally:
        os.kill(p.pid, signal.SIGKILL)
        p.wait()
    con = sqlite3.connect(tmp_path / "class.db")
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    con.close()
    stored = {d: v["pricing.discount_pct"] for d, _, _, _, v, _, _ in room.ledger.decisions(room.session_id)}
    for d, value in acknowledged:
        assert stored[d] == value
    assert sorted(stored) == list(range(1, len(stored) + 1))
    last = stored[max(stored)]
    room.close_round()  # the game goes on from the ledger
    assert room.ledger.round_states(room.session_id)[0][2]["pricing.discount_pct"] == last


def _play_warm(room, rounds, *, background: bool):
    """:func:`play`, with each round's firms rebuilt ahead while the round is open; decisions
    come after the firms are built (or while a background thread builds them)."""
    for r in range(1, rounds + 1):
        thread = room.warm_in_background() if background else None
        if not background:
            # round 1: both firms built from their seeds; later rounds: kept from the last close
            assert room.warm() == ([1, 2] if r == 1 else [])
            assert room.warm() == []  # already at hand
        room.submit(code(room, 1, "service"), {"complaints.agents": 2 + r})
        room.submit(code(room, 2, "sales"), {"pricing.discount_pct": 3.0 * r})
        room.submit(code(room, 2, "finance"), {"complaints.recovery.compensation_cny": 100 * r})
        room.close_round()
        if thread is not None:
            thread.join()


@pytest.mark.parametrize("background", [False, True])
def test_rounds_closed_on_warmed_firms_equal_a_replay_from_the_ledger(tmp_path, background):
    """Closing a round on firms built ahead by ``warm`` (in this thread, or in a background
    thread racing the submissions and the close) stores the results that a game without warming
    stores and that a new process rebuilds from the ledger alone, byte for byte."""
    cold = Classroom.create(tmp_path / "cold.db", quick_card(rounds=3), teams=2, seed=8)
    play(cold, 3)
    room = Classroom.create(tmp_path / "warm.db", quick_card(rounds=3), teams=2, seed=8)
    _play_warm(room, 3, background=background)
    stored = {(t, r): dumps([k, s, n]) for t, r, k, s, n in room.ledger.results(room.session_id)}
    expected = {(t, r): dumps([k, s, n]) for t, r, k, s, n in cold.ledger.results(cold.session_id)}
    assert len(stored) == 6 and stored == expected
    out = run_python(RECOMPUTE, tmp_path / "warm.db").stdout.splitlines()
    assert {(t, r): text for t, r, text in map(json.loads, out)} == stored
    assert room.warm() == []  # the game is over: nothing to build
