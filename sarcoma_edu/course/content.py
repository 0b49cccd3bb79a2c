"""An instructor's content, loaded and checked beside the built-in content.

:func:`load_content` reads a content folder (:mod:`sarcoma_edu.course.content_folder`): its question
banks, exercises and cases, each file checked as ``bank check`` / ``case check`` check it, plus
what only a whole folder shows: an id already used by a built-in item or by another file of the
folder. Question ids and exercise ids share one namespace (both are asked in the quiz and recorded
by id): a question is refused when a built-in exercise has its id, and an exercise when any
question (built-in or hers) or a built-in exercise has it; a case is refused when a built-in case or
an earlier file of hers has its id. Each refusal ends with the one message of
:func:`sarcoma_edu.course.item_ids.id_taken`. Usable items are kept; each problem is a line naming
the file, the item and the field, for the widget or the command to show.

Loaded content is kept while none of its files changes (same path, modification time and size).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sarcoma_edu.common.jsonfiles import real_path
from sarcoma_edu.course.banks import check_banks
from sarcoma_edu.course.case_files import check_cases
from sarcoma_edu.course.case_model import Case
from sarcoma_edu.course.content_folder import KINDS, content_files
from sarcoma_edu.course.exercises import Exercise, builtin_exercise_ids, check_exercises
from sarcoma_edu.course.quiz import Question

__all__ = ["Content", "FileCheck", "load_content"]


@dataclass(frozen=True)
class FileCheck:
    """One file of an instructor's content, checked.

    Attributes:
        path: the file.
        kind: ``"quiz"``, ``"exercises"`` or ``"cases"``.
        summary: what it holds when usable, e.g. ``"3 questions"`` or ``"case 'x' with 5 steps"``.
        problems: one line per problem (file, item, field); empty when the file is sound.
    """

    path: Path
    kind: str
    summary: str
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True when the file has no problem."""
        return not self.problems


@dataclass(frozen=True)
class Content:
    """An instructor's questions, exercises and cases that can be used, and every file checked.

    Attributes:
        folder: the content folder, or None.
        questions: her bank questions, in file order.
        exercises: her exercises, in file order.
        cases: her cases, in file order.
        checks: one :class:`FileCheck` per file, quiz files first, then exercises, then cases.
    """

    folder: Path | None
    questions: tuple[Question, ...] = ()
    exercises: tuple[Exercise, ...] = ()
    cases: tuple[Case, ...] = ()
    checks: tuple[FileCheck, ...] = ()

    @property
    def problems(self) -> tuple[str, ...]:
        """Every problem of every file, one a line."""
        return tuple(p for c in self.checks for p in c.problems)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _stamps(paths: Sequence[Path]) -> tuple[tuple[str, int, int], ...] | None:
    """(path, modification time, size) of each file; None when one cannot be read (then nothing is kept)."""
    out = []
    for p in paths:
        try:
            info = p.stat()
        except OSError:
            return None
        out.append((str(p), info.st_mtime_ns, info.st_size))
    return tuple(out)


def _load(folder: Path | None, files: Mapping[str, Sequence[str | Path]]) -> Content:
    quiz, exercise_files, case_files = (list(files.get(kind, ())) for kind in KINDS)
    banks = check_banks(quiz, taken=builtin_exercise_ids()) if quiz else []
    questions = tuple(q for c in banks for q in c.questions)
    hers = {q.id: (f"a question of {c.path.name}", c.path) for c in banks for q in c.questions}
    exercises = check_exercises(exercise_files, taken=hers) if exercise_files else []
    cases = check_cases(case_files) if case_files else []
    checks = [FileCheck(c.path, "quiz", _plural(len(c.questions), "question"), c.problems) for c in banks]
    checks += [FileCheck(c.path, "exercises", _plural(len(c.exercises), "exercise"), c.problems) for c in exercises]
    checks += [
        FileCheck(c.path, "cases", f"case {c.case.id!r} with {_plural(len(c.case.steps), 'step')}" if c.case else "",
                  c.problems)
        for c in cases
    ]  # fmt: skip
    return Content(
        folder,
        questions,
        tuple(e for c in exercises for e in c.exercises),
        tuple(c.case for c in cases if c.case is not None),
        tuple(checks),
    )


@functools.lru_cache(maxsize=8)
def _cached(folder: Path | None, stamps: tuple[tuple[str, tuple[tuple[str, int, int], ...]], ...]) -> Content:
    return _load(folder, {kind: tuple(Path(name) for name, _, _ in files) for kind, files in stamps})


def load_content(folder: Path | None, extra: Mapping[str, Sequence[str | Path]] | None = None) -> Content:
    """Load the instructor's content: every file of ``folder``, and ``extra`` files checked with them.

    Args:
        folder: the content folder (see :func:`~sarcoma_edu.course.content_folder.content_folder`), or None.
        extra: more files by kind (``{"quiz": [...]}``), e.g. the files named to ``bank check``, checked
            after the folder's files of their kind, in the order given (a file of the folder named
            here is checked once, in that place), so their checks are the last of their kind.

    Returns:
        The usable items and one :class:`FileCheck` per file.

    Raises:
        ContentFolderError: the folder or one of its sub-folders cannot be read.
    """
    files = {kind: tuple(content_files(kind, folder)) if folder is not None else () for kind in KINDS}
    if extra:  # named files are checked as given (an empty path, a folder): no cache
        for kind, named in extra.items():
            names = {real_path(p) for p in named if str(p).strip()}
            files[kind] = (*(p for p in files[kind] if real_path(p) not in names), *named)
        return _load(folder, files)
    stamps = {kind: _stamps(paths) for kind, paths in files.items()}
    if any(s is None for s in stamps.values()):
        return _load(folder, files)
    return _cached(folder, tuple((kind, stamps[kind]) for kind in KINDS))
