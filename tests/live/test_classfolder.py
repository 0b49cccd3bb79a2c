"""The class folder: laid out once with the right permissions, found through SARCOMA_EDU_CLASS_DIR."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from sarcoma_edu.live.classfolder import (
    ClassFolderError,
    ClassSettings,
    class_dir,
    class_settings,
    init_class,
    safe_id,
)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_class_init_makes_the_drop_box_writable_but_not_listable_and_the_results_private(tmp_path):
    """polls 0755, dropbox 3733 (sticky, setgid, write and enter only), private 0700, class.json 0644."""
    folder = tmp_path / "class"
    old = os.umask(0o077)  # an instructor's strict umask does not change what students need
    try:
        init_class(folder)
    finally:
        os.umask(old)
    assert (_mode(folder), _mode(folder / "polls"), _mode(folder / "private")) == (0o755, 0o755, 0o700)
    assert _mode(folder / "dropbox") == 0o3733
    assert _mode(folder / "class.json") == 0o644
    assert json.loads((folder / "class.json").read_text()) == {
        "format": "sarcoma-edu-class",
        "version": 1,
        "names": False,
        "one_answer_per": "account",
    }


def test_class_init_prints_the_hub_line_the_computer_room_and_the_demo(tmp_path):
    """The set-up text gives the exact jupyterhub_config.py line with the folder, and the room and demo variants."""
    folder = tmp_path / "class"
    text = init_class(folder)
    assert f'c.Spawner.environment["SARCOMA_EDU_CLASS_DIR"] = "{folder}"' in text
    assert f'export SARCOMA_EDU_CLASS_DIR="{folder}"' in text
    assert f'SARCOMA_EDU_CLASS_DIR="{folder}" sarcoma-edu lab' in text


def test_names_and_shared_account_are_written_to_class_json(tmp_path):
    """--names and --shared-account become names=true and one_answer_per=token."""
    init_class(tmp_path / "c", names=True, shared_account=True)
    assert class_settings(tmp_path / "c") == ClassSettings(names=True, one_answer_per="token")


def test_running_class_init_again_repairs_permissions_and_keeps_the_answers(tmp_path):
    """A second init with the same options puts the modes back and leaves the drop box's files alone."""
    folder = tmp_path / "class"
    init_class(folder)
    (folder / "dropbox" / "kept.json").write_text("{}")
    os.chmod(folder / "dropbox", 0o777)
    text = init_class(folder)
    assert text.startswith("Class folder checked")
    assert _mode(folder / "dropbox") == 0o3733
    assert (folder / "dropbox" / "kept.json").read_text() == "{}"


def test_class_init_with_other_options_on_an_existing_class_is_refused(tmp_path):
    """A class set up per account is not silently turned into one per token."""
    init_class(tmp_path / "class")
    with pytest.raises(ClassFolderError, match="already a class folder set up with no options"):
        init_class(tmp_path / "class", shared_account=True)


def test_class_init_refuses_a_folder_with_other_files_and_a_missing_parent(tmp_path):
    """Nothing is laid out over someone's files, nor in a folder that does not exist."""
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine")
    with pytest.raises(ClassFolderError, match="is not an empty folder"):
        init_class(tmp_path / "full")
    with pytest.raises(ClassFolderError, match="does not exist"):
        init_class(tmp_path / "no" / "class")
    assert sorted(p.name for p in (tmp_path / "full").iterdir()) == ["notes.txt"]


def test_the_class_folder_comes_from_the_argument_then_the_environment(tmp_path, monkeypatch):
    """An explicit folder wins; else $SARCOMA_EDU_CLASS_DIR; else there is no class."""
    monkeypatch.delenv("SARCOMA_EDU_CLASS_DIR", raising=False)
    assert class_dir() is None
    monkeypatch.setenv("SARCOMA_EDU_CLASS_DIR", str(tmp_path))
    assert class_dir() == tmp_path
    assert class_dir(tmp_path / "x") == tmp_path / "x"


def test_a_folder_that_is_not_a_class_is_named_with_what_to_do(tmp_path):
    """Reading settings from a plain folder says it has no class.json and how to make one."""
    with pytest.raises(ClassFolderError, match=r"has no class\.json .*sarcoma-edu class init"):
        class_settings(tmp_path)


@pytest.mark.parametrize(
    ("item", "name"),
    [
        ("ex-03-retro-nodes", "ex-03-retro-nodes"),
        ("case:limb-preop-radiation:biopsy", "case%3Alimb-preop-radiation%3Abiopsy"),
        ("../../etc/passwd", "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd"),
    ],
)
def test_an_item_id_becomes_a_file_name_without_slashes_or_leading_dots(item, name):
    """Safe ids keep letters, digits, - and _; a slash or a dot can never lead out of the folder."""
    assert safe_id(item) == name
