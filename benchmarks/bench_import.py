"""Start-up cost: ``import simulation`` and ``python -m simulation --help`` against bare pandas.

Each figure is the best of several fresh interpreter processes (imports are cached per process,
so only a new process measures them). Baselines from the same run: ``import pandas`` and
``import pandas, numpy``; the aim is ``import simulation`` within 1.2 x the second.
Printed:

- in-process import time (``time.perf_counter`` around the import statement);
- wall time of the whole process (interpreter start-up included) for ``--help`` (every
  command's parser) and for ``run --help`` (only the given command's parser is built);
- the modules of the package that the import loaded.
"""

from __future__ import annotations

import subprocess
import sys
import time

REPEATS = 7


def _import_time(statement: str) -> float:
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    best = float("inf")
    for _ in range(REPEATS):
        out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
        best = min(best, float(out.strip().splitlines()[-1]))
    return best


def _process_time(args: list[str]) -> float:
    best = float("inf")
    for _ in range(REPEATS):
        t = time.perf_counter()
        subprocess.run([sys.executable, *args], check=True, capture_output=True)
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    print("CRM Workbench — start-up benchmark (best of", REPEATS, "fresh processes)")
    pandas = _import_time("import pandas")
    base = _import_time("import pandas, numpy")
    ours = _import_time("import simulation")
    run_api = _import_time("from simulation import run, preset")
    print(f"import pandas                      {pandas * 1000:7.1f} ms   (baseline)")
    print(f"import pandas, numpy               {base * 1000:7.1f} ms   (baseline)")
    print(
        f"import simulation                  {ours * 1000:7.1f} ms   ratio to pandas+numpy {ours / base:.2f} "
        "(aim <= 1.2)"
    )
    print(f"from simulation import run, preset {run_api * 1000:7.1f} ms   ratio to pandas+numpy {run_api / base:.2f}")
    bare = _process_time(["-c", "import pandas"])
    helped = _process_time(["-m", "simulation", "--help"])
    print(f"process: python -c 'import pandas' {bare * 1000:7.1f} ms   (baseline)")
    print(f"process: python -m simulation --help {helped * 1000:5.1f} ms   ratio {helped / bare:.2f}")
    run_help = _process_time(["-m", "simulation", "run", "--help"])
    print(f"process: python -m simulation run --help {run_help * 1000:5.1f} ms   ratio {run_help / bare:.2f}")
    code = "import sys, simulation; print(sum(m.startswith('simulation') for m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.strip()
    print(f"package modules loaded by 'import simulation': {loaded}")


if __name__ == "__main__":
    main()
