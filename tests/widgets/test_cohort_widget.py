"""Lesson 06 without programming: the stage mix and the cohort's questions chosen from dropdowns."""

from __future__ import annotations

import ipywidgets as w
import pytest

from sarcoma_edu import stage_frame
from sarcoma_edu.clinical.cohort import load_cohort
from sarcoma_edu.widgets.cohort import NO_GROUP, CohortQuestions, StageMixExplorer

STAGED = stage_frame(load_cohort())


def test_all_patients_stage_mix_matches_the_pandas_count():
    """With 'all patients' the table counts every stage group as value_counts on stage_frame does."""
    explorer = StageMixExplorer(STAGED)
    mix = explorer.mix().set_index("stage")["patients"]
    assert mix[NO_GROUP] == STAGED["stage"].isna().sum() > 0
    for stage, number in STAGED["stage"].dropna().value_counts().items():
        assert mix[stage] == number
    assert mix.sum() == len(STAGED) and f"{len(STAGED)} of {len(STAGED)} synthetic patients" in explorer.table.value


def test_choosing_a_histology_shows_only_its_patients_stage_mix():
    """Choosing angiosarcoma counts the stage groups of the angiosarcoma patients only, written in words."""
    explorer = StageMixExplorer(STAGED)
    explorer.which.value = "angiosarcoma"
    rows = STAGED[STAGED["histology"] == "angiosarcoma"]
    mix = explorer.mix()
    assert mix["patients"].sum() == len(rows)
    assert list(mix["stage"]) == sorted(rows["stage"].dropna().unique()) + (
        [NO_GROUP] if rows["stage"].isna().any() else []
    )
    assert "the patients with angiosarcoma" in explorer.table.value and "%</td>" in explorer.table.value


def test_a_head_and_neck_site_has_no_stage_group_and_says_why():
    """By body site, head and neck patients all have 'no stage group', and the table says why (AJCC 8th edition)."""
    explorer = StageMixExplorer(STAGED)
    explorer.by.value = "site"
    assert ("head and neck", "head and neck") in explorer.which.options
    explorer.which.value = "head and neck"
    assert list(explorer.mix()["stage"]) == [NO_GROUP]
    assert "no stage groups for head and neck or visceral" in explorer.table.value
    assert "None" not in explorer.table.value and "<NA>" not in explorer.table.value


def test_every_input_is_a_labelled_dropdown_wide_enough_for_its_choices():
    """Both inputs are dropdowns with a label, and each is at least as wide as its longest choice."""
    for widget in (StageMixExplorer(STAGED), CohortQuestions(STAGED)):
        dropdowns = [c for c in widget.children if isinstance(c, w.Dropdown)]
        assert dropdowns and all(d.description for d in dropdowns)
        for dropdown in dropdowns:
            longest = max(len(label) for label, _ in dropdown.options)
            assert float(dropdown.layout.width.removesuffix("em")) >= 0.5 * longest


def test_the_cohort_questions_give_the_same_numbers_as_the_pandas_cells():
    """Median size by stage and lymph node spread by histology equal the lesson's groupby, shares in percent."""
    questions = CohortQuestions(STAGED)
    questions.question.value = "Median tumour size (cm) for each stage group"
    median = STAGED.groupby("stage")["size_cm"].median()
    answer = questions.answer()
    for stage, value in median.items():
        assert answer[stage] == pytest.approx(value, abs=0.051)
    questions.question.value = "Share of patients with lymph node spread, by histology"
    share = STAGED.groupby("histology")["nodes"].mean()
    assert questions.answer()["clear cell sarcoma"] == pytest.approx(100 * share["clear_cell_sarcoma"], abs=0.051)
    assert "%</td>" in questions.table.value and "clear cell sarcoma" in questions.table.value


def test_a_table_that_is_not_the_staged_cohort_is_refused_by_name():
    """Passing the unstaged cohort names the missing stage column; passing a list names its type."""
    with pytest.raises(ValueError, match=r"staged lacks the column\(s\) \['stage'"):
        StageMixExplorer(load_cohort())
    with pytest.raises(TypeError, match="staged=list is not a table"):
        CohortQuestions([])


@pytest.mark.parametrize("make", [StageMixExplorer, CohortQuestions], ids=["stage mix", "cohort questions"])
def test_the_cohort_says_its_patients_may_not_be_typical_of_their_subtype(make):
    """Both cohort widgets say the subtype is drawn without regard to site or age, so a synthetic patient may not be
    typical of it (the reference gives no link between subtype, site and age; datasets/cohort_parameters.csv)."""
    note = make(STAGED).children[-1].value
    assert "without regard to the site or the age" in note and "may not be typical of its subtype" in note
