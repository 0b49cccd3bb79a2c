"""The exercise widget driven from Python: right, wrong, recorded with its lesson, the reveal only after an attempt."""

from __future__ import annotations

import json
from pathlib import Path

import ipywidgets as w
import pytest

from sarcoma_edu.course.exercises import exercise, load_exercises
from sarcoma_edu.course.lesson_progress import progress_by_lesson
from sarcoma_edu.progress.store import ProgressStore
from sarcoma_edu.widgets.exercise import ExerciseWidget, predict, self_check


@pytest.fixture
def store(tmp_path):
    """A progress store in a temporary folder."""
    return ProgressStore(tmp_path / "progress.sqlite3")


class Reveal:
    """A reveal that counts how often it was built and returns a labelled widget."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> w.Widget:
        self.calls += 1
        return w.HTML("the staging calculator")


def _buttons(widget: ExerciseWidget) -> dict[str, w.Button]:
    return {c.description: c for c in widget.choices.children if isinstance(c, w.Button)}


def test_a_right_prediction_is_recorded_with_its_lesson_and_then_reveals(store):
    """Pressing IIIB for the retroperitoneal tumour is correct, saves ex-03-retro-nodes, then builds the reveal once."""
    reveal = Reveal()
    widget = predict("ex-03-retro-nodes", reveal=reveal, progress=store)
    assert reveal.calls == 0 and widget.revealed is None and widget.reveal_box.children == ()
    _buttons(widget)["IIIB"].click()
    assert widget.feedback.correct and "✓ Correct." in widget.result.value and "Source: AJCC8" in widget.result.value
    assert reveal.calls == 1 and widget.reveal_box.children[-1] is widget.revealed
    (attempt,) = store.attempts().to_dict("records")
    assert (attempt["question_id"], attempt["answer"], attempt["correct"], attempt["topic"]) == (
        "ex-03-retro-nodes",
        "IIIB",
        True,
        "staging",
    )
    assert progress_by_lesson(store).set_index("lesson").loc["03_staging", "answered"] == 1


def test_a_wrong_prediction_shows_the_right_answer_why_and_the_source(store):
    """Pressing IV for the retroperitoneal tumour is recorded as wrong and the feedback gives IIIB and its reason."""
    widget = predict("ex-03-retro-nodes", reveal=Reveal(), progress=store)
    feedback = widget.answer("IV")
    assert not feedback.correct
    assert "✗ Not quite." in widget.result.value and "The right answer: IIIB" in widget.result.value
    assert "limb rule" in widget.result.value  # the feedback written for the answer chosen
    assert store.attempts()["correct"].tolist() == [False]


def test_a_second_answer_is_refused_and_not_recorded_twice(store):
    """Once answered, another answer is a visible alert; the store holds one attempt and the reveal is built once."""
    reveal = Reveal()
    widget = predict("ex-03-retro-nodes", reveal=reveal, progress=store)
    widget.answer("IIIB")
    assert widget.answer("IV") is None and "role='alert'" in widget.message.value
    assert len(store.attempts()) == 1 and reveal.calls == 1
    assert all(b.disabled for b in _buttons(widget).values())


def test_an_answer_not_offered_is_an_alert_and_reveals_nothing(store):
    """An answer the exercise does not list shows role=alert naming the value; nothing is saved or revealed."""
    reveal = Reveal()
    widget = predict("ex-03-retro-nodes", reveal=reveal, progress=store)
    assert widget.answer("Stage 3") is None
    assert "role='alert'" in widget.message.value and "&#x27;Stage 3&#x27;" in widget.message.value
    assert reveal.calls == 0 and store.attempts().empty


def test_a_number_is_typed_then_checked(store):
    """The FNCLCC total is typed in the number box and checked with the button: 8 is right."""
    widget = predict("ex-02-total-score", progress=store)
    widget.number.value = "8"
    widget.check_button.click()
    assert widget.feedback.correct and store.attempts()["answer"].tolist() == [8.0]


def test_ticking_boxes_answers_a_many_choice_exercise(store):
    """Ticking exactly the reference's list for myxoid liposarcoma (bone and spine, soft tissue, abdomen; section 4)
    is right, with feedback for each; there is no 'other distant sites' box to require; nothing ticked is an alert."""
    widget = predict("ex-04-myxoid-where", progress=store)
    widget.check_button.click()
    assert widget.feedback is None and "Tick at least one answer" in widget.message.value
    boxes = {box.description for box in widget.choices.children if isinstance(box, w.Checkbox)}
    assert "other distant sites" not in boxes
    for box in widget.choices.children:
        if isinstance(box, w.Checkbox):
            box.value = box.description in {"bone and spine", "soft tissue", "abdomen"}
    widget.check_button.click()
    assert widget.feedback.correct
    assert "whole-spine MRI" in widget.feedback.answer_feedback and "abdomen and pelvis" in widget.result.value


def _row_buttons(widget: ExerciseWidget) -> list[tuple[w.Button, w.Button]]:
    return [(up, down) for _, up, down in widget._rows]


def test_the_phases_are_put_in_order_with_the_move_buttons_alone(store):
    """Pressing each item's Move up / Move down buttons (what Space does on a focused button) orders the plan."""
    widget = predict("ex-05-order-preop", progress=store)
    right = list(widget.exercise.items)
    assert widget.order != right
    for target, item in enumerate(right):  # bring each item up to its place, one button press at a time
        while widget.order.index(item) > target:
            up, _ = _row_buttons(widget)[widget.order.index(item)]
            assert up.description == f"Move {item} up" and not up.disabled
            up.click()
            assert "role='status'" in widget.status.value and "is now" in widget.status.value
    assert widget.order == right
    first_up, _ = _row_buttons(widget)[0]
    _, last_down = _row_buttons(widget)[-1]
    first_up.click()  # nowhere to go: the order stays, and the status says why
    said = f"{right[0]} is already 1st of {len(right)}: it cannot move up"
    assert widget.order == right and said in widget.status.value
    last_down.click()
    assert widget.order == right and "it cannot move down" in widget.status.value
    widget.check_button.click()
    assert widget.feedback.correct
    assert store.attempts()["answer"].tolist() == [right]
    assert all(b.disabled for pair in _row_buttons(widget) for b in pair)


def test_a_wrong_order_shows_the_right_order():
    """Checking the order the exercise starts in (never the right one) shows the phases in plan order."""
    widget = ExerciseWidget(exercise("ex-05-order-preop"), None)
    widget.check_button.click()
    assert not widget.feedback.correct
    assert (
        "The right answer: Radiation therapy before surgery → Recovery before surgery → Surgery" in widget.result.value
    )
    assert "Checked, but not saved" in widget.result.value


def test_moving_after_the_answer_is_an_alert():
    """Once the order is checked, a move is refused with a visible message and the order stays."""
    widget = ExerciseWidget(exercise("ex-08-case1-order"), None)
    widget.answer(list(widget.order))
    before = list(widget.order)
    widget.move(before[1], -1)
    assert widget.order == before and "role='alert'" in widget.message.value


def _write(tmp_path: Path, text: str) -> Path:
    item = {
        "id": "ex-03-escaping",
        "lesson": "03_staging",
        "role": "predict",
        "topic": "staging",
        "type": "multiple_choice",
        "difficulty": "easy",
        "question": f"Which stage? {text}",
        "answers": [{"answer": f"IIIB {text}", "correct": True, "feedback": text}, {"answer": "IV", "correct": False}],
        "explanation": f"Because {text}",
        "source": f"AJCC8 {text}",
        "objectives": ["staging-nodal-rule"],
    }
    path = tmp_path / "mine.json"
    path.write_text(json.dumps([item]), encoding="utf-8")
    return path


def test_exercise_text_is_shown_escaped(tmp_path):
    """Markup in an exercise's question, answers, feedback, explanation and source is shown as text, never run."""
    bad = "<img src=x onerror=alert(1)>"
    (ex,) = load_exercises(path=_write(tmp_path, bad))
    widget = ExerciseWidget(ex, None)
    assert bad not in widget.text.value and "&lt;img" in widget.text.value
    widget.answer(f"IIIB {bad}")
    assert bad not in widget.result.value and widget.result.value.count("&lt;img src=x") == 4


def test_a_reveal_that_fails_is_a_message_and_the_feedback_stays(store):
    """A reveal that raises shows role=alert with the reason; the answer is still checked, shown and saved."""

    def broken():
        raise RuntimeError("no figure today")

    widget = predict("ex-02-grade-2-to-3", reveal=broken, progress=store)
    widget.answer("Necrosis rises to 60%")
    assert widget.feedback.correct and "✓ Correct." in widget.result.value
    (message,) = widget.reveal_box.children
    assert "role='alert'" in message.value and "no figure today" in message.value
    assert len(store.attempts()) == 1


def test_a_table_or_a_text_reveal_is_shown_as_a_table_or_as_text():
    """A revealed table has plain column names and no row numbers, as every lesson table; a text is escaped."""
    import pandas as pd

    frame = pd.DataFrame({"size_cm": [12.0], "pdq_wording": ["stage IIIB"]}, index=[7])
    table = ExerciseWidget(exercise("ex-04-retro-local"), None, lambda: frame)
    table.answer("Spread to distant sites (distant metastasis)")
    shown = table.reveal_box.children[-1].value
    assert ">Size (cm)</th>" in shown and ">PDQ wording</th>" in shown and "size_cm" not in shown
    assert ">7<" not in shown  # the row number is not shown
    text = ExerciseWidget(exercise("ex-08-two-readings"), None, lambda: "Step 1 <b>")
    text.answer(["Treatment of Stage IV Soft Tissue Sarcoma"])
    assert "<pre" in text.reveal_box.children[-1].value and "&lt;b&gt;" in text.reveal_box.children[-1].value


def test_a_store_that_refuses_the_answer_still_gives_feedback(store, monkeypatch):
    """When saving fails the feedback says checked but not saved, and why; no traceback reaches the student."""

    def refuse(*args, **kwargs):
        raise OSError("the disk is full")

    monkeypatch.setattr(store, "record", refuse)
    widget = predict("ex-03-limb-twin", progress=store)
    widget.answer("IV")
    assert widget.feedback.correct and "Checked, but not saved: the disk is full" in widget.result.value


def test_the_reveal_must_be_a_function():
    """A reveal that is a finished figure instead of a function is a TypeError saying to pass a function."""
    with pytest.raises(TypeError, match=r"reveal=.* is not a function"):
        predict("ex-03-retro-nodes", reveal="StagingCalculator()")


def test_an_unknown_exercise_is_refused_naming_the_lessons_ones():
    """predict() with a misspelt id says which exercises the lesson has."""
    with pytest.raises(ValueError, match="ex-03-retro-nodes"):
        predict("ex-03-retro")


def test_a_lessons_self_check_records_each_question_with_the_lesson(store):
    """self_check("03") shows every self-check question of lesson 03; each answer is saved under an ex-03 id."""
    check = self_check("03", progress=store)
    expected = [e.id for e in load_exercises("03_staging") if e.role == "self-check"]
    assert [q.exercise.id for q in check.exercises] == expected and len(expected) >= 3
    assert check.exercises[0].heading.value.count(f"Question 1 of {len(expected)}") == 1
    for question in check.exercises:
        question.answer(question.exercise.question.correct_answers[0].answer)
        assert "The right answer" not in question.result.value and question.exercise.question.explanation[:20] in (
            question.result.value
        )
    assert store.attempts()["question_id"].tolist() == expected
    row = progress_by_lesson(store).set_index("lesson").loc["03_staging"]
    assert (row["answered"], row["right_last_time"]) == (len(expected), len(expected))


def test_a_self_check_answer_still_shows_the_answer_after_a_wrong_attempt(tmp_path):
    """A wrong self-check answer shows the right answer and the explanation the old Show answer held."""
    (first, *_rest) = self_check("02_grade", progress=ProgressStore(tmp_path / "p.sqlite3")).exercises
    wrong = next(a.answer for a in first.exercise.question.answers if not a.correct)
    first.answer(wrong)
    assert "The right answer: Grade 2" in first.result.value and "2 + 2 + 1 = 5" in first.result.value


def test_a_lesson_without_self_check_exercises_is_refused():
    """self_check() for a lesson with no exercises is a ValueError naming the lessons that have some."""
    with pytest.raises(ValueError, match="lessons with exercises: 00_welcome"):
        self_check("09_class_report")


def test_a_revealed_figure_comes_with_its_text_alternative(tmp_path):
    """A figure shown after a prediction is followed by its name, description and data table, as in the lessons."""
    from sarcoma_edu.display.grade import fnclcc_figure

    widget = predict("ex-02-grade-2-to-3", reveal=fnclcc_figure, progress=ProgressStore(tmp_path / "p.sqlite3"))
    widget.answer(widget.exercise.question.correct_answers[0].answer)
    shown = widget.reveal_box.children[-1].outputs
    assert len(shown) == 2 and "Figure:" in shown[1]["data"]["text/html"]


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("five", "'five' is not a number"),
        ("3-4", "'3-4' is a range: type one number, e.g. 3"),
        ("12,5", "'12,5' has a comma: write a decimal with a point, e.g. 12.5"),
        ("", "the box is empty"),
    ],
    ids=["a word", "a range", "a decimal comma", "nothing"],
)
def test_a_number_prediction_refuses_what_it_cannot_read_and_records_nothing(store, typed, says):
    """Text that is not a plain number is refused with a visible message; nothing is recorded or revealed."""
    reveal = Reveal()
    widget = predict("ex-02-total-score", reveal=reveal, progress=store)
    widget.number.value = typed
    widget.check_button.click()
    message = widget.message.value.replace("&#x27;", "'")
    assert "role='alert'" in message and says.lower() in message.lower() and "Nothing was recorded" in message
    assert widget.feedback is None and reveal.calls == 0 and store.attempts().empty
    assert "Your answer: 0" not in widget.result.value


def test_a_prediction_answered_in_an_earlier_session_shows_that_answer_and_when(store):
    """Reopened, an answered prediction shows the earlier answer, its feedback and reveal, and records nothing new."""
    store.record("ex-03-retro-nodes", "IV", False, "staging")
    reveal = Reveal()
    widget = predict("ex-03-retro-nodes", reveal=reveal, progress=ProgressStore(store.path))
    assert widget.restored == "IV" and not widget.feedback.correct and reveal.calls == 1
    assert "Your answer: IV" in widget.result.value and "You answered this on " in widget.result.value
    assert widget.again_button.layout.display is None and len(store.attempts()) == 1


def test_a_moved_phase_keeps_the_keyboard(store, monkeypatch):
    """After Move up is pressed, focus goes to the moved phase's own button, so Enter moves it again, never back, and
    at the top Enter leaves it there."""
    widget = predict("ex-05-order-preop", progress=store)
    focused = []
    for _label, up, down in widget._rows:
        for button in (up, down):
            monkeypatch.setattr(button, "focus", lambda b=button: focused.append(b.description))
    item = widget.order[2]
    _row_buttons(widget)[2][0].click()  # "Move <item> up" on the third line
    assert widget.order.index(item) == 1 and focused == [f"Move {item} up"]
    _row_buttons(widget)[1][0].click()  # Enter again on the focused button: the same phase goes up again
    assert widget.order.index(item) == 0 and focused[-1] == f"Move {item} up"
    _row_buttons(widget)[0][0].click()  # Enter once more, at the top: it stays first, the keyboard on it
    assert widget.order.index(item) == 0 and focused[-1] == f"Move {item} up"
