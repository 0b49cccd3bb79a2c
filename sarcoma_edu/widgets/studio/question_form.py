"""The studio's question form (single, multiple or numeric answer) and its exercise form (predict, then check).

The instructor writes the question, up to :data:`ROWS` answers (each with whether it is right and
its feedback; for a numeric question a number or a range), the explanation, the source and the
learning objectives it assesses. For a question about a fact the rules compute (a stage group, a T
category, an FNCLCC grade or score), she chooses the fact and gives the patient: the library
writes the right answer into the first row and the check holds the question to it
(``derived_from``). A T category question asks how far a visceral tumour has grown (its T is not a
size) and whether a head and neck tumour invades (T4a, T4b). The draft is checked as
``sarcoma-edu bank check`` checks a bank; Preview shows
the real quiz (or, for an exercise, the real exercise widget) and Save adds it to
``quiz/my_questions.json`` (an exercise: ``exercises/<lesson>.json``) in her content folder.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import ipywidgets as w

from sarcoma_edu.clinical.tables import load_table
from sarcoma_edu.course import authoring
from sarcoma_edu.course.exercises import Exercise
from sarcoma_edu.course.objectives import load_objectives
from sarcoma_edu.course.quiz import DIFFICULTIES, TOPICS, Question
from sarcoma_edu.widgets.base import _site_options
from sarcoma_edu.widgets.exercise import ExerciseWidget
from sarcoma_edu.widgets.quiz import QuizWidget
from sarcoma_edu.widgets.studio.form import StudioForm, labelled

__all__ = ["ROWS", "ExerciseForm", "QuestionForm"]

ROWS = 5  # answer rows; a blank row is left out
_TYPES = [("one right answer", "multiple_choice"), ("several right answers", "many_choice"), ("a number", "numeric")]
_BY_HAND = ("no: I write the right answer", "")


def _extents(site: str) -> list[tuple[str, str | None]]:
    """The extents a site's T takes (datasets/ajcc8_t_categories.csv), in plain words; none for a site sized only."""
    table = load_table("ajcc8_t_categories.csv")
    rows = table[(table.site == site) & (table.extent != "")]
    if rows.empty:
        return [("(size decides T here)", None)]
    named: dict[str, str] = {}
    for row in rows.itertuples():
        words = "found in 2 or more places (multifocal)" if row.extent == "multifocal" else row.plain_words
        named.setdefault(row.extent, words)
    blank = "not given" if site == "visceral" else "does not grow into adjoining structures (size decides T)"
    return [(blank, None), *((words, extent) for extent, words in named.items())]


class QuestionForm(StudioForm):
    """Write a quiz question; see :func:`sarcoma_edu.widgets.studio.question_form`."""

    kind = "question"

    def __init__(self, folder: str | Path | None = None, *, _extra: tuple[w.Widget, ...] = ()) -> None:
        ids = sorted(load_objectives())
        self.question_id = labelled(
            w.Text(placeholder="lower-case letters, digits and hyphens, e.g. my-stage-1"), "Question id"
        )
        self.topic = labelled(w.Dropdown(options=self._topics()), "Topic", "28em")
        self.type = labelled(w.Dropdown(options=_TYPES), "Answer type", "28em")
        self.difficulty = labelled(w.Dropdown(options=DIFFICULTIES, value="medium"), "Difficulty", "28em")
        self.question = labelled(w.Textarea(rows=3, placeholder="the question the student reads"), "Question")
        self.rows = [self._row(k) for k in range(1, ROWS + 1)]
        self.precision = labelled(w.Text(placeholder="significant digits compared (optional)"), "Precision", "28em")
        self.explanation = labelled(
            w.Textarea(rows=3, placeholder="why the right answer is right, in plain words"), "Explanation"
        )
        self.source = labelled(w.Text(placeholder="a source key, e.g. AJCC8 or PDQ-HP"), "Source")
        self.objective_boxes = [
            labelled(
                w.Combobox(options=ids, ensure_option=False, placeholder="e.g. staging-stage-group"),
                f"Objective {k}",
                "40em",
            )
            for k in (1, 2)
        ]
        self.fact = labelled(
            w.Dropdown(options=[_BY_HAND, *((f, f) for f in authoring.COMPUTABLE)]),
            "Right answer from the rules",
            "46em",
        )
        self.fact.style = {"description_width": "initial"}  # the whole label: longer than the others' 12em
        self.patient = {
            "site": labelled(w.Dropdown(options=_site_options(), value="extremity"), "Site", "46em"),
            "size_cm": labelled(w.Text(placeholder="e.g. 12"), "Greatest size (cm)", "24em"),
            "grade": labelled(w.Dropdown(options=["GX", "G1", "G2", "G3"]), "Grade", "24em"),
            "nodes": w.Checkbox(False, description="Lymph node spread (N1)", indent=False),
            "metastasis": w.Checkbox(False, description="Distant metastasis (M1)", indent=False),
            "differentiation": labelled(w.Dropdown(options=[1, 2, 3]), "Differentiation score", "24em"),
            "mitoses": labelled(w.Text(placeholder="count"), "Mitoses per 10 HPF", "24em"),
            "necrosis_pct": labelled(w.Text(placeholder="0 to 100"), "Tumour necrosis (%)", "24em"),
            "extent": labelled(w.Dropdown(options=_extents("extremity")), "How far it has grown", "52em"),
            "sites": labelled(w.Text(placeholder="2 or more"), "Number of places (multifocal)", "28em"),
        }
        self.patient["site"].observe(lambda _c: self._site_changed(), names="value")
        self.patient["extent"].observe(lambda _c: self._show_patient(), names="value")
        self.key_note = w.HTML()
        self.fact.observe(lambda _c: self._show_patient(), names="value")
        answers = [w.HTML("<p style='margin:0.3em 0'>Answers (leave a row empty to leave it out):</p>")]
        answers += [w.VBox(list(row.values())) for row in self.rows]
        sections = [
            *_extra,
            self.field("id", self.question_id),
            self.field("topic", self.topic),
            self.field("type", self.type),
            self.field("difficulty", self.difficulty),
            self.field("question", self.question),
            self.field("derived_from", self.fact, *self.patient.values(), self.key_note),
            self.field("answers", *answers),
            self.field("precision", self.precision),
            self.field("explanation", self.explanation),
            self.field("source", self.source),
            self.field("objectives", *self.objective_boxes),
        ]
        self.type.observe(lambda _c: self._show_type(), names="value")
        title, intro = self._words()
        super().__init__(title, intro, sections, folder)
        self._show_type()
        self._show_patient()
        self.refresh()

    # --- what differs in the exercise form --------------------------------------------------------

    def _topics(self) -> tuple[str, ...]:
        return TOPICS

    def _words(self) -> tuple[str, str]:
        return ("Write a quiz question", "It is checked as you type, as `sarcoma-edu bank check` checks a bank.")

    # --- the fields ----------------------------------------------------------------------------

    def _row(self, k: int) -> dict[str, w.Widget]:
        return {
            "answer": labelled(w.Text(placeholder="the answer's text"), f"Answer {k}"),
            "value": labelled(w.Text(placeholder="a number"), f"Answer {k}: number", "24em"),
            "low": labelled(w.Text(placeholder="or a range: from"), f"Answer {k}: from", "24em"),
            "high": labelled(w.Text(placeholder="to"), f"Answer {k}: to", "24em"),
            "correct": w.Checkbox(False, description=f"Answer {k} is right", indent=False),
            "feedback": labelled(
                w.Text(placeholder="shown when a student picks it (optional)"), f"Feedback for answer {k}"
            ),
        }

    def _show_type(self) -> None:
        numeric = self.type.value == "numeric"
        for row in self.rows:
            row["answer"].layout.display = "none" if numeric else None
            for name in ("value", "low", "high"):
                row[name].layout.display = None if numeric else "none"
        self.precision.layout.display = None if numeric else "none"

    def _show_patient(self) -> None:
        needs = authoring.COMPUTABLE.get(self.fact.value, {}).get("needs", ())
        shown = {
            "extent": len(self.patient["extent"].options) > 1,
            "sites": self.patient["extent"].value == "multifocal",
        }
        for name, box in self.patient.items():
            box.layout.display = None if name in needs and shown.get(name, True) else "none"

    def _site_changed(self) -> None:
        """The extents offered are the site's own (visceral: how far it has grown; head and neck: invasion)."""
        self.patient["extent"].options = _extents(self.patient["site"].value)
        self._show_patient()

    def _computed(self) -> dict[str, Any] | None:
        """Put the library's answer in the first row (right) and return the derived_from; None when by hand."""
        if not self.fact.value:
            self.key_note.value = ""
            return None
        rule = authoring.COMPUTABLE[self.fact.value]
        if rule["type"] == "numeric" and self.type.value != "numeric":
            self.type.value = "numeric"  # a score is a number: the answer rows change to take one
        needs = rule["needs"]
        patient = {name: self.patient[name].value for name in needs if self.patient[name].layout.display != "none"}
        try:
            spec, key = authoring.computed_key(self.fact.value, patient)
        except (TypeError, ValueError, KeyError) as error:
            self.key_note.value = (
                f"<div class='sarcoma-edu-problem'>⚠ The library cannot compute it: {html.escape(str(error))}</div>"
            )
            return {"function": authoring.COMPUTABLE[self.fact.value]["function"], "field": "?", "args": patient}
        first = self.rows[0]
        if isinstance(key, int | float):
            first["value"].value, first["low"].value, first["high"].value = f"{key:g}", "", ""
        else:
            first["answer"].value = str(key)
        first["correct"].value = True
        self.key_note.value = (
            f"<p role='status' style='margin:0.2em 0'>The library gives <b>{html.escape(str(key))}</b>: it is "
            "written as answer 1, marked right. Write the wrong answers below it.</p>"
        )
        return spec

    def question_fields(self) -> dict[str, Any]:
        """The question's fields as :func:`sarcoma_edu.course.authoring.question_item` takes them."""
        derived = self._computed()
        rows = [{name: box.value for name, box in row.items()} for row in self.rows]
        return {
            "question_id": self.question_id.value,
            "topic": self.topic.value,
            "kind": self.type.value,
            "difficulty": self.difficulty.value,
            "question": self.question.value,
            "answers": rows,
            "explanation": self.explanation.value,
            "source": self.source.value,
            "objectives": [box.value.strip() for box in self.objective_boxes if box.value.strip()],
            "precision": self.precision.value,
            "derived_from": derived,
        }

    def item(self) -> dict[str, Any]:
        return authoring.question_item(**self.question_fields())

    def preview_widget(self, built: object) -> w.Widget:
        """The self-study quiz a student opens, asking this question (answers in a preview are not saved)."""
        assert isinstance(built, Question)
        return QuizWidget([built], None, seed=0)


class ExerciseForm(QuestionForm):
    """Write a predict-then-check exercise; see :func:`sarcoma_edu.widgets.studio.exercise_form`."""

    kind = "exercise"

    def __init__(self, folder: str | Path | None = None) -> None:
        lessons = sorted({o.lesson for o in load_objectives().values()})
        self.lesson = labelled(
            w.Dropdown(options=lessons, value="03_staging" if "03_staging" in lessons else None), "Lesson", "28em"
        )
        self.role = labelled(
            w.Dropdown(
                options=[
                    ("predict: asked before what settles it", "predict"),
                    ("self-check: at the end of the lesson", "self-check"),
                ]
            ),
            "Role",
            "40em",
        )
        self.reveals = labelled(
            w.Text(placeholder="what the student sees once they have answered, e.g. the staging calculator"), "Reveals"
        )
        heading = w.HTML(
            "<p style='margin:0.2em 0'>Its id starts with ex- and the lesson's number "
            '(ex-03-... for lesson 03); a lesson asks it with <code>predict("ex-03-...")</code>.</p>'
        )
        self._exercise_fields = (self.lesson, self.role, self.reveals)
        super().__init__(folder, _extra=(heading,))
        extra = [self.field("lesson", self.lesson), self.field("role", self.role), self.field("reveals", self.reveals)]
        self.children = (*self.children[:2], *extra, *self.children[2:])
        self.question_id.placeholder = "ex-03-my-question"
        self.refresh()

    def _topics(self) -> tuple[str, ...]:
        return (*TOPICS, "course")

    def _words(self) -> tuple[str, str]:
        return ("Write a predict-then-check exercise", "It is checked as you type, as a lesson's exercises are.")

    def item(self) -> dict[str, Any]:
        return authoring.exercise_item(
            lesson=self.lesson.value, role=self.role.value, reveals=self.reveals.value, **self.question_fields()
        )

    def preview_widget(self, built: object) -> w.Widget:
        """The exercise as a lesson shows it (the answer checked and explained; nothing saved in a preview)."""
        assert isinstance(built, Exercise)
        return ExerciseWidget(built, None, storage_problem="this is a preview, and answers in it are not saved")
