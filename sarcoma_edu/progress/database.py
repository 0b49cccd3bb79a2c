"""The SQLite side of the progress store: open the file safely, wait for a busy one, check it, move a
broken one aside, and write in one short transaction.

:class:`ProgressDatabase` is what :class:`~sarcoma_edu.progress.store.ProgressStore` is built on (the
store adds what an attempt is: recording, reading, exporting). It asks :mod:`sarcoma_edu.progress.files`
about the file itself and :mod:`sarcoma_edu.progress.schema` whose file it is and which version. What
it does with a file it cannot use:

- a path that is not a regular file (a folder, a FIFO, a socket, a device, a link to one of those):
  refused with a ``ValueError`` before anything is opened; nothing is renamed or created;
- a file another program holds locked: retried for ``timeout`` seconds, then
  :class:`~sarcoma_edu.progress.files.ProgressBusyError`; the file is left as it is;
- a read-only file or folder: attempts are still read, and a write raises
  :class:`~sarcoma_edu.progress.files.ProgressReadOnlyError`;
- another program's SQLite database (one sarcoma-edu did not make; the rule is in
  :mod:`sarcoma_edu.progress.schema`): refused with a ``ValueError`` (a
  :class:`~sarcoma_edu.progress.schema.ForeignDatabaseError`) before anything is written, and
  checked again before every read and write, so a file swapped for another database mid-session is
  never changed either; its bytes stay as they were. It is recognised through a read-only
  connection first: a read-write one would, on closing, copy the other program's write-ahead log
  into its file, and a damaged database of another program whose list of tables can still be read
  is refused, not moved aside;
- only a regular file that fails SQLite's integrity check, or is not a SQLite database at all, is
  renamed aside byte for byte (``<name>.corrupt-<UTC time>``, next to it), once even when several
  processes find it together, with a warning naming both files; ``sarcoma-edu progress recover``
  brings its readable attempts back.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from sarcoma_edu.progress import exchange
from sarcoma_edu.progress import files as progress_file
from sarcoma_edu.progress import schema as progress_schema
from sarcoma_edu.progress.files import CHOOSE, ProgressBusyError, ProgressReadOnlyError, ProgressStorageError

__all__ = ["COLUMNS", "ProgressDatabase"]

COLUMNS = (*exchange.FIELDS, *exchange.OPTIONAL_FIELDS)  # an attempt's columns in the file, in order
# SQLite's primary result codes (https://www.sqlite.org/rescode.html)
_BUSY, _LOCKED, _READONLY, _CORRUPT, _CANTOPEN, _NOTADB = 5, 6, 8, 11, 14, 26
_READONLY_ROLLBACK = 776  # a read-only connection found a hot journal it may not roll back
T = TypeVar("T")


class _CorruptError(Exception):
    """SQLite's own check proved the file broken."""


def _code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


class ProgressDatabase:
    """The attempts table of one progress file, read and written safely (see the module's docstring).

    Args:
        path: the file, as the student named it (messages show it so).
        timeout: seconds to wait for a file another program holds locked; None uses
            ``$SARCOMA_EDU_PROGRESS_TIMEOUT`` or :data:`~sarcoma_edu.progress.files.DEFAULT_TIMEOUT`.

    Attributes:
        path: the file in use.
        timeout: the busy timeout in seconds.
        moved_aside: where a corrupt file was moved, or None.
    """

    def __init__(self, path: Path, timeout: float | None) -> None:
        self.path = path
        self.timeout = progress_file.busy_timeout(timeout)
        self.moved_aside: Path | None = None
        progress_file.refuse_what_is_not_a_file(self.path)
        self._file = Path(os.path.realpath(self.path))
        progress_file.make_private_folder(self._file.parent)  # a read-only parent: read_only says so
        self._open_checked("opened")

    @property
    def read_only(self) -> str | None:
        """Why new answers cannot be saved (the file or its folder is read-only), or None."""
        return progress_file.read_only_reason(self._file, self.path)

    def _mode(self, write: bool) -> str:
        if not self._file.exists():
            return "rwc"
        return "rw" if write or self.read_only is None else "ro"

    @contextlib.contextmanager
    def _connect(self, write: bool, timeout: float) -> Iterator[sqlite3.Connection]:
        mode = self._mode(write)
        if mode == "rwc" and os.path.islink(self._file):  # SQLite would create a file wherever the link points
            raise ProgressStorageError(
                f"the progress file {self.path} is now a link to {os.readlink(self._file)!r}, which does not exist; "
                f"{CHOOSE}"
            )
        if mode == "rwc":  # its folder may have been removed since: made again, private
            progress_file.make_private_folder(self._file.parent)
            progress_file.create_private(self._file)  # SQLite would create it readable by everyone
        uri = f"file:{urllib.parse.quote(str(self._file))}?mode={mode}"
        connection = sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level="IMMEDIATE")
        try:
            with connection:
                yield connection
        finally:
            connection.close()

    def _retry(self, action: Callable[[float], T], doing: str) -> T:
        """Run ``action(seconds left)``, retrying a busy file until the timeout; map SQLite errors."""
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                return action(max(0.0, deadline - time.monotonic()))
            except sqlite3.Error as error:
                code = _code(error)
                if code in (_BUSY, _LOCKED):
                    if time.monotonic() < deadline:
                        time.sleep(0.05)
                        continue
                    raise ProgressBusyError(
                        f"the progress file is in use by another program; {doing}; try again "
                        f"(waited {self.timeout:g} s for {self.path})"
                    ) from None
                if code == _READONLY:
                    reason = self.read_only or f"the progress file {self.path} is read-only"
                    raise ProgressReadOnlyError(f"{reason}; {doing}") from None
                what = progress_file.not_a_file(self.path)
                if what is not None:  # e.g. replaced by a folder or a FIFO since it was opened: waiting will not help
                    raise ProgressStorageError(
                        f"the progress file {self.path} is now {what}, not a file; {doing}; {CHOOSE}"
                    ) from None
                if code in (_CORRUPT, _NOTADB):
                    raise _CorruptError(str(error)) from None
                if code == _CANTOPEN:
                    if self.read_only:
                        raise ProgressReadOnlyError(f"{self.read_only}; {doing}") from None
                    if (
                        progress_file.being_moved(self._file)
                        and progress_file.cannot_create(self._file) is None  # waiting never makes a folder writable
                        and time.monotonic() < deadline
                    ):
                        # another process is moving a broken file aside this very moment: wait, as for a busy file
                        time.sleep(0.05)
                        continue
                why = progress_file.cannot_create(self._file) if code == _CANTOPEN else None
                raise ProgressStorageError(
                    f"the progress file {self.path} could not be used ({why or error}); {doing}"
                ) from None

    def _identify(self, seconds: float) -> None:
        """Refuse another program's database through a read-only connection, before any read-write one opens it.

        A file whose list of tables cannot be read is left for SQLite's own check. A file with a hot
        journal (a write cut short), which only a read-write connection may roll back, is judged as it
        is on disk.
        """
        if not os.path.isfile(self._file):  # gone, or now a folder or a FIFO (which would block a read)
            return
        try:
            with open(self._file, "rb") as handle:
                header = handle.read(20)
        except OSError:
            return
        if not header:
            return  # an empty file is an empty database: nothing in it to be anyone's
        location = f"file:{urllib.parse.quote(str(self._file))}?mode=ro"
        if header[18:19] == b"\x02" and not os.path.exists(f"{self._file}-wal"):
            # WAL mode with no log beside it: read the file as it is, or SQLite would leave an empty log next to it
            location += "&immutable=1"
        try:
            with contextlib.closing(sqlite3.connect(location, uri=True, timeout=seconds)) as db:
                progress_schema.refuse_foreign(db, self.path)
                return
        except sqlite3.Error as error:
            if getattr(error, "sqlite_errorcode", None) != _READONLY_ROLLBACK:
                if _code(error) in (_CORRUPT, _NOTADB):
                    return
                raise
        # a hot journal: the file as it is on disk (a half-written page reads as damage, left to SQLite's check)
        with (
            contextlib.closing(sqlite3.connect(f"{location}&immutable=1", uri=True)) as db,
            contextlib.suppress(sqlite3.DatabaseError),
        ):
            progress_schema.refuse_foreign(db, self.path)

    def _check(self, seconds: float) -> None:
        """Whose file it is, SQLite's own check of it, then the table (only where writing is allowed)."""
        self._identify(seconds)
        with self._connect(write=False, timeout=seconds) as db:
            mark = progress_schema.application_id(db)  # the header alone: another program's file is left alone,
            if mark not in (0, progress_schema.APPLICATION_ID):  # even a damaged one
                progress_schema.refuse_foreign(db, self.path)
            if db.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
                full = db.execute("PRAGMA integrity_check").fetchall()
                if full != [("ok",)]:
                    raise _CorruptError(f"SQLite's integrity check found: {full[0][0]}")
            progress_schema.refuse_foreign(db, self.path)  # before anything is written
            progress_schema.refuse_newer(db, self.path)
            if self.read_only is None:
                if db.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                    db.execute("PRAGMA journal_mode=DELETE")  # WAL is unsafe on network storage
                progress_schema.migrate(db, self.path)

    def _open_checked(self, doing: str) -> None:
        """Check the file; move it aside only when SQLite proved it broken, then start a fresh one."""
        if self.read_only and not self._file.exists():
            return
        proved = progress_file.identity(self._file)
        try:
            self._retry(self._check, f"it could not be {doing}")
        except _CorruptError as error:
            self.moved_aside = progress_file.move_aside(self._file, self.path, proved, error, self.timeout)
            try:
                self._retry(self._check, f"it could not be {doing}")
            except _CorruptError as again:  # the fresh file is damaged too: say so, move nothing more
                raise ProgressStorageError(f"the progress file {self.path} is damaged ({again}); {CHOOSE}") from None

    def _write(self, sql: str, rows: list[tuple], doing: str, then: tuple[str, list[tuple]] | None = None) -> int:
        """Run ``sql`` over rows (then ``then``) in one transaction; return the rows ``sql`` changed.

        A broken file is moved aside once.
        """
        reason = self.read_only
        if reason:
            raise ProgressReadOnlyError(f"{reason}; {doing}; {CHOOSE}")

        def insert(seconds: float) -> int:
            self._identify(seconds)  # it may have been swapped since it was opened
            with self._connect(write=True, timeout=seconds) as db:
                db.execute("BEGIN IMMEDIATE")  # the write lock first: the file is checked again under it
                progress_schema.migrate(db, self.path)  # refuses another program's file, whatever it is now
                before = db.total_changes
                db.executemany(sql, rows)
                changed = db.total_changes - before
                if then is not None and then[1]:
                    db.executemany(*then)
                return changed

        try:
            return self._mid_session(lambda: self._retry(insert, doing), doing)
        except _CorruptError:
            self._open_checked("opened")
            try:
                return self._mid_session(lambda: self._retry(insert, doing), doing)
            except _CorruptError as error:
                raise ProgressStorageError(f"the progress file {self.path} is damaged ({error}); {doing}") from None

    def _mid_session(self, action: Callable[[], T], doing: str) -> T:
        """Run ``action``; a file found foreign or newer since it was opened is a storage error saying what failed."""
        try:
            return action()
        except ValueError as error:  # ForeignDatabaseError, or a file newer than this code
            raise ProgressStorageError(f"{error}; {doing}") from None

    def _read(self) -> list[tuple]:
        def select(seconds: float) -> list[tuple]:
            if not self._file.exists():
                return []
            self._identify(seconds)
            with self._connect(write=False, timeout=seconds) as db:
                progress_schema.refuse_foreign(db, self.path)  # it may have been swapped since it was opened
                stored = progress_schema.stored_columns(db)  # a read-only older file has no confidence
                if not stored:
                    return []
                columns = ", ".join(c if c in stored else f"NULL AS {c}" for c in COLUMNS)
                return db.execute(f"SELECT {columns} FROM attempts ORDER BY rowid").fetchall()

        doing = "your progress could not be read"
        try:
            return self._mid_session(lambda: self._retry(select, doing), doing)
        except _CorruptError:
            self._open_checked("read")
            try:
                return self._mid_session(lambda: self._retry(select, doing), doing)
            except _CorruptError as error:
                raise ProgressStorageError(f"the progress file {self.path} is damaged ({error}); {doing}") from None
