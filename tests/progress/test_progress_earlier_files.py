"""Progress files written by earlier releases still open, keep every answer and take new ones.

The fixtures are described in ``tests/fixtures/README.md``: the release before versions (no
``user_version``), the last release before the application id, and the store on ``main`` before the
second round of file identification.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from sarcoma_edu.progress import schema as progress_schema
from sarcoma_edu.progress.store import ProgressStore

FIXTURES = Path(__file__).parents[1] / "fixtures"
EARLIER = {
    "a file of the release before versions (user_version 0, no application id)": ("progress_v1.sqlite3", 10),
    "a version 2 file written before the application id": ("progress_v2_no_application_id.sqlite3", 7),
    "a version 2 file with the application id, as main wrote it": ("progress_v2.sqlite3", 7),
}


def _header_and_rows(path: Path) -> tuple[int, int, list[tuple]]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        header = db.execute("PRAGMA application_id").fetchone()[0], db.execute("PRAGMA user_version").fetchone()[0]
        rows = db.execute("SELECT * FROM attempts ORDER BY rowid").fetchall()
    finally:
        db.close()
    return (*header, rows)


@pytest.mark.parametrize(("name", "count"), EARLIER.values(), ids=EARLIER.keys())
def test_a_progress_file_of_an_earlier_release_opens_with_every_answer_and_takes_new_ones(tmp_path, name, count):
    """Every saved attempt reads back unchanged, the file is marked as sarcoma-edu's, and a new answer is saved."""
    path = tmp_path / "progress.sqlite3"
    shutil.copyfile(FIXTURES / name, path)
    _, _, before = _header_and_rows(path)
    store = ProgressStore(path)
    frame = store.attempts()
    assert len(frame) == count == len(before)
    store.record("st-ib", "IB", True, "staging", confidence="unsure")
    application_id, version, after = _header_and_rows(path)
    assert (application_id, version) == (progress_schema.APPLICATION_ID, progress_schema.SCHEMA_VERSION)
    assert [row[:6] for row in after[:count]] == [row[:6] for row in before]  # byte for byte, in order
    assert len(store.attempts()) == count + 1


def test_the_confidence_saved_by_the_release_before_the_application_id_comes_back(tmp_path):
    """A version 2 file without the application id keeps its students' confidence and its list answers."""
    path = tmp_path / "progress.sqlite3"
    shutil.copyfile(FIXTURES / "progress_v2_no_application_id.sqlite3", path)
    frame = ProgressStore(path).attempts().set_index("attempt_id")
    assert frame.loc["v2-0001", "confidence"] == "sure" and frame.loc["v2-0005", "confidence"] == "guessed"
    assert frame.loc["v2-0002", "confidence"] is None
    assert frame.loc["v2-0003", "answer"] == ["MRI", "Core needle biopsy"]
    assert frame.loc["v2-0006", "answer"] == "=SUM(A1) ça va ✓"
    assert frame["confidence"].notna().sum() == 4
