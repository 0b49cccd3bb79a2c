"""Write the Sources section of the README and each lesson's Sources cell from datasets/sources.csv.

A lesson's Sources cell lists the sources it cites as bullets ``- KEY: ...``; this script rewrites
the text after each key from the bibliography, so a lesson cannot drift from it. A bullet that
starts with a short label and a colon must use a key; other bullets are notes about the lesson.
The README's Sources section lists every source the toolkit cites (keys found in the data tables,
quiz banks, case files and lessons).

Usage: python scripts/build_bibliography.py [--check]   (--check: exit 1 and list what differs)
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sarcoma_edu.clinical.sources import bibliography, bibliography_line, citation_key, load_sources  # noqa: E402

README_INTRO = (
    "Every fact in the lessons, tables and quiz names its source; the keys below are the ones used "
    "(`datasets/sources.csv` holds them, and a test checks every `source` value against it)."
)


def _sources_cell(notebook: dict) -> dict | None:
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown" and "".join(cell["source"]).startswith("## Sources"):
            return cell
    return None


def rebuilt_cell(text: str, where: str) -> tuple[str, list[str], list[str]]:
    """Return (new text, keys cited, problems) for a lesson's Sources cell text."""
    lines, keys, problems = [], [], []
    for line in text.split("\n"):
        if not line.startswith("- "):
            lines.append(line)
            continue
        label = re.match(r"((?:[^\s:`]+ ?){1,4}):(?:\s|$)", line[2:])
        key = label.group(1).strip() if label else None
        if key in load_sources():
            keys.append(key)
            lines.append(bibliography_line(key))
        elif key is not None:  # "- Spread figures: Fong ..." cites without a key of the bibliography
            problems.append(f"{where}: the bullet {line[:70]!r} names no key of datasets/sources.csv")
            lines.append(line)
        else:  # a note about the lesson's data, not a citation
            lines.append(line)
    return "\n".join(lines), keys, problems


def _cited_keys() -> set[str]:
    """Every key a source value in datasets/ cites (tables, quiz banks, case files)."""
    import csv

    keys: set[str] = set()

    def add(value: object) -> None:
        if isinstance(value, str):
            for part in value.split(";"):
                key = citation_key(part)
                if key:
                    keys.add(key)

    for path in sorted((ROOT / "datasets").rglob("*.csv")):
        with open(path, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                add(row.get("source"))

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for name, value in node.items():
                if name == "source":
                    add(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted((ROOT / "datasets").rglob("*.json")):
        if not path.name.endswith(".schema.json"):
            walk(json.loads(path.read_text(encoding="utf-8")))
    return keys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="do not write; exit 1 if anything would change")
    args = parser.parse_args(argv)
    problems: list[str] = []
    changed: list[str] = []
    used = _cited_keys()
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        cell = _sources_cell(notebook)
        if cell is None:
            problems.append(f"{path.relative_to(ROOT)}: no '## Sources' cell")
            continue
        old = "".join(cell["source"])
        new, keys, found = rebuilt_cell(old, str(path.relative_to(ROOT)))
        problems += found
        used.update(keys)
        if new != old:
            changed.append(str(path.relative_to(ROOT)))
            if not args.check:
                lines = new.split("\n")
                cell["source"] = [line + "\n" for line in lines[:-1]] + [lines[-1]]
                path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    match = re.search(r"(## Sources\n)(.*?)(\n## )", text, flags=re.S)
    if match is None:
        problems.append("README.md: no '## Sources' section followed by another section")
    else:
        ordered = [k for k in load_sources() if k in used]
        section = f"\n{README_INTRO}\n\n{bibliography(ordered)}\n"
        if match.group(2) != section:
            changed.append("README.md")
            if not args.check:
                readme.write_text(text[: match.start(2)] + section + text[match.end(2) :], encoding="utf-8")
    for problem in problems:
        print(problem, file=sys.stderr)
    if args.check and changed:
        print(
            "out of date with datasets/sources.csv (run python scripts/build_bibliography.py): " + ", ".join(changed),
            file=sys.stderr,
        )
    return 1 if problems or (args.check and changed) else 0


if __name__ == "__main__":
    raise SystemExit(main())
