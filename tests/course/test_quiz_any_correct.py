"""A many_choice question whose correct answers are alternatives ("accept_any_correct"): every surface agrees.

The clinical reference (section 3) says of the node-positive trunk or limb tumour without distant
spread: "Teach both readings and why; never mark either one as the only right answer." The quiz
bank format says so with ``"accept_any_correct": true``; the grading, the bank check, the quiz and
exercise widgets, the class report's item analysis and the review scheduler all treat it alike.
"""

from __future__ import annotations

import json
import subprocess
from datetime import timedelta
from pathlib import Path

import ipywidgets as w
import jsonschema
import pandas as pd
import pytest

from sarcoma_edu.course.banks import check_banks, load_bank
from sarcoma_edu.course.exercises import load_exercises
from sarcoma_edu.course.quiz import check, key_line, tick_hint
from sarcoma_edu.progress.store import ProgressStore
from sarcoma_edu.report.items import item_analysis
from sarcoma_edu.study.review import schedule
from sarcoma_edu.widgets.exercise import ExerciseWidget
from sarcoma_edu.widgets.quiz import quiz_widget

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / ".venv" / "bin" / "sarcoma-edu"
GAP = {q.id: q for q in load_bank()}["tx-ajcc-gap"]
SURGERY, CHEMO = (a.answer for a in GAP.correct_answers)
RADIATION = "High-dose radiation alone"
ALTERNATIVES = {
    "id": "class-two-readings",
    "topic": "treatment",
    "type": "many_choice",
    "accept_any_correct": True,
    "difficulty": "hard",
    "question": "Which readings can you defend?",
    "answers": [
        {"answer": "Reading A", "correct": True},
        {"answer": "Reading B", "correct": True},
        {"answer": "A wrong idea", "correct": False},
    ],
    "explanation": "Both readings can be defended.",
    "source": "PDQ-PT",
    "objectives": ["treatment-pdq-options"],
}


ONE_RIGHT = [{"answer": "A", "correct": True}, {"answer": "B", "correct": False}]


@pytest.fixture
def store(tmp_path):
    return ProgressStore(tmp_path / "progress.sqlite3")


def _bank(tmp_path: Path, questions: list[dict], name: str = "bank.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(questions), encoding="utf-8")
    return path


# --- the clinical question ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ticked", "right"),
    [
        pytest.param([SURGERY], True, id="the clinicians' reading alone (surgery with lymphadenectomy) is right"),
        pytest.param([CHEMO], True, id="the literal stage IV reading alone (chemotherapy) is right"),
        pytest.param([SURGERY, CHEMO], True, id="both readings together are right"),
        pytest.param([SURGERY, RADIATION], False, id="a reading with high-dose radiation alone is not right"),
        pytest.param([], False, id="nothing ticked is not right"),
    ],
)
def test_a_node_positive_thigh_tumour_accepts_either_defensible_reading(ticked, right):
    """Either PDQ reading of a node-positive limb tumour (AJCC 8 stage IV) is right, alone or together; a wrong
    answer is not (sts-clinical-reference section 3: never mark either reading as the only right answer)."""
    assert GAP.accept_any_correct
    assert check(GAP, ticked).correct is right


def test_the_literal_reading_is_right_where_its_own_feedback_says_it_is_accepted():
    """Ticking only chemotherapy is right, says 'accepted', and names the clinicians' reading as also right."""
    feedback = check(GAP, [CHEMO])
    assert feedback.correct and "accepted" in feedback.answer_feedback
    assert key_line(GAP, [CHEMO], True) == f"Also right (any of them counts): {SURGERY}"


# --- the bank format ----------------------------------------------------------------------------


def test_the_flag_keeps_the_bank_loadable_by_jupyterquiz():
    """The bank file's question, flag included, and its to_jupyterquiz() form validate against jupyterquiz's schema."""
    schema = json.loads((ROOT / "tests" / "jupyterquiz_schema" / "mc_schema.json").read_text())
    raw = next(q for q in json.loads((ROOT / "datasets" / "quiz" / "treatment.json").read_text()) if q["id"] == GAP.id)
    assert raw["accept_any_correct"] is True
    jsonschema.validate(raw, schema)
    jsonschema.validate(GAP.to_jupyterquiz(), schema)


def test_in_jupyterquiz_the_node_positive_thigh_question_says_that_either_reading_alone_is_right():
    """jupyterquiz has no accept_any_correct and shows one reading ticked as '[1/2]': the exported question says that
    any one of the right answers is right on its own (reference section 3: never mark either reading as the only
    right answer, nor as incomplete); a question without the flag is exported as written."""
    from sarcoma_edu.course.quiz import ANY_CORRECT_NOTE

    exported = GAP.to_jupyterquiz()
    assert exported["question"] == f"{GAP.question} {ANY_CORRECT_NOTE}"
    assert "right on its own" in ANY_CORRECT_NOTE and "[1/2]" in ANY_CORRECT_NOTE
    assert [a["correct"] for a in exported["answers"]] == [a.correct for a in GAP.answers]
    plain = next(q for q in load_bank() if q.type == "many_choice" and not q.accept_any_correct)
    assert plain.to_jupyterquiz()["question"] == plain.question


@pytest.mark.parametrize("where", ["README.md", "docs/teaching.md", "notebooks/07_quiz.ipynb"])
def test_the_docs_say_what_jupyterquiz_does_with_a_question_whose_answers_are_alternatives(where):
    """README, the teaching guide and lesson 07, where they say the banks load in jupyterquiz, warn that jupyterquiz
    shows one alternative ticked as '[1/2]' and say to export through to_jupyterquiz(), which adds the note."""
    text = (ROOT / where).read_text(encoding="utf-8")
    assert "[1/2]" in text and "to_jupyterquiz()" in text, where


@pytest.mark.parametrize(
    ("change", "words"),
    [
        pytest.param(
            {"type": "multiple_choice", "answers": ONE_RIGHT},
            "field 'type': 'multiple_choice' cannot have accept_any_correct: true; it is for many_choice questions",
            id="on a multiple_choice question",
        ),
        pytest.param(
            {"answers": ONE_RIGHT},
            "field 'answers': accept_any_correct: true needs at least two correct answers (any of them counts), not 1",
            id="with one correct answer",
        ),
        pytest.param(
            {"accept_any_correct": "yes"},
            "field 'accept_any_correct': 'yes' is not true or false",
            id="not true or false",
        ),
    ],
)
def test_a_misused_flag_is_a_problem_naming_the_question_and_the_field(tmp_path, change, words):
    """The schema refuses the flag where it means nothing, in words that name the question and the field."""
    (found,) = check_banks(_bank(tmp_path, [{**ALTERNATIVES, **change}]))
    assert not found.ok
    assert any(words in problem and "(id 'class-two-readings')" in problem for problem in found.problems), found


def test_bank_check_accepts_a_bank_that_uses_the_flag(tmp_path):
    """`sarcoma-edu bank check` says OK for an instructor's bank with accept_any_correct, and lists a misuse."""
    good = _bank(tmp_path, [ALTERNATIVES], "good.json")
    bad = _bank(tmp_path, [{**ALTERNATIVES, "id": "class-bad", "type": "multiple_choice"}], "bad.json")
    done = subprocess.run([str(SCRIPT), "bank", "check", str(good), str(bad)], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stdout.splitlines()[0] == f"{good}: OK, 1 question"
    assert "cannot have accept_any_correct: true" in done.stdout


def test_an_exercise_file_may_use_the_flag_and_is_checked_the_same_way(tmp_path):
    """An in-lesson exercise with the flag loads and grades as the quiz does; on multiple_choice it is refused."""
    exercise = {**ALTERNATIVES, "id": "ex-05-my-two-readings", "lesson": "05_treatment", "role": "predict"}
    (loaded,) = load_exercises(path=_bank(tmp_path, [exercise], "ex.json"))
    assert loaded.question.accept_any_correct and check(loaded.question, ["Reading B"]).correct
    wrong = {**exercise, "type": "multiple_choice", "answers": exercise["answers"][1:]}
    with pytest.raises(ValueError, match="cannot have accept_any_correct: true"):
        load_exercises(path=_bank(tmp_path, [wrong], "bad.json"))


# --- the widgets ----------------------------------------------------------------------------


def _tick(widget, texts: set[str]) -> None:
    for box in widget.choices.children:
        if isinstance(box, w.Checkbox):
            box.value = box.description in texts


def test_the_quiz_widget_marks_one_reading_right_and_names_the_other(store):
    """In the quiz, ticking only the surgery reading shows '✓ Correct.', names chemotherapy as also right, saves it."""
    widget = quiz_widget([GAP], progress=store)
    assert tick_hint(GAP) in widget.choices.children[0].value.replace("&#x27;", "'")
    _tick(widget, {SURGERY})
    widget.check_button.click()
    assert widget.feedback.correct and "✓ Correct." in widget.result.value
    assert "Also right (any of them counts)" in widget.result.value and "The right answer" not in widget.result.value
    assert store.attempts()["correct"].tolist() == [True]


def test_the_quiz_widget_says_any_reading_counts_after_a_wrong_answer(store):
    """A wrong answer is followed by both readings, saying that any of them counts."""
    widget = quiz_widget([GAP], progress=store)
    _tick(widget, {RADIATION})
    widget.check_button.click()
    assert not widget.feedback.correct
    assert "Right answers (ticking any of them, and no wrong one, counts)" in widget.result.value


def test_the_exercise_widget_grades_and_explains_the_flag_as_the_quiz_does(tmp_path, store):
    """An exercise with the flag: one reading ticked is right, saved right, and the other is named."""
    exercise = {**ALTERNATIVES, "id": "ex-05-my-two-readings", "lesson": "05_treatment", "role": "predict"}
    (loaded,) = load_exercises(path=_bank(tmp_path, [exercise], "ex.json"))
    widget = ExerciseWidget(loaded, progress=store)
    assert "one right answer is enough" in widget.choices.children[0].value
    _tick(widget, {"Reading A"})
    widget.check_button.click()
    assert widget.feedback.correct and "Also right (any of them counts): Reading B" in widget.result.value
    assert store.attempts()["correct"].tolist() == [True]


# --- the class report and the review scheduler ---------------------------------------------------


def _class_attempts() -> pd.DataFrame:
    """Four students answer the question through the quiz engine: two readings, both, and one wrong answer."""
    start = pd.Timestamp("2026-03-02T09:00:00", tz="UTC")
    picks = {"ana": [SURGERY], "ben": [CHEMO], "cai": [SURGERY, CHEMO], "dov": [RADIATION]}
    rows = []
    for k, (student, ticked) in enumerate(picks.items()):
        rows.append({"student": student, "attempt_id": f"a{k}", "question_id": GAP.id, "topic": GAP.topic,
                     "answer": "; ".join(ticked), "correct": check(GAP, ticked).correct,
                     "answered_at": start + pd.Timedelta(minutes=k)})  # fmt: skip
        rows.append({"student": student, "attempt_id": f"b{k}", "question_id": "st-nodes-retro", "topic": "staging",
                     "answer": "IIIB", "correct": student != "dov",
                     "answered_at": start + pd.Timedelta(hours=1)})  # fmt: skip
    return pd.DataFrame(rows)


def test_the_item_analysis_counts_every_defensible_reading_as_the_key():
    """The class report counts each reading, and both together, as right: three of four, none a distractor."""
    items = item_analysis(_class_attempts()).set_index("question_id")
    row = items.loc[GAP.id]
    assert row.difficulty == 0.75 and row.key_count == 3
    assert row.top_distractor == RADIATION and row.top_distractor_count == 1 and row["flags"] == ""
    assert row.answers.count("(key)") == 3


def test_the_review_scheduler_treats_one_reading_as_a_right_answer():
    """A student who ticked one reading is scheduled like a right answer (later), not like a wrong one."""
    attempts = _class_attempts()
    attempts = attempts[attempts["question_id"] == GAP.id]
    wait = {s: schedule(rows)[0].due - rows["answered_at"].iloc[0] for s, rows in attempts.groupby("student")}
    assert wait["ana"] == wait["ben"] == wait["cai"] > wait["dov"] > timedelta(0)
