"""The projector's class poll, driven from Python: class folder, item, Open / Close / Reveal, the answers arriving."""

from __future__ import annotations

import json
import time

import pytest

from sarcoma_edu.course.cases import load_cases
from sarcoma_edu.display.poll_chart import RIGHT_MARK
from sarcoma_edu.live.ballots import ANSWER_FORMAT, answer_file_name
from sarcoma_edu.live.classfolder import init_class
from sarcoma_edu.live.dropbox import drop_answer, pseudonym, student_token
from sarcoma_edu.widgets.poll import lesson_items, poll_widget

ITEM = "ex-08-case1-stage"  # "Worked case 1: a 12 cm sarcoma of the thigh ...": stage IIIB (AJCC8)


@pytest.fixture
def class_dir(tmp_path, monkeypatch):
    """A class folder set up for one shared account (students told apart by token), as for a demo."""
    monkeypatch.delenv("SARCOMA_EDU_CLASS_DIR", raising=False)
    folder = tmp_path / "class"
    init_class(folder, shared_account=True)
    return folder


def answer(class_dir, tmp_path, student: str, choice: str, item: str = ITEM) -> None:
    """One student (a token of her own) answers the open poll."""
    dropped = drop_answer(item, choice, class_dir=class_dir, token_folder=tmp_path / "students" / student)
    assert dropped is not None and dropped.ok, dropped


def late_answer(class_dir, tmp_path, student: str, choice: str) -> None:
    """An answer file that reaches the drop box after the poll was closed (her drop raced the close)."""
    token = student_token(tmp_path / "students" / student)
    content = {"format": ANSWER_FORMAT, "item": ITEM, "answer": choice, "pseudonym": pseudonym(token),
               "answered_at": "2026-01-01T00:00:00+00:00"}  # fmt: skip
    (class_dir / "dropbox" / answer_file_name(ITEM, token)).write_text(json.dumps(content))


def wrong_and_right(widget) -> tuple[str, str]:
    question = widget.question
    right = next(a.answer for a in question.correct_answers)
    return next(c for c in question.choices if c != right), right


def test_without_a_class_folder_it_says_how_to_make_one_and_nothing_can_be_opened(monkeypatch):
    """No $SARCOMA_EDU_CLASS_DIR: the widget names 'sarcoma-edu class init' and the variable; Open and Close are off."""
    monkeypatch.delenv("SARCOMA_EDU_CLASS_DIR", raising=False)
    widget = poll_widget("08_tumour_board", item=ITEM)
    assert "sarcoma-edu class init" in widget.folder_note.value and "SARCOMA_EDU_CLASS_DIR" in widget.folder_note.value
    assert widget.open_button.disabled and widget.close_button.disabled
    assert "No poll yet: choose a class folder." in widget.status.value
    assert widget.question is not None and "12 cm" in widget.question_text.value


def test_the_poll_is_a_widget_the_page_can_show(monkeypatch):
    """The poll has its widget model (its own Open does not replace the widget's opening, so JupyterLab draws it)."""
    monkeypatch.delenv("SARCOMA_EDU_CLASS_DIR", raising=False)
    widget = poll_widget("08")
    assert widget.model_id and widget._repr_mimebundle_()["application/vnd.jupyter.widget-view+json"]["model_id"]


def test_a_folder_that_is_not_a_class_folder_is_a_message_with_the_set_up(tmp_path, monkeypatch):
    """An empty folder typed as the class folder: an alert naming it, the set-up line, and no folder in use."""
    monkeypatch.delenv("SARCOMA_EDU_CLASS_DIR", raising=False)
    widget = poll_widget("08")
    assert widget.use_folder(str(tmp_path)) is None
    assert "role='alert'" in widget.folder_note.value and str(tmp_path) in widget.folder_note.value
    assert "sarcoma-edu class init" in widget.folder_note.value


def test_the_class_folder_comes_from_the_environment(class_dir, monkeypatch):
    """With $SARCOMA_EDU_CLASS_DIR set, the widget uses that folder and shows its path in the box."""
    monkeypatch.setenv("SARCOMA_EDU_CLASS_DIR", str(class_dir))
    widget = poll_widget("08", item=ITEM)
    assert widget.class_dir == class_dir and widget.folder.value == str(class_dir)
    assert "No poll on this question yet" in widget.status.value and not widget.open_button.disabled


def test_a_class_folder_that_is_not_mine_says_the_poll_is_run_by_the_instructor(class_dir, monkeypatch):
    """In a student's kernel on the hub (the polls folder is not hers to write): a note that the instructor runs the
    poll and her answers reach it by themselves; no folder in use, nothing to open."""
    monkeypatch.setattr("sarcoma_edu.widgets.poll.os.access", lambda path, mode: False)
    widget = poll_widget("08", class_dir=class_dir, item=ITEM)
    assert widget.class_dir is None and widget.open_button.disabled
    assert "your instructor's" in widget.folder_note.value and "reaches it by itself" in widget.folder_note.value


def test_an_unknown_item_id_typed_is_a_visible_message_naming_it(class_dir):
    """Typing 'ex-08-nope' shows an alert naming the id and what ids look like; nothing can be opened."""
    widget = poll_widget("08", class_dir=class_dir)
    widget.item_box.value = "ex-08-nope"
    assert widget.question is None
    assert "role='alert'" in widget.item_note.value and "ex-08-nope" in widget.item_note.value
    assert widget.open_button.disabled


def test_the_list_holds_the_lessons_predictions_and_every_case_step():
    """Lesson 08's list offers its predictions and self-checks, then each built-in case's steps in order."""
    cases = load_cases()
    options = lesson_items("08_tumour_board", cases)
    ids = [value for _label, value in options]
    assert ids[0] == ITEM and "ex-08-r0" in ids
    assert [i for i in ids if i.startswith("case:")] == [i for case in cases for i in case.step_ids()]
    assert options[0][0].startswith("Prediction: Worked case 1")


def test_a_listed_id_typed_shows_in_the_list_and_choosing_from_the_list_clears_the_box(class_dir):
    """Typing a listed id selects it in the list; choosing another from the list empties the typed box."""
    widget = poll_widget("08", class_dir=class_dir)
    widget.item_box.value = "ex-08-r0"
    assert widget.picker.value == "ex-08-r0" and widget.question.id == "ex-08-r0"
    widget.picker.value = ITEM
    assert widget.item_box.value == "" and widget.question.id == ITEM


def test_opening_counts_the_answers_and_shows_the_state_in_words(class_dir, tmp_path):
    """Open, then three students answer (two wrong, one right): 'Poll open: 3 answered' and bars of 67% and 33%."""
    widget = poll_widget("08", class_dir=class_dir, item=ITEM)
    widget.open_poll()
    assert "Poll open: 0 answered" in widget.status.value
    assert widget.open_button.disabled and not widget.close_button.disabled
    wrong, right = wrong_and_right(widget)
    for student, choice in (("ana", wrong), ("ben", wrong), ("cy", right)):
        answer(class_dir, tmp_path, student, choice)
    assert widget.refresh() is True
    assert "Poll open: 3 answered" in widget.status.value
    bars = dict(zip(widget.figure.data[0].y, widget.figure.data[0].text, strict=True))
    assert bars[wrong] == "67% (2)" and bars[right] == "33% (1)"


def test_the_answers_arrive_by_themselves_without_running_anything(class_dir, tmp_path):
    """While the poll is open a thread reads it again: an answer given after opening shows without any call."""
    widget = poll_widget("08", class_dir=class_dir, item=ITEM)
    widget.interval_s = 0.2
    widget.open_poll()
    assert widget.following
    answer(class_dir, tmp_path, "ana", wrong_and_right(widget)[1])
    deadline = time.monotonic() + 15  # a busy test machine: generous; the 2 s target is measured in the browser
    while "Poll open: 1 answered" not in widget.status.value and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "Poll open: 1 answered" in widget.status.value
    widget.close()
    assert not widget.following


def test_closing_stops_following_and_later_answers_are_late(class_dir, tmp_path):
    """Close: 'Poll closed: 1 answered', the thread stops; an answer after closing is reported late, not counted."""
    widget = poll_widget("08", class_dir=class_dir, item=ITEM)
    widget.open_poll()
    wrong, right = wrong_and_right(widget)
    answer(class_dir, tmp_path, "ana", right)
    widget.close_poll()
    assert "Poll closed: 1 answered" in widget.status.value and not widget.following
    assert not widget.open_button.disabled and widget.close_button.disabled
    late_answer(class_dir, tmp_path, "ben", wrong)
    widget.refresh()
    assert "Poll closed: 1 answered" in widget.status.value and "1 late, not counted" in widget.status.value


def test_reveal_shows_the_right_answer_with_its_explanation_and_marks_its_bar(class_dir, tmp_path):
    """Reveal: the right answer and why, with its source, in words; the chart's right bar says 'right answer'."""
    widget = poll_widget("08", class_dir=class_dir, item=ITEM)
    widget.open_poll()
    wrong, right = wrong_and_right(widget)
    answer(class_dir, tmp_path, "ana", wrong)
    widget.close_poll()
    assert widget.answer.value == "" and RIGHT_MARK not in " ".join(widget.figure.data[0].y)
    widget.reveal()
    assert right in widget.answer.value and widget.question.explanation[:40] in widget.answer.value
    assert "Source:" in widget.answer.value and widget.reveal_button.disabled
    marked = [label for label in widget.figure.data[0].y if RIGHT_MARK in label]
    assert len(marked) == 1 and right in marked[0]


def test_opening_again_hides_the_answer_for_the_new_round(class_dir):
    """After Reveal, opening the poll again clears the answer and the mark until Reveal is pressed again."""
    widget = poll_widget("08", class_dir=class_dir, item=ITEM)
    widget.open_poll()
    widget.close_poll()
    widget.reveal()
    widget.open_poll()
    assert widget.answer.value == "" and not widget.revealed and not widget.reveal_button.disabled


def test_a_hostile_file_in_the_drop_box_is_a_line_for_the_instructor_never_html(class_dir, tmp_path):
    """A file of HTML dropped for the poll is not counted and is listed as one escaped line, never as markup."""
    widget = poll_widget("08", class_dir=class_dir, item=ITEM)
    widget.open_poll()
    answer(class_dir, tmp_path, "ana", wrong_and_right(widget)[1])
    (class_dir / "dropbox" / "<img src=x onerror=alert(1)>.json").write_text("{}")
    widget.refresh()
    assert "Poll open: 1 answered" in widget.status.value
    assert "1 file of the drop box not counted" in widget.problems.value
    assert "&lt;img src=x onerror=alert(1)&gt;.json" in widget.problems.value
    assert "<img" not in widget.problems.value + widget.status.value


def test_closing_the_widget_stops_following(class_dir):
    """Closing the widget (its cell cleared or run again) ends the thread reading the class folder."""
    widget = poll_widget("08", class_dir=class_dir, item=ITEM)
    widget.open_poll()
    assert widget.following
    widget.close()
    assert not widget.following


def test_an_ordering_poll_draws_only_the_orders_given_and_reveal_adds_the_right_one(class_dir, tmp_path):
    """Of the 24 possible orders of lesson 08's plan, only the one two students gave gets a bar; Reveal adds the right
    order, marked."""
    widget = poll_widget("08", class_dir=class_dir, item="ex-08-case1-order")
    widget.open_poll()
    items = ["Surgery", "Radiation therapy before surgery", "Recovery before surgery", "Follow-up"]
    for student in ("ana", "ben"):
        answer(class_dir, tmp_path, student, items, item="ex-08-case1-order")
    widget.refresh()
    (label,) = widget.figure.data[0].y  # a long order wraps onto lines
    assert label.replace("<br>", " ") == " → ".join(items) and list(widget.figure.data[0].text) == ["100% (2)"]
    widget.reveal()
    labels = list(widget.figure.data[0].y)
    assert len(labels) == 2 and sum(RIGHT_MARK in label for label in labels) == 1


def test_a_numeric_poll_has_a_bar_per_number_and_reveal_marks_those_in_the_right_range(class_dir, tmp_path):
    """Lesson 01's limb share (right: 40 to 50%): answers 45, 45 and 30 give bars 30 and 45; Reveal marks 45 only."""
    widget = poll_widget(class_dir=class_dir, item="ex-01-limb-share")
    widget.open_poll()
    for student, number in (("ana", 45), ("ben", 45), ("cy", 30)):
        answer(class_dir, tmp_path, student, number, item="ex-01-limb-share")
    widget.refresh()
    assert list(widget.figure.data[0].y) == ["30", "45"] and list(widget.figure.data[0].text) == ["33% (1)", "67% (2)"]
    widget.reveal()
    assert list(widget.figure.data[0].y) == ["30", f"<b>✓ 45<br>({RIGHT_MARK})</b>"]
    assert "40" in widget.answer.value and "50" in widget.answer.value
