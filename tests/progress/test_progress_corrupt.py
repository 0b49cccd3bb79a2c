"""Only a file SQLite has proved broken is moved aside, byte for byte, and only once, even by four processes."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import time
import warnings

import pytest

from sarcoma_edu.progress import files as progress_file
from sarcoma_edu.progress.store import ProgressStorageError, ProgressStore, ProgressWarning

NOT_A_DATABASE = b"this is not a database" * 50
DAMAGED_DATABASE = b"SQLite format 3\x00" + b"\xff" * 4000


def _copies(folder):
    return sorted(p for p in folder.glob("progress.sqlite3.corrupt-*") if not p.name.endswith(("-journal", "-wal")))


def _start_on_the_same_broken_file(path, worker, barrier, results):
    """One student's notebook: open the store at the same moment as the others and answer once."""
    barrier.wait()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            store = ProgressStore(path, timeout=30)
            store.record(f"worker-{worker}", "IA", True, "staging")
            results.put((worker, "saved", str(store.moved_aside), [str(w.message) for w in caught]))
        except Exception as error:
            results.put((worker, "failed", repr(error), []))


@pytest.mark.parametrize("garbage", [NOT_A_DATABASE, DAMAGED_DATABASE], ids=["not a database", "damaged pages"])
def test_four_processes_on_one_broken_file_make_one_copy_and_keep_every_answer(tmp_path, garbage):
    """Four notebooks opening one broken file together: one byte-equal copy, all four answers saved."""
    path = tmp_path / "progress.sqlite3"
    path.write_bytes(garbage)
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(4), context.Queue()
    workers = [
        context.Process(target=_start_on_the_same_broken_file, args=(str(path), w, barrier, results)) for w in range(4)
    ]
    for process in workers:
        process.start()
    outcomes = sorted(results.get(timeout=120) for _ in workers)
    for process in workers:
        process.join(timeout=60)
        assert process.exitcode == 0
    assert [o[1] for o in outcomes] == ["saved"] * 4, outcomes
    copies = _copies(tmp_path)
    assert len(copies) == 1 and copies[0].read_bytes() == garbage
    # a process that found the broken file names the one copy; one that came later found a fresh file
    named = [o for o in outcomes if o[2] != "None"]
    assert named and {o[2] for o in named} == {str(copies[0])}
    assert all(any(f"progress recover {copies[0]}" in m for m in o[3]) for o in named)
    frame = ProgressStore(path).attempts()
    assert sorted(frame["question_id"]) == [f"worker-{w}" for w in range(4)]
    assert not (tmp_path / "progress.sqlite3.moving").exists()


def test_a_copy_already_made_by_another_process_is_not_moved_again(tmp_path):
    """A process that proved the old file broken never renames the fresh file another process started."""
    path = tmp_path / "progress.sqlite3"
    path.write_bytes(NOT_A_DATABASE)
    proved = progress_file.identity(path)
    copy = tmp_path / "progress.sqlite3.corrupt-20260101T000000000000Z"
    path.rename(copy)  # what the other process did
    ProgressStore(path).record("st-ia", "IA", True, "staging")
    with pytest.warns(ProgressWarning, match="Another program had already moved it aside, unchanged, as"):
        where = progress_file.move_aside(path, path, proved, ValueError("file is not a database"), 1)
    assert where == copy and _copies(tmp_path) == [copy]
    assert list(ProgressStore(path).attempts()["question_id"]) == ["st-ia"]


def test_an_error_that_is_not_damage_moves_nothing(tmp_path, monkeypatch):
    """A disk I/O error is reported as a storage problem; the file is not renamed."""
    path = tmp_path / "progress.sqlite3"
    ProgressStore(path).record("st-ia", "IA", True, "staging")
    before = path.read_bytes()
    error = sqlite3.OperationalError("disk I/O error")
    error.sqlite_errorcode = 10  # SQLITE_IOERR

    def failing_check(self, seconds):
        raise error

    monkeypatch.setattr(ProgressStore, "_check", failing_check)
    with pytest.raises(ProgressStorageError, match="could not be used \\(disk I/O error\\)"):
        ProgressStore(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["progress.sqlite3"] and path.read_bytes() == before


def test_a_healthy_store_is_not_moved_when_it_opens(tmp_path):
    """Opening a healthy store many times never makes a copy."""
    path = tmp_path / "progress.sqlite3"
    for k in range(5):
        ProgressStore(path).record(f"q{k}", "x", True, "grade")
    assert _copies(tmp_path) == [] and len(ProgressStore(path).attempts()) == 5


def test_a_lock_file_left_by_a_stopped_process_does_not_block_for_ever(tmp_path):
    """A stale '.moving' lock (older than a minute) is cleared, and the broken file is moved as usual."""
    path = tmp_path / "progress.sqlite3"
    path.write_bytes(NOT_A_DATABASE)
    lock = tmp_path / "progress.sqlite3.moving"
    lock.write_text("")
    os.utime(lock, (time.time() - 120, time.time() - 120))
    with pytest.warns(ProgressWarning, match="kept, unchanged, as"):
        store = ProgressStore(path, timeout=1)
    assert store.moved_aside.read_bytes() == NOT_A_DATABASE and not lock.exists()
