"""The store never writes to a SQLite file it has not recognised as a progress file, at opening or mid-session."""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from sarcoma_edu.course.banks import load_bank
from sarcoma_edu.progress import schema as progress_schema
from sarcoma_edu.progress.schema import APPLICATION_ID, ForeignDatabaseError
from sarcoma_edu.progress.store import ProgressStorageError, ProgressStore
from sarcoma_edu.widgets.quiz import quiz_widget

FIXTURES = Path(__file__).parents[1] / "fixtures"


def _database(path: Path, *statements: str) -> Path:
    db = sqlite3.connect(path)
    for sql in statements:
        db.execute(sql)
    db.commit()
    db.close()
    return path


def _header(path: Path) -> tuple[int, int]:
    """(application_id, user_version) as SQLite reads them."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return db.execute("PRAGMA application_id").fetchone()[0], db.execute("PRAGMA user_version").fetchone()[0]
    finally:
        db.close()


FOREIGN = {
    "an attempts table of its own": (
        "CREATE TABLE attempts (id INTEGER PRIMARY KEY, player TEXT, score REAL)",
        "INSERT INTO attempts (player, score) VALUES ('ana', 3.5)",
    ),
    "the six columns beside a table of its own": (
        "CREATE TABLE attempts (attempt_id, question_id, topic, answer, correct, answered_at)",
        "CREATE TABLE players (name TEXT)",
    ),
    "another program's application id over the progress columns": (
        "CREATE TABLE attempts (attempt_id, question_id, topic, answer, correct, answered_at)",
        "PRAGMA application_id = 1234",
    ),
    "a high user_version and tables of its own": ("CREATE TABLE notes (body TEXT)", "PRAGMA user_version = 57"),
    "the progress columns with a user_version no sarcoma-edu wrote": (
        "CREATE TABLE attempts (attempt_id, question_id, topic, answer, correct, answered_at)",
        "PRAGMA user_version = 57",
    ),
    "no tables but a user_version set": ("PRAGMA user_version = 3",),
    "an attempts table and a trigger": (
        "CREATE TABLE attempts (attempt_id, question_id, topic, answer, correct, answered_at)",
        "CREATE TRIGGER t AFTER INSERT ON attempts BEGIN SELECT 1; END",
    ),
    "sarcoma-edu's application id over tables of its own": (
        "CREATE TABLE recipes (name TEXT)",
        f"PRAGMA application_id = {APPLICATION_ID}",
    ),
    "sarcoma-edu's application id over an attempts table of its own": (
        "CREATE TABLE attempts (id INTEGER PRIMARY KEY, player TEXT, score REAL)",
        f"PRAGMA application_id = {APPLICATION_ID}",
        "PRAGMA user_version = 2",
    ),
}


@pytest.mark.parametrize("statements", FOREIGN.values(), ids=FOREIGN.keys())
def test_another_programs_database_is_refused_and_its_bytes_stay_identical(tmp_path, statements):
    """A database sarcoma-edu did not make is a ValueError naming it; not a byte, journal or column is added."""
    path = _database(tmp_path / "game.db", *statements)
    before = path.read_bytes()
    with pytest.raises(ForeignDatabaseError, match="is a SQLite database of another program") as caught:
        ProgressStore(path)
    message = str(caught.value)
    assert str(path) in message and "nothing in it was changed" in message and "SARCOMA_EDU_PROGRESS" in message
    assert "update sarcoma-edu" not in message and "newer sarcoma-edu" not in message
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["game.db"]


def test_a_foreign_database_with_a_high_user_version_is_not_told_to_update_sarcoma_edu(tmp_path):
    """user_version 57 on someone else's database says 'another program', never 'update sarcoma-edu'."""
    path = _database(tmp_path / "notes.db", "CREATE TABLE notes (body TEXT)", "PRAGMA user_version = 57")
    with pytest.raises(ValueError) as caught:
        ProgressStore(path)
    assert "another program" in str(caught.value) and "it holds table notes" in str(caught.value)
    assert "update" not in str(caught.value)


def test_a_file_with_sarcoma_edus_application_id_from_a_newer_release_is_told_to_update(tmp_path):
    """Only a file bearing sarcoma-edu's id and a higher version (a newer release's tables) is sent to an update."""
    path = _database(
        tmp_path / "progress.sqlite3",
        "CREATE TABLE attempts (attempt_id, question_id, topic, answer, correct, answered_at, confidence, extra)",
        "CREATE TABLE reviews (question_id TEXT)",
        f"PRAGMA application_id = {APPLICATION_ID}",
        "PRAGMA user_version = 3",
    )
    before = path.read_bytes()
    with pytest.raises(ValueError, match="written by a newer sarcoma-edu") as caught:
        ProgressStore(path)
    assert not isinstance(caught.value, ForeignDatabaseError) and path.read_bytes() == before


def test_a_new_progress_file_carries_sarcoma_edus_application_id(tmp_path):
    """A file the store creates says whose it is in SQLite's header: application id 0x73656475 ("sedu")."""
    path = tmp_path / "progress.sqlite3"
    ProgressStore(path).record("st-ia", "IA", True, "staging")
    assert _header(path) == (APPLICATION_ID, progress_schema.SCHEMA_VERSION)
    assert APPLICATION_ID.to_bytes(4, "big") == b"sedu"


def test_a_file_written_before_application_ids_still_opens_and_is_marked(tmp_path):
    """The committed file of the release before versions (no application id) opens, upgrades and gets the id."""
    path = tmp_path / "progress.sqlite3"
    shutil.copyfile(FIXTURES / "progress_v1.sqlite3", path)
    assert _header(path) == (0, 0)
    store = ProgressStore(path)
    assert len(store.attempts()) == 10 and _header(path) == (APPLICATION_ID, progress_schema.SCHEMA_VERSION)


def test_an_empty_file_and_an_empty_database_become_progress_files(tmp_path):
    """A 0-byte file (as `touch` makes) and a SQLite file with nothing in it hold nothing to lose: they are used."""
    touched = tmp_path / "touched.sqlite3"
    touched.write_bytes(b"")
    empty = _database(tmp_path / "empty.sqlite3", "CREATE TABLE t (x)", "DROP TABLE t")
    for path in (touched, empty):
        ProgressStore(path).record("st-ia", "IA", True, "staging")
        assert _header(path)[0] == APPLICATION_ID and len(ProgressStore(path).attempts()) == 1


def _swap(path: Path, *statements: str) -> bytes:
    """Replace the file at ``path`` by another program's database (as a copy or a sync tool would); return its bytes."""
    other = _database(path.with_name("other.db"), *statements)
    os.replace(other, path)
    return path.read_bytes()


def test_a_file_swapped_mid_session_for_another_database_gets_no_table_and_no_success(tmp_path):
    """After the file is replaced by another program's database, an answer fails clearly and writes nothing there."""
    path = tmp_path / "progress.sqlite3"
    store = ProgressStore(path)
    store.record("st-ia", "IA", True, "staging")
    before = _swap(path, "CREATE TABLE recipes (name TEXT)")
    with pytest.raises(
        ProgressStorageError, match=r"another program .*it holds table recipes.*your answer was not saved"
    ):
        store.record("st-ib", "IB", True, "staging")
    with pytest.raises(ProgressStorageError, match="another program"):
        store.attempts()
    assert path.read_bytes() == before
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    assert [r[0] for r in db.execute("SELECT name FROM sqlite_master")] == ["recipes"]
    db.close()


def test_a_file_swapped_mid_session_for_a_database_with_an_attempts_table_is_not_migrated(tmp_path):
    """A swapped-in database whose own attempts table lacks the progress columns gets no column and no version."""
    path = tmp_path / "progress.sqlite3"
    store = ProgressStore(path)
    before = _swap(path, *FOREIGN["an attempts table of its own"])
    with pytest.raises(ProgressStorageError, match="another program"):
        store.record("st-ia", "IA", True, "staging")
    assert path.read_bytes() == before and _header(path) == (0, 0)


def test_the_quiz_on_a_file_swapped_mid_session_says_the_answer_was_not_saved(tmp_path):
    """In the quiz, an answer after the swap is checked, and the feedback says why it was not saved."""
    path = tmp_path / "progress.sqlite3"
    store = ProgressStore(path)
    widget = quiz_widget([q for q in load_bank() if q.type == "multiple_choice"], store)
    before = _swap(path, "CREATE TABLE recipes (name TEXT)")
    feedback = widget.answer(widget.question.choices[0])
    assert feedback is not None and "Checked, but not saved" in widget.result.value
    assert "another program" in widget.result.value and path.read_bytes() == before
    widget.next()  # moving on reads the progress: no traceback


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _notes_with_a_log_left_beside_it(folder: Path) -> Path:
    """Another program's database in WAL mode whose last writes are still only in its log (``notes.db-wal``),
    as that program leaves it when it stops without closing (copied while it is open)."""
    live, left = folder / "live", folder / "left"
    live.mkdir()
    left.mkdir()
    writer = sqlite3.connect(live / "notes.db")
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("CREATE TABLE notes (body TEXT)")
    writer.commit()
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.executemany("INSERT INTO notes VALUES (?)", [(f"note {k}",) for k in range(50)])
    writer.commit()
    for name in ("notes.db", "notes.db-wal"):
        shutil.copyfile(live / name, left / name)
    writer.close()
    return left / "notes.db"


def test_a_damaged_database_of_another_program_is_refused_not_moved_aside(tmp_path):
    """A broken page in another program's database does not make it a broken progress file: name and bytes stay."""
    path = _database(
        tmp_path / "game.db",
        "CREATE TABLE players (name TEXT, score REAL)",
        *[f"INSERT INTO players VALUES ('{'x' * 200}', {k})" for k in range(300)],
    )
    data = bytearray(path.read_bytes())
    data[3 * 4096 : 4 * 4096] = b"\xff" * 4096
    path.write_bytes(bytes(data))
    with pytest.raises(ForeignDatabaseError, match=r"another program \(it holds table players\)"):
        ProgressStore(path)
    assert _files(tmp_path) == {"game.db": bytes(data)}


def test_another_programs_database_with_writes_still_in_its_log_is_refused_and_neither_file_changes(tmp_path):
    """Opening it does not copy the other program's log into its file: the database and its log stay byte for byte."""
    path = _notes_with_a_log_left_beside_it(tmp_path)
    before = _files(path.parent)
    with pytest.raises(ForeignDatabaseError, match="it holds table notes"):
        ProgressStore(path)
    after = _files(path.parent)
    assert after["notes.db"] == before["notes.db"] and after["notes.db-wal"] == before["notes.db-wal"]
    assert set(after) <= {
        "notes.db",
        "notes.db-wal",
        "notes.db-shm",
    }  # SQLite's shared-memory index, rebuilt by any reader


def test_a_file_swapped_mid_session_for_a_database_with_writes_in_its_log_is_left_as_it_was(tmp_path):
    """An answer after the swap is refused without checkpointing the other program's log into its file."""
    source = _notes_with_a_log_left_beside_it(tmp_path)
    folder = tmp_path / "home"
    folder.mkdir()
    path = folder / "progress.sqlite3"
    store = ProgressStore(path)
    store.record("st-ia", "IA", True, "staging")
    os.replace(source, path)
    os.replace(source.with_name("notes.db-wal"), folder / "progress.sqlite3-wal")
    before = _files(folder)
    with pytest.raises(ProgressStorageError, match=r"another program .*your answer was not saved"):
        store.record("st-ib", "IB", True, "staging")
    with pytest.raises(ProgressStorageError, match="another program"):
        store.attempts()
    after = _files(folder)
    assert {name: after[name] for name in before} == before


def test_another_programs_database_in_the_middle_of_a_write_is_refused_and_keeps_its_journal(tmp_path):
    """A database left with a hot journal (a write cut short) is judged as it is on disk: refused, not rolled back."""
    live = _database(tmp_path / "live.db", "CREATE TABLE players (name TEXT)")
    writer = sqlite3.connect(live, isolation_level=None)
    writer.execute("PRAGMA cache_size=1")  # the change spills into the file before it is committed
    writer.execute("BEGIN")
    writer.executemany("INSERT INTO players VALUES (?)", [("x" * 300,)] * 500)
    left = tmp_path / "left"
    left.mkdir()
    shutil.copyfile(live, left / "game.db")
    shutil.copyfile(f"{live}-journal", left / "game.db-journal")
    writer.execute("ROLLBACK")
    writer.close()
    before = _files(left)
    with pytest.raises(ForeignDatabaseError, match="it holds table players"):
        ProgressStore(left / "game.db")
    assert _files(left) == before


def test_a_progress_file_finished_by_another_notebook_during_the_check_is_not_taken_for_another_programs(tmp_path):
    """A file another notebook finishes creating while this one checks it is seen whole or empty, never half-made."""
    path = tmp_path / "progress.sqlite3"
    path.touch()  # what a notebook starting the progress file makes first: an empty file
    created = threading.Event()

    def create() -> None:  # the other notebook: table, version and application id in one transaction
        db = sqlite3.connect(path, timeout=10, isolation_level=None)
        progress_schema.migrate(db, path)
        db.execute("COMMIT")
        db.close()
        created.set()

    creator = threading.Thread(target=create)

    def between_reads(statement: str) -> None:
        # after the version was read as 0, before the list of tables is: the other notebook commits here if it can
        if "sqlite_master" in statement and not creator.is_alive() and not created.is_set():
            creator.start()
            created.wait(1)

    checker = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    checker.set_trace_callback(between_reads)
    try:
        assert progress_schema.foreign_reason(checker) is None
        creator.join(10)
        assert created.is_set() and progress_schema.foreign_reason(checker) is None
    finally:
        checker.close()
    assert _header(path) == (APPLICATION_ID, progress_schema.SCHEMA_VERSION)
