"""T categories set by extent, not size: head and neck T4 and every visceral T (AJCC 8, reference section 3)."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sarcoma_edu import stage
from sarcoma_edu.clinical.staging_frame import stage_frame
from sarcoma_edu.clinical.t_categories import t_category
from tests.conftest import case_params, read_cases


def _optional(text: str, kind=float):
    return kind(text) if text else None


@pytest.mark.parametrize("case", case_params("extent_t_cases.csv"))
def test_t_category_by_extent(case):
    """Each case gets the T its site's AJCC 8 chapter gives, and still no stage group."""
    kwargs = {"extent": case["extent"] or None, "sites": _optional(case["sites"], int)}
    result = stage(case["site"], _optional(case["size_cm"]), 2, **kwargs)
    assert result.t == case["t"]
    assert result.stage is None
    assert "no stage group" in result.explanation.lower()
    assert t_category(case["site"], _optional(case["size_cm"]), **kwargs) == case["t"]


def test_head_and_neck_t4_explanation_says_invasion_decides():
    """A small neck sarcoma invading the orbit is T4a and the explanation says invasion decides, not size."""
    result = stage("head_and_neck", 1, 3, extent="invades_adjoining_t4a")
    assert "orbit" in result.explanation and "invasion decides" in result.explanation


def test_visceral_explanation_says_size_is_not_the_measure():
    """A visceral tumour without its extent is TX, and the explanation asks for the extent instead of size."""
    result = stage("visceral", 12, 3)
    assert result.t == "TX"
    assert "not how big it is" in result.explanation and "extent" in result.explanation


@given(
    size=st.one_of(st.none(), st.floats(min_value=0.1, max_value=60, allow_nan=False)),
    extent=st.sampled_from(["invades_adjoining_t4a", "invades_adjoining_t4b"]),
    grade=st.sampled_from([1, 2, 3, None]),
    nodes=st.booleans(),
    metastasis=st.booleans(),
)
@settings(max_examples=200, deadline=None)
def test_invasion_always_wins_over_size_in_the_head_and_neck(size, extent, grade, nodes, metastasis):
    """Whatever its size, a head and neck sarcoma that invades adjoining structures is T4a or T4b."""
    result = stage("head_and_neck", size, grade, nodes, metastasis, extent=extent)
    assert result.t == ("T4a" if extent.endswith("t4a") else "T4b")
    assert result.stage is None


@given(size=st.floats(min_value=0.1, max_value=60, allow_nan=False))
@settings(max_examples=100, deadline=None)
def test_visceral_t_never_depends_on_size(size):
    """A visceral tumour's T is the same at every size for a given extent."""
    assert stage("visceral", size, 2, extent="beyond_serosa").t == "T2b"
    assert stage("visceral", size, 2).t == "TX"


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "words"),
    [
        pytest.param(
            ("leg", 7, 2), {"extent": "serosa"}, ValueError, "does not apply to site 'extremity'", id="extent on a limb"
        ),
        pytest.param(
            ("retroperitoneum", 7, 2),
            {"extent": "invades_adjoining_t4a"},
            ValueError,
            "set by the size alone",
            id="extent in the retroperitoneum",
        ),
        pytest.param(
            ("head_and_neck", 3, 2),
            {"extent": "serosa"},
            ValueError,
            "expected one of invades_adjoining_t4a",
            id="visceral extent on the neck",
        ),
        pytest.param(
            ("visceral", 3, 2),
            {"extent": "invades_adjoining_t4b"},
            ValueError,
            "expected one of organ_confined",
            id="head and neck extent on an organ",
        ),
        pytest.param(
            ("visceral", 3, 2),
            {"extent": "everywhere"},
            ValueError,
            "extent='everywhere' is not allowed",
            id="unknown extent",
        ),
        pytest.param(("visceral", 3, 2), {"extent": 4}, TypeError, "extent=4", id="extent as a number"),
        pytest.param(
            ("visceral", 3, 2), {"extent": "multifocal"}, ValueError, "needs sites", id="multifocal without sites"
        ),
        pytest.param(
            ("visceral", 3, 2),
            {"extent": "multifocal", "sites": 1},
            ValueError,
            "sites=1 is not 2 or more",
            id="multifocal in one site",
        ),
        pytest.param(
            ("visceral", 3, 2), {"extent": "multifocal", "sites": 2.5}, ValueError, "sites=2.5", id="fractional sites"
        ),
        pytest.param(
            ("visceral", 3, 2),
            {"extent": "serosa", "sites": 3},
            ValueError,
            "applies only to extent='multifocal'",
            id="sites without multifocal",
        ),
        pytest.param(("visceral", 3, 2), {"sites": 3}, ValueError, "needs extent='multifocal'", id="sites alone"),
    ],
)
def test_bad_extent_input(args, kwargs, error, words):
    """Extent for a site where it does not apply, or a bad number of sites, is an error naming the parameter."""
    with pytest.raises(error, match=words):
        stage(*args, **kwargs)


def _frame() -> pd.DataFrame:
    rows = read_cases("extent_t_cases.csv")
    frame = pd.DataFrame(
        {
            "site": [r["site"] for r in rows] + ["leg", "retroperitoneum"],
            "size_cm": [_optional(r["size_cm"]) for r in rows] + [12.0, 4.0],
            "grade": [3] * len(rows) + [2, 1],
            "nodes": [False] * len(rows) + [True, False],
            "metastasis": [False] * len(rows) + [False, False],
            "extent": [r["extent"] or None for r in rows] + [None, None],
            "sites": pd.array([_optional(r["sites"], int) for r in rows] + [None, None], dtype="Int64"),
        }
    )
    return frame


def test_stage_frame_with_extent_columns_equals_stage_row_for_row():
    """stage_frame with the optional extent and sites columns gives what stage gives, row for row."""
    frame = _frame()
    staged = stage_frame(frame)
    for i, row in frame.iterrows():
        sites = None if pd.isna(row.sites) else int(row.sites)
        size = None if pd.isna(row.size_cm) else row.size_cm
        extent = None if pd.isna(row.extent) else row.extent
        one = stage(row.site, size, row.grade, row.nodes, row.metastasis, extent=extent, sites=sites)
        assert staged.loc[i, "t"] == one.t
        assert (None if pd.isna(staged.loc[i, "stage"]) else staged.loc[i, "stage"]) == one.stage


def test_stage_frame_refuses_or_coerces_a_bad_extent():
    """A limb row with an extent is refused with stage's own message, or coerced with errors='coerce'."""
    frame = pd.DataFrame(
        {
            "site": ["leg", "visceral"],
            "size_cm": [7, 3],
            "grade": [2, 2],
            "nodes": [False, False],
            "metastasis": [False, False],
            "extent": ["serosa", "serosa"],
        }
    )
    with pytest.raises(ValueError, match="does not apply to site 'extremity'"):
        stage_frame(frame)
    coerced = stage_frame(frame, errors="coerce")
    assert pd.isna(coerced.loc[0, "t"]) and "does not apply" in coerced.loc[0, "error"]
    assert coerced.loc[1, "t"] == "T2a"


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sarcoma_edu", *args], capture_output=True, text=True, timeout=60, check=False
    )


def test_cli_extent_and_sites_give_t_in_json():
    """sarcoma-edu stage --extent multifocal --sites 4 gives T4b in the --json output."""
    done = _cli(
        "stage",
        "--site",
        "visceral",
        "--size",
        "unknown",
        "--grade",
        "2",
        "--extent",
        "multifocal",
        "--sites",
        "4",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["t"] == "T4b"
    done = _cli("stage", "--site", "head_and_neck", "--size", "1", "--grade", "3", "--extent", "invades_adjoining_t4a")
    assert done.returncode == 0 and "T4a" in done.stdout


def test_cli_bad_extent_is_one_line():
    """An extent the site does not take exits 2 with one line naming the parameter."""
    done = _cli("stage", "--site", "leg", "--size", "7", "--grade", "2", "--extent", "serosa")
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "--extent 'serosa'" in done.stderr


@pytest.mark.parametrize("case", [c for c in case_params("extent_t_cases.csv") if c.values[0]["extent"]])
def test_where_the_extent_sets_t_the_size_may_be_left_out(case):
    """Each case whose extent sets T gets the same T, explanation aside, with the size left out of stage()."""
    kwargs = {"extent": case["extent"], "sites": _optional(case["sites"], int)}
    result = stage(case["site"], grade=2, **kwargs)
    assert result.t == case["t"] and result.stage is None
    assert t_category(case["site"], **kwargs) == case["t"]


def test_a_visceral_tumour_needs_no_size_even_without_its_extent():
    """Left out, a visceral tumour's size is not missed: T is TX until the extent is given, as with None."""
    assert stage("visceral", grade="high") == stage("visceral", None, "high")
    assert (
        stage("stomach", grade=1, extent="serosa").explanation == stage("stomach", None, 1, extent="serosa").explanation
    )


@pytest.mark.parametrize(
    ("site", "kwargs", "words"),
    [
        pytest.param(
            "leg",
            {},
            "size_cm is needed for site 'extremity': T (T1 to T4) is set by the size; expected the greatest "
            "dimension in cm, a finite number greater than 0, or None if unknown",
            id="a limb without a size",
        ),
        pytest.param(
            "retroperitoneum", {}, "size_cm is needed for site 'retroperitoneum'", id="a retroperitoneal tumour"
        ),
        pytest.param(
            "head_and_neck",
            {},
            "size_cm is needed for site 'head_and_neck' when no extent is given: T1 to T3 are set by the size (an "
            "extent of invades_adjoining_t4a or invades_adjoining_t4b sets T whatever the size)",
            id="a head and neck tumour that invades nothing",
        ),
    ],
)
def test_where_the_size_sets_t_leaving_it_out_is_refused_by_name(site, kwargs, words):
    """Left out where it sets T, the size is refused with a message naming size_cm; None still means unknown (TX)."""
    with pytest.raises(TypeError) as error:
        stage(site, grade=2, **kwargs)
    assert words in str(error.value)
    with pytest.raises(TypeError, match="size_cm is needed"):
        t_category(site)
    assert stage(site, None, 2).t == "TX"


def test_the_grade_is_always_needed():
    """Leaving the grade out is refused by name, listing the grades; None is the way to say it is unknown."""
    with pytest.raises(TypeError, match=r"grade is needed: expected 1, 2, 3, 'G1'"):
        stage("visceral", extent="serosa")
    assert stage("visceral", grade=None, extent="serosa").g == "GX"


def test_stage_frame_needs_no_size_column_where_every_t_is_set_by_extent():
    """A table of visceral and invading head and neck tumours without size_cm is staged as stage() stages each."""
    frame = pd.DataFrame(
        {
            "site": ["visceral", "stomach", "head_and_neck"],
            "grade": [2, "high", None],
            "nodes": [False, True, False],
            "metastasis": [False, False, True],
            "extent": ["another_organ", None, "invades_adjoining_t4b"],
        }
    )
    staged = stage_frame(frame)
    assert list(staged["t"]) == ["T3", "TX", "T4b"] and staged["stage"].isna().all()
    for (_, row), t in zip(frame.iterrows(), staged["t"], strict=True):
        extent = None if pd.isna(row["extent"]) else row["extent"]
        assert (
            stage(row["site"], grade=row["grade"], nodes=row["nodes"], metastasis=row["metastasis"], extent=extent).t
            == t
        )


def test_stage_frame_without_a_size_column_names_it_when_a_row_needs_it():
    """Without size_cm, a limb row is refused, naming the missing column and the first row that needs it."""
    frame = pd.DataFrame(
        {"site": ["visceral", "arm"], "grade": [2, 1], "nodes": [False, False], "metastasis": [False, False]},
        index=[10, 11],
    )
    with pytest.raises(ValueError, match=r"df is missing column\(s\) size_cm; expected site, size_cm, grade") as error:
        stage_frame(frame, errors="coerce")
    assert "1 row(s) need a size, first row 11 (site 'extremity')" in str(error.value)
