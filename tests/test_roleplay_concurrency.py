"""Twenty writer processes submit to one round at the same moment: nothing is lost or duplicated."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from roleplay_data import quick_card

from simulation.roleplay import Classroom

WRITER = """
import json, os, sys, time
from simulation.roleplay import Classroom
path, code, go, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
room = Classroom.open(path)
seat = room.seat(code)
role = room.card.role(seat.role)
lever = role.levers[0]
steps = [lever.lo + (lever.hi - lever.lo) * k / 20 for k in range(21)]
if lever.kind == "integer":
    steps = sorted({round(v) for v in steps})
allowed = [v for v in steps if lever.cost(v) <= role.budget_cny]
while not os.path.exists(go):   # every writer starts together
    time.sleep(0.005)
for i in range(n):
    value = allowed[(i * 7 + seat.team_no) % len(allowed)]
    d = seat.submit({lever.path: value})
    print(json.dumps([d, seat.team_no, seat.role, lever.path, value]), flush=True)
"""


@pytest.mark.slow
def test_twenty_concurrent_writers_lose_and_duplicate_nothing(tmp_path):
    """4 teams x 5 roles = 20 processes, 5 submissions each, all to round 1 of one ledger."""
    room = Classroom.create(tmp_path / "class.db", quick_card(rounds=2), teams=4, seed=17)
    codes = room.join_codes().dropna(subset=["team_no"]).code.tolist()
    assert len(codes) == 20
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path / "class.db"), c, str(go), "5"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for c in codes
    ]
    go.touch()
    acknowledged = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        acknowledged += [json.loads(line) for line in out.splitlines()]
    assert len(acknowledged) == 100
    ids = [a[0] for a in acknowledged]
    assert len(set(ids)) == 100
    stored = room.ledger.decisions(room.session_id)
    assert sorted(d for d, *_ in stored) == sorted(ids)
    by_id = {d: (t, role, values) for d, t, _, role, values, _, _ in stored}
    last = {}
    for d, t, role, path, value in acknowledged:
        assert by_id[d][:2] == (t, role) and by_id[d][2][path] == value
        last[(t, role)] = (path, value)  # each writer's lines are in its own order
    room.close_round()
    states = {t: v for t, _, v, kept in room.ledger.round_states(room.session_id)}
    for (t, _role), (path, value) in last.items():
        assert states[t][path] == value
    assert all(kept == [] for *_, kept in room.ledger.round_states(room.session_id))
