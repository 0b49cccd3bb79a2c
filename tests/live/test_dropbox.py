"""A student's recorded answer also goes to an open class poll: once per student, replaced when she changes it."""

from __future__ import annotations

import json
import os
import stat

from sarcoma_edu.live.classfolder import init_class
from sarcoma_edu.live.dropbox import drop_answer, pseudonym, student_token
from sarcoma_edu.live.polls import close_poll, open_poll
from tests.live.conftest import ITEM, MANY, ORDERING, answer_as


def test_without_a_class_folder_nothing_happens(tmp_path, monkeypatch):
    """No $SARCOMA_EDU_CLASS_DIR: drop_answer does nothing and writes nothing, not even a token."""
    monkeypatch.delenv("SARCOMA_EDU_CLASS_DIR", raising=False)
    assert drop_answer(ITEM, "IV", token_folder=tmp_path / "me") is None
    assert not (tmp_path / "me").exists()


def test_no_open_poll_on_the_item_sends_nothing(class_folder):
    """A class folder but no poll on this item: None, and the drop box stays empty."""
    assert answer_as(class_folder, "ana", ITEM, "IV") is None
    open_poll(class_folder, ITEM)
    close_poll(class_folder, ITEM)
    assert answer_as(class_folder, "ana", ITEM, "IV") is None
    assert not any(class_folder.joinpath("dropbox").iterdir())


def test_an_answer_to_an_open_poll_is_one_private_file_with_a_pseudonym(class_folder, monkeypatch):
    """Her file holds the item, the answer and a pseudonym (no name by default), 0640 in the instructor's group."""
    monkeypatch.setenv("JUPYTERHUB_USER", "ana")
    open_poll(class_folder, ITEM)
    dropped = answer_as(class_folder, "ana", ITEM, "IV")
    assert dropped.ok and dropped.describe() == f"Your answer also went to the class poll, as {dropped.pseudonym}."
    (file,) = class_folder.joinpath("dropbox").iterdir()
    assert file == dropped.file
    content = json.loads(file.read_text())
    assert {k: content[k] for k in ("format", "item", "answer", "pseudonym")} == {
        "format": "sarcoma-edu-poll-answer",
        "item": ITEM,
        "answer": "IV",
        "pseudonym": dropped.pseudonym,
    }
    assert "name" not in content and "ana" not in file.read_text()
    assert stat.S_IMODE(file.stat().st_mode) == 0o640


def test_a_changed_answer_replaces_hers_and_adds_no_file(class_folder):
    """Answering again rewrites her one file: the drop box still holds one file, with the new answer."""
    open_poll(class_folder, ITEM)
    answer_as(class_folder, "ana", ITEM, "IV")
    answer_as(class_folder, "ana", ITEM, "IIIA")
    files = list(class_folder.joinpath("dropbox").iterdir())
    assert len(files) == 1
    assert json.loads(files[0].read_text())["answer"] == "IIIA"


def test_the_token_is_random_private_and_kept(tmp_path):
    """128 random bits, 0600 in her progress folder, the same on the next answer; the pseudonym hides it."""
    token = student_token(tmp_path / "me")
    assert len(token) == 32 and int(token, 16) >= 0
    assert stat.S_IMODE((tmp_path / "me" / "class-token").stat().st_mode) == 0o600
    assert student_token(tmp_path / "me") == token
    assert student_token(tmp_path / "other") != token
    assert pseudonym(token).startswith("Student ") and token[:6].upper() not in pseudonym(token)


def test_a_class_that_asks_for_names_gets_her_account_name(tmp_path, monkeypatch):
    """class.json names=true: the answer file also carries her hub user name."""
    folder = tmp_path / "named"
    init_class(folder, names=True, shared_account=True)
    monkeypatch.setenv("JUPYTERHUB_USER", "ana")
    open_poll(folder, ITEM)
    dropped = answer_as(folder, "ana", ITEM, "IV")
    assert json.loads(dropped.file.read_text())["name"] == "ana"


def test_a_failed_drop_is_one_line_and_no_exception(class_folder):
    """A drop box that cannot be written gives a Dropped whose note says why; nothing is raised."""
    open_poll(class_folder, ITEM)
    dropbox = class_folder / "dropbox"
    os.rmdir(dropbox)
    dropbox.write_text("not a folder")
    dropped = answer_as(class_folder, "ana", ITEM, "IV")
    assert not dropped.ok and "\n" not in dropped.note
    assert dropped.describe().startswith("Your answer is saved, but it did not reach the class poll:")


def test_an_answer_the_item_does_not_offer_is_not_sent(class_folder):
    """An answer outside the item's choices is refused with a note, and no file is written."""
    open_poll(class_folder, ITEM)
    dropped = answer_as(class_folder, "ana", ITEM, "<b>IIIC</b>")
    assert not dropped.ok and "is not one of the answers" in dropped.note
    assert not any(class_folder.joinpath("dropbox").iterdir())


def test_ticked_answers_and_an_order_are_kept_in_the_items_own_form(class_folder):
    """Many-choice answers keep the question's order; an ordering exercise's items become its choice's text."""
    open_poll(class_folder, MANY)
    open_poll(class_folder, ORDERING)
    many = answer_as(class_folder, "ana", MANY, ["A painless lump in the thigh", "Past radiation therapy"])
    assert json.loads(many.file.read_text())["answer"] == ["Past radiation therapy", "A painless lump in the thigh"]
    order = ["Radiation therapy before surgery", "Recovery before surgery", "Surgery", "Follow-up"]
    ordered = answer_as(class_folder, "ana", ORDERING, order)
    assert json.loads(ordered.file.read_text())["answer"] == " → ".join(order)
