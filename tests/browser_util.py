"""What every end-to-end browser test needs: Debian's Chromium and the arguments it runs with.

Playwright cannot download browsers here, so the tests drive the system ``chromium``
(``apt-get install chromium fonts-noto-cjk``; ``.ci/run`` installs both). A test module calls
:func:`require_chromium` at import time and is skipped, with the reason shown, where it is missing.
"""

from __future__ import annotations

import shutil

import pytest

#: Headless, sandbox-free (CI runs as root) and quiet: no background downloads or sync.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def require_chromium() -> str:
    """The path of the system Chromium; skips the calling test module when there is none."""
    path = shutil.which("chromium")
    if path is None:
        pytest.skip(
            "chromium not installed: apt-get install chromium fonts-noto-cjk (the end-to-end browser "
            "test runs in CI via .ci/run)",
            allow_module_level=True,
        )
    return path
