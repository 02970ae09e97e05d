"""The same ledger on PostgreSQL: a throw-away cluster in a temporary folder (Debian's
``postgresql`` package and ``psycopg``); skipped where either is missing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from roleplay_data import quick_card, run_python

from simulation.roleplay import Classroom, Refused, RoleplayError
from simulation.roleplay.ledger import dumps

psycopg = pytest.importorskip("psycopg")


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@pytest.fixture(scope="module")
def cluster():
    """``(socket folder, port)`` of a fresh PostgreSQL cluster, stopped and removed afterwards."""
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin"))  # Debian keeps them off the PATH
    path = os.pathsep.join([os.environ.get("PATH", ""), *map(str, debian)])
    if not (shutil.which("initdb", path=path) and shutil.which("pg_ctl", path=path)):
        pytest.skip("PostgreSQL's initdb and pg_ctl are not installed (Debian package postgresql)")
    os.environ["PATH"] = path
    folder = Path(tempfile.mkdtemp(prefix="crm-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data, port = folder / "data", 55000 + os.getpid() % 1000
    subprocess.run(
        _as_postgres(["initdb", "-D", str(data), "-A", "trust", "-U", "postgres"]), check=True, capture_output=True
    )
    opts = f"-p {port} -k {folder} -c listen_addresses='' -c fsync=off"
    subprocess.run(
        _as_postgres(["pg_ctl", "-D", str(data), "-o", opts, "-l", str(folder / "log"), "-w", "start"]),
        check=True,
        capture_output=True,
    )
    try:
        yield folder, port
    finally:
        subprocess.run(_as_postgres(["pg_ctl", "-D", str(data), "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def url(cluster, request):
    """A connection URL to a new, empty database for this test."""
    folder, port = cluster
    name = "t_" + "".join(c if c.isalnum() else "_" for c in request.node.name.lower())[:50]
    with psycopg.connect(f"host={folder} port={port} user=postgres dbname=postgres", autocommit=True) as con:
        con.execute(f"DROP DATABASE IF EXISTS {name}")
        con.execute(f"CREATE DATABASE {name}")
    return f"postgresql://postgres@/{name}?host={folder}&port={port}"


def code(room, team_no, role):
    return room.join_codes().query("team_no == @t and role == @r", local_dict={"t": team_no, "r": role}).code.iloc[0]


def play(room):
    room.submit(code(room, 1, "service"), {"complaints.agents": 4})
    room.submit(code(room, 2, "sales"), {"pricing.discount_pct": 6})
    with pytest.raises(Refused, match="over the service budget"):
        room.submit(code(room, 2, "service"), {"complaints.agents": 10})
    room.close_round()
    room.submit(code(room, 1, "finance"), {"complaints.recovery.compensation_cny": 120})
    room.close_round()


def results(room):
    return [(t, r, dumps(k), s, n) for t, r, k, s, n in room.ledger.results(room.session_id)]


def test_a_game_on_postgresql_equals_the_same_game_on_sqlite(url, tmp_path):
    card = quick_card(rounds=2)
    pg = Classroom.create(url, card, teams=2, seed=31)
    lite = Classroom.create(tmp_path / "c.db", card, teams=2, seed=31)
    for room in (pg, lite):
        play(room)
    assert results(pg) == results(lite)
    assert [d[1:5] for d in pg.ledger.decisions(pg.session_id)] == [
        d[1:5] for d in lite.ledger.decisions(lite.session_id)
    ]
    with pytest.raises(Refused, match="no round is open"):
        pg.submit(code(pg, 1, "sales"), {"pricing.discount_pct": 1})
    assert len(pg.ledger.decisions(pg.session_id)) == 3


def test_decisions_are_append_only_and_a_ledger_is_never_overwritten(url):
    room = Classroom.create(url, quick_card(), teams=1, seed=2)
    room.submit(code(room, 1, "sales"), {"pricing.discount_pct": 5})
    with pytest.raises(psycopg.Error, match="append-only"):
        with room.ledger.db.transaction() as con:
            con.execute("DELETE FROM decisions")
    with pytest.raises(RoleplayError, match="already holds a ledger"):
        Classroom.create(url, quick_card(), teams=1)
    assert len(room.ledger.decisions(room.session_id)) == 1
    with pytest.raises(RoleplayError, match="cannot connect"):
        Classroom.open(url.replace("/t_", "/missing_"))


def test_export_copies_the_postgresql_ledger_into_sqlite(url, tmp_path):
    room = Classroom.create(url, quick_card(rounds=2), teams=2, seed=5)
    play(room)
    room.export(tmp_path / "out")
    copy = Classroom.open(tmp_path / "out" / "ledger.sqlite")
    assert results(copy) == results(room) and copy.round is None
    assert copy.ledger.decisions(copy.session_id) == room.ledger.decisions(room.session_id)


RECOMPUTE = """
import sys, json
from simulation.roleplay import Classroom
from simulation.roleplay.ledger import dumps
room = Classroom.open(sys.argv[1])
for t, r, k, s, n in room.ledger.results(room.session_id):
    print(json.dumps([t, r, dumps(list(room.recompute(t, r)))]))
"""


def test_closed_rounds_rebuilt_from_postgresql_in_a_new_process_are_identical(url):
    room = Classroom.create(url, quick_card(rounds=2), teams=2, seed=8)
    play(room)
    stored = {(t, r): dumps([json.loads(k), s, n]) for t, r, k, s, n in results(room)}
    rebuilt = {(t, r): text for t, r, text in map(json.loads, run_python(RECOMPUTE, url).stdout.splitlines())}
    assert rebuilt == stored


@pytest.mark.slow
def test_fifty_concurrent_writer_processes_on_postgresql(url, tmp_path):
    """The test of ``test_roleplay_concurrency.py`` on a PostgreSQL ledger: 50 processes, one per
    team and role, submit at once; every acknowledged decision is stored once."""
    from test_roleplay_concurrency import fifty_writers

    fifty_writers(url, tmp_path)
