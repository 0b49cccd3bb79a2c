"""docs/teaching.md holds up as written: menu path, session plans, the results merge, the lessons' objectives."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sarcoma_edu.progress import ProgressStore

ROOT = Path(__file__).resolve().parent.parent
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


def test_the_results_merge_snippet_runs_as_written_on_exports_named_after_students(tmp_path):
    """The guide's merge code, run as written in a folder of results-<name>.csv exports, gives a row per student."""
    for student, answers in (("ana-garcia", [True, False]), ("ben-okafor", [True])):
        store = ProgressStore(tmp_path / f"{student}.sqlite3")
        for k, correct in enumerate(answers):
            store.record(f"stage-q{k}", "Stage IIIA", correct, "staging")
        store.export_csv(tmp_path / f"results-{student}.csv")
    assert 'store.export_csv("results-ana-garcia.csv")' in GUIDE
    (snippet,) = re.findall(r"```python\n(.*?)```", GUIDE.split("**Collecting results:**", 1)[1], re.S)[:1]
    code = "\n".join(line.removeprefix("  ") for line in snippet.splitlines())
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "staging" in lines[0]
    assert any(line.split()[:2] == ["ana-garcia", "0.5"] for line in lines)
    assert any(line.split()[:2] == ["ben-okafor", "1.0"] for line in lines)


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
