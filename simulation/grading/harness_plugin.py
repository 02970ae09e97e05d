"""pytest plugin loaded by the grading harness (``-p harness_plugin``), outside the student's kernel.

It makes nbval talk to the kernel over Unix sockets (so the kernel can run without a network),
removes the graded notebook from disk once pytest has read it (before the kernel starts), and
writes one JSON line per notebook cell to the pipe whose descriptor is in ``CRM_GRADER_FD``:
the cell's role, its outcome, whether the kernel timed out or died, and, for check cells, the
lines of output that carry the student's answers. The kernel never inherits the pipe.

Deliberately standalone (standard library, pytest and nbval only), so the harness starts
without importing the workbench.
"""

import json
import os
import tempfile

_FD = int(os.environ.get("CRM_GRADER_FD", "-1"))
_MARK = "\x1ecrm-answer "
_items = {}


def _send(record: dict) -> None:
    if _FD < 0:
        return
    data = (json.dumps(record) + "\n").encode()
    try:
        while data:
            data = data[os.write(_FD, data) :]
    except OSError:
        pass


def pytest_configure(config):
    ipc = os.environ.get("CRM_GRADER_IPC")
    if not ipc:
        return
    import nbval.kernel
    from jupyter_client.manager import KernelManager

    class _IpcKernelManager(KernelManager):
        # each kernel gets its own folder for its connection file and sockets: the only one it can see
        def __init__(self, **kwargs):
            own = tempfile.mkdtemp(prefix="k", dir=ipc)
            super().__init__(
                transport="ipc", ip=os.path.join(own, "k"), connection_file=os.path.join(own, "kernel.json"), **kwargs
            )

    nbval.kernel.KernelManager = _IpcKernelManager


def pytest_collection_finish(session):
    for item in session.items:
        _items[item.nodeid] = item
    for path in os.environ.get("CRM_GRADER_NOTEBOOK", "").split(os.pathsep):
        if path and os.path.exists(path):
            os.unlink(path)
    _send({"collected": len(session.items)})


def _answers(item) -> list:
    lines = []
    for out in getattr(item, "test_outputs", None) or []:
        if out.get("output_type") == "stream" and out.get("name") == "stdout":
            text = out.get("text", "")
            if len(text) > 4_000_000:
                text = text[:2_000_000] + text[-2_000_000:]
            lines += [x[len(_MARK) :] for x in text.split("\n") if x.startswith(_MARK)][:20]
    return lines


def _notebook(item) -> str:
    return os.path.basename(os.path.dirname(str(item.fspath)))


def pytest_runtest_logreport(report):
    item = _items.get(report.nodeid)
    if item is None:
        return
    if report.when == "setup" and report.passed and report.duration > 0.05:
        _send({"nb": _notebook(item), "kernel_start_s": report.duration})
    if report.when != "call" and not report.failed:
        return
    meta = (getattr(item, "cell", {}) or {}).get("metadata", {}).get("crm", {})
    wasxfail = hasattr(report, "wasxfail")
    if report.passed:
        outcome = "passed"
    elif report.skipped and wasxfail:
        outcome = "xfail"
    else:
        outcome = "failed" if report.when == "call" else "setup-failed"
    text = str(getattr(report, "longrepr", "") or "")
    record = {
        "nb": _notebook(item),
        "duration_s": report.duration,
        "role": meta.get("role"),
        "grade_id": meta.get("grade_id"),
        "graded": meta.get("graded"),
        "outcome": outcome,
        "after_timeout": wasxfail,
        "timeout": "Timeout of" in text and "exceeded executing cell" in text,
        "kernel_dead": "Kernel dead" in text or "Kernel died" in text,
        "error": outcome != "passed" and "Cell execution caused an exception" in text,
    }
    if meta.get("graded") and report.when == "call":
        record["answers"] = _answers(item)
    _send(record)


def pytest_sessionfinish(session, exitstatus):
    _send({"done": True})
