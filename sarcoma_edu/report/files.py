"""A class's exports read and merged: files and folders, one table of attempts, shared and unusable files.

- **Inputs:** files given one by one or as folders, searched with their sub-folders (hidden ones
  left out) for ``*.csv`` and ``*.json`` exports and for progress files handed in by mistake
  (``*.sqlite3``, ``*.sqlite``, ``*.db``). Each is read, with its student's name, by
  :mod:`sarcoma_edu.report.student_file`. Two files with the same name are the same student.
- **Merging:** an attempt counts once, however many files hold it (same ``attempt_id``; the first
  file in sorted order keeps it). When the files holding it are two students' (one handed in the
  other's export, or a copy of it), it is counted once, for the student whose file comes first in
  sorted order, and a :class:`~sarcoma_edu.report.student_file.ReportWarning` names both students
  and how many attempts they share; the report lists them too.
- **Unusable files** (unreadable, not a progress export, an attempt breaking the exchange format,
  text that is not valid Unicode, a number too large for a float) are named and skipped with a
  :class:`~sarcoma_edu.report.student_file.ReportWarning`; the report is made from the rest. So are
  the zip archives and spreadsheets in a folder (a class's hand-ins downloaded as one zip, an export
  re-saved from a spreadsheet program), saying what to do, rather than passed over without a word;
  other files in a folder (notes, an earlier report) are left alone.
- **Names hidden:** with ``anonymise`` every student's name becomes a stable :func:`pseudonym`.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sarcoma_edu.common import checks as _checks
from sarcoma_edu.progress import exchange
from sarcoma_edu.report.student_file import (
    DATABASE_SUFFIXES,
    EXPORT_SUFFIXES,
    ReportWarning,
    read_csv_export,
    read_json_export,
    read_progress_file,
    real_path,
)

__all__ = ["ClassResults", "SharedAttempts", "SkippedFile", "pseudonym", "read_exports"]

COLUMNS = ("student", *exchange.FIELDS)
_LINK_NOWHERE = "it is a link that leads nowhere (to a missing file, or round in a loop)"
_SPREADSHEET = (
    "it is a spreadsheet, not an export: hand in the .csv or .json file as sarcoma-edu wrote it (a spreadsheet "
    "saved from it is not read)"
)
# files in a folder that are likely a student's results in a form the report does not read: named, not ignored
_NOT_READ = {
    ".zip": "it is a zip archive, which the report does not open: unzip it into the folder and run the report again",
    ".xlsx": _SPREADSHEET,
    ".xls": _SPREADSHEET,
    ".ods": _SPREADSHEET,
    ".numbers": _SPREADSHEET,
}


@dataclass(frozen=True)
class SkippedFile:
    """A file the report could not use, and why."""

    path: Path
    reason: str


@dataclass(frozen=True)
class SharedAttempts:
    """Attempts found in the files of more than one student, counted once for ``counted_for``.

    Attributes:
        students: the students whose files hold them (``counted_for`` first).
        files: those files.
        count: how many attempts they share.
    """

    students: tuple[str, ...]
    files: tuple[Path, ...]
    count: int

    @property
    def counted_for(self) -> str:
        """The student the attempts are credited to: the one whose file comes first in sorted order."""
        return self.students[0]

    def describe(self) -> str:
        """One sentence naming the students, the count and whom they were counted for."""
        others = " and ".join(self.students[1:])
        return (
            f"{self.count:,} attempt(s) of {self.counted_for} are also in the file(s) of {others}: each is counted "
            f"once, for {self.counted_for} (whose file comes first by name); check whether one handed in the "
            "other's export"
        )


@dataclass(frozen=True)
class ClassResults:
    """The merged attempts of a class.

    Attributes:
        attempts: one row per attempt: student, attempt_id, question_id, topic, answer (as text;
            several answers joined by "; "), correct (bool), answered_at (UTC time).
        files: the files whose attempts were used, in the order read.
        skipped: the files that could not be used, each with its reason.
        duplicates: attempts found again in another file (or twice in one) and counted once.
        shared: attempts found in more than one student's files, by group of students.
    """

    attempts: pd.DataFrame
    files: tuple[Path, ...]
    skipped: tuple[SkippedFile, ...] = ()
    duplicates: int = 0
    shared: tuple[SharedAttempts, ...] = ()

    def describe(self) -> str:
        """One sentence: how many files and attempts were used, and what was skipped."""
        students = self.attempts["student"].nunique()
        text = (
            f"Used {len(self.files)} file{'' if len(self.files) == 1 else 's'} with "
            f"{len(self.attempts):,} attempt{'' if len(self.attempts) == 1 else 's'} by {students} "
            f"student{'' if students == 1 else 's'}"
        )
        if self.duplicates:
            text += f"; {self.duplicates:,} attempt(s) found in more than one file were counted once"
        if self.shared:
            count = sum(s.count for s in self.shared)
            text += f" ({count:,} of them in the files of two or more students)"
        if self.skipped:
            text += f"; {len(self.skipped)} file(s) skipped"
        return text + "."


def pseudonym(name: str, digits: int = 6) -> str:
    """A stable pseudonym for a student's name, e.g. ``Student 7F3A9C``: the same name always gives the same one.

    The code is the start of the SHA-256 of the name (spaces at either end removed, case kept).
    It hides names from a reader of the report, not from someone who holds the class list and
    can hash its names.
    """
    if not isinstance(name, str):
        raise TypeError(f"name={_checks.show(name)} is not a string")
    return "Student " + hashlib.sha256(name.strip().encode("utf-8")).hexdigest()[:digits].upper()


def _pseudonyms(names: Iterable[str]) -> dict[str, str]:
    """Pseudonyms for a class; names whose short codes collide get longer codes (so no two students merge)."""
    names = sorted(set(names))
    short = {n: pseudonym(n) for n in names}
    taken = pd.Series(list(short.values())).value_counts()
    return {n: (pseudonym(n, 16) if taken[p] > 1 else p) for n, p in short.items()}


def _not_read(folder: Path) -> list[Path]:
    """The zip archives and spreadsheets in a folder and its sub-folders (hidden ones left out), sorted."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.suffix.lower() in _NOT_READ
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        and p.is_file()
    )


def _input_files(paths: Sequence[str | Path]) -> tuple[list[tuple[Path, Path | None]], list[SkippedFile]]:
    """Each file to read with the folder given that held it (None when the file was given itself), and skips."""
    files: list[tuple[Path, Path | None]] = []
    skipped = []
    for item in paths:
        path = Path(item).expanduser()
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in (*EXPORT_SUFFIXES, *DATABASE_SUFFIXES)
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            files.extend((p, path) for p in found if p.is_file())
            skipped.extend(SkippedFile(p, _LINK_NOWHERE) for p in found if not p.exists() and p.is_symlink())
            skipped.extend(SkippedFile(p, _NOT_READ[p.suffix.lower()]) for p in _not_read(path))
        elif path.is_file():
            if path.suffix.lower() in (*EXPORT_SUFFIXES, *DATABASE_SUFFIXES):
                files.append((path, None))
            else:
                reason = _NOT_READ.get(path.suffix.lower(), "it is not a .csv or .json progress export")
                skipped.append(SkippedFile(path, reason))
        else:
            skipped.append(SkippedFile(path, _LINK_NOWHERE if path.is_symlink() else "there is no such file or folder"))
    unique = list({real_path(p): (real_path(p), root) for p, root in files}.values())
    return unique, skipped


def _shared(attempts: pd.DataFrame, files: list[Path]) -> list[tuple[tuple[str, ...], tuple[Path, ...], int]]:
    """Groups of students whose files hold the same attempts (students in file order), with their files and count."""
    owners = attempts.groupby("attempt_id", sort=False)["student"].agg(lambda s: tuple(dict.fromkeys(s)))
    owners = owners[owners.map(len) > 1]
    if owners.empty:
        return []
    where = attempts.drop_duplicates(["student", "_file"]).groupby("student", sort=False)["_file"].agg(tuple)
    groups = owners.value_counts(sort=False)
    return [(group, tuple(files[i] for s in group for i in where[s]), int(n)) for group, n in groups.items()]


def read_exports(paths: str | Path | Sequence[str | Path], *, anonymise: bool = False) -> ClassResults:
    """Read and merge students' exports (files or folders of CSV and JSON files).

    Args:
        paths: a file or folder, or a list of them.
        anonymise: replace each student's name by :func:`pseudonym` before anything else sees it.

    Returns:
        The merged attempts, the files used and the files skipped (each also a :class:`ReportWarning`).

    Raises:
        TypeError: ``paths`` is not a path or a list of paths.
        ValueError: no file could be used (none found, or every one skipped).
    """
    items = [paths] if isinstance(paths, str | Path) else paths
    if not isinstance(items, Sequence) or not all(isinstance(p, str | Path) for p in items):
        raise TypeError(f"paths={_checks.show(paths)} is not a file or folder path or a list of them")
    files, skipped = _input_files(list(items))
    rows: list[dict[str, object]] = []
    used: list[Path] = []
    for path, root in files:
        suffix = path.suffix.lower()
        try:
            found = (
                read_json_export(path)
                if suffix == ".json"
                else read_csv_export(path)
                if suffix == ".csv"
                else read_progress_file(path, root)
            )
        except ValueError as error:
            skipped.append(SkippedFile(path, str(error)))
            continue
        for row in found:
            row["_file"] = len(used)
        rows.extend(found)
        used.append(path)
    for item in skipped:
        warnings.warn(f"skipped {item.path}: {item.reason}", ReportWarning, stacklevel=2)
    if not used:
        given = ", ".join(str(p) for p in items) or "nothing"
        found = f"{len(files)} file(s) found, none usable" if files else "no .csv or .json file found"
        if skipped:
            more = f" and {len(skipped) - 1} more" if len(skipped) > 1 else ""
            found += f" ({skipped[0].path}: {skipped[0].reason}{more})"
        raise ValueError(f"paths={given!r}: {found}; give students' progress exports (CSV or JSON) or their folders")
    attempts = pd.DataFrame.from_records(rows, columns=[*COLUMNS, "_file"])
    attempts["answered_at"] = pd.to_datetime(attempts["answered_at"], utc=True, format="ISO8601")
    attempts["correct"] = attempts["correct"].astype(bool)
    shared = _shared(attempts, used)
    for students, holding, count in shared:
        listed = ", ".join(str(p) for p in holding)
        warnings.warn(
            f"{SharedAttempts(students, holding, count).describe()} (files: {listed})", ReportWarning, stacklevel=2
        )
    before = len(attempts)
    attempts = attempts.drop_duplicates("attempt_id", keep="first").drop(columns="_file").reset_index(drop=True)
    if anonymise:
        names = _pseudonyms(attempts["student"].tolist() + [s for group, _, _ in shared for s in group])
        attempts["student"] = attempts["student"].map(names)
        shared = [(tuple(names[s] for s in group), holding, count) for group, holding, count in shared]
    groups = tuple(SharedAttempts(*group) for group in shared)
    return ClassResults(attempts, tuple(used), tuple(skipped), before - len(attempts), groups)
