"""The line a lesson shows when a student's answer also goes to the instructor's live class poll.

Each answering widget (exercise, quiz, tumour board) calls :func:`class_line` once, right after the
answer is recorded in her progress. Without a class folder, or with no poll open on the item, it
returns "" and nothing changes; otherwise the answer goes to the drop box
(:func:`sarcoma_edu.live.dropbox.drop_answer`) and the line says so, or says in one sentence why it
did not go (her own save is never affected).
"""

from __future__ import annotations

import html

from sarcoma_edu.live.dropbox import drop_answer

__all__ = ["class_line"]


def class_line(item_id: str, answer: object) -> str:
    """Send a recorded answer to the class poll on ``item_id`` if one is open; return the line to show ("" if none)."""
    try:
        dropped = drop_answer(item_id, answer)
    except Exception as error:  # the lesson must never fail because of the class poll
        why = html.escape(str(error))
        return f"<small role='status'>Your answer is saved, but it did not reach the class poll: {why}</small>"
    if dropped is None:
        return ""
    return f"<small role='status'>{html.escape(dropped.describe())}</small>"
