"""Write each lesson's "Learning objectives" list from datasets/objectives.csv.

A lesson's objectives cell is the markdown cell that starts with ``**Learning objectives.**``: its
first line (``... By the end of this lesson you can:``) and everything after the numbered list
(estimated time, disclaimer) are kept; the numbered list is rewritten from the table's rows for
that lesson, in the table's order, so a lesson cannot drift from the table. Each notebook is read
fresh and written back at once; only that cell's text changes (cell ids, metadata and the other
cells are kept; lessons are committed without outputs).

Usage: python scripts/build_objectives.py [--check]   (--check: exit 1 and list what differs)
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sarcoma_edu.course.objectives import Objective, load_objectives  # noqa: E402

MARKER = "**Learning objectives.**"
_ITEM = re.compile(r"^\d+\. ")


def objectives_cell(notebook: dict) -> dict | None:
    """The lesson's markdown cell that starts with the objectives marker, or None."""
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown" and "".join(cell["source"]).startswith(MARKER):
            return cell
    return None


def numbered_list(objectives: list[Objective]) -> list[str]:
    """The Markdown lines of the list: ``1. text;`` for each objective, the last one ending in a full stop."""
    last = len(objectives) - 1
    return [f"{k + 1}. {o.objective}{'.' if k == last else ';'}" for k, o in enumerate(objectives)]


def rebuilt_text(text: str, objectives: list[Objective], where: str) -> tuple[str, list[str]]:
    """Return (the cell text with its numbered list rewritten, problems)."""
    lines = text.split("\n")
    start = next((k for k, line in enumerate(lines) if _ITEM.match(line)), None)
    if start is None or start != 1:
        return text, [f"{where}: the objectives cell has no numbered list right after its first line"]
    end = start
    while end < len(lines) and (_ITEM.match(lines[end]) or lines[end].startswith("   ")):
        end += 1  # an item's continuation lines are indented
    return "\n".join([*lines[:start], *numbered_list(objectives), *lines[end:]]), []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="do not write; exit 1 if anything would change")
    args = parser.parse_args(argv)
    by_lesson: dict[str, list[Objective]] = {}
    for objective in load_objectives().values():
        by_lesson.setdefault(objective.lesson, []).append(objective)
    problems: list[str] = []
    changed: list[str] = []
    lessons = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for lesson in sorted(set(by_lesson) - {p.stem for p in lessons}):
        problems.append(f"datasets/objectives.csv: lesson {lesson!r} is not a notebook in notebooks/")
    for path in lessons:
        where = str(path.relative_to(ROOT))
        notebook = json.loads(path.read_text(encoding="utf-8"))
        cell = objectives_cell(notebook)
        if cell is None:
            problems.append(f"{where}: no markdown cell starting with {MARKER!r}")
            continue
        if path.stem not in by_lesson:
            problems.append(f"{where}: datasets/objectives.csv has no objective for lesson {path.stem!r}")
            continue
        old = "".join(cell["source"])
        new, found = rebuilt_text(old, by_lesson[path.stem], where)
        problems += found
        if new != old:
            changed.append(where)
            if not args.check:
                lines = new.split("\n")
                cell["source"] = [line + "\n" for line in lines[:-1]] + [lines[-1]]
                path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    for problem in problems:
        print(problem, file=sys.stderr)
    if args.check and changed:
        print(
            "objectives out of date with datasets/objectives.csv (run python scripts/build_objectives.py): "
            + ", ".join(changed),
            file=sys.stderr,
        )
    return 1 if problems or (args.check and changed) else 0


if __name__ == "__main__":
    raise SystemExit(main())
