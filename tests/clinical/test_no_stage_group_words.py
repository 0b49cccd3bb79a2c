"""Where there is no stage group, every surface a student reads says "no stage group" and why, never "None"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sarcoma_edu import cli

NO_GROUP = {
    "head and neck": ["--site", "head_and_neck", "--size", "3", "--grade", "G2"],
    "visceral organ": ["--site", "visceral", "--size", "3", "--grade", "G2"],
    "size unknown": ["--site", "extremity", "--size", "unknown", "--grade", "G2"],
}


@pytest.mark.parametrize("args", NO_GROUP.values(), ids=NO_GROUP.keys())
def test_the_command_line_says_no_stage_group_and_why(args, capsys):
    """`sarcoma-edu stage` prints 'Stage: no stage group' and the reason, with no 'None'."""
    assert cli.main(["stage", *args]) == 0
    out = capsys.readouterr().out
    assert "Stage: no stage group" in out and "None" not in out
    assert "no stage groups" in out or "while the size is unknown" in out


def test_no_lesson_prints_none_for_a_stage():
    """No checked lesson output prints None where a stage group would be."""
    expected = json.loads((Path(__file__).resolve().parents[2] / "tests" / "notebook_outputs.json").read_text())
    texts = [
        output.get("text", "")
        for cells in expected.values()
        for cell in cells.values()
        if ".stage" in cell["source"]
        for output in cell["outputs"]
    ]
    assert texts and not [t for t in texts if "None" in t]
