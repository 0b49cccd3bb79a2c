"""content check: a changed rule row is reported for exactly the items whose key rests on it and changed.

The proof changes each row of ``datasets/ajcc8_stage_groups.csv`` in turn (its stage, in a copy of the
datasets read through :func:`~sarcoma_edu.clinical.tables.datasets_root`), runs the check, and
recomputes every item without tracing to find any changed answer the check missed.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from sarcoma_edu.clinical.provenance import ROW_KEYS
from sarcoma_edu.clinical.tables import dataset_path, datasets_root
from sarcoma_edu.course import keys
from sarcoma_edu.course.key_check import check_content, update_locks

GROUPS = "ajcc8_stage_groups.csv"
# each stage changed to a neighbour that the rest of the rules know, so the answers that rest on it change
NEXT_STAGE = {"IA": "IB", "IB": "IA", "I": "IA", "II": "IIIA", "IIIA": "IIIB", "IIIB": "IIIA", "IV": "IIIB"}


@pytest.fixture
def datasets_copy(tmp_path: Path) -> Path:
    """A copy of the datasets folder (tables, content and the committed lock) that a test may change."""
    copy = tmp_path / "datasets"
    shutil.copytree(Path(str(dataset_path(GROUPS))).parent, copy)
    return copy


def _answer_or_error(item: keys.KeyedItem) -> object:
    try:
        return keys.answer_now(item)
    except (TypeError, ValueError, KeyError, AttributeError, IndexError) as error:
        return f"error: {error}"


def _rewrite(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def test_each_stage_group_row_changed_reports_every_item_resting_on_it_and_nothing_else(datasets_copy):
    """For every stage group row: reported = items whose lock names the row and whose answer changed; none missed."""
    lock = keys.read_lock(keys.lock_path(None))
    items = keys.computed_items()
    with open(datasets_copy / GROUPS, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames or []), list(reader)
    with datasets_root(datasets_copy):
        (clean,) = check_content()
    assert not clean.changed, "the committed lock is stale: see test_keys.py"
    resting_on_some_row = 0
    for index, row in enumerate(rows):
        key = ", ".join(f"{c}={row[c]}" for c in ROW_KEYS[GROUPS])
        changed = [dict(r, stage=NEXT_STAGE[r["stage"]]) if i == index else r for i, r in enumerate(rows)]
        _rewrite(datasets_copy / GROUPS, header, changed)
        with datasets_root(datasets_copy):
            (check,) = check_content()
            brute = {item.id for item in items if _answer_or_error(item) != lock[item.id]["answer"]}
        reported = {change.item.id for change in check.changes}
        resting = {i for i, entry in lock.items() if {"table": GROUPS, "row": key} in [
            {"table": r["table"], "row": r["row"]} for r in entry["depends_on"]]}  # fmt: skip
        resting_on_some_row += bool(resting)
        assert brute <= reported, f"{key}: the check missed {sorted(brute - reported)}"
        assert reported <= resting, f"{key}: reported items whose lock does not name the row: {reported - resting}"
        assert reported == resting & brute
        stage_steps = {i for i in resting if i.startswith("case:") and i.endswith(":stage")}
        assert stage_steps <= reported, f"{key}: a stage step resting on it was not reported"
        for change in check.changes:
            assert f"row changed: {GROUPS} [{key}]" in change.rows
    assert resting_on_some_row >= len(rows) // 2


def _my_folder(root: Path) -> Path:
    """An instructor's content folder with one exercise whose key the library computes."""
    folder = root / "my-course"
    (folder / "exercises").mkdir(parents=True)
    exercise = {
        "id": "ex-03-my-thigh",
        "lesson": "03_staging",
        "role": "predict",
        "topic": "staging",
        "type": "multiple_choice",
        "difficulty": "easy",
        "question": "A 7 cm high-grade thigh sarcoma has not spread. Which stage group?",
        "answers": [{"answer": "IIIA", "correct": True}, {"answer": "IIIB", "correct": False}],
        "explanation": "T2, N0, M0, high grade: IIIA.",
        "source": "AJCC8",
        "objectives": ["staging-stage-group"],
        "derived_from": {"function": "stage", "args": {"site": "leg", "size_cm": 7, "grade": "high"}, "field": "stage"},
    }
    (folder / "exercises" / "mine.json").write_text(json.dumps([exercise]), encoding="utf-8")
    return folder


def test_an_instructors_key_is_checked_against_her_own_lock(datasets_copy, tmp_path):
    """Her item without an entry is listed; once recorded, a changed row reports it with old -> new answer."""
    folder = _my_folder(tmp_path)
    with datasets_root(datasets_copy):
        built_in, mine = check_content(folder)
        assert not built_in.changed and [i.id for i in mine.missing] == ["ex-03-my-thigh"]
        assert update_locks((built_in, mine)) == [folder / keys.LOCK_NAME]
    text = (datasets_copy / GROUPS).read_text(encoding="utf-8")
    (datasets_copy / GROUPS).write_text(text.replace("extremity,IIIA,", "extremity,IIIB,"), encoding="utf-8")
    with datasets_root(datasets_copy):
        built_in, mine = check_content(folder)
    assert [c.item.id for c in mine.changes] == ["ex-03-my-thigh"]
    (line, *rows) = mine.changes[0].describe()
    assert line.startswith("ex-03-my-thigh (exercise in ") and line.endswith("'IIIA' -> 'IIIB'")
    assert rows == [f"    row changed: {GROUPS} [site=extremity, t=T2, n=N0, m=M0, g=G2|G3]"]
    assert built_in.changes  # the built-in items resting on that row changed too


def test_an_item_that_can_no_longer_be_computed_keeps_its_entry_and_says_why(datasets_copy, tmp_path):
    """A key the rules now refuse is a change (with the library's words), and --update keeps its old entry."""
    folder = _my_folder(tmp_path)
    keys.write_lock_entries(folder, keys.lock_entries(json.loads((folder / "exercises" / "mine.json").read_text())[0]))
    with open(datasets_copy / "sites.csv", encoding="utf-8") as handle:
        sites = [line for line in handle if not line.startswith("leg,")]
    (datasets_copy / "sites.csv").write_text("".join(sites), encoding="utf-8")
    with datasets_root(datasets_copy):
        _, mine = check_content(folder)
        (change,) = mine.changes
        assert change.new is None and "site" in change.error
        assert "cannot be computed now" in change.describe()[0]
        assert "    row removed: sites.csv [name=leg]" in change.describe()
        assert mine.entries["ex-03-my-thigh"] == keys.read_lock(folder / keys.LOCK_NAME)["ex-03-my-thigh"]


def test_an_entry_whose_item_is_gone_is_listed(tmp_path):
    """A lock entry for an item her folder no longer has is listed, so the lock can be tidied."""
    folder = _my_folder(tmp_path)
    keys.write_lock_entry(
        folder, "ex-03-old-one", keys.lock_entry(json.loads((folder / "exercises" / "mine.json").read_text())[0])
    )
    _, mine = check_content(folder)
    assert mine.gone == ("ex-03-old-one",)
    assert "ex-03-old-one: in content.lock.json, but no such item computes a key any more" in mine.describe()


def test_a_question_of_her_bank_with_derived_from_is_keyed_too(tmp_path):
    """A bank question in her quiz/ folder whose key the library computes is checked like an exercise."""
    folder = tmp_path / "my-course"
    (folder / "quiz").mkdir(parents=True)
    question = {
        "id": "my-fnclcc-total",
        "topic": "grade",
        "type": "numeric",
        "difficulty": "medium",
        "question": "Differentiation 2, 12 mitoses per 10 HPF, 30% necrosis: what is the FNCLCC total score?",
        "answers": [{"value": 5, "correct": True}],
        "explanation": "2 + 2 + 1 = 5.",
        "source": "FNCLCC",
        "objectives": ["grade-fnclcc-score"],
        "derived_from": {"function": "fnclcc", "args": {"differentiation": 2, "mitoses": 12, "necrosis_pct": 30},
                         "field": "total"},
    }  # fmt: skip
    (folder / "quiz" / "mine.json").write_text(json.dumps([question]), encoding="utf-8")
    _, mine = check_content(folder)
    (item,) = mine.missing
    assert (item.id, item.kind, mine.keys[item.id].answer) == ("my-fnclcc-total", "question", 5)
    assert {ref.table for ref in mine.keys[item.id].depends_on} == {"fnclcc_scores.csv", "fnclcc_grades.csv"}
