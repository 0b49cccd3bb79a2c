"""In-lesson exercises: the files are valid, every key the library computes is re-derived, and each lesson uses them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from sarcoma_edu import fnclcc, plan_treatment, spread_patterns, stage, treatment_options
from sarcoma_edu.course.exercise_keys import derived_key
from sarcoma_edu.course.exercises import (
    ExerciseFileError,
    check_answer,
    exercise,
    exercise_paths,
    exercise_questions,
    load_exercises,
)
from sarcoma_edu.course.lesson_progress import lesson_of, progress_by_lesson
from sarcoma_edu.course.objectives import load_objectives
from sarcoma_edu.progress.store import ProgressStore

ROOT = Path(__file__).resolve().parents[2]
LESSONS = (
    "01_what_is_sarcoma",
    "02_grade",
    "03_staging",
    "04_metastasis",
    "05_treatment",
    "06_cases",
    "08_tumour_board",
)
RAW = {item["id"]: item for path in exercise_paths() for item in json.loads(path.read_text(encoding="utf-8"))}
GOOD = {
    "id": "ex-03-class-nodes",
    "lesson": "03_staging",
    "role": "predict",
    "reveals": "the staging calculator",
    "topic": "staging",
    "type": "multiple_choice",
    "difficulty": "easy",
    "question": "A 7 cm high-grade retroperitoneal sarcoma has spread to nearby lymph nodes only. Which stage?",
    "answers": [{"answer": "IIIB", "correct": True}, {"answer": "IV", "correct": False}],
    "explanation": "In the retroperitoneum N1 M0 is stage IIIB.",
    "source": "AJCC8",
    "objectives": ["staging-nodal-rule"],
    "derived_from": {
        "function": "stage",
        "field": "stage",
        "args": {"site": "retroperitoneum", "size_cm": 7, "grade": "high", "nodes": True},
    },
}


def _cells(lesson: str) -> list[dict]:
    return json.loads((ROOT / "notebooks" / f"{lesson}.ipynb").read_text(encoding="utf-8"))["cells"]


def _file(tmp_path: Path, items: object, name: str = "mine.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(items), encoding="utf-8")
    return path


# --- the built-in files ---------------------------------------------------------------------


def test_the_built_in_exercise_files_pass_every_check():
    """Every exercise in datasets/exercises/ loads: schema, quiz-engine checks, lesson, id and derived key."""
    exercises = load_exercises()
    assert len(exercises) == len(RAW) >= 3 * len(LESSONS)


@pytest.mark.parametrize("lesson", LESSONS)
def test_each_lesson_has_three_or_more_predictions(lesson):
    """Lessons 01 to 06 and the tumour board each ask at least 3 predictions before a reveal."""
    assert sum(e.role == "predict" for e in load_exercises(lesson)) >= 3


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_objective_of_the_lesson_has_an_exercise(lesson):
    """Each learning objective of the lesson is named by at least one exercise."""
    named = {o for e in load_exercises() for o in e.question.objectives}
    missing = [o.id for o in load_objectives().values() if o.lesson == lesson and o.id not in named]
    assert not missing


@pytest.mark.parametrize("exercise_id", [i for i, item in RAW.items() if "derived_from" in item])
def test_a_computed_key_agrees_with_the_library(exercise_id):
    """Recomputing the exercise's key with the library call it names gives the key the file holds."""
    assert derived_key(RAW[exercise_id]) == []


def test_every_stage_t_grade_and_order_key_is_computed_not_typed():
    """An exercise whose right answer is a stage group, a T category, a grade or an order names its library call."""
    shaped = re.compile(r"(IA|IB|II|IIIA|IIIB|IV|T[1-4][a-c]?|Grade [123])")
    for item in RAW.values():
        keys = [a["answer"] for a in item.get("answers", []) if a.get("correct") and "answer" in a]
        if item["type"] == "ordering" or any(shaped.fullmatch(k) for k in keys):
            assert "derived_from" in item, item["id"]


def _right(exercise_id: str) -> list[str]:
    return [a.answer for a in exercise(exercise_id).question.correct_answers]


def test_an_8_cm_high_grade_retroperitoneal_tumour_with_nodes_is_iiib_and_its_limb_twin_iv():
    """The lesson 03 pair is keyed as stage() stages them: IIIB in the retroperitoneum, IV on the leg (AJCC8)."""
    assert _right("ex-03-retro-nodes") == [stage("retroperitoneum", 8, "high", nodes=True).stage] == ["IIIB"]
    assert _right("ex-03-limb-twin") == [stage("leg", 8, "high", nodes=True).stage] == ["IV"]


def test_only_necrosis_of_50_percent_or_more_moves_the_grade_2_tumour_to_grade_3():
    """Of the four changes offered, fnclcc() gives grade 3 only for necrosis 60% (FNCLCC)."""
    assert fnclcc(2, 12, 30).grade == 2
    assert fnclcc(2, 12, 60).grade == 3 and _right("ex-02-grade-2-to-3") == ["Necrosis rises to 60%"]
    assert {fnclcc(2, 18, 30).grade, fnclcc(1, 12, 30).grade, fnclcc(2, 5, 30).grade} == {2}


def test_myxoid_liposarcoma_spreads_where_spread_patterns_says():
    """The myxoid exercise's right answers are the destinations the spread table lists for that histology wherever it
    starts, the abdomen included, which is left out only for a tumour already in the retroperitoneum (PDQ-HP)."""
    table = spread_patterns(histology="myxoid_liposarcoma")
    own = set(table[table["scope"].str.startswith("histology:myxoid_liposarcoma")]["destination"])
    assert set(_right("ex-04-myxoid-where")) == own == {"bone and spine", "soft tissue", "abdomen"}


@pytest.mark.parametrize(
    ("exercise_id", "patient"),
    [("ex-05-order-preop", ("leg", 7, "high")), ("ex-08-case1-order", ("leg", 12, "G3"))],
)
def test_the_phases_to_order_are_plan_treatments_phases_in_order(exercise_id, patient):
    """An ordering exercise's items are plan_treatment()'s phases, radiation before surgery, in that order."""
    phases = [p.phase for p in plan_treatment(stage(*patient), radiation="before").phases]
    assert list(exercise(exercise_id).items) == phases
    assert phases.index("Radiation therapy before surgery") < phases.index("Surgery")


def test_a_node_positive_limb_tumour_accepts_both_pdq_readings():
    """The two-readings exercise marks both headings treatment_options() offers as right, neither as the only one."""
    options = treatment_options(stage("leg", 4, "mid", nodes=True))
    assert set(_right("ex-05-two-readings")) == {options.heading, *options.other_headings}
    assert len(_right("ex-05-two-readings")) == 2


# --- checking answers ----------------------------------------------------------------------


def test_the_right_order_is_right_and_another_order_is_wrong():
    """An ordering is checked by the quiz engine: the phases in plan order are right, any other order is not."""
    ex = exercise("ex-05-order-preop")
    assert check_answer(ex, list(ex.items)).correct
    feedback = check_answer(ex, list(reversed(ex.items)))
    assert not feedback.correct and feedback.source.startswith("PDQ-HP")


def test_an_order_that_is_not_of_the_items_is_refused_naming_them():
    """An 'order' that drops or invents an item is a ValueError that lists the exercise's items."""
    ex = exercise("ex-05-order-preop")
    with pytest.raises(ValueError, match="is not an order of this exercise's items: 'Radiation therapy"):
        check_answer(ex, ["Surgery", "Follow-up"])


def test_a_choice_the_exercise_does_not_offer_is_refused():
    """A choice answer the exercise does not list is the quiz engine's ValueError naming the answers allowed."""
    with pytest.raises(ValueError, match="is not one of this question's answers"):
        check_answer(exercise("ex-03-retro-nodes"), "Stage 3")


def test_an_unknown_exercise_id_names_the_lessons_exercises():
    """A misspelt id is refused, listing the ids of that lesson's exercises."""
    with pytest.raises(
        ValueError, match=r"'ex-03-retro-node' is not an exercise; this lesson's exercises are .*ex-03-retro-nodes"
    ):
        exercise("ex-03-retro-node")


# --- bad files ------------------------------------------------------------------------------


def test_a_valid_file_of_ones_own_loads(tmp_path):
    """An exercise file written like the built-in ones loads, with its lesson and role."""
    (ex,) = load_exercises(path=_file(tmp_path, [GOOD]))
    assert (ex.lesson, ex.role, ex.topic, ex.type) == ("03_staging", "predict", "staging", "multiple_choice")


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        pytest.param({"lesson": None}, "lesson", "is missing", id="no lesson"),
        pytest.param({"role": "quiz"}, "role", "'quiz' is not one of predict, self-check", id="an unknown role"),
        pytest.param(
            {"objectives": ["staging-nodes"]}, "objectives[0]", "is not a learning objective", id="an unknown objective"
        ),
        pytest.param(
            {"id": "ex-04-class-nodes"},
            "id",
            "starts ex-04-, but the exercise is in lesson '03_staging'",
            id="the wrong lesson number",
        ),
        pytest.param(
            {"lesson": "03_stageing"},
            "lesson",
            "is not a lesson of datasets/objectives.csv",
            id="a lesson that does not exist",
        ),
        pytest.param(
            {"answers": [{"answer": "IIIB", "correct": True}, {"answer": "IIIB", "correct": False}]},
            "answers",
            "two answers have the same text",
            id="two answers alike",
        ),
        pytest.param(
            {"answers": [{"answer": "IV", "correct": True}, {"answer": "IIIB", "correct": False}]},
            "derived_from",
            "the right answer is 'IV', but stage",
            id="a key the rules disagree with",
        ),
        pytest.param({"type": "ordering"}, "items", "is missing", id="an ordering without items"),
    ],
)
def test_a_bad_exercise_is_a_clear_error_naming_file_exercise_and_field(tmp_path, change, field, words):
    """Each broken exercise is refused with the file, the exercise's index and id, the field and what is wrong."""
    item = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    path = _file(tmp_path, [GOOD | {"id": "ex-03-first-one"}, item])
    with pytest.raises(ExerciseFileError) as caught:
        load_exercises(path=path)
    problem = next(p for p in caught.value.problems if f"field '{field}'" in p)
    assert problem.startswith(f"{path}, exercise 1 (id '{item['id']}'), field '{field}'") and words in problem


def test_a_file_that_is_not_a_list_of_exercises_is_named(tmp_path):
    """A file holding one object instead of a list is refused naming the file and what it holds."""
    path = _file(tmp_path, GOOD)
    with pytest.raises(
        ExerciseFileError, match=re.escape(f"{path}: an exercise file is a JSON list of exercises, not an object")
    ):
        load_exercises(path=path)


def test_an_id_used_twice_is_refused(tmp_path):
    """Two exercises with one id would share one progress history: the second is refused naming the first file."""
    first, second = _file(tmp_path, [GOOD], "a.json"), _file(tmp_path, [GOOD], "b.json")
    with pytest.raises(
        ExerciseFileError,
        match=re.escape(
            f"{second}, exercise 0 (id 'ex-03-class-nodes'), field 'id': 'ex-03-class-nodes' is already used by "
            f"exercise 0 in {first}"
        ),
    ):
        load_exercises(path=[first, second])


# --- progress with the lesson as context ----------------------------------------------------


@pytest.mark.parametrize(
    ("question_id", "lesson"),
    [
        ("ex-03-retro-nodes", "03_staging"),
        ("ex-08-case1-order", "08_tumour_board"),
        ("case:limb-preop-radiation:stage", "08_tumour_board"),
        ("st-size-dimension", "07_quiz"),
        ("case-stage-5", "07_quiz"),
        ("ex-99-nowhere", None),
    ],
)
def test_an_attempt_belongs_to_the_lesson_its_id_names(question_id, lesson):
    """An exercise id carries its lesson; tumour board steps belong to 08, every other id to the quiz (07)."""
    assert lesson_of(question_id) == lesson


def test_progress_by_lesson_shows_lessons_and_quiz_together(tmp_path):
    """Answers in lesson 03, in the quiz and on the tumour board each count under their own lesson."""
    store = ProgressStore(tmp_path / "progress.sqlite3")
    store.record("ex-03-retro-nodes", "IV", False, "staging")
    store.record("ex-03-retro-nodes", "IIIB", True, "staging")
    store.record("ex-03-limb-twin", "IIIB", False, "staging")
    store.record("st-size-dimension", "The greatest dimension of the tumour", True, "staging")
    store.record("case:limb-preop-radiation:stage", "Stage IIIB", True, "cases")
    table = progress_by_lesson(store).set_index("lesson")
    assert table.loc["03_staging", ["answered", "right_last_time", "attempts"]].tolist() == [2, 1, 3]
    assert table.loc["03_staging", "exercises"] == len(load_exercises("03_staging"))
    assert table.loc["07_quiz", "answered"] == 1 and table.loc["08_tumour_board", "attempts"] == 1
    assert table.loc["01_what_is_sarcoma", "answered"] == 0


def test_progress_by_lesson_refuses_what_is_not_attempts():
    """Anything but a store or its attempts table is a TypeError saying what is expected."""
    with pytest.raises(TypeError, match="attempts must be a ProgressStore"):
        progress_by_lesson(pd.DataFrame({"id": [1]}))


# --- the lessons ----------------------------------------------------------------------------


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_prediction_is_asked_in_its_lesson_once(lesson):
    """Each predict exercise of the lesson is one predict("id", ...) call in a code cell of that lesson."""
    sources = ["".join(c["source"]) for c in _cells(lesson) if c["cell_type"] == "code"]
    for ex in load_exercises(lesson):
        if ex.role == "predict":
            assert sum(f'"{ex.id}"' in s and "predict(" in s for s in sources) == 1, ex.id


# What settles each prediction, and how it waits for the answer: "reveal" (built by the predict cell itself,
# after the answer), "after" (a later cell in after_answering(...) naming the prediction: its output stays
# hidden until then) or "prose" (the lesson's text after the prediction, which its hint says to read after)
REVEALS = [
    ("00_welcome", "ex-00-retro-nodes", "after", 'print(stage("retroperitoneum", 7, "high", nodes=True).stage)'),
    ("00_welcome", "ex-00-fnclcc-total", "after", "fnclcc(differentiation=2, mitoses=12, necrosis_pct=30).explanation"),
    ("07_quiz", "ex-07-trunk-9-mid", "reveal", 'StagingCalculator("trunk", 9, "G2")'),
    ("01_what_is_sarcoma", "ex-01-limb-share", "reveal", "site_distribution_figure"),
    ("01_what_is_sarcoma", "ex-01-not-inherited", "after", "show=risk_factor_explorer"),
    ("01_what_is_sarcoma", "ex-01-li-fraumeni-gene", "after", 'loc["Li-Fraumeni syndrome", "gene"]'),
    ("01_what_is_sarcoma", "ex-01-li-fraumeni-gene", "after", "show=risk_factor_explorer"),
    ("01_what_is_sarcoma", "ex-01-myxoid-extra-tests", "reveal", "kind in ['staging test', 'extra staging']"),
    ("02_grade", "ex-02-total-score", "after", "fnclcc(differentiation=3, mitoses=25, necrosis_pct=60).explanation"),
    ("02_grade", "ex-02-grade-2-to-3", "reveal", "fnclcc_figure"),
    ("02_grade", "ex-02-high-grade-by-definition", "reveal", 'query("high_grade_by_definition")'),
    ("03_staging", "ex-03-thigh-12-high", "reveal", "query(\"site == 'extremity'\")"),
    ("03_staging", "ex-03-thigh-12-high", "after", "StagingCalculator(show_map=True)"),
    ("03_staging", "ex-03-retro-nodes", "after", "StagingCalculator(show_map=True)"),
    ("03_staging", "ex-03-retro-nodes", "after", 'for site in ("retroperitoneum", "leg")'),
    ("03_staging", "ex-03-retro-nodes", "after", 'stage("retroperitoneum", 8, "high", nodes=True).explanation'),
    ("03_staging", "ex-03-limb-twin", "after", "StagingCalculator(show_map=True)"),
    ("03_staging", "ex-03-limb-twin", "after", 'for site in ("retroperitoneum", "leg")'),
    ("03_staging", "ex-03-neck-t", "after", 'for site in ("head_and_neck", "visceral")'),
    ("04_metastasis", "ex-04-blood-route", "reveal", 'routes()[["label", "description"]]'),
    ("04_metastasis", "ex-04-blood-route", "after", "show=PathwayExplorer"),
    ("04_metastasis", "ex-04-myxoid-where", "after", "show=PathwayExplorer"),
    ("04_metastasis", "ex-04-nodes-share", "after", "show=PathwayExplorer"),
    ("04_metastasis", "ex-04-myxoid-where", "reveal", 'PathwayExplorer("extremity", "myxoid_liposarcoma")'),
    ("04_metastasis", "ex-04-nodes-share", "reveal", "destination == 'lymph nodes'"),
    ("04_metastasis", "ex-04-retro-local", "reveal", "scope == 'site:retroperitoneum'"),
    ("04_metastasis", "ex-04-retro-local", "after", 'for row in spread_patterns("retroperitoneum")'),
    ("05_treatment", "ex-05-only-cure", "reveal", "load_modalities()"),
    ("05_treatment", "ex-05-ifosfamide-status", "reveal", "drug_explorer"),
    ("05_treatment", "ex-05-stage-i-options", "reveal", 'treatment_options(stage("leg", 4, "low"))'),
    ("05_treatment", "ex-05-stage-i-options", "after", "show=TreatmentPlanner"),
    ("05_treatment", "ex-05-order-preop", "after", "show=TreatmentPlanner"),
    ("05_treatment", "ex-05-order-preop", "reveal", 'timeline_figure(plan_treatment(stage("leg", 7, "high")'),
    (
        "05_treatment",
        "ex-05-order-preop",
        "after",
        'plan_treatment(stage("leg", 7, "high"), radiation="before").describe()',
    ),
    ("05_treatment", "ex-05-wound", "prose", "## Radiation before or after surgery?"),
    ("06_cases", "ex-06-no-group-sites", "reveal", 't["stage"].isna(), "site"'),
    ("06_cases", "ex-06-no-group-sites", "after", "show=first_rows"),
    ("06_cases", "ex-06-no-group-sites", "after", "show=lambda: StageMixExplorer(staged)"),
    ("06_cases", "ex-06-most-common-site", "after", 'title="How the cohort was made"'),
    ("06_cases", "ex-06-most-common-site", "after", "show=lambda: StageMixExplorer(staged)"),
    ("06_cases", "ex-06-most-common-site", "after", "show=by_site"),
    ("06_cases", "ex-06-seer-distant", "reveal", "survival_figure(seer_stage_share(cohort))"),
    ("08_tumour_board", "ex-08-case1-stage", "reveal", 'StagingCalculator("extremity", 12, "G3")'),
    ("08_tumour_board", "ex-08-case1-stage", "after", 'cases["limb-preop-radiation"].walkthrough()'),
    ("08_tumour_board", "ex-08-case1-order", "after", 'cases["limb-preop-radiation"].walkthrough()'),
    ("08_tumour_board", "ex-08-two-readings", "after", 'cases["limb-nodes-clear-cell"].walkthrough()'),
    (
        "08_tumour_board",
        "ex-08-what-if-retro",
        "after",
        'what_if(cases["limb-nodes-clear-cell"], site="retroperitoneum")',
    ),
]


def test_the_reveal_table_lists_every_prediction():
    """Every predict exercise has a row below naming what settles it."""
    assert sorted({i for _, i, _, _ in REVEALS}) == sorted(e.id for e in load_exercises() if e.role == "predict")


@pytest.mark.parametrize(("lesson", "exercise_id", "how", "text"), REVEALS, ids=[f"{i} {t}" for _, i, _, t in REVEALS])
def test_what_settles_a_prediction_waits_for_its_answer(lesson, exercise_id, how, text):
    """What settles a prediction is built by it after the answer, or sits after it in a cell that waits for it."""
    cells = _cells(lesson)
    texts = ["".join(c["source"]) for c in cells]
    (asked,) = [k for k, t in enumerate(texts) if f'"{exercise_id}"' in t and "predict(" in t]
    if how == "reveal":
        assert text in texts[asked] and "reveal=" in texts[asked]
        return
    (shown,) = [k for k, t in enumerate(texts) if text in t and "predict(" not in t]
    assert asked < shown
    if how == "after":  # the cell shows it only once the prediction is answered
        assert cells[shown]["cell_type"] == "code" and "after_answering(" in texts[shown]
        assert f'"{exercise_id}"' in texts[shown].split("after_answering(", 1)[1].split(")")[0]
    else:
        assert cells[shown]["cell_type"] == "markdown"
        assert exercise(exercise_id).reveals and "reveal=" not in texts[asked]  # its hint says: read it after


@pytest.mark.parametrize("lesson", LESSONS)
def test_the_self_check_is_recorded_and_keeps_only_the_code_items_as_show_answer(lesson):
    """The self-check heading is followed by self_check(lesson); only an item asking for code keeps "Show answer"."""
    cells = _cells(lesson)
    (k,) = [i for i, c in enumerate(cells) if "".join(c["source"]).startswith("## Self-check")]
    following = ["".join(c["source"]) for c in cells[k + 1 : k + 3]]  # a code question's empty cell may come first
    assert f'self_check("{lesson}")' in following
    left = re.findall(r"\n\d+\. (.*)\n\s*<details><summary>Show answer", "".join(cells[k]["source"]))
    assert all("groupby" in item.lower() or "write" in item.lower() for item in left)
    assert sum(e.role == "self-check" for e in load_exercises(lesson)) >= 3


@pytest.mark.parametrize("lesson", LESSONS)
def test_each_lesson_has_a_think_about_it_prompt_with_a_model_answer(lesson):
    """Each lesson asks at least one open "Think about it" question whose model answer is revealed on request."""
    text = "\n".join("".join(c["source"]) for c in _cells(lesson) if c["cell_type"] == "markdown")
    assert re.search(r"\*\*Think about it\.\*\*[^<]+<details><summary>Show a model answer</summary>\S", text)


def test_a_quiz_can_ask_the_lessons_exercises_again_under_their_ids(tmp_path):
    """exercise_questions() gives the quiz every exercise but the orderings; a wrong one comes back in its mistakes."""
    from sarcoma_edu.widgets.quiz import QuizWidget

    questions = exercise_questions()
    assert {q.id for q in questions} == {e.id for e in load_exercises() if e.type != "ordering"}
    store = ProgressStore(tmp_path / "progress.sqlite3")
    store.record("ex-03-retro-nodes", "IV", False, "staging")
    quiz = QuizWidget(questions, store)
    assert quiz.practise_mistakes() == 1 and quiz.question.id == "ex-03-retro-nodes"
