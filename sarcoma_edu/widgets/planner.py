"""The treatment planner (lesson 05): a staged patient and the treatment choices give the PDQ options for that
stage, the plan step by step and its timeline.

It embeds a :class:`~sarcoma_edu.widgets.calculators.StagingCalculator`, so a change of the patient redraws
the options and the plan, and a refused size brings the plan back with the stage.
"""

from __future__ import annotations

import html

import ipywidgets as w

from sarcoma_edu.clinical.planner import plan_treatment
from sarcoma_edu.clinical.treatment import TreatmentOptions, treatment_options
from sarcoma_edu.clinical.treatment_plan import TreatmentPlan
from sarcoma_edu.widgets.base import _LABEL, _WIDE, _draw
from sarcoma_edu.widgets.calculators import StagingCalculator

__all__ = ["TreatmentPlanner"]


def _options_html(options: TreatmentOptions) -> str:
    items = "".join(
        f"<li>{html.escape(o.words)}" + f" <small>[{html.escape(', '.join(o.timings))}]</small></li>"
        for o in options.items
    )
    other = ""
    if options.other_readings:
        other = (
            "<p><b>Read another way:</b> "
            + "; ".join(html.escape(h) for h in options.other_headings)
            + " (see the explanation below).</p>"
        )
    return (
        f"<h4>PDQ options: {html.escape(options.heading)}</h4><ol>{items}</ol>{other}"
        f"<p>{html.escape(options.explanation)}</p><p><small>Source: {html.escape(options.source)}</small></p>"
    )


class TreatmentPlanner(w.VBox):
    """A staged patient plus choices -> the PDQ options for that stage and a timeline figure."""

    def __init__(self, site: str = "extremity", size_cm: float = 7.0, grade: str = "G3") -> None:
        self.staging = StagingCalculator(site, size_cm, grade)
        self.radiation = w.RadioButtons(
            options=[
                ("Decided by the situation", "situation"),
                ("Before surgery", "before"),
                ("After surgery", "after"),
                ("None", "none"),
            ],
            description="Radiation",
            style=_LABEL,
        )
        self.chemotherapy = w.RadioButtons(
            options=[("None", "none"), ("Before surgery", "before"), ("After surgery", "after")],
            description="Chemotherapy",
            style=_LABEL,
        )
        self.resectable = w.Checkbox(value=True, description="Surgery can remove the tumour", indent=False)
        # distant metastasis only (at every site, with or without a stage group); never assumed
        self.metastases_removable = w.Checkbox(
            value=False, description="Distant metastasis: every metastasis can be removed too", indent=False
        )
        self.recurrent = w.Checkbox(value=False, description="Cancer has come back (recurrent)", indent=False)
        self.options_html = w.HTML(layout=_WIDE)
        self.plan_html = w.HTML(layout=w.Layout(width="100%", max_width="60em"))
        self.timeline_output = w.Output()
        self.options: TreatmentOptions | None = None
        self.plan: TreatmentPlan | None = None
        self.figure = None
        choices = w.HBox(
            [self.radiation, self.chemotherapy, w.VBox([self.resectable, self.metastases_removable, self.recurrent])]
        )
        super().__init__(
            [
                self.staging,
                w.HTML("<h3>Treatment choices</h3>"),
                choices,
                w.HTML("<h4 style='margin:0.6em 0 0'>The plan, step by step</h4>"),
                self.plan_html,
                self.timeline_output,
                self.options_html,
            ]
        )
        for control in (self.radiation, self.chemotherapy, self.resectable, self.metastases_removable, self.recurrent):
            control.observe(lambda _change: self.update(), names="value")
        self.staging.on_result.append(self.update)  # a refused size brings back the stage: the plan follows it
        for control in (
            self.staging.site,
            self.staging.size,
            self.staging.size_unknown,
            self.staging.grade,
            self.staging.nodes,
            self.staging.metastasis,
            self.staging.extent,
            self.staging.sites,
        ):
            control.observe(lambda _change: self.update(), names="value")
        self.update()

    def update(self) -> None:
        """Rebuild the options and the timeline from the staged patient and the choices."""
        from sarcoma_edu.display.timeline import timeline_figure

        result = self.staging.result
        self.options = treatment_options(result, recurrent=self.recurrent.value)
        metastatic = result.m == "M1"
        self.metastases_removable.layout.display = None if metastatic else "none"
        self.plan = plan_treatment(
            result,
            radiation=None if self.radiation.value == "situation" else self.radiation.value,
            chemotherapy=self.chemotherapy.value,
            resectable=self.resectable.value and (self.metastases_removable.value or not metastatic),
            recurrent=self.recurrent.value,
        )
        self.options_html.value = _options_html(self.options)
        self.plan_html.value = self.plan.html()
        _draw(self, self.timeline_output, lambda: timeline_figure(self.plan))
