"""The quiz flows: it resumes, interleaves topics, takes typed numbers, and keeps messages to their question."""

from __future__ import annotations

import itertools
from datetime import datetime

import ipywidgets as w
import pandas as pd
import pytest

from sarcoma_edu.course.banks import load_bank
from sarcoma_edu.progress.store import ProgressStore
from sarcoma_edu.study.quiz_progress import interleave, local_time, progress_table, resume_point
from sarcoma_edu.widgets.quiz import quiz_widget

BANK = load_bank()


@pytest.fixture
def store(tmp_path):
    return ProgressStore(tmp_path / "progress.sqlite3")


def _right(widget):
    question = widget.question
    if question.type == "numeric":
        answer = question.correct_answers[0]
        return answer.value if answer.value is not None else answer.range[0]
    if question.type == "many_choice":
        return [a.answer for a in question.correct_answers]
    return question.correct_answers[0].answer


def test_reopening_the_quiz_welcomes_back_and_goes_on_to_the_next_unanswered_question(store):
    """After three answers (two right), a new session says welcome back, the score and shows question 4, not 1."""
    first = quiz_widget(BANK, progress=store)
    asked = []
    for number in range(3):
        asked.append(first.question.id)
        wrong = next((a.answer for a in first.question.answers if not a.correct and a.answer), None)
        first.answer(wrong if number == 1 and wrong else _right(first))
        first.next()
    later = quiz_widget(BANK, progress=ProgressStore(store.path))
    assert later.question.id not in asked and later.question == later.queue[3]
    total = len(later.queue)  # every question of the banks
    assert total > 100 and f"Question 4 of {total}" in later.header.value
    status = later.status.value
    assert "Welcome back" in status and f"answered 3 of the {total} questions" in status
    assert "2 of them right" in status and f"You were at question 3 of {total}" in status
    later.next()
    assert "Welcome back" not in later.status.value  # the greeting belongs to the first question shown


def test_a_first_visit_has_no_welcome_back_and_starts_at_question_1(store):
    """A student with no saved answers starts at question 1 and is not welcomed back."""
    widget = quiz_widget(BANK, progress=store)
    assert widget.question == widget.queue[0] and "Welcome back" not in widget.status.value


def test_resuming_skips_questions_already_answered_further_on(store):
    """The next question shown is the first after the last answered that was never answered."""
    queue = interleave(BANK)
    rows = [
        {"attempt_id": str(i), "question_id": queue[i].id, "topic": queue[i].topic, "answer": "x",
         "correct": True, "answered_at": f"2026-03-0{day}T09:00:00+00:00"}
        for day, i in ((1, 5), (2, 4), (3, 2))
    ]  # fmt: skip
    store.add_attempts(rows)
    widget = quiz_widget(BANK, progress=store)
    assert widget.question == queue[3]  # after question 3 (answered last), 4 is new; 5 and 6 were answered
    assert f"answered 3 of the {len(queue)} questions" in widget.status.value


def test_all_topics_interleaves_the_topics_in_a_fixed_order(store):
    """'All topics' asks the eight topics in its first eight questions, never three of one topic in a row."""
    queue = quiz_widget(BANK, progress=store).queue
    assert queue == interleave(BANK) == interleave(list(BANK))  # the same order every session
    assert sorted(q.id for q in queue) == sorted(q.id for q in BANK)
    assert len({q.topic for q in queue[:8]}) == 8
    longest = max(len(list(run)) for _topic, run in itertools.groupby(q.topic for q in queue))
    assert longest <= 2
    for topic in {q.topic for q in BANK}:  # each topic keeps the bank's order
        assert [q for q in queue if q.topic == topic] == [q for q in BANK if q.topic == topic]


def _numeric(widget):
    widget.topic.value = "grade"
    while widget.question.type != "numeric":
        widget.next()
    return widget.question


def test_a_numeric_question_starts_empty_and_an_empty_check_asks_for_a_number(store):
    """The number box is empty; 'Check answer' with nothing typed asks for a number and records nothing."""
    widget = quiz_widget(BANK, progress=store)
    _numeric(widget)
    assert widget.number.value == "" and widget.number.placeholder == "type a number"
    widget.check_button.click()
    assert "Please type a number" in widget.result.value
    assert widget.feedback is None and store.attempts().empty and widget.score == (0, 0)
    widget.number.value = "twelve"
    widget.check_button.click()
    assert "is not a number" in widget.result.value and store.attempts().empty


def test_a_whole_number_is_shown_as_typed(store):
    """Typing 8 shows 'Your answer: 8' (not 8.0) and stores the whole number 8."""
    widget = quiz_widget(BANK, progress=store)
    question = _numeric(widget)
    widget.number.value = "8"
    widget.check_button.click()
    assert "Your answer: 8<" in widget.result.value and "8.0" not in widget.result.value
    assert store.attempts().loc[0, "answer"] == 8 and store.attempts().loc[0, "question_id"] == question.id
    widget.next()
    assert widget.number.value == "" or widget.question.type != "numeric"


def test_after_an_answer_next_question_comes_after_the_feedback_and_takes_the_focus(store, monkeypatch):
    """'Next question' sits right after the feedback, which is announced, and is focused once the student answers."""
    widget = quiz_widget(BANK, progress=store)
    children = list(widget.children)
    assert children.index(widget.next_button) == children.index(widget.result) + 1
    focused = []
    monkeypatch.setattr(widget.next_button, "focus", lambda: focused.append(True))
    widget.answer(_right(widget))
    assert focused == [True]
    assert "sarcoma-edu-feedback" in widget.result._dom_classes
    assert widget.result.value.startswith("<div role='status' aria-live='polite'>")  # the verdict is read out


def test_the_chosen_answer_stays_marked_in_words_not_only_colour(store):
    """The answer clicked keeps an arrow and '(your answer)' once the buttons are disabled; the others do not."""
    widget = quiz_widget(BANK, progress=store)
    buttons = [c for c in widget.choices.children if isinstance(c, w.Button) and c is not widget.check_button]
    chosen = buttons[1]
    text = chosen.description
    chosen.click()
    assert chosen.description == f"➜ {text} (your answer)" and "sarcoma-edu-chosen" in chosen._dom_classes
    assert all("(your answer)" not in b.description for b in buttons if b is not chosen)


def test_the_practising_mistakes_message_goes_on_new_case(store):
    """'Practising N question(s) you got wrong' disappears when the student asks for a new case."""
    widget = quiz_widget(BANK, progress=store)
    widget.answer(next(a.answer for a in widget.question.answers if not a.correct))
    widget.practise_mistakes()
    assert "Practising 1 question(s)" in widget.status.value
    assert "practising your mistakes" in widget.header.value
    widget.case_button.click()
    assert "Practising" not in widget.status.value and "New case" in widget.header.value


def test_a_note_about_the_progress_file_stays_when_the_question_changes(tmp_path):
    """A standing note (the answers are not saved) is still there after 'Next question'."""
    widget = quiz_widget(BANK, progress=ProgressStore(tmp_path / "p.sqlite3"))
    widget._note("Your answers are checked but not saved: test.", standing=True)
    widget.next()
    widget.new_case("stage")
    assert "checked but not saved: test" in widget.status.value


def test_the_progress_table_shows_the_question_in_words_where_it_came_from_and_local_time(store):
    """The table names the question and its lesson or case, and the local time to the minute, not ids or UTC."""
    widget = quiz_widget(BANK, progress=store)
    question = widget.question
    widget.answer(_right(widget))
    widget.new_case("stage")
    widget.answer(_right(widget))
    store.add_attempts(
        [{"attempt_id": "s1", "question_id": "case:thigh-lump:stage", "topic": "cases", "answer": "x",
          "correct": False, "answered_at": "2026-01-05T09:00:00+00:00"}]
    )  # fmt: skip
    table = progress_table(store, BANK)
    assert list(table.columns) == ["Question", "From", "Answered", "Right", "Last answered"]
    row = table[table["Question"] == question.question].iloc[0]
    assert row["From"].startswith("lesson 0") and row["Answered"] == 1 and row["Right"] == 1
    assert any("made-up patient" in f for f in table["From"])
    assert not table["Question"].str.contains(question.id, regex=False).any()
    stamp = pd.Timestamp("2026-01-05T09:00:00+00:00")
    local = stamp.tz_convert(datetime.now().astimezone().tzinfo)
    assert local_time(stamp) == local.strftime("%d %b %Y, %H:%M")
    assert all("." not in t and "+" not in t and "UTC" not in t for t in table["Last answered"])


def test_an_empty_progress_table_has_its_columns(store):
    """Before any answer the table is empty but already has its five columns."""
    assert list(progress_table(store, BANK).columns) == ["Question", "From", "Answered", "Right", "Last answered"]


def test_when_every_question_was_answered_the_set_goes_on_after_the_last_one():
    """A student who answered the whole set carries on after the question answered last, and is told so."""
    queue = interleave(BANK)[:3]
    attempts = pd.DataFrame(
        {"question_id": [queue[2].id, queue[0].id, queue[1].id], "correct": [True, False, True]}
    )  # queue[1] was answered last
    where = resume_point(queue, attempts)
    assert (where.index, where.answered, where.right, where.last) == (2, 3, 2, 1)


def test_a_student_who_answered_the_whole_set_is_welcomed_back_with_every_question(store):
    """With both questions of a two-question quiz answered, the greeting says every question and goes on."""
    questions = [q for q in BANK if q.type == "multiple_choice"][:2]
    first = quiz_widget(questions, progress=store)
    for _ in questions:
        first.answer(first.question.correct_answers[0].answer)
        first.next()
    later = quiz_widget(questions, progress=ProgressStore(store.path))
    assert "answered every question here, 2 of them right" in later.status.value
    assert "the one after it" in later.status.value and later.question == later.queue[0]


def _answer_the_watch_for_questions(store) -> None:
    from sarcoma_edu.widgets.drugs import WATCH_FOR_QUESTIONS, watch_for_exercise

    lesson = watch_for_exercise(progress=store)
    for number, _ in enumerate(WATCH_FOR_QUESTIONS):
        lesson.answer(_right(lesson))
        if number < len(WATCH_FOR_QUESTIONS) - 1:
            lesson.next()


def test_answers_given_in_lesson_05_do_not_welcome_a_first_time_quiz_user_back(store):
    """After lesson 05's five drug questions, the quiz's first visit starts at question 1 and names those answers."""
    _answer_the_watch_for_questions(store)
    store.record("ex-03-retro-nodes", "IIIB", True, "staging")
    widget = quiz_widget(BANK, progress=ProgressStore(store.path))
    status = widget.status.value
    assert "Welcome back" not in status and widget.question == widget.queue[0]
    assert "5 of these questions in lesson 05" in status and "1 exercise in the lessons" in status


def test_a_returning_quiz_user_is_welcomed_back_with_the_lesson_answers_named_apart(store):
    """Welcome back counts only what was answered in the quiz, then says what the lessons added."""
    _answer_the_watch_for_questions(store)
    first = quiz_widget(BANK, progress=store)
    first.answer(_right(first))
    later = quiz_widget(BANK, progress=ProgressStore(store.path))
    status = later.status.value
    total = len(later.queue)
    assert "Welcome back" in status and f"answered 1 of the {total} questions here" in status
    assert f"You were at question 1 of {total}" in status
    assert "also answered 5 of these questions in lesson 05" in status
    assert later.question == later.queue[1]


def test_lesson_05_welcomes_back_only_to_its_own_questions(store):
    """Reopened, lesson 05's exercise counts its own five answers as its own, not as answers given elsewhere."""
    from sarcoma_edu.widgets.drugs import watch_for_exercise

    _answer_the_watch_for_questions(store)
    again = watch_for_exercise(progress=ProgressStore(store.path))
    assert "Welcome back" in again.status.value and "every question" in again.status.value
    assert "in lesson 05" not in again.status.value


def test_progress_by_lesson_updates_with_its_button_and_stays_off_the_projector(store, monkeypatch):
    """Lesson 08's progress table updates when Update is pressed (no cell to run again); presenting, it is not shown."""
    from sarcoma_edu.display import presentation
    from sarcoma_edu.widgets.lesson_progress import lesson_progress

    widget = lesson_progress(store)
    intro, table, status, button = widget.children
    assert ">Right the last time</th>" in table.value and "press Update" in status.value
    assert "run this cell" not in (intro.value + status.value).lower()
    store.record("ex-03-retro-nodes", "IIIB", True, "staging")
    assert "03_staging</td><td" in table.value
    before = table.value
    button.click()
    assert table.value != before
    monkeypatch.setenv(presentation.PRESENT_ENV, "1")
    (note,) = lesson_progress(store).children
    assert "not shown while presenting" in note.value and "<table" not in note.value
