"""Quiz bank files: the JSON Schema is the one definition of a valid question, and every bad file is a QuizBankError."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sarcoma_edu.course.banks import QuizBankError, bank_paths, check_banks, load_bank
from sarcoma_edu.course.quiz import check

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "datasets" / "quiz" / "quiz_bank.schema.json").read_text(encoding="utf-8"))
GOOD = {
    "id": "my-q1",
    "topic": "staging",
    "type": "multiple_choice",
    "difficulty": "easy",
    "question": "Which?",
    "answers": [{"answer": "A", "correct": True}, {"answer": "B", "correct": False}],
    "explanation": "Because.",
    "source": "PDQ-HP",
    "objectives": ["staging-stage-group"],
}
NUMERIC = {**GOOD, "id": "my-n1", "type": "numeric", "answers": [{"range": [1, 5], "correct": True}]}


def _write(tmp_path: Path, content: object, name: str = "bank.json") -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def _without(question: dict, name: str) -> dict:
    return {k: v for k, v in question.items() if k != name}


def _schema_accepts(bank: object) -> bool:
    return jsonschema.validators.validator_for(SCHEMA)(SCHEMA).is_valid(bank)


# --- the schema decides, and the loader says where --------------------------------------------


@pytest.mark.parametrize(
    ("question", "field", "words"),
    [
        pytest.param(_without(GOOD, "difficulty"), "'difficulty'", "is missing", id="no difficulty"),
        pytest.param({**GOOD, "id": "<b>My Q</b>"}, "'id'", "lower-case letters", id="markup in the id"),
        pytest.param({**GOOD, "id": "case-stage-5"}, "'id'", "not with 'case-'", id="id of a generated question"),
        pytest.param(
            {**GOOD, "answers": [{"answer": "A", "correct": True}]}, "'answers'", "at least 2", id="a single choice"
        ),
        pytest.param({**GOOD, "explanation": "   "}, "'explanation'", "other than spaces", id="blank explanation"),
        pytest.param({**GOOD, "difficulty": "tricky"}, "'difficulty'", "easy, medium, hard", id="unknown difficulty"),
        pytest.param(
            {**GOOD, "answers": [{"answer": "A", "correct": True}, {"answer": "B", "correct": True}]},
            "'answers'",
            "exactly one correct answer, not 2",
            id="two right answers to a multiple_choice question",
        ),
        pytest.param(
            {**GOOD, "answers": [{"answer": "A", "correct": 1}, {"answer": "B", "correct": False}]},
            "'answers[0].correct'",
            "is not true or false",
            id="correct given as 1",
        ),
        pytest.param(
            {**NUMERIC, "answers": [{"value": 3, "range": [1, 5], "correct": True}]},
            "'answers[0]'",
            "either 'value' or 'range'",
            id="numeric answer with value and range",
        ),
        pytest.param(
            {**NUMERIC, "answers": [{"range": [1], "correct": True}]},
            "'answers[0].range'",
            "a list [low, high]",
            id="range of one number",
        ),
        pytest.param({**NUMERIC, "precision": 0}, "'precision'", "from 1 to 17", id="precision 0"),
        pytest.param({**NUMERIC, "precision": 18}, "'precision'", "18 is not a whole number", id="precision 18"),
        pytest.param(
            {**NUMERIC, "precision": 10**30}, "'precision'", "from 1 to 17", id="precision 10**30 (raised before)"
        ),
        pytest.param({**NUMERIC, "precision": True}, "'precision'", "not a whole number", id="precision true"),
        pytest.param({**GOOD, "code": "print(1)"}, "'code'", "'code' field is not supported", id="jupyterquiz code"),
        pytest.param(
            {**GOOD, "answers": [{"answer": "A", "correct": True, "colour": "red"}, {"answer": "B", "correct": False}]},
            "'answers[0].colour'",
            "not a field of an answer",
            id="unknown answer field",
        ),
    ],
)
def test_a_question_the_schema_refuses_is_refused_by_the_loader_naming_file_question_and_field(
    tmp_path, question, field, words
):
    """Each rule lives in the schema: what it refuses, load_bank refuses, naming the file, index, id and field."""
    bank = [GOOD, question]
    assert not _schema_accepts(bank)
    path = _write(tmp_path, bank)
    with pytest.raises(QuizBankError) as raised:
        load_bank(path)
    message = str(raised.value)
    assert f"{path}, question 1 (id {question['id']!r}), field {field}: " in message and words in message


@pytest.mark.parametrize(
    ("question", "field", "words"),
    [
        pytest.param(
            {**NUMERIC, "answers": [{"range": [5, 1], "correct": True}]},
            "'answers[0].range'",
            "low 5 is above high 1",
            id="reversed range",
        ),
        pytest.param(
            {**GOOD, "answers": [{"answer": "A", "correct": True}, {"answer": "A", "correct": False}]},
            "'answers'",
            "two answers have the same text, 'A'",
            id="two answers with the same text",
        ),
        pytest.param(
            {**NUMERIC, "answers": [{"value": 10**400, "correct": True}]},
            "'answers[0].value'",
            "100000...000 (401 digits): too large for a number",
            id="a value no float holds",
        ),
        pytest.param(
            {**NUMERIC, "answers": [{"range": [0, 10], "correct": False}, {"range": [2, 3], "correct": True}]},
            "'answers[1]'",
            "is marked correct but no number can reach it",
            id="a right range inside an earlier wrong range",
        ),
        pytest.param(
            {**NUMERIC, "answers": [{"value": 4, "correct": False}, {"value": 4.0, "correct": True}]},
            "'answers[1]'",
            "is marked correct but no number can reach it",
            id="a right value equal to an earlier wrong one",
        ),
        pytest.param(
            {
                **NUMERIC,
                "precision": 1,
                "answers": [{"value": 42, "correct": False}, {"value": 38, "correct": True}],
            },
            "'answers[1]'",
            "is marked correct but no number can reach it",
            id="a right value rounding to an earlier wrong one at the question's precision",
        ),
    ],
)
def test_what_a_schema_cannot_say_is_still_checked_by_the_loader(tmp_path, question, field, words):
    """A reversed range, repeated answer texts, numbers beyond a float and a right answer no number reaches
    pass the schema but not load_bank."""
    assert _schema_accepts([question])
    path = _write(tmp_path, [question])
    with pytest.raises(QuizBankError) as raised:
        load_bank(path)
    assert f"question 0 (id {question['id']!r}), field {field}: {words}" in str(raised.value)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.sampled_from(["", " ", "x", "easy", "staging", "numeric"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["answer", "correct", "value"]), inner),
    max_leaves=6,
)


@settings(max_examples=150, deadline=None)
@given(
    base=st.sampled_from([GOOD, NUMERIC]),
    name=st.sampled_from([*GOOD, "precision", "range", "code"]),
    value=_JSON,
    drop=st.booleans(),
)
def test_loader_and_schema_never_disagree_about_a_changed_question(tmp_path_factory, base, name, value, drop):
    """Any one field dropped or replaced: load_bank refuses exactly when the schema refuses (or a range, text or
    objective-list rule: the schema knows an objective's form, only the loader knows datasets/objectives.csv)."""
    question = copy.deepcopy(base)
    if drop:
        question.pop(name, None)
    else:
        question[name] = value
    path = _write(tmp_path_factory.mktemp("bank"), [question])
    (result,) = check_banks(path)
    if not _schema_accepts([question]):
        assert not result.ok and all(f"{path}, question 0" in p for p in result.problems)
    else:
        loader_only = (
            "two answers have the same text",
            "is above high",
            "too large for a number",
            "no number can reach it",
            "is not a learning objective of datasets/objectives.csv",
        )
        assert all(any(words in p for words in loader_only) for p in result.problems), result.problems


@pytest.mark.parametrize("path", bank_paths(), ids=lambda p: p.name)
def test_every_builtin_bank_has_no_problem(path):
    """Each shipped bank passes the schema and every loader check (check_banks lists nothing)."""
    (result,) = check_banks(path)
    assert result.problems == ()
    assert len(result.questions) == len(json.loads(path.read_text(encoding="utf-8")))


# --- every problem, not only the first --------------------------------------------------------


def test_every_problem_of_a_file_is_listed_in_question_order(tmp_path):
    """check_banks lists all problems; the error names the first three and says how many more there are."""
    bank = [
        _without(GOOD, "difficulty"),
        {**GOOD, "id": "my-q2", "topic": "surgery", "source": ""},
        {**NUMERIC, "answers": [{"range": [9, 1], "correct": True}]},
        {**GOOD, "id": "my-q1"},
    ]
    path = _write(tmp_path, bank)
    (result,) = check_banks(path)
    fields = [p.split(", field ")[1].split(":")[0] for p in result.problems]
    assert fields == ["'difficulty'", "'topic'", "'source'", "'answers[0].range'", "'id'"]
    assert "'my-q1' is already used by question 0 in this file" in result.problems[-1]
    with pytest.raises(QuizBankError) as raised:
        load_bank(path)
    assert raised.value.problems == result.problems
    assert "(and 2 more: 'sarcoma-edu bank check FILE' lists them all)" in str(raised.value)


# --- ids shared with built-in questions -------------------------------------------------------


def test_an_id_of_a_builtin_question_is_refused_naming_both_files(tmp_path):
    """An instructor's question reusing a built-in id would share its history: the error names both files."""
    builtin = json.loads(bank_paths()[0].read_text(encoding="utf-8"))[0]["id"]
    path = _write(tmp_path, [{**GOOD, "id": builtin}])
    with pytest.raises(QuizBankError) as raised:
        load_bank(path)
    message = str(raised.value)
    assert str(path) in message and str(bank_paths()[0]) in message and "already used by a built-in question" in message


def test_two_instructor_files_sharing_an_id_name_both_files(tmp_path):
    """The same id in two of the files given is refused, naming the first file and its question."""
    first, second = _write(tmp_path, [GOOD], "a.json"), _write(tmp_path, [NUMERIC, GOOD], "b.json")
    with pytest.raises(QuizBankError, match=rf"{second}, question 1 \(id 'my-q1'\).*used by question 0 in {first}"):
        load_bank([first, second])


def test_a_builtin_bank_loaded_by_its_path_is_not_a_clash_with_itself():
    """Loading a built-in bank file by path (alone or with the others) reports no shared id."""
    assert len(load_bank(bank_paths()[0])) == len(json.loads(bank_paths()[0].read_text(encoding="utf-8")))
    assert len(load_bank(bank_paths())) == len(load_bank())


# --- files that are not banks -----------------------------------------------------------------


def test_a_file_saved_with_a_utf8_byte_order_mark_loads(tmp_path):
    """Some editors on Windows save a byte-order mark first: the bank still loads."""
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps([GOOD]).encode("utf-8"))
    assert [q.id for q in load_bank(path)] == ["my-q1"]


@pytest.mark.parametrize(
    ("make", "words"),
    [
        pytest.param(lambda tmp: tmp, "is a folder, not a bank file", id="a folder"),
        pytest.param(lambda tmp: "", "path='' is empty", id="an empty path"),
        pytest.param(lambda tmp: str(tmp / "nope.json"), "no such file", id="a missing file"),
        pytest.param(
            lambda tmp: _write(tmp, "[" * 100_000 + "]" * 100_000), "nested too deeply", id="100,000 nested lists"
        ),
        pytest.param(lambda tmp: _write(tmp, '[{"id": 1, "id": 2}]'), "'id' appears twice", id="a field twice"),
        pytest.param(lambda tmp: _write(tmp, "[NaN]"), "NaN is not a JSON number", id="NaN"),
        pytest.param(lambda tmp: _write(tmp, '"questions"'), "not a string", id="a JSON string"),
        pytest.param(lambda tmp: _write(tmp, "{not json"), "line 1, column 2", id="broken JSON"),
    ],
)
def test_a_path_that_is_not_a_bank_is_a_quiz_bank_error(tmp_path, make, words):
    """Folders, empty paths, absurd nesting and broken JSON are QuizBankErrors, never OSError or RecursionError."""
    with pytest.raises(QuizBankError, match=words.replace("(", r"\(")):
        load_bank(make(tmp_path))


def test_text_that_is_not_utf8_is_a_quiz_bank_error(tmp_path):
    """A bank saved in another encoding is refused, saying where the first bad byte is."""
    path = tmp_path / "latin1.json"
    path.write_bytes(json.dumps([{**GOOD, "question": "Qu'est-ce que é?"}], ensure_ascii=False).encode("latin-1"))
    with pytest.raises(QuizBankError, match=r"not UTF-8 text at byte \d+"):
        load_bank(path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs exist on Linux and macOS only")
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    """A named pipe given as a bank is refused at once instead of blocking the kernel."""
    fifo = tmp_path / "bank.json"
    os.mkfifo(fifo)
    with pytest.raises(QuizBankError, match="is not a regular file"):
        load_bank(fifo)


def test_loading_a_bank_takes_the_schema_from_the_package_not_the_working_folder(tmp_path, monkeypatch):
    """load_bank works from any folder (the schema ships inside the package)."""
    monkeypatch.chdir(tmp_path)
    assert len(load_bank()) == len(load_bank(bank_paths())) > 0


# --- answers a student gives --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (10**400, r"answer=100000\.\.\.000 \(401 digits\) is too large"),
        (float("inf"), "answer=inf is not a finite number"),
        (float("nan"), "answer=nan is not a finite number"),
    ],
    ids=["10**400", "inf", "nan"],
)
def test_a_numeric_answer_no_float_holds_is_a_value_error_naming_it(tmp_path, answer, words):
    """check() refuses 10**400, inf and NaN for a numeric question with a ValueError, never OverflowError."""
    (question,) = load_bank(_write(tmp_path, [NUMERIC]))
    with pytest.raises(ValueError, match=words):
        check(question, answer)


@pytest.mark.parametrize(
    "answers",
    [
        pytest.param([{"range": [0, 10], "correct": False}, {"range": [5, 20], "correct": True}], id="partly covered"),
        pytest.param([{"value": 3, "correct": False}, {"range": [3, 3.5], "correct": True}], id="one end taken"),
        pytest.param([{"range": [2, 2], "correct": True}], id="a range of one number"),
        pytest.param([{"range": [0, 1], "correct": False}, {"value": 1.0000001, "correct": True}], id="just past"),
    ],
)
def test_a_right_numeric_answer_some_number_still_reaches_is_accepted(tmp_path, answers):
    """A right answer that earlier answers cover only in part (or not at all) is reachable and loads."""
    (question,) = load_bank(_write(tmp_path, [{**NUMERIC, "answers": answers}]))
    right = next(a for a in question.answers if a.correct)
    probe = right.value if right.value is not None else right.range[1]
    assert check(question, probe).correct
