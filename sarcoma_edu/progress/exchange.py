"""What a quiz attempt may be: the progress exchange format and the checks on every stored row.

The exchange format (what :meth:`ProgressStore.export_json` writes and :meth:`ProgressStore.import_json`
reads) is defined by the JSON Schema ``datasets/progress_exchange.schema.json``. A whole file is
validated against it with ``jsonschema`` before anything is stored. Rows read back from the
SQLite file (which an older version may have written) and attempts about to be recorded are checked
by :func:`attempt_problem`, which follows the same schema (its topics are read from it) without the
cost of importing ``jsonschema`` in every lesson.

Version 2 of the format (written now) may give an attempt the student's ``confidence`` ("sure",
"unsure" or "guessed", left out when not given); version 1 files (written before the spaced review)
have none. Both versions are read.

Beyond the schema: every text must be valid Unicode (no lone surrogate such as ``"\\ud800"``, which
no file can hold as UTF-8), a number must fit a float, and ``answered_at`` must fall in the years
2000 to 2199 (:data:`EARLIEST`, :data:`LATEST`), the dates the quiz and the class report can
compute with. An import (:meth:`ProgressStore.import_json`) also refuses an attempt dated more than
:data:`FUTURE_MARGIN` after now.

In a CSV export (:meth:`ProgressStore.export_csv`) a text that a spreadsheet would run as a formula
is written with a leading apostrophe (:func:`csv_cell`); :func:`csv_text` takes it off again.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sarcoma_edu.clinical.tables import dataset_path
from sarcoma_edu.common import checks as _checks

__all__ = [
    "CONFIDENCE",
    "EARLIEST",
    "FIELDS",
    "FORMAT",
    "FUTURE_MARGIN",
    "LATEST",
    "OPTIONAL_FIELDS",
    "SCHEMA_NAME",
    "VERSION",
    "VERSIONS",
    "attempt_from_row",
    "attempt_problem",
    "csv_cell",
    "csv_text",
    "known_topics",
    "load_schema",
    "rows_from_export",
]

SCHEMA_NAME = "progress_exchange.schema.json"
FORMAT = "sarcoma-edu-progress"
VERSION = 2  # what export_json writes
VERSIONS = (1, 2)  # what import_json reads
FIELDS = ("attempt_id", "question_id", "topic", "answer", "correct", "answered_at")
OPTIONAL_FIELDS = ("confidence",)  # version 2 only; left out when the student did not say
CONFIDENCE = ("sure", "unsure", "guessed")
# the dates an attempt may carry: what the review's and the report's date arithmetic handle
EARLIEST, LATEST = datetime(2000, 1, 1, tzinfo=UTC), datetime(2200, 1, 1, tzinfo=UTC)
# an import may be this far ahead of this computer's clock (another computer's clock may be a little fast)
FUTURE_MARGIN = timedelta(days=1)
# cells a spreadsheet reads as a formula, and text that is a plain number (which it reads as one)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_REASONS = {
    "attempt_id": "must be a non-empty text",
    "question_id": "must be a non-empty text",
    "answer": "must be a text, a number or a list of texts",
    "correct": "must be true or false",
    "answered_at": "must be an ISO 8601 date and time with its time zone, e.g. 2026-03-02T14:05:09.120+00:00",
    "confidence": f"must be one of {', '.join(map(repr, CONFIDENCE))}, or left out",
}


@functools.cache
def load_schema() -> dict[str, Any]:
    """The exchange format's JSON Schema, read once from ``datasets/progress_exchange.schema.json``."""
    return json.loads(dataset_path(SCHEMA_NAME).read_text(encoding="utf-8"))


@functools.cache
def known_topics() -> tuple[str, ...]:
    """The topics an attempt may carry: the quiz topics and "" (no topic), as the schema lists them."""
    return tuple(load_schema()["$defs"]["attempt"]["properties"]["topic"]["enum"])


@functools.cache
def _time_pattern() -> re.Pattern[str]:
    return re.compile(load_schema()["$defs"]["attempt"]["properties"]["answered_at"]["pattern"])


def _reason(field: str) -> str:
    if field == "topic":
        topics = ", ".join(repr(t) for t in known_topics())
        return f"must be one of the quiz topics ({topics})"
    return _REASONS.get(field, "is not allowed")


def _is_number(value: object) -> bool:
    """A finite number a float can hold (a whole number with 400 digits is not one)."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _time(value: object) -> datetime | None:
    if not isinstance(value, str) or not _time_pattern().match(value):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _is_time(value: object) -> bool:
    return _time(value) is not None


def _not_unicode(value: object) -> bool:
    """Text holding a lone surrogate (``"\\ud800"`` in JSON): no UTF-8 file or SQLite text can hold it."""
    if isinstance(value, list):
        return any(map(_not_unicode, value))
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def csv_cell(text: str) -> str:
    """``text`` as a CSV cell a spreadsheet shows and never runs: a leading apostrophe before a formula.

    A text beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (unless it is a plain
    number such as ``-5``), or already with an apostrophe, gets one more apostrophe in front.
    """
    if text.startswith("'") or (text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(text)):
        return "'" + text
    return text


def csv_text(cell: str) -> str:
    """The text :func:`csv_cell` was given: one leading apostrophe taken off where it added one."""
    if cell.startswith("'") and (cell[1:].startswith("'") or cell[1:].startswith(_FORMULA_START)):
        return cell[1:]
    return cell


def attempt_problem(attempt: Mapping[str, object], now: datetime | None = None) -> tuple[str, str] | None:
    """Return ``(field, what is wrong)`` for the first field of ``attempt`` the schema refuses, or None.

    Args:
        attempt: one attempt as in an export: attempt_id, question_id, topic, answer, correct, answered_at,
            and optionally confidence.
        now: the time now, when an attempt dated more than :data:`FUTURE_MARGIN` after it is refused
            (an import); None accepts any date from :data:`EARLIEST` to :data:`LATEST`.
    """
    for field in FIELDS:
        if field not in attempt:
            return field, "is missing"
    extra = sorted(set(attempt) - set(FIELDS) - set(OPTIONAL_FIELDS))
    if extra:
        return extra[0], "is not a field of an attempt"
    for field in (*FIELDS, *OPTIONAL_FIELDS):
        if _not_unicode(attempt.get(field)):
            return field, f"{_show(attempt.get(field))} holds text that is not valid Unicode (a lone surrogate)"
    answer = attempt["answer"]
    for value in answer if isinstance(answer, list) else [answer]:
        if isinstance(value, int | float) and not isinstance(value, bool) and not _is_number(value):
            return "answer", f"{_checks.show(value)} is not a finite number a float can hold (up to about 1.8e308)"
    checks = {
        "attempt_id": isinstance(attempt["attempt_id"], str) and attempt["attempt_id"] != "",
        "question_id": isinstance(attempt["question_id"], str) and attempt["question_id"] != "",
        "topic": isinstance(attempt["topic"], str) and attempt["topic"] in known_topics(),
        "answer": isinstance(answer, str)
        or _is_number(answer)
        or (isinstance(answer, list) and all(isinstance(a, str) or _is_number(a) for a in answer)),
        "correct": isinstance(attempt["correct"], bool),
        "answered_at": _is_time(attempt["answered_at"]),
        "confidence": attempt.get("confidence", CONFIDENCE[0]) in CONFIDENCE,
    }
    for field, ok in checks.items():
        if not ok:
            return field, f"{_show(attempt.get(field))} {_reason(field)}"
    return _date_problem(attempt["answered_at"], now)


def _date_problem(value: object, now: datetime | None) -> tuple[str, str] | None:
    moment = _time(value)
    assert moment is not None  # checked above
    if not EARLIEST <= moment < LATEST:
        return "answered_at", (
            f"{_show(value)} is outside the dates sarcoma-edu works with (the years {EARLIEST.year} to "
            f"{LATEST.year - 1}); check the clock of the computer that saved it"
        )
    if now is not None and moment > now + FUTURE_MARGIN:
        latest = (now + FUTURE_MARGIN).astimezone(UTC).strftime("%Y-%m-%d %H:%M")
        return "answered_at", (
            f"{_show(value)} is in the future: an attempt may be dated up to {latest} UTC (a day after now, by "
            "this computer's clock), as one dated later would hide its question from the review until then; check "
            "the clock of the computer that saved it"
        )
    return None


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def attempt_from_row(row: Sequence[object]) -> tuple[dict[str, object] | None, str]:
    """Turn a stored row (columns as :data:`FIELDS`, answer as JSON text, correct as 0/1) into an attempt.

    A row may have a seventh column, confidence (NULL when not given, and then left out of the attempt).

    Returns:
        ``(attempt, "")``, or ``(None, what is wrong)`` for a row that cannot be read (e.g. written
        by an older version with no time or a time without its zone).
    """
    values = dict(zip((*FIELDS, *OPTIONAL_FIELDS)[: len(row)], row, strict=True))
    if values.get("confidence", "") is None:
        del values["confidence"]
    try:
        values["answer"] = json.loads(values["answer"]) if isinstance(values["answer"], str) else values["answer"]
    except (ValueError, RecursionError):
        return None, f"answer={_show(values['answer'])} is not readable"
    correct = values["correct"]
    if isinstance(correct, int) and not isinstance(correct, bool) and correct in (0, 1):
        values["correct"] = bool(correct)
    problem = attempt_problem(values)
    if problem is not None:
        return None, f"{problem[0]}={problem[1]}"
    return values, ""


def rows_from_export(payload: object, source: Path, now: datetime | None = None) -> list[dict[str, object]]:
    """Validate a whole export against the schema and return its attempts.

    Args:
        payload: the parsed JSON.
        source: the file, for messages.
        now: refuse attempts dated more than :data:`FUTURE_MARGIN` after it (see :func:`attempt_problem`).

    Raises:
        ValueError: naming the file, the attempt's index and the field; nothing is returned.
    """
    import jsonschema  # imported here: about a second, paid only when a file is imported

    validator = jsonschema.Draft202012Validator(load_schema())
    errors = sorted(validator.iter_errors(payload), key=lambda e: _sort_key(e.absolute_path))
    if errors:
        raise ValueError(_describe(errors[0], payload, source))
    attempts = payload["attempts"]  # type: ignore[index]
    for index, attempt in enumerate(attempts):
        problem = attempt_problem(attempt, now)
        if problem is not None:
            raise ValueError(f"{_where(source)}: attempt {index}, field {problem[0]!r}: {problem[1]}{_NOTHING}")
    return attempts


_NOTHING = "; nothing was imported"


def _where(source: Path) -> str:
    return f"path={str(source)!r}"


def _sort_key(path: Sequence[object]) -> tuple:
    return tuple((p, "") if isinstance(p, int) else (-1, str(p)) for p in path)


def _describe(error: Any, payload: object, source: Path) -> str:
    path = list(error.absolute_path)
    if not path and error.validator == "type":
        return f"{_where(source)} is not a sarcoma-edu progress export: it holds no format, version and attempts"
    field = str(path[-1]) if path else ""
    if error.validator == "required":
        field = next(f for f in error.validator_value if f not in error.instance)
        if len(path) == 2:
            return f"{_where(source)}: attempt {path[1]} has no {field!r}{_NOTHING}"
    if error.schema is False and len(path) >= 2:  # the one field a version 1 attempt may not have
        return f"{_where(source)}: attempt {path[1]}, field 'confidence' is not a field of a version 1 export{_NOTHING}"
    if error.validator == "additionalProperties":
        field = sorted(set(error.instance) - set(error.schema.get("properties", {})))[0]
        return f"{_where(source)}: attempt {path[1]}, field {field!r} is not a field of an attempt{_NOTHING}"
    if len(path) == 2 and path[0] == "attempts":
        fields = ", ".join(FIELDS)
        return f"{_where(source)}: attempt {path[1]} is {_show(error.instance)}, not an object with {fields}{_NOTHING}"
    if len(path) >= 3 and path[0] == "attempts":
        field = str(path[2])
        value = error.instance if len(path) == 3 else payload["attempts"][path[1]][field]  # type: ignore[index]
        return f"{_where(source)}: attempt {path[1]}, field {field!r}: {_show(value)} {_reason(field)}{_NOTHING}"
    if field == "format":
        return f"{_where(source)} is not a sarcoma-edu progress export (its field 'format' must be {FORMAT!r})"
    if field in ("version", "attempts") and error.validator == "required":
        return f"{_where(source)} has no field {field!r}; a progress export has format, version and attempts{_NOTHING}"
    if field == "version":
        shown = _show(payload["version"])  # type: ignore[index]
        readable = " and ".join(map(str, VERSIONS))
        return f"{_where(source)}: field 'version' is {shown}; this sarcoma-edu reads versions {readable}{_NOTHING}"
    if field == "attempts":
        shown = _show(payload["attempts"])  # type: ignore[index]
        return f"{_where(source)}: field 'attempts' is {shown}; expected a list of attempts{_NOTHING}"
    return f"{_where(source)}: {error.message}{_NOTHING}"
