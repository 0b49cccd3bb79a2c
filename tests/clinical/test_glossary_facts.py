"""The glossary's clinical definitions say what the reference says, and mark the course's own readings as such."""

from __future__ import annotations

import pytest

from sarcoma_edu.clinical.tables import load_table

GLOSSARY = load_table("glossary.csv").set_index("term")


def test_soft_tissue_includes_bone_forming_tumours_outside_the_skeleton_but_not_the_skeleton():
    """'Soft tissue' names PDQ's list with mixed bone/cartilage read as a tumour that makes bone or cartilage outside
    the skeleton (extraskeletal osteosarcoma), says the skeleton's bones and cartilage are not soft tissue, and marks
    that reading as the course's own words (reference section 1: PDQ-PT, PDQ-HP; section 2: extraskeletal
    osteosarcoma)."""
    row = GLOSSARY.loc["soft tissue"]
    for words in ("fibrous tissue, muscle, tendons, fat, blood and lymph vessels, nerves and synovial tissue",
                  "mixed bone/cartilage", "extraskeletal osteosarcoma",
                  "The bones and cartilage of the skeleton themselves are not soft tissue"):  # fmt: skip
        assert words in row.definition
    assert "PDQ-PT" in row.source and "the course's own words" in row.source


def test_the_echocardiogram_entry_says_the_risk_of_heart_damage_rises_with_the_lifetime_dose():
    """Doxorubicin's risk of heart damage, not the damage itself, rises with the cumulative lifetime dose (reference
    section 5b: FDA label, doxorubicin)."""
    assert "whose risk of heart damage rises with the total lifetime dose" in GLOSSARY.loc["echocardiogram"].definition


@pytest.mark.parametrize("form", ["EKGs", "ECG"])
def test_an_ekg_is_also_found_as_an_ecg(form):
    """The EKG entry is linked from 'ECG' too, the other common name of the heart tracing pazopanib calls for
    (reference section 5b: ACS)."""
    assert form in GLOSSARY.loc["EKG"].also.split("|")
