"""The quiz widget driven from Python: answering, feedback, score, topics, mistakes, new cases."""

from __future__ import annotations

import ipywidgets as w
import pytest

from sarcoma_edu.course.banks import load_bank
from sarcoma_edu.progress.store import ProgressStore
from sarcoma_edu.widgets.quiz import QuizWidget, quiz_widget

BANK = load_bank()


@pytest.fixture
def store(tmp_path):
    return ProgressStore(tmp_path / "progress.sqlite3")


def _answer_buttons(widget: QuizWidget) -> list[w.Button]:
    return [c for c in widget.choices.children if isinstance(c, w.Button) and c is not widget.check_button]


def test_clicking_the_right_answer_shows_correct_with_explanation_and_source(store):
    """A click on the right answer says so, explains, cites, updates the score and saves the attempt."""
    widget = quiz_widget(BANK, progress=store)
    right = widget.question.correct_answers[0].answer
    button = next(b for b in _answer_buttons(widget) if b.description == right)
    button.click()
    assert widget.feedback.correct and "✓ Correct." in widget.result.value
    assert "Source:" in widget.result.value and widget.score == (1, 1)
    assert "1 right out of 1 answered" in widget.scoreline.value
    assert all(b.disabled for b in _answer_buttons(widget))
    assert store.attempts().loc[0, "question_id"] == widget.question.id


def test_a_wrong_answer_shows_its_feedback_and_the_right_answer(store):
    """A wrong answer says 'Not quite', gives that answer's feedback and the right answer."""
    widget = quiz_widget(BANK, progress=store)
    widget.topic.value = "staging"
    while widget.question.id != "st-nodes-retro":
        widget.next()
    feedback = widget.answer("IV")
    assert not feedback.correct
    assert "✗ Not quite." in widget.result.value and "The right answer: IIIB" in widget.result.value
    assert "nodal rule" in widget.result.value or "trunk and extremity rule" in widget.result.value
    assert widget.score == (0, 1)


def test_answering_twice_is_refused_with_a_message(store):
    """A second answer to the same question is not counted; the widget says to go on."""
    widget = quiz_widget(BANK, progress=store)
    widget.answer(widget.question.choices[0])
    assert widget.answer(widget.question.choices[1]) is None
    assert "Next question" in widget.status.value and widget.score[1] == 1


def test_an_answer_not_offered_shows_a_message_not_a_traceback(store):
    """An answer the question does not offer is explained in the widget and not recorded."""
    widget = quiz_widget(BANK, progress=store)
    assert widget.answer("no such answer") is None
    assert "Please check your answer" in widget.result.value and store.attempts().empty


def test_topic_filter_and_next_cycle_through_the_topic(store):
    """Choosing a topic shows only its questions; after the last one the set starts again."""
    widget = quiz_widget(BANK, progress=store)
    widget.topic.value = "grade"
    seen = []
    for _ in range(sum(q.topic == "grade" for q in BANK)):
        seen.append(widget.question)
        widget.next()
    assert {q.topic for q in seen} == {"grade"} and len({q.id for q in seen}) == len(seen)
    assert widget.question == seen[0] and "starting it again" in widget.status.value


def test_many_choice_and_numeric_questions_use_the_check_button(store):
    """Ticked boxes and a typed number are checked by the 'Check answer' button."""
    widget = quiz_widget(BANK, progress=store)
    widget.topic.value = "grade"
    while widget.question.type != "many_choice":
        widget.next()
    right = {a.answer for a in widget.question.correct_answers}
    for box in widget.choices.children:
        if isinstance(box, w.Checkbox):
            box.value = box.description in right
    widget.check_button.click()
    assert widget.feedback.correct
    while widget.question.type != "numeric":
        widget.next()
    widget.number.value = "1"
    widget.check_button.click()
    assert widget.feedback is not None and not widget.feedback.correct


def test_practise_my_mistakes_asks_again_what_was_wrong_last_time(store):
    """Questions answered wrongly (also in an earlier session) come back; right ones do not."""
    first = quiz_widget(BANK, progress=store)
    wrong_id = first.question.id
    first.answer(next(a.answer for a in first.question.answers if not a.correct))
    first.next()
    first.answer(first.question.correct_answers[0].answer)
    later = quiz_widget(BANK, progress=ProgressStore(store.path))  # a new session on the same file
    assert later.practise_mistakes() == 1 and later.question.id == wrong_id
    later.answer(later.question.correct_answers[0].answer)
    assert later.practise_mistakes() == 0 and "No mistakes" in later.status.value


def test_new_case_button_gives_a_generated_question_that_can_be_answered(store):
    """'New case' shows a made-up patient of the chosen kind; answers are recorded by case id."""
    widget = quiz_widget(BANK, progress=store)
    widget.case_kind.value = "fnclcc_grade"
    widget.case_button.click()
    assert widget.question.id.startswith("case-fnclcc_grade-") and "New case" in widget.header.value
    widget.answer(widget.question.correct_answers[0].answer)
    first = widget.question.id
    widget.next()  # another new case of the same kind
    assert widget.question.id.startswith("case-fnclcc_grade-") and widget.question.id != first
    assert store.attempts().loc[0, "question_id"] == first


def test_generated_mistakes_come_back_too(store):
    """A wrongly answered generated case is rebuilt from its id for practice."""
    widget = quiz_widget(BANK, progress=store)
    case = widget.new_case("stage")
    widget.answer(next(a.answer for a in case.answers if not a.correct))
    assert widget.practise_mistakes() == 1 and widget.question == case


def test_storage_failure_never_stops_the_quiz(store, monkeypatch):
    """If saving fails the answer is still checked and the widget says it was not saved."""
    widget = quiz_widget(BANK, progress=store)

    def broken(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(store, "record", broken)
    feedback = widget.answer(widget.question.correct_answers[0].answer)
    assert feedback.correct and "not saved: disk full" in widget.result.value


def test_default_progress_uses_the_environment_file(tmp_path, monkeypatch):
    """quiz_widget without a store saves to SARCOMA_EDU_PROGRESS."""
    monkeypatch.setenv("SARCOMA_EDU_PROGRESS", str(tmp_path / "env.sqlite3"))
    widget = quiz_widget(BANK)
    widget.answer(widget.question.correct_answers[0].answer)
    assert len(ProgressStore(tmp_path / "env.sqlite3").attempts()) == 1


def test_a_corrupt_progress_file_is_announced_in_the_widget(tmp_path):
    """When the old file was moved aside the widget tells the student where it is."""
    path = tmp_path / "progress.sqlite3"
    path.write_bytes(b"not sqlite" * 100)
    with pytest.warns(UserWarning):
        store = ProgressStore(path)
    widget = quiz_widget(BANK, progress=store)
    assert "could not be read" in widget.status.value and ".corrupt-" in widget.status.value


def test_widget_needs_questions():
    """An empty or wrong list of questions is a clear TypeError."""
    with pytest.raises(TypeError, match="non-empty list of Question"):
        QuizWidget([], None)
    with pytest.raises(TypeError, match="non-empty list of Question"):
        quiz_widget(["What is sarcoma?"])


def test_the_right_answer_is_not_always_in_the_same_place(store):
    """Answers are shown in an order fixed per question, so the right one is not always first."""
    widget = quiz_widget(BANK, progress=store)
    positions = []
    for question in BANK:
        if question.type == "multiple_choice":
            widget._show(question)
            texts = [b.description for b in _answer_buttons(widget)]
            assert sorted(texts) == sorted(question.choices)
            positions.append(texts.index(question.correct_answers[0].answer))
    assert len(set(positions)) >= 3 and positions.count(0) < len(positions) / 2


@pytest.mark.parametrize(
    ("typed", "title"),
    [
        pytest.param("9" * 5000, "Please type a shorter number", id="5,000 digits"),
        pytest.param("9" * 400, "Please type a shorter number", id="400 digits, more than a float holds"),
        pytest.param("1" * 309, "Please type a shorter number", id="309 digits, which a float still holds"),
        pytest.param("0" * 5000 + "1", "Please type a shorter number", id="a 1 after 5,000 zeros"),
        pytest.param("-" + "0" * 4400 + "5", "Please type a shorter number", id="a minus and 4,400 zeros"),
        pytest.param("0." + "0" * 30 + "1", "Please type a shorter number", id="a decimal with 32 digits"),
        pytest.param("1" * 21, "Please type a shorter number", id="21 digits, one more than the quiz checks"),
        pytest.param("1e400", "Please type a smaller number", id="1e400"),
        pytest.param("nan", "Please type a number", id="nan"),
    ],
)
def test_a_very_long_number_typed_into_a_numeric_question_is_a_message_not_a_traceback(store, typed, title):
    """Typing a number no float holds and pressing 'Check answer' shows a message; nothing is saved or scored."""
    numeric = [q for q in BANK if q.type == "numeric"]
    widget = quiz_widget(numeric, progress=store)
    widget.number.value = typed
    widget.check_button.click()  # the click handler itself must not raise
    assert title in widget.result.value and widget.feedback is None and widget.score == (0, 0)
    assert len(widget.result.value) < 2000  # the message shows the number shortened
    assert store.attempts().empty
    widget.number.value = "81"
    widget.check_button.click()
    assert widget.feedback is not None and widget.score[1] == 1


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param("1" * 20, id="20 digits"),
        pytest.param("-0000000000000000045", id="a minus, leading zeros and 20 digits in all"),
        pytest.param("0.000000000000000001", id="a decimal with 19 digits"),
    ],
)
def test_a_number_of_up_to_twenty_digits_is_checked_and_saved(store, typed):
    """A typed number of 20 digits or fewer (leading zeros count) is checked, scored and saved as usual."""
    numeric = [q for q in BANK if q.type == "numeric"]
    widget = quiz_widget(numeric, progress=store)
    widget.number.value = typed
    widget.check_button.click()
    assert widget.feedback is not None and widget.score == (0, 1) and "Not quite" in widget.result.value
    assert len(store.attempts()) == 1
