"""Shared by the browser test and the browser benchmark: start JupyterLab or Voila, drive chromium.

Debian's chromium is driven by Playwright through ``executable_path`` (no browser download).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the lesson in front
LESSONS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SETTINGS = {  # no news or update pop-ups, every cell kept in the page
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


def missing_pieces() -> list[str]:
    """What the browser test needs and this machine lacks."""
    return [what for what, ok in (("chromium", Path(CHROMIUM).exists()), ("axe-core", AXE.exists())) if not ok]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 90) -> None:
    """Wait until the server at ``url`` answers HTTP at all (any status)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {seconds} s")


def start_server(command: list[str], url: str, log: Path, env: dict[str, str]) -> subprocess.Popen:
    """Start a server and wait until ``url`` answers; on failure raise with the end of its log."""
    process = subprocess.Popen(command, stdout=log.open("w"), stderr=subprocess.STDOUT, env=env)
    try:
        wait_for(url)
    except TimeoutError:
        process.terminate()
        raise AssertionError(f"server did not start: {log.read_text()[-2000:]}") from None
    return process


def copy_lessons(folder: Path) -> Path:
    """A copy of the lessons, so a run can never save outputs into the repository."""
    for name in LESSONS:
        shutil.copy(ROOT / "notebooks" / name, folder / name)
    return folder


def start_lab(workdir: Path, settings: Path) -> tuple[subprocess.Popen, str, str]:
    """JupyterLab on a free localhost port with a token; returns (process, base URL, token)."""
    for name, value in SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    port, token = free_port(), os.urandom(16).hex()
    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(settings), "JUPYTER_RUNTIME_DIR": str(settings / "runtime")}
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={workdir}", "--allow-root",
        "--LabApp.expose_app_in_browser=True", f"--LabApp.workspaces_dir={settings / 'workspaces'}",
    ]  # fmt: skip
    process = start_server(command, f"http://127.0.0.1:{port}/api/status?token={token}", settings / "lab.log", env)
    return process, f"http://127.0.0.1:{port}", token


def shutdown_kernels(base: str, token: str, background: bool = False) -> threading.Thread | None:
    """Shut down every kernel the JupyterLab server runs now, so one page's kernel cannot slow the next.

    The server answers once a kernel has exited, a second or two each. With ``background`` the kernels
    running now are listed at once and shut down in a thread, returned so it can be joined, while the
    next page opens (its kernel, started later, is not on the list).
    """
    headers = {"Authorization": f"token {token}"}
    with urllib.request.urlopen(urllib.request.Request(f"{base}/api/kernels", headers=headers), timeout=10) as r:
        kernels = json.load(r)

    def shut_down() -> None:
        for kernel in kernels:
            request = urllib.request.Request(f"{base}/api/kernels/{kernel['id']}", headers=headers, method="DELETE")
            with contextlib.suppress(urllib.error.HTTPError):
                urllib.request.urlopen(request, timeout=30).close()

    if not background:
        shut_down()
        return None
    thread = threading.Thread(target=shut_down, name="shut down kernels", daemon=True)
    thread.start()
    return thread


def stop(process: subprocess.Popen) -> None:
    """Stop a server, killing it if it does not stop within 30 s."""
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=30)


def launch(playwright):
    """Debian's chromium, headless."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def open_lesson(browser, base: str, token: str, name: str, settle_ms: int = 1000):
    """Open a lesson in a workspace of its own and wait for its kernel; return the page.

    ``settle_ms`` is a pause after the kernel connects, a margin for the test (the benchmark uses 0).
    """
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    # a workspace of its own, so the page shows this lesson only and not the ones opened before it
    workspace = f"{Path(name).stem}-{os.urandom(4).hex()}"
    page.goto(f"{base}/lab/workspaces/{workspace}/tree/{name}?token={token}&reset")
    page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=120_000)
    page.wait_for_function(
        "() => window.jupyterapp?.shell.currentWidget?.sessionContext?.session?.kernel?.connectionStatus"
        " === 'connected'",
        timeout=120_000,
    )
    page.wait_for_timeout(settle_ms)
    return page


def run_all(page) -> None:
    """Run all cells and wait until every code cell has run and the kernel is idle."""
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    # the cells' own execution counts: a collapsed cell's prompt is not shown, so it cannot be read from the page
    page.wait_for_function(
        """() => {
            const cells = window.jupyterapp.shell.currentWidget.content.widgets.filter(c => c.model.type === 'code');
            return cells.length > 0 && cells.every(c => c.model.executionCount !== null);
        }""",
        timeout=120_000,
    )
    page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=120_000)
    page.wait_for_timeout(500)  # let widget views and figures finish drawing


def answer_predictions(page, root: str = PANEL) -> int:
    """Answer, as a student would by keyboard, every prediction on the page not answered yet; return how many.

    A choice is focused and pressed with Space (the first answer); a tick-box exercise has its first box
    ticked and "Check my answer" pressed; a number exercise has 5 typed into its box; an ordering is
    checked as it stands. Each then waits for its feedback.
    """
    widgets = page.locator(f"{root} .sarcoma-edu-predict")
    answered = 0
    for index in range(widgets.count()):
        widget = widgets.nth(index)
        if "Your answer:" in widget.inner_text():
            continue
        widget.scroll_into_view_if_needed()
        choices = widget.locator(".sarcoma-edu-answer")
        if choices.count():
            choices.first.focus()
            page.keyboard.press("Space")
        else:
            boxes = widget.locator("input[type=checkbox]")
            if boxes.count():
                boxes.first.focus()
                page.keyboard.press("Space")
            number = widget.locator("input[type=text]")
            if number.count():
                number.first.click()
                page.keyboard.type("5")
            widget.get_by_role("button", name="Check my answer").focus()
            page.keyboard.press("Space")
        widget.get_by_text("Your answer:").wait_for(timeout=15_000)
        answered += 1
    return answered


def answer_quiz(page, quiz, questions: int) -> None:
    """Answer ``questions`` questions of a quiz widget in turn (the first answer, or the first box ticked)."""
    for number in range(questions):
        # wait until this question's answers can be pressed (the answered question's are disabled)
        quiz.locator(".sarcoma-edu-answer:not([disabled]), input[type=checkbox]:not([disabled])").first.wait_for(
            timeout=30_000
        )
        choices = quiz.locator(".sarcoma-edu-answer:not([disabled])")
        if choices.count():
            choices.first.click()
        else:
            quiz.locator("input[type=checkbox]").first.check()
            quiz.get_by_role("button", name="Check answer").click()
        quiz.locator(".sarcoma-edu-feedback").get_by_text("Source:").wait_for(timeout=15_000)
        if number < questions - 1:
            quiz.get_by_role("button", name="Next question").click()


# what each place that holds back a prediction's answer shows now: visible, and holding something
REVEALS_JS = """(root) => [...document.querySelectorAll(root + ' .sarcoma-edu-reveal')].map(el => ({
    kind: el.closest('.sarcoma-edu-after-answering') ? 'box' : 'prediction',
    visible: el.checkVisibility(),
    filled: el.innerText.trim().length > 0 || !!el.querySelector('.js-plotly-plot, table, .jupyter-widgets'),
    text: el.innerText.trim().slice(0, 80),
}))"""
