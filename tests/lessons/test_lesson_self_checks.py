"""Self-check questions that ask a student to type code say where to type it and how to add a cell."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

LESSONS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("0[1-7]_*.ipynb"))
_ASKS_FOR_CODE = re.compile(r"\b(write|type|run) (a|an|the|your)\b[^?\n]*\b(code|groupby|cell|call|function)\b", re.I)


def _code_questions(path: Path) -> list[tuple[str, list[dict], int]]:
    """(question text, cells, index of the self-check cell) for each self-check question asking for code."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    found = []
    for index, cell in enumerate(cells):
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and text.startswith("## Self-check"):
            questions = re.split(r"\n(?=\d+\. )", text)
            found += [(q, cells, index) for q in questions if _ASKS_FOR_CODE.search(q.split("<details>")[0])]
    return found


def test_the_search_finds_lesson_06s_groupby_question():
    """Lesson 06 asks for a groupby, so the search below cannot pass by finding nothing."""
    assert any("groupby" in q for path in LESSONS for q, _cells, _i in _code_questions(path))


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_a_code_self_check_says_how_to_add_a_cell_and_has_one_waiting(path):
    """Each self-check question asking for code says how to add a cell and is followed by an empty commented cell."""
    for question, cells, index in _code_questions(path):
        assert "**Esc**" in question and "**B**" in question, question
        following = cells[index + 1]
        lines = "".join(following["source"]).strip().splitlines()
        assert following["cell_type"] == "code" and lines and all(line.startswith("#") for line in lines), following
