"""A lesson's Sources cell names the works its own text rests on (rewritten from datasets/sources.csv by
scripts/build_bibliography.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# lesson, source key, what in the lesson rests on it
CITED = [
    ("10_make_it_yours", "SEER EOD", "the stage group tooltip: stage I when the size is unknown"),
    ("10_make_it_yours", "ACS", "the disclaimer: decisions belong to a multidisciplinary sarcoma team"),
]


def _sources_keys(lesson: str) -> set[str]:
    notebook = json.loads((ROOT / "notebooks" / f"{lesson}.ipynb").read_text(encoding="utf-8"))
    cell = next("".join(c["source"]) for c in notebook["cells"] if "".join(c["source"]).startswith("## Sources"))
    return {m.group(1).strip() for m in re.finditer(r"^- ((?:[^\s:`]+ ?){1,4}):", cell, re.MULTILINE)}


@pytest.mark.parametrize(("lesson", "key", "why"), CITED, ids=[f"{c[0]} cites {c[1]} for {c[2]}" for c in CITED])
def test_a_lessons_sources_list_names_what_its_text_rests_on(lesson, key, why):
    """The lesson's Sources list has a bullet for the source key that what it says rests on."""
    assert key in _sources_keys(lesson), f"{lesson}: {why} rests on {key}, which its Sources list lacks"
