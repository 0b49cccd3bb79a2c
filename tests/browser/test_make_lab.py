"""`make lab` in chromium, run twice as a student would: the lessons in the repository never change, and the second
start opens the welcome lesson alone, with no stale widget and one kernel.

The real `make lab` runs (its copies of the lessons, its workspace folder and the Jupyter files in the test's
temporary folder, and no browser of its own); the test opens the address it prints.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.browser.harness import PANEL, ROOT, free_port
from tests.browser.pages import require_browser, shot

LESSONS = ("00_welcome.ipynb", "02_grade.ipynb")  # two lessons run and saved, so two tabs are open at the end
NOT_FOUND = ("model not found", "Error displaying widget")


def _start(tmp_path: Path, port: int) -> tuple[subprocess.Popen, str]:
    """`make lab PORT=port` with everything it writes in ``tmp_path``; returns the process and the address printed."""
    names = ("JUPYTER_RUNTIME_DIR", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTERLAB_SETTINGS_DIR", "IPYTHONDIR")
    homes = {name: str(tmp_path / "jupyter" / name.lower()) for name in names}
    env = {**os.environ, **homes, "BROWSER": "true", "SARCOMA_EDU_PROGRESS": str(tmp_path / "progress.sqlite3")}
    command = ["make", "--no-print-directory", "-o", ".venv/.installed", "lab", f"PORT={port}",
               f"LESSONS={tmp_path / 'my-lessons'}", f"LAB_WORKSPACES={tmp_path / 'workspaces'}",
               f"BIN={Path(sys.executable).parent}"]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)  # fmt: skip
    said, deadline = [], time.monotonic() + 180
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        said.append(line)
        if line.strip().startswith(f"http://localhost:{port}/lab/tree/00_welcome.ipynb?token=") and any(
            "JupyterLab is ready" in earlier for earlier in said
        ):
            return process, line.strip()
        if not line and process.poll() is not None:
            break
    _stop(process)
    raise AssertionError("make lab did not say it was ready:\n" + "".join(said[-30:]))


def _stop(process: subprocess.Popen) -> None:
    """Stop `make lab` as Ctrl+C in its terminal would (its whole process group), and wait for it."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(30)


def _wait_idle(page) -> None:
    """Wait until the lesson in front has its kernel connected and idle (the status bar says so too)."""
    page.wait_for_selector(f'{PANEL} .jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=180_000)
    page.get_by_text("Python 3 (ipykernel) | Idle", exact=True).wait_for(timeout=180_000)


def _run_all_and_save(page) -> None:
    """Run → Run All Cells in the lesson in front, wait until no cell is waiting, then save it with Ctrl+S."""
    _wait_idle(page)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    panel = page.locator(PANEL)
    try:
        panel.locator(".jupyter-widgets").first.wait_for(timeout=180_000)
    except Exception:
        shot(page, "make_lab_run_all_failed.png")
        raise
    page.wait_for_function(
        """() => {
            const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
            const prompts = [...panel.querySelectorAll('.jp-InputArea-prompt')].map(p => p.textContent);
            return prompts.length > 0 && prompts.every(p => !p.includes('*'));
        }""",
        timeout=240_000,
    )
    _wait_idle(page)
    page.wait_for_timeout(1000)  # let the widgets draw
    assert not any(words in panel.inner_text() for words in NOT_FOUND)
    dirty = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current.jp-mod-dirty")
    dirty.wait_for(timeout=30_000)  # run, not saved yet
    page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current").click()
    page.keyboard.press("Control+s")
    dirty.wait_for(state="detached", timeout=30_000)
    page.wait_for_timeout(500)


def _fingerprint(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.ipynb"))}


def _sessions(address: str) -> list[dict]:
    base, token = address.split("/lab/", 1)[0], address.split("?token=", 1)[1]
    request = urllib.request.Request(f"{base}/api/sessions", headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=30) as reply:
        return json.load(reply)


def test_make_lab_saves_no_outputs_into_the_lessons_and_the_next_start_opens_the_welcome_lesson_alone(
    browser, tmp_path
):
    """Two lessons run and saved in `make lab` leave notebooks/ as it was (git status clean) and their copies without
    outputs; the next `make lab` opens only the welcome lesson, with one kernel and no "model not found"."""
    require_browser()
    repository = _fingerprint(ROOT / "notebooks")
    port = free_port()
    process, address = _start(tmp_path, port)
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    try:
        page.goto(address)
        _run_all_and_save(page)
        page.goto(address.replace("00_welcome.ipynb", LESSONS[1]))  # opens as a second tab of the same workspace
        page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab").nth(1).wait_for(timeout=60_000)
        _run_all_and_save(page)
        assert len(_sessions(address)) == 2
        page.wait_for_timeout(3000)  # JupyterLab saves the workspace (the open tabs) shortly after a change
    finally:
        page.close()
        _stop(process)
    saved = [p for p in (tmp_path / "workspaces").glob("*.jupyterlab-workspace")]
    assert saved and all(name in saved[0].read_text(encoding="utf-8") for name in LESSONS)  # both tabs were open
    for name in LESSONS:
        copy = json.loads((tmp_path / "my-lessons" / name).read_text(encoding="utf-8"))
        code = [cell for cell in copy["cells"] if cell["cell_type"] == "code"]
        assert all(cell["outputs"] == [] and cell["execution_count"] is None for cell in code), name
        assert "widgets" not in copy["metadata"], name
    assert _fingerprint(ROOT / "notebooks") == repository
    if shutil.which("git") and (ROOT / ".git").exists():
        status = subprocess.run(["git", "status", "--porcelain", "--", "notebooks"], cwd=ROOT, capture_output=True,
                                text=True, timeout=60)  # fmt: skip
        assert status.returncode == 0 and status.stdout == "", status.stdout

    process, address = _start(tmp_path, port)
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    try:
        page.goto(address)
        _wait_idle(page)
        page.wait_for_timeout(3000)  # a restored tab would open by now
        tabs = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab").all_inner_texts()
        assert [tab.strip() for tab in tabs] == [LESSONS[0]], tabs
        text = page.inner_text("body")
        assert not any(words in text for words in NOT_FOUND)
        assert [s["path"] for s in _sessions(address)] == [LESSONS[0]]
        shot(page, "make_lab_second_start.png")
    finally:
        page.close()
        _stop(process)
