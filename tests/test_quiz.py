"""Quiz banks, checking answers, and questions generated from random patients."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

from sarcoma_edu import fnclcc, stage, t_category, treatment_options
from sarcoma_edu.quiz import TOPICS, Question, QuizBankError, bank_paths, check, load_bank
from sarcoma_edu.quiz_cases import CASE_KINDS, generate_case_question, question_from_id

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "datasets" / "quiz" / "quiz_bank.schema.json").read_text())
JQ = ROOT / "tests" / "jupyterquiz_schema"
BANK = load_bank()
GOOD = {
    "id": "q1",
    "topic": "staging",
    "type": "multiple_choice",
    "difficulty": "easy",
    "question": "Which?",
    "answers": [{"answer": "A", "correct": True}, {"answer": "B", "correct": False}],
    "explanation": "Because.",
    "source": "PDQ-HP",
}


def _jupyterquiz_schema(question_type: str) -> dict:
    """jupyterquiz's own schema for a question type (copied from its repository)."""
    name = "num_schema.json" if question_type == "numeric" else "mc_schema.json"
    return json.loads((JQ / name).read_text())


def _write(tmp_path: Path, content: object, name: str = "bank.json") -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path


# --- the built-in banks -------------------------------------------------------------------------


@pytest.mark.parametrize("path", bank_paths(), ids=lambda p: p.name)
def test_every_builtin_bank_validates_against_the_schema(path):
    """Each bank file in datasets/quiz/ is valid under quiz_bank.schema.json."""
    jsonschema.validate(json.loads(path.read_text()), SCHEMA)


@pytest.mark.parametrize("question", BANK, ids=lambda q: q.id)
def test_every_question_is_valid_jupyterquiz(question):
    """Each question's to_jupyterquiz() form validates against jupyterquiz's schema for its type."""
    jsonschema.validate(question.to_jupyterquiz(), _jupyterquiz_schema(question.type))


def test_bank_has_at_least_80_questions_over_every_topic():
    """The built-in banks hold 80+ questions with at least five on each of the eight topics."""
    counts = Counter(q.topic for q in BANK)
    assert len(BANK) >= 80
    assert set(counts) == set(TOPICS)
    assert min(counts.values()) >= 5


def test_every_question_has_explanation_source_and_unique_id():
    """Ids are unique; every question explains its answer and cites a source of the reference."""
    assert len({q.id for q in BANK}) == len(BANK)
    keys = ("PDQ", "AJCC8", "ACS", "FNCLCC", "SEER", "Gronchi", "Cancers 2021")
    keys += ("FDA label", "FDA (US approval status")  # reference section 5b
    for q in BANK:
        assert len(q.explanation) > 20, q.id
        assert any(k in q.source for k in keys), q.id


def test_multiple_choice_questions_offer_plausible_distractors():
    """Choice questions have at least three answers, and multiple_choice exactly one right one."""
    for q in BANK:
        if q.type != "numeric":
            assert len(q.answers) >= 3, q.id
        if q.type == "multiple_choice":
            assert len(q.correct_answers) == 1, q.id


@pytest.mark.parametrize("question", BANK, ids=lambda q: q.id)
def test_the_marked_answer_checks_as_correct(question):
    """check() accepts the right answer of every bank question and rejects a wrong one."""
    if question.type == "multiple_choice":
        right, wrong = question.correct_answers[0].answer, next(a.answer for a in question.answers if not a.correct)
    elif question.type == "many_choice":
        right = [a.answer for a in question.correct_answers]
        wrong = right[:-1] if len(right) > 1 else [a.answer for a in question.answers if not a.correct][:1]
    else:
        a = question.correct_answers[0]
        right = a.value if a.range is None else (a.range[0] + a.range[1]) / 2
        wrong = -1000.0
    assert check(question, right).correct
    assert not check(question, wrong).correct


def test_builtin_banks_come_in_course_order():
    """load_bank() starts with risk factors and follows the course's topic order."""
    order = [TOPICS.index(q.topic) for q in BANK]
    assert order == sorted(order)


# --- checking -----------------------------------------------------------------------------------


def test_check_explains_with_feedback_and_source():
    """A wrong choice returns its own feedback, the explanation and the source."""
    q = next(q for q in BANK if q.id == "st-nodes-retro")
    feedback = check(q, "IV")
    assert not feedback.correct
    assert "IIIB" in feedback.answer_feedback
    assert "retroperitoneum" in feedback.explanation
    assert "AJCC8" in feedback.source


def test_numeric_ranges_and_exact_values():
    """Numeric answers match a range inclusively, or an exact value."""
    q = next(q for q in BANK if q.id == "gr-total-range")
    assert check(q, 2).correct and check(q, 2.0).correct and not check(q, 3).correct
    share = next(q for q in BANK if q.id == "rf-site-share-extremity")
    assert check(share, 40).correct and check(share, 50).correct and not check(share, 51).correct


@pytest.mark.parametrize(
    ("question_id", "answer", "error", "words"),
    [
        ("st-ia", "Stage X", ValueError, "not one of this question's answers"),
        ("st-ia", 3, ValueError, "answer=3"),
        ("dx-biopsy-types", "MRI", TypeError, "not a list of answer texts"),
        ("dx-biopsy-types", ["Blood culture?"], ValueError, "not one of this question's answers"),
        ("gr-total-max", "eight", TypeError, "answer='eight'"),
    ],
)
def test_check_rejects_answers_the_question_does_not_offer(question_id, answer, error, words):
    """An answer of the wrong kind, or one not offered, raises naming the value."""
    q = next(q for q in BANK if q.id == question_id)
    with pytest.raises(error, match=words.replace("?", r"\?")):
        check(q, answer)


# --- invalid banks ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"topic": "surgery"}, "'topic'"),
        ({"type": "essay"}, "'type'"),
        ({"difficulty": 3}, "'difficulty'"),
        ({"explanation": ""}, "'explanation'"),
        ({"source": None}, "'source'"),
        ({"answers": []}, "'answers'"),
        ({"answers": [{"answer": "A", "correct": "yes"}]}, "'answers[0].correct'"),
        ({"answers": [{"answer": "A", "correct": False}, {"answer": "B", "correct": False}]}, "no answer is marked"),
        ({"answers": [{"answer": "A", "correct": True}, {"answer": "B", "correct": True}]}, "exactly one correct"),
        ({"colour": "red"}, "'colour'"),
        ({"code": "print(1)"}, "'code'"),
    ],
)
def test_invalid_question_names_file_index_id_and_field(tmp_path, change, field):
    """A bad question raises QuizBankError naming the file, the question index and id, and the field."""
    path = _write(tmp_path, [GOOD, {**GOOD, "id": "broken", **change}])
    with pytest.raises(QuizBankError) as raised:
        load_bank(path)
    message = str(raised.value)
    assert str(path) in message and "question 1 (id 'broken')" in message and field in message
    assert isinstance(raised.value, ValueError)


def test_invalid_numeric_answer_names_the_field(tmp_path):
    """A numeric answer without value or range, or with a reversed range, is reported."""
    q = {**GOOD, "type": "numeric", "answers": [{"range": [5, 1], "correct": True}]}
    with pytest.raises(QuizBankError, match=r"answers\[0\]\.range.*above high"):
        load_bank(_write(tmp_path, [q]))


@pytest.mark.parametrize(
    ("content", "words"),
    [("{not json", "not valid JSON"), ({"id": "x"}, "a bank is a JSON list"), ([GOOD, GOOD], "already used")],
)
def test_unreadable_banks_are_reported(tmp_path, content, words):
    """Broken JSON, a non-list, and duplicate ids are QuizBankErrors naming the file."""
    path = _write(tmp_path, content)
    with pytest.raises(QuizBankError, match=words) as raised:
        load_bank(path)
    assert str(path) in str(raised.value)


def test_missing_bank_and_wrong_argument():
    """A missing file is a QuizBankError; a path of the wrong type is a TypeError."""
    with pytest.raises(QuizBankError, match="no such file"):
        load_bank("does-not-exist.json")
    with pytest.raises(TypeError, match="path=42"):
        load_bank(42)


def test_instructor_bank_loads_alongside_builtin(tmp_path):
    """An instructor's own bank loads from a str or Path, alone or in a list."""
    path = _write(tmp_path, [GOOD])
    assert [q.id for q in load_bank(str(path))] == ["q1"]
    assert len(load_bank([path, bank_paths()[0]])) == 1 + len(json.loads(bank_paths()[0].read_text()))


def test_bank_text_is_rendered_escaped(tmp_path):
    """HTML or script in a bank shows as text in the quiz widget, never as markup."""
    from sarcoma_edu.widgets import quiz_widget

    evil = {
        **GOOD,
        "question": "<script>alert(1)</script><b>bold?</b>",
        "answers": [{"answer": "<img src=x onerror=alert(2)>", "correct": True}, {"answer": "B", "correct": False}],
        "explanation": "<i>why</i>",
    }
    widget = quiz_widget(load_bank(_write(tmp_path, [evil])), progress=None)
    assert "<script>" not in widget.text.value and "&lt;script&gt;" in widget.text.value
    widget.answer("B")
    assert "<img" not in widget.result.value and "&lt;img src=x" in widget.result.value
    assert "<i>why</i>" not in widget.result.value


# --- generated questions ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", CASE_KINDS)
def test_same_seed_gives_the_same_question(kind):
    """Generation is deterministic by seed and kind, and different seeds vary."""
    assert generate_case_question(11, kind) == generate_case_question(11, kind)
    assert len({generate_case_question(s, kind).question for s in range(30)}) > 5


@pytest.mark.parametrize("kind", CASE_KINDS)
def test_generated_questions_are_valid_jupyterquiz(kind):
    """Generated questions validate against jupyterquiz's schema too."""
    for seed in range(20):
        jsonschema.validate(generate_case_question(seed, kind).to_jupyterquiz(), _jupyterquiz_schema("mc"))


def _library_answer(q: Question, kind: str) -> str:
    case = q.case
    if kind == "stage":
        result = stage(**case)
        return f"Stage {result.stage}" if result.stage else "No stage group"
    if kind == "t_category":
        return t_category(case["site"], case["size_cm"])
    if kind == "fnclcc_grade":
        return f"Grade {fnclcc(**case).grade}"
    return f"'{treatment_options(stage(**case)).heading}'"


@pytest.mark.parametrize("kind", CASE_KINDS)
def test_generated_answer_is_the_librarys_answer_and_distractors_differ(kind):
    """Over 300 seeds the one correct answer is the library's result, and no distractor equals it."""
    for seed in range(300):
        q = generate_case_question(seed, kind)
        (right,) = q.correct_answers
        assert right.answer.startswith(_library_answer(q, kind)), (seed, q.question)
        wrong = [a.answer for a in q.answers if not a.correct]
        assert right.answer not in wrong and len(set(wrong)) == len(wrong) >= 2
        assert check(q, right.answer).correct
        assert all(not check(q, w).correct for w in wrong)


def test_generated_stage_question_teaches_the_other_sites_nodal_rule():
    """For a node-positive thigh tumour the retroperitoneal answer (IIIB) is offered and explained."""
    q = generate_case_question(5, "stage")
    assert "spread to nearby (regional) lymph nodes" in q.question
    feedback = check(q, "Stage IIIB")
    assert not feedback.correct and "retroperitoneum" in feedback.answer_feedback
    assert "Stage IV" in feedback.explanation


def test_generated_stage_question_offers_ajcc7_stage_iii_only_where_ajcc7_says_iii():
    """'Stage III' (AJCC 7: T2 G3 N0 M0, or any N1 M0) is offered with feedback, and only for those patients."""
    offered = 0
    for seed in range(300):
        q = generate_case_question(seed, "stage")
        p = q.case
        ajcc7_iii = not p["metastasis"] and (p["nodes"] or (p["size_cm"] > 5 and p["grade"] == "G3"))
        answers = {a.answer: a for a in q.answers}
        assert ("Stage III" in answers) == ajcc7_iii, (seed, q.question)
        if ajcc7_iii:
            offered += 1
            assert not answers["Stage III"].correct and "AJCC 7th edition" in answers["Stage III"].feedback
    assert offered >= 30


def test_node_positive_limb_treatment_question_explains_the_ajcc7_heading():
    """Where AJCC 8 says IV but PDQ lists it under stage III with nodes, the stage IV answer says why."""
    for seed in range(500):
        q = generate_case_question(seed, "treatment")
        if q.case["nodes"] and not q.case["metastasis"] and q.case["site"] != "retroperitoneum":
            break
    else:  # pragma: no cover - the generator makes such patients
        pytest.fail("no node-positive limb or trunk patient in 500 seeds")
    assert "spread to lymph nodes" in q.correct_answers[0].answer
    stage_iv = next(a for a in q.answers if a.answer == "'Stage IV adult soft tissue sarcoma'")
    assert "AJCC 7th edition" in stage_iv.feedback


def test_generated_question_can_be_rebuilt_from_its_id():
    """question_from_id rebuilds a generated question; bank ids give None."""
    q = generate_case_question(42, "fnclcc_grade")
    assert q.id == "case-fnclcc_grade-42" and question_from_id(q.id) == q
    assert question_from_id("st-ia") is None


@pytest.mark.parametrize(
    ("seed", "kind", "error", "words"),
    [
        (-1, "stage", ValueError, "seed=-1"),
        (1.5, "stage", ValueError, "seed=1.5"),
        ("1", "stage", TypeError, "seed='1'"),
        (1, "survival", ValueError, "kind='survival'"),
    ],
)
def test_generate_rejects_bad_arguments(seed, kind, error, words):
    """A bad seed or kind raises naming the parameter and the value."""
    with pytest.raises(error, match=words):
        generate_case_question(seed, kind)
