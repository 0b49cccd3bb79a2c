"""The class poll on the projector: open a poll on a question, watch the room's answers arrive, reveal the answer.

The instructor picks an item (a prediction, a self-check or quiz question, or a tumour-board step: from the
lesson's list, or by its id), the class folder (``$SARCOMA_EDU_CLASS_DIR`` or its path typed in), and presses
**Open poll**. From then on a thread in the kernel re-reads the results every half second
(:func:`sarcoma_edu.live.results.results`) and, only when they changed, redraws the count ("Poll open: 12
answered") and the bar chart of each answer's share (:func:`sarcoma_edu.display.poll_chart.poll_figure`):
no cell is run again, in JupyterLab as in Voila. It stops when the poll is closed (here or with ``sarcoma-edu
poll close``) or the widget is closed. **Reveal the answer** shows the right answer and its explanation and
marks its bar. Only counts are shown, never a name. A file of the class folder that was skipped is a line
for the instructor, its text escaped; a folder that is missing or not a class folder is a message saying how
to make one (``sarcoma-edu class init``), never a traceback.
"""

from __future__ import annotations

import html
import os
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import ipywidgets as w

from sarcoma_edu.course.case_model import Case
from sarcoma_edu.course.exercises import load_exercises
from sarcoma_edu.course.quiz import Question, key_line, numeric_matches
from sarcoma_edu.live import classfolder, polls
from sarcoma_edu.live import results as _results
from sarcoma_edu.live.answers import poll_question
from sarcoma_edu.widgets.answers import CHOICE_TYPES, choice_order
from sarcoma_edu.widgets.base import _fits, _show
from sarcoma_edu.widgets.feedback import alert, feedback_box

__all__ = ["REFRESH_S", "PollWidget", "lesson_items", "poll_widget"]

# how often an open poll is read again (200 students' answers are read in about 25 ms: benchmarks/bench_polls.py)
REFRESH_S = 0.5
_LABEL_LETTERS = 80  # the longest label in the list of items
_MANY = 8  # with more choices than this (an ordering's every possible order) only those chosen get a bar
_SKIPPED_SHOWN = 8  # skipped files listed by name; the rest are counted
_SET_UP = (
    "To run a poll you need a class folder. Make one once, in a terminal: <code>sarcoma-edu class init "
    "CLASS_DIR</code> (it says what to put in a hub's configuration). Then type its path in <b>Class folder</b> "
    "above, or set <code>SARCOMA_EDU_CLASS_DIR</code> before starting JupyterLab."
)
# a student's kernel on the hub sees the class folder too, but only its owner can run a poll there
_THEIRS = (
    "<p role='note' style='margin:0.3em 0'>This class folder is your instructor's: polls are opened and shown from "
    "the instructor's notebook. While a poll is open, your answer to its question in the lesson reaches it by "
    "itself.</p>"
)
_LABEL = {"description_width": "initial"}
_KEEP = {"width": "auto", "flex": "0 0 auto"}  # buttons keep their whole label, in large text too


def _short(text: str, letters: int = 90) -> str:
    words = " ".join(str(text).split())
    return words if len(words) <= letters else words[: letters - 1].rsplit(" ", 1)[0] + "…"


def lesson_items(lesson: str | None = None, cases: Iterable[Case] = ()) -> list[tuple[str, str]]:
    """The items a poll can be opened on, as drop-down choices (label, id): a lesson's exercises, then case steps.

    Each label is at most :data:`_LABEL_LETTERS` letters (its question cut short between words), so the list
    fits the page at 1366 x 768 without cutting a choice.

    Args:
        lesson: a lesson name (``"08_tumour_board"``) or number: its predictions and self-check questions.
        cases: tumour-board cases: each step, labelled with its case and number.
    """
    found = []
    for exercise in load_exercises(lesson) if lesson else ():
        kind = "Prediction: " if exercise.role == "predict" else "Self-check: "
        found.append((kind + _short(exercise.question.question, _LABEL_LETTERS - len(kind)), exercise.id))
    for case in cases:
        for number, step in enumerate(case.steps, start=1):
            where = f"{_short(case.title, 30)}, step {number}: "
            found.append((where + _short(step.question.question, _LABEL_LETTERS - len(where)), step.question.id))
    return found


def _right_answers(question: Question, counts: dict[str, int]) -> list[str]:
    """The right answers as the chart names them: the choices marked correct, or the numbers given that match."""
    if question.choices:
        return [a.answer for a in question.correct_answers if a.answer is not None]
    right = []
    for given in counts:
        try:
            value = float(given)
        except ValueError:
            continue
        if any(numeric_matches(a, value, question.precision) for a in question.correct_answers):
            right.append(given)
    return right


def _chart_choices(question: Question, counts: dict[str, int], right: Sequence[str] | None) -> list[str]:
    """The bars' answers in the order students see them; of very many (an ordering's orders), those chosen."""
    order = choice_order(question) if question.type in CHOICE_TYPES else list(question.choices)
    if len(order) <= _MANY:
        return order
    return [c for c in order if counts.get(c) or (right is not None and c in right)]


class PollWidget(w.VBox):
    """The projector's poll; see :func:`poll_widget`.

    Attributes:
        class_dir: the class folder in use (None until one is given).
        question: the item chosen (None until a known id is chosen).
        revealed: whether the right answer is shown.
        figure: the chart last drawn (None before the first).
        shown: the results last drawn, as ``PollResults.as_json()`` with the files skipped (None before).
    """

    def __init__(self, items: Sequence[tuple[str, str]], class_dir: str | Path | None = None,
                 interval_s: float = REFRESH_S) -> None:  # fmt: skip
        self.class_dir: Path | None = None
        self.question: Question | None = None
        self.revealed = False
        self.figure: Any = None
        self.shown: dict | None = None
        self.interval_s = interval_s
        self._lock = threading.RLock()  # a button's handler and the refresh thread draw one at a time
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._choosing = False
        wide = {"max_width": "100%"}
        self.folder = w.Text(value=str(class_dir or ""), description="Class folder", placeholder="/path/to/class",
                             continuous_update=False, style=_LABEL, layout=w.Layout(width="60em", **wide))  # fmt: skip
        self.folder_note = w.HTML()
        options = [("Choose a question…", ""), *items]
        self.picker = w.Dropdown(options=options, value="", description="Question", style=_LABEL,
                                 layout=_fits(options, "Question"))  # as wide as its longest choice  # fmt: skip
        self.item_box = w.Text(description="or an item id", placeholder="e.g. ex-08-case1-stage", style=_LABEL,
                               continuous_update=False, layout=w.Layout(width="28em", **wide))  # fmt: skip
        self.item_note = w.HTML()
        self.question_text = w.HTML(layout=w.Layout(max_width="60em"))
        self.open_button = w.Button(description="Open poll", button_style="primary", layout=w.Layout(**_KEEP),
                                    tooltip="Let the class answer this question now")  # fmt: skip
        self.close_button = w.Button(description="Close poll", layout=w.Layout(**_KEEP),
                                     tooltip="Stop taking answers; later ones are kept apart as late")  # fmt: skip
        self.reveal_button = w.Button(description="Reveal the answer", layout=w.Layout(**_KEEP),
                                      tooltip="Show the right answer and why, and mark it on the chart")  # fmt: skip
        self.status, self.chart = w.HTML(), w.Output()
        self.answer, self.problems = (w.HTML(layout=w.Layout(max_width="60em")) for _ in range(2))
        row = w.Layout(flex_flow="row wrap")
        super().__init__(
            [
                w.HTML("<h3 style='margin:0.2em 0'>Class poll</h3>"),
                self.folder,
                self.folder_note,
                w.HBox([self.picker, self.item_box], layout=row),
                self.item_note,
                self.question_text,
                w.HBox([self.open_button, self.close_button, self.reveal_button], layout=row),
                self.status,
                self.chart,
                self.answer,
                self.problems,
            ],
            layout=w.Layout(padding="0.5em"),
        )
        self.add_class("sarcoma-edu-poll")
        self.folder.observe(lambda change: self.use_folder(change["new"]), names="value")
        self.picker.observe(lambda change: change["new"] and self.choose(change["new"]), names="value")
        self.item_box.observe(lambda change: change["new"].strip() and self.choose(change["new"]), names="value")
        self.open_button.on_click(lambda _b: self.open_poll())
        self.close_button.on_click(lambda _b: self.close_poll())
        self.reveal_button.on_click(lambda _b: self.reveal())
        self.use_folder(self.folder.value)

    # --- choosing ------------------------------------------------------------------------------

    def use_folder(self, text: str) -> Path | None:
        """Use the class folder at ``text`` (a path); one that is missing or not a class folder is a message."""
        with self._lock:
            self.stop_refresh()
            self.class_dir, self.shown = None, None
            self.folder_note.value = f"<p role='note' style='margin:0.3em 0'>{_SET_UP}</p>"
            if text.strip():
                try:
                    folder = classfolder.class_dir(text.strip())
                    classfolder.class_settings(folder)
                except (TypeError, ValueError, OSError) as error:
                    self.folder_note.value = alert(str(error)) + self.folder_note.value
                else:
                    mine = os.access(polls.poll_file(folder, "-").parent, os.W_OK)
                    self.class_dir, self.folder_note.value = (folder, "") if mine else (None, _THEIRS)
            self._update()
            return self.class_dir

    def choose(self, item_id: str) -> Question | None:
        """Show the item with this id (any prediction, quiz question or case step); an unknown id is a message."""
        if self._choosing:  # the list set to match a typed id: already being chosen
            return self.question
        with self._lock:
            self._choosing = True
            try:
                return self._choose(item_id.strip())
            finally:
                self._choosing = False

    def _choose(self, item_id: str) -> Question | None:
        self.stop_refresh()
        self.question, self.revealed, self.shown, self.answer.value = None, False, None, ""
        try:
            self.question = poll_question(item_id)
        except (TypeError, ValueError) as error:  # an unknown id, or a content folder that cannot be read
            self.item_note.value = alert(str(error))
            self.picker.value = ""
        else:
            self.item_note.value = ""
            listed = item_id in {value for _label, value in self.picker.options}
            self.picker.value = item_id if listed else ""  # a typed id shows in the list when it is there
            if self.item_box.value.strip() != item_id:
                self.item_box.value = ""  # chosen from the list: the id typed before no longer applies
        self._update()
        return self.question

    # --- the poll ------------------------------------------------------------------------------

    def open_poll(self) -> None:
        """Open the poll on the item chosen (a new round hides the answer again) and start following it."""
        with self._lock:
            self.revealed, self.answer.value = False, ""
            self._act(polls.open_poll)

    def close_poll(self) -> None:
        """Close the poll: its results are frozen, answers after now are kept apart as late."""
        self._act(polls.close_poll)

    def _act(self, action: Any) -> None:
        with self._lock:
            if self.class_dir is None or self.question is None:
                return
            try:
                action(self.class_dir, self.question.id)
            except (OSError, ValueError) as error:
                self.status.value = alert(f"The class folder could not be changed: {error}")
                return
            self._update()

    def reveal(self) -> None:
        """Show the right answer and its explanation, and mark it on the chart."""
        with self._lock:
            if self.question is None:
                return
            self.revealed = True
            q = self.question
            key = key_line(q, None, False).removeprefix("The right answer: ")
            lines = [html.escape(key), html.escape(q.explanation), f"<small>Source: {html.escape(q.source)}</small>"]
            self.answer.value = feedback_box("right", "The right answer", lines)
            self._update(force=True)

    # --- following the answers -------------------------------------------------------------------

    def refresh(self, force: bool = False) -> bool:
        """Read the poll again and redraw when it changed (or ``force``); True while it is open."""
        with self._lock:
            if self.class_dir is None or self.question is None:
                return False
            try:
                state = polls.poll_state(self.class_dir, self.question.id)
                found = _results.results(self.class_dir, self.question.id) if state.opened_at else None
            except (OSError, ValueError) as error:  # unreadable, or no longer a class folder: a line, then stop
                self.shown = None
                self.status.value = alert(f"The class folder could not be read: {error}")
                return False
            now = {"opened": False} if found is None else {**found.as_json(), "skipped": list(found.skipped)}
            if force or now != self.shown:
                self.shown = now
                self._draw(now)
            return bool(now.get("open"))

    def _draw(self, now: dict) -> None:
        """Show the poll as read: its state and count in words, the chart, and the files that were not counted."""
        self.open_button.disabled, self.close_button.disabled = bool(now.get("open")), not now.get("open")
        if now == {"opened": False}:
            self.status.value = _status("No poll on this question yet: press <b>Open poll</b> when the class is ready.")
            self.chart.outputs, self.problems.value, self.figure = (), "", None
            return
        question, counts = self.question, dict(now["counts"])
        right = _right_answers(question, counts) if self.revealed else None
        late = f" ({now['late']} late, not counted)" if now["late"] else ""
        self.status.value = _status(f"<b>Poll {'open' if now['open'] else 'closed'}: {now['responses']} answered</b>"
                                    + late, large=True)  # fmt: skip
        from sarcoma_edu.display.poll_chart import poll_figure  # plotly loads when a poll is first drawn, as elsewhere

        bars = _chart_choices(question, counts, right)
        self.figure = poll_figure(counts, now["responses"], choices=bars, right=right)
        _show(self.chart, self.figure)
        skipped = now["skipped"]
        lines = "".join(f"<li>{html.escape(line[:300])}</li>" for line in skipped[:_SKIPPED_SHOWN])
        if len(skipped) > _SKIPPED_SHOWN:
            lines += f"<li>and {len(skipped) - _SKIPPED_SHOWN} more</li>"
        self.problems.value = (
            f"<div role='note' style='margin:0.3em 0'><b>{len(skipped)} file{'s' * (len(skipped) != 1)} of the drop "
            f"box not counted</b> (a line each, for you):<ul style='margin:0.2em 0'>{lines}</ul></div>"
            if skipped else ""
        )  # fmt: skip

    def _update(self, force: bool = False) -> None:
        """Show the item and the buttons it allows, draw its poll, and follow it while it is open."""
        q, ready = self.question, self.class_dir is not None and self.question is not None
        self.question_text.value = (
            f"<p style='font-size:1.4em;line-height:1.4;margin:0.4em 0'>{html.escape(q.question)}</p>" if q else ""
        )
        self.reveal_button.disabled = q is None or self.revealed
        if not ready:
            self.open_button.disabled = self.close_button.disabled = True
            missing = "a class folder" if q else "a question" if self.class_dir else "a class folder and a question"
            self.status.value = _status(f"No poll yet: choose {missing}.")
            self.chart.outputs, self.problems.value, self.figure = (), "", None
            return
        if self.refresh(force=force):
            self.start_refresh()
        else:
            self.stop_refresh()  # closed, never opened, or unreadable: nothing to follow

    def start_refresh(self) -> None:
        """Follow the open poll: a thread reads it every ``interval_s`` and redraws only what changed."""
        if self.following:
            return
        stop = self._stop = threading.Event()

        def follow() -> None:
            while not stop.wait(self.interval_s):
                try:
                    if not self.refresh():
                        break  # the poll was closed (here or from the command line)
                except Exception as error:  # in a thread an error would reach only the kernel log
                    self.status.value = alert(f"The poll stopped updating ({type(error).__name__}: {error})")
                    break

        self._thread = threading.Thread(target=follow, name="sarcoma-edu poll", daemon=True)
        self._thread.start()

    def stop_refresh(self) -> None:
        """Stop following the poll (the poll itself stays open or closed as it is)."""
        self._stop.set()

    @property
    def following(self) -> bool:
        """Whether the poll is being followed now."""
        return self._thread is not None and self._thread.is_alive() and not self._stop.is_set()

    def close(self) -> None:
        """Close the widget and stop following the poll."""
        self.stop_refresh()
        super().close()


def _status(words: str, large: bool = False) -> str:
    """The poll's state in words, announced to screen readers (``words`` is markup already)."""
    size = ";font-size:1.4em" if large else ""
    return f"<p role='status' style='margin:0.3em 0{size}'>{words}</p>"


def poll_widget(lesson: str | None = None, cases: Iterable[Case] = (), class_dir: str | Path | None = None,
                item: str | None = None) -> PollWidget:  # fmt: skip
    """The class poll for the projector: open a poll on a question, see the room's answers arrive, reveal the answer.

    Args:
        lesson: a lesson name or number: its predictions and self-check questions are offered in the list.
        cases: tumour-board cases whose steps are offered in the list.
        class_dir: the class folder; None for ``$SARCOMA_EDU_CLASS_DIR``. Without one (or with one that is not a
            class folder) the widget says how to make one (``sarcoma-edu class init``) and takes its path in a box.
        item: an item id to show at once (any id a student answers: listed or not).
    """
    folder = os.environ.get(classfolder.ENV_VAR, "") if class_dir is None else class_dir
    widget = PollWidget(lesson_items(lesson, cases), folder)
    if item:
        widget.choose(item)
    return widget
