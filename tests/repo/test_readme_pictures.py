"""The README's pictures show what a student sees now: each is taken by `make screenshots` from the code as it is.

``make screenshots`` records, in ``docs/images/pictures.json``, the SHA-256 of each picture and of every
file of the code that draws it when it was taken (:mod:`tests.browser.pictures`). A picture whose code has
changed since then is stale, whatever the files' dates or the order of commits and merges say, and
whether or not the checkout has its git history.
"""

from __future__ import annotations

import ast
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser.pictures import PICTURES, RECORD, file_hash, sources

ROOT = Path(__file__).resolve().parents[2]
IMAGES = ROOT / "docs" / "images"
REFRESH = "run `make screenshots` and commit docs/images/"


def _readme_pictures() -> set[str]:
    return set(re.findall(r"\(docs/images/([^)\s]+\.png)\)", (ROOT / "README.md").read_text(encoding="utf-8")))


def _record() -> dict:
    path = IMAGES / RECORD
    assert path.is_file(), f"docs/images/{RECORD} is missing: {REFRESH}"
    return json.loads(path.read_text(encoding="utf-8"))


def _screenshots_command() -> str:
    """The line of the Makefile's `screenshots` recipe that runs pytest."""
    lines = (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("screenshots:"))
    recipe = [line for line in lines[start + 1 : start + 12] if line.startswith("\t")]
    (line,) = [line for line in recipe if "SARCOMA_EDU_README_SHOTS=docs/images" in line]
    return line


def test_the_readme_the_pictures_folder_and_the_picture_list_name_the_same_pictures():
    """Every picture the README shows is a file in docs/images, named in tests/browser/pictures.py and recorded; no
    other picture is kept there."""
    shown = _readme_pictures()
    assert len(shown) >= 10, shown  # the README shows the calculators, the quiz, the planner, the board, ...
    files = {path.name for path in IMAGES.glob("*.png")}
    assert files == shown, f"in docs/images but not in the README: {files - shown}; missing: {shown - files}"
    assert set(PICTURES) == shown, f"add to tests/browser/pictures.py: {shown - set(PICTURES)}"
    assert set(_record()) == shown, f"the record of docs/images/{RECORD} is not the README's pictures: {REFRESH}"


def test_every_file_named_as_drawing_a_readme_picture_exists_and_each_picture_shows_a_widget_or_figure():
    """Each picture's code is files that exist, among them at least one widget or display module."""
    for name, picture in PICTURES.items():
        missing = [path for path in picture.draws if not (ROOT / path).is_file()]
        assert not missing, f"{name}: no such file {missing} (tests/browser/pictures.py)"
        assert any(path.startswith(("sarcoma_edu/widgets/", "sarcoma_edu/display/")) for path in sources(name)), name


def test_each_readme_picture_is_saved_by_its_test_in_a_readme_shot():
    """The test named for each picture calls readme_shot or readme_clip with that picture's file name."""
    for name, picture in PICTURES.items():
        path, _, function = picture.test.partition("::")
        tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
        (test,) = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == function] or [None]
        assert test is not None, f"{name}: {picture.test} does not exist"
        saves = [
            call
            for call in ast.walk(test)
            if isinstance(call, ast.Call)
            and getattr(call.func, "id", "") in ("readme_shot", "readme_clip")
            and any(isinstance(a, ast.Constant) and a.value == name for a in call.args)
        ]
        assert saves, f"{picture.test} never saves {name} with readme_shot or readme_clip"


def test_make_screenshots_runs_every_test_that_takes_a_readme_picture():
    """`make screenshots` runs the tests tests/browser/pictures.py lists for the pictures, with nothing that leaves
    one out (-k, -m, --deselect)."""
    command = _screenshots_command()
    listing = "$$($(BIN)/python -m tests.browser.pictures)"
    assert f"$(PYTEST) {listing}" in command, command
    assert not {"-k", "-m", "--deselect"} & set(shlex.split(command.replace(listing, ""))), command
    listed = subprocess.run(
        [sys.executable, "-m", "tests.browser.pictures"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert listed.returncode == 0, listed.stderr[-2000:]
    assert set(listed.stdout.split()) == {picture.test for picture in PICTURES.values()}


@pytest.mark.parametrize("name", sorted(PICTURES))
def test_the_readme_picture_was_taken_from_the_code_that_draws_it_now(name):
    """The picture is the one `make screenshots` saved, and no file of the code that draws it changed since."""
    entry = _record().get(name)
    assert entry is not None, f"docs/images/{name}: no record of the code it was taken from: {REFRESH}"
    assert entry["picture"] == file_hash(IMAGES / name), (
        f"docs/images/{name} is not the picture `make screenshots` saved last (replaced by hand?): {REFRESH}"
    )
    now = {path: file_hash(ROOT / path) for path in sources(name)}
    changed = sorted(path for path in now if path in entry["sources"] and entry["sources"][path] != now[path])
    new = sorted(set(now) - set(entry["sources"]))
    gone = sorted(set(entry["sources"]) - set(now))
    why = [
        f"{label}: {', '.join(paths)}"
        for label, paths in (("changed since", changed), ("new to it", new), ("no longer drawing it", gone))
        if paths
    ]
    assert not why, f"docs/images/{name} is older than the code that draws it ({'; '.join(why)}): {REFRESH}"
