"""Saved answers graded under a key that has since changed: what ``content check --progress`` counts.

When ``sarcoma-edu content check`` finds items whose computed key changed since their lock file was
written (:mod:`sarcoma_edu.course.key_check`), a student's progress file or export can say how many
of her saved attempts answer those items: each was graded, when she saved it, under the old key.
The files are read as the class report reads them (:func:`~sarcoma_edu.report.files.read_exports`:
read-only, never rewritten), and the saved verdicts are kept as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sarcoma_edu.report.files import read_exports

__all__ = ["AttemptsUnderChangedKeys", "attempts_under_changed_keys"]


@dataclass(frozen=True)
class AttemptsUnderChangedKeys:
    """How many saved attempts in some students' files answer an item whose key has changed.

    Attributes:
        files: the files read.
        attempts: every attempt they hold.
        by_item: item id -> how many of those attempts answer it, for the changed items answered.
    """

    files: tuple[Path, ...]
    attempts: int
    by_item: dict[str, int]

    @property
    def count(self) -> int:
        """The attempts graded under a key that has since changed."""
        return sum(self.by_item.values())

    def describe(self) -> list[str]:
        """The count in words, the items it is on, and that the saved verdicts are kept."""
        named = ", ".join(str(p) for p in self.files[:3]) + (
            f" and {len(self.files) - 3} more" if len(self.files) > 3 else ""
        )
        if not self.count:
            return [f"None of the {self.attempts:,} saved attempts in {named} answers an item whose key has changed."]
        items = ", ".join(f"{item_id} ({n})" for item_id, n in sorted(self.by_item.items()))
        return [
            f"{self.count:,} of the {self.attempts:,} saved attempts in {named} were graded under a key that has "
            f"since changed: {items}.",
            "Their verdicts are kept as they were saved (sarcoma-edu never rewrites a student's file); the report and "
            "the review show the saved verdict, and the student can answer those items again.",
        ]


def attempts_under_changed_keys(paths: Sequence[str | Path], changed: Iterable[str]) -> AttemptsUnderChangedKeys:
    """Count the saved attempts in students' progress files or exports that answer a changed item.

    Args:
        paths: progress files (``progress.sqlite3``) or exports (``.json``, ``.csv``), or folders of them;
            each is read without being changed.
        changed: the ids of the items whose key has changed.

    Raises:
        ValueError: no file could be read (naming them and why); a file that cannot be used is skipped
            with a :class:`~sarcoma_edu.report.student_file.ReportWarning`.
    """
    results = read_exports(list(paths))
    wanted = set(changed)
    counts = results.attempts["question_id"].value_counts()
    by_item = {str(item_id): int(n) for item_id, n in counts.items() if item_id in wanted}
    return AttemptsUnderChangedKeys(results.files, len(results.attempts), by_item)
