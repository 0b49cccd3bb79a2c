"""What the browser tests do to a lesson page and read from it, shared by their files by concern.

Opening and running a lesson with a progress file of the test's own, pressing and choosing by
keyboard, waiting for text, reading error outputs and axe-core's serious or critical violations,
and saving screenshots: every page in ``screenshots/`` (git-ignored), and with
``SARCOMA_EDU_README_SHOTS=docs/images`` (``make screenshots``) the pictures the README shows, each in a
window 1400 pixels wide and tall enough for the whole widget, never with a button label cut short, and
recorded with the code it was taken from (:mod:`tests.browser.pictures`).
Starting the servers and chromium is :mod:`tests.browser.harness`'s.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.harness import (
    AXE,
    PANEL,
    ROOT,
    missing_pieces,
    open_lesson,
    run_all,
)
from tests.browser.measures import CUT_BUTTONS_JS
from tests.browser.pictures import PICTURES, record

SHOTS = ROOT / "screenshots"


def require_browser() -> None:
    """Skip (fail in CI) with the install command when chromium or axe-core is missing."""
    missing = missing_pieces()
    if not missing:
        return
    message = (
        f"{' and '.join(missing)} not installed: run `make test` (as root it installs Debian's chromium and runs "
        "`npm ci` in tests/browser), or `sudo apt-get install chromium` and `npm ci --prefix tests/browser`"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def open_and_run(browser, lab, name: str, progress: Path | None = None):
    """Open a lesson, run all cells, wait until every code cell has run; return the page.

    With ``progress`` the lesson's kernel saves to that file of the test's own (so no answer of another
    test is restored).
    """
    page = open_lesson(browser, *lab, name)
    if progress is not None:
        own_progress(page, progress)
    run_all(page)
    return page


def own_progress(page, path: Path) -> None:
    """Point the lesson's kernel at a progress file of the test's own, before any cell runs (never a real one)."""
    page.evaluate(
        """async (path) => {
            const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
            const code = `import os\\nos.environ['SARCOMA_EDU_PROGRESS'] = ${JSON.stringify(path)}`;
            await kernel.requestExecute({code, silent: true}).done;
        }""",
        str(path),
    )


def error_outputs(page) -> list[str]:
    """The error outputs (stderr) of the lesson in front, each cut to 300 characters."""
    return page.eval_on_selector_all(
        f'{PANEL} .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]',
        "nodes => nodes.map(n => n.textContent.slice(0, 300))",
    )


def shot(page, name: str) -> None:
    """Save what the page shows now as ``screenshots/<name>``."""
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=False)


def _readme_folder(name: str) -> Path | None:
    """The folder for README pictures (SARCOMA_EDU_README_SHOTS), or None when no picture is wanted now."""
    folder = os.environ.get("SARCOMA_EDU_README_SHOTS")
    if not folder:
        return None
    assert name in PICTURES, f"{name}: add it, the test taking it and its code to tests/browser/pictures.py"
    (ROOT / folder).mkdir(parents=True, exist_ok=True)
    return ROOT / folder


def _fit_height(page, element) -> None:
    """A window 1400 pixels wide and tall enough for the whole of ``element`` (JupyterLab scrolls inside itself)."""
    page.set_viewport_size({"width": 1400, "height": 2200})
    page.wait_for_timeout(800)
    height = element.bounding_box()["height"]
    if height + 400 > 2200:
        page.set_viewport_size({"width": 1400, "height": round(height) + 400})
        page.wait_for_timeout(800)


def _no_cut_buttons(container, name: str) -> None:
    """Fail, before the picture is saved, when a button label in it would be cut short."""
    cut = container.evaluate(CUT_BUTTONS_JS)
    assert cut == [], f"{name} would show button labels cut short: {cut}"


def readme_shot(locator, name: str) -> None:
    """Save a picture of one widget for the README when SARCOMA_EDU_README_SHOTS names a folder (and record it)."""
    folder = _readme_folder(name)
    if folder is None:
        return
    page = locator.page
    before = page.viewport_size
    _fit_height(page, locator)
    locator.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    _no_cut_buttons(locator, name)
    locator.screenshot(path=str(folder / name))
    record(folder / name)
    page.set_viewport_size(before)  # the test goes on in the window it chose


def readme_clip(top, bottom, container, name: str) -> None:
    """For the README (SARCOMA_EDU_README_SHOTS): the part of ``container`` from ``top`` to the end of ``bottom``."""
    folder = _readme_folder(name)
    if folder is None:
        return
    page = top.page
    before = page.viewport_size
    page.set_viewport_size({"width": 1400, "height": 2200})
    page.wait_for_timeout(800)
    top.evaluate("el => el.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)
    start, end, box = top.bounding_box(), bottom.bounding_box(), container.bounding_box()
    clip = {
        "x": box["x"],
        "y": start["y"] - 4,
        "width": box["width"],
        "height": end["y"] + end["height"] - start["y"] + 8,
    }
    _no_cut_buttons(container, name)
    page.screenshot(path=str(folder / name), clip=clip)
    record(folder / name)
    page.set_viewport_size(before)


def axe_violations(page) -> list[str]:
    """Serious or critical axe-core violations inside the lesson's outputs, as 'rule: element' lines."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const outputs = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea')];
            const report = await axe.run({include: outputs}, {resultTypes: ['violations']});
            return report.violations.filter(v => ['serious', 'critical'].includes(v.impact))
                .flatMap(v => v.nodes.map(n => `${v.id} (${v.impact}): ${n.target.join(' ')}: ${v.help}`));
        }"""
    )
    return list(result)


def badge_text(page) -> str:
    return page.locator(f"{PANEL} .sarcoma-edu-badge").first.inner_text()


def wait_for_badge(page, text: str) -> None:
    """Wait until the calculator's badge on the page starts with ``text``."""
    page.wait_for_function(
        "([panel, text]) => document.querySelector(panel + ' .sarcoma-edu-badge')?.textContent.startsWith(text)",
        arg=[PANEL, text],
        timeout=10_000,
    )


def press(page, locator) -> None:
    """Focus a control and press Space on it, as a keyboard user does after tabbing to it.

    First wait until it can be pressed: the kernel enables a button with a message of its own, which a
    busy machine may draw a moment after the text that came with it.
    """
    from playwright.sync_api import expect

    expect(locator).to_be_enabled(timeout=15_000)
    locator.focus()
    page.keyboard.press("Space")


def choose(page, select, text: str) -> None:
    """Choose the option that reads ``text`` in a drop-down by keyboard (Alt+Down, arrows, Enter)."""
    select.focus()
    options = select.evaluate("s => [...s.options].map(o => o.text.replaceAll('\\u00a0', ' '))")
    steps = options.index(text.replace("\u00a0", " ")) - select.evaluate("s => s.selectedIndex")
    page.keyboard.press("Alt+ArrowDown")
    for _ in range(abs(steps)):
        page.keyboard.press("ArrowDown" if steps > 0 else "ArrowUp")
    page.keyboard.press("Enter")


def tick_by_keyboard(page, choices, starting: str) -> None:
    """Choose, among radio choices, the one whose words start with ``starting``: focus it and press Space."""
    choice = choices.locator("label").filter(has_text=starting).first.locator("input[type=radio]")
    choice.focus()
    page.keyboard.press("Space")


def wait_for_text(page, locator, text: str) -> None:
    page.wait_for_function("([el, text]) => el.innerText.includes(text)", arg=[locator.element_handle(), text])
