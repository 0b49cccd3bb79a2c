"""Reference catalogs as pandas tables: drugs, modalities, histologies, risk factors, tests, survival.

Each loader returns a fresh copy of a validated table from ``datasets/`` with its columns typed
(booleans as bool, numbers as numbers, missing cells as ``<NA>``). Every row has a ``source``.
"""

from __future__ import annotations

import pandas as pd

from sarcoma_edu.data import load_table

__all__ = [
    "load_drugs",
    "load_histologies",
    "load_modalities",
    "load_risk_factors",
    "load_survival",
    "load_tests",
]


def _typed(name: str, *, flags: tuple[str, ...] = (), numbers: tuple[str, ...] = ()) -> pd.DataFrame:
    frame = load_table(name).copy()
    for column in flags:
        frame[column] = frame[column] == "true"
    for column in numbers:
        frame[column] = pd.to_numeric(frame[column].replace("", None)).astype("Int64")
    text = [c for c in frame.columns if c not in flags + numbers]
    frame[text] = frame[text].replace("", None).astype("string")
    return frame


def load_drugs() -> pd.DataFrame:
    """Drugs used or studied in soft tissue sarcoma (27 rows).

    Columns: ``name``, ``brand``, ``drug_class`` (cytotoxic, tyrosine kinase inhibitor, EZH2
    inhibitor, mTOR inhibitor, PD-1, PD-L1, CTLA-4, T-cell therapy, protective),
    ``modality``, ``how_it_works``, ``indication``, ``route_schedule``, ``side_effects``,
    ``status`` (standard, approved for a subtype, in clinical trials), ``approval_year`` (FDA,
    where the reference gives it), ``source`` (ACS 2018/2024, PDQ).

    Example:
        >>> load_drugs().set_index("name").loc["tazemetostat", "approval_year"]
        2020
    """
    return _typed("drugs.csv", numbers=("approval_year",))


def load_modalities() -> pd.DataFrame:
    """Surgery procedures, margins, radiation types and combined treatments (18 rows).

    Columns: ``name``, ``category`` (surgery procedure, margin, radiation type, ...),
    ``modality``, ``description``, ``source`` (PDQ-PT 2023, ACS 2018).
    """
    return _typed("modalities.csv")


def load_histologies() -> pd.DataFrame:
    """Histologies the lessons name (13 rows).

    Columns: ``histology`` (identifier), ``label``, ``scare`` (one of the subtypes with more
    frequent lymph node spread), ``high_grade_by_definition``, ``differentiation_score``
    (FNCLCC example score, where given), ``extra_staging``, ``source``.
    """
    return _typed("histologies.csv", flags=("scare", "high_grade_by_definition"), numbers=("differentiation_score",))


def load_risk_factors() -> pd.DataFrame:
    """Inherited syndromes (with their genes) and other risk factors (10 rows).

    Columns: ``factor``, ``kind`` (inherited syndrome, other), ``gene``, ``note``, ``source``.
    """
    return _typed("risk_factors.csv")


def load_tests() -> pd.DataFrame:
    """Biopsy types, tissue tests, staging tests and histology-specific extra staging (17 rows).

    Columns: ``name``, ``kind`` (biopsy, tissue test, staging test, extra staging),
    ``histology`` (for extra staging: histology identifiers joined by '|'), ``description``,
    ``source``.
    """
    return _typed("tests.csv")


def load_survival() -> pd.DataFrame:
    """SEER 5-year relative survival by SEER summary stage, people diagnosed 2010-2016 (4 rows).

    These are population figures by SEER stage (localized, regional, distant), not by AJCC stage.
    Columns: ``seer_stage``, ``description``, ``five_year_relative_survival_pct``,
    ``years_diagnosed``, ``source``.
    """
    return _typed("survival_seer.csv", numbers=("five_year_relative_survival_pct",))
