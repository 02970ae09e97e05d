"""Grade submissions: assemble, run under nbval in sandboxed kernels, score each check.

The harness is ``pytest --nbval-lax`` with :mod:`harness_plugin`, started in its own process
group in a private temporary folder; it runs a chunk of graded notebooks, each in a kernel of
its own. The student's kernel is started by the kernelspec
``crm-grader`` whose command is :mod:`kernel_launch` (limits, bubblewrap). Results come back
through a pipe the harness inherits and the kernel does not; answers are compared with the
expected values here, outside the sandbox, so nothing the student's code prints can set a score.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat

from .key import expected_values
from .notebook import Assignment, GradingError, assemble, match_cells, read_notebook
from .values import matches

__all__ = ["Limits", "sandbox_tool", "grade_submission", "grade_many"]

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Limits:
    """Per-submission limits: cell and whole-notebook wall clock, kernel CPU, memory and file size."""

    cell_timeout_s: int = 30
    wall_s: int = 240
    cpu_s: int = 120
    memory_mb: int = 2048
    file_mb: int = 64


def sandbox_tool() -> str | None:
    """The ``bwrap`` executable if bubblewrap is installed and works here, else None."""
    path = shutil.which("bwrap")
    if not path:
        return None
    try:
        ok = (
            subprocess.run(
                [path, "--unshare-all", "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "true"],
                capture_output=True,
                timeout=20,
            ).returncode
            == 0
        )
    except (OSError, subprocess.TimeoutExpired):
        ok = False
    return path if ok else None


def _mounts() -> list[str]:
    """Folders the kernel needs read-only: Python, the environment and the workbench package."""
    import simulation
    from simulation.data import datasets_root

    paths = {
        sys.prefix,
        sys.base_prefix,
        os.path.dirname(os.path.realpath(sys.executable)),
        str(Path(simulation.__file__).resolve().parent),
    }
    root = Path(datasets_root())
    if root.is_dir():
        paths.add(str(root.resolve()))
    tops = ("/usr", "/bin", "/sbin", "/lib", "/lib64", "/etc")
    keep = sorted(p for p in paths if os.path.isdir(p) and not any(p == t or p.startswith(t + "/") for t in tops))
    # a parent mounted after its child would hide it: keep the outermost only
    return [p for p in keep if not any(p != q and p.startswith(q + "/") for q in keep)]


@dataclass
class Outcome:
    """What one submission earned, and why."""

    status: str
    points: dict = field(default_factory=dict)
    passed: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    written: dict = field(default_factory=dict)
    typed_id: str | None = None
    timing: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


def _harness_env(tmp: Path, fd: int, notebooks: list[Path]) -> dict:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp / "home"),
        "LANG": "C.UTF-8",
        "PYTHONHASHSEED": "0",
        "TQDM_DISABLE": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        "PYTHONPATH": str(HERE),
        "JUPYTER_PATH": str(tmp / "share"),
        "JUPYTER_RUNTIME_DIR": str(tmp / "run"),
        "JUPYTER_CONFIG_DIR": str(tmp / "config"),
        "JUPYTER_DATA_DIR": str(tmp / "data"),
        "JUPYTER_PLATFORM_DIRS": "1",
        "TMPDIR": str(tmp / "run"),
        "CRM_GRADER_FD": str(fd),
        "CRM_GRADER_IPC": str(tmp / "run"),
        "CRM_GRADER_NOTEBOOK": os.pathsep.join(map(str, notebooks)),
    }
    for d in ("home", "run", "config", "data"):
        (tmp / d).mkdir(exist_ok=True)
    return env


def _kernelspec(tmp: Path, limits: Limits, bwrap: str | None) -> None:
    cfg = {
        "limits": {"memory_mb": limits.memory_mb, "cpu_s": limits.cpu_s, "file_mb": limits.file_mb},
        "bwrap": bwrap,
        "ro": _mounts(),
        "root": str(tmp),
        "python": sys.executable,
    }
    spec = tmp / "share" / "kernels" / "crm-grader"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-I", str(HERE / "kernel_launch.py"), json.dumps(cfg), "{connection_file}"],
                "display_name": "CRM grader",
                "language": "python",
                "interrupt_mode": "message",
            }
        ),
        encoding="utf-8",
    )


def _debug_log(tmp: Path):
    """Where the harness's own output goes: nowhere, or a file when CRM_GRADER_DEBUG names a folder."""
    folder = os.environ.get("CRM_GRADER_DEBUG")
    if not folder:
        return subprocess.DEVNULL
    return open(Path(folder) / f"{tmp.name}.log", "wb")


@dataclass
class HarnessRun:
    """What one harness run reported: records per notebook, the one stopped by the clock, timings."""

    records: dict
    killed: int | None
    seconds: float
    started_s: float = 0.0


def _run_harness(nbs: list, limits: Limits, bwrap: str | None) -> HarnessRun:
    """Run graded notebooks one after another, each in its own kernel, under one pytest.

    Each notebook has ``limits.wall_s`` seconds from its first report; when one runs out the
    harness is killed and that notebook is ``killed``; notebooks after it report nothing.
    """
    tmp = Path(tempfile.mkdtemp(prefix="crmg-", dir="/tmp" if os.path.isdir("/tmp") else None))
    os.chmod(tmp, 0o700)
    paths = []
    for i, nb in enumerate(nbs):
        (tmp / "work" / str(i)).mkdir(parents=True)
        paths.append(tmp / "work" / str(i) / "graded.ipynb")
        nbformat.write(nb, str(paths[-1]))
    (tmp / "pytest.ini").write_text("[pytest]\naddopts =\n", encoding="utf-8")
    read_end, write_end = os.pipe()
    records: dict[int, list] = {i: [] for i in range(len(nbs))}
    buf, killed, current, first = b"", None, 0, None
    t0 = time.perf_counter()
    try:
        env = _harness_env(tmp, write_end, paths)
        _kernelspec(tmp, limits, bwrap)
        cmd = [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "nbval.plugin",
            "-p",
            "harness_plugin",
            "-p",
            "no:cacheprovider",
            "-c",
            str(tmp / "pytest.ini"),
            "--rootdir",
            str(tmp / "work"),
            "--nbval-lax",
            "--nbval-kernel-name",
            "crm-grader",
            f"--nbval-cell-timeout={limits.cell_timeout_s}",
            "--nbval-kernel-startup-timeout=60",
            *map(str, paths),
        ]
        proc = subprocess.Popen(
            cmd,
            cwd=tmp / "work",
            env=env,
            pass_fds=(write_end,),
            stdin=subprocess.DEVNULL,
            stdout=_debug_log(tmp),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        os.close(write_end)
        write_end = -1
        deadline = time.monotonic() + limits.wall_s + 30  # harness start and collection
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                killed = current
                break
            ready, _, _ = select.select([read_end], [], [], min(left, 1.0))
            if not ready:
                continue
            chunk = os.read(read_end, 65536)
            if not chunk:
                break
            buf += chunk
            *lines, buf = buf.split(b"\n")
            for line in lines:
                try:
                    rec = json.loads(line)
                except (json.JSONDecodeError, UnicodeDecodeError):
                    continue
                if "collected" in rec and first is None:
                    first = time.perf_counter() - t0
                nb = rec.get("nb")
                if nb is not None and nb.isdigit() and int(nb) in records:
                    if int(nb) != current or not records[current]:
                        current = int(nb)
                        deadline = time.monotonic() + limits.wall_s
                    records[current].append(rec)
            if len(buf) > 64 << 20:
                killed = current
                break
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
    finally:
        if write_end >= 0:
            os.close(write_end)
        os.close(read_end)
        shutil.rmtree(tmp, ignore_errors=True)
    return HarnessRun(records, killed, time.perf_counter() - t0, first or 0.0)


def _answer(lines: list[str], qid: str):
    values = []
    for line in lines:
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(rec, dict) and rec.get("q") == qid:
            values.append(rec)
    if not values:
        return None, "no answer reported"
    if any(json.dumps(v, sort_keys=True) != json.dumps(values[0], sort_keys=True) for v in values):
        return None, "conflicting answers reported"
    rec = values[0]
    if rec.get("missing"):
        return None, "answer variable not defined"
    return rec.get("value"), None


def _prepare(assignment: Assignment, path, student_id: str):
    """The outcome so far and, if there is something to run, the graded notebook and expected values."""
    zero = {q.qid: 0.0 for q in assignment.questions}
    try:
        sub = read_notebook(path)
        matched = match_cells(assignment, sub)
    except GradingError as exc:
        return Outcome("invalid", dict(zero), notes=[str(exc).split(": ", 1)[-1]]), None, None
    except Exception as exc:  # a notebook nbformat accepts but no one could have made
        return Outcome("invalid", dict(zero), notes=[f"unreadable notebook ({type(exc).__name__})"]), None, None
    out = Outcome("ok", dict(zero), notes=list(matched.notes), written=matched.written, typed_id=matched.typed_id)
    if matched.typed_id is not None and matched.typed_id != student_id:
        out.notes.append(
            f"STUDENT_ID in the notebook is {matched.typed_id!r}, not {student_id!r}: graded as {student_id!r}"
        )
    if not sub.cells or matched.answered == 0:
        out.status = "empty"
        out.notes.append("no answer was changed from the starting notebook")
        return out, None, None
    t0 = time.perf_counter()
    try:
        expected = expected_values(assignment, student_id)
    except GradingError as exc:  # the key fails for this student: the instructor's problem
        out.status = "key-error"
        out.notes.append(str(exc))
        return out, None, None
    out.timing["key_s"] = time.perf_counter() - t0
    return out, assemble(assignment, matched, student_id), expected


def _score(
    assignment: Assignment, out: Outcome, records: list, killed: bool, expected: dict, limits: Limits
) -> Outcome:
    t0 = time.perf_counter()
    cells = [r for r in records if "outcome" in r]
    by_q = {r["graded"]: r for r in cells if r.get("graded")}
    if killed:
        out.status = "timeout"
        out.notes.append(f"stopped after {limits.wall_s} s (time limit for the whole notebook)")
    elif any(r.get("kernel_dead") for r in cells) or any(r["outcome"] == "setup-failed" for r in cells):
        out.status = "crashed"
        out.notes.append("the kernel died (crash, memory or CPU limit)")
    elif any(r.get("timeout") for r in cells):
        out.status = "timeout"
        out.notes.append(f"a cell ran longer than {limits.cell_timeout_s} s and was stopped")
    elif len(cells) < sum(
        1
        for c in assignment.notebook.cells
        if c.metadata.get("crm", {}).get("role") in ("id", "setup", "answer", "check")
    ):
        out.status = "crashed"
        out.notes.append("grading stopped early")
    elif any(r["outcome"] != "passed" for r in cells if r.get("role") == "answer"):
        out.status = "error"
    failed = [r["grade_id"] for r in cells if r.get("role") == "answer" and r["outcome"] != "passed"]
    if failed:
        out.notes.append("raised an error: " + ", ".join(failed))
    for q in assignment.questions:
        rec = by_q.get(q.qid)
        ok = False
        if rec is not None and rec["outcome"] == "passed":  # XPASS too: the kernel recovered
            value, why = _answer(rec.get("answers", []), q.qid)
            ok = why is None and matches(value, expected[q.qid], q.kind, q.tolerance)
        out.passed[q.qid] = ok
        out.points[q.qid] = q.points if ok else 0.0
    out.timing.update(
        kernel_start_s=sum(r.get("kernel_start_s", 0.0) for r in records),
        run_s=sum(r.get("duration_s", 0.0) for r in cells if r.get("role") != "check"),
        checks_s=sum(r.get("duration_s", 0.0) for r in cells if r.get("role") == "check") + time.perf_counter() - t0,
    )
    return out


def grade_many(
    assignment: Assignment, items: list[tuple], *, limits: Limits = Limits(), bwrap: str | None = None
) -> list[Outcome]:
    """Grade ``[(path, student_id), ...]``; one harness runs them all, each in its own sandboxed kernel.

    A notebook left unstarted because the harness was stopped (by another notebook's time
    limit or a crash) is graded again in a harness of its own. Never raises for a bad submission.
    """
    prepared = [_prepare(assignment, p, sid) for p, sid in items]
    todo = [i for i, (_, nb, _) in enumerate(prepared) if nb is not None]
    done: dict[int, tuple] = {}
    alone = False
    while todo:
        batch = todo[:1] if alone else todo
        run = _run_harness([prepared[i][1] for i in batch], limits, bwrap)
        left = []
        for k, i in enumerate(batch):
            recs = run.records[k]
            if not recs and len(batch) > 1 and (run.killed is None or k > run.killed):
                left.append(i)  # never started: grade it again
                continue
            prepared[i][0].timing["harness_start_s"] = run.started_s / len(batch)
            done[i] = (recs, run.killed == k)
        alone = alone or (len(batch) > 1 and len(left) == len(batch))
        todo = left + todo[len(batch) :]
    outcomes = []
    for i, (out, nb, expected) in enumerate(prepared):
        if nb is not None:
            recs, killed = done[i]
            out = _score(assignment, out, recs, killed, expected, limits)
        outcomes.append(out)
    return outcomes


def grade_submission(
    assignment: Assignment, path: str | Path, student_id: str, *, limits: Limits = Limits(), bwrap: str | None = None
) -> Outcome:
    """Grade the notebook at ``path`` as ``student_id``'s; never raises for a bad submission.

    Status: ``ok`` (every cell ran), ``error`` (a cell raised), ``timeout`` (a cell or the
    whole notebook ran out of time), ``crashed`` (the kernel died), ``empty`` (no answer
    changed), ``invalid`` (not a readable notebook).
    """
    return grade_many(assignment, [(path, student_id)], limits=limits, bwrap=bwrap)[0]
