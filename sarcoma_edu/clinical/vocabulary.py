"""The closed word lists that the rule tables and the rules share.

A site, a stage group, a T category, a treatment situation, a kind of plan, a modality, a drug's
US status: each is one of a fixed set of words. The table checks (:mod:`sarcoma_edu.clinical.table_schemas`)
refuse a cell outside the set and the rules (staging, treatment, the drug catalog) name the same
set in their messages, so both read it here. This module imports nothing: it is the floor of
``clinical``.
"""

from __future__ import annotations

__all__ = [
    "APPROVAL_BASES",
    "DRUG_STATUSES",
    "EXTENTS",
    "MODALITIES",
    "PLAN_PATHS",
    "SITES",
    "SITUATIONS",
    "STAGES",
    "STAGE_GROUPS",
    "STAGE_WORDS",
    "T_CATEGORIES",
    "T_CODES",
]

# the anatomic sites of AJCC 8th edition soft tissue sarcoma staging
SITES: tuple[str, ...] = ("trunk", "extremity", "retroperitoneum", "head_and_neck", "visceral")
# the AJCC 8 stage groups with their letters, lowest first (trunk, extremity and retroperitoneum only)
STAGES: tuple[str, ...] = ("IA", "IB", "II", "IIIA", "IIIB", "IV")
# every group staging gives: STAGES, and stage I without its letter for a tumour of unknown size (TX) that every
# size would put in IA or IB (low grade or grade unknown, no spread), as SEER's staging algorithm gives it
STAGE_GROUPS: tuple[str, ...] = ("IA", "IB", "I", "II", "IIIA", "IIIB", "IV")
# the AJCC 8 T categories of every site, and TX when T cannot be set from what is given
T_CATEGORIES: tuple[str, ...] = ("T1", "T2", "T2a", "T2b", "T3", "T4", "T4a", "T4b", "T4c")
T_CODES: tuple[str, ...] = (*T_CATEGORIES, "TX")
# the words that set a T category by extent, not size (head and neck T4; every visceral T)
EXTENTS: tuple[str, ...] = (
    "invades_adjoining_t4a",
    "invades_adjoining_t4b",
    "organ_confined",
    "serosa",
    "beyond_serosa",
    "another_organ",
    "multifocal",
)
# the stage words a treatment question accepts: the stage groups and the PDQ headings' I and III
STAGE_WORDS: tuple[str, ...] = ("IA", "IB", "I", "II", "IIIA", "IIIB", "III", "IV")
# the PDQ treatment lists (datasets/treatment_situations.csv)
SITUATIONS: tuple[str, ...] = (
    "stage_I",
    "stage_II_III_N0",
    "stage_III_N1",
    "stage_IV",
    "recurrent",
    "no_stage_group",
)
# the kinds of plan (datasets/plan_paths.csv): what a situation gets when all of the cancer can or cannot be removed
PLAN_PATHS: tuple[str, ...] = (
    "local",
    "remove_all",
    "systemic",
    "systemic_recurrence",
    "neoadjuvant",
    "definitive_radiation",
    "main_radiation",
)
MODALITIES: tuple[str, ...] = (
    "surgery",
    "radiation",
    "chemotherapy",
    "targeted therapy",
    "immunotherapy",
    "clinical trial",
)
# what the clinical reference (section 5b) says of a drug's US status for soft tissue sarcoma
DRUG_STATUSES: tuple[str, ...] = (
    "approved",
    "off-label",
    "might help; not approved for soft tissue sarcoma",
    "being studied",
    "supportive",
)
APPROVAL_BASES: tuple[str, ...] = ("approval", "approval, year not given", "label")
