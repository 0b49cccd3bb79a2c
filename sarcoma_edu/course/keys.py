"""The keys the library computes for content, and the lock files that record them.

Where the library gives the right answer (an exercise or bank question with ``derived_from``, a
tumour-board case's computed step), the answer is computed under
:func:`~sarcoma_edu.clinical.provenance.trace`, so the key says which table rows it rests on: a
:class:`ComputedKey` holds the answer, the rows (:class:`~sarcoma_edu.clinical.provenance.RowRef`)
and the hash of every table consulted. Generated questions are left out: they are computed afresh
each time they are asked.

A lock file records the keys as they were: ``datasets/content.lock.json`` for the built-in content
and ``<content folder>/content.lock.json`` for an instructor's own, each mapping an item id to
``{"answer", "depends_on", "tables"}``. The studio writes an entry when an item is saved
(:func:`lock_entries`, :func:`write_lock_entries`); ``sarcoma-edu content check``
(:mod:`sarcoma_edu.course.key_check`) recomputes every key and says which answers have changed.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from sarcoma_edu.clinical import provenance
from sarcoma_edu.clinical.provenance import RowRef
from sarcoma_edu.clinical.tables import _datasets_root
from sarcoma_edu.common import atomic as _atomic
from sarcoma_edu.common import jsonfiles as _jsonfiles
from sarcoma_edu.course import case_steps
from sarcoma_edu.course.banks import bank_paths
from sarcoma_edu.course.case_files import case_facts, case_paths, step_settings
from sarcoma_edu.course.exercise_keys import derived_answer
from sarcoma_edu.course.exercises import exercise_paths
from sarcoma_edu.course.items import content_files

__all__ = [
    "LOCK_FORMAT",
    "LOCK_NAME",
    "ComputedKey",
    "KeyedItem",
    "LockFileError",
    "RowRef",
    "answer_now",
    "compute_key",
    "computed_items",
    "lock_entries",
    "lock_entry",
    "lock_path",
    "lock_text",
    "read_lock",
    "write_lock",
    "write_lock_entries",
    "write_lock_entry",
]

LOCK_NAME = "content.lock.json"
LOCK_FORMAT = "sarcoma-edu-content-lock"
_LOCK_VERSION = 1
_MAX_BYTES = 1_000_000
_MAX_LOCK_BYTES = 50_000_000
_FOLDERS = {"quiz": "question", "exercises": "exercise", "cases": "case step"}


class LockFileError(ValueError):
    """A lock file, or a content file, that cannot be read; the message names it and says what to do."""


@dataclass(frozen=True)
class ComputedKey:
    """A key the library computed: the answer, the rows it rests on, and the hash of each table consulted.

    ``answer`` is plain JSON: a text (multiple choice), a sorted list of texts (many choice, a case
    step), the items in order (ordering), a number or list of numbers (numeric), or answer text ->
    whether it is right (a ``per_answer`` key).
    """

    answer: Any
    depends_on: tuple[RowRef, ...]
    tables: Mapping[str, str]

    def as_json(self) -> dict[str, Any]:
        """``{"answer", "depends_on", "tables"}``, the entry a lock file holds for the item."""
        return {
            "answer": self.answer,
            "depends_on": [ref.as_json() for ref in self.depends_on],
            "tables": dict(sorted(self.tables.items())),
        }


@dataclass(frozen=True)
class KeyedItem:
    """An item whose key the library computes, as written in its file.

    ``id`` is the id a student's answer is recorded under (``case:<case>:<step>`` for a case step);
    ``raw`` is the question or exercise, or for a case step the whole case, with ``step`` its step.
    """

    id: str
    kind: str  # "question", "exercise" or "case step"
    path: Path
    builtin: bool
    raw: Mapping[str, Any]
    step: Mapping[str, Any] | None = None

    def where(self) -> str:
        """``exercise in datasets/exercises/03_staging.json``: what the item is and its file."""
        return f"{self.kind} in {self.path}"


def _plain(value: Any) -> Any:
    """A computed answer as plain JSON values (numpy and pandas scalars made Python ones; NaN and <NA> null)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | str):
        return value
    if hasattr(value, "item") and not isinstance(value, int | float):  # a numpy scalar
        return _plain(value.item())
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if pd.isna(value):
        return None
    return str(value)


def _answer(item: KeyedItem) -> Any:
    if item.step is None:
        return derived_answer(dict(item.raw))
    facts = case_facts(dict(item.raw), item.path)
    made = case_steps.build(item.step["kind"], facts, step_settings(dict(item.step)))
    return sorted(made.right)


def compute_key(item: KeyedItem) -> ComputedKey:
    """Compute an item's key from the rules as they are now, recording the rows it rests on.

    Raises:
        Whatever the library raises for an item it cannot answer (TypeError, ValueError, KeyError,
        ...), e.g. a case whose facts the tables no longer stage, or a ``derived_from`` call they refuse.
    """
    with provenance.trace() as seen:
        answer = _answer(item)
    return ComputedKey(_plain(answer), seen.depends_on, dict(sorted(seen.tables.items())))


def answer_now(item: KeyedItem) -> Any:
    """The item's answer computed without recording anything (a check that the trace changes no result)."""
    return _plain(_answer(item))


def _items_in(raw: Any, kind: str, path: Path, builtin: bool) -> list[KeyedItem]:
    """The items of one file whose key the library computes; a record of another shape is left to bank/case check."""
    if kind != "case step":
        records = raw if isinstance(raw, list) else []
        return [
            KeyedItem(r["id"], kind, path, builtin, r)
            for r in records
            if isinstance(r, dict) and isinstance(r.get("id"), str) and isinstance(r.get("derived_from"), dict)
        ]
    if not (isinstance(raw, dict) and isinstance(raw.get("id"), str) and isinstance(raw.get("steps"), list)):
        return []
    return [
        KeyedItem(f"case:{raw['id']}:{step['id']}", kind, path, builtin, raw, step)
        for step in raw["steps"]
        if isinstance(step, dict) and isinstance(step.get("id"), str) and step.get("kind") in case_steps.COMPUTED_KINDS
    ]


def _read(paths: Iterable[Path], kind: str, builtin: bool, problems: list[str]) -> list[KeyedItem]:
    found = []
    for path in paths:
        raw, problem = _jsonfiles.read_json(Path(path), what=f"{kind} file", max_bytes=_MAX_BYTES)
        if problem is not None:
            problems.append(problem)
            continue
        found += _items_in(raw, kind, Path(path), builtin)
    return found


def computed_items(content: Path | None = None) -> list[KeyedItem]:
    """Every item whose key the library computes: the built-in ones, then those of a content folder.

    Args:
        content: the instructor's content folder (``quiz/``, ``exercises/``, ``cases/``), or None.

    Raises:
        LockFileError: a content file that cannot be read as JSON (naming it; ``sarcoma-edu bank check``
            or ``case check`` says more).
    """
    problems: list[str] = []
    builtin = {"quiz": bank_paths(), "exercises": exercise_paths(), "cases": case_paths()}
    items = [item for folder, paths in builtin.items() for item in _read(paths, _FOLDERS[folder], True, problems)]
    if content is not None:
        for folder, kind in _FOLDERS.items():
            items += _read(content_files(folder, content), kind, False, problems)
    if problems:
        raise LockFileError("; ".join(problems))
    return items


# --- lock files ----------------------------------------------------------------------------


def lock_path(content: Path | None = None) -> Path:
    """The lock file of a content folder, or of the built-in content (``datasets/content.lock.json``) for None."""
    return Path(content) / LOCK_NAME if content is not None else Path(str(_datasets_root())) / LOCK_NAME


def _bad_lock(path: Path, why: str) -> LockFileError:
    return LockFileError(
        f"{path} is not a content lock file ({why}); move it aside and run 'sarcoma-edu content check --update' "
        "to write it again from the content as it is now"
    )


def _valid_entry(entry: Any) -> bool:
    if not isinstance(entry, dict) or set(entry) != {"answer", "depends_on", "tables"}:
        return False
    refs, tables = entry["depends_on"], entry["tables"]
    return (
        isinstance(refs, list)
        and all(
            isinstance(r, dict) and set(r) == {"table", "row", "hash"} and all(isinstance(v, str) for v in r.values())
            for r in refs
        )
        and isinstance(tables, dict)
        and all(isinstance(v, str) for v in tables.values())
    )


def read_lock(path: Path) -> dict[str, dict[str, Any]]:
    """The entries of a lock file, item id -> ``{"answer", "depends_on", "tables"}``; empty when there is no file.

    Raises:
        LockFileError: the file cannot be read, or is not a lock file (naming it and what to do).
    """
    if not Path(path).exists():
        return {}
    raw, problem = _jsonfiles.read_json(Path(path), what="content lock file", max_bytes=_MAX_LOCK_BYTES)
    if problem is not None:
        raise LockFileError(f"{problem}; move it aside and run 'sarcoma-edu content check --update' to write it again")
    if not isinstance(raw, dict) or raw.get("format") != LOCK_FORMAT or not isinstance(raw.get("items"), dict):
        raise _bad_lock(path, f'expected a JSON object with "format": {LOCK_FORMAT!r} and "items"')
    if raw.get("version") != _LOCK_VERSION:
        raise _bad_lock(path, f"version {raw.get('version')!r}; this sarcoma-edu reads version {_LOCK_VERSION}")
    bad = next((item_id for item_id, entry in raw["items"].items() if not _valid_entry(entry)), None)
    if bad is not None:
        raise _bad_lock(path, f'the entry of {bad!r} is not {{"answer", "depends_on", "tables"}}')
    return raw["items"]


def _dump(value: Any, sort_keys: bool = True) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=sort_keys)


def lock_text(entries: Mapping[str, Mapping[str, Any]]) -> str:
    """A lock file's text: items sorted by id, one row reference a line, so a change reads as a small diff."""
    dump = _dump
    lines = ["{", f' "format": {dump(LOCK_FORMAT)},', f' "version": {_LOCK_VERSION},', ' "items": {']
    ids = sorted(entries)
    for number, item_id in enumerate(ids):
        entry = entries[item_id]
        refs = [f"    {dump(dict(ref), sort_keys=False)}" for ref in entry["depends_on"]]  # table, row, hash
        lines += [f"  {dump(item_id)}: {{", f'   "answer": {dump(entry["answer"])},']
        lines += ['   "depends_on": [', ",\n".join(refs), "   ],"] if refs else ['   "depends_on": [],']
        lines += [f'   "tables": {dump(entry["tables"])}', "  }" + ("," if number < len(ids) - 1 else "")]
    return "\n".join([*lines, " }", "}"]) + "\n"


def write_lock(path: Path, entries: Mapping[str, Mapping[str, Any]]) -> Path:
    """Write a lock file atomically (a reader sees the old file or the new one, never half of one).

    Raises:
        OutputError: it could not be written (naming it and why); what was there is unchanged.
    """
    return _atomic.write_file(path, lock_text(entries))


def write_lock_entries(content: Path, entries: Mapping[str, Mapping[str, Any] | None]) -> Path:
    """Set some entries of a content folder's lock file (an entry None removes the item's); return its path.

    Raises:
        LockFileError: the lock file there is not one (nothing is written).
        OutputError: it could not be written; what was there is unchanged.
    """
    path = lock_path(content)
    current = read_lock(path)
    for item_id, entry in entries.items():
        if entry is None:
            current.pop(item_id, None)
        else:
            current[item_id] = dict(entry)
    return write_lock(path, current)


def write_lock_entry(content: Path, item_id: str, entry: Mapping[str, Any] | None) -> Path:
    """Set (or with None remove) one item's entry in a content folder's lock file; return its path."""
    return write_lock_entries(content, {item_id: entry})


def lock_entries(item: Mapping[str, Any], path: str | Path | None = None) -> dict[str, dict[str, Any]]:
    """The lock entries of one item as written in its file (a dict): what the studio records on Save.

    Args:
        item: a bank question or exercise (an entry only when it has ``derived_from``), or a case (one
            entry per computed step, under ``case:<case id>:<step id>``).
        path: the file it is saved in, named in error messages.

    Returns:
        Item id -> ``{"answer", "depends_on", "tables"}``; empty when the library computes no key.

    Raises:
        Whatever the library raises for an item it cannot answer (TypeError, ValueError, KeyError, ...);
        the studio's checks refuse such an item before Save.
    """
    where = Path(path) if path is not None else Path(f"{item.get('id', 'draft')}.json")
    if "steps" in item:
        found = _items_in(dict(item), "case step", where, builtin=False)
    else:
        found = _items_in([dict(item)], "exercise" if "lesson" in item else "question", where, builtin=False)
    return {i.id: compute_key(i).as_json() for i in found}


def lock_entry(item: Mapping[str, Any], path: str | Path | None = None) -> dict[str, Any] | None:
    """The lock entry of one bank question or exercise (a dict as written); None when it has no ``derived_from``."""
    if "steps" in item:
        raise ValueError("item is a case: a case has one entry per computed step; use lock_entries(case)")
    entries = lock_entries(item, path)
    return next(iter(entries.values()), None)
