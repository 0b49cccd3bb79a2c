"""`sarcoma-edu content check`: 0 when no computed key changed, 3 when some did, --update, --progress, errors."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from sarcoma_edu.cli import main
from sarcoma_edu.clinical.tables import dataset_path, datasets_root
from sarcoma_edu.course import keys
from sarcoma_edu.progress.store import ProgressStore

GROUPS = "ajcc8_stage_groups.csv"
THIGH_STAGE = "case:limb-preop-radiation:stage"


@pytest.fixture
def changed_copy(tmp_path: Path) -> Path:
    """A copy of the datasets in which a limb tumour over 10 cm of mid or high grade is IIIA instead of IIIB."""
    copy = tmp_path / "datasets"
    shutil.copytree(Path(str(dataset_path(GROUPS))).parent, copy)
    text = (copy / GROUPS).read_text(encoding="utf-8")
    (copy / GROUPS).write_text(text.replace("extremity,IIIB,", "extremity,IIIA,"), encoding="utf-8")
    return copy


def test_the_built_in_content_has_nothing_changed(capsys, monkeypatch):
    """With no content folder, the built-in keys are checked against datasets/content.lock.json: exit 0."""
    monkeypatch.delenv("SARCOMA_EDU_CONTENT", raising=False)
    assert main(["content", "check"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Built-in content (") and "computed key(s), nothing changed." in out


def test_a_changed_row_lists_the_changed_keys_and_exits_3_until_updated(changed_copy, capsys, monkeypatch):
    """A changed stage group row lists each key old -> new with the row; --update records them; then exit 0."""
    monkeypatch.delenv("SARCOMA_EDU_CONTENT", raising=False)
    with datasets_root(changed_copy):
        assert main(["content", "check"]) == 3
        out = capsys.readouterr().out
        assert f"  {THIGH_STAGE} (case step in " in out
        assert "'Stage IIIB' -> 'Stage IIIA'" in out
        assert f"      row changed: {GROUPS} [site=extremity, t=T3|T4, n=N0, m=M0, g=G2|G3]" in out
        assert "run 'sarcoma-edu content check --update'" in out
        assert main(["content", "check", "--update"]) == 0
        assert f"Wrote {changed_copy.resolve() / keys.LOCK_NAME}." in capsys.readouterr().out
        assert main(["content", "check"]) == 0


def test_progress_says_how_many_saved_attempts_were_graded_under_a_changed_key(changed_copy, tmp_path, capsys):
    """--progress counts a student's attempts on changed items, keeps her verdicts and leaves her file unchanged."""
    progress = tmp_path / "ana" / "progress.sqlite3"
    progress.parent.mkdir()
    store = ProgressStore(progress)
    store.record(THIGH_STAGE, "Stage IIIB", True)
    store.record(THIGH_STAGE, "Stage IIIA", False)
    store.record("ex-00-what-is-sts", "A cancer of connective tissue", True)
    before = hashlib.sha256(progress.read_bytes()).hexdigest()
    with datasets_root(changed_copy):
        assert main(["content", "check", "--progress", str(progress)]) == 3
    out = capsys.readouterr().out
    assert f"2 of the 3 saved attempts in {progress.resolve()} were graded under a key that has since changed" in out
    assert f"{THIGH_STAGE} (2)" in out
    assert "Their verdicts are kept as they were saved" in out
    assert hashlib.sha256(progress.read_bytes()).hexdigest() == before


def test_her_content_folder_gets_its_own_lock(tmp_path, capsys, monkeypatch):
    """--content DIR checks her items against DIR/content.lock.json: unrecorded (exit 3), then --update, then 0."""
    monkeypatch.delenv("SARCOMA_EDU_CONTENT", raising=False)
    folder = tmp_path / "my-course"
    (folder / "cases").mkdir(parents=True)
    facts = {"site": "leg", "size_cm": 7, "grade": "G3", "nodes": False, "metastasis": False}
    case = {"id": "my-thigh", "facts": facts, "steps": [{"id": "stage", "kind": "stage"}]}
    (folder / "cases" / "my-thigh.json").write_text(json.dumps(case), encoding="utf-8")
    handed_in = tmp_path / "handed-in"
    handed_in.mkdir()
    ProgressStore(handed_in / "progress-ana.sqlite3").record("case:my-thigh:stage", "Stage IIIA", True)
    assert main(["content", "check", "--content", str(folder), "--progress", str(handed_in)]) == 3
    out = capsys.readouterr().out
    assert f"Your content ({folder / keys.LOCK_NAME}): 1 computed key(s), 1 to review." in out
    assert (
        "case:my-thigh:stage (case step in " in out and "not in content.lock.json yet; its key is 'Stage IIIA'" in out
    )
    assert "None of the 1 saved attempts in " in out
    assert main(["content", "check", "--content", str(folder), "--update"]) == 0
    assert keys.read_lock(folder / keys.LOCK_NAME)["case:my-thigh:stage"]["answer"] == ["Stage IIIA"]
    assert main(["content", "check", "--content", str(folder)]) == 0


def test_a_missing_content_folder_is_bad_input(tmp_path, capsys):
    """--content naming no folder exits 2 with one line naming the option and the path."""
    assert main(["content", "check", "--content", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("sarcoma-edu content: error:") and "nowhere" in err and "content" in err.split(":", 2)[2]


def test_a_lock_that_cannot_be_written_exits_1_naming_it(changed_copy, tmp_path, capsys):
    """--update whose lock file cannot be written exits 1 with the file and why; nothing else is changed."""
    lock = changed_copy / keys.LOCK_NAME
    lock.unlink()
    lock.symlink_to(tmp_path / "no-such-folder" / keys.LOCK_NAME)
    with datasets_root(changed_copy):
        assert main(["content", "check", "--update"]) == 1
    err = capsys.readouterr().err
    assert "could not write" in err and keys.LOCK_NAME in err and "does not exist" in err


def test_help_documents_the_exit_statuses(capsys):
    """content check --help explains 0, 1, 2 and 3."""
    with pytest.raises(SystemExit):
        main(["content", "check", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "0 nothing changed" in out and "1 a lock file could not be written" in out
    assert "2 bad input" in out and "3 some keys changed" in out and "--progress" in out
