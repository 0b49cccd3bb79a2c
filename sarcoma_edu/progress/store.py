"""Quiz progress kept on the student's disk: nothing a student did is lost or moved without proof.

Every attempt (question id, topic, answer, correct, time) goes into a local SQLite database
(stdlib ``sqlite3``). The default file is ``~/.sarcoma_edu/progress.sqlite3``; the environment
variable ``SARCOMA_EDU_PROGRESS`` or the ``path`` argument chooses another. Each attempt has a
unique id, so exports can be imported again (on Binder, next session) without duplicates. An attempt
may also carry the student's confidence ("sure", "unsure" or "guessed"), which the spaced review
(:mod:`sarcoma_edu.study.review`) uses.

The file's layout has a version (SQLite's ``PRAGMA user_version``); a file written by an older
release is upgraded in place by numbered migrations that only add, so nothing in it is lost
(:mod:`sarcoma_edu.progress.schema`). A file written by a newer sarcoma-edu is refused with a
``ValueError`` naming it and both versions, and is not changed.

What the store does with a file it cannot use:

- a path that is not a regular file (a folder, a FIFO, a socket, a device, a link to one of those):
  refused with a ``ValueError`` before anything is opened; nothing is renamed or created;
- a file another program holds locked: retried for ``timeout`` seconds, then
  :class:`ProgressBusyError`; the file is left as it is;
- a read-only file or folder: attempts are still read, and :meth:`ProgressStore.record` raises
  :class:`ProgressReadOnlyError`;
- another program's SQLite database (one sarcoma-edu did not make; the rule is in
  :mod:`sarcoma_edu.progress.schema`): refused with a ``ValueError`` (a
  :class:`~sarcoma_edu.progress.schema.ForeignDatabaseError`) before anything is written, and
  checked again before every write, so a file swapped for another database mid-session is never
  changed either; its bytes stay as they were;
- only a regular file that fails SQLite's integrity check, or is not a SQLite database at all, is
  renamed aside byte for byte (``<name>.corrupt-<UTC time>``, next to it), once even when several
  processes find it together, with a warning naming both files; ``sarcoma-edu progress recover``
  brings its readable attempts back.

**Privacy.** A progress folder the store creates is private to its owner (mode 0700) and so is
the progress file (0600), as are the exports (:meth:`ProgressStore.export_json`,
:meth:`ProgressStore.export_csv`): on a shared computer or a JupyterHub whose home folders can be
entered, classmates cannot read each other's answers. A folder or file that already exists keeps
the permissions it has (``chmod 700 ~/.sarcoma_edu && chmod 600 ~/.sarcoma_edu/progress.sqlite3``
makes one from an older release private). Exports are written atomically (a temporary file, then a
rename), so a full disk never empties an earlier export.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
import urllib.parse
import uuid
import warnings
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, TypeVar

import pandas as pd

from sarcoma_edu.common import atomic as _atomic
from sarcoma_edu.common import checks as _checks
from sarcoma_edu.progress import exchange
from sarcoma_edu.progress import files as progress_file
from sarcoma_edu.progress import schema as progress_schema
from sarcoma_edu.progress.files import (
    CHOOSE,
    DEFAULT_TIMEOUT,
    TIMEOUT_ENV_VAR,
    ProgressBusyError,
    ProgressReadOnlyError,
    ProgressStorageError,
    ProgressWarning,
)

__all__ = [
    "DEFAULT_TIMEOUT",
    "ENV_VAR",
    "TIMEOUT_ENV_VAR",
    "ProgressBusyError",
    "ProgressReadOnlyError",
    "ProgressStorageError",
    "ProgressStore",
    "ProgressWarning",
    "default_path",
]

ENV_VAR = "SARCOMA_EDU_PROGRESS"
_COLUMNS = (*exchange.FIELDS, *exchange.OPTIONAL_FIELDS)
_INSERT = f"INSERT INTO attempts ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
_MERGE = _INSERT.replace("INSERT", "INSERT OR IGNORE", 1)  # an attempt id already stored is skipped
_FILL_CONFIDENCE = "UPDATE attempts SET confidence = ? WHERE attempt_id = ? AND confidence IS NULL"
# SQLite's primary result codes (https://www.sqlite.org/rescode.html)
_BUSY, _LOCKED, _READONLY, _CORRUPT, _CANTOPEN, _NOTADB = 5, 6, 8, 11, 14, 26
T = TypeVar("T")


class _CorruptError(Exception):
    """SQLite's own check proved the file broken."""


def default_path() -> Path:
    """``$SARCOMA_EDU_PROGRESS`` if set, else ``~/.sarcoma_edu/progress.sqlite3``."""
    chosen = os.environ.get(ENV_VAR)
    return Path(chosen).expanduser() if chosen else Path.home() / ".sarcoma_edu" / "progress.sqlite3"


def _code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


class ProgressStore:
    """A student's quiz attempts in a local SQLite file.

    Settings for a class whose home folders are on network storage (NFS, SMB, as on many
    JupyterHubs): the store keeps SQLite's rollback journal (``journal_mode=DELETE``, the default)
    and never switches on WAL, because WAL needs shared memory that network file systems do not
    provide safely; a file found in WAL mode is switched back. Each answer is one short transaction
    that waits up to ``timeout`` seconds (default 10, or ``$SARCOMA_EDU_PROGRESS_TIMEOUT``) for a
    lock, which covers slow network locks. Where the hub offers a local disk per user, point
    ``SARCOMA_EDU_PROGRESS`` at a file there instead.

    Args:
        path: the database file (``str`` or :class:`pathlib.Path`); None uses :func:`default_path`.
        timeout: seconds to wait for a file another program holds locked; None uses
            ``$SARCOMA_EDU_PROGRESS_TIMEOUT`` or :data:`DEFAULT_TIMEOUT`.

    Attributes:
        path: the file in use.
        timeout: the busy timeout in seconds.
        moved_aside: where a corrupt file was moved, or None.

    Raises:
        ValueError: the path is not a regular file (a folder, a FIFO, a socket, a device), is a
            SQLite database of another program, or is a progress file written by a newer
            sarcoma-edu; nothing is changed.
        ProgressBusyError: the file stayed locked by another program for ``timeout`` seconds.
    """

    def __init__(self, path: str | Path | None = None, *, timeout: float | None = None) -> None:
        if path is not None and not isinstance(path, str | Path):
            raise TypeError(f"path={_checks.show(path)} is not a str or pathlib.Path; expected a file path or None")
        self.path = Path(path).expanduser() if path is not None else default_path()
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

    # --- storage ------------------------------------------------------------------------------

    def _mode(self, write: bool) -> str:
        if not self._file.exists():
            return "rwc"
        return "rw" if write or self.read_only is None else "ro"

    @contextlib.contextmanager
    def _connect(self, write: bool, timeout: float) -> Iterator[sqlite3.Connection]:
        mode = self._mode(write)
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
                if code in (_CORRUPT, _NOTADB):
                    raise _CorruptError(str(error)) from None
                if code == _CANTOPEN:
                    what = progress_file.not_a_file(self.path)
                    if what is not None:  # e.g. replaced by a folder since it was opened: waiting will not help
                        raise ProgressStorageError(
                            f"the progress file {self.path} is now {what}, not a file; {doing}; {CHOOSE}"
                        ) from None
                    if self.read_only:
                        raise ProgressReadOnlyError(f"{self.read_only}; {doing}") from None
                    if progress_file.being_moved(self._file) and time.monotonic() < deadline:
                        # another process is moving a broken file aside this very moment: wait, as for a busy file
                        time.sleep(0.05)
                        continue
                why = progress_file.cannot_create(self._file) if code == _CANTOPEN else None
                raise ProgressStorageError(
                    f"the progress file {self.path} could not be used ({why or error}); {doing}"
                ) from None

    def _check(self, seconds: float) -> None:
        """Whose file it is, SQLite's own check of it, then the table (only where writing is allowed)."""
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
            with self._connect(write=False, timeout=seconds) as db:
                progress_schema.refuse_foreign(db, self.path)  # it may have been swapped since it was opened
                stored = progress_schema.stored_columns(db)  # a read-only older file has no confidence
                if not stored:
                    return []
                columns = ", ".join(c if c in stored else f"NULL AS {c}" for c in _COLUMNS)
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

    # --- recording ----------------------------------------------------------------------------

    def record(
        self, question_id: str, answer: object, correct: bool, topic: str = "", confidence: str | None = None
    ) -> str:
        """Store one attempt and return its attempt id.

        Args:
            question_id: the question's id.
            answer: what the student chose: a text, a list of texts or a number (stored as JSON).
            correct: whether it was right.
            topic: the question's topic, one of the quiz topics or "" (used by :meth:`summary`).
            confidence: "sure", "unsure" or "guessed", or None when the student did not say (it can be
                given later with :meth:`set_confidence`).

        Raises:
            ProgressBusyError: another program held the file locked for ``timeout`` seconds.
            ProgressReadOnlyError: the file or its folder is read-only.
        """
        if not isinstance(question_id, str) or not question_id:
            raise TypeError(f"question_id={_checks.show(question_id)} is not a non-empty string")
        correct = _checks.boolean("correct", correct)
        if not isinstance(topic, str):
            raise TypeError(f"topic={_checks.show(topic)} is not a string")
        attempt = {
            "attempt_id": uuid.uuid4().hex,
            "question_id": question_id,
            "topic": topic,
            "answer": list(answer) if isinstance(answer, tuple) else answer,
            "correct": correct,
            "answered_at": datetime.now(UTC).isoformat(timespec="milliseconds"),
        }
        if confidence is not None:
            attempt["confidence"] = confidence
        problem = exchange.attempt_problem(attempt)
        if problem is not None:
            raise ValueError(f"{problem[0]}={problem[1]}")
        self._write(_INSERT, [_row(attempt)], "your answer was not saved")
        return str(attempt["attempt_id"])

    def set_confidence(self, attempt_id: str, confidence: str) -> None:
        """Add the student's confidence to an attempt already saved (the quiz asks after the answer).

        A confidence once saved is never changed: giving the same one again does nothing.

        Args:
            attempt_id: the id :meth:`record` returned.
            confidence: "sure", "unsure" or "guessed".

        Raises:
            ValueError: an unknown confidence, no attempt with that id, or one that already has
                another confidence.
            ProgressBusyError, ProgressReadOnlyError: as for :meth:`record`.
        """
        if not isinstance(attempt_id, str) or not attempt_id:
            raise TypeError(f"attempt_id={_checks.show(attempt_id)} is not a non-empty string")
        if confidence not in exchange.CONFIDENCE:
            allowed = ", ".join(map(repr, exchange.CONFIDENCE))
            raise ValueError(f"confidence={_checks.show(confidence)} is not allowed; expected one of {allowed}")
        doing = "your confidence was not saved"
        if self._write(_FILL_CONFIDENCE, [(confidence, attempt_id)], doing):
            return
        stored = self.attempts().set_index("attempt_id")["confidence"]
        if attempt_id not in stored.index:
            raise ValueError(f"attempt_id={attempt_id!r} is not a saved attempt in {self.path}; {doing}")
        if stored[attempt_id] != confidence:
            raise ValueError(
                f"attempt {attempt_id!r} already has confidence {stored[attempt_id]!r}; a saved choice is not changed"
            )

    def attempts(self) -> pd.DataFrame:
        """Every attempt, oldest first: attempt_id, question_id, topic, answer, correct, answered_at, confidence.

        ``confidence`` is "sure", "unsure", "guessed" or None (not given).

        A stored row that cannot be read (written by an older version, e.g. with no time) is left
        out with a :class:`ProgressWarning` naming it; it stays in the file.
        """
        good, skipped = [], []
        for row in self._read():
            attempt, problem = exchange.attempt_from_row(row)
            if attempt is None:
                skipped.append(f"attempt {row[0]!r} ({problem})")
            else:
                good.append({"confidence": None, **attempt})
        if skipped:
            shown = "; ".join(skipped[:5]) + (f"; and {len(skipped) - 5} more" if len(skipped) > 5 else "")
            warnings.warn(
                f"{len(skipped)} stored attempt(s) in {self.path} could not be read and were left out "
                f"(they stay in the file): {shown}",
                ProgressWarning,
                stacklevel=2,
            )
        frame = pd.DataFrame(good, columns=list(_COLUMNS))
        frame["correct"] = frame["correct"].astype(bool)
        frame["confidence"] = pd.Series([c if isinstance(c, str) else None for c in frame["confidence"]], dtype=object)
        frame["answered_at"] = pd.to_datetime(frame["answered_at"], utc=True, format="ISO8601")
        return frame.sort_values("answered_at", kind="stable").reset_index(drop=True)

    def summary(self, by: Literal["question", "topic"] = "question") -> pd.DataFrame:
        """Attempts, correct answers and when last answered, per question (with its topic) or per topic."""
        keys = {"question": ["topic", "question_id"], "topic": ["topic"]}
        if by not in keys:
            raise ValueError(f"by={_checks.show(by)} is not allowed; expected 'question' or 'topic'")
        frame = self.attempts()
        grouped = frame.groupby(keys[by], sort=True)
        out = grouped.agg(
            attempts=("attempt_id", "size"), correct=("correct", "sum"), last_answered=("answered_at", "max")
        )
        out["correct"] = out["correct"].astype(int)
        return out.reset_index()

    def mistakes(self) -> list[str]:
        """Ids of the questions whose most recent attempt was wrong, most recent first."""
        frame = self.attempts()
        if frame.empty:
            return []
        last = frame.sort_values("answered_at").groupby("question_id").tail(1)
        return list(last[~last["correct"]].sort_values("answered_at", ascending=False)["question_id"])

    # --- export and import --------------------------------------------------------------------

    def export_csv(self, path: str | Path) -> Path:
        """Write every attempt to a CSV file for the instructor (several answers joined by "; "); return its path.

        The columns are the six of the exchange format; confidence travels in :meth:`export_json`.
        A text cell that a spreadsheet would run as a formula (one beginning with ``=``, ``+``, ``-``,
        ``@``, a tab or a carriage return, unless it is a plain number such as -5) is written with a
        leading apostrophe, as is one that already begins with an apostrophe; the class report
        (``sarcoma-edu report``) removes it again, so the answers it reads are the student's own.
        The JSON export carries every text unchanged. The file is private (0600) and written
        atomically.

        Raises:
            ValueError: ``path`` is the progress file itself or another SQLite database.
            OutputError: the file could not be written (naming it and why); an earlier file there is unchanged.
        """
        target = progress_file.export_target(path, self._file, self.path)
        frame = self.attempts()[list(exchange.FIELDS)]
        frame["answer"] = ["; ".join(map(str, a)) if isinstance(a, list) else a for a in frame["answer"]]
        for column in ("attempt_id", "question_id", "topic", "answer"):
            frame[column] = [exchange.csv_cell(v) if isinstance(v, str) else v for v in frame[column]]
        # RFC 4180 line ends: a cell holding a line break of either kind is then quoted, not split
        _atomic.write_file(target, frame.to_csv(index=False, lineterminator="\r\n"), private=True)
        return target

    def export_json(self, path: str | Path) -> Path:
        """Write every attempt to a JSON file that :meth:`import_json` reads back; return its path.

        The file follows ``datasets/progress_exchange.schema.json`` (version 2: an attempt's
        confidence is left out when the student did not give one). It is private (0600) and written
        atomically.

        Raises:
            ValueError: ``path`` is the progress file itself or another SQLite database.
            OutputError: the file could not be written (naming it and why); an earlier file there is unchanged.
        """
        target = progress_file.export_target(path, self._file, self.path)
        frame = self.attempts()
        frame["answered_at"] = [t.isoformat(timespec="milliseconds") for t in frame["answered_at"]]
        records = [
            {k: v for k, v in row.items() if k != "confidence" or v is not None}
            for row in frame.to_dict(orient="records")
        ]
        payload = {"format": exchange.FORMAT, "version": exchange.VERSION, "attempts": records}
        _atomic.write_file(target, json.dumps(payload, ensure_ascii=False, indent=1), private=True)
        return target

    def import_json(self, path: str | Path) -> int:
        """Merge attempts from a file written by :meth:`export_json`; return how many were new.

        The whole file is checked against ``datasets/progress_exchange.schema.json`` first, so a bad
        file stores nothing; so does a file with an attempt dated more than a day after now (by the
        clock of this computer), which would hide its question from the spaced review until that
        date. Attempts already present (same attempt id) are skipped, so importing twice adds
        nothing; a confidence the file gives for an attempt stored without one is added.
        Files of both versions of the format (1 and 2) are read.

        Raises:
            ValueError: the file is not a valid progress export, naming the file, the attempt's
                index and the field.
        """
        source = Path(path)
        try:
            payload = json.loads(source.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError, RecursionError) as error:
            reason = "it is nested too deeply" if isinstance(error, RecursionError) else error
            raise ValueError(f"path={str(source)!r}: cannot read a progress export ({reason})") from None
        attempts = exchange.rows_from_export(payload, source, now=datetime.now(UTC))
        return self.add_attempts(attempts, "nothing was imported")

    def add_attempts(self, attempts: list[dict[str, object]], doing: str = "nothing was added") -> int:
        """Merge attempts (as in an export) by attempt id; return how many were new.

        An attempt already stored without a confidence takes the one given here; a stored
        confidence is never changed.

        Raises:
            ValueError: an attempt breaks the exchange format, naming its index and field.
        """
        for index, attempt in enumerate(attempts):
            problem = exchange.attempt_problem(attempt)
            if problem is not None:
                raise ValueError(f"attempt {index}, field {problem[0]!r}: {problem[1]}; {doing}")
        if not attempts:
            return 0
        fill = [(a["confidence"], a["attempt_id"]) for a in attempts if a.get("confidence") is not None]
        return self._write(_MERGE, [_row(a) for a in attempts], doing, then=(_FILL_CONFIDENCE, fill))


def _row(attempt: dict[str, object]) -> tuple:
    return (
        attempt["attempt_id"],
        attempt["question_id"],
        attempt["topic"],
        json.dumps(attempt["answer"], ensure_ascii=False),
        int(bool(attempt["correct"])),
        attempt["answered_at"],
        attempt.get("confidence"),
    )
