"""The studio without widgets: drafts from a form's fields, checked as `bank check` / `case check` check a file, saved.

Clinical values: an extremity sarcoma of 12 cm, high grade (G3), no spread is T3 and stage IIIB (AJCC8 trunk and
extremity tables, as reprinted in PDQ-HP 2025-02-21); FNCLCC differentiation 3, 25 mitoses, 60% necrosis is a
total of 8, grade 3 (FNCLCC: Trojani 1984; Coindre 2006).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sarcoma_edu.common.jsonfiles import Problem
from sarcoma_edu.course import authoring
from sarcoma_edu.course.banks import check_banks
from sarcoma_edu.course.case_authoring import case_item, computed_answers, default_reveal, number_or_text
from sarcoma_edu.course.case_files import check_cases

THIGH = {
    "site": "extremity",
    "size_cm": "12",
    "depth": "deep",
    "histology": "undifferentiated_pleomorphic_sarcoma",
    "fnclcc": {"differentiation": 3, "mitoses": "25", "necrosis_pct": "60"},
    "nodes": False,
    "metastasis": False,
}


def question(**changes) -> dict:
    fields = {
        "question_id": "my-stage-1",
        "topic": "staging",
        "kind": "multiple_choice",
        "difficulty": "easy",
        "question": "A 12 cm high-grade thigh sarcoma without spread: which stage?",
        "answers": [{"answer": "IIIB", "correct": True}, {"answer": "IIIA", "correct": False, "feedback": "No."}],
        "explanation": "T3 G3 N0 M0 is IIIB.",
        "source": "AJCC8",
        "objectives": ["staging-stage-group"],
    }
    return authoring.question_item(**{**fields, **changes})


def thigh_case(**changes) -> dict:
    fields = {
        "case_id": "thigh-ups",
        "title": "A deep thigh sarcoma",
        "level": "first clinical year",
        "objectives": ["Grade and stage it"],
        "vignette": "A 56-year-old man has a lump at the back of his thigh. A fictional patient.",
        "facts": THIGH,
        "plan": {"radiation": "before", "chemotherapy": "none"},
    }
    return case_item(**{**fields, **changes})


def fields_of(problems: list[Problem]) -> list[str]:
    return [p.field for p in problems]


def test_a_sound_question_has_no_problem_and_saves_into_quiz_my_questions(tmp_path):
    """A complete question has no problem and Save writes it, as a bank, to quiz/my_questions.json."""
    assert authoring.draft_problems("question", question(), tmp_path) == []
    path = authoring.save("question", question(), tmp_path)
    assert path == tmp_path / "quiz" / "my_questions.json"
    assert [q["id"] for q in json.loads(path.read_text())] == ["my-stage-1"]
    assert check_banks(path)[0].ok


def test_the_forms_problems_are_the_lines_bank_check_prints_for_the_same_file(tmp_path):
    """One definition: a draft's problems, as lines, are exactly what `bank check` reports once it is in the file."""
    draft = question(explanation="", objectives=["staging-stage-group", "no-such-objective"])
    problems = authoring.draft_problems("question", draft, tmp_path)
    target = tmp_path / "quiz" / "my_questions.json"
    target.parent.mkdir(parents=True)
    target.write_text(json.dumps([draft]))
    assert [str(p) for p in problems] == list(check_banks(target)[0].problems)
    assert fields_of(problems) == ["explanation", "objectives[1]"]


def test_a_missing_explanation_is_a_problem_of_the_explanation_field(tmp_path):
    """An empty explanation is left out of the draft, so the check says 'explanation: is missing'."""
    (problem,) = authoring.draft_problems("question", question(explanation="  "), tmp_path)
    assert (problem.field, problem.message) == ("explanation", "is missing")


def test_an_objective_that_does_not_exist_is_named_in_its_field(tmp_path):
    """An objective id not in datasets/objectives.csv is a problem of objectives[0], naming the id."""
    (problem,) = authoring.draft_problems("question", question(objectives=["stagin-stage-group"]), tmp_path)
    assert problem.field == "objectives[0]" and "'stagin-stage-group' is not a learning objective" in problem.message


def test_an_id_of_a_built_in_question_is_refused(tmp_path):
    """A question id the built-in banks use is a problem of the id field, naming the built-in file."""
    (problem,) = authoring.draft_problems("question", question(question_id="dr-mesna"), tmp_path)
    assert problem.field == "id" and "already used by a built-in question in" in problem.message
    assert "drugs.json" in problem.message


def test_an_id_used_in_another_of_her_files_is_refused(tmp_path):
    """An id already in another bank file of her content folder is a problem of the draft, naming that file."""
    other = tmp_path / "quiz" / "extra.json"
    other.parent.mkdir(parents=True)
    other.write_text(json.dumps([question()]))
    (problem,) = authoring.draft_problems("question", question(), tmp_path)
    assert problem.field == "id" and str(other) in problem.message


def test_saving_again_with_the_same_id_needs_replace_and_keeps_the_other_questions(tmp_path):
    """A second Save with the same id is refused (nothing written) unless it replaces the saved one, in place."""
    authoring.save("question", question(question_id="first"), tmp_path)
    authoring.save("question", question(), tmp_path)
    target = tmp_path / "quiz" / "my_questions.json"
    before = target.read_text()
    changed = question(question="Which AJCC 8 stage group?")
    with pytest.raises(authoring.DraftError) as refused:
        authoring.save("question", changed, tmp_path)
    assert refused.value.problems[0].field == "id" and target.read_text() == before
    authoring.save("question", changed, tmp_path, replace=True)
    saved = json.loads(target.read_text())
    assert [q["id"] for q in saved] == ["first", "my-stage-1"] and saved[1]["question"] == "Which AJCC 8 stage group?"


def test_a_draft_with_a_problem_writes_nothing(tmp_path):
    """Save refuses a draft with a problem and leaves the content folder empty."""
    with pytest.raises(authoring.DraftError):
        authoring.save("question", question(explanation=""), tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_question_about_a_stage_gets_its_key_from_the_rules():
    """Extremity, 12 cm, G3, N0, M0: the library's key for the stage group is IIIB, with the call it came from."""
    patient = {"site": "extremity", "size_cm": "12", "grade": "G3", "nodes": False, "metastasis": False}
    spec, key = authoring.computed_key("AJCC 8 stage group", patient)
    assert key == "IIIB" and spec == {"function": "stage", "field": "stage", "args": {**patient, "size_cm": 12}}
    _, total = authoring.computed_key("FNCLCC total score", {"differentiation": 3, "mitoses": 25, "necrosis_pct": 60})
    assert total == 8


def test_a_key_that_disagrees_with_the_rules_is_a_problem_of_derived_from(tmp_path):
    """A question whose derived_from gives IIIB but marks IIIA right is refused, saying what the rules give."""
    patient = {"site": "extremity", "size_cm": 12, "grade": "G3", "nodes": False, "metastasis": False}
    spec, _ = authoring.computed_key("AJCC 8 stage group", patient)
    answers = [{"answer": "IIIB", "correct": False}, {"answer": "IIIA", "correct": True}]
    (problem,) = authoring.draft_problems("question", question(answers=answers, derived_from=spec), tmp_path)
    assert problem.field == "derived_from" and "gives 'IIIB'" in problem.message
    assert authoring.draft_problems("question", question(derived_from=spec), tmp_path) == []


def test_an_exercise_with_a_built_in_exercises_id_is_refused(tmp_path):
    """An exercise id a lesson already uses is a problem of its id, naming the lesson's exercise file."""
    draft = authoring.exercise_item(
        lesson="03_staging",
        role="predict",
        reveals="the staging calculator",
        question_id="ex-03-retro-nodes",
        topic="staging",
        kind="multiple_choice",
        difficulty="easy",
        question="A 12 cm high-grade thigh sarcoma without spread: which stage?",
        answers=[{"answer": "IIIB", "correct": True}, {"answer": "IIIA", "correct": False}],
        explanation="T3 G3 N0 M0 is IIIB.",
        source="AJCC8",
        objectives=["staging-stage-group"],
    )
    (problem,) = authoring.draft_problems("exercise", draft, tmp_path)
    assert problem.field == "id" and "03_staging.json" in problem.message
    draft["id"] = "ex-03-my-thigh"
    assert authoring.save("exercise", draft, tmp_path) == tmp_path / "exercises" / "03_staging.json"


def test_a_case_from_facts_has_every_answer_computed_by_the_library():
    """A 12 cm deep thigh UPS with FNCLCC 3/25/60: grade 3, T3, stage IIIB, each with the library's explanation."""
    answers, why = computed_answers(thigh_case())
    assert why == ""
    right = {a.kind: a.right for a in answers}
    assert right["grade"] == ("Grade 3 (high)",) and right["t_category"] == ("T3",)
    assert right["stage"] == ("Stage IIIB",)
    assert [a.kind for a in answers] == ["grade", "t_category", "stage", "treatment_list", "plan_order", "spread"]
    stage = next(a for a in answers if a.kind == "stage")
    assert "IIIB" in stage.explanation and "AJCC8" in stage.source and stage.wrong


def test_the_facts_tell_each_step_what_it_reveals():
    """Each computed step reveals a sentence made from the facts (the size and depth for T, the spread for stage)."""
    assert default_reveal("t_category", {"size_cm": 12, "depth": "deep"}) == (
        "MRI of the primary tumour: greatest dimension 12 cm. The tumour is deep."
    )
    assert "no spread to the lungs" in default_reveal("stage", {"nodes": False, "metastasis": False, "grade": "G2"})
    assert number_or_text("12,5") == "12,5" and number_or_text("12.5") == 12.5 and number_or_text(" ") is None


def test_her_feedback_for_a_wrong_choice_replaces_the_librarys_and_the_others_stay(tmp_path):
    """Her feedback for 'Stage IIIA' is what a student who picks it reads; other wrong choices keep the library's."""
    mine = "Look again at the size: which T band is 12 cm in?"
    draft = thigh_case(feedback={"stage": {"Stage IIIA": mine}})
    assert authoring.draft_problems("case", draft, tmp_path) == []
    case = authoring.built("case", draft, tmp_path)
    step = next(s for s in case.steps if s.kind == "stage")
    feedback = {a.answer: a.feedback for a in step.question.answers}
    library = next(a for a in computed_answers(draft)[0] if a.kind == "stage")
    assert feedback["Stage IIIA"] == mine
    assert all(feedback[t] == words for t, words in library.wrong if t != "Stage IIIA")


def test_feedback_for_the_right_answer_or_a_choice_not_offered_is_refused(tmp_path):
    """Feedback is for wrong choices only: on 'Stage IIIB' (right) or 'Stage IVB' (not offered) it is a step problem."""
    for text, words in (("Stage IIIB", "is the right answer"), ("Stage IVB", "is not a wrong choice of this step")):
        draft = thigh_case(feedback={"stage": {text: "Mine."}})
        (problem,) = authoring.draft_problems("case", draft, tmp_path)
        assert problem.field == "steps[2].feedback" and words in problem.message


def test_a_case_with_a_built_in_cases_id_is_refused_as_case_check_refuses_it(tmp_path):
    """A case id of a built-in case is a problem of the id, in the words `case check` uses."""
    (problem,) = authoring.draft_problems("case", thigh_case(case_id="head-neck"), tmp_path)
    assert problem.field == "id" and "'head-neck' is already used by" in problem.message
    saved = tmp_path / "copy.json"
    saved.write_text(json.dumps(thigh_case(case_id="head-neck")))
    assert [str(p).split(", field")[1] for p in check_cases(saved)[0].problems] == [str(problem).split(", field")[1]]


def test_a_size_typed_with_a_comma_is_a_problem_of_the_size(tmp_path):
    """'12,5' is not read as a number: the check names facts.size_cm and what it allows; nothing is computed."""
    draft = thigh_case(facts={**THIGH, "size_cm": "12,5"})
    (problem,) = authoring.draft_problems("case", draft, tmp_path)
    assert problem.field == "facts.size_cm" and "'12,5' is not the greatest dimension in cm" in problem.message
    assert computed_answers(draft)[0] == []


def test_a_saved_case_is_not_overwritten_without_replace(tmp_path):
    """A case saved once is a problem of the id for a second Save until 'replace' is asked for."""
    path = authoring.save("case", thigh_case(), tmp_path)
    assert path == tmp_path / "cases" / "thigh-ups.json" and check_cases(path)[0].ok
    (problem,) = authoring.draft_problems("case", thigh_case(title="Changed"), tmp_path)
    assert problem.field == "id" and "already saved" in problem.message
    authoring.save("case", thigh_case(title="Changed"), tmp_path, replace=True)
    assert json.loads(path.read_text())["title"] == "Changed"


def test_no_content_folder_is_a_problem_saying_how_to_set_one():
    """Save without a folder says to give one or set SARCOMA_EDU_CONTENT."""
    with pytest.raises(authoring.DraftError, match="SARCOMA_EDU_CONTENT"):
        authoring.save("case", thigh_case(), "")


def test_a_problem_keeps_its_line_when_pickled():
    """A Problem is its line as text, with its field and message kept (also through pickling, as caches do)."""
    import pickle

    line = "f.json, question 0, field 'id': is missing"
    problem = Problem("id", "is missing", line=line, path=Path("f.json"), record=0)
    again = pickle.loads(pickle.dumps(problem))
    assert again == line and (again.field, again.record) == ("id", 0)


def test_saving_a_case_records_each_computed_key_with_the_rows_it_rests_on(tmp_path):
    """Save writes content.lock.json: the stage step's key is Stage IIIB, resting on an AJCC 8 stage-group row."""
    authoring.save("case", thigh_case(), tmp_path)
    items = json.loads((tmp_path / "content.lock.json").read_text())["items"]
    assert set(items) == {f"case:thigh-ups:{s}" for s in ("grade", "t-category", "stage", "treatment-list",
                                                          "plan-order", "spread")}  # fmt: skip
    stage = items["case:thigh-ups:stage"]
    assert stage["answer"] == ["Stage IIIB"]
    assert any(ref["table"] == "ajcc8_stage_groups.csv" for ref in stage["depends_on"])


def test_a_question_with_a_key_from_the_rules_is_locked_and_one_without_is_not(tmp_path):
    """A question with derived_from gets a lock entry (IIIB); saved again without it, the entry goes."""
    patient = {"site": "extremity", "size_cm": 12, "grade": "G3", "nodes": False, "metastasis": False}
    spec, _ = authoring.computed_key("AJCC 8 stage group", patient)
    authoring.save("question", question(derived_from=spec), tmp_path)
    lock = tmp_path / "content.lock.json"
    assert json.loads(lock.read_text())["items"]["my-stage-1"]["answer"] == "IIIB"
    authoring.save("question", question(), tmp_path, replace=True)
    assert "my-stage-1" not in json.loads(lock.read_text())["items"]


def test_a_saved_question_file_is_still_a_jupyterquiz_bank(tmp_path):
    """The file Save writes (a choice question with derived_from, a numeric one) passes jupyterquiz's own schemas."""
    import jsonschema

    patient = {"site": "extremity", "size_cm": 12, "grade": "G3", "nodes": False, "metastasis": False}
    spec, _ = authoring.computed_key("AJCC 8 stage group", patient)
    authoring.save("question", question(derived_from=spec), tmp_path)
    numeric = question(question_id="my-total", kind="numeric", answers=[{"value": "8", "correct": True}], precision="1")
    authoring.save("question", numeric, tmp_path)
    schemas = Path(__file__).resolve().parents[1] / "jupyterquiz_schema"
    for raw in json.loads((tmp_path / "quiz" / "my_questions.json").read_text()):
        name = "num_schema.json" if raw["type"] == "numeric" else "mc_schema.json"
        jsonschema.validate(raw, json.loads((schemas / name).read_text()))
