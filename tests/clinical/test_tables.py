"""The rule tables in datasets/: each loads, validates, carries a source, and bad edits are named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sarcoma_edu import DatasetError, list_datasets, load_table
from sarcoma_edu.clinical import tables as data

ROOT = Path(__file__).resolve().parents[2]
CSV_TABLES = [name for name in list_datasets() if name.endswith(".csv")]
# sources.csv is the bibliography the other tables' sources point into (tests/clinical/test_sources.py checks it)
SOURCED_TABLES = [name for name in CSV_TABLES if name != "sources.csv"]


@pytest.mark.parametrize("name", SOURCED_TABLES)
def test_table_loads_with_a_source_on_every_row(name):
    """Every shipped table validates and every row has a non-empty source."""
    table = load_table(name)
    assert len(table) > 0
    assert (table["source"].str.len() > 0).all()


def test_every_file_in_datasets_is_shipped():
    """The package sees every CSV in the repository's datasets/ folder."""
    on_disk = sorted(p.name for p in (ROOT / "datasets").glob("*.csv"))
    assert on_disk == CSV_TABLES


@pytest.fixture
def edited(tmp_path, monkeypatch):
    """A copy of datasets/ that a test may edit, used instead of the real one."""
    copy = tmp_path / "datasets"
    shutil.copytree(ROOT / "datasets", copy)
    monkeypatch.setattr(data, "_datasets_root", lambda: copy)
    data.load_table.cache_clear()
    yield copy
    data.load_table.cache_clear()


def _rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_bad_value_names_file_row_and_column(edited):
    """A hand-edited stage group with an unknown stage is reported with file, row and column."""
    _rewrite(edited / "ajcc8_stage_groups.csv", "trunk,IIIA,", "trunk,IIIC,")
    with pytest.raises(DatasetError, match=r"ajcc8_stage_groups.csv, row 5, column 'stage': 'IIIC' is not allowed"):
        load_table("ajcc8_stage_groups.csv")


def test_empty_source_is_refused(edited):
    """A row whose source cell is emptied is refused, naming the row."""
    path = edited / "grade_terms.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].rsplit(",", 1)[0].split(',"')[0] + ","
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"grade_terms.csv, row 2, column 'source': the cell is empty"):
        load_table("grade_terms.csv")


def test_missing_column_is_named(edited):
    """A table that lost a column says which one."""
    _rewrite(edited / "fnclcc_grades.csv", "total_from,", "from,")
    with pytest.raises(DatasetError, match="missing column"):
        load_table("fnclcc_grades.csv")


def test_missing_file_is_named(edited):
    """Asking for a table that does not exist names it and lists the ones that do."""
    with pytest.raises(DatasetError, match=r"name='nope\.csv'"):
        load_table("nope.csv")


def test_unquoted_comma_is_caught(edited):
    """A row with a comma that lost its quotes (one cell too many) is refused, naming the row."""
    _rewrite(edited / "risk_factors.csv", "Past radiation therapy,other,", "Past radiation, therapy,other,")
    with pytest.raises(DatasetError, match=r"risk_factors.csv, row 8: 6 cells for 5 columns"):
        load_table("risk_factors.csv")


def test_short_row_is_caught(edited):
    """A row with fewer cells than the header is refused, naming the row."""
    path = edited / "survival_seer.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = "regional,Cancer has spread"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"survival_seer.csv, row 3: fewer cells"):
        load_table("survival_seer.csv")
