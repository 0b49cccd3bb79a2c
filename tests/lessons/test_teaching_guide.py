"""docs/teaching.md holds up as written: menu path, session plans, every snippet run as written, the objectives."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sarcoma_edu.progress.store import ProgressStore
from tests.content_folder import QUESTION, make_content
from tests.hub.harness import guide_block, guide_blocks, hub_config

ROOT = Path(__file__).resolve().parents[2]
GUIDE = (ROOT / "docs" / "teaching.md").read_text(encoding="utf-8")
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SCHEMAS = Path(sys.prefix) / "share" / "jupyter" / "lab" / "schemas"


def _cells(path: Path) -> list[str]:
    return ["".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"]]


def _stated_minutes(path: Path) -> int:
    """The lesson's own 'Estimated time: N minutes'."""
    (minutes,) = re.findall(r"\*\*Estimated time:\*\* (\d+) minutes", "\n".join(_cells(path)[:3]))
    return int(minutes)


def _plan(title: str) -> list[tuple[int | None, str]]:
    """(minutes, what) for each row of the plan table under the heading ``### <title>``."""
    section = GUIDE.split(f"### {title}\n", 1)[1].split("\n#", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if line.startswith("|") and len(cells) >= 2 and cells[0] not in ("Time", "---"):
            minutes = re.fullmatch(r"(\d+) min", cells[0])
            rows.append((int(minutes.group(1)) if minutes else None, cells[1]))
    return rows


def _lesson(cell: str) -> Path | None:
    match = re.fullmatch(r"\[(\d\d_\w+)\]\(\.\./notebooks/\1\.ipynb\)", cell)
    return ROOT / "notebooks" / f"{match.group(1)}.ipynb" if match else None


def test_the_menu_path_to_presentation_mode_is_the_pinned_jupyterlabs():
    """The guide's View → Appearance → Presentation Mode is where the pinned JupyterLab's menu schema puts it."""
    # checked against the installed JupyterLab's menu schema; binder/ pins the same major version
    pinned = re.search(r"^jupyterlab==(\S+)", (ROOT / "binder" / "requirements.txt").read_text(), re.M).group(1)
    from importlib.metadata import version

    assert version("jupyterlab").split(".")[0] == pinned.split(".")[0] == "4"
    assert "**View → Appearance → Presentation Mode**" in GUIDE
    schema = json.loads((SCHEMAS / "@jupyterlab" / "application-extension" / "commands.json").read_text())
    view = next(m for m in schema["jupyter.lab.menus"]["main"] if m["id"] == "jp-mainmenu-view")
    appearance = next(i["submenu"] for i in view["items"] if i.get("submenu", {}).get("label") == "Appearance")
    assert "application:toggle-presentation-mode" in [i.get("command") for i in appearance["items"]]


@pytest.mark.parametrize(
    ("title", "total"), [("A 2-hour class", 120), ("The long session (about 3 hours with breaks)", 180)]
)
def test_each_plan_gives_each_lesson_its_own_stated_time_and_adds_up(title, total):
    """Every timed lesson row equals the lesson's estimated time, and lessons plus breaks fill the session."""
    rows = _plan(title)
    timed = [(minutes, _lesson(what)) for minutes, what in rows if minutes is not None and what != "break"]
    assert timed and all(lesson is not None for _, lesson in timed)
    assert {lesson.name: minutes for minutes, lesson in timed} == {
        lesson.name: _stated_minutes(lesson) for _, lesson in timed
    }
    assert sum(minutes for minutes, _ in rows if minutes is not None) == total


@pytest.mark.parametrize("title", ["A 2-hour class", "The long session (about 3 hours with breaks)"])
def test_each_plan_says_where_every_lesson_goes(title):
    """Every lesson is in each plan: taught in class with its time, or in a 'before or after' or 'homework' row."""
    rows = " ".join(what for _, what in _plan(title))
    missing = [p.stem for p in LESSONS if f"[{p.stem}](../notebooks/{p.name})" not in rows]
    assert missing == [], (
        f"docs/teaching.md, plan '{title}': add a row for {', '.join(missing)} (its estimated time, "
        "or in the 'before or after' or 'homework' row) and keep the stated total right"
    )


def _export(folder: Path, student: str, answers: list[bool], kind: str) -> None:
    store = ProgressStore(folder / f".{student}.sqlite3")
    for k, correct in enumerate(answers):
        store.record(f"stage-q{k}", "Stage IIIA", correct, "staging")
    getattr(store, f"export_{kind}")(folder / f"results-{student}.{kind}")


def _run(code: str, folder: Path, language: str = "python", **env: str) -> subprocess.CompletedProcess:
    """Run a snippet of the guide as written, in ``folder``, with the toolkit's commands on the PATH."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    command = [sys.executable, "-c", code] if language == "python" else ["bash", "-c", code]
    environment = {**os.environ, "PATH": path, **env}
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=120, env=environment)


# every fenced block of the guide, by its language and first line: run below, or why not here
RUN_HERE = {
    ("python", "import json"): "the results merge",
    ("json", "{"): "the example case, checked and loaded",
    ("bash", "sarcoma-edu case check my_case.json"): "checking the example case",
    ("python", "from sarcoma_edu import load_cases"): "loading the example case",
    ("bash", "sarcoma-edu report handed-in/"): "the class report",
    ("bash", "sarcoma-edu progress recover"): "bringing a moved-aside progress file back",
    ("python", "# jupyterhub_config.py"): "the hub configuration, read as JupyterHub reads it",
    ("bash", "sarcoma-edu bank check --content"): "checking a content folder, its coverage and the report with it",
    ("python", 'c.Spawner.environment["SARCOMA_EDU_CONTENT"]'): "the content folder for every student",
}
RUN_ELSEWHERE = {
    ("text", "https://<your hub>/hub/user-redirect/git-pull?"): "the link template: tests/hub/test_hub.py fills it in",
    ("text", "my-course-content/"): "the folder layout: tests/content_folder.py makes one",
    ("bash", "pip install <path or URL"): "installs a hub: tests/hub/test_hub.py runs one from `make hub-deps`",
    ("dockerfile", "# Dockerfile"): "builds a container image (not built by the tests)",
    ("yaml", "# config.yaml"): "values for a Kubernetes chart (not deployed by the tests)",
    ("bash", "sarcoma-edu class init /srv/sarcoma-polls"): "the poll commands: tests/live/test_guide.py runs them",
    ("python", "# Live polls: add these lines"): "the hub's poll lines: tests/live/test_guide.py, tests/hub/",
    ("python", "from sarcoma_edu.widgets.studio import"): (
        "the studio forms: tests/widgets/test_studio.py makes each, the browser test works one"
    ),
    ("bash", "sarcoma-edu content check --content my-course/"): (
        "tests/report/test_content_check_command.py runs it on a content folder and a progress file"
    ),
}


def test_every_snippet_of_the_guide_is_run_here_or_said_where():
    """Each code block of docs/teaching.md is run by the test below or named with where it is run, or why not."""
    found = {(language, text.splitlines()[0]) for language, text in guide_blocks()}
    known = set(RUN_HERE) | set(RUN_ELSEWHERE)
    for block in found:
        assert any(block[0] == lang and block[1].startswith(first) for lang, first in known), block
    assert len(found) == len(known)


def test_the_guides_snippets_run_as_written(tmp_path):
    """Merging CSV and JSON hand-ins, checking and loading the example case, the class report and recovering a
    moved-aside progress file all work exactly as the guide writes them."""
    # collecting results: a CSV and a JSON hand-in, and a file that is neither, which is named
    for student, answers, kind in (("ana-garcia", [True, False], "csv"), ("ben-okafor", [True], "json")):
        _export(tmp_path, student, answers, kind)
    (tmp_path / "results-notes.txt").write_text("not an export")
    merged = _run(guide_block("python", "import json"), tmp_path)
    assert merged.returncode == 0, merged.stderr
    lines = merged.stdout.splitlines()
    assert lines[0] == "Left out results-notes.txt: not a CSV or JSON export" and "staging" in lines[1]
    assert any(line.split()[:2] == ["ana-garcia", "0.5"] for line in lines)
    assert any(line.split()[:2] == ["ben-okafor", "1.0"] for line in lines)  # the JSON hand-in is not left out
    # writing a case: the example, checked, then loaded in a cell
    (tmp_path / "my_case.json").write_text(guide_block("json", "{"), encoding="utf-8")
    checked = _run(guide_block("bash", "sarcoma-edu case check my_case.json"), tmp_path, "bash")
    assert checked.returncode == 0 and "my_case.json: OK" in checked.stdout, checked.stdout + checked.stderr
    loaded = _run(guide_block("python", "from sarcoma_edu import load_cases"), tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    # the class report, from a folder of hand-ins
    (tmp_path / "handed-in").mkdir()
    for student, answers, kind in (("ana-garcia", [True, False], "csv"), ("ben-okafor", [True], "json")):
        _export(tmp_path / "handed-in", student, answers, kind)
    report = _run(guide_block("bash", "sarcoma-edu report handed-in/"), tmp_path, "bash")
    assert report.returncode == 0 and (tmp_path / "class-report.html").stat().st_size > 0, report.stderr
    # bringing back a progress file moved aside, at the very path the guide names (~ is this test's home)
    (moved,) = re.findall(r"recover (~/\S+)", guide_block("bash", "sarcoma-edu progress recover"))
    copy = tmp_path / moved.removeprefix("~/")
    copy.parent.mkdir(parents=True)
    old = ProgressStore(tmp_path / "old.sqlite3")
    old.record("stage-q0", "Stage IIIA", True, "staging")
    shutil.copyfile(old.path, copy)
    home = {"HOME": str(tmp_path), "SARCOMA_EDU_PROGRESS": ""}
    recovered = _run(guide_block("bash", "sarcoma-edu progress recover"), tmp_path, "bash", **home)
    assert recovered.returncode == 0, recovered.stdout + recovered.stderr
    assert len(ProgressStore(tmp_path / ".sarcoma_edu" / "progress.sqlite3").attempts()) == 1


def test_the_guides_content_folder_commands_run_as_written(tmp_path):
    """The guide's checks of a content folder, its coverage and the report with it run as written and say OK."""
    make_content(tmp_path / "my-course-content")
    (tmp_path / "new_questions.json").write_text(json.dumps([{**QUESTION, "id": "my-new-one"}]), encoding="utf-8")
    (tmp_path / "handed-in").mkdir()
    _export(tmp_path / "handed-in", "ana-garcia", [True, False], "csv")
    outputs = []
    for line in guide_block("bash", "sarcoma-edu bank check --content").splitlines():  # each as written, in turn
        done = _run(line, tmp_path, "bash", SARCOMA_EDU_CONTENT="")
        assert done.returncode == 0, line + "\n" + done.stdout + done.stderr
        outputs.append(done.stdout)
    assert "".join(outputs).count(": OK, ") == 4  # quiz/, exercises/, cases/ and the new file
    assert "What assesses each learning objective" in outputs[3]
    assert (tmp_path / "class-report.html").stat().st_size > 0


def test_the_guides_content_line_for_the_hub_sets_the_variable():
    """The guide's hub line sets SARCOMA_EDU_CONTENT in every student's server environment, in the pulled course."""
    from traitlets.config import Config

    config = Config()
    config.Spawner.environment = {}
    exec(guide_block("python", 'c.Spawner.environment["SARCOMA_EDU_CONTENT"]'), {"c": config})
    assert config.Spawner.environment["SARCOMA_EDU_CONTENT"].startswith("~/")


def test_the_guides_hub_configuration_runs_as_written():
    """The guide's jupyterhub_config.py runs as JupyterHub reads it (get_config given) and sets a home per student."""
    from traitlets.config import Config

    config = Config()
    exec(compile(hub_config(), "jupyterhub_config.py", "exec"), {"get_config": lambda: config})
    assert config.SimpleLocalProcessSpawner.home_dir_template.endswith("{username}")


def test_lesson_00_says_each_lesson_has_several_objectives_and_each_one_does():
    """The welcome lesson says 'several learning objectives', and every lesson lists two or more."""
    assert "several learning objectives" in _cells(ROOT / "notebooks" / "00_welcome.ipynb")[0]
    assert "one learning objective" not in "\n".join(_cells(ROOT / "notebooks" / "00_welcome.ipynb"))
    for path in LESSONS:
        opening = next(c for c in _cells(path) if "Learning objectives" in c)
        assert len(re.findall(r"^\d+\. ", opening, re.M)) >= 2, path.name


def test_the_guide_and_lesson_07_say_how_to_give_the_class_one_seed():
    """Both the guide and lesson 07 name the case_seed argument and the SARCOMA_EDU_CASE_SEED variable."""
    lesson = "\n".join(_cells(ROOT / "notebooks" / "07_quiz.ipynb"))
    for text in (GUIDE, lesson):
        assert "case_seed=" in text and "SARCOMA_EDU_CASE_SEED" in text
