"""The order of a treatment plan: which phases a patient gets, and the notes on the choices made.

The kind of plan comes from ``datasets/plan_paths.csv`` (:func:`plan_path`): surgery with
radiation and chemotherapy around it, surgery of every metastasis too, systemic therapy,
treatment before surgery for a tumour that cannot be removed yet, or radiation as the main
treatment, the same at every site. What becomes of the radiation and
chemotherapy chosen, and the note that says why, comes from ``datasets/plan_rules.csv``
(:func:`plan_rule`). :func:`sequence` turns them into the phase ids of
``datasets/sequencing_phases.csv`` in order, which the planner
(:mod:`sarcoma_edu.clinical.planner`) places in weeks.
"""

from __future__ import annotations

from sarcoma_edu.clinical.provenance import looked_up
from sarcoma_edu.clinical.situations import Situation
from sarcoma_edu.clinical.table_columns import matches
from sarcoma_edu.clinical.tables import table_rows
from sarcoma_edu.clinical.treatment import pdq_options
from sarcoma_edu.clinical.treatment_plan import phase_rows

__all__ = ["phase_row", "plan_path", "plan_rule", "sequence"]

# the phase of a plan whose main treatment is radiation because the tumour cannot be removed
_MAIN_RADIATION = {"definitive_radiation": "rt_definitive", "main_radiation": "rt_main"}


def phase_row(phase_id: str) -> dict[str, str]:
    """The row of ``sequencing_phases.csv`` of one phase of a plan, by its ``phase_id``."""
    row = phase_rows()[phase_id]
    looked_up("sequencing_phases.csv", row)
    return row


def plan_rule(found: Situation, path: str, modality: str, action: str, timing: str | None = None) -> dict | None:
    """The first row of ``plan_rules.csv`` that fits the patient, the kind of plan, the choice and the action.

    Rows are in order, the most particular first (a site, stage, grade or reading before the general row).
    A row whose site is ``any`` is for a patient given by a stage word alone, whose site is not known. A row
    with a ``reading`` is for a patient who can be read under that PDQ list (a site without a stage group read
    as stage IV for distant metastasis, or as stage III with lymph node spread), so such a patient's plan says
    what the list it is planned by says, as at a site with stage groups.
    The returned row's ``note`` carries its ``limb_note`` for a limb tumour.
    """
    for row in table_rows("plan_rules.csv"):
        if (
            matches(row["situation"], found.situation)
            and row["site"] in ("", found.site)
            and row["stage"] in ("", found.stage)
            and (row["grade"] == "" or (found.grade or "") in row["grade"].split("|"))
            and row["reading"] in ("", found.situation, *found.other_readings)
            and matches(row["path"], path)
            and row["modality"] == modality
            and row["action"] == action
            and (timing is None or timing in row["timing"].split("|"))
        ):
            looked_up("plan_rules.csv", row)
            if row["limb_note"] and found.limb:
                return {**row, "note": f"{row['note']} {row['limb_note']}"}
            return row
    looked_up("plan_rules.csv")  # no row: none fits, which rests on the whole table
    return None


def plan_path(found: Situation, resectable: bool) -> dict[str, str]:
    """The row of ``plan_paths.csv`` for this patient: which kind of plan, and why."""
    n, m = ("N1" if found.nodes else "N0"), ("M1" if found.metastasis else "M0")
    for row in table_rows("plan_paths.csv"):
        if (
            matches(row["situation"], found.situation)
            and matches(row["n"], n)
            and matches(row["m"], m)
            and (row["resectable"] == "true") == resectable
        ):
            looked_up("plan_paths.csv", row)
            return row
    raise ValueError(  # the table covers every patient; a hand edit that breaks that is named here
        f"plan_paths.csv has no row for {found.situation}, {n}, {m}, resectable={resectable}; "
        "expected a row for every situation, node and metastasis status"
    )


def _local(found: Situation, path: str, radiation: str, chemotherapy: str, notes: list[str]) -> list[str]:
    """Phase ids for treatment of the tumour by surgery, with radiation and chemotherapy around it.

    The surgery removes the lymph nodes too when they hold cancer (ACS, at every site). On the
    ``neoadjuvant`` path (a node-positive tumour that cannot be removed yet) something is always
    given before surgery, and the tumour is restaged before the operation.
    """
    offered = {m for o in pdq_options(found.situation) for m in o.modalities}
    if chemotherapy != "none":
        kept = plan_rule(found, path, "chemotherapy", "keep", chemotherapy)
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


def _systemic(found: Situation, path: str, radiation: str, chemotherapy: str, notes: list[str]) -> list[str]:
    """Phase ids when surgery cannot remove all the cancer: systemic therapy, as the PDQ list says."""
    if chemotherapy != "none":
        notes.append(plan_rule(found, path, "chemotherapy", "keep", chemotherapy)["note"])
        ids = ["chemo_systemic"]
    else:
        ids = ["systemic_recurrent" if found.situation == "recurrent" else "systemic_metastatic"]
    if radiation != "none":
        kept = plan_rule(found, path, "radiation", "keep", radiation)
        if kept is not None:
            notes.append(kept["note"])
            # 'not part of a plan to cure' is said only where the cancer has spread to distant sites
            ids.append("rt_palliative" if found.metastasis else "rt_palliative_local")
        else:
            notes.append(plan_rule(found, path, "radiation", "left_out", radiation)["note"])
    return ids


def sequence(
    found: Situation, radiation: str, chemotherapy: str, resectable: bool, radiation_chosen: bool = True
) -> tuple[list[str], list[str]]:
    """Return the phase ids in order and the adjustments made to the choices.

    Where radiation is the main treatment (the tumour cannot be removed), a radiation choice the user made
    (before, after or no radiation) is not silently replaced: a note says what became of it.
    """
    chosen = plan_path(found, resectable)
    path, notes = chosen["path"], [chosen["note"]] if chosen["note"] else []
    if path == "remove_all":
        if radiation != "none":
            notes.append(plan_rule(found, path, "radiation", "keep", radiation)["note"])
        return [*_local(found, path, radiation, chemotherapy, notes), "surgery_metastases", "follow_up"], notes
    if path in ("systemic", "systemic_recurrence"):
        return [*_systemic(found, path, radiation, chemotherapy, notes), "follow_up"], notes
    if path in _MAIN_RADIATION:
        main = _MAIN_RADIATION[path]
        if radiation_chosen:
            notes.append(plan_rule(found, path, "radiation", "main", radiation)["note"])
        if chemotherapy != "none":  # a row that leaves it out (stage I, a low grade) comes before one that keeps it
            left_out = plan_rule(found, path, "chemotherapy", "left_out", chemotherapy)
            kept = None if left_out else plan_rule(found, path, "chemotherapy", "keep", chemotherapy)
            notes.append((left_out or kept)["note"])
            main = "chemoradiation_main" if kept else main
        return [main, "follow_up"], notes
    if radiation != "none":  # a note where a list says something of radiation around its operation (a recurrence)
        kept = plan_rule(found, path, "radiation", "keep", radiation)
        notes += [kept["note"]] if kept else []
    return [*_local(found, path, radiation, chemotherapy, notes), "follow_up"], notes
