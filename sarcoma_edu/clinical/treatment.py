"""Treatment options by stage (NCI PDQ patient version) and treatment sequencing in time.

Tables: ``datasets/treatment_stage_map.csv`` (which PDQ list applies to a stage, with the AJCC 7
vs 8 wording gap explained), ``datasets/treatment_options.csv`` (the PDQ lists, complete),
``datasets/treatment_situations.csv`` (their headings), ``datasets/sequencing_phases.csv``
(the phases of a plan with the durations and gaps the reference gives), ``datasets/plan_paths.csv``
(which kind of plan a patient gets, the same at every site) and ``datasets/plan_rules.csv`` (the
defaults and notes for the radiation and chemotherapy chosen).
"""

from __future__ import annotations

import dataclasses
import functools
import html as _html
import math
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from sarcoma_edu.clinical.catalog import drug_status_words
from sarcoma_edu.clinical.staging import StageResult
from sarcoma_edu.clinical.tables import load_table
from sarcoma_edu.common import checks as _checks

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
    """The PDQ treatment options for one situation, and why this list applies.

    ``other_readings`` names the other PDQ lists (``other_headings``, their headings) a careful
    reader could also file this patient under (today only the node-positive trunk or limb tumour
    without distant spread, which is stage IV under AJCC 8 but is treated as the PDQ list for
    stage III with lymph node spread describes); the explanation gives both readings.
    """

    situation: str
    heading: str
    items: tuple[TreatmentOption, ...]
    explanation: str
    source: str
    other_readings: tuple[str, ...] = ()
    other_headings: tuple[str, ...] = ()

    @property
    def readings(self) -> tuple[str, ...]:
        """Every PDQ list this patient can be read as: the one the plan follows first."""
        return (self.situation, *self.other_readings)

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


@functools.cache
def _rows(name: str) -> tuple[dict[str, str], ...]:
    """The rows of a rule table, as dicts, read once (the tables are validated and cached by load_table)."""
    return tuple(load_table(name).to_dict("records"))


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


@dataclass(frozen=True)
class _Situation:
    """Which PDQ list applies, why, and what the plan needs to know about the patient."""

    situation: str
    explanation: str
    stage: str | None = None
    site: str = "any"
    nodes: bool = False
    metastasis: bool = False
    grade: str | None = None
    other_readings: tuple[str, ...] = ()
    reading_source: str = ""  # the source of the readings' explanation, when there is more than one


def _flag(name: str, value: object) -> bool | None:
    return None if value is None else _checks.boolean(name, value)


def _situation(result_or_stage: object, nodes: object, recurrent: object, metastasis: object = None) -> _Situation:
    """Return the situation for a StageResult, or a stage word with its node and metastasis status.

    A recurrence keeps the site, nodes and metastasis of the patient, so that its plan can remove
    the lymph nodes, treat distant spread and aim for the site's margin.
    """
    is_recurrent = _checks.boolean("recurrent", recurrent)
    found = _staged(result_or_stage, nodes, metastasis)
    if not is_recurrent:
        return found
    spread = [w for w, flag in (("lymph node spread", found.nodes), ("distant metastasis", found.metastasis)) if flag]
    text = "The cancer has come back after treatment (recurrent), so the PDQ options for recurrence apply."
    if spread:
        text += f" The recurrence has {' and '.join(spread)}."
    return dataclasses.replace(found, situation="recurrent", explanation=text, other_readings=(), reading_source="")


def _staged(result_or_stage: object, nodes: object, metastasis: object) -> _Situation:
    """The situation of a patient who is not recurrent, from ``treatment_stage_map.csv``."""
    has_nodes, has_metastasis = _flag("nodes", nodes), _flag("metastasis", metastasis)
    site, grade = "any", None
    if isinstance(result_or_stage, StageResult):
        for name, given, actual in (("nodes", has_nodes, "N1"), ("metastasis", has_metastasis, "M1")):
            category = result_or_stage.n if name == "nodes" else result_or_stage.m
            if given is not None and given != (category == actual):
                raise ValueError(
                    f"{name}={_checks.show(nodes if name == 'nodes' else metastasis)} contradicts the stage result "
                    f"({category}); expected None (the result already says) or the same status"
                )
        site, grade = result_or_stage.site, result_or_stage.g
        stage_word, n, m = result_or_stage.stage or "none", result_or_stage.n, result_or_stage.m
    elif result_or_stage is None:
        stage_word, n = "none", "N1" if has_nodes else "N0"
        m = "M1" if has_metastasis else "M0"
    else:
        allowed = f"a StageResult, None, or one of {', '.join(_STAGE_WORDS)}"
        if not isinstance(result_or_stage, str):
            raise TypeError(f"result_or_stage={_checks.show(result_or_stage)} is not a stage; expected {allowed}")
        stage_word = result_or_stage.strip().upper().removeprefix("STAGE ").strip()
        if stage_word not in _STAGE_WORDS:
            raise ValueError(f"result_or_stage={_checks.show(result_or_stage)} is not a stage; expected {allowed}")
        n = "N1" if has_nodes else "N0"
        if has_metastasis is None:  # stage IV without nodes can only mean distant metastasis
            has_metastasis = stage_word == "IV" and not has_nodes
        if has_metastasis and stage_word != "IV":
            raise ValueError(
                f"metastasis=True with stage {stage_word} is not possible: distant metastasis makes any staged "
                "sarcoma stage IV; expected metastasis=False or None for this stage"
            )
        if stage_word == "IV" and not has_nodes and not has_metastasis:
            raise ValueError(
                "stage IV with nodes=False and metastasis=False is not possible under AJCC 8: stage IV needs lymph "
                "node spread (trunk, extremity) or distant metastasis; expected nodes=True or metastasis=True"
            )
        m = "M1" if has_metastasis else "M0"
    for row in _rows("treatment_stage_map.csv"):
        if row["stage"] == stage_word and _matches(row["n"], n) and _matches(row["m"], m):
            if stage_word == "none":
                text = (
                    f"{result_or_stage.explanation} With no stage group, no stage-based PDQ list applies: "
                    "treatment is planned by a multidisciplinary sarcoma team."
                    if isinstance(result_or_stage, StageResult)
                    else "No stage was given: the treatment is planned by a multidisciplinary sarcoma team."
                )
            else:
                text = f"Stage {stage_word} ({n}, {m})."
            readings = tuple(row["other_readings"].split("|")) if row["other_readings"] else ()
            return _Situation(
                row["situation"],
                f"{text} {row['note']}" if row["note"] else text,
                stage=None if stage_word == "none" else stage_word,
                site=row["site"] or site if site == "any" else site,  # a stage word can fix the site (IIIB N1)
                nodes=n == "N1",
                metastasis=m == "M1",
                grade=grade,
                other_readings=readings,
                reading_source=row["source"] if readings else "",
            )
    raise ValueError(
        f"stage {stage_word} with nodes={n == 'N1'} is not possible under AJCC 8: lymph node spread makes a "
        "sarcoma stage IIIB (retroperitoneum) or IV (trunk, extremity); expected nodes=False for this stage"
    )


def treatment_options(
    result_or_stage: StageResult | str | None,
    *,
    nodes: bool | None = None,
    recurrent: bool = False,
    metastasis: bool | None = None,
) -> TreatmentOptions:
    """Return the NCI PDQ (patient version) treatment options for a staged patient.

    A stage word with its node (and, for stage IV, metastasis) status gives the same answer as
    the :class:`StageResult` of that patient: ``treatment_options("IV", nodes=True)`` and
    ``treatment_options(stage("leg", 4, 2, nodes=True))`` describe the same patient.

    Args:
        result_or_stage: a :class:`StageResult`, a stage word (``"IA"``, ``"IB"``, ``"I"``,
            ``"II"``, ``"IIIA"``, ``"IIIB"``, ``"III"``, ``"IV"``), or None (no stage group).
        nodes: node status when a stage word is given (None means no lymph node spread); with a
            StageResult leave it None (the result already says).
        recurrent: True for cancer that has come back after treatment.
        metastasis: distant metastasis, when a stage word is given. None means: stage IV without
            lymph node spread has distant metastasis; stage IV with lymph node spread has none
            (the node-positive trunk or limb tumour). Give True for stage IV with both.

    Returns:
        The complete PDQ list for the situation, with its heading, an explanation of why it
        applies (for the node-positive trunk or limb tumour, both readings of the PDQ headings),
        the other lists it can be read as, and sources.

    Raises:
        TypeError, ValueError: a wrong type, an unknown stage, or an impossible combination such
            as stage II with lymph node spread.
    """
    found = _situation(result_or_stage, nodes, recurrent, metastasis)
    headings = {row["situation"]: row for row in _rows("treatment_situations.csv")}
    return TreatmentOptions(
        situation=found.situation,
        heading=headings[found.situation]["pdq_heading"],
        items=_items(found.situation),
        explanation=found.explanation,
        source="; ".join(dict.fromkeys(filter(None, (headings[found.situation]["source"], found.reading_source)))),
        other_readings=found.other_readings,
        other_headings=tuple(headings[s]["pdq_heading"] for s in found.other_readings),
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
    for row in _phase_rows().values():
        if row["phase"] == p.phase:
            return _number(row["min_weeks"]), _number(row["max_weeks"])
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
def _phase_rows() -> dict[str, dict[str, str]]:
    return {row["phase_id"]: row for row in load_table("sequencing_phases.csv").to_dict("records")}


@functools.cache
def _margins() -> dict[str, dict[str, str]]:
    return {row["site"]: row for row in load_table("surgical_margins.csv").to_dict("records")}


def _limb(site: str) -> bool:
    """Whether limb-only words apply: a limb tumour only (not a stage word whose site is not known)."""
    return site == "extremity"


def _rule(found: _Situation, path: str, modality: str, action: str, timing: str | None = None) -> dict | None:
    """The first row of ``plan_rules.csv`` that fits the patient, the kind of plan, the choice and the action.

    Rows are in order, the most particular first (a site, stage or grade before the general row).
    A row whose site is ``any`` is for a patient given by a stage word alone, whose site is not known.
    The returned row's ``note`` carries its ``limb_note`` for a limb tumour.
    """
    for row in _rows("plan_rules.csv"):
        if (
            _matches(row["situation"], found.situation)
            and row["site"] in ("", found.site)
            and row["stage"] in ("", found.stage)
            and (row["grade"] == "" or (found.grade or "") in row["grade"].split("|"))
            and _matches(row["path"], path)
            and row["modality"] == modality
            and row["action"] == action
            and (timing is None or timing in row["timing"].split("|"))
        ):
            if row["limb_note"] and _limb(found.site):
                return {**row, "note": f"{row['note']} {row['limb_note']}"}
            return row
    return None


def _path(found: _Situation, resectable: bool) -> dict[str, str]:
    """The row of ``plan_paths.csv`` for this patient: which kind of plan, and why."""
    n, m = ("N1" if found.nodes else "N0"), ("M1" if found.metastasis else "M0")
    for row in _rows("plan_paths.csv"):
        if (
            _matches(row["situation"], found.situation)
            and _matches(row["n"], n)
            and _matches(row["m"], m)
            and (row["resectable"] == "true") == resectable
        ):
            return row
    raise ValueError(  # the table covers every patient; a hand edit that breaks that is named here
        f"plan_paths.csv has no row for {found.situation}, {n}, {m}, resectable={resectable}; "
        "expected a row for every situation, node and metastasis status"
    )


_RADIATION = ("before", "after", "none")
_CHEMO = ("before", "after", "none")
_SURGERY_PHASES = ("surgery", "surgery_nodes")
# the phase of a plan whose main treatment is radiation because the tumour cannot be removed
_MAIN_RADIATION = {"definitive_radiation": "rt_definitive", "main_radiation": "rt_main"}


@functools.cache
def _systemic_drugs() -> dict[str, dict[str, str]]:
    """The drugs a plan can name (every drug of ``drugs.csv`` that treats the sarcoma itself)."""
    return {row["name"]: row for row in load_table("drugs.csv").to_dict("records") if row["status"] != "supportive"}


def _local(found: _Situation, path: str, radiation: str, chemotherapy: str, notes: list[str]) -> list[str]:
    """Phase ids for treatment of the tumour by surgery, with radiation and chemotherapy around it.

    The surgery removes the lymph nodes too when they hold cancer (ACS, at every site). On the
    ``neoadjuvant`` path (a node-positive tumour that cannot be removed yet) something is always
    given before surgery, and the tumour is restaged before the operation.
    """
    offered = {m for o in _items(found.situation) for m in o.modalities}
    if chemotherapy != "none":
        kept = _rule(found, path, "chemotherapy", "keep", chemotherapy)
        if kept is not None:
            notes.append(kept["note"])
        elif "chemotherapy" not in offered:
            notes.append("Chemotherapy was left out: it is not among the PDQ options for this stage.")
            chemotherapy = "none"
    ids = ["chemo_before"] if chemotherapy == "before" else []
    ids += ["rt_before", "gap_after_rt"] if radiation == "before" else []
    if path == "neoadjuvant":
        ids = (ids or ["neoadjuvant_pdq"]) + ["restage"]
    ids += ["surgery_nodes" if found.nodes else "surgery"]
    ids += ["wound_healing", "rt_after"] if radiation == "after" else []
    ids += ["chemo_after"] if chemotherapy == "after" else []
    return ids


def _systemic(found: _Situation, path: str, radiation: str, chemotherapy: str, notes: list[str]) -> list[str]:
    """Phase ids when surgery cannot remove all the cancer: systemic therapy, as the PDQ list says."""
    if chemotherapy != "none":
        notes.append(_rule(found, path, "chemotherapy", "keep", chemotherapy)["note"])
        ids = ["chemo_systemic"]
    else:
        ids = ["systemic_recurrent" if found.situation == "recurrent" else "systemic_metastatic"]
    if radiation != "none":
        kept = _rule(found, path, "radiation", "keep", radiation)
        if kept is not None:
            notes.append(kept["note"])
            # 'not part of a plan to cure' is said only where the cancer has spread to distant sites
            ids.append("rt_palliative" if found.metastasis else "rt_palliative_local")
        else:
            notes.append(_rule(found, path, "radiation", "left_out", radiation)["note"])
    return ids


def _sequence(
    found: _Situation, radiation: str, chemotherapy: str, resectable: bool, radiation_chosen: bool = True
) -> tuple[list[str], list[str]]:
    """Return the phase ids in order and the adjustments made to the choices.

    Where radiation is the main treatment (the tumour cannot be removed), a radiation choice the user made
    (before, after or no radiation) is not silently replaced: a note says what became of it.
    """
    chosen = _path(found, resectable)
    path, notes = chosen["path"], [chosen["note"]] if chosen["note"] else []
    if path == "remove_all":
        if radiation != "none":
            notes.append(_rule(found, path, "radiation", "keep", radiation)["note"])
        return [*_local(found, path, radiation, chemotherapy, notes), "surgery_metastases", "follow_up"], notes
    if path in ("systemic", "systemic_recurrence"):
        return [*_systemic(found, path, radiation, chemotherapy, notes), "follow_up"], notes
    if path in _MAIN_RADIATION:
        main = _MAIN_RADIATION[path]
        if radiation_chosen:
            notes.append(_rule(found, path, "radiation", "main", radiation)["note"])
        if chemotherapy != "none":  # a row that leaves it out (stage I, a low grade) comes before one that keeps it
            left_out = _rule(found, path, "chemotherapy", "left_out", chemotherapy)
            kept = None if left_out else _rule(found, path, "chemotherapy", "keep", chemotherapy)
            notes.append((left_out or kept)["note"])
            main = "chemoradiation_main" if kept else main
        return [main, "follow_up"], notes
    return [*_local(found, path, radiation, chemotherapy, notes), "follow_up"], notes


def _number(text: str) -> float:
    return float(text) if text else math.nan


def _phase_text(phase_id: str, row: dict[str, str], site: str) -> tuple[str, str, str]:
    """The note, why and source of a phase; a surgery phase adds the site's margin aim, a limb the limb words."""
    why = f"{row['why']}. {row['limb_why']}" if row["limb_why"] and _limb(site) else row["why"]
    if phase_id not in _SURGERY_PHASES:
        return row["note"], why, row["source"]
    margin = _margins().get(site, _margins()["any"])
    sources = dict.fromkeys(part.strip() for part in f"{row['source']}; {margin['source']}".split(";"))
    return f"{row['note']}. {margin['margin_aim']}", why, "; ".join(sources)


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def _drug_words(drug: str, row: dict[str, str]) -> str:
    """What the reference says of a drug: class, how it works, its use, how it is given, its US status."""
    given = _lower(row["route_schedule"]) if row["route_schedule"] else "the reference does not say"
    return (
        f"{drug[0].upper()}{drug[1:]} ({row['drug_class']}, {row['modality']}): {_lower(row['how_it_works'])}. "
        f"Use: {_lower(row['indication'])}. How it is given: {given}. US status: {drug_status_words(row)}"
    )


def _plan_sources(row: dict[str, str]) -> str:
    """A drug's citations for what a plan shows of it: those marked ``(monitoring)`` are for its checks, not shown."""
    return "; ".join(part.strip() for part in row["source"].split(";") if "(monitoring)" not in part)


_AROUND_SURGERY = ("chemo_before", "chemo_after")
_GIVEN_WITH_SURGERY_OR_RADIATION = (*_AROUND_SURGERY, "chemoradiation_main")


def _drug_phase(drug: str, found: _Situation, phase: Phase, phase_id: str, notes: list[str]) -> Phase:
    """The phase that gives the drug the case chose, named by it, with what the reference says of it.

    Chemotherapy before or after surgery (or with radiation) keeps its own note, whose caveat (the
    benefit around surgery is uncertain; 'first line' is a rule for advanced disease) holds for any
    drug, and a note says so; a systemic therapy phase is the drug's own.
    """
    row = _systemic_drugs()[drug]
    name = f"{drug[0].upper()}{drug[1:]}"
    words = _drug_words(drug, row)
    if phase_id in _GIVEN_WITH_SURGERY_OR_RADIATION:
        note = f"{phase.note}. {words}"
    else:
        note = words + ("" if row["route_schedule"] else f". {_phase_rows()['drug_systemic']['note']}")
    if phase_id in _AROUND_SURGERY:
        rule = _rule(found, "any", "chemotherapy", "drug", phase_id.removeprefix("chemo_"))
        use = _lower(row["indication"])
        notes.append(f"{name} is given as {phase.phase.lower()}; its use in the reference: {use}. {rule['note']}")
    if phase_id == "drug_systemic":
        notes.append(
            f"{name} is shown as its own phase after the chemotherapy you chose; the reference gives no order for "
            f"giving the two (its use in the reference: {_lower(row['indication'])}), so the team sets it."
        )
    readings = (found.situation, *found.other_readings)
    listed = [d for s in readings for item in _items(s) for d in item.drugs]
    offered = {m for s in readings for item in _items(s) for m in item.modalities}
    if readings == ("no_stage_group",):
        notes.append(
            f"Without a stage group no PDQ list names drugs: {drug} is the team's choice (its use in the reference: "
            f"{_lower(row['indication'])})."
        )
    elif drug not in listed and not (row["modality"] == "chemotherapy" and "chemotherapy" in offered):
        headings = {row["situation"]: row["pdq_heading"] for row in _rows("treatment_situations.csv")}
        named = " or ".join(dict.fromkeys(listed)) or "no drug by name"
        notes.append(
            f"{name} is not on the PDQ list '{headings[readings[-1]]}' (it names {named}); its use in the reference: "
            f"{_lower(row['indication'])}."
        )
    short = phase.phase.split(":")[0].split(" (")[0]
    source = "; ".join(dict.fromkeys(part.strip() for part in f"{phase.source}; {_plan_sources(row)}".split(";")))
    return dataclasses.replace(phase, phase=f"{short}: {drug}", modality=row["modality"], note=note, source=source)


# the phases that can give a drug: any drug as systemic therapy, a chemotherapy drug also with an operation or radiation
_DRUG_PHASES = ("systemic_metastatic", "systemic_recurrent", "drug_systemic")
_CHEMO_DRUG_PHASES = ("chemo_systemic", "systemic_metastatic", "systemic_recurrent", *_GIVEN_WITH_SURGERY_OR_RADIATION)


def _place_drug(drug: str, ids: list[str], phases: list[Phase], found: _Situation, notes: list[str]) -> list[Phase]:
    """Name the chosen drug in the phase that gives it; say so when the plan has no such phase."""
    row = _systemic_drugs()[drug]
    allowed = _CHEMO_DRUG_PHASES if row["modality"] == "chemotherapy" else _DRUG_PHASES
    targets = [i for i, pid in enumerate(ids) if pid in allowed]
    if not targets:
        notes.append(
            f"{drug[0].upper()}{drug[1:]} is not in this plan: the plan gives a targeted drug or immunotherapy only "
            "as systemic therapy, when surgery cannot remove all the cancer, and chemotherapy only where it is chosen; "
            f"its use in the reference: {_lower(row['indication'])}."
        )
    for i in targets:
        phases[i] = _drug_phase(drug, found, phases[i], ids[i], notes)
    return phases


def plan_treatment(
    result_or_stage: StageResult | str | None,
    *,
    radiation: Literal["before", "after", "none"] | None = None,
    chemotherapy: Literal["before", "after", "none"] = "none",
    resectable: bool | None = None,
    nodes: bool | None = None,
    recurrent: bool = False,
    metastasis: bool | None = None,
    drug: str | None = None,
) -> TreatmentPlan:
    """Build an ordered treatment sequence from a stage and a few choices.

    The kind of plan comes from ``datasets/plan_paths.csv``, the same at every site whether or not
    it has a stage group: distant metastasis is treated with systemic therapy, or, when every
    metastasis can be removed, by surgery of the primary (or of the recurrence) and of the lung
    metastases; lymph node spread adds a lymphadenectomy to the surgery; a recurrence or a
    node-positive tumour that cannot be removed keeps the chemotherapy chosen and gets only what its
    PDQ list gives (no high-dose radiation; radiation chosen eases symptoms where nothing is
    operated on). A tumour of stage I-III without lymph node spread that cannot be removed gets
    PDQ's high-dose radiation, a tumour without a stage group radiation as the main treatment (ACS),
    and a note says what became of the radiation chosen, since there is no operation for it to come
    before or after. With chemotherapy chosen the radiation is given with it (chemoradiation, ACS) for
    stage II-III and for a tumour without a stage group that is not low grade; a stage I tumour, and
    a low-grade (G1 or GX) one without a stage group, gets radiation alone. The notes and defaults
    come from ``datasets/plan_rules.csv``.

    Args:
        result_or_stage: as for :func:`treatment_options`.
        radiation: ``"before"`` surgery (neoadjuvant, 50 Gy), ``"after"`` surgery (adjuvant,
            60-66 Gy), ``"none"``, or None (the default): decided by the situation, as
            ``datasets/plan_rules.csv`` says, with the reason among the adjustments. A stage IA
            tumour (small, low grade or grade unknown) then gets surgery alone; stage I, II and III
            of the trunk and limbs get radiation after surgery, the order ACS calls most common (for
            a limb the plan says that many centres give it before surgery); the retroperitoneum,
            recurrences, stage IV and sites without a stage group get no radiation unless it is
            chosen, nor does a stage word alone where the default depends on the site it does not
            give (IIIB with lymph node spread is retroperitoneal, and planned as such).
        chemotherapy: ``"before"`` surgery, ``"after"`` surgery, or ``"none"``.
        resectable: whether surgery can remove all the cancer. None (the default) means yes, except
            with distant metastasis, where it means no: metastatic disease is planned as systemic
            therapy unless you say that the primary tumour and every metastasis can be removed
            (True); then the plan shows surgery of the primary and of the lung metastases, with
            chemotherapy or radiation only where you choose them.
        nodes, recurrent, metastasis: as for :func:`treatment_options`.
        drug: the drug the team chose (a name in ``datasets/drugs.csv``, e.g. ``"tazemetostat"``),
            or None. It names the systemic therapy phase (or a chemotherapy phase, for a
            chemotherapy drug, which keeps its own caveats) with what the reference says of it; a
            targeted drug or immunotherapy named with chemotherapy chosen gets its own phase after
            the chemotherapy; an adjustment says when it is not on the PDQ list for the situation.

    Returns:
        A :class:`TreatmentPlan` whose phases carry weeks from the start of treatment where the
        reference gives durations, and whose ``adjustments`` say what was changed and why.

    Raises:
        ValueError: an unknown choice or drug, or radiation both before and after surgery.
    """
    if radiation == "both":
        raise ValueError(
            "radiation='both' cannot be planned: choose 'before', 'after' or 'none'. The reference gives a dose "
            "for radiation before surgery (50 Gy) or after it (60-66 Gy), not for a course split around surgery."
        )
    if radiation is not None:
        radiation = _checks.choice("radiation", radiation, _RADIATION)
    chemotherapy = _checks.choice("chemotherapy", chemotherapy, _CHEMO)
    if drug is not None:  # choice() compares words with '_' for spaces and hyphens ('nab-sirolimus')
        names = {name.lower().replace(" ", "_").replace("-", "_"): name for name in _systemic_drugs()}
        drug = names[_checks.choice("drug", drug, tuple(names), shown=tuple(names.values()))]
    found = _situation(result_or_stage, nodes, recurrent, metastasis)
    # all of a metastatic patient's disease is removable only when the user says so
    resectable = not found.metastasis if resectable is None else _checks.boolean("resectable", resectable)
    why_list = found.explanation
    path = _path(found, resectable)["path"]
    if found.situation == "no_stage_group" and not found.other_readings:
        why_list += " Without a stage group the plan is decided by the histology and the team, not by a stage list" + (
            ": the sequence below keeps your choices in the usual order of treatment." if path == "local" else "."
        )
    chosen: list[str] = []
    radiation_chosen = radiation is not None
    if radiation is None:
        default = _rule(found, "any", "radiation", "default")
        radiation = default["timing"] if default else "none"
        if default and path in ("local", "remove_all", "neoadjuvant"):
            chosen.append(default["note"])  # said where the plan has an operation for radiation to go around
    ids, adjustments = _sequence(found, radiation, chemotherapy, resectable, radiation_chosen)
    adjustments = chosen + adjustments
    if drug is not None and _systemic_drugs()[drug]["modality"] != "chemotherapy" and "chemo_systemic" in ids:
        ids.insert(ids.index("chemo_systemic") + 1, "drug_systemic")  # the chemotherapy chosen, then the drug

    phases: list[Phase] = []
    start = latest = 0.0
    for phase_id in ids:
        row = _phase_rows()[phase_id]
        low, high = _number(row["min_weeks"]), _number(row["max_weeks"])
        end, latest_end = start + low, latest + high
        note, why, source = _phase_text(phase_id, row, found.site)
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
                note=note,
                why=why,
                source=source,
            )
        )
        start, latest = end, latest_end
    if drug is not None:
        phases = _place_drug(drug, ids, phases, found, adjustments)
    order = " -> ".join(p.phase.lower() for p in phases)
    explanation = f"{why_list} Sequence: {order}." + (f" {' '.join(adjustments)}" if adjustments else "")
    return TreatmentPlan(found.situation, tuple(phases), tuple(adjustments), explanation, drug)
