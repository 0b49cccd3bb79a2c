"""The tumour board widget, driven from Python: answers, feedback, presenter mode, summary, what-if, progress."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w
import pytest

from sarcoma_edu import ProgressStore
from sarcoma_edu.widgets.tumour_board import NEW_PATIENT, tumour_board
from tests.course.test_cases import small_case, write_case

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def store(tmp_path):
    return ProgressStore(tmp_path / "progress.sqlite3")


def buttons(board) -> list[w.Button]:
    return [c for c in board.choices.children if isinstance(c, w.Button)]


def work_through(board, pick_right: bool = True) -> None:
    """Answer every step of the case on screen (right or, where possible, wrong) and go on."""
    while board.position < len(board.case.steps):
        step = board.case.steps[board.position]
        wrong = [c for c in step.question.choices if c not in step.right_answers]
        board.answer(step.right_answers[0] if pick_right or not wrong else wrong[0])
        board.next_step()


def test_a_right_answer_says_correct_gives_the_explanation_and_source_and_is_saved(store):
    """Choosing T2 for the 3.5 cm neck sarcoma is marked correct, explained, cited and recorded (topic cases)."""
    board = tumour_board(progress=store, presenter=False)
    board.start("head-neck")
    feedback = board.answer("T2")
    assert feedback.correct and "✓ Correct." in board.result.value
    assert "3.5 cm" in board.result.value and "Source: AJCC8" in board.result.value
    assert all(b.disabled for b in buttons(board)) and not board.next_button.disabled
    attempts = store.attempts()
    assert list(attempts[["question_id", "topic", "answer", "correct"]].itertuples(index=False, name=None)) == [
        ("case:head-neck:t-category", "cases", "T2", True)
    ]


def test_a_wrong_answer_gives_its_own_feedback_and_the_right_answer_and_becomes_a_mistake(store):
    """Choosing T1 for the neck sarcoma shows why (trunk and limb sizes) and the right answer, T2."""
    board = tumour_board(progress=store, presenter=False)
    board.start("head-neck")
    assert not board.answer("T1").correct
    assert "✗ Not quite." in board.result.value and "trunk and limbs" in board.result.value
    assert "The right answer: T2" in board.result.value
    assert store.mistakes() == ["case:head-neck:t-category"]


def test_the_chosen_answer_stays_marked_in_words_and_not_by_colour_alone(store):
    """Choosing T1 marks its button '➜ T1 (your answer)' with the outlined class once all are disabled; no other is."""
    board = tumour_board(progress=store, presenter=False)
    board.start("head-neck")
    board.answer("T1")
    marked = [b for b in buttons(board) if "(your answer)" in b.description]
    assert [b.description for b in marked] == ["➜ T1 (your answer)"]
    assert "sarcoma-edu-chosen" in marked[0]._dom_classes and all(b.disabled for b in buttons(board))
    assert all("sarcoma-edu-chosen" not in b._dom_classes for b in buttons(board) if b is not marked[0])
    board.next_step()
    assert not any("➜" in b.description for b in buttons(board))  # the next step starts unmarked


def test_in_presenter_mode_the_rooms_choice_is_marked_as_the_rooms_answer_before_and_after_reveal(store):
    """On the projector the answer the room chose reads '➜ T1 (the room's answer)', hidden verdict or revealed."""
    board = tumour_board(progress=store, presenter=True)
    board.start("head-neck")
    board.answer("T1")
    assert "➜ T1 (the room's answer)" in [b.description for b in buttons(board)]
    board.reveal()
    assert "➜ T1 (the room's answer)" in [b.description for b in buttons(board)]


def test_a_step_cannot_be_answered_twice_and_next_waits_for_an_answer(store):
    """A second answer to the same step, or 'Next step' before any answer, only shows a message."""
    board = tumour_board(progress=store, presenter=False)
    board.start("head-neck")
    board.next_step()
    assert board.position == 0 and "Answer this step first" in board.status.value
    board.answer("T2")
    assert board.answer("T3") is None and "already" not in board.result.value
    assert "This step is answered" in board.status.value and len(store.attempts()) == 1


def test_each_step_reveals_new_information_and_keeps_what_is_known(store):
    """After the first step, the next report is shown and the earlier one is kept under 'What we know so far'."""
    board = tumour_board(progress=store, presenter=False)
    case = board.start("retroperitoneum-nodes")
    board.answer(case.steps[0].right_answers[0])
    board.next_step()
    assert "14 cm" in board.reveal_text.value and "Step 2 of" in board.step_header.value
    assert "What we know so far" in board.known.value and "leiomyosarcoma" in board.known.value


def test_working_a_case_to_the_end_shows_choices_stage_timeline_and_score(store):
    """The summary lists every step with the student's answer, the stage explanation, the plan and the score."""
    board = tumour_board(progress=store, presenter=False)
    case = board.start("limb-preop-radiation")
    work_through(board, pick_right=False)
    summary = board.summary.value
    assert board.summary_box.layout.display is None and board.step_box.layout.display == "none"
    assert summary.count("<tr><td>") == len(case.steps) and "Score: 0 right out of 8 answered." in summary
    assert "Stage IIIB" in summary and "Radiation therapy before surgery" in summary
    assert board.figure is not None and "Treatment sequence" in board.figure.layout.title.text
    assert len(store.mistakes()) == len(case.steps)


def test_what_if_the_node_positive_foot_tumour_were_retroperitoneal_shows_iv_becoming_iiib(store):
    """On the summary, moving the tumour to the retroperitoneum shows Stage IV -> Stage IIIB and why."""
    board = tumour_board(progress=store, presenter=False)
    board.start("limb-nodes-clear-cell")
    work_through(board)
    assert "Score: 6 right out of 6 answered." in board.summary.value
    board.fact.value = "site"
    board.site_value.value = "retroperitoneum"
    board.what_if_button.click()
    text = board.what_if_html.value
    assert "Stage IV → <b>Stage IIIB</b>" in text and "retroperitoneum" in text
    assert "Changes:</b> treatment list" in text


def test_what_if_names_each_computed_answer_in_words_a_student_reads(store):
    """Moving the 3.5 cm neck sarcoma to a limb reads 'T category: T2 → T1', not the step's id 't_category'."""
    board = tumour_board(progress=store, presenter=False)
    board.start("head-neck")
    work_through(board)
    board.show_what_if("site", "extremity")
    text = board.what_if_html.value
    assert "<b>Changes:</b> T category: T2 → <b>T1</b>" in text
    assert "t_category" not in text and "t category" not in text


def test_a_what_if_size_the_library_refuses_shows_a_message_not_a_traceback(store):
    """A what-if size of 0 cm gives a visible role=alert message naming size_cm."""
    board = tumour_board(progress=store, presenter=False)
    board.start("head-neck")
    work_through(board)
    assert board.show_what_if("size_cm", 0) == []
    assert "role='alert'" in board.what_if_html.value and "size_cm=0" in board.what_if_html.value


def test_presenter_mode_hides_the_feedback_until_reveal(store):
    """In presenter mode the room's choice is shown without a verdict until 'Reveal' is pressed."""
    board = tumour_board(progress=store, presenter=True)
    board.start("head-neck")
    assert board.reveal_button.layout.display is None
    board.answer("T1")
    assert "The room chose: T1" in board.result.value and "Not quite" not in board.result.value
    assert board.next_button.disabled
    board.reveal_button.click()
    assert "✗ Not quite." in board.result.value and not board.next_button.disabled


def test_presenter_reveal_without_an_answer_shows_the_right_answer_and_saves_nothing(store):
    """'Reveal' before anyone answers shows the right answer and explanation; nothing is recorded or scored."""
    board = tumour_board(progress=store, presenter=True)
    board.start("head-neck")
    board.reveal()
    assert "The right answer: T2" in board.result.value and board.score == (0, 0)
    assert store.attempts().empty


def test_a_new_patient_is_generated_from_the_instructors_seed(store):
    """'A new patient' with seed 41 gives generated-41, then generated-42."""
    board = tumour_board(progress=store, presenter=False, seed=41)
    board.picker.value = NEW_PATIENT
    board.start_button.click()
    assert board.case.id == "generated-41" and "fictional" in board.vignette.value
    assert board.start(NEW_PATIENT).id == "generated-42"


def test_practise_my_mistakes_starts_again_the_case_with_a_wrong_step(store):
    """After a wrong answer in a generated case, 'Practise my mistakes' rebuilds that same case."""
    board = tumour_board(progress=store, presenter=False, seed=5)
    case = board.start(NEW_PATIENT)
    step = case.steps[0]
    board.answer(next(c for c in step.question.choices if c not in step.right_answers))
    board.start("head-neck")
    board.mistakes_button.click()
    assert board.case == case and board.position == 0


def test_a_bad_case_file_is_listed_in_the_widget_and_the_good_one_still_works(tmp_path, store):
    """A case whose written stage contradicts its facts is shown in a role=alert message; the other loads."""
    bad = small_case(id="bad-case")
    bad["steps"][0]["answer"] = "IV"
    paths = [write_case(tmp_path, small_case(), "good.json"), write_case(tmp_path, bad, "bad.json")]
    board = tumour_board(paths, progress=store, presenter=False)
    assert 'role="alert"' in board.problems.value and "steps[0].answer" in board.problems.value
    assert list(board.cases) == ["my-thigh-case"]


def test_case_text_is_shown_escaped_so_no_html_or_script_runs(tmp_path, store):
    """An author's <script> and <img onerror> in the vignette and a choice are shown as text."""
    case = small_case(vignette="<script>alert(1)</script> A fictional patient.")
    case["steps"][1]["choices"][0]["text"] = "<img src=x onerror=alert(1)>"
    case["steps"][1]["reveal"] = "<b>bold</b>"
    board = tumour_board(write_case(tmp_path, case), progress=store, presenter=False)
    board.start("my-thigh-case")
    assert "<script>" not in board.vignette.value and "&lt;script&gt;" in board.vignette.value
    board.answer("Stage IIIA")
    board.next_step()
    assert "&lt;b&gt;bold&lt;/b&gt;" in board.reveal_text.value
    board.answer("<img src=x onerror=alert(1)>")
    assert "<img" not in board.result.value and "&lt;img" in board.result.value


@pytest.mark.parametrize("cases", [42, ["a.json", 3]])
def test_cases_of_the_wrong_kind_show_a_message_in_the_widget(cases, store):
    """A number, or a list mixing paths and numbers, gives a visible message instead of a traceback."""
    board = tumour_board(cases, progress=store, presenter=False)
    assert 'role="alert"' in board.problems.value and board.cases == {}


def test_without_a_progress_store_the_board_says_answers_are_not_saved():
    """A board built with an unusable store still checks answers and says progress is not saved."""

    class Broken:
        def record(self, *args, **kwargs):
            raise OSError("disk full")

        def mistakes(self):
            return []

    board = tumour_board(progress=Broken(), presenter=False)
    board.start("head-neck")
    assert board.answer("T2").correct and "Checked, but not saved: disk full" in board.result.value


def test_every_input_is_a_labelled_control_and_no_slider_is_used(store):
    """The picker and what-if inputs carry labels; the board uses no sliders."""
    board = tumour_board(progress=store, presenter=False)
    for control in (board.picker, board.fact, board.site_value, board.size_value, board.grade_value, board.yes_no):
        assert control.description
    stack = [board]
    while stack:
        widget = stack.pop()
        assert not isinstance(widget, w.FloatSlider | w.IntSlider)
        stack.extend(getattr(widget, "children", ()))


def test_the_case_file_the_teaching_guide_shows_loads_and_its_stage_is_checked(tmp_path, store):
    """The JSON in docs/teaching.md ("Writing a case") loads into the board; its written stage IIIA is right."""
    guide = (ROOT / "docs" / "teaching.md").read_text(encoding="utf-8")
    section = guide.split("## Writing a case", 1)[1]
    example = section.split("```json\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "my_case.json"
    path.write_text(example, encoding="utf-8")
    board = tumour_board(path, progress=store, presenter=False)
    assert board.problems.value == ""
    (case,) = board.cases.values()
    assert case.steps[1].right_answers == ("Stage IIIA",)


def test_hiding_the_reveal_button_hides_no_other_control(store):
    """Outside presenter mode only 'Reveal' is hidden: Start, Next step and the what-if button stay visible."""
    board = tumour_board(progress=store, presenter=False)
    board.start("head-neck")
    assert board.reveal_button.layout.display == "none"
    for control in (board.start_button, board.mistakes_button, board.next_button, board.what_if_button):
        assert control.layout.display is None and control.layout is not board.reveal_button.layout


def test_the_progress_figure_counts_the_case_steps_under_cases(store):
    """After two steps, the progress figure by topic has a 'cases' bar with 2 attempted and 1 right."""
    from sarcoma_edu.display.progress_chart import progress_figure

    board = tumour_board(progress=store, presenter=False)
    board.start("head-neck")
    board.answer("T2")
    board.next_step()
    board.answer("Grade 1 (low)")
    figure = progress_figure(store.summary(by="topic"))
    attempted, right = figure.data[0], figure.data[1]
    assert list(attempted.y) == ["cases"] and list(attempted.x) == [2] and list(right.x) == [1]


def test_the_summary_and_what_if_before_a_case_has_started_say_to_start_one_first(store):
    """Pressing for the summary or 'What if?' with no case started is a message, not a traceback."""
    board = tumour_board(progress=store, presenter=False)
    assert board.case is None
    board.show_summary()
    assert "Start a case first" in board.status.value and board.summary.value == ""
    assert board.show_what_if("size_cm", 12.0) == []
    assert "Start a case first" in board.status.value and board.what_if_html.value == ""
    board.start("head-neck")
    assert board.show_what_if("size_cm", 12.0)  # once a case has started it works


@pytest.mark.parametrize("typed", ["12,5", "ten", "0"], ids=["a decimal comma", "a word", "zero"])
def test_a_what_if_size_that_cannot_be_used_is_refused_and_never_clamped(typed):
    """A what-if size typed with a comma, as a word or as 0 gives a message; nothing is silently changed to fit."""
    board = tumour_board(progress=None)
    board.progress = None  # nothing saved: this test is about the what-if box
    board.start("limb-preop-radiation")
    while board.position < len(board.case.steps):
        step = board.case.steps[board.position]
        board.answer(step.question.correct_answers[0].answer)
        board.next_step()
    board.fact.value = "size_cm"
    board.size_value.value = typed
    assert board.show_what_if() == [] and "Please check the change" in board.what_if_html.value
    assert board.size_value.value == typed
    board.size_value.value = "20"
    assert any(change.changed for change in board.show_what_if())


def test_on_the_projector_the_board_neither_reads_nor_saves_the_presenters_progress(tmp_path, monkeypatch):
    """Under `present` the room's answers are not saved and 'Practise my mistakes' ignores the presenter's own."""
    from sarcoma_edu.display import presentation

    store = ProgressStore(tmp_path / "progress.sqlite3")
    store.record("case:limb-preop-radiation:stage", "Stage IIIA", False, "cases")  # the presenter's own mistake
    monkeypatch.setenv(presentation.PRESENT_ENV, "1")
    board = tumour_board(progress=store)
    assert board.presenter.value and board.practise_mistakes() is None
    board.start("limb-preop-radiation")
    step = board.case.steps[0]
    board.answer(step.question.correct_answers[0].answer)
    board.reveal()
    assert "the room's answers are not saved" in board.result.value
    assert len(store.attempts()) == 1


@pytest.mark.parametrize("typed", ["9" * 400, "1" * 5000], ids=["400 digits", "5,000 digits"])
def test_a_what_if_size_of_hundreds_of_digits_is_a_message_not_a_traceback(store, typed):
    """'Show what changes' with a size no float holds says the number is too long; the case stays as it was."""
    board = tumour_board(progress=store, presenter=False)
    board.start("limb-preop-radiation")
    work_through(board)
    board.fact.value = "size_cm"
    board.size_value.value = typed
    board.what_if_button.click()  # the click handler itself must not raise
    assert "Please check the change" in board.what_if_html.value and "too many for a number" in board.what_if_html.value
    assert len(board.what_if_html.value) < 2000
    board.size_value.value = "20"
    board.what_if_button.click()
    assert "computed answers change" in board.what_if_html.value


def test_every_button_pressed_before_a_case_has_started_says_to_start_one_first(store):
    """'Next step', 'Reveal', an answer, the summary and 'What if?' before a start each say to start a case first."""
    board = tumour_board(progress=store, presenter=True)
    for press in (board.next_button.click, board.reveal_button.click, lambda: board.answer("T2"),
                  board.show_summary, board.what_if_button.click):  # fmt: skip
        board.status.value = ""
        press()  # no click handler raises
        assert "Start a case first" in board.status.value
    assert board.case is None and store.attempts().empty


def test_practise_my_mistakes_with_a_progress_file_that_cannot_be_read_is_a_message(tmp_path):
    """If the progress file became a folder, 'Practise my mistakes' says so and restarts this session's wrong case."""
    path = tmp_path / "progress.sqlite3"
    board = tumour_board(progress=ProgressStore(path), presenter=False)
    case = board.start("limb-preop-radiation")
    work_through(board, pick_right=False)
    path.unlink()
    path.mkdir()  # the file replaced by a folder while the lesson is open
    board.mistakes_button.click()  # the click handler itself must not raise
    assert "could not be read just now" in board.status.value and "now a folder" in board.status.value
    assert board.case == case and board.position == 0


def test_practise_my_mistakes_with_an_unreadable_file_and_no_mistake_this_session_says_so(tmp_path):
    """With the progress file unreadable and nothing wrong this session, the message says both, and no case starts."""
    path = tmp_path / "progress.sqlite3"
    board = tumour_board(progress=ProgressStore(path), presenter=False)
    path.unlink()
    path.mkdir()
    board.mistakes_button.click()
    assert "could not be read just now" in board.status.value and "no case to practise" in board.status.value
    assert board.case is None


def test_practise_my_mistakes_passes_over_a_made_up_patient_id_no_seed_can_give(store):
    """A wrong step recorded under a garbled made-up patient id (5,000 digits) is passed over with a message."""
    store.record("case:generated-" + "9" * 5000 + ":stage", "IIIA", False, "cases")
    board = tumour_board(progress=store, presenter=False)
    assert board.practise_mistakes() is None  # called directly: a click would hide an exception in the log
    assert "No case to practise" in board.status.value and board.case is None
