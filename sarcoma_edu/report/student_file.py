"""One student's file read as attempts: a JSON or CSV progress export, or a progress file handed in by mistake.

- **Exports:** CSV from :meth:`ProgressStore.export_csv <sarcoma_edu.progress.store.ProgressStore.export_csv>`
  or JSON from :meth:`~sarcoma_edu.progress.store.ProgressStore.export_json`
  (``datasets/progress_exchange.schema.json``). Every attempt is checked with the exchange format's rules
  (:func:`sarcoma_edu.progress.exchange.attempt_problem`). A CSV cell the export protected with a leading
  apostrophe (a formula-like text) is read as the student's own text.
- **Progress files handed in by mistake** (``*.sqlite3``, ``*.sqlite``, ``*.db``) are read too,
  read-only (SQLite's ``immutable`` mode: the file is never changed, not even locked), when they
  are sarcoma-edu progress files (the rule of :mod:`sarcoma_edu.progress.schema`); another
  program's database or a damaged file is refused with the reason. When SQLite's own files lie
  beside it (``-wal``: answers not yet moved into the file, as an older sarcoma-edu or a copy taken
  while the lesson was open leaves them; ``-journal``: a write cut short), the file and those are
  copied into a private temporary folder and the copy is opened, so SQLite replays or rolls them
  back there: every saved answer is read, and the handed-in files stay byte for byte.
- **Whose attempts:** the student's name is read from the file when it carries one (JSON: a
  top-level ``"student"`` text; CSV: a ``student`` column), otherwise from the file name: its name
  without the extension and without a leading ``results-`` or ``progress-`` (``results-ana.csv``
  is ana's). A progress file with its default name (``progress.sqlite3``) carries no name: it is
  the student of the folder it is in (``ana/progress.sqlite3`` is ana's), and is refused when it
  lies directly in a folder given to the report.

A file that cannot be used raises ``ValueError`` saying why (unreadable, not a progress export, an
attempt breaking the exchange format, text that is not valid Unicode, a number too large for a float);
:func:`sarcoma_edu.report.files.read_exports` then skips it with a :class:`ReportWarning`.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import sqlite3
import tempfile
import urllib.parse
import warnings
from pathlib import Path

from sarcoma_edu.common import checks as _checks
from sarcoma_edu.progress import exchange
from sarcoma_edu.progress import schema as progress_schema

__all__ = [
    "DATABASE_SUFFIXES",
    "EXPORT_SUFFIXES",
    "ReportWarning",
    "read_csv_export",
    "read_json_export",
    "read_progress_file",
    "real_path",
    "student_from_file_name",
]

EXPORT_SUFFIXES = (".csv", ".json")
DATABASE_SUFFIXES = (".sqlite3", ".sqlite", ".db")
_PREFIXES = ("results-", "results_", "progress-", "progress_")
_DEFAULT_NAME = "progress"  # the stem of the default progress file, which names no student
_SPACED_TIME = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2}) (?=[0-9])")
_TRUE, _FALSE = {"true", "1"}, {"false", "0"}
_COMPANIONS = ("-wal", "-journal")  # SQLite's files beside a database that hold part of what it says


class ReportWarning(UserWarning):
    """A results file was skipped: the message names it and says why."""


def student_from_file_name(path: str | Path) -> str:
    """The student's name from a file name: ``results-ana.csv`` -> ``ana``; ``Ben Ode.json`` -> ``Ben Ode``."""
    stem = Path(path).stem.strip()
    for prefix in _PREFIXES:
        if stem.lower().startswith(prefix) and stem[len(prefix) :].strip():
            return stem[len(prefix) :].strip()
    return stem


def real_path(path: Path) -> Path:
    """The file a path names, links followed; a link loop is left as it is (it is then skipped as unreadable)."""
    return Path(os.path.realpath(path))


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


def _reason(error: Exception) -> str:
    """Why a file could not be read, in words: text in another encoding is said so, with where."""
    if isinstance(error, UnicodeDecodeError):
        return (
            f"byte {error.object[error.start]:#04x} at position {error.start:,} is not UTF-8 text; it may have "
            "been saved in another encoding or changed after it was exported"
        )
    return str(error.strerror if isinstance(error, OSError) and error.strerror else error)


def read_json_export(path: Path) -> list[dict[str, object]]:
    """The attempts of a JSON export, each with its student (answers as text); ValueError says why not."""
    try:
        payload = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError, RecursionError) as error:
        reason = "it is nested too deeply" if isinstance(error, RecursionError) else _reason(error)
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
    if student is not None and not isinstance(student, str):  # said, not silently replaced by the file's name
        shown = _checks.show(student)
        message = f"{path}: its field 'student' is {shown}, not a name; its attempts are {name}'s, from the file name"
        warnings.warn(message, ReportWarning, stacklevel=3)
    return _checked(attempts, name, "attempt")


def read_csv_export(path: Path) -> list[dict[str, object]]:
    """The attempts of a CSV export, each with its student (the export's apostrophes off); ValueError says why not."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            rows = list(reader)
    except (OSError, ValueError, csv.Error) as error:
        raise ValueError(f"it cannot be read as CSV ({_reason(error)})") from None
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
    if root is not None and real_path(path.parent) == real_path(root):
        raise ValueError(
            "a progress file with the default name names no student; put it in a folder named after the student "
            "(ana/progress.sqlite3) or rename it (progress-ana.sqlite3), or better, hand in an export"
        )
    return path.parent.name


def _private_copy(path: Path, companions: list[str], folder: str) -> Path:
    """Copy a progress file and its SQLite companions (``-wal``, ``-journal``) into ``folder``; return the copy."""
    copy = Path(folder) / "progress.sqlite3"
    try:
        for suffix in ("", *companions):
            shutil.copyfile(f"{path}{suffix}", f"{copy}{suffix}")
    except OSError as error:
        raise ValueError(f"it cannot be read ({error.strerror or error})") from None
    return copy


def _stored_rows(uri: str) -> list[tuple]:
    """The attempts in the SQLite file at ``uri``, in the exchange format's columns; ValueError says why not."""
    try:
        db = sqlite3.connect(uri, uri=True)
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
        return db.execute(f"SELECT {columns} FROM attempts ORDER BY rowid").fetchall()
    except sqlite3.DatabaseError as error:
        raise ValueError(
            f"it is a damaged progress file or not one (SQLite: {error}); the student can bring its answers back "
            "with 'sarcoma-edu progress recover' and hand in an export"
        ) from None
    finally:
        db.close()


def read_progress_file(path: Path, root: Path | None) -> list[dict[str, object]]:
    """The attempts of a progress file handed in by mistake, read-only; rows it cannot read are left out.

    ``root`` is the folder given to the report that held it (None when the file was given itself): a
    progress file with the default name directly in it names no student and is refused.
    """
    name = _sqlite_student(path, root)
    companions = [suffix for suffix in _COMPANIONS if os.path.isfile(f"{path}{suffix}")]
    if companions:
        with tempfile.TemporaryDirectory() as folder:  # private (0700), removed with the copy
            rows = _stored_rows(f"file:{urllib.parse.quote(str(_private_copy(path, companions, folder)))}")
    else:
        rows = _stored_rows(f"file:{urllib.parse.quote(str(path))}?mode=ro&immutable=1")
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
