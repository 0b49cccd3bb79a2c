"""A real JupyterHub class: three students take the course, their progress kept apart.

A module fixture starts JupyterHub on free 127.0.0.1 ports with the ``jupyterhub_config.py`` the
teaching guide prints (DummyAuthenticator, SimpleLocalProcessSpawner with a home folder per
student) and ``configurable-http-proxy`` from ``tests/hub`` (``npm ci``, run by ``make test``).
Three students log in through the hub's form and open the guide's nbgitpuller link, which pulls
the course from a local bare repository made from this checkout's HEAD. Each runs the quiz lesson
on their own server through the Jupyter REST and kernel API (with a token of their own), answers
questions of one topic by clicking the quiz widget's answer buttons, and exports their progress.
One student edits the quiz lesson, the course team changes the lessons upstream, and both pull
again. The instructor's report is made from the three exports, then the hub is stopped and no
process it started may be left.

The hub runs with ``SARCOMA_EDU_PROGRESS`` pointing at a decoy file: JupyterHub passes a
student's server only the variables in ``Spawner.env_keep``, so each student's default progress
file must be in their own home, and the decoy must never be written.

In CI (``CI=true``) a missing piece fails the test; elsewhere it skips with the install command.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
import yaml
from traitlets.config import Config

from sarcoma_edu import ProgressStore
from tests.hub.harness import (
    PROXY_PACKAGE,
    ROOT,
    Student,
    code_cells,
    course_repository,
    git,
    guide_block,
    hub_config,
    hub_environment,
    link_parts,
    missing_pieces,
    pull_link,
    pull_link_template,
    start_hub,
    stop_hub,
)

LESSON = "sarcoma-edu/notebooks/07_quiz.ipynb"
WELCOME = "sarcoma-edu/notebooks/00_welcome.ipynb"
# each student answers a different number of questions of one topic, so whose answers are where is plain
STUDENTS = {"ada": ("staging", 2), "ben": ("grade", 3), "cleo": ("treatment", 4)}
NOTE = "My note for the exam: the grade and the size together move the stage."
UPSTREAM = "Course update: this line was added by the course team after the first pull."

# Runs in a student's kernel after the lesson's own cells: the widget the lesson showed is answered
# by clicking its buttons, exactly as a student clicks them, and the progress is exported.
ANSWER = """
import json, os
from sarcoma_edu.widgets.quiz import QuizWidget
quiz = [value for value in Out.values() if isinstance(value, QuizWidget)][-1]
quiz.topic.value = {topic!r}
for _ in range({count}):
    buttons = [b for b in quiz.choices.children if "sarcoma-edu-answer" in b._dom_classes]
    if buttons:
        buttons[0].click()
    else:
        boxes = [c for c in quiz.choices.children if type(c).__name__ == "Checkbox"]
        if boxes:
            boxes[0].value = True
        else:
            quiz.number.value = "1"
        quiz.check_button.click()
    assert quiz.feedback is not None, quiz.result.value
    quiz.next_button.click()
export = store.export_csv(os.path.expanduser("~/results-{name}.csv"))
print(json.dumps({{"path": str(store.path), "home": os.path.expanduser("~"), "answered": quiz.score[1],
                  "env": os.environ.get("SARCOMA_EDU_PROGRESS"), "export": str(export)}}))
"""


def _require_hub() -> None:
    missing = missing_pieces()
    if not missing:
        return
    message = f"the JupyterHub class test needs {', '.join(missing)}: `make test` installs them all"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _topics() -> set[str]:
    from sarcoma_edu import load_bank

    return {question.topic for question in load_bank()}


def _take_quiz(student: Student) -> dict:
    """Run every code cell of the pulled quiz lesson, answer questions in its widget, export."""
    kernel = student.kernel(LESSON)
    try:
        for code in code_cells(student.read_notebook(LESSON)):
            kernel.run(code)
        topic, count = STUDENTS[student.name]
        printed = kernel.run(ANSWER.format(topic=topic, count=count, name=student.name))
    finally:
        kernel.close()
    return json.loads(printed.strip().splitlines()[-1])


def _edit_lesson(student: Student) -> None:
    """The student adds a note of their own at the end of the quiz lesson and saves it."""
    notebook = student.read_notebook(LESSON)
    notebook["cells"].append({"cell_type": "markdown", "id": "my-note", "metadata": {}, "source": NOTE})
    student.save_notebook(LESSON, notebook)


def _change_upstream(bare: Path, work: Path) -> None:
    """The course team changes the quiz lesson's title cell and the welcome lesson, and pushes."""
    git("clone", "--quiet", str(bare), str(work))
    for name in ("07_quiz.ipynb", "00_welcome.ipynb"):
        path = work / "notebooks" / name
        notebook = json.loads(path.read_text(encoding="utf-8"))
        first = notebook["cells"][0]
        source = first["source"] if isinstance(first["source"], list) else [first["source"]]
        first["source"] = [*source[:-1], source[-1].rstrip("\n") + "\n", "\n", UPSTREAM]
        path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    git("commit", "--quiet", "-am", "Lessons: a course update", cwd=work)
    git("push", "--quiet", "origin", "main", cwd=work)


def _text(notebook: dict) -> str:
    return "\n".join("".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in notebook["cells"])


def _report(exports: list[Path], folder: Path) -> tuple[subprocess.CompletedProcess, str]:
    """The instructor's class report over the students' exports (``sarcoma-edu report``)."""
    out = folder / "report.html"
    command = [sys.executable, "-m", "sarcoma_edu", "report", *map(str, exports), "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=folder, check=False)
    html = out.read_text(encoding="utf-8") if out.exists() else ""
    return done, html


@pytest.fixture(scope="module")
def hub_class(tmp_path_factory) -> dict:
    """Run the whole class on a real hub once; return what each step produced."""
    _require_hub()
    folder = tmp_path_factory.mktemp("hub")
    bare = course_repository(tmp_path_factory.mktemp("course"))
    decoy = tmp_path_factory.mktemp("shared") / "progress.sqlite3"
    started = time.monotonic()
    hub = start_hub(folder, hub_environment(decoy))
    record: dict = {"hub": hub, "decoy": decoy, "students": {}, "seconds": {"hub": time.monotonic() - started}}
    try:
        link = pull_link(hub.url, f"file://{bare}", "sarcoma-edu")
        students = {name: Student(hub, name) for name in STUDENTS}
        for name, student in students.items():
            began = time.monotonic()
            first = student.pull(link)
            student.make_token()
            pulled = time.monotonic()
            record["students"][name] = {"first_pull": first, "quiz": _take_quiz(student)}
            record["seconds"][f"{name}: log in, start, pull"] = pulled - began
            record["seconds"][f"{name}: quiz lesson"] = time.monotonic() - pulled
        ada, ben = students["ada"], students["ben"]
        _edit_lesson(ada)
        _change_upstream(bare, tmp_path_factory.mktemp("upstream") / "sarcoma-edu")
        for student in (ada, ben):
            student.pull(link)
            record["students"][student.name]["after"] = {
                "lesson": student.read_notebook(LESSON),
                "welcome": student.read_notebook(WELCOME),
            }
        instructor = tmp_path_factory.mktemp("instructor")
        exports = []
        for name in STUDENTS:
            exports.append(Path(shutil.copy(hub.home(name) / f"results-{name}.csv", instructor)))
        record["report"] = _report(exports, instructor)
    finally:
        record["processes"] = dict(hub.commands())
        record["listening"] = hub.listening()
        stopping = time.monotonic()
        record["left"] = stop_hub(hub)
        record["seconds"]["stop"] = time.monotonic() - stopping
        record["seconds"]["total"] = time.monotonic() - started
        print("hub class timings (s):", {step: round(s, 1) for step, s in record["seconds"].items()})
    return record


def test_three_students_pull_the_course_with_the_guides_nbgitpuller_link(hub_class):
    """Each student's pull finishes and puts the course, quiz lesson included, in their own home."""
    for name, result in hub_class["students"].items():
        assert result["first_pull"][-1]["phase"] == "finished"
        assert (hub_class["hub"].home(name) / LESSON).is_file()


def test_each_students_answers_are_saved_in_their_own_home_and_no_other(hub_class):
    """A student's progress file is ~/.sarcoma_edu/progress.sqlite3 in their own home, holding only their answers."""
    hub = hub_class["hub"]
    course = "sarcoma-edu"  # the pulled course folder, whose test fixtures hold sample progress files
    files = sorted(f for f in hub.homes.rglob("*.sqlite3") if course not in f.relative_to(hub.homes).parts)
    assert files == sorted(hub.home(name) / ".sarcoma_edu" / "progress.sqlite3" for name in STUDENTS)
    for name, (topic, count) in STUDENTS.items():
        quiz = hub_class["students"][name]["quiz"]
        assert quiz["env"] is None, "SARCOMA_EDU_PROGRESS reached a student's server"
        assert Path(quiz["home"]) == hub.home(name)
        assert Path(quiz["path"]) == hub.home(name) / ".sarcoma_edu" / "progress.sqlite3"
        assert quiz["answered"] == count
        attempts = ProgressStore(quiz["path"]).attempts()
        assert len(attempts) == count
        assert set(attempts["topic"]) == {topic}
    assert not hub_class["decoy"].exists(), "a student wrote to the SARCOMA_EDU_PROGRESS the hub was started with"


def test_the_students_topics_are_quiz_topics():
    """Every topic the students answer is a topic of the quiz bank, so each answers real questions."""
    assert {topic for topic, _count in STUDENTS.values()} <= _topics()


def test_a_second_pull_keeps_a_students_edited_lesson_and_brings_the_update(hub_class):
    """After an upstream change, pulling again keeps the student's note and merges the course team's changes."""
    ada = hub_class["students"]["ada"]["after"]
    assert NOTE in _text(ada["lesson"])
    assert UPSTREAM in _text(ada["lesson"])
    assert UPSTREAM in _text(ada["welcome"])
    ben = hub_class["students"]["ben"]["after"]
    assert UPSTREAM in _text(ben["lesson"]) and NOTE not in _text(ben["lesson"])


def test_the_instructors_report_over_the_students_exports_counts_every_attempt(hub_class):
    """`sarcoma-edu report` over the three exports says it used 3 files, 3 students and every attempt they made."""
    done, html = hub_class["report"]
    assert done.returncode == 0, done.stdout + done.stderr
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    total = sum(count for _topic, count in STUDENTS.values())
    assert re.search(rf"\b3 files with {total} attempts by 3 students\b", text), text[:2000]
    assert all(name in html for name in STUDENTS)


def test_the_hub_the_proxy_and_the_students_servers_listen_on_127_0_0_1_only(hub_class):
    """Every port the hub and the processes it started (proxy, servers) listen on is on 127.0.0.1."""
    addresses = hub_class["listening"]
    assert addresses, "no listening socket was found"
    assert {address.rsplit(":", 1)[0] for address in addresses} == {"127.0.0.1"}, sorted(addresses)
    assert hub_class["hub"].url.rsplit(":", 1)[1] in {address.rsplit(":", 1)[1] for address in addresses}


def test_the_hub_its_proxy_and_the_students_servers_all_stop_with_the_hub(hub_class):
    """Stopping the hub ends the proxy and every student's server: no process is left."""
    commands = list(hub_class["processes"].values())
    assert sum("configurable-http-proxy" in c for c in commands) == 1, commands
    assert sum("jupyterhub.singleuser" in c for c in commands) == len(STUDENTS), commands
    assert hub_class["left"] == set()


def test_the_guides_hub_snippets_match_what_the_hub_test_runs():
    """The guide's jupyterhub_config.py, install lines, Zero to JupyterHub values and link agree with the test."""
    config = Config()
    exec(compile(hub_config(), "jupyterhub_config.py", "exec"), {"get_config": lambda: config})
    assert config.JupyterHub.authenticator_class == "dummy"
    assert config.JupyterHub.spawner_class == "simple"
    assert "{username}" in config.SimpleLocalProcessSpawner.home_dir_template
    assert config.JupyterHub.bind_url.startswith("http://127.0.0.1:")

    install = guide_block("bash", "pip install <path or URL of this repository>")
    proxy = json.loads(PROXY_PACKAGE.read_text())["dependencies"]["configurable-http-proxy"]
    assert f"npm install -g configurable-http-proxy@{proxy}" in install
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["test"]
    for package in ("jupyterhub", "nbgitpuller"):
        assert package in install.split("\n")[0].split()
        assert any(re.match(rf"{package}\b", line) for line in extra), f"{package} is not in the test extra"

    image = guide_block("dockerfile", "# Dockerfile")
    assert re.search(r"pip install .*\"git\+<URL of this repository>\".* nbgitpuller", image)
    values = yaml.safe_load(guide_block("yaml", "# config.yaml"))
    assert values["singleuser"]["defaultUrl"] == config.Spawner.default_url
    assert values["singleuser"]["image"]["name"].endswith("/sarcoma-edu-singleuser")

    path, query = link_parts(pull_link_template())
    assert path == "/hub/user-redirect/git-pull"
    assert set(query) == {"repo", "branch", "urlpath"}
    landing = query["urlpath"].removeprefix("lab/tree/<repository folder name>/")
    assert (ROOT / landing).is_file()
