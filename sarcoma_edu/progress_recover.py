"""Bring back the answers in a progress file that was moved aside: ``sarcoma-edu progress recover FILE``.

A file SQLite proved broken is kept as ``<name>.corrupt-<UTC time>`` next to the progress file.
Recovery uses SQLite's own reading, not hand-parsing of the file's bytes: the file is opened
read-only (``mode=ro&immutable=1``, so it is never changed), the attempts table is read whole when
it can be, and otherwise row by row, by row number, through both the table and its attempt-id
index. One damaged page then loses only the attempts stored on it, and the ones lost are counted.
Every row read is checked like any stored row, and merged by attempt id, so running it twice adds
nothing. A file of any version is read; the students' confidence comes back too where the file has it.
(The ``sqlite3`` shell's ``.recover`` is not used: it is often not installed.)
"""

from __future__ import annotations

import os
import sqlite3
import sys
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from sarcoma_edu import progress_exchange as exchange
from sarcoma_edu.progress import ProgressStore

__all__ = ["Recovery", "recover"]

_FIELDS = f"SELECT {', '.join(exchange.FIELDS)} FROM attempts"


def _select(db: sqlite3.Connection) -> str:
    """Select the six fields, and confidence when the file has it (when its schema can be read at all)."""
    try:
        stored = {row[1] for row in db.execute("PRAGMA table_info(attempts)")}
    except sqlite3.DatabaseError:
        return _FIELDS
    extra = [c for c in exchange.OPTIONAL_FIELDS if c in stored]
    return _FIELDS.replace(" FROM", "".join(f", {c}" for c in extra) + " FROM", 1)


@dataclass(frozen=True)
class Recovery:
    """What :func:`recover` brought back.

    Attributes:
        source: the file read.
        into: the progress store the attempts were merged into.
        readable: attempts read intact from ``source``.
        added: of those, how many were new in ``into`` (the others were already there).
        lost: attempts that could not be read, or None when the damage hides how many there were.
    """

    source: Path
    into: Path
    readable: int
    added: int
    lost: int | None

    def describe(self) -> str:
        """One plain sentence for the student."""
        lost = "an unknown number could not be read" if self.lost is None else f"{self.lost} could not be read"
        return (
            f"Recovered {self.readable} attempt(s) from {self.source} into {self.into} "
            f"({self.added} new, {self.readable - self.added} already there); {lost}."
        )


def recover(file: str | Path, into: str | Path | None = None) -> Recovery:
    """Merge every readable attempt of a moved-aside progress file into a progress store.

    Args:
        file: the moved-aside file, e.g. ``~/.sarcoma_edu/progress.sqlite3.corrupt-20260302T140509123456Z``.
        into: the store to merge into; None uses the default store (``$SARCOMA_EDU_PROGRESS``).

    Raises:
        ValueError: ``file`` is missing, not a regular file, not a SQLite database, holds no attempts
            table, or is the store itself.
    """
    source = Path(file).expanduser()
    if not source.is_file():
        what = "does not exist" if not source.exists() else "is not a regular file"
        raise ValueError(f"FILE {str(source)!r} {what}; give the moved-aside file (<name>.corrupt-<time>)")
    if not os.access(source, os.R_OK):
        raise ValueError(f"FILE {str(source)!r} cannot be read (permission denied)")
    store = ProgressStore(into)
    if os.path.realpath(source) == os.path.realpath(store.path):
        raise ValueError(f"FILE {str(source)!r} is the progress store itself; give the moved-aside copy")
    rows, lost = _salvage(source)
    attempts = []
    for row in rows:
        attempt, _problem = exchange.attempt_from_row(row)
        if attempt is None:  # a row garbled by the damage
            lost = None if lost is None else lost + 1
        else:
            attempts.append(attempt)
    added = store.add_attempts(attempts, "nothing was recovered") if attempts else 0
    return Recovery(source, store.path, len(attempts), added, lost)


def _salvage(source: Path) -> tuple[list[tuple], int | None]:
    """Every attempts row SQLite can still read, and how many rows it could not (None: unknown)."""
    uri = f"file:{urllib.parse.quote(str(source))}?mode=ro&immutable=1"
    db = sqlite3.connect(uri, uri=True)
    select = _select(db)
    try:
        try:
            return db.execute(f"{select} ORDER BY rowid").fetchall(), 0
        except sqlite3.DatabaseError as error:
            if "no such table" in str(error):
                raise ValueError(f"FILE {str(source)!r} holds no quiz attempts (SQLite: {error})") from None
            if getattr(error, "sqlite_errorcode", 0) & 0xFF == 26 or "not a database" in str(error):
                raise ValueError(
                    f"FILE {str(source)!r} is not a SQLite database: nothing in it can be recovered"
                ) from None
        rowids, complete = _row_numbers(db)
        rows, lost = [], 0
        for rowid in sorted(rowids):
            try:
                row = db.execute(f"{select} WHERE rowid = ?", (rowid,)).fetchone()
            except sqlite3.DatabaseError:
                lost += 1
                continue
            if row is not None:
                rows.append(row)
        if not complete:
            rows += [r for r in _scan_until_damage(db, select) if r not in rows]
        return rows, lost if complete else None
    finally:
        db.close()


def _row_numbers(db: sqlite3.Connection) -> tuple[set[int], bool]:
    """Row numbers of the attempts, from the attempt-id index and the highest row number.

    The store never deletes a row, so its row numbers run from 1 to the highest one; when either
    the whole index or that highest number can be read, every row is accounted for.
    """
    rowids: set[int] = set()
    complete = False
    try:
        for (rowid,) in db.execute("SELECT rowid FROM attempts INDEXED BY sqlite_autoindex_attempts_1"):
            rowids.add(rowid)
        complete = True
    except sqlite3.DatabaseError:
        pass
    try:
        top = db.execute("SELECT max(rowid) FROM attempts").fetchone()[0] or 0
        rowids.update(range(1, top + 1))
        complete = True
    except sqlite3.DatabaseError:
        pass
    return rowids, complete


def _scan_until_damage(db: sqlite3.Connection, select: str) -> list[tuple]:
    rows = []
    try:
        for row in db.execute(select):
            rows.append(row)
    except sqlite3.DatabaseError:
        pass
    return rows


def command(file: str, into: str | None) -> int:
    """``sarcoma-edu progress recover FILE [--into PATH]``: print what was recovered; 0, or 2 with one line."""
    try:
        result = recover(file, into)
    except (ValueError, OSError) as error:
        print(f"sarcoma-edu progress recover: error: {error}", file=sys.stderr)
        return 2
    print(result.describe())
    return 0
