"""ipywidgets calculators and explorers for the lessons (imports ipywidgets; the package does not).

Each builder returns a widget (a ``VBox``) that a lesson displays with one call, and that a test
drives from Python: set an input's ``value``, read ``.result`` and the output widgets. Inputs are
labelled controls a screen reader can name (no sliders); bad input shows a visible message and
keeps the last valid result; results are text, never colour alone.
"""

from __future__ import annotations

import html
import numbers
import os
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import ipywidgets as w
import numpy as np
import pandas as pd
import traitlets
from IPython import get_ipython

from sarcoma_edu.clinical.catalog import load_drugs, load_histologies, load_risk_factors
from sarcoma_edu.clinical.grading import FnclccResult, fnclcc, grade_words
from sarcoma_edu.clinical.spread import Pathway, pathway
from sarcoma_edu.clinical.staging import StageResult, stage
from sarcoma_edu.clinical.tables import load_table
from sarcoma_edu.clinical.treatment import TreatmentOptions, TreatmentPlan, plan_treatment, treatment_options
from sarcoma_edu.common import checks as _checks
from sarcoma_edu.course.exercises import LESSON_BANK_QUESTIONS
from sarcoma_edu.display import errors as notebook
from sarcoma_edu.display import figure_text, presentation
from sarcoma_edu.progress.store import ProgressStore
from sarcoma_edu.widgets.quiz import QuizWidget, quiz_widget

if TYPE_CHECKING:  # plotly is imported only when a figure is first drawn
    from sarcoma_edu.display.plots import Figure

# under `sarcoma-edu present`, tables show plain column names, no index and no cut text
presentation.install_table_display()
# in a lesson, the toolkit's own errors show as their one helpful line (sarcoma_edu.display.errors)
notebook.install_error_display()

__all__ = [
    "FnclccCalculator",
    "NumberBox",
    "PathwayExplorer",
    "QuizWidget",
    "StagingCalculator",
    "TableExplorer",
    "TreatmentPlanner",
    "drug_explorer",
    "drug_safety_table",
    "quiz_widget",
    "risk_factor_explorer",
    "watch_for_exercise",
]

_LABEL = {"description_width": "initial"}
_WIDE = w.Layout(width="32em")
_BADGE = (
    '<div class="sarcoma-edu-badge" aria-live="polite" '
    'style="display:inline-block;padding:0.35em 0.8em;border:3px solid #0072B2;'
    'border-radius:0.4em;font-size:1.6em;font-weight:bold;color:#0B3C6E;background:#F2F7FC">{}</div>'
)


# library parameter names as the labels a student sees
_LABELS = {
    "size_cm=": "Greatest size (cm) = ",
    "mitoses=": "Mitoses per 10 high-power fields = ",
    "necrosis_pct=": "Tumour necrosis (%) = ",
    "differentiation=": "Differentiation = ",
    "or None if unknown": "or tick 'Size unknown'",
}


def _alert(message: str, kept: str = "") -> str:
    for name, label in _LABELS.items():
        message = message.replace(name, label)
    still = (
        f"The result below is still the one for the last value accepted: {kept}."
        if kept
        else "The last valid result is still shown."
    )
    return (
        '<div role="alert" style="border-left:5px solid #D55E00;padding:0.3em 0.7em;background:#FFF4EC;'
        f'color:#222">Please check the input: {html.escape(message)}. {html.escape(still)}</div>'
    )


def _show(output: w.Output, figure: Figure) -> None:
    """Put a figure in an Output widget (only inside a kernel; elsewhere the figure is kept on .figure).

    The figure is set as the widget's ``outputs`` (one widget state update) rather than displayed
    inside ``with output:``: a plotly figure displayed in that capture, close to the end of a cell,
    held back the kernel's reply to the cell now and then, so that a lesson under Voila or nbclient
    stopped at the calculator until it timed out.
    """
    shell = get_ipython()
    if shell is None or not hasattr(shell, "kernel"):
        return
    output.outputs = (
        {"output_type": "display_data", "data": figure._repr_mimebundle_(), "metadata": {}},
        {"output_type": "display_data", "data": figure_text.alternative_bundle(figure), "metadata": {}},
    )  # the figure, then its name, description and data in words (sarcoma_edu.display.figure_text)


def _draw(owner: w.Widget, output: w.Output, build: Callable[[], object]) -> None:
    """Build ``owner.figure`` with ``build()`` and show it in ``output``.

    In a JupyterLab kernel the first figure is drawn by the kernel's event loop once the cell that
    made the widget has finished and replied, so the calculator appears at once and its figure
    follows (the plotly library loads in the browser only then); every later change redraws at
    once. Drawing it from inside the cell's run (an IPython ``post_run_cell`` hook) instead held
    back the kernel's reply to that cell in about one run in four, until the client timed out.
    Voila (its kernels have ``VOILA_BASE_URL`` set) renders the page from what a cell makes before it
    finishes, so there, and outside a kernel, the figure is drawn immediately.
    """

    def draw() -> None:
        owner.figure = build()
        _show(output, owner.figure)

    shell = get_ipython()
    first = not getattr(owner, "_figure_started", False)
    owner._figure_started = True
    loop = getattr(getattr(shell, "kernel", None), "io_loop", None)
    if not first or loop is None or "VOILA_BASE_URL" in os.environ:
        draw()
        return

    def draw_later() -> None:
        try:
            draw()
        except Exception as error:  # off the cell's run, an error would otherwise reach only the kernel log
            message = f"The figure could not be drawn ({type(error).__name__}: {error}). The results above still hold."
            output.outputs = ({"output_type": "stream", "name": "stderr", "text": message},)

    loop.add_callback(draw_later)


# a message about a value waits this long for the student to stop typing: typing 0.5 passes 0 on the way
MESSAGE_PAUSE_S = 1.0


def _fits(options: Sequence[object], description: str) -> w.Layout:
    """A dropdown layout wide enough for its longest choice and its label, so no choice is cut off."""
    labels = [o[0] if isinstance(o, tuple) else o for o in options]
    longest = max(len(str(label)) for label in labels) + len(description)
    return w.Layout(width=f"{round(0.62 * longest) + 5}em", max_width="100%")


def _plain(number: numbers.Real) -> str:
    """A number as a student would type it: 7, 12.5, 0.001 (never 7.0 or 1e-03)."""
    if isinstance(number, numbers.Integral):
        return str(int(number))
    return np.format_float_positional(float(number), trim="-")


class _TypedText(traitlets.Unicode):
    """Text as typed; a number set from Python (``box.value = 12``) is written as the student would type it."""

    def validate(self, obj: object, value: object) -> str:
        if isinstance(value, numbers.Real) and not isinstance(value, bool):
            value = _plain(value)
        return super().validate(obj, value)


class NumberBox(w.Text):
    """A labelled box a number is typed into, read exactly as typed.

    The page sends every keystroke (``continuous_update``) and the calculator reads the text with
    :func:`sarcoma_edu.common.checks.typed_number`: digits, a sign and a point for a decimal. Anything else
    ("ten", "12,5", "3-4", "30%") is refused with a message naming the box; nothing is silently read as
    another number (a number box of the browser's own would drop a comma or a point, turning 12,5 or
    12.5 into 125, and would ignore a word). Setting ``value`` from Python to a number writes it as text.
    """

    value = _TypedText("", help="the text typed in the box").tag(sync=True)

    def __init__(self, value: float | str, description: str, **options: object) -> None:
        super().__init__(value=value, description=description, style=_LABEL, continuous_update=True, **options)
        self.add_class("sarcoma-edu-number")

    def number(self) -> int | float:
        """The number typed (an int when typed without a point).

        Raises:
            ValueError: the text is not a plain number; the message names the box and says what to type.
        """
        try:
            number = _checks.typed_number(self.value)
        except ValueError as error:
            raise ValueError(f"{self.description}: {error}") from None
        return int(number) if _WHOLE.fullmatch(self.value.strip()) else number


_WHOLE = re.compile(r"[+-]?\d+")


def _number_box(value: float, description: str) -> NumberBox:
    """A :class:`NumberBox` for a calculator input."""
    return NumberBox(value, description)


def _later(delay_s: float, callback: Callable[[], None]) -> bool:
    """Run ``callback`` after ``delay_s`` seconds on the kernel's event loop; False where there is none.

    The timer is set from the loop itself (``add_callback`` wakes it from any thread): ipykernel 7
    handles a widget's message outside that loop, and a timer set from there waited, unseen, until
    the kernel's next message woke the loop.
    """
    loop = getattr(getattr(get_ipython(), "kernel", None), "io_loop", None)
    if loop is None or not hasattr(loop, "call_later"):
        return False
    loop.add_callback(lambda: loop.call_later(delay_s, callback))
    return True


# long choices wrap onto more lines, and their row grows with them
_CALCULATOR_STYLE = (
    "<style>.sarcoma-edu-calculator .widget-radio-box{height:auto}"
    ".sarcoma-edu-calculator .widget-radio-box label{white-space:normal;height:auto;line-height:1.35;"
    "margin:0.15em 0;max-width:46em;display:flex;flex-direction:row-reverse;justify-content:flex-end;"
    "align-items:flex-start}"  # the page puts each button after its words and floats it left: keep it left
    ".sarcoma-edu-calculator .widget-radio-box label input{flex:0 0 auto;height:auto;margin:0.3em 0.5em 0 1px}"
    "</style>"
)


class _Calculator(w.VBox):
    """Shared behaviour: recompute on every input change; show a message instead of a traceback.

    A valid value updates the result at once. A message about a bad value waits
    :data:`MESSAGE_PAUSE_S` for the student to stop typing (in a kernel; at once elsewhere), and a
    valid value typed meanwhile cancels it, so the 0 on the way to 0.5 is never reported.
    """

    def __init__(self, inputs: Sequence[w.Widget], outputs: Sequence[w.Widget], title: str) -> None:
        self.message = w.HTML()
        heading = w.HTML(_CALCULATOR_STYLE + f"<h3 style='margin:0.2em 0'>{html.escape(title)}</h3>")
        super().__init__([heading, *inputs, self.message, *outputs], layout=w.Layout(padding="0.5em"))
        self.add_class("sarcoma-edu-calculator")
        self.result = None  # the last valid result; subclasses define _compute() and _render()
        self._pending: object | None = None  # the message waiting for a pause in the typing
        self._accepted: dict[NumberBox, tuple[str, str]] = {}  # each number box's text and number for the result
        self._settled: tuple | None = None  # (result, accepted) of the last value meant (paused on, or chosen)
        self._typing: tuple | None = None  # (number box, (result, accepted)) while a value is being typed
        self._edits = 0  # changes of the inputs so far
        self.on_result: list[Callable[[], None]] = []  # called when a refused value brings the settled result back
        for control in inputs:
            if hasattr(control, "value"):
                control.observe(lambda change: self.update(change["owner"]), names="value")

    def _number_boxes(self) -> list[NumberBox]:
        found, stack = [], list(self.children)
        while stack:
            widget = stack.pop(0)
            if isinstance(widget, NumberBox):
                found.append(widget)
            elif isinstance(widget, w.Box):
                stack.extend(widget.children)
        return found

    def _kept(self) -> str:
        """The values the result on screen was made from, for the boxes now holding something else."""
        changed = [(box, number) for box, (text, number) in self._accepted.items() if box.value.strip() != text]
        return "; ".join(f"{box.description} = {number}" for box, number in changed)

    def update(self, source: w.Widget | None = None) -> None:
        """Recompute from the inputs (``source`` is the one that changed); on bad input show a message and keep
        the last result.

        A valid value shows its result at once. A result reached by typing in a number box is the one kept
        (settled) only once the typing pauses, or the student moves on to another input: a number typed
        key by key passes through values it does not mean (1 on the way to 12,5), and the page may send
        only some of them. A choice (a drop-down, a box ticked) is kept at once. When a refused value is
        reported, the result on screen goes back to the settled one, and the message names the value it
        was made from.
        """
        self._pending = None
        self._edits += 1
        edit = self._edits
        if self._typing is not None and self._typing[0] is not source:  # moved on: what was typed is meant
            self._settled, self._typing = self._typing[1], None
        try:
            result = self._compute()
        except (TypeError, ValueError) as error:
            token, problem = object(), str(error)
            self._pending = token

            def show() -> None:
                if self._pending is not token:  # something was typed since
                    return
                if self._settled is not None and self.result is not self._settled[0]:
                    self.result, self._accepted = self._settled[0], dict(self._settled[1])
                    self._typing = None
                    self._render(self.result)
                    for callback in self.on_result:
                        callback()
                self.message.value = _alert(problem, self._kept())

            if not _later(MESSAGE_PAUSE_S, show):
                show()
            return
        self.message.value = ""
        self.result = result
        self._accepted = {}
        for box in self._number_boxes():
            try:
                self._accepted[box] = (box.value.strip(), _plain(box.number()))
            except ValueError:  # a box the result does not use (the size when 'Size unknown' is ticked)
                continue
        self._render(result)
        snapshot = (result, dict(self._accepted))
        if self._settled is None or not isinstance(source, NumberBox):
            self._settled, self._typing = snapshot, None
            return
        self._typing = (source, snapshot)

        def settle() -> None:
            if self._edits == edit:  # the typing paused on this value: the student meant it
                self._settled, self._typing = snapshot, None

        if not _later(MESSAGE_PAUSE_S, settle):
            settle()


def _site_options() -> list[tuple[str, str]]:
    sites = load_table("sites.csv")
    sites = sites[sites.name == sites.site]
    return [(label[0].upper() + label[1:], site) for label, site in zip(sites.label, sites.site, strict=True)]


_GRADE_OPTIONS = [(f"{g} ({grade_words(g)})", g) for g in ("G1", "G2", "G3", "GX")]


def _extent_options(site: str) -> list[tuple[str, str]]:
    """Extent choices for a site whose T is not (only) size, from the T table; [] for other sites."""
    table = load_table("ajcc8_t_categories.csv")
    rows = table[(table.site == site) & (table.extent != "")]
    if rows.empty:
        return []
    first = "No invasion of adjoining structures (size decides)" if site == "head_and_neck" else "Not known (TX)"
    seen: dict[str, str] = {}
    for row in rows.itertuples():
        label = f"{row.t}: {row.plain_words}"
        seen[row.extent] = f"{seen[row.extent]}; {label}" if row.extent in seen else label
    if "multifocal" in seen:
        seen["multifocal"] = "T4a-T4c: found in several places (multifocal; give the number of sites)"
    return [(first, ""), *((label, extent) for extent, label in seen.items())]


class StagingCalculator(_Calculator):
    """Site, size, grade, nodes, metastasis -> T/N/M/G, a stage badge and the explanation.

    Attributes:
        result: the last valid :class:`StageResult`.
        badge, tnm, explanation: the HTML outputs.
    """

    def __init__(
        self,
        site: str = "extremity",
        size_cm: float = 7.0,
        grade: str = "G3",
        nodes: bool = False,
        metastasis: bool = False,
        *,
        show_map: bool = False,
    ) -> None:
        self.site = w.Dropdown(
            options=_site_options(),
            value=site,
            description="Site of the tumour",
            style=_LABEL,
            layout=w.Layout(width="32em"),  # room for "Abdominal and thoracic visceral organs"
        )
        self.size = _number_box(size_cm, "Greatest size (cm)")
        self.size_unknown = w.Checkbox(value=False, description="Size unknown", style=_LABEL, indent=False)
        self.grade = w.Dropdown(options=_GRADE_OPTIONS, value=grade, description="Grade", style=_LABEL)
        self.nodes = w.Checkbox(value=nodes, description="Spread to nearby lymph nodes (N1)", indent=False)
        self.metastasis = w.Checkbox(value=metastasis, description="Spread to distant sites (M1)", indent=False)
        # shown only for the head and neck (invasion, T4a/T4b) and visceral organs (extent, T1-T4c); choices, not
        # a drop-down, since their words are long (a T4b invasion is 130 letters) and a drop-down would cut them
        self.extent = w.RadioButtons(
            options=[("", "")], value="", description="Extent", style=_LABEL, layout=w.Layout(width="auto")
        )
        self.extent.add_class("sarcoma-edu-extent")
        # a FloatText checked by stage(): a bounded box would silently turn 1 into 2, an IntText 2.5 into 25
        self.sites = _number_box(2, "Number of sites")
        self.badge, self.tnm, self.explanation = w.HTML(), w.HTML(), w.HTML(layout=_WIDE)
        self.figure = None
        self.map_output = w.Output() if show_map else None
        outputs = [self.badge, self.tnm, self.explanation] + ([self.map_output] if show_map else [])
        inputs = [
            self.site,
            w.HBox([self.size, self.size_unknown]),
            self.extent,
            self.sites,
            self.grade,
            self.nodes,
            self.metastasis,
        ]
        self._set_extent_choices()
        self.site.observe(lambda _change: self._set_extent_choices(), names="value")
        super().__init__(inputs, outputs, "Staging calculator (AJCC 8th edition)")
        for control in (self.size, self.size_unknown):
            control.observe(lambda change: self.update(change["owner"]), names="value")
        self.update()

    def _set_extent_choices(self) -> None:
        """Offer the extent input only where it applies, labelled for that site."""
        options = _extent_options(self.site.value)
        self.extent.description = "Invasion" if self.site.value == "head_and_neck" else "Extent"
        self.extent.options = options or [("", "")]
        self.extent.value = ""
        self.extent.layout.display = None if options else "none"

    def _compute(self) -> StageResult:
        size = None if self.size_unknown.value else self.size.number()
        extent = self.extent.value or None
        self.sites.layout.display = None if extent == "multifocal" else "none"
        return stage(
            self.site.value,
            size,
            self.grade.value,
            self.nodes.value,
            self.metastasis.value,
            extent=extent,
            sites=self.sites.number() if extent == "multifocal" else None,
        )

    def _render(self, result: StageResult) -> None:
        self.size.disabled = self.size_unknown.value
        self.badge.value = _BADGE.format(f"Stage {result.stage}" if result.stage else "No stage group")
        self.tnm.value = (
            f"<p style='font-size:1.2em'><b>T</b> {result.t} &nbsp; <b>N</b> {result.n} &nbsp; "
            f"<b>M</b> {result.m} &nbsp; <b>G</b> {result.g}</p>"
        )
        self.explanation.value = (
            f"<p>{html.escape(result.explanation)}</p><p><small>Source: {html.escape(result.source)}</small></p>"
        )
        if self.map_output is not None:
            from sarcoma_edu.display.plots import stage_map_figure

            _draw(self, self.map_output, lambda: stage_map_figure(self.result))


class FnclccCalculator(_Calculator):
    """Differentiation, mitoses and necrosis -> the three scores, total, grade and explanation."""

    def __init__(self, differentiation: int = 2, mitoses: int = 12, necrosis_pct: float = 30.0) -> None:
        table = load_table("fnclcc_scores.csv")
        rows = table[table.component == "differentiation"]
        options = [(f"{r.score}: {r.description}", int(r.score)) for r in rows.itertuples()]
        # wide enough for the longest choice and its label, so no option is cut off
        longest = max(len(label) for label, _ in options) + len("Differentiation")
        self.differentiation = w.Dropdown(
            options=options,
            value=differentiation,
            description="Differentiation",
            style=_LABEL,
            layout=w.Layout(width=f"{round(0.62 * longest) + 4}em", max_width="100%"),
        )
        self.mitoses = _number_box(mitoses, "Mitoses per 10 high-power fields")
        self.necrosis = _number_box(necrosis_pct, "Tumour necrosis (%)")
        self.badge, self.scores, self.explanation = w.HTML(), w.HTML(), w.HTML(layout=_WIDE)
        super().__init__(
            [self.differentiation, self.mitoses, self.necrosis],
            [self.badge, self.scores, self.explanation],
            "FNCLCC grade calculator",
        )
        self.update()

    def _compute(self) -> FnclccResult:
        return fnclcc(self.differentiation.value, self.mitoses.number(), self.necrosis.number())

    def _render(self, result: FnclccResult) -> None:
        self.badge.value = _BADGE.format(f"Grade {result.grade} ({result.label}) &middot; {result.g}")
        cells = (
            ("Differentiation", result.differentiation_score),
            ("Mitoses", result.mitosis_score),
            ("Necrosis", result.necrosis_score),
            ("Total", result.total),
        )
        body = "".join(f"<tr><th scope='row'>{name}</th><td>{score}</td></tr>" for name, score in cells)
        self.scores.value = f"<table><caption>FNCLCC component scores</caption>{body}</table>"
        self.explanation.value = (
            f"<p>{html.escape(result.explanation)}</p><p><small>Source: {result.source}</small></p>"
        )


def _options_html(options: TreatmentOptions) -> str:
    items = "".join(
        f"<li>{html.escape(o.description)}"
        + (f" (drugs: {html.escape(', '.join(o.drugs))})" if o.drugs else "")
        + f" <small>[{html.escape(', '.join(o.timings))}]</small></li>"
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
        from sarcoma_edu.display.plots import timeline_figure

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


class PathwayExplorer(w.VBox):
    """Site, histology, nodes and metastasis -> a Sankey figure of how the sarcoma can spread."""

    def __init__(self, site: str = "extremity", histology: str | None = None) -> None:
        hist = load_histologies()
        options = [("Not specified", None)] + [
            (str(label), str(h)) for h, label in zip(hist.histology, hist.label, strict=True)
        ]
        self.site = w.Dropdown(
            options=_site_options(),
            value=site,
            description="Site of the tumour",
            style=_LABEL,
            layout=_fits(_site_options(), "Site of the tumour"),
        )
        self.histology = w.Dropdown(
            options=options, value=histology, description="Histology", style=_LABEL, layout=_fits(options, "Histology")
        )
        self.nodes = w.Checkbox(value=False, description="Spread to nearby lymph nodes found", indent=False)
        self.metastasis = w.Checkbox(value=False, description="Distant metastasis found", indent=False)
        self.explanation = w.HTML(layout=w.Layout(width="48em"))
        self.figure_output = w.Output()
        self.result: Pathway | None = None
        self.figure = None
        super().__init__([self.site, self.histology, self.nodes, self.metastasis, self.figure_output, self.explanation])
        for control in (self.site, self.histology, self.nodes, self.metastasis):
            control.observe(lambda _change: self.update(), names="value")
        self.update()

    def update(self) -> None:
        """Rebuild the pathway and its figure from the inputs."""
        from sarcoma_edu.display.plots import pathway_figure

        self.result = pathway(self.site.value, self.histology.value, self.nodes.value, self.metastasis.value)
        self.explanation.value = f"<p>{html.escape(self.result.explanation)}</p>"
        _draw(self, self.figure_output, lambda: pathway_figure(self.result))


class TableExplorer(w.VBox):
    """A table with a dropdown filter per chosen column and a text search over every column.

    ``details`` columns are not given a column of their own, so a wide table fits the lesson and stays
    short: a "Details of the <item>" dropdown (over the rows shown) picks one row, whose details are
    written in full above the table.
    """

    def __init__(
        self,
        frame: pd.DataFrame,
        filters: Sequence[str],
        columns: Sequence[str],
        title: str,
        details: Sequence[str] = (),
        item: str = "row",
    ) -> None:
        self.frame = frame
        self.columns = list(columns)
        self.details = list(details)
        self.filters = {
            c: w.Dropdown(
                options=["all", *sorted(frame[c].dropna().unique())],
                description=c.replace("_", " "),
                style=_LABEL,
                layout=_fits(["all", *frame[c].dropna().astype(str)], c),
            )
            for c in filters
        }
        self.search = w.Text(description="Search", placeholder="type a word, e.g. lung", style=_LABEL)
        self.table = w.HTML(layout=w.Layout(max_width="100%"))
        self.count = w.HTML()
        names = [str(v) for v in frame[self.columns[0]]]
        label = f"Details of the {item}"
        self.detail_choice = w.Dropdown(options=names, description=label, style=_LABEL, layout=_fits(names, label))
        self.detail = w.HTML(layout=w.Layout(max_width="52em"))
        shown_details = [self.detail_choice, self.detail] if self.details else []
        super().__init__(
            [
                w.HTML(f"<h3>{html.escape(title)}</h3>"),
                *self.filters.values(),
                self.search,
                self.count,
                *shown_details,
                self.table,
            ]
        )
        for control in (*self.filters.values(), self.search):
            control.observe(lambda _change: self.update(), names="value")
        self.detail_choice.observe(lambda _change: self._show_detail(), names="value")
        self.update()

    def shown(self) -> pd.DataFrame:
        """The rows the current filters and search select (the search reads the details too)."""
        rows = self.frame
        for column, control in self.filters.items():
            if control.value != "all":
                rows = rows[rows[column] == control.value]
        words = self.search.value.strip().lower()
        if words:
            keep = [
                words in " ".join(str(v) for v in r if not pd.isna(v)).lower() for r in rows.itertuples(index=False)
            ]
            rows = rows[keep]
        return rows

    def update(self) -> None:
        """Redraw the table (and the rows offered for details) for the current filters."""
        rows = self.shown()
        self.count.value = f"<p aria-live='polite'>{len(rows)} of {len(self.frame)} rows shown</p>"
        head = "".join(f"<th scope='col'>{html.escape(presentation.plain_column(c))}</th>" for c in self.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape('' if _missing(v) else str(v))}</td>" for v in r) + "</tr>"
            for r in rows[self.columns].itertuples(index=False)
        )
        style = "max-width:100%;white-space:normal;overflow-wrap:break-word;border-collapse:collapse"
        self.table.value = (
            "<style>.sarcoma-edu-explorer td,.sarcoma-edu-explorer th{white-space:normal;text-align:left;"
            "vertical-align:top;padding:0.3em 0.6em}</style>"
            f"<table class='sarcoma-edu-explorer' style='{style}'><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>"
        )
        if self.details:
            names = [str(v) for v in rows[self.columns[0]]]
            self.detail_choice.options = names or ["(no row shown)"]
            self._show_detail()

    def _show_detail(self) -> None:
        """Write the chosen row's details in full: each column's plain name, then its value."""
        chosen = self.frame[self.frame[self.columns[0]].astype(str) == self.detail_choice.value]
        if chosen.empty:
            self.detail.value = ""
            return
        row = chosen.iloc[0]
        items = "".join(
            f"<dt style='font-weight:bold'>{html.escape(presentation.plain_column(c))}</dt>"
            f"<dd style='margin:0 0 0.4em 1em'>{html.escape(str(row[c]))}</dd>"
            for c in [*self.columns[1:], *self.details]
            if not _missing(row[c]) and str(row[c]).strip()
        )
        self.detail.value = (
            f"<div role='region' aria-label='Details of {html.escape(str(row[self.columns[0]]))}' "
            "style='border-left:4px solid #0072B2;padding:0.2em 0.8em;margin:0.3em 0 0.6em'>"
            f"<p style='margin:0.2em 0'><b>{html.escape(str(row[self.columns[0]]))}</b></p><dl>{items}</dl></div>"
        )


def _missing(value: object) -> bool:
    return value is None or bool(pd.isna(value)) if not isinstance(value, list | tuple) else False


def drug_explorer() -> TableExplorer:
    """The drug catalog, filterable by modality, class and status: each drug's class, US status and source
    in columns; what it is used for, how it is given, its side effects and its approval for the drug chosen
    in "Details of the drug"."""
    columns = ("name", "drug_class", "status", "source")
    details = (
        "brand",
        "indication",
        "how_it_works",
        "route_schedule",
        "side_effects",
        "status_note",
        "approval_year",
        "approved_for",
    )
    filters = ("modality", "drug_class", "status")
    return TableExplorer(load_drugs(), filters, columns, "Drugs used in soft tissue sarcoma", details, item="drug")


def risk_factor_explorer() -> TableExplorer:
    """Risk factors: inherited syndromes with their genes, and other factors."""
    return TableExplorer(
        load_risk_factors(), ("kind",), ("factor", "kind", "gene", "note", "source"), "Risk factors and their genes"
    )


def drug_safety_table() -> TableExplorer:
    """What to watch for with each drug that has its own serious harms, searchable, in full and with its source."""
    from sarcoma_edu.clinical.catalog import drug_safety

    columns = ("name", "watch_for", "monitoring", "us_status", "source")
    return TableExplorer(drug_safety(), (), columns, "What to watch for, drug by drug")


# lesson 05's nursing exercise: why mesna, doxorubicin's dose limit, after afami-cel, checkpoint reactions
WATCH_FOR_QUESTIONS = LESSON_BANK_QUESTIONS["05_treatment"]


def watch_for_exercise(progress: ProgressStore | None = None) -> QuizWidget:
    """Lesson 05's "What would you watch for?": answer first, then see why, with the source.

    The questions are those of :data:`WATCH_FOR_QUESTIONS` from the drugs bank, so an answer here
    is recorded (and comes back in "Practise my mistakes") exactly like the same question in the quiz.
    Under them, the table of what to watch for drug by drug (:func:`drug_safety_table`), which gives
    every answer, opens once all of them are answered (here or in an earlier session).

    Args:
        progress: where answers are saved; None opens the default store, as :func:`quiz_widget` does.
    """
    from sarcoma_edu.course.banks import bank_paths, load_bank
    from sarcoma_edu.widgets.reveal import AfterAnswering, mark_answered

    bank = {q.id: q for q in load_bank([p for p in bank_paths() if p.name == "drugs.json"])}
    missing = [i for i in WATCH_FOR_QUESTIONS if i not in bank]
    if missing:
        raise ValueError(f"the drugs bank (datasets/quiz/drugs.json) lacks the question(s) {missing}")
    quiz = quiz_widget([bank[i] for i in WATCH_FOR_QUESTIONS], progress, lesson="05_treatment")
    quiz.on_answer.append(mark_answered)
    # only these questions: no made-up patients here
    quiz.children = tuple(c for c in quiz.children if quiz.case_button not in getattr(c, "children", ()))
    title = quiz.children[0]
    title.value = title.value.replace("Self-study quiz", "What would you watch for?")
    table = AfterAnswering(
        WATCH_FOR_QUESTIONS,
        _checked_against_the_table,
        what="the table of what to watch for, drug by drug",
        progress=quiz.progress,
    )
    quiz.children = (*quiz.children, table)
    return quiz


# What a nurse checks for ifosfamide and why a fever matters: shown with the table, once the questions are answered
# (it answers some of them). Each claim is the reference's (FDA label for ifosfamide; ACS for infection risk and
# afami-cel); where the course reads a check from a harm, or the sources give no threshold, it says so.
_NURSE_NOTES = (
    "<p style='margin:0.4em 0'>The <b>US status</b> column says what each approval covers: pembrolizumab, for "
    "example, is approved for tumours of any site with the gene changes MSI-H or TMB-H, not for soft tissue "
    "sarcoma as such.</p>"
    "<p style='margin:0.4em 0'>Ifosfamide's harms are bladder bleeding (haemorrhagic cystitis), prevented with "
    "mesna and fluids, kidney damage, brain toxicity (encephalopathy) and severe low blood counts (FDA label). "
    "What the nurse checks follows from them, in this course's reading: the urine for blood, kidney function, "
    "whether the patient is confused or sleepy, and the blood counts. Low blood counts bring a risk of infection "
    "with chemotherapy (ACS), and afami-cel can cause serious infections, with low blood counts that can last "
    "several weeks (ACS): that is why a fever during chemotherapy or after afami-cel matters. No source of this "
    "course says at what temperature or how soon it needs urgent care, so the course gives no threshold: ask the "
    "treating team. For afami-cel the reference names cytokine release syndrome as a risk but does not list its "
    "warning signs, so the course does not either.</p>"
)


def _checked_against_the_table() -> w.VBox:
    intro = w.HTML(
        "<p style='margin:0.6em 0 0.2em'><b>Now check your answers against the whole picture:</b> each drug with "
        "its own harms, what is given, checked or limited because of them, and the source of every line. Type a "
        "word such as <code>heart</code> or <code>lungs</code> to narrow the table.</p>" + _NURSE_NOTES
    )
    return w.VBox([intro, drug_safety_table()])
