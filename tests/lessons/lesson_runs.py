"""Each lesson run top to bottom in a fresh kernel, then every prediction answered: what it showed.

The table test (``test_lesson_tables.py``) reads every output of a lesson and every table its widgets
show once all predictions (and lesson 05's five drug questions) are answered. nbval already runs each
lesson top to bottom in a fresh kernel of its own, so when this test process has just done that, the
root ``conftest.py`` calls :func:`keep_from_nbval` after the lesson's last cell: it answers everything
in nbval's kernel before that kernel stops and keeps the outputs, and :func:`lesson_run` hands them to
the test (``conftest.py`` runs the table test of a lesson right after the lesson's cells, on the same
worker). Run without nbval's run (the table test alone, or a lesson whose run had an error), the lesson
is run here: a copy in a folder of its own, executed as Run All does.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
from nbclient import NotebookClient

# run after the lesson, in its kernel: answer every prediction (and lesson 05's drug questions) as a student
# might, then print the HTML of every table now on screen in a widget, what the answers opened included
ANSWER_ALL = """
import json
import ipywidgets as _w
from ipywidgets.widgets.widget import _instances
from sarcoma_edu.widgets.exercise import ExerciseWidget
from sarcoma_edu.widgets.quiz import QuizWidget

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
print(json.dumps([_html for _html in _shown if "<table" in _html]))
"""
KERNEL_TIMEOUT = 180  # seconds, as for a lesson's run of its own

# lesson file name: (the notebook with every code cell's outputs, the tables shown once everything is answered)
_KEPT: dict[str, tuple[nbformat.NotebookNode, list[str]]] = {}


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
    if path.name in _KEPT:
        return _KEPT.pop(path.name)
    copy = folder / path.name
    shutil.copyfile(path, copy)
    notebook = nbformat.read(copy, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(ANSWER_ALL))
    NotebookClient(
        notebook, timeout=KERNEL_TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    ).execute()
    answered = notebook.cells.pop()
    (printed,) = [o for o in answered.outputs if o.get("name") == "stdout"]
    return notebook, json.loads(printed["text"])
