"""Shared test helpers: case tables in tests/cases are read here and fed to parametrize."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

CASES = Path(__file__).parent / "cases"
ROOT = Path(__file__).resolve().parent.parent


def read_cases(name: str) -> list[dict[str, str]]:
    """Return the rows of a case table in tests/cases."""
    with open(CASES / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def case_params(name: str) -> list:
    """Return pytest params for a case table, each named by its clinical sentence."""
    return [pytest.param(row, id=row["case"]) for row in read_cases(name)]


@pytest.fixture(autouse=True)
def _a_fresh_lesson_kernel():
    """Each test starts as a new lesson kernel would: no exercise answered yet in it, no box waiting."""
    import sys

    reveal = sys.modules.get("sarcoma_edu.widgets.reveal")
    if reveal is not None:
        reveal._ANSWERED.clear()
        reveal._BOXES.clear()
    yield
