"""Examples are tests: every `python -m simulation` command shown in the README runs."""

import dataclasses
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from simulation import preset, presets, run

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_commands() -> list[str]:
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", text, flags=re.S)
    cmds = []
    for block in blocks:
        for line in block.splitlines():
            line = line.split("#", 1)[0].strip()
            if line.startswith("python -m simulation"):
                cmds.append(line)
    return cmds


def test_the_readme_shows_the_commands():
    cmds = readme_commands()
    for sub in ("run", "scenarios", "describe", "dictionary"):
        assert any(c.split()[3] == sub for c in cmds if len(c.split()) > 3), sub


@pytest.mark.parametrize("command", readme_commands())
def test_readme_command_runs(command, tmp_path):
    (tmp_path / "my_firm.toml").write_text('name = "my-firm"\nhorizon_days = 120\n[pricing]\ndiscount_pct = 5\n')
    args = shlex.split(command)[3:]
    p = subprocess.run(
        [sys.executable, "-m", "simulation", *args], cwd=tmp_path, capture_output=True, text=True, timeout=600
    )
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip()
    if "--out" in args:
        out = tmp_path / args[args.index("--out") + 1]
        assert (out / "summary.json").exists()


@pytest.mark.parametrize("name", presets())
def test_every_preset_runs_and_fills_the_tables(name):
    sc = preset(name)
    sc = dataclasses.replace(sc, horizon_days=min(sc.horizon_days, 120.0))
    r = run(sc, 1)
    assert len(r.customers) > 0 and len(r.orders) > 0
    assert r.summary()["customers_acquired"] > 0
