"""Live class poll speed: 200 students answer an open poll, then the instructor's results are counted.

Run: ``make bench`` (or ``.venv/bin/python benchmarks/bench_polls.py [STUDENTS]``). A class folder is
made in a temporary folder (one answer per token, as on one shared account), a poll is opened on
``ex-03-retro-nodes``, and the students answer from separate processes released together (each
with her own token; every fifth one changes her answer), exactly as the lesson widgets drop an
answer (:func:`sarcoma_edu.live.dropbox.drop_answer`). Then :func:`sarcoma_edu.live.results.results`
reads the drop box as the projector and ``sarcoma-edu poll results`` do. Target on a 2-core machine:
the results in under 1 s.
"""

from __future__ import annotations

import multiprocessing
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sarcoma_edu.live.classfolder import init_class
from sarcoma_edu.live.dropbox import drop_answer
from sarcoma_edu.live.polls import close_poll, open_poll
from sarcoma_edu.live.results import results

ITEM = "ex-03-retro-nodes"
CHOICES = ("IIIB", "IV", "IIIA", "IB")
TARGET_S = 1.0


def _student(folder: Path, number: int, go, done) -> None:
    go.wait(60)
    start = time.perf_counter()
    tokens = folder.parent / "students" / str(number)
    ok = drop_answer(ITEM, CHOICES[number % 4], class_dir=folder, token_folder=tokens).ok
    if number % 5 == 0:
        ok = drop_answer(ITEM, CHOICES[(number + 1) % 4], class_dir=folder, token_folder=tokens).ok and ok
    done.put((ok, time.perf_counter() - start, time.time()))


def main() -> None:
    """Print how long the answers took to arrive and how long the results take to count, against the target."""
    students = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "class"
        init_class(folder, shared_account=True)
        open_poll(folder, ITEM)
        context = multiprocessing.get_context("fork")
        go, done = context.Event(), context.Queue()
        processes = [context.Process(target=_student, args=(folder, n, go, done)) for n in range(students)]
        for process in processes:
            process.start()
        released = time.time()
        go.set()
        reports = [done.get(timeout=120) for _ in processes]
        for process in processes:
            process.join(60)
        each = sorted(seconds for _ok, seconds, _end in reports)
        spread = max(end for _ok, _s, end in reports) - released
        print(f"live poll: {students} students answer {ITEM} (every fifth changes her answer)")
        print(
            f"  all answers in the drop box {spread:.2f} s after the start; one student's drop: median "
            f"{statistics.median(each) * 1000:.1f} ms, slowest {each[-1] * 1000:.1f} ms; "
            f"{sum(not ok for ok, _s, _e in reports)} failed"
        )
        timings = []
        for _ in range(5):
            start = time.perf_counter()
            found = results(folder, ITEM)
            timings.append(time.perf_counter() - start)
        assert found.responses == students, found
        print(
            f"  results while open: first {timings[0] * 1000:.0f} ms, median of 5 "
            f"{statistics.median(timings) * 1000:.0f} ms ({found.responses} responses: {found.counts})"
        )
        start = time.perf_counter()
        close_poll(folder, ITEM)
        closing = time.perf_counter() - start
        start = time.perf_counter()
        frozen = results(folder, ITEM)
        closed = time.perf_counter() - start
        assert frozen.counts == found.counts
        print(
            f"  closing (freezing {students} answers) {closing * 1000:.0f} ms; "
            f"results once closed {closed * 1000:.0f} ms"
        )
        worst = max(*timings, closed)
        verdict = "within" if worst < TARGET_S else "OVER"
        print(f"  slowest results {worst * 1000:.0f} ms: {verdict} the {TARGET_S:.0f} s target")


if __name__ == "__main__":
    main()
