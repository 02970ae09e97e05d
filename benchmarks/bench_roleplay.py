"""The classroom ledger and the game engine under a class's load (no server, no browser).

Measures, on one SQLite ledger of the product-defect card with 10 teams x 5 roles:
- submit-to-acknowledged time of one decision through the Python interface, sequentially
  (median and 95th percentile; target <= 1 s at the 95th percentile);
- the same with 50 writers at once (every role of 10 teams): 50 threads of one process (as a
  class server would serve them), then 50 processes, each timing its own submissions once
  every process has started;
- closing a round for 10 teams: the first round after start (every firm replayed from its
  seed) and a later round (firms kept in memory) — target <= 5 s — and the first round after
  a restart (every firm replayed from the ledger);
- the ledger's size on disk after the game.

Usage: ``python benchmarks/bench_roleplay.py``
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

WRITER = """
import json, os, sys, time
from simulation.roleplay import Classroom
path, code, go, ready = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
room = Classroom.open(path)
seat = room.seat(code)
lever = room.card.role(seat.role).levers[0]
open(ready, "w").close()
while not os.path.exists(go):
    time.sleep(0.005)
times = []
for i in range(4):
    t0 = time.perf_counter()
    seat.submit({lever.path: lever.start})
    times.append(time.perf_counter() - t0)
print(json.dumps(times))
"""


def _pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main() -> None:
    from simulation.roleplay import Classroom

    folder = Path(tempfile.mkdtemp(prefix="bench-roleplay-"))
    path = folder / "class.db"
    room = Classroom.create(path, "product-defect-crisis", teams=10, seed=1)
    codes = room.join_codes().dropna(subset=["team_no"]).code.tolist()
    print("CRM Workbench — role-play ledger and engine benchmark (10 teams x 5 roles)")

    times = []
    for code in codes * 4:
        seat = room.seat(code)
        lever = room.card.role(seat.role).levers[0]
        t0 = time.perf_counter()
        seat.submit({lever.path: lever.start})
        times.append(time.perf_counter() - t0)
    print(
        f"submit, one writer:       median {statistics.median(times) * 1000:6.1f} ms, "
        f"p95 {_pct(times, 0.95) * 1000:6.1f} ms ({len(times)} submissions)"
    )

    times = []

    def writer(code):
        seat = room.seat(code)
        lever = room.card.role(seat.role).levers[0]
        barrier.wait()
        for _ in range(4):
            t0 = time.perf_counter()
            seat.submit({lever.path: lever.start})
            times.append(time.perf_counter() - t0)

    barrier = threading.Barrier(len(codes))
    threads = [threading.Thread(target=writer, args=(c,)) for c in codes]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    print(
        f"submit, {len(threads)} threads of one process at once: median {statistics.median(times) * 1000:6.1f} ms, "
        f"p95 {_pct(times, 0.95) * 1000:6.1f} ms ({len(times)} submissions)"
    )

    go = folder / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), c, str(go), str(folder / f"ready-{i}")],
            stdout=subprocess.PIPE,
            text=True,
        )
        for i, c in enumerate(codes)
    ]
    while len(list(folder.glob("ready-*"))) < len(procs):  # every writer has started up
        time.sleep(0.05)
    go.touch()
    times = []
    for p in procs:
        out, _ = p.communicate(timeout=600)
        times += json.loads(out)
    print(
        f"submit, {len(procs)} processes at once:          median {statistics.median(times) * 1000:6.1f} ms, "
        f"p95 {_pct(times, 0.95) * 1000:6.1f} ms ({len(times)} submissions)"
    )

    t0 = time.perf_counter()
    room.close_round()
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    room.close_round()
    later = time.perf_counter() - t0
    t0 = time.perf_counter()
    Classroom.open(path).close_round()
    restart = time.perf_counter() - t0
    print(f"close round, 10 teams:    first {first:5.2f} s, later {later:5.2f} s, after a restart {restart:5.2f} s")
    size = sum(p.stat().st_size for p in folder.glob("class.db*"))
    n = len(room.ledger.decisions(room.session_id))
    print(f"ledger: {size / 1024:.0f} KiB for {n} decisions and 3 rounds of results")


if __name__ == "__main__":
    main()
