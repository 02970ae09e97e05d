"""Shared pieces of the class-server tests: start ``roleplay serve`` in a subprocess and talk HTTP to it."""

from __future__ import annotations

import http.client
import os
import re
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def readme_serve_args() -> list[str]:
    """The README's ``roleplay serve`` command line, as arguments after ``python -m simulation``."""
    text = README.read_text(encoding="utf-8")
    line = re.search(r"^python -m simulation roleplay serve .*$", text, flags=re.M).group(0)
    return shlex.split(line.split("  #", 1)[0])[3:]


class Server:
    """``python -m simulation roleplay serve`` on a free loopback port, in its own process."""

    def __init__(self, ledger: str | Path, log_dir: Path, port: int | None = None, extra: tuple = ()):
        self.ledger, self.port, self.extra = str(ledger), port or free_port(), list(extra)
        self.log = Path(log_dir) / f"serve-{self.port}-{time.monotonic_ns()}.log"
        self.proc: subprocess.Popen | None = None

    def args(self) -> list[str]:
        args = readme_serve_args()
        swap = {"--ledger": str(self.ledger), "--port": str(self.port), "--host": "127.0.0.1"}
        return [swap.get(args[i - 1], a) if i else a for i, a in enumerate(args)] + self.extra

    def start(self, timeout_s: float = 90) -> "Server":
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        out = open(self.log, "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "simulation", *self.args()], stdout=out, stderr=subprocess.STDOUT, env=env
        )
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                if self.request("GET", "/health")[0] == 200:
                    return self
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"server did not start: {self.log.read_text()}")
            time.sleep(0.2)

    def stop(self, kill: bool = False) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill() if kill else self.proc.terminate()
            self.proc.wait(timeout=30)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(self, method: str, path: str, form: dict | None = None, timeout: float = 60):
        """``(status, headers, text)`` of one request (redirects are not followed)."""
        con = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            body = urlencode(form).encode() if form is not None else None
            headers = {"Content-Type": "application/x-www-form-urlencoded"} if form is not None else {}
            con.request(method, path, body=body, headers=headers)
            r = con.getresponse()
            return r.status, dict(r.getheaders()), r.read().decode("utf-8")
        finally:
            con.close()

    def get(self, path: str, **query):
        return self.request("GET", path + (f"?{urlencode(query)}" if query else ""))

    def post(self, path: str, **form):
        return self.request("POST", path, form)


def location_path(headers: dict) -> str:
    """The path and query of a redirect's Location header."""
    u = urlsplit(headers["Location"])
    return u.path + (f"?{u.query}" if u.query else "")
