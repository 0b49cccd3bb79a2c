"""Question banks: the files of quiz questions, read and checked, built-in or an instructor's.

Banks are JSON files in the format jupyterquiz reads (``type``, ``question``, ``answers`` with
``answer``/``correct``/``feedback``, or ``value``/``range`` for numeric questions), extended with
our fields ``id``, ``topic``, ``difficulty``, ``explanation``, ``source``, ``objectives`` (the ids
of the learning objectives in ``datasets/objectives.csv`` that the question assesses) and
``accept_any_correct`` (see :mod:`sarcoma_edu.course.quiz`; jupyterquiz ignores the field, so such a
bank still loads there). The built-in banks live in ``datasets/quiz/``; their JSON Schema is
``datasets/quiz/quiz_bank.schema.json``. :func:`check_banks` lists every problem of the files
given, :func:`load_bank` returns their questions or raises :class:`QuizBankError`; the rules a
question must follow are in :mod:`sarcoma_edu.course.question_rules`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sarcoma_edu.clinical.tables import _datasets_root
from sarcoma_edu.common import checks as _checks
from sarcoma_edu.common import jsonfiles as _jsonfiles
from sarcoma_edu.common.jsonfiles import Where
from sarcoma_edu.course.exercise_keys import derived_key_problems
from sarcoma_edu.course.item_ids import id_taken
from sarcoma_edu.course.question_rules import (
    build_question,
    question_schema_problems,
    unexpressed_problems,
    unknown_objective_problems,
    unreachable_problems,
)
from sarcoma_edu.course.quiz import TOPICS, Question

if TYPE_CHECKING:
    import jsonschema

__all__ = [
    "BankCheck",
    "QuizBankError",
    "bank_paths",
    "builtin_ids",
    "check_banks",
    "load_bank",
]

_SCHEMA = "quiz_bank.schema.json"
_MAX_BYTES = 10_000_000  # a bank is text: a larger file is not a bank and would only fill the kernel's memory
_CODE_NOTE = " (jupyterquiz's 'code' field is not supported: question text is always shown as plain text)"


class QuizBankError(ValueError):
    """A question bank that cannot be used: names the file, the question (index and id) and the field.

    Attributes:
        problems: every problem found, one line each; the message shows the first three.
    """

    def __init__(self, problems: str | Sequence[str]) -> None:
        self.problems: tuple[str, ...] = (problems,) if isinstance(problems, str) else tuple(problems)
        shown = "; ".join(self.problems[:3])
        if len(self.problems) > 3:
            shown += f" (and {len(self.problems) - 3} more: 'sarcoma-edu bank check FILE' lists them all)"
        super().__init__(shown)


@dataclass(frozen=True)
class BankCheck:
    """What checking one bank file found: its questions, or every problem in it.

    Attributes:
        path: the file.
        questions: the questions that passed every check (all of them when ``problems`` is empty).
        problems: one line per problem, each naming the file, the question (index and id) and the field.
    """

    path: Path
    questions: tuple[Question, ...]
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True when the file has no problem."""
        return not self.problems


def _schema_problems(where: Where, error: jsonschema.ValidationError) -> list[str]:
    """Turn one schema error in a bank's question into problem lines in plain words."""
    parts = list(error.absolute_path)[1:]
    name, value, rule, kind = (
        _jsonfiles.field_name(parts, "question"),
        error.instance,
        error.validator_value,
        error.validator,
    )
    if kind == "additionalProperties":
        owner = "a question" if not parts else "an answer"
        return [
            where(
                _jsonfiles.field_name([*parts, n], ""),
                f"is not a field of {owner}" + (_CODE_NOTE if n == "code" else ""),
            )
            for n in value
            if n not in error.schema.get("properties", {})
        ]
    if kind == "maxContains":
        count = sum(isinstance(a, dict) and a.get("correct") is True for a in value)
        return [where(name, f"a multiple_choice question needs exactly one correct answer, not {count}")]
    if kind == "minItems" and parts == ["answers"]:
        return [where(name, f"has {len(value)} answer(s); this type of question needs at least {rule}")]
    return question_schema_problems(where, error, "question")


def _check_file(
    path: Path, document: object = _jsonfiles.UNREAD
) -> tuple[list[Question], dict[int, list[str]], list[tuple[int, str]]]:
    """Check one file on its own (or ``document`` as if the file held it): its valid questions, the
    problems by question (-1: the whole file) and the (index, id) of every question that has an id."""
    raw, found = _jsonfiles.check_list_file(
        path,
        schema=Path(str(_datasets_root() / "quiz" / _SCHEMA)),
        what="bank file",
        list_of="a bank is a JSON list of questions",
        record="question",
        max_bytes=_MAX_BYTES,
        wording=_schema_problems,
        document=document,
    )
    questions, ids = [], []
    for index, item in enumerate(raw):
        where = Where(path, "question", index, item)
        found[index].extend(unexpressed_problems(where, item) + unknown_objective_problems(where, item))
        if not found[index]:
            question = build_question(item)
            found[index].extend(unreachable_problems(where, question))
            if not found[index]:
                found[index].extend(derived_key_problems(where, item))
            if not found[index]:
                questions.append(question)
        if isinstance(where.id, str):
            ids.append((index, where.id))
    return questions, found, ids


@functools.lru_cache(maxsize=4)
def _ids_in(files: tuple[tuple[str, int, int], ...]) -> dict[str, Path]:
    ids: dict[str, Path] = {}
    for name, _, _ in files:
        for _, question_id in _check_file(Path(name))[2]:
            ids.setdefault(question_id, Path(name))
    return ids


def builtin_ids() -> dict[str, Path]:
    """Each built-in question's id and its file (read again only when a built-in file changes)."""
    files = []
    for p in bank_paths():
        info = p.stat()
        files.append((str(p), info.st_mtime_ns, info.st_size))
    return _ids_in(tuple(files))


def bank_paths() -> list[Path]:
    """The built-in bank files, one per topic in course order, in ``datasets/quiz/``."""
    folder = Path(str(_datasets_root() / "quiz"))
    order = {topic.replace(" ", "_"): k for k, topic in enumerate(TOPICS)}
    banks = [p for p in folder.glob("*.json") if not p.name.endswith(".schema.json")]
    return sorted(banks, key=lambda p: (order.get(p.stem, len(order)), p.name))


def _paths(path: object) -> list[str | Path]:
    if isinstance(path, str | Path):
        return [path]
    if isinstance(path, Sequence) and all(isinstance(p, str | Path) for p in path):
        return list(path)
    raise TypeError(f"path={_checks.show(path)} is not a bank file path, a list of them, or None")


def check_banks(
    path: str | Path | Sequence[str | Path],
    drafts: Mapping[Path, list] | None = None,
    *,
    taken: Mapping[str, tuple[str, Path]] | None = None,
) -> list[BankCheck]:
    """Check bank files as :func:`load_bank` does, listing every problem instead of stopping at the first.

    Each file is validated with ``quiz_bank.schema.json`` (the one definition of a valid question);
    then come the checks a schema cannot express: an objective id that ``datasets/objectives.csv``
    does not define (an instructor's own bank may use only its ids), an id used twice (in a file, across the files
    given, or by a built-in question when the file is not a built-in bank: progress is recorded
    by id, so the two would share one history), two answers with the same text, a range whose
    low end is above its high end, numbers too large for a float, and a right numeric answer no
    number can reach (answers are checked in order, so a right range inside an earlier wrong one
    is never chosen), and a key that disagrees with the library call ``derived_from`` names.

    Args:
        path: a bank file (``str`` or :class:`pathlib.Path`) or a list of them.
        drafts: questions not yet saved, by the file they will be saved to: each such file is
            checked as if it held them (the studio's forms check a draft this way).
        taken: ids already used elsewhere (built-in exercises, an instructor's exercises): id -> (what
            uses it, its file); a question that reuses one is refused with the same message.

    Returns:
        One :class:`BankCheck` per file, in the order given.

    Raises:
        TypeError: ``path`` is not a path or a list of paths.
    """
    given = _paths(path)
    builtin = {_jsonfiles.real_path(p) for p in bank_paths()}
    checks: list[BankCheck] = []
    owner: dict[str, tuple[str, Path]] = {}
    for p in given:
        if isinstance(p, str) and not p.strip():
            checks.append(BankCheck(Path(p), (), (f"path={p!r} is empty; give the path of a bank file (.json)",)))
            continue
        file = Path(p)
        questions, found, ids = _check_file(file, (drafts or {}).get(file, _jsonfiles.UNREAD))
        theirs = {} if _jsonfiles.real_path(file) in builtin else builtin_ids()
        reused = set()
        for index, question_id in ids:
            where = Where(file, "question", index, {"id": question_id})
            if question_id in owner:
                first, at = owner[question_id]
                found[index].append(where("id", id_taken(question_id, at, None if first == file else first)))
            elif question_id in theirs:
                found[index].append(where("id", id_taken(question_id, "a built-in question", theirs[question_id])))
            elif taken and question_id in taken:
                what, first = taken[question_id]
                found[index].append(where("id", id_taken(question_id, what, first)))
            else:
                owner[question_id] = (file, f"question {index}")
                continue
            reused.add(question_id)
        problems = dict.fromkeys(problem for index in sorted(found) for problem in found[index])
        checks.append(BankCheck(file, tuple(q for q in questions if q.id not in reused), tuple(problems)))
    return checks


def load_bank(path: str | Path | Sequence[str | Path] | None = None) -> list[Question]:
    """Load quiz questions from one bank file, several, or the built-in banks.

    A file is valid when ``datasets/quiz/quiz_bank.schema.json`` accepts it and it passes the
    checks of :func:`check_banks`. A UTF-8 file with a byte-order mark is fine.

    Args:
        path: a JSON bank file (``str`` or :class:`pathlib.Path`), a list of them, or None for
            every built-in bank.

    Returns:
        The questions in file order.

    Raises:
        QuizBankError: a missing, unreadable or invalid file (a folder, an empty path, JSON
            nested too deeply, a question the schema refuses, an id used twice or by a built-in
            question), naming the file, the question (index and id) and the field; its
            ``problems`` lists every problem found.
        TypeError: ``path`` is not a path, a list of paths or None.
    """
    checks = check_banks(bank_paths() if path is None else _paths(path))
    problems = [problem for c in checks for problem in c.problems]
    if problems:
        raise QuizBankError(problems)
    return [question for c in checks for question in c.questions]
