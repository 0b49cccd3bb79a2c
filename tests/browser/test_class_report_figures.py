"""The class report's figures in chromium for a class of six: every student named, no label over another."""

from __future__ import annotations

import pytest

from tests.browser.measures import overlapping_text
from tests.browser.pages import require_browser, shot


@pytest.mark.parametrize("size", [(1366, 768), (1280, 720)], ids=["1366x768", "1280x720"])
def test_the_students_by_topics_heatmap_names_all_six_students_and_no_label_runs_into_another(browser, tmp_path, size):
    """A class of six: the heatmap's row labels name all six students, and in no figure of the report does a label
    (a colour scale's title and its 100% among them) overlap another."""
    from sarcoma_edu.report.class_report import class_report, write_report
    from sarcoma_edu.report.synthetic import synthetic_class

    require_browser()
    exports = tmp_path / "exports"
    exports.mkdir()
    synthetic_class(6, 30, seed=3).write_exports(exports)
    out = write_report(class_report(exports), tmp_path / "class-report.html")
    width, height = size
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto(out.as_uri())
        page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 3", timeout=60_000)
        heatmap = page.locator(".js-plotly-plot").filter(has_text="Students x topics")
        heatmap.wait_for(timeout=30_000)
        named = heatmap.evaluate("p => [...p.querySelectorAll('.ytick text')].map(t => t.textContent)")
        assert named == [f"learner{k:03d}" for k in range(1, 7)], named
        assert overlapping_text(page, "body") == []
        heatmap.scroll_into_view_if_needed()
        shot(page, f"class-report-heatmap-{width}x{height}.png")
    finally:
        page.close()
