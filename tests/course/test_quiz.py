"""Quiz banks, checking answers, and questions generated from random patients."""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

from sarcoma_edu import fnclcc, stage, t_category, treatment_options
from sarcoma_edu.course.banks import QuizBankError, bank_paths, load_bank
from sarcoma_edu.course.generated import CASE_KINDS, generate_case_question, question_from_id
from sarcoma_edu.course.quiz import TOPICS, Question, check

ROOT = Path(__file__).resolve().parents[2]
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
    "objectives": ["staging-stage-group"],
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
    from sarcoma_edu.clinical.sources import unknown_citations

    assert len({q.id for q in BANK}) == len(BANK)
    for q in BANK:
        assert len(q.explanation) > 20, q.id
        assert unknown_citations(q.source) == [], q.id  # every citation starts with a key of datasets/sources.csv


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
        if question.accept_any_correct:  # any right answer counts: a wrong one added is what makes it wrong
            wrong = [*right[:1], next(a.answer for a in question.answers if not a.correct)]
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
    from sarcoma_edu.widgets.quiz import quiz_widget

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


# the library's functions, memoised for speed (generated cases repeat a few hundred combinations)
_stage, _fnclcc, _options = functools.cache(stage), functools.cache(fnclcc), functools.cache(treatment_options)
_SITUATION_HEADINGS = {
    s: f"'{treatment_options(word, nodes=nodes).heading}'"
    for s, word, nodes in (("stage_I", "I", False), ("stage_II_III_N0", "II", False), ("stage_IV", "IV", False))
}


def _library_answers(q: Question, kind: str) -> set[str]:
    """Every answer the library accepts for a generated case."""
    case = q.case
    if kind == "stage":
        result = _stage(**case)
        return {f"Stage {result.stage}" if result.stage else "No stage group"}
    if kind == "t_category":
        return {t_category(case["site"], case["size_cm"], extent=case.get("extent"), sites=case.get("sites"))}
    if kind == "fnclcc_grade":
        return {f"Grade {_fnclcc(**case).grade}"}
    options = _options(_stage(**case))
    return {f"'{options.heading}'", *(f"'{h}'" for h in options.other_headings)}


@pytest.mark.parametrize("kind", CASE_KINDS)
def test_generated_answer_is_the_librarys_answer_and_distractors_differ(kind):
    """Over 300 seeds the correct answers are the library's results, and no distractor equals one."""
    for seed in range(300):
        q = generate_case_question(seed, kind)
        right = [a.answer for a in q.correct_answers]
        expected = _library_answers(q, kind)
        assert len(right) == len(expected) and all(any(r.startswith(e) for e in expected) for r in right), (
            seed,
            q.question,
        )
        wrong = [a.answer for a in q.answers if not a.correct]
        assert not set(right) & set(wrong) and len(set(wrong)) == len(wrong) >= 2
        assert all(check(q, r).correct for r in right)
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


def test_a_node_positive_limb_tumour_without_distant_spread_accepts_both_pdq_lists():
    """Both the stage III-with-nodes list and the stage IV list are right, each explaining the other reading."""
    found = 0
    for seed in range(500):
        q = generate_case_question(seed, "treatment")
        if not (q.case["nodes"] and not q.case["metastasis"] and q.case["site"] != "retroperitoneum"):
            continue
        found += 1
        right = {a.answer: a for a in q.correct_answers}
        nodes_list = next(a for a in right if "Spread to Lymph Nodes" in a)
        assert set(right) == {nodes_list, _SITUATION_HEADINGS["stage_IV"]}, seed
        for text, answer in right.items():
            other = next(t for t in right if t != text)
            assert check(q, text).correct and other in answer.feedback and "reading" in answer.feedback
        assert all("Stage IV" not in a.answer for a in q.answers if not a.correct)
    assert found >= 10


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


# --- every generated kind re-checked against the library (issue 16) ------------------------------

_FNCLCC_BANDS = {"Grade 1 (low)": "2-3", "Grade 2 (mid)": "4-5", "Grade 3 (high)": "6-8"}  # reference section 2


def _ajcc7_iii(case: dict) -> bool:
    """AJCC 7 stage III (reference section 3): T2 (over 5 cm) G3 N0 M0, or any N1 M0."""
    return not case["metastasis"] and (case["nodes"] or (case["size_cm"] > 5 and case["grade"] == "G3"))


def _stage_claims(q: Question, choice: str, feedback: str, key: set[str]) -> list[str]:
    """Each sentence of a wrong stage answer's feedback, checked against stage(); returns what it could not check."""
    case, unchecked = q.case, []
    for sentence in re.split(r"(?<=\.) ", feedback):
        if m := re.fullmatch(
            r"That would be the stage (on the trunk or a limb|in the retroperitoneum): .*\.", sentence
        ):
            site = "extremity" if m.group(1).startswith("on") else "retroperitoneum"
            assert site != case["site"] and f"Stage {_stage(**{**case, 'site': site}).stage}" == choice
        elif m := re.fullmatch(r"That would be the stage with grade (G\d) instead of (G\w)\.", sentence):
            assert m.group(2) == case["grade"] and f"Stage {_stage(**{**case, 'grade': m.group(1)}).stage}" == choice
        elif sentence == f"{choice} does not match these T, N, M and G.":
            assert choice not in key
        elif "AJCC 7th edition grouping" in sentence:
            assert choice == "Stage III" and _ajcc7_iii(case)
        elif m := re.search(r"places this one in stage (\w+)\.$", sentence):
            assert {f"Stage {m.group(1)}"} == key
        elif not any(w in sentence for w in ("PDQ treatment headings", "exact AJCC 8th edition group")):
            unchecked.append(sentence)
    return unchecked


def _t_claims(q: Question, choice: str, feedback: str, key: set[str]) -> list[str]:
    """Each claim of a wrong T answer's feedback, checked against t_category() and reference section 3."""
    case, unchecked = q.case, []
    site, size, invades = case["site"], case["size_cm"], case.get("invades")
    if site == "head_and_neck" and choice.startswith("T4"):
        assert "is a different size band" not in feedback and "invade" in feedback
    for sentence in re.split(r"(?<=\.) (?=[A-Z])", feedback):
        if m := re.match(r"(T\d) uses the size bands of the (trunk and limbs|head and neck)", sentence):
            other = "extremity" if m.group(2) == "trunk and limbs" else "head_and_neck"
            assert other != site and t_category(other, size) == choice == m.group(1)
        elif m := re.match(r"(T\d) is the head and neck size band for ([\d.]+) cm, but this tumour (.+), so", sentence):
            assert t_category(site, size) == m.group(1) == choice and float(m.group(2)) == size
            assert invades == m.group(3) and m.group(1) not in key
        elif m := re.fullmatch(r"(T\d) is a different size band for this site\.", sentence):
            assert site != "head_and_neck" or choice != "T4"
            assert choice == m.group(1) and choice not in key and invades is None
        elif m := re.fullmatch(
            r"(T\d) is a size band for a tumour that does not invade adjoining structures\.", sentence
        ):
            assert invades is not None and choice == m.group(1)
        elif site == "head_and_neck" and (m := re.fullmatch(r"(T4[ab]) is: .*\.", sentence)):
            assert choice == m.group(1) and invades is not None
        elif m := re.fullmatch(r"This tumour (.+), which is (T4[ab])\.", sentence):
            assert choice != m.group(2) and {m.group(2)} == key and invades == m.group(1)
            assert any(invades.endswith(s) for s in HEAD_NECK_T4_WORDS[m.group(2)])
        elif m := re.fullmatch(
            r"(T\d) is the trunk and limb size band for ([\d.]+) cm, but for visceral organs T measures how far "
            r"the tumour has grown, not its size\.",
            sentence,
        ):
            assert site == "visceral" and t_category("trunk", size) == m.group(1) == choice
            assert float(m.group(2)) == size and choice not in key
        elif m := re.fullmatch(r"(T\d[abc]?) is: (.+)\.", sentence):
            assert site == "visceral" and choice == m.group(1) and choice not in key
            assert m.group(2) in VISCERAL_T_DEFINITIONS[choice]
        elif sentence.startswith("In the head and neck T4 is not a size band"):
            assert site == "head_and_neck"
            if sentence.endswith("and this one does not invade."):
                assert invades is None
        else:
            unchecked.append(sentence)
    return unchecked


# the visceral T definitions as reference section 3 gives them (AJCC 8, as reprinted in PDQ-HP)
VISCERAL_T_DEFINITIONS = {
    "T1": "tumour confined to the organ",
    "T2a": "tumour invades the serosa or visceral peritoneum",
    "T2b": "tumour extends beyond the serosa (mesentery)",
    "T3": "tumour invades another organ",
    "T4a": "multifocal involvement, 2 sites",
    "T4b": "multifocal involvement, 3 to 5 sites",
    "T4c": "multifocal involvement, more than 5 sites",
}

# the structure each generated stem names, as reference section 3 lists it
HEAD_NECK_T4_WORDS = {
    "T4a": ("orbit", "skull base", "dura", "facial skeleton", "pterygoid muscles", "central compartment viscera"),
    "T4b": ("brain", "carotid artery", "prevertebral muscle", "central nervous system by perineural spread"),
}


def _expected_keys(q: Question, kind: str) -> set[str]:
    """The right answers, re-derived from the library for the generated case."""
    case = q.case
    if kind == "t_category" and case.get("invades"):
        found = {t for t, words in HEAD_NECK_T4_WORDS.items() if any(case["invades"].endswith(w) for w in words)}
        assert {t_category(case["site"], case["size_cm"], extent=case["extent"])} == found
        return found
    if kind == "fnclcc_grade":
        return {next(label for label in _FNCLCC_BANDS if label.startswith(k)) for k in _library_answers(q, kind)}
    return _library_answers(q, kind)


@pytest.mark.parametrize("kind", CASE_KINDS)
def test_every_generated_question_over_3000_seeds_is_keyed_by_the_library_and_no_feedback_contradicts_it(kind):
    """For 3,000 seeds per kind the key is the library's answer, and every wrong choice's feedback agrees with it."""
    for seed in range(3000):
        q = generate_case_question(seed, kind)
        key = _expected_keys(q, kind)
        right = {a.answer for a in q.correct_answers}
        assert right == key, (seed, q.question)
        for answer in q.answers:
            if answer.correct:
                continue
            choice, feedback = answer.answer, answer.feedback
            assert choice not in key and feedback, (seed, choice)
            assert not any(re.match(rf"{re.escape(k)}\b", feedback) for k in key), (seed, choice, feedback)
            if kind == "stage":
                assert _stage_claims(q, choice, feedback, key) == [], (seed, choice, feedback)
            elif kind == "t_category":
                assert _t_claims(q, choice, feedback, key) == [], (seed, choice, feedback)
            elif kind == "fnclcc_grade":
                band, total = re.fullmatch(
                    r"Grade \d \(\w+\) is a total of ([\d-]+); this tumour's total is (\d)\.", feedback
                ).groups()
                assert _FNCLCC_BANDS[choice] == band and int(total) == _fnclcc(**q.case).total
            else:
                assert feedback == "That list is for a different situation.", (seed, feedback)
        if kind == "t_category" and q.case["site"] == "head_and_neck":
            assert ("does not invade adjoining structures" in q.question) == (q.case["invades"] is None), seed
            assert q.case["invades"] is None or f"it {q.case['invades']}." in q.question
        if kind == "treatment" and len(key) > 1:
            for answer in q.correct_answers:
                assert all(other in answer.feedback for other in key - {answer.answer}), seed


def test_head_and_neck_t_questions_state_invasion_and_some_tumours_invade():
    """Every head and neck T stem says whether the tumour invades; some invade (T4a, T4b), most do not."""
    keys = Counter()
    for seed in range(600):
        q = generate_case_question(seed, "t_category")
        if q.case["site"] == "head_and_neck":
            keys[q.correct_answers[0].answer] += 1
            assert "invade" in q.question
            assert all("T4 is a different size band" not in a.feedback for a in q.answers)
    assert keys["T4a"] > 5 and keys["T4b"] > 5 and keys["T3"] > keys["T4a"]


def test_the_stage_question_asks_for_the_exact_ajcc8_group_beside_stage_iii():
    """Where 'Stage III' is offered the stem asks for the exact AJCC 8 group, and its feedback names that group."""
    for seed in range(300):
        q = generate_case_question(seed, "stage")
        assert "exact AJCC 8th edition stage group" in q.question
        answers = {a.answer: a for a in q.answers}
        if "Stage III" in answers:
            (right,) = q.correct_answers
            assert answers["Stage III"].feedback.endswith(f"in stage {right.answer.removeprefix('Stage ')}.")


def test_fong_and_keung_figures_are_credited_to_the_papers_not_pdq():
    """A question giving the Fong (2.6%) or Keung (3.5%, 16%, 13%) nodal figures cites those papers (section 4)."""
    cited = [q for q in BANK if "Fong" in q.question + q.explanation or "Keung" in q.question + q.explanation]
    assert len(cited) >= 2
    for q in cited:
        assert ("Fong" in q.source or "Keung" in q.source) and not q.source.startswith("PDQ"), q.id


def test_seer_survival_figures_say_which_years_they_describe():
    """Every question showing a SEER survival figure says the people were diagnosed 2010-2016 (section 7)."""
    figures = re.compile(r"\b(81|56|15|65)%")
    shown = [q for q in BANK if "SEER" in q.question + q.explanation and figures.search(q.question + q.explanation)]
    assert shown
    for q in shown:
        assert "2010-2016" in q.question + " " + q.explanation, q.id


def test_visceral_t_questions_are_keyed_by_extent_never_by_size():
    """Generated visceral T questions name the extent, and the key is the library's T for it whatever the size."""
    seen = Counter()
    for seed in range(600):
        q = generate_case_question(seed, "t_category")
        if q.case["site"] != "visceral":
            continue
        key = q.correct_answers[0].answer
        seen[key] += 1
        assert key == t_category("visceral", None, extent=q.case["extent"], sites=q.case["sites"])
        assert "by extent, not size" in q.explanation
        assert "no stage group" in q.explanation
    assert len(seen) >= 5 and sum(seen.values()) > 60
