"""A progress file that was moved aside can be brought back: `sarcoma-edu progress recover FILE`."""

from __future__ import annotations

import os
import random
import re
import sqlite3
import tempfile
import uuid
from pathlib import Path

import pytest

from sarcoma_edu.cli import main
from sarcoma_edu.progress import files as progress_file
from sarcoma_edu.progress.recover import recover
from sarcoma_edu.progress.store import ProgressStore, ProgressWarning

PAGE = 4096


def _store_with(path: Path, count: int) -> None:
    store = ProgressStore(path)
    rows = [
        (
            f"id-{k:04d}",
            f"question-{k:04d}",
            "staging",
            '"IA"',
            k % 2,
            f"2026-03-01T10:{k // 60:02d}:{k % 60:02d}.000+00:00",
        )
        for k in range(count)
    ]
    with sqlite3.connect(store.path) as db:
        db.executemany(
            "INSERT INTO attempts (attempt_id, question_id, topic, answer, correct, answered_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )
    db.close()


def _damage_the_page_holding(path: Path, text: bytes) -> None:
    """Overwrite the one page of the table that holds ``text`` (as a disk error would)."""
    data = bytearray(path.read_bytes())
    page = data.find(text) // PAGE
    assert page > 0
    data[page * PAGE : (page + 1) * PAGE] = b"\xff" * PAGE
    path.write_bytes(bytes(data))


@pytest.fixture
def moved_aside(tmp_path):
    """A store of 400 attempts with one damaged page, opened once so that it was moved aside."""
    path = tmp_path / "progress.sqlite3"
    _store_with(path, 400)
    _damage_the_page_holding(path, b"question-0200")
    with pytest.warns(ProgressWarning, match="progress recover"):
        store = ProgressStore(path)
    assert store.moved_aside is not None and store.attempts().empty
    return store


def test_recover_brings_back_every_readable_attempt_and_counts_the_lost(moved_aside):
    """Attempts on intact pages come back into the live store; those on the damaged page are counted as lost."""
    result = recover(moved_aside.moved_aside, moved_aside.path)
    frame = moved_aside.attempts()
    assert result.readable == len(frame) == result.added and 300 < result.added < 400
    assert result.lost == 400 - result.added
    assert "question-0200" not in set(frame["question_id"]) and "question-0000" in set(frame["question_id"])
    row = frame.set_index("question_id").loc["question-0001"]
    assert row["answer"] == "IA" and bool(row["correct"]) and row["topic"] == "staging"


def test_recovering_twice_adds_nothing(moved_aside):
    """Recovery merges by attempt id: a second run finds every attempt already there."""
    first = recover(moved_aside.moved_aside, moved_aside.path)
    second = recover(moved_aside.moved_aside, moved_aside.path)
    assert second.added == 0 and second.readable == first.readable
    assert len(moved_aside.attempts()) == first.added
    assert f"{first.readable} already there" in second.describe()


def test_recovery_never_changes_the_moved_aside_file(moved_aside):
    """The moved-aside file is read only: it is byte for byte the same after recovery."""
    before = moved_aside.moved_aside.read_bytes()
    recover(moved_aside.moved_aside, moved_aside.path)
    assert moved_aside.moved_aside.read_bytes() == before


def test_the_command_says_what_it_recovered_and_exits_0(moved_aside, capsys):
    """`sarcoma-edu progress recover FILE --into PATH` prints recovered, new and lost counts; status 0."""
    assert main(["progress", "recover", str(moved_aside.moved_aside), "--into", str(moved_aside.path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Recovered ") and "could not be read" in out and "new" in out


def test_the_command_merges_into_the_default_store(moved_aside, monkeypatch):
    """Without --into the attempts go into the student's own store ($SARCOMA_EDU_PROGRESS)."""
    monkeypatch.setenv("SARCOMA_EDU_PROGRESS", str(moved_aside.path))
    assert main(["progress", "recover", str(moved_aside.moved_aside)]) == 0
    assert len(moved_aside.attempts()) > 300


def test_a_whole_healthy_file_is_merged_completely(tmp_path):
    """An intact file (e.g. a copy from another computer) is merged whole, with nothing lost."""
    _store_with(tmp_path / "other.sqlite3", 20)
    result = recover(tmp_path / "other.sqlite3", tmp_path / "mine.sqlite3")
    assert (result.readable, result.added, result.lost) == (20, 20, 0)


@pytest.mark.parametrize(
    ("make", "words"),
    [
        pytest.param(lambda p: None, "does not exist", id="missing file"),
        pytest.param(lambda p: p.mkdir(), "is not a regular file", id="a folder"),
        pytest.param(lambda p: p.write_bytes(b"garbage" * 100), "is not a SQLite database", id="not a database"),
    ],
)
def test_a_file_that_cannot_be_read_is_exit_2_with_one_line(tmp_path, make, words, capsys):
    """A missing, folder or non-database FILE ends with status 2 and one line naming it, no traceback."""
    path = tmp_path / "progress.sqlite3.corrupt-x"
    make(path)
    assert main(["progress", "recover", str(path), "--into", str(tmp_path / "live.sqlite3")]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and words in err and str(path) in err


def _into_a_folder(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / "into").mkdir()
    return tmp_path / "into"


def _into_a_name_under_a_file(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / "notes").write_text("notes")
    return tmp_path / "notes" / "progress.sqlite3"


def _into_another_programs_database(tmp_path: Path, monkeypatch) -> Path:
    path = tmp_path / "recipes.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE recipes (name TEXT)")
    db.close()
    return path


def _into_a_read_only_folder(tmp_path: Path, monkeypatch) -> Path:
    folder = tmp_path / "shared"
    folder.mkdir()
    blocked = os.path.realpath(folder)
    monkeypatch.setattr(progress_file, "_can_write", lambda p: os.path.realpath(p) != blocked)  # root ignores modes
    return folder / "progress.sqlite3"


INTO_NOT_WRITABLE = {
    "a folder": (_into_a_folder, "is a folder, not a progress file"),
    "a device": (lambda tmp_path, monkeypatch: Path("/dev/null"), "is a device, not a progress file"),
    "a name under a file": (_into_a_name_under_a_file, "a folder on this path is a file"),
    "another program's database": (_into_another_programs_database, "another program (it holds table recipes)"),
    "a file in a read-only folder": (_into_a_read_only_folder, "is read-only, so the progress file"),
}


@pytest.mark.parametrize(("make", "words"), INTO_NOT_WRITABLE.values(), ids=INTO_NOT_WRITABLE.keys())
def test_a_progress_file_recovery_cannot_write_to_is_exit_1_naming_it_and_why(
    moved_aside, tmp_path, monkeypatch, capsys, make, words
):
    """--into that cannot take the attempts is status 1 (output not written, not 2, bad input): one line naming
    --into, its path and the reason in words, with how to choose another; FILE and --into are left as they were."""
    path = make(tmp_path, monkeypatch)
    before = path.read_bytes() if path.is_file() else None
    copy = moved_aside.moved_aside.read_bytes()
    assert main(["progress", "recover", str(moved_aside.moved_aside), "--into", str(path)]) == 1
    out, err = capsys.readouterr()
    (line,) = err.splitlines()
    assert out == "" and line.startswith("sarcoma-edu progress recover: error: nothing was recovered: ")
    assert str(path) in line and words in line and "Errno" not in line and "ProgressStore(" not in line
    assert "choose another progress file with --into PATH" in line and line.count("nothing was recovered") == 1
    assert moved_aside.moved_aside.read_bytes() == copy
    assert (path.read_bytes() if path.is_file() else None) == before


def test_the_live_store_itself_is_refused(tmp_path, capsys):
    """Giving the live store as FILE is refused (exit 2): recovery reads a moved-aside copy."""
    path = tmp_path / "live.sqlite3"
    ProgressStore(path).record("st-ia", "IA", True, "staging")
    assert main(["progress", "recover", str(path), "--into", str(path)]) == 2
    assert "is the progress store itself" in capsys.readouterr().err


def _two_thousand(path: Path) -> list[dict]:
    """A store of 2,000 attempts as the quiz makes them (random attempt ids), each with a unique question and time."""
    rng = random.Random(26)  # the same file every run
    attempts = [
        {
            "attempt_id": uuid.UUID(int=rng.getrandbits(128), version=4).hex,
            "question_id": f"question-{k:05d}",
            "topic": "staging",
            "answer": ["MRI", "Core needle biopsy"] if k % 3 else 7.5,
            "correct": bool(k % 2),
            "answered_at": f"2026-03-{1 + k // 1440:02d}T{(k // 60) % 24:02d}:{k % 60:02d}:00.000+00:00",
        }
        for k in range(2000)
    ]
    ProgressStore(path).add_attempts(attempts)
    return attempts


@pytest.fixture(scope="module")
def two_thousand(tmp_path_factory) -> tuple[list[dict], bytes]:
    """The 2,000 attempts and the bytes of the progress file holding them (made once for the damage cases)."""
    path = tmp_path_factory.mktemp("two-thousand") / "progress.sqlite3"
    return _two_thousand(path), path.read_bytes()


def _cut(data: bytes) -> bytes:
    return data[: int(len(data) * 0.9)]


def _pages_missing(data: bytes) -> bytes:
    pages = len(data) // PAGE
    return data[: (pages - pages // 10) * PAGE]


def _pages_zeroed(data: bytes) -> bytes:
    kept = _pages_missing(data)
    return kept + bytes(len(data) - len(kept))


def _page_count(data: bytes, pages: int) -> bytes:
    return data[:28] + pages.to_bytes(4, "big") + data[32:]


def _wrong_page_count(data: bytes) -> bytes:
    return _page_count(data, len(data) // PAGE + 50)


def _page_count_too_small(data: bytes) -> bytes:
    return _page_count(data, len(data) // PAGE - 5)


def _page_count_one(data: bytes) -> bytes:
    return _page_count(data, 1)


@pytest.mark.parametrize(
    ("damage", "lost_known"),
    [
        pytest.param(_cut, False, id="an interrupted copy: the file cut to 90% of its bytes"),
        pytest.param(_pages_missing, False, id="the last tenth of its pages lost"),
        pytest.param(_pages_zeroed, False, id="the last tenth of its pages written as zeros"),
        pytest.param(_wrong_page_count, True, id="a wrong page count in the header"),
        pytest.param(_page_count_too_small, True, id="a header counting five pages fewer than the file holds"),
        pytest.param(_page_count_one, True, id="a header saying the file holds one page"),
    ],
)
def test_recover_brings_back_every_attempt_sqlite_can_still_read_from_a_truncated_file(
    tmp_path, two_thousand, damage, lost_known
):
    """Of 2,000 attempts, every one whose row survives in the damaged copy comes back, and the loss is said.

    A plain SELECT reads none of them (SQLite calls the whole file malformed). The rows that
    survive are found independently of the recovery: their unique question id and time are both
    still in the file's bytes.
    """
    attempts, whole = two_thousand
    data = damage(whole)
    copy = tmp_path / "progress.sqlite3.corrupt-20260302T140509123456Z"
    copy.write_bytes(data)
    with pytest.raises(sqlite3.DatabaseError):  # what the store, and any program, sees
        db = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
        try:
            db.execute("SELECT * FROM attempts").fetchall()
        finally:
            db.close()
    survive = {
        a["attempt_id"] for a in attempts if a["question_id"].encode() in data and a["answered_at"].encode() in data
    }
    assert 1700 < len(survive) <= 2000
    result = recover(copy, tmp_path / "live.sqlite3")
    back = ProgressStore(tmp_path / "live.sqlite3").attempts()
    assert set(back["attempt_id"]) == survive and result.readable == result.added == len(survive)
    original = {a["attempt_id"]: a for a in attempts}
    for row in back.head(50).itertuples():
        assert (
            row.answer == original[row.attempt_id]["answer"]
            and row.question_id == original[row.attempt_id]["question_id"]
        )
    if lost_known:
        assert result.lost == 2000 - len(survive) == 0 and "0 could not be read" in result.describe()
    else:  # the end of the table is gone: nothing says how many rows it held
        assert result.lost is None and result.lost_at_least <= 2000 - len(survive)
        assert re.search(
            r"(at least \d+|an unknown number) could not be read \(the end of the file is lost", result.describe()
        )
    assert copy.read_bytes() == data  # the damaged copy is only read


def test_when_the_damage_hides_how_many_were_lost_the_command_says_so(tmp_path):
    """With the index and the last table page damaged too, what can be read comes back; the loss is 'unknown'."""
    path = tmp_path / "progress.sqlite3"
    _store_with(path, 400)
    data = bytearray(path.read_bytes())
    pages = [data[k : k + PAGE] for k in range(0, len(data), PAGE)]
    index_pages = [k for k, page in enumerate(pages) if k > 0 and b"id-0" in page and b"question-" not in page]
    last_leaf = data.find(b"question-0399") // PAGE
    assert index_pages and last_leaf not in index_pages
    for k in [*index_pages, last_leaf]:
        data[k * PAGE : (k + 1) * PAGE] = b"\xff" * PAGE
    copy = tmp_path / "progress.sqlite3.corrupt-x"
    copy.write_bytes(bytes(data))
    result = recover(copy, tmp_path / "live.sqlite3")
    assert result.lost is None and "an unknown number could not be read" in result.describe()
    assert 0 < result.readable == result.added < 400
    frame = ProgressStore(tmp_path / "live.sqlite3").attempts()
    assert "question-0000" in set(frame["question_id"]) and "question-0399" not in set(frame["question_id"])


def _table_pages(data: bytes) -> tuple[int, list[int]]:
    """(the attempts table's root page, its inner pages), numbered from 1 as SQLite numbers them."""
    pages = [data[k : k + PAGE] for k in range(0, len(data), PAGE)]
    db = sqlite3.connect(":memory:")
    db.deserialize(data)
    root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'attempts'").fetchone()[0]
    db.close()
    inner = [n for n, page in enumerate(pages, start=1) if n > 1 and page[0] == 0x05]  # 5: an inner table page
    return root, inner


@pytest.mark.parametrize("which", ["root", "every inner"], ids=["the table's root page", "every inner table page"])
def test_attempts_below_a_damaged_root_or_inner_page_still_come_back(tmp_path, two_thousand, which):
    """With the pages that lead to the attempts damaged, every attempt on an intact page comes back, none lost."""
    attempts, whole = two_thousand
    root, inner = _table_pages(whole)
    assert root in inner  # 2,000 attempts need more than one page: the root leads to the others
    data = bytearray(whole)
    for n in [root] if which == "root" else inner:
        data[(n - 1) * PAGE : n * PAGE] = b"\xff" * PAGE
    copy = tmp_path / "progress.sqlite3.corrupt-x"
    copy.write_bytes(bytes(data))
    result = recover(copy, tmp_path / "live.sqlite3")
    back = ProgressStore(tmp_path / "live.sqlite3").attempts()
    assert set(back["attempt_id"]) == {a["attempt_id"] for a in attempts}
    assert (result.readable, result.added, result.lost) == (2000, 2000, 0)
    assert copy.read_bytes() == bytes(data)


def test_recovery_leaves_no_copy_of_the_answers_behind(tmp_path, two_thousand, monkeypatch):
    """The private copies read page by page are removed afterwards: no student's answers stay in the temp folder."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    copy = tmp_path / "progress.sqlite3.corrupt-x"
    copy.write_bytes(_page_count_one(_cut(two_thousand[1])))  # both a wrong page count and a lost end
    assert recover(copy, tmp_path / "live.sqlite3").readable > 1700
    assert list(temporary.iterdir()) == []
