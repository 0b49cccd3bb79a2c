"""Reference catalogs load typed and hold the reference's facts (sections 1, 5 and 7)."""

from __future__ import annotations

import pytest

from sarcoma_edu import load_drugs, load_histologies, load_modalities, load_risk_factors, load_survival, load_tests

LOADERS = [load_drugs, load_histologies, load_modalities, load_risk_factors, load_survival, load_tests]


@pytest.mark.parametrize("loader", LOADERS, ids=lambda f: f.__name__)
def test_catalog_loads_with_sources(loader):
    """Each catalog loads as a non-empty DataFrame with a source on every row, and returns a fresh copy."""
    table = loader()
    assert len(table) > 0 and table.source.notna().all()
    table.iloc[0, 0] = "changed"
    assert loader().iloc[0, 0] != "changed"


@pytest.mark.parametrize(
    ("drug", "year", "drug_class"),
    [
        ("tazemetostat", 2020, "EZH2 inhibitor"),
        ("nab-sirolimus", 2021, "mTOR inhibitor"),
        ("atezolizumab", 2022, "PD-L1"),
        ("afamitresgene autoleucel", 2024, "T-cell therapy"),
    ],
)
def test_drug_approvals(drug, year, drug_class):
    """FDA approval years and classes as the reference gives them (ACS 2024-08-02)."""
    row = load_drugs().set_index("name").loc[drug]
    assert row.approval_year == year and row.drug_class == drug_class


def test_drug_details():
    """Pazopanib is a once-daily TKI pill; atezolizumab is for ASPS, IV every 2-4 weeks; afami-cel is Tecelra."""
    drugs = load_drugs().set_index("name")
    assert drugs.loc["pazopanib", "route_schedule"] == "Pill taken once a day"
    assert "not adipocytic" in drugs.loc["pazopanib", "indication"]
    assert "ASPS" in drugs.loc["atezolizumab", "indication"]
    assert "every 2 to 4 weeks" in drugs.loc["atezolizumab", "route_schedule"]
    assert drugs.loc["afamitresgene autoleucel", "brand"] == "Tecelra"
    assert drugs.loc["cediranib", "status"] == "being studied"


@pytest.mark.parametrize(
    ("syndrome", "gene"),
    [
        ("Li-Fraumeni", "TP53"),
        ("Neurofibromatosis type 1", "NF1"),
        ("Gardner", "APC"),
        ("Gorlin", "PTCH1"),
        ("Tuberous sclerosis", "TSC1/TSC2"),
        ("Werner", "WRN"),
    ],
)
def test_inherited_syndromes(syndrome, gene):
    """Each inherited syndrome maps to its gene (PDQ-PT, reference section 1)."""
    table = load_risk_factors()
    row = table[table.factor.str.contains(syndrome)]
    assert row.gene.tolist() == [gene]


def test_seer_survival_figures():
    """SEER 5-year relative survival 2010-2016: localized 81, regional 56, distant 15, all 65 (section 7)."""
    table = load_survival().set_index("seer_stage")["five_year_relative_survival_pct"]
    assert table.to_dict() == {"localized": 81, "regional": 56, "distant": 15, "all stages": 65}


def test_extra_staging_by_histology():
    """Myxoid liposarcoma adds whole-spine MRI; angiosarcoma, epithelioid sarcoma and ASPS add brain imaging."""
    tests = load_tests()
    extra = tests[tests.kind == "extra staging"].set_index("name")
    assert set(extra.loc["Whole-spine MRI", "histology"].split("|")) == {"myxoid_liposarcoma", "round_cell_liposarcoma"}
    assert set(extra.loc["Brain imaging", "histology"].split("|")) == {
        "angiosarcoma",
        "epithelioid_sarcoma",
        "alveolar_soft_part_sarcoma",
    }
    assert set(tests.kind) == {"biopsy", "tissue test", "staging test", "extra staging"}


def test_high_grade_by_definition():
    """Rhabdomyosarcoma, Ewing sarcoma, ASPS, epithelioid and clear cell sarcoma are high grade by definition."""
    flagged = set(load_histologies().query("high_grade_by_definition").histology)
    assert flagged == {
        "rhabdomyosarcoma",
        "extraskeletal_ewing_sarcoma",
        "alveolar_soft_part_sarcoma",
        "epithelioid_sarcoma",
        "clear_cell_sarcoma",
    }


def test_modalities_cover_procedures_margins_and_radiation():
    """The modality catalog lists the surgery procedures, R0/R1/R2 margins and radiation types."""
    names = set(load_modalities().name)
    for expected in (
        "Mohs micrographic surgery",
        "Limb-sparing surgery",
        "Amputation",
        "Lymphadenectomy",
        "R0 (negative or clear margin)",
        "R1 (positive margin)",
        "R2 (positive margin)",
        "Intensity-modulated radiation therapy (IMRT)",
        "Brachytherapy",
        "Chemoradiation",
    ):
        assert expected in names
