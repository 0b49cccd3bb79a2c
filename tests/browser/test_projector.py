"""Lessons on the projector, as ``sarcoma-edu present NN --large-text`` shows them at 1280 x 720, in chromium.

Each lesson is presented in Voila with its predictions answered by keyboard (so every figure they hold back
is drawn); then every button keeps its whole label, no tick-box label runs into the next, no figure text is
smaller than 18 px (the page's 22 px body text in proportion) and no two texts of a figure overlap.
"""

from __future__ import annotations

import os
import re

import pytest

from sarcoma_edu.serve.servers import present_command, present_env
from tests.browser.harness import answer_predictions, copy_lessons, free_port, start_server, stop
from tests.browser.measures import CUT_OFF_JS, overlapping_text
from tests.browser.pages import require_browser, shot

# the smallest text of each figure on the page, in CSS pixels (hover labels, which come and go, left out)
_SMALLEST_TEXT_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(plot => ({
    title: (plot.querySelector('.gtitle')?.textContent || '').slice(0, 60),
    smallest: Math.min(...[...plot.querySelectorAll('.main-svg text')]
        .filter(t => !t.closest('.hoverlayer') && t.textContent.trim() && t.getBoundingClientRect().width > 0)
        .map(t => parseFloat(getComputedStyle(t).fontSize))),
}))"""


# 02: its predictions open the FNCLCC grid, the figure large text crowds most (lesson 08, the tumour board's page
# and its buttons, is checked the same way by tests/browser/test_present.py, which then works through a case)
_FIGURES = {"02_grade"}


@pytest.mark.parametrize("lesson", ["02_grade"])
def test_on_the_projector_buttons_keep_their_labels_and_figures_their_large_text(browser, tmp_path, lesson):
    """`present NN --large-text` at 1280 x 720, predictions answered: every button shows its whole label, no tick-box
    label overlaps the next, every figure's text is 18 px or more and no two texts of a figure run into each other
    (the FNCLCC grid's cells among them)."""
    require_browser()
    port = free_port()
    notebook = copy_lessons(tmp_path) / f"{lesson}.ipynb"
    command = [*present_command(notebook, port=port, browser=False, large_text=True), "--Voila.ip=127.0.0.1"]
    env = {**os.environ, **present_env(large_text=True), "SARCOMA_EDU_PROGRESS": str(tmp_path / "progress.sqlite3")}
    process = start_server(command, f"http://127.0.0.1:{port}/voila/static/no-such-file", tmp_path / "voila.log", env)
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    try:
        page.goto(f"http://127.0.0.1:{port}/", wait_until="commit")
        page.locator(".sarcoma-edu-predict").first.wait_for(timeout=120_000)
        # the self-check or the quiz, the last cell: every cell has run
        page.get_by_text(re.compile("Answer each question: your answer is saved|Question 1 of")).first.wait_for(
            timeout=120_000
        )
        assert answer_predictions(page, "body") > 0
        if lesson in _FIGURES:
            page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .main-svg').length > 0",
                                   timeout=60_000)  # fmt: skip
        page.wait_for_timeout(1500)  # revealed figures finish drawing
        found = [*page.evaluate(CUT_OFF_JS, "body"), *overlapping_text(page, "body")]
        assert found == [], "\n".join(dict.fromkeys(found))
        small = [f for f in page.evaluate(_SMALLEST_TEXT_JS) if f["smallest"] < 18]
        assert small == [], small
        if lesson in _FIGURES:
            page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
            shot(page, f"{lesson}_projector_figure.png")
    finally:
        page.close()
        stop(process)
