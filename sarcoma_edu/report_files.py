"""Reading a class's exports: files and folders, the student's name, merging, and skipping unusable files.

- **Inputs:** CSV from :meth:`ProgressStore.export_csv` or JSON from :meth:`ProgressStore.export_json`
  (``datasets/progress_exchange.schema.json``), given one by one or as folders, searched with their
  sub-folders (hidden ones left out) for ``*.csv`` and ``*.json``. Every attempt is checked with the
  exchange format's rules (:func:`sarcoma_edu.progress_exchange.attempt_problem`).
- **Whose attempts:** the student's name is read from the file when it carries one (JSON: a
  top-level ``"student"`` text; CSV: a ``student`` column), otherwise from the file name: its name
  without the extension and without a leading ``results-`` or ``progress-`` (``results-ana.csv``
  is ana's). Two files with the same name are the same student.
- **Merging:** an attempt counts once, however many files hold it (same ``attempt_id``; the first
  file in sorted order keeps it).
- **Unusable files** (unreadable, not a progress export, an attempt breaking the exchange format)
  are named and skipped with a :class:`ReportWarning`.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sarcoma_edu import _checks
from sarcoma_edu import progress_exchange as exchange

__all__ = ["ClassResults", "ReportWarning", "SkippedFile", "pseudonym", "read_exports", "student_from_file_name"]

COLUMNS = ("student", *exchange.FIELDS)
_PREFIXES = ("results-", "results_", "progress-", "progress_")
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
class ClassResults:
    """The merged attempts of a class.

    Attributes:
        attempts: one row per attempt: student, attempt_id, question_id, topic, answer (as text;
            several answers joined by "; "), correct (bool), answered_at (UTC time).
        files: the files whose attempts were used, in the order read.
        skipped: the files that could not be used, each with its reason.
        duplicates: attempts found again in another file (or twice in one) and counted once.
    """

    attempts: pd.DataFrame
    files: tuple[Path, ...]
    skipped: tuple[SkippedFile, ...] = ()
    duplicates: int = 0

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


def _input_files(paths: Sequence[str | Path]) -> tuple[list[Path], list[SkippedFile]]:
    files, skipped = [], []
    for item in paths:
        path = Path(item).expanduser()
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in (".csv", ".json")
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            files.extend(found)
        elif path.is_file():
            if path.suffix.lower() in (".csv", ".json"):
                files.append(path)
            else:
                skipped.append(SkippedFile(path, "it is not a .csv or .json progress export"))
        else:
            skipped.append(SkippedFile(path, "there is no such file or folder"))
    unique = list(dict.fromkeys(p.resolve() for p in files))
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
    used = []
    for path in files:
        try:
            rows.extend(_read_json(path) if path.suffix.lower() == ".json" else _read_csv(path))
        except ValueError as error:
            skipped.append(SkippedFile(path, str(error)))
            continue
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
    attempts = pd.DataFrame.from_records(rows, columns=list(COLUMNS))
    attempts["answered_at"] = pd.to_datetime(attempts["answered_at"], utc=True, format="ISO8601")
    attempts["correct"] = attempts["correct"].astype(bool)
    before = len(attempts)
    attempts = attempts.drop_duplicates("attempt_id", keep="first").reset_index(drop=True)
    if anonymise:
        attempts["student"] = attempts["student"].map(_pseudonyms(attempts["student"]))
    return ClassResults(attempts, tuple(used), tuple(skipped), before - len(attempts))
