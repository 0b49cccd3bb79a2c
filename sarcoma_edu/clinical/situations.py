"""Which PDQ treatment list a patient's situation falls under, and why.

``datasets/treatment_stage_map.csv`` maps a stage group, with its node and metastasis status, to
one of the PDQ (patient version) situations (stage I; stage II-III without lymph node spread;
stage III with it; stage IV; recurrent; no stage group), with the AJCC 7 vs 8 wording gap
explained where there is one, and the other lists a careful reader could also file the patient
under. :func:`find_situation` reads it for a
:class:`~sarcoma_edu.clinical.staging.StageResult` or a stage word, and returns a
:class:`Situation` that both the PDQ options (:mod:`sarcoma_edu.clinical.treatment`) and the
planner (:mod:`sarcoma_edu.clinical.planner`) start from.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from sarcoma_edu.clinical.provenance import looked_up
from sarcoma_edu.clinical.staging import StageResult
from sarcoma_edu.clinical.table_columns import matches
from sarcoma_edu.clinical.tables import table_rows
from sarcoma_edu.clinical.vocabulary import STAGE_WORDS
from sarcoma_edu.common import checks as _checks

__all__ = ["Situation", "find_situation"]


@dataclass(frozen=True)
class Situation:
    """Which PDQ list applies, why, and what the plan needs to know about the patient."""

    situation: str
    explanation: str
    stage: str | None = None
    site: str = "any"
    nodes: bool = False
    metastasis: bool = False
    grade: str | None = None
    other_readings: tuple[str, ...] = ()
    reading_source: str = ""  # the source of the readings' explanation, when there is more than one

    @property
    def limb(self) -> bool:
        """Whether limb-only words apply: a limb tumour only (not a stage word whose site is not known)."""
        return self.site == "extremity"


def _flag(name: str, value: object) -> bool | None:
    return None if value is None else _checks.boolean(name, value)


def find_situation(result_or_stage: object, nodes: object, recurrent: object, metastasis: object = None) -> Situation:
    """Return the situation for a StageResult, or a stage word with its node and metastasis status.

    A recurrence keeps the site, nodes and metastasis of the patient, so that its plan can remove
    the lymph nodes, treat distant spread and aim for the site's margin.
    """
    is_recurrent = _checks.boolean("recurrent", recurrent)
    found = _staged(result_or_stage, nodes, metastasis)
    if not is_recurrent:
        return found
    spread = [w for w, flag in (("lymph node spread", found.nodes), ("distant metastasis", found.metastasis)) if flag]
    text = "The cancer has come back after treatment (recurrent), so the PDQ options for recurrence apply."
    if spread:
        text += f" The recurrence has {' and '.join(spread)}."
    return dataclasses.replace(found, situation="recurrent", explanation=text, other_readings=(), reading_source="")


def _staged(result_or_stage: object, nodes: object, metastasis: object) -> Situation:
    """The situation of a patient who is not recurrent, from ``treatment_stage_map.csv``."""
    has_nodes, has_metastasis = _flag("nodes", nodes), _flag("metastasis", metastasis)
    site, grade = "any", None
    if isinstance(result_or_stage, StageResult):
        for name, given, actual in (("nodes", has_nodes, "N1"), ("metastasis", has_metastasis, "M1")):
            category = result_or_stage.n if name == "nodes" else result_or_stage.m
            if given is not None and given != (category == actual):
                raise ValueError(
                    f"{name}={_checks.show(nodes if name == 'nodes' else metastasis)} contradicts the stage result "
                    f"({category}); expected None (the result already says) or the same status"
                )
        site, grade = result_or_stage.site, result_or_stage.g
        stage_word, n, m = result_or_stage.stage or "none", result_or_stage.n, result_or_stage.m
    elif result_or_stage is None:
        stage_word, n = "none", "N1" if has_nodes else "N0"
        m = "M1" if has_metastasis else "M0"
    else:
        allowed = f"a StageResult, None, or one of {', '.join(STAGE_WORDS)}"
        if not isinstance(result_or_stage, str):
            raise TypeError(f"result_or_stage={_checks.show(result_or_stage)} is not a stage; expected {allowed}")
        stage_word = result_or_stage.strip().upper().removeprefix("STAGE ").strip()
        if stage_word not in STAGE_WORDS:
            raise ValueError(f"result_or_stage={_checks.show(result_or_stage)} is not a stage; expected {allowed}")
        n = "N1" if has_nodes else "N0"
        if has_metastasis is None:  # stage IV without nodes can only mean distant metastasis
            has_metastasis = stage_word == "IV" and not has_nodes
        if has_metastasis and stage_word != "IV":
            raise ValueError(
                f"metastasis=True with stage {stage_word} is not possible: distant metastasis makes any staged "
                "sarcoma stage IV; expected metastasis=False or None for this stage"
            )
        if stage_word == "IV" and not has_nodes and not has_metastasis:
            raise ValueError(
                "stage IV with nodes=False and metastasis=False is not possible under AJCC 8: stage IV needs lymph "
                "node spread (trunk, extremity) or distant metastasis; expected nodes=True or metastasis=True"
            )
        m = "M1" if has_metastasis else "M0"
    for row in table_rows("treatment_stage_map.csv"):
        if (
            row["stage"] == stage_word
            and matches(row["n"], n)
            and matches(row["m"], m)
            and (not row["g"] or (grade or "") in row["g"].split("|"))  # a grade row is for a StageResult
            and (not row["site"] or site == "any" or site in row["site"].split("|"))
        ):
            looked_up("treatment_stage_map.csv", row)
            readings = tuple(row["other_readings"].split("|")) if row["other_readings"] else ()
            text = _stage_text(result_or_stage, stage_word, n, m, row["situation"], readings)
            return Situation(
                row["situation"],
                f"{text} {row['note']}" if row["note"] else text,
                stage=None if stage_word == "none" else stage_word,
                site=row["site"] or site if site == "any" else site,  # a stage word can fix the site (IIIB N1)
                nodes=n == "N1",
                metastasis=m == "M1",
                grade=grade,
                other_readings=readings,
                reading_source=row["source"] if readings else "",
            )
    looked_up("treatment_stage_map.csv")  # no row: the table has none for this stage and spread
    raise ValueError(
        f"stage {stage_word} with nodes={n == 'N1'} is not possible under AJCC 8: lymph node spread makes a "
        "sarcoma stage IIIB (retroperitoneum) or IV (trunk, extremity); expected nodes=False for this stage"
    )


def _stage_text(result_or_stage: object, stage_word: str, n: str, m: str, situation: str, readings: tuple) -> str:
    """What is said before the row's note: the stage, or why there is none and who plans the treatment.

    A result without a stage group that the row files under a list (a size unknown whose possible stages share
    one), or that a clinician also reads under another list, is never told that no list applies.
    """
    if stage_word != "none":
        return f"Stage {stage_word} ({n}, {m})."
    if not isinstance(result_or_stage, StageResult):
        return "No stage was given: the treatment is planned by a multidisciplinary sarcoma team."
    if situation != "no_stage_group":
        return result_or_stage.explanation
    if readings:
        return f"{result_or_stage.explanation} Treatment is planned by a multidisciplinary sarcoma team."
    return (
        f"{result_or_stage.explanation} With no stage group, no stage-based PDQ list applies: "
        "treatment is planned by a multidisciplinary sarcoma team."
    )
