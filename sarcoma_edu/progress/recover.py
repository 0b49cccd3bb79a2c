"""Bring back the answers in a progress file that was moved aside (``sarcoma-edu progress recover FILE``,
:mod:`sarcoma_edu.progress.command`).

A file SQLite proved broken is kept as ``<name>.corrupt-<UTC time>`` next to the progress file; a
copy cut short (an interrupted copy or upload), one whose last pages were lost, or one whose header
gives the wrong number of pages is such a file too. Recovery uses SQLite's own reading, not
hand-parsing of the file's bytes, and brings back every attempt SQLite can still read:

- a header whose page count disagrees with the file's size (a count SQLite trusts, so pages beyond
  it would be taken as missing) is set aside: the file is read through a private temporary copy
  (in a folder only this user can enter, removed afterwards) whose page count is 0, which makes
  SQLite count the pages from the size of the file itself;
- the file is opened read-only (``mode=ro&immutable=1``, so it is never changed) with
  ``PRAGMA writable_schema=ON``, which lets SQLite load a schema whose tables point past the end of
  a cut file instead of refusing the whole file as malformed;
- the attempts table is read whole when it can be; otherwise row by row, by row number: the row
  numbers are gathered from every part of the table and of its attempt-id index that can be read
  (scanned from either end), and every number from 1 up to the highest is asked for;
- when some of those cannot be read, or the table's last page is lost, every page of a private copy
  is read in turn as if it were the root of the table (:mod:`sarcoma_edu.progress.pages`), so the
  attempts on intact pages come back even when the table's root or an inner page that leads to
  them is damaged. (Without room for a copy, the numbers after the highest are asked for instead,
  until more numbers in a row than the file could hold rows have come back empty.) A damaged or
  missing page then loses only the attempts stored on it.

The store never deletes a row, so its row numbers run from 1 without gaps: every number asked for
that SQLite cannot read is an attempt lost, and the command says how many. When the end of the
table itself is lost (a file cut short) nothing says how many rows were stored after it, and the
command says "at least" that many. Every row read is checked like any stored row and merged by
attempt id, so running it twice adds nothing. A file of any version is read; the students'
confidence comes back too where the file has it. A file with another program's application id, or
whose attempts table is not a progress file's, is refused. (The ``sqlite3`` shell's ``.recover``
is not used: it is often not installed.)
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sarcoma_edu.progress import exchange
from sarcoma_edu.progress import schema as progress_schema
from sarcoma_edu.progress.pages import rows_by_page
from sarcoma_edu.progress.store import ProgressStorageError, ProgressStore

__all__ = ["Recovery", "recover"]

# rows a page can hold at most: each stored attempt takes well over 24 bytes of a page
_MIN_ROW_BYTES = 24


def _columns(db: sqlite3.Connection) -> list[str]:
    """The six fields, and confidence when the file has it (when its schema can be read at all)."""
    try:
        stored = {row[1] for row in db.execute("PRAGMA table_info(attempts)")}
    except sqlite3.DatabaseError:
        return list(exchange.FIELDS)
    return [*exchange.FIELDS, *(c for c in exchange.OPTIONAL_FIELDS if c in stored)]


@dataclass(frozen=True)
class Recovery:
    """What :func:`recover` brought back.

    Attributes:
        source: the file read.
        into: the progress store the attempts were merged into.
        readable: attempts read intact from ``source``.
        added: of those, how many were new in ``into`` (the others were already there).
        lost: attempts that could not be read, or None when the damage hides how many there were.
        lost_at_least: attempts known to be lost (equal to ``lost`` when that is known).
    """

    source: Path
    into: Path
    readable: int
    added: int
    lost: int | None
    lost_at_least: int = 0

    def describe(self) -> str:
        """One plain sentence for the student."""
        if self.lost is not None:
            lost = f"{self.lost} could not be read"
        elif self.lost_at_least:
            lost = f"at least {self.lost_at_least} could not be read (the end of the file is lost: there may be more)"
        else:
            lost = "an unknown number could not be read (the end of the file is lost)"
        return (
            f"Recovered {self.readable} attempt(s) from {self.source} into {self.into} "
            f"({self.added} new, {self.readable - self.added} already there); {lost}."
        )


def recover(file: str | Path, into: str | Path | None = None) -> Recovery:
    """Merge every attempt SQLite can still read from a damaged or moved-aside progress file into a progress store.

    Args:
        file: the moved-aside file, e.g. ``~/.sarcoma_edu/progress.sqlite3.corrupt-20260302T140509123456Z``,
            or any copy of a progress file (cut short, or with lost pages).
        into: the store to merge into; None uses the default store (``$SARCOMA_EDU_PROGRESS``).

    Raises:
        ValueError: ``file`` is missing, not a regular file, not a SQLite database, another program's
            database, holds no attempts table, or is the store itself.
        ProgressStorageError: the store could not be opened or written (busy, read-only, damaged, not a
            file, another program's database, or a progress file of a newer sarcoma-edu); nothing was added.
    """
    source = Path(file).expanduser()
    if not source.is_file():
        what = "does not exist" if not source.exists() else "is not a regular file"
        raise ValueError(f"FILE {str(source)!r} {what}; give the moved-aside file (<name>.corrupt-<time>)")
    if not os.access(source, os.R_OK):
        raise ValueError(f"FILE {str(source)!r} cannot be read (permission denied)")
    try:
        store = ProgressStore(into)
    except ValueError as error:  # a folder, another program's database, a file of a newer sarcoma-edu
        raise ProgressStorageError(str(error)) from None
    if os.path.realpath(source) == os.path.realpath(store.path):
        raise ValueError(f"FILE {str(source)!r} is the progress store itself; give the moved-aside copy")
    with _readable_copy(source) as readable:
        rows, lost, complete = _salvage(readable, source)
    attempts = []
    for row in rows:
        attempt, _problem = exchange.attempt_from_row(row)
        if attempt is None:  # a row garbled by the damage
            lost += 1
        else:
            attempts.append(attempt)
    added = store.add_attempts(attempts, "nothing was recovered") if attempts else 0
    return Recovery(source, store.path, len(attempts), added, lost if complete else None, lost)


def _open(source: Path) -> sqlite3.Connection:
    db = sqlite3.connect(f"file:{urllib.parse.quote(str(source))}?mode=ro&immutable=1", uri=True)
    db.execute("PRAGMA writable_schema=ON")  # a schema pointing past the end of a cut file still loads
    return db


_HEADER = b"SQLite format 3\x00"


def _page_count_is_wrong(source: Path) -> bool:
    """Whether the header's page count (bytes 28-31) is set and differs from the pages the file holds."""
    try:
        with open(source, "rb") as handle:
            head = handle.read(100)
        size = source.stat().st_size
    except OSError:
        return False
    if len(head) < 100 or not head.startswith(_HEADER):
        return False
    page = int.from_bytes(head[16:18], "big")
    page = 65536 if page == 1 else page
    if page < 512 or page & (page - 1):  # not a page size SQLite writes: it refuses the file anyway
        return False
    stated = int.from_bytes(head[28:32], "big")
    return stated != 0 and stated != -(-size // page)


@contextlib.contextmanager
def _readable_copy(source: Path) -> Iterator[Path]:
    """``source``, or a private temporary copy of it whose page count SQLite takes from the file's size."""
    if not _page_count_is_wrong(source):
        yield source
        return
    try:
        folder = Path(tempfile.mkdtemp(prefix="sarcoma-edu-recover-"))  # made 0700
    except OSError:  # no temporary folder: read the file as it is
        yield source
        return
    try:
        copy = folder / "copy.sqlite3"
        try:
            shutil.copyfile(source, copy)
            with open(copy, "r+b") as handle:
                handle.seek(28)
                handle.write(bytes(4))
        except OSError:  # no room for a copy: read the file as it is
            copy = source
        yield copy
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _refuse(source: Path, db: sqlite3.Connection) -> None:
    """Refuse a file that is not a SQLite database, or is another program's, or holds no attempts table."""
    try:
        mark = progress_schema.application_id(db)
        stored = [row[1] for row in db.execute("PRAGMA table_info(attempts)")]
    except sqlite3.DatabaseError as error:
        if getattr(error, "sqlite_errorcode", 0) & 0xFF == 26 or "not a database" in str(error):
            raise ValueError(f"FILE {str(source)!r} is not a SQLite database: nothing in it can be recovered") from None
        raise ValueError(f"FILE {str(source)!r}: SQLite cannot read even its list of tables ({error})") from None
    if mark not in (0, progress_schema.APPLICATION_ID):
        raise ValueError(
            f"FILE {str(source)!r} is a database of another program (application id {mark:#010x}); "
            "nothing was recovered"
        )
    if not stored:
        raise ValueError(f"FILE {str(source)!r} holds no quiz attempts (it has no attempts table)")
    if stored[: len(exchange.FIELDS)] != list(exchange.FIELDS):
        raise ValueError(
            f"FILE {str(source)!r} has an attempts table with the columns {', '.join(stored)}, not a progress "
            "file's; nothing was recovered"
        )


def _salvage(readable: Path, source: Path) -> tuple[list[tuple], int, bool]:
    """Every attempts row SQLite can still read in ``readable`` (``source`` or a copy of it), how many it could
    not, and whether that count is complete; messages name ``source``."""
    db = _open(readable)
    try:
        _refuse(source, db)
        columns = _columns(db)
        select = f"SELECT {', '.join(columns)} FROM attempts"
        try:
            return db.execute(f"{select} ORDER BY rowid").fetchall(), 0, True
        except sqlite3.DatabaseError:
            pass
        known, end = _row_numbers(db)
        highest = max(known, default=0)
        found = {rowid: row for rowid in range(1, highest + 1) if (row := _row(db, select, rowid)) is not None}
        if end is None or len(found) < highest:  # attempts SQLite cannot reach from the table's root: page by page
            scanned = rows_by_page(readable, columns)
            if scanned is not None:
                for rowid, row in scanned.items():
                    if rowid not in found and exchange.attempt_from_row(row)[0] is not None:
                        found[rowid] = row  # a row of the table (any other page gives none that reads as one)
            elif end is None:  # no copy to read page by page: look past the highest number known
                rowid, missed, limit = highest, 0, _most_rows(readable)
                while missed < limit:
                    rowid += 1
                    row = _row(db, select, rowid)
                    missed = missed + 1 if row is None else 0
                    if row is not None:
                        found[rowid] = row
        # no row is ever deleted: a number up to the highest that was not read is an attempt lost
        lost = max(highest, max(found, default=0)) - len(found)
        return [found[rowid] for rowid in sorted(found)], lost, end is not None
    finally:
        db.close()


def _row(db: sqlite3.Connection, select: str, rowid: int) -> tuple | None:
    """The row numbered ``rowid``, or None when SQLite cannot read it (a damaged page may also read as no row)."""
    try:
        return db.execute(f"{select} WHERE rowid = ?", (rowid,)).fetchone()
    except sqlite3.DatabaseError:
        return None


def _row_numbers(db: sqlite3.Connection) -> tuple[set[int], int | None]:
    """Row numbers found in whatever can be read of the table and its index, and the highest when it is known.

    Each is scanned from both ends until the damage stops it; ``max(rowid)`` reads the table's last page,
    and an index read whole from end to end holds every row's number (one entry per attempt).
    """
    rowids: set[int] = set()
    index = "INDEXED BY sqlite_autoindex_attempts_1 ORDER BY attempt_id"
    whole_index: set[int] | None = None
    for query in (
        "SELECT rowid FROM attempts ORDER BY rowid",
        "SELECT rowid FROM attempts ORDER BY rowid DESC",
        f"SELECT rowid FROM attempts {index}",
        f"SELECT rowid FROM attempts {index} DESC",
    ):
        read: set[int] = set()
        try:
            for (rowid,) in db.execute(query):
                read.add(rowid)
        except sqlite3.DatabaseError:
            continue
        finally:
            rowids |= read
        if "INDEXED BY" in query:
            whole_index = read
    try:
        end = db.execute("SELECT max(rowid) FROM attempts").fetchone()[0] or 0
    except sqlite3.DatabaseError:
        return rowids, (max(whole_index, default=0) if whole_index is not None else None)
    rowids.add(end)
    return rowids, end


def _most_rows(source: Path) -> int:
    """More rows than the file could hold: how far to look past the last row number known."""
    try:
        size = max(source.stat().st_size, 4096)
    except OSError:
        size = 4096
    return size // _MIN_ROW_BYTES + 1
