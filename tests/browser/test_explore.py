"""Figures explored without sight, with the network cut: lessons 02, 03 and 05 in JupyterLab, lesson 03 in Voila.

Every request that does not go to the test's own server is aborted and recorded, and none may be made. From a
figure's text alternative the student tabs to "Explore the figure by keyboard", opens it with Enter and tabs
into maidr's chart; the arrow keys then move and each value is read from maidr's live region
(``role=alert``, what a screen reader announces). The values read are checked against the course's rules:
the FNCLCC total and grade by fnclcc(), a stage map cell's stage group by stage(), the timeline's weeks by
the treatment plan.
"""

from __future__ import annotations

import contextlib
import os
import re

from sarcoma_edu import fnclcc, plan_treatment, stage
from sarcoma_edu.serve.servers import present_command, present_env
from tests.browser.harness import (
    PANEL,
    answer_predictions,
    copy_lessons,
    free_port,
    open_lesson,
    run_all,
    start_server,
    stop,
)
from tests.browser.pages import error_outputs, own_progress, require_browser, shot

ANNOUNCED = """() => [...document.querySelectorAll('[role=alert]')].map(e => e.textContent.trim()).filter(Boolean)"""
# a value inside each FNCLCC score band (fnclcc_scores.csv), as the FNCLCC grids are drawn
MITOSES = {"1": 5, "2": 15, "3": 25}
NECROSIS = {"Necrosis score 0": 0, "Necrosis score 1": 30, "Necrosis score 2": 60}
SIZES = {"T1": 3, "T2": 7, "T3": 12, "T4": 20}  # a size inside each T category (cm)
ROWS = {  # the stage map's rows: (grade, nodes, metastasis)
    "G1 or GX, N0 M0": ("G1", False, False),
    "G2, N0 M0": ("G2", False, False),
    "G3, N0 M0": ("G3", False, False),
    "nodes (N1), M0": ("G3", True, False),
    "distant (M1)": ("G3", False, True),
}


class OfflineBrowser:
    """Pages whose every request to another machine is aborted and recorded in ``elsewhere``."""

    def __init__(self, browser, server: str) -> None:
        self.browser, self.server, self.elsewhere = browser, server, []

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith((self.server, "data:", "blob:", "about:")):
            route.continue_()
        else:
            self.elsewhere.append(url)
            route.abort()

    def new_page(self, **options):
        context = self.browser.new_context(**options)
        context.route("**/*", self._route)
        return context.new_page()


@contextlib.contextmanager
def _answered_offline(browser, lab, tmp_path, lesson: str):
    """The lesson in JupyterLab with the network cut, run and every prediction answered: (page, offline)."""
    offline = OfflineBrowser(browser, lab[0])
    page = open_lesson(offline, *lab, lesson)
    try:
        own_progress(page, tmp_path / "progress.sqlite3")
        run_all(page)
        answer_predictions(page)
        yield page, offline
    finally:
        page.context.close()


def _open_copy_by_keyboard(page, root: str, title: str):
    """From the figure's text alternative, Tab to its keyboard copy, open it with Enter, Tab into the chart."""
    region = page.locator(f'{root} .sarcoma-edu-explore[aria-label="Explore by keyboard: {title}"]')
    # the figure's own text alternative, just before its keyboard copy: its "data as a table" is focused first
    text = "xpath=preceding::div[contains(concat(' ', normalize-space(@class), ' '), ' sarcoma-edu-figure-text ')][1]"
    region.locator(text).locator("summary").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('.sarcoma-edu-explore')?.getAttribute('aria-label')")
    assert focused == f"Explore by keyboard: {title}", focused
    page.keyboard.press("Enter")
    frame_element = region.locator("iframe")
    frame = frame_element.element_handle(timeout=30_000).content_frame()
    chart = frame.locator('[tabindex="0"][aria-label]').first
    chart.wait_for(state="attached", timeout=30_000)  # maidr has found the chart plotly drew
    page.keyboard.press("Tab")
    assert frame.evaluate("document.activeElement.getAttribute('aria-label')") == chart.get_attribute("aria-label")
    assert chart.get_attribute("aria-label").startswith(title)
    return frame


def _say(page, frame, key: str) -> str:
    """Press a key in the chart and return what maidr announces."""
    before = frame.evaluate(ANNOUNCED)
    page.keyboard.press(key)
    frame.wait_for_function(f"(before) => JSON.stringify(({ANNOUNCED})()) !== JSON.stringify(before)", arg=before)
    return frame.evaluate(ANNOUNCED)[-1]


CELL_READ = (  # what maidr says for one cell of the stage map: its T, its row and its stage group
    r"Tumour size in cm \(T, greatest dimension\) is (T\d)[^,]*, Grade and spread is (.+), Stage group is (\w+)"
)


def _stage_map_cells_read(page, frame) -> list[tuple[str, str, str]]:
    """Enter the trunk and extremity table and move across and down it; each cell's (T, row, stage group)."""
    assert _say(page, frame, "ArrowRight").startswith("Subplot 1 of 2, Trunk and extremity")
    assert _say(page, frame, "Enter").startswith("Entered subplot 1 of 2, Trunk and extremity")
    cells = []
    for key in ("ArrowRight", "ArrowRight", "ArrowUp", "ArrowRight", "ArrowUp"):
        said = _say(page, frame, key)
        found = re.fullmatch(CELL_READ, said)
        assert found, said
        cells.append(found.groups())
    return cells


def _check_stage_map(cells: list[tuple[str, str, str]]) -> None:
    assert len(set(cells)) >= 4, cells  # it moved
    for t, row, group in cells:
        grade, nodes, metastasis = ROWS[row]
        assert group == stage("extremity", SIZES[t], grade, nodes=nodes, metastasis=metastasis).stage, (t, row)


def test_fnclcc_grids_explored_by_keyboard_offline_read_each_total_and_grade(browser, lab, tmp_path):
    """In lesson 02, with the network cut, the FNCLCC grids' keyboard copy reads each cell's total and grade as
    fnclcc() gives them, and no request leaves the machine."""
    with _answered_offline(browser, lab, tmp_path, "02_grade.ipynb") as (page, offline):
        title = "FNCLCC: total score (2-8) and grade, by the three component scores"
        frame = _open_copy_by_keyboard(page, PANEL, title)
        panel = _say(page, frame, "ArrowRight")
        assert panel.startswith("Subplot 1 of 3, Necrosis score 0"), panel
        _say(page, frame, "ArrowRight")
        assert _say(page, frame, "Enter").startswith("Entered subplot 2 of 3, Necrosis score 1")
        cells = []
        for key in ("ArrowRight", "ArrowRight", "ArrowUp", "ArrowLeft", "ArrowUp"):
            said = _say(page, frame, key)
            found = re.fullmatch(
                r"Mitosis score is (\d), Differentiation score is (\d), Total score and grade is (\d) G(\d)", said
            )
            assert found, said
            cells.append(found.groups())
        assert len(set(cells)) >= 4, cells
        for mitosis, differentiation, total, grade in cells:
            result = fnclcc(int(differentiation), MITOSES[mitosis], NECROSIS["Necrosis score 1"])
            assert (int(total), int(grade)) == (result.total, result.grade), (mitosis, differentiation)
        shot(page, "02_grade_explore.png")
        assert error_outputs(page) == []
        assert offline.elsewhere == [], offline.elsewhere


def test_stage_map_explored_by_keyboard_offline_reads_each_stage_group(browser, lab, tmp_path):
    """In lesson 03, with the network cut, the staging calculator's stage map is explored cell by cell and each
    cell says the stage group stage() gives; no request leaves the machine."""
    with _answered_offline(browser, lab, tmp_path, "03_staging.ipynb") as (page, offline):
        root = f"{PANEL} .sarcoma-edu-after-answering"
        frame = _open_copy_by_keyboard(page, root, "AJCC 8 stage groups: the same size and grade, two sites")
        _check_stage_map(_stage_map_cells_read(page, frame))
        shot(page, "03_staging_explore.png")
        assert error_outputs(page) == []
        assert offline.elsewhere == [], offline.elsewhere


def test_treatment_timeline_explored_by_keyboard_offline_reads_each_step_in_weeks(browser, lab, tmp_path):
    """In lesson 05, with the network cut, the timeline of radiation before surgery is read step by step: each
    step's name, its weeks from start to end and its length as the treatment plan gives them, the wait's typical
    range, surgery as a single event, and follow-up, whose length the reference does not give, in no week."""
    with _answered_offline(browser, lab, tmp_path, "05_treatment.ipynb") as (page, offline):
        title = "Treatment sequence in order (weeks where the reference gives them)"
        frame = _open_copy_by_keyboard(page, PANEL, title)
        plan = plan_treatment(stage("leg", 7, "high"), radiation="before").to_frame()
        radiation, wait, surgery, follow_up = plan.itertuples()
        weeks = "Weeks from the start of treatment is"
        assert _say(page, frame, "ArrowRight") == (
            f"Step is 1. {radiation.phase}, {weeks} {radiation.start_week:g} through {radiation.end_week:g}, "
            f"Length is {radiation.end_week - radiation.start_week:g} weeks"
        )
        assert _say(page, frame, "ArrowUp") == (
            f"Step is 2. {wait.phase}, {weeks} {wait.start_week:g} through {wait.end_week:g}, "
            f"Length is {wait.end_week - wait.start_week:g} weeks"
        )
        assert _say(page, frame, "ArrowRight") == (
            f"Step is 2. {wait.phase}, typical range to week {wait.latest_end_week:g}, {weeks} {wait.end_week:g} "
            f"through {wait.latest_end_week:g}, Length is {wait.latest_end_week - wait.end_week:g} weeks"
        )
        assert _say(page, frame, "ArrowUp") == (
            f"Step is 3. {surgery.phase}, a single event (up to week {surgery.latest_end_week:g}), {weeks} "
            f"{surgery.start_week:g} through {surgery.start_week:g}, Length is 0 weeks"
        )
        said = _say(page, frame, "ArrowUp")  # its length is not given: named so, read in no week
        assert said.startswith(f"Step is 4. {follow_up.phase} (length not given in the reference), ")
        assert f"{weeks} missing" in said and "through" not in said and "Length" not in said, said
        shot(page, "05_treatment_explore.png")
        assert error_outputs(page) == []
        assert offline.elsewhere == [], offline.elsewhere


def test_stage_map_explored_by_keyboard_in_voila_with_the_network_cut(browser, tmp_path):
    """Presented in Voila as `sarcoma-edu present` does it, with the network cut, the stage map's keyboard copy
    opens and reads each cell's stage group."""
    require_browser()
    port = free_port()
    lesson = copy_lessons(tmp_path) / "03_staging.ipynb"
    command = [*present_command(lesson, port=port, browser=False), "--Voila.ip=127.0.0.1"]
    env = {**os.environ, **present_env(), "SARCOMA_EDU_PROGRESS": str(tmp_path / "progress.sqlite3")}
    process = start_server(command, f"http://127.0.0.1:{port}/voila/static/no-such-file", tmp_path / "voila.log", env)
    offline = OfflineBrowser(browser, f"http://127.0.0.1:{port}")
    page = offline.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(f"http://127.0.0.1:{port}/", wait_until="commit")
        page.locator(".sarcoma-edu-predict").nth(3).wait_for(timeout=120_000)
        answer_predictions(page, "body")
        frame = _open_copy_by_keyboard(page, "body", "AJCC 8 stage groups: the same size and grade, two sites")
        _check_stage_map(_stage_map_cells_read(page, frame))
        shot(page, "03_staging_voila_explore.png")
        assert offline.elsewhere == [], offline.elsewhere
    finally:
        page.context.close()
        stop(process)
