"""Virtual patient cases for the tumour board: find a case, make one from a seed, check a step, ask "what if?".

A case is a fictional patient's facts and ordered steps (:mod:`sarcoma_edu.course.case_model`),
read from ``datasets/cases/`` or an instructor's file (:mod:`sarcoma_edu.course.case_files`) or
generated from a seed (:func:`generate_case`). :func:`case_from_step_id` finds the case behind a
progress-store id ``case:<case id>:<step id>`` (:mod:`sarcoma_edu.course.items` finds its question);
:func:`what_if` changes one fact and shows which computed steps change.
Case text is untrusted: every renderer escapes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sarcoma_edu.common import checks as _checks
from sarcoma_edu.course import case_steps
from sarcoma_edu.course.case_files import load_cases
from sarcoma_edu.course.case_generator import generate
from sarcoma_edu.course.case_model import Case, CaseFacts, CaseStep
from sarcoma_edu.course.case_steps import stage_words
from sarcoma_edu.course.quiz import Feedback, check

__all__ = [
    "StepChange",
    "case_from_step_id",
    "check_answer",
    "describe_facts",
    "generate_case",
    "what_if",
]


def case_from_step_id(question_id: str, cases: Sequence[Case] | None = None) -> Case | None:
    """The case a progress-store id ``case:<case id>:<step id>`` belongs to (built-in, given or generated).

    Returns None for an id of another kind or of a case that no longer exists.
    """
    parts = question_id.split(":") if isinstance(question_id, str) else []
    if len(parts) != 3 or parts[0] != "case":
        return None
    known = {case.id: case for case in (load_cases() if cases is None else cases)}
    if parts[1] in known:
        return known[parts[1]]
    number = parts[1].removeprefix("generated-")
    if parts[1].startswith("generated-") and number.isascii() and number.isdigit():
        try:
            return generate_case(int(number)) if str(int(number)) == number else None
        except ValueError:  # above the largest seed, or more digits than int() reads (4,300)
            return None
    return None


def check_answer(step: CaseStep, answer: object) -> Feedback:
    """Check a student's answer to a step (the text of a choice) and explain the right one."""
    return check(step.question, answer)


@dataclass(frozen=True)
class StepChange:
    """How one computed step's right answer changes when a fact changes, and why."""

    step_id: str
    kind: str
    before: tuple[str, ...]
    after: tuple[str, ...]
    why: str

    @property
    def changed(self) -> bool:
        """True when the right answer is different."""
        return set(self.before) != set(self.after)


_WHAT_IF_FACTS = ("site", "size_cm", "grade", "nodes", "metastasis")


def what_if(case: Case, **change: object) -> tuple[CaseFacts, list[StepChange]]:
    """Change one fact (site, size_cm, grade, nodes or metastasis) and see which computed steps change.

    Returns:
        The changed facts and one :class:`StepChange` per computed step (choice steps are the
        author's and are not recomputed). A grade step is skipped once the grade is set directly.

    Raises:
        ValueError, TypeError: not exactly one known fact, or a value the library refuses.
    """
    if len(change) != 1 or next(iter(change)) not in _WHAT_IF_FACTS:
        raise ValueError(f"change={_checks.show(sorted(change))} is not allowed; expected one of {_WHAT_IF_FACTS}")
    facts = case.facts.changed(**change)
    changes = []
    for step in case.steps:
        if step.kind == "choice" or (step.kind == "grade" and not facts.has_scores):
            continue
        made = case_steps.build(step.kind, facts, step.settings)
        after = tuple(made.right)
        changes.append(StepChange(step.id, step.kind, step.right_answers, after, made.explanation))
    return facts, changes


def describe_facts(facts: CaseFacts) -> str:
    """The facts in one line, e.g. 'extremity, 12 cm, G3, N0, M0 (Stage IIIB)'."""
    result = facts.stage_result()
    size = "size unknown" if facts.size_cm is None else f"{facts.size_cm:g} cm"
    return f"{result.site.replace('_', ' ')}, {size}, {result.g}, {result.n}, {result.m} ({stage_words(result)})"


def generate_case(seed: int) -> Case:
    """Build a full virtual patient from a seed, with computed steps only (the library answers each).

    The patient is drawn as the teaching cohort draws one (:func:`sarcoma_edu.clinical.cohort.generate`:
    site mix, size, grade, spread; visceral sites left out), with FNCLCC scores that give its
    grade. Same seed, same case; the case id is ``generated-<seed>``.

    Raises:
        TypeError, ValueError: ``seed`` is not a whole number from 0 to 2**128 - 1.
    """
    return generate(seed)
