"""Class report speed: 500 students x 150 questions (75,000 attempts) from their export files to the HTML file.

Run: ``make bench`` (or ``.venv/bin/python benchmarks/bench_report.py [STUDENTS] [QUESTIONS]``). A
synthetic class (:func:`sarcoma_edu.report.class_report.synthetic_class`, no second attempts, so exactly
students x questions attempts) is written as one export per student into a temporary folder
(not timed), then the report is built from the JSON files and from the CSV files as
``sarcoma-edu report`` builds it: read and merge, analyse, write the HTML. Target on a 2-core
machine: under 10 s from files to HTML.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from sarcoma_edu.report.class_report import analyse, class_report, synthetic_class, write_report

TARGET_S = 10.0


def _timed(action):
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def main() -> None:
    """Print the time of each step for JSON and CSV exports, and the total against the target."""
    students = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    questions = int(sys.argv[2]) if len(sys.argv) > 2 else 150
    synthetic = synthetic_class(students, questions, seed=7, retry_share=0.0)
    print(f"class report: {students} students x {questions} questions = {len(synthetic.attempts):,} attempts")
    _, memory_s = _timed(lambda: analyse(synthetic.results()))
    print(f"  analysis of attempts already in memory: {memory_s:.2f} s")
    worst = 0.0
    with tempfile.TemporaryDirectory() as folder:
        for fmt in ("json", "csv"):
            exports = Path(folder) / fmt
            exports.mkdir()
            synthetic.write_exports(exports, fmt)
            report, read_s = _timed(lambda exports=exports: class_report([exports]))
            out = Path(folder) / f"report-{fmt}.html"
            _, html_s = _timed(lambda report=report, out=out: write_report(report, out))
            size_mb = out.stat().st_size / 1e6
            total = read_s + html_s
            worst = max(worst, total)
            print(
                f"  from {students} {fmt.upper()} files: read, merge and analyse {read_s:.2f} s, "
                f"HTML {html_s:.2f} s ({size_mb:.1f} MB), total {total:.2f} s"
            )
            assert len(report.results.attempts) == len(synthetic.attempts)
            assert report.flagged["question_id"].tolist() == synthetic.miskeyed
    verdict = "within" if worst < TARGET_S else "OVER"
    print(f"  slowest total {worst:.2f} s: {verdict} the {TARGET_S:.0f} s target")


if __name__ == "__main__":
    main()
