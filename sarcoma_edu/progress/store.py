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

The store refuses rather than loses: what it does with a file it cannot use (a folder, a busy or
read-only file, another program's database, a broken file it moves aside) is described in
:mod:`sarcoma_edu.progress.database`, which opens, checks and writes the file for it.

**Privacy.** A progress folder the store creates is private to its owner (mode 0700) and so is
the progress file (0600), as are the exports (:meth:`ProgressStore.export_json`,
:meth:`ProgressStore.export_csv`): on a shared computer or a JupyterHub whose home folders can be
entered, classmates cannot read each other's answers. A folder or file that already exists keeps
the permissions it has (``chmod 700 ~/.sarcoma_edu && chmod 600 ~/.sarcoma_edu/progress.sqlite3``
makes one from an older release private). Exports are written atomically (a temporary file, then a
rename), so a full disk never empties an earlier export.
"""

from __future__ import annotations

import json
import os
import uuid
import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import pandas as pd

from sarcoma_edu.common import atomic as _atomic
from sarcoma_edu.common import checks as _checks
from sarcoma_edu.progress import exchange
from sarcoma_edu.progress import files as progress_file
from sarcoma_edu.progress.database import COLUMNS, ProgressDatabase
from sarcoma_edu.progress.files import (
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
_INSERT = f"INSERT INTO attempts ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
_MERGE = _INSERT.replace("INSERT", "INSERT OR IGNORE", 1)  # an attempt id already stored is skipped
_FILL_CONFIDENCE = "UPDATE attempts SET confidence = ? WHERE attempt_id = ? AND confidence IS NULL"


def default_path() -> Path:
    """``$SARCOMA_EDU_PROGRESS`` if set, else ``~/.sarcoma_edu/progress.sqlite3``."""
    chosen = os.environ.get(ENV_VAR)
    return Path(chosen).expanduser() if chosen else Path.home() / ".sarcoma_edu" / "progress.sqlite3"


class ProgressStore(ProgressDatabase):
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
        super().__init__(Path(path).expanduser() if path is not None else default_path(), timeout)

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
        frame = pd.DataFrame(good, columns=list(COLUMNS))
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
