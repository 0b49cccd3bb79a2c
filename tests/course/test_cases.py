"""Virtual patient cases: the built-in cases follow the schema and the library, bad cases are refused."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from sarcoma_edu import ProgressStore, load_table
from sarcoma_edu.clinical.grading import fnclcc
from sarcoma_edu.clinical.planner import plan_treatment
from sarcoma_edu.clinical.spread import spread_patterns
from sarcoma_edu.clinical.staging import stage
from sarcoma_edu.clinical.treatment import treatment_options
from sarcoma_edu.course.case_files import CaseError, case_paths, check_cases, load_cases
from sarcoma_edu.course.case_model import TOPIC
from sarcoma_edu.course.cases import check_answer, generate_case, what_if

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "datasets" / "cases" / "case.schema.json").read_text(encoding="utf-8"))
CASES = {case.id: case for case in load_cases()}
REFERENCE_KEYS = {"PDQ-PT", "PDQ-HP", "ACS", "AJCC8", "FNCLCC", "SEER/ACS"}
HEADINGS = load_table("treatment_situations.csv").set_index("situation")["pdq_heading"]


def library_answer(facts, step) -> set[str]:
    """The right answer(s) of a computed step, worked out here straight from the library functions."""
    result = stage(facts.site, facts.size_cm, facts.grade, nodes=facts.nodes, metastasis=facts.metastasis)
    if step.kind == "grade":
        grade = fnclcc(facts.differentiation, facts.mitoses, facts.necrosis_pct)
        return {f"Grade {grade.grade} ({ {1: 'low', 2: 'mid', 3: 'high'}[grade.grade] })"}
    if step.kind == "t_category":
        return {result.t}
    if step.kind == "stage":
        return {f"Stage {result.stage}" if result.stage else "No stage group"}
    if step.kind == "treatment_list":
        options = treatment_options(result, recurrent=facts.recurrent)
        return {f"'{HEADINGS[s]}'" for s in (options.situation, *options.other_readings)}
    if step.kind == "plan_order":
        plan = plan_treatment(
            result,
            radiation=step.settings.get("radiation"),
            chemotherapy=step.settings.get("chemotherapy", "none"),
            resectable=facts.resectable,
            recurrent=facts.recurrent,
            drug=step.settings.get("drug"),
        )
        return {" → ".join(p.phase for p in plan.phases)}
    rows = spread_patterns(facts.site, facts.histology)
    # a band's width: the most particular rows that apply (site and histology, then one, then all sarcomas)
    rows = rows.assign(particular=[0 if s == "all" else s.count("&") + 1 for s in rows.scope])
    width = rows.sort_values(["particular", "width"]).groupby(["route", "destination"]).width.last()
    # the widest bands; where a histology's own distant bands are as wide as the lung (reference section 4:
    # retroperitoneal leiomyosarcoma spreads distantly, myxoid liposarcoma often outside the lung), every band as wide
    # as the lung, the lung included
    lung = width[("blood", "lung")]
    mine = rows[rows.scope.str.contains("histology:") & (rows.route == "blood")]
    own = any(width[key] >= lung for key in mine.set_index(["route", "destination"]).index)
    top = [key for key, w in width.items() if w >= (lung if own else width.max())]
    labels = dict(load_table("spread_routes.csv")[["route", "label"]].itertuples(index=False))
    return {f"{d[0].upper()}{d[1:]} (route: {labels[r].lower()})" for r, d in top}


def write_case(folder: Path, case: dict, name: str = "my_case.json") -> Path:
    path = folder / name
    path.write_text(json.dumps(case), encoding="utf-8")
    return path


def small_case(**changes) -> dict:
    """A short valid case an instructor might write: a 7 cm high-grade thigh sarcoma."""
    case = {
        "id": "my-thigh-case",
        "title": "A 7 cm thigh sarcoma",
        "level": "first clinical year",
        "objectives": ["Stage a limb sarcoma"],
        "fictional": True,
        "vignette": "A 50-year-old woman has a painless lump in her thigh. This is a fictional patient.",
        "facts": {"site": "extremity", "size_cm": 7, "grade": "G3", "nodes": False, "metastasis": False},
        "steps": [
            {
                "id": "stage",
                "kind": "stage",
                "source": "AJCC8",
                "objectives": ["staging-stage-group"],
                "answer": "IIIA",
                "reveal": "CT: no spread.",
            },
            {
                "id": "biopsy",
                "kind": "choice",
                "source": "PDQ-PT",
                "objectives": ["diagnosis-signs-biopsy"],
                "reveal": "A sarcoma is suspected.",
                "question": "How is the diagnosis made?",
                "choices": [
                    {"text": "By biopsy", "correct": True, "feedback": "Right."},
                    {"text": "By PET alone", "correct": False, "feedback": "Imaging does not make the diagnosis."},
                ],
                "explanation": "Diagnosis is by biopsy.",
            },
        ],
    }
    case.update(changes)
    return case


# --- the built-in cases -----------------------------------------------------------------------


@pytest.mark.parametrize("path", case_paths(), ids=lambda p: p.name)
def test_every_built_in_case_follows_the_case_schema(path):
    """Each built-in case file is valid under datasets/cases/case.schema.json."""
    jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), SCHEMA)


def test_there_are_at_least_eight_fictional_built_in_cases_each_step_citing_the_reference():
    """At least 8 built-in cases; each says it is fictional and every step cites a reference key."""
    assert len(CASES) >= 8
    for case in CASES.values():
        raw = json.loads(case.path.read_text(encoding="utf-8"))
        assert raw["fictional"] is True and "fictional" in case.vignette.lower()
        for step in raw["steps"]:
            keys = {step["source"]} if isinstance(step["source"], str) else set(step["source"])
            assert keys <= REFERENCE_KEYS, (case.id, step["id"])
        assert all(s.question.source for s in case.steps)


COMPUTED = [(c.id, s.id) for c in CASES.values() for s in c.steps if s.kind != "choice"]


@pytest.mark.parametrize(("case_id", "step_id"), COMPUTED, ids=[f"{c}:{s}" for c, s in COMPUTED])
def test_every_computed_step_of_a_built_in_case_equals_the_library_answer(case_id, step_id):
    """A computed step's right answers are what stage, fnclcc, treatment_options, plan_treatment or spread give."""
    case = CASES[case_id]
    step = next(s for s in case.steps if s.id == step_id)
    assert set(step.right_answers) == library_answer(case.facts, step)
    assert not set(step.right_answers) & {a.answer for a in step.question.answers if not a.correct}


CLINICAL = [
    ("A 12 cm high-grade thigh sarcoma without spread is stage IIIB", "limb-preop-radiation", "stage", {"Stage IIIB"}),
    ("Its FNCLCC scores 3 + 3 + 2 give grade 3", "limb-preop-radiation", "grade", {"Grade 3 (high)"}),
    ("A retroperitoneal sarcoma with nodal spread and no metastasis is IIIB, not IV", "retroperitoneum-nodes", "stage",
     {"Stage IIIB"}),
    ("Retroperitoneal nodal spread takes the PDQ list for stage III with lymph node spread", "retroperitoneum-nodes",
     "pdq-list", {f"'{HEADINGS['stage_III_N1']}'"}),
    ("A retroperitoneal leiomyosarcoma: local recurrence dominates in the retroperitoneum, and leiomyosarcoma tends "
     "to spread distantly, so both are right", "retroperitoneum-nodes", "spread",
     {"Local recurrence (route: tissue)", "Lung (route: blood)", "Other distant sites (route: blood)"}),
    ("A node-positive 4 cm foot sarcoma without metastasis is stage IV under AJCC 8", "limb-nodes-clear-cell", "stage",
     {"Stage IV"}),
    ("For it both PDQ readings are accepted: stage III with lymph node spread and stage IV", "limb-nodes-clear-cell",
     "pdq-list", {f"'{HEADINGS['stage_III_N1']}'", f"'{HEADINGS['stage_IV']}'"}),
    ("Even for clear cell sarcoma the lung stays the main distant site", "limb-nodes-clear-cell", "spread",
     {"Lung (route: blood)"}),
    ("For myxoid liposarcoma the reference stresses the lung and the sites outside it it names (bone and spine, soft "
     "tissue, abdomen) alike", "myxoid-liposarcoma-spine", "spread",
     {"Lung (route: blood)", "Bone and spine (route: blood)", "Soft tissue (route: blood)", "Abdomen (route: blood)"}),
    ("A thigh sarcoma with lung metastases is stage IV and takes the stage IV list", "lung-metastases", "pdq-list",
     {f"'{HEADINGS['stage_IV']}'"}),
    ("A 3.5 cm neck sarcoma is T2 by the head and neck sizes", "head-neck", "t-category", {"T2"}),
    ("A head and neck sarcoma has no stage group", "head-neck", "stage", {"No stage group"}),
    ("A sarcoma that has come back takes the PDQ list for recurrence", "recurrence", "pdq-list",
     {f"'{HEADINGS['recurrent']}'"}),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "case_id", "step_id", "expected"), CLINICAL, ids=[c[0] for c in CLINICAL])
def test_built_in_cases_teach_what_the_reference_says(sentence, case_id, step_id, expected):
    """Each clinical sentence (AJCC8, FNCLCC, PDQ-PT, PDQ-HP) is the right answer of its case step."""
    step = next(s for s in CASES[case_id].steps if s.id == step_id)
    assert set(step.right_answers) == expected, sentence


def _spread_step(site: str, histology: str | None):
    from sarcoma_edu.course.case_model import CaseFacts
    from sarcoma_edu.course.case_steps import build

    return build("spread", CaseFacts(site=site, size_cm=8.0, grade="G3", histology=histology))


def test_the_retroperitoneal_leiomyosarcoma_feedback_says_why_a_distant_answer_is_accepted_before_any_figure():
    """'Other distant sites' for a retroperitoneal leiomyosarcoma is accepted, and its feedback says so first, then
    that leiomyosarcoma tends to spread distantly, before the series in which distant spread was less frequent
    (reference section 4: local recurrence dominates ... leiomyosarcoma distantly)."""
    made = _spread_step("retroperitoneum", "leiomyosarcoma")
    feedback = made.right["Other distant sites (route: blood)"]
    assert feedback.startswith("Accepted: the reference stresses more than one pathway for this tumour")
    assert feedback.index("leiomyosarcoma tends to spread to distant sites") < feedback.index("less frequent")
    assert feedback.index("leiomyosarcoma tends") < feedback.index("22%")
    assert "In the same" not in feedback
    assert "Where it stresses more than one, each of them is right" in made.question


# reference section 4 (PDQ-HP; TARPSWG, Gronchi 2016): the lung is the most common distant site; myxoid (round cell)
# liposarcoma often spreads outside the lung (bone, spine, soft tissue, abdomen); in the retroperitoneum local
# recurrence dominates, liposarcoma tends to recur locally and leiomyosarcoma distantly
SPREAD_KEYS = [
    ("A myxoid liposarcoma of a limb: the lung and the sites outside it that the reference names are right alike, "
     "and 'other distant sites', which covers them, is not offered", "extremity", "myxoid_liposarcoma",
     {"Lung", "Bone and spine", "Soft tissue", "Abdomen"}, {"Other distant sites"}),
    ("A round-cell liposarcoma of the trunk is the myxoid form: the same answers", "trunk", "round_cell_liposarcoma",
     {"Lung", "Bone and spine", "Soft tissue", "Abdomen"}, {"Other distant sites"}),
    ("A head and neck myxoid liposarcoma: the same answers", "head_and_neck", "myxoid_liposarcoma",
     {"Lung", "Bone and spine", "Soft tissue", "Abdomen"}, {"Other distant sites"}),
    ("A retroperitoneal myxoid liposarcoma tends to recur locally there, as liposarcoma does, and often spreads "
     "outside the lung, as myxoid liposarcoma does: local recurrence, the lung, bone and spine and soft tissue are "
     "right, and the abdomen, where the tumour already lies, is not offered as a distant site", "retroperitoneum",
     "myxoid_liposarcoma", {"Local recurrence", "Lung", "Bone and spine", "Soft tissue"},
     {"Abdomen", "Other distant sites"}),
    ("A retroperitoneal round-cell liposarcoma: the same answers", "retroperitoneum", "round_cell_liposarcoma",
     {"Local recurrence", "Lung", "Bone and spine", "Soft tissue"}, {"Abdomen", "Other distant sites"}),
    ("A retroperitoneal well-differentiated liposarcoma tends to recur locally", "retroperitoneum",
     "well_differentiated_liposarcoma", {"Local recurrence"}, set()),
    ("A retroperitoneal leiomyosarcoma tends to spread distantly while local recurrence dominates there: local "
     "recurrence, the lung and other distant sites are right", "retroperitoneum", "leiomyosarcoma",
     {"Local recurrence", "Lung", "Other distant sites"}, set()),
    ("A leiomyosarcoma of a limb: the lung, the most common distant site", "extremity", "leiomyosarcoma", {"Lung"},
     set()),
]  # fmt: skip


@pytest.mark.parametrize(
    ("sentence", "site", "histology", "right", "not_offered"), SPREAD_KEYS, ids=[k[0] for k in SPREAD_KEYS]
)
def test_the_spread_step_accepts_what_the_reference_stresses(sentence, site, histology, right, not_offered):
    """Each clinical sentence (reference section 4) is the spread step's key; the options it names are not offered."""
    made = _spread_step(site, histology)
    offered = {text.split(" (route")[0] for text in (*made.right, *made.wrong)}
    assert {text.split(" (route")[0] for text in made.right} == right, sentence
    assert not offered & not_offered, sentence


def test_a_myxoid_liposarcoma_spread_step_says_why_other_distant_sites_is_not_offered():
    """The explanation names the sites outside the lung that 'other distant sites' would cover (reference section 4)."""
    made = _spread_step("extremity", "myxoid_liposarcoma")
    assert "'Other distant sites' is not offered: the sites outside the lung it covers are named here" in (
        made.explanation
    )
    assert "(bone and spine, soft tissue and abdomen)" in made.explanation


@pytest.mark.parametrize("site", ["trunk", "extremity", "retroperitoneum", "head_and_neck", "visceral"])
@pytest.mark.parametrize("histology", [None, *load_table("histologies.csv").histology], ids=str)
def test_the_spread_key_and_the_figure_agree(site, histology):
    """The spread key is the figure read from its widest band down: every accepted pathway is drawn as stressed, every
    band drawn as wide as an accepted one is accepted too (so the lung whenever a site outside it is: reference section
    4, the lung is the most common distant site), 'other distant sites' is not offered where the sites it covers are
    accepted, and a blood route drawn as wide as local recurrence or wider has a destination accepted."""
    from sarcoma_edu.clinical.spread import pathway

    frame = pathway(site, histology).to_frame()
    bands = frame[~frame["from"].str.startswith("Primary")].set_index("to")
    emphasised = set(bands[bands.emphasis].index)
    made = _spread_step(site, histology)
    accepted = {text.split(" (route")[0] for text in made.right}
    offered = accepted | {text.split(" (route")[0] for text in made.wrong}
    assert accepted <= emphasised, (site, histology)
    narrowest = min(bands.value[d] for d in accepted)
    as_wide = {d for d in bands.index if bands.value[d] >= narrowest}
    assert as_wide - accepted <= {"Other distant sites"} - offered, (site, histology)
    blood = set(bands[bands["from"] == "Route: Blood"].index)
    if accepted & (blood - {"Lung", "Other distant sites"}):
        assert "Lung" in accepted and "Other distant sites" not in offered, (site, histology)
    routes = frame[frame["from"].str.startswith("Primary")].set_index("to").value
    if "Local recurrence" in emphasised and routes["Route: Blood"] >= routes["Route: Tissue"]:
        assert accepted & blood, (site, histology)


def test_a_stage_iv_limb_case_with_removable_lung_metastases_plans_their_removal():
    """The lung metastases case plans surgery to remove them after the primary's treatment (PDQ-PT, ACS)."""
    phases = [p.phase for p in CASES["lung-metastases"].plan().phases]
    assert phases.index("Surgery") < phases.index("Surgery to remove the lung metastases")


def test_a_case_step_is_recorded_in_the_progress_store_under_the_cases_topic(tmp_path):
    """A step's id is case:<case>:<step> with topic 'cases', and the progress store keeps it as a mistake."""
    step = CASES["head-neck"].steps[0]
    assert step.question.id == "case:head-neck:t-category" and step.question.topic == TOPIC == "cases"
    store = ProgressStore(tmp_path / "progress.sqlite3")
    store.record(step.question.id, "T1", False, topic=TOPIC)
    assert store.mistakes() == ["case:head-neck:t-category"]
    assert list(store.summary(by="topic")["topic"]) == ["cases"]


def test_checking_an_answer_gives_its_feedback_and_the_explanation():
    """Choosing T1 for a 3.5 cm neck sarcoma is wrong and says the trunk and limb sizes were used."""
    step = CASES["head-neck"].steps[0]
    wrong = check_answer(step, "T1")
    assert not wrong.correct and "trunk and limbs" in wrong.answer_feedback
    assert check_answer(step, "T2").correct and "3.5 cm" in wrong.explanation
    with pytest.raises(ValueError, match="not one of this question's answers"):
        check_answer(step, "T9")


# --- cases that must be refused ---------------------------------------------------------------


def test_a_case_whose_written_stage_contradicts_its_facts_is_refused_naming_file_step_and_field(tmp_path):
    """A 7 cm high-grade thigh tumour written as IIIB (it is IIIA) is refused on load."""
    case = small_case()
    case["steps"][0]["answer"] = "IIIB"
    path = write_case(tmp_path, case)
    with pytest.raises(CaseError) as caught:
        load_cases(path)
    (problem,) = caught.value.problems
    assert problem.startswith(f"{path}, step 0 (id 'stage'), field 'steps[0].answer': the case says 'IIIB'")
    assert "give IIIA" in problem


@pytest.mark.parametrize(
    ("kind", "written", "library"),
    [("grade", "G1", "G3"), ("t_category", "T3", "T2"), ("treatment_list", "stage_IV", "stage_II_III_N0")],
)
def test_a_written_grade_t_or_pdq_list_that_disagrees_with_the_facts_is_refused(tmp_path, kind, written, library):
    """Grade, T and PDQ list written by the author are checked against the library as the stage is."""
    case = small_case()
    case["facts"] = {**case["facts"], "fnclcc": {"differentiation": 3, "mitoses": 25, "necrosis_pct": 60}}
    extra = {"id": "extra", "kind": kind, "source": "AJCC8", "objectives": ["board-work-case"], "answer": written}
    case["steps"].append({**extra, "reveal": "More."})
    (check,) = check_cases(write_case(tmp_path, case))
    assert not check.ok and f"field 'steps[2].answer': the case says {written!r}" in check.problems[0]
    assert library in check.problems[0]


def test_a_grade_that_disagrees_with_the_fnclcc_scores_is_refused(tmp_path):
    """Facts that say G1 with scores totalling 8 (grade 3) are refused, naming facts.grade."""
    case = small_case()
    case["facts"] = {
        **case["facts"],
        "grade": "G1",
        "fnclcc": {"differentiation": 3, "mitoses": 25, "necrosis_pct": 60},
    }
    (check,) = check_cases(write_case(tmp_path, case))
    assert check.problems == (
        f"{tmp_path / 'my_case.json'}, field 'facts.grade': the case says G1 but its FNCLCC scores give G3",
    )


def test_every_schema_problem_is_listed_with_its_file_step_and_field(tmp_path):
    """A missing title, an unknown source key and a choice step with no right choice are all listed."""
    case = small_case()
    del case["title"]
    case["steps"][0]["source"] = "Wikipedia"
    for choice in case["steps"][1]["choices"]:
        choice["correct"] = False
    path = write_case(tmp_path, case)
    (check,) = check_cases(path)
    text = "\n".join(check.problems)
    assert f"{path}, field 'title': is missing" in text
    assert f"{path}, step 0 (id 'stage'), field 'steps[0].source'" in text
    assert f"{path}, step 1 (id 'biopsy'), field 'steps[1].choices': no choice is marked correct" in text


def test_a_field_that_belongs_to_another_kind_of_step_is_named(tmp_path):
    """A computed stage step with 'choices' is refused: the field is not one of a stage step."""
    case = small_case()
    case["steps"][0]["choices"] = []
    (check,) = check_cases(write_case(tmp_path, case))
    assert check.problems == (
        f"{tmp_path / 'my_case.json'}, step 0 (id 'stage'), field 'steps[0].choices': is not a field of a stage step",
    )


def test_an_unknown_histology_and_a_repeated_step_id_are_refused(tmp_path):
    """facts.histology must be in histologies.csv, and two steps may not share an id."""
    case = small_case()
    case["facts"]["histology"] = "bone cancer"
    assert "field 'facts.histology'" in check_cases(write_case(tmp_path, case))[0].problems[0]
    case = small_case()
    case["steps"][1]["id"] = "stage"
    assert (
        "field 'steps[1].id': 'stage' is used by an earlier step"
        in check_cases(write_case(tmp_path, case))[0].problems[0]
    )


def test_a_case_id_already_used_by_a_built_in_case_is_refused(tmp_path):
    """An instructor's case may not reuse a built-in case's id (progress is recorded by it)."""
    (check,) = check_cases(write_case(tmp_path, small_case(id="head-neck")))
    assert "field 'id': 'head-neck' is already used by a built-in case in " in check.problems[0]


@pytest.mark.parametrize(
    ("content", "expected"),
    [("{not json", "not valid JSON"), ("[]", "a case is a JSON object, not a list"), (None, "no such file")],
)
def test_a_file_that_is_not_a_case_is_refused_in_one_line(tmp_path, content, expected):
    """Broken JSON, a list and a missing file each give one problem naming the file."""
    path = tmp_path / "case.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(CaseError, match=expected):
        load_cases(path)


def test_an_instructors_valid_case_loads_with_its_written_answers(tmp_path):
    """The short case the docs show loads, and its stage step's right answer is the one written."""
    (case,) = load_cases(write_case(tmp_path, small_case()))
    assert case.steps[0].right_answers == ("Stage IIIA",) and case.steps[1].right_answers == ("By biopsy",)


# --- generated cases --------------------------------------------------------------------------

SEEDS = [*range(120), 2**64, 2**128 - 1]


@pytest.mark.parametrize("seed", SEEDS)
def test_a_generated_case_is_answered_by_the_library_with_distractors_that_differ_from_the_answer(seed):
    """Any seed gives a case whose every step has a right answer equal to the library's and distinct wrong ones."""
    case = generate_case(seed)
    assert case.id == f"generated-{seed}" and "fictional" in case.vignette
    assert [s.kind for s in case.steps][-3:] == ["treatment_list", "plan_order", "spread"]
    for step in case.steps:
        texts = [a.answer for a in step.question.answers]
        assert len(texts) == len(set(texts)) >= 2
        assert set(step.right_answers) == library_answer(case.facts, step)


def test_the_same_seed_gives_the_same_case():
    """generate_case is deterministic: seed 7 twice gives equal cases; seeds 7 and 8 differ."""
    assert generate_case(7) == generate_case(7)
    assert generate_case(7).facts != generate_case(8).facts


BAD_SEEDS = [(-1, ValueError), (2**128, ValueError), (True, TypeError), ("5", TypeError), (1.5, ValueError)]


@pytest.mark.parametrize(("seed", "error"), BAD_SEEDS)
def test_a_seed_outside_the_allowed_whole_numbers_is_refused_naming_it(seed, error):
    """A negative, too large, bool, text or fractional seed is refused with a message naming 'seed'."""
    with pytest.raises(error, match="seed"):
        generate_case(seed)


# --- what if? ---------------------------------------------------------------------------------


def test_what_if_the_node_positive_tumour_were_in_the_retroperitoneum_iv_becomes_iiib_and_the_list_changes():
    """Moving the node-positive foot tumour to the retroperitoneum: stage IV becomes IIIB, one PDQ list is left."""
    facts, changes = what_if(CASES["limb-nodes-clear-cell"], site="retroperitoneum")
    assert facts.site == "retroperitoneum"
    by_step = {c.step_id: c for c in changes}
    assert (by_step["stage"].before, by_step["stage"].after) == (("Stage IV",), ("Stage IIIB",))
    assert by_step["pdq-list"].changed and by_step["pdq-list"].after == (f"'{HEADINGS['stage_III_N1']}'",)
    assert not by_step["t-category"].changed and "retroperitoneum" in by_step["stage"].why


def test_what_if_the_grade_changes_the_grade_step_is_left_out_and_the_stage_follows():
    """Setting the thigh tumour to G1 drops the FNCLCC step and makes the 12 cm tumour stage IB."""
    facts, changes = what_if(CASES["limb-preop-radiation"], grade="G1")
    assert facts.grade == "G1" and not facts.has_scores
    by_step = {c.step_id: c for c in changes}
    assert "grade" not in by_step and by_step["stage"].after == ("Stage IB",)


@pytest.mark.parametrize("change", [{}, {"site": "leg", "size_cm": 3}, {"histology": "angiosarcoma"}])
def test_what_if_takes_exactly_one_of_the_five_facts(change):
    """No change, two changes, or a fact outside site, size, grade, nodes and metastasis is refused."""
    with pytest.raises(ValueError, match="expected one of"):
        what_if(CASES["head-neck"], **change)


def test_what_if_a_size_of_zero_is_refused_naming_size_cm():
    """A what-if size of 0 cm is refused with the staging message naming size_cm."""
    with pytest.raises(ValueError, match="size_cm=0"):
        what_if(CASES["head-neck"], size_cm=0)


# --- sarcoma-edu case check -------------------------------------------------------------------


def test_case_check_says_ok_and_exits_0_for_a_valid_case(tmp_path, capsys):
    """`sarcoma-edu case check FILE` prints one OK line with the case id and step count, status 0."""
    from sarcoma_edu.cli import main

    path = write_case(tmp_path, small_case())
    assert main(["case", "check", str(path)]) == 0
    assert capsys.readouterr().out == f"{path}: OK, case 'my-thigh-case' with 2 steps\n"


def test_case_check_lists_every_problem_one_line_each_and_exits_2(tmp_path, capsys):
    """A wrong written stage and a missing title in two files give one line each (file, step, field), status 2."""
    from sarcoma_edu.cli import main

    wrong = small_case()
    wrong["steps"][0]["answer"] = "IV"
    untitled = small_case(id="other-case")
    del untitled["title"]
    paths = [write_case(tmp_path, wrong, "wrong.json"), write_case(tmp_path, untitled, "untitled.json")]
    assert main(["case", "check", *map(str, paths)]) == 2
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{paths[0]}, step 0 (id 'stage'), field 'steps[0].answer': the case says 'IV'")
    assert lines[1] == f"{paths[1]}, field 'title': is missing"
    assert err == "sarcoma-edu case check: 2 problem(s) in 2 of 2 file(s)\n"


def test_case_check_checks_the_built_in_cases_without_a_problem(capsys):
    """Every built-in case passes `sarcoma-edu case check`."""
    from sarcoma_edu.cli import main

    assert main(["case", "check", *map(str, case_paths())]) == 0
    assert capsys.readouterr().out.count(": OK, case ") == len(case_paths())


@pytest.mark.parametrize(
    ("question_id", "rebuilt"),
    [
        ("case:head-neck:t-category", True),
        ("case:generated-41:stage", True),
        ("case:head-neck:no-such-step", False),
        ("case:generated-041:stage", False),
        ("case:no-such-case:stage", False),
        ("rf-li-fraumeni-gene", False),
        ("case-stage-5", False),
    ],
)
def test_a_case_step_is_rebuilt_from_its_progress_id_for_practising_mistakes(question_id, rebuilt):
    """The catalog gives back a case step's question for a built-in or generated step id; other ids are not steps."""
    from sarcoma_edu.course.items import UnknownItemError, item

    try:
        question = item(question_id)
    except UnknownItemError:
        question = None
    assert (question is not None and question.topic == "cases") == rebuilt
    if rebuilt:
        assert question.id == question_id


# --- metastatic, recurrent and node-positive patients at every site (clinical review, second round) ---


def test_what_if_the_recurrence_had_lung_metastases_the_plan_becomes_the_recurrent_systemic_options():
    """A thigh recurrence that also has lung metastases (removability not said) is planned as the PDQ recurrent
    list's systemic options, not re-excision: the what-if changes the plan step (PDQ-PT; ACS)."""
    facts, changes = what_if(CASES["recurrence"], metastasis=True)
    assert facts.resectable is None
    plan = next(c for c in changes if c.kind == "plan_order")
    assert plan.changed and plan.after[0].startswith("Systemic therapy (chemotherapy, targeted therapy")
    listed = next(c for c in changes if c.kind == "treatment_list")
    assert listed.after == (f"'{HEADINGS['recurrent']}'",)


@pytest.mark.parametrize("site", ["head_and_neck", "visceral"])
def test_a_metastatic_tumour_without_a_stage_group_accepts_the_stage_iv_list_and_says_why_both_apply(site):
    """With distant metastasis and no stage group, the PDQ-list step accepts the stage IV list and 'no stage
    group', each answer's feedback naming the other reading (an interpretation is never the only answer)."""
    from sarcoma_edu.course import case_steps

    facts, _changes = what_if(CASES["head-neck"], metastasis=True)
    facts = facts.changed(site=site) if site != "head_and_neck" else facts
    made = case_steps.build("treatment_list", facts)
    assert set(made.right) == {f"'{HEADINGS['no_stage_group']}'", f"'{HEADINGS['stage_IV']}'"}
    for feedback in made.right.values():
        assert feedback.startswith("Accepted") and "Both readings are accepted" in feedback
    plan = case_steps.build("plan_order", facts).extra["plan"]
    assert plan.phases[0].phase.startswith("Systemic therapy")


def test_a_wrong_pdq_list_is_never_blamed_on_a_stage_that_list_covers():
    """For the node-positive retroperitoneal IIIB case, the stage II/III-without-nodes list is wrong because of
    the lymph node spread, and the feedback says so rather than blaming stage IIIB (PDQ-PT; AJCC8)."""
    step = next(s for s in CASES["retroperitoneum-nodes"].steps if s.kind == "treatment_list")
    feedback = next(a.feedback for a in step.question.answers if HEADINGS["stage_II_III_N0"] in a.answer)
    assert "stage IIIB, with spread to lymph nodes" in feedback


@pytest.mark.parametrize("seed", range(0, 400, 7))
def test_a_generated_plan_order_step_speaks_of_neoadjuvant_only_where_a_phase_is_given_before_surgery(seed):
    """The 'wrong way round' feedback of a generated case names the two phases and the real reason: a recovery or
    restaging step is the gap after the one before it (surgery about 3-6 weeks after radiation ends, reference
    section 5), not 'because it is given before surgery'; 'neoadjuvant' only when the operation comes second."""
    case = generate_case(seed)
    step = next(s for s in case.steps if s.kind == "plan_order")
    plan = case.plan()
    first, second = plan.phases[:2]
    for answer in step.question.answers:
        if "wrong way round" in answer.feedback:
            assert f"'{first.phase}' comes before '{second.phase}'" in answer.feedback
            assert ("neoadjuvant" in answer.feedback) == (
                first.timing == "neoadjuvant" and second.modality == "surgery"
            )
            assert ("is the gap after it" in answer.feedback) == (second.timing == "gap")
            assert "adjuvant)" not in answer.feedback.replace("(neoadjuvant)", "")


THIGH = {"site": "extremity", "size_cm": 9.0, "grade": "G3"}


@pytest.mark.parametrize(
    ("facts", "settings", "first_two"),
    [
        pytest.param(
            THIGH,
            {"radiation": "before", "chemotherapy": "before"},
            ("Chemotherapy before surgery", "Radiation therapy before surgery"),
            id="chemotherapy and radiation both before surgery",
        ),
        pytest.param(
            {**THIGH, "metastasis": True, "resectable": True},
            {"radiation": "none", "chemotherapy": "none"},
            ("Surgery", "Surgery to remove the lung metastases"),
            id="the primary and the lung metastases",
        ),
        pytest.param(
            {**THIGH, "metastasis": True},
            {"radiation": "after", "chemotherapy": "none"},
            ("Systemic therapy (chemotherapy or targeted therapy)", "Radiation to ease symptoms"),
            id="systemic therapy and radiation to ease symptoms",
        ),
    ],
)
def test_no_order_is_marked_wrong_where_the_reference_gives_none(facts, settings, first_two):
    """Swapping two steps whose order no source gives (two treatments before surgery, the two operations of a
    patient whose metastases can be removed, systemic therapy and palliative radiation) is not offered as a mistake
    (reference sections 5 and 6 give no order for them)."""
    from sarcoma_edu.course.case_model import CaseFacts
    from sarcoma_edu.course.case_steps import build

    made = build("plan_order", CaseFacts(**facts), settings)
    plan = made.extra["plan"]
    assert tuple(p.phase for p in plan.phases[:2]) == first_two
    assert not any("wrong way round" in feedback for feedback in made.wrong.values())


def test_generated_seed_87_does_not_explain_palliative_radiation_as_radiation_before_surgery():
    """Seed 87 (distant metastasis, not removable, no radiation chosen): the distractor with radiation to ease symptoms
    says so, not 'the order with radiation before surgery', since the plan has no operation (reference section 5)."""
    step = next(s for s in generate_case(87).steps if s.kind == "plan_order")
    feedback = " ".join(a.feedback for a in step.question.answers if not a.correct)
    assert "radiation added to ease symptoms; the team chose no radiation" in feedback
    assert "radiation before surgery" not in feedback and "radiation after surgery" not in feedback


def test_a_generated_case_whose_story_says_every_metastasis_can_be_removed_plans_their_removal():
    """Over 1,000 generated patients: 'every metastasis can be removed' in the story means the plan removes them,
    at every site; 'cannot remove all the cancer' means systemic therapy; lymph node spread means a
    lymphadenectomy; and every story says the patient may not be typical (ACS; PDQ-PT)."""
    problems, seen = [], set()
    for seed in range(1000):
        case = generate_case(seed)
        reveal = next(s for s in case.steps if s.kind == "plan_order").reveal
        phases = [p.phase for p in case.plan().phases]
        seen.add((case.facts.site, case.facts.metastasis, case.facts.resectable))
        if "including every metastasis, can be removed" in reveal:
            ok = "Surgery to remove the lung metastases" in phases
        elif case.facts.metastasis:
            ok = "Surgery cannot remove all the cancer" in reveal and phases[0].startswith("Systemic therapy")
        else:
            ok = "Surgery to remove the lung metastases" not in phases
        if case.facts.nodes and any(p.startswith("Surgery") for p in phases):
            ok = ok and "Surgery with lymphadenectomy" in phases
        if not ok or "may not be typical" not in case.vignette:
            problems.append(f"seed {seed}: {case.facts} -> {phases}")
    assert problems == []
    assert ("head_and_neck", True, True) in seen and ("retroperitoneum", True, False) in seen


CHOSEN_DRUGS = [("epithelioid-tazemetostat", "tazemetostat"), ("asps-atezolizumab", "atezolizumab")]


@pytest.mark.parametrize(("case_id", "drug"), CHOSEN_DRUGS)
def test_the_case_timeline_names_the_drug_the_case_chose(case_id, drug):
    """The epithelioid sarcoma and ASPS cases end with a timeline naming tazemetostat or atezolizumab, the drug
    their own drug step teaches, and no other drug in a phase title (ACS 2024-08-02)."""
    case = CASES[case_id]
    plan = case.plan()
    assert plan.drug == drug
    assert [p.phase for p in plan.phases] == [f"Systemic therapy: {drug}", "Follow-up"]
    for other in ("doxorubicin", "pazopanib", "imatinib"):
        assert other not in plan.phases[0].phase
    taught = next(s for s in case.steps if "treatment-drugs" in s.objectives)
    assert taught.right_answers[0].lower().startswith(drug)


def test_a_case_plan_with_an_unknown_drug_is_refused_naming_the_field(tmp_path):
    """A case whose plan names a drug not in drugs.csv is refused on load, naming the file and field 'plan'."""
    path = write_case(tmp_path, small_case(plan={"drug": "wonderdrug"}))
    (check,) = check_cases(path)
    assert check.problems[0].startswith(f"{path}, field 'plan': the library cannot plan it: drug='wonderdrug'")


@pytest.mark.parametrize("grade", ["G1", "GX"])
def test_a_stage_step_for_a_low_grade_tumour_of_unknown_size_answers_stage_i_and_offers_ia_and_ib_as_wrong(grade):
    """A case of unknown size, G1 or GX, no spread: the key is Stage I, and IA, IB and 'No stage group' are wrong."""
    from sarcoma_edu.course.case_model import CaseFacts
    from sarcoma_edu.course.case_steps import build

    step = build("stage", CaseFacts(site="trunk", size_cm=None, grade=grade))
    assert list(step.right) == ["Stage I"] and "IA or IB: the size decides" in step.explanation
    assert {"Stage IA", "Stage IB", "No stage group"} <= set(step.wrong)
    assert "this tumour is TX" in step.wrong["Stage IA"]


def test_a_generated_case_with_removable_metastases_shows_only_a_few_spots_in_the_lungs():
    """Over 500 generated patients with distant metastasis: where every metastasis can be removed the chest CT shows
    'a few spots', as the lung operation needs, and where not all can be removed 'several spots' (reference section 5:
    resection of lung metastases when only a few spots)."""
    problems, seen = [], set()
    for seed in range(500):
        case = generate_case(seed)
        if not case.facts.metastasis:
            continue
        told = next(s for s in case.steps if s.kind == "stage").reveal
        expected = "a few spots" if case.facts.resectable else "several spots"
        seen.add(expected)
        if f"CT of the chest shows {expected} in the lungs" not in told:
            problems.append(f"seed {seed}: resectable={case.facts.resectable}: {told}")
    assert problems == [] and seen == {"a few spots", "several spots"}
