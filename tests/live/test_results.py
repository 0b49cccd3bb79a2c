"""A poll's results: one answer per student, the latest; bad files skipped with a line; closing freezes."""

from __future__ import annotations

import json
import os
import time

import pytest

from sarcoma_edu.live.ballots import MAX_BYTES, answer_file_name
from sarcoma_edu.live.polls import PollError, close_poll, open_poll, open_polls, poll_state
from sarcoma_edu.live.results import results
from tests.live.conftest import ITEM, MANY, NUMBER, STEP, answer_as, write_raw

TOKEN = "0123456789abcdef0123456789abcdef"


def _answer(item: str, answer: object) -> dict:
    return {"format": "sarcoma-edu-poll-answer", "item": item, "answer": answer, "pseudonym": "Student 000000"}


def test_results_count_each_students_latest_answer_once(class_folder):
    """Three students, one changing her mind: 3 responses, counted by their final answers."""
    open_poll(class_folder, ITEM)
    answer_as(class_folder, "ana", ITEM, "IV")
    answer_as(class_folder, "ben", ITEM, "IIIA")
    answer_as(class_folder, "cai", ITEM, "IIIA")
    answer_as(class_folder, "ana", ITEM, "IIIA")
    found = results(class_folder, ITEM)
    assert found.as_json() == {
        "item": ITEM,
        "responses": 3,
        "counts": {"IIIB": 0, "IV": 0, "IIIA": 3, "IB": 0},
        "open": True,
        "late": 0,
    }
    assert found.skipped == ()


def test_in_account_mode_one_unix_account_counts_once_whatever_its_tokens(account_class):
    """A student who makes extra tokens (extra files) still counts once: her latest file wins."""
    open_poll(account_class, ITEM)
    answer_as(account_class, "token-1", ITEM, "IV")
    answer_as(account_class, "token-2", ITEM, "IB")
    found = results(account_class, ITEM)
    assert (found.responses, found.counts["IB"], found.counts["IV"]) == (1, 1, 0)


def test_ticked_answers_count_once_each_and_numbers_are_counted_as_written(class_folder):
    """Many-choice: each ticked answer counts once per student; numeric: one bar per number given."""
    open_poll(class_folder, MANY)
    answer_as(class_folder, "ana", MANY, ["Past radiation therapy", "A painless lump in the thigh"])
    answer_as(class_folder, "ben", MANY, ["Past radiation therapy"])
    many = results(class_folder, MANY)
    assert many.responses == 2
    assert many.counts["Past radiation therapy"] == 2 and many.counts["A painless lump in the thigh"] == 1
    open_poll(class_folder, NUMBER)
    answer_as(class_folder, "ana", NUMBER, 45)
    answer_as(class_folder, "ben", NUMBER, 7.5)
    answer_as(class_folder, "cai", NUMBER, 45.0)
    assert results(class_folder, NUMBER).counts == {"7.5": 1, "45": 2}


def test_a_tumour_board_step_can_be_polled(class_folder):
    """A case step's id (case:<case>:<step>) is an item like any other."""
    open_poll(class_folder, STEP)
    choice = results(class_folder, STEP).counts.popitem()[0]
    answer_as(class_folder, "ana", STEP, choice)
    assert results(class_folder, STEP).counts[choice] == 1


_HOSTILE = [
    ("not JSON", lambda f: write_raw(f, answer_file_name(ITEM, TOKEN), b"{not json"), "it is not JSON"),
    (
        "huge",
        lambda f: write_raw(f, answer_file_name(ITEM, TOKEN), b" " * (MAX_BYTES + 1)),
        f"more than an answer file's {MAX_BYTES}",
    ),
    (
        "a link",
        lambda f: os.symlink(f / "class.json", f / "dropbox" / answer_file_name(ITEM, TOKEN)),
        "it is a link, not a file",
    ),
    ("a FIFO", lambda f: os.mkfifo(f / "dropbox" / answer_file_name(ITEM, TOKEN)), "not a regular file"),
    (
        "HTML in a choice",
        lambda f: write_raw(f, answer_file_name(ITEM, TOKEN), _answer(ITEM, "<script>alert(1)</script>")),
        "its answer is not one of the item's answers",
    ),
    (
        "another item in the file",
        lambda f: write_raw(f, answer_file_name(ITEM, TOKEN), _answer("ex-03-other", "IV")),
        "answers another item than its name says",
    ),
    (
        "another format",
        lambda f: write_raw(f, answer_file_name(ITEM, TOKEN), {"item": ITEM, "answer": "IV"}),
        "not an answer file",
    ),
    ("a stray name", lambda f: write_raw(f, "stray.txt", b"{}"), "its name is not <item>--<token>.json"),
]


@pytest.mark.parametrize(("make", "why"), [pytest.param(m, w, id=what) for what, m, w in _HOSTILE])
def test_a_hostile_file_is_skipped_with_a_line_and_the_real_answers_still_count(class_folder, make, why):
    """Each bad file is left out with one plain line saying why; the honest student's answer counts."""
    open_poll(class_folder, ITEM)
    answer_as(class_folder, "ana", ITEM, "IV")
    make(class_folder)
    found = results(class_folder, ITEM)
    assert (found.responses, found.counts["IV"]) == (1, 1)
    assert len(found.skipped) == 1 and why in found.skipped[0], found.skipped
    assert "\n" not in found.skipped[0]


def test_files_of_other_polls_and_temporary_files_are_left_alone_without_a_line(class_folder):
    """Another item's answers and a half-written temporary file neither count nor make a line."""
    open_poll(class_folder, ITEM)
    open_poll(class_folder, MANY)
    answer_as(class_folder, "ana", MANY, ["Past radiation therapy"])
    write_raw(class_folder, ".tmp123.partial", b"{")
    found = results(class_folder, ITEM)
    assert (found.responses, found.skipped) == (0, ())


def test_closing_freezes_the_results_and_later_answers_are_late(class_folder):
    """After close, a new answer and a changed answer are reported as late; the counts stay as frozen."""
    open_poll(class_folder, ITEM)
    answer_as(class_folder, "ana", ITEM, "IV")
    ben = answer_as(class_folder, "ben", ITEM, "IV").file
    close_poll(class_folder, ITEM)
    frozen = results(class_folder, ITEM)
    assert (frozen.responses, frozen.counts["IV"], frozen.open, frozen.late) == (2, 2, False, 0)
    # a student whose kernel read "open" just before the close: her file lands after it
    write_raw(class_folder, answer_file_name(ITEM, TOKEN), _answer(ITEM, "IB"))
    changed = ben.with_name(".changed.partial")  # and one who changed hers after it (a new file renamed over hers)
    changed.write_text(json.dumps(_answer(ITEM, "IIIA")))
    os.replace(changed, ben)
    later = results(class_folder, ITEM)
    assert later.as_json() == {
        "item": ITEM,
        "responses": 2,
        "counts": {"IIIB": 0, "IV": 2, "IIIA": 0, "IB": 0},
        "open": False,
        "late": 2,
    }
    assert (class_folder / "private" / f"{ITEM}.json").stat().st_mode & 0o077 == 0


def test_opening_again_starts_a_new_round(class_folder):
    """Answers from before a poll was opened again are not counted; answering again counts."""
    open_poll(class_folder, ITEM)
    answer_as(class_folder, "ana", ITEM, "IV")
    close_poll(class_folder, ITEM)
    for file in class_folder.joinpath("dropbox").iterdir():  # the first round was a while ago
        old = time.time() - 60
        os.utime(file, (old, old))
    open_poll(class_folder, ITEM)
    assert results(class_folder, ITEM).responses == 0
    answer_as(class_folder, "ana", ITEM, "IB")
    assert results(class_folder, ITEM).counts["IB"] == 1


def test_poll_state_and_open_polls_say_which_polls_are_open(class_folder):
    """Opening shows in poll_state and open_polls; closing a poll that is not open is refused."""
    assert poll_state(class_folder, ITEM).open is False
    state = open_poll(class_folder, ITEM)
    assert state.open and state.opened_at and open_poll(class_folder, ITEM) == state
    assert [s.item for s in open_polls(class_folder)] == [ITEM]
    closed = close_poll(class_folder, ITEM)
    assert (closed.open, closed.opened_at) == (False, state.opened_at) and closed.closed_at
    assert open_polls(class_folder) == []
    with pytest.raises(PollError, match="no poll is open"):
        close_poll(class_folder, ITEM)


def test_results_of_an_item_never_polled_and_of_an_unknown_item_are_refused(class_folder):
    """No poll yet: a PollError saying how to open one; an unknown id: the forms an id takes."""
    with pytest.raises(PollError, match="no poll was opened"):
        results(class_folder, ITEM)
    with pytest.raises(ValueError, match=r"is not an item: .*did you mean ex-03-retro-nodes"):
        open_poll(class_folder, "ex-03-retro-node")
