"""Copy the lessons into the student's own folder before `make lab` opens JupyterLab there.

The lessons in ``notebooks/`` are the course as it is in the repository: students run and change
their copies, so the repository's files never change by being used. A copy the student has edited is
never replaced without asking (and is backed up first); a copy that was only run counts as unedited,
so a newer lesson simply takes its place (see :func:`sarcoma_edu.serve.lesson_files.copy_lessons`).

    python scripts/copy_lessons.py my-lessons
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sarcoma_edu.serve import lesson_files  # noqa: E402


def ask(path: Path) -> bool:
    """Ask in the terminal whether to replace an edited copy; anything but yes keeps it."""
    if not sys.stdin.isatty():
        return False
    reply = input(f"You have edited {path.name}. Replace it with the course's newer copy (yours is backed up)? [y/N] ")
    return reply.strip().lower() in ("y", "yes")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", help="where the copies go (created if missing)")
    args = parser.parse_args(argv)
    try:
        report = lesson_files.copy_lessons(args.folder, replace_edited=ask)
    except (OSError, TypeError, ValueError) as error:
        print(f"The lessons could not be copied to {args.folder}: {error}", file=sys.stderr)
        return 1
    print(report.describe())
    return 0


if __name__ == "__main__":
    sys.exit(main())
