"""The treatment planner: an ordered treatment sequence in time from a stage and a few choices.

:func:`plan_treatment` finds the patient's PDQ situation
(:mod:`sarcoma_edu.clinical.situations`), orders the phases by the kind of plan and the radiation
and chemotherapy chosen (:mod:`sarcoma_edu.clinical.plan_sequence`), places them in weeks from
the start of treatment with the durations the reference gives, adds the site's surgical margin
aim (``datasets/surgical_margins.csv``) to a surgery phase, names the drug chosen
(:mod:`sarcoma_edu.clinical.plan_drugs`), and returns a
:class:`~sarcoma_edu.clinical.treatment_plan.TreatmentPlan` that says what was changed and why.
"""

from __future__ import annotations

import functools
from typing import Literal

from sarcoma_edu.clinical.plan_drugs import place_drug, systemic_drugs
from sarcoma_edu.clinical.plan_sequence import phase_row, plan_path, plan_rule, sequence
from sarcoma_edu.clinical.provenance import looked_up
from sarcoma_edu.clinical.situations import Situation, find_situation
from sarcoma_edu.clinical.staging import StageResult
from sarcoma_edu.clinical.tables import table_rows
from sarcoma_edu.clinical.treatment import pdq_headings, pdq_options
from sarcoma_edu.clinical.treatment_plan import Phase, TreatmentPlan, weeks
from sarcoma_edu.common import checks as _checks

__all__ = ["plan_treatment"]

_RADIATION = ("before", "after", "none")
_CHEMO = ("before", "after", "none")
_SURGERY_PHASES = ("surgery", "surgery_nodes")
_SYSTEMIC_PATHS = ("systemic", "systemic_recurrence")  # nothing is operated on: the plan is the list's systemic options


@functools.cache
def _margins() -> dict[str, dict[str, str]]:
    return {row["site"]: row for row in table_rows("surgical_margins.csv")}


def _phase_text(phase_id: str, row: dict[str, str], found: Situation) -> tuple[str, str, str]:
    """The note, why and source of a phase; a surgery phase adds the site's margin aim, a limb the limb words."""
    why = f"{row['why']}. {row['limb_why']}" if row["limb_why"] and found.limb else row["why"]
    if phase_id not in _SURGERY_PHASES:
        return row["note"], why, row["source"]
    margin = _margins().get(found.site, _margins()["any"])
    looked_up("surgical_margins.csv", margin)
    sources = dict.fromkeys(part.strip() for part in f"{row['source']}; {margin['source']}".split(";"))
    return f"{row['note']}. {margin['margin_aim']}", why, "; ".join(sources)


def _offers_trial(found: Situation, path: str, drug: str | None) -> bool:
    """Whether the plan offers a clinical trial: all the systemic options of a patient's PDQ list that has a trial
    (a recurrence nothing is operated on), or a drug that a PDQ list names for a trial, wherever it is chosen."""
    has_trial = [s for s in pdq_headings() if any("clinical trial" in o.modalities for o in pdq_options(s))]
    trial_drugs = {d for s in has_trial for o in pdq_options(s) if "clinical trial" in o.modalities for d in o.drugs}
    readings = (found.situation, *found.other_readings)
    return (path in _SYSTEMIC_PATHS and any(s in has_trial for s in readings)) or drug in trial_drugs


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
    stage II-III and for a tumour without a stage group of grade G2 or G3; a stage I tumour, and
    one of low or unknown grade (G1 or GX, which the stage tables group together) without a stage group, gets
    radiation alone. Where the plan offers a clinical trial (a recurrence that nothing is operated on, or a drug
    that a PDQ list names for a trial), it says that trials can be entered before, during or after treatment.
    The notes and defaults come from ``datasets/plan_rules.csv``.

    Args:
        result_or_stage: as for :func:`~sarcoma_edu.clinical.treatment.treatment_options`.
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
        nodes, recurrent, metastasis: as for :func:`~sarcoma_edu.clinical.treatment.treatment_options`.
        drug: the drug the team chose (a name in ``datasets/drugs.csv``, e.g. ``"tazemetostat"``),
            or None. It names the systemic therapy phase (or a chemotherapy phase, for a
            chemotherapy drug, which keeps its own caveats) with what the reference says of it; a
            targeted drug or immunotherapy named with chemotherapy chosen gets its own phase after
            the chemotherapy; an adjustment says when it is not on the PDQ list for the situation.

    Returns:
        A :class:`~sarcoma_edu.clinical.treatment_plan.TreatmentPlan` whose phases carry weeks
        from the start of treatment where the reference gives durations, and whose
        ``adjustments`` say what was changed and why.

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
        names = {name.lower().replace(" ", "_").replace("-", "_"): name for name in systemic_drugs()}
        drug = names[_checks.choice("drug", drug, tuple(names), shown=tuple(names.values()))]
    found = find_situation(result_or_stage, nodes, recurrent, metastasis)
    # all of a metastatic patient's disease is removable only when the user says so
    resectable = not found.metastasis if resectable is None else _checks.boolean("resectable", resectable)
    why_list = found.explanation
    path = plan_path(found, resectable)["path"]
    if found.situation == "no_stage_group" and not found.other_readings:
        why_list += " Without a stage group the plan is decided by the histology and the team, not by a stage list" + (
            ": the sequence below keeps your choices in the usual order of treatment." if path == "local" else "."
        )
    chosen: list[str] = []
    radiation_chosen = radiation is not None
    if radiation is None:
        default = plan_rule(found, path, "radiation", "default")
        radiation = default["timing"] if default else "none"
        if default and path in ("local", "remove_all", "neoadjuvant"):
            chosen.append(default["note"])  # said where the plan has an operation for radiation to go around
    ids, adjustments = sequence(found, radiation, chemotherapy, resectable, radiation_chosen)
    adjustments = chosen + adjustments
    if drug is not None:
        looked_up("drugs.csv", systemic_drugs()[drug])
    if drug is not None and systemic_drugs()[drug]["modality"] != "chemotherapy" and "chemo_systemic" in ids:
        ids.insert(ids.index("chemo_systemic") + 1, "drug_systemic")  # the chemotherapy chosen, then the drug

    phases: list[Phase] = []
    start = latest = 0.0
    for phase_id in ids:
        row = phase_row(phase_id)
        low, high = weeks(row["min_weeks"]), weeks(row["max_weeks"])
        end, latest_end = start + low, latest + high
        note, why, source = _phase_text(phase_id, row, found)
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
        phases = place_drug(drug, ids, phases, found, adjustments)
    if _offers_trial(found, path, drug):  # when to ask about a trial, where the plan offers one
        adjustments.append(plan_rule(found, path, "clinical trial", "timing")["note"])
    order = " -> ".join(p.phase.lower() for p in phases)
    explanation = f"{why_list} Sequence: {order}." + (f" {' '.join(adjustments)}" if adjustments else "")
    return TreatmentPlan(found.situation, tuple(phases), tuple(adjustments), explanation, drug)
