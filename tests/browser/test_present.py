"""Lessons presented in Voila in chromium, as ``sarcoma-edu present`` and the Binder Voila link show them.

The staging lesson presented with its code hidden and nothing fetched from another machine; the
Binder path (``/voila/render/...``) on the JupyterLab server; lesson 08's tumour board in presenter
mode; and on the projector (``--large-text`` at 1280 x 720) whole button labels and large figure
text. Each ``present`` test starts its own Voila on a free port with the options it checks.
"""

from __future__ import annotations

import os
import re

from sarcoma_edu.serve.servers import present_command, present_env
from tests.browser.harness import AXE, answer_predictions, copy_lessons, free_port, start_server, stop
from tests.browser.measures import CUT_OFF_JS, overlapping_text
from tests.browser.pages import press, readme_clip, require_browser, shot


def test_staging_lesson_in_voila_hides_code(browser, tmp_path):
    """Presented as `sarcoma-edu present` does it, the staging lesson shows no code and fetches nothing from another
    machine; the room's three answers open the calculator and its stage map."""
    require_browser()
    port = free_port()
    lesson = copy_lessons(tmp_path) / "03_staging.ipynb"  # a pristine copy, as `present` serves
    command = [*present_command(lesson, port=port, browser=False), "--Voila.ip=127.0.0.1"]
    env = {**os.environ, **present_env(), "SARCOMA_EDU_PROGRESS": str(tmp_path / "progress.sqlite3")}
    # probe a static file: a request for the page itself would start a kernel and render the notebook
    ready = f"http://127.0.0.1:{port}/voila/static/no-such-file"
    process = start_server(command, ready, tmp_path / "voila.log", env)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    elsewhere: list[str] = []
    page.on("request", lambda r: elsewhere.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:")) else 0)
    try:
        page.goto(f"http://127.0.0.1:{port}/", wait_until="commit")
        page.locator(".sarcoma-edu-predict").nth(3).wait_for(timeout=120_000)
        assert page.locator(".sarcoma-edu-after-answering .sarcoma-edu-badge").count() == 0
        answer_predictions(page, "body")
        badge = page.locator(".sarcoma-edu-after-answering .sarcoma-edu-badge")
        badge.wait_for(timeout=30_000)
        page.locator(".sarcoma-edu-after-answering .js-plotly-plot").first.wait_for(timeout=60_000)
        assert badge.inner_text() == "Stage IIIA"
        text = page.inner_text("body")
        assert "StagingCalculator(" not in text and "import" not in text
        assert "the room's answer is checked, not saved" in text
        assert elsewhere == [], elsewhere  # Font Awesome and all: nothing from a CDN
        shot(page, "03_staging_voila.png")
        heading = page.get_by_role("heading", name="Staging calculator", exact=True)
        readme_clip(heading, page.locator(".sarcoma-edu-after-answering .js-plotly-plot").first,
                    page.locator("#rendered_cells"), "staging-voila.png")  # fmt: skip
    finally:
        page.close()
        stop(process)


def test_voila_inside_jupyterlab_server_renders_the_staging_lesson(browser, lab):
    """The Binder Voila path (/voila/render/notebooks/...) works on the JupyterLab server too."""
    base, token = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(f"{base}/voila/render/03_staging.ipynb?token={token}", wait_until="commit")
        try:
            page.locator(".sarcoma-edu-predict").nth(3).wait_for(timeout=120_000)
        except Exception as error:
            raise AssertionError(f"no prediction widget; the page says: {page.inner_text('body')[:600]}") from error
        answer_predictions(page, "body")
        badge = page.locator(".sarcoma-edu-after-answering .sarcoma-edu-badge")
        badge.wait_for(timeout=30_000)
        assert badge.inner_text() == "Stage IIIA"
        assert "StagingCalculator(" not in page.inner_text("body")
    finally:
        page.close()


def test_tumour_board_step_revealed_in_voila_by_keyboard_passes_axe(browser, tmp_path):
    """Presented in Voila, lesson 08's tumour board starts in presenter mode: the room's answer to a step, given by
    keyboard, shows without the source until Reveal, no code shows, and the board has no serious or critical axe
    issue."""
    require_browser()
    port = free_port()
    lesson = copy_lessons(tmp_path) / "08_tumour_board.ipynb"
    command = [*present_command(lesson, port=port, browser=False), "--Voila.ip=127.0.0.1"]
    env = {**os.environ, **present_env(), "SARCOMA_EDU_PROGRESS": str(tmp_path / "progress.sqlite3")}
    process = start_server(command, f"http://127.0.0.1:{port}/voila/static/no-such-file", tmp_path / "voila.log", env)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(f"http://127.0.0.1:{port}/", wait_until="commit")
        board = page.locator(".sarcoma-edu-tumour-board")
        board.wait_for(timeout=120_000)
        assert board.get_by_label("Presenter mode: hide the answer until I press Reveal").is_checked()
        press(page, board.get_by_role("button", name="Start this case"))
        board.get_by_text("Step 1 of").wait_for(timeout=10_000)
        press(page, board.locator(".sarcoma-edu-answer").first)
        board.get_by_text("The room chose:").wait_for(timeout=10_000)
        assert "Source:" not in board.inner_text()  # the answer stays hidden until Reveal
        press(page, board.get_by_role("button", name="Reveal"))
        board.get_by_text("Source:").first.wait_for(timeout=10_000)
        assert "import" not in page.inner_text("body")
        page.add_script_tag(path=str(AXE))
        found = page.evaluate(
            """async () => {
                const report = await axe.run({include: ['.sarcoma-edu-tumour-board']}, {resultTypes: ['violations']});
                return report.violations.filter(v => ['serious', 'critical'].includes(v.impact))
                    .flatMap(v => v.nodes.map(n => `${v.id} (${v.impact}): ${n.target.join(' ')}: ${v.help}`));
            }"""
        )
        assert found == [], "\n".join(found)
        shot(page, "08_tumour_board_voila.png")
    finally:
        page.close()
        stop(process)


def test_on_the_projector_the_tumour_boards_buttons_keep_their_labels_and_figures_their_large_text(browser, tmp_path):
    """`present 08 --large-text` at 1280 x 720: 'Start this case' and 'Practise my mistakes' show their whole label,
    the page says nothing of running cells or of the presenter's progress; its predictions answered, every button
    keeps its whole label and no tick-box label or figure text runs into another; a case's timeline text is 18 px
    or more."""
    require_browser()
    port = free_port()
    lesson = copy_lessons(tmp_path) / "08_tumour_board.ipynb"
    command = [*present_command(lesson, port=port, browser=False, large_text=True), "--Voila.ip=127.0.0.1"]
    env = {**os.environ, **present_env(large_text=True), "SARCOMA_EDU_PROGRESS": str(tmp_path / "progress.sqlite3")}
    process = start_server(command, f"http://127.0.0.1:{port}/voila/static/no-such-file", tmp_path / "voila.log", env)
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    try:
        page.goto(f"http://127.0.0.1:{port}/", wait_until="commit")
        board = page.locator(".sarcoma-edu-tumour-board")
        board.wait_for(timeout=120_000)
        page.get_by_text("Question 1 of").first.wait_for(timeout=120_000)  # the self-check: the last cell has run
        for label in ("Start this case", "Practise my mistakes"):
            button = board.get_by_role("button", name=label)
            fits = button.evaluate(
                "b => ({whole: b.scrollWidth <= b.clientWidth + 1, width: b.getBoundingClientRect().width,"
                " text: b.innerText.trim()})"
            )
            assert fits["whole"] and fits["text"] == label and fits["width"] > 100, fits
        text = page.inner_text("body").lower()
        assert "run this cell" not in text and "not shown while presenting" in text
        assert answer_predictions(page, "body") > 0  # what they hold back is on the page too
        page.wait_for_timeout(1500)
        found = [*page.evaluate(CUT_OFF_JS, "body"), *overlapping_text(page, "body")]  # every button, tick box, figure
        assert found == [], "\n".join(dict.fromkeys(found))
        board.scroll_into_view_if_needed()
        shot(page, "08_tumour_board_projector.png")
        case = board.get_by_label("Case", exact=True)
        case.select_option(index=0)
        board.get_by_role("button", name="Start this case").click()
        while board.get_by_role("button", name="See the summary").count() == 0 or (
            board.get_by_role("button", name="See the summary").is_disabled()
        ):
            board.locator(".sarcoma-edu-answer:not([disabled])").first.click()
            board.get_by_role("button", name="Reveal").click()
            board.get_by_text("Source:").first.wait_for(timeout=10_000)
            # Reveal enables the button that goes on ("Next step", or "See the summary" at the last step)
            board.locator("button:enabled").filter(has_text=re.compile(r"^(Next step|See the summary)$")).wait_for(
                timeout=15_000
            )
            following = board.get_by_role("button", name="Next step")
            if following.count() and following.is_enabled():
                following.click()
        board.get_by_role("button", name="See the summary").click()
        plot = board.locator(".js-plotly-plot").first
        plot.wait_for(timeout=60_000)
        smallest = plot.evaluate(
            "p => Math.min(...[...p.querySelectorAll('text')].filter(t => t.textContent.trim())"
            ".map(t => parseFloat(getComputedStyle(t).fontSize)))"
        )
        assert smallest >= 18, smallest
        plot.scroll_into_view_if_needed()
        shot(page, "08_tumour_board_projector_timeline.png")
    finally:
        page.close()
        stop(process)
