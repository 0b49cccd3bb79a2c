"""The computed steps of a virtual patient case: the right answer comes from the library, never the author.

Each builder takes the case's facts and returns a :class:`Computed`: the question, the right
answer(s) with their feedback, wrong answers chosen to teach (the neighbouring stage, the other
site's nodal rule or size bands, the AJCC 7 heading, the other radiation order), the explanation
the library gives and its source. :mod:`sarcoma_edu.course.case_model` turns them into quiz questions.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from sarcoma_edu.clinical.grading import FNCLCC_SOURCE, fnclcc
from sarcoma_edu.clinical.planner import plan_treatment
from sarcoma_edu.clinical.provenance import aside
from sarcoma_edu.clinical.spread import LUNG, METASTATIC_TUMOUR, UMBRELLA, band_widths, routes, spread_patterns
from sarcoma_edu.clinical.stage_groups import lettered_groups
from sarcoma_edu.clinical.staging import StageResult, stage
from sarcoma_edu.clinical.tables import load_table
from sarcoma_edu.clinical.treatment import pdq_heading, pdq_headings, treatment_options
from sarcoma_edu.clinical.treatment_plan import TreatmentPlan
from sarcoma_edu.clinical.vocabulary import STAGES
from sarcoma_edu.course.plan_words import phase_order, radiation_words, swapped_feedback, team_choices

__all__ = ["COMPUTED_KINDS", "KIND_OBJECTIVES", "T_BY_EXTENT", "Computed", "build", "by_size", "stage_words"]

COMPUTED_KINDS: tuple[str, ...] = ("grade", "t_category", "stage", "treatment_list", "plan_order", "spread")
# the learning objectives (ids of datasets/objectives.csv) a computed step of a generated case assesses
KIND_OBJECTIVES: dict[str, tuple[str, ...]] = {
    "grade": ("board-work-case", "grade-fnclcc-score"),
    "t_category": ("board-work-case", "staging-tnmg"),
    "stage": ("board-work-case", "staging-stage-group"),
    "treatment_list": ("board-work-case", "treatment-pdq-options"),
    "plan_order": ("board-work-case", "treatment-timeline"),
    "spread": ("board-work-case", "spread-where"),
}
_GRADE_LABELS = {1: "Grade 1 (low)", 2: "Grade 2 (mid)", 3: "Grade 3 (high)"}
_GRADE_BANDS = {1: "2-3", 2: "4-5", 3: "6-8"}
_SITUATIONS = ("stage_I", "stage_II_III_N0", "stage_III_N1", "stage_IV", "recurrent", "no_stage_group")
_SITUATION_WORDS = {
    "stage_I": "stage I (IA or IB: low grade or grade unknown, no spread)",
    "stage_II_III_N0": "stage II and stage III without lymph node spread",
    "stage_III_N1": "stage III that has spread to lymph nodes",
    "stage_IV": "stage IV (distant metastasis; on the trunk or a limb also lymph node spread, read literally)",
    "recurrent": "cancer that has come back after treatment (recurrent)",
    "no_stage_group": "tumours with no stage group (head and neck, visceral organs, or no stage given)",
}


@dataclass(frozen=True)
class Computed:
    """A computed step: its question, right answers (text -> feedback), wrong answers, explanation, source.

    ``value`` is the answer in the library's words (``"G3"``, ``"T2"``, ``"IIIB"`` or None, the
    PDQ situations), compared with an answer an author wrote in the case file.
    """

    question: str
    right: dict[str, str]
    wrong: dict[str, str]
    explanation: str
    source: str
    value: object = None
    extra: dict = field(default_factory=dict)


def stage_words(result: StageResult) -> str:
    """``"Stage IIIB"``, or ``"No stage group"`` when none applies."""
    return f"Stage {result.stage}" if result.stage else "No stage group"


def _stage(facts) -> StageResult:
    return stage(facts.site, facts.size_cm, facts.grade, nodes=facts.nodes, metastasis=facts.metastasis)


def _grade(facts, _settings: dict) -> Computed:
    result = fnclcc(facts.differentiation, facts.mitoses, facts.necrosis_pct)
    right = _GRADE_LABELS[result.grade]
    wrong = {
        label: f"{label} is a total score of {_GRADE_BANDS[g]}; this tumour's total is {result.total}."
        for g, label in _GRADE_LABELS.items()
        if g != result.grade
    }
    question = "What is the FNCLCC grade of this tumour?"
    return Computed(question, {right: ""}, wrong, result.explanation, result.source or FNCLCC_SOURCE, result.g)


# why a visceral tumour's T is not a size band (datasets/ajcc8_t_categories.csv, AJCC 8 as reprinted in PDQ-HP)
T_BY_EXTENT = (
    "for a visceral sarcoma AJCC 8 sets T by how far the tumour has grown (T1 confined to the organ ... T3 "
    "invades another organ), not by its size"
)


@functools.cache
def by_size(site: str) -> bool:
    """True when AJCC 8 sets T by size at ``site`` (datasets/ajcc8_t_categories.csv); False for visceral organs."""
    table = load_table("ajcc8_t_categories.csv")
    return bool((table[table.site == site].by_size == "true").any())


@functools.cache
def _bands(site: str) -> str:
    table = load_table("ajcc8_t_categories.csv")
    rows = table[(table.site == site) & (table.by_size == "true")]
    return "; ".join(f"{row.t} {row.plain_words}" for row in rows.itertuples())


def _t(facts, _settings: dict) -> Computed:
    result = _stage(facts)
    if not by_size(result.site):
        raise ValueError(f"{T_BY_EXTENT}, and a case holds no extent: leave the T step out")
    right = result.t
    head_neck = result.site == "head_and_neck"
    other_site = "extremity" if head_neck else "head_and_neck"
    with aside():  # a wrong choice: not what the answer rests on
        other = stage(other_site, facts.size_cm, facts.grade).t
    wrong: dict[str, str] = {}
    if other not in (right, "TX"):
        rule = "head and neck (2 and 4 cm)" if other_site == "head_and_neck" else "trunk and limbs (5, 10 and 15 cm)"
        wrong[other] = f"{other} uses the size bands of the {rule}, not those of this site."
    if head_neck:
        wrong["T4"] = (
            "In the head and neck T4 is not a size band: it means the tumour has grown into adjoining structures "
            "(such as the orbit, skull base or brain), and the imaging here describes no such invasion."
        )
    for t in ("T1", "T2", "T3", "T4"):
        if t != right:
            wrong.setdefault(
                t,
                f"{t} is a different size band for this site ({_bands(result.site)})."
                if facts.size_cm is not None
                else f"{t} is a size band, and no size band can be chosen when the size is not known: "
                "AJCC 8 calls T that cannot be assessed TX.",
            )
    if facts.size_cm is not None:
        explanation = f"{right}: the greatest dimension is {facts.size_cm:g} cm."
    else:
        explanation = f"{right}: the size is not known, so T cannot be assessed (TX)."
    explanation += f" AJCC 8 T categories by size for this site: {_bands(result.site)}."
    if head_neck:
        explanation += " T4 in the head and neck means invasion of adjoining structures, not a size."
    source = "AJCC8 T categories by site, as reprinted in PDQ-HP (2025-02-21)"
    return Computed("What is the AJCC 8 T category?", {right: ""}, wrong, explanation, source, right)


@functools.cache
def _group_words() -> dict[tuple[str, str], list[str]]:
    """(site, stage) -> the PDQ-PT words of its rows in ``ajcc8_stage_groups.csv``."""
    words: dict[tuple[str, str], list[str]] = {}
    for row in load_table("ajcc8_stage_groups.csv").itertuples():
        words.setdefault((row.site, row.stage), []).append(row.pdq_wording)
    return words


def _ajcc7_stage_iii(facts) -> bool:
    """Would the AJCC 7th edition call this tumour stage III (over 5 cm and grade 3, or any N1, no M1)?"""
    if facts.metastasis:
        return False
    return facts.nodes or (facts.size_cm is not None and facts.size_cm > 5 and facts.grade == "G3")


def _stage_step(facts, _settings: dict) -> Computed:
    result = _stage(facts)
    right = stage_words(result)
    with aside():  # the wrong choices: not what the answer rests on
        wrong = _stage_choices(facts, result, right)
    question = "What is the AJCC 8th edition stage group (with its letter, if it has one)?"
    return Computed(question, {right: ""}, wrong, result.explanation, result.source, result.stage)


def _stage_choices(facts, result: StageResult, right: str) -> dict[str, str]:
    """The wrong choices of a stage step, each with the feedback that says why it is wrong."""
    wrong: dict[str, str] = {}
    if result.site == "head_and_neck":
        limb = stage_words(stage("extremity", facts.size_cm, facts.grade, facts.nodes, facts.metastasis))
        wrong[limb] = (
            f"{limb} is what the trunk and limb rules would give, but AJCC 8 defines no stage groups for the head "
            "and neck: it reports T, N, M and G, and the team plans treatment."
        )
    elif result.site in ("extremity", "trunk", "retroperitoneum"):
        other_site = "extremity" if result.site == "retroperitoneum" else "retroperitoneum"
        other = stage_words(stage(other_site, facts.size_cm, facts.grade, facts.nodes, facts.metastasis))
        if other != right:
            where = "on the trunk or a limb" if other_site == "extremity" else "in the retroperitoneum"
            wrong[other] = f"That would be the stage {where}: the lymph node rule differs between the two sites."
    if result.stage is not None and _ajcc7_stage_iii(facts):
        wrong["Stage III"] = (
            "Stage III without a letter is the AJCC 7th edition grouping, and the PDQ treatment headings still use "
            f"the word; the AJCC 8th edition has no group 'III' without a letter and gives this tumour {right}."
        )
    flipped = {"G1": "G3", "GX": "G3", "G2": "G1", "G3": "G1"}[result.g]
    regraded = stage_words(stage(result.site, facts.size_cm, flipped, facts.nodes, facts.metastasis))
    if regraded != right:
        wrong.setdefault(regraded, f"That would be the stage with grade {flipped} instead of {result.g}.")
    letters = lettered_groups(result.stage) if result.stage else ()
    position = STAGES.index(letters[0]) if letters else 0
    table_site = result.site if result.stage else "extremity"
    no_group = "AJCC 8 gives no stage group here" + (
        " (head and neck: T, N, M and G only)" if result.site == "head_and_neck" else ""
    )
    here = f"this tumour is {result.t}, {result.n}, {result.m}, {result.g}"
    for step in (0, 1, -1, 2, -2, 3) if len(letters) > 1 else (1, -1, 2, -2, 3):  # stage I: IA and IB first
        k = position + step
        words = " or ".join(_group_words().get((table_site, STAGES[k]), [])) if 0 <= k < len(STAGES) else ""
        if words and f"Stage {STAGES[k]}" != right:  # a group the table gives this site
            text = f"Stage {STAGES[k]} is {words}; {here}."
            if result.stage is None:
                text = f"Stage {STAGES[k]} is a group of the trunk, limb and retroperitoneum tables; {no_group}."
            wrong.setdefault(f"Stage {STAGES[k]}", text)
    if result.stage is not None:
        known = "T is known" if result.t != "TX" else f"every size gives {' or '.join(letters)} with this grade"
        wrong.setdefault(
            "No stage group", f"A stage group applies here: this site has AJCC 8 stage groups and {known}."
        )
    return wrong


def _options(facts):
    return treatment_options(_stage(facts), recurrent=facts.recurrent)


def _patient_words(result: StageResult, recurrent: bool, situation: str = "no_stage_group") -> str:
    """The patient in the words that decide the PDQ list (stage, spread, recurrence), so no list is blamed wrongly;
    a size unknown whose possible stages share one list is not called a tumour with no list."""
    spread = {
        ("N0", "M0"): "without spread to lymph nodes or distant sites",
        ("N1", "M0"): "with spread to lymph nodes and no distant metastasis",
        ("N0", "M1"): "with distant metastasis",
        ("N1", "M1"): "with spread to lymph nodes and distant metastasis",
    }[(result.n, result.m)]
    if recurrent:
        return f"a cancer that has come back after treatment (recurrent), {spread}"
    group = f"stage {result.stage}" if result.stage else "no stage group"
    if not result.stage and situation != "no_stage_group":
        group = f"no stage group while the size is unknown, but grade {result.g}, whose possible stages share one list"
    return f"{group}, {spread} ({result.n}, {result.m})"


def _treatment_list(facts, _settings: dict) -> Computed:
    options = _options(facts)
    headings = {s: row["pdq_heading"] for s, row in pdq_headings().items()}
    readings = options.readings
    right = {f"'{pdq_heading(s)['pdq_heading']}'": "" for s in readings}
    if len(readings) > 1:
        for s in readings:
            others = " or ".join(f"'{headings[o]}'" for o in readings if o != s)
            right[f"'{headings[s]}'"] = (
                f"Accepted: this is one of the {len(readings)} readings the sources allow; the other reading is "
                f"{others}. {options.explanation}"
            )
    here = _patient_words(_stage(facts), facts.recurrent, options.situation)
    first = _SITUATIONS.index(readings[0])
    ranked = sorted((s for s in _SITUATIONS if s not in readings), key=lambda s: abs(_SITUATIONS.index(s) - first))
    if facts.recurrent:  # the spread a stage list covers is not what makes it wrong: the recurrence is
        why = (
            f"this patient has {here}, and PDQ gives cancer that has come back a list of its own, "
            f"'{headings['recurrent']}', apart from the lists by stage: that is the list to read."
        )
    wrong = {
        f"'{headings[s]}'": f"That list is for {_SITUATION_WORDS[s]}; "
        + (f"but {why}" if facts.recurrent else f"this patient has {here}.")
        for s in ranked[:3]
    }
    listed = "; ".join(item.words for item in options.items)
    explanation = f"{options.explanation} The options on the '{headings[readings[0]]}' list: {listed}."
    question = "Which NCI PDQ treatment list gives the options for this patient?"
    return Computed(question, right, wrong, explanation, options.source, readings)


def _plan(facts, radiation, chemotherapy, drug=None) -> TreatmentPlan:
    return plan_treatment(
        _stage(facts),
        radiation=radiation,
        chemotherapy=chemotherapy,
        resectable=facts.resectable,
        recurrent=facts.recurrent,
        drug=drug,
    )


def _plan_order(facts, settings: dict) -> Computed:
    radiation, chemotherapy = settings.get("radiation"), settings.get("chemotherapy", "none")
    drug = settings.get("drug")
    plan = _plan(facts, radiation, chemotherapy, drug)
    right = phase_order(plan)
    wrong: dict[str, str] = {}
    for other in ("before", "after", "none"):
        if other != radiation:
            with aside():  # a wrong choice: the order with another radiation choice
                alternative = _plan(facts, other, chemotherapy, drug)
            text = phase_order(alternative)
            if text != right:
                chose = radiation_words(radiation, plan) if radiation != "none" else "no radiation"
                wrong.setdefault(
                    text,
                    f"That is the order with {radiation_words(other, alternative)}; the team chose {chose}."
                    if radiation is not None
                    else f"That is the order with {radiation_words(other, alternative)}; the team chose otherwise.",
                )
    phases = [p.phase for p in plan.phases]
    if len(phases) > 1:
        swapped = " → ".join([phases[1], phases[0], *phases[2:]])
        why = swapped_feedback(*plan.phases[:2])
        if swapped != right and why is not None:
            wrong.setdefault(swapped, why)
        backwards = " → ".join(reversed(phases))
        wrong.setdefault(backwards, "That is the plan backwards: follow-up comes last, after treatment.")
    wrong.pop(right, None)
    chosen = team_choices(radiation, chemotherapy, drug, facts, plan)
    question = f"The team plans {chosen}. In which order do the phases of treatment come?"
    sources = "; ".join(dict.fromkeys(part.strip() for p in plan.phases for part in p.source.split(";")))
    return Computed(question, {right: ""}, wrong, plan.explanation, sources, right,
                    {"plan": plan})  # fmt: skip


def _specific_first(rows) -> list:
    """Pattern rows with the most particular first: site and histology, then one of them, then all sarcomas."""
    return sorted(rows, key=lambda r: (r.scope == "all", -r.scope.count("&")))


def _spread(facts, _settings: dict) -> Computed:
    """Which pathways the reference stresses most: the figure's bands from the widest down, none of a width left out.

    The widest bands are right; where a histology's own distant bands are drawn as wide as the lung
    (retroperitoneal leiomyosarcoma, which tends to spread distantly; myxoid liposarcoma, which often spreads
    outside the lung, at every site), every band as wide as the lung is right, the lung itself included, and so is
    local recurrence where it is stressed (the retroperitoneum). 'Other distant sites' is not offered where the
    sites outside the lung it covers are named and right: it would be neither wrong nor a pathway of its own.
    """
    patterns = spread_patterns(facts.site, facts.histology)
    route_labels = dict(zip(*routes()[["route", "label"]].T.values, strict=True))
    widths_of = band_widths(patterns)
    grouped: dict[str, list] = {}
    widths: dict[str, int] = {}
    for row in patterns.itertuples():
        text = f"{row.destination[0].upper()}{row.destination[1:]} (route: {route_labels[row.route].lower()})"
        grouped.setdefault(text, []).append(row)
        widths[text] = widths_of[(row.route, row.destination)]
    lung = widths_of[("blood", LUNG)]
    own = any(
        widths[text] >= lung and rows[0].route == "blood" and any("histology:" in r.scope for r in rows)
        for text, rows in grouped.items()
    )
    threshold = lung if own else max(widths.values())

    def said(rows) -> str:
        return " ".join(r.statement + (" (approximate)" if r.approximate else "") + "." for r in _specific_first(rows))

    stressed = [text for text, width in widths.items() if width >= threshold]
    named_sites = [
        grouped[text][0].destination
        for text in stressed
        if grouped[text][0].route == "blood" and grouped[text][0].destination not in (LUNG, UMBRELLA)
    ]
    named = " and ".join(text[0].lower() + text[1:] for text in stressed)
    places = [grouped[text][0].destination for text in stressed]
    accepted = (
        f"Accepted: the reference stresses more than one pathway for this tumour ({', '.join(places[:-1])} and "
        f"{places[-1]}), so each of them is right. "
        if len(stressed) > 1
        else ""
    )
    right = {text: accepted + said(grouped[text]) for text in stressed}
    wrong = {
        text: f"{said(grouped[text])} Even so, the reference stresses {named} more for this patient."
        for text, width in sorted(widths.items(), key=lambda kv: -kv[1])
        if text not in right and not (named_sites and grouped[text][0].destination == UMBRELLA)
    }
    sources = "; ".join(dict.fromkeys(r.source for text in right for r in _specific_first(grouped[text])))
    because = " ".join(said(grouped[text]) for text in stressed)
    explanation = f"The reference stresses {named} most for this tumour: {because}"
    if named_sites:
        explanation += (
            f" 'Other distant sites' is not offered: the sites outside the lung it covers are named here "
            f"({', '.join(named_sites[:-1])} and {named_sites[-1]})."
        )
    explanation += f" {METASTATIC_TUMOUR}"
    question = (
        "Which pathway of spread does the reference stress most for this patient's tumour? Where it stresses more "
        "than one, each of them is right."
    )
    return Computed(question, right, wrong, explanation, sources, tuple(right))


_BUILDERS = {
    "grade": _grade,
    "t_category": _t,
    "stage": _stage_step,
    "treatment_list": _treatment_list,
    "plan_order": _plan_order,
    "spread": _spread,
}


def build(kind: str, facts, settings: dict | None = None) -> Computed:
    """Build the computed step ``kind`` (one of :data:`COMPUTED_KINDS`) for a case's facts."""
    return _BUILDERS[kind](facts, settings or {})
