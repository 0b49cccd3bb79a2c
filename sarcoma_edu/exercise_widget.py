"""Predict, then check: an in-lesson exercise widget that reveals what settles the answer only after an attempt.

The student commits to an answer (a choice, several choices, a number, or an order) and only then
sees the feedback (verdict, the right answer, why, and the source) and the calculator, figure or
table that settles it, built at that moment by the ``reveal`` callable the lesson passes in. Every
answer is checked by the quiz engine and recorded in the :class:`~sarcoma_edu.progress.ProgressStore`
under the exercise's id (``ex-03-...``), so progress shows it with its lesson.

Keyboard use: **Tab** moves between answers and buttons, **Space** or **Enter** presses a button or
ticks a box. An ordering exercise gives each line a "Move ... up" and a "Move ... down" button that
names the item, and says where the item went after each move. A problem is shown as a message
(``role="alert"``), never as a traceback.
"""

from __future__ import annotations

import html
import random
from collections.abc import Callable, Sequence

import ipywidgets as w

from sarcoma_edu.exercises import Exercise, check_answer, exercise, load_exercises
from sarcoma_edu.progress import ProgressStore
from sarcoma_edu.quiz import Feedback, key_line, tick_hint
from sarcoma_edu.quiz_widget import _box

__all__ = ["ExerciseWidget", "SelfCheck", "predict", "self_check"]

_STYLE = (
    "<style>.sarcoma-edu-exercise .sarcoma-edu-answer{white-space:normal;height:auto;min-height:2.2em;"
    "text-align:left;padding:0.35em 0.8em;line-height:1.35}"
    ".sarcoma-edu-exercise .widget-checkbox label{white-space:normal}</style>"
)
_ORDINALS = {1: "1st", 2: "2nd", 3: "3rd"}
_STORE: list[ProgressStore | None] = []  # the kernel's default store, opened once
_STORE_PROBLEM: list[str] = []


def _alert(message: str) -> str:
    return (
        "<div role='alert' style='border-left:5px solid #D55E00;padding:0.3em 0.7em;background:#FFF4EC;color:#222'>"
        f"{html.escape(message)}</div>"
    )


def _ordinal(n: int) -> str:
    return _ORDINALS.get(n, f"{n}th")


def _default_store() -> tuple[ProgressStore | None, str]:
    """The default progress store, opened once per kernel; (None, why) when it cannot be opened."""
    if not _STORE:
        try:
            _STORE.append(ProgressStore())
            _STORE_PROBLEM.append("")
        except Exception as error:  # never let storage stop a lesson; the widget says why nothing is saved
            _STORE.append(None)
            _STORE_PROBLEM.append(str(error))
    return _STORE[0], _STORE_PROBLEM[0]


def _display_data(obj: object) -> dict:
    """An output record showing ``obj`` as a notebook would (a plotly figure, a table, a printed text)."""
    bundle = getattr(obj, "_repr_mimebundle_", None)
    if callable(bundle):  # a plotly figure: the same bundle the calculators show
        return {"output_type": "display_data", "data": bundle(), "metadata": {}}
    from IPython.core.formatters import DisplayFormatter

    data, metadata = DisplayFormatter().format(obj)
    return {"output_type": "display_data", "data": data, "metadata": metadata}


def _display_outputs(obj: object) -> tuple[dict, ...]:
    """The outputs for a revealed object: a figure is followed by its text alternative, as in the lessons."""
    outputs = [_display_data(obj)]
    if hasattr(obj, "to_plotly_json") or type(obj).__name__ == "Figure":
        from sarcoma_edu.figure_text import alternative_bundle

        outputs.append({"output_type": "display_data", "data": alternative_bundle(obj), "metadata": {}})
    return tuple(outputs)


class ExerciseWidget(w.VBox):
    """One exercise on screen; see :func:`predict`.

    Attributes:
        exercise: the :class:`~sarcoma_edu.exercises.Exercise`.
        feedback: the :class:`~sarcoma_edu.quiz.Feedback` once answered, else None.
        revealed: what ``reveal`` built after the attempt (None before, or when there is no reveal).
        order: for an ordering exercise, the items as they stand now.
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
            raise TypeError(f"ex={ex!r} is not an Exercise (see sarcoma_edu.exercises.exercise)")
        if reveal is not None and not callable(reveal):
            raise TypeError(
                f"reveal={reveal!r} is not a function: pass what to show, e.g. reveal=lambda: fnclcc_figure()"
            )
        self.exercise, self.progress, self._reveal = ex, progress, reveal
        self._storage_problem = storage_problem
        self.feedback: Feedback | None = None
        self.revealed: object | None = None
        heading = title or ("Predict, then check" if ex.role == "predict" else "Self-check")
        self.heading = w.HTML(f"<p style='margin:0.2em 0;color:#444'><b>{html.escape(heading)}</b></p>")
        self.text = w.HTML(
            f"<p style='font-size:1.1em'><b>{html.escape(ex.question.question)}</b></p>",
            layout=w.Layout(max_width="48em"),
        )
        self.hint = w.HTML()
        if ex.reveals:
            then = (
                "appears here once you have answered"
                if reveal is not None
                else "follows below: read it after answering"
            )
            self.hint.value = (
                f"<p style='margin:0.2em 0;color:#444'>Answer first: {html.escape(ex.reveals)} {then}.</p>"
            )
        self.choices = w.VBox()
        self.check_button = w.Button(
            description="Check my answer", button_style="primary", layout=w.Layout(width="auto")
        )
        self.check_button.on_click(lambda _b: self._check_current())
        self.number = w.FloatText(description="Your answer", value=0.0)
        self.message = w.HTML()
        self.result = w.HTML(layout=w.Layout(max_width="48em"))
        self.reveal_box = w.VBox()
        self.order: list[str] = []
        self._rows: list[tuple[w.HTML, w.Button, w.Button]] = []
        self._build_choices()
        super().__init__(
            [
                w.HTML(_STYLE),
                self.heading,
                self.text,
                self.hint,
                self.choices,
                self.message,
                self.result,
                self.reveal_box,
            ],
            layout=w.Layout(border="1px solid #ccc", padding="0.4em 0.8em", margin="0.5em 0"),
        )
        self.add_class("sarcoma-edu-exercise")

    # --- building the inputs -----------------------------------------------------------------

    def _build_choices(self) -> None:
        ex = self.exercise
        if ex.type == "ordering":
            order = list(ex.items)
            random.Random(ex.id).shuffle(order)
            if order == list(ex.items):  # never start in the right order
                order = order[1:] + order[:1]
            self.order = order
            self.status = w.HTML()
            for _ in order:
                label = w.HTML()
                up = w.Button(layout=w.Layout(width="auto"))
                down = w.Button(layout=w.Layout(width="auto"))
                self._rows.append((label, up, down))
            for position, (_, up, down) in enumerate(self._rows):
                up.on_click(lambda _b, p=position: self.move(self.order[p], -1))
                down.on_click(lambda _b, p=position: self.move(self.order[p], +1))
            self._render_order()
            intro = w.HTML("<p style='margin:0'>Put the items in order, the first at the top, then check:</p>")
            rows = [w.HBox([label, up, down]) for label, up, down in self._rows]
            self.choices.children = [intro, *rows, self.status, self.check_button]
            return
        order = list(ex.question.choices)
        random.Random(ex.id).shuffle(order)  # files often list the right answer first
        if ex.type == "multiple_choice":
            buttons = []
            for text in order:
                button = w.Button(description=text, tooltip=text, layout=w.Layout(width="auto", max_width="46em"))
                button.add_class("sarcoma-edu-answer")
                button.on_click(lambda _b, t=text: self.answer(t))
                buttons.append(button)
            self.choices.children = [w.HTML("<p style='margin:0'>Choose one answer:</p>"), *buttons]
        elif ex.type == "many_choice":
            boxes = [
                w.Checkbox(description=text, indent=False, value=False, layout=w.Layout(width="auto")) for text in order
            ]
            hint = w.HTML(f"<p style='margin:0'>{html.escape(tick_hint(ex.question))}</p>")
            self.choices.children = [hint, *boxes, self.check_button]
        else:
            self.choices.children = [self.number, self.check_button]

    def _render_order(self) -> None:
        last = len(self.order) - 1
        for position, ((label, up, down), item) in enumerate(zip(self._rows, self.order, strict=True)):
            label.value = (
                f"<span style='display:inline-block;min-width:22em'><b>{position + 1}.</b> {html.escape(item)}</span>"
            )
            up.description, down.description = f"Move {item} up", f"Move {item} down"
            up.tooltip, down.tooltip = up.description, down.description
            done = self.feedback is not None
            up.disabled, down.disabled = done or position == 0, done or position == last

    # --- answering -------------------------------------------------------------------------

    def move(self, item: str, step: int) -> list[str]:
        """Move ``item`` one place up (``step=-1``) or down (``+1``); return the new order (ordering exercises).

        This is what the item's Move up / Move down buttons do.
        """
        if self.exercise.type != "ordering":
            self.message.value = _alert("This exercise has no items to order.")
            return []
        if self.feedback is not None:
            self.message.value = _alert("This exercise is answered: the order can no longer change.")
            return list(self.order)
        if item not in self.order or step not in (-1, 1):
            self.message.value = _alert(
                f"Cannot move {item!r} by {step!r}: choose one of the items, one place up or down."
            )
            return list(self.order)
        here = self.order.index(item)
        there = here + step
        if 0 <= there < len(self.order):
            self.order[here], self.order[there] = self.order[there], self.order[here]
        self._render_order()
        self.message.value = ""
        listing = "; ".join(f"{k + 1}. {x}" for k, x in enumerate(self.order))
        place = _ordinal(self.order.index(item) + 1)
        self.status.value = (
            f"<p role='status' style='margin:0.2em 0'>{html.escape(item)} is now {place} of {len(self.order)}. "
            f"The order: {html.escape(listing)}.</p>"
        )
        return list(self.order)

    def _check_current(self) -> None:
        ex = self.exercise
        if ex.type == "ordering":
            self.answer(list(self.order))
        elif ex.type == "many_choice":
            ticked = [c.description for c in self.choices.children if isinstance(c, w.Checkbox) and c.value]
            self.answer(ticked)
        else:
            self.answer(self.number.value)

    def answer(self, value: object) -> Feedback | None:
        """Answer (a text, a list of texts, a number, or the items in order); show feedback, then the reveal.

        Returns None, with a message in the widget, when the exercise is already answered or the
        answer is not one it accepts; nothing is recorded then.
        """
        if self.feedback is not None:
            self.message.value = _alert("You have answered this one: the feedback and the answer are shown below.")
            return None
        if self.exercise.type == "many_choice" and isinstance(value, list | tuple) and not value:
            self.message.value = _alert("Tick at least one answer, then press 'Check my answer'.")
            return None
        try:
            feedback = check_answer(self.exercise, value)
        except (TypeError, ValueError) as error:
            self.message.value = _alert(f"Please check your answer: {error}")
            return None
        self.feedback, self.message.value, self.hint.value = feedback, "", ""
        saved = self._save(value, feedback.correct)
        for child in self.choices.children:
            if hasattr(child, "disabled"):
                child.disabled = True
        if self.exercise.type == "ordering":
            self._render_order()
        self.result.value = self._feedback_html(value, feedback, saved)
        self._show_reveal()
        return feedback

    def _feedback_html(self, value: object, feedback: Feedback, saved: str) -> str:
        ex = self.exercise
        title = "✓ Correct." if feedback.correct else "✗ Not quite."
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
        lines = [f"Your answer: {html.escape(chosen)}", html.escape(feedback.answer_feedback)]
        if key:
            lines.append(html.escape(key))
        lines += [html.escape(feedback.explanation), f"<small>Source: {html.escape(feedback.source)}</small>", saved]
        return _box("right" if feedback.correct else "wrong", title, lines)

    def _save(self, value: object, correct: bool) -> str:
        """Record the attempt; return "" or a sentence saying it was checked but not saved, and why."""
        if self.progress is None:
            why = self._storage_problem or "this exercise was made without a progress store"
            return f"<span role='status'>Checked, but not saved: {html.escape(why)}.</span>"
        try:
            self.progress.record(self.exercise.id, list(value) if isinstance(value, tuple) else value, correct,
                                 self.exercise.topic)  # fmt: skip
        except Exception as error:  # the lesson must never fail because of its storage
            return f"<span role='status'>Checked, but not saved: {html.escape(str(error))}.</span>"
        return "<small role='status'>Saved with your progress (lesson and quiz together, in lesson 07).</small>"

    def _show_reveal(self) -> None:
        if self._reveal is None:
            return
        try:
            built = self._reveal()
        except Exception as error:  # a reveal that fails must not hide the feedback or show a traceback
            self.reveal_box.children = [
                w.HTML(_alert(f"The {self.exercise.reveals or 'reveal'} could not be shown ({error}).")),
            ]
            return
        self.revealed = built
        intro = w.HTML(f"<p style='margin:0.4em 0 0.2em'><b>Now check: {html.escape(self.exercise.reveals)}.</b></p>")
        if isinstance(built, w.Widget):
            shown: w.Widget = built
        elif isinstance(built, str):
            shown = w.HTML(f"<pre style='white-space:pre-wrap'>{html.escape(built)}</pre>")
        else:
            shown = w.Output()
            shown.outputs = _display_outputs(built)
        self.reveal_box.children = [intro, shown]


class SelfCheck(w.VBox):
    """A lesson's self-check: its questions one under the other, each recorded when answered.

    Attributes:
        exercises: the :class:`ExerciseWidget` of each question, in order.
    """

    def __init__(
        self, exercises: Sequence[Exercise], progress: ProgressStore | None, storage_problem: str = ""
    ) -> None:
        count = len(exercises)
        self.exercises = [
            ExerciseWidget(ex, progress, title=f"Question {k} of {count}", storage_problem=storage_problem)
            for k, ex in enumerate(exercises, start=1)
        ]
        intro = w.HTML(
            "<p>Answer each question: your answer is saved with your progress, and then the right answer, why, "
            "and its source are shown.</p>"
        )
        super().__init__([intro, *self.exercises])


def _store(progress: ProgressStore | None) -> tuple[ProgressStore | None, str]:
    if progress is None:
        return _default_store()
    if not isinstance(progress, ProgressStore):
        raise TypeError(f"progress={progress!r} is not a ProgressStore (or None for the default one)")
    return progress, ""


def predict(
    exercise_id: str, reveal: Callable[[], object] | None = None, progress: ProgressStore | None = None
) -> ExerciseWidget:
    """An exercise asked before what settles it: answer, then see the feedback and ``reveal()``.

    Args:
        exercise_id: the exercise's id, e.g. ``"ex-03-retro-nodes"``.
        reveal: a function that builds what settles the answer (a calculator, a figure, a table);
            it is called only after the first attempt.
        progress: where attempts are saved; None opens the default :class:`ProgressStore` once.

    Returns:
        The widget; display it as the last line of a cell.

    Raises:
        ValueError: no exercise has this id (the message lists the lesson's exercises).
        TypeError: ``reveal`` is not a function, or ``progress`` is not a ProgressStore.
    """
    store, problem = _store(progress)
    return ExerciseWidget(exercise(exercise_id), store, reveal, storage_problem=problem)


def self_check(lesson: str, progress: ProgressStore | None = None) -> SelfCheck:
    """A lesson's self-check questions (the exercises whose role is ``self-check``), each recorded when answered.

    Args:
        lesson: the lesson's name (``"03_staging"``) or number (``"03"``).
        progress: where attempts are saved; None opens the default :class:`ProgressStore` once.

    Raises:
        ValueError: the lesson has no self-check exercises.
    """
    store, problem = _store(progress)
    chosen = [e for e in load_exercises(lesson) if e.role == "self-check"]
    if not chosen:
        raise ValueError(f"lesson={lesson!r} has no self-check exercises in datasets/exercises/")
    return SelfCheck(chosen, store, problem)
