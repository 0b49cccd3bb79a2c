"""Computed keys and their lock files: each key says which rows it rests on, and the committed lock is current."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sarcoma_edu.course import keys
from sarcoma_edu.course.key_check import check_content

STAGE_ITEM = {
    "id": "my-thigh-stage",
    "topic": "staging",
    "type": "multiple_choice",
    "difficulty": "easy",
    "question": "A 12 cm high-grade sarcoma of the thigh has not spread. Which stage group?",
    "answers": [{"answer": "IIIB", "correct": True}, {"answer": "IIIA", "correct": False}],
    "explanation": "T3 (over 10 cm), N0, M0, high grade: IIIB.",
    "source": "AJCC8",
    "objectives": ["staging-stage-group"],
    "derived_from": {"function": "stage", "args": {"site": "leg", "size_cm": 12, "grade": "high"}, "field": "stage"},
}
CASE = {
    "id": "my-thigh",
    "title": "A thigh mass",
    "facts": {"site": "extremity", "size_cm": 12, "grade": "G3", "nodes": False, "metastasis": False},
    "steps": [
        {"id": "diagnosis", "kind": "choice"},
        {"id": "t", "kind": "t_category"},
        {"id": "stage", "kind": "stage"},
        {"id": "plan", "kind": "plan_order", "radiation": "before"},
    ],
}


@pytest.fixture(scope="module")
def builtin_checks():
    """The built-in content checked against the committed lock, once for the module."""
    return check_content(None)


def test_the_committed_lock_records_every_built_in_key_as_it_is(builtin_checks):
    """datasets/content.lock.json holds exactly the keys the built-in content computes now, rows and hashes too."""
    (check,) = builtin_checks
    assert not check.errors, check.errors
    assert not check.stale, (
        "datasets/content.lock.json is stale: these computed keys differ from what it recorded "
        f"({'; '.join(check.describe()[:5]) or 'only the hashes of rows under some keys'}). Review the change, "
        "then run `sarcoma-edu content check --update` and commit the lock."
    )


def test_every_kind_of_computed_item_is_in_the_lock(builtin_checks):
    """The lock covers exercises with derived_from and every computed case step, each with the rows it rests on."""
    (check,) = builtin_checks
    kinds = {item.kind for item in check.items}
    assert {"exercise", "case step"} <= kinds
    assert len(check.items) > 60
    assert all(check.keys[item.id].depends_on for item in check.items)
    assert "case:limb-preop-radiation:stage" in check.keys


def test_a_key_is_the_same_with_or_without_the_trace_and_records_the_same_rows_twice(builtin_checks):
    """Tracing changes no answer, and a second computation (caches warm) records the same rows as the first."""
    (check,) = builtin_checks
    for item in check.items:
        again = keys.compute_key(item)
        assert keys.answer_now(item) == again.answer == check.keys[item.id].answer, item.id
        assert again.depends_on == check.keys[item.id].depends_on, item.id


def test_a_stage_question_rests_on_its_stage_group_row():
    """The lock entry of a 12 cm high-grade thigh question names the T3|T4 G2|G3 N0 M0 extremity row."""
    entry = keys.lock_entry(STAGE_ITEM)
    assert entry["answer"] == "IIIB"
    rows = [(ref["table"], ref["row"]) for ref in entry["depends_on"]]
    assert ("ajcc8_stage_groups.csv", "site=extremity, t=T3|T4, n=N0, m=M0, g=G2|G3") in rows
    assert ("ajcc8_t_categories.csv", "site=extremity, t=T3") in rows
    assert {table for table, _ in rows} <= set(entry["tables"])


def test_an_item_without_derived_from_has_no_lock_entry():
    """A question whose key the author wrote gets no entry: nothing computes it."""
    assert keys.lock_entry({k: v for k, v in STAGE_ITEM.items() if k != "derived_from"}) is None


def test_a_case_has_one_entry_per_computed_step():
    """A case's entries are its computed steps, under their progress-store ids; a choice step has none."""
    entries = keys.lock_entries(CASE)
    assert sorted(entries) == ["case:my-thigh:plan", "case:my-thigh:stage", "case:my-thigh:t"]
    assert entries["case:my-thigh:stage"]["answer"] == ["Stage IIIB"]
    assert entries["case:my-thigh:t"]["answer"] == ["T3"]
    with pytest.raises(ValueError, match="lock_entries"):
        keys.lock_entry(CASE)


def test_lock_entries_are_written_into_a_content_folder_and_removed(tmp_path):
    """write_lock_entry adds, replaces and (with None) removes one item's entry, keeping the others."""
    entry = keys.lock_entry(STAGE_ITEM)
    keys.write_lock_entries(tmp_path, keys.lock_entries(CASE))
    keys.write_lock_entry(tmp_path, "my-thigh-stage", entry)
    lock = keys.read_lock(tmp_path / keys.LOCK_NAME)
    assert len(lock) == 4 and lock["my-thigh-stage"] == entry
    keys.write_lock_entry(tmp_path, "case:my-thigh:plan", None)
    assert sorted(keys.read_lock(tmp_path / keys.LOCK_NAME)) == [
        "case:my-thigh:stage",
        "case:my-thigh:t",
        "my-thigh-stage",
    ]
    text = (tmp_path / keys.LOCK_NAME).read_text(encoding="utf-8")
    assert json.loads(text)["format"] == keys.LOCK_FORMAT
    refs = [line for line in text.splitlines() if '"table":' in line]
    assert len(refs) == sum(len(e["depends_on"]) for e in keys.read_lock(tmp_path / keys.LOCK_NAME).values())
    assert all('"row":' in line and '"hash":' in line for line in refs)  # one a line: a change is a small diff


def test_a_file_that_is_not_a_lock_is_refused_naming_it(tmp_path):
    """A lock file of another shape is refused with its path and the command that writes it again."""
    path = tmp_path / keys.LOCK_NAME
    for text in ("[]", '{"format": "sarcoma-edu-content-lock", "version": 1, "items": {"x": {"answer": 1}}}', "{"):
        path.write_text(text, encoding="utf-8")
        with pytest.raises(keys.LockFileError, match=r"content check --update") as caught:
            keys.read_lock(path)
        assert str(path) in str(caught.value)
    assert keys.read_lock(tmp_path / "none.json") == {}


def test_a_content_file_that_is_not_json_is_refused_naming_it(tmp_path):
    """An instructor's file that is not JSON stops the check with its path (bank/case check say more)."""
    (tmp_path / "quiz").mkdir()
    (tmp_path / "quiz" / "mine.json").write_text("[{", encoding="utf-8")
    with pytest.raises(keys.LockFileError, match=r"mine\.json: not valid JSON"):
        keys.computed_items(Path(tmp_path))
