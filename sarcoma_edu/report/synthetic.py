"""A synthetic class for trying the class report: made-up students answering from a known item-response model.

Nothing here is about real students or real questions. Each made-up student has an ability
``theta`` (standard normal); each made-up four-option question has a difficulty ``b`` and a
discrimination ``a``. A student knows the answer with the 2PL probability
``1 / (1 + exp(-a (theta - b)))`` and then picks the right option; otherwise they guess one of the
four at random. A **mis-keyed** question has a wrong option marked as the key in its bank, so what
is recorded "right" is that wrong option: the report should flag it. Some wrong first answers are
tried again later (a second attempt), as students do with "practise my mistakes".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sarcoma_edu.common import atomic as _atomic
from sarcoma_edu.common import checks as _checks
from sarcoma_edu.progress import exchange
from sarcoma_edu.report.files import ClassResults

__all__ = ["SyntheticClass", "synthetic_class"]

OPTIONS = ("Option A", "Option B", "Option C", "Option D")
# the quiz topics the made-up questions cycle through (fixed here, so a seed always gives the same class)
TOPICS = ("risk factors", "diagnosis", "grade", "staging", "metastasis", "treatment", "drugs", "sequencing")
_START = pd.Timestamp("2026-03-02T09:00:00", tz="UTC")


@dataclass(frozen=True)
class SyntheticClass:
    """A made-up class: its attempts and the true model behind them.

    Attributes:
        attempts: student, attempt_id, question_id, topic, answer, correct, answered_at (as in an export).
        items: question_id, topic, difficulty (the model's b), discrimination (a), right_answer,
            key (the option the bank marks right) and miskeyed.
        abilities: each student's theta.
        seed: the seed it was made from.
    """

    attempts: pd.DataFrame
    items: pd.DataFrame
    abilities: pd.Series
    seed: int

    def results(self) -> ClassResults:
        """The attempts as merged class results (no files), ready for :func:`sarcoma_edu.report.analysis.analyse`."""
        return ClassResults(self.attempts.copy(), files=())

    @property
    def miskeyed(self) -> list[str]:
        """Ids of the mis-keyed questions."""
        return list(self.items.loc[self.items["miskeyed"], "question_id"])

    def write_exports(self, folder: str | Path, format: str = "json") -> list[Path]:
        """Write one export per student (``results-<student>.json`` or ``.csv``) in the exchange format.

        The files are what :meth:`ProgressStore.export_json` or ``export_csv`` write; the student's
        name is in the file name only, as in a real hand-in.
        """
        fmt = _checks.choice("format", format, ("json", "csv"))
        target = Path(folder)
        if not target.is_dir():
            raise ValueError(f"folder={str(folder)!r} is not an existing folder")
        frame = self.attempts.copy()
        frame["answered_at"] = frame["answered_at"].dt.strftime("%Y-%m-%dT%H:%M:%S.%f").str[:-3] + "+00:00"
        written = []
        for student, rows in frame.groupby("student", sort=True):
            path = target / f"results-{student}.{fmt}"
            rows = rows.drop(columns="student")
            if fmt == "csv":  # as export_csv writes it: no cell a spreadsheet would run as a formula
                text = rows.map(lambda v: exchange.csv_cell(v) if isinstance(v, str) else v).to_csv(index=False)
            else:
                payload = {"format": exchange.FORMAT, "version": exchange.VERSION, "attempts": rows.to_dict("records")}
                text = json.dumps(payload, ensure_ascii=False)
            _atomic.write_file(path, text, private=True)
            written.append(path)
        return written


def synthetic_class(
    n_students: int = 200,
    n_items: int = 40,
    seed: int = 0,
    *,
    miskeyed: int = 1,
    retry_share: float = 0.3,
) -> SyntheticClass:
    """Make a class answering from a 2PL model, with ``miskeyed`` questions whose key is wrong.

    Args:
        n_students: made-up students, 2 or more.
        n_items: made-up four-option questions, 2 or more.
        seed: the random seed (the same seed gives the same class).
        miskeyed: how many questions are mis-keyed (0 to n_items).
        retry_share: the share of wrong first answers tried again later (0 to 1).

    Returns:
        The attempts, ready for :func:`sarcoma_edu.report.analysis.analyse` (``.results()``) or to be written
        as exports.
    """
    n_students = _checks.whole_number("n_students", n_students, "a whole number of students, 2 or more")
    n_items = _checks.whole_number("n_items", n_items, "a whole number of questions, 2 or more")
    seed = _checks.whole_number("seed", seed, "a whole number, 0 or more")
    miskeyed = _checks.whole_number("miskeyed", miskeyed, f"a whole number from 0 to n_items ({n_items})")
    retry_share = _checks.real_number("retry_share", retry_share, "a number from 0 to 1")
    for name, value, low, high in (
        ("n_students", n_students, 2, None),
        ("n_items", n_items, 2, None),
        ("seed", seed, 0, None),
        ("miskeyed", miskeyed, 0, n_items),
        ("retry_share", retry_share, 0, 1),
    ):
        if value < low or (high is not None and value > high):
            allowed = f"from {low} to {high}" if high is not None else f"{low} or more"
            raise ValueError(f"{name}={_checks.show(value)} is not allowed; expected {allowed}")
    rng = np.random.default_rng(seed)
    theta = rng.standard_normal(n_students)
    b = rng.uniform(-2.0, 1.5, n_items)
    a = rng.uniform(0.8, 2.0, n_items)
    right = rng.integers(0, len(OPTIONS), n_items)
    key = right.copy()
    bad = rng.choice(n_items, size=miskeyed, replace=False)
    key[bad] = (right[bad] + rng.integers(1, len(OPTIONS), miskeyed)) % len(OPTIONS)
    topics = list(TOPICS)
    ids = [f"syn-{i + 1:03d}" for i in range(n_items)]
    students = [f"learner{s + 1:03d}" for s in range(n_students)]

    def answer(knows_extra: float) -> np.ndarray:
        p = 1.0 / (1.0 + np.exp(-a[None, :] * (theta[:, None] - b[None, :])))
        knows = rng.random((n_students, n_items)) < np.minimum(1.0, p + knows_extra)
        return np.where(knows, right[None, :], rng.integers(0, len(OPTIONS), (n_students, n_items)))

    first = answer(0.0)
    again = answer(0.3)  # after the feedback a student knows a little more
    retried = (first != key[None, :]) & (rng.random((n_students, n_items)) < retry_share)
    s_idx, i_idx = np.meshgrid(np.arange(n_students), np.arange(n_items), indexing="ij")
    rs, ri = np.nonzero(retried)
    student_idx = np.concatenate([s_idx.ravel(), rs])
    item_idx = np.concatenate([i_idx.ravel(), ri])
    choice = np.concatenate([first.ravel(), again[rs, ri]])
    trial = np.concatenate([np.zeros(first.size, dtype=int), np.ones(len(rs), dtype=int)])
    triples = zip(student_idx, item_idx, trial, strict=True)
    seconds = student_idx * 600 + item_idx * 20 + trial * 86_400
    attempts = pd.DataFrame(
        {
            "student": np.asarray(students)[student_idx],
            "attempt_id": [f"syn{seed}-{s:05d}-{i:04d}-{t}" for s, i, t in triples],
            "question_id": np.asarray(ids)[item_idx],
            "topic": np.asarray(topics)[item_idx % len(topics)],
            "answer": np.asarray(OPTIONS)[choice],
            "correct": choice == key[item_idx],
            "answered_at": _START + pd.to_timedelta(seconds, unit="s"),
        }
    )
    attempts = attempts.sort_values(["student", "answered_at"], kind="stable").reset_index(drop=True)
    items = pd.DataFrame(
        {
            "question_id": ids,
            "topic": [topics[i % len(topics)] for i in range(n_items)],
            "difficulty": b,
            "discrimination": a,
            "right_answer": np.asarray(OPTIONS)[right],
            "key": np.asarray(OPTIONS)[key],
            "miskeyed": key != right,
        }
    )
    return SyntheticClass(attempts, items, pd.Series(theta, index=students, name="theta"), seed)
