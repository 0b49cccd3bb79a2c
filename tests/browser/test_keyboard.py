"""Widgets worked by keyboard in JupyterLab in chromium, as a student without a mouse works them.

The staging and FNCLCC calculators, a prediction that opens the staging calculator, the quiz (an
answer, its feedback and the focus on "Next question"; reopened where the student was), the
treatment planner and the ordering exercise, lesson 06's stage mix explorer, and a tumour board
case worked to its summary (the answer chosen marked in words, no button label cut short). Each test
opens its lesson in the worker's JupyterLab (``conftest.py``) with a progress file of its own where
answers are saved. Under ``make screenshots`` they save the README's pictures (``readme_shot``).
"""

from __future__ import annotations

from pathlib import Path

from tests.browser.harness import PANEL, answer_predictions, open_lesson, run_all
from tests.browser.measures import CUT_BUTTONS_JS
from tests.browser.pages import (
    axe_violations,
    badge_text,
    choose,
    error_outputs,
    open_and_run,
    own_progress,
    press,
    readme_clip,
    readme_shot,
    shot,
    tick_by_keyboard,
    wait_for_badge,
    wait_for_text,
)

# the calculator with its stage map in lesson 03: it opens once the lesson's first three predictions are answered
STAGING_03 = f"{PANEL} .sarcoma-edu-after-answering .sarcoma-edu-calculator"


def _open_03_with_its_calculator(browser, lab, progress: Path):
    """Open 03, run it, answer its three predictions by keyboard; return the page with the calculator open."""
    page = open_lesson(browser, *lab, "03_staging.ipynb")
    own_progress(page, progress)
    run_all(page)
    assert page.locator(STAGING_03).count() == 0  # closed until the predictions are answered
    for exercise in ("A 12 cm high-grade sarcoma of the thigh", "An 8 cm high-grade sarcoma of the retro",
                     "The same 8 cm high-grade tumour"):  # fmt: skip
        widget = page.locator(f"{PANEL} .sarcoma-edu-predict").filter(has_text=exercise)
        press(page, widget.locator(".sarcoma-edu-answer").first)
        widget.get_by_text("Your answer:").wait_for(timeout=15_000)
    page.locator(STAGING_03).wait_for(timeout=30_000)
    page.locator(f"{STAGING_03} ~ * .js-plotly-plot, {STAGING_03} .js-plotly-plot").first.wait_for(timeout=60_000)
    return page


def test_staging_calculator_by_keyboard(browser, lab, tmp_path):
    """In 03_staging the widget and a figure render; typing a size and choosing a grade by keyboard updates the badge."""  # noqa: E501
    page = _open_03_with_its_calculator(browser, lab, tmp_path / "progress.sqlite3")
    try:
        calculator = page.locator(STAGING_03)
        assert calculator.locator(".sarcoma-edu-badge").inner_text() == "Stage IIIA"
        size = calculator.get_by_label("Greatest size (cm)")
        size.click()
        page.keyboard.press("Control+A")
        page.keyboard.type("12")
        page.keyboard.press("Tab")
        wait_for_text(page, calculator, "Stage IIIB")  # the badge is redrawn: wait on the calculator around it
        page.keyboard.press("Tab")  # past the "Size unknown" box to the grade drop-down
        assert (
            page.evaluate("document.activeElement.closest('.widget-dropdown')?.querySelector('label')?.innerText")
            == "Grade"
        )
        # JupyterLab keeps plain arrow keys for moving between cells; Alt+Down opens the list
        page.keyboard.press("Alt+ArrowDown")
        page.keyboard.press("ArrowUp")
        page.keyboard.press("ArrowUp")
        page.keyboard.press("Enter")
        wait_for_text(page, calculator, "Stage IB")
        assert "larger than 10 cm but not larger than 15 cm (T3), low grade (G1)" in calculator.inner_text()
        readme_shot(calculator, "staging-calculator.png")
        size.click()
        page.keyboard.press("Control+A")
        page.keyboard.type("0")
        page.keyboard.press("Tab")
        page.wait_for_selector(f"{PANEL} [role=alert]")
        alert = calculator.locator("[role=alert]").inner_text()
        assert "Greatest size (cm) = 0 is not greater than 0" in alert
        assert "the last value accepted: Greatest size (cm) = 12." in alert
        assert calculator.locator(".sarcoma-edu-badge").inner_text() == "Stage IB"  # the last valid result stays
        size.click()
        page.keyboard.press("Control+A")
        page.keyboard.type("12,5")  # a decimal comma is refused, never read as 125 or 12
        page.wait_for_function(
            "(el) => el.innerText.includes('has a comma: write a decimal with a point, e.g. 12.5')",
            arg=calculator.element_handle(),
            timeout=10_000,
        )
        # the page may have sent "1" on the way to "12,5": once the comma is refused, the 12 cm result comes back
        page.wait_for_function(
            "(el) => el.querySelector('.sarcoma-edu-badge').innerText.trim() === 'Stage IB'",
            arg=calculator.element_handle(),
            timeout=10_000,
        )
        shot(page, "03_staging_keyboard.png")
    finally:
        page.close()


def test_fnclcc_calculator_by_keyboard(browser, lab, tmp_path):
    """In 02_grade typing mitoses and necrosis with the keyboard turns grade 2 into grade 3."""
    page = open_and_run(browser, lab, "02_grade.ipynb", tmp_path / "progress.sqlite3")
    try:
        assert badge_text(page).startswith("Grade 2")
        mitoses = page.get_by_label("Mitoses per 10 high-power fields")
        mitoses.click()
        page.keyboard.press("Control+A")
        page.keyboard.type("25")
        page.keyboard.press("Tab")  # moves to the necrosis box
        page.keyboard.press("Control+A")
        page.keyboard.type("60")
        page.keyboard.press("Tab")
        wait_for_badge(page, "Grade 3")
        shot(page, "02_grade_keyboard.png")
        readme_shot(page.locator(f"{PANEL} .sarcoma-edu-calculator").first, "fnclcc-calculator.png")
    finally:
        page.close()


def test_quiz_question_answered_by_keyboard_shows_feedback(browser, lab, tmp_path):
    """In 07_quiz, an answer chosen with Space shows verdict and source, stays marked, and focus moves to Next."""
    page = open_lesson(browser, *lab, "07_quiz.ipynb")
    try:
        own_progress(page, tmp_path / "progress.sqlite3")
        run_all(page)
        quiz = page.locator(f"{PANEL} .sarcoma-edu-quiz").first
        answers = quiz.locator(".sarcoma-edu-answer")
        assert answers.count() >= 3
        assert quiz.get_by_text("Question 1 of").count() == 1 and "Welcome back" not in quiz.inner_text()
        chosen = answers.first.inner_text()
        answers.first.focus()
        page.keyboard.press("Space")
        quiz.get_by_text("Source:").wait_for(timeout=10_000)
        text = quiz.inner_text()
        assert ("✓ Correct." in text) or ("✗ Not quite." in text), text[:500]
        assert "out of 1 answered" in text and chosen in text
        quiz.get_by_text(f"➜ {chosen} (your answer)").wait_for(timeout=10_000)  # marked in words, not colour alone
        page.wait_for_function(
            "() => { const a = document.activeElement;"
            " return !!a && (a.classList.contains('sarcoma-edu-next') || !!a.closest('.sarcoma-edu-feedback')); }",
            timeout=10_000,
        )
        feedback = quiz.locator(".sarcoma-edu-feedback").bounding_box()
        following = quiz.locator(".sarcoma-edu-next").bounding_box()
        assert following["y"] >= feedback["y"] + feedback["height"] - 1  # Next question comes after the feedback
        shot(page, "07_quiz_answered.png")
        readme_shot(quiz, "quiz.png")
        page.keyboard.press("Space")  # the focused Next question
        quiz.get_by_text("Question 2 of").wait_for(timeout=10_000)
    finally:
        page.close()


def test_tumour_board_case_worked_by_keyboard_in_jupyterlab(browser, lab):
    """In 08 at 1366 x 768 a case is worked to its summary and what-if by keyboard: each answer chosen reads
    '➜ <answer> (your answer)', no button label is ever cut short, and there is no error and no serious or critical
    axe issue (its presenter step in Voila: test_present.py)."""
    from sarcoma_edu.course.case_files import load_cases

    case = next(c for c in load_cases() if c.id == "head-neck")
    page = open_lesson(browser, *lab, "08_tumour_board.ipynb")
    try:
        page.set_viewport_size({"width": 1366, "height": 768})
        run_all(page)
        board = page.locator(f"{PANEL} .sarcoma-edu-tumour-board")
        assert board.evaluate(CUT_BUTTONS_JS) == []  # "Start this case", "Practise my mistakes" whole
        picker = board.get_by_label("Case", exact=True)
        picker.focus()
        options = picker.evaluate("s => [...s.options].map(o => o.text.replaceAll('\\u00a0', ' '))")  # widgets use nbsp
        position = options.index(f"{case.title} ({case.level})")
        page.keyboard.press("Alt+ArrowDown")  # JupyterLab keeps plain arrows for cells; Alt+Down opens the list
        for _ in range(position):
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")  # to "Start this case"
        page.keyboard.press("Space")
        board.get_by_text("Step 1 of").wait_for(timeout=10_000)
        for number, step in enumerate(case.steps, start=1):
            board.get_by_text(f"Step {number} of {len(case.steps)}").wait_for(timeout=10_000)
            wrong = [c for c in step.question.choices if c not in step.right_answers]
            choice = wrong[0] if number == 1 else step.right_answers[0]  # one wrong answer, to see its feedback
            press(page, board.locator(".sarcoma-edu-answer", has_text=choice).first)
            board.get_by_text("Source:").first.wait_for(timeout=10_000)
            verdict = "✗ Not quite." if number == 1 else "✓ Correct."
            assert verdict in board.inner_text()
            marked = board.locator(".sarcoma-edu-answer.sarcoma-edu-chosen")  # marked in words, not colour alone
            assert marked.count() == 1 and marked.inner_text().strip() == f"➜ {choice} (your answer)"
            assert board.evaluate(CUT_BUTTONS_JS) == [], f"step {number}"
            if number == 2:
                shot(page, "08_tumour_board_step.png")
                readme_shot(board, "tumour-board-step.png")
            label = "Next step" if number < len(case.steps) else "See the summary"
            press(page, board.get_by_role("button", name=label))
        board.get_by_text("Score: 4 right out of 5 answered.").wait_for(timeout=10_000)
        board.locator(".js-plotly-plot").wait_for(timeout=60_000)
        new_site = board.get_by_label("New site")  # what if the same tumour were on a limb?
        new_site.focus()
        page.keyboard.press("Alt+ArrowDown")
        page.keyboard.press("ArrowDown")  # trunk -> extremity
        page.keyboard.press("Enter")
        press(page, board.get_by_role("button", name="Show what changes"))
        board.get_by_text("computed answers change").wait_for(timeout=10_000)
        assert "No stage group → Stage II" in board.inner_text()
        assert board.evaluate(CUT_BUTTONS_JS) == []
        assert error_outputs(page) == []
        violations = axe_violations(page)
        assert violations == [], "\n".join(violations)
        shot(page, "08_tumour_board_summary.png")
        readme_shot(board, "tumour-board-summary.png")
    finally:
        page.close()


def test_staging_calculator_extent_by_keyboard_for_head_and_neck_and_visceral(browser, lab, tmp_path):
    """In 03 the Invasion and Extent inputs appear for their sites and are set by keyboard: T4a, then T4b by sites."""
    page = _open_03_with_its_calculator(browser, lab, tmp_path / "progress.sqlite3")
    try:
        calculator = page.locator(STAGING_03)
        site = calculator.locator(".widget-dropdown:has(label:text-is('Site of the tumour')) select")
        extent = calculator.locator(".widget-radio:has(label:text-is('Invasion'))")
        assert extent.count() == 0 or not extent.is_visible()  # hidden for a limb
        choose(page, site, "Head and neck")
        extent.wait_for(state="visible", timeout=10_000)
        size = calculator.get_by_label("Greatest size (cm)")
        size.click()
        page.keyboard.press("Control+A")
        page.keyboard.type("1.5")
        page.keyboard.press("Tab")
        wait_for_text(page, calculator, "T1; no invasion of adjoining structures given")
        tick_by_keyboard(page, extent, "T4a")  # a long choice, written out in full (it wraps)
        wait_for_text(page, calculator, "invasion decides T4")
        choice = extent.locator("label", has_text="T4a")
        assert choice.evaluate("l => l.scrollWidth <= l.clientWidth + 1 && l.innerText.includes('pterygoid muscles')")
        badge = calculator.locator(".sarcoma-edu-badge").inner_text()
        assert "T4a" in calculator.inner_text() and "No stage group" in badge
        readme_shot(calculator, "staging-head-and-neck.png")
        shot(page, "03_staging_head_and_neck.png")

        choose(page, site, "Abdominal and thoracic visceral organs")
        visceral = calculator.locator(".widget-radio:has(label:text-is('Extent'))")
        visceral.wait_for(state="visible", timeout=10_000)
        tick_by_keyboard(page, visceral, "T4a-T4c")
        sites = calculator.get_by_label("Number of sites", exact=True)
        sites.wait_for(state="visible", timeout=10_000)
        sites.click()
        page.keyboard.press("Control+A")
        page.keyboard.type("4")
        page.keyboard.press("Tab")
        wait_for_text(page, calculator, "found in 3 to 5 places")
        assert "found in 3 to 5 places" in calculator.inner_text()
        readme_shot(calculator, "staging-visceral.png")
        shot(page, "03_staging_visceral.png")
        assert error_outputs(page) == []
    finally:
        page.close()


def test_prediction_answered_by_keyboard_reveals_the_calculator_only_afterwards(browser, lab, tmp_path):
    """In 03 the retroperitoneal prediction is answered by keyboard; only then do the feedback and calculator show."""
    page = open_lesson(browser, *lab, "03_staging.ipynb")
    own_progress(page, tmp_path / "progress.sqlite3")  # never answers another test gave (they would be shown)
    # collapsed cells show no execution count, which run_all waits for: show the code first
    page.evaluate("window.jupyterapp.commands.execute('notebook:show-all-cell-code')")
    run_all(page)
    try:
        widget = page.locator(f"{PANEL} .sarcoma-edu-exercise").filter(has_text="8 cm high-grade sarcoma of the retro")
        assert widget.count() == 1
        widget.scroll_into_view_if_needed()
        before = widget.inner_text()
        assert "Source:" not in before and "Now check:" not in before
        assert widget.locator(".sarcoma-edu-badge").count() == 0
        shot(page, "03_staging_prediction_before.png")
        readme_shot(widget, "exercise-before.png")
        press(page, widget.get_by_role("button", name="IIIB", exact=True))
        widget.get_by_text("Now check:").wait_for(timeout=15_000)
        page.wait_for_function(
            "() => [...document.querySelectorAll('.sarcoma-edu-exercise .sarcoma-edu-badge')]"
            ".some(b => b.textContent.startsWith('Stage IIIB'))",
            timeout=15_000,
        )
        after = widget.inner_text()
        assert "✓ Correct." in after and "Source: AJCC8" in after and "Saved with your progress" in after
        assert widget.locator("[role=alert]").count() == 0
        assert error_outputs(page) == []
        violations = axe_violations(page)
        assert violations == [], "\n".join(violations)
        shot(page, "03_staging_prediction_after.png")
        readme_shot(widget, "exercise-after.png")
    finally:
        page.close()


def test_quiz_reopened_by_keyboard_welcomes_back_and_resumes(browser, lab, tmp_path):
    """With three questions answered before, 07_quiz says welcome back, the score, and shows question 4 of the set."""
    from sarcoma_edu.course.banks import load_bank
    from sarcoma_edu.progress.store import ProgressStore
    from sarcoma_edu.study.quiz_progress import interleave

    path = tmp_path / "progress.sqlite3"
    first = interleave(load_bank())[:3]
    ProgressStore(path).add_attempts(
        [
            {"attempt_id": f"a{number}", "question_id": q.id, "topic": q.topic, "answer": "earlier",
             "correct": number != 1, "answered_at": f"2026-03-0{number + 1}T09:00:00+00:00"}
            for number, q in enumerate(first)
        ]
    )  # fmt: skip
    page = open_lesson(browser, *lab, "07_quiz.ipynb")
    try:
        own_progress(page, path)
        run_all(page)
        quiz = page.locator(f"{PANEL} .sarcoma-edu-quiz").first
        quiz.get_by_text("Welcome back").wait_for(timeout=10_000)
        text = quiz.inner_text()
        assert "answered 3 of the" in text and "2 of them right" in text and "You were at question 3 of" in text
        assert "Question 4 of" in text and "Question 1 of" not in text
        shot(page, "07_quiz_resumed.png")
        readme_shot(quiz, "quiz-resumed.png")
    finally:
        page.close()


def test_planner_chemotherapy_before_surgery_by_keyboard_draws_steps_in_order(browser, lab, tmp_path):
    """In 05 choosing chemotherapy before surgery with Space draws it first on the timeline, then the steps after it."""
    page = open_and_run(browser, lab, "05_treatment.ipynb", tmp_path / "progress.sqlite3")
    try:
        answer_predictions(page)  # the planner opens once the predictions it would settle are answered
        chemo_box = page.locator(".widget-radio:has(label:text-is('Chemotherapy'))")
        planner = page.locator(f"{PANEL} .jp-OutputArea-output").filter(has=chemo_box).first
        chemotherapy = planner.locator(".widget-radio:has(label:text-is('Chemotherapy'))")
        before = chemotherapy.get_by_label("Before surgery", exact=True)
        before.focus()
        page.keyboard.press("Space")
        page.wait_for_function(
            "(el) => /^chemotherapy before surgery/i"
            ".test(el.querySelector('.sarcoma-edu-plan ol li')?.innerText ?? '')",
            arg=planner.element_handle(),
            timeout=15_000,
        )
        planner.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
        page.wait_for_timeout(800)
        steps = planner.locator(".sarcoma-edu-plan ol li").all_inner_texts()
        assert steps and "chemotherapy" in steps[0].lower()
        assert any("surgery" in s.lower() for s in steps[1:])
        assert error_outputs(page) == []
        shot(page, "05_treatment_chemo_before.png")
        readme_clip(planner.get_by_text("Treatment choices", exact=True), planner.locator(".js-plotly-plot").first,
                    planner, "planner-chemo-before.png")  # fmt: skip
    finally:
        page.close()


def test_lesson_06_stage_mix_chosen_by_keyboard_without_code(browser, lab, tmp_path):
    """In 06 a histology chosen by keyboard in the stage mix explorer shows its patients' stage groups in words."""
    page = open_and_run(browser, lab, "06_cases.ipynb", tmp_path / "progress.sqlite3")
    try:
        answer_predictions(page)  # the stage mix explorer opens once the predictions it would settle are answered
        explorer = page.locator(f"{PANEL} .sarcoma-edu-stage-mix").first
        which = explorer.locator(".widget-dropdown:has(label:text-is('Which one')) select")
        choose(page, which, "angiosarcoma")
        wait_for_text(page, explorer, "the patients with angiosarcoma")
        text = explorer.inner_text()
        assert "Stage group" in text and "%" in text and "None" not in text
        questions = page.locator(f"{PANEL} .sarcoma-edu-cohort-questions").first
        asked = questions.locator(".widget-dropdown:has(label:text-is('Question')) select")
        choose(page, asked, "Mean age (years) by body site")
        wait_for_text(page, questions, "Mean age (years) by body site, over the")
        assert " years" in questions.inner_text() and "head and neck" in questions.inner_text()
        assert error_outputs(page) == []
        shot(page, "06_cases_stage_mix.png")
    finally:
        page.close()


def test_a_phase_moved_by_keyboard_keeps_the_focus_so_enter_moves_it_again(browser, lab, tmp_path):
    """In 05's ordering exercise, Enter on 'Move <phase> up' moves it, and Enter again moves the same phase further up,
    never back: the keyboard follows the moved phase, and at the top more Enters leave it first."""
    page = open_and_run(browser, lab, "05_treatment.ipynb", tmp_path / "progress.sqlite3")
    try:
        widget = page.locator(f"{PANEL} .sarcoma-edu-predict").filter(has_text="Put the phases")
        widget.scroll_into_view_if_needed()
        lines = widget.locator(".widget-hbox")
        last = lines.nth(lines.count() - 1).inner_text().split("\n")[0].split(". ", 1)[1].strip()
        widget.get_by_role("button", name=f"Move {last} up").focus()
        ordinals = ["1st", "2nd", "3rd"] + [f"{n}th" for n in range(4, lines.count() + 1)]
        focused = "label => (document.activeElement.innerText || '').trim() === label"
        for place in [*range(lines.count() - 1, 0, -1), 0]:  # up to the top one Enter at a time, then once more
            page.wait_for_function(focused, arg=f"Move {last} up")  # the kernel puts the keyboard on the moved phase
            page.keyboard.press("Enter")
            said = f"is now {ordinals[place - 1]} of" if place else f"is already 1st of {lines.count()}: it cannot"
            wait_for_text(page, widget, f"{last} {said}")
        assert lines.first.inner_text().startswith(f"1. {last}") and page.evaluate(focused, f"Move {last} up")
        shot(page, "05_ordering_at_the_top.png")
    finally:
        page.close()
