"""The test run's own rules: which tests are slow, what shares a worker, and nbval's checked outputs.

**Slow tests.** ``make check`` runs ``pytest -m "not slow"``; ``SLOW`` below is the one place that says
which tests are slow (a real browser, hub or server, a lesson run top to bottom, a subprocess that
installs or starts Python many times, or simply over a few seconds), by folder, file or test. A
``make check`` run ends by listing any test it ran that took longer than ``REPORT_OVER`` seconds, so a new
slow test is noticed and added here.

**Workers.** ``make test`` and ``make check`` run on three workers (``pytest -n 3``; the Makefile says
why). The scheduler below sends the tests that must share a worker to one worker, in order: the cells of one
notebook (nbval runs
them in one kernel) and then the lesson's table and predictions-first tests (they read that run,
``tests/lessons/lesson_runs.py``),
the hub class (one hub for all its tests), and one lesson's browser tests (one Run All read three ways);
every other slow test goes on its own, and the quick tests of one file go together (their module fixtures
are then built once). The groups are chosen by test id here, not by xdist's ``xdist_group`` marker, which
pytest 9.2 no longer passes on. The longest groups are handed out first (a hub class, a lesson run, a
browser test, then the other slow tests, then the files of quick tests, biggest first), so that no long
group starts last and leaves one worker running alone at the end.

**Checked outputs.** nbval compares a cell's new output with the output stored in the notebook, and skips the
comparison when the stored cell never ran. Our notebooks are committed stripped, so the expected
output of every cell tagged ``nbval-check-output`` (cell metadata, invisible to students) lives in
``tests/notebook_outputs.json`` (keyed by notebook and cell id, reviewed like any test expectation)
and is put back into the cell here before nbval runs it. A tagged cell with no recorded
expectation, or whose code changed since its expectation was recorded, fails with a message
saying how to record it.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent
EXPECTED = ROOT / "tests" / "notebook_outputs.json"
TAG = "nbval-check-output"
MISSING = "no expected output is recorded for this cell: run `make expected` and review the diff\n"
STALE = (
    "this cell's code changed since its expected output was recorded in tests/notebook_outputs.json: "
    "run `make expected` and review the diff\n"
)


# Why tests are slow, and which: a folder/, a file (every test in it) or a file::test (every parameter of it).
SLOW = {
    "a real browser, a hub, or a lesson run top to bottom by nbval": ["notebooks/", "tests/browser/", "tests/hub/"],
    "starts JupyterLab, Voila, kernels or several Python processes": [
        "tests/serve/test_serving.py",
        "tests/serve/test_kernel_drawing.py",
        "tests/serve/test_lab_settings.py::test_a_jupyterlab_started_with_the_defaults_serves_them",
        "tests/progress/test_progress_migration.py::test_several_processes_opening_one_old_file_at_once_upgrade_it_once",
        "tests/progress/test_progress_corrupt.py::test_four_processes_on_one_broken_file_make_one_copy_and_keep_every_answer",
        "tests/progress/test_progress.py::test_several_processes_recording_at_once_lose_nothing",
        "tests/progress/test_progress.py::test_eight_notebooks_starting_one_new_progress_file_at_once_all_save_their_first_answer",
        "tests/live/test_many_students.py",
        "tests/live/test_unix_users.py",
    ],
    "runs every lesson, pytest, the guide's commands or the scripts": [
        "tests/lessons/test_lesson_tables.py::test_every_table_a_lesson_shows_is_whole_and_without_row_numbers",
        "tests/lessons/test_predictions_first.py::test_after_run_all_nothing_that_settles_a_prediction_is_on_screen",
        "tests/lessons/test_predictions_first.py::test_a_cell_that_waits_shows_only_what_it_waits_for_until_answered",
        "tests/lessons/test_notebook_outputs.py",
        "tests/lessons/test_teaching_guide.py::test_the_guides_snippets_run_as_written",
        "tests/lessons/test_teaching_guide.py::test_the_guides_content_folder_commands_run_as_written",
        "tests/live/test_guide.py::test_the_guides_poll_commands_run_as_written",
        "tests/repo/test_install.py::test_built_wheel_stages_a_case_outside_the_repo",
        "tests/repo/test_make_lab.py::test_the_lesson_copies_are_made_and_an_edited_one_is_kept",
        "tests/repo/test_repo.py::test_stated_number_of_quiz_questions_is_the_number_in_the_banks",
        "tests/course/test_coverage.py::test_the_coverage_table_in_the_teaching_guide_is_up_to_date",
        "tests/cli/test_cli.py::test_a_long_bank_check_report_to_a_full_disk_ends_with_one_line",
    ],
    "generates a great many cases or cohorts": [
        "tests/course/test_cases.py::test_a_generated_case_whose_story_says_every_metastasis_can_be_removed_plans_their_removal",
        "tests/clinical/test_cohort.py::test_a_thousand_generated_cohorts_have_no_impossible_patients",
        "tests/course/test_quiz.py::test_every_generated_question_over_3000_seeds_is_keyed_by_the_library_and_no_feedback_contradicts_it",
        "tests/course/test_quiz.py::test_generated_answer_is_the_librarys_answer_and_distractors_differ",
        "tests/course/test_spread_keys.py",
    ],
    "recomputes every computed key once per changed table row": [
        "tests/course/test_key_check.py::test_each_stage_group_row_changed_reports_every_item_resting_on_it_and_nothing_else",
    ],
}
REPORT_OVER = 5.0  # seconds: a test not marked slow that takes longer is listed at the end of `make check`


def _slow(nodeid: str) -> bool:
    """Whether ``SLOW`` names this test, by its folder, its file or its name."""
    for where in (where for places in SLOW.values() for where in places):
        if where.endswith("/"):
            found = nodeid.startswith(where)
        elif where.endswith((".py", ".ipynb")):
            found = nodeid.startswith(where + "::")
        else:
            found = nodeid == where or nodeid.startswith(where + "[")
        if found:
            return True
    return False


def pytest_configure(config):
    """Register the `slow` marker; keep quiz progress written by tests and lesson runs out of the user's home."""
    config.addinivalue_line(
        "markers",
        "slow: over a few seconds or needs a browser, hub or server; `make check` leaves it out (conftest.py)",
    )
    if "SARCOMA_EDU_PROGRESS" not in os.environ:
        folder = tempfile.mkdtemp(prefix="sarcoma-edu-test-progress-")
        os.environ["SARCOMA_EDU_PROGRESS"] = os.path.join(folder, "progress.sqlite3")


def _source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


# a lesson's table test reads nbval's run of the lesson (tests/lessons/lesson_runs.py) when it runs right after it
TABLE_TEST = "tests/lessons/test_lesson_tables.py::test_every_table_a_lesson_shows_is_whole_and_without_row_numbers"
# so do its predictions-first tests: what was on screen before any answer, and after
LESSON_RUN_TESTS = (
    TABLE_TEST,
    "tests/lessons/test_predictions_first.py::test_after_run_all_nothing_that_settles_a_prediction_is_on_screen",
    "tests/lessons/test_predictions_first.py::test_a_cell_that_waits_shows_only_what_it_waits_for_until_answered",
)


def _run_reader(nodeid: str) -> str:
    """The lesson file a test of LESSON_RUN_TESTS reads (its parameter's id), or "" for any other test."""
    test = next((t for t in LESSON_RUN_TESTS if nodeid.startswith(t + "[") and nodeid.endswith("]")), "")
    return nodeid[len(test) + 1 : -1] if test else ""


_LAST_CELLS: set[str] = set()  # the ids of the lessons' last nbval cells whose table test comes next


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects
def pytest_collection_modifyitems(session, config, items):
    """Mark the slow tests, give nbval's checked cells their expected outputs, and put each lesson's table test
    right after the lesson's last cell."""
    for item in items:
        if _slow(item.nodeid):
            item.add_marker(pytest.mark.slow)
    _put_back_expected_outputs(items)
    _tables_after_their_lessons(items)


def _tables_after_their_lessons(items) -> None:
    """Move each lesson's table and predictions-first tests to just after its last nbval cell, whose run they read."""
    readers: dict[str, list] = {}
    for item in items:
        if _run_reader(item.nodeid):
            readers.setdefault(_run_reader(item.nodeid), []).append(item)
    last_cells = {Path(str(item.parent.fspath)).name: item for item in items if getattr(item, "cell", None) is not None}
    for lesson, cell in last_cells.items():
        for offset, reader in enumerate(readers.get(lesson, ()), start=1):
            items.remove(reader)
            items.insert(items.index(cell) + offset, reader)
            _LAST_CELLS.add(cell.nodeid)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After a lesson's last cell has run in nbval's kernel, keep what the lesson showed for its table test."""
    result = yield
    if item.nodeid in _LAST_CELLS:
        from tests.lessons.lesson_runs import keep_from_nbval

        with contextlib.suppress(Exception):  # nothing kept: the table test runs the lesson itself
            keep_from_nbval(item)
    return result


def worker_group(nodeid: str) -> str:
    """The tests one worker runs together, in order, named by this test's id (its own id when it goes alone)."""
    path, _, name = nodeid.partition("::")
    if path.startswith(("notebooks/", "tests/hub/")):  # a notebook's cells; the hub class
        return path
    if _run_reader(nodeid):  # a lesson's table or predictions-first test, with the lesson it reads
        return f"notebooks/{_run_reader(nodeid)}"
    if path == "tests/live/test_unix_users.py":  # one set of temporary Unix users for all its tests
        return path
    if path == "tests/browser/test_lessons.py" and name.endswith("]"):  # one lesson's Run All, read three ways
        return f"{path}[{name.split('[', 1)[1]}"
    if _slow(nodeid):
        return nodeid
    return path  # the quick tests of one file


# Rough seconds a group takes on two busy cores, only to hand out the longest first (the order, not the figures,
# matters): a hub class; a lesson run by nbval or in the browser; any other slow test; a quick test.
_GROUP_SECONDS = (("tests/hub/", 120.0), ("notebooks/", 40.0), ("tests/browser/", 35.0))
_SLOW_SECONDS, _QUICK_SECONDS = 10.0, 0.03


def group_seconds(group: str, nodeids: list[str]) -> float:
    """An estimate of how long a group of tests runs, by where it lives and how many quick tests it has."""
    for prefix, seconds in _GROUP_SECONDS:
        if group.startswith(prefix):
            return seconds
    return sum(_SLOW_SECONDS if _slow(nodeid) else _QUICK_SECONDS for nodeid in nodeids)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """Under ``-n`` (xdist's default ``--dist load``), keep each of ``worker_group``'s groups on one worker."""
    if config.getvalue("dist") != "load":
        return None  # an explicit --dist loadfile, loadscope, ... is xdist's own
    from xdist.scheduler import LoadScopeScheduling

    class TogetherScheduling(LoadScopeScheduling):
        """xdist's scope scheduler with ``worker_group`` as the scope, the longest groups handed out first."""

        _ordered = False

        def _split_scope(self, nodeid: str) -> str:
            return worker_group(nodeid)

        def _assign_work_unit(self, node) -> None:
            if not self._ordered:  # the queue is complete on the first hand-out: order it once, longest first
                queue = sorted(self.workqueue.items(), key=lambda unit: -group_seconds(unit[0], list(unit[1])))
                self.workqueue.clear()
                self.workqueue.update(queue)
                self._ordered = True
            super()._assign_work_unit(node)

    return TogetherScheduling(config, log)


def _put_back_expected_outputs(items) -> None:
    """Give every nbval cell tagged nbval-check-output its recorded expected output."""
    expected = json.loads(EXPECTED.read_text(encoding="utf-8")) if EXPECTED.exists() else {}
    for item in items:
        cell = getattr(item, "cell", None)
        if cell is None or TAG not in cell.get("metadata", {}).get("tags", []):
            continue
        notebook = Path(str(item.parent.fspath)).name
        record = expected.get(notebook, {}).get(cell.get("id", ""))
        if record is None:
            outputs = [nbformat.v4.new_output("stream", name="stdout", text=MISSING)]
        elif record["source"] != _source(cell):
            outputs = [nbformat.v4.new_output("stream", name="stdout", text=STALE)]
        else:
            outputs = [nbformat.from_dict(output) for output in record["outputs"]]
        cell["outputs"] = outputs
        cell["execution_count"] = 1


_DURATIONS: dict[str, list] = {}  # test id: [seconds over setup, call and teardown, marked slow]


def pytest_runtest_logreport(report):
    """Add up each test's time (on the main process under xdist, from the workers' reports)."""
    entry = _DURATIONS.setdefault(report.nodeid, [0.0, "slow" in report.keywords])
    entry[0] += report.duration


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """After a run that leaves the slow tests out (`make check`), list the tests it ran that were slow all the same."""
    if "not slow" not in (config.option.markexpr or ""):
        return
    over = sorted(((s, n) for n, (s, slow) in _DURATIONS.items() if not slow and s > REPORT_OVER), reverse=True)
    if over:
        terminalreporter.section(f"tests not marked slow that took over {REPORT_OVER:g} s")
        for seconds, nodeid in over:
            terminalreporter.write_line(f"{seconds:6.1f} s  {nodeid}")
        terminalreporter.write_line("If one is slow every time, name it in SLOW in conftest.py, or make it faster.")
