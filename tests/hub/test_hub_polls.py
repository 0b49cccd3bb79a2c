"""Live polls on a real JupyterHub: three students, each her own Unix user, answer from their own kernels.

The hub runs the guide's ``jupyterhub_config.py`` with the guide's lines for live polls after it
(``LocalProcessSpawner``: every student's server, and so her kernel, runs as her own system user;
``SARCOMA_EDU_CLASS_DIR`` set for every server). The accounts are made for the test with
``useradd`` and removed afterwards (:mod:`tests.live.unix_users`), as is an instructor's account,
which makes the class folder and opens, reads and closes the poll with the ``sarcoma-edu`` command
as herself, so her results are read through the permissions a real instructor has (not as root).

Why separate users: the other hub test runs every student as the hub's one system user (the guide's
small-class set-up, with its warning); there, file permissions cannot keep one student's answer
from another, which is the point here. The one line the test adds to the guide's configuration is
``c.Spawner.cmd``: the students' servers must run a Python every user can start, and the test's
own interpreter may live in a private home (see :func:`tests.live.unix_users.python_for`).

JupyterHub starts servers as other users only when it runs as root, so this test needs root (it
fails, never skips, without it); a missing hub piece fails in CI and skips elsewhere, as in the
other hub test.
"""

from __future__ import annotations

import json
import os
import subprocess
import time

import pytest

from tests.hub.harness import Student, guide_block, hub_environment, missing_pieces, start_hub, stop_hub
from tests.live.unix_users import as_user, python_for, unix_users

ITEM = "ex-03-retro-nodes"
# the answers each student clicks, in order: ben changes her mind
ANSWERS = {"ada": ["IV"], "ben": ["IB", "IIIA"], "cleo": ["IIIA"]}
EXPECTED = {"IIIB": 0, "IV": 1, "IIIA": 2, "IB": 0}
SENT = "Your answer also went to the class poll, as Student "

# Runs in a student's kernel: lesson 03's prediction, answered by clicking its buttons as a student does
# (and "Answer again" before a changed answer).
ANSWER = """
import json, os
from sarcoma_edu.widgets.exercise import predict
widget = predict({item!r}, reveal=lambda: "the staging calculator")
for number, text in enumerate({answers!r}):
    if number:
        widget.again_button.click()
    next(b for b in widget.choices.children if getattr(b, "description", None) == text).click()
folder = os.environ.get("SARCOMA_EDU_CLASS_DIR")
print(json.dumps({{"result": widget.result.value, "uid": os.getuid(), "class": folder}}))
"""

# Runs in a student's kernel: what she must not manage to do with the class folder
PRY = """
import json, os
folder = os.environ["SARCOMA_EDU_CLASS_DIR"]
def attempt(action):
    try:
        action()
    except OSError as error:
        return type(error).__name__
    return "allowed"
print(json.dumps({{
    "list the drop box": attempt(lambda: os.listdir(os.path.join(folder, "dropbox"))),
    "read another's answer": attempt(lambda: open({other!r}).read()),
    "list the frozen results": attempt(lambda: os.listdir(os.path.join(folder, "private"))),
}}))
"""


def _require() -> None:
    missing = missing_pieces()
    if missing:
        message = f"the JupyterHub poll test needs {', '.join(missing)}: `make test` installs them all"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    if os.geteuid() != 0:
        pytest.fail(
            "the JupyterHub poll test runs JupyterHub as root, which starts each student's server as her own Unix "
            "user (LocalProcessSpawner): run it as root, e.g. sudo -E .venv/bin/python -m pytest tests/hub"
        )


def _last_json(text: str) -> dict:
    return json.loads(text.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def poll_on_the_hub(tmp_path_factory) -> dict:
    """Run one poll on a hub whose students are separate Unix users; return what each step gave."""
    _require()
    record: dict = {"seconds": {}}
    with unix_users(["teacher", *ANSWERS]) as (shared, users):
        teacher = users["teacher"]
        python = python_for(teacher, shared)
        (shared / "srv").mkdir(mode=0o755)
        os.chown(shared / "srv", teacher.uid, teacher.gid)
        folder = shared / "srv" / "sarcoma-polls"

        def instructor(*args: str) -> subprocess.CompletedProcess:
            return as_user(teacher, [python, "-m", "sarcoma_edu", *args], {})

        assert instructor("class", "init", str(folder)).returncode == 0
        assert instructor("poll", "open", str(folder), ITEM).returncode == 0
        lines = guide_block("python", "# Live polls: add these lines").replace("/srv/sarcoma-polls", str(folder))
        extra = f"\n{lines}\n# the test's one addition: a Python every student's account can run\n"
        extra += f'c.Spawner.cmd = [{python!r}, "-m", "jupyterhub.singleuser"]\n'
        started = time.monotonic()
        hub = start_hub(tmp_path_factory.mktemp("poll-hub"), hub_environment(shared / "decoy.sqlite3"), extra)
        record["seconds"]["hub"] = time.monotonic() - started
        kernels = {}
        try:
            for name in ANSWERS:
                began = time.monotonic()
                student = Student(hub, users[name].name)
                student.open(f"{hub.url}/hub/user-redirect/lab")
                student.make_token()
                kernels[name] = student.kernel("poll.ipynb")
                record["seconds"][f"{name}: log in, start"] = time.monotonic() - began
            answered = {}
            for name, answers in ANSWERS.items():
                answered[name] = _last_json(kernels[name].run(ANSWER.format(item=ITEM, answers=answers)))
            last_answer = time.monotonic()
            record["answered"] = answered
            deadline, counted = last_answer + 5, None
            while counted is None or (time.monotonic() < deadline and counted.get("counts") != EXPECTED):
                done = instructor("poll", "results", str(folder), ITEM, "--json")
                assert done.returncode == 0, done.stderr
                counted = _last_json(done.stdout)
            record["seconds"]["answers to results"] = time.monotonic() - last_answer
            record["results"] = counted
            (ada_file,) = [p for p in (folder / "dropbox").iterdir() if p.stat().st_uid == users["ada"].uid]
            record["pry"] = _last_json(kernels["ben"].run(PRY.format(other=str(ada_file))))
            record["closed"] = _last_json(instructor("poll", "close", str(folder), ITEM, "--json").stdout)
            record["uids"] = {name: users[name].uid for name in ANSWERS}
            record["folder"] = str(folder)
        finally:
            for kernel in kernels.values():
                kernel.close()
            record["left"] = stop_hub(hub)
            print("hub poll timings (s):", {step: round(s, 1) for step, s in record["seconds"].items()})
    return record


def test_three_students_answer_from_their_own_kernels_each_as_her_own_unix_user(poll_on_the_hub):
    """Each kernel runs as its student's account, knows the class folder, and says her answer went to the class."""
    for name, answered in poll_on_the_hub["answered"].items():
        assert answered["uid"] == poll_on_the_hub["uids"][name]
        assert answered["class"] == poll_on_the_hub["folder"]
        assert SENT in answered["result"], answered["result"]


def test_the_instructors_results_show_three_responses_with_the_right_counts_within_five_seconds(poll_on_the_hub):
    """The instructor's `poll results --json` gives 3 responses, ben's changed answer counted once, within 5 s."""
    assert poll_on_the_hub["results"] == {"item": ITEM, "responses": 3, "counts": EXPECTED, "open": True, "late": 0}
    assert poll_on_the_hub["seconds"]["answers to results"] <= 5
    assert poll_on_the_hub["closed"]["counts"] == EXPECTED and poll_on_the_hub["closed"]["open"] is False


def test_a_student_cannot_list_or_read_the_drop_box_from_her_kernel(poll_on_the_hub):
    """From her own kernel, listing the drop box, reading a classmate's answer or the frozen results is refused."""
    assert poll_on_the_hub["pry"] == dict.fromkeys(
        ("list the drop box", "read another's answer", "list the frozen results"), "PermissionError"
    )


def test_the_hub_and_every_students_server_stop(poll_on_the_hub):
    """Stopping the hub leaves no server or kernel of the students running (their accounts can then be removed)."""
    assert poll_on_the_hub["left"] == set()
