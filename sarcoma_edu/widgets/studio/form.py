"""What the studio's three forms share: labelled fields with their problems beside them, Preview and Save.

A form (:class:`StudioForm`) watches every field it holds; a short while after the last change
(:data:`DEBOUNCE_S`, so a check does not run on every keystroke) it builds the draft and asks
:func:`sarcoma_edu.course.authoring.draft_problems` for its problems, the very lines ``sarcoma-edu bank
check`` / ``case check`` print, and shows each under the field it names (a problem no field holds goes
above the buttons). **Preview** shows the draft in the widget a student uses; **Save** writes it into
the content folder named in the form and refuses while a problem remains. Nothing is written
before Save. Problems are said in words after a "⚠", never by colour alone; every message is escaped.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import ipywidgets as w

from sarcoma_edu.common.atomic import OutputError
from sarcoma_edu.common.jsonfiles import Problem
from sarcoma_edu.course import authoring
from sarcoma_edu.course.items import ContentFolderError, content_folder
from sarcoma_edu.course.keys import LockFileError
from sarcoma_edu.widgets.base import _later
from sarcoma_edu.widgets.feedback import alert

__all__ = ["DEBOUNCE_S", "DEFAULT_FOLDER", "StudioForm", "labelled"]

DEBOUNCE_S = 0.4  # a check runs this long after the last change
DEFAULT_FOLDER = "my-content"  # next to the notebook, when SARCOMA_EDU_CONTENT is not set
_LABEL = {"description_width": "12em"}
_STYLE = (
    "<style>.sarcoma-edu-problem{margin:0.1em 0 0.4em 12.5em;color:#8A3B00;font-weight:600}"
    ".sarcoma-edu-studio .widget-text input,.sarcoma-edu-studio textarea{font-size:1em}</style>"
)


def labelled(widget: w.Widget, description: str, width: str = "46em") -> w.Widget:
    """Give an input its label (linked to it, so screen readers and the keyboard find it) and a width."""
    widget.description = description
    widget.style = _LABEL
    widget.layout = w.Layout(width=width, max_width="100%")
    return widget


def _words(problem: Problem) -> str:
    """A problem as shown beside its field: ``⚠ answers[1].answer: is missing``."""
    name = problem.field or "this item"
    return f"⚠ {name}: {problem.message}"


class StudioForm(w.VBox):
    """A form that writes one item; the question, exercise and case forms build on it.

    Subclasses set :attr:`kind`, build their fields with :meth:`field`, and define :meth:`item`
    (the draft from the fields), :meth:`slot` (which field a problem belongs to) and
    :meth:`preview_widget` (the student's widget on a checked draft).

    Attributes:
        problems: the draft's problems at the last check.
        saved: the file written by the last Save, or None.
    """

    kind = "question"

    def __init__(self, title: str, intro: str, sections: Sequence[w.Widget], folder: str | Path | None = None) -> None:
        self.problems: list[Problem] = []
        self.saved: Path | None = None
        self._generation = 0
        self._labels: dict[str, w.HTML] = getattr(self, "_labels", {})
        self.general = w.HTML()
        self.folder = labelled(w.Text(value=self._default_folder(folder)), "Content folder", "40em")
        self.folder_note = w.HTML(self._folder_words())
        self.replace = w.Checkbox(
            False, description="Replace the saved one with this id", indent=False, layout=w.Layout(width="auto")
        )
        self.summary = w.HTML()
        self.preview_button = w.Button(
            description="Preview", tooltip="Show it as a student will see it", layout=w.Layout(width="auto")
        )
        self.save_button = w.Button(
            description="Save",
            button_style="primary",
            tooltip="Write it into the content folder",
            layout=w.Layout(width="auto"),
        )
        self.message = w.HTML()
        self.preview = w.VBox()
        self.preview.add_class("sarcoma-edu-studio-preview")
        self.preview_button.on_click(lambda _b: self.show_preview())
        self.save_button.on_click(lambda _b: self.save())
        self.folder.observe(lambda _c: (self._note_folder(), self.changed()), names="value")
        self.replace.observe(lambda _c: self.changed(), names="value")
        super().__init__(
            [
                w.HTML(f"{_STYLE}<h3 style='margin:0.2em 0'>{html.escape(title)}</h3><p>{html.escape(intro)}</p>"),
                *sections,
                w.HTML("<h4 style='margin:0.6em 0 0.2em'>Save</h4>"),
                self.folder,
                self.folder_note,
                self.replace,
                self.general,
                self.summary,
                w.HBox([self.preview_button, self.save_button]),
                self.message,
                self.preview,
            ],
            layout=w.Layout(padding="0.5em"),
        )
        self.add_class("sarcoma-edu-studio")

    # --- fields and their problems -------------------------------------------------------------

    def field(self, name: str, *widgets: w.Widget) -> w.VBox:
        """The widgets of one field with the place its problems are shown, right under them."""
        self._labels = getattr(self, "_labels", {})  # a subclass makes its fields before this class's __init__
        label = self._labels.setdefault(name, w.HTML())
        self.watch(*widgets)
        return w.VBox([*widgets, label])

    def watch(self, *widgets: w.Widget) -> None:
        """Check the draft again a moment after any of these widgets changes."""
        for widget in widgets:
            if hasattr(widget, "value") and not isinstance(widget, w.HTML | w.Button):
                widget.observe(lambda _c: self.changed(), names="value")

    def slot(self, field: str) -> str:
        """The field of the form a problem of the item's ``field`` is shown under (its first part by default)."""
        return re.split(r"[.\[]", field, maxsplit=1)[0]

    def changed(self) -> None:
        """A field changed: check the draft once no other change has come for :data:`DEBOUNCE_S` seconds."""
        self._generation += 1
        generation = self._generation
        if not _later(DEBOUNCE_S, lambda: generation == self._generation and self.refresh()):
            self.refresh()  # outside a kernel (tests, scripts): at once

    def item(self) -> dict[str, Any]:
        """The draft as the file would hold it: each form (question, exercise, case) builds its own."""
        raise NotImplementedError

    def preview_widget(self, built: object) -> w.Widget:
        """The student's widget showing the built draft: each form gives its own (quiz, exercise, tumour board)."""
        raise NotImplementedError

    def folder_path(self) -> Path | None:
        text = self.folder.value.strip()
        return Path(text).expanduser() if text else None

    def refresh(self) -> list[Problem]:
        """Check the draft now and show each problem beside its field; return the problems."""
        try:
            self.problems = authoring.draft_problems(
                self.kind, self.item(), self.folder_path(), replace=self.replace.value
            )
        except Exception as error:  # a form must never show a traceback: say what went wrong instead
            self.problems = [Problem("", f"the draft could not be checked ({type(error).__name__}: {error})")]
        self.on_refresh()  # first, so a field it adds (a case's step) has its place for problems
        shown: dict[str, list[str]] = {}
        for problem in self.problems:
            slot = self.slot(problem.field)
            shown.setdefault(slot if slot in self._labels else "", []).append(_words(problem))
        for name, label in self._labels.items():
            label.value = self._problem_html(shown.get(name, []))
        self.general.value = self._problem_html(shown.get("", []))
        count = len(self.problems)
        self.summary.value = (
            f"<p role='status'><b>{count} problem{'' if count == 1 else 's'} to fix</b> (each is shown under its "
            "field) before you can preview and save.</p>"
            if count
            else "<p role='status'><b>No problems.</b> Preview shows it as a student will see it; Save writes it "
            "into the content folder.</p>"
        )
        return self.problems

    def on_refresh(self) -> None:
        """What a form updates besides the problems after each check (the case form: the computed answers)."""

    @staticmethod
    def _problem_html(lines: list[str]) -> str:
        if not lines:
            return ""
        return "".join(f"<div class='sarcoma-edu-problem'>{html.escape(line)}</div>" for line in lines)

    # --- the content folder, preview and save ---------------------------------------------------

    def _default_folder(self, folder: str | Path | None) -> str:
        self._folder_problem = ""
        if folder is not None:
            return str(folder)
        try:
            found = content_folder()
        except ContentFolderError as error:  # named but missing: Save will make it
            self._folder_problem = str(error)
            return os.environ.get("SARCOMA_EDU_CONTENT", DEFAULT_FOLDER)
        return str(found) if found is not None else DEFAULT_FOLDER

    def _folder_words(self) -> str:
        named = os.environ.get("SARCOMA_EDU_CONTENT", "").strip()
        if named and not self._folder_problem and Path(named).expanduser() == self.folder_path():
            return "<p style='margin:0.1em 0 0.4em'>Your content folder (SARCOMA_EDU_CONTENT).</p>"
        if named and self._folder_problem:
            return f"<p style='margin:0.1em 0 0.4em'>{html.escape(self._folder_problem)}. Save will create it.</p>"
        return (
            "<p style='margin:0.1em 0 0.4em' role='note'><b>No content folder is set</b> (SARCOMA_EDU_CONTENT), so "
            "what you save goes into the folder above (it is created on Save). For the quiz, the tumour board and "
            "the commands to use it, set SARCOMA_EDU_CONTENT to that folder before you start JupyterLab, e.g. "
            "<code>export SARCOMA_EDU_CONTENT=$PWD/my-content</code>, or pass <code>--content DIR</code> to the "
            "commands; the teaching guide shows the line for a JupyterHub.</p>"
        )

    def _note_folder(self) -> None:
        self._folder_problem = ""
        self.folder_note.value = self._folder_words()

    def _built(self) -> object | None:
        """The draft as the student's widget takes it, built by the same checks (None while a problem remains)."""
        return authoring.built(self.kind, self.item(), self.folder_path(), replace=self.replace.value)

    def show_preview(self) -> w.Widget | None:
        """Show the draft in the widget a student uses; with a problem left, say so instead."""
        if self.refresh():
            self.message.value = alert(
                "Fix the problems shown under the fields first: a draft with a problem "
                "cannot be shown as a student would see it."
            )
            self.preview.children = ()
            return None
        widget = self.preview_widget(self._built())
        heading = w.HTML(
            "<h4 style='margin:0.6em 0 0.2em'>Preview: what a student sees (answers here are not saved)</h4>"
        )
        self.preview.children = (heading, widget)
        self.message.value = "<p role='status'>The preview is below.</p>"
        return widget

    def save(self) -> Path | None:
        """Save the draft into the content folder; with a problem left, or no folder, nothing is written."""
        if self.folder_path() is None:
            self.message.value = alert("Give a content folder first (e.g. my-content), or set SARCOMA_EDU_CONTENT.")
            return None
        if self.refresh():
            self.message.value = alert(
                f"Not saved: {len(self.problems)} problem(s) remain, each shown under its field."
            )
            return None
        try:
            path = authoring.save(self.kind, self.item(), self.folder_path(), replace=self.replace.value)
        except authoring.DraftError as error:
            self.message.value = alert(str(error))
            return None
        except (OutputError, OSError, LockFileError) as error:
            self.message.value = alert(f"Not saved: {error}")
            return None
        self.saved = path
        self.replace.value = True  # saving again now replaces what was just saved, as the ticked box says
        self.refresh()
        self.message.value = (
            f"<p role='status'><b>Saved</b> in {html.escape(str(path))}. A quiz or tumour board started after "
            "this, with SARCOMA_EDU_CONTENT naming the folder, lists it. Saving again replaces it ('Replace the "
            "saved one' is now ticked).</p>"
        )
        return path
