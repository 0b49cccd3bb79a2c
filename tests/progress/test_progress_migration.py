"""The progress file's versions: an older file is upgraded in place with nothing lost; a newer one is left alone."""

from __future__ import annotations

import json
import multiprocessing
import shutil
import sqlite3
from pathlib import Path

import jsonschema
import pytest

from sarcoma_edu.course.banks import load_bank
from sarcoma_edu.progress import exchange as progress_exchange
from sarcoma_edu.progress import files as progress_file
from sarcoma_edu.progress import schema as progress_schema
from sarcoma_edu.progress.recover import recover
from sarcoma_edu.progress.store import ENV_VAR, ProgressStore
from sarcoma_edu.widgets.quiz import quiz_widget

FIXTURES = Path(__file__).parents[1] / "fixtures"
OLD_FILE = FIXTURES / "progress_v1.sqlite3"  # written by the store of 9f71ec2: see fixtures/README.md
OLD_EXPORT = FIXTURES / "progress_v1_export.json"
SIX = "attempt_id, question_id, topic, answer, correct, answered_at"


def _raw(path: Path, columns: str = SIX) -> list[tuple]:
    """The stored rows exactly as SQLite holds them (answers as their JSON text), in row order."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return db.execute(f"SELECT {columns} FROM attempts ORDER BY rowid").fetchall()
    finally:
        db.close()


def _version(path: Path) -> int:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return db.execute("PRAGMA user_version").fetchone()[0]
    finally:
        db.close()


@pytest.fixture
def old_copy(tmp_path) -> Path:
    """A copy of the committed file written by the previous release."""
    path = tmp_path / "progress.sqlite3"
    shutil.copyfile(OLD_FILE, path)
    return path


def test_the_committed_file_is_from_the_release_before_versions():
    """The fixture has no version marker (user_version 0) and the six-column attempts table."""
    assert _version(OLD_FILE) == 0
    db = sqlite3.connect(f"file:{OLD_FILE}?mode=ro", uri=True)
    columns = [row[1] for row in db.execute("PRAGMA table_info(attempts)")]
    db.close()
    assert columns == SIX.split(", ")
    assert len(_raw(OLD_FILE)) == 10


def test_a_file_of_the_previous_release_is_upgraded_in_place_with_every_answer_byte_for_byte(old_copy):
    """Opening the old file raises its version and adds confidence; every attempt is there, unchanged."""
    before = _raw(old_copy)
    store = ProgressStore(old_copy)
    assert _version(old_copy) == progress_schema.SCHEMA_VERSION == 2
    assert _raw(old_copy) == before  # ids, answers' JSON text, correct, times: byte for byte
    assert _raw(old_copy, "confidence") == [(None,)] * len(before)
    frame = store.attempts()
    assert sorted(frame["attempt_id"]) == sorted(row[0] for row in before)
    by_id = frame.set_index("attempt_id")
    assert by_id.loc["v1-0003", "answer"] == ["MRI", "Core needle biopsy"]
    assert by_id.loc["v1-0008", "answer"] == "ça va: «guillemets» ✓"
    assert by_id.loc["v1-0007", "topic"] == "cases" and by_id.loc["v1-0006", "question_id"] == "case-stage-123"
    assert frame["confidence"].isna().all()
    with sqlite3.connect(old_copy) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()


def test_opening_an_upgraded_file_again_changes_nothing(old_copy):
    """A second store on the upgraded file runs no migration: the file's bytes stay the same."""
    ProgressStore(old_copy)
    upgraded = old_copy.read_bytes()
    ProgressStore(old_copy).attempts()
    assert old_copy.read_bytes() == upgraded


def test_the_upgraded_file_takes_new_answers_with_their_confidence(old_copy):
    """After the upgrade an answer is saved with a confidence, and one given later is added to it."""
    store = ProgressStore(old_copy)
    store.record("st-ia", "IA", True, "staging", confidence="sure")
    later = store.record("gr-bands", "Grade 2", False, "grade")
    store.set_confidence(later, "guessed")
    frame = store.attempts()
    assert len(frame) == 12
    assert list(frame.dropna(subset=["confidence"])["confidence"]) == ["sure", "guessed"]


def test_a_saved_confidence_is_never_changed(tmp_path):
    """Giving another confidence for an attempt that has one is refused and the first one stays."""
    store = ProgressStore(tmp_path / "p.sqlite3")
    attempt = store.record("st-ia", "IA", True, "staging")
    store.set_confidence(attempt, "unsure")
    store.set_confidence(attempt, "unsure")  # the same again: nothing to change
    with pytest.raises(ValueError, match="already has confidence 'unsure'"):
        store.set_confidence(attempt, "sure")
    with pytest.raises(ValueError, match="confidence='certain' is not allowed"):
        store.set_confidence(attempt, "certain")
    with pytest.raises(ValueError, match="attempt_id='nope' is not a saved attempt"):
        store.set_confidence("nope", "sure")
    assert list(store.attempts()["confidence"]) == ["unsure"]


def test_an_export_of_the_previous_release_imports_into_the_new_one(tmp_path):
    """The committed version 1 export imports whole into an upgraded store, with no confidence."""
    store = ProgressStore(tmp_path / "p.sqlite3")
    assert store.import_json(OLD_EXPORT) == 10
    exported = json.loads(OLD_EXPORT.read_text(encoding="utf-8"))["attempts"]
    frame = store.attempts().set_index("attempt_id")
    for attempt in exported:
        assert frame.loc[attempt["attempt_id"], "answer"] == attempt["answer"]
    assert frame["confidence"].isna().all()


def test_an_export_of_the_new_version_carries_confidence_and_imports(tmp_path):
    """A version 2 export follows the schema, keeps each confidence, and imports into another store."""
    home = ProgressStore(tmp_path / "home.sqlite3")
    home.record("st-ia", "IA", True, "staging", confidence="sure")
    home.record("st-ib", "IA", False, "staging")
    path = home.export_json(tmp_path / "out.json")
    payload = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validate(payload, progress_exchange.load_schema())
    assert payload["version"] == 2
    assert [a.get("confidence") for a in payload["attempts"]] == ["sure", None]
    assert "confidence" not in payload["attempts"][1]  # left out, not null, when not given
    other = ProgressStore(tmp_path / "other.sqlite3")
    assert other.import_json(path) == 2
    assert list(other.attempts()["confidence"]) == ["sure", None]


def test_a_confidence_given_after_an_export_reaches_the_other_store_on_the_next_import(tmp_path):
    """Importing again a later export adds a confidence the first import did not have; nothing is doubled."""
    home = ProgressStore(tmp_path / "home.sqlite3")
    attempt = home.record("st-ia", "IA", True, "staging")
    binder = ProgressStore(tmp_path / "binder.sqlite3")
    binder.import_json(home.export_json(tmp_path / "first.json"))
    home.set_confidence(attempt, "guessed")
    assert binder.import_json(home.export_json(tmp_path / "second.json")) == 0
    assert list(binder.attempts()["confidence"]) == ["guessed"]


def test_both_versions_of_the_schema_are_described_and_only_version_2_carries_confidence(tmp_path):
    """The schema's confidence values are the store's; a version 1 file with a confidence is refused, naming it."""
    schema = progress_exchange.load_schema()
    assert tuple(schema["$defs"]["attempt"]["properties"]["confidence"]["enum"]) == progress_exchange.CONFIDENCE
    assert schema["properties"]["version"]["enum"] == list(progress_exchange.VERSIONS) == [1, 2]
    attempt = json.loads(OLD_EXPORT.read_text(encoding="utf-8"))["attempts"][0]
    path = tmp_path / "odd.json"
    path.write_text(
        json.dumps({"format": "sarcoma-edu-progress", "version": 1, "attempts": [dict(attempt, confidence="sure")]})
    )
    store = ProgressStore(tmp_path / "p.sqlite3")
    with pytest.raises(ValueError, match="attempt 0, field 'confidence' is not a field of a version 1 export"):
        store.import_json(path)
    path.write_text(
        json.dumps({"format": "sarcoma-edu-progress", "version": 2, "attempts": [dict(attempt, confidence="maybe")]})
    )
    with pytest.raises(ValueError, match="attempt 0, field 'confidence': 'maybe' must be one of 'sure'"):
        store.import_json(path)
    assert store.attempts().empty


def _newer(path: Path) -> None:
    """Make the file look written by a later sarcoma-edu: its application id, and a higher version."""
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA application_id = {progress_schema.APPLICATION_ID}")
    db.execute(f"PRAGMA user_version = {progress_schema.SCHEMA_VERSION + 1}")
    db.commit()
    db.close()


def test_a_file_newer_than_the_code_is_refused_naming_it_and_both_versions_and_stays_byte_equal(old_copy):
    """A file of a later version is a ValueError naming the file, its version and ours; not a byte changes."""
    _newer(old_copy)
    before = old_copy.read_bytes()
    with pytest.raises(ValueError) as caught:
        ProgressStore(old_copy)
    message = str(caught.value)
    assert str(old_copy) in message
    assert "version 3" in message and "up to version 2" in message and "left unchanged" in message
    assert old_copy.read_bytes() == before
    assert sorted(p.name for p in old_copy.parent.iterdir()) == ["progress.sqlite3"]  # no journal, no copy


def test_a_newer_file_in_the_quiz_is_a_message_and_the_quiz_still_works(old_copy, monkeypatch):
    """The quiz on a newer progress file says why nothing is saved, checks answers, and leaves the file alone."""
    _newer(old_copy)
    before = old_copy.read_bytes()
    monkeypatch.setenv(ENV_VAR, str(old_copy))
    widget = quiz_widget(load_bank())
    assert "written by a newer sarcoma-edu" in widget.status.value
    assert widget.answer(widget.question.choices[0]) is not None
    assert old_copy.read_bytes() == before


def test_a_read_only_old_file_is_read_without_being_upgraded(old_copy, monkeypatch):
    """An old file that may not be written is read as it is (no confidence yet) and not changed."""
    monkeypatch.setattr(progress_file, "_can_write", lambda _path: False)
    before = old_copy.read_bytes()
    store = ProgressStore(old_copy)
    frame = store.attempts()
    assert len(frame) == 10 and frame["confidence"].isna().all()
    assert old_copy.read_bytes() == before and _version(old_copy) == 0


def test_a_moved_aside_file_of_the_new_version_brings_its_confidence_back(tmp_path):
    """Recovering a version 2 file merges its attempts with their confidence."""
    old = ProgressStore(tmp_path / "old.sqlite3")
    old.record("st-ia", "IA", True, "staging", confidence="unsure")
    aside = tmp_path / "progress.sqlite3.corrupt-20260302T140509123456Z"
    shutil.copyfile(old.path, aside)
    result = recover(aside, tmp_path / "live.sqlite3")
    assert result.added == 1
    assert list(ProgressStore(tmp_path / "live.sqlite3").attempts()["confidence"]) == ["unsure"]


def _open(path: str) -> None:
    ProgressStore(path).record("st-ia", "IA", True, "staging", confidence="sure")


def test_several_processes_opening_one_old_file_at_once_upgrade_it_once(old_copy):
    """Three processes that open the old file together leave one confidence column and every answer."""
    before = _raw(old_copy)
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_open, args=(str(old_copy),)) for _ in range(3)]
    for p in workers:
        p.start()
    for p in workers:
        p.join(timeout=120)
        assert p.exitcode == 0
    assert _raw(old_copy)[: len(before)] == before and len(_raw(old_copy)) == len(before) + 3
    assert _version(old_copy) == progress_schema.SCHEMA_VERSION
    db = sqlite3.connect(old_copy)
    assert [row[1] for row in db.execute("PRAGMA table_info(attempts)")].count("confidence") == 1
    db.close()
