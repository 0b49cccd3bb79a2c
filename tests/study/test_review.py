"""Spaced review with FSRS: every attempt is a review, what is due comes back, and mastery is likely recall now."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import fsrs
import ipywidgets as w
import pandas as pd
import pytest

from sarcoma_edu.course.banks import load_bank
from sarcoma_edu.course.cases import case_from_step_id
from sarcoma_edu.course.objectives import load_objectives
from sarcoma_edu.display.progress_chart import MASTERY_WORDS, progress_figure
from sarcoma_edu.progress.store import ProgressStore
from sarcoma_edu.study import review
from sarcoma_edu.widgets.quiz import quiz_widget

BANK = load_bank()
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
OLD_FILE = Path(__file__).parents[1] / "fixtures" / "progress_v1.sqlite3"


def _attempts(*rows: tuple) -> pd.DataFrame:
    """Attempts as (question_id, topic, correct, hours after START, confidence)."""
    return pd.DataFrame(
        [
            {"question_id": q, "topic": t, "correct": c, "answered_at": START + timedelta(hours=h), "confidence": s}
            for q, t, c, h, s in rows
        ],
        columns=["question_id", "topic", "correct", "answered_at", "confidence"],
    )


RATING_CASES = [
    pytest.param(False, None, fsrs.Rating.Again, id="a wrong answer with no confidence given is Again"),
    pytest.param(False, "sure", fsrs.Rating.Again, id="a wrong answer given with certainty is still Again"),
    pytest.param(False, "guessed", fsrs.Rating.Again, id="a wrong guess is Again"),
    pytest.param(True, "guessed", fsrs.Rating.Hard, id="a right guess is Hard"),
    pytest.param(True, "unsure", fsrs.Rating.Good, id="a right answer given unsure is Good"),
    pytest.param(True, None, fsrs.Rating.Good, id="a right answer with no confidence given is Good"),
    pytest.param(True, "sure", fsrs.Rating.Easy, id="a right answer given with certainty is Easy"),
]


@pytest.mark.parametrize(("correct", "confidence", "expected"), RATING_CASES)
def test_each_attempt_is_rated_from_right_or_wrong_and_confidence(correct, confidence, expected):
    """The FSRS rating of an attempt follows the table in sarcoma_edu.study.review's docstring."""
    assert review.rating(correct, confidence) is expected


def test_every_attempt_becomes_one_fsrs_review_of_its_item(tmp_path):
    """Bank questions, generated cases and tumour board steps each get a card with one review per attempt."""
    path = tmp_path / "p.sqlite3"
    shutil.copyfile(OLD_FILE, path)
    store = ProgressStore(path)
    items = {item.question_id: item for item in review.schedule(store)}
    frame = store.attempts()
    assert set(items) == set(frame["question_id"])
    for question_id, group in frame.groupby("question_id"):
        assert items[question_id].reviews == len(group)
        assert items[question_id].card.last_review == group["answered_at"].max().to_pydatetime()
    assert items["case:thigh-liposarcoma:stage"].case_step and items["case:thigh-liposarcoma:stage"].topic == "cases"
    assert not items["case-stage-123"].case_step


def test_the_schedule_is_the_fsrs_package_replaying_the_attempts_in_time_order():
    """An item's card is what fsrs gives for its ratings in time order, whatever the rows' order."""
    attempts = _attempts(("st-ia", "staging", True, 30, "sure"), ("st-ia", "staging", False, 0, None))
    (item,) = review.schedule(attempts)
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    card = fsrs.Card(card_id=1, due=START)
    card, _ = scheduler.review_card(card, fsrs.Rating.Again, review_datetime=START)
    card, _ = scheduler.review_card(card, fsrs.Rating.Easy, review_datetime=START + timedelta(hours=30))
    assert (item.due, item.card.stability, item.card.difficulty) == (card.due, card.stability, card.difficulty)


def test_merged_stores_give_the_same_schedule_as_the_student_who_answered(tmp_path):
    """Attempts exported and imported elsewhere (in another order) give the same due dates and mastery."""
    home = ProgressStore(tmp_path / "home.sqlite3")
    home.add_attempts(
        [
            {"attempt_id": f"a{k}", "question_id": q, "topic": "staging", "answer": "IA", "correct": c,
             "answered_at": (START + timedelta(days=d)).isoformat(), **({"confidence": s} if s else {})}
            for k, (q, c, d, s) in enumerate(
                [("st-ia", False, 0, "sure"), ("st-ia", True, 1, "unsure"), ("st-ib", True, 2, None),
                 ("gr-bands", True, 3, "guessed")]
            )
        ]
    )  # fmt: skip
    laptop = ProgressStore(tmp_path / "laptop.sqlite3")
    laptop.add_attempts([dict(a) for a in reversed(_exported(home, tmp_path))])
    now = START + timedelta(days=20)
    assert [(i.question_id, i.due) for i in review.schedule(home)] == [
        (i.question_id, i.due) for i in review.schedule(laptop)
    ]
    pd.testing.assert_frame_equal(review.mastery(home, now), review.mastery(laptop, now))


def _exported(store: ProgressStore, folder: Path) -> list[dict]:
    import json

    return json.loads(store.export_json(folder / "out.json").read_text(encoding="utf-8"))["attempts"]


def test_a_sure_right_answer_comes_back_later_than_a_right_guess():
    """Confidence changes the schedule: Easy (sure) is due after Hard (guessed) for the same answers."""
    sure = review.schedule(_attempts(("q", "grade", True, 0, "sure")))[0]
    guessed = review.schedule(_attempts(("q", "grade", True, 0, "guessed")))[0]
    assert sure.due > guessed.due


def test_due_lists_what_is_due_now_most_overdue_first():
    """Only items due at `now` are listed, the longest overdue first; nothing answered means nothing due."""
    attempts = _attempts(
        ("wrong-early", "staging", False, 0, None),
        ("wrong-later", "grade", False, 5, None),
        ("sure-right", "grade", True, 6, "sure"),
    )
    now = START + timedelta(hours=7)
    assert [i.question_id for i in review.due(attempts, now)] == ["wrong-early", "wrong-later"]
    assert review.next_due(attempts, now).question_id == "sure-right"
    assert review.due(_attempts(), now) == [] and review.next_due(_attempts(), now) is None


def test_mastery_is_the_mean_of_its_items_recall_with_a_wrong_last_answer_counting_nothing():
    """Mastery per topic is the mean over its items of fsrs's retrievability, 0 for an item last answered wrongly."""
    attempts = _attempts(
        ("a", "staging", True, 0, "sure"), ("b", "staging", False, 0, None), ("c", "grade", True, 0, "guessed")
    )
    later = START + timedelta(days=10)
    table = review.mastery(attempts, later).set_index("topic")
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    items = {i.question_id: i for i in review.schedule(attempts)}
    expected = (scheduler.get_card_retrievability(items["a"].card, later) + 0) / 2  # b was answered wrongly
    assert table.loc["staging", "mastery"] == pytest.approx(expected)
    assert table.loc["staging", "items"] == 2 and table.loc["grade", "items"] == 1
    assert table.loc["staging", "right"] == 1 and table.loc["grade", "right"] == 1
    assert 0 < table.loc["staging", "mastery"] < 1
    assert (
        review.mastery(attempts, START + timedelta(days=60)).set_index("topic").loc["staging", "mastery"]
        < (table.loc["staging", "mastery"])
    )


def test_mastery_per_objective_counts_each_item_for_every_objective_its_question_assesses():
    """By objective, an item counts for each objective of its question; items naming none are left out."""
    first, second = BANK[0], next(q for q in BANK if set(q.objectives) - set(BANK[0].objectives))
    attempts = _attempts(
        (first.id, first.topic, True, 0, "sure"),
        (second.id, second.topic, False, 0, None),
        ("not-in-the-bank", "staging", True, 0, None),
    )
    later = START + timedelta(days=10)
    table = review.mastery(attempts, later, by="objective", questions=BANK).set_index("objective")
    assert set(table.index) == set(first.objectives) | set(second.objectives)
    items = {i.question_id: i.mastery(later) for i in review.schedule(attempts)}
    assert items[second.id] == 0  # its only answer was wrong
    for objective, row in table.iterrows():
        counted = [q.id for q in (first, second) if objective in q.objectives]
        assert row["items"] == len(counted)
        assert row["mastery"] == pytest.approx(sum(items[c] for c in counted) / len(counted))
    known = load_objectives()
    assert list(table.index) == [o for o in known if o in table.index]  # course order
    assert table.loc[first.objectives[0], "text"] == known[first.objectives[0]].objective
    with pytest.raises(ValueError, match="by='week'"):
        review.mastery(attempts, later, by="week")


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        pytest.param(lambda: review.due(_attempts(), datetime(2026, 3, 2)), ValueError, "now=.* has no time zone",
                     id="a time without its zone"),
        pytest.param(lambda: review.due(_attempts(), "tomorrow"), TypeError, "now='tomorrow' is not a datetime",
                     id="a time that is not a datetime"),
        pytest.param(lambda: review.schedule(pd.DataFrame({"question_id": ["a"]})), ValueError,
                     "attempts has no column 'topic'", id="a table without topics"),
        pytest.param(lambda: review.rating(True, "certain"), ValueError, "confidence='certain' is not allowed",
                     id="an unknown confidence"),
        pytest.param(lambda: review.schedule([1, 2]), TypeError, "attempts=.* is not a ProgressStore",
                     id="a list instead of attempts"),
    ],
)  # fmt: skip
def test_bad_input_names_the_parameter_and_what_is_allowed(call, error, words):
    """Wrong times, tables and confidences are refused with a message naming them."""
    with pytest.raises(error, match=words):
        call()


# --- the quiz widget ------------------------------------------------------------------------


def _wrong(question):
    return next(a.answer for a in question.answers if not a.correct)


def test_the_due_for_review_button_sits_next_to_practise_my_mistakes_and_shows_the_count(tmp_path):
    """The button reads 'Due for review (N)' beside 'Practise my mistakes' and counts what is due."""
    store = ProgressStore(tmp_path / "p.sqlite3")
    widget = quiz_widget(BANK, progress=store)
    row = next(c for c in widget.children if isinstance(c, w.HBox) and widget.mistakes_button in c.children)
    assert row.children.index(widget.review_button) == row.children.index(widget.mistakes_button) + 1
    assert widget.review_button.description == "Due for review (0)"
    widget.answer(_wrong(widget.question))
    widget.clock = lambda: datetime.now(UTC) + timedelta(minutes=5)
    widget.next()
    widget.answer(_wrong(widget.question))
    assert widget.review_button.description == "Due for review (2)"


def test_due_for_review_asks_the_due_questions_most_overdue_first(tmp_path):
    """Pressing the button asks what FSRS says is due now, the longest overdue first, and counts them."""
    store = ProgressStore(tmp_path / "p.sqlite3")
    store.add_attempts(
        [
            {"attempt_id": "1", "question_id": "st-ia", "topic": "staging", "answer": "IB", "correct": False,
             "answered_at": "2026-03-02T09:00:00+00:00"},
            {"attempt_id": "2", "question_id": "case-stage-5", "topic": "staging", "answer": "Stage IIIB",
             "correct": False, "answered_at": "2026-03-01T09:00:00+00:00"},
        ]
    )  # fmt: skip
    widget = quiz_widget(BANK, progress=store)
    widget.review_button.click()
    assert widget.mode == "review" and [q.id for q in widget.queue] == ["case-stage-5", "st-ia"]
    assert widget.question.id == "case-stage-5"  # a generated question is asked again by its id
    assert "Reviewing 2 question(s) due now" in widget.status.value
    assert widget.review_button.description == "Due for review (2)"
    assert "Question 1 of 2" in widget.header.value


def test_when_nothing_is_due_the_quiz_says_so_and_when_the_next_one_is(tmp_path):
    """Nothing due: a plain sentence with the next review's date and how long until then."""
    store = ProgressStore(tmp_path / "p.sqlite3")
    widget = quiz_widget(BANK, progress=store)
    assert widget.practise_due() == 0 and "Nothing is due for review yet" in widget.status.value
    widget.answer(widget.question.correct_answers[0].answer)
    widget.give_confidence("sure")
    assert widget.practise_due() == 0
    assert "Nothing in this quiz is due for review now. The next one is due on " in widget.status.value
    assert "UTC (in " in widget.status.value and "days)" in widget.status.value


def test_due_tumour_board_steps_are_named_and_sent_to_their_lesson(tmp_path):
    """A due tumour board step is counted but not asked alone; the quiz says where to review it."""
    store = ProgressStore(tmp_path / "p.sqlite3")
    store.record("case:head-neck:t-category", "T1", False, "cases")
    widget = quiz_widget(BANK, progress=store)
    widget.clock = lambda: datetime.now(UTC) + timedelta(minutes=5)
    assert widget.practise_due() == 0 and widget.review_button.description == "Due for review (1)"
    title = case_from_step_id("case:head-neck:t-category").title
    assert f"1 tumour board step(s) are due as well: reopen their case ({title}) in the tumour board lesson" in (
        widget.status.value
    )


def test_a_confident_wrong_answer_is_called_a_teaching_moment_and_the_confidence_is_saved(tmp_path):
    """Choosing 'sure' after a wrong answer shows a teaching-moment box and saves the confidence."""
    store = ProgressStore(tmp_path / "p.sqlite3")
    widget = quiz_widget(BANK, progress=store)
    assert widget.confidence_box.layout.display == "none"  # offered only once the question is answered
    widget.answer(_wrong(widget.question))
    assert widget.confidence_box.layout.display == "flex"
    sure = next(b for b in widget.confidence_buttons if b.description == "sure")
    sure.click()
    assert "A teaching moment" in widget.confidence_note.value and "teaching moment" in widget.confidence_note.value
    assert list(store.attempts()["confidence"]) == ["sure"]
    assert all(b.disabled for b in widget.confidence_buttons)
    assert widget.give_confidence("unsure") is None and "already said how sure" in widget.status.value
    assert list(store.attempts()["confidence"]) == ["sure"]


def test_the_confidence_choice_is_optional_and_never_an_answer_button(tmp_path):
    """Answers can go on without a confidence; the sure/unsure/guessed buttons are not among the answers."""
    store = ProgressStore(tmp_path / "p.sqlite3")
    widget = quiz_widget(BANK, progress=store)
    assert [b.description for b in widget.confidence_buttons] == ["sure", "unsure", "guessed"]
    assert not set(widget.confidence_buttons) & set(widget.choices.children)
    widget.answer(widget.question.correct_answers[0].answer)
    widget.next()
    widget.answer(widget.question.correct_answers[0].answer)
    widget.give_confidence("guessed")
    assert list(store.attempts()["confidence"]) == [None, "guessed"]
    assert "Noted: a right guess" in widget.confidence_note.value
    assert widget.give_confidence("certain") is None and "not one of the choices" in widget.status.value


def test_without_a_progress_file_review_uses_this_sessions_answers(tmp_path, monkeypatch):
    """When nothing can be saved, Due for review still works from the answers of this session."""
    monkeypatch.setenv("SARCOMA_EDU_PROGRESS", str(tmp_path))  # a folder: the store cannot open
    widget = quiz_widget(BANK)
    assert widget.progress is None
    first = widget.question
    widget.answer(_wrong(first))
    widget.clock = lambda: datetime.now(UTC) + timedelta(minutes=5)
    assert widget.practise_due() == 1 and widget.question.id == first.id


# --- the progress figure --------------------------------------------------------------------


def test_the_progress_figure_shows_mastery_per_topic_in_bars_and_in_words(tmp_path):
    """With mastery, a second panel shows each topic's mastery now, on the bars and in a sentence with the rule."""
    path = tmp_path / "p.sqlite3"
    shutil.copyfile(OLD_FILE, path)
    store = ProgressStore(path)
    now = datetime(2026, 3, 10, tzinfo=UTC)
    table = review.mastery(store, now)
    fig = progress_figure(store.summary(by="topic"), table)
    bars = fig.data[2]
    staging = table.set_index("topic").loc["staging"]
    percent = round(100 * staging["mastery"])
    assert bars.xaxis == "x2" and list(bars.y) == [t or "(no topic)" for t in table["topic"]]
    assert f"{percent}% mastery" in bars.text
    words = fig.layout.annotations[-1].text.replace("<br>", " ")
    assert words.startswith(MASTERY_WORDS[:60]) and "0% while your last answer to it was wrong" in words
    assert f"staging {percent}% ({int(staging['right'])} of 2 right the last time)" in words
    assert "mastery by topic" in fig.layout.title.text and "Mastery" in fig.layout.xaxis2.title.text


def test_the_progress_figure_names_each_learning_objective_in_words_under_the_counts(tmp_path):
    """By objective, the mastery bars sit under the counts, each labelled with the objective's words, not its id."""
    store = ProgressStore(tmp_path / "p.sqlite3")
    question = BANK[0]
    store.record(question.id, question.correct_answers[0].answer, True, question.topic)
    table = review.mastery(store, by="objective")
    fig = progress_figure(store.summary(by="topic"), table)
    bars = fig.data[2]
    words = load_objectives()[question.objectives[0]].objective
    assert bars.yaxis == "y2" and len(bars.y) == len(question.objectives)
    assert bars.y[0].replace("<br>", " ").lower() == words.lower() and question.objectives[0] not in bars.y[0]
    assert f"{words[:1].upper()}{words[1:]} 100% (1 of 1 right the last time)" in (
        fig.layout.annotations[-1].text.replace("<br>", " ")
    )
    assert "mastery by objective" in fig.layout.title.text


def test_an_objective_answered_only_wrongly_is_never_shown_as_mastered(tmp_path):
    """Right after a session, an objective whose questions were all answered wrongly shows 0% mastery, not 100%."""
    store = ProgressStore(tmp_path / "p.sqlite3")
    question = BANK[0]
    wrong = next(a.answer for a in question.answers if not a.correct)
    store.record(question.id, wrong, False, question.topic)
    table = review.mastery(store, by="objective")
    assert table["mastery"].tolist() == [0.0] * len(question.objectives) and table["right"].sum() == 0
    fig = progress_figure(store.summary(by="topic"), table)
    assert list(fig.data[2].text) == ["0% mastery"] * len(question.objectives)


def test_the_progress_figure_without_mastery_keeps_its_counts_and_labels(tmp_path):
    """Called as before, the figure shows attempted and right with their words, and no mastery panel."""
    store = ProgressStore(tmp_path / "p.sqlite3")
    store.record("st-ia", "IA", True, "staging")
    fig = progress_figure(store.summary(by="topic"))
    assert [t.name for t in fig.data] == ["Attempted", "Right"] and fig.data[0].text == ("attempted 1",)
    with pytest.raises(ValueError, match="mastery has no column 'mastery'"):
        progress_figure(store.summary(by="topic"), pd.DataFrame({"topic": ["staging"], "items": [1]}))


def test_an_exercise_answered_in_a_lesson_comes_back_in_the_quiz_when_due_and_as_a_mistake(tmp_path):
    """A wrong in-lesson prediction is asked again by the quiz: under 'Due for review' and 'Practise my mistakes'."""
    from sarcoma_edu.course.exercises import exercise_questions

    exercise = exercise_questions()[0]
    store = ProgressStore(tmp_path / "p.sqlite3")
    store.add_attempts(
        [{"attempt_id": "1", "question_id": exercise.id, "topic": exercise.topic, "answer": "x", "correct": False,
          "answered_at": "2026-03-02T09:00:00+00:00"}]
    )  # fmt: skip
    widget = quiz_widget(BANK, progress=store)
    widget.review_button.click()
    assert widget.mode == "review" and widget.question.id == exercise.id
    widget = quiz_widget(BANK, progress=store)
    assert widget.practise_mistakes() == 1 and widget.question.id == exercise.id
