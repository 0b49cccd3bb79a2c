"""The progress file's table layout, its version, and the numbered migrations that bring it up to date.

The version is SQLite's own header field ``PRAGMA user_version``. A file written before versions
existed has 0 (it has the attempts table with six columns); each migration below raises it by one,
inside one ``BEGIN IMMEDIATE`` transaction, so a file is either fully upgraded or left as it was,
even when several notebooks open it at the same moment. Migrations only add (a table, a column);
they never drop, rename or rewrite a row, so every saved answer stays byte for byte as it was.

A file with a version above :data:`SCHEMA_VERSION` was written by a newer sarcoma-edu: it is
refused with a ``ValueError`` before anything is written, so the file stays byte-equal.

**Whose file it is.** Nothing is ever written to a SQLite file the store has not recognised as a
progress file (:func:`foreign_reason`), checked when the file is opened and again, under the write
lock, before every write. The rule:

1. Any non-zero application id other than :data:`APPLICATION_ID` (``0x73656475``, "sedu"):
   another program's database. This release writes sarcoma-edu's into every file it creates or
   upgrades.
2. Whatever its application id, sarcoma-edu's or 0 (files written before the id, and a file with
   nothing in it yet), a file is a progress file only if its schema is what sarcoma-edu made,
   namely no tables at all and ``user_version`` 0 (an empty file), or the one table ``attempts``
   (and its primary-key index, nothing else) whose columns are by name and order exactly those
   the migrations below give for its ``user_version`` (0 to :data:`SCHEMA_VERSION`; 0 has version
   1's six). Anything else (another table, a view, a trigger, other columns, a ``user_version``
   above this code's) is another program's database,
3. except that a file bearing sarcoma-edu's application id with a ``user_version`` above this
   code's was written by a newer sarcoma-edu, whose tables this code does not know: it is
   refused as such (:func:`refuse_newer`), also unchanged.

A file sarcoma-edu did not make is refused with a :class:`ForeignDatabaseError` and left byte for
byte as it was; it is never told to "update sarcoma-edu", since only a file bearing sarcoma-edu's
application id can have been written by a newer one.

=========  ==================================================================================
Version    What it adds
=========  ==================================================================================
1          the ``attempts`` table: attempt_id, question_id, topic, answer (JSON), correct, answered_at
2          ``attempts.confidence``: the student's optional "sure", "unsure" or "guessed" (NULL when
           not given), used by the spaced review (:mod:`sarcoma_edu.study.review`)
=========  ==================================================================================
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sarcoma_edu.progress import exchange

__all__ = [
    "APPLICATION_ID",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "ForeignDatabaseError",
    "file_version",
    "foreign_reason",
    "migrate",
    "refuse_foreign",
    "refuse_newer",
    "stored_columns",
]

# SQLite's application_id header field in every progress file this release writes: "sedu" in ASCII
APPLICATION_ID = 0x73656475

_CONFIDENCE = ", ".join(f"'{c}'" for c in exchange.CONFIDENCE)
# MIGRATIONS[n - 1] brings a file from version n - 1 to version n
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE IF NOT EXISTS attempts (
        attempt_id  TEXT PRIMARY KEY,
        question_id TEXT NOT NULL,
        topic       TEXT NOT NULL DEFAULT '',
        answer      TEXT NOT NULL,
        correct     INTEGER NOT NULL CHECK (correct IN (0, 1)),
        answered_at TEXT NOT NULL
    )
    """,
    f"ALTER TABLE attempts ADD COLUMN confidence TEXT CHECK (confidence IS NULL OR confidence IN ({_CONFIDENCE}))",
)
SCHEMA_VERSION = len(MIGRATIONS)


class ForeignDatabaseError(ValueError):
    """The file is a SQLite database sarcoma-edu did not make; nothing in it was changed."""


def application_id(db: sqlite3.Connection) -> int:
    """The file's ``PRAGMA application_id`` (0 when no program has set one)."""
    return int(db.execute("PRAGMA application_id").fetchone()[0])


@functools.cache
def _columns_made_by(version: int) -> tuple[str, ...]:
    """The attempts table's column names in a file the migrations brought to ``version`` (0 had version 1's table)."""
    db = sqlite3.connect(":memory:")
    try:
        for sql in MIGRATIONS[: max(version, 1)]:
            db.execute(sql)
        return stored_columns(db)
    finally:
        db.close()


def foreign_reason(db: sqlite3.Connection) -> str | None:
    """Why the open file is not a sarcoma-edu progress file (the rule in the module docstring), or None.

    The file is read as one moment shows it (see :func:`_one_moment`), so a progress file another
    process is creating or upgrading at the same time is judged before or after, never half-way.

    Raises:
        sqlite3.DatabaseError: the file cannot be read (it is damaged, or not a SQLite database).
    """
    with _one_moment(db):
        return _foreign_reason(db)


@contextlib.contextmanager
def _one_moment(db: sqlite3.Connection) -> Iterator[None]:
    """Hold one read transaction over several reads, unless the caller already holds a transaction.

    Each statement outside a transaction reads the file afresh: another process's commit between
    two of them (its new table and version, say) would give a view no file ever had, e.g. version
    0's header with version 2's columns. Inside one, that commit waits (under its busy timeout)
    until the reads are done.
    """
    if db.in_transaction:  # e.g. under migrate's write lock: already one moment
        yield
        return
    db.execute("BEGIN DEFERRED")  # the first read takes a shared lock, kept until the end
    try:
        yield
    finally:
        db.rollback()  # nothing was written


def _foreign_reason(db: sqlite3.Connection) -> str | None:
    mark = application_id(db)
    if mark not in (0, APPLICATION_ID):
        return f"its SQLite application id is {mark:#010x}, not sarcoma-edu's {APPLICATION_ID:#010x}"
    version = file_version(db)
    if mark == APPLICATION_ID and version > SCHEMA_VERSION:
        return None  # a newer sarcoma-edu's file: refuse_newer says so
    objects = sorted(
        (kind, name)
        for kind, name in db.execute("SELECT type, name FROM sqlite_master")
        if not (name.startswith("sqlite_autoindex_attempts_") or name.startswith("sqlite_stat"))
    )
    if not objects:
        return None if version == 0 else f"it has no tables and its user_version is {version}"
    if objects != [("table", "attempts")]:
        shown = ", ".join(f"{kind} {name}" for kind, name in objects)
        return f"it holds {shown}"
    columns = stored_columns(db)
    if columns not in {_columns_made_by(v) for v in range(SCHEMA_VERSION + 1)}:
        return f"its table attempts has the columns {', '.join(columns)}, not those of a progress file"
    if not 0 <= version <= SCHEMA_VERSION:
        return f"its user_version is {version}, which no sarcoma-edu wrote"
    if columns != _columns_made_by(version):
        return f"its table attempts has the columns {', '.join(columns)}, not those of version {version}"
    return None


def refuse_foreign(db: sqlite3.Connection, shown: Path) -> None:
    """Raise a :class:`ForeignDatabaseError` naming the file and why, unless it is a progress file.

    Nothing is written, so the file stays byte-equal.
    """
    reason = foreign_reason(db)
    if reason is not None:
        raise ForeignDatabaseError(
            f"path={str(shown)!r} is a SQLite database of another program ({reason}), not a sarcoma-edu "
            "progress file; nothing in it was changed; choose another file with the environment variable "
            "SARCOMA_EDU_PROGRESS or the path argument"
        )


def file_version(db: sqlite3.Connection) -> int:
    """The file's ``PRAGMA user_version`` (0 for a file written before versions existed)."""
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def refuse_newer(db: sqlite3.Connection, shown: Path) -> None:
    """Raise a ``ValueError`` naming the file and both versions when the file is newer than this code.

    Nothing is written, so the file stays byte-equal.
    """
    version = file_version(db)
    if version > SCHEMA_VERSION:
        raise ValueError(
            f"path={str(shown)!r} is a progress file of version {version}, written by a newer sarcoma-edu; "
            f"this sarcoma-edu reads progress files up to version {SCHEMA_VERSION}, so the file was left "
            "unchanged; update sarcoma-edu (pip install --upgrade sarcoma-edu), or choose another file with "
            "the environment variable SARCOMA_EDU_PROGRESS or the path argument"
        )


def migrate(db: sqlite3.Connection, shown: Path) -> int:
    """Bring the file up to :data:`SCHEMA_VERSION` in one transaction; return how many migrations ran.

    The file is recognised as a progress file first, and again under the write lock, and given
    sarcoma-edu's application id if it has none yet.

    Raises:
        ForeignDatabaseError: the file is another program's database; nothing is changed.
        ValueError: the file is newer than this code (see :func:`refuse_newer`); nothing is changed.
    """
    refuse_foreign(db, shown)
    refuse_newer(db, shown)
    if file_version(db) == SCHEMA_VERSION and application_id(db) == APPLICATION_ID:
        return 0
    if not db.in_transaction:
        db.execute("BEGIN IMMEDIATE")  # holds the write lock: another process cannot migrate at the same time
    refuse_foreign(db, shown)  # again, under the lock: the file may have been replaced meanwhile
    version = file_version(db)  # and another process may have migrated it
    refuse_newer(db, shown)
    for number in range(version + 1, SCHEMA_VERSION + 1):
        db.execute(MIGRATIONS[number - 1])
    if version != SCHEMA_VERSION:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    if application_id(db) != APPLICATION_ID:
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    return SCHEMA_VERSION - version


def stored_columns(db: sqlite3.Connection) -> tuple[str, ...]:
    """The columns of the file's attempts table, in order (empty when there is no table yet)."""
    return tuple(row[1] for row in db.execute("PRAGMA table_info(attempts)"))
