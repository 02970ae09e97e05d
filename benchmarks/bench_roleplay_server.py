"""The class server under a class's load: 60 simulated clients over HTTP on loopback.

A ledger of the product-defect card with 10 teams x 5 roles is served by
``python -m simulation roleplay serve`` in its own process. 60 client threads (the 50 team
roles and 10 more phones or projectors watching the leaderboard) start at the same moment and,
for each of three rounds: load their page (the join address, its redirect and the page), submit
their role's levers twice (a student changing their mind), reload the page, while the watchers
load ``/board``. The facilitator then closes the round from the console. Measured:

- page-load time (request sent to the whole page read), median and 95th percentile;
- submit-to-acknowledged time (POST to the server's 303 answer, the decision committed), p95
  (target <= 1 s);
- closing a round for 10 teams through the console (target <= 5 s): round 1 (every firm
  replayed from its seed) and round 2;
- the server's resident memory (RSS) before the clients, and its peak (target < 2 GiB);
- loading plotly.js once (the console's and projector's figures);
- as a same-run baseline, a submission and closing rounds through the Python interface with
  no server (the machine's speed varies with what else runs on it).

Every request goes to 127.0.0.1; the run is bounded (3 rounds, a fixed number of requests).

Usage: ``python benchmarks/bench_roleplay_server.py``
"""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

CLIENTS_WATCHING = 10
ROUNDS = 3


def _pct(values, q):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(q * (len(v) - 1))))]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_kib(pid: int, field: str = "VmRSS") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


class Client:
    """One phone: a keep-alive HTTP connection to the server."""

    def __init__(self, port: int):
        self.con = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, dict, bytes, float]:
        body = urlencode(form).encode() if form is not None else None
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if form is not None else {}
        t0 = time.perf_counter()
        self.con.request(method, path, body=body, headers=headers)
        r = self.con.getresponse()
        data = r.read()
        return r.status, dict(r.getheaders()), data, time.perf_counter() - t0


def _baseline(levers) -> tuple[float, float, float]:
    """The same work through the Python interface in this process: a submission's median time
    (sequential) and closing rounds 1 and 2 for 10 teams (what the server's numbers compare to)."""
    from simulation.roleplay import Classroom

    room = Classroom.create(
        Path(tempfile.mkdtemp(prefix="bench-base-")) / "class.db", "product-defect-crisis", teams=10
    )
    seat = room.seat(room.join_codes().query("role == 'service'").code.iloc[0])
    lv = levers["service"]
    times = []
    for i in range(20):
        t0 = time.perf_counter()
        seat.submit({lv.path: lv.start + i % 2})
        times.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    room.close_round(1)
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    room.close_round(2)
    return statistics.median(times), first, time.perf_counter() - t0


def main() -> None:
    from simulation.roleplay import Classroom

    print("CRM Workbench — class server benchmark (10 teams x 5 roles, 60 clients over loopback HTTP)")
    work = Path(tempfile.mkdtemp(prefix="bench-server-"))
    room = Classroom.create(work / "class.db", "product-defect-crisis", teams=10, seed=2024)
    seats = [(int(r.team_no), r.role, r.code) for r in room.join_codes().itertuples() if r.role != "facilitator"]
    levers = {r.name: r.levers[0] for r in room.card.roles}
    port = _free_port()
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulation", "roleplay", "serve", "--ledger", str(work / "class.db")]
        + ["--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    try:
        while True:
            try:
                if Client(port).request("GET", "/health")[0] == 200:
                    break
            except OSError:
                if proc.poll() is not None or time.perf_counter() - t0 > 120:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.1)
        print(f"server ready in {time.perf_counter() - t0:.1f} s; RSS {_rss_kib(proc.pid) / 1024:.0f} MiB idle")

        loads: list[float] = []
        submits: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()

        def student(team_no: int, role: str, code: str, go: threading.Event, round_no: int) -> None:
            c, lv = Client(port), levers[role]
            go.wait()
            try:
                status, headers, _, t_join = c.request("GET", f"/?{urlencode({'code': code})}")
                u = urlsplit(headers.get("Location", ""))
                status, _, page, t_page = c.request("GET", f"{u.path}?{u.query}")
                assert status == 200 and b"decisions" in page, status
                values = [lv.start, lv.lo + (lv.hi - lv.lo) * (0.3 + 0.1 * round_no)]
                if lv.kind == "integer":
                    values = [int(round(v)) for v in values]
                mine = []
                for v in values:
                    status, _, body, t = c.request("POST", u.path, {"code": code, lv.path: str(v)})
                    if status not in (303, 400):  # 400: over the role's budget, refused as it should be
                        errors.append(f"submit {status}")
                    mine.append(t)
                status, _, _, t_again = c.request("GET", f"{u.path}?{u.query}")
                with lock:
                    loads.extend([t_join + t_page, t_again])
                    submits.extend(mine)
            except Exception as exc:  # counted and shown, never hidden
                errors.append(repr(exc))

        def watcher(go: threading.Event) -> None:
            c = Client(port)
            go.wait()
            try:
                for _ in range(3):
                    status, _, _, t = c.request("GET", "/board")
                    with lock:
                        loads.append(t)
            except Exception as exc:
                errors.append(repr(exc))

        closes = []
        peak = _rss_kib(proc.pid)
        for r in range(1, ROUNDS + 1):
            go = threading.Event()
            threads = [threading.Thread(target=student, args=(*s, go, r)) for s in seats]
            threads += [threading.Thread(target=watcher, args=(go,)) for _ in range(CLIENTS_WATCHING)]
            for t in threads:
                t.start()
            t_round = time.perf_counter()
            go.set()
            for t in threads:
                t.join(timeout=300)
            wall = time.perf_counter() - t_round
            peak = max(peak, _rss_kib(proc.pid))
            status, headers, _, t_close = Client(port).request(
                "POST", "/console/close", {"code": room.facilitator_code, "round": str(r)}
            )
            if status != 303 or "error=" in headers.get("Location", ""):
                errors.append(f"close round {r}: {status} {headers.get('Location')}")
            closes.append(t_close)
            peak = max(peak, _rss_kib(proc.pid))
            print(f"round {r}: {len(threads)} clients done in {wall:.2f} s; close round {t_close:.2f} s")

        c = Client(port)
        _, _, js, t_js = c.request("GET", "/static/plotly.min.js")
        _, _, _, t_console = c.request("GET", f"/console?code={room.facilitator_code}")
        _, _, _, t_board = c.request("GET", "/board")
        peak = max(peak, _rss_kib(proc.pid), _rss_kib(proc.pid, "VmHWM"))
        print(
            f"page load ({len(loads)} pages): median {statistics.median(loads) * 1000:6.1f} ms, "
            f"p95 {_pct(loads, 0.95) * 1000:6.1f} ms, max {max(loads) * 1000:6.1f} ms"
        )
        print(
            f"submit-to-acknowledged ({len(submits)} submissions): median {statistics.median(submits) * 1000:6.1f} ms, "
            f"p95 {_pct(submits, 0.95) * 1000:6.1f} ms (target <= 1000 ms)"
        )
        print(
            "close round, 10 teams:    round 1 (replayed from seeds) "
            f"{closes[0]:.2f} s, later rounds {', '.join(f'{t:.2f}' for t in closes[1:])} s (target <= 5 s)"
        )
        print(
            f"console with figures {t_console * 1000:.0f} ms, projector {t_board * 1000:.0f} ms, "
            f"plotly.js {len(js) / 1e6:.1f} MB in {t_js * 1000:.0f} ms (then cached by the browser)"
        )
        print(f"server RSS: peak {peak / 1024:.0f} MiB (target < 2048 MiB)")
        base_submit, base_first, base_later = _baseline(levers)
        print(
            f"same-run baseline without the server (one process, no HTTP): one submission {base_submit * 1000:.1f} ms; "
            f"close round 1 {base_first:.2f} s, round 2 {base_later:.2f} s -> the server's close takes "
            f"{closes[0] / base_first:.2f}x and {closes[1] / base_later:.2f}x of that"
        )
        n = len(room.decisions()["decision_id"].unique())
        print(f"ledger: {n} decisions stored; errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
        if errors:
            raise SystemExit(1)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
