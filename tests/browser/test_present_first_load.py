"""A lesson presented with `sarcoma-edu present`, loaded fresh five times in chromium: each first load draws every
widget (no "model not found" while the kernel starts), asks nothing of another machine (Font Awesome included),
and writes no JupyterLab version warning.

Each load is a new browser context, so each page starts a kernel of its own, as a first visit does.
"""

from __future__ import annotations

import os
import re
import time

from sarcoma_edu.serve.servers import present_command, present_env
from tests.browser.harness import copy_lessons, free_port, start_server, stop
from tests.browser.pages import require_browser, shot

LOADS = 5
NOT_FOUND = re.compile(r"model not found|Error displaying widget|Could not create (a )?(model|view)", re.I)
VERSION_NOTE = re.compile(r"(Unsatisfied|No satisfying) version|shared (singleton )?module @jupyterlab/", re.I)
HERE = ("http://127.0.0.1", "data:", "blob:")


def test_five_first_loads_of_a_presented_lesson_draw_every_widget_offline_without_a_version_warning(browser, tmp_path):
    """Lesson 03 under `present`, loaded fresh 5 times: every widget drawn, no 'model not found', no request off this
    computer, no JupyterLab version warning in the page or the console."""
    require_browser()
    port = free_port()
    lesson = copy_lessons(tmp_path) / "03_staging.ipynb"
    command = [*present_command(lesson, port=port, browser=False), "--Voila.ip=127.0.0.1"]
    env = {**os.environ, **present_env(), "SARCOMA_EDU_PROGRESS": str(tmp_path / "progress.sqlite3")}
    process = start_server(command, f"http://127.0.0.1:{port}/voila/static/no-such-file", tmp_path / "voila.log", env)
    seen = []
    try:
        for load in range(1, LOADS + 1):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            elsewhere, notes = [], []
            page.on("request", lambda r, out=elsewhere: out.append(r.url) if not r.url.startswith(HERE) else None)
            page.on("console", lambda m, out=notes: out.append(f"{m.type}: {m.text}"))
            started = time.monotonic()
            try:
                page.goto(f"http://127.0.0.1:{port}/", wait_until="commit")
                page.get_by_text("Question 1 of").first.wait_for(timeout=240_000)  # the self-check: the last widget
                page.wait_for_timeout(1500)  # any view still drawing has drawn or failed by now
                text = page.inner_text("body")
                widgets = page.locator(".jupyter-widgets").count()
                seen.append((load, round(time.monotonic() - started), widgets))
                assert not NOT_FOUND.search(text), f"load {load}: {NOT_FOUND.search(text).group(0)!r} on the page"
                assert not [n for n in notes if NOT_FOUND.search(n)], f"load {load}: {notes}"
                assert widgets > 20, f"load {load}: only {widgets} widgets drawn"
                assert elsewhere == [], f"load {load} asked another machine for {elsewhere}"
                assert not VERSION_NOTE.search(text), f"load {load}: a version note on the page"
                assert not [n for n in notes if VERSION_NOTE.search(n)], f"load {load}: {notes}"
                if load == 1:
                    shot(page, "03_staging_first_load.png")
            finally:
                context.close()
    finally:
        stop(process)
    assert len(seen) == LOADS, seen
