"""Reading JSON data files a user gives us, and saying in plain words what their JSON Schema refuses.

Used by the quiz banks, the exercise files and the case files; any other JSON file validated
against a schema can use it too. :func:`check_list_file` is the one reader of a file that is a
list of records (a bank's questions, a lesson's exercises): it reads, validates with the schema
and names each problem's file, record (index and id) and field through :class:`Where`. Problems
are returned as one-line strings (:class:`Problem`, which also keeps the file, the record, the field and
the message apart, so a form can show each next to its field), never raised, so a checker can list
every one of them. A checker may be given the records themselves instead of a file (``document=``):
a form checks a draft exactly as the file it will be saved to would be checked.
"""

from __future__ import annotations

import errno
import functools
import json
import os
import stat
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sarcoma_edu.common import checks as _checks

if TYPE_CHECKING:
    import jsonschema

JSON_WORDS = {
    "string": "a string",
    "boolean": "true or false",
    "number": "a number",
    "integer": "a whole number",
    "object": "an object",
    "array": "a list",
    "null": "null",
}


UNREAD: Any = object()  # ``document=UNREAD``: read the file (any other value is checked as its parsed JSON)


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"the field {key!r} appears twice in one object")
        out[key] = value
    return out


def json_kind(value: object) -> str:
    """The JSON name of a parsed value's type: object, array, string, number, boolean or null."""
    kinds = {dict: "object", list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    return kinds.get(type(value), "null")


def real_path(path: str | Path) -> Path:
    """The file ``path`` names, links followed; a link loop or a dangling link comes back as far as it resolves.

    Unlike ``Path.resolve()`` (RuntimeError on a link loop in Python 3.11) it never raises, so a
    checker can go on and report the file as unreadable.
    """
    return Path(os.path.realpath(path))


def read_json(path: Path, *, what: str, max_bytes: int) -> tuple[Any, str | None]:
    """Return (the parsed JSON, None), or (None, a one-line problem naming ``path``).

    A folder, a device or FIFO, a file over ``max_bytes``, text that is not UTF-8 (a byte-order
    mark is allowed), NaN or Infinity, a field given twice in one object and JSON nested too
    deeply are problems, not exceptions. A number too large for a float reads as ``inf`` (or
    as a huge int): the caller, who knows which field it is in, says so.
    """
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            return None, f"{path}: is a folder, not a {what}; give the path of a .json file"
        if not stat.S_ISREG(info.st_mode):
            return None, f"{path}: is not a regular file; a {what} is a .json file"
        if info.st_size > max_bytes:
            return None, f"{path}: is {info.st_size:,} bytes; a {what} is at most {max_bytes:,} bytes"
        data = path.read_bytes()
    except FileNotFoundError:
        return None, f"{path}: no such file" + (" (it is a link to a missing file)" if path.is_symlink() else "")
    except OSError as error:
        if error.errno == errno.ELOOP:
            return None, f"{path}: is a link that leads round in a loop (to itself through other links); give a file"
        return None, f"{path}: cannot be read ({error.strerror or error})"
    try:
        text = data.decode("utf-8-sig")  # a byte-order mark, as some editors save, is allowed
    except UnicodeDecodeError as error:
        return None, f"{path}: not valid JSON (not UTF-8 text at byte {error.start})"
    try:
        return json.loads(text, parse_constant=_no_constant, object_pairs_hook=_unique_keys), None
    except json.JSONDecodeError as error:
        return None, f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
    except RecursionError:
        return None, f"{path}: not a {what}: its JSON is nested too deeply"
    except ValueError as error:  # raised by the hooks above, or a whole number with thousands of digits
        return None, f"{path}: not valid JSON ({error})"


class Problem(str):
    """One problem line, as a checker prints it, that also knows where it is and what it says.

    ``str(problem)`` is the whole line (``"PATH, question 3 (id 'x'), field 'answers[0]': is missing"``);
    ``field`` is the field's path inside its record (``"answers[0]"``, ``"facts.size_cm"``; "" for the
    whole file), ``message`` the problem in words (``"is missing"``), ``path`` the file and ``record``
    the record's index (None when the file holds one record, or for the whole file).
    """

    field: str
    message: str
    path: Path | None
    record: int | None

    def __new__(
        cls, field: str, message: str, *, line: str | None = None, path: Path | None = None, record: int | None = None
    ) -> Problem:
        self = super().__new__(cls, f"field {field!r}: {message}" if line is None else line)
        self.field, self.message, self.path, self.record = field, message, path, record
        return self

    def __reduce__(self) -> tuple:
        return (_problem, (self.field, self.message, str(self), self.path, self.record))


def _problem(field: str, message: str, line: str, path: Path | None, record: int | None) -> Problem:
    return Problem(field, message, line=line, path=path, record=record)


class Where:
    """Writes problem lines that name the file, the record (index and id) and the field.

    ``Where(path, "question", 3, item)("answers[0]", "is missing")`` gives
    ``"PATH, question 3 (id 'x'), field 'answers[0]': is missing"``; the id is left out when the
    record has none.
    """

    def __init__(self, path: Path, record: str, index: int, item: object) -> None:
        self.path, self.record, self.index = path, record, index
        self.id = item.get("id") if isinstance(item, dict) else None

    def __call__(self, field_name: str, problem: str) -> Problem:
        shown = f" (id {_checks.show(self.id)})" if self.id is not None else ""
        line = f"{self.path}, {self.record} {self.index}{shown}, field {field_name!r}: {problem}"
        return Problem(field_name, problem, line=line, path=self.path, record=self.index)


@functools.cache
def schema_validator(schema: Path) -> Any:
    """The validator of the JSON Schema in the file ``schema``, for the draft it declares (read once)."""
    import jsonschema  # imported when a file is first checked: it takes a while, and most lessons never need it

    document = json.loads(schema.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(document)
    cls.check_schema(document)
    return cls(document)


def check_list_file(
    path: Path,
    *,
    schema: Path,
    what: str,
    list_of: str,
    record: str,
    max_bytes: int,
    wording: Callable[[Where, jsonschema.ValidationError], list[str]],
    document: object = UNREAD,
) -> tuple[list, dict[int, list[str]]]:
    """Read a file that is a JSON list of records and validate it against ``schema``.

    Args:
        path: the file.
        schema: the JSON Schema file the whole list is validated with.
        what: what the file is, for :func:`read_json` (``"bank file"``).
        list_of: what the list holds, said of the file (``"a bank is a JSON list of questions"``).
        record: what one record is called in a problem line (``"question"``, ``"exercise"``).
        max_bytes: the largest file read.
        wording: turns one schema error into problem lines, given the record's :class:`Where`.
        document: the parsed JSON to check as if ``path`` held it (a draft not yet saved); by
            default the file is read.

    Returns:
        (the records, the problems by record index); every index has its list, empty when the
        schema accepts the record. A problem with the whole file (missing, unreadable, not JSON,
        not a list) comes alone, under index -1, with no records.
    """
    raw, problem = read_json(path, what=what, max_bytes=max_bytes) if document is UNREAD else (document, None)
    if problem is None and not isinstance(raw, list):
        problem = f"{path}: {list_of}, not {JSON_WORDS[json_kind(raw)]}"
    if problem is not None:
        return [], {-1: [problem]}
    found: dict[int, list[str]] = {index: [] for index in range(len(raw))}
    for error in schema_validator(schema).iter_errors(raw):
        index = error.absolute_path[0]
        found[index].extend(wording(Where(path, record, index, raw[index]), error))
    return raw, found


def field_name(parts: Sequence[str | int], whole: str) -> str:
    """``["answers", 0, "correct"]`` as ``"answers[0].correct"``; ``whole`` for an empty path."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or whole


def schema_problems(
    error: jsonschema.ValidationError, parts: list[str | int], where: Callable[[str, str], str], whole: str
) -> list[str]:
    """Plain words for one schema error at ``parts`` (a path inside one record), via ``where(field, problem)``.

    A field missing or not allowed, a wrong type, a value not in a list, or a rule whose schema
    has a ``description`` (said as "VALUE is not DESCRIPTION"); jsonschema's own words otherwise.
    """
    name, value, rule, kind = field_name(parts, whole), error.instance, error.validator_value, error.validator
    if kind == "required":
        return [where(field_name([*parts, n], whole), "is missing") for n in rule if n not in value]
    if kind == "additionalProperties":
        known = error.schema.get("properties", {})
        return [where(field_name([*parts, n], whole), "is not an allowed field here") for n in value if n not in known]
    if kind == "type":
        return [where(name, f"{_checks.show(value)} is not {JSON_WORDS.get(rule, rule)}")]
    if kind in ("enum", "const"):
        allowed = rule if kind == "enum" else [rule]
        return [where(name, f"{_checks.show(value)} is not one of {', '.join(map(str, allowed))}")]
    if "description" in error.schema:
        return [where(name, f"{_checks.show(value)} is not {error.schema['description']}")]
    return [where(name, error.message)]
