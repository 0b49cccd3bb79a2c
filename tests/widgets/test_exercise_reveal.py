"""After Run All, what settles a prediction stays hidden until the prediction is answered (driven from Python)."""

from __future__ import annotations

import ipywidgets as w
import pandas as pd
import pytest

from sarcoma_edu.display import presentation
from sarcoma_edu.progress.store import ProgressStore
from sarcoma_edu.widgets.exercise import predict
from sarcoma_edu.widgets.reveal import REVEAL_CLASS, after_answering


@pytest.fixture
def store(tmp_path):
    """A progress store in a temporary folder."""
    return ProgressStore(tmp_path / "progress.sqlite3")


class Built:
    """A show= function that counts how often it was called."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> w.Widget:
        self.calls += 1
        return w.HTML("the stage map")


def test_a_box_stays_closed_and_unbuilt_until_its_prediction_is_answered(store):
    """Before the answer the box says what it waits for and builds nothing; the answer opens it."""
    built = Built()
    box = after_answering("ex-03-retro-nodes", show=built, what="the stage map", progress=store)
    assert not box.opened and built.calls == 0 and box.content.layout.display == "none"
    assert REVEAL_CLASS in box.content._dom_classes
    assert "Answer the prediction above first: the stage map will then show here." in box.note.value
    predict("ex-03-retro-nodes", progress=store).answer("IV")  # a wrong answer is an answer too
    assert box.opened and built.calls == 1 and box.content.layout.display is None and box.note.value == ""


def test_a_box_naming_three_predictions_opens_only_after_the_third(store):
    """The staging calculator with its map waits for all three predictions and says how many are answered."""
    box = after_answering("ex-03-thigh-12-high", "ex-03-retro-nodes", "ex-03-limb-twin", show=Built(), progress=store)
    for number, (exercise_id, answer) in enumerate(
        [("ex-03-thigh-12-high", "IIIB"), ("ex-03-retro-nodes", "IIIB"), ("ex-03-limb-twin", "IV")], start=1
    ):
        assert not box.opened
        predict(exercise_id, progress=store).answer(answer)
        if number < 3:
            assert f"({number} answered)" in box.note.value
    assert box.opened


def test_a_cells_printed_answer_is_held_back_and_kept_for_plain_text_readers(store, capsys):
    """Inside `with after_answering(...)` nothing is printed to the cell; the box holds it and shows it after."""
    with after_answering("ex-00-retro-nodes", progress=store) as box:
        print("IIIB")
        print("IV")
    assert "IIIB" not in capsys.readouterr().out  # the cell itself shows only the box
    assert box.printed == "IIIB\nIV\n" and not box.opened
    assert box._repr_mimebundle_()["text/plain"] == "IIIB\nIV\n"  # what nbval compares
    predict("ex-00-retro-nodes", progress=store).answer("IIIB")
    (shown,) = box.content.children
    assert box.opened and "IIIB\nIV" in shown.value and "<pre" in shown.value


@pytest.mark.parametrize("form", ["show=", "with"])
def test_before_the_answer_nothing_of_what_a_box_holds_is_in_the_page_and_after_it_all_is(store, capsys, form):
    """A waiting box puts none of its content in the page (not even hidden) until the answer; then all of it."""
    if form == "with":
        with after_answering("ex-03-neck-t", progress=store) as box:
            print("head_and_neck T2 N0 M0 G2 no stage group")
    else:
        box = after_answering("ex-03-neck-t", show="head_and_neck T2 N0 M0 G2 no stage group", progress=store)
    assert box.content.children == () and "T2" not in box.note.value and "T2" not in capsys.readouterr().out
    predict("ex-03-neck-t", progress=store).answer("T1")
    (shown,) = box.content.children
    assert "head_and_neck T2 N0 M0 G2 no stage group" in shown.value and box.content.layout.display is None


def test_a_printed_answer_shows_at_once_when_its_prediction_was_answered_in_an_earlier_session(store):
    """Run All again after answering last week: the cell that printed the answer shows it without a new answer."""
    store.record("ex-03-neck-t", "T2", True, "staging")
    with after_answering("ex-03-neck-t", progress=ProgressStore(store.path)) as box:
        print("head_and_neck T2")
    (shown,) = box.content.children
    assert box.opened and "head_and_neck T2" in shown.value


def test_an_error_inside_the_box_still_shows_and_loses_nothing_printed(store, capsys):
    """A mistake in the code of a waiting cell raises as usual, and what was printed before it is not lost."""
    with pytest.raises(ZeroDivisionError), after_answering("ex-00-retro-nodes", progress=store):
        print("before the mistake")
        print(1 / 0)
    assert "before the mistake" in capsys.readouterr().out


def test_a_table_shown_after_the_answer_has_plain_names_and_no_row_numbers(store):
    """A pandas table given as it is opens as a lesson table: plain column names, no row numbers."""
    table = pd.DataFrame({"patient_id": ["P0007"], "size_cm": [6.5]}, index=[6])
    box = after_answering("ex-06-no-group-sites", show=table, progress=store)
    predict("ex-06-no-group-sites", progress=store).answer(["visceral"])
    (shown,) = box.content.children
    assert ">Patient ID</th>" in shown.value and ">Size (cm)</th>" in shown.value and ">6<" not in shown.value


def test_a_box_opens_at_once_for_a_prediction_answered_in_an_earlier_session(store):
    """Run All on a lesson answered last week: the boxes waiting for its predictions are open from the start."""
    store.record("ex-02-total-score", 8, True, "grade")
    box = after_answering("ex-02-total-score", show=Built(), progress=ProgressStore(store.path))
    assert box.opened


def test_under_present_nothing_is_restored_from_the_presenters_own_progress(store, monkeypatch):
    """In `sarcoma-edu present` every box waits for the room's answer, whatever the presenter answered before."""
    store.record("ex-02-total-score", 8, True, "grade")
    monkeypatch.setenv(presentation.PRESENT_ENV, "1")
    assert not after_answering("ex-02-total-score", show=Built(), progress=store).opened
    widget = predict("ex-02-total-score", progress=store)
    assert widget.feedback is None and widget.restored is None
    widget.number.value = "8"
    widget.check_button.click()
    assert widget.feedback.correct and "the room's answer is checked, not saved" in widget.result.value
    assert len(store.attempts()) == 1  # only the presenter's own earlier answer


def test_answer_again_hides_the_answer_and_closes_its_boxes(store):
    """'Answer again' puts the prediction back: inputs open, feedback and reveal gone, the boxes waiting again."""
    store.record("ex-03-retro-nodes", "IV", False, "staging")
    box = after_answering("ex-03-retro-nodes", show=Built(), progress=store)
    widget = predict("ex-03-retro-nodes", reveal=Built(), progress=store)
    assert box.opened and widget.again_button.layout.display is None
    widget.again_button.click()
    assert widget.feedback is None and widget.result.value == "" and widget.reveal_box.children == ()
    assert not box.opened and not any(b.disabled for b in widget.choices.children if isinstance(b, w.Button))
    widget.answer("IIIB")
    assert box.opened and store.attempts()["correct"].tolist() == [False, True]


def test_an_unknown_exercise_id_is_refused_naming_the_lessons_exercises():
    """after_answering with a misspelt id says which exercises that lesson has; with none it says one is needed."""
    with pytest.raises(ValueError, match="ex-03-retro-nodes"):
        after_answering("ex-03-retro")
    with pytest.raises(ValueError, match="needs the id of at least one exercise"):
        after_answering()
