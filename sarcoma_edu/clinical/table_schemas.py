"""The rules each table in ``datasets/`` must keep: its columns and what their cells may hold.

:data:`SCHEMAS` gives, for every table file, its columns in order as
:class:`~sarcoma_edu.clinical.table_columns.Column` records: whether a cell may be empty and which
words or numbers it allows (the words from :mod:`sarcoma_edu.clinical.vocabulary`, so a table and
the rule that reads it name the same set). :func:`sarcoma_edu.clinical.tables.load_table` checks
every table against its entry the first time it is loaded. A new table gets its entry here.
"""

from __future__ import annotations

import re

from sarcoma_edu.clinical.table_columns import (
    BOOL,
    INTEGER,
    NUMBER,
    PERCENT,
    Column,
    alternatives,
    column,
    joined,
    one_of,
)
from sarcoma_edu.clinical.vocabulary import (
    APPROVAL_BASES,
    DRUG_STATUSES,
    EXTENTS,
    MODALITIES,
    PLAN_PATHS,
    SITES,
    SITUATIONS,
    STAGE_GROUPS,
    STAGE_WORDS,
    T_CATEGORIES,
)

__all__ = ["SCHEMAS"]

_G = ("G1", "G2", "G3", "GX")
_SITUATION = one_of(SITUATIONS)
_ROUTES = one_of(("tissue", "lymph", "blood"))


def _scope(v: str) -> bool:
    """A spread row's scope: 'all', or 'site:NAME' and/or 'histology:NAME' joined by '&' (NAME may start with '!')."""
    if v == "all":
        return True
    parts = [part.partition(":") for part in v.split("&")]
    return all(kind in ("site", "histology") and bool(name.removeprefix("!")) for kind, _, name in parts)


def _kebab(v: str) -> bool:
    return bool(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", v))


def _lesson(v: str) -> bool:
    return bool(re.fullmatch(r"[0-9]{2}_[a-z0-9_]+", v))


SCHEMAS: dict[str, tuple[Column, ...]] = {
    "sites.csv": (
        column("name"),
        column("site", one_of(SITES)),
        column("label"),
        column("has_stage_groups", BOOL),
        column("source"),
    ),
    "ajcc8_t_categories.csv": (
        column("site", one_of(SITES)),
        column("t", one_of(T_CATEGORIES)),
        column("by_size", BOOL),
        column("size_above_cm", NUMBER, required=False),
        column("size_up_to_cm", NUMBER, required=False),
        column("extent", one_of(EXTENTS), required=False),
        column("sites_from", INTEGER, required=False),
        column("sites_to", INTEGER, required=False),
        column("definition"),
        column("plain_words"),
        column("edition"),
        column("source"),
    ),
    "ajcc8_stage_groups.csv": (
        column("site", one_of(("trunk", "extremity", "retroperitoneum"))),
        column("stage", one_of(STAGE_GROUPS)),
        column("t", alternatives(("T1", "T2", "T3", "T4", "TX"))),
        column("n", alternatives(("N0", "N1"))),
        column("m", alternatives(("M0", "M1"))),
        column("g", alternatives(_G)),
        column("pdq_wording"),
        column("note", required=False),
        column("edition"),
        column("source"),
    ),
    "grade_terms.csv": (
        column("term"),
        column("g", one_of(_G)),
        column("plain_words"),
        column("source"),
    ),
    "fnclcc_scores.csv": (
        column("component", one_of(("differentiation", "mitoses", "necrosis"))),
        column("score", INTEGER),
        column("lowest", NUMBER),
        column("lowest_included", BOOL),
        column("highest", NUMBER, required=False),
        column("highest_included", BOOL),
        column("description"),
        column("source"),
    ),
    "cohort_parameters.csv": (
        column("parameter"),
        column("value"),
        column("basis", one_of(("reference", "assumption"))),
        column("note"),
        column("source"),
    ),
    "teaching_cohort.csv": (
        column("patient_id"),
        column("site", one_of(SITES)),
        column("histology", required=False),
        column("size_cm", NUMBER),
        column("grade", one_of(_G)),
        column("nodes", BOOL),
        column("metastasis", BOOL),
        column("age", INTEGER),
        column("source"),
    ),
    "site_distribution.csv": (
        column("site_group"),
        column("percent", PERCENT),
        column("approximate", BOOL),
        column("source"),
    ),
    "treatment_stage_map.csv": (
        column("stage", one_of((*STAGE_WORDS, "none"))),
        column("n", alternatives(("N0", "N1"))),
        column("m", alternatives(("M0", "M1"))),
        column("g", joined(_G), required=False),
        column("situation", _SITUATION),
        column("site", joined(SITES), required=False),
        column("other_readings", joined(SITUATIONS), required=False),
        column("note", required=False),
        column("source"),
    ),
    "surgical_margins.csv": (
        column("site", one_of((*SITES, "any"))),
        column("margin_aim"),
        column("source"),
    ),
    "plan_rules.csv": (
        column("situation", alternatives(SITUATIONS)),
        column("site", one_of((*SITES, "any")), required=False),
        column("stage", one_of(STAGE_WORDS), required=False),
        column("grade", joined(_G), required=False),
        column("reading", one_of(SITUATIONS), required=False),
        column("path", alternatives(PLAN_PATHS)),
        column("modality", one_of(("radiation", "chemotherapy", "surgery", "clinical trial"))),
        column("timing", joined(("before", "after", "none", "primary"))),
        column("action", one_of(("default", "keep", "left_out", "drug", "main", "timing"))),
        column("note"),
        column("limb_note", required=False),
        column("source"),
    ),
    "plan_paths.csv": (
        column("situation", alternatives(SITUATIONS)),
        column("n", alternatives(("N0", "N1"))),
        column("m", alternatives(("M0", "M1"))),
        column("resectable", BOOL),
        column("path", one_of(PLAN_PATHS)),
        column("note", required=False),
        column("source"),
    ),
    "treatment_situations.csv": (
        column("situation", _SITUATION),
        column("pdq_heading"),
        column("source"),
    ),
    "treatment_options.csv": (
        column("situation", _SITUATION),
        column("order", INTEGER),
        column("modalities", joined(MODALITIES)),
        column("timings", joined(("neoadjuvant", "primary", "adjuvant", "unresectable"))),
        column("description"),
        column("drugs", required=False),
        column("source"),
    ),
    "spread_routes.csv": (column("route", _ROUTES), column("label"), column("description"), column("source")),
    "spread_patterns.csv": (
        column("destination"),
        column("route", _ROUTES),
        column(
            "scope",
            (
                "'all', or 'site:NAME' and/or 'histology:NAME' joined by '&' ('site:!NAME': every site but NAME)",
                _scope,
            ),
        ),
        column("statement"),
        column("value_pct", PERCENT, required=False),
        column("value_low_pct", PERCENT, required=False),
        column("value_high_pct", PERCENT, required=False),
        column("approximate", BOOL),
        column("source"),
    ),
    "histologies.csv": (
        column("histology"),
        column("label"),
        column("scare", BOOL),
        column("high_grade_by_definition", BOOL),
        column("differentiation_score", one_of(("1", "2", "3")), required=False),
        column("extra_staging", required=False),
        column("source"),
    ),
    "modalities.csv": (
        column("name"),
        column("category"),
        column("modality", ("modalities joined by '|', or 'any'", lambda v: v == "any" or joined(MODALITIES)[1](v))),
        column("description"),
        column("source"),
    ),
    "drugs.csv": (
        column("name"),
        column("brand", required=False),
        column(
            "drug_class",
            one_of(
                (
                    "cytotoxic",
                    "protective",
                    "tyrosine kinase inhibitor",
                    "EZH2 inhibitor",
                    "mTOR inhibitor",
                    "PD-1",
                    "PD-L1",
                    "CTLA-4",
                    "T-cell therapy",
                )
            ),
        ),
        column("modality", one_of(MODALITIES)),
        column("how_it_works"),
        column("indication"),
        column("route_schedule", required=False),
        column("side_effects", required=False),
        column("watch_for", required=False),
        column("monitoring", required=False),
        column("status", one_of(DRUG_STATUSES)),
        column("status_note", required=False),
        column("approval_agency", one_of(("FDA",)), required=False),
        column("approval_year", INTEGER, required=False),
        column("approval_basis", one_of(APPROVAL_BASES), required=False),
        column("approved_for", required=False),
        column("source"),
    ),
    "risk_factors.csv": (
        column("factor"),
        column("kind", one_of(("inherited syndrome", "other"))),
        column("gene", required=False),
        column("note", required=False),
        column("source"),
    ),
    "tests.csv": (
        column("name"),
        column("kind", one_of(("biopsy", "tissue test", "staging test", "extra staging"))),
        column("histology", required=False),
        column("description"),
        column("source"),
    ),
    "survival_seer.csv": (
        column("seer_stage", one_of(("localized", "regional", "distant", "all stages"))),
        column("description"),
        column("five_year_relative_survival_pct", PERCENT),
        column("years_diagnosed"),
        column("source"),
    ),
    "sequencing_phases.csv": (
        column("phase_id"),
        column("phase"),
        column("modality", one_of((*MODALITIES, "none", "follow-up"))),
        column(
            "timing",
            one_of(("neoadjuvant", "primary", "adjuvant", "unresectable", "palliative", "gap", "follow-up")),
        ),
        column("min_weeks", NUMBER, required=False),
        column("max_weeks", NUMBER, required=False),
        column("uncertain", BOOL),
        column("dose", required=False),
        column("note"),
        column("why", required=False),
        column("limb_why", required=False),
        column("source"),
    ),
    "objectives.csv": (
        column("id", ("kebab-case: lower-case letters, digits and single hyphens", _kebab)),
        column("lesson", ("a lesson name such as 03_staging", _lesson)),
        column("objective"),
        column("kind", one_of(("recall", "apply", "analyse"))),
        column("assessed_by", one_of(("quiz", "case", "exercise", "none"))),
        column("source"),
    ),
    "glossary.csv": (
        column("term"),
        column("also", required=False),  # other forms of the term found in the lessons, separated by "|"
        column("definition"),
        column("source"),
    ),
    "sources.csv": (
        column("key"),
        column("citation"),
        column("date", required=False),
        column("where"),
    ),
    "fnclcc_grades.csv": (
        column("total_from", INTEGER),
        column("total_to", INTEGER),
        column("grade", one_of(("1", "2", "3"))),
        column("g", one_of(("G1", "G2", "G3"))),
        column("label", one_of(("low", "mid", "high"))),
        column("plain_words"),
        column("source"),
    ),
}
