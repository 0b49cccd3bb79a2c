"""Tumour grade: the AJCC/PDQ grade vocabulary and the FNCLCC scoring system.

The score bands and the total-to-grade bands are the tables ``datasets/fnclcc_scores.csv`` and
``datasets/fnclcc_grades.csv``; the grade words are ``datasets/grade_terms.csv``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Literal

from sarcoma_edu.clinical.provenance import looked_up
from sarcoma_edu.clinical.tables import load_table, table_rows
from sarcoma_edu.common import checks as _checks

__all__ = ["GRADE_CODES", "FnclccResult", "fnclcc", "grade_words", "normalize_grade"]

GradeCode = Literal["G1", "G2", "G3", "GX"]
GRADE_CODES: tuple[GradeCode, ...] = ("G1", "G2", "G3", "GX")
_GRADE_ALLOWED = "1, 2, 3, 'G1', 'G2', 'G3', 'GX', 'low', 'mid', 'intermediate', 'high', 'unknown' or None"
_MITOSES_ALLOWED = "a whole number of mitoses per 10 high-power fields, 0 or more"
FNCLCC_SOURCE = "FNCLCC: Trojani, Int J Cancer 1984; Coindre, Arch Pathol Lab Med 2006"


@functools.cache
def _grade_terms() -> dict[str, tuple[GradeCode, str, dict[str, str]]]:
    """Each grade word, lower case -> (its AJCC code, its plain words, its row of ``grade_terms.csv``)."""
    table = load_table("grade_terms.csv")
    return {row["term"].lower(): (row["g"], row["plain_words"], row) for row in table.to_dict("records")}


def _term(key: str) -> tuple[GradeCode, str, dict[str, str]]:
    found = _grade_terms()[key]
    looked_up("grade_terms.csv", found[2])
    return found


def normalize_grade(grade: object) -> GradeCode:
    """Turn any accepted way of writing a grade into its AJCC code.

    Args:
        grade: 1, 2 or 3; ``"G1"``, ``"G2"``, ``"G3"``, ``"GX"``; ``"low"``, ``"mid"``,
            ``"intermediate"``, ``"high"``, ``"unknown"`` (any case); or None for unknown.

    Returns:
        ``"G1"``, ``"G2"``, ``"G3"`` or ``"GX"``.

    Raises:
        TypeError: for a bool or another non-grade type.
        ValueError: for 0, 4, 2.5, ``"G4"``, ``"very high"`` and other values.
    """
    if grade is None:
        return "GX"
    terms = _grade_terms()
    if isinstance(grade, str):
        key = grade.strip().lower()
        if key in terms:
            return _term(key)[0]
        raise ValueError(f"grade={_checks.show(grade)} is not a grade; expected {_GRADE_ALLOWED}")
    number = _checks.whole_number("grade", grade, _GRADE_ALLOWED)
    if str(number) not in terms:
        raise ValueError(f"grade={_checks.show(grade)} is not a grade; expected {_GRADE_ALLOWED}")
    return _term(str(number))[0]


def grade_words(g: GradeCode) -> str:
    """Return the patient-version words for a grade code, e.g. ``"high grade"`` for G3."""
    return _term(g.lower())[1]


@dataclass(frozen=True)
class FnclccResult:
    """The FNCLCC grade of a tumour, with each component score and why.

    Attributes:
        differentiation_score: 1 to 3.
        mitosis_score: 1 to 3 (from mitoses per 10 high-power fields).
        necrosis_score: 0 to 2 (from the percentage of tumour necrosis).
        total: the sum, 2 to 8.
        grade: 1, 2 or 3.
        label: ``"low"``, ``"mid"`` or ``"high"``.
        g: the AJCC code, ``"G1"``, ``"G2"`` or ``"G3"``.
        explanation: a plain-language account of the scores and the band that decided the grade.
        source: where the scoring rules come from.
    """

    differentiation_score: int
    mitosis_score: int
    necrosis_score: int
    total: int
    grade: int
    label: str
    g: str
    explanation: str
    source: str = FNCLCC_SOURCE


@functools.cache
def _component_rows(component: str) -> tuple[dict[str, str], ...]:
    """The score bands of one FNCLCC component, the rows of ``fnclcc_scores.csv`` in table order."""
    return tuple(row for row in table_rows("fnclcc_scores.csv") if row["component"] == component)


def _band(component: str, value: float) -> tuple[int, str]:
    """Look up the score band of a component value in ``fnclcc_scores.csv``."""
    for row in _component_rows(component):
        low, high = float(row["lowest"]), float(row["highest"]) if row["highest"] else float("inf")
        above_low = value >= low if row["lowest_included"] == "true" else value > low
        below_high = value <= high if row["highest_included"] == "true" else value < high
        if above_low and below_high:
            looked_up("fnclcc_scores.csv", row)
            return int(row["score"]), row["description"]
    raise ValueError(f"{component}={_checks.show(value)} falls in no FNCLCC band of fnclcc_scores.csv")


def fnclcc(differentiation: int, mitoses: int, necrosis_pct: float) -> FnclccResult:
    """Grade a sarcoma with the FNCLCC system.

    Args:
        differentiation: the differentiation score the pathologist gives, 1, 2 or 3
            (1 = closely resembles normal adult mesenchymal tissue; 2 = histological type
            certain; 3 = embryonal, undifferentiated, or type doubtful).
        mitoses: mitoses counted per 10 high-power fields, a whole number 0 or more.
        necrosis_pct: the share of the tumour that is necrotic, 0 to 100 (percent).

    Returns:
        The component scores, total (2-8), grade (1-3) with its label and an explanation.

    Raises:
        TypeError: if an argument is not a number (or is a bool).
        ValueError: if an argument is out of range.

    Example:
        >>> fnclcc(2, 12, 30).grade
        2
    """
    d = _checks.whole_number("differentiation", differentiation, "a score of 1, 2 or 3")
    if d not in (1, 2, 3):
        raise ValueError(
            f"differentiation={_checks.show(differentiation)} is out of range; expected a score of 1, 2 or 3"
        )
    mit = _checks.whole_number("mitoses", mitoses, _MITOSES_ALLOWED)
    if mit < 0:
        raise ValueError(f"mitoses={_checks.show(mitoses)} is negative; expected {_MITOSES_ALLOWED}")
    nec = _checks.real_number("necrosis_pct", necrosis_pct, "a percentage from 0 to 100")
    if not 0 <= nec <= 100:
        raise ValueError(
            f"necrosis_pct={_checks.show(necrosis_pct)} is out of range; expected a percentage from 0 to 100"
        )

    d_score, d_text = _band("differentiation", d)
    m_score, m_text = _band("mitoses", mit)
    n_score, n_text = _band("necrosis", nec)
    total = d_score + m_score + n_score
    row = next(r for r in table_rows("fnclcc_grades.csv") if int(r["total_from"]) <= total <= int(r["total_to"]))
    looked_up("fnclcc_grades.csv", row)
    explanation = (
        f"FNCLCC grade {row['grade']}, {row['plain_words']} ({row['g']}): differentiation {d_score} ({d_text}) "
        f"+ mitoses {m_score} ({m_text}) + necrosis {n_score} ({n_text}) = total {total}; "
        f"a total of {row['total_from']} to {row['total_to']} is grade {row['grade']}."
    )
    return FnclccResult(d_score, m_score, n_score, total, int(row["grade"]), row["label"], row["g"], explanation)
