"""Keep every "N questions" that the README, the docs and the lessons tell readers equal to the quiz banks.

Usage: ``python scripts/update_question_counts.py`` rewrites each stale number in place;
``--check`` only lists the lines to change (file, line, the number stated and the number to write)
and exits 1 when there are any. Run it after adding or removing questions in ``datasets/quiz/``.

In these files (README.md, docs/*.md, datasets/README.md, notebooks/*.ipynb) every
"<number> questions" means the number of questions in the built-in banks; say other counts in
other words (for example "a dozen items"). ``--root DIR`` works on a copy of the repository.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PHRASE = re.compile(r"\b(\d+) questions\b")


@dataclass(frozen=True)
class Statement:
    """One "<number> questions" in a document: where it is and what it says."""

    path: Path
    line: int
    stated: int

    def describe(self, root: Path, count: int) -> str:
        """The line to change and what to write there."""
        where = f"{self.path.relative_to(root).as_posix()}:{self.line}"
        return f"{where}: says '{self.stated} questions'; the banks hold {count}: write '{count} questions'"


def documents(root: Path) -> list[Path]:
    """The files whose "N questions" readers see, in a stable order."""
    docs = [root / "README.md", *sorted((root / "docs").glob("*.md")), root / "datasets" / "README.md"]
    return [p for p in [*docs, *sorted((root / "notebooks").glob("*.ipynb"))] if p.is_file()]


def statements(root: Path) -> list[Statement]:
    """Every "<number> questions" in the documents, with its line in the file (a notebook's JSON too)."""
    found = []
    for path in documents(root):
        for number, text in enumerate(path.read_bytes().decode("utf-8").splitlines(), start=1):
            found.extend(Statement(path, number, int(m.group(1))) for m in PHRASE.finditer(text))
    return found


def bank_count() -> int:
    """How many questions the built-in banks hold now."""
    sys.path.insert(0, str(ROOT))
    from sarcoma_edu.course.banks import load_bank

    return len(load_bank())


def update(root: Path, count: int) -> list[Statement]:
    """Rewrite every stale number to ``count``; return the statements that were stale."""
    stale = [s for s in statements(root) if s.stated != count]
    for path in sorted({s.path for s in stale}):
        text = path.read_bytes().decode("utf-8")  # bytes: line endings and everything else stay as they are
        path.write_bytes(PHRASE.sub(f"{count} questions", text).encode("utf-8"))
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only list stale lines; exit 1 if there are any")
    parser.add_argument("--root", type=Path, default=ROOT, help="the repository folder (default: this one)")
    args = parser.parse_args(argv)
    root, count = args.root.resolve(), bank_count()
    found = statements(root)
    if not found:
        print("no document says how many questions the quiz has (README.md should)")
        return 1
    stale = [s for s in found if s.stated != count] if args.check else update(root, count)
    for s in stale:
        print(s.describe(root, count))
    if args.check and stale:
        print("run: .venv/bin/python scripts/update_question_counts.py (rewrites these lines)")
        return 1
    if not stale:
        print(f"every stated count is {count} questions ({len(found)} places)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
