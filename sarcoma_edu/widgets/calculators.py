"""The calculators: AJCC 8 staging (with the stage map, if asked) and FNCLCC grading, and what they share.

A calculator recomputes on every change of its labelled inputs and shows the rule's result as a badge, its
categories or scores, and the rule's own explanation and source. A value it cannot use gets a visible message,
not a traceback, after a pause in the typing (:data:`MESSAGE_PAUSE_S`), and the result the student last meant
stays on screen, named by the values it was made from.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

import ipywidgets as w

from sarcoma_edu.clinical.grading import FnclccResult, fnclcc, grade_words
from sarcoma_edu.clinical.staging import StageResult, stage
from sarcoma_edu.clinical.t_categories import NOT_GIVEN, NotGiven, size_decides
from sarcoma_edu.clinical.tables import load_table
from sarcoma_edu.widgets.base import _LABEL, _WIDE, NumberBox, _draw, _later, _plain, _site_options

__all__ = ["MESSAGE_PAUSE_S", "FnclccCalculator", "StagingCalculator"]

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
    """A refused value's visible message, in the labels the student sees, naming the values still shown."""
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


# a message about a value waits this long for the student to stop typing: typing 0.5 passes 0 on the way
MESSAGE_PAUSE_S = 1.0


def _number_box(value: float, description: str) -> NumberBox:
    """A :class:`NumberBox` for a calculator input."""
    return NumberBox(value, description)


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

    The size is asked for only where it can set T: not for the visceral organs (T is the extent), and
    for a head and neck tumour whose invasion sets T4a or T4b it may be left empty. 'Size unknown' stages
    the tumour as TX.

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
        self.size_note = w.HTML()  # says when the size may be left empty (the invasion sets T)
        self.size_row = w.HBox([self.size, self.size_unknown, self.size_note])
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
            self.size_row,
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

    def _size(self, extent: str | None) -> float | NotGiven | None:
        """The size to stage with: None when ticked unknown; left out where it does not set T and is not typed."""
        site = self.site.value
        asked = size_decides(site, None)  # the visceral organs: T is the extent, never the size
        needed = size_decides(site, extent)
        self.size_row.layout.display = None if asked else "none"
        self.size_note.value = (
            "<span style='color:#444'>optional here: the invasion sets T</span>" if asked and not needed else ""
        )
        if not asked or (not needed and not self.size_unknown.value and not self.size.value.strip()):
            return NOT_GIVEN
        return None if self.size_unknown.value else self.size.number()

    def _compute(self) -> StageResult:
        extent = self.extent.value or None
        size = self._size(extent)
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
            from sarcoma_edu.display.stage_map import stage_map_figure

            # the stage map with its keyboard copy, explored cell by cell (sarcoma_edu.display.explore)
            _draw(self, self.map_output, lambda: stage_map_figure(self.result), explorable=True)


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
