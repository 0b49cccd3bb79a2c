"""Quiz progress kept on the student's disk: nothing a student did is lost.

Every attempt (question id, topic, answer, correct, time) goes into a local SQLite database
(stdlib ``sqlite3``). The default file is ``~/.sarcoma_edu/progress.sqlite3``; the environment
variable ``SARCOMA_EDU_PROGRESS`` or the ``path`` argument chooses another. Each attempt has a
unique id, so exports can be imported again (on Binder, next session) without duplicates.
Each write is its own short transaction, so several notebooks or processes can record at once.
A corrupt or unreadable file is renamed aside byte for byte (``<name>.corrupt-<timestamp>``),
with a warning naming both files, and a fresh database is started.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import uuid
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import pandas as pd

from sarcoma_edu import _checks

__all__ = ["ENV_VAR", "ProgressStore", "ProgressWarning", "default_path"]

ENV_VAR = "SARCOMA_EDU_PROGRESS"
_FORMAT = "sarcoma-edu-progress"
_COLUMNS = ("attempt_id", "question_id", "topic", "answer", "correct", "answered_at")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (
    attempt_id  TEXT PRIMARY KEY,
    question_id TEXT NOT NULL,
    topic       TEXT NOT NULL DEFAULT '',
    answer      TEXT NOT NULL,
    correct     INTEGER NOT NULL CHECK (correct IN (0, 1)),
    answered_at TEXT NOT NULL
)
"""


class ProgressWarning(UserWarning):
    """The progress file could not be used as it was; the warning says what was done instead."""


def default_path() -> Path:
    """``$SARCOMA_EDU_PROGRESS`` if set, else ``~/.sarcoma_edu/progress.sqlite3``."""
    chosen = os.environ.get(ENV_VAR)
    return Path(chosen).expanduser() if chosen else Path.home() / ".sarcoma_edu" / "progress.sqlite3"


class ProgressStore:
    """A student's quiz attempts in a local SQLite file.

    Args:
        path: the database file (``str`` or :class:`pathlib.Path`); None uses :func:`default_path`.

    Attributes:
        path: the file in use.
        moved_aside: where a corrupt file was moved, or None.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        if path is not None and not isinstance(path, str | Path):
            raise TypeError(f"path={_checks.show(path)} is not a str or pathlib.Path; expected a file path or None")
        self.path = Path(path).expanduser() if path is not None else default_path()
        self.moved_aside: Path | None = None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._open_checked()
        except sqlite3.DatabaseError as error:
            self._move_aside(error)
            self._open_checked()

    # --- storage ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        connection = sqlite3.connect(self.path, timeout=30)
        try:
            with connection:
                yield connection
        finally:
            connection.close()

    def _open_checked(self) -> None:
        with self._connect() as db:
            db.execute(_SCHEMA)
            if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("PRAGMA quick_check failed")

    def _move_aside(self, error: Exception) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        self.path.rename(target)
        for suffix in ("-journal", "-wal", "-shm"):
            side = self.path.with_name(self.path.name + suffix)
            if side.exists():
                side.rename(target.with_name(target.name + suffix))
        self.moved_aside = target
        warnings.warn(
            f"The quiz progress file {self.path} could not be read ({error}). It was kept, unchanged, as "
            f"{target}, and a fresh progress file was started at {self.path}.",
            ProgressWarning,
            stacklevel=3,
        )

    def _run(self, sql: str, rows: list[tuple] | tuple = ()) -> int:
        """Execute a write, recovering once from a file that became corrupt meanwhile."""
        for attempt in (1, 2):
            try:
                with self._connect() as db:
                    db.execute(_SCHEMA)
                    if rows and isinstance(rows, list):
                        before = db.total_changes
                        db.executemany(sql, rows)
                        return db.total_changes - before
                    return db.execute(sql, rows).rowcount
            except sqlite3.DatabaseError as error:
                if attempt == 2 or isinstance(error, sqlite3.IntegrityError):
                    raise
                self._move_aside(error)
        return 0  # pragma: no cover

    # --- recording ----------------------------------------------------------------------------

    def record(self, question_id: str, answer: object, correct: bool, topic: str = "") -> str:
        """Store one attempt and return its attempt id.

        Args:
            question_id: the question's id.
            answer: what the student chose: a text, a list of texts or a number (stored as JSON).
            correct: whether it was right.
            topic: the question's topic (used by :meth:`summary`).
        """
        if not isinstance(question_id, str) or not question_id:
            raise TypeError(f"question_id={_checks.show(question_id)} is not a non-empty string")
        correct = _checks.boolean("correct", correct)
        if not isinstance(topic, str):
            raise TypeError(f"topic={_checks.show(topic)} is not a string")
        attempt_id = uuid.uuid4().hex
        when = datetime.now(UTC).isoformat(timespec="milliseconds")
        self._run(
            "INSERT INTO attempts VALUES (?, ?, ?, ?, ?, ?)",
            (attempt_id, question_id, topic, json.dumps(answer, ensure_ascii=False), int(correct), when),
        )
        return attempt_id

    def attempts(self) -> pd.DataFrame:
        """Every attempt, oldest first: attempt_id, question_id, topic, answer, correct, answered_at."""
        try:
            with self._connect() as db:
                rows = db.execute(f"SELECT {', '.join(_COLUMNS)} FROM attempts ORDER BY answered_at").fetchall()
        except sqlite3.DatabaseError as error:
            self._move_aside(error)
            self._open_checked()
            rows = []
        frame = pd.DataFrame(rows, columns=list(_COLUMNS))
        frame["correct"] = frame["correct"].astype(bool)
        frame["answer"] = [json.loads(a) for a in frame["answer"]]
        frame["answered_at"] = pd.to_datetime(frame["answered_at"], utc=True, format="ISO8601")
        return frame

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
        """Write every attempt to a CSV file for the instructor (several answers joined by "; "); return its path."""
        target = Path(path)
        frame = self.attempts()
        frame["answer"] = ["; ".join(map(str, a)) if isinstance(a, list) else a for a in frame["answer"]]
        frame.to_csv(target, index=False)
        return target

    def export_json(self, path: str | Path) -> Path:
        """Write every attempt to a JSON file that :meth:`import_json` reads back; return its path."""
        target = Path(path)
        frame = self.attempts()
        frame["answered_at"] = [t.isoformat(timespec="milliseconds") for t in frame["answered_at"]]
        payload = {"format": _FORMAT, "version": 1, "attempts": frame.to_dict(orient="records")}
        target.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
        return target

    def import_json(self, path: str | Path) -> int:
        """Merge attempts from a file written by :meth:`export_json`; return how many were new.

        Attempts already present (same attempt id) are skipped, so importing twice adds nothing.

        Raises:
            ValueError: the file is not a sarcoma-edu progress export, naming the file and what is wrong.
        """
        source = Path(path)
        try:
            payload = json.loads(source.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError, UnicodeDecodeError) as error:
            raise ValueError(f"path={str(source)!r}: cannot read a progress export ({error})") from None
        if not isinstance(payload, dict) or payload.get("format") != _FORMAT:
            raise ValueError(f"path={str(source)!r} is not a sarcoma-edu progress export (no format {_FORMAT!r})")
        rows = []
        for k, item in enumerate(payload.get("attempts", [])):
            missing = [c for c in _COLUMNS if not isinstance(item, dict) or c not in item]
            if missing:
                raise ValueError(f"path={str(source)!r}: attempt {k} has no {missing[0]!r}")
            if not isinstance(item["correct"], bool):
                raise ValueError(f"path={str(source)!r}: attempt {k} has correct={item['correct']!r}, not true/false")
            rows.append(
                (
                    str(item["attempt_id"]),
                    str(item["question_id"]),
                    str(item["topic"]),
                    json.dumps(item["answer"], ensure_ascii=False),
                    int(item["correct"]),
                    str(item["answered_at"]),
                )
            )
        if not rows:
            return 0
        return self._run("INSERT OR IGNORE INTO attempts VALUES (?, ?, ?, ?, ?, ?)", rows)
