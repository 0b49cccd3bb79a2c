"""The synthetic teaching cohort: reproducible, plausible, labelled synthetic, and stageable."""

from __future__ import annotations

import pandas as pd
import pytest

from sarcoma_edu import fnclcc, load_histologies, stage_frame
from sarcoma_edu.clinical.cohort import COHORT_N, COHORT_SEED, generate, load_cohort, parameters


def test_committed_cohort_is_the_generator_output():
    """datasets/teaching_cohort.csv equals generate(200, 2026): rerun scripts/make_teaching_cohort.py after changes."""
    pd.testing.assert_frame_equal(load_cohort().astype(str), generate(COHORT_N, COHORT_SEED).astype(str))


def test_same_seed_same_cohort_other_seed_differs():
    """The same seed gives the same cohort; another seed gives another."""
    pd.testing.assert_frame_equal(generate(50, 7), generate(50, 7))
    assert not generate(50, 7).equals(generate(50, 8))


def test_every_row_says_synthetic():
    """Every row's source says it is synthetic, not a real patient."""
    assert load_cohort().source.str.contains("synthetic").all()


def test_cohort_stages_without_errors():
    """Every synthetic patient is valid input for stage_frame."""
    staged = stage_frame(load_cohort())
    assert staged.stage.notna().sum() > 100


def test_distributions_follow_parameters():
    """In a large cohort, site shares and nodal spread follow the reference-based parameters."""
    big = generate(40_000, 1)
    shares = big.site.value_counts(normalize=True)
    assert abs(shares["extremity"] - 45 / 98) < 0.02
    assert abs(shares["trunk"] - 10 / 98) < 0.01
    assert 0.03 < big.nodes.mean() < 0.07  # 3.5% overall, higher in the SCARE subtypes
    assert abs(big.metastasis.mean() - 0.15) < 0.01
    assert big.age.between(18, 95).all() and (big.size_cm > 0).all()


def test_grades_are_plausible_for_histology():
    """High-grade-by-definition histologies are G3; none is below the grade its differentiation score allows."""
    big = generate(20_000, 3)
    histologies = load_histologies()
    for row in histologies.itertuples():
        grades = big[big.histology == row.histology].grade
        if row.high_grade_by_definition:
            assert set(grades) == {"G3"}, row.histology
        if not pd.isna(row.differentiation_score):
            floor = fnclcc(int(row.differentiation_score), 0, 0).g
            assert all(g == "GX" or g >= floor for g in grades), row.histology


def test_parameters_say_reference_or_assumption():
    """Each parameter is marked as coming from the reference or a teaching assumption, with a source."""
    table = parameters()
    assert set(table.basis) == {"reference", "assumption"}
    assert table.source.str.len().gt(0).all()


@pytest.mark.parametrize(
    ("n", "seed", "error"), [(0, 1, ValueError), (10, -1, ValueError), ("5", 1, TypeError), (2.5, 1, ValueError)]
)
def test_generate_bad_input(n, seed, error):
    """generate rejects a non-positive or fractional n, a negative seed and text."""
    with pytest.raises(error):
        generate(n, seed)


# --- no impossible patients (issue 16; reference section 2) --------------------------------------


def _impossible(frame: pd.DataFrame) -> list[str]:
    """Rows breaking a histology's grade floor or ceiling, or its spread constraint, described in words."""
    histologies = load_histologies().set_index("histology")
    problems = []
    for row in frame.dropna(subset=["histology"]).itertuples():
        h = histologies.loc[row.histology]
        if h.high_grade_by_definition and row.grade != "G3":
            problems.append(f"{row.patient_id}: {row.histology} is high grade by definition but {row.grade}")
        scored = not pd.isna(h.differentiation_score) and row.grade != "GX"
        if scored and row.grade < fnclcc(int(h.differentiation_score), 0, 0).g:
            problems.append(f"{row.patient_id}: {row.histology} below its grade floor ({row.grade})")
        if row.histology == "well_differentiated_liposarcoma":
            if row.grade not in ("G1", "GX"):
                problems.append(f"{row.patient_id}: well-differentiated liposarcoma graded {row.grade}")
            if row.nodes or row.metastasis:
                problems.append(f"{row.patient_id}: well-differentiated liposarcoma that has spread")
    return problems


def test_the_shipped_cohort_has_no_impossible_patients():
    """No committed patient breaks a histology's grade floor, ceiling or spread constraint."""
    assert _impossible(load_cohort()) == []


def test_a_thousand_generated_cohorts_have_no_impossible_patients():
    """A well-differentiated liposarcoma is never G2/G3 or spread, and no grade floor is broken, over 1,000 cohorts."""
    histologies = load_histologies().set_index("histology")
    seen = set()
    for seed in range(1000):
        frame = generate(60, seed)
        seen |= set(frame.histology.dropna())
        fast = frame.dropna(subset=["histology"])
        wd = fast[fast.histology == "well_differentiated_liposarcoma"]
        assert set(wd.grade) <= {"G1", "GX"} and not (wd.nodes | wd.metastasis).any(), seed
        high = fast[fast.histology.map(histologies.high_grade_by_definition).astype(bool)]
        assert (high.grade == "G3").all(), seed
        score3 = fast[fast.histology.map(histologies.differentiation_score) == 3]
        assert not (score3.grade == "G1").any(), seed
    assert "well_differentiated_liposarcoma" in seen and "round_cell_liposarcoma" in seen


def test_a_well_differentiated_liposarcoma_is_never_g2_or_g3_and_never_spread():
    """In a large cohort every well-differentiated liposarcoma is G1 or GX, without nodes or metastasis."""
    big = generate(20_000, 5)
    wd = big[big.histology == "well_differentiated_liposarcoma"]
    assert len(wd) > 500 and set(wd.grade) == {"G1", "GX"}
    assert not wd.nodes.any() and not wd.metastasis.any()


def test_round_cell_liposarcoma_is_never_g1_while_myxoid_liposarcoma_can_be():
    """Round-cell liposarcoma (differentiation 3) totals at least 4, so never G1; myxoid (2) can be G1."""
    big = generate(20_000, 9)
    assert "G1" not in set(big[big.histology == "round_cell_liposarcoma"].grade)
    assert "G1" in set(big[big.histology == "myxoid_liposarcoma"].grade)


def test_the_parameters_say_the_histology_mix_is_for_teaching():
    """The reference gives no histology mix: the parameters table says the mix is for teaching only."""
    table = parameters().set_index("parameter")
    assert "for teaching only" in table.loc["histology:not_specified", "note"]
    for key in ("grade_allowed:well_differentiated_liposarcoma", "spread_none:well_differentiated_liposarcoma"):
        assert table.loc[key, "basis"] == "assumption" and "teaching constraint" in table.loc[key, "note"]


def test_synovial_sarcoma_gets_no_raised_nodal_rate_in_the_cohort():
    """Synovial sarcoma's nodal spread follows the overall rate (Jacobs 2018), not a SCARE figure."""
    big = generate(40_000, 2)
    synovial = big[big.histology == "synovial_sarcoma"].nodes.mean()
    clear_cell = big[big.histology == "clear_cell_sarcoma"].nodes.mean()
    assert synovial < 0.07 < clear_cell


def test_a_bad_teaching_constraint_is_refused():
    """A constraint row naming an unknown histology or grade raises naming the row and what is allowed."""
    from sarcoma_edu.clinical.cohort import _constraints

    with pytest.raises(ValueError, match=r"grade_allowed:no_such='G1' is not allowed; expected a histology"):
        _constraints({"grade_allowed:no_such": "G1"}, "grade_allowed")
    with pytest.raises(ValueError, match=r"G4"):
        _constraints({"grade_allowed:myxoid_liposarcoma": "G4"}, "grade_allowed")


def test_seer_survival_rows_name_the_years_they_describe():
    """Each SEER row gives the years of diagnosis (2010-2016) in its own column and in its source."""
    from sarcoma_edu.clinical.tables import load_table

    table = load_table("survival_seer.csv")
    assert (table.years_diagnosed == "2010-2016").all() and table.source.str.contains("2010-2016").all()
