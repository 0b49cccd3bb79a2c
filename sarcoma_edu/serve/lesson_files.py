"""The lesson files and a student's own copy of them: where they are, finding one, copying them safely.

The lessons ship inside the package (``sarcoma_edu/notebooks`` in an installed copy, ``notebooks/``
in a clone). :func:`resolve` finds one by number, name or path (for ``sarcoma-edu present``);
:func:`copy_lessons` copies them to a folder of the student's choosing (``sarcoma-edu lab``) and never
replaces a copy the student has edited unless asked (the example quiz banks go along, into
``example_banks/``). A copy that was only run and saved is not an edited one; saved with its outputs (as
releases before the lab's save-without-outputs did), it is replaced by a clean copy, so it does not reopen
with "Error displaying widget: model not found" in every widget's place.
"""

from __future__ import annotations

import filecmp
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from sarcoma_edu.clinical.tables import _datasets_root
from sarcoma_edu.common import atomic as _atomic
from sarcoma_edu.common import checks as _checks
from sarcoma_edu.course.banks import bank_paths

__all__ = ["BANKS_FOLDER", "CopyReport", "copy_lessons", "example_banks", "lessons_dir", "list_lessons", "resolve"]

# the folder, next to the lessons in a student's copy, holding the example quiz banks and their schema
BANKS_FOLDER = "example_banks"


def lessons_dir() -> Path:
    """The folder holding the lessons: bundled in the package, or ``notebooks/`` of a clone."""
    bundled = Path(str(resources.files("sarcoma_edu") / "notebooks"))
    if bundled.is_dir():
        return bundled
    return Path(__file__).resolve().parents[2] / "notebooks"


def list_lessons(folder: str | Path | None = None) -> list[str]:
    """File names of the numbered lessons, in order (``00_welcome.ipynb`` ...), bundled or in ``folder``."""
    where = lessons_dir() if folder is None else Path(folder).expanduser()
    return sorted(p.name for p in where.glob("[0-9][0-9]_*.ipynb") if p.is_file())


def example_banks() -> list[Path]:
    """The built-in quiz banks and their JSON Schema: the examples copied into ``example_banks/``."""
    return [*bank_paths(), Path(str(_datasets_root() / "quiz" / "quiz_bank.schema.json"))]


def resolve(lesson: str, folder: str | Path | None = None) -> Path:
    """Find a notebook: a path to a ``.ipynb`` file, or a lesson by number (``"03"``, ``"3"``), name
    (``"03_staging"``, ``"staging"``) or file name, in ``folder`` (e.g. the copy ``lab --dir`` made)
    or, without ``folder``, among the bundled lessons.

    Raises:
        TypeError: ``lesson`` is not a non-empty string.
        ValueError: no such file, or no lesson or more than one matches, naming the lessons there are.
    """
    where = lessons_dir() if folder is None else Path(folder).expanduser()
    names = list_lessons(where) if where.is_dir() else []
    shown = ", ".join(n.removesuffix(".ipynb") for n in names) or "none"
    allowed = f"a path to a .ipynb file, or a lesson number or name in {where}: {shown}"
    if not isinstance(lesson, str) or not lesson.strip():
        raise TypeError(f"lesson={_checks.show(lesson)} is not a lesson name; expected {allowed}")
    if folder is not None and not where.is_dir():
        raise ValueError(f"folder={str(folder)!r} is not a folder; give the folder 'sarcoma-edu lab --dir' made")
    given = Path(lesson.strip()).expanduser()
    path = where / given if folder is not None and not given.is_absolute() else given
    if path.suffix == ".ipynb" and path.is_file():
        return path.resolve()
    # a path (not a bare lesson name) that is not a notebook file
    if len(given.parts) > 1 or (path.suffix == ".ipynb" and path.exists()):
        what = "is not a .ipynb notebook file" if path.exists() else "no such notebook file"
        raise ValueError(f"lesson={lesson!r}: {what}; expected {allowed}")
    key = lesson.strip().removesuffix(".ipynb").lower()
    if key.isdigit():
        key = f"{int(key):02d}"
    matches = [n for n in names if n.removesuffix(".ipynb") == key or n[:2] == key]
    matches = matches or [n for n in names if key in n.removesuffix(".ipynb")]
    if len(matches) != 1:
        found = "matches none" if not matches else f"matches {len(matches)}"
        raise ValueError(f"lesson={lesson!r} {found} of the lessons; expected {allowed}")
    return where / matches[0]


@dataclass
class CopyReport:
    """What :func:`copy_lessons` did with each lesson."""

    folder: Path
    copied: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    cleared: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """A few lines for the terminal."""
        lines = [f"Lessons folder: {self.folder}"]
        for label, names in (
            ("copied", self.copied),
            ("already up to date", self.unchanged),
            ("outputs saved by an earlier run cleared (Run All brings them back)", self.cleared),
            ("replaced with a fresh copy (yours was backed up next to it)", self.replaced),
            ("kept as you edited them", self.kept),
        ):
            if names:
                lines.append(f"  {label}: {', '.join(names)}")
        return "\n".join(lines)


def copy_lessons(folder: str | Path, replace_edited: Callable[[Path], bool] | None = None) -> CopyReport:
    """Copy the lessons into ``folder``, never losing a student's edited copy.

    The example quiz banks and their schema go along into ``example_banks/``, under the same rule.

    Args:
        folder: where to put them (created if missing); not empty.
        replace_edited: called with the path of each file the student has changed; return True to
            replace it with a fresh copy (the edited one is first saved as ``<name>.edited-<n><suffix>``).
            None keeps every edited copy.
    """
    if not isinstance(folder, str | Path):
        raise TypeError(f"folder={_checks.show(folder)} is not a str or pathlib.Path")
    if not str(folder).strip():
        raise ValueError(f"folder={str(folder)!r} is empty; give a folder for the lessons, e.g. ~/sarcoma-edu-lessons")
    target = Path(folder).expanduser()
    if target.exists() and not target.is_dir():
        raise ValueError(f"folder={str(target)!r} is a file, not a folder; choose a folder for the lessons")
    banks = target / BANKS_FOLDER
    if banks.exists() and not banks.is_dir():
        raise ValueError(f"{str(banks)!r} is a file, not a folder; move it so the example banks can be copied")
    banks.mkdir(parents=True, exist_ok=True)
    report = CopyReport(target)
    files = [(lessons_dir() / name, name) for name in list_lessons()]
    files += [(path, f"{BANKS_FOLDER}/{path.name}") for path in example_banks()]
    for source, name in files:
        copy = target / name
        if not copy.exists():
            _atomic.copy_file(source, copy)
            report.copied.append(name)
        elif filecmp.cmp(source, copy, shallow=False):
            report.unchanged.append(name)
        elif (same := _same_cells(source, copy)) is not None:
            if same.ran:  # only run, and saved with outputs (an older release): they would reopen as "model not found"
                _atomic.copy_file(source, copy)
                report.cleared.append(name)
            else:
                report.unchanged.append(name)
        elif replace_edited is not None and replace_edited(copy):
            number = 1
            while (backup := copy.with_name(f"{copy.stem}.edited-{number}{copy.suffix}")).exists():
                number += 1
            _atomic.copy_file(copy, backup)
            _atomic.copy_file(source, copy)  # a failure half-way leaves the student's copy as it was
            report.replaced.append(name)
        else:
            report.kept.append(name)
    return report


@dataclass(frozen=True)
class _Same:
    """A copy holding the lesson's cells word for word; ``ran``: it was saved with outputs or widget state."""

    ran: bool


def _same_cells(source: Path, copy: Path) -> _Same | None:
    """Whether two notebooks hold the same cells, word for word: a copy that was only run and saved (outputs,
    execution counts, metadata) is not a copy the student edited. None when they differ."""
    if source.suffix != ".ipynb":
        return None
    mine, lesson = _cells(copy), _cells(source)
    if mine is None or lesson is None or mine[0] != lesson[0]:
        return None
    return _Same(ran=mine[1])


def _cells(path: Path) -> tuple[list[tuple[str, str]], bool] | None:
    """A notebook's cells (type, text) and whether it was saved with outputs or widget state; None if unreadable."""
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        cells = [(c["cell_type"], "".join(c["source"])) for c in notebook["cells"]]
        ran = "widgets" in notebook.get("metadata", {}) or any(c.get("outputs") for c in notebook["cells"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return cells, ran
