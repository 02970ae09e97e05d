"""Widget response: how long a slider move takes, from the new value to the redrawn figure.

A move re-runs the class-sized firm (``small-class`` preset) and copies the new figure into
the ``go.FigureWidget`` on screen inside ``batch_update()``. The course asks for at most
0.3 s. Figures are printed, not asserted: this is a measurement, not a test.

Measured here, in one process:

- the baseline: one bare ``run(preset("small-class"), seed)``;
- for each figure of an exploration: the callback (re-run + figure + in-place update), as
  the median and the worst of several moves, and its ratio to the baseline;
- the formula explorations that do not simulate (textbook CLV, Erlang C, journey);
- the slowest simulating move in raw-SimPy event-times: its median seconds times the events
  per second raw SimPy runs in this process (timeouts with 10,000 live processes, as in
  ``bench_model.py``) — the number of bare SimPy events the move costs, comparable across
  machines (goal <= 60,000).

Run: ``.venv/bin/python benchmarks/bench_widgets.py [--moves 7]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_model import measure_raw_simpy  # noqa: E402

from simulation import preset, run  # noqa: E402
from simulation.figures import RESULT_FIGURES  # noqa: E402
from simulation.notebook.controls import explore  # noqa: E402
from simulation.notebook.explorers import clv_explorer, journey_explorer, staffing_explorer  # noqa: E402

TARGET_S = 0.3
GOAL_EVENT_TIMES = 60_000  # slowest move, in raw-SimPy event-times


def _median_and_max(seconds: list[float]) -> tuple[float, float]:
    return statistics.median(seconds), max(seconds)


def baseline(moves: int) -> float:
    """Median seconds of one bare run of the class-sized firm (seeds differ, as moves do)."""
    sc = preset("small-class")
    run(sc, 0)  # warm-up (imports, caches)
    times = []
    for k in range(moves):
        t0 = time.perf_counter()
        run(sc, 1)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def exploration_moves(kind: str, moves: int) -> list[float]:
    """Seconds of ``moves`` slider moves of a discount exploration drawing ``kind``."""
    ex = explore(["pricing.discount_pct"], kind)
    ex.set(**{"pricing.discount_pct": 1.0})  # warm-up move
    out = []
    for k in range(moves):
        ex.set(**{"pricing.discount_pct": float(2 + 3 * k)})
        out.append(ex.seconds)
    return out


def formula_moves(make, name: str, values: list, moves: int) -> list[float]:
    ex = make()
    out = []
    for k in range(moves):
        ex.set(**{name: values[k % len(values)]})
        out.append(ex.seconds)
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--moves", type=int, default=7, help="slider moves per exploration (default 7)")
    args = p.parse_args(argv)
    base = baseline(args.moves)
    print(f"baseline: one bare run of small-class           {base * 1000:7.1f} ms")
    print(f"target per move                                   {TARGET_S * 1000:7.1f} ms\n")
    print(f"{'exploration (re-run + redraw)':32s} {'median ms':>10s} {'max ms':>8s} {'x run':>6s}  within target")
    worst = 0.0
    for kind in RESULT_FIGURES:
        med, mx = _median_and_max(exploration_moves(kind, args.moves))
        worst = max(worst, med)
        print(
            f"explore(..., {kind!r:12s})         {med * 1000:10.1f} {mx * 1000:8.1f} {med / base:6.2f}  "
            f"{'yes' if med <= TARGET_S else 'NO'}"
        )
    print()
    for label, make, name, values in (
        ("CLV formula", clv_explorer, "discount_rate", [0.05, 0.1, 0.2, 0.3]),
        ("Erlang C staffing", staffing_explorer, "agents", [3, 5, 7, 9]),
        ("journey", journey_explorer, "loss_prob", [0.0, 0.2, 0.4]),
    ):
        med, mx = _median_and_max(formula_moves(make, name, values, args.moves))
        print(
            f"{label:32s} {med * 1000:10.1f} {mx * 1000:8.1f} {med / base:6.2f}  {'yes' if med <= TARGET_S else 'NO'}"
        )
    print(f"\nslowest simulating exploration: median {worst * 1000:.0f} ms = {worst / base:.2f} x a bare run")
    raw = measure_raw_simpy()["events_per_s"]
    print(
        f"raw SimPy in this run: {raw:,.0f} timeout events/s -> the slowest move costs "
        f"{worst * raw:,.0f} raw-SimPy event-times (goal <= {GOAL_EVENT_TIMES:,})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
