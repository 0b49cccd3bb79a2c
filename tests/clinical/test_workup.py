"""The staging work-up says one thing everywhere: tables, quiz banks and lessons (reference section 1)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sarcoma_edu import load_histologies, load_tests
from sarcoma_edu.course.banks import load_bank

ROOT = Path(__file__).resolve().parents[2]
ABDOMEN_PELVIS = re.compile(r"abdomen,? and pelvis", re.IGNORECASE)
EXTRA_FOR = ("myxoid", "round cell", "round-cell", "not routine", "some subtypes", "may be used", "may spread")


def _lesson_text(name: str) -> str:
    notebook = json.loads((ROOT / "notebooks" / name).read_text())
    return "\n".join("".join(cell["source"]) for cell in notebook["cells"])


def test_a_trunk_or_limb_sarcoma_is_staged_with_mri_of_the_primary_and_ct_of_the_chest():
    """The standard work-up rows are MRI of the primary tumour and CT of the chest, from PDQ-HP."""
    tests = load_tests().set_index("name")
    for name in ("MRI of the primary tumour", "CT of the chest"):
        assert tests.loc[name, "kind"] == "staging test" and "PDQ-HP" in tests.loc[name, "source"]
        assert "trunk or limb" in tests.loc[name, "description"]


def test_ct_of_abdomen_and_pelvis_is_not_routine_for_every_subtype():
    """No row makes CT of the abdomen and pelvis routine; it is extra staging for myxoid (round cell) liposarcoma."""
    tests = load_tests()
    for row in tests.itertuples():
        text = f"{row.name} {row.description}"
        if ABDOMEN_PELVIS.search(text) or "abdomen" in row.name.lower():
            if row.kind == "extra staging":
                assert set(row.histology.split("|")) == {"myxoid_liposarcoma", "round_cell_liposarcoma"}
            else:
                assert "may be used" in row.description and "only for some subtypes" in row.description, row.name
    assert not tests.name.str.contains("chest, abdomen", case=False).any()


def test_pdq_pt_tests_are_listed_as_tests_that_may_be_used():
    """Each PDQ-PT staging test is described as one that 'may be used', as PDQ-PT lists them."""
    staging = load_tests().query("kind == 'staging test'")
    for row in staging[staging.source.str.startswith("PDQ-PT")].itertuples():
        assert "may be used" in row.description, row.name


def test_extra_staging_agrees_between_the_tests_and_histologies_tables():
    """histologies.csv extra_staging names exactly the extra-staging rows of tests.csv for each histology."""
    extra = load_tests().query("kind == 'extra staging'")
    for row in load_histologies().itertuples():
        from_tests = {r.name.lower() for r in extra.itertuples() if row.histology in r.histology.split("|")}
        text = row.extra_staging if isinstance(row.extra_staging, str) else ""
        listed = {part.strip().lower() for part in text.split(";") if part.strip()}
        assert listed == from_tests, row.histology


def test_brain_imaging_is_added_for_angiosarcoma_epithelioid_sarcoma_and_asps():
    """Brain imaging is extra staging for exactly angiosarcoma, epithelioid sarcoma and ASPS (PDQ-HP)."""
    extra = load_tests().query("kind == 'extra staging'").set_index("name")
    assert set(extra.loc["Brain imaging", "histology"].split("|")) == {
        "angiosarcoma",
        "epithelioid_sarcoma",
        "alveolar_soft_part_sarcoma",
    }


@pytest.mark.parametrize("question", load_bank(), ids=lambda q: q.id)
def test_no_quiz_question_makes_ct_of_abdomen_and_pelvis_routine(question):
    """A right answer naming CT of the abdomen and pelvis belongs to a question about myxoid liposarcoma."""
    for answer in question.correct_answers:
        if answer.answer and ABDOMEN_PELVIS.search(answer.answer):
            assert "myxoid" in question.question.lower(), question.id
    for answer in question.answers:
        if answer.answer and ABDOMEN_PELVIS.search(answer.answer) and not answer.correct:
            assert any(w in answer.feedback.lower() for w in EXTRA_FOR), question.id
    if ABDOMEN_PELVIS.search(question.explanation):
        assert any(w in question.explanation.lower() for w in EXTRA_FOR), question.id


def test_the_standard_work_up_question_keys_mri_and_chest_ct():
    """dx-staging-tests keys MRI of the primary and CT of the chest, and marks abdomen/pelvis CT wrong with why."""
    (q,) = [q for q in load_bank() if q.id == "dx-staging-tests"]
    right = {a.answer for a in q.correct_answers}
    assert right == {"MRI of the primary tumour", "CT of the chest"}
    (abdomen,) = [a for a in q.answers if a.answer == "CT of the abdomen and pelvis"]
    assert not abdomen.correct and "myxoid" in abdomen.feedback and "may be used" in abdomen.feedback


@pytest.mark.parametrize("lesson", ["01_what_is_sarcoma.ipynb", "04_metastasis.ipynb"])
def test_lessons_teach_the_same_work_up(lesson):
    """Every lesson sentence naming CT of the abdomen and pelvis ties it to myxoid liposarcoma or 'not routine'."""
    lines = _lesson_text(lesson).splitlines()
    for line, following in zip(lines, [*lines[1:], ""], strict=True):
        if ABDOMEN_PELVIS.search(line):  # a self-check question is judged with its answer on the next line
            said = (line + " " + following if line.rstrip().endswith("?") else line).lower().replace("*", "")
            assert any(w in said for w in EXTRA_FOR), line
    if lesson.startswith("01"):
        text = _lesson_text(lesson)
        assert "MRI of the primary tumour" in text and "CT of the chest" in text and "**not** routine" in text
