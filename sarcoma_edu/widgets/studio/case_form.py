"""The studio's case form: write a tumour-board patient from the story and the facts; the library answers.

The instructor writes the case's id, title, level, what the student will do and the story, then
the facts (site, size, depth, histology, the FNCLCC scores or a grade, lymph nodes, distant
metastasis and, with it, whether surgery can remove all the cancer, and the team's radiation and
chemotherapy). Each answer the rules compute (grade, T, stage, the PDQ list, the plan order, the
pathways of spread; no T for a visceral site, whose T is its extent, as a note says) is shown as
soon as the facts allow, with the library's explanation and source; under it are the step's wrong choices with the
library's feedback, and a box for her own feedback on each (left empty, the library's is used).
The draft is checked as ``sarcoma-edu case check`` checks a file, Preview shows it in the real
tumour board, and Save writes ``cases/<id>.json`` into her content folder
(:mod:`sarcoma_edu.widgets.studio.form`).
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import ipywidgets as w

from sarcoma_edu.clinical.tables import load_table
from sarcoma_edu.course.case_authoring import STEP_KINDS, StepAnswer, case_item, computed_answers, step_notes
from sarcoma_edu.course.case_files import load_cases
from sarcoma_edu.course.case_model import Case
from sarcoma_edu.course.items import ContentFolderError, all_cases
from sarcoma_edu.widgets.base import _site_options
from sarcoma_edu.widgets.studio.form import StudioForm, labelled
from sarcoma_edu.widgets.tumour_board import TumourBoard

__all__ = ["CaseForm"]

LEVELS = ("first clinical year", "final year", "resident")
_NOT_GIVEN = "not given"
_KIND_WORDS = {
    "grade": "FNCLCC grade",
    "t_category": "AJCC 8 T category",
    "stage": "AJCC 8 stage group",
    "treatment_list": "PDQ treatment list",
    "plan_order": "order of the treatment phases",
    "spread": "pathways of spread",
}


def _histologies() -> list[tuple[str, str | None]]:
    table = load_table("histologies.csv")
    named = [(label[0].upper() + label[1:], h) for h, label in zip(table.histology, table.label, strict=True)]
    return [("(subtype not named)", None), *sorted(named)]


class CaseForm(StudioForm):
    """Write a tumour-board case from facts; see :func:`sarcoma_edu.widgets.studio.case_form`.

    Attributes:
        answers: what the library computed for each step at the last check.
    """

    kind = "case"

    def __init__(self, folder: str | Path | None = None) -> None:
        self.answers: list[StepAnswer] = []
        self._feedback: dict[tuple[str, str], str] = {}  # (step kind, wrong choice) -> her feedback
        self._shown: tuple = ()
        self.case_id = labelled(
            w.Text(placeholder="lower-case letters, digits and hyphens, e.g. thigh-ups-2"), "Case id"
        )
        self.title = labelled(w.Text(placeholder="what the student reads first"), "Title")
        self.level = labelled(w.Dropdown(options=LEVELS), "Level", "28em")
        self.objectives = labelled(
            w.Textarea(placeholder="one a line: what the student will do in this case", rows=3), "You will (one a line)"
        )
        self.vignette = labelled(w.Textarea(placeholder="the patient: age, sex, how they presented", rows=4), "Story")
        self.site = labelled(w.Dropdown(options=_site_options(), value="extremity"), "Site", "46em")
        self.size = labelled(w.Text(placeholder="e.g. 12 (empty: not known)"), "Greatest size (cm)", "24em")
        self.depth = labelled(
            w.Dropdown(options=[(_NOT_GIVEN, None), ("superficial", "superficial"), ("deep", "deep")]), "Depth", "24em"
        )
        self.histology = labelled(w.Dropdown(options=_histologies()), "Histology", "40em")
        self.differentiation = labelled(
            w.Dropdown(options=[(_NOT_GIVEN, None), ("1", 1), ("2", 2), ("3", 3)]), "Differentiation score", "24em"
        )
        self.mitoses = labelled(w.Text(placeholder="count"), "Mitoses per 10 HPF", "24em")
        self.necrosis = labelled(w.Text(placeholder="0 to 100"), "Tumour necrosis (%)", "24em")
        self.grade = labelled(w.Dropdown(options=["GX", "G1", "G2", "G3"]), "Grade (without scores)", "24em")
        self.nodes = w.Checkbox(False, description="Spread to regional lymph nodes (N1)", indent=False)
        self.metastasis = w.Checkbox(False, description="Distant metastasis (M1)", indent=False)
        self.resectable = labelled(
            w.Dropdown(
                options=[
                    ("no: surgery cannot remove all the cancer", False),
                    ("yes: the primary tumour and every metastasis can be removed", True),
                ],
                value=False,  # what the planner assumes when a case with distant metastasis does not say
            ),
            "Can surgery remove all the cancer?",
            "52em",
        )
        self.resectable.style = {"description_width": "initial"}
        self.metastasis.observe(lambda _c: self._show_resectable(), names="value")
        self._show_resectable()
        self.radiation = labelled(
            w.Dropdown(options=[("before surgery", "before"), ("after surgery", "after"), ("none", "none")]),
            "Radiation",
            "28em",
        )
        self.chemotherapy = labelled(
            w.Dropdown(options=[("none", "none"), ("before surgery", "before"), ("after surgery", "after")]),
            "Chemotherapy",
            "28em",
        )
        self.computed_note = w.HTML()
        self.steps_note = w.HTML()
        self.steps_box = w.VBox()
        self.steps_box.add_class("sarcoma-edu-studio-computed")
        story = [
            w.HTML("<h4 style='margin:0.6em 0 0.2em'>The story</h4>"),
            self.field("id", self.case_id),
            self.field("title", self.title),
            self.field("level", self.level),
            self.field("objectives", self.objectives),
            self.field("vignette", self.vignette),
        ]
        facts = [
            w.HTML("<h4 style='margin:0.6em 0 0.2em'>The facts</h4>"),
            self.field("facts.site", self.site),
            self.field("facts.size_cm", self.size),
            self.field("facts.depth", self.depth),
            self.field("facts.histology", self.histology),
            w.HTML(
                "<p style='margin:0.3em 0'>The grade: the three FNCLCC scores (the library computes the grade and "
                "asks it as a step), or, without them, the grade itself.</p>"
            ),
            self.field("facts.fnclcc", self.differentiation, self.mitoses, self.necrosis),
            self.field("facts.grade", self.grade),
            self.field("facts.nodes", self.nodes),
            self.field("facts.metastasis", self.metastasis),
            self.field("facts.resectable", self.resectable),
            self.field(
                "facts", w.HTML("<p style='margin:0.3em 0'>The team's plan:</p>"), self.radiation, self.chemotherapy
            ),
        ]
        computed = [
            w.HTML(
                "<h4 style='margin:0.6em 0 0.2em'>What the library computes</h4><p style='margin:0.2em 0'>Every "
                "answer below comes from the rules and changes with the facts. You may write your own feedback "
                "for a wrong choice; left empty, the library's is used.</p>"
            ),
            self.computed_note,
            self.steps_note,
            self.steps_box,
        ]
        super().__init__(
            "Write a tumour board case",
            "Write the story and the facts; the library fills in every answer it can compute.",
            [*story, *facts, *computed],
            folder,
        )
        self.refresh()

    # --- the draft -----------------------------------------------------------------------------

    def facts(self) -> dict[str, Any]:
        """The facts as typed (numbers still as text: the check names a box that holds no number)."""
        out: dict[str, Any] = {"site": self.site.value, "size_cm": self.size.value}
        if self.depth.value:
            out["depth"] = self.depth.value
        if self.histology.value:
            out["histology"] = self.histology.value
        typed = {
            "differentiation": self.differentiation.value,
            "mitoses": self.mitoses.value.strip(),
            "necrosis_pct": self.necrosis.value.strip(),
        }
        if any(v not in (None, "") for v in typed.values()):
            out["fnclcc"] = {k: v for k, v in typed.items() if v not in (None, "")}
        else:
            out["grade"] = self.grade.value
        out.update({"nodes": self.nodes.value, "metastasis": self.metastasis.value})
        if self.metastasis.value:
            out["resectable"] = self.resectable.value
        return out

    def _show_resectable(self) -> None:
        """The question of what surgery can remove is asked with distant metastasis only (without it, all can be)."""
        self.resectable.layout.display = None if self.metastasis.value else "none"

    def item(self) -> dict[str, Any]:
        """The case as its file will hold it."""
        feedback: dict[str, dict[str, str]] = {}
        offered = {(a.kind, text) for a in self.answers for text, _ in a.wrong}
        for (kind, text), words in self._feedback.items():
            if words.strip() and (kind, text) in offered:
                feedback.setdefault(kind, {})[text] = words
        return case_item(
            case_id=self.case_id.value,
            title=self.title.value,
            level=self.level.value,
            objectives=self.objectives.value.splitlines(),
            vignette=self.vignette.value,
            facts=self.facts(),
            kinds=STEP_KINDS,
            plan={"radiation": self.radiation.value, "chemotherapy": self.chemotherapy.value},
            feedback=feedback,
        )

    def slot(self, field: str) -> str:
        """``facts.size_cm`` under the size, ``facts.fnclcc.mitoses`` under the scores, ``steps[2]...`` its step."""
        step = re.match(r"steps\[(\d+)\]", field)
        if step:
            steps = self.item()["steps"]
            index = int(step.group(1))
            return f"step:{steps[index]['kind']}" if index < len(steps) else ""
        if field.startswith("facts."):
            return ".".join(field.split(".")[:2])
        return super().slot(field)

    # --- the computed answers ------------------------------------------------------------------

    def on_refresh(self) -> None:
        draft = self.item()
        self.answers, why = computed_answers(draft)
        self.computed_note.value = f"<p role='status'>{html.escape(why)}</p>" if why else ""
        notes = step_notes(draft["facts"])
        self.steps_note.value = "".join(f"<p role='note' style='margin:0.2em 0'>ⓘ {html.escape(n)}</p>" for n in notes)
        shown = tuple((a.kind, a.right, a.explanation, a.wrong) for a in self.answers)
        if shown == self._shown:
            return
        self._shown = shown
        self.steps_box.children = [self._step_box(number, a) for number, a in enumerate(self.answers, start=1)]

    def _step_box(self, number: int, answer: StepAnswer) -> w.VBox:
        right = " or ".join(answer.right)
        head = w.HTML(
            f"<div class='sarcoma-edu-computed-step'><p style='margin:0.5em 0 0.1em'><b>Step {number}: "
            f"{html.escape(_KIND_WORDS[answer.kind])}</b>. {html.escape(answer.question)}</p>"
            f"<p style='margin:0.1em 0'>Right answer (computed): <b>{html.escape(right)}</b></p>"
            f"<p style='margin:0.1em 0;color:#333'>Why: {html.escape(answer.explanation)} "
            f"<small>Source: {html.escape(answer.source)}</small></p></div>"
        )
        rows: list[w.Widget] = [head]
        for text, library in answer.wrong:
            rows.append(
                w.HTML(
                    f"<p style='margin:0.3em 0 0.1em 1em'>Wrong choice <b>{html.escape(text)}</b>: the "
                    f"library says “{html.escape(library)}”</p>"
                )
            )
            box = labelled(
                w.Textarea(
                    value=self._feedback.get((answer.kind, text), ""),
                    rows=2,
                    placeholder="leave empty to keep the library's feedback",
                ),
                f"Your feedback for {text}",
                "52em",
            )
            box.style = {"description_width": "initial"}  # the whole label: it names the choice
            box.observe(lambda change, k=(answer.kind, text): self._feedback_changed(k, change["new"]), names="value")
            rows.append(box)
        label = self._labels.setdefault(f"step:{answer.kind}", w.HTML())
        return w.VBox(
            [*rows, label], layout=w.Layout(border_left="3px solid #0072B2", padding="0 0 0 0.6em", margin="0.3em 0")
        )

    def _feedback_changed(self, key: tuple[str, str], words: str) -> None:
        self._feedback[key] = words
        self.changed()

    # --- preview -------------------------------------------------------------------------------

    def preview_widget(self, built: object) -> w.Widget:
        """The tumour board a student opens, with this case among the built-in ones and hers, and chosen."""
        assert isinstance(built, Case)
        folder = self.folder_path()
        try:
            cases = all_cases(folder) if folder is not None and folder.is_dir() else load_cases()
        except ContentFolderError:  # her folder cannot be read (the form says so): the built-in cases
            cases = load_cases()
        others = [c for c in cases if c.id != built.id]
        board = TumourBoard([*others, built], None, seed=0)
        board.picker.value = built.id
        return board
