"""What a virtual patient case is: the patient's facts, the ordered steps, and the case that holds them.

A case (:class:`Case`) is a fictional patient's facts (:class:`CaseFacts`), a vignette and ordered
steps (:class:`CaseStep`). Each step is a :class:`~sarcoma_edu.course.quiz.Question` (topic
``"cases"``, id ``case:<case id>:<step id>``), checked by :func:`~sarcoma_edu.course.quiz.check`
and recorded in the progress store like any quiz answer. A *choice* step is written by the
author; a *computed* step (:func:`computed_step`) is answered by the library from the facts
(:mod:`sarcoma_edu.course.case_steps`). Cases come from files (:mod:`sarcoma_edu.course.case_files`)
or from a seed (:mod:`sarcoma_edu.course.case_generator`); :mod:`sarcoma_edu.course.cases` finds
them and asks "what if?". Case text is untrusted: every renderer escapes it.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sarcoma_edu.clinical.grading import normalize_grade
from sarcoma_edu.clinical.staging import StageResult, stage
from sarcoma_edu.clinical.treatment_plan import TreatmentPlan
from sarcoma_edu.course import case_steps
from sarcoma_edu.course.quiz import Answer, Question

__all__ = ["TOPIC", "Case", "CaseFacts", "CaseStep", "computed_step", "offered_wrong"]

TOPIC = "cases"


@dataclass(frozen=True)
class CaseFacts:
    """What is known about the patient's tumour; ``grade`` is the FNCLCC grade when scores are given.

    ``resectable`` is the team's judgement that surgery can remove all the cancer (with distant
    metastasis: the primary tumour and every metastasis), or None when the case does not say; the
    planner then assumes yes without distant metastasis and no with it.
    """

    site: str
    size_cm: float | None
    grade: str = "GX"
    nodes: bool = False
    metastasis: bool = False
    histology: str | None = None
    differentiation: int | None = None
    mitoses: int | None = None
    necrosis_pct: float | None = None
    resectable: bool | None = None
    recurrent: bool = False

    @property
    def has_scores(self) -> bool:
        """True when the three FNCLCC scores are known."""
        return self.differentiation is not None

    def stage_result(self) -> StageResult:
        """The AJCC 8 categories and stage group of these facts."""
        return stage(self.site, self.size_cm, self.grade, nodes=self.nodes, metastasis=self.metastasis)

    def changed(self, **changes: object) -> CaseFacts:
        """A copy with some facts changed; a new grade drops the FNCLCC scores it would contradict.

        A change of distant metastasis drops the judgement of what surgery can remove (it was made
        for the other spread), so the planner's default applies unless ``resectable`` is given too.
        """
        if "metastasis" in changes and "resectable" not in changes and changes["metastasis"] != self.metastasis:
            changes = {**changes, "resectable": None}
        if "grade" in changes:
            changes = {"differentiation": None, "mitoses": None, "necrosis_pct": None, **changes}
            changes["grade"] = normalize_grade(changes["grade"])
        facts = dataclasses.replace(self, **changes)
        facts.stage_result()  # a bad size or site raises here, naming it
        return facts


@dataclass(frozen=True)
class CaseStep:
    """One step: the information it reveals and the decision it asks (a quiz question).

    ``kind`` is ``"choice"`` (written by the author) or a computed kind; ``settings`` holds a plan
    step's radiation and chemotherapy choices.
    """

    id: str
    kind: str
    reveal: str
    question: Question
    settings: dict[str, Any] = dataclasses.field(default_factory=dict, compare=False)

    @property
    def objectives(self) -> tuple[str, ...]:
        """The ids of the learning objectives this step assesses (datasets/objectives.csv)."""
        return self.question.objectives

    @property
    def right_answers(self) -> tuple[str, ...]:
        """The texts of the right answers (more than one when the sources allow two readings)."""
        return tuple(a.answer for a in self.question.correct_answers if a.answer is not None)


@dataclass(frozen=True)
class Case:
    """A virtual patient: facts, vignette and ordered steps. ``path`` is None for a generated case."""

    id: str
    title: str
    level: str
    objectives: tuple[str, ...]
    vignette: str
    facts: CaseFacts
    steps: tuple[CaseStep, ...]
    path: Path | None = None
    plan_settings: dict[str, Any] = dataclasses.field(default_factory=dict, compare=False)

    def plan(self) -> TreatmentPlan:
        """The treatment plan of the case's plan step, else of its ``plan`` choices (the planner's default if none).

        The plan names the drug the case chose (``drug``), so the summary's timeline says the same as its steps.
        """
        step = next((s for s in self.steps if s.kind == "plan_order"), None)
        return case_steps.build("plan_order", self.facts, step.settings if step else self.plan_settings).extra["plan"]

    def walkthrough(self) -> str:
        """The case worked in the open: the story, then each step's information, decision, answer and why."""
        lines = [self.title, self.vignette]
        for number, step in enumerate(self.steps, start=1):
            lines += [
                "",
                f"Step {number}. New information: {step.reveal}",
                f"  Decision: {step.question.question}",
                f"  Answer: {' / '.join(step.right_answers)}",
                f"  Why: {step.question.explanation} [{step.question.source}]",
            ]
        return "\n".join(lines)

    def step_ids(self) -> tuple[str, ...]:
        """The progress-store id of every step, in order."""
        return tuple(s.question.id for s in self.steps)


_MAX_CHOICES = 6


def offered_wrong(made: case_steps.Computed) -> list[str]:
    """The wrong answers a computed step offers (the first of the library's, up to six choices in all)."""
    return [t for t in made.wrong if t not in made.right][: max(0, _MAX_CHOICES - len(made.right))]


def _question(qid: str, question: str, right: dict[str, str], wrong: dict[str, str], explanation: str,
              source: str, objectives: tuple[str, ...] = ()) -> Question:  # fmt: skip
    """A multiple-choice question with the right and wrong answers in an order fixed by its id."""
    texts = [*right, *(t for t in wrong if t not in right)][:_MAX_CHOICES]
    random.Random(qid).shuffle(texts)
    answers = tuple(Answer(t in right, answer=t, feedback=right.get(t, wrong.get(t, ""))) for t in texts)
    return Question(qid, TOPIC, "multiple_choice", question, answers, explanation, source, objectives=objectives)


def computed_step(case_id: str, step_id: str, kind: str, facts: CaseFacts, reveal: str, settings: dict,
                  question: str | None = None, cited: str = "", objectives: tuple[str, ...] = (),
                  feedback: dict[str, str] | None = None) -> tuple[CaseStep, case_steps.Computed]:  # fmt: skip
    """Build a computed step from the facts (the library gives the answer); ``objectives`` defaults to the kind's.

    ``feedback`` is the author's feedback for some wrong choices, by their text (see :func:`offered_wrong`);
    the library's feedback stays for the others.
    """
    made = case_steps.build(kind, facts, settings)
    if feedback:
        made = dataclasses.replace(made, wrong={t: feedback.get(t, words) for t, words in made.wrong.items()})
    keys = [key.strip() for key in cited.split(";") if key.strip() and key.strip() not in made.source]
    source = "; ".join([made.source, *keys])
    qid = f"case:{case_id}:{step_id}"
    ids = objectives or case_steps.KIND_OBJECTIVES[kind]
    q = _question(qid, question or made.question, made.right, made.wrong, made.explanation, source, ids)
    return CaseStep(step_id, kind, reveal, q, settings), made
