"""Quiz progress: saved, summarised, exported, merged, shared by processes, and never lost."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
import time
from pathlib import Path

import pandas as pd
import pytest

from sarcoma_edu.progress.store import ENV_VAR, ProgressStore, ProgressWarning, default_path


def test_attempts_survive_reopening(tmp_path):
    """What one store records, a new store on the same file (a restarted kernel) reads back."""
    path = tmp_path / "progress.sqlite3"
    first = ProgressStore(path)
    first.record("st-ia", "IA", True, "staging")
    first.record("st-ia", "IB", False, "staging")
    again = ProgressStore(str(path))
    frame = again.attempts()
    assert list(frame["answer"]) == ["IA", "IB"] and list(frame["correct"]) == [True, False]


def test_summary_per_question_and_per_topic(tmp_path):
    """summary() counts attempts and right answers per question and per topic, with the last time."""
    store = ProgressStore(tmp_path / "p.sqlite3")
    store.record("st-ia", "IA", True, "staging")
    store.record("st-ia", "IB", False, "staging")
    store.record("gr-bands", "Grade 2", True, "grade")
    by_question = store.summary().set_index("question_id")
    assert by_question.loc["st-ia", "attempts"] == 2 and by_question.loc["st-ia", "correct"] == 1
    by_topic = store.summary(by="topic").set_index("topic")
    assert by_topic.loc["grade", "attempts"] == 1
    assert isinstance(by_topic.loc["staging", "last_answered"], pd.Timestamp)
    with pytest.raises(ValueError, match="by='week'"):
        store.summary(by="week")


def test_mistakes_are_questions_whose_last_answer_was_wrong(tmp_path):
    """A question answered wrongly then rightly is not a mistake any more."""
    store = ProgressStore(tmp_path / "p.sqlite3")
    store.record("a", "x", False, "grade")
    store.record("b", "x", False, "grade")
    store.record("a", "y", True, "grade")
    assert store.mistakes() == ["b"]


def test_default_path_follows_the_environment(tmp_path, monkeypatch):
    """SARCOMA_EDU_PROGRESS chooses the file; without it the file is in ~/.sarcoma_edu."""
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "mine.sqlite3"))
    assert ProgressStore().path == tmp_path / "mine.sqlite3"
    monkeypatch.delenv(ENV_VAR)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_path() == tmp_path / ".sarcoma_edu" / "progress.sqlite3"


def test_export_import_round_trip_merges_without_duplicates(tmp_path):
    """A Binder student's export imports into a fresh store; importing twice adds nothing."""
    home = ProgressStore(tmp_path / "home.sqlite3")
    home.record("st-ia", "IA", True, "staging")
    home.record("dx-biopsy-types", ["MRI", "CT"], False, "diagnosis")
    home.record("gr-total-max", 8.0, True, "grade")
    exported = home.export_json(tmp_path / "my-progress.json")
    binder = ProgressStore(tmp_path / "binder.sqlite3")
    binder.record("mt-most-common-site", "Lung", True, "metastasis")
    assert binder.import_json(exported) == 3
    assert binder.import_json(exported) == 0
    merged = binder.attempts()
    assert len(merged) == 4 and ["MRI", "CT"] in list(merged["answer"])
    original = home.attempts().set_index("attempt_id")
    again = merged.set_index("attempt_id").loc[original.index]
    assert (again["answered_at"] == original["answered_at"]).all()


def test_export_csv_for_the_instructor(tmp_path):
    """export_csv writes one row per answer with question, topic, answer, correct and time."""
    store = ProgressStore(tmp_path / "p.sqlite3")
    store.record("st-ia", "IA", True, "staging")
    table = pd.read_csv(store.export_csv(tmp_path / "results.csv"))
    assert list(table.columns) == ["attempt_id", "question_id", "topic", "answer", "correct", "answered_at"]
    assert table.loc[0, "question_id"] == "st-ia" and bool(table.loc[0, "correct"])


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("not json", "cannot read a progress export"),
        (json.dumps({"attempts": []}), "not a sarcoma-edu progress export"),
        (
            json.dumps({"format": "sarcoma-edu-progress", "version": 1, "attempts": [{"attempt_id": "x"}]}),
            "attempt 0 has no",
        ),
    ],
)
def test_import_rejects_files_that_are_not_exports(tmp_path, content, words):
    """A file that is not an export is refused with a message naming it; nothing is added."""
    path = tmp_path / "upload.json"
    path.write_text(content)
    store = ProgressStore(tmp_path / "p.sqlite3")
    with pytest.raises(ValueError, match=words):
        store.import_json(path)
    assert store.attempts().empty


@pytest.mark.parametrize("garbage", [b"this is not a database" * 50, b"SQLite format 3\x00" + b"\xff" * 4000])
def test_corrupt_file_is_moved_aside_byte_for_byte(tmp_path, garbage):
    """An unreadable file is renamed .corrupt-<time>, unchanged, with a warning; a fresh one starts."""
    path = tmp_path / "progress.sqlite3"
    path.write_bytes(garbage)
    with pytest.warns(ProgressWarning, match="kept, unchanged, as .*progress.sqlite3.corrupt-"):
        store = ProgressStore(path)
    assert store.moved_aside is not None and store.moved_aside.parent == tmp_path
    assert store.moved_aside.name.startswith("progress.sqlite3.corrupt-")
    assert store.moved_aside.read_bytes() == garbage
    store.record("st-ia", "IA", True, "staging")
    assert len(ProgressStore(path).attempts()) == 1


def test_file_corrupted_while_open_is_recovered_on_the_next_answer(tmp_path):
    """If the file is damaged after opening, the next record moves it aside and still saves."""
    path = tmp_path / "progress.sqlite3"
    store = ProgressStore(path)
    store.record("a", "x", True, "grade")
    path.write_bytes(b"overwritten by something else" * 100)
    with pytest.warns(ProgressWarning):
        store.record("b", "y", True, "grade")
    assert list(store.attempts()["question_id"]) == ["b"]
    assert len(list(tmp_path.glob("progress.sqlite3.corrupt-*"))) == 1


def test_bad_arguments_name_the_parameter(tmp_path):
    """Wrong types for path, question_id and correct raise naming the parameter."""
    with pytest.raises(TypeError, match="path=3"):
        ProgressStore(3)
    store = ProgressStore(tmp_path / "p.sqlite3")
    with pytest.raises(TypeError, match="question_id=None"):
        store.record(None, "x", True)
    with pytest.raises(TypeError, match="correct='yes'"):
        store.record("a", "x", "yes")


def _writer(path: str, worker: int, count: int) -> None:
    store = ProgressStore(path)
    for k in range(count):
        store.record(f"w{worker}-q{k}", k, k % 2 == 0, "staging")


def test_several_processes_recording_at_once_lose_nothing(tmp_path):
    """Four processes writing 50 attempts each to one file leave all 200 attempts."""
    path = str(tmp_path / "shared.sqlite3")
    ProgressStore(path)
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(path, w, 50)) for w in range(4)]
    for p in workers:
        p.start()
    for p in workers:
        p.join(timeout=120)
        assert p.exitcode == 0
    frame = ProgressStore(path).attempts()
    assert len(frame) == 200 and frame["attempt_id"].is_unique
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_store_in_a_new_folder_creates_it(tmp_path):
    """The folder of the progress file is created when missing (a student's first run)."""
    path = tmp_path / "new" / "deeper" / "progress.sqlite3"
    ProgressStore(path).record("a", "x", True)
    assert Path(path).exists()


def _first_answer(path: str, worker: int, barrier) -> None:
    barrier.wait()
    time.sleep(worker * 0.01)  # starts spread over the moments the first one is creating the file
    ProgressStore(path, timeout=30).record(f"worker-{worker}", "IA", True, "staging")


def test_eight_notebooks_starting_one_new_progress_file_at_once_all_save_their_first_answer(tmp_path):
    """Eight students' notebooks that start one missing progress file at once all save, and no file is moved aside."""
    path = tmp_path / "progress.sqlite3"
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(8)
    workers = [context.Process(target=_first_answer, args=(str(path), w, barrier)) for w in range(8)]
    for p in workers:
        p.start()
    for p in workers:
        p.join(timeout=120)
        assert p.exitcode == 0
    assert sorted(ProgressStore(path).attempts()["question_id"]) == [f"worker-{w}" for w in range(8)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["progress.sqlite3"]
