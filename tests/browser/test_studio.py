"""The studio proved in a browser, by keyboard: an instructor writes a case from facts in lesson 10, a student works it.

At 1366 x 768, in lesson 10's case form, the instructor types the story and the facts, sees the stage the
library computes, fixes the two problems the form flags (a size typed with a comma, an id a built-in case
uses), writes her feedback for one wrong choice, previews the case in the real tumour board and saves it
into a content folder of the test's own. Then a fresh kernel, with ``SARCOMA_EDU_CONTENT`` naming that
folder, opens lesson 08: its tumour board lists the case and a student works it through to the summary,
reading the instructor's feedback on the wrong stage. Clinical values: a 12.5 cm extremity sarcoma with
FNCLCC differentiation 3, 25 mitoses and 60% necrosis is grade 3, T3, stage IIIB without spread
(FNCLCC: Trojani 1984, Coindre 2006; AJCC8 as reprinted in PDQ-HP 2025-02-21).
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.browser.harness import PANEL, open_lesson, run_all
from tests.browser.measures import CUT_BUTTONS_JS
from tests.browser.pages import axe_violations, choose, error_outputs, press, shot, wait_for_text

TITLE = "A deep thigh sarcoma"
FEEDBACK = "Look again at the size: which T band is 12.5 cm in?"


def kernel_environment(page, **variables: str) -> None:
    """Set environment variables in the lesson's kernel before any cell runs (a progress file and content folder
    of the test's own)."""
    page.evaluate(
        """async (variables) => {
            const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
            const code = 'import os\\n' + Object.entries(variables)
                .map(([k, v]) => `os.environ[${JSON.stringify(k)}] = ${JSON.stringify(v)}`).join('\\n');
            await kernel.requestExecute({code, silent: true}).done;
        }""",
        variables,
    )


def type_into(page, box, text: str) -> None:
    """Focus a text box and type, replacing what it holds, as a keyboard user does."""
    box.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def problem_under(form, field: str):
    return form.locator(".sarcoma-edu-problem").filter(has_text=f"⚠ {field}:")


def _write_the_case(page, content: Path) -> None:
    form = page.locator(f"{PANEL} .sarcoma-edu-studio").first
    form.scroll_into_view_if_needed()
    type_into(page, form.get_by_label("Case id", exact=True), "head-neck")  # a built-in case's id: flagged below
    type_into(page, form.get_by_label("Title", exact=True), TITLE)
    type_into(page, form.get_by_label("You will (one a line)"), "Grade, stage and plan this patient")
    type_into(page, form.get_by_label("Story"), "A 56-year-old man has a painless lump at the back of his thigh.")
    choose(page, form.get_by_label("Depth", exact=True), "deep")
    type_into(page, form.get_by_label("Greatest size (cm)"), "12,5")
    choose(page, form.get_by_label("Differentiation score"), "3")
    type_into(page, form.get_by_label("Mitoses per 10 HPF"), "25")
    type_into(page, form.get_by_label("Tumour necrosis (%)"), "60")
    size_problem = problem_under(form, "facts.size_cm")
    size_problem.wait_for(timeout=15_000)
    assert "'12,5' is not the greatest dimension in cm" in size_problem.inner_text()
    shot(page, "10_studio_flagged.png")
    type_into(page, form.get_by_label("Greatest size (cm)"), "12.5")  # the fix
    size_problem.wait_for(state="detached", timeout=15_000)
    wait_for_text(page, form, "Right answer (computed): Stage IIIB")
    id_problem = problem_under(form, "id")
    id_problem.wait_for(timeout=15_000)
    assert "'head-neck' is already used by" in id_problem.inner_text()
    type_into(page, form.get_by_label("Case id", exact=True), "thigh-ups")
    id_problem.wait_for(state="detached", timeout=15_000)
    wait_for_text(page, form, "No problems.")
    stage = form.locator(".sarcoma-edu-computed-step").filter(has_text="AJCC 8 stage group")
    stage.scroll_into_view_if_needed()
    shot(page, "10_studio_computed_stage.png")
    type_into(page, form.get_by_label("Your feedback for Stage IIIA"), FEEDBACK)
    wait_for_text(page, form, "No problems.")
    press(page, form.get_by_role("button", name="Preview", exact=True))
    preview = form.locator(".sarcoma-edu-studio-preview .sarcoma-edu-tumour-board")
    preview.wait_for(timeout=20_000)
    picker = preview.get_by_label("Case", exact=True)
    assert picker.evaluate("s => s.options[s.selectedIndex].text.replaceAll('\\u00a0', ' ')").startswith(TITLE)
    press(page, preview.get_by_role("button", name="Start this case"))
    preview.get_by_text("Step 1 of 6").wait_for(timeout=10_000)
    preview.scroll_into_view_if_needed()
    shot(page, "10_studio_preview.png")
    assert not (content / "cases").exists()  # nothing written before Save
    press(page, form.get_by_role("button", name="Save", exact=True))
    wait_for_text(page, form, "Saved in")
    assert form.evaluate(CUT_BUTTONS_JS) == []
    assert error_outputs(page) == []
    violations = axe_violations(page)
    assert violations == [], "\n".join(violations)


def _work_the_case(page) -> None:
    board = page.locator(f"{PANEL} .sarcoma-edu-tumour-board").first
    board.scroll_into_view_if_needed()
    picker = board.get_by_label("Case", exact=True)
    options = picker.evaluate("s => [...s.options].map(o => o.text.replaceAll('\\u00a0', ' '))")
    label = f"{TITLE} (first clinical year)"
    assert label in options, options
    choose(page, picker, label)
    press(page, board.get_by_role("button", name="Start this case"))
    # right, right, the wrong stage on purpose, right; then the first choice of the plan and spread steps
    choices = ["Grade 3 (high)", "T3", "Stage IIIA", "'Treatment of Stage II and Stage III"]
    for number in range(1, 7):
        board.get_by_text(f"Step {number} of 6").wait_for(timeout=10_000)
        if number <= len(choices):
            choice = board.locator(".sarcoma-edu-answer", has_text=choices[number - 1]).first
        else:
            choice = board.locator(".sarcoma-edu-answer").first
        press(page, choice)
        board.get_by_text("Source:").first.wait_for(timeout=10_000)
        if number == 3:  # the wrong stage: the instructor's own feedback
            assert "✗ Not quite." in board.inner_text() and FEEDBACK in board.inner_text()
            assert "The right answer: Stage IIIB" in board.inner_text()
            shot(page, "10_studio_student_feedback.png")
        press(page, board.get_by_role("button", name="Next step" if number < 6 else "See the summary"))
    board.get_by_text("Score:").first.wait_for(timeout=10_000)
    assert error_outputs(page) == []


def test_an_instructor_writes_a_case_from_facts_and_a_student_works_it_in_a_fresh_kernel(browser, lab, tmp_path):
    """By keyboard at 1366 x 768: write a case from facts in 10, see stage IIIB computed, fix the two flagged
    problems, preview it in the tumour board, save it; then lesson 08 in a new kernel lists it and it is worked to
    its summary, the instructor's feedback shown for the wrong stage."""
    content = tmp_path / "my-content"
    content.mkdir()
    page = open_lesson(browser, *lab, "10_make_it_yours.ipynb")
    try:
        page.set_viewport_size({"width": 1366, "height": 768})
        kernel_environment(page, SARCOMA_EDU_CONTENT=str(content), SARCOMA_EDU_PROGRESS=str(tmp_path / "p1.sqlite3"))
        run_all(page)
        _write_the_case(page, content)
    finally:
        page.close()
    saved = json.loads((content / "cases" / "thigh-ups.json").read_text())
    stage = next(step for step in saved["steps"] if step["kind"] == "stage")
    assert stage["feedback"] == {"Stage IIIA": FEEDBACK} and saved["facts"]["size_cm"] == 12.5
    page = open_lesson(browser, *lab, "08_tumour_board.ipynb")
    try:
        page.set_viewport_size({"width": 1366, "height": 768})
        kernel_environment(page, SARCOMA_EDU_CONTENT=str(content), SARCOMA_EDU_PROGRESS=str(tmp_path / "p2.sqlite3"))
        run_all(page)
        _work_the_case(page)
    finally:
        page.close()
