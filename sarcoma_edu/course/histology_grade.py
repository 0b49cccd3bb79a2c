"""Whether a case's grade agrees with its histology, as ``datasets/histologies.csv`` gives it.

Some subtypes have a differentiation score of their own in the FNCLCC system (synovial sarcoma
scores 3, myxoid liposarcoma 2), and some are high grade by definition (rhabdomyosarcoma, ASPS,
clear cell, epithelioid and extraskeletal Ewing sarcoma). :func:`histology_grade_problems` says
where a case's facts contradict the table: the case check (``sarcoma-edu case check``) and the
studio's case form both show these problems, each naming the histology, the value and the table's
value with its source.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sarcoma_edu.clinical.tables import load_table

__all__ = ["histology_grade_problems"]

_TABLE = "datasets/histologies.csv"


def histology_grade_problems(
    histology: str | None, grade: str, scores: Mapping[str, Any] | None
) -> list[tuple[str, str]]:
    """The (field, problem) pairs where the facts contradict the histology's row; empty when they agree.

    Args:
        histology: an id of ``datasets/histologies.csv`` (None or an unknown id: nothing to compare).
        grade: the grade of the case, from its FNCLCC scores when it has them.
        scores: the FNCLCC scores as written (``differentiation``, ``mitoses``, ``necrosis_pct``), or None.
    """
    table = load_table("histologies.csv").set_index("histology")
    if histology is None or histology not in table.index:
        return []
    row = table.loc[histology]
    label, source = str(row.label), str(row.source)
    problems = []
    written = scores.get("differentiation") if scores else None
    if written is not None and row.differentiation_score and int(row.differentiation_score) != written:
        problems.append(
            (
                "facts.fnclcc.differentiation",
                f"{label} has differentiation score {int(row.differentiation_score)} in {_TABLE} "
                f"(source: {source}), not {written}",
            )
        )
    if row.high_grade_by_definition == "true" and grade in ("G1", "G2"):
        field = "facts.fnclcc" if scores else "facts.grade"
        problems.append(
            (field, f"{label} is high grade by definition (G3) in {_TABLE} (source: {source}), not {grade}")
        )
    return problems
