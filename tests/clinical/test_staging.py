"""AJCC 8th edition staging (source: AJCC8 as reprinted in PDQ-HP 2025-02-21; PDQ-PT 2023-06-02).

The expected values are the named cases in tests/cases/ajcc8_staging_cases.csv: every
T x N x M x G combination for trunk, extremity and retroperitoneum, the 5/10/15 cm boundaries
and just above, size unknown, head and neck and visceral sites.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sarcoma_edu import STAGES, StageResult, stage, stage_frame, t_category
from tests.conftest import case_params, read_cases

ORDER = {s: i for i, s in enumerate(STAGES)}


def _args(case: dict[str, str]) -> dict[str, object]:
    return {
        "site": case["site"],
        "size_cm": float(case["size_cm"]) if case["size_cm"] else None,
        "grade": int(case["grade"]) if case["grade"].isdigit() else case["grade"],
        "nodes": case["nodes"] == "true",
        "metastasis": case["metastasis"] == "true",
    }


@pytest.mark.parametrize("case", case_params("ajcc8_staging_cases.csv"))
def test_ajcc8_case(case):
    """Each named case gets the T, N, M, G and stage group its row states (the row cites AJCC8)."""
    result = stage(**_args(case))
    assert (result.t, result.n, result.m, result.g) == (case["t"], case["n"], case["m"], case["g"])
    assert result.stage == (case["stage"] or None)
    if result.stage:
        assert result.explanation.startswith(f"Stage {result.stage}:")
    else:
        assert result.explanation.startswith("No stage group")
    assert result.source


def test_case_table_covers_every_combination():
    """The case table holds all 64 T x N x M x G combinations for each of the three staged sites."""
    rows = read_cases("ajcc8_staging_cases.csv")
    for site in ("trunk", "extremity", "retroperitoneum"):
        combos = {(r["t"], r["n"], r["m"], r["g"]) for r in rows if r["site"] == site and r["t"] != "TX"}
        assert len(combos) == 64, site


def test_explanation_names_the_rule():
    """The explanation reads as the issue's example sentence for a 7 cm high-grade extremity tumour."""
    result = stage("extremity", 7, "high")
    assert result.explanation == (
        "Stage IIIA: larger than 5 cm but not larger than 10 cm (T2), high grade (G3), "
        "no spread to lymph nodes or distant sites."
    )


def test_node_positive_retroperitoneum_explains_difference():
    """A node-positive retroperitoneal tumour is IIIB and the explanation says it is not IV as on a limb."""
    result = stage("retroperitoneum", 8, 3, nodes=True)
    assert result.stage == "IIIB"
    assert "not IV" in result.explanation


@pytest.mark.parametrize("site", ["head_and_neck", "visceral"])
def test_unstaged_sites_say_no_stage_group(site):
    """Head and neck and visceral sarcomas report TNM and G but say no standard stage group applies."""
    result = stage(site, 3, "high", nodes=True)
    assert result.stage is None
    assert "no stage groups" in result.explanation
    assert result.n == "N1"


def test_visceral_t_is_not_a_size_category():
    """For visceral sites T is TX whatever the size, and the explanation says why."""
    assert {t_category("visceral", s) for s in (0.5, 3, 50)} == {"TX"}
    assert "not how big it is" in stage("visceral", 6, 2).explanation


def test_result_is_frozen():
    """A StageResult cannot be changed after it is built."""
    result = stage("trunk", 3, 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.stage = "IV"  # type: ignore[misc]


def test_numpy_values_accepted():
    """numpy booleans, integers and floats are accepted like Python ones."""
    result = stage("leg", np.float64(12.0), np.int64(3), nodes=np.bool_(False), metastasis=np.bool_(True))
    assert (result.t, result.g, result.stage) == ("T3", "G3", "IV")


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        pytest.param({"size_cm": 0}, ValueError, "size_cm=0", id="size 0"),
        pytest.param({"size_cm": -3}, ValueError, "size_cm=-3", id="negative size"),
        pytest.param({"size_cm": math.nan}, ValueError, "size_cm=nan", id="size NaN"),
        pytest.param({"size_cm": math.inf}, ValueError, "size_cm=inf", id="size infinite"),
        pytest.param({"size_cm": True}, TypeError, "size_cm=True", id="size is a bool"),
        pytest.param({"size_cm": "7"}, TypeError, "size_cm='7'", id="size is text"),
        pytest.param({"site": "lung"}, ValueError, "site='lung'", id="unknown site"),
        pytest.param({"site": 3}, TypeError, "site=3", id="site is a number"),
        pytest.param({"grade": 0}, ValueError, "grade=0", id="grade 0"),
        pytest.param({"grade": 4}, ValueError, "grade=4", id="grade 4"),
        pytest.param({"grade": 2.5}, ValueError, "grade=2.5", id="grade 2.5"),
        pytest.param({"grade": "G4"}, ValueError, "grade='G4'", id="grade G4"),
        pytest.param({"grade": "very high"}, ValueError, "grade='very high'", id="grade very high"),
        pytest.param({"grade": True}, TypeError, "grade=True", id="grade True"),
        pytest.param({"nodes": "yes"}, TypeError, "nodes='yes'", id="nodes yes"),
        pytest.param({"nodes": 1}, TypeError, "nodes=1", id="nodes 1"),
        pytest.param({"metastasis": None}, TypeError, "metastasis=None", id="metastasis None"),
    ],
)
def test_bad_input_names_parameter_value_and_allowed(kwargs, error, words):
    """Bad input raises ValueError (TypeError for a wrong type) naming parameter, value and what is allowed."""
    args = {"site": "trunk", "size_cm": 7, "grade": 2, **kwargs}
    with pytest.raises(error) as caught:
        stage(**args)
    assert words in str(caught.value)
    assert "expected" in str(caught.value)


@pytest.mark.parametrize(
    ("typo", "suggestion"),
    [("extremeity", "extremity"), ("retroperitonium", "retroperitoneum"), ("head and nek", "head_and_neck")],
)
def test_unknown_site_suggests_closest(typo, suggestion):
    """A misspelt site gets the closest valid site suggested."""
    with pytest.raises(ValueError, match=f"did you mean '{suggestion}'"):
        stage(typo, 3, 1)


@pytest.mark.parametrize("spelling", ["Extremity", "ARM", "leg", " trunk ", "Head and Neck", "head-and-neck"])
def test_site_spellings(spelling):
    """Sites are case-insensitive and arm/leg mean extremity."""
    assert stage(spelling, 3, 1).site in ("extremity", "trunk", "head_and_neck")


# --- properties -------------------------------------------------------------------------------

staged_sites = st.sampled_from(["trunk", "extremity", "retroperitoneum"])
sizes = st.floats(min_value=0.01, max_value=60, allow_nan=False)
grades = st.sampled_from([1, 2, 3, None])


@given(staged_sites, sizes, sizes, grades)
def test_larger_tumour_never_lower_stage(site, a, b, grade):
    """For N0 M0, a larger tumour never gets a lower stage."""
    small, large = sorted((a, b))
    assert ORDER[stage(site, small, grade).stage] <= ORDER[stage(site, large, grade).stage]


@given(staged_sites, sizes, st.sampled_from([1, 2, 3]), st.sampled_from([1, 2, 3]))
def test_higher_grade_never_lower_stage(site, size, g1, g2):
    """For N0 M0, a higher grade never gets a lower stage."""
    low, high = sorted((g1, g2))
    assert ORDER[stage(site, size, low).stage] <= ORDER[stage(site, size, high).stage]


@given(staged_sites, st.one_of(st.none(), sizes), grades, st.booleans())
def test_distant_metastasis_is_always_stage_iv(site, size, grade, nodes):
    """M1 is stage IV on every staged site, whatever the size, grade or nodes."""
    assert stage(site, size, grade, nodes=nodes, metastasis=True).stage == "IV"


# --- stage_frame ------------------------------------------------------------------------------

any_site = st.sampled_from(["trunk", "extremity", "retroperitoneum", "head_and_neck", "visceral", "arm", "Leg"])
frame_rows = st.fixed_dictionaries(
    {
        "site": any_site,
        "size_cm": st.one_of(st.none(), sizes),
        "grade": st.sampled_from([1, 2, 3, "G1", "GX", "low", "mid", "high", "unknown", None]),
        "nodes": st.booleans(),
        "metastasis": st.booleans(),
    }
)


@settings(max_examples=60, deadline=None)
@given(st.lists(frame_rows, min_size=1, max_size=40))
def test_stage_frame_equals_stage(rows):
    """stage_frame gives row for row the T, N, M, G and stage that stage() gives."""
    out = stage_frame(pd.DataFrame(rows))
    for row, (_, got) in zip(rows, out.iterrows(), strict=True):
        expected = stage(**row)
        assert (got.t, got.n, got.m, got.g) == (expected.t, expected.n, expected.m, expected.g)
        assert (None if pd.isna(got.stage) else got.stage) == expected.stage


def test_stage_frame_returns_copy_with_string_columns():
    """stage_frame adds t, n, m, g, stage as string columns, leaves the input unchanged, and uses <NA>."""
    df = pd.DataFrame(
        {
            "site": ["leg", "visceral"],
            "size_cm": [7.0, 3.0],
            "grade": ["high", 2],
            "nodes": [False, False],
            "metastasis": [False, False],
        }
    )
    out = stage_frame(df)
    assert list(df.columns) == ["site", "size_cm", "grade", "nodes", "metastasis"]
    assert out["stage"].tolist()[0] == "IIIA"
    assert out["stage"].isna().tolist() == [False, True]
    assert str(out["stage"].dtype) == "string"


def test_stage_frame_missing_size_and_grade_mean_unknown():
    """A missing size or grade (NaN, None) is read as unknown, like None in stage()."""
    df = pd.DataFrame(
        {
            "site": ["retroperitoneum", "trunk"],
            "size_cm": [np.nan, 3.0],
            "grade": [2, None],
            "nodes": [True, False],
            "metastasis": [False, False],
        }
    )
    out = stage_frame(df)
    assert out["t"].tolist() == ["TX", "T1"]
    assert out["g"].tolist() == ["G2", "GX"]
    assert out["stage"].tolist() == ["IIIB", "IA"]


BAD = pd.DataFrame(
    {
        "site": ["leg", "lung", "trunk", "trunk"],
        "size_cm": [7.0, 3.0, 0.0, 4.0],
        "grade": [3, 1, 2, "G4"],
        "nodes": [False, False, False, "yes"],
        "metastasis": [False, False, False, False],
    },
    index=["p1", "p2", "p3", "p4"],
)


def test_stage_frame_raise_names_rows():
    """errors='raise' raises one ValueError naming the offending row labels and why."""
    with pytest.raises(ValueError) as caught:
        stage_frame(BAD)
    message = str(caught.value)
    assert "3 row(s)" in message
    assert "row 'p2': site='lung'" in message
    assert "row 'p3': size_cm=0.0" in message
    assert "row 'p4'" in message


def test_stage_frame_coerce_stages_good_rows():
    """errors='coerce' stages good rows and puts <NA> stage and a message on bad ones."""
    out = stage_frame(BAD, errors="coerce")
    assert out.loc["p1", "stage"] == "IIIA"
    assert out["stage"].isna().tolist() == [False, True, True, True]
    assert pd.isna(out.loc["p1", "error"])
    assert "site='lung'" in out.loc["p2", "error"]
    assert "size_cm=0.0" in out.loc["p3", "error"]
    assert "grade='G4'" in out.loc["p4", "error"]


@pytest.mark.parametrize(
    ("call", "words"),
    [
        pytest.param(lambda: stage_frame(BAD.drop(columns=["grade"])), "missing column(s) grade", id="missing column"),
        pytest.param(lambda: stage_frame(BAD, errors="ignore"), "errors='ignore'", id="unknown errors mode"),
        pytest.param(lambda: stage_frame([1, 2]), "df is a list", id="not a frame"),
    ],
)
def test_stage_frame_bad_arguments(call, words):
    """stage_frame rejects a frame without the columns, an unknown errors mode, or a non-frame."""
    with pytest.raises((TypeError, ValueError), match=words.replace("(", r"\(").replace(")", r"\)")):
        call()


def test_stage_frame_rejects_bool_size_and_int_flags():
    """A boolean size column or 0/1 nodes are refused, as stage() refuses them."""
    df = pd.DataFrame({"site": ["leg"], "size_cm": [True], "grade": [1], "nodes": [1], "metastasis": [False]})
    out = stage_frame(df, errors="coerce")
    assert "size_cm=True" in out.loc[0, "error"]


def test_stage_result_fields():
    """StageResult has exactly the documented fields, in order."""
    assert [f.name for f in dataclasses.fields(StageResult)] == [
        "site",
        "t",
        "n",
        "m",
        "g",
        "stage",
        "explanation",
        "source",
    ]


HUGE = 10**400  # a whole number no float can hold


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: stage("leg", HUGE, 1), id="stage with a size no float holds"),
        pytest.param(lambda: t_category("leg", HUGE), id="t_category with a size no float holds"),
        pytest.param(lambda: stage("leg", -HUGE, 1), id="stage with a huge negative size"),
    ],
)
def test_a_size_too_large_for_a_float_is_a_value_error_naming_the_value(call):
    """stage("leg", 10**400, 1) raises ValueError naming size_cm in short, never OverflowError."""
    with pytest.raises(ValueError, match=r"size_cm=-?100000\.\.\.000 \(401 digits\) is too large") as caught:
        call()
    assert "expected the greatest dimension in cm" in str(caught.value) and len(str(caught.value)) < 250


def _frame_with_size(size: object) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "site": ["leg", "leg"],
            "size_cm": [size, 3],
            "grade": [1, 1],
            "nodes": [False, False],
            "metastasis": [False] * 2,
        }
    )


def test_stage_frame_with_a_size_no_float_holds_raises_a_value_error():
    """stage_frame refuses a 10**400 cm row with one ValueError naming the row and the value."""
    with pytest.raises(ValueError, match=r"row 0: size_cm=100000\.\.\.000 \(401 digits\) is too large"):
        stage_frame(_frame_with_size(HUGE))


@pytest.mark.parametrize("size", [HUGE, math.inf, -math.inf, "1e400"], ids=["10**400", "inf", "-inf", "text 1e400"])
def test_stage_frame_coerces_a_size_no_float_holds_like_other_bad_values(size):
    """With errors="coerce" such a row gets a missing stage and a message; the good row is still staged."""
    out = stage_frame(_frame_with_size(size), errors="coerce")
    assert pd.isna(out.loc[0, "stage"]) and "size_cm=" in out.loc[0, "error"]
    assert out.loc[1, "stage"] == "IA" and pd.isna(out.loc[1, "error"])


def test_a_grade_no_float_holds_is_coerced_in_a_frame():
    """A grade of 10**400 in a frame is a bad row (coerced), as grade 4 is."""
    df = _frame_with_size(3).assign(grade=[HUGE, 1])
    out = stage_frame(df, errors="coerce")
    assert pd.isna(out.loc[0, "stage"]) and "grade=100000...000 (401 digits)" in out.loc[0, "error"]


@pytest.mark.parametrize(
    ("column", "cell", "words"),
    [
        pytest.param("site", ["leg"], "site=['leg'] is a list", id="a list in site"),
        pytest.param("grade", {"grade": 3}, "grade={'grade': 3} is a dict", id="a dict in grade"),
        pytest.param("size_cm", [7.0], "size_cm=[7.0] is a list", id="a list in size_cm"),
        pytest.param("extent", ["serosa"], "extent=", id="a list in extent"),
    ],
)
def test_stage_frame_coerce_gives_a_list_or_dict_cell_a_message_instead_of_raising(column, cell, words):
    """With errors="coerce" a list or dict cell makes its row a bad row with a message; the other row is staged."""
    df = _frame_with_size(3).assign(extent=[None, None])
    df[column] = pd.Series([cell, df.loc[1, column]], dtype=object)
    out = stage_frame(df, errors="coerce")
    assert pd.isna(out.loc[0, "stage"]) and words in out.loc[0, "error"]
    assert out.loc[1, "stage"] == "IA" and pd.isna(out.loc[1, "error"])
    with pytest.raises(ValueError, match="row 0"):
        stage_frame(df)


def test_stage_frame_refuses_grade_true_even_next_to_a_grade_1():
    """A grade of True is refused as stage() refuses it, not taken for grade 1 (True == 1 in Python)."""
    df = _frame_with_size(3).assign(grade=pd.Series([True, 1], dtype=object))
    out = stage_frame(df, errors="coerce")
    assert pd.isna(out.loc[0, "stage"]) and "grade=True is a bool" in out.loc[0, "error"]
    assert out.loc[1, "g"] == "G1" and out.loc[1, "stage"] == "IA"
    flipped = stage_frame(_frame_with_size(3).assign(grade=pd.Series([1, False], dtype=object)), errors="coerce")
    assert flipped.loc[0, "stage"] == "IA" and "grade=False is a bool" in flipped.loc[1, "error"]


@pytest.mark.parametrize(
    ("group", "letters"),
    [("I", ("IA", "IB")), ("IA", ("IA",)), ("II", ("II",)), ("IIIB", ("IIIB",)), ("IV", ("IV",))],
)
def test_stage_i_stands_for_ia_and_ib_and_a_lettered_group_for_itself(group, letters):
    """lettered_groups() reads the letters after the numeral (I is IA or IB), never a numeral's own I or V."""
    from sarcoma_edu.clinical.stage_groups import lettered_groups

    assert lettered_groups(group) == letters
