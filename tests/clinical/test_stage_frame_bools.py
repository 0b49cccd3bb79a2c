"""stage_frame never reads a bool as a grade: Python's or numpy's True, wherever it stands in the column."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sarcoma_edu.clinical.staging_frame import stage_frame


@pytest.mark.parametrize(
    ("grades", "refused", "staged"),
    [
        pytest.param([np.True_, 1], [0], {1: "G1"}, id="numpy True before a grade 1"),
        pytest.param([np.False_, 1, 3], [0], {1: "G1", 2: "G3"}, id="numpy False before a grade 1 and a grade 3"),
        pytest.param([1, np.True_], [1], {0: "G1"}, id="a grade 1 before numpy True"),
        pytest.param([np.True_, True, 1.0, 2], [0, 1], {2: "G1", 3: "G2"}, id="numpy and Python True before 1.0"),
    ],
)
def test_stage_frame_never_reads_a_numpy_bool_as_a_grade_nor_refuses_the_grade_1_beside_it(grades, refused, staged):
    """A numpy bool grade is a bad row with stage()'s message, and a grade 1 grouped with it is still staged as G1."""
    df = pd.DataFrame(
        {
            "site": ["extremity"] * len(grades),
            "size_cm": [3] * len(grades),
            "grade": pd.Series(grades, dtype=object),
            "nodes": [False] * len(grades),
            "metastasis": [False] * len(grades),
        }
    )
    out = stage_frame(df, errors="coerce")
    for row in refused:
        assert pd.isna(out.loc[row, "stage"]) and "is a bool" in out.loc[row, "error"]
    for row, grade in staged.items():
        assert out.loc[row, "g"] == grade and pd.isna(out.loc[row, "error"])
    assert out["error"].notna().sum() == len(refused)
