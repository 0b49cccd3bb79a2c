"""Real-browser test: JupyterLab and Voila in Debian's chromium, driven by Playwright.

It starts JupyterLab on a free localhost port (with a token) over a temporary copy of the lessons,
runs every lesson, checks that no cell shows an error, runs axe-core over every lesson's outputs,
drives the staging and FNCLCC calculators and a quiz question with the keyboard (focus then on "Next
question", under the feedback), reopens the quiz where the student was, checks at 1366 by 768 pixels that no
figure text, hover text, dropdown choice or widget label is cut off, opens the staging
lesson in Voila the way ``sarcoma-edu present`` does, and saves a screenshot of each page in
``screenshots/`` (git-ignored). With ``SARCOMA_EDU_README_SHOTS=docs/images`` (``make
screenshots``) it also refreshes the pictures the README shows.

In CI (``CI=true``) a missing browser fails the test; elsewhere it skips with the install command.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from sarcoma_edu.serve.servers import present_command, present_env
from tests.browser.harness import (
    AXE,
    LESSONS,
    PANEL,
    REVEALS_JS,
    ROOT,
    answer_predictions,
    answer_quiz,
    copy_lessons,
    free_port,
    launch,
    missing_pieces,
    open_lesson,
    run_all,
    shutdown_kernels,
    start_lab,
    start_server,
    stop,
)

SHOTS = ROOT / "screenshots"


def _require_browser() -> None:
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


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """A temporary copy of the lessons, so a run can never save outputs into the repository."""
    _require_browser()
    return copy_lessons(tmp_path_factory.mktemp("lessons"))


@pytest.fixture(scope="module")
def lab(workdir, tmp_path_factory) -> Iterator[tuple[str, str]]:
    """JupyterLab on a free localhost port with a token; yields (base URL, token)."""
    process, base, token = start_lab(workdir, tmp_path_factory.mktemp("settings"))
    yield base, token
    stop(process)


@pytest.fixture(autouse=True)
def _one_kernel_at_a_time(request):
    """After each test, shut down the kernels it started (pages closed leave their kernels running)."""
    yield
    if "lab" in request.fixturenames:
        shutdown_kernels(*request.getfixturevalue("lab"))


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium, headless, through Playwright (no browser download)."""
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = launch(playwright)
        yield instance
        instance.close()


def _open_and_run(browser, lab, name: str, progress: Path | None = None, answer: bool = False):
    """Open a lesson, run all cells, wait until every code cell has run; return the page.

    With ``progress`` the lesson's kernel saves to that file of the test's own (so no answer of another
    test is restored); with ``answer`` every prediction is then answered, so what it held back is on screen.
    """
    page = open_lesson(browser, *lab, name)
    if progress is not None:
        _own_progress(page, progress)
    run_all(page)
    if answer:
        answer_predictions(page)
        if name == "05_treatment.ipynb":  # "What would you watch for?": its table opens after the five questions
            answer_quiz(page, page.locator(f"{PANEL} .sarcoma-edu-quiz").first, 5)
        page.wait_for_timeout(1500)  # revealed figures finish drawing
    return page


# the calculator with its stage map in lesson 03: it opens once the lesson's first three predictions are answered
STAGING_03 = f"{PANEL} .sarcoma-edu-after-answering .sarcoma-edu-calculator"


def _open_03_with_its_calculator(browser, lab, progress: Path):
    """Open 03, run it, answer its three predictions by keyboard; return the page with the calculator open."""
    page = open_lesson(browser, *lab, "03_staging.ipynb")
    _own_progress(page, progress)
    run_all(page)
    assert page.locator(STAGING_03).count() == 0  # closed until the predictions are answered
    for exercise in ("A 12 cm high-grade sarcoma of the thigh", "An 8 cm high-grade sarcoma of the retro",
                     "The same 8 cm high-grade tumour"):  # fmt: skip
        widget = page.locator(f"{PANEL} .sarcoma-edu-predict").filter(has_text=exercise)
        _press(page, widget.locator(".sarcoma-edu-answer").first)
        widget.get_by_text("Your answer:").wait_for(timeout=15_000)
    page.locator(STAGING_03).wait_for(timeout=30_000)
    page.locator(f"{STAGING_03} ~ * .js-plotly-plot, {STAGING_03} .js-plotly-plot").first.wait_for(timeout=60_000)
    return page


def _errors(page) -> list[str]:
    return page.eval_on_selector_all(
        f'{PANEL} .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]',
        "nodes => nodes.map(n => n.textContent.slice(0, 300))",
    )


def _shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=False)


def _readme_shot(locator, name: str) -> None:
    """Save a picture of one widget for the README when SARCOMA_EDU_README_SHOTS names a folder."""
    folder = os.environ.get("SARCOMA_EDU_README_SHOTS")
    if folder:
        (ROOT / folder).mkdir(parents=True, exist_ok=True)
        locator.page.set_viewport_size({"width": 1400, "height": 2200})  # tall enough for a whole widget
        locator.page.wait_for_timeout(800)
        locator.scroll_into_view_if_needed()
        locator.screenshot(path=str(ROOT / folder / name))


def _readme_clip(top, bottom, container, name: str) -> None:
    """For the README (SARCOMA_EDU_README_SHOTS): the part of ``container`` from ``top`` to the end of ``bottom``."""
    folder = os.environ.get("SARCOMA_EDU_README_SHOTS")
    if not folder:
        return
    (ROOT / folder).mkdir(parents=True, exist_ok=True)
    page = top.page
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
    page.screenshot(path=str(ROOT / folder / name), clip=clip)


def _axe(page) -> list[str]:
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


# every figure output and the region after it that names and describes it (sarcoma_edu.display.figure_text)
_FIGURE_TEXTS_JS = """(panel) => [...document.querySelectorAll(panel + ' .js-plotly-plot')].map(plot => {
    const child = plot.closest('.jp-OutputArea-child');
    const next = child && child.nextElementSibling;
    const region = next && next.querySelector('.sarcoma-edu-figure-text[role="group"]');
    const described = region && document.getElementById(region.getAttribute('aria-describedby') || '');
    return {
        title: plot.querySelector('.gtitle')?.textContent || '',
        name: region ? (region.getAttribute('aria-label') || '').trim() : '',
        description: described ? described.textContent.trim() : '',
        table: region ? region.querySelectorAll('details table tr').length : 0,
    };
})"""
# the lessons that show at least one plotly figure (so the figure check checks something there)
FIGURE_LESSONS = {
    "01_what_is_sarcoma.ipynb",
    "02_grade.ipynb",
    "03_staging.ipynb",
    "04_metastasis.ipynb",
    "05_treatment.ipynb",
    "06_cases.ipynb",
    "07_quiz.ipynb",
}


def _figure_problems(page, name: str) -> list[str]:
    """Figures without a non-empty accessible name, description and data table next to them."""
    if name in FIGURE_LESSONS:  # the calculators draw their figure once the cell has run
        page.wait_for_function(
            "(panel) => document.querySelectorAll(panel + ' .js-plotly-plot').length > 0", arg=PANEL, timeout=30_000
        )
    page.wait_for_timeout(500)
    found = page.evaluate(_FIGURE_TEXTS_JS, PANEL)
    problems = []
    for number, figure in enumerate(found, start=1):
        checks = (
            ("no accessible name", figure["name"].startswith("Figure: ") and len(figure["name"]) > len("Figure: ")),
            ("no description", len(figure["description"]) > 20),
            ("no data table", figure["table"] > 1),
        )
        missing = [what for what, ok in checks if not ok]
        if missing:
            problems.append(f"figure {number} ({figure['title'][:60]!r}): {', '.join(missing)}")
    if name in FIGURE_LESSONS and not found:
        problems.append("no figure was drawn")
    return problems


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_runs_in_jupyterlab_without_errors_and_passes_axe(browser, lab, name, tmp_path):
    """Each lesson runs with no error output and, its predictions answered, each figure named and described and no
    serious or critical axe issue."""
    page = _open_and_run(browser, lab, name, tmp_path / "progress.sqlite3", answer=True)
    try:
        _shot(page, name.replace(".ipynb", ".png"))
        assert _errors(page) == []
        problems = _figure_problems(page, name)
        assert problems == [], "\n".join(problems)
        violations = _axe(page)
        assert violations == [], "\n".join(violations)
    finally:
        page.close()


def _badge(page) -> str:
    return page.locator(f"{PANEL} .sarcoma-edu-badge").first.inner_text()


def _wait_for_badge(page, text: str) -> None:
    """Wait until the calculator's badge on the page starts with ``text``."""
    page.wait_for_function(
        "([panel, text]) => document.querySelector(panel + ' .sarcoma-edu-badge')?.textContent.startsWith(text)",
        arg=[PANEL, text],
        timeout=10_000,
    )


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
        _wait_for_text(page, calculator, "Stage IIIB")  # the badge is redrawn: wait on the calculator around it
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
        _wait_for_text(page, calculator, "Stage IB")
        assert "larger than 10 cm but not larger than 15 cm (T3), low grade (G1)" in calculator.inner_text()
        _readme_shot(calculator, "staging-calculator.png")
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
        assert calculator.locator(".sarcoma-edu-badge").inner_text() == "Stage IB"
        _shot(page, "03_staging_keyboard.png")
    finally:
        page.close()


def test_fnclcc_calculator_by_keyboard(browser, lab, tmp_path):
    """In 02_grade typing mitoses and necrosis with the keyboard turns grade 2 into grade 3."""
    page = _open_and_run(browser, lab, "02_grade.ipynb", tmp_path / "progress.sqlite3")
    try:
        assert _badge(page).startswith("Grade 2")
        mitoses = page.get_by_label("Mitoses per 10 high-power fields")
        mitoses.click()
        page.keyboard.press("Control+A")
        page.keyboard.type("25")
        page.keyboard.press("Tab")  # moves to the necrosis box
        page.keyboard.press("Control+A")
        page.keyboard.type("60")
        page.keyboard.press("Tab")
        _wait_for_badge(page, "Grade 3")
        _shot(page, "02_grade_keyboard.png")
        _readme_shot(page.locator(f"{PANEL} .sarcoma-edu-calculator").first, "fnclcc-calculator.png")
    finally:
        page.close()


def test_staging_lesson_in_voila_hides_code(browser, tmp_path):
    """Presented as `sarcoma-edu present` does it, the staging lesson shows no code and fetches nothing from another
    machine; the room's three answers open the calculator and its stage map."""
    _require_browser()
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
        _shot(page, "03_staging_voila.png")
        heading = page.get_by_role("heading", name="Staging calculator", exact=True)
        _readme_clip(heading, page.locator(".sarcoma-edu-after-answering .js-plotly-plot").first,
                     page.locator("#rendered_cells"), "staging-voila.png")  # fmt: skip
    finally:
        page.close()
        stop(process)


def _own_progress(page, path: Path) -> None:
    """Point the lesson's kernel at a progress file of the test's own, before any cell runs (never a real one)."""
    page.evaluate(
        """async (path) => {
            const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
            const code = `import os\\nos.environ['SARCOMA_EDU_PROGRESS'] = ${JSON.stringify(path)}`;
            await kernel.requestExecute({code, silent: true}).done;
        }""",
        str(path),
    )


def test_quiz_question_answered_by_keyboard_shows_feedback(browser, lab, tmp_path):
    """In 07_quiz, an answer chosen with Space shows verdict and source, stays marked, and focus moves to Next."""
    page = open_lesson(browser, *lab, "07_quiz.ipynb")
    try:
        _own_progress(page, tmp_path / "progress.sqlite3")
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
        _shot(page, "07_quiz_answered.png")
        _readme_shot(quiz, "quiz.png")
        page.keyboard.press("Space")  # the focused Next question
        quiz.get_by_text("Question 2 of").wait_for(timeout=10_000)
    finally:
        page.close()


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


def _press(page, locator) -> None:
    """Focus a control and press Space on it, as a keyboard user does after tabbing to it."""
    locator.focus()
    page.keyboard.press("Space")


def test_tumour_board_case_worked_by_keyboard_in_jupyterlab_and_a_step_revealed_in_voila(browser, lab, tmp_path):
    """In 08 a case is worked to its summary and what-if by keyboard; in Voila a presenter step passes axe."""
    from sarcoma_edu.course.case_files import load_cases

    case = next(c for c in load_cases() if c.id == "head-neck")
    page = _open_and_run(browser, lab, "08_tumour_board.ipynb")
    try:
        board = page.locator(f"{PANEL} .sarcoma-edu-tumour-board")
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
            _press(page, board.locator(".sarcoma-edu-answer", has_text=choice).first)
            board.get_by_text("Source:").first.wait_for(timeout=10_000)
            verdict = "✗ Not quite." if number == 1 else "✓ Correct."
            assert verdict in board.inner_text()
            if number == 2:
                _shot(page, "08_tumour_board_step.png")
                _readme_shot(board, "tumour-board-step.png")
            label = "Next step" if number < len(case.steps) else "See the summary"
            _press(page, board.get_by_role("button", name=label))
        board.get_by_text("Score: 4 right out of 5 answered.").wait_for(timeout=10_000)
        board.locator(".js-plotly-plot").wait_for(timeout=60_000)
        new_site = board.get_by_label("New site")  # what if the same tumour were on a limb?
        new_site.focus()
        page.keyboard.press("Alt+ArrowDown")
        page.keyboard.press("ArrowDown")  # trunk -> extremity
        page.keyboard.press("Enter")
        _press(page, board.get_by_role("button", name="Show what changes"))
        board.get_by_text("computed answers change").wait_for(timeout=10_000)
        assert "No stage group → Stage II" in board.inner_text()
        assert _errors(page) == []
        violations = _axe(page)
        assert violations == [], "\n".join(violations)
        _shot(page, "08_tumour_board_summary.png")
        _readme_shot(board, "tumour-board-summary.png")
    finally:
        page.close()

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
        _press(page, board.get_by_role("button", name="Start this case"))
        board.get_by_text("Step 1 of").wait_for(timeout=10_000)
        _press(page, board.locator(".sarcoma-edu-answer").first)
        board.get_by_text("The room chose:").wait_for(timeout=10_000)
        assert "Source:" not in board.inner_text()  # the answer stays hidden until Reveal
        _press(page, board.get_by_role("button", name="Reveal"))
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
        _shot(page, "08_tumour_board_voila.png")
    finally:
        page.close()
        stop(process)


def _choose(page, select, text: str) -> None:
    """Choose the option that reads ``text`` in a drop-down by keyboard (Alt+Down, arrows, Enter)."""
    select.focus()
    options = select.evaluate("s => [...s.options].map(o => o.text.replaceAll('\\u00a0', ' '))")
    steps = options.index(text.replace("\u00a0", " ")) - select.evaluate("s => s.selectedIndex")
    page.keyboard.press("Alt+ArrowDown")
    for _ in range(abs(steps)):
        page.keyboard.press("ArrowDown" if steps > 0 else "ArrowUp")
    page.keyboard.press("Enter")


def _tick_by_keyboard(page, choices, starting: str) -> None:
    """Choose, among radio choices, the one whose words start with ``starting``: focus it and press Space."""
    choice = choices.locator("label").filter(has_text=starting).first.locator("input[type=radio]")
    choice.focus()
    page.keyboard.press("Space")


def _wait_for_text(page, locator, text: str) -> None:
    page.wait_for_function("([el, text]) => el.innerText.includes(text)", arg=[locator.element_handle(), text])


def test_staging_calculator_extent_by_keyboard_for_head_and_neck_and_visceral(browser, lab, tmp_path):
    """In 03 the Invasion and Extent inputs appear for their sites and are set by keyboard: T4a, then T4b by sites."""
    page = _open_03_with_its_calculator(browser, lab, tmp_path / "progress.sqlite3")
    try:
        calculator = page.locator(STAGING_03)
        site = calculator.locator(".widget-dropdown:has(label:text-is('Site of the tumour')) select")
        extent = calculator.locator(".widget-radio:has(label:text-is('Invasion'))")
        assert extent.count() == 0 or not extent.is_visible()  # hidden for a limb
        _choose(page, site, "Head and neck")
        extent.wait_for(state="visible", timeout=10_000)
        size = calculator.get_by_label("Greatest size (cm)")
        size.click()
        page.keyboard.press("Control+A")
        page.keyboard.type("1.5")
        page.keyboard.press("Tab")
        _wait_for_text(page, calculator, "T1; no invasion of adjoining structures given")
        _tick_by_keyboard(page, extent, "T4a")  # a long choice, written out in full (it wraps)
        _wait_for_text(page, calculator, "invasion decides T4")
        choice = extent.locator("label", has_text="T4a")
        assert choice.evaluate("l => l.scrollWidth <= l.clientWidth + 1 && l.innerText.includes('pterygoid muscles')")
        badge = calculator.locator(".sarcoma-edu-badge").inner_text()
        assert "T4a" in calculator.inner_text() and "No stage group" in badge
        _readme_shot(calculator, "staging-head-and-neck.png")
        _shot(page, "03_staging_head_and_neck.png")

        _choose(page, site, "Abdominal and thoracic visceral organs")
        visceral = calculator.locator(".widget-radio:has(label:text-is('Extent'))")
        visceral.wait_for(state="visible", timeout=10_000)
        _tick_by_keyboard(page, visceral, "T4a-T4c")
        sites = calculator.get_by_label("Number of sites", exact=True)
        sites.wait_for(state="visible", timeout=10_000)
        sites.click()
        page.keyboard.press("Control+A")
        page.keyboard.type("4")
        page.keyboard.press("Tab")
        _wait_for_text(page, calculator, "found in 3 to 5 places")
        assert "found in 3 to 5 places" in calculator.inner_text()
        _readme_shot(calculator, "staging-visceral.png")
        _shot(page, "03_staging_visceral.png")
        assert _errors(page) == []
    finally:
        page.close()


def test_prediction_answered_by_keyboard_reveals_the_calculator_only_afterwards(browser, lab, tmp_path):
    """In 03 the retroperitoneal prediction is answered by keyboard; only then do the feedback and calculator show."""
    page = open_lesson(browser, *lab, "03_staging.ipynb")
    _own_progress(page, tmp_path / "progress.sqlite3")  # never answers another test gave (they would be shown)
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
        _shot(page, "03_staging_prediction_before.png")
        _readme_shot(widget, "exercise-before.png")
        _press(page, widget.get_by_role("button", name="IIIB", exact=True))
        widget.get_by_text("Now check:").wait_for(timeout=15_000)
        page.wait_for_function(
            "() => [...document.querySelectorAll('.sarcoma-edu-exercise .sarcoma-edu-badge')]"
            ".some(b => b.textContent.startsWith('Stage IIIB'))",
            timeout=15_000,
        )
        after = widget.inner_text()
        assert "✓ Correct." in after and "Source: AJCC8" in after and "Saved with your progress" in after
        assert widget.locator("[role=alert]").count() == 0
        assert _errors(page) == []
        violations = _axe(page)
        assert violations == [], "\n".join(violations)
        _shot(page, "03_staging_prediction_after.png")
        _readme_shot(widget, "exercise-after.png")
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
        _own_progress(page, path)
        run_all(page)
        quiz = page.locator(f"{PANEL} .sarcoma-edu-quiz").first
        quiz.get_by_text("Welcome back").wait_for(timeout=10_000)
        text = quiz.inner_text()
        assert "answered 3 of the" in text and "2 of them right" in text and "You were at question 3 of" in text
        assert "Question 4 of" in text and "Question 1 of" not in text
        _shot(page, "07_quiz_resumed.png")
        _readme_shot(quiz, "quiz-resumed.png")
    finally:
        page.close()


def test_planner_chemotherapy_before_surgery_by_keyboard_draws_steps_in_order(browser, lab):
    """In 05 choosing chemotherapy before surgery with Space draws it first on the timeline, then the steps after it."""
    page = _open_and_run(browser, lab, "05_treatment.ipynb")
    try:
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
        assert _errors(page) == []
        _shot(page, "05_treatment_chemo_before.png")
        _readme_clip(planner.get_by_text("Treatment choices", exact=True), planner.locator(".js-plotly-plot").first,
                     planner, "planner-chemo-before.png")  # fmt: skip
    finally:
        page.close()


# What "cut off" means, measured in the page: a figure's text (title, axis title, tick label, legend,
# annotation, Sankey label) outside the figure's own box, a figure wider than its output, hover text
# outside the figure, a widget label cut short, or a dropdown narrower than its longest choice.
_CUT_OFF_JS = """(panel) => {
    const found = [];
    const inside = (r, box, slack = 2) => r.left >= box.left - slack && r.right <= box.right + slack
        && r.top >= box.top - slack && r.bottom <= box.bottom + slack;
    const words = (el) => (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 70);
    const root = document.querySelector(panel);
    for (const plot of root.querySelectorAll('.js-plotly-plot')) {
        const box = plot.getBoundingClientRect();
        const output = plot.closest('.jp-OutputArea-output')?.getBoundingClientRect();
        if (output && box.right > output.right + 2) {
            found.push(`figure wider than its output: ${words(plot.querySelector('.gtitle') || plot)}`);
        }
        const texts = plot.querySelectorAll(['.gtitle', '.xtitle', '.ytitle', '.annotation-text', '.legendtext',
            '.node-label', '.xtick text', '.ytick text', '.g-xtitle text', '.g-ytitle text'].join(', '));
        for (const text of texts) {
            const r = text.getBoundingClientRect();
            if (!words(text) || r.width === 0) continue;
            if (!inside(r, box)) found.push(`figure text outside its figure: "${words(text)}"`);
        }
    }
    const canvas = document.createElement('canvas').getContext('2d');
    for (const select of root.querySelectorAll('.jp-OutputArea .widget-dropdown select')) {
        if (!select.offsetParent) continue;
        const style = getComputedStyle(select);
        canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        // the right padding holds the arrow: what is left is the room for the chosen text
        const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        for (const option of select.options) {
            if (canvas.measureText(option.text).width > room + 1) {
                found.push(`dropdown choice cut off: "${option.text.slice(0, 70)}"`);
            }
        }
    }
    // tick boxes one under another: the words of a label wrapped onto two lines must not run into the next one's
    const inked = (box) => {  // where the label's words are drawn
        const range = document.createRange();
        range.selectNodeContents(box.querySelector('.widget-label-basic') || box);
        return range.getBoundingClientRect();
    };
    for (const list of root.querySelectorAll('.jp-OutputArea .widget-vbox')) {
        const boxes = [...list.children].filter(c => c.classList.contains('widget-checkbox') && c.offsetParent);
        for (let k = 1; k < boxes.length; k++) {
            if (inked(boxes[k - 1]).bottom > inked(boxes[k]).top + 2) {
                found.push(`tick-box labels overlap: "${words(boxes[k - 1])}"`);
            }
        }
    }
    const labels = '.jp-OutputArea .widget-label, .jp-OutputArea .widget-inline-hbox > label';
    for (const label of root.querySelectorAll(labels)) {
        if (!label.offsetParent || !words(label)) continue;
        if (label.scrollWidth > label.clientWidth + 1) found.push(`widget label cut off: "${words(label)}"`);
    }
    return found;
}"""

_HOVER_JS = """(plot) => {
    const box = plot.getBoundingClientRect();
    return [...plot.querySelectorAll('.hoverlayer .hovertext, .hoverlayer .axistext')]
        .filter(h => { const r = h.getBoundingClientRect(); return r.width > 0 && (r.left < box.left - 2
            || r.right > box.right + 2 || r.top < box.top - 2 || r.bottom > box.bottom + 2); })
        .map(h => `hover text outside its figure: "${(h.textContent || '').trim().slice(0, 70)}"`);
}"""


def _hover_everywhere(page) -> list[str]:
    """Move the mouse over a grid of points on every figure; return each hover label that leaves its figure."""
    found: list[str] = []
    plots = page.locator(f"{PANEL} .js-plotly-plot")
    height = page.viewport_size["height"]
    for index in range(plots.count()):
        plot = plots.nth(index)
        plot.scroll_into_view_if_needed()
        page.wait_for_timeout(200)
        box = plot.bounding_box()
        if box is None:
            continue
        top, bottom = max(box["y"], 0), min(box["y"] + box["height"], height)
        for row in range(1, 6):
            for column in range(1, 10):
                page.mouse.move(box["x"] + box["width"] * column / 10, top + (bottom - top) * row / 6)
                page.wait_for_timeout(40)
                found += plot.evaluate(_HOVER_JS)
        page.mouse.move(1, 1)
    return found


@pytest.mark.parametrize("name", LESSONS)
def test_nothing_is_cut_off_at_1366_by_768(browser, lab, name, tmp_path):
    """At 1366 by 768, predictions answered, no figure title, axis label or hover text leaves its figure, no dropdown
    choice is cut."""
    page = open_lesson(browser, *lab, name)
    try:
        page.set_viewport_size({"width": 1366, "height": 768})
        page.wait_for_timeout(300)
        _own_progress(page, tmp_path / "progress.sqlite3")
        run_all(page)
        answer_predictions(page)  # what they held back is measured too
        if name == "05_treatment.ipynb":
            answer_quiz(page, page.locator(f"{PANEL} .sarcoma-edu-quiz").first, 5)
        page.wait_for_timeout(1500)  # figures finish their layout
        problems = list(page.evaluate(_CUT_OFF_JS, PANEL))
        problems += _hover_everywhere(page)
        assert not problems, "\n".join(dict.fromkeys(problems))
    finally:
        page.close()


def test_lesson_06_stage_mix_chosen_by_keyboard_without_code(browser, lab):
    """In 06 a histology chosen by keyboard in the stage mix explorer shows its patients' stage groups in words."""
    page = _open_and_run(browser, lab, "06_cases.ipynb")
    try:
        explorer = page.locator(f"{PANEL} .sarcoma-edu-stage-mix").first
        which = explorer.locator(".widget-dropdown:has(label:text-is('Which one')) select")
        _choose(page, which, "angiosarcoma")
        _wait_for_text(page, explorer, "the patients with angiosarcoma")
        text = explorer.inner_text()
        assert "Stage group" in text and "%" in text and "None" not in text
        questions = page.locator(f"{PANEL} .sarcoma-edu-cohort-questions").first
        asked = questions.locator(".widget-dropdown:has(label:text-is('Question')) select")
        _choose(page, asked, "Mean age (years) by body site")
        _wait_for_text(page, questions, "Mean age (years) by body site, over the")
        assert " years" in questions.inner_text() and "head and neck" in questions.inner_text()
        assert _errors(page) == []
        _shot(page, "06_cases_stage_mix.png")
    finally:
        page.close()


HOSTILE = '<a href="javascript:alert(1)">x</a>'


def test_a_hostile_student_name_in_the_class_report_is_text_not_a_link(browser, tmp_path):
    """Plotly reads HTML in axis labels, hover and text: a student's `<a href="javascript:...">` shows as those
    characters in every figure of the class report, is no link, and clicking or hovering it runs nothing."""
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
    export("ana", HOSTILE, [(HOSTILE, "B", False), ("q2", "K", True), ("q3", "X", True)])
    export("ben", "ben", [(HOSTILE, "B", False), ("q2", "K", True), ("q3", "X", True)])
    export("cai", "cai", [(HOSTILE, "A", True), ("q2", "D", False), ("q3", "Y", False)])
    out = write_report(class_report(tmp_path), tmp_path / "class-report.html")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(out.as_uri())
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 4", timeout=60_000)
    links = page.eval_on_selector_all(".js-plotly-plot a", "nodes => nodes.map(n => n.outerHTML)")
    assert links == [], f"plotly made links from a student's text: {links}"
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
    assert dialogs == [] and page.url == out.as_uri()
    _shot(page, "class-report-hostile-name.png")
    page.close()


PREDICTION_LESSONS = [name for name in LESSONS if name[:2] <= "08"]


@pytest.mark.parametrize("name", PREDICTION_LESSONS)
def test_after_run_all_nothing_that_settles_a_prediction_shows_until_it_is_answered(browser, lab, name, tmp_path):
    """After Run All every place holding a prediction's answer is closed or empty; once the predictions (and lesson
    05's five drug questions) are answered, each one shows what it held back."""
    from sarcoma_edu.course.exercises import load_exercises

    lesson = name.removesuffix(".ipynb")
    predictions = [e for e in load_exercises(lesson) if e.role == "predict"]
    page = open_lesson(browser, *lab, name)
    try:
        page.set_viewport_size({"width": 1366, "height": 768})
        _own_progress(page, tmp_path / "progress.sqlite3")
        run_all(page)
        page.wait_for_timeout(1000)
        before = page.evaluate(REVEALS_JS, PANEL)
        shown = [r["text"] or r["kind"] for r in before if r["visible"] and r["filled"]]
        assert shown == [], f"shown before any answer: {shown}"
        widgets = page.locator(f"{PANEL} .sarcoma-edu-predict")
        assert widgets.count() == len(predictions) and "Now check:" not in page.inner_text(PANEL)
        boxes = [r for r in before if r["kind"] == "box"]
        promise = "will show here once you have answered"
        with_reveal = [w.inner_text() for w in widgets.all() if promise in w.inner_text()]
        _shot(page, f"{lesson}_before_answering.png")
        assert answer_predictions(page) == len(predictions)
        if name == "05_treatment.ipynb":
            answer_quiz(page, page.locator(f"{PANEL} .sarcoma-edu-quiz").first, 5)
        page.wait_for_timeout(1500)
        after = [r for r in page.evaluate(REVEALS_JS, PANEL) if r["kind"] == "box"]
        assert len(after) == len(boxes) and all(r["visible"] and r["filled"] for r in after), after
        assert page.inner_text(PANEL).count("Now check:") == len(with_reveal)
        assert _errors(page) == []
        _shot(page, f"{lesson}_after_answering.png")
    finally:
        page.close()


def test_on_the_projector_the_tumour_boards_buttons_keep_their_labels_and_figures_their_large_text(browser, tmp_path):
    """`present 08 --large-text` at 1280 x 720: 'Start this case' and 'Practise my mistakes' show their whole label,
    the page says nothing of running cells or of the presenter's progress, and a case's timeline text is 18 px or more.
    """
    _require_browser()
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
        board.scroll_into_view_if_needed()
        _shot(page, "08_tumour_board_projector.png")
        case = board.get_by_label("Case", exact=True)
        case.select_option(index=0)
        board.get_by_role("button", name="Start this case").click()
        while board.get_by_role("button", name="See the summary").count() == 0 or (
            board.get_by_role("button", name="See the summary").is_disabled()
        ):
            board.locator(".sarcoma-edu-answer:not([disabled])").first.click()
            board.get_by_role("button", name="Reveal").click()
            board.get_by_text("Source:").first.wait_for(timeout=10_000)
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
        _shot(page, "08_tumour_board_projector_timeline.png")
    finally:
        page.close()
        stop(process)


def test_a_phase_moved_by_keyboard_keeps_the_focus_so_enter_moves_it_again(browser, lab, tmp_path):
    """In 05's ordering exercise, Enter on 'Move <phase> up' moves it, and Enter again moves the same phase further up,
    never back: the keyboard follows the moved phase."""
    page = _open_and_run(browser, lab, "05_treatment.ipynb", tmp_path / "progress.sqlite3")
    try:
        widget = page.locator(f"{PANEL} .sarcoma-edu-predict").filter(has_text="Put the phases")
        widget.scroll_into_view_if_needed()
        lines = widget.locator(".widget-hbox")
        last = lines.nth(lines.count() - 1).inner_text().split("\n")[0].split(". ", 1)[1].strip()
        widget.get_by_role("button", name=f"Move {last} up").focus()
        page.keyboard.press("Enter")
        _wait_for_text(page, widget, f"{last} is now {['1st', '2nd', '3rd'][lines.count() - 2]} of")
        page.keyboard.press("Enter")
        _wait_for_text(page, widget, f"{last} is now {['1st', '2nd', '3rd'][lines.count() - 3]} of")
        focused = page.evaluate("document.activeElement.innerText || document.activeElement.textContent")
        assert focused.strip() == f"Move {last} up"
    finally:
        page.close()
