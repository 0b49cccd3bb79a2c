"""Students who are separate Unix users: each drops her own answer, and none can list, read or replace another's.

A module fixture creates three temporary accounts (an instructor and two students; see
:mod:`tests.live.unix_users`: root or passwordless sudo is needed, and its absence fails the test).
The instructor makes the class folder and opens a poll with the ``sarcoma-edu`` command as herself;
each student answers as herself through :func:`sarcoma_edu.live.dropbox.drop_answer` (what the lesson
widgets call), one changing her answer and one trying to vote twice with a second token; then a
student tries, as herself, everything she must not be able to do.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.live.conftest import ITEM
from tests.live.unix_users import as_user, privileged, python_for, unix_users

ANSWER = """
import json, sys
from sarcoma_edu.live.dropbox import drop_answer
token_folder = sys.argv[2] if len(sys.argv) > 2 else None
dropped = drop_answer({item!r}, sys.argv[1], token_folder=token_folder)
print(json.dumps({{"ok": dropped.ok, "note": dropped.note, "file": str(dropped.file)}}))
"""

# what a student tries against the class folder; each attempt reports the error it met, or "allowed"
PRY = """
import json, os, sys
folder, other = sys.argv[1], sys.argv[2]
dropbox, private = os.path.join(folder, "dropbox"), os.path.join(folder, "private")
def attempt(action):
    try:
        action()
    except OSError as error:
        return type(error).__name__
    return "allowed"
def replace_other():
    temporary = os.path.join(dropbox, ".mine.partial")
    with open(temporary, "w") as out:
        out.write("{}")
    try:
        os.replace(temporary, other)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
print(json.dumps({
    "list the drop box": attempt(lambda: os.listdir(dropbox)),
    "read another's answer": attempt(lambda: open(other).read()),
    "write another's answer": attempt(lambda: open(other, "a").write("x")),
    "replace another's answer": attempt(replace_other),
    "remove another's answer": attempt(lambda: os.unlink(other)),
    "list the frozen results": attempt(lambda: os.listdir(private)),
    "read the frozen results": attempt(lambda: open(os.path.join(private, sys.argv[3])).read()),
    "read whether a poll is open": attempt(lambda: open(os.path.join(folder, "polls", sys.argv[3])).read()),
}))
"""


def _run_privileged(command: list[str]) -> None:
    subprocess.run([*privileged(), *command], check=True, capture_output=True, timeout=60)


def _json(done) -> dict:
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def poll_by_separate_users():
    """An instructor and two students, each a Unix user of their own, through one poll; what each step gave."""
    with unix_users(["teacher", "ana", "ben"]) as (folder, users):
        teacher, ana, ben = users["teacher"], users["ana"], users["ben"]
        python = python_for(teacher, folder)
        srv = folder / "srv"
        _run_privileged(["mkdir", "-m", "0755", str(srv)])
        _run_privileged(["chown", f"{teacher.name}:{teacher.name}", str(srv)])
        cls = srv / "class"

        def cli(*args: str) -> dict:
            return _json(as_user(teacher, [python, "-m", "sarcoma_edu", *args], {}))

        setup = as_user(teacher, [python, "-m", "sarcoma_edu", "class", "init", str(cls)], {})
        assert setup.returncode == 0, setup.stderr
        cli("poll", "open", str(cls), ITEM, "--json")
        env = {"SARCOMA_EDU_CLASS_DIR": str(cls)}
        answer = ANSWER.format(item=ITEM)
        record = {"setup": setup.stdout, "ana": _json(as_user(ana, [python, "-c", answer, "IV"], env))}
        _json(as_user(ben, [python, "-c", answer, "IB"], env))
        record["ben"] = _json(as_user(ben, [python, "-c", answer, "IIIA"], env))  # she changes her mind
        # a second token of her own (another progress folder) does not give her a second vote
        record["ben twice"] = _json(as_user(ben, [python, "-c", answer, "IIIA", str(ben.home / "other")], env))
        record["open"] = cli("poll", "results", str(cls), ITEM, "--json")
        name = f"{ITEM}.json"
        record["pry open"] = _json(as_user(ben, [python, "-c", PRY, str(cls), record["ana"]["file"], name], env))
        record["closed"] = cli("poll", "close", str(cls), ITEM, "--json")
        record["pry closed"] = _json(as_user(ben, [python, "-c", PRY, str(cls), record["ana"]["file"], name], env))
        record["after"] = cli("poll", "results", str(cls), ITEM, "--json")
        record.update(users=users, python=python, srv=srv)
        yield record


def test_each_student_answers_as_herself_and_the_instructor_counts_one_answer_each(poll_by_separate_users):
    """Two students, one changing her answer and trying a second token: 2 responses, by their final answers."""
    record = poll_by_separate_users
    assert record["ana"]["ok"] and record["ben"]["ok"], record
    assert record["open"] == {
        "item": ITEM,
        "responses": 2,
        "counts": {"IIIB": 0, "IV": 1, "IIIA": 1, "IB": 0},
        "open": True,
        "late": 0,
    }
    assert record["after"]["counts"] == record["open"]["counts"] and record["after"]["open"] is False


@pytest.mark.parametrize(
    "action",
    [
        "list the drop box",
        "read another's answer",
        "write another's answer",
        "replace another's answer",
        "remove another's answer",
        "list the frozen results",
    ],
)
def test_a_student_cannot_pry_into_the_drop_box_while_the_poll_is_open(poll_by_separate_users, action):
    """As her own Unix user, a student is refused each of these by the file system."""
    assert poll_by_separate_users["pry open"][action] == "PermissionError", poll_by_separate_users["pry open"]


def test_a_student_cannot_read_the_frozen_results_but_can_see_whether_a_poll_is_open(poll_by_separate_users):
    """After closing, private/ stays closed to her; the poll file (no answers in it) is readable, as it must be."""
    pried = poll_by_separate_users["pry closed"]
    for action in ("read the frozen results", "list the frozen results", "read another's answer"):
        assert pried[action] == "PermissionError", pried
    assert pried["read whether a poll is open"] == "allowed"


def test_class_init_warns_when_other_accounts_share_the_drop_boxs_group(poll_by_separate_users):
    """A drop box whose group a student is in (she could read answers by group) is named, with the fix."""
    record = poll_by_separate_users
    teacher, ana, python = record["users"]["teacher"], record["users"]["ana"], record["python"]
    folder = record["srv"] / "shared-group-class"
    first = as_user(teacher, [python, "-m", "sarcoma_edu", "class", "init", str(folder)], {})
    assert first.returncode == 0 and "Warning" not in first.stdout, first.stdout + first.stderr
    _run_privileged(["chgrp", ana.name, str(folder / "dropbox")])
    again = as_user(teacher, [python, "-m", "sarcoma_edu", "class", "init", str(folder)], {})
    assert again.returncode == 0, again.stderr
    assert f"Warning: other accounts are in the drop box's group {ana.name!r} ({ana.name})" in again.stdout
    assert "chgrp GROUP" in again.stdout
