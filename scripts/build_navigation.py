"""Keep the lessons' navigation consistent: a lesson map in 00_welcome and a previous/next cell in each lesson.

Usage: ``python scripts/build_navigation.py`` rewrites the cells; ``--check`` only reports (exit 1)
when a notebook's navigation is out of date. Cells are found by their tags (``lesson-map``,
``navigation``), so the script never touches anything else.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def lessons() -> list[tuple[Path, str, str]]:
    """(path, title, estimated time) for every numbered lesson, in order."""
    found = []
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        cells = nbformat.read(path, as_version=4).cells
        title = cells[0].source.splitlines()[0].lstrip("# ").strip()
        match = re.search(r"\*\*Estimated time:\*\* (\d+ minutes)", "".join(c.source for c in cells[:3]))
        found.append((path, title, match.group(1) if match else ""))
    return found


def lesson_map(items: list[tuple[Path, str, str]]) -> str:
    """The markdown table of lessons for 00_welcome."""
    rows = "\n".join(f"| {p.name[:2]} | [{title}]({p.name}) | {time} |" for p, title, time in items)
    return f"## Map of the lessons\n\n| | Lesson | Time |\n|---|---|---|\n{rows}"


def navigation(items: list[tuple[Path, str, str]], index: int) -> str:
    """The previous/next line at the end of one lesson."""
    parts = []
    if index > 0:
        prev = items[index - 1]
        parts.append(f"← Previous: [{prev[1]}]({prev[0].name})")
    if index + 1 < len(items):
        nxt = items[index + 1]
        parts.append(f"Next: [{nxt[1]}]({nxt[0].name}) →")
    parts.append("[Course map](00_welcome.ipynb)")
    return "---\n" + " &nbsp;|&nbsp; ".join(parts)


def _set_cell(notebook, tag: str, text: str, position: int | None) -> bool:
    """Put ``text`` in the cell tagged ``tag`` (creating it at ``position``, or last); return True if changed."""
    for cell in notebook.cells:
        if tag in cell.get("metadata", {}).get("tags", []):
            if cell.source == text:
                return False
            cell.source = text
            return True
    cell = nbformat.v4.new_markdown_cell(text, metadata={"tags": [tag]})
    notebook.cells.insert(len(notebook.cells) if position is None else position, cell)
    return True


def main(argv: list[str]) -> int:
    """Rewrite (or with --check, verify) the navigation cells of every lesson."""
    check = "--check" in argv
    items = lessons()
    stale = []
    for index, (path, _title, _time) in enumerate(items):
        notebook = nbformat.read(path, as_version=4)
        changed = _set_cell(notebook, "navigation", navigation(items, index), None)
        if index == 0:
            changed |= _set_cell(notebook, "lesson-map", lesson_map(items[1:]), 3)
        if changed:
            stale.append(path.name)
            if not check:
                nbformat.write(notebook, path)
    if check and stale:
        print(f"navigation is out of date in {', '.join(stale)}: run python scripts/build_navigation.py")
        return 1
    print(f"navigation {'checked' if check else 'written'} for {len(items)} notebooks")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
