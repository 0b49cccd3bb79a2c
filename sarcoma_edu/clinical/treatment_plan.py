"""A treatment plan: its phases placed in weeks from the start of treatment, and how it reads.

:class:`TreatmentPlan` is what :func:`~sarcoma_edu.clinical.planner.plan_treatment` returns: the
ordered :class:`Phase` steps, the adjustments made to the choices, and the explanation. The phases
come from ``datasets/sequencing_phases.csv`` (names, modalities, the durations and gaps the
reference gives, doses, notes and why), read here once by :func:`phase_rows`. The plan says itself
as a table (for the timeline figure), as numbered lines, and as HTML, with the same words for
when each phase happens, including where the reference gives no length.
"""

from __future__ import annotations

import functools
import html as _html
import math
from dataclasses import dataclass

import pandas as pd

from sarcoma_edu.clinical.tables import table_rows

__all__ = ["Phase", "TreatmentPlan", "phase_rows", "weeks"]


@dataclass(frozen=True)
class Phase:
    """One step of a treatment plan, placed in weeks from the start of treatment.

    ``start_week``/``end_week`` are NaN where the reference gives no duration for an earlier or
    this phase; ``latest_end_week`` shows the end of a typical range (e.g. a 3-6 week gap).
    """

    phase: str
    modality: str
    timing: str
    start_week: float
    end_week: float
    latest_end_week: float
    uncertain: bool
    dose: str
    note: str
    why: str
    source: str


@dataclass(frozen=True)
class TreatmentPlan:
    """An ordered treatment sequence for one patient, with the choices that built it."""

    situation: str
    phases: tuple[Phase, ...]
    adjustments: tuple[str, ...]
    explanation: str
    drug: str | None = None

    def to_frame(self) -> pd.DataFrame:
        """Return a tidy table (one row per phase) that a timeline figure plots directly.

        Columns: ``order``, ``phase``, ``modality``, ``timing``, ``start_week``, ``end_week``,
        ``latest_end_week``, ``uncertain``, ``dose``, ``note``, ``why``, ``source``.
        """
        frame = pd.DataFrame([vars(p) for p in self.phases])
        frame.insert(0, "order", range(1, len(frame) + 1))
        return frame

    def describe(self) -> str:
        """Return the plan as numbered lines: each phase with its timing, dose, note and why."""
        lines = [self.explanation]
        for number, p in enumerate(self.phases, start=1):
            dose = f"; {p.dose}" if p.dose else ""
            why = f" Why: {p.why}" if p.why else ""
            lines.append(f"{number}. {p.phase} ({_when(p)}{dose}). {p.note}.{why} [{p.source}]")
        return "\n".join(lines)

    def phase_lengths(self) -> tuple[tuple[float, float], ...]:
        """Return each phase's own typical length in weeks, (shortest, longest), NaN where none is given.

        A phase after one of unknown length has no week numbers, but its own length may still be
        known (radiation before surgery lasts about 5 weeks wherever it starts); a timeline uses
        this to draw it in order, with its length.
        """
        return tuple(_own_weeks(p) for p in self.phases)

    def html(self) -> str:
        """Return the plan as HTML for a page: the explanation, then a numbered list of the phases.

        The same words as :meth:`describe`, escaped, in ordinary text that wraps between words:
        each phase in bold with when it happens, its dose, what it is, why, and its source.
        """
        items = []
        for p in self.phases:
            dose = f"; {_html.escape(p.dose)}" if p.dose else ""
            why = f" <i>Why:</i> {_html.escape(p.why)}." if p.why else ""
            items.append(
                f"<li><b>{_html.escape(p.phase)}</b> ({_html.escape(_when(p))}{dose}). {_html.escape(p.note)}.{why} "
                f"<small>Source: {_html.escape(p.source)}</small></li>"
            )
        return (
            '<div class="sarcoma-edu-plan" style="white-space:normal;overflow-wrap:normal;word-break:normal;'
            'line-height:1.45">'
            f"<p>{_html.escape(self.explanation)}</p><ol>{''.join(items)}</ol></div>"
        )


def _own_weeks(p: Phase) -> tuple[float, float]:
    """How long a phase lasts, as the phase table gives it (NaN, NaN where it gives no length)."""
    for row in phase_rows().values():
        if row["phase"] == p.phase:
            return weeks(row["min_weeks"]), weeks(row["max_weeks"])
    return math.nan, math.nan


def _length_words(low: float, high: float) -> str:
    return f"about {low:g} weeks" if high == low else f"about {low:g} to {high:g} weeks"


def _when(p: Phase) -> str:
    """When a phase happens, in words: weeks from the start where the reference gives them."""
    if math.isnan(p.start_week):  # an earlier phase has no length in the reference
        low, high = _own_weeks(p)
        if low == high == 0:
            return "after the step before; its week depends on the earlier steps"
        if math.isnan(low):
            return "after the step before; the reference gives no length for this step or an earlier one"
        words = _length_words(low, high) + (", an uncertain range" if p.uncertain else "")
        return f"after the step before, which has no length in the reference; {words}"
    if p.end_week == p.start_week:
        when = f"week {p.start_week:g}"
        return when + (f" (up to week {p.latest_end_week:g})" if p.latest_end_week > p.end_week else "")
    if math.isnan(p.end_week):
        return f"from week {p.start_week:g} (length not given in the reference)"
    span = f"weeks {p.start_week:g}-{p.end_week:g}"
    if p.latest_end_week != p.end_week:
        span += f" (up to week {p.latest_end_week:g})"
    return span + (" - an uncertain range" if p.uncertain else "")


@functools.cache
def phase_rows() -> dict[str, dict[str, str]]:
    """The rows of ``sequencing_phases.csv`` by ``phase_id``."""
    return {row["phase_id"]: row for row in table_rows("sequencing_phases.csv")}


def weeks(text: str) -> float:
    """A number of weeks from a table cell; NaN where the cell is empty (the reference gives none)."""
    return float(text) if text else math.nan
