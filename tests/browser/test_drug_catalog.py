"""Lesson 05's drug catalog in JupyterLab at 1366 x 768, in chromium: it fits the lesson, stays short, and the
keyboard reads it."""

from __future__ import annotations

from tests.browser.harness import PANEL, answer_predictions
from tests.browser.pages import choose, error_outputs, open_and_run, shot, wait_for_text

_CATALOG = "Drugs used in soft tissue sarcoma"


def test_the_drug_catalog_fits_the_lesson_is_short_and_scrolls_and_opens_details_by_keyboard(browser, lab, tmp_path):
    """Its table is no wider than the lesson and the whole catalog under two screens tall; Tab reaches the rows' box,
    the arrow keys scroll it (not JupyterLab's cells) under a header that stays in view, and a drug chosen by keyboard
    in 'Details of the drug' has its details written out, the source among them."""
    page = open_and_run(browser, lab, "05_treatment.ipynb", tmp_path / "progress.sqlite3")
    try:
        page.set_viewport_size({"width": 1366, "height": 768})
        answer_predictions(page)
        catalog = page.locator(f"{PANEL} .widget-vbox").filter(
            has=page.get_by_role("heading", name=_CATALOG, exact=True)
        ).last  # fmt: skip
        catalog.wait_for(timeout=30_000)
        catalog.scroll_into_view_if_needed()
        sizes = catalog.evaluate(
            """c => {
                const output = c.closest('.jp-OutputArea-output').getBoundingClientRect();
                const table = c.querySelector('table.sarcoma-edu-explorer').getBoundingClientRect();
                return {output: output.right, table: table.right, height: c.getBoundingClientRect().height};
            }"""
        )
        assert sizes["table"] <= sizes["output"] + 1 and sizes["height"] <= 2 * 768, sizes
        rows = catalog.get_by_role("region", name=f"{_CATALOG}: 27 rows; scroll for more")
        catalog.get_by_label("Details of the drug", exact=True).focus()
        page.keyboard.press("Tab")  # from the last control above the table to the box of its rows
        assert rows.evaluate("r => document.activeElement === r")
        cell = page.evaluate("window.jupyterapp.shell.currentWidget.content.activeCellIndex")  # the catalog's
        for _ in range(4):
            page.keyboard.press("ArrowDown")
        page.keyboard.press("PageDown")
        page.wait_for_timeout(300)
        scrolled = rows.evaluate(
            "r => ({top: r.scrollTop,"
            " head: r.querySelector('th').getBoundingClientRect().top - r.getBoundingClientRect().top})"
        )
        assert scrolled["top"] > 0 and abs(scrolled["head"]) <= 2, scrolled  # the header stays at the box's top
        assert page.evaluate("window.jupyterapp.shell.currentWidget.content.activeCellIndex") == cell
        shot(page, "05_drug_catalog_scrolled.png")
        choose(page, catalog.get_by_label("Details of the drug", exact=True), "ifosfamide")
        details = catalog.get_by_role("region", name="Details of ifosfamide")
        wait_for_text(page, details, "Side effects")
        assert "Source" in details.inner_text() and "Monitoring" in details.inner_text()
        assert error_outputs(page) == []
    finally:
        page.close()
