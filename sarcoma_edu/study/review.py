"""Spaced review: which answered questions are due again, and how likely a student is to recall them now.

Scheduling is FSRS (the Free Spaced Repetition Scheduler) through the maintained ``fsrs`` package;
this module turns a student's attempts into FSRS reviews and reads the package's answers. It does
not compute any interval itself.

**What is scheduled.** Every answered item is one FSRS card, named by its stable id: a bank
question (``st-ia``), a generated question (``case-stage-123``, asked again by its id through
:func:`sarcoma_edu.course.items.item`), or a tumour board step (``case:<case id>:<step
id>``, topic ``cases``). A tumour board step is scheduled and counted like any other item, but it
cannot be asked on its own: its question builds on what the earlier steps of its case revealed, so
the quiz names the due steps and sends the student to the tumour board lesson to reopen the case.

**Ratings.** Each attempt is one review, rated from right/wrong and, when the student gave it,
their confidence (:data:`RATINGS`):

=========  ==============  ===========
Answer     Confidence      FSRS rating
=========  ==============  ===========
wrong      any, or none    Again
right      guessed         Hard
right      unsure          Good
right      none given      Good
right      sure            Easy
=========  ==============  ===========

A wrong answer is a lapse whatever the confidence (being sure does not make it less wrong); a right
guess is counted as recalled with difficulty, so it comes back sooner than a sure one.

**Replayed, not stored.** The review state of each item is derived every time by replaying its
attempts in time order through ``fsrs.Scheduler.review_card``, with fuzzing off so the same
attempts always give the same schedule. Nothing but the attempts (and their confidence) is
stored, so an export, an import, a merge of two computers' files or a recovered file can never
disagree with a stored schedule, and a later ``fsrs`` release or new scheduler settings apply to
the whole history at once with no migration. The cost is the replay: 10,000 attempts take well
under a second.

**Mastery** of a topic is the mean, over the topic's answered items, of each item's mastery now:
0 when its most recent answer was wrong (a wrong answer is never mastery, however recent), and
otherwise FSRS's retrievability, the chance the student still recalls it (1 on the day it was
answered right, then falling as the days pass, more slowly after several right answers spread over
time). FSRS counts elapsed time in whole days. Mastery is per topic, or per learning objective of
``datasets/objectives.csv``: each item then counts for every objective its question assesses.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

import fsrs
import pandas as pd

from sarcoma_edu.common import checks as _checks
from sarcoma_edu.course.objectives import load_objectives
from sarcoma_edu.progress import exchange
from sarcoma_edu.progress.store import ProgressStore

if TYPE_CHECKING:
    from sarcoma_edu.course.quiz import Question

__all__ = ["CONFIDENCE", "RATINGS", "ReviewItem", "due", "mastery", "next_due", "rating", "schedule"]

CONFIDENCE = exchange.CONFIDENCE
# (right?, confidence) -> FSRS rating; the table in the module docstring
RATINGS: Mapping[tuple[bool, str | None], fsrs.Rating] = {
    **{(False, c): fsrs.Rating.Again for c in (*CONFIDENCE, None)},
    (True, "guessed"): fsrs.Rating.Hard,
    (True, "unsure"): fsrs.Rating.Good,
    (True, None): fsrs.Rating.Good,
    (True, "sure"): fsrs.Rating.Easy,
}
_NEEDED = ("question_id", "topic", "correct", "answered_at")


@functools.cache
def _scheduler() -> fsrs.Scheduler:
    # the package's default parameters and steps; no fuzzing, so a replay always gives the same dates
    return fsrs.Scheduler(enable_fuzzing=False)


@dataclass(frozen=True)
class ReviewItem:
    """One answered item and its FSRS card after replaying its attempts.

    Attributes:
        question_id: the item's stable id.
        topic: the topic of its most recent attempt.
        reviews: how many attempts were replayed.
        card: the ``fsrs.Card`` (its ``due``, ``stability``, ``difficulty``, ``state``).
        last_correct: whether the most recent attempt was right.
    """

    question_id: str
    topic: str
    reviews: int
    card: fsrs.Card
    last_correct: bool = True

    @property
    def due(self) -> datetime:
        """When FSRS schedules the next review (UTC)."""
        return self.card.due

    @property
    def case_step(self) -> bool:
        """Whether this is a tumour board step (``case:<case>:<step>``), reviewed by reopening its case."""
        return self.question_id.startswith("case:")

    def retrievability(self, now: datetime | None = None) -> float:
        """FSRS's probability, between 0 and 1, that the student recalls this item at ``now``."""
        return float(_scheduler().get_card_retrievability(self.card, _now(now)))

    def mastery(self, now: datetime | None = None) -> float:
        """0 when the last answer was wrong; otherwise :meth:`retrievability` (a wrong answer is never mastery)."""
        return self.retrievability(now) if self.last_correct else 0.0


def rating(correct: bool, confidence: str | None = None) -> fsrs.Rating:
    """The FSRS rating of one attempt (see :data:`RATINGS`).

    Raises:
        ValueError: ``confidence`` is not "sure", "unsure", "guessed" or None.
    """
    correct = _checks.boolean("correct", correct)
    if confidence is not None and confidence not in CONFIDENCE:
        allowed = ", ".join(map(repr, CONFIDENCE))
        raise ValueError(f"confidence={_checks.show(confidence)} is not allowed; expected one of {allowed} or None")
    return RATINGS[(correct, confidence)]


def schedule(attempts: pd.DataFrame | ProgressStore) -> list[ReviewItem]:
    """Replay every attempt through FSRS; one :class:`ReviewItem` per answered item, soonest due first.

    Args:
        attempts: a :class:`~sarcoma_edu.progress.store.ProgressStore`, or a table like its ``attempts()``
            (question_id, topic, correct, answered_at with its time zone, and optionally confidence).

    Raises:
        ValueError: a column is missing, an attempt has no time zone or an unknown confidence.
    """
    by_item: dict[str, list[_Attempt]] = {}
    for attempt in _attempts(attempts):
        by_item.setdefault(attempt.question_id, []).append(attempt)
    scheduler = _scheduler()
    items = []
    for number, question_id in enumerate(sorted(by_item), start=1):
        history = by_item[question_id]
        card = fsrs.Card(card_id=number, due=history[0].answered_at)
        for attempt in history:
            card, _log = scheduler.review_card(card, attempt.rating, review_datetime=attempt.answered_at)
        items.append(ReviewItem(question_id, history[-1].topic, len(history), card, history[-1].correct))
    return sorted(items, key=lambda item: (item.due, item.question_id))


def due(attempts: pd.DataFrame | ProgressStore, now: datetime | None = None) -> list[ReviewItem]:
    """The items due for review at ``now`` (default: the present), most overdue first."""
    moment = _now(now)
    return [item for item in schedule(attempts) if item.due <= moment]


def next_due(attempts: pd.DataFrame | ProgressStore, now: datetime | None = None) -> ReviewItem | None:
    """The item that falls due soonest after ``now``, or None when nothing has been answered."""
    moment = _now(now)
    return next((item for item in schedule(attempts) if item.due > moment), None)


def mastery(
    attempts: pd.DataFrame | ProgressStore,
    now: datetime | None = None,
    *,
    by: Literal["topic", "objective"] = "topic",
    questions: Iterable[Question] | None = None,
) -> pd.DataFrame:
    """Mastery per topic or per learning objective: the mean of its items' :meth:`ReviewItem.mastery` at ``now``.

    Args:
        attempts: a :class:`~sarcoma_edu.progress.store.ProgressStore` or a table like its ``attempts()``.
        now: the moment (default: the present), with its time zone.
        by: "topic" (the topic of each item's last attempt) or "objective": each item counts for
            every learning objective of ``datasets/objectives.csv`` its question assesses
            (``Question.objectives``); an item whose question names none is left out.
        questions: where to read each question's objectives (default: every item's question, found by its
            id in :mod:`sarcoma_edu.course.items`: built-in and the instructor's questions, exercises,
            case steps and generated questions).

    Returns:
        One row per topic (sorted) or per objective (in course order): topic or objective (with its
        lesson and its words), items (answered items), right (of them, right the last time), due (of
        them, due now), and mastery (between 0 and 1: 0 for an item last answered wrongly, else the
        chance it is recalled now; the mean over the items).
    """
    by = _checks.choice("by", by, ("topic", "objective"))
    moment = _now(now)
    items = schedule(attempts)
    if by == "topic":
        rows = [(i.topic, i.mastery(moment), i.last_correct, i.due <= moment) for i in items]
    else:
        assessed = _objectives_of(questions)
        rows = [(o, i.mastery(moment), i.last_correct, i.due <= moment) for i in items for o in assessed(i.question_id)]
    table = pd.DataFrame(rows, columns=[by, "value", "right", "due"])
    out = table.groupby(by, sort=True).agg(
        items=("value", "size"), right=("right", "sum"), due=("due", "sum"), mastery=("value", "mean")
    )
    out[["right", "due"]] = out[["right", "due"]].astype(int)
    out = out.reset_index()[[by, "items", "right", "due", "mastery"]]
    if by == "objective":
        known = load_objectives()
        order = {key: number for number, key in enumerate(known)}
        out = out.sort_values("objective", key=lambda ids: ids.map(order), kind="stable").reset_index(drop=True)
        out.insert(1, "lesson", [known[o].lesson for o in out["objective"]])
        out.insert(2, "text", [known[o].objective for o in out["objective"]])
    return out


def _objectives_of(questions: Iterable[Question] | None) -> Callable[[str], tuple[str, ...]]:
    """A look-up from an item's id to the objective ids its question assesses (known ones only)."""
    from sarcoma_edu.course.items import ContentFolderError, UnknownItemError, item

    by_id = {q.id: q for q in questions} if questions is not None else {}
    known = load_objectives()

    def assessed(question_id: str) -> tuple[str, ...]:
        question = by_id.get(question_id)
        if question is None and questions is None:
            try:
                question = item(question_id)
            except (UnknownItemError, ContentFolderError):  # an item no longer in the course assesses nothing
                question = None
        return tuple(o for o in getattr(question, "objectives", ()) if o in known)

    return assessed


def _now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    if not isinstance(now, datetime):
        raise TypeError(f"now={_checks.show(now)} is not a datetime; expected e.g. datetime.now(UTC) or None")
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"now={now.isoformat()!r} has no time zone; expected e.g. datetime.now(UTC)")
    return now.astimezone(UTC)


@dataclass(frozen=True)
class _Attempt:
    question_id: str
    topic: str
    answered_at: datetime
    rating: fsrs.Rating
    correct: bool


def _attempts(attempts: pd.DataFrame | ProgressStore) -> list[_Attempt]:
    """The attempts as reviews, in time order (attempts at the same moment keep their order)."""
    frame = attempts.attempts() if isinstance(attempts, ProgressStore) else attempts
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"attempts={_checks.show(frame)} is not a ProgressStore or a table of attempts")
    missing = [c for c in _NEEDED if c not in frame.columns]
    if missing:
        raise ValueError(
            f"attempts has no column {missing[0]!r}; expected ProgressStore.attempts() ({', '.join(_NEEDED)})"
        )
    confidence = frame["confidence"] if "confidence" in frame.columns else [None] * len(frame)
    out = []
    for question_id, topic, right, when, sure in zip(
        frame["question_id"], frame["topic"], frame["correct"], frame["answered_at"], confidence, strict=True
    ):
        moment = pd.Timestamp(when)
        if moment.tzinfo is None:
            raise ValueError(f"answered_at={str(when)!r} has no time zone; expected e.g. 2026-03-02T14:05:09+00:00")
        sure = sure if isinstance(sure, str) else None  # None or NaN: not given
        when = moment.to_pydatetime().astimezone(UTC)
        out.append(_Attempt(str(question_id), str(topic), when, rating(right, sure), bool(right)))
    return sorted(out, key=lambda a: a.answered_at)
