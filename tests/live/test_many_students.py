"""Sixty students answering at the same moment: every one counted, none twice (one file each, atomic renames)."""

from __future__ import annotations

import multiprocessing

from sarcoma_edu.live.polls import open_poll
from sarcoma_edu.live.results import results
from tests.live.conftest import ITEM, answer_as

STUDENTS = 60
CHOICES = ("IIIB", "IV", "IIIA", "IB")


def _student(folder, number: int, go, done) -> None:
    """One student's process: wait for the start, answer, and (every third student) change her answer."""
    go.wait(30)
    first = answer_as(folder, f"student-{number}", ITEM, CHOICES[number % 4])
    last = first
    if number % 3 == 0:
        last = answer_as(folder, f"student-{number}", ITEM, CHOICES[(number + 1) % 4])
    done.put((number, first.ok and last.ok, first.note or last.note))


def test_sixty_students_answering_at_once_are_all_counted_once_with_their_final_answers(class_folder):
    """60 processes released together drop their answers (20 change theirs): 60 responses, counts by final answer."""
    open_poll(class_folder, ITEM)
    context = multiprocessing.get_context("fork")
    go, done = context.Event(), context.Queue()
    processes = [context.Process(target=_student, args=(class_folder, n, go, done)) for n in range(STUDENTS)]
    for process in processes:
        process.start()
    go.set()
    reports = [done.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(30)
    assert all(ok for _n, ok, _note in reports), [r for r in reports if not r[1]]
    final = [CHOICES[(n + (n % 3 == 0)) % 4] for n in range(STUDENTS)]
    found = results(class_folder, ITEM)
    assert found.responses == STUDENTS and found.skipped == ()
    assert found.counts == {choice: final.count(choice) for choice in CHOICES}
    assert len(list((class_folder / "dropbox").iterdir())) == STUDENTS  # no temporary file left behind
