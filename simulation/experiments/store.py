"""The results file of an experiment: append-only JSON lines, safe to resume.

The first line is a header that identifies the experiment (format, seed, CRN, swept
fields, KPI function, a fingerprint of the model's source code and the whole base
scenario); every further line is one finished run:

``{"policy": {"pricing.discount_pct": 10.0}, "replication": 3, "seed": 123..., "kpis": {...}}``

Lines are written by the parent process only, one ``write`` per run followed by
``flush`` and ``fsync``, so a crash can at worst leave the last line cut short; such a
line is dropped (and the file truncated to its last complete line) when the experiment
resumes. A damaged line in the middle is never guessed at: resuming stops with its line
number. The file is locked (``flock``) while an experiment writes it, so two experiments
cannot append to the same file at once.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..scenario.fields import ScenarioError

__all__ = ["RunFile", "FORMAT"]

FORMAT = "crm-workbench experiment runs"


def _flat(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(_flat(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


class RunFile:
    """Append-only JSON-lines results file: a header line, then one line per finished run."""

    def __init__(self, path, header: dict, resume: bool):
        self.path = Path(path)
        self.records: list[dict] = []
        exists = self.path.exists() and self.path.stat().st_size > 0
        if exists and not resume:
            raise FileExistsError(
                f"results file {str(self.path)!r} already exists; pass resume=True "
                "(CLI: --resume) to continue it, or choose a new file (nothing was written)"
            )
        if exists:
            good = self._read(header)
        elif self.path.parent and not self.path.parent.is_dir():
            raise FileNotFoundError(f"folder {str(self.path.parent)!r} of the results file does not exist")
        self.file = open(self.path, "ab" if exists else "xb")
        self._lock()
        if exists and good < self.path.stat().st_size:
            self.file.truncate(good)  # a line cut short by a crash
        if not exists:
            self._write(header)

    def _lock(self):
        try:
            import fcntl
        except ImportError:  # pragma: no cover (Windows)
            return
        try:
            fcntl.flock(self.file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self.file.close()
            raise FileExistsError(
                f"results file {str(self.path)!r} is being written by another "
                "experiment; wait for it or choose a new file"
            ) from None

    def _read(self, header: dict) -> int:
        data = self.path.read_bytes()
        where = f"results file {str(self.path)!r}"
        lines = data.split(b"\n")
        good = len(data) - len(lines[-1])  # bytes up to the last complete line
        lines = lines[:-1]
        try:
            stored = json.loads(lines[0]) if lines else None
        except ValueError:
            stored = None
        if not isinstance(stored, dict) or stored.get("format") != FORMAT:
            raise ScenarioError(f"{where} is not a results file of this workbench; choose a new file")
        if stored.get("model") != header["model"]:
            raise ScenarioError(
                f"{where} was made with another version of the model (its source code "
                "changed since); finished runs cannot be mixed with new ones. "
                "Choose a new file"
            )
        for name in ("seed", "crn", "factors", "kpis"):
            if stored.get(name) != header[name]:
                raise ScenarioError(
                    f"{where} was made with {name} = {stored.get(name)!r}; got "
                    f"{header[name]!r}. Resume with the same settings or choose a new file"
                )
        old, new = _flat(stored.get("scenario", {})), _flat(header["scenario"])
        diff = [k for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)]
        if diff:
            k = diff[0]
            raise ScenarioError(
                f"{where} was made with a different scenario ({k} = {old.get(k)!r}, "
                f"now {new.get(k)!r}); resume with the same scenario or choose a new file"
            )
        for i, line in enumerate(lines[1:], start=2):
            try:
                rec = json.loads(line)
                ok = isinstance(rec, dict) and {"policy", "replication", "seed", "kpis"} <= set(rec)
            except ValueError:
                ok = False
            if not ok:
                raise ScenarioError(f"{where} line {i} is damaged; repair or delete that line, then resume")
            self.records.append(rec)
        return good

    def _write(self, obj: dict) -> None:
        self.file.write((json.dumps(obj, allow_nan=False) + "\n").encode())
        self.file.flush()
        os.fsync(self.file.fileno())

    def append(self, record: dict) -> None:
        self._write(record)
        self.records.append(record)

    def close(self) -> None:
        self.file.close()
