"""The course tried as a new user would: JupyterLab in a real browser.

For each course notebook: open it in JupyterLab (started on a free localhost port with a
token and a throw-away configuration, on a temporary copy of ``course/`` so nothing in the
repository is touched), run all cells from the *Run* menu, check that no cell raised, drag
the first slider of the first exploration and check that the figure's data changed, and save
screenshots to ``tests/artifacts/``. The start page is also switched to Chinese to check that
labels change and that Chinese text renders (needs the ``fonts-noto-cjk`` package), and one
notebook of the Chinese edition (``course/zh/``) is run the same way: it must start in Chinese
and its slider must redraw the figure.

Needs Debian's ``chromium`` (driven by Playwright from PyPI, pointed at the system
executable). ``.ci/run`` installs it; elsewhere the test is skipped with the reason shown.
Bounded in time: two minutes per notebook for running, fifteen seconds for a redraw.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from browser_util import CHROMIUM_ARGS, require_chromium

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
NOTEBOOKS = [
    "00_start_here",
    "01_understanding_crm",
    "02_identifying_customers",
    "03_customer_database",
    "04_satisfaction_loyalty",
    "05_applying_crm",
    "glossary",
    "instructor_guide",
]
WITHOUT_SLIDERS = {"glossary", "instructor_guide"}
CHINESE = "04_satisfaction_loyalty"  # the Chinese edition's notebook tried in the browser
RUN_TIMEOUT_S = 300  # generous: the first notebook also waits for the kernel and its imports on a busy machine
REDRAW_TIMEOUT_S = 15

CHROMIUM = require_chromium()
pytestmark = [pytest.mark.browser, pytest.mark.slow]
playwright = pytest.importorskip("playwright.sync_api", reason="playwright not installed: pip install playwright")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a copy of the course, with its own config, settings and workspaces."""
    home = tmp_path_factory.mktemp("lab")
    work = home / "course"
    work.mkdir()
    for nb in NOTEBOOKS:
        shutil.copy(ROOT / "course" / f"{nb}.ipynb", work)
    (work / "zh").mkdir()
    shutil.copy(ROOT / "course" / "zh" / f"{CHINESE}.ipynb", work / "zh")
    settings = home / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    port, token = _free_port(), "e2e-" + os.urandom(8).hex()
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "IPYTHONDIR": str(home / "ipython"),
        "CRM_LANG": "en",
        "PYTHONHASHSEED": "0",
    }
    env.pop("TQDM_DISABLE", None)  # a new user sees the progress bars
    cmd = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        "--allow-root",
        f"--port={port}",
        "--ip=127.0.0.1",
        f"--ServerApp.token={token}",
        f"--ServerApp.root_dir={work}",
        f"--LabApp.user_settings_dir={home / 'settings'}",
        f"--LabApp.workspaces_dir={home / 'workspaces'}",
        "--LabApp.news_url=",
        "--ServerApp.port_retries=0",
    ]
    log = open(home / "lab.log", "w")
    proc = subprocess.Popen(cmd, cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("JupyterLab did not start:\n" + (home / "lab.log").read_text()[-3000:])
            time.sleep(0.5)
    try:
        yield url, token
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


_STATE = """() => {
  const prompts = [...document.querySelectorAll('.jp-Notebook .jp-Cell.jp-CodeCell .jp-InputPrompt')]
      .map(p => p.textContent.trim());
  const errors = [...document.querySelectorAll('.jp-OutputArea-output')]
      .filter(o => /Traceback \\(most recent call last\\)/.test(o.textContent)).length;
  return {prompts, errors};
}"""

_FIGURE_DATA = """(handle) => {
  let node = handle;
  while (node && !(node.querySelector && node.querySelector('.js-plotly-plot'))) node = node.parentElement;
  const plot = node && node.querySelector('.js-plotly-plot');
  if (!plot || !plot.data) return null;
  return JSON.stringify(plot.data.map(t => [t.x, t.y, t.value, t.text]));
}"""


def _run_all(page, name: str) -> None:
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    page.wait_for_function(
        "() => document.querySelector('.jp-Notebook-ExecutionIndicator') === null || !document.title.includes('Busy')",
        timeout=30_000,
    )
    time.sleep(1.0)  # let the kernel connect
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    deadline = time.monotonic() + RUN_TIMEOUT_S
    start = page.evaluate(_STATE)["prompts"]
    retry_at, retried = time.monotonic() + 60, False
    while True:
        state = page.evaluate(_STATE)
        if not retried and state["prompts"] == start and time.monotonic() > retry_at:
            # Nothing started within a minute: on a busy machine JupyterLab can attach the page to
            # a kernel it has just replaced. Reload (the page joins the live kernel) and run again.
            retried = True
            page.reload(timeout=60_000)
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
            time.sleep(3.0)
            page.get_by_role("menuitem", name="Run", exact=True).click()
            page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        done = state["prompts"] and all(p.startswith("[") and p not in ("[ ]:", "[*]:") for p in state["prompts"])
        if state["errors"]:
            pytest.fail(f"{name}: a cell raised in JupyterLab")
        if done:
            return
        if time.monotonic() > deadline:
            pytest.fail(f"{name}: cells still running after {RUN_TIMEOUT_S} s: {state['prompts']}")
        time.sleep(1.0)


def _drag_first_slider(page, name: str) -> None:
    handle = page.locator(".jp-OutputArea .widget-slider .noUi-handle").first
    handle.wait_for(timeout=30_000)
    handle.scroll_into_view_if_needed()
    page.wait_for_function(f"(h) => ({_FIGURE_DATA})(h) !== null", arg=handle.element_handle(), timeout=30_000)
    before = handle.evaluate(_FIGURE_DATA)
    readout = "(h) => h.closest('.widget-slider').textContent"
    value = handle.evaluate(readout)
    box = _settled_box(page, handle)
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 90, y, steps=6)
    page.mouse.up()
    time.sleep(0.5)
    if handle.evaluate(readout) == value:  # the drag missed (layout moved): use the keyboard
        handle.focus()
        page.keyboard.press("End")
    deadline = time.monotonic() + REDRAW_TIMEOUT_S
    while handle.evaluate(_FIGURE_DATA) == before:
        if time.monotonic() > deadline:
            page.screenshot(path=str(ARTIFACTS / f"{name}-failed.png"))
            readout = handle.evaluate("(h) => h.closest('.widget-slider').textContent")
            pytest.fail(
                f"{name}: the figure did not change within {REDRAW_TIMEOUT_S} s of moving the slider "
                f"(slider now reads {readout!r}; see tests/artifacts/{name}-failed.png)"
            )
        time.sleep(0.25)


def _settled_box(page, handle) -> dict:
    """The handle's box once it is on screen and the page around it has stopped moving
    (figures above it render late and push it down)."""
    height = page.viewport_size["height"]
    last = None
    for _ in range(40):
        handle.scroll_into_view_if_needed()
        time.sleep(0.25)
        box = handle.bounding_box()
        if box and box == last and 0 <= box["y"] <= height - box["height"]:
            return box
        last = box
    return last


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_and_responds_in_the_browser(lab, browser, name):
    url, token = lab
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        # a workspace of its own, reset, so only this notebook is open
        page.goto(f"{url}/lab/workspaces/e2e-{name}/tree/{name}.ipynb?reset&token={token}", timeout=60_000)
        _run_all(page, name)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
        if name not in WITHOUT_SLIDERS:
            _drag_first_slider(page, name)
            page.screenshot(path=str(ARTIFACTS / f"{name}-slider.png"))
        if name == "00_start_here":
            page.get_by_role("button", name="中文").first.click()
            page.wait_for_function(
                "() => [...document.querySelectorAll('.jp-OutputArea .widget-slider .widget-label')]"
                ".every(l => /[\\u4e00-\\u9fff]/.test(l.textContent))",
                timeout=REDRAW_TIMEOUT_S * 1000,
            )
            page.wait_for_function(
                "() => [...document.querySelectorAll('.jp-OutputArea .js-plotly-plot .gtitle')]"
                ".some(t => /[\\u4e00-\\u9fff]/.test(t.textContent))",
                timeout=REDRAW_TIMEOUT_S * 1000,
            )
            page.locator(".jp-OutputArea .widget-slider").first.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / f"{name}-zh.png"))
    finally:
        context.close()
        _shutdown_kernels(url, token)


def _shutdown_kernels(url: str, token: str) -> None:
    """Stop the kernels the test started, so each notebook runs alone."""
    headers = {"Authorization": f"token {token}"}
    with urllib.request.urlopen(urllib.request.Request(f"{url}/api/kernels", headers=headers), timeout=10) as r:
        kernels = json.load(r)
    for k in kernels:
        req = urllib.request.Request(f"{url}/api/kernels/{k['id']}", headers=headers, method="DELETE")
        urllib.request.urlopen(req, timeout=10).close()


def test_chinese_edition_starts_in_chinese_and_responds_in_the_browser(lab, browser):
    url, token = lab
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    name = f"zh-{CHINESE}"
    try:
        page.goto(f"{url}/lab/workspaces/e2e-{name}/tree/zh/{CHINESE}.ipynb?reset&token={token}", timeout=60_000)
        _run_all(page, name)
        labels = page.evaluate(
            "() => [...document.querySelectorAll('.jp-OutputArea .widget-slider .widget-label')].map(l => l.textContent)"
        )
        assert labels, f"{name}: no slider shown"
        english = [text for text in labels if not re.search("[\u4e00-\u9fff]", text)]
        assert not english, f"{name}: slider labels not in Chinese: {english}"
        _drag_first_slider(page, name)
        page.screenshot(path=str(ARTIFACTS / f"{name}-slider.png"))
    finally:
        context.close()
        _shutdown_kernels(url, token)
