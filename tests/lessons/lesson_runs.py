"""Each lesson run top to bottom in a fresh kernel, then every prediction answered: what it showed.

The table test (``test_lesson_tables.py``) reads every output of a lesson and every table its widgets
show once all predictions (and lesson 05's five drug questions) are answered; the predictions-first
test (``test_predictions_first.py``) reads what each widget showed on screen right after Run All, before
any answer, and again once everything is answered. nbval already runs each lesson top to bottom in a
fresh kernel of its own, so when this test process has just done that, the root ``conftest.py`` calls
:func:`keep_from_nbval` after the lesson's last cell: it answers everything in nbval's kernel before that
kernel stops and keeps the outputs, and :func:`lesson_run` and :func:`lesson_shown` hand them to the
tests (``conftest.py`` runs them right after the lesson's cells, on the same worker). Run without nbval's
run (a test alone, or a lesson whose run had an error), the lesson is run here: a copy in a folder of its
own, executed as Run All does with a progress file of its own (as a new student: nothing answered yet).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from sarcoma_edu.progress.store import ENV_VAR as PROGRESS_ENV

# run after the lesson, in its kernel: note the words each widget shows, answer every prediction (and lesson
# 05's drug questions) as a student might, then print the HTML of every table now on screen in a widget, what
# the answers opened included, and the words each widget shows before and after the answers
ANSWER_ALL = """
import json, re, html
import ipywidgets as _w
from ipywidgets.widgets.widget import _instances
from sarcoma_edu.widgets.exercise import ExerciseWidget
from sarcoma_edu.widgets.quiz import QuizWidget

def _on_screen(widget, seen):
    # the words a widget puts on screen: nothing of a hidden one (display none), a box's children in order
    if id(widget) not in seen:
        layout = getattr(widget, "layout", None)
        parts, inner = [], []
        if layout is not None and (layout.display == "none" or layout.visibility == "hidden"):
            text = ""
        elif isinstance(widget, _w.Box):
            text = " ".join(_on_screen(child, seen) for child in widget.children)
        else:
            for out in widget.outputs if isinstance(widget, _w.Output) else ():
                data = out.get("data", {})
                view = data.get("application/vnd.jupyter.widget-view+json", {}).get("model_id")
                if view in _instances:  # a widget shown in an output: its own words, already plain
                    inner.append(_on_screen(_instances[view], seen))
                else:
                    parts.append(out.get("text") or data.get("text/html") or data.get("text/plain") or "")
            for name in () if isinstance(widget, _w.Output) else ("value", "description", "label"):
                value = getattr(widget, name, None)
                parts.append(value if isinstance(value, str) else "")
            text = html.unescape(re.sub(r"<style.*?</style>|<[^>]+>", " ", " ".join(parts), flags=re.S))
            text = " ".join([text, *inner])
        seen[id(widget)] = re.sub(r"\\s+", " ", text).strip()
    return seen[id(widget)]

def _shown_now():
    seen = {}
    return {key: _on_screen(widget, seen) for key, widget in list(_instances.items())}

_before = _shown_now()
for _widget in list(_instances.values()):
    if isinstance(_widget, ExerciseWidget) and _widget.feedback is None:
        _kind = _widget.exercise.type
        _first = _widget.exercise.question.choices[:1]
        _widget.answer(list(_widget.order) if _kind == "ordering" else 5 if _kind == "numeric"
                       else _first if _kind == "many_choice" else _first[0])
    elif isinstance(_widget, QuizWidget) and _widget.feedback is None and len(_widget.queue) == 5:
        for _ in range(5):
            _question = _widget.question
            _widget.answer(list(_question.choices[:1]) if _question.type == "many_choice" else _question.choices[0])
            _widget.next()
_shown = [_x.value for _x in list(_instances.values()) if isinstance(_x, _w.HTML)]
_shown += [_o.get("data", {}).get("text/html", "") for _x in list(_instances.values()) if isinstance(_x, _w.Output)
           for _o in _x.outputs]
_tables = [_html for _html in _shown if "<table" in _html]
print(json.dumps({"tables": _tables, "before": _before, "after": _shown_now()}))
"""
KERNEL_TIMEOUT = 180  # seconds, as for a lesson's run of its own

# lesson file name: (the notebook with every code cell's outputs, what ANSWER_ALL printed: "tables" shown once
# everything is answered, and each widget's words on screen "before" and "after" the answers, by model id)
_KEPT: dict[str, tuple[nbformat.NotebookNode, dict]] = {}


def keep_from_nbval(last_cell) -> None:
    """After nbval ran a lesson's last cell: answer everything in nbval's kernel and keep what the lesson showed.

    Kept only when every code cell of the lesson ran in this process without an error; otherwise nothing is
    kept and the table test runs the lesson itself (and meets the error there too).
    """
    lesson = last_cell.parent
    cells = [item for item in last_cell.session.items if item.parent is lesson]
    outputs = [getattr(item, "test_outputs", None) for item in cells]
    if len(cells) != len([cell for cell in lesson.nb.cells if cell.cell_type == "code"]):
        return  # some cells were not collected: not a whole run
    if any(out is None or any(o.get("output_type") == "error" for o in out) for out in outputs):
        return  # a cell did not run, or showed an error
    kernel = lesson.kernel
    if kernel is None or not kernel.is_alive():
        return
    msg_id = kernel.execute_cell_input(ANSWER_ALL, allow_stdin=False)
    printed, failed = [], False
    while True:
        message = kernel.get_message(stream="iopub", timeout=KERNEL_TIMEOUT)
        if message["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = message["msg_type"], message["content"]
        if kind == "stream" and content["name"] == "stdout":
            printed.append(content["text"])
        failed = failed or kind == "error"
        if kind == "status" and content["execution_state"] == "idle":
            break
    if failed:
        return
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(item.cell.source, id=item.cell.id, outputs=out) for item, out in
               zip(cells, outputs, strict=True)]
    )  # fmt: skip
    _KEPT[Path(str(lesson.fspath)).name] = (notebook, json.loads("".join(printed)))


def lesson_run(path: Path, folder: Path) -> tuple[nbformat.NotebookNode, list[str]]:
    """The lesson's outputs and the tables its widgets show once everything is answered: nbval's run if kept,
    else a run of its own in ``folder``."""
    notebook, printed = _run(path, folder)
    return notebook, printed["tables"]


def lesson_shown(path: Path, folder: Path) -> tuple[nbformat.NotebookNode, dict[str, str], dict[str, str]]:
    """The lesson's outputs, and the words each widget showed right after Run All and once everything was
    answered (by model id): nbval's run if kept, else a run of its own in ``folder``."""
    notebook, printed = _run(path, folder)
    return notebook, printed["before"], printed["after"]


def _run(path: Path, folder: Path) -> tuple[nbformat.NotebookNode, dict]:
    """nbval's kept run of the lesson, else a run of its own in ``folder`` (kept for the other test)."""
    if path.name in _KEPT:
        return _KEPT[path.name]
    copy = folder / path.name
    shutil.copyfile(path, copy)
    notebook = nbformat.read(copy, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(ANSWER_ALL))
    earlier = os.environ.get(PROGRESS_ENV)
    os.environ[PROGRESS_ENV] = str(folder / f"{path.stem}-progress.sqlite3")  # a new student: nothing answered yet
    try:
        NotebookClient(
            notebook, timeout=KERNEL_TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
        ).execute()
    finally:
        if earlier is None:
            os.environ.pop(PROGRESS_ENV, None)
        else:
            os.environ[PROGRESS_ENV] = earlier
    answered = notebook.cells.pop()
    (printed,) = [o for o in answered.outputs if o.get("name") == "stdout"]
    _KEPT[path.name] = (notebook, json.loads(printed["text"]))
    return _KEPT[path.name]
