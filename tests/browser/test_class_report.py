"""The class report's HTML in chromium: a student's name or question id is shown as text, never run."""

from __future__ import annotations

import json

from tests.browser.pages import shot

HOSTILE = '<a href="javascript:alert(1)">x</a>'
# what else a name or question id could try: an image whose error runs script, and closing plotly's script to open one
IMAGE = "<img src=x onerror=\"window.ran='img'\">"
SCRIPT = "</script><script>window.ran='script'</script>"


def test_a_hostile_student_name_in_the_class_report_is_text_not_a_link(browser, tmp_path):
    """Plotly reads HTML in axis labels, hover and text: a student's `<a href="javascript:...">` shows as those
    characters in every figure of the class report, is no link, and clicking or hovering it runs nothing; a name
    or question id written as an image or a script is text in the tables and the figures, and never runs."""
    from sarcoma_edu.report.class_report import class_report, write_report

    def export(name: str, student: str, rows: list[tuple[str, str, bool]]) -> None:
        attempts = [
            {"attempt_id": f"{name}-{k}", "question_id": q, "topic": "staging", "answer": a, "correct": c,
             "answered_at": f"2026-03-02T10:0{k}:00.000+00:00"}
            for k, (q, a, c) in enumerate(rows)
        ]  # fmt: skip
        payload = {"format": "sarcoma-edu-progress", "version": 1, "student": student, "attempts": attempts}
        (tmp_path / f"{name}.json").write_text(json.dumps(payload), encoding="utf-8")

    # the hostile text as a student's name and as a question id (flagged, so it is also printed on the item map)
    export("ana", HOSTILE, [(HOSTILE, "B", False), ("q2", "K", True), (SCRIPT, "X", True)])
    export("ben", IMAGE, [(HOSTILE, "B", False), ("q2", "K", True), (SCRIPT, "X", True)])
    export("cai", "cai", [(HOSTILE, "A", True), ("q2", "D", False), (SCRIPT, "Y", False)])
    out = write_report(class_report(tmp_path), tmp_path / "class-report.html")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(out.as_uri())
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 4", timeout=60_000)
    links = page.eval_on_selector_all("a:not(.modebar-btn)", "nodes => nodes.map(n => n.outerHTML)")
    assert links == [], f"a student's text became a link: {links}"  # in the figures or anywhere in the page
    assert page.locator("img").count() == 0 and page.evaluate("window.ran") is None  # nor an image, nor a script
    tables = page.locator("table").all_text_contents()
    assert all(any(text in t for t in tables) for text in (HOSTILE, IMAGE, SCRIPT)), tables  # shown as text
    ticks = page.eval_on_selector_all(".js-plotly-plot .ytick text", "nodes => nodes.map(n => n.textContent)")
    labels = page.eval_on_selector_all(".js-plotly-plot .textpoint text", "nodes => nodes.map(n => n.textContent)")
    assert HOSTILE in ticks and HOSTILE in labels, (ticks, labels)  # the heatmap's student, the flagged question
    # the mouse over each student's row of the heatmap and over each point of the item map: the hover label
    # shows the text and makes no link either
    hovered = []
    for figure in page.locator(".js-plotly-plot").all():
        kind = figure.evaluate("gd => gd._fullData[0].type")
        figure.scroll_into_view_if_needed()  # the mouse reaches only what is on the screen
        box = figure.locator(".nsewdrag").first.bounding_box()
        if kind == "heatmap":
            rows = figure.evaluate("gd => gd._fullLayout.yaxis._categories.length")
            spots = [(box["x"] + box["width"] / 4, box["y"] + (i + 0.5) * box["height"] / rows) for i in range(rows)]
        elif kind == "scatter":
            points = [p.bounding_box() for p in figure.locator(".scatterlayer .point").all()]
            spots = [(p["x"] + p["width"] / 2, p["y"] + p["height"] / 2) for p in points]
        else:
            continue
        for x, y in spots:
            page.mouse.move(x, y)
            page.wait_for_timeout(150)
            layer = figure.locator(".hoverlayer")
            assert layer.locator("a").count() == 0, layer.inner_html()
            hovered.append(layer.text_content())
    assert sum(HOSTILE in t for t in hovered) >= 2, hovered  # the student's row, the question's point
    page.locator(".js-plotly-plot .ytick text", has_text="javascript").first.click(force=True)
    page.wait_for_timeout(300)
    assert dialogs == [] and page.url == out.as_uri() and page.evaluate("window.ran") is None
    shot(page, "class-report-hostile-name.png")
    page.close()
