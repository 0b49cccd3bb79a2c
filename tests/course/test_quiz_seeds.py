"""Seeds of generated questions: kept exactly in the id up to a stated limit, refused clearly beyond it."""

from __future__ import annotations

import numpy as np
import pytest

from sarcoma_edu.course.generated import CASE_KINDS, SEED_LIMIT, generate_case_question, question_from_id


@pytest.mark.parametrize("seed", [0, 2**53 + 1, 10**30, SEED_LIMIT - 1], ids=["0", "2**53 + 1", "10**30", "limit - 1"])
@pytest.mark.parametrize("kind", CASE_KINDS)
def test_a_large_seed_keeps_its_exact_value_and_the_id_rebuilds_the_question(seed, kind):
    """generate_case_question(10**30).id ends with str(10**30), and question_from_id rebuilds the same question."""
    question = generate_case_question(seed, kind)
    assert question.id == f"case-{kind}-{seed}"
    assert question_from_id(question.id) == question


def test_neighbouring_large_seeds_are_different_patients():
    """Seeds that a float would round to one value (2**60 and 2**60 + 1) stay two seeds."""
    assert generate_case_question(2**60).id != generate_case_question(2**60 + 1).id


def test_numpy_integers_and_whole_floats_are_seeds_too():
    """np.int64(7) and 7.0 give the same question as 7."""
    assert generate_case_question(np.int64(7)) == generate_case_question(7.0) == generate_case_question(7)


@pytest.mark.parametrize(
    ("seed", "error", "words"),
    [
        pytest.param(SEED_LIMIT, ValueError, r"seed=340282\.\.\.456 \(39 digits\) is too large", id="the limit"),
        pytest.param(10**400, ValueError, r"seed=100000\.\.\.000 \(401 digits\) is too large", id="10**400"),
        pytest.param(-1, ValueError, "seed=-1 is negative", id="negative"),
        pytest.param(-(10**30), ValueError, "is negative", id="large negative"),
        pytest.param(True, TypeError, "seed=True is a bool", id="True"),
        pytest.param(False, TypeError, "seed=False is a bool", id="False"),
        pytest.param(1e30, ValueError, "seed=1e\\+30 is a float too large to be exact", id="float 1e30"),
        pytest.param(float("inf"), ValueError, "seed=inf is not a finite number", id="infinity"),
        pytest.param(float("nan"), ValueError, "seed=nan is not a finite number", id="nan"),
        pytest.param(2.5, ValueError, "seed=2.5 is not a whole number", id="fraction"),
    ],
)
def test_seeds_beyond_the_limit_or_of_the_wrong_kind_are_refused_naming_the_value(seed, error, words):
    """Seeds run from 0 to 2**128 - 1; others raise naming the seed (huge numbers shortened) and the range."""
    with pytest.raises(error, match=words) as raised:
        generate_case_question(seed)
    assert "2**128 - 1" in str(raised.value)


@pytest.mark.parametrize(
    "question_id",
    [
        "case-stage-007",
        "case-stage-\u0663",
        "case-stage-5\n",
        f"case-stage-{SEED_LIMIT}",
        "case-stage-" + "9" * 5000,
        "case-stage--1",
        "case-survival-1",
        "st-ia",
    ],
    ids=[
        "leading zeros",
        "arabic-indic digit",
        "trailing newline",
        "the limit",
        "5000 digits",
        "negative",
        "kind",
        "bank",
    ],
)
def test_ids_no_generated_question_has_rebuild_nothing(question_id):
    """Only the exact ids generate_case_question makes are rebuilt; others give None, never another question."""
    assert question_from_id(question_id) is None


def test_question_from_id_names_a_value_that_is_not_text():
    """question_from_id(42) is a TypeError naming the parameter."""
    with pytest.raises(TypeError, match="question_id=42 is a int; expected a string"):
        question_from_id(42)
