"""Treatment options by stage: the NCI PDQ (patient version) lists, complete and in PDQ order.

Tables: ``datasets/treatment_options.csv`` (the PDQ lists, one row per option, with its
modalities, timings and the drugs it names) and ``datasets/treatment_situations.csv`` (their
headings). Which list applies to a patient, and why, is
:func:`~sarcoma_edu.clinical.situations.find_situation`; :func:`treatment_options` returns that
list with the explanation. The planner (:mod:`sarcoma_edu.clinical.planner`) reads the same
lists to keep a plan within them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pandas as pd

from sarcoma_edu.clinical.provenance import looked_up
from sarcoma_edu.clinical.situations import find_situation
from sarcoma_edu.clinical.staging import StageResult
from sarcoma_edu.clinical.tables import load_table, table_rows

__all__ = [
    "TreatmentOption",
    "TreatmentOptions",
    "pdq_heading",
    "pdq_headings",
    "pdq_options",
    "treatment_options",
]


@dataclass(frozen=True)
class TreatmentOption:
    """One item of a PDQ treatment list."""

    modalities: tuple[str, ...]
    timings: tuple[str, ...]
    description: str
    drugs: tuple[str, ...]
    source: str

    @property
    def words(self) -> str:
        """The option as the PDQ list gives it, with the drugs it names (``"... (drugs: pazopanib, imatinib)"``)."""
        return self.description + (f" (drugs: {', '.join(self.drugs)})" if self.drugs else "")


@dataclass(frozen=True)
class TreatmentOptions:
    """The PDQ treatment options for one situation, and why this list applies.

    ``other_readings`` names the other PDQ lists (``other_headings``, their headings) a careful
    reader could also file this patient under (today only the node-positive trunk or limb tumour
    without distant spread, which is stage IV under AJCC 8 but is treated as the PDQ list for
    stage III with lymph node spread describes); the explanation gives both readings.
    """

    situation: str
    heading: str
    items: tuple[TreatmentOption, ...]
    explanation: str
    source: str
    other_readings: tuple[str, ...] = ()
    other_headings: tuple[str, ...] = ()

    @property
    def readings(self) -> tuple[str, ...]:
        """Every PDQ list this patient can be read as: the one the plan follows first."""
        return (self.situation, *self.other_readings)

    def to_frame(self) -> pd.DataFrame:
        """Return one row per option: modalities, timings, description, drugs, source."""
        return pd.DataFrame(
            [
                {
                    "modalities": ", ".join(o.modalities),
                    "timings": ", ".join(o.timings),
                    "description": o.description,
                    "drugs": ", ".join(o.drugs),
                    "source": o.source,
                }
                for o in self.items
            ]
        )


@functools.cache
def _pdq_list(situation: str) -> tuple[tuple[TreatmentOption, ...], tuple[dict[str, str], ...]]:
    """The PDQ options of a situation in PDQ order, and their rows of ``treatment_options.csv``."""
    options = load_table("treatment_options.csv")
    rows = options[options.situation == situation].sort_values("order", key=lambda s: s.astype(int))
    items = tuple(
        TreatmentOption(
            modalities=tuple(row.modalities.split("|")),
            timings=tuple(row.timings.split("|")),
            description=row.description,
            drugs=tuple(row.drugs.split("|")) if row.drugs else (),
            source=row.source,
        )
        for row in rows.itertuples()
    )
    return items, tuple(rows.to_dict("records"))


def pdq_options(situation: str) -> tuple[TreatmentOption, ...]:
    """The PDQ options of a situation (e.g. ``"stage_I"``), in PDQ order."""
    items, rows = _pdq_list(situation)
    looked_up("treatment_options.csv", *rows)
    return items


def pdq_headings() -> dict[str, dict[str, str]]:
    """The row of ``treatment_situations.csv`` (its ``pdq_heading`` and ``source``) for each situation."""
    return {row["situation"]: row for row in table_rows("treatment_situations.csv")}


def pdq_heading(situation: str) -> dict[str, str]:
    """The row of ``treatment_situations.csv`` of one situation: its ``pdq_heading`` and ``source``."""
    row = pdq_headings()[situation]
    looked_up("treatment_situations.csv", row)
    return row


def treatment_options(
    result_or_stage: StageResult | str | None,
    *,
    nodes: bool | None = None,
    recurrent: bool = False,
    metastasis: bool | None = None,
) -> TreatmentOptions:
    """Return the NCI PDQ (patient version) treatment options for a staged patient.

    A stage word with its node (and, for stage IV, metastasis) status gives the same answer as
    the :class:`StageResult` of that patient: ``treatment_options("IV", nodes=True)`` and
    ``treatment_options(stage("leg", 4, 2, nodes=True))`` describe the same patient.

    Args:
        result_or_stage: a :class:`StageResult`, a stage word (``"IA"``, ``"IB"``, ``"I"``,
            ``"II"``, ``"IIIA"``, ``"IIIB"``, ``"III"``, ``"IV"``), or None (no stage group).
        nodes: node status when a stage word is given (None means no lymph node spread); with a
            StageResult leave it None (the result already says).
        recurrent: True for cancer that has come back after treatment.
        metastasis: distant metastasis, when a stage word is given. None means: stage IV without
            lymph node spread has distant metastasis; stage IV with lymph node spread has none
            (the node-positive trunk or limb tumour). Give True for stage IV with both.

    Returns:
        The complete PDQ list for the situation, with its heading, an explanation of why it
        applies (for the node-positive trunk or limb tumour, both readings of the PDQ headings),
        the other lists it can be read as, and sources.

    Raises:
        TypeError, ValueError: a wrong type, an unknown stage, or an impossible combination such
            as stage II with lymph node spread.
    """
    found = find_situation(result_or_stage, nodes, recurrent, metastasis)
    heading = pdq_heading(found.situation)
    return TreatmentOptions(
        situation=found.situation,
        heading=heading["pdq_heading"],
        items=pdq_options(found.situation),
        explanation=found.explanation,
        source="; ".join(dict.fromkeys(filter(None, (heading["source"], found.reading_source)))),
        other_readings=found.other_readings,
        other_headings=tuple(pdq_heading(s)["pdq_heading"] for s in found.other_readings),
    )
