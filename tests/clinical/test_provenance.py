"""Rule provenance: the rows a rule looks up are recorded under a trace, with stable keys and hashes."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from sarcoma_edu.clinical import provenance
from sarcoma_edu.clinical.grading import fnclcc
from sarcoma_edu.clinical.planner import plan_treatment
from sarcoma_edu.clinical.stage_groups import stage_groups
from sarcoma_edu.clinical.staging import stage
from sarcoma_edu.clinical.staging_frame import stage_frame
from sarcoma_edu.clinical.tables import DatasetError, dataset_path, datasets_root, list_datasets, table_rows
from sarcoma_edu.clinical.treatment import treatment_options

GROUPS = "ajcc8_stage_groups.csv"


def _rows(seen: provenance.Trace, table: str) -> list[str]:
    return [ref.row for ref in seen.depends_on if ref.table == table]


@pytest.fixture
def datasets_copy(tmp_path: Path) -> Path:
    """A copy of the datasets folder that a test may change."""
    copy = tmp_path / "datasets"
    shutil.copytree(Path(str(dataset_path(GROUPS))).parent, copy)
    return copy


def _edit(path: Path, change) -> None:
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames or []), list(reader)
    for row in rows:
        change(row)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize("table", [name for name in list_datasets() if name.endswith(".csv")])
def test_every_row_of_every_table_has_its_own_key(table):
    """No two rows of a table share a row key, so a lock names each row unambiguously."""
    keys = list(provenance.row_refs(table))
    assert len(keys) == len(set(keys)) == len(table_rows(table))
    assert not [key for key in keys if " (#" in key]


def test_staging_a_tumour_records_its_stage_group_t_category_and_site_rows():
    """A 7 cm high-grade limb tumour rests on the extremity T2 row and the T2 N0 M0 G2|G3 stage group row."""
    with provenance.trace() as seen:
        result = stage("leg", 7, "high")
    assert result == stage("leg", 7, "high")
    assert _rows(seen, GROUPS) == ["site=extremity, t=T2, n=N0, m=M0, g=G2|G3"]
    assert _rows(seen, "ajcc8_t_categories.csv") == ["site=extremity, t=T2"]
    assert "name=leg" in _rows(seen, "sites.csv")
    assert seen.tables[GROUPS] == provenance.table_hash(GROUPS)


def test_no_stage_group_rests_on_the_whole_stage_group_table():
    """A size-unknown high-grade tumour matches no row: the table is recorded as consulted, no row of it."""
    with provenance.trace() as seen:
        assert stage_groups().row("trunk", "TX", 0, 0, "G3") is None
    assert seen.depends_on == ()
    assert seen.tables == {GROUPS: provenance.table_hash(GROUPS)}


def test_nothing_is_recorded_outside_a_trace_or_aside_it():
    """Rules record only inside trace(), and nothing inside aside(), where wrong choices are computed."""
    stage("trunk", 3, 1)  # outside: must not fail or leak
    with provenance.trace() as seen, provenance.aside():
        stage("trunk", 3, 1)
    assert seen.depends_on == () and seen.tables == {}


def test_nested_traces_each_record_what_happens_inside_them():
    """A lookup is recorded in every trace open around it, and only there."""
    with provenance.trace() as outer:
        fnclcc(1, 0, 0)
        with provenance.trace() as inner:
            stage("retroperitoneum", 12, 2, nodes=True)
    assert set(inner.depends_on) < set(outer.depends_on)
    assert not [ref for ref in inner.depends_on if ref.table.startswith("fnclcc")]
    assert _rows(inner, GROUPS) == ["site=retroperitoneum, t=any, n=N1, m=M0, g=any"]


def test_a_cached_rule_records_its_rows_every_time():
    """The second call of a rule (its tables compiled and cached) records the same rows as the first."""
    seen = []
    for _ in range(2):
        with provenance.trace() as one:
            plan_treatment(stage("extremity", 12, 3, nodes=True), radiation="before", drug="doxorubicin")
            treatment_options(stage("trunk", 4, 1))
        seen.append(one.depends_on)
    assert seen[0] == seen[1] and len(seen[0]) > 10


def test_staging_a_table_records_the_rows_staging_one_patient_does():
    """stage_frame records the same stage group and T rows as stage() for the same patients."""
    patients = pd.DataFrame(
        {"site": ["leg", "trunk"], "size_cm": [7.0, None], "grade": ["G3", "G1"], "nodes": [False, False],
         "metastasis": [False, False]}
    )  # fmt: skip
    with provenance.trace() as frame:
        stage_frame(patients)
    with provenance.trace() as one:
        for row in patients.itertuples():
            stage(row.site, None if pd.isna(row.size_cm) else row.size_cm, row.grade)
    for table in (GROUPS, "ajcc8_t_categories.csv"):
        assert _rows(frame, table) == _rows(one, table)
        assert table in frame.tables


def test_an_edited_row_keeps_its_key_and_changes_its_hash(datasets_copy):
    """Changing a stage group row's stage keeps its key; its hash and the table's hash change, no other row's."""
    before = provenance.row_refs(GROUPS)
    table_before = provenance.table_hash(GROUPS)
    key = "site=extremity, t=T2, n=N0, m=M0, g=G2|G3"

    def change(row):
        if row["site"] == "extremity" and row["stage"] == "IIIA":
            row["stage"] = "IIIB"

    _edit(datasets_copy / GROUPS, change)
    with datasets_root(datasets_copy):
        after = provenance.row_refs(GROUPS)
        assert provenance.table_hash(GROUPS) != table_before
        assert stage("extremity", 7, "high").stage == "IIIB"
    assert after.keys() == before.keys()
    assert [k for k in before if before[k] != after[k]] == [key]


def test_the_datasets_hook_reads_the_copy_and_then_the_original_again(datasets_copy):
    """Inside datasets_root() the rules read the copy (cached lookups dropped); after it, the original."""

    def change(row):
        if row["site"] == "trunk" and row["stage"] == "IA":
            row["stage"] = "IB"

    _edit(datasets_copy / GROUPS, change)
    assert stage("trunk", 3, 1).stage == "IA"
    with datasets_root(datasets_copy):
        assert stage("trunk", 3, 1).stage == "IB"
        assert str(dataset_path(GROUPS)).startswith(str(datasets_copy.resolve()))
    assert stage("trunk", 3, 1).stage == "IA"


def test_the_datasets_hook_refuses_a_folder_that_is_not_there(tmp_path):
    """A missing folder is refused with the parameter and the path."""
    with pytest.raises(DatasetError, match=r"folder=.*nowhere.* is not a folder"), datasets_root(tmp_path / "nowhere"):
        pass
