"""Serving the lessons: a student's own copy in JupyterLab, or one lesson in Voila for the projector.

The lessons ship inside the package (``sarcoma_edu/notebooks`` in an installed copy, ``notebooks/``
in a clone). :func:`copy_lessons` copies them to a folder of the student's choosing and never
replaces a copy the student has edited unless asked; :func:`lab_command` and
:func:`present_command` build the commands ``sarcoma-edu lab`` and ``sarcoma-edu present`` run.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from sarcoma_edu import _checks

__all__ = ["CopyReport", "copy_lessons", "lab_command", "lessons_dir", "list_lessons", "present_command", "resolve"]


def lessons_dir() -> Path:
    """The folder holding the lessons: bundled in the package, or ``notebooks/`` of a clone."""
    bundled = Path(str(resources.files("sarcoma_edu") / "notebooks"))
    if bundled.is_dir():
        return bundled
    return Path(__file__).resolve().parent.parent / "notebooks"


def list_lessons() -> list[str]:
    """File names of the numbered lessons, in order (``00_welcome.ipynb`` ...)."""
    return sorted(p.name for p in lessons_dir().glob("[0-9][0-9]_*.ipynb"))


def resolve(lesson: str) -> Path:
    """Find a lesson by number (``"03"``, ``"3"``), name (``"03_staging"``, ``"staging"``) or file name.

    Raises:
        ValueError: no lesson or more than one matches, naming the lessons there are.
    """
    if not isinstance(lesson, str) or not lesson.strip():
        raise TypeError(f"lesson={_checks.show(lesson)} is not a lesson name; expected one of {list_lessons()}")
    key = lesson.strip().removesuffix(".ipynb").lower()
    if key.isdigit():
        key = f"{int(key):02d}"
    names = list_lessons()
    matches = [n for n in names if n.removesuffix(".ipynb") == key or n[:2] == key]
    matches = matches or [n for n in names if key in n.removesuffix(".ipynb")]
    if len(matches) != 1:
        found = "matches none" if not matches else f"matches {len(matches)}"
        shown = ", ".join(n.removesuffix(".ipynb") for n in names)
        raise ValueError(f"lesson={lesson!r} {found} of the lessons; expected a number or a name: {shown}")
    return lessons_dir() / matches[0]


@dataclass
class CopyReport:
    """What :func:`copy_lessons` did with each lesson."""

    folder: Path
    copied: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """A few lines for the terminal."""
        lines = [f"Lessons folder: {self.folder}"]
        for label, names in (
            ("copied", self.copied),
            ("already up to date", self.unchanged),
            ("replaced with a fresh copy (yours was backed up next to it)", self.replaced),
            ("kept as you edited them", self.kept),
        ):
            if names:
                lines.append(f"  {label}: {', '.join(names)}")
        return "\n".join(lines)


def copy_lessons(folder: str | Path, replace_edited: Callable[[Path], bool] | None = None) -> CopyReport:
    """Copy the lessons into ``folder``, never losing a student's edited copy.

    Args:
        folder: where to put them (created if missing).
        replace_edited: called with the path of each lesson the student has changed; return True to
            replace it with a fresh copy (the edited one is first saved as ``<name>.edited-<n>.ipynb``).
            None keeps every edited copy.
    """
    if not isinstance(folder, str | Path):
        raise TypeError(f"folder={_checks.show(folder)} is not a str or pathlib.Path")
    target = Path(folder).expanduser()
    if target.exists() and not target.is_dir():
        raise ValueError(f"folder={str(target)!r} is a file, not a folder; choose a folder for the lessons")
    target.mkdir(parents=True, exist_ok=True)
    report = CopyReport(target)
    for name in list_lessons():
        source, copy = lessons_dir() / name, target / name
        if not copy.exists():
            shutil.copyfile(source, copy)
            report.copied.append(name)
        elif filecmp.cmp(source, copy, shallow=False):
            report.unchanged.append(name)
        elif replace_edited is not None and replace_edited(copy):
            number = 1
            while (backup := copy.with_name(f"{copy.stem}.edited-{number}.ipynb")).exists():
                number += 1
            shutil.copyfile(copy, backup)
            shutil.copyfile(source, copy)
            report.replaced.append(name)
        else:
            report.kept.append(name)
    return report


def _root_flag() -> list[str]:
    return ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []


def lab_command(folder: Path, port: int | None = None, browser: bool = True) -> list[str]:
    """The command that opens JupyterLab on ``folder`` at the welcome lesson."""
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}"]
    command += ["--LabApp.default_url=/lab/tree/00_welcome.ipynb", *_root_flag()]
    command += [f"--ServerApp.port={port}"] if port else []
    return command + ([] if browser else ["--no-browser"])


def present_command(lesson: Path, dark: bool = False, port: int | None = None, browser: bool = True) -> list[str]:
    """The command that serves one lesson in Voila: outputs only, no code, optionally dark."""
    command = [sys.executable, "-m", "voila", str(lesson), "--strip_sources=True"]
    command += ["--theme=dark"] if dark else []
    command += [f"--port={port}"] if port else []
    return command + ([] if browser else ["--no-browser"])
