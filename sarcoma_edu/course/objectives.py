"""Learning objectives as data: ``datasets/objectives.csv``, one row per objective of a lesson.

Each objective has a stable kebab-case ``id`` (``staging-nodal-rule``), the ``lesson`` it belongs
to (``03_staging``), the ``objective`` in plain words as the lesson lists it, the ``kind`` of
thinking it asks (``recall``, ``apply`` or ``analyse``), what ``assessed_by`` it (``quiz``
questions, tumour-board ``case`` steps, in-lesson ``exercise`` only, or ``none`` for an objective no
question can check, such as running a notebook or the instructors' lesson) and its ``source``.

Quiz questions, in-lesson exercises and case steps name the objectives they assess by these ids;
a lesson's "Learning objectives" list is written from this table by ``scripts/build_objectives.py``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from sarcoma_edu.clinical.tables import DatasetError, load_table

__all__ = ["ASSESSED_BY", "KINDS", "Objective", "load_objectives", "objective_ids", "unknown_objectives"]

KINDS: tuple[str, ...] = ("recall", "apply", "analyse")
ASSESSED_BY: tuple[str, ...] = ("quiz", "case", "exercise", "none")


@dataclass(frozen=True)
class Objective:
    """One learning objective of one lesson."""

    id: str
    lesson: str
    objective: str
    kind: str
    assessed_by: str
    source: str


@functools.cache
def load_objectives() -> dict[str, Objective]:
    """Return every learning objective, id -> :class:`Objective`, in the table's (course) order.

    The table has 41 rows today, e.g. ``staging-nodal-rule`` (lesson ``03_staging``, ``analyse``,
    assessed by ``quiz``, source ``AJCC8``).

    Raises:
        DatasetError: the table breaks a rule of its columns, or two rows share an id (the
            message names the rows).
    """
    table = load_table("objectives.csv")
    found: dict[str, Objective] = {}
    for number, row in enumerate(table.to_dict("records"), start=2):
        if row["id"] in found:
            first = list(found).index(row["id"]) + 2
            raise DatasetError(
                f"objectives.csv, row {number}, column 'id': {row['id']!r} is already used by row {first}"
            )
        found[row["id"]] = Objective(**{name: row[name] for name in Objective.__dataclass_fields__})
    return found


def objective_ids() -> frozenset[str]:
    """Return the ids of every learning objective."""
    return frozenset(load_objectives())


def unknown_objectives(ids: Iterable[str]) -> list[str]:
    """Return the ids in ``ids`` that are not objectives of ``datasets/objectives.csv``, in order."""
    known = objective_ids()
    return [i for i in ids if i not in known]
