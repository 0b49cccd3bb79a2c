"""The feedback a student reads after answering: one box, in the same words in the quiz, exercises and tumour board.

:func:`feedback_box` draws the box: its verdict spelled out in words and a symbol, never shown by
colour alone, then its lines. :func:`answer_feedback` is the block shown once an answer is checked:
the verdict ("✓ Correct.", "✗ Not quite.", or "The answer" when it was only revealed), the student's
answer, the feedback on it, the right answer where it was missed, the explanation, the source, and a
line saying whether the answer was saved (:func:`not_saved` when it was checked but not saved).
:func:`alert` is the message for an answer that cannot be taken. Bank, case and error text is
escaped here; the lines given to :func:`feedback_box` are markup already.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from sarcoma_edu.course.quiz import Feedback

__all__ = ["alert", "answer_feedback", "feedback_box", "not_saved"]

# border and background of each kind of box: Okabe-Ito green, vermilion and blue, with the verdict in words
_COLOURS = {"right": ("#009E73", "#EEF9F5"), "wrong": ("#D55E00", "#FFF4EC"), "note": ("#0072B2", "#F2F7FC")}


def feedback_box(kind: str, title: str, lines: Sequence[str]) -> str:
    """A feedback box of ``kind`` ("right", "wrong" or "note"): ``title`` in bold, then each non-empty line."""
    border, background = _COLOURS[kind]
    body = "".join(f"<p style='margin:0.3em 0'>{line}</p>" for line in lines if line)
    return (
        f"<div style='border-left:6px solid {border};background:{background};padding:0.4em 0.8em;color:#222'>"
        f"<p style='margin:0.2em 0;font-weight:bold;font-size:1.1em'>{html.escape(title)}</p>{body}</div>"
    )


def answer_feedback(feedback: Feedback, chosen: str | None, key: str, saved: str) -> str:
    """The box shown once an answer is checked.

    Args:
        feedback: what :func:`~sarcoma_edu.course.quiz.check` said of the answer.
        chosen: the answer in the student's words, or None when no answer was given and the right
            one is only revealed (the box is then a note titled "The answer").
        key: the right answer, in words, where the student missed it ("" to leave it out).
        saved: a line of markup saying whether the answer was saved ("" when it was, silently).
    """
    if chosen is None:
        kind, title = "note", "The answer"
    else:
        kind, title = ("right", "✓ Correct.") if feedback.correct else ("wrong", "✗ Not quite.")
    lines = [f"Your answer: {html.escape(chosen)}" if chosen is not None else "", html.escape(feedback.answer_feedback)]
    if key:
        lines.append(html.escape(key))
    lines += [html.escape(feedback.explanation), f"<small>Source: {html.escape(feedback.source)}</small>", saved]
    return feedback_box(kind, title, lines)


def not_saved(why: str) -> str:
    """The line saying an answer was checked but not saved, and why (announced to screen readers)."""
    return f"<span role='status'>Checked, but not saved: {html.escape(why)}.</span>"


def alert(message: str) -> str:
    """A message for an answer that cannot be taken (``role="alert"``: screen readers read it at once)."""
    return (
        "<div role='alert' style='border-left:5px solid #D55E00;padding:0.3em 0.7em;background:#FFF4EC;color:#222'>"
        f"{html.escape(message)}</div>"
    )
