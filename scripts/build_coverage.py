"""Write the objectives coverage table of docs/teaching.md from the objectives, quiz banks, exercises and cases.

For each learning objective of datasets/objectives.csv the table gives how many quiz questions,
in-lesson exercises and tumour-board case steps assess it (see sarcoma_edu/course/coverage.py for what
is counted). The table sits between two marker comments in docs/teaching.md; the rest of the
file is never touched.

Usage: python scripts/build_coverage.py [--check]   (--check: exit 1 if the table is out of date)
       python scripts/build_coverage.py --content DIR   (print the table with an instructor's content counted)

With --content DIR (or $SARCOMA_EDU_CONTENT) the table counts the instructor's questions, exercises and
case steps too and is printed, not written: docs/teaching.md shows the built-in content only.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sarcoma_edu.course.content import Content, load_content  # noqa: E402
from sarcoma_edu.course.content_folder import ContentFolderError, content_folder  # noqa: E402
from sarcoma_edu.course.coverage import coverage, coverage_problems  # noqa: E402
from sarcoma_edu.course.objectives import load_objectives  # noqa: E402

DOC = ROOT / "docs" / "teaching.md"
START = "<!-- objectives-coverage:start (written by scripts/build_coverage.py from the data; do not edit) -->"
END = "<!-- objectives-coverage:end -->"
HEADER = (
    "| Lesson | Objective (id: the student can ...) | Kind of thinking | Assessed by | Quiz questions "
    "| In-lesson exercises | Case steps |"
)


def table_markdown(content: Content | None = None) -> str:
    """The coverage table as Markdown, one row per objective in course order (``content`` counted too)."""
    words = load_objectives()
    lines = [HEADER, "|---|---|---|---|---:|---:|---:|"]
    for row in coverage(content).itertuples():
        text = words[row.objective].objective.replace("|", "\\|")
        lines.append(
            f"| {row.lesson} | `{row.objective}`: {text} | {row.kind} | {row.assessed_by} | {row.quiz_questions} "
            f"| {row.exercises} | {row.case_steps} |"
        )
    return "\n".join(lines)


def rebuilt(text: str) -> str | None:
    """The document with the table between the markers rewritten, or None when the markers are missing."""
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        return None
    return text[: start + len(START)] + "\n" + table_markdown() + "\n" + text[end:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="do not write; exit 1 if the table would change")
    parser.add_argument(
        "--content", metavar="DIR", help="an instructor's content folder: print the table with it counted (no write)"
    )
    args = parser.parse_args(argv)
    try:
        folder = content_folder(args.content)
        content = load_content(folder) if folder is not None else None
    except ContentFolderError as error:
        print(f"build_coverage.py: error: {error}", file=sys.stderr)
        return 2
    if content is not None:
        print(table_markdown(content))
        for problem in coverage_problems(coverage(content)):
            print(f"under-assessed: {problem}", file=sys.stderr)
        for problem in content.problems:
            print(f"left out: {problem}", file=sys.stderr)
        return 0
    text = DOC.read_text(encoding="utf-8")
    new = rebuilt(text)
    if new is None:
        print(
            f"{DOC.relative_to(ROOT)}: the markers {START!r} and {END!r} are missing or out of order", file=sys.stderr
        )
        return 1
    for problem in coverage_problems():
        print(f"under-assessed: {problem}", file=sys.stderr)
    if new == text:
        return 0
    if args.check:
        print(
            f"{DOC.relative_to(ROOT)}: the objectives coverage table is out of date "
            "(run python scripts/build_coverage.py)",
            file=sys.stderr,
        )
        return 1
    DOC.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
