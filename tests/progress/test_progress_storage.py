"""The progress store refuses what is not a progress file, waits for a busy one, and reads a read-only one.

Nothing here depends on the user running the tests: a device and a read-only file are simulated
(a root user can write to anything), and every path is inside the test's own temporary folder.
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import stat
import threading
import time
from pathlib import Path

import pytest

from sarcoma_edu.progress import files as progress_file
from sarcoma_edu.progress.store import (
    DEFAULT_TIMEOUT,
    TIMEOUT_ENV_VAR,
    ProgressBusyError,
    ProgressReadOnlyError,
    ProgressStorageError,
    ProgressStore,
)

BUSY_WORDS = "the progress file is in use by another program; your answer was not saved; try again"


def _listing(folder):
    return sorted(p.name for p in folder.iterdir())


def _refused(path, words):
    with pytest.raises(ValueError, match=words) as caught:
        ProgressStore(path, timeout=0.2)
    message = str(caught.value)
    assert str(path) in message and "SARCOMA_EDU_PROGRESS" in message and "path argument" in message
    return message


def test_a_folder_of_lessons_is_refused_and_left_alone(tmp_path):
    """SARCOMA_EDU_PROGRESS pointing at a folder is refused before opening; the folder is untouched."""
    folder = tmp_path / "my-class"
    folder.mkdir()
    (folder / "notes.ipynb").write_text("{}")
    before = _listing(tmp_path)
    _refused(folder, "is a folder")
    assert _listing(tmp_path) == before and _listing(folder) == ["notes.ipynb"]


def test_a_fifo_is_refused_without_opening_it(tmp_path):
    """A named pipe is refused (opening it would hang); nothing is renamed or created beside it."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    _refused(fifo, "is a FIFO")
    assert _listing(tmp_path) == ["pipe"] and stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_socket_is_refused(tmp_path):
    """A socket file is refused and stays a socket."""
    path = tmp_path / "s"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        _refused(path, "is a socket")
        assert _listing(tmp_path) == ["s"] and stat.S_ISSOCK(os.stat(path).st_mode)
    finally:
        server.close()


def test_a_device_is_refused_without_touching_it(tmp_path, monkeypatch):
    """A path that is a device (simulated: /dev is never touched) is refused and not renamed."""
    path = tmp_path / "disk"
    path.write_bytes(b"device contents")
    monkeypatch.setattr(progress_file, "_path_mode", lambda _p: stat.S_IFCHR | 0o600)
    _refused(path, "is a device")
    assert _listing(tmp_path) == ["disk"] and path.read_bytes() == b"device contents"


def test_a_link_to_a_folder_or_to_nothing_is_refused(tmp_path):
    """A symbolic link is followed only to a regular file: to a folder or to nothing it is refused."""
    (tmp_path / "folder").mkdir()
    (tmp_path / "to-folder").symlink_to(tmp_path / "folder")
    (tmp_path / "dangling").symlink_to(tmp_path / "missing.sqlite3")
    _refused(tmp_path / "to-folder", "is a folder \\(through a link\\)")
    _refused(tmp_path / "dangling", "is a link to .*which does not exist")
    assert _listing(tmp_path) == ["dangling", "folder", "to-folder"] and _listing(tmp_path / "folder") == []


def test_a_link_to_a_regular_file_is_used(tmp_path):
    """A link to a progress file works: answers go into the file it points at."""
    real = tmp_path / "real.sqlite3"
    ProgressStore(real).record("st-ia", "IA", True, "staging")
    link = tmp_path / "link.sqlite3"
    link.symlink_to(real)
    store = ProgressStore(link)
    store.record("st-ib", "IB", True, "staging")
    assert len(ProgressStore(real).attempts()) == 2 and link.is_symlink()


def test_a_database_of_another_program_is_refused_not_changed(tmp_path):
    """A healthy SQLite file without an attempts table belongs to someone else: refused, byte for byte kept."""
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE recipes (name TEXT)")
    db.close()
    before = path.read_bytes()
    _refused(path, "SQLite database of another program \\(it holds table recipes\\)")
    assert path.read_bytes() == before and _listing(tmp_path) == ["other.db"]


def _hold_exclusive_lock(path, seconds, locked):
    """Another program: take an exclusive lock on the file for ``seconds``."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN EXCLUSIVE")
    locked.set()
    time.sleep(seconds)
    db.execute("COMMIT")
    db.close()


def _locker(path, seconds):
    locked = threading.Event()
    thread = threading.Thread(target=_hold_exclusive_lock, args=(path, seconds, locked))
    thread.start()
    assert locked.wait(10)
    return thread


def test_a_store_locked_longer_than_its_timeout_refuses_clearly_and_moves_nothing(tmp_path):
    """A lock held past the timeout gives ProgressBusyError with plain words; the file stays, unchanged."""
    path = tmp_path / "progress.sqlite3"
    store = ProgressStore(path, timeout=0.3)
    store.record("st-ia", "IA", True, "staging")
    before = path.read_bytes()
    thread = _locker(path, 2.0)
    started = time.monotonic()
    with pytest.raises(ProgressBusyError, match=BUSY_WORDS):
        store.record("st-ib", "IB", True, "staging")
    assert 0.25 < time.monotonic() - started < 1.9
    with pytest.raises(ProgressBusyError, match="in use by another program; your progress could not be read"):
        store.attempts()
    with pytest.raises(ProgressBusyError, match="in use by another program"):
        ProgressStore(path, timeout=0.3)
    thread.join()
    assert _listing(tmp_path) == ["progress.sqlite3"] and path.read_bytes() == before
    assert list(store.attempts()["question_id"]) == ["st-ia"]


def test_a_lock_shorter_than_the_timeout_is_waited_for_and_the_answer_saved(tmp_path):
    """A slow lock (network storage) released within the timeout only delays the answer: it is saved."""
    path = tmp_path / "progress.sqlite3"
    store = ProgressStore(path, timeout=5)
    thread = _locker(path, 0.5)
    store.record("st-ia", "IA", True, "staging")
    thread.join()
    assert list(ProgressStore(path).attempts()["question_id"]) == ["st-ia"]


def test_the_busy_timeout_is_documented_and_configurable(tmp_path, monkeypatch):
    """The timeout defaults to 10 s, follows SARCOMA_EDU_PROGRESS_TIMEOUT, and a bad argument is named."""
    path = tmp_path / "p.sqlite3"
    monkeypatch.delenv(TIMEOUT_ENV_VAR, raising=False)
    assert ProgressStore(path).timeout == DEFAULT_TIMEOUT == 10.0
    monkeypatch.setenv(TIMEOUT_ENV_VAR, "2.5")
    assert ProgressStore(path).timeout == 2.5
    assert ProgressStore(path, timeout=1).timeout == 1.0
    with pytest.raises(ValueError, match="timeout=0 is not allowed"):
        ProgressStore(path, timeout=0)
    with pytest.raises(TypeError, match="timeout='10'"):
        ProgressStore(path, timeout="10")


@pytest.mark.parametrize("text", ["soon", "\u0661\u0662", "1e400", "inf", "nan", "-5", "0", "7200", "1_0"])
def test_a_mistyped_timeout_setting_warns_and_answers_are_still_saved(tmp_path, monkeypatch, text):
    """A SARCOMA_EDU_PROGRESS_TIMEOUT that is not seconds from over 0 to an hour in the digits 0-9 is named in a
    warning, the default 10 s is used, and the student's answers are saved as usual."""
    monkeypatch.setenv(TIMEOUT_ENV_VAR, text)
    with pytest.warns(UserWarning, match="SARCOMA_EDU_PROGRESS_TIMEOUT=.* is not allowed.*default 10 s"):
        store = ProgressStore(tmp_path / "p.sqlite3")
    assert store.timeout == DEFAULT_TIMEOUT
    store.record("st-ia", "IA", True, "staging")
    assert list(store.attempts()["question_id"]) == ["st-ia"]


def test_the_store_uses_the_rollback_journal_never_wal(tmp_path):
    """The store keeps journal_mode=delete (safe on network storage) and turns a WAL file back."""
    path = tmp_path / "progress.sqlite3"
    ProgressStore(path).record("st-ia", "IA", True, "staging")
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        db.execute("PRAGMA journal_mode=WAL")
    db.close()
    ProgressStore(path).record("st-ib", "IB", True, "staging")
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    db.close()
    assert len(ProgressStore(path).attempts()) == 2


def _read_only_for(*paths):
    """Simulate read-only permission bits for ``paths`` (root would ignore real ones)."""
    blocked = {os.path.realpath(p) for p in paths}
    return lambda p: os.path.realpath(p) not in blocked


def test_a_read_only_file_is_read_but_not_written_and_not_called_corrupt(tmp_path, monkeypatch):
    """A read-only progress file still shows the history; a new answer is refused as read-only."""
    path = tmp_path / "progress.sqlite3"
    ProgressStore(path).record("st-ia", "IA", True, "staging")
    before = path.read_bytes()
    monkeypatch.setattr(progress_file, "_can_write", _read_only_for(path))
    store = ProgressStore(path)
    assert store.read_only == f"the progress file {path} is read-only" and store.moved_aside is None
    assert list(store.attempts()["question_id"]) == ["st-ia"] and store.mistakes() == []
    with pytest.raises(ProgressReadOnlyError, match="is read-only; your answer was not saved"):
        store.record("st-ib", "IB", True, "staging")
    assert _listing(tmp_path) == ["progress.sqlite3"] and path.read_bytes() == before


def test_a_read_only_folder_without_a_file_is_read_only_not_an_error_on_reading(tmp_path, monkeypatch):
    """In a folder where no file can be created, the history is empty and an answer is refused as read-only."""
    folder = tmp_path / "shared"
    folder.mkdir()
    path = folder / "progress.sqlite3"
    monkeypatch.setattr(progress_file, "_can_write", _read_only_for(folder))
    store = ProgressStore(path)
    assert "read-only, so the progress file" in store.read_only and store.attempts().empty
    with pytest.raises(ProgressReadOnlyError, match="cannot be created; your answer was not saved"):
        store.record("st-ia", "IA", True, "staging")
    assert _listing(folder) == []


def test_sqlite_refusing_to_write_is_reported_as_read_only(tmp_path, monkeypatch):
    """When SQLite itself says the database is read-only (opened mode=ro), the error says read-only."""
    path = tmp_path / "progress.sqlite3"
    store = ProgressStore(path)
    store.record("st-ia", "IA", True, "staging")
    monkeypatch.setattr(ProgressStore, "_mode", lambda self, write: "ro")
    with pytest.raises(ProgressReadOnlyError, match="read-only; your answer was not saved"):
        store.record("st-ib", "IB", True, "staging")
    assert len(store.attempts()) == 1 and _listing(tmp_path) == ["progress.sqlite3"]


def test_storage_errors_are_os_errors_with_their_own_types():
    """Busy and read-only are kinds of ProgressStorageError, itself an OSError, so callers can catch either."""
    assert issubclass(ProgressBusyError, ProgressStorageError) and issubclass(ProgressReadOnlyError, OSError)


def test_the_progress_folder_and_file_are_created_private_to_the_student(tmp_path):
    """A new progress folder is 0700 and the file 0600, so classmates on a shared hub cannot read the answers."""
    path = tmp_path / "home" / ".sarcoma_edu" / "progress.sqlite3"
    ProgressStore(path).record("st-ia", "IA", True, "staging")
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(path.parent.parent).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_the_progress_folder_file_and_exports_are_private_whatever_the_umask(tmp_path):
    """Even with umask 000 (everything readable by everyone), the store makes 0700 folders and 0600 files."""
    path = tmp_path / "home" / ".sarcoma_edu" / "progress.sqlite3"
    mask = os.umask(0)
    try:
        store = ProgressStore(path)
        store.record("st-ia", "IA", True, "staging")
        exports = [store.export_json(tmp_path / "mine.json"), store.export_csv(tmp_path / "mine.csv")]
    finally:
        os.umask(mask)
    assert [stat.S_IMODE(os.stat(p).st_mode) for p in (path.parent.parent, path.parent)] == [0o700, 0o700]
    assert [stat.S_IMODE(os.stat(p).st_mode) for p in (path, *exports)] == [0o600] * 3


def test_a_progress_folder_and_file_made_earlier_keep_their_permissions(tmp_path):
    """A folder (0750) and file (0640) an instructor set up are used as they are: neither opened up nor changed."""
    folder = tmp_path / "shared"
    folder.mkdir()
    path = folder / "progress.sqlite3"
    ProgressStore(path)
    os.chmod(folder, 0o750)
    os.chmod(path, 0o640)
    ProgressStore(path).record("st-ia", "IA", True, "staging")
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o750 and stat.S_IMODE(os.stat(path).st_mode) == 0o640


def test_a_progress_file_moved_aside_is_followed_by_a_private_fresh_one(tmp_path):
    """The fresh file started after a broken one was moved aside is private too."""
    path = tmp_path / "progress.sqlite3"
    path.write_bytes(b"this is not a database" * 50)
    with pytest.warns(UserWarning, match="could not be read"):
        ProgressStore(path).record("st-ia", "IA", True, "staging")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_a_progress_file_replaced_by_a_folder_mid_session_fails_at_once_saying_why(tmp_path):
    """An answer after the file became a folder fails within a second (not the 10 s busy wait) and says 'a folder'."""
    path = tmp_path / "progress.sqlite3"
    store = ProgressStore(path, timeout=10)
    store.record("st-ia", "IA", True, "staging")
    path.unlink()
    path.mkdir()
    started = time.monotonic()
    with pytest.raises(ProgressStorageError, match="is now a folder, not a file; your answer was not saved"):
        store.record("st-ib", "IB", True, "staging")
    with pytest.raises(ProgressStorageError, match="is now a folder"):
        store.attempts()
    assert time.monotonic() - started < 2.0
    assert _listing(tmp_path) == ["progress.sqlite3"] and _listing(path) == []


def test_a_progress_file_replaced_by_a_fifo_mid_session_fails_at_once_saying_so(tmp_path):
    """An answer after the file became a named pipe fails at once naming what it is (not a 'disk I/O error')."""
    path = tmp_path / "progress.sqlite3"
    store = ProgressStore(path, timeout=10)
    store.record("st-ia", "IA", True, "staging")
    path.unlink()
    os.mkfifo(path)
    started = time.monotonic()
    with pytest.raises(ProgressStorageError, match=r"is now a FIFO \(named pipe\), not a file; your answer was not"):
        store.record("st-ib", "IB", True, "staging")
    with pytest.raises(ProgressStorageError, match="is now a FIFO"):
        store.export_json(tmp_path / "my-progress.json")
    assert time.monotonic() - started < 2.0
    assert _listing(tmp_path) == ["progress.sqlite3"] and stat.S_ISFIFO(os.stat(path).st_mode)


def test_a_progress_file_replaced_by_a_link_to_nothing_mid_session_is_refused_and_nothing_is_created(tmp_path):
    """An answer after the file became a link to a missing file fails saying so; no file appears where it points."""
    path = tmp_path / "progress.sqlite3"
    store = ProgressStore(path, timeout=10)
    store.record("st-ia", "IA", True, "staging")
    path.unlink()
    path.symlink_to(tmp_path / "elsewhere.sqlite3")
    with pytest.raises(ProgressStorageError, match=r"is now a link to .*elsewhere.sqlite3', which does not exist"):
        store.record("st-ib", "IB", True, "staging")
    assert _listing(tmp_path) == ["progress.sqlite3"] and path.is_symlink()


def test_a_progress_folder_removed_mid_session_is_made_again_and_the_answer_saved(tmp_path):
    """If ~/.sarcoma_edu is deleted while the quiz is open, the next answer makes it again (private) and is saved."""
    path = tmp_path / ".sarcoma_edu" / "progress.sqlite3"
    store = ProgressStore(path, timeout=10)
    store.record("st-ia", "IA", True, "staging")
    shutil.rmtree(path.parent)
    started = time.monotonic()
    store.record("st-ib", "IB", True, "staging")
    assert time.monotonic() - started < 2.0
    assert list(store.attempts()["question_id"]) == ["st-ib"]
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700


def test_a_progress_file_that_cannot_be_created_fails_at_once_saying_why():
    """A progress file in a folder where no file can be made (even by root) fails within a second, not after the
    10 s wait for a file another process is moving aside, and says it cannot be created."""
    path = Path("/proc/sarcoma-edu-nowhere.sqlite3")
    started = time.monotonic()
    with pytest.raises(ProgressStorageError, match="it cannot be created"):
        ProgressStore(path, timeout=10).record("st-ia", "IA", True, "staging")
    assert time.monotonic() - started < 2.0
