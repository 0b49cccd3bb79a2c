"""The course stages as SEER's staging algorithm does: all 240 combinations of the three staged sites.

``tests/cases/seer_eod2018_stage_groups.csv`` is SEER's EOD 2018 TNM 8 stage group tables as they are
published (its ``source`` column names the repository, the commit and the table file):
``tnm8_path_stage_ubj`` for soft tissue of the trunk and extremities and ``tnm8_path_stage_upm`` for the
retroperitoneum, every T (T0, T1 to T4, TX) x N0/N1 x M0/M1, with SEER's grade codes folded to G1, G2,
G3 and GX (codes 9 and A to D, which SEER stages as an unknown grade) and its stage codes written as
AJCC labels ("none (99: unknown)" is SEER's code for no group). The course's trunk and its extremity
both read the trunk and extremities table, so 80 rows a site give 240 combinations. T0 ("no evidence
of primary tumour") is not a category a course user can give (a sarcoma being staged has a tumour), so
its rows are the only ones not compared, and a test says so.
"""

from __future__ import annotations

import pandas as pd
import pytest

from sarcoma_edu import stage, stage_frame
from tests.conftest import read_cases

SEER = read_cases("seer_eod2018_stage_groups.csv")
# the course's sites that read each SEER schema
SITES = {"soft_tissue_trunk_extremities": ("trunk", "extremity"), "retroperitoneum": ("retroperitoneum",)}
# a size in each T category: the largest SEER counts in it (tumour size in mm: 050, 100, 150 and 989, the
# largest size it records), or unknown
SIZE_CM = {"T1": 5.0, "T2": 10.0, "T3": 15.0, "T4": 98.9, "TX": None}
WORDS = {
    "T1": "5 cm",
    "T2": "10 cm",
    "T3": "15 cm",
    "T4": "98.9 cm",
    "TX": "size unknown",
    "G1": "low grade",
    "G2": "mid grade",
    "G3": "high grade",
    "GX": "grade unknown",
}
SPREAD = {
    ("N0", "M0"): "no spread",
    ("N1", "M0"): "lymph node spread",
    ("N0", "M1"): "distant metastasis",
    ("N1", "M1"): "lymph node spread and distant metastasis",
}


def _expected(label: str) -> str | None:
    return None if label.startswith("none") else label


def _combinations() -> list:
    """One param per course site and SEER row (T0 left out), named as a clinical sentence."""
    params = []
    for row in SEER:
        if row["t"] == "T0":
            continue
        for site in SITES[row["schema"]]:
            expected = _expected(row["stage"])
            sentence = (
                f"{site.capitalize()}, {WORDS[row['t']]} ({row['t']}), {WORDS[row['grade']]} ({row['grade']}), "
                f"{SPREAD[(row['n'], row['m'])]} -> {'stage ' + expected if expected else 'no stage group'}"
            )
            params.append(pytest.param(site, row, id=sentence))
    return params


COMBINATIONS = _combinations()


def test_the_seer_table_gives_240_combinations_and_only_t0_is_left_out():
    """The copy holds SEER's 192 rows; leaving out T0 only, the course's three sites give 240 combinations."""
    assert len(SEER) == 192 and all(row["source"].startswith("SEER EOD 2018") for row in SEER)
    left_out = {row["t"] for row in SEER} - set(SIZE_CM)
    assert left_out == {"T0"} and len(COMBINATIONS) == 240
    combos = {
        (p.values[0], p.values[1]["t"], p.values[1]["n"], p.values[1]["m"], p.values[1]["grade"]) for p in COMBINATIONS
    }
    assert len(combos) == 240  # each combination once


@pytest.mark.parametrize(("site", "row"), COMBINATIONS)
def test_the_course_gives_seers_stage_group(site, row):
    """stage() gives the T, N, M, G and the stage group (or no group) of SEER's EOD 2018 table for this tumour."""
    result = stage(site, SIZE_CM[row["t"]], row["grade"], nodes=row["n"] == "N1", metastasis=row["m"] == "M1")
    assert (result.t, result.n, result.m, result.g) == (row["t"], row["n"], row["m"], row["grade"])
    assert result.stage == _expected(row["stage"]), f"{row['source'][:60]}... gives {row['stage']}"


def test_stage_frame_gives_seers_stage_groups_for_all_240_at_once():
    """The table form, vectorised, agrees with SEER's table on every one of the 240 combinations."""
    rows = [p.values for p in COMBINATIONS]
    frame = pd.DataFrame(
        {
            "site": [site for site, _ in rows],
            "size_cm": [SIZE_CM[row["t"]] for _, row in rows],
            "grade": [row["grade"] for _, row in rows],
            "nodes": [row["n"] == "N1" for _, row in rows],
            "metastasis": [row["m"] == "M1" for _, row in rows],
        }
    )
    staged = stage_frame(frame)
    expected = [_expected(row["stage"]) for _, row in rows]
    got = [None if pd.isna(value) else value for value in staged["stage"]]
    differing = [(rows[i][0], rows[i][1]) for i in range(len(rows)) if got[i] != expected[i]]
    assert not differing, differing[:5]
    assert list(staged["t"]) == [row["t"] for _, row in rows]
