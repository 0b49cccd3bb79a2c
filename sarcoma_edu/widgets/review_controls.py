"""The quiz's spaced review: the **Due for review (N)** button and the optional confidence after an answer.

:class:`~sarcoma_edu.widgets.quiz.QuizWidget` takes these from :class:`ReviewControls`. The schedule
comes from :mod:`sarcoma_edu.study.review` (FSRS), replayed from the saved attempts, or from this
session's answers while the progress file cannot be read. Tumour board steps are scheduled and
counted too, but their questions build on what the earlier steps of the case revealed, so the quiz
names their case and sends the student to the tumour board lesson instead of asking them alone.
A question the quiz's bank does not hold (a generated patient, an in-lesson exercise) is asked again
from its recorded id through the item catalog (:func:`rebuild_question`).
"""

from __future__ import annotations

import html
import warnings
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import ipywidgets as w
import pandas as pd

from sarcoma_edu.course.exercises import EXERCISE_ID
from sarcoma_edu.course.items import ContentFolderError, case_of_step, quiz_question
from sarcoma_edu.progress.store import ProgressWarning
from sarcoma_edu.study import review
from sarcoma_edu.widgets.feedback import feedback_box, not_saved

if TYPE_CHECKING:
    from sarcoma_edu.course.quiz import Feedback, Question
    from sarcoma_edu.progress.store import ProgressStore

__all__ = ["ReviewControls", "rebuild_question"]


def rebuild_question(question_id: str, content: str | Path | None = None) -> Question | None:
    """A question the quiz's bank does not hold, asked again from the id the progress store recorded.

    The quiz asks these again (when due for review, or among the mistakes): a generated patient or an
    in-lesson exercise, built-in or the instructor's (:func:`sarcoma_edu.course.items.quiz_question`).
    None for a bank question (the quiz's own list says which it asks), a tumour board step, an
    ordering exercise, an id no longer in the course, or when the content folder cannot be read.
    """
    if not (question_id.startswith("case-") or EXERCISE_ID.fullmatch(question_id)):
        return None
    try:
        return quiz_question(question_id, content)
    except ContentFolderError:
        return None


def _case_title(question_id: str, content: str | Path | None) -> str | None:
    """The title of the case a tumour board step belongs to, or None."""
    try:
        case = case_of_step(question_id, content)
    except ContentFolderError:
        return None
    return None if case is None else case.title


class ReviewControls:
    """The review button, the confidence choice and what they do; mixed into the quiz widget.

    Attributes:
        review_button: "Due for review (N)".
        confidence_buttons: "sure", "unsure" and "guessed", shown once a question is answered.
        clock: returns the present time (UTC); what "due now" is measured against.
    """

    progress: ProgressStore | None
    by_id: dict[str, Question]
    feedback: Feedback | None
    question: Question
    queue: list[Question]
    mode: str
    content: str | Path | None = None  # the instructor's content folder (None: $SARCOMA_EDU_CONTENT)

    def _make_review_controls(self) -> None:
        """Create the button, the confidence row and this session's record of attempts."""
        auto = w.Layout(width="auto")
        self._session: list[dict[str, object]] = []  # this session's attempts, for review when not saved
        self._attempt_id: str | None = None  # the saved attempt of the question on screen
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self.review_button = w.Button(
            description="Due for review (0)", tooltip="Ask again the questions due for review now", layout=auto
        )
        self.confidence_buttons = [
            w.Button(description=choice, tooltip=f"I was {choice}" if choice != "guessed" else "I guessed", layout=auto)
            for choice in review.CONFIDENCE
        ]
        self.confidence_box = w.HBox(
            [w.HTML("<p style='margin:0.25em 0.6em 0 0'>Optional: how sure were you?</p>"), *self.confidence_buttons],
            layout=w.Layout(display="none"),
        )
        self.confidence_note = w.HTML(layout=w.Layout(max_width="48em"))
        self.review_button.on_click(lambda _b: self.practise_due())
        for button in self.confidence_buttons:
            button.on_click(lambda b: self.give_confidence(b.description))

    def _hide_confidence(self) -> None:
        """A new question: no saved attempt yet, no confidence asked."""
        self._attempt_id, self.confidence_note.value = None, ""
        self.confidence_box.layout.display = "none"

    def _answered(self, correct: bool, saved: bool) -> None:
        """After an answer: remember it for this session, offer the confidence choice, recount what is due."""
        self._session.append(
            dict(
                zip(_SESSION_COLUMNS, (self.question.id, self.question.topic, correct, self.clock(), None), strict=True)
            )
        )
        for button in self.confidence_buttons:
            button.disabled = False
        self.confidence_box.layout.display = "flex"
        self._count_due(store=saved)  # a file that just refused the answer is not waited for again

    def practise_due(self) -> int:
        """Ask the questions due for review now (FSRS), most overdue first; return how many are asked.

        When nothing can be asked, the widget says so and when the next review is due.
        """
        now = self.clock()
        items = self._schedule()
        due = [item for item in items if item.due <= now]
        questions = [
            q
            for q in (self.by_id.get(i.question_id) or rebuild_question(i.question_id, self.content) for i in due)
            if q
        ]
        steps = [item.question_id for item in due if item.case_step]
        self._count_due(items)
        later = next((item for item in items if item.due > now), None)
        when = f" The next one is due {_when(later.due, now)}." if later is not None else ""
        elsewhere = ""
        if steps:
            titles = dict.fromkeys(t for t in (_case_title(s, self.content) for s in steps) if t is not None)
            named = f" ({'; '.join(titles)})" if titles else ""
            elsewhere = (
                f" {len(steps)} tumour board step(s) are due as well: reopen their case{named} "
                "in the tumour board lesson."
            )
        if not questions:
            if not items:
                self._note("Nothing is due for review yet: answer some questions, and they come back here when due.")
            else:
                self._note(f"Nothing in this quiz is due for review now.{when}{elsewhere}")
            return 0
        self.mode, self.queue = "review", questions
        self._show(questions[0])  # the message below belongs to this review: it goes with the next question shown
        self._note(f"Reviewing {len(questions)} question(s) due now, the most overdue first.{elsewhere}")
        return len(questions)

    def _schedule(self, store: bool = True) -> list[review.ReviewItem]:
        """The FSRS schedule from the saved attempts (this session's while the file cannot be read)."""
        try:
            with warnings.catch_warnings():  # unreadable old rows: practise_mistakes and attempts() warn
                warnings.simplefilter("ignore", ProgressWarning)
                if self.progress is not None and store:
                    return review.schedule(self.progress)
        except OSError:
            pass
        return review.schedule(pd.DataFrame(self._session, columns=[*_SESSION_COLUMNS]))

    def _count_due(self, items: list[review.ReviewItem] | None = None, store: bool = True) -> int:
        now = self.clock()
        count = sum(item.due <= now for item in (self._schedule(store) if items is None else items))
        self.review_button.description = f"Due for review ({count})"
        return count

    def give_confidence(self, confidence: str) -> str | None:
        """Say how sure you were of the answer just given: "sure", "unsure" or "guessed".

        It is saved with the answer and changes when the question comes back for review. A wrong
        answer given with certainty is a teaching moment, and the feedback says so. Returns the
        note shown, or None (with a message in the widget) when there is nothing to add it to.
        """
        if confidence not in review.CONFIDENCE:
            allowed = ", ".join(map(repr, review.CONFIDENCE))
            self._note(f"confidence={confidence!r} is not one of the choices; choose {allowed}.")
            return None
        if self.feedback is None or not self._session or self._session[-1]["question_id"] != self.question.id:
            self._note("Answer the question first, then say how sure you were.")
            return None
        if self._session[-1]["confidence"] is not None:
            self._note("You have already said how sure you were for this answer.")
            return None
        self._session[-1]["confidence"] = confidence
        saved = ""
        if self.progress is not None and self._attempt_id is not None:
            try:
                self.progress.set_confidence(self._attempt_id, confidence)
            except (OSError, ValueError) as error:
                saved = not_saved(str(error))
        for button in self.confidence_buttons:
            button.disabled = True
        lines = [html.escape(_CONFIDENCE_NOTES[(self.feedback.correct, confidence)]), saved]
        if not self.feedback.correct and confidence == "sure":
            self.confidence_note.value = feedback_box("note", "A teaching moment", lines)
        else:
            self.confidence_note.value = "".join(f"<p role='status' style='margin:0.3em 0'>{x}</p>" for x in lines if x)
        self._count_due()
        return _CONFIDENCE_NOTES[(self.feedback.correct, confidence)]


_SESSION_COLUMNS = ("question_id", "topic", "correct", "answered_at", "confidence")
_CONFIDENCE_NOTES = {
    (False, "sure"): (
        "You were sure, and the answer was wrong: that is a teaching moment. Read the explanation above "
        "once more and note what made the wrong answer look right; this question comes back for review soon."
    ),
    (False, "unsure"): "Noted: you were unsure. This question comes back for review soon.",
    (False, "guessed"): "Noted: a guess. This question comes back for review soon.",
    (True, "sure"): "Noted: right, and you were sure. It comes back for review later than a guess would.",
    (True, "unsure"): "Noted: right, though you were unsure.",
    (True, "guessed"): "Noted: a right guess. It comes back for review sooner than an answer you were sure of.",
}


def _when(due: datetime, now: datetime) -> str:
    """When a review is due, in words: the UTC date and time, and how long from now."""
    seconds = (due - now).total_seconds()
    unit, size = next((u, n) for u, n in (("day", 86400), ("hour", 3600), ("minute", 60)) if seconds >= n or n == 60)
    count = max(1, round(seconds / size))
    return f"on {due.day} {due:%B %Y at %H:%M} UTC (in {count} {unit}{'s' if count != 1 else ''})"
