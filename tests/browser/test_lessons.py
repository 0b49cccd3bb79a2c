"""Every lesson in JupyterLab in chromium: Run All once, then read three ways.

One Run All per lesson (the ``lesson_run`` fixture, kept for the whole test process) serves the three
tests below, each with its own assertions. At 1366 by 768 pixels: what settles a prediction is read
before any answer, every prediction (and lesson 05's five drug questions) is answered by keyboard,
what it held back is read again, and the cut-off checks run, hover labels included. Then at 1400 by
1000: the screenshot, each figure's name, description and data table, and axe-core over the outputs.
Under ``pytest -n 2`` the root ``conftest.py`` sends the three tests of one lesson to one worker, so they
read that single run; run alone, any one of them makes the run it needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.browser.harness import (
    LESSONS,
    PANEL,
    REVEALS_JS,
    answer_predictions,
    answer_quiz,
    open_lesson,
    run_all,
)
from tests.browser.measures import cut_off, figure_problems
from tests.browser.pages import axe_violations, error_outputs, own_progress, shot

PREDICTION_LESSONS = [name for name in LESSONS if name[:2] <= "08"]
PROMISE = "will show here once you have answered"


@dataclass
class LessonRun:
    """What one Run All of a lesson showed, read at the moments the three tests look at it."""

    before: list[dict]  # each place holding a prediction's answer, right after Run All
    predictions: int  # prediction widgets on the page after Run All
    now_check_before: bool  # "Now check:" anywhere before any answer
    promised: int  # predictions that say what will show once answered
    answered: int  # predictions answered by keyboard
    after: list[dict]  # each place again, once every prediction is answered
    now_check_after: int
    cut_off: list[str]  # at 1366 by 768, predictions answered
    figures: list[str] = field(default_factory=list)  # at 1400 by 1000
    axe: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # after everything above


def _run_lesson(browser, lab, name: str, progress: Path) -> LessonRun:
    """Open the lesson at 1366 by 768, Run All, answer everything by keyboard, and read the page at each step."""
    lesson = name.removesuffix(".ipynb")
    page = open_lesson(browser, *lab, name)
    try:
        page.set_viewport_size({"width": 1366, "height": 768})
        page.wait_for_timeout(300)
        own_progress(page, progress)
        run_all(page)
        page.wait_for_timeout(1000)
        before = page.evaluate(REVEALS_JS, PANEL)
        widgets = page.locator(f"{PANEL} .sarcoma-edu-predict")
        predictions = widgets.count()
        now_check_before = "Now check:" in page.inner_text(PANEL)
        promised = len([w for w in widgets.all() if PROMISE in w.inner_text()])
        shot(page, f"{lesson}_before_answering.png")
        answered = answer_predictions(page)  # what they held back is read and measured too
        if name == "05_treatment.ipynb":  # "What would you watch for?": its table opens after the five questions
            answer_quiz(page, page.locator(f"{PANEL} .sarcoma-edu-quiz").first, 5)
        page.wait_for_timeout(1500)  # revealed figures finish drawing and their layout
        after = page.evaluate(REVEALS_JS, PANEL)
        now_check_after = page.inner_text(PANEL).count("Now check:")
        shot(page, f"{lesson}_after_answering.png")
        run = LessonRun(before, predictions, now_check_before, promised, answered, after, now_check_after,
                        cut_off(page))  # fmt: skip
        page.set_viewport_size({"width": 1400, "height": 1000})
        page.wait_for_timeout(500)
        shot(page, f"{lesson}.png")
        run.figures = figure_problems(page, name)
        run.axe = axe_violations(page)
        run.errors = error_outputs(page)
        return run
    finally:
        page.close()


@pytest.fixture(scope="session")
def lesson_run(browser, lab, tmp_path_factory):
    """Return, for a lesson's file name, its single run in this test process (made on first use)."""
    runs: dict[str, LessonRun | BaseException] = {}

    def run(name: str) -> LessonRun:
        if name not in runs:
            progress = tmp_path_factory.mktemp(name.removesuffix(".ipynb")) / "progress.sqlite3"
            try:
                runs[name] = _run_lesson(browser, lab, name, progress)
            except Exception as error:  # each of the lesson's tests reports it
                runs[name] = error
        result = runs[name]
        if isinstance(result, BaseException):
            raise result
        return result

    return run


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_runs_in_jupyterlab_without_errors_and_passes_axe(lesson_run, name):
    """Each lesson runs with no error output and, its predictions answered, each figure named and described and no
    serious or critical axe issue."""
    run = lesson_run(name)
    assert run.errors == []
    assert run.figures == [], "\n".join(run.figures)
    assert run.axe == [], "\n".join(run.axe)


@pytest.mark.parametrize("name", LESSONS)
def test_nothing_is_cut_off_at_1366_by_768(lesson_run, name):
    """At 1366 by 768, predictions answered, no figure title, axis label or hover text leaves its figure, no two texts
    of a figure run into each other, no table is wider than the lesson and no dropdown choice is cut."""
    run = lesson_run(name)
    assert not run.cut_off, "\n".join(dict.fromkeys(run.cut_off))


@pytest.mark.parametrize("name", PREDICTION_LESSONS)
def test_after_run_all_nothing_that_settles_a_prediction_shows_until_it_is_answered(lesson_run, name):
    """After Run All every place holding a prediction's answer is closed or empty; once the predictions (and lesson
    05's five drug questions) are answered, each one shows what it held back."""
    from sarcoma_edu.course.exercises import load_exercises

    predictions = [e for e in load_exercises(name.removesuffix(".ipynb")) if e.role == "predict"]
    run = lesson_run(name)
    shown = [r["text"] or r["kind"] for r in run.before if r["visible"] and r["filled"]]
    assert shown == [], f"shown before any answer: {shown}"
    assert run.predictions == len(predictions) and not run.now_check_before
    assert run.answered == len(predictions)
    boxes = [r for r in run.before if r["kind"] == "box"]
    after = [r for r in run.after if r["kind"] == "box"]
    assert len(after) == len(boxes) and all(r["visible"] and r["filled"] for r in after), after
    assert run.now_check_after == run.promised
    assert run.errors == []
