"""The package as users install it: every folder is packaged, and a wheel (not the checkout)
finds its presets and data sets."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tomllib
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_every_folder_of_the_package_is_listed_in_pyproject():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    folders = {"simulation"} | {
        f"simulation.{p.name}" for p in (ROOT / "simulation").iterdir() if (p / "__init__.py").is_file()
    }
    assert set(config["packages"]) == folders | {"simulation.datasets"}
    assert config["package-dir"] == {"simulation.datasets": "datasets"}


@pytest.mark.slow
def test_a_wheel_installed_into_a_fresh_venv_loads_presets_and_data_sets(tmp_path):
    """Build the wheel, install it (without dependencies) into a new venv that borrows this
    environment's third-party packages through a .pth file, and load a preset and a data set
    from a folder outside the checkout. The editable install's finder is not on that path, so
    the import must come from the wheel."""
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
        cwd=tmp_path,
    )
    wheel = next(wheels.glob("crm_workbench-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (site / "borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", str(wheel)],
        check=True,
        cwd=tmp_path,
    )
    code = (
        "import simulation, pathlib\n"
        "from simulation import load_dataset, preset\n"
        "print(pathlib.Path(simulation.__file__).resolve())\n"
        "print(len(load_dataset('class', 'customers')))\n"
        "print(preset('baseline').complaints.agents)\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    out = subprocess.run(
        [str(python), "-c", code], check=True, capture_output=True, text=True, cwd=tmp_path, env=env
    ).stdout.split()
    assert Path(out[0]).is_relative_to(env_dir.resolve()), out[0]
    assert int(out[1]) > 0 and int(out[2]) >= 1


def test_every_public_name_resolves_and_import_is_light():
    """Each name of ``simulation.__all__`` is reachable; ``import simulation`` alone loads no
    subpackage (names load on first use)."""
    code = (
        "import sys, simulation\n"
        "light = sorted(m for m in sys.modules if m.startswith('simulation.'))\n"
        "missing = [n for n in simulation.__all__ if getattr(simulation, n, None) is None]\n"
        "print(light, missing, len(simulation.__all__))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip().startswith("[] []"), out
