"""Reading a damaged progress file page by page, for :mod:`sarcoma_edu.progress.recover`.

SQLite reaches an attempt through the table's root page and the inner pages under it: when one of
those is damaged, the attempts on the intact pages below it cannot be reached, although every byte
of them is still in the file. :func:`rows_by_page` asks SQLite to read each page of a private copy
of the file in turn as if it were the root of the attempts table (the copy's schema entry is
pointed at it with ``PRAGMA writable_schema``). A page of the table, inner or leaf, then gives its
rows with their row numbers; any other page (the attempt-id index, the schema, free or damaged
pages) is refused by SQLite and skipped. The damaged file itself is only copied, never written.

The copy is made in a temporary folder only this user can enter (0700) and removed afterwards; its
header's page count is cleared, so that SQLite counts the pages from the size of the copy, and its
list of free pages is cleared, so that nothing the schema change writes can land on a page still to
be read.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Sequence
from pathlib import Path

__all__ = ["rows_by_page"]


def rows_by_page(source: Path, columns: Sequence[str]) -> dict[int, tuple] | None:
    """Every attempts row SQLite can read on any page of ``source``, by row number.

    Args:
        source: a progress file (its schema, on page 1, readable).
        columns: the attempts columns to read, in order.

    Returns:
        ``{rowid: row}``, the first reading of each row number; None when no private copy could be
        made (no temporary folder, or no room), so nothing was read.
    """
    try:
        folder = Path(tempfile.mkdtemp(prefix="sarcoma-edu-recover-"))
    except OSError:
        return None
    try:
        copy = folder / "pages.sqlite3"
        try:
            shutil.copyfile(source, copy)
            with open(copy, "r+b") as handle:
                head = bytearray(handle.read(100))
                head[28:40] = bytes(12)  # page count, first free page, free page count
                handle.seek(0)
                handle.write(head)
            pages = _pages(copy, head)
        except OSError:
            return None
        return _read_each_page(copy, columns, pages)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _pages(copy: Path, head: bytes) -> int:
    size = int.from_bytes(head[16:18], "big")
    size = 65536 if size == 1 else size
    return -(-copy.stat().st_size // max(size, 512))


def _read_each_page(copy: Path, columns: Sequence[str], pages: int) -> dict[int, tuple]:
    rows: dict[int, tuple] = {}
    db = sqlite3.connect(copy, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=OFF")  # the copy is thrown away: no journal, no waiting for the disk
        db.execute("PRAGMA synchronous=OFF")
        db.execute("PRAGMA writable_schema=ON")
        version = db.execute("PRAGMA schema_version").fetchone()[0]
        select = f"SELECT rowid, {', '.join(columns)} FROM attempts"
        for page in range(2, pages + 1):  # page 1 holds the schema
            try:
                db.execute("UPDATE sqlite_master SET rootpage = ? WHERE type = 'table' AND name = 'attempts'", (page,))
                version += 1
                db.execute(f"PRAGMA schema_version = {version}")  # SQLite reads the changed schema again
                for rowid, *row in db.execute(select):
                    rows.setdefault(rowid, tuple(row))
            except sqlite3.DatabaseError:
                continue
    except sqlite3.DatabaseError:
        pass
    finally:
        db.close()
    return rows
