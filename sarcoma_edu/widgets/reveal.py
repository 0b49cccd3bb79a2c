"""What settles a prediction stays hidden until the prediction is answered.

A lesson asks a prediction (:func:`sarcoma_edu.widgets.exercise.predict`) before the table, figure,
printed result or calculator that gives its answer. After **Run All** every cell has run, so that
content must not be on screen yet: it is kept in an :class:`AfterAnswering` box that opens once
every prediction it names is answered, in this lesson or before. A lesson makes one with one call::

    after_answering("ex-03-retro-nodes", "ex-03-limb-twin", show=lambda: StagingCalculator(show_map=True))

or around a cell whose printed result is the answer (the code stays visible, its output waits)::

    with after_answering("ex-00-retro-nodes"):
        print(stage("retroperitoneum", 7, "high", nodes=True).stage)

**Answered before.** A student who answered a prediction in an earlier session sees it answered
when the lesson is run again (their answer, the feedback and what it reveals), and the boxes that
wait for it are open: the attempts are read from the progress store. **Answer again** puts the
prediction back, hiding again what it settles. Under ``sarcoma-edu present`` nothing is restored
from the presenter's own progress: every prediction starts unanswered for the room.

Until it opens, a box says which predictions it waits for. The revealed content carries the CSS
class ``sarcoma-edu-reveal`` (hidden while the box is closed), so a browser test can check that
nothing of it shows before the answer.
"""

from __future__ import annotations

import contextlib
import html
import io
import sys
import warnings
import weakref
from collections.abc import Callable, Iterable

import ipywidgets as w

from sarcoma_edu.display import presentation
from sarcoma_edu.progress.store import ProgressStore, ProgressWarning

__all__ = ["AfterAnswering", "after_answering", "answered_before", "is_answered", "mark_answered", "shown"]

REVEAL_CLASS = "sarcoma-edu-reveal"
_ANSWERED: set[str] = set()  # the exercises answered in this kernel (or restored from the store)
_BOXES: list[weakref.ref[AfterAnswering]] = []
_STORE: list[ProgressStore | None] = []  # the kernel's default store, opened once
_STORE_PROBLEM: list[str] = []


def default_store() -> tuple[ProgressStore | None, str]:
    """The default progress store, opened once per kernel; (None, why) when it cannot be opened."""
    if not _STORE:
        try:
            _STORE.append(ProgressStore())
            _STORE_PROBLEM.append("")
        except Exception as error:  # never let storage stop a lesson; the widget says why nothing is saved
            _STORE.append(None)
            _STORE_PROBLEM.append(str(error))
    return _STORE[0], _STORE_PROBLEM[0]


def is_answered(exercise_id: str) -> bool:
    """Whether the exercise has been answered in this kernel (or was restored as answered)."""
    return exercise_id in _ANSWERED


def mark_answered(exercise_id: str, answered: bool = True) -> None:
    """Record that an exercise is answered (or, for "Answer again", no longer is); open or close its boxes."""
    if answered:
        _ANSWERED.add(exercise_id)
    else:
        _ANSWERED.discard(exercise_id)
    for ref in list(_BOXES):
        box = ref()
        if box is None:
            _BOXES.remove(ref)
        elif exercise_id in box.exercise_ids:
            box.refresh()


def answered_before(exercise_ids: Iterable[str], progress: ProgressStore | None) -> dict[str, object]:
    """The latest saved attempt (a row of ``attempts()``) of each of ``exercise_ids`` answered before.

    Empty under ``sarcoma-edu present`` (the presenter's own answers are not the room's), without a
    store, or when the store cannot be read just now.
    """
    wanted = set(exercise_ids)
    if progress is None or not wanted or presentation.is_presenting():
        return {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ProgressWarning)
            attempts = progress.attempts()
    except Exception:  # a busy or unreadable file: the lesson goes on as if nothing was answered
        return {}
    mine = attempts[attempts["question_id"].isin(wanted)]
    return {row.question_id: row for row in mine.groupby("question_id", sort=False).tail(1).itertuples()}


def shown(obj: object) -> w.Widget:
    """A widget showing ``obj`` as a lesson cell would: a widget as itself, a table with plain column
    names and no row numbers, a text as text, a figure followed by its text alternative."""
    if isinstance(obj, w.Widget):
        return obj
    if isinstance(obj, str):
        return w.HTML(f"<pre style='white-space:pre-wrap;margin:0.3em 0'>{html.escape(obj)}</pre>")
    import pandas as pd

    if isinstance(obj, pd.DataFrame | pd.Series):
        return w.HTML(presentation.table_html(obj), layout=w.Layout(max_width="100%"))
    output = w.Output()
    output.outputs = _display_outputs(obj)
    return output


def _display_outputs(obj: object) -> tuple[dict, ...]:
    """The output records for ``obj``: a figure is followed by its text alternative, as in the lessons."""
    bundle = getattr(obj, "_repr_mimebundle_", None)
    if callable(bundle):  # a plotly figure: the same bundle the calculators show
        data = bundle()
    else:
        from IPython.core.formatters import DisplayFormatter

        data, _metadata = DisplayFormatter().format(obj)
    outputs = [{"output_type": "display_data", "data": data, "metadata": {}}]
    if hasattr(obj, "to_plotly_json"):
        from sarcoma_edu.display.figure_text import alternative_bundle

        outputs.append({"output_type": "display_data", "data": alternative_bundle(obj), "metadata": {}})
    return tuple(outputs)


class AfterAnswering(w.VBox):
    """A box that shows its content once every exercise it names is answered; see :func:`after_answering`.

    Attributes:
        exercise_ids: the exercises it waits for.
        content: the box holding what it reveals (CSS class ``sarcoma-edu-reveal``).
        opened: whether the content is on screen.
        built: what ``show`` built, once it has been called (None before).
        printed: what was printed inside ``with after_answering(...)`` (None when not used so).
    """

    def __init__(
        self,
        exercise_ids: tuple[str, ...],
        show: Callable[[], object] | None = None,
        what: str = "",
        progress: ProgressStore | None = None,
    ) -> None:
        self.exercise_ids = exercise_ids
        self._show, self.what = show, what
        self.built: object | None = None
        self.printed: str | None = None
        self.opened = False
        self.note = w.HTML()
        self.content = w.VBox()
        self.content.add_class(REVEAL_CLASS)
        self.content.layout.display = "none"
        super().__init__([self.note, self.content])
        self.add_class("sarcoma-edu-after-answering")
        for exercise_id in answered_before(exercise_ids, progress):
            _ANSWERED.add(exercise_id)
        _BOXES.append(weakref.ref(self))
        self.refresh()

    def refresh(self) -> None:
        """Open the box when every exercise it waits for is answered; close it otherwise."""
        waiting = [i for i in self.exercise_ids if i not in _ANSWERED]
        if waiting:
            self.opened = False
            self.content.layout.display = "none"
            self.note.value = self._waiting_note(len(waiting))
            return
        if not self.content.children:
            self.content.children = self._build()
        self.opened = True
        self.content.layout.display = None
        self.note.value = ""

    def _waiting_note(self, waiting: int) -> str:
        count = len(self.exercise_ids)
        which = "the prediction above" if count == 1 else f"the {count} predictions above ({count - waiting} answered)"
        what = html.escape(self.what) if self.what else "what settles it"
        return (
            "<p role='status' style='margin:0.3em 0;padding:0.3em 0.7em;border-left:5px solid #0072B2;"
            f"background:#F2F7FC;color:#222'>Answer {which} first: {what} will then show here.</p>"
        )

    def _build(self) -> list[w.Widget]:
        if self.printed is not None:
            return [shown(self.printed)]
        if self._show is None:
            return []
        try:
            self.built = self._show()
        except Exception as error:  # a reveal that fails must not stop the lesson or show a traceback
            message = f"This could not be shown ({type(error).__name__}: {error})."
            return [w.HTML(f"<div role='alert'>{html.escape(message)}</div>")]
        return [shown(self.built)]

    # --- the `with after_answering(...)` form -------------------------------------------------

    def __enter__(self) -> AfterAnswering:
        self._buffer = io.StringIO()
        self._redirect = contextlib.redirect_stdout(self._buffer)
        self._redirect.__enter__()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._redirect.__exit__(*exc_info)
        if exc_info[0] is not None:  # the cell's error shows as usual; what was printed is not lost
            sys.stdout.write(self._buffer.getvalue())
            return
        self.printed = self._buffer.getvalue()
        self.content.children = ()
        self.refresh()
        from IPython.display import display

        display(self)

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        """The widget, and in plain text what it holds (for readers without widgets, and nbval's checks)."""
        bundle = super()._repr_mimebundle_(**kwargs)
        if self.printed is not None:
            bundle["text/plain"] = self.printed
        else:
            bundle["text/plain"] = f"Shown after answering {', '.join(self.exercise_ids)}: {self.what or 'a reveal'}"
        return bundle


def after_answering(
    *exercise_ids: str,
    show: object = None,
    what: str = "",
    progress: ProgressStore | None = None,
) -> AfterAnswering:
    """A box that stays closed until every exercise named is answered, then shows what settles it.

    Args:
        exercise_ids: the predictions it waits for, e.g. ``"ex-03-retro-nodes"``.
        show: what to show (a table, a text, a figure, a widget), or a function that builds it (a
            calculator, say), called once, when the box first opens. Leave it out to use the box
            around a cell's printed result: ``with after_answering("ex-..."): print(...)``.
        what: what it shows, in words, for the note shown while it waits (e.g. "the stage map"); by
            default what the exercises say they reveal.
        progress: where earlier answers are read; None uses the default :class:`ProgressStore`.

    Raises:
        ValueError: no exercise id is given, or an id names no exercise (the message lists them).
        TypeError: ``progress`` is not a ProgressStore.
    """
    from sarcoma_edu.course.exercises import exercise

    if not exercise_ids:
        raise ValueError("after_answering() needs the id of at least one exercise, e.g. 'ex-03-retro-nodes'")
    found = [exercise(exercise_id) for exercise_id in exercise_ids]  # an unknown id is refused, naming the lesson's
    if not what:
        what = "; ".join(dict.fromkeys(ex.reveals for ex in found if ex.reveals))
    if show is not None and (not callable(show) or isinstance(show, w.Widget)):
        value = show
        show = lambda: value  # noqa: E731 (a value given as it is: shown when the box opens)
    if progress is None:
        progress, _problem = default_store()
    elif not isinstance(progress, ProgressStore):
        raise TypeError(f"progress={progress!r} is not a ProgressStore (or None for the default one)")
    return AfterAnswering(tuple(exercise_ids), show, what, progress)
