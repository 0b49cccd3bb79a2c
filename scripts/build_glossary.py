"""Keep the glossary and its links current: a glossary in 00_welcome, and a link where a lesson first uses a term.

Usage: ``python scripts/build_glossary.py`` rewrites the glossary cell and the links; ``--check`` only reports
(exit 1) what is out of date. The terms, their other forms, plain definitions and sources are in
``datasets/glossary.csv``.

- The glossary is one markdown cell of ``00_welcome.ipynb`` tagged ``glossary`` (put just before the self-check
  the first time), listing every term with its definition and source.
- In every lesson the first use of a term in running text becomes a link to that section, whose title (shown on
  hover) is the definition: ``[grade](00_welcome.ipynb#Glossary "How abnormal ...")``. A form written in small
  letters is found in any case; one written with a capital, such as an abbreviation, only as written (AJCC, Gy,
  GIST, so that "gist" is left alone). Running text means a markdown line that is not a heading, a table row,
  HTML (or the lines of an HTML block such as a ``<details>`` answer), code, or part of a cell tagged
  ``lesson-map``, ``navigation`` or ``glossary``, of the learning objectives (written from
  ``datasets/objectives.csv``) or of the sources; words inside inline code, another link or the bold label opening
  a list item (``- **off-label**: ...``) are left alone.

Every cell is read fresh from its file and written back at once, and only the glossary links it made are
touched: the script first takes its own links out again, then links each first use, so running it twice
changes nothing.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sarcoma_edu.clinical.sources import bibliography_line, citation_key  # noqa: E402

NOTEBOOKS = ROOT / "notebooks"
GLOSSARY_CSV = ROOT / "datasets" / "glossary.csv"
HOME = "00_welcome.ipynb"
TAG = "glossary"
ANCHOR = "Glossary"
SKIPPED_TAGS = {"lesson-map", "navigation", TAG}
OBJECTIVES = "**Learning objectives.**"  # that cell's list is written from datasets/objectives.csv
_OWN_LINK = re.compile(r'\[([^\]]+)\]\((?:00_welcome\.ipynb)?#Glossary(?: "[^"]*")?\)')
# inline code, any markdown link (its text and its target) and the bold label opening a list item
# ("- **off-label**: ..."): words inside them are not linked
_PROTECTED = re.compile(r'`[^`]*`|\[[^\]]*\]\((?:[^()"]|"[^"]*")*\)|^\s*[-*] \*\*[^*]+\*\*')


def load_terms(path: Path = GLOSSARY_CSV) -> list[dict[str, object]]:
    """The glossary rows, each with ``forms``: the term and its other forms, as found in the lessons."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["forms"] = [row["term"], *filter(None, (form.strip() for form in row["also"].split("|")))]
    return rows


def _pattern(terms: list[dict[str, object]]) -> re.Pattern[str]:
    """Any form of any term as a whole word: a form written in small letters in any case ("Grade"), an abbreviation
    or a name written with a capital (AJCC, Gy, GIST) only as written, so that "gist" is not GIST."""
    forms = sorted({form for row in terms for form in row["forms"]}, key=len, reverse=True)
    alternatives = [re.escape(form) if form != form.lower() else f"(?i:{re.escape(form)})" for form in forms]
    return re.compile(r"(?<![\w-])(" + "|".join(alternatives) + r")(?![\w-])")


def _form_to_term(terms: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    return {form.lower(): row for row in terms for form in row["forms"]}


def glossary_cell_text(terms: list[dict[str, object]]) -> str:
    """The markdown of the glossary section: every term, its definition and its source, in alphabetical order."""
    lines = [
        f"## {ANCHOR}",
        "",
        "The words the lessons use, in plain words. Each lesson links a word to this list the first time it uses "
        "it (point at the link to read the definition there). The sources named after each definition are "
        "listed in full under Sources at the end of this lesson. An abbreviation is listed by its letters; where the "
        "course's reference does not spell one out, its entry says what it names instead.",
        "",
    ]
    for row in sorted(terms, key=lambda r: str(r["term"]).lower()):
        term = str(row["term"])
        lines.append(f"- **{term[:1].upper() + term[1:]}**: {row['definition']}. *Source: {row['source']}.*")
    return "\n".join(lines)


def sources_with_glossary(text: str, terms: list[dict[str, object]]) -> str:
    """The home lesson's Sources cell with a bullet for every source the glossary cites, added after the last bullet."""
    lines = text.split("\n")
    have = {citation_key(line[2:]) for line in lines if line.startswith("- ")}
    cited = [citation_key(part) for row in terms for part in str(row["source"]).split(";")]
    missing = [bibliography_line(key) for key in dict.fromkeys(cited) if key and key not in have]
    last = max((k for k, line in enumerate(lines) if line.startswith("- ")), default=len(lines) - 1)
    return "\n".join([*lines[: last + 1], *missing, *lines[last + 1 :]])


def _skipped_cell(cell: dict) -> bool:
    text = "".join(cell.get("source", ""))
    tags = set(cell.get("metadata", {}).get("tags", []))
    skipped_text = text.startswith(("## Sources", OBJECTIVES))
    return cell.get("cell_type") != "markdown" or bool(tags & SKIPPED_TAGS) or skipped_text


def running_text_lines(text: str) -> list[bool]:
    """For each line of a markdown cell, whether it is running text where a glossary link may go."""
    flags, in_html, in_code = [], False, False
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            in_code = not in_code
            flags.append(False)
            continue
        if not stripped:
            in_html = False
            flags.append(False)
            continue
        if "<" in line:
            in_html = True
        flags.append(not (in_code or in_html or stripped.startswith(("#", "|"))))
    return flags


def _link(form: str, row: dict[str, object], home: bool) -> str:
    target = f"#{ANCHOR}" if home else f"{HOME}#{ANCHOR}"
    return f'[{form}]({target} "{row["definition"]}")'


def link_lesson(name: str, cells: list[dict], terms: list[dict[str, object]]) -> list[str]:
    """The new text of every cell of one lesson: glossary links taken out, then put at each term's first use."""
    pattern, lookup, linked = _pattern(terms), _form_to_term(terms), set()
    texts = []
    for cell in cells:
        text = "".join(cell.get("source", ""))
        if cell.get("cell_type") != "markdown":
            texts.append(text)
            continue
        text = _OWN_LINK.sub(r"\1", text)
        if _skipped_cell(cell):
            texts.append(text)
            continue
        lines = text.split("\n")
        for number, running in enumerate(running_text_lines(text)):
            if running:
                lines[number] = _link_line(lines[number], pattern, lookup, linked, home=name == HOME)
        texts.append("\n".join(lines))
    return texts


def _link_line(line: str, pattern, lookup, linked: set[str], home: bool) -> str:
    protected = [m.span() for m in _PROTECTED.finditer(line)]
    out, last = [], 0
    for match in pattern.finditer(line):
        if any(start <= match.start() < end for start, end in protected):
            continue
        row = lookup[match.group(1).lower()]
        if row["term"] in linked:
            continue
        linked.add(row["term"])
        out += [line[last : match.start()], _link(match.group(1), row, home)]
        last = match.end()
    return "".join(out) + line[last:]


def _source_lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _update(path: Path, terms: list[dict[str, object]], write: bool) -> list[str]:
    """Bring one notebook up to date (or, without write, say what is out of date)."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = notebook["cells"]
    problems = []
    if path.name == HOME:
        wanted = glossary_cell_text(terms)
        found = [c for c in cells if TAG in c.get("metadata", {}).get("tags", [])]
        if not found:
            problems.append(f"{path.name}: no cell tagged {TAG!r}")
            heading = next(i for i, c in enumerate(cells) if "".join(c["source"]).startswith("## Self-check"))
            cell = {"cell_type": "markdown", "id": "glossary", "metadata": {"tags": [TAG]}, "source": []}
            cells.insert(heading, cell)
            found = [cell]
        if "".join(found[0]["source"]) != wanted:
            problems.append(f"{path.name}: the glossary cell is out of date")
            found[0]["source"] = _source_lines(wanted)
        sources = next(c for c in cells if "".join(c["source"]).startswith("## Sources"))
        listed = sources_with_glossary("".join(sources["source"]), terms)
        if "".join(sources["source"]) != listed:
            problems.append(f"{path.name}: the Sources cell lacks a source the glossary cites")
            sources["source"] = _source_lines(listed)
    for cell, text in zip(cells, link_lesson(path.name, cells, terms), strict=True):
        if "".join(cell.get("source", "")) != text:
            problems.append(f"{path.name} cell {cell.get('id')}: glossary links out of date")
            cell["source"] = _source_lines(text)
    if write and problems:
        path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Rewrite the glossary cell and the links, or with --check report what is out of date."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report what is out of date; change nothing")
    args = parser.parse_args(argv)
    terms = load_terms()
    problems = []
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        problems += _update(path, terms, write=not args.check)
    for line in problems:
        print(line)
    if args.check and problems:
        print("run `python scripts/build_glossary.py` to bring the glossary and its links up to date")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
