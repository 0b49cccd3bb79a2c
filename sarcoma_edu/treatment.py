"""Treatment options by stage (NCI PDQ patient version) and treatment sequencing in time.

Tables: ``datasets/treatment_stage_map.csv`` (which PDQ list applies to a stage, with the AJCC 7
vs 8 wording gap explained), ``datasets/treatment_options.csv`` (the PDQ lists, complete),
``datasets/treatment_situations.csv`` (their headings) and ``datasets/sequencing_phases.csv``
(the phases of a plan with the durations and gaps the reference gives).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from sarcoma_edu import _checks
from sarcoma_edu.data import load_table
from sarcoma_edu.staging import StageResult

__all__ = [
    "Phase",
    "TreatmentOption",
    "TreatmentOptions",
    "TreatmentPlan",
    "plan_treatment",
    "treatment_options",
]

_STAGE_WORDS = ("IA", "IB", "I", "II", "IIIA", "IIIB", "III", "IV")


@dataclass(frozen=True)
class TreatmentOption:
    """One item of a PDQ treatment list."""

    modalities: tuple[str, ...]
    timings: tuple[str, ...]
    description: str
    drugs: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class TreatmentOptions:
    """The PDQ treatment options for one situation, and why this list applies."""

    situation: str
    heading: str
    items: tuple[TreatmentOption, ...]
    explanation: str
    source: str

    def to_frame(self) -> pd.DataFrame:
        """Return one row per option: modalities, timings, description, drugs, source."""
        return pd.DataFrame(
            [
                {
                    "modalities": ", ".join(o.modalities),
                    "timings": ", ".join(o.timings),
                    "description": o.description,
                    "drugs": ", ".join(o.drugs),
                    "source": o.source,
                }
                for o in self.items
            ]
        )


def _matches(cell: str, value: str) -> bool:
    return cell == "any" or value in cell.split("|")


@functools.cache
def _items(situation: str) -> tuple[TreatmentOption, ...]:
    """The PDQ options of a situation (e.g. ``"stage_I"``), in PDQ order."""
    options = load_table("treatment_options.csv")
    rows = options[options.situation == situation].sort_values("order", key=lambda s: s.astype(int))
    return tuple(
        TreatmentOption(
            modalities=tuple(row.modalities.split("|")),
            timings=tuple(row.timings.split("|")),
            description=row.description,
            drugs=tuple(row.drugs.split("|")) if row.drugs else (),
            source=row.source,
        )
        for row in rows.itertuples()
    )


def _situation(result_or_stage: object, nodes: object, recurrent: object) -> tuple[str, str]:
    """Return (situation, explanation) for a StageResult or a stage word with node status."""
    if _checks.boolean("recurrent", recurrent):
        return (
            "recurrent",
            "The cancer has come back after treatment (recurrent), so the PDQ options for recurrence apply.",
        )
    if isinstance(result_or_stage, StageResult):
        if nodes is not None and _checks.boolean("nodes", nodes) != (result_or_stage.n == "N1"):
            raise ValueError(
                f"nodes={_checks.show(nodes)} contradicts the stage result ({result_or_stage.n}); "
                "expected None (the result already says) or the same node status"
            )
        if result_or_stage.stage is None:
            return "no_stage_group", (
                f"{result_or_stage.explanation} With no stage group, no stage-based PDQ list applies: "
                "treatment is planned by a multidisciplinary sarcoma team."
            )
        stage_word, n, m = result_or_stage.stage, result_or_stage.n, result_or_stage.m
    else:
        if result_or_stage is None:
            return "no_stage_group", "No stage was given: the treatment is planned by a multidisciplinary sarcoma team."
        allowed = f"a StageResult, None, or one of {', '.join(_STAGE_WORDS)}"
        if not isinstance(result_or_stage, str):
            raise TypeError(f"result_or_stage={_checks.show(result_or_stage)} is not a stage; expected {allowed}")
        stage_word = result_or_stage.strip().upper().removeprefix("STAGE ").strip()
        if stage_word not in _STAGE_WORDS:
            raise ValueError(f"result_or_stage={_checks.show(result_or_stage)} is not a stage; expected {allowed}")
        has_nodes = False if nodes is None else _checks.boolean("nodes", nodes)
        n, m = ("N1" if has_nodes else "N0"), ("M1" if stage_word == "IV" else "M0")
    table = load_table("treatment_stage_map.csv")
    for row in table.itertuples():
        if row.stage == stage_word and _matches(row.n, n) and _matches(row.m, m):
            text = f"Stage {stage_word} ({n}, {m})."
            return row.situation, f"{text} {row.note}" if row.note else text
    raise ValueError(
        f"stage {stage_word} with nodes={n == 'N1'} is not possible under AJCC 8: lymph node spread makes a "
        "sarcoma stage IIIB (retroperitoneum) or IV (trunk, extremity); expected nodes=False for this stage"
    )


def treatment_options(
    result_or_stage: StageResult | str | None, *, nodes: bool | None = None, recurrent: bool = False
) -> TreatmentOptions:
    """Return the NCI PDQ (patient version) treatment options for a staged patient.

    Args:
        result_or_stage: a :class:`StageResult`, a stage word (``"IA"``, ``"IB"``, ``"I"``,
            ``"II"``, ``"IIIA"``, ``"IIIB"``, ``"III"``, ``"IV"``), or None (no stage group).
        nodes: node status when a stage word is given (None means no lymph node spread); with a
            StageResult leave it None (the result already says).
        recurrent: True for cancer that has come back after treatment.

    Returns:
        The complete PDQ list for the situation, with its heading, an explanation of why it
        applies (including the AJCC 7 vs 8 wording gap) and sources.

    Raises:
        TypeError, ValueError: a wrong type, an unknown stage, or an impossible combination such
            as stage II with lymph node spread.
    """
    situation, explanation = _situation(result_or_stage, nodes, recurrent)
    headings = load_table("treatment_situations.csv").set_index("situation")
    return TreatmentOptions(
        situation=situation,
        heading=headings.loc[situation, "pdq_heading"],
        items=_items(situation),
        explanation=explanation,
        source=headings.loc[situation, "source"],
    )


# --- sequencing -------------------------------------------------------------------------------


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
            if math.isnan(p.start_week):
                when = "timing depends on the earlier phases"
            elif p.end_week == p.start_week:
                when = f"week {p.start_week:g}"
                if p.latest_end_week > p.end_week:
                    when += f" (up to week {p.latest_end_week:g})"
            elif math.isnan(p.end_week):
                when = f"from week {p.start_week:g} (length not given in the reference)"
            else:
                span = f"weeks {p.start_week:g}-{p.end_week:g}"
                if p.latest_end_week != p.end_week:
                    span += f" (up to week {p.latest_end_week:g})"
                when = span + (" - an uncertain range" if p.uncertain else "")
            dose = f"; {p.dose}" if p.dose else ""
            why = f" Why: {p.why}" if p.why else ""
            lines.append(f"{number}. {p.phase} ({when}{dose}). {p.note}.{why} [{p.source}]")
        return "\n".join(lines)


@functools.cache
def _phase_rows() -> dict[str, dict[str, str]]:
    return {row["phase_id"]: row for row in load_table("sequencing_phases.csv").to_dict("records")}


_RADIATION = ("before", "after", "none")
_CHEMO = ("before", "after", "none")


def _sequence(situation: str, radiation: str, chemotherapy: str, resectable: bool) -> tuple[list[str], list[str]]:
    """Return the phase ids in order and the adjustments made to the choices."""
    offered = {m for o in _items(situation) for m in o.modalities}
    notes: list[str] = []
    if situation == "stage_IV":
        if radiation != "none":
            notes.append("Radiation was left out: it is not among the PDQ options for stage IV.")
        return ["chemo_systemic", "follow_up"], notes
    if chemotherapy != "none" and "chemotherapy" not in offered:
        notes.append("Chemotherapy was left out: it is not among the PDQ options for this stage.")
        chemotherapy = "none"
    if not resectable:
        notes.append("The tumour cannot be removed, so high-dose radiation is the main treatment.")
        if chemotherapy != "none":
            notes.append(
                "Chemotherapy with radiation (chemoradiation) is used by some teams when a tumour cannot be "
                "removed, but not all experts agree on its value; the plan shows radiation alone."
            )
        return ["rt_definitive", "follow_up"], notes
    ids = ["chemo_before"] if chemotherapy == "before" else []
    ids += ["rt_before", "gap_after_rt"] if radiation == "before" else []
    ids += ["surgery"]
    ids += ["wound_healing", "rt_after"] if radiation == "after" else []
    ids += ["chemo_after"] if chemotherapy == "after" else []
    return [*ids, "follow_up"], notes


def _number(text: str) -> float:
    return float(text) if text else math.nan


def plan_treatment(
    result_or_stage: StageResult | str | None,
    *,
    radiation: Literal["before", "after", "none"] = "before",
    chemotherapy: Literal["before", "after", "none"] = "none",
    resectable: bool = True,
    nodes: bool | None = None,
    recurrent: bool = False,
) -> TreatmentPlan:
    """Build an ordered treatment sequence from a stage and a few choices.

    Args:
        result_or_stage: as for :func:`treatment_options`.
        radiation: ``"before"`` surgery (neoadjuvant, 50 Gy), ``"after"`` surgery (adjuvant,
            60-66 Gy) or ``"none"``.
        chemotherapy: ``"before"`` surgery, ``"after"`` surgery, or ``"none"``.
        resectable: False when surgery cannot remove the tumour.
        nodes, recurrent: as for :func:`treatment_options`.

    Returns:
        A :class:`TreatmentPlan` whose phases carry weeks from the start of treatment where the
        reference gives durations, and whose ``adjustments`` say what was changed and why.

    Raises:
        ValueError: an unknown choice, or radiation both before and after surgery.
    """
    if radiation == "both":
        raise ValueError(
            "radiation='both' cannot be planned: choose 'before', 'after' or 'none'. The reference gives a dose "
            "for radiation before surgery (50 Gy) or after it (60-66 Gy), not for a course split around surgery."
        )
    radiation = _checks.choice("radiation", radiation, _RADIATION)
    chemotherapy = _checks.choice("chemotherapy", chemotherapy, _CHEMO)
    resectable = _checks.boolean("resectable", resectable)
    situation, why_list = _situation(result_or_stage, nodes, recurrent)
    if situation == "no_stage_group":
        why_list += " The sequence below is a typical local-treatment order, not a stage-based recommendation."
    ids, adjustments = _sequence(situation, radiation, chemotherapy, resectable)

    phases: list[Phase] = []
    start = latest = 0.0
    for phase_id in ids:
        row = _phase_rows()[phase_id]
        low, high = _number(row["min_weeks"]), _number(row["max_weeks"])
        end, latest_end = start + low, latest + high
        phases.append(
            Phase(
                phase=row["phase"],
                modality=row["modality"],
                timing=row["timing"],
                start_week=start,
                end_week=end,
                latest_end_week=latest_end,
                uncertain=row["uncertain"] == "true",
                dose=row["dose"],
                note=row["note"],
                why=row["why"],
                source=row["source"],
            )
        )
        start, latest = end, latest_end
    order = " -> ".join(p.phase.lower() for p in phases)
    explanation = f"{why_list} Sequence: {order}." + (f" {' '.join(adjustments)}" if adjustments else "")
    return TreatmentPlan(situation, tuple(phases), tuple(adjustments), explanation)
