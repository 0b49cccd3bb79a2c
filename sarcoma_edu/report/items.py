"""Item analysis of a class's quiz attempts: how hard each question is, whether it separates, what was chosen.

Every figure comes from each student's **first attempt** at each question (the earliest
``answered_at``; equal times by ``attempt_id``): a second try after the feedback would make
questions look easier and blur the difference between students.

- **difficulty**: the share of first attempts that were right (1.0 = everyone right).
- **discrimination**: the point-biserial correlation between the item's score (1 right, 0 wrong)
  and the student's score on the rest of the test: the share right of the student's other first
  attempts (students with no other attempt are left out). Good questions have a positive value;
  a negative one means stronger students got it wrong more often than weaker ones.
- **answers**: how often each recorded answer was chosen. The key is what was recorded right
  (for numeric questions every right value counts for the key); every other answer is a distractor.

A question is flagged when its discrimination is negative, or when one distractor was chosen more
often than the key (right answers in all): both are the marks of a flawed or mis-keyed question.
Computed with whole-table pandas/numpy operations, so a class of 500 students takes well under a second.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["FLAG_DISTRACTOR", "FLAG_NEGATIVE", "first_attempts", "item_analysis", "rank_correlation"]

FLAG_NEGATIVE = "negative discrimination"
FLAG_DISTRACTOR = "a distractor chosen more often than the key"
ITEM_COLUMNS = (
    "question_id",
    "topic",
    "students",
    "difficulty",
    "discrimination",
    "key",
    "key_count",
    "top_distractor",
    "top_distractor_count",
    "answers",
    "flags",
)


def first_attempts(attempts: pd.DataFrame) -> pd.DataFrame:
    """Each student's first attempt at each question (earliest ``answered_at``, then ``attempt_id``)."""
    ordered = attempts.sort_values(["answered_at", "attempt_id"], kind="stable")
    return ordered.drop_duplicates(["student", "question_id"], keep="first").reset_index(drop=True)


def _discrimination(first: pd.DataFrame) -> pd.Series:
    """Point-biserial of each item's score against the rest score (share right of the other items)."""
    scores = first.pivot(index="student", columns="question_id", values="correct").astype(float)
    x = scores.to_numpy()
    answered = ~np.isnan(x)
    x0 = np.where(answered, x, 0.0)
    total, count = x0.sum(axis=1, keepdims=True), answered.sum(axis=1, keepdims=True)
    others = count - answered
    rest = np.divide(total - x0, others, out=np.zeros_like(x0), where=others > 0)
    valid = answered & (others > 0)
    n = valid.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_x = np.where(valid, x0, 0).sum(axis=0) / n
        mean_r = np.where(valid, rest, 0).sum(axis=0) / n
        dx, dr = np.where(valid, x0 - mean_x, 0), np.where(valid, rest - mean_r, 0)
        r = (dx * dr).sum(axis=0) / np.sqrt((dx**2).sum(axis=0) * (dr**2).sum(axis=0))
    return pd.Series(r, index=scores.columns, name="discrimination")


def item_analysis(attempts: pd.DataFrame) -> pd.DataFrame:
    """One row per question: difficulty, discrimination, key and distractor counts, and flags.

    Args:
        attempts: columns student, attempt_id, question_id, topic, answer (text), correct, answered_at.

    Returns:
        Columns question_id, topic, students (first attempts), difficulty (share right),
        discrimination (point-biserial; empty when it cannot be computed, e.g. everyone right),
        key and key_count (the answer most often recorded right, and how many first attempts were
        right), top_distractor and top_distractor_count, answers (every answer with its count,
        most chosen first, the key marked) and flags ("" when none); flagged questions first, then
        by discrimination.
    """
    if attempts.empty:
        return pd.DataFrame(columns=list(ITEM_COLUMNS))
    first = first_attempts(attempts)
    grouped = first.groupby("question_id", sort=True)
    items = pd.DataFrame(
        {
            "topic": grouped["topic"].agg(lambda t: t.mode().iloc[0]),
            "students": grouped.size(),
            "difficulty": grouped["correct"].mean(),
        }
    )
    items["discrimination"] = _discrimination(first)
    counts = first.groupby(["question_id", "correct", "answer"], sort=False).size().rename("count").reset_index()
    counts = counts.sort_values(["question_id", "count", "answer"], ascending=[True, False, True], kind="stable")
    right, wrong = counts[counts["correct"]], counts[~counts["correct"]]
    top_right = right.drop_duplicates("question_id").set_index("question_id")
    top_wrong = wrong.drop_duplicates("question_id").set_index("question_id")
    items["key"] = top_right["answer"]
    items["key_count"] = right.groupby("question_id")["count"].sum()
    items["top_distractor"] = top_wrong["answer"]
    items["top_distractor_count"] = top_wrong["count"]
    items[["key_count", "top_distractor_count"]] = items[["key_count", "top_distractor_count"]].fillna(0).astype(int)
    labelled = counts.assign(text=counts["answer"] + np.where(counts["correct"], " (key)", "") + ": ")
    labelled["text"] += labelled["count"].astype(str)
    items["answers"] = labelled.groupby("question_id", sort=False)["text"].agg(" | ".join)
    negative = items["discrimination"] < 0
    beaten = items["top_distractor_count"] > items["key_count"]
    items["flags"] = [
        "; ".join(f for f, on in ((FLAG_NEGATIVE, n), (FLAG_DISTRACTOR, b)) if on)
        for n, b in zip(negative, beaten, strict=True)
    ]
    items["_flagged"] = items["flags"] != ""
    items = items.reset_index().sort_values(["_flagged", "discrimination"], ascending=[False, True], kind="stable")
    return items.drop(columns="_flagged").reset_index(drop=True)[list(ITEM_COLUMNS)]


def rank_correlation(a: pd.Series | np.ndarray, b: pd.Series | np.ndarray) -> float:
    """Spearman's rank correlation (Pearson correlation of the ranks, ties given their mean rank)."""
    return float(pd.Series(np.asarray(a)).rank().corr(pd.Series(np.asarray(b)).rank()))
