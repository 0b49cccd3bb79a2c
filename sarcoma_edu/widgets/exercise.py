"""Predict, then check: an in-lesson exercise widget that reveals what settles the answer only after an attempt.

The student commits to an answer (a choice, several choices, a number, or an order) and only then
sees the feedback (verdict, the right answer, why, and the source, in the quiz's box:
:mod:`sarcoma_edu.widgets.feedback`) and the calculator, figure or table that settles it, built at
that moment by the ``reveal`` callable the lesson passes in. Every answer is checked by the quiz
engine and recorded in the :class:`~sarcoma_edu.progress.store.ProgressStore` under the exercise's
id (``ex-03-...``), so progress shows it with its lesson.

Keyboard use: **Tab** moves between answers and buttons, **Space** or **Enter** presses a button or
ticks a box. An ordering exercise gives each line a "Move ... up" and a "Move ... down" button that
names the item, says where the item went after each move, and keeps the keyboard on the moved item's
button (:mod:`sarcoma_edu.widgets.ordering`). A number is typed as digits with a point for a
decimal; anything else ("five", "3-4", "12,5") is refused with a message and nothing is recorded. A
problem is shown as a message (``role="alert"``), never as a traceback.

An exercise answered in an earlier session shows as answered (the answer, when, the feedback and the
reveal), with **Answer again** to try it afresh; under ``sarcoma-edu present`` every exercise starts
unanswered and the room's answers are not saved in the presenter's progress (see
:mod:`sarcoma_edu.widgets.reveal`, which also keeps the lesson's other cells that settle a
prediction closed until it is answered).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

import ipywidgets as w

from sarcoma_edu.common import checks as _checks
from sarcoma_edu.course.exercises import Exercise, check_answer, exercises_of_lesson, load_exercises
from sarcoma_edu.course.items import find_exercise
from sarcoma_edu.course.quiz import Feedback, key_line
from sarcoma_edu.display import presentation
from sarcoma_edu.progress.store import ProgressStore
from sarcoma_edu.widgets.answers import CHOICE_TYPES, answer_style, choice_controls, ticked
from sarcoma_edu.widgets.class_answer import class_line
from sarcoma_edu.widgets.feedback import alert, answer_feedback, not_saved
from sarcoma_edu.widgets.instructor_content import instructor_items
from sarcoma_edu.widgets.ordering import OrderingControls
from sarcoma_edu.widgets.reveal import after_answering, answered_before, default_store, mark_answered, shown

__all__ = ["ExerciseWidget", "SelfCheck", "after_answering", "predict", "self_check"]

_TIME = "%d %b %Y, %H:%M"  # when an earlier answer was given, in the student's local time


def _sentence(error: Exception) -> str:
    text = str(error)
    return f"{text[:1].upper()}{text[1:]}."


class ExerciseWidget(OrderingControls, w.VBox):
    """One exercise on screen; see :func:`predict`.

    Attributes:
        exercise: the :class:`~sarcoma_edu.course.exercises.Exercise`.
        feedback: the :class:`~sarcoma_edu.course.quiz.Feedback` once answered, else None.
        revealed: what ``reveal`` built after the attempt (None before, or when there is no reveal).
        order: for an ordering exercise, the items as they stand now.
        restored: the earlier answer shown when the exercise was answered in an earlier session, else None.
    """

    def __init__(
        self,
        ex: Exercise,
        progress: ProgressStore | None = None,
        reveal: Callable[[], object] | None = None,
        *,
        title: str | None = None,
        storage_problem: str = "",
    ) -> None:
        if not isinstance(ex, Exercise):
            raise TypeError(f"ex={ex!r} is not an Exercise (see sarcoma_edu.course.exercises.exercise)")
        if reveal is not None and not callable(reveal):
            raise TypeError(
                f"reveal={reveal!r} is not a function: pass what to show, e.g. reveal=lambda: fnclcc_figure()"
            )
        self.exercise, self.progress, self._reveal = ex, progress, reveal
        self._storage_problem = storage_problem
        self.feedback: Feedback | None = None
        self.revealed: object | None = None
        self.restored: object | None = None
        heading = title or ("Predict, then check" if ex.role == "predict" else "Self-check")
        self.heading = w.HTML(f"<p style='margin:0.2em 0;color:#444'><b>{html.escape(heading)}</b></p>")
        self.text = w.HTML(
            f"<p style='font-size:1.1em'><b>{html.escape(ex.question.question)}</b></p>",
            layout=w.Layout(max_width="48em"),
        )
        self.hint = w.HTML()
        self.choices = w.VBox()
        left = w.Layout(width="auto", align_self="flex-start")  # a button as wide as its words, at the left
        self.check_button = w.Button(description="Check my answer", button_style="primary", layout=left)
        self.check_button.on_click(lambda _b: self._check_current())
        self.number = w.Text(description="Your answer", placeholder="type a number", value="")
        self.message = w.HTML()
        self.result = w.HTML(layout=w.Layout(max_width="48em"))
        self.again_button = w.Button(
            description="Answer again",
            tooltip="Hide the answer and what it reveals, and answer this one afresh",
            layout=w.Layout(width="auto", display="none"),
        )
        self.again_button.on_click(lambda _b: self.answer_again())
        self.reveal_box = w.VBox()
        self.reveal_box.add_class("sarcoma-edu-reveal")
        self.order: list[str] = []
        self._rows: list[tuple[w.HTML, w.Button, w.Button]] = []
        self._build_choices()
        super().__init__(
            [
                w.HTML(answer_style("sarcoma-edu-exercise")),
                self.heading,
                self.text,
                self.hint,
                self.choices,
                self.message,
                self.result,
                self.again_button,
                self.reveal_box,
            ],
            layout=w.Layout(border="1px solid #ccc", padding="0.4em 0.8em", margin="0.5em 0"),
        )
        self.add_class("sarcoma-edu-exercise")
        self.add_class(f"sarcoma-edu-{ex.role}")
        self._set_hint()
        earlier = answered_before([ex.id], progress).get(ex.id)
        if earlier is not None:
            self._restore(earlier)

    def _set_hint(self) -> None:
        ex = self.exercise
        if not ex.reveals:
            self.hint.value = ""
            return
        what = html.escape(ex.reveals)
        hint = (
            f"Answer first: {what} will show here once you have answered."
            if self._reveal is not None
            else f"Answer first, then read {what} below."
        )
        self.hint.value = f"<p style='margin:0.2em 0;color:#444'>{hint}</p>"

    # --- building the inputs -----------------------------------------------------------------

    def _build_choices(self) -> None:
        ex = self.exercise
        if ex.type == "ordering":
            self.choices.children = self._order_rows()
            return
        if ex.type in CHOICE_TYPES:  # in an order fixed per exercise: files often list the right answer first
            self.choices.children = choice_controls(ex.question, self.answer, self.check_button)
        else:
            note = w.HTML("<p style='margin:0'>Type a number (digits, with a point for a decimal), then check:</p>")
            self.choices.children = [note, self.number, self.check_button]

    # --- answering -------------------------------------------------------------------------

    def _check_current(self) -> None:
        ex = self.exercise
        if ex.type == "ordering":
            self.answer(list(self.order))
        elif ex.type == "many_choice":
            self.answer(ticked(self.choices))
        else:
            try:
                number = _checks.typed_number(self.number.value, example="5")
            except ValueError as error:
                self.message.value = alert(f"{_sentence(error)} Nothing was recorded.")
                return
            self.answer(int(number) if number.is_integer() else number)

    def answer(self, value: object) -> Feedback | None:
        """Answer (a text, a list of texts, a number, or the items in order); show feedback, then the reveal.

        Returns None, with a message in the widget, when the exercise is already answered or the
        answer is not one it accepts; nothing is recorded then.
        """
        if self.feedback is not None:
            self.message.value = alert("You have answered this one: the feedback and the answer are shown below.")
            return None
        if self.exercise.type == "many_choice" and isinstance(value, list | tuple) and not value:
            self.message.value = alert("Tick at least one answer, then press 'Check my answer'.")
            return None
        if self.exercise.type == "numeric" and (isinstance(value, bool) or not isinstance(value, int | float)):
            try:
                value = _checks.typed_number(value, example="5")
            except ValueError as error:
                self.message.value = alert(f"{_sentence(error)} Nothing was recorded.")
                return None
        try:
            feedback = check_answer(self.exercise, value)
        except (TypeError, ValueError) as error:
            self.message.value = alert(f"Please check your answer: {error}")
            return None
        saved = self._save(value, feedback.correct)
        self._show_answered(value, feedback, saved)
        return feedback

    def _show_answered(self, value: object, feedback: Feedback, saved: str) -> None:
        """Show the exercise as answered with ``value``: inputs locked, feedback, the reveal, its boxes opened."""
        self.feedback, self.message.value, self.hint.value = feedback, "", ""
        for child in self.choices.children:
            if hasattr(child, "disabled"):
                child.disabled = True
            if isinstance(child, w.Checkbox):
                child.value = child.description in value if isinstance(value, list | tuple) else False
        self.number.disabled = True
        if self.exercise.type == "ordering":
            self._render_order()
        self.result.value = self._feedback_html(value, feedback, saved)
        self._show_reveal()
        mark_answered(self.exercise.id)

    def _restore(self, attempt: object) -> None:
        """Show an answer given in an earlier session as answered, saying when; nothing is recorded again."""
        value = attempt.answer
        if self.exercise.type == "ordering" and isinstance(value, str):
            value = value.split(" → ")
        try:
            feedback = check_answer(self.exercise, value)
        except (TypeError, ValueError):  # the exercise changed since: ask it afresh
            return
        if self.exercise.type == "ordering":
            self.order = list(value)
        elif self.exercise.type == "numeric":
            self.number.value = f"{value:g}" if isinstance(value, float) else str(value)
        when = attempt.answered_at.tz_convert(datetime.now().astimezone().tzinfo).strftime(_TIME)
        self.restored = value
        note = (
            f"<span role='status'>You answered this on {html.escape(when)}. Press 'Answer again' to try it "
            "afresh (the answer and what it reveals are hidden until you have).</span>"
        )
        self._show_answered(value, feedback, note)
        self.again_button.layout.display = None

    def answer_again(self) -> None:
        """Put an answered exercise back as unanswered: inputs open, feedback and reveal hidden, boxes closed."""
        self.feedback, self.revealed, self.restored = None, None, None
        self.result.value = self.message.value = ""
        self.reveal_box.children = ()
        self.again_button.layout.display = "none"
        for child in self.choices.children:
            if hasattr(child, "disabled"):
                child.disabled = False
            if isinstance(child, w.Checkbox):
                child.value = False
        self.number.disabled, self.number.value = False, ""
        if self.exercise.type == "ordering":
            self.order = [*self.order[1:], self.order[0]] if self.order == list(self.exercise.items) else self.order
            self._render_order()
            self.status.value = ""
        self._set_hint()
        mark_answered(self.exercise.id, False)

    def _feedback_html(self, value: object, feedback: Feedback, saved: str) -> str:
        ex = self.exercise
        if ex.type == "ordering":
            chosen = " → ".join(value)
            key = "" if feedback.correct else "The right answer: " + " → ".join(ex.items)
        else:
            chosen = (
                "; ".join(map(str, value))
                if isinstance(value, list | tuple)
                else f"{value:g}"
                if isinstance(value, float)
                else str(value)
            )
            key = key_line(ex.question, value, feedback.correct)
        return answer_feedback(feedback, chosen, key, saved)

    def _save(self, value: object, correct: bool) -> str:
        """Record the attempt; return a sentence saying it was saved, or checked but not saved and why."""
        if presentation.is_presenting():
            return "<small role='status'>Presenting: the room's answer is checked, not saved.</small>"
        if self.progress is None:
            why = self._storage_problem or "this exercise was made without a progress store"
            return not_saved(why)
        try:
            self.progress.record(self.exercise.id, list(value) if isinstance(value, tuple) else value, correct,
                                 self.exercise.topic)  # fmt: skip
        except Exception as error:  # the lesson must never fail because of its storage
            return not_saved(str(error))
        saved = "<small role='status'>Saved with your progress (lesson and quiz together, in lesson 07).</small>"
        return saved + class_line(self.exercise.id, value)

    def _show_reveal(self) -> None:
        if self._reveal is None:
            return
        try:
            built = self._reveal()
        except Exception as error:  # a reveal that fails must not hide the feedback or show a traceback
            self.reveal_box.children = [
                w.HTML(alert(f"The {self.exercise.reveals or 'reveal'} could not be shown ({error}).")),
            ]
            return
        self.revealed = built
        intro = w.HTML(f"<p style='margin:0.4em 0 0.2em'><b>Now check: {html.escape(self.exercise.reveals)}.</b></p>")
        self.reveal_box.children = [intro, shown(built)]


class SelfCheck(w.VBox):
    """A lesson's self-check: its questions one under the other, each recorded when answered.

    Attributes:
        exercises: the :class:`ExerciseWidget` of each question, in order.
    """

    def __init__(
        self,
        exercises: Sequence[Exercise],
        progress: ProgressStore | None,
        storage_problem: str = "",
        notes: Sequence[str] = (),
    ) -> None:
        count = len(exercises)
        self.exercises = [
            ExerciseWidget(ex, progress, title=f"Question {k} of {count}", storage_problem=storage_problem)
            for k, ex in enumerate(exercises, start=1)
        ]
        intro = w.HTML(
            "<p>Answer each question: your answer is saved with your progress, and then the right answer, why, "
            "and its source are shown.</p>" + "".join(f"<p role='status'>{html.escape(n)}</p>" for n in notes)
        )
        super().__init__([intro, *self.exercises])


def _store(progress: ProgressStore | None) -> tuple[ProgressStore | None, str]:
    if progress is None:
        return default_store()
    if not isinstance(progress, ProgressStore):
        raise TypeError(f"progress={progress!r} is not a ProgressStore (or None for the default one)")
    return progress, ""


def predict(
    exercise_id: str,
    reveal: Callable[[], object] | None = None,
    progress: ProgressStore | None = None,
    *,
    content: str | Path | None = None,
) -> ExerciseWidget:
    """An exercise asked before what settles it: answer, then see the feedback and ``reveal()``.

    Args:
        exercise_id: the exercise's id, e.g. ``"ex-03-retro-nodes"``: built-in, or one of the instructor's
            (her content folder's ``exercises/``).
        reveal: a function that builds what settles the answer (a calculator, a figure, a table);
            it is called only after the first attempt.
        progress: where attempts are saved; None opens the default :class:`ProgressStore` once.
        content: the instructor's content folder; None reads ``$SARCOMA_EDU_CONTENT`` (only for an id
            that is not built in).

    Returns:
        The widget; display it as the last line of a cell.

    Raises:
        ValueError: no exercise has this id (the message lists the lesson's exercises), or the id is not
            built in and the content folder cannot be read (the message names it).
        TypeError: ``reveal`` is not a function, or ``progress`` is not a ProgressStore.
    """
    store, problem = _store(progress)
    return ExerciseWidget(find_exercise(exercise_id, content), store, reveal, storage_problem=problem)


def self_check(lesson: str, progress: ProgressStore | None = None, *, content: str | Path | None = None) -> SelfCheck:
    """A lesson's self-check questions (the exercises whose role is ``self-check``), each recorded when answered.

    The instructor's own self-check exercises for the lesson (her content folder's ``exercises/``)
    come after the built-in ones; a file of hers with a problem, or a folder that cannot be read, is
    named above the questions.

    Args:
        lesson: the lesson's name (``"03_staging"``) or number (``"03"``).
        progress: where attempts are saved; None opens the default :class:`ProgressStore` once.
        content: the instructor's content folder; None reads ``$SARCOMA_EDU_CONTENT``.

    Raises:
        ValueError: the lesson has no self-check exercises.
    """
    store, problem = _store(progress)
    hers = instructor_items(content, "exercises")
    lessons = exercises_of_lesson([*load_exercises(), *hers.content.exercises], lesson)
    chosen = [e for e in lessons if e.role == "self-check"]
    if not chosen:
        raise ValueError(f"lesson={lesson!r} has no self-check exercises in datasets/exercises/")
    included = sum(any(e is mine for mine in hers.content.exercises) for e in chosen)
    return SelfCheck(chosen, store, problem, notes=hers.notes(included))
