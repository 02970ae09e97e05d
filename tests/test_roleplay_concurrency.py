"""Fifty writer processes (10 teams x 5 roles) submit to one round at the same moment: nothing is
lost or duplicated. The same test runs on PostgreSQL in ``test_roleplay_postgres.py``."""

from __future__ import annotations

import json
import multiprocessing
import os
import traceback

import pytest
from roleplay_data import quick_card

from simulation.roleplay import Classroom

SUBMISSIONS = 4


def _writer(target: str, code: str, go, out: str) -> None:
    """One student's phone as its own process: opens the ledger itself and submits its role's
    first lever ``SUBMISSIONS`` times, writing each acknowledged decision to ``out``."""
    try:
        room = Classroom.open(target)
        seat = room.seat(code)
        role = room.card.role(seat.role)
        lever = role.levers[0]
        steps = [lever.lo + (lever.hi - lever.lo) * k / 20 for k in range(21)]
        if lever.kind == "integer":
            steps = sorted({round(v) for v in steps})
        allowed = [v for v in steps if lever.cost(v) <= role.budget_cny]
        go.wait(120)  # every writer starts together
        with open(out, "w", encoding="utf-8") as f:
            for i in range(SUBMISSIONS):
                value = allowed[(i * 7 + seat.team_no) % len(allowed)]
                d = seat.submit({lever.path: value})
                f.write(json.dumps([d, seat.team_no, seat.role, lever.path, value]) + "\n")
                f.flush()
        code_out = 0
    except BaseException:
        with open(out + ".err", "w", encoding="utf-8") as f:
            f.write(traceback.format_exc())
        code_out = 1
    os._exit(code_out)


def fifty_writers(target: str, folder) -> None:
    """Create a session of 10 teams at ``target`` (a SQLite path or a PostgreSQL URL), let its
    50 roles submit from 50 processes at once, and check the ledger against what each process
    was told: every acknowledged decision stored once, with its values, and the round's
    settings are each role's last decision."""
    room = Classroom.create(target, quick_card(rounds=2), teams=10, seed=17)
    codes = room.join_codes().dropna(subset=["team_no"]).code.tolist()
    assert len(codes) == 50
    ctx = multiprocessing.get_context("fork")  # 50 interpreters sharing the imported modules' memory
    go = ctx.Event()
    outs = [str(folder / f"writer{k}.jsonl") for k in range(len(codes))]
    procs = [ctx.Process(target=_writer, args=(str(target), c, go, o)) for c, o in zip(codes, outs, strict=True)]
    for p in procs:
        p.start()
    assert len({p.pid for p in procs}) == 50
    go.set()
    for p in procs:
        p.join(600)
    errors = [open(o + ".err", encoding="utf-8").read() for o in outs if os.path.exists(o + ".err")]
    assert not errors, errors[0]
    assert [p.exitcode for p in procs] == [0] * 50
    acknowledged = []
    for o in outs:
        with open(o, encoding="utf-8") as f:
            acknowledged += [json.loads(line) for line in f]
    assert len(acknowledged) == 50 * SUBMISSIONS
    ids = [a[0] for a in acknowledged]
    assert len(set(ids)) == len(ids)
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


@pytest.mark.slow
def test_fifty_concurrent_writer_processes_lose_and_duplicate_nothing(tmp_path):
    """10 teams x 5 roles = 50 processes, 4 submissions each, all to round 1 of one SQLite ledger."""
    fifty_writers(str(tmp_path / "class.db"), tmp_path)
