"""``sarcoma-edu content check``: which computed keys have changed since their lock file was written.

:func:`check_content` recomputes the key of every item the library answers
(:func:`~sarcoma_edu.course.keys.computed_items`: the built-in ones, and an instructor's when a
content folder is given) and compares each with its lock file's entry. A :class:`LockCheck` per
lock file lists the items whose answer changed (old -> new, and the table rows that changed under
it, or why it cannot be computed now), the items the lock does not have yet, and the entries of
items that are gone. :func:`update_locks` writes each lock that no longer matches the content.
A student's saved verdicts are never touched: a changed key only tells the instructor which saved
answers were graded under the old one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sarcoma_edu.clinical import provenance
from sarcoma_edu.clinical.tables import DatasetError
from sarcoma_edu.course.keys import (
    ComputedKey,
    KeyedItem,
    compute_key,
    computed_items,
    lock_path,
    read_lock,
    write_lock,
)

__all__ = ["KeyChange", "LockCheck", "changed_rows", "check_content", "update_locks"]

_UPDATE = "sarcoma-edu content check --update"


def _shown(answer: Any) -> str:
    if isinstance(answer, list):
        return " / ".join(map(repr, answer)) if answer else "(nothing)"
    if isinstance(answer, dict):
        right = [text for text, ok in answer.items() if ok]
        return "right: " + (" / ".join(map(repr, right)) if right else "(none)")
    return repr(answer)


def _current_hash(table: str, row: str) -> str | None:
    """The hash of a row as the table is now; None when the row (or the table) is gone."""
    try:
        ref = provenance.row_refs(table).get(row)
    except DatasetError:
        return None
    return None if ref is None else ref.hash


def _table_now(table: str) -> str | None:
    try:
        return provenance.table_hash(table)
    except DatasetError:
        return None


def changed_rows(old: Mapping[str, Any], new: ComputedKey | None) -> tuple[str, ...]:
    """The rows under a key that are not as its lock entry recorded them (in the tables as they are now), in words."""
    found: list[tuple[str, str, str]] = []  # (what, table, row)
    old_rows = {(r["table"], r["row"]): r["hash"] for r in old["depends_on"]}
    for (table, row), digest in old_rows.items():
        now = _current_hash(table, row)
        if now != digest:
            found.append(("row removed" if now is None else "row changed", table, row))
    if new is not None:
        found += [("now also read", r.table, r.row) for r in new.depends_on if (r.table, r.row) not in old_rows]
    lines = [f"{what}: {table} [{row}]" for what, table, row in found]
    named = {table for _, table, _ in found}
    for table, digest in old["tables"].items():
        if table not in named and _table_now(table) != digest:
            lines.append(f"table changed elsewhere: {table} (a row added, removed, moved or now matching first)")
    return tuple(lines)


@dataclass(frozen=True)
class KeyChange:
    """One item whose answer is not what its lock entry says: old and new answer, and the rows that changed.

    ``new`` is None when the key cannot be computed now (``error`` says why).
    """

    item: KeyedItem
    old: Mapping[str, Any]
    new: ComputedKey | None
    error: str | None = None
    rows: tuple[str, ...] = ()  # the rows that changed under the key, in words (see changed_rows)

    def describe(self) -> list[str]:
        """The change in lines: the item, old -> new answer, then each changed row indented."""
        now = f"cannot be computed now: {self.error}" if self.new is None else _shown(self.new.answer)
        head = f"{self.item.id} ({self.item.where()}): {_shown(self.old['answer'])} -> {now}"
        return [head, *(f"    {line}" for line in self.rows)]


@dataclass(frozen=True)
class LockCheck:
    """One lock file checked against the content it covers (the built-in content, or a content folder's)."""

    path: Path
    builtin: bool
    items: tuple[KeyedItem, ...]
    keys: Mapping[str, ComputedKey]
    errors: Mapping[str, str]
    old: Mapping[str, Mapping[str, Any]]
    changes: tuple[KeyChange, ...] = field(default=())

    @property
    def missing(self) -> tuple[KeyedItem, ...]:
        """Items the lock has no entry for yet."""
        return tuple(item for item in self.items if item.id not in self.old)

    @property
    def gone(self) -> tuple[str, ...]:
        """Ids the lock has an entry for but the content no longer has (or no longer computes a key for)."""
        ids = {item.id for item in self.items}
        return tuple(sorted(i for i in self.old if i not in ids))

    @property
    def entries(self) -> dict[str, dict[str, Any]]:
        """The lock as :func:`update_locks` writes it: each item's new key; the old entry where none can be computed."""
        out = {item_id: key.as_json() for item_id, key in self.keys.items()}
        out.update({item_id: dict(self.old[item_id]) for item_id in self.errors if item_id in self.old})
        return out

    @property
    def changed(self) -> bool:
        """Whether an answer changed, or an item has no entry, or an entry's item is gone (content check exits 3)."""
        return bool(self.changes or self.missing or self.gone)

    @property
    def stale(self) -> bool:
        """Whether the lock file differs in anything from what :func:`update_locks` would write (hashes too)."""
        return self.entries != {k: dict(v) for k, v in self.old.items()}

    def describe(self) -> list[str]:
        """What changed, one item a line (rows indented), for the terminal."""
        lines = [line for change in self.changes for line in change.describe()]
        for item in self.missing:
            key = self.keys.get(item.id)
            now = _shown(key.answer) if key else f"cannot be computed now: {self.errors[item.id]}"
            lines.append(f"{item.id} ({item.where()}): not in {self.path.name} yet; its key is {now}")
        lines += [f"{item_id}: in {self.path.name}, but no such item computes a key any more" for item_id in self.gone]
        return lines


def _check_one(path: Path, builtin: bool, items: Sequence[KeyedItem]) -> LockCheck:
    old = read_lock(path)
    keys: dict[str, ComputedKey] = {}
    errors: dict[str, str] = {}
    for item in items:
        try:
            keys[item.id] = compute_key(item)
        except (TypeError, ValueError, KeyError, AttributeError, IndexError, LookupError) as error:
            errors[item.id] = str(error) or type(error).__name__
    changes = tuple(
        KeyChange(
            item, old[item.id], keys.get(item.id), errors.get(item.id), changed_rows(old[item.id], keys.get(item.id))
        )
        for item in items
        if item.id in old and (item.id in errors or keys[item.id].answer != old[item.id]["answer"])
    )
    return LockCheck(path, builtin, tuple(items), keys, errors, old, changes)


def check_content(content: Path | None = None) -> tuple[LockCheck, ...]:
    """Recompute every computed key and compare it with its lock file.

    Args:
        content: the instructor's content folder, or None for the built-in content only.

    Returns:
        The built-in content's :class:`LockCheck`, then the content folder's when one is given.

    Raises:
        LockFileError: a lock file or content file that cannot be read (naming it and what to do).
    """
    items = computed_items(content)
    checks = [_check_one(lock_path(None), True, [i for i in items if i.builtin])]
    if content is not None:
        checks.append(_check_one(lock_path(content), False, [i for i in items if not i.builtin]))
    return tuple(checks)


def update_locks(checks: Sequence[LockCheck]) -> list[Path]:
    """Write each lock file that differs from its content's keys (atomically); return the files written.

    An item whose key cannot be computed keeps its old entry, so the change stays in view.

    Raises:
        OutputError: a lock file could not be written (naming it and why); what was there is unchanged.
    """
    return [write_lock(check.path, check.entries) for check in checks if check.stale]
