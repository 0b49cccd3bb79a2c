"""The pictures the README shows: which test takes each one, which code draws it, and what code it was taken from.

``make screenshots`` runs the tests named in :data:`PICTURES` (``python -m tests.browser.pictures`` lists
them) with ``SARCOMA_EDU_README_SHOTS=docs/images``; each saves its pictures (``readme_shot`` or
``readme_clip`` in :mod:`tests.browser.pages`) and records in ``docs/images/pictures.json`` the SHA-256 of
the picture and of every file of the code that draws it, as the files were when it was taken.
``tests/repo/test_readme_pictures.py`` reads that record: a picture whose code has changed since it was
taken fails there, with the command that refreshes it.

The code that draws a picture is the modules named for it below, and every module of
``sarcoma_edu/widgets/`` and ``sarcoma_edu/display/`` those import, directly or through another (an
import inside a function counts): a module split off later is followed without a change here. A file
outside those two packages that writes what the picture shows (the plan's HTML in
``clinical/treatment_plan.py``, the Voila page template) is named for its picture by hand.
"""

from __future__ import annotations

import ast
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RECORD = "pictures.json"  # in the pictures' folder, beside them
_DRAWING = ("sarcoma_edu/widgets/", "sarcoma_edu/display/")  # the packages whose imports are followed


@dataclass(frozen=True)
class Picture:
    """A README picture: the test that takes it (a pytest id) and the files that draw what it shows."""

    test: str
    draws: tuple[str, ...]


_KEYBOARD = "tests/browser/test_keyboard.py::"
_STAGING = ("sarcoma_edu/widgets/calculators.py", "sarcoma_edu/display/stage_map.py")
_PLAN = ("sarcoma_edu/display/timeline.py", "sarcoma_edu/clinical/treatment_plan.py")
_VOILA = "sarcoma_edu/jupyter/voila/templates/sarcoma-edu/"
_EXTENT_TEST = _KEYBOARD + "test_staging_calculator_extent_by_keyboard_for_head_and_neck_and_visceral"
_BOARD_TEST = _KEYBOARD + "test_tumour_board_case_worked_by_keyboard_in_jupyterlab"
_PREDICTION_TEST = _KEYBOARD + "test_prediction_answered_by_keyboard_reveals_the_calculator_only_afterwards"

PICTURES: dict[str, Picture] = {
    "staging-calculator.png": Picture(_KEYBOARD + "test_staging_calculator_by_keyboard", _STAGING),
    "staging-head-and-neck.png": Picture(_EXTENT_TEST, _STAGING),
    "staging-visceral.png": Picture(_EXTENT_TEST, _STAGING),
    "fnclcc-calculator.png": Picture(
        _KEYBOARD + "test_fnclcc_calculator_by_keyboard", ("sarcoma_edu/widgets/calculators.py",)
    ),
    "quiz.png": Picture(
        _KEYBOARD + "test_quiz_question_answered_by_keyboard_shows_feedback", ("sarcoma_edu/widgets/quiz.py",)
    ),
    "quiz-resumed.png": Picture(
        _KEYBOARD + "test_quiz_reopened_by_keyboard_welcomes_back_and_resumes", ("sarcoma_edu/widgets/quiz.py",)
    ),
    "planner-chemo-before.png": Picture(
        _KEYBOARD + "test_planner_chemotherapy_before_surgery_by_keyboard_draws_steps_in_order",
        ("sarcoma_edu/widgets/planner.py", *_PLAN),
    ),
    "exercise-before.png": Picture(_PREDICTION_TEST, ("sarcoma_edu/widgets/exercise.py",)),
    "exercise-after.png": Picture(_PREDICTION_TEST, ("sarcoma_edu/widgets/exercise.py", *_STAGING)),
    "staging-voila.png": Picture(
        "tests/browser/test_present.py::test_staging_lesson_in_voila_hides_code",
        (*_STAGING, _VOILA + "index.html.j2", _VOILA + "conf.json"),
    ),
    "tumour-board-step.png": Picture(_BOARD_TEST, ("sarcoma_edu/widgets/tumour_board.py",)),
    "tumour-board-summary.png": Picture(_BOARD_TEST, ("sarcoma_edu/widgets/tumour_board.py", *_PLAN)),
}


def _module_file(module: str) -> str | None:
    """The file of a ``sarcoma_edu`` module, relative to the repository (None when it is not one)."""
    base = ROOT / Path(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate.relative_to(ROOT).as_posix()
    return None


def _imported_files(path: str) -> set[str]:
    """The ``sarcoma_edu`` module files ``path`` imports anywhere in it (``from package import module`` too)."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        for name in names:
            if name.split(".")[0] == "sarcoma_edu" and (file := _module_file(name)):
                found.add(file)
    return found


def sources(name: str) -> list[str]:
    """The files whose code draws the picture ``name``: its own, then the drawing modules they import."""
    found = set(PICTURES[name].draws)
    waiting = [path for path in found if path.endswith(".py")]
    while waiting:
        for imported in _imported_files(waiting.pop()):
            if imported.startswith(_DRAWING) and not imported.endswith("__init__.py") and imported not in found:
                found.add(imported)
                waiting.append(imported)
    return sorted(found)


def file_hash(path: Path) -> str:
    """SHA-256 of a file; a text file is read with its line endings as ``\\n`` (a Windows checkout hashes the same)."""
    data = path.read_bytes()
    if path.suffix != ".png":
        data = data.replace(b"\r\n", b"\n")
    return hashlib.sha256(data).hexdigest()


def taken_from(picture: Path) -> dict:
    """What to record for a picture just saved: its own hash and the hash of each file that draws it now."""
    return {"picture": file_hash(picture), "sources": {path: file_hash(ROOT / path) for path in sources(picture.name)}}


def record(picture: Path) -> None:
    """Write into the record beside ``picture`` what it was taken from (two test workers may write at once)."""
    import fcntl  # the browser tests run on Linux (Debian's chromium)

    entry = taken_from(picture)
    with (picture.parent / RECORD).open("a+", encoding="utf-8") as file:
        fcntl.flock(file, fcntl.LOCK_EX)
        file.seek(0)
        text = file.read()
        pictures = json.loads(text) if text.strip() else {}
        pictures[picture.name] = entry
        file.seek(0)
        file.truncate()
        file.write(json.dumps(pictures, indent=2, sort_keys=True) + "\n")
        file.flush()


def picture_tests() -> list[str]:
    """The tests that take the README's pictures, each once: what `make screenshots` runs."""
    return sorted({picture.test for picture in PICTURES.values()})


if __name__ == "__main__":  # `make screenshots`: python -m tests.browser.pictures
    print("\n".join(picture_tests()))
