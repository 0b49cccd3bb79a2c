"""The end of a tumour board case: the summary, the treatment timeline, and the **What if?** panel.

:class:`~sarcoma_edu.widgets.tumour_board.TumourBoard` takes these from :class:`CaseSummary`. After the
last step the summary lists the student's choice at each step beside the right answer, then the
stage with its explanation and source, the treatment plan and its timeline figure, and the score.
**What if?** changes one fact of the case (site, size, grade, lymph node spread, distant metastasis)
with labelled controls and lists which computed answers change, and why, and which stay the same
(:func:`sarcoma_edu.course.cases.what_if`, from the rule tables). The size is read as typed: a bad
size is refused with a message, never clamped.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import ipywidgets as w

from sarcoma_edu.clinical.vocabulary import SITES
from sarcoma_edu.course.cases import describe_facts, what_if
from sarcoma_edu.widgets.base import NumberBox, _draw

if TYPE_CHECKING:
    from sarcoma_edu.course.cases import Case, StepChange

__all__ = ["CaseSummary"]

_START_FIRST = "Start a case first: choose one and press 'Start this case'; the summary and 'What if?' follow."
# the choices table: words at the left and top of each cell, a line between steps (the widget's own line height,
# meant for one-line controls, would double-space every wrapped cell)
_SUMMARY_STYLE = (
    "<style>.sarcoma-edu-summary th,.sarcoma-edu-summary td{text-align:left;vertical-align:top;"
    "padding:0.3em 0.9em 0.3em 0;border-bottom:1px solid #ccc}.sarcoma-edu-summary th{border-bottom:2px solid #888}"
    "</style>"
)
# a computed answer's kind in a student's words (What if?)
_KIND_WORDS = {"t_category": "T category", "treatment_list": "treatment list", "plan_order": "order of the plan"}
_FACTS = [("Site", "site"), ("Size (cm)", "size_cm"), ("Grade", "grade"), ("Lymph node spread", "nodes"),
          ("Distant metastasis", "metastasis")]  # fmt: skip


class CaseSummary:
    """The summary box shown once a case is finished, and what its controls do; mixed into the tumour board.

    Attributes:
        summary_box: the summary, the timeline figure and the "What if?" panel.
        figure: the treatment timeline once drawn (None before).
        what_if_html: which answers changed, and why (or why the change could not be made).
    """

    case: Case | None
    answers: list[tuple]
    step_box: w.VBox
    known: w.HTML

    def _make_summary(self) -> None:
        """Create the summary, the timeline's output and the "What if?" panel, in :attr:`summary_box` (hidden)."""
        self.summary = w.HTML(layout=w.Layout(max_width="56em"))
        self.timeline_output = w.Output()
        self.figure = None  # the timeline, once drawn
        self.fact = w.Dropdown(options=_FACTS, description="Change", style={"description_width": "initial"})
        self.site_value = w.Dropdown(options=[(s.replace("_", " "), s) for s in SITES if s != "visceral"],
                                     description="New site", style={"description_width": "initial"})  # fmt: skip
        self.size_value = NumberBox(5, "New size (cm)")  # read as typed: a bad size is refused, never clamped
        self.grade_value = w.Dropdown(options=["G1", "G2", "G3", "GX"], description="New grade")
        self.yes_no = w.Dropdown(options=[("Yes", True), ("No", False)], description="Present?")
        self.what_if_button = w.Button(
            description="Show what changes", layout=w.Layout(width="auto", align_self="flex-start")
        )
        self.what_if_html = w.HTML(layout=w.Layout(max_width="56em"))
        self.what_if_box = w.VBox(
            [
                w.HTML(
                    "<h4 style='margin:0.5em 0 0.2em'>What if?</h4><p style='margin:0'>Change one fact and see which "
                    "answers change, and why.</p>"
                ),
                w.HBox([self.fact, self.site_value, self.size_value, self.grade_value, self.yes_no]),
                self.what_if_button,
                self.what_if_html,
            ]
        )
        self.summary_box = w.VBox([self.summary, self.timeline_output, self.what_if_box])
        self.what_if_button.on_click(lambda _b: self.show_what_if())
        self.fact.observe(lambda _c: self._show_fact_input(), names="value")
        self._show_fact_input()

    def show_summary(self) -> None:
        """Show the student's choices, the stage explanation, the treatment timeline and the score."""
        from sarcoma_edu.display.timeline import timeline_figure  # plotly: only when a case is finished

        case = self.case
        if case is None:
            self._note(_START_FIRST)
            return
        self.step_box.layout.display = "none"
        self.known.value = ""
        rows = "".join(
            f"<tr><td>{n}</td><td>{html.escape(step.question.question)}</td>"
            f"<td>{html.escape(text) if text is not None else '(revealed)'}</td>"
            f"<td style='white-space:nowrap'>"
            f"{'✓ right' if text is not None and fb.correct else ('✗ not quite' if text is not None else '-')}</td>"
            f"<td>{html.escape(' / '.join(step.right_answers))}</td></tr>"
            for n, (step, text, fb) in enumerate(self.answers, start=1)
        )
        right, answered = self.score
        result = case.facts.stage_result()
        plan = case.plan()
        self.summary.value = (
            f"{_SUMMARY_STYLE}<div style='line-height:1.45'>"
            f"<h4 style='margin:0.5em 0 0.2em'>Summary: {html.escape(case.title)}</h4>"
            f"<p aria-live='polite'><b>Score: {right} right out of {answered} answered.</b></p>"
            "<table class='sarcoma-edu-summary' style='border-collapse:collapse'><caption style='text-align:left'>"
            "Your choices, step by step</caption><thead><tr><th scope='col'>Step</th><th scope='col'>Decision</th>"
            "<th scope='col'>Your answer</th><th scope='col'>Verdict</th><th scope='col'>Right answer</th></tr>"
            f"</thead><tbody>{rows}</tbody></table>"
            f"<p><b>The stage:</b> {html.escape(result.explanation)} <small>Source: {html.escape(result.source)}"
            f"</small></p><p><b>The treatment timeline</b> (figure below):</p>"
            f"{plan.html()}</div>"
        )
        self.summary_box.layout.display = None
        self._note(f"Case finished: {right} right out of {answered} answered. Try 'What if?' below.")
        _draw(self, self.timeline_output, lambda: timeline_figure(plan))

    def _show_fact_input(self) -> None:
        shown = {"site": self.site_value, "size_cm": self.size_value, "grade": self.grade_value}
        for name, control in shown.items():
            control.layout.display = None if self.fact.value == name else "none"
        self.yes_no.layout.display = None if self.fact.value in ("nodes", "metastasis") else "none"
        self.yes_no.description = "Lymph nodes?" if self.fact.value == "nodes" else "Metastasis?"

    def show_what_if(self, fact: str | None = None, value: object = None) -> list[StepChange]:
        """Change one fact (the controls' choice when not given) and show which answers change; return the changes."""
        if self.case is None:
            self._note(_START_FIRST)
            return []
        fact = fact or self.fact.value
        try:
            if value is None and fact == "size_cm":
                value = self.size_value.number()
            elif value is None:
                controls = {"site": self.site_value, "grade": self.grade_value}
                value = controls.get(fact, self.yes_no).value
            facts, changes = what_if(self.case, **{fact: value})
        except (TypeError, ValueError) as error:
            self.what_if_html.value = (
                f"<div role='alert' style='border-left:5px solid #D55E00;padding:0.3em 0.7em;background:#FFF4EC'>"
                f"Please check the change: {html.escape(str(error))}</div>"
            )
            return []
        items = []
        for change in changes:
            before, after = " / ".join(change.before), " / ".join(change.after)
            kind = html.escape(_KIND_WORDS.get(change.kind, change.kind))
            if change.changed:
                items.append(f"<li><b>Changes:</b> {kind}: {html.escape(before)} "
                             f"→ <b>{html.escape(after)}</b>. Why: {html.escape(change.why)}</li>")  # fmt: skip
            else:
                items.append(f"<li>Same: {kind}: {html.escape(after)}</li>")
        count = sum(c.changed for c in changes)
        self.what_if_html.value = (
            f"<div role='status' style='line-height:1.45'><p>Now: {html.escape(describe_facts(facts))}. "
            f"{count} of {len(changes)} computed answers change.</p><ul>{''.join(items)}</ul>"
            "<p><small>Steps written by the case's author are not recomputed.</small></p></div>"
        )
        return changes
