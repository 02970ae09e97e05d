"""Start the student's kernel with resource limits, inside bubblewrap when it is available.

Run by jupyter_client as the grading kernelspec's command (``python kernel_launch.py CONFIG
CONNECTION_FILE``); standard library only. CONFIG is JSON with ``limits`` (``memory_mb``,
``cpu_s``, ``file_mb``), ``bwrap`` (path or null), ``ro`` (folders mounted read-only),
``root`` (the grading folder) and ``python``. The kernel's writable folders are the one it is
started in (its notebook's) and the one holding its connection file; both must lie in ``root``.

In bubblewrap the kernel has no network, its own process and IPC namespaces, no capabilities,
a read-only view of the system, Python and the workbench package only, and a writable
working folder; the key, the submissions and the gradebook are not mounted. It dies with the
harness, and every process it started dies with it.
"""

import json
import os
import resource
import sys


def _limit(kind, value):
    try:
        resource.setrlimit(kind, (value, value))
    except (ValueError, OSError):
        pass


def main() -> None:
    cfg, conn = json.loads(sys.argv[1]), sys.argv[2]
    lim = cfg["limits"]
    _limit(resource.RLIMIT_AS, int(lim["memory_mb"]) << 20)
    _limit(resource.RLIMIT_CPU, int(lim["cpu_s"]))
    _limit(resource.RLIMIT_FSIZE, int(lim["file_mb"]) << 20)
    _limit(resource.RLIMIT_CORE, 0)
    work = os.getcwd()  # the notebook's own folder, where jupyter_client starts the kernel
    own = os.path.dirname(os.path.abspath(conn))
    root = cfg["root"].rstrip("/") + "/"
    if not (work.startswith(root) and own.startswith(root)):
        sys.exit("kernel_launch: the kernel's folders must lie inside the grading folder")
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": work,
        "LANG": "C.UTF-8",
        "PYTHONHASHSEED": "0",
        "TQDM_DISABLE": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PYTHONNOUSERSITE": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "MPLCONFIGDIR": work,
        "JUPYTER_RUNTIME_DIR": os.path.dirname(conn),
        "IPYTHONDIR": os.path.join(work, ".ipython"),
    }
    kernel = [cfg["python"], "-m", "ipykernel_launcher", "-f", conn]
    if not cfg.get("bwrap"):
        os.chdir(work)
        os.execve(cfg["python"], kernel, env)
    args = [
        cfg["bwrap"],
        "--unshare-all",
        "--die-with-parent",
        "--new-session",
        "--cap-drop",
        "ALL",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--tmpfs",
        "/tmp",
    ]
    for top in ("/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/etc"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    for path in cfg["ro"]:
        args += ["--ro-bind", path, path]
    for path in (own, work):
        args += ["--bind", path, path]
    args += ["--chdir", work, "--clearenv"]
    for k, v in env.items():
        args += ["--setenv", k, v]
    os.execv(cfg["bwrap"], args + ["--"] + kernel)


if __name__ == "__main__":
    main()
