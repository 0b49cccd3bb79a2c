"""Tables a student reads in the lessons: no text cut short, no row numbers, headers in words."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from tests.lessons.lesson_runs import lesson_run

ROOT = Path(__file__).resolve().parents[2]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CUT = ("…", "...")
# the lessons that show no table at all (their text, widgets and figures are checked elsewhere)
NO_TABLES = {"00_welcome.ipynb", "08_tumour_board.ipynb", "10_make_it_yours.ipynb"}


class _Tables(HTMLParser):
    """Collect, for every table in an HTML output, its header texts and its body rows' cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict[str, list]] = []
        self._cell: list[str] | None = None
        self._part = ""

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"head": [], "rows": []})
        elif tag in ("thead", "tbody"):
            self._part = tag
        elif tag == "tr" and self.tables and self._part == "tbody":
            self.tables[-1]["rows"].append([])
        elif tag in ("th", "td") and self.tables:
            self._cell = []

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None and self.tables:
            text = "".join(self._cell).strip()
            table = self.tables[-1]
            if self._part == "tbody" and table["rows"]:
                table["rows"][-1].append((tag, text))
            else:
                table["head"].append(text)
            self._cell = None


def table_problems(html: str) -> list[str]:
    """What makes the tables in one HTML output hard to read: cut text, an unnamed column, a column named as in code
    (``size_cm``), row numbers."""
    parser = _Tables()
    parser.feed(html)
    problems = []
    for number, table in enumerate(parser.tables, start=1):
        cells = table["head"] + [text for row in table["rows"] for _, text in row]
        problems += [f"table {number}: cut text {text!r}" for text in cells if text.endswith(CUT)]
        if table["head"] and not table["head"][0]:
            problems.append(f"table {number}: a first column without a header (an index)")
        problems += [f"table {number}: a column named in code, {name!r}" for name in table["head"] if "_" in name]
        firsts = [row[0] for row in table["rows"] if row]
        if (
            firsts
            and all(tag == "th" for tag, _ in firsts)
            and [t for _, t in firsts] == list(map(str, range(len(firsts))))
        ):
            problems.append(f"table {number}: row numbers 0 to {len(firsts) - 1} as its first column")
    return problems


def test_the_table_check_finds_what_pandas_shows_by_default():
    """The check itself: pandas' own HTML of a long-text table with row numbers is reported, a plain table is not."""
    import pandas as pd

    from sarcoma_edu.display.presentation import table_html

    frame = pd.DataFrame({"statement": ["word " * 40]})
    with pd.option_context("display.max_colwidth", 50):
        problems = table_problems(frame._repr_html_())  # what JupyterLab shows without the toolkit
    assert any("cut text" in p for p in problems) and any("without a header" in p for p in problems)
    assert any("named in code, 'size_cm'" in p for p in table_problems(pd.DataFrame({"size_cm": [7.0]}).to_html()))
    assert table_problems(table_html(frame)) == []


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Each lesson run top to bottom in a fresh kernel (nbval's run, or one of its own in a copy of the lessons
    folder, as Run All does), then every prediction answered; returns the notebook and the tables the widgets show
    once all are answered (tests/lessons/lesson_runs.py)."""
    folder = tmp_path_factory.mktemp("lessons")
    done = {}

    def run(path: Path) -> tuple[nbformat.NotebookNode, list[str]]:
        if path.name not in done:
            done[path.name] = lesson_run(path, folder)
        return done[path.name]

    return run


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_every_table_a_lesson_shows_is_whole_and_without_row_numbers(path, executed):
    """No table a lesson shows, before or after its predictions are answered, has text cut to '…', an unnamed index
    column, a column named as in code or row numbers; text tables are whole."""
    problems, tables = [], 0
    notebook, revealed = executed(path)
    for number, shown in enumerate(revealed, start=1):
        tables += 1
        problems += [f"{path.name} widget table {number}: {p}" for p in table_problems(shown)]
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            where = f"{path.name} cell {cell.get('id')}"
            if "<table" in data.get("text/html", ""):
                tables += 1
                problems += [f"{where}: {p}" for p in table_problems(data["text/html"])]
            elif output.get("output_type") == "execute_result" and set(data) == {"text/plain"}:  # shown as text
                lines = data["text/plain"].splitlines()
                problems += [f"{where}: cut text {line.strip()!r}" for line in lines if line.rstrip().endswith(CUT)]
    assert not problems, "\n".join(problems)
    assert tables or path.name in NO_TABLES, f"{path.name} showed no table: the check checked nothing"
