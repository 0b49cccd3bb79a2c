"""Topics our sources cover are each taught in a lesson cell and assessed by at least one quiz question."""

from __future__ import annotations

import json

import pytest

from sarcoma_edu import load_bank
from tests.conftest import ROOT, case_params

BANK = {q.id: q for q in load_bank()}


def _cell(lesson: str, heading: str) -> str:
    notebook = json.loads((ROOT / "notebooks" / f"{lesson}.ipynb").read_text(encoding="utf-8"))
    found = ["".join(c["source"]) for c in notebook["cells"] if "".join(c["source"]).startswith(heading + "\n")]
    assert len(found) == 1, f"{lesson}: expected one cell headed {heading!r}, found {len(found)}"
    return found[0]


@pytest.mark.parametrize("case", case_params("taught_topics.csv"))
def test_topic_is_taught_and_assessed(case):
    """The lesson cell exists and says the topic's key words; each named quiz question exists and is about it."""
    text = " ".join(_cell(case["lesson"], case["heading"]).split())
    for word in case["words"].split("|"):
        assert word in text, f"{case['lesson']} {case['heading']!r} does not mention {word!r}"
    for qid in case["questions"].split("|"):
        assert qid in BANK, f"quiz question {qid} is missing"
        assert BANK[qid].source and BANK[qid].explanation
