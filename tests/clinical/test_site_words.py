"""Every body part the lessons, quiz banks and cases name as where a sarcoma is, ``stage()`` accepts as a site.

The words are found the way a student reads them: "a sarcoma of the thigh", "a lump in his right
forearm", "a painless swelling of his left thigh". Each word found is either accepted by
:func:`sarcoma_edu.stage` (as ``datasets/sites.csv`` says, with its source) or listed below with
the reason it is not a site of the stage tables.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sarcoma_edu import stage
from sarcoma_edu.clinical.tables import load_table

ROOT = Path(__file__).resolve().parents[2]
TEXTS = (
    *sorted((ROOT / "notebooks").glob("*.ipynb")),
    *sorted((ROOT / "datasets" / "quiz").glob("*.json")),
    *sorted((ROOT / "datasets" / "cases").glob("*.json")),
    ROOT / "sarcoma_edu" / "course" / "generated.py",  # the words of the generated quiz questions
    ROOT / "sarcoma_edu" / "course" / "case_generator.py",  # and of the generated patients
)
_WHERE = re.compile(
    r"\b(?:sarcomas?|liposarcoma|leiomyosarcoma|tumou?rs?|lump|swelling)(?: deep)? (?:of|in|on) "
    r"(?:the |a |an |his |her )(?:(?:side|sole|back) of (?:the |his |her )?)?(?:(?:right|left) )?"
    r"(head and neck|chest wall|[a-z]+)\b",
    re.IGNORECASE,
)
# words found in that position that are not where a primary tumour is staged, and why
NOT_SITES = {
    "abdomen": "the abdomen holds both the retroperitoneum and the visceral organs, whose stage rules differ",
    "abdominal": "'an abdominal organ' is visceral; the lesson names the organ (the stomach)",
    "groin": "the swelling in the groin is the lymph nodes the foot tumour has spread to",
    "lung": "the lung is named as a place of metastasis, not of the primary tumour",
    "muscle": "'deep in the muscle' says how deep the tumour is, not where",
    "same": "'a tumour of the same type' is not a place",
    "scar": "a lump in the scar is a recurrence at the operation site",
    "separate": "'a separate summary' is not a place",
    "skin": "skin sarcomas are named for Mohs surgery; the stage tables have no skin site",
}


def _text(path: Path) -> str:
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".ipynb":
        return "\n".join("".join(cell["source"]) for cell in json.loads(raw)["cells"])
    return json.dumps(json.loads(raw)) if path.suffix == ".json" else raw


def _site_words() -> dict[str, set[str]]:
    words: dict[str, set[str]] = {}
    for path in TEXTS:
        for match in _WHERE.finditer(_text(path)):
            words.setdefault(match.group(1).lower(), set()).add(path.name)
    return words


FOUND = _site_words()
SITES = sorted(word for word in FOUND if word not in NOT_SITES)


def test_the_search_finds_the_lessons_words():
    """The search finds the thigh, the forearm and the neck, so an empty list cannot pass unnoticed."""
    assert {"thigh", "forearm", "neck", "arm", "limb"} <= set(SITES)


@pytest.mark.parametrize("word", SITES)
def test_every_site_word_of_the_lessons_is_accepted_by_stage(word):
    """A body part the lessons, quiz or cases name as a tumour's place stages as the site sites.csv gives it."""
    row = load_table("sites.csv").set_index("name").loc[word.replace(" ", "_")]
    result = stage(word, 4, "low")
    assert result.site == row.site, f"{word!r} (used in {sorted(FOUND[word])})"
    assert row.source.startswith("AJCC8")


def test_the_words_that_are_not_sites_are_still_used():
    """Every word kept out of the sites is still found in the texts, so the list of exceptions stays honest."""
    assert set(NOT_SITES) - set(FOUND) == set()


@pytest.mark.parametrize("word", ["thigh", "Thigh", " thigh ", "forearm", "chest wall", "head and neck"])
def test_a_thigh_tumour_of_4_cm_low_grade_is_stage_ia(word):
    """A 4 cm low-grade sarcoma of the thigh, forearm or chest wall is IA; of the head and neck, none (AJCC8)."""
    result = stage(word, 4, "low")
    assert result.stage == (None if word == "head and neck" else "IA")
