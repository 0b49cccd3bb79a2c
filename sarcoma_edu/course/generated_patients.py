"""The patients of generated quiz questions, and how such a question is put together.

A generated question (:mod:`sarcoma_edu.course.generated`) is about a random but plausible
patient: a site, a size a student meets in practice (the band edges included on purpose), a
grade and the spread, described in one sentence. :func:`finish_question` shuffles the right
answer(s) among up to three wrong ones, in an order fixed by the question's id, each answer with
feedback of its own, and records the quiz topic and the learning objectives the kind assesses.
"""

from __future__ import annotations

import random

from sarcoma_edu.clinical.grading import grade_words
from sarcoma_edu.clinical.staging import StageResult
from sarcoma_edu.course.quiz import Answer, Question

__all__ = ["KIND_OBJECTIVES", "SITE_WORDS", "SIZES", "a_or_an", "describe_patient", "draw_patient", "finish_question"]

# the quiz topic each generated kind is recorded under
_TOPIC = {"stage": "staging", "t_category": "staging", "fnclcc_grade": "grade", "treatment": "treatment"}
# the learning objectives (ids of datasets/objectives.csv) each generated kind assesses
KIND_OBJECTIVES: dict[str, tuple[str, ...]] = {
    "stage": ("quiz-unseen-patients", "staging-stage-group"),
    "t_category": ("quiz-unseen-patients", "staging-tnmg"),
    "fnclcc_grade": ("quiz-unseen-patients", "grade-fnclcc-score"),
    "treatment": ("quiz-unseen-patients", "treatment-pdq-options"),
}
SITE_WORDS = {
    "trunk": "the trunk (chest or abdominal wall, back)",
    "extremity": "the thigh",
    "retroperitoneum": "the retroperitoneum",
    "head_and_neck": "the neck",
}
# sizes a student meets in practice, with the band edges included on purpose
SIZES = (1.5, 2.0, 3.0, 4.0, 4.5, 5.0, 6.0, 7.0, 8.5, 10.0, 11.0, 12.5, 14.0, 15.0, 16.0, 18.0, 22.0)


def draw_patient(rng: random.Random, sites: tuple[str, ...]) -> dict:
    """A patient at one of ``sites``: a size, a grade (G3 twice as often as G1, G2 or GX) and the spread."""
    spread = rng.random()
    return {
        "site": rng.choice(sites),
        "size_cm": rng.choice(SIZES),
        "grade": rng.choice(("G1", "G2", "G3", "G3", "GX")),
        "nodes": 0.70 <= spread < 0.85,
        "metastasis": spread >= 0.85,
    }


def a_or_an(size: float) -> str:
    """'An' before sizes read with a vowel sound (8, 11, 18, 80...), else 'A'."""
    return "An" if f"{size:g}".startswith(("8", "11", "18")) else "A"


def describe_patient(p: dict) -> str:
    """The patient in one sentence, as a question's stem opens: size, site, grade and spread."""
    spread = {
        (False, False): "no spread to lymph nodes or distant sites",
        (True, False): "spread to nearby (regional) lymph nodes and no distant metastasis",
        (False, True): "distant metastasis in the lung and no lymph node spread",
        (True, True): "spread to regional lymph nodes and distant metastasis in the lung",
    }[(p["nodes"], p["metastasis"])]
    return (
        f"{a_or_an(p['size_cm'])} {p['size_cm']:g} cm sarcoma of {SITE_WORDS[p['site']]}, "
        f"{grade_words(p['grade'])} ({p['grade']}), with {spread}."
    )


def finish_question(
    qid: str,
    kind: str,
    question: str,
    right: str | dict[str, str],
    wrong: dict[str, str],
    why: StageResult | str,
    source: str,
    case,
) -> Question:
    """Shuffle the right answer(s) among up to three wrong ones, each answer with its own feedback.

    ``right`` is one answer text, or a dict of right answers (text -> feedback) when the sources
    allow more than one reading; a right answer is never offered again as a wrong one.
    """
    rng = random.Random(qid)
    rights = {right: ""} if isinstance(right, str) else dict(right)
    texts = [text for text in wrong if text not in rights][:3]
    choices = [*rights, *texts]
    rng.shuffle(choices)
    answers = tuple(Answer(c in rights, answer=c, feedback=rights[c] if c in rights else wrong[c]) for c in choices)
    explanation = why.explanation if isinstance(why, StageResult) else why
    return Question(
        qid, _TOPIC[kind], "multiple_choice", question, answers, explanation, source, "medium",
        case=case, objectives=KIND_OBJECTIVES[kind],
    )  # fmt: skip
