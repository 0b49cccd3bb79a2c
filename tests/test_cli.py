"""The sarcoma-edu command: readable text, --json, --help, and one-line errors with exit status 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sarcoma_edu.cli import main

SCRIPT = Path(sys.executable).parent / "sarcoma-edu"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed console script as a user would."""
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=60, check=False)


def test_console_script_stages_a_case():
    """`sarcoma-edu stage` prints the stage, TNM, explanation, source and disclaimer."""
    done = run("stage", "--site", "extremity", "--size", "7", "--grade", "high")
    assert done.returncode == 0, done.stderr
    assert "Stage: IIIA" in done.stdout
    assert "T T2  N N0  M M0  G G3" in done.stdout
    assert "Source: AJCC8" in done.stdout
    assert "not medical advice" in done.stdout


def test_stage_json_has_the_result_fields(capsys):
    """--json prints one JSON object with site, t, n, m, g, stage, explanation and source."""
    assert main(["stage", "--site", "retroperitoneum", "--size", "12", "--grade", "2", "--nodes", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert list(payload) == ["site", "t", "n", "m", "g", "stage", "explanation", "source"]
    assert payload["stage"] == "IIIB"


def test_unknown_size_and_no_stage_group(capsys):
    """--size unknown gives TX, and a case with no stage group says so."""
    assert main(["stage", "--site", "trunk", "--size", "unknown", "--grade", "GX"]) == 0
    out = capsys.readouterr().out
    assert "Stage: no stage group" in out
    assert "T TX" in out


def test_grade_text_and_json(capsys):
    """`sarcoma-edu grade` gives the FNCLCC grade as text and as JSON."""
    assert main(["grade", "--differentiation", "2", "--mitoses", "12", "--necrosis", "30"]) == 0
    assert "FNCLCC grade 2 (mid, G2): total score 5" in capsys.readouterr().out
    assert main(["grade", "--differentiation", "3", "--mitoses", "25", "--necrosis", "60", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert (payload["total"], payload["grade"], payload["label"]) == (8, 3, "high")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        pytest.param(
            ["stage", "--site", "lung", "--size", "3", "--grade", "1"],
            "--site 'lung' is not allowed",
            id="unknown site",
        ),
        pytest.param(
            ["stage", "--site", "leg", "--size", "0", "--grade", "1"], "--size 0.0 is not greater than 0", id="size 0"
        ),
        pytest.param(
            ["stage", "--site", "leg", "--size", "big", "--grade", "1"],
            "size 'big' is not a number",
            id="size not a number",
        ),
        pytest.param(
            ["stage", "--site", "leg", "--size", "3", "--grade", "4"], "--grade 4 is not a grade", id="grade 4"
        ),
        pytest.param(
            ["stage", "--site", "leg", "--size", "3"],
            "the following arguments are required: --grade",
            id="missing grade",
        ),
        pytest.param(
            ["grade", "--differentiation", "5", "--mitoses", "1", "--necrosis", "0"],
            "--differentiation 5 is out of range",
            id="differentiation 5",
        ),
        pytest.param(
            ["grade", "--differentiation", "2", "--mitoses", "-1", "--necrosis", "0"],
            "--mitoses -1 is negative",
            id="negative mitoses",
        ),
        pytest.param(
            ["grade", "--differentiation", "2", "--mitoses", "1", "--necrosis", "120"],
            "--necrosis 120.0 is out of range",
            id="necrosis 120",
        ),
        pytest.param(
            ["grade", "--differentiation", "two", "--mitoses", "1", "--necrosis", "1"],
            "'two' is not a whole number",
            id="differentiation as a word",
        ),
        pytest.param(["frobnicate"], "invalid choice", id="unknown command"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, words):
    """Bad input exits 2 with a single-line message naming the problem and no traceback."""
    done = run(*args)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert words in lines[0]
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("command", [[], ["stage"], ["grade"]])
def test_help_explains_options(command):
    """--help explains each option in plain words."""
    done = run(*command, "--help")
    assert done.returncode == 0
    if command == ["stage"]:
        for words in ("greatest dimension", "nearby lymph nodes", "distant parts of the body", "arm and leg"):
            assert words in done.stdout
    if command == ["grade"]:
        assert "10 high-power fields" in done.stdout
