"""Reference catalogs as pandas tables: drugs, modalities, histologies, risk factors, tests, survival.

Each loader returns a fresh copy of a validated table from ``datasets/`` with its columns typed
(booleans as bool, numbers as numbers, missing cells as ``<NA>``). Every row has a ``source``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import pandas as pd

from sarcoma_edu.clinical.provenance import read_whole
from sarcoma_edu.clinical.tables import DatasetError, load_table

__all__ = [
    "drug_safety",
    "drug_status_words",
    "load_drugs",
    "load_histologies",
    "load_modalities",
    "load_risk_factors",
    "load_survival",
    "load_tests",
]


def _typed(name: str, *, flags: tuple[str, ...] = (), numbers: tuple[str, ...] = ()) -> pd.DataFrame:
    """A fresh copy of a table with its columns typed; the whole table is recorded as read."""
    read_whole(name)
    return _typed_once(name, flags, numbers).copy()


@functools.cache
def _typed_once(name: str, flags: tuple[str, ...], numbers: tuple[str, ...]) -> pd.DataFrame:
    frame = load_table(name).copy()
    for column in flags:
        frame[column] = frame[column] == "true"
    for column in numbers:
        frame[column] = pd.to_numeric(frame[column].replace("", None)).astype("Int64")
    text = [c for c in frame.columns if c not in flags + numbers]
    frame[text] = frame[text].replace("", None).astype("string")
    return frame


def load_drugs() -> pd.DataFrame:
    """Drugs used or studied in soft tissue sarcoma, with what a nurse watches for (27 rows).

    Columns: ``name``, ``brand``, ``drug_class`` (cytotoxic, tyrosine kinase inhibitor, EZH2
    inhibitor, mTOR inhibitor, PD-1, PD-L1, CTLA-4, T-cell therapy, protective), ``modality``,
    ``how_it_works``, ``indication``, ``route_schedule``, ``side_effects`` (the common ones),
    ``watch_for`` (the drug's own serious harms), ``monitoring`` (what is given, checked or limited
    because of them), ``status`` (one of :data:`~sarcoma_edu.clinical.vocabulary.DRUG_STATUSES`),
    ``status_note`` (the status in plain words), ``approval_agency`` (FDA), ``approval_year``,
    ``approval_basis`` (one of :data:`~sarcoma_edu.clinical.vocabulary.APPROVAL_BASES`),
    ``approved_for``, ``source`` (every source the row's claims come from).

    An ``approved`` row names its agency, what it is approved for, and either the year
    (``approval``) or why there is none (``label``: the label includes the use; ``approval, year
    not given``); any other row leaves those columns empty.

    Raises:
        DatasetError: a row breaks one of these rules (the message names the file, row and column).

    Example:
        >>> load_drugs().set_index("name").loc["tazemetostat", "approval_year"]
        2020
    """
    _check_approvals(load_table("drugs.csv"))
    return _typed("drugs.csv", numbers=("approval_year",))


_APPROVAL_COLUMNS = ("approval_agency", "approval_basis", "approved_for")


def _check_approvals(table: pd.DataFrame) -> None:
    """Raise DatasetError for an approval claim without its agency, year or scope, or one on an unapproved drug."""
    for number, row in enumerate(table.to_dict("records"), start=2):  # row 1 is the header
        where = f"drugs.csv, row {number} ({row['name']})"
        if row["status"] != "approved":
            filled = [c for c in (*_APPROVAL_COLUMNS, "approval_year") if row[c]]
            if filled:
                raise DatasetError(
                    f"{where}, column {filled[0]!r}: {row[filled[0]]!r} is given, but the status is "
                    f"{row['status']!r}; approval details belong only to a drug whose status is 'approved'"
                )
            continue
        for column in _APPROVAL_COLUMNS:
            if not row[column]:
                raise DatasetError(f"{where}, column {column!r}: the cell is empty; an approved drug names it")
        if (row["approval_basis"] == "approval") != bool(row["approval_year"]):
            problem = "is empty" if row["approval_basis"] == "approval" else f"is {row['approval_year']!r}"
            raise DatasetError(
                f"{where}, column 'approval_year': the year {problem}, but the approval basis is "
                f"{row['approval_basis']!r}; 'approval' needs the year the reference gives, and "
                "'label' or 'approval, year not given' must leave it empty rather than guess one"
            )


def drug_status_words(row: Mapping[str, object], short: bool = False) -> str:
    """A drug's US status in plain words, saying what an approval is for (a row of ``drugs.csv``).

    Args:
        row: the drug's row (text cells, or :func:`load_drugs` cells, where missing cells are ``<NA>``).
        short: only the status and the year, e.g. ``"approved, FDA 2020"``.

    Example:
        >>> drug_status_words(load_drugs().set_index("name").loc["tazemetostat"].to_dict() | {"name": "tazemetostat"})
        'approved (FDA 2020) for epithelioid sarcoma that cannot be fully removed'
    """
    cell = {k: "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v) for k, v in row.items()}
    note, status = cell.get("status_note", ""), cell["status"]
    if status != "approved":
        lowered = note if note[1:2].isupper() else note[:1].lower() + note[1:]  # keep 'PDQ-PT' as it is
        return status if short or not note else f"{status}: {lowered}"
    agency, year, basis = cell["approval_agency"], cell["approval_year"], cell["approval_basis"]
    if basis == "label":
        words = f"approved: its {agency} label includes {cell['approved_for']} (the reference gives no year)"
        return f"approved, {agency} label" if short else words
    when = f" {year}" if year else ", year not given"
    if short:
        return f"approved, {agency}{when}"
    words = f"approved ({agency}{when}) for {cell['approved_for']}"
    return f"{words}. {note}" if note and not note.startswith("Approved") else words


def drug_safety() -> pd.DataFrame:
    """What to watch for with each drug that has its own serious harms, and what is done about them.

    Returns:
        One row per drug with a ``watch_for`` entry (doxorubicin, ifosfamide, pazopanib,
        tazemetostat, the checkpoint inhibitors, afami-cel), in the catalog's order, with columns
        ``name``, ``watch_for``, ``monitoring``, ``us_status`` (the status in words, with what an
        approval is for: :func:`drug_status_words`) and ``source``, and a plain 0..n-1 index.

    Example:
        >>> drug_safety().name.tolist()[:2]
        ['doxorubicin', 'ifosfamide']
    """
    drugs = load_drugs()
    table = drugs[drugs.watch_for.notna()].copy()
    table["us_status"] = [drug_status_words(row) for row in table.to_dict("records")]
    return table[["name", "watch_for", "monitoring", "us_status", "source"]].reset_index(drop=True)


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
