"""Item ids: the one message for an id already in use, wherever content is loaded or checked.

The progress store, the review and the class report know an item only by its id, so two items
with one id would share one history. Question banks, exercise files and case files (built-in or an
instructor's) each refuse an id already used, naming the file, the item and the field, and end
the line with :func:`id_taken`, so the refusal reads the same in ``bank check``, ``case check``,
the quiz, the tumour board and the class report.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["id_taken"]


def id_taken(item_id: str, owner: str, file: str | Path | None) -> str:
    """The end of a problem line for an id already used: which id, by what, in which file.

    Args:
        item_id: the id used twice.
        owner: what already uses it, e.g. ``"a built-in question"`` or ``"question 3"``.
        file: the file of the first use; None when it is the same file as the problem's.

    Returns:
        e.g. ``"'st-ia' is already used by a built-in question in datasets/quiz/staging.json; give it its own id
        (progress is recorded by id, so the two would share one history)"``.
    """
    place = "in this file" if file is None else f"in {file}"
    return (
        f"{item_id!r} is already used by {owner} {place}; give it its own id "
        "(progress is recorded by id, so the two would share one history)"
    )
