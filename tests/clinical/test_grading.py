"""FNCLCC grading and the grade vocabulary (source: FNCLCC, Trojani 1984 / Coindre 2006; PDQ-PT)."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sarcoma_edu import fnclcc, normalize_grade
from tests.conftest import case_params


@pytest.mark.parametrize("case", case_params("fnclcc_cases.csv"))
def test_fnclcc_case(case):
    """Each named case gets the component scores, total and grade its row states (row cites FNCLCC)."""
    result = fnclcc(int(case["differentiation"]), int(case["mitoses"]), float(case["necrosis_pct"]))
    assert (result.differentiation_score, result.mitosis_score, result.necrosis_score) == (
        int(case["differentiation_score"]),
        int(case["mitosis_score"]),
        int(case["necrosis_score"]),
    )
    assert result.total == int(case["total"])
    assert result.grade == int(case["grade"])
    assert result.label == case["label"]
    assert result.g == f"G{case['grade']}"
    assert f"total {case['total']}" in result.explanation
    assert "FNCLCC" in result.source


@given(st.integers(1, 3), st.integers(0, 500), st.floats(0, 100))
def test_fnclcc_total_is_sum_and_in_range(d, mitoses, necrosis):
    """The total is the sum of the three scores, between 2 and 8, and the grade follows its band."""
    r = fnclcc(d, mitoses, necrosis)
    assert r.total == r.differentiation_score + r.mitosis_score + r.necrosis_score
    assert 2 <= r.total <= 8
    assert r.grade == (1 if r.total <= 3 else 2 if r.total <= 5 else 3)


@given(st.integers(1, 3), st.integers(0, 100), st.integers(0, 100), st.floats(0, 100), st.floats(0, 100))
def test_fnclcc_never_lower_for_worse_features(d, m1, m2, n1, n2):
    """More mitoses or more necrosis never gives a lower grade."""
    lo_m, hi_m = sorted((m1, m2))
    lo_n, hi_n = sorted((n1, n2))
    assert fnclcc(d, lo_m, lo_n).grade <= fnclcc(d, hi_m, hi_n).grade


@pytest.mark.parametrize(
    ("args", "error", "words"),
    [
        pytest.param((0, 5, 10), ValueError, "differentiation=0", id="differentiation 0 is out of range"),
        pytest.param((4, 5, 10), ValueError, "differentiation=4", id="differentiation 4 is out of range"),
        pytest.param((1.5, 5, 10), ValueError, "differentiation=1.5", id="differentiation 1.5 is not whole"),
        pytest.param((True, 5, 10), TypeError, "differentiation=True", id="differentiation True is not a score"),
        pytest.param((2, -1, 10), ValueError, "mitoses=-1", id="negative mitoses"),
        pytest.param((2, 3.5, 10), ValueError, "mitoses=3.5", id="fractional mitoses"),
        pytest.param((2, "12", 10), TypeError, "mitoses='12'", id="mitoses as text"),
        pytest.param((2, 5, -1), ValueError, "necrosis_pct=-1", id="negative necrosis"),
        pytest.param((2, 5, 101), ValueError, "necrosis_pct=101", id="necrosis above 100"),
        pytest.param((2, 5, math.nan), ValueError, "necrosis_pct=nan", id="necrosis NaN"),
        pytest.param((2, 5, math.inf), ValueError, "necrosis_pct=inf", id="necrosis infinite"),
    ],
)
def test_fnclcc_bad_input_names_parameter(args, error, words):
    """Bad FNCLCC input raises an error naming the parameter, the value and what is allowed."""
    with pytest.raises(error) as caught:
        fnclcc(*args)
    assert words in str(caught.value)
    assert "expected" in str(caught.value)


@pytest.mark.parametrize(
    ("grade", "code"),
    [
        (1, "G1"),
        (2, "G2"),
        (3, "G3"),
        (3.0, "G3"),
        ("G1", "G1"),
        ("g2", "G2"),
        ("G3", "G3"),
        ("GX", "GX"),
        ("low", "G1"),
        ("Mid", "G2"),
        ("intermediate", "G2"),
        ("HIGH", "G3"),
        ("unknown", "GX"),
        (None, "GX"),
    ],
)
def test_grade_vocabulary(grade, code):
    """Every spelling in grade_terms.csv (PDQ-PT words, AJCC codes, numbers) maps to its AJCC code."""
    assert normalize_grade(grade) == code


@pytest.mark.parametrize(
    ("args", "name"),
    [
        pytest.param((2, 10**400, 30), "mitoses", id="a mitosis count no float holds"),
        pytest.param((10**400, 5, 30), "differentiation", id="a differentiation score no float holds"),
        pytest.param((2, 5, 10**400), "necrosis_pct", id="a necrosis percentage no float holds"),
    ],
)
def test_fnclcc_numbers_too_large_for_a_float_are_a_value_error_naming_the_value(args, name):
    """fnclcc(2, 10**400, 30) raises ValueError (never OverflowError) naming the value in short."""
    with pytest.raises(ValueError, match=rf"{name}=100000\.\.\.000 \(401 digits\) is too large") as caught:
        fnclcc(*args)
    assert "expected" in str(caught.value) and len(str(caught.value)) < 250


def test_a_grade_too_large_for_a_float_is_a_value_error():
    """normalize_grade(10**400) is a ValueError naming the grade, as grade 4 is."""
    with pytest.raises(ValueError, match=r"grade=100000\.\.\.000 \(401 digits\)"):
        normalize_grade(10**400)


def test_a_huge_fraction_is_a_value_error_shown_in_short():
    """A Fraction too large for a float is refused like a huge int, its value shortened to one line."""
    with pytest.raises(ValueError, match=r"necrosis_pct=Fraction\(10000.*\.\.\..* is too large") as caught:
        fnclcc(2, 5, Fraction(10**400))
    assert len(str(caught.value)) < 250
