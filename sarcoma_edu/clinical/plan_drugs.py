"""The drug a team chose, named in the treatment plan with what the reference says of it.

The drugs a plan can name are those of ``datasets/drugs.csv`` that treat the sarcoma itself
(:func:`systemic_drugs`; supportive drugs are not a treatment phase). :func:`place_drug` names
the chosen drug in the phase that gives it: any drug as systemic therapy, a chemotherapy drug
also before or after surgery or with radiation, keeping that phase's own caveats. Its words (its
class, how it works, its use, how it is given, its US status) come from the drug table, and a
note says when the drug is not on the PDQ list for the patient's situation.
"""

from __future__ import annotations

import dataclasses
import functools

from sarcoma_edu.clinical.catalog import drug_status_words
from sarcoma_edu.clinical.plan_sequence import phase_row, plan_rule
from sarcoma_edu.clinical.provenance import looked_up
from sarcoma_edu.clinical.situations import Situation
from sarcoma_edu.clinical.tables import table_rows
from sarcoma_edu.clinical.treatment import pdq_heading, pdq_options
from sarcoma_edu.clinical.treatment_plan import Phase

__all__ = ["place_drug", "systemic_drugs"]


@functools.cache
def systemic_drugs() -> dict[str, dict[str, str]]:
    """The drugs a plan can name (every drug of ``drugs.csv`` that treats the sarcoma itself)."""
    return {row["name"]: row for row in table_rows("drugs.csv") if row["status"] != "supportive"}


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


def _drug_phase(drug: str, found: Situation, phase: Phase, phase_id: str, notes: list[str]) -> Phase:
    """The phase that gives the drug the case chose, named by it, with what the reference says of it.

    Chemotherapy before or after surgery (or with radiation) keeps its own note, whose caveat (the
    benefit around surgery is uncertain; 'first line' is a rule for advanced disease) holds for any
    drug, and a note says so; a systemic therapy phase is the drug's own.
    """
    row = systemic_drugs()[drug]
    name = f"{drug[0].upper()}{drug[1:]}"
    words = _drug_words(drug, row)
    if phase_id in _GIVEN_WITH_SURGERY_OR_RADIATION:
        note = f"{phase.note}. {words}"
    else:
        note = words + ("" if row["route_schedule"] else f". {phase_row('drug_systemic')['note']}")
    if phase_id in _AROUND_SURGERY:
        rule = plan_rule(found, "any", "chemotherapy", "drug", phase_id.removeprefix("chemo_"))
        use = _lower(row["indication"])
        notes.append(f"{name} is given as {phase.phase.lower()}; its use in the reference: {use}. {rule['note']}")
    if phase_id == "drug_systemic":
        notes.append(
            f"{name} is shown as its own phase after the chemotherapy you chose; beyond its use in the reference "
            f"({_lower(row['indication'])}), the reference gives no order for giving the two, so the team sets it."
        )
    readings = (found.situation, *found.other_readings)
    listed = [d for s in readings for item in pdq_options(s) for d in item.drugs]
    offered = {m for s in readings for item in pdq_options(s) for m in item.modalities}
    if readings == ("no_stage_group",):
        notes.append(
            f"Without a stage group no PDQ list names drugs: {drug} is the team's choice (its use in the reference: "
            f"{_lower(row['indication'])})."
        )
    elif drug not in listed and not (row["modality"] == "chemotherapy" and "chemotherapy" in offered):
        heading = pdq_heading(readings[-1])["pdq_heading"]
        named = " or ".join(dict.fromkeys(listed)) or "no drug by name"
        notes.append(
            f"{name} is not on the PDQ list '{heading}' (it names {named}); its use in the reference: "
            f"{_lower(row['indication'])}."
        )
    short = phase.phase.split(":")[0].split(" (")[0]
    source = "; ".join(dict.fromkeys(part.strip() for part in f"{phase.source}; {_plan_sources(row)}".split(";")))
    return dataclasses.replace(phase, phase=f"{short}: {drug}", modality=row["modality"], note=note, source=source)


# the phases that can give a drug: any drug as systemic therapy, a chemotherapy drug also with an operation or radiation
_DRUG_PHASES = ("systemic_metastatic", "systemic_recurrent", "drug_systemic")
_CHEMO_DRUG_PHASES = ("chemo_systemic", "systemic_metastatic", "systemic_recurrent", *_GIVEN_WITH_SURGERY_OR_RADIATION)


def place_drug(drug: str, ids: list[str], phases: list[Phase], found: Situation, notes: list[str]) -> list[Phase]:
    """Name the chosen drug in the phase that gives it; say so when the plan has no such phase."""
    row = systemic_drugs()[drug]
    looked_up("drugs.csv", row)
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
