"""Lesson 05's "What would you watch for?": the predict-then-check exercise and the drug safety table."""

from __future__ import annotations

import html
import re

import ipywidgets as w
import pytest

from sarcoma_edu import load_drugs
from sarcoma_edu.progress.store import ProgressStore
from sarcoma_edu.widgets.drugs import WATCH_FOR_QUESTIONS, drug_safety_table, watch_for_exercise


@pytest.fixture
def store(tmp_path):
    return ProgressStore(tmp_path / "progress.sqlite3")


def _click(widget, text: str) -> None:
    next(b for b in widget.choices.children if isinstance(b, w.Button) and b.description == text).click()


def test_the_exercise_asks_why_mesna_the_dose_limit_afami_cel_care_and_checkpoint_reactions(store):
    """The exercise asks exactly the nursing questions of the brief, first of all why mesna is given."""
    widget = watch_for_exercise(progress=store)
    assert [q.id for q in widget.queue] == list(WATCH_FOR_QUESTIONS)
    assert widget.question.id == "dr-mesna"
    assert "What would you watch for?" in widget.children[0].value
    assert widget.case_button not in [c for box in widget.children for c in getattr(box, "children", ())]


def test_a_wrong_guess_about_mesna_shows_why_with_the_ifosfamide_label_as_source(store):
    """Guessing mesna protects the heart is marked wrong, names doxorubicin's heart risk and cites the FDA label."""
    widget = watch_for_exercise(progress=store)
    _click(widget, "To protect the heart")
    text = html.unescape(widget.result.value)
    assert "✗ Not quite." in text
    assert "doxorubicin" in text and "To protect the bladder from bleeding caused by ifosfamide" in text
    assert "Source: FDA label (ifosfamide, boxed warning)" in text


def test_every_answer_in_the_exercise_is_saved_like_a_quiz_answer(store):
    """Each answer goes to the progress store under the bank question's id and topic, right or wrong."""
    widget = watch_for_exercise(progress=store)
    for number, _ in enumerate(WATCH_FOR_QUESTIONS):
        question = widget.question
        if question.type == "many_choice":
            widget.answer([a.answer for a in question.correct_answers])
        else:
            widget.answer(question.correct_answers[0].answer)
        if number < len(WATCH_FOR_QUESTIONS) - 1:
            widget.next()
    attempts = store.attempts()
    assert attempts.question_id.tolist() == list(WATCH_FOR_QUESTIONS)
    assert attempts.correct.all() and set(attempts.topic) == {"drugs"}


def test_the_safety_table_shows_each_drugs_harms_in_full_without_an_index():
    """The table has no index column, and every drug's watch-for and monitoring text appears uncut."""
    table = drug_safety_table()
    headers = re.findall(r"<th scope='col'>(.*?)</th>", table.table.value)
    assert [h.lower() for h in headers] == ["name", "watch for", "monitoring", "us status", "source"]
    page = html.unescape(table.table.value)
    drugs = load_drugs().set_index("name")
    for name in table.frame.name:
        assert drugs.loc[name, "watch_for"] in page
    assert "echocardiogram or MUGA" in page and "at least 7 days" in page
    assert "9 of 9 rows shown" in table.count.value


def test_the_table_of_answers_opens_only_once_all_five_questions_are_answered(store):
    """The drug-by-drug table, which gives every answer, waits under the questions until the fifth is answered."""
    widget = watch_for_exercise(progress=store)
    box = widget.children[-1]
    for number, _ in enumerate(WATCH_FOR_QUESTIONS):
        assert not box.opened and f"({number} answered)" in box.note.value
        question = widget.question
        widget.answer(
            [a.answer for a in question.correct_answers]
            if question.type == "many_choice"
            else question.correct_answers[0].answer
        )
        widget.next()
    assert (
        box.opened and "Now check your answers against the whole picture" in box.content.children[0].children[0].value
    )
    reopened = watch_for_exercise(progress=ProgressStore(store.path))
    assert reopened.children[-1].opened  # answered in an earlier session: open at once
