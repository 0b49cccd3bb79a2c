"""A tumour-board case written from facts: the instructor gives the story and the facts, the library the answers.

:func:`case_item` turns the fields of the studio's case form into a case as its file holds it
(``datasets/cases/case.schema.json``): the story she wrote, her facts, and one computed step for
each answer the rules give (the FNCLCC grade when she gave the three scores, the T category, the
stage group, the PDQ treatment list, the order of the treatment phases, the pathways of spread).
Each step's information is a sentence made from the facts unless she wrote her own; the only
thing she writes in a step is the feedback for its wrong choices (``feedback``), when the
library's does not say what she wants. :func:`computed_answers` shows what the library computed
for each step (the right answer, its explanation and source, the wrong choices with the
library's feedback and hers), exactly as the case file's check builds it. No widget here: the form
is :mod:`sarcoma_edu.widgets.studio`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sarcoma_edu.clinical.grading import fnclcc
from sarcoma_edu.clinical.tables import load_table
from sarcoma_edu.common import checks as _checks
from sarcoma_edu.course import case_steps
from sarcoma_edu.course.case_model import CaseFacts, computed_step, offered_wrong

__all__ = [
    "STEP_KINDS",
    "StepAnswer",
    "case_item",
    "computed_answers",
    "default_reveal",
    "number_or_text",
    "step_notes",
]

STEP_KINDS: tuple[str, ...] = case_steps.COMPUTED_KINDS
# the source key (datasets/sources.csv) each computed step cites beside the library's own
_SOURCES = {
    "grade": "FNCLCC",
    "t_category": "AJCC8",
    "stage": "AJCC8",
    "treatment_list": "PDQ-PT",
    "plan_order": "PDQ-PT",
    "spread": "PDQ-HP",
}


def number_or_text(text: object) -> object:
    """A number typed in a form as a number (``"12.5"`` -> 12.5, ``"12"`` -> 12), anything else as typed.

    Text that is not a plain number ("12,5", "ten") stays text, so the case schema's check names the
    field and says what is allowed; an empty box is None.
    """
    if not isinstance(text, str):
        return text
    if not text.strip():
        return None
    try:
        number = _checks.typed_number(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() and "." not in text else number


def _histology_label(histology: str | None) -> str:
    if not histology:
        return "soft tissue sarcoma"
    labels = load_table("histologies.csv").set_index("histology")["label"]
    return str(labels.get(histology, histology.replace("_", " ")))


def default_reveal(kind: str, facts: Mapping[str, Any]) -> str:
    """The information a computed step reveals, in a sentence made from the facts (what the studio offers first)."""
    scores = facts.get("fnclcc")
    if kind == "grade" and isinstance(scores, Mapping):
        return (
            f"Pathology report: {_histology_label(facts.get('histology'))}. Differentiation score "
            f"{scores.get('differentiation')}; {scores.get('mitoses')} mitoses per 10 high-power fields; "
            f"{scores.get('necrosis_pct')}% tumour necrosis."
        )
    if kind == "t_category":
        size = facts.get("size_cm")
        words = f"greatest dimension {size:g} cm" if isinstance(size, int | float) else "its size is not known"
        depth = f" The tumour is {facts['depth']}." if facts.get("depth") in ("deep", "superficial") else ""
        invasion = " It does not grow into adjoining structures." if facts.get("site") == "head_and_neck" else ""
        return f"MRI of the primary tumour: {words}.{depth}{invasion}"
    if kind == "stage":
        lines = [
            "CT of the chest shows spots in the lungs: sarcoma that has spread."
            if facts.get("metastasis")
            else "CT of the chest shows no spread to the lungs.",
            "Enlarged regional lymph nodes contain sarcoma on biopsy."
            if facts.get("nodes")
            else "There are no enlarged lymph nodes.",
        ]
        if not isinstance(scores, Mapping):
            grade = facts.get("grade", "GX")
            lines.append(
                "Pathology report: the grade cannot be assessed on this sample (GX)."
                if grade == "GX"
                else f"Pathology report: {_histology_label(facts.get('histology'))}, grade {grade}."
            )
        return " ".join(lines)
    return {
        "treatment_list": "The tumour board meets and looks up the treatment options.",
        "plan_order": "The team plans the treatment.",
        "spread": "Before follow-up, the team explains where this sarcoma may spread.",
    }.get(kind, "")


def _t_left_out(facts: Mapping[str, Any]) -> bool:
    """True for a site whose T is not set by size (visceral): a case holds no extent, so it asks no T step."""
    site = facts.get("site")
    return isinstance(site, str) and site in set(load_table("sites.csv").site) and not case_steps.by_size(site)


def step_notes(facts: Mapping[str, Any]) -> list[str]:
    """Why the case asks a step differently from the facts' face value: a T step left out, or T set by size only."""
    if _t_left_out(facts):
        return [f"No T step: {case_steps.T_BY_EXTENT}, and a case holds no extent."]
    if facts.get("site") == "head_and_neck":
        return [
            "The T step is set by size: in the head and neck T4a and T4b mean invasion of adjoining structures, "
            "which a case cannot hold, so the MRI says the tumour does not grow into them."
        ]
    return []


def _facts_object(facts: Mapping[str, Any]) -> CaseFacts:
    """The facts as the case engine holds them; raises TypeError or ValueError for facts it refuses."""
    scores = facts.get("fnclcc")
    grade = facts.get("grade", "GX")
    if isinstance(scores, Mapping):
        made = fnclcc(scores["differentiation"], scores["mitoses"], scores["necrosis_pct"])
        grade = made.g
    built = CaseFacts(
        site=facts["site"],
        size_cm=facts.get("size_cm"),
        grade=grade,
        nodes=bool(facts.get("nodes")),
        metastasis=bool(facts.get("metastasis")),
        histology=facts.get("histology"),
        differentiation=scores["differentiation"] if isinstance(scores, Mapping) else None,
        mitoses=scores["mitoses"] if isinstance(scores, Mapping) else None,
        necrosis_pct=scores["necrosis_pct"] if isinstance(scores, Mapping) else None,
        resectable=facts.get("resectable"),
        recurrent=bool(facts.get("recurrent", False)),
    )
    built.stage_result()  # a site or size the rules refuse raises here, naming it
    return built


def case_item(
    *,
    case_id: str,
    title: str,
    level: str,
    objectives: Sequence[str],
    vignette: str,
    facts: Mapping[str, Any],
    kinds: Sequence[str] = STEP_KINDS,
    plan: Mapping[str, Any] | None = None,
    reveals: Mapping[str, str] | None = None,
    feedback: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, Any]:
    """A case as its file holds it, from the studio's case form.

    Args:
        case_id, title, level, objectives, vignette: the story, as written (objectives are the
            sentences the student reads under "You will:").
        facts: site, size_cm, depth, histology, fnclcc (the three scores) or grade, nodes, metastasis,
            and optionally resectable and recurrent; numbers may be typed text (see :func:`number_or_text`).
        kinds: the computed steps to ask, in order (a grade step only when the scores are given).
        plan: the team's radiation and chemotherapy choices (and drug) for the plan step.
        reveals: her own information for a step, by kind (empty: :func:`default_reveal`).
        feedback: her feedback for wrong choices, by kind, then by the choice's text.

    Returns:
        The case as a dict, ready to be checked (:func:`sarcoma_edu.course.authoring.draft_problems`) and saved.
    """
    clean = {k: number_or_text(v) if k == "size_cm" else v for k, v in facts.items()}
    clean = {k: v for k, v in clean.items() if v is not None or k == "size_cm"}
    if isinstance(clean.get("fnclcc"), Mapping):
        clean["fnclcc"] = {k: number_or_text(v) for k, v in clean["fnclcc"].items()}
    steps = []
    for kind in kinds:
        if kind == "grade" and "fnclcc" not in clean:
            continue
        if kind == "t_category" and _t_left_out(clean):
            continue
        step: dict[str, Any] = {
            "id": kind.replace("_", "-"),
            "kind": kind,
            "source": _SOURCES[kind],
            "objectives": list(case_steps.KIND_OBJECTIVES[kind]),
            "reveal": ((reveals or {}).get(kind) or "").strip() or default_reveal(kind, clean),
        }
        if kind == "plan_order":
            step.update({k: v for k, v in (plan or {}).items() if v is not None or k == "radiation"})
        written = {t: words.strip() for t, words in (feedback or {}).get(kind, {}).items() if words and words.strip()}
        if written:
            step["feedback"] = written
        steps.append(step)
    item: dict[str, Any] = {
        "id": case_id.strip(),
        "title": title.strip(),
        "level": level,
        "objectives": [o.strip() for o in objectives if o.strip()],
        "fictional": True,
        "vignette": vignette.strip(),
        "facts": clean,
        "steps": steps,
    }
    for name in ("id", "title", "vignette", "objectives"):
        if not item[name]:
            del item[name]  # left out, so the check says "is missing"
    if plan and "plan_order" not in kinds:
        item["plan"] = {k: v for k, v in plan.items() if v is not None}
    return item


@dataclass(frozen=True)
class StepAnswer:
    """What the library computed for one step of a draft case, to show beside the form.

    Attributes:
        kind: the step's kind (``"stage"``).
        question: the question the student is asked.
        right: the right answer(s).
        explanation: why, in the library's words (the student reads it after answering).
        source: where the rule comes from.
        wrong: each wrong choice offered, with the library's feedback.
    """

    kind: str
    question: str
    right: tuple[str, ...]
    explanation: str
    source: str
    wrong: tuple[tuple[str, str], ...]


def computed_answers(item: Mapping[str, Any]) -> tuple[list[StepAnswer], str]:
    """What the library computes for each step of a draft case; ("", the reason) when its facts cannot be used.

    Returns:
        (one :class:`StepAnswer` per computed step, in order; a plain sentence saying why nothing
        could be computed, or "").
    """
    try:
        facts = _facts_object(item.get("facts", {}))
    except (TypeError, ValueError, KeyError) as error:
        missing = f"the {error.args[0]!r} fact is missing" if isinstance(error, KeyError) else str(error)
        return [], f"Nothing computed yet: {missing}."
    answers = []
    for step in item.get("steps", []):
        settings = {k: step[k] for k in ("radiation", "chemotherapy", "drug") if k in step}
        try:
            built, made = computed_step(item.get("id") or "draft", step["id"], step["kind"], facts, step["reveal"],
                                        settings, cited=step["source"])  # fmt: skip
        except (TypeError, ValueError) as error:
            return answers, f"The {step['kind'].replace('_', ' ')} step cannot be computed: {error}."
        wrong = tuple((t, made.wrong[t]) for t in offered_wrong(made))
        answers.append(StepAnswer(step["kind"], built.question.question, tuple(made.right), made.explanation,
                                  built.question.source, wrong))  # fmt: skip
    return answers, ""
