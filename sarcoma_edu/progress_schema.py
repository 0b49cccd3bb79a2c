"""The progress file's table layout, its version, and the numbered migrations that bring it up to date.

The version is SQLite's own header field ``PRAGMA user_version``. A file written before versions
existed has 0 (it has the attempts table with six columns); each migration below raises it by one,
inside one ``BEGIN IMMEDIATE`` transaction, so a file is either fully upgraded or left as it was,
even when several notebooks open it at the same moment. Migrations only add (a table, a column);
they never drop, rename or rewrite a row, so every saved answer stays byte for byte as it was.

A file with a version above :data:`SCHEMA_VERSION` was written by a newer sarcoma-edu: it is
refused with a ``ValueError`` before anything is written, so the file stays byte-equal.

=========  ==================================================================================
Version    What it adds
=========  ==================================================================================
1          the ``attempts`` table: attempt_id, question_id, topic, answer (JSON), correct, answered_at
2          ``attempts.confidence``: the student's optional "sure", "unsure" or "guessed" (NULL when
           not given), used by the spaced review (:mod:`sarcoma_edu.review`)
=========  ==================================================================================
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sarcoma_edu import progress_exchange as exchange

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "file_version", "migrate", "refuse_newer", "stored_columns"]

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

    Raises:
        ValueError: the file is newer than this code (see :func:`refuse_newer`); nothing is changed.
    """
    refuse_newer(db, shown)
    if file_version(db) == SCHEMA_VERSION:
        return 0
    if not db.in_transaction:
        db.execute("BEGIN IMMEDIATE")  # holds the write lock: another process cannot migrate at the same time
    version = file_version(db)  # again, under the lock: another process may have migrated meanwhile
    refuse_newer(db, shown)
    for number in range(version + 1, SCHEMA_VERSION + 1):
        db.execute(MIGRATIONS[number - 1])
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    return SCHEMA_VERSION - version


def stored_columns(db: sqlite3.Connection) -> tuple[str, ...]:
    """The columns of the file's attempts table, in order (empty when there is no table yet)."""
    return tuple(row[1] for row in db.execute("PRAGMA table_info(attempts)"))
