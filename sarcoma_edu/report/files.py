"""Reading a class's exports: files and folders, the student's name, merging, and skipping unusable files.

- **Inputs:** CSV from :meth:`ProgressStore.export_csv` or JSON from :meth:`ProgressStore.export_json`
  (``datasets/progress_exchange.schema.json``), given one by one or as folders, searched with their
  sub-folders (hidden ones left out) for ``*.csv`` and ``*.json``. Every attempt is checked with the
  exchange format's rules (:func:`sarcoma_edu.progress.exchange.attempt_problem`). A CSV cell the
  export protected with a leading apostrophe (a formula-like text) is read as the student's own text.
- **Progress files handed in by mistake** (``*.sqlite3``, ``*.sqlite``, ``*.db``) are read too,
  read-only (SQLite's ``immutable`` mode: the file is never changed, not even locked), when they
  are sarcoma-edu progress files (the rule of :mod:`sarcoma_edu.progress.schema`); another
  program's database or a damaged file is skipped with the reason.
- **Whose attempts:** the student's name is read from the file when it carries one (JSON: a
  top-level ``"student"`` text; CSV: a ``student`` column), otherwise from the file name: its name
  without the extension and without a leading ``results-`` or ``progress-`` (``results-ana.csv``
  is ana's). A progress file with its default name (``progress.sqlite3``) carries no name: it is
  the student of the folder it is in (``ana/progress.sqlite3`` is ana's), and is skipped when it
  lies directly in a folder given to the report. Two files with the same name are the same student.
- **Merging:** an attempt counts once, however many files hold it (same ``attempt_id``; the first
  file in sorted order keeps it). When the files holding it are two students' (one handed in the
  other's export, or a copy of it), it is counted once, for the student whose file comes first in
  sorted order, and a :class:`ReportWarning` names both students and how many attempts they share;
  the report lists them too.
- **Unusable files** (unreadable, not a progress export, an attempt breaking the exchange format,
  text that is not valid Unicode, a number too large for a float) are named and skipped with a
  :class:`ReportWarning`; the report is made from the rest.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import sqlite3
import urllib.parse
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sarcoma_edu.common import checks as _checks
from sarcoma_edu.progress import exchange
from sarcoma_edu.progress import schema as progress_schema

__all__ = [
    "ClassResults",
    "ReportWarning",
    "SharedAttempts",
    "SkippedFile",
    "pseudonym",
    "read_exports",
    "student_from_file_name",
]

COLUMNS = ("student", *exchange.FIELDS)
_PREFIXES = ("results-", "results_", "progress-", "progress_")
_EXPORTS = (".csv", ".json")
_DATABASES = (".sqlite3", ".sqlite", ".db")
_DEFAULT_NAME = "progress"  # the stem of the default progress file, which names no student
_LINK_NOWHERE = "it is a link that leads nowhere (to a missing file, or round in a loop)"
_SPACED_TIME = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2}) (?=[0-9])")
_TRUE, _FALSE = {"true", "1"}, {"false", "0"}


class ReportWarning(UserWarning):
    """A results file was skipped: the message names it and says why."""


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


def student_from_file_name(path: str | Path) -> str:
    """The student's name from a file name: ``results-ana.csv`` -> ``ana``; ``Ben Ode.json`` -> ``Ben Ode``."""
    stem = Path(path).stem.strip()
    for prefix in _PREFIXES:
        if stem.lower().startswith(prefix) and stem[len(prefix) :].strip():
            return stem[len(prefix) :].strip()
    return stem


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


def _real(path: Path) -> Path:
    """The file a path names, links followed; a link loop is left as it is (it is then skipped as unreadable)."""
    return Path(os.path.realpath(path))


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
                if p.suffix.lower() in (*_EXPORTS, *_DATABASES)
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            files.extend((p, path) for p in found if p.is_file())
            skipped.extend(SkippedFile(p, _LINK_NOWHERE) for p in found if not p.exists() and p.is_symlink())
        elif path.is_file():
            if path.suffix.lower() in (*_EXPORTS, *_DATABASES):
                files.append((path, None))
            else:
                skipped.append(SkippedFile(path, "it is not a .csv or .json progress export"))
        else:
            skipped.append(SkippedFile(path, _LINK_NOWHERE if path.is_symlink() else "there is no such file or folder"))
    unique = list({_real(p): (_real(p), root) for p, root in files}.values())
    return unique, skipped


def _text_answer(answer: object) -> str:
    return "; ".join(map(str, answer)) if isinstance(answer, list) else str(answer)


def _checked(rows: list[dict[str, object]], name: str, where: str) -> list[dict[str, object]]:
    """Check each attempt with the exchange format's rules; add the student; answers become text."""
    for index, row in enumerate(rows):
        problem = exchange.attempt_problem(row)
        if problem is not None:
            raise ValueError(f"{where} {index + (2 if where == 'row' else 0)}, field {problem[0]!r}: {problem[1]}")
        row["answer"] = _text_answer(row["answer"])
        row["student"] = name
    return rows


def _valid_name(name: object, what: str) -> None:
    if exchange._not_unicode(name):
        raise ValueError(f"its {what} {_checks.show(name)} holds text that is not valid Unicode (a lone surrogate)")


def _read_json(path: Path) -> list[dict[str, object]]:
    try:
        payload = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError, RecursionError) as error:
        reason = "it is nested too deeply" if isinstance(error, RecursionError) else error
        raise ValueError(f"it cannot be read as JSON ({reason})") from None
    if not isinstance(payload, dict) or payload.get("format") != exchange.FORMAT:
        raise ValueError(f"it is not a sarcoma-edu progress export (no field 'format' with {exchange.FORMAT!r})")
    if payload.get("version") not in exchange.VERSIONS or isinstance(payload.get("version"), bool):
        shown = _checks.show(payload.get("version"))
        readable = " and ".join(map(str, exchange.VERSIONS))
        raise ValueError(f"its field 'version' is {shown}; this sarcoma-edu reads versions {readable}")
    attempts = payload.get("attempts")
    if not isinstance(attempts, list) or not all(isinstance(a, dict) for a in attempts):
        raise ValueError("its field 'attempts' is not a list of attempts")
    student = payload.get("student")
    _valid_name(student, "field 'student'")
    name = student.strip() if isinstance(student, str) and student.strip() else student_from_file_name(path)
    return _checked(attempts, name, "attempt")


def _read_csv(path: Path) -> list[dict[str, object]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            rows = list(reader)
    except (OSError, ValueError, csv.Error) as error:
        raise ValueError(f"it cannot be read as CSV ({error})") from None
    missing = [c for c in exchange.FIELDS if c not in header]
    if missing:
        raise ValueError(f"it is not a progress export: no column {', '.join(map(repr, missing))}")
    by_file = student_from_file_name(path)
    out: list[dict[str, object]] = []
    names = []
    for index, row in enumerate(rows):
        if None in row or any(v is None for v in row.values()):
            raise ValueError(f"row {index + 2} does not have one value for each column")
        row = {key: exchange.csv_text(value) for key, value in row.items()}  # the export's apostrophes off
        _valid_name(row.get("student"), f"row {index + 2}, column 'student',")
        flag = row["correct"].strip().lower()
        names.append((row.get("student") or "").strip() or by_file)
        attempt = {f: row[f] for f in exchange.FIELDS}
        attempt["answered_at"] = _SPACED_TIME.sub(r"\1T", row["answered_at"].strip())  # export_csv writes a space
        attempt["correct"] = True if flag in _TRUE else False if flag in _FALSE else row["correct"]
        out.append(attempt)
    _checked(out, by_file, "row")
    for attempt, name in zip(out, names, strict=True):
        attempt["student"] = name
    return out


def _sqlite_student(path: Path, root: Path | None) -> str:
    """The student of a progress file: from its name, or, for the default name, from the folder it is in."""
    if path.stem.strip().lower() != _DEFAULT_NAME:
        return student_from_file_name(path)
    if root is not None and _real(path.parent) == _real(root):
        raise ValueError(
            "a progress file with the default name names no student; put it in a folder named after the student "
            "(ana/progress.sqlite3) or rename it (progress-ana.sqlite3), or better, hand in an export"
        )
    return path.parent.name


def _read_sqlite(path: Path, root: Path | None) -> list[dict[str, object]]:
    """The attempts of a progress file handed in by mistake, read-only; rows it cannot read are left out."""
    name = _sqlite_student(path, root)
    try:
        db = sqlite3.connect(f"file:{urllib.parse.quote(str(path))}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as error:
        raise ValueError(f"it cannot be opened as a SQLite database ({error})") from None
    try:
        reason = progress_schema.foreign_reason(db)
        if reason is not None:
            raise ValueError(f"it is not a sarcoma-edu progress file ({reason})")
        stored = progress_schema.stored_columns(db)
        if not stored:
            return []
        columns = ", ".join(c if c in stored else f"NULL AS {c}" for c in (*exchange.FIELDS, *exchange.OPTIONAL_FIELDS))
        rows = db.execute(f"SELECT {columns} FROM attempts ORDER BY rowid").fetchall()
    except sqlite3.DatabaseError as error:
        raise ValueError(
            f"it is a damaged progress file or not one (SQLite: {error}); the student can bring its answers back "
            "with 'sarcoma-edu progress recover' and hand in an export"
        ) from None
    finally:
        db.close()
    attempts, bad = [], 0
    for row in rows:
        attempt, _problem = exchange.attempt_from_row(row)
        if attempt is None:
            bad += 1
            continue
        attempt.pop("confidence", None)
        attempt["answer"] = _text_answer(attempt["answer"])
        attempt["student"] = name
        attempts.append(attempt)
    if bad:
        message = f"{path}: {bad} stored attempt(s) could not be read and were left out"
        warnings.warn(message, ReportWarning, stacklevel=4)
    return attempts


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
                _read_json(path)
                if suffix == ".json"
                else _read_csv(path)
                if suffix == ".csv"
                else _read_sqlite(path, root)
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
