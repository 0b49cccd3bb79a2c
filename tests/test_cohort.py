"""The synthetic teaching cohort: reproducible, plausible, labelled synthetic, and stageable."""

from __future__ import annotations

import pandas as pd
import pytest

from sarcoma_edu import fnclcc, load_histologies, stage_frame
from sarcoma_edu.cohort import COHORT_N, COHORT_SEED, generate, load_cohort, parameters


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
