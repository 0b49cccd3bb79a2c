"""The studio's forms follow the staging and grading rules: T by site, grade by histology, what surgery can remove.

Clinical values: visceral T is the tumour's extent (T2a: into the serosa), not its size (AJCC8, as reprinted in
PDQ-HP 2025-02-21); synovial sarcoma scores 3 for differentiation (datasets/histologies.csv: FNCLCC differentiation
examples); stage IV: surgery to remove cancer that has spread to the lungs (PDQ-PT 2023-06-02; ACS).
"""

from __future__ import annotations

import json

from sarcoma_edu.course.case_files import check_cases
from sarcoma_edu.widgets.studio import case_form, question_form


def fill_case(form) -> None:
    form.case_id.value = "lung-spread"
    form.title.value = "A thigh sarcoma that has spread"
    form.objectives.value = "Stage it\nPlan its treatment"
    form.vignette.value = "A 60-year-old woman has a lump of the thigh and spots in both lungs. A fictional patient."
    form.size.value = "8"
    form.grade.value = "G3"


def plan_question(form) -> str:
    return next(a.question for a in form.answers if a.kind == "plan_order")


def test_a_visceral_case_form_shows_why_it_asks_no_t_step(tmp_path):
    """Choosing a visceral site drops the T step from the computed answers and a note says T is its extent."""
    form = case_form(tmp_path)
    fill_case(form)
    assert "t_category" in [a.kind for a in form.answers]
    form.site.value = "visceral"
    assert "t_category" not in [a.kind for a in form.answers] and form.problems == []
    assert "No T step" in form.steps_note.value and "how far the tumour has grown" in form.steps_note.value
    form.site.value = "trunk"
    assert form.steps_note.value == ""


def test_the_case_form_asks_what_surgery_can_remove_once_metastasis_is_ticked(tmp_path):
    """A labelled drop-down, shown with distant metastasis, sets whether the plan removes every metastasis; saved."""
    form = case_form(tmp_path)
    fill_case(form)
    assert form.resectable.layout.display == "none" and form.resectable.description
    form.metastasis.value = True
    assert form.resectable.layout.display is None and form.resectable.value is False
    assert "surgery cannot remove all the cancer" in plan_question(form)
    assert "radiation before surgery" not in plan_question(form)  # no operation: radiation eases symptoms
    form.resectable.value = True
    assert "surgery can remove the primary tumour and every metastasis" in plan_question(form)
    path = form.save()
    assert json.loads(path.read_text())["facts"]["resectable"] is True and check_cases(path)[0].ok


def test_a_grade_the_histology_contradicts_is_shown_under_the_scores(tmp_path):
    """Synovial sarcoma with differentiation score 1 shows, under the scores, that the table scores it 3."""
    form = case_form(tmp_path)
    fill_case(form)
    form.histology.value = "synovial_sarcoma"
    form.differentiation.value = 1
    form.mitoses.value = "2"
    form.necrosis.value = "0"
    shown = form._labels["facts.fnclcc"].value
    assert "synovial sarcoma has differentiation score 3 in datasets/histologies.csv" in shown and "not 1" in shown
    assert form.save() is None
    form.differentiation.value = 3
    assert form._labels["facts.fnclcc"].value == ""


def test_the_question_form_asks_the_extent_of_a_visceral_tumour_and_keys_its_t(tmp_path):
    """A visceral T question asks how far the tumour has grown; 'serosa' keys T2a, and no extent keys nothing."""
    form = question_form(tmp_path)
    form.fact.value = "AJCC 8 T category"
    form.patient["site"].value = "visceral"
    form.patient["size_cm"].value = "8"
    extent = form.patient["extent"]
    assert extent.layout.display is None and extent.description
    assert "The library cannot compute it: extent:" in form.key_note.value
    assert form.problems and form.save() is None  # no TX keyed from a size
    extent.value = "serosa"
    assert form.rows[0]["answer"].value == "T2a" and "The library gives <b>T2a</b>" in form.key_note.value
    form.patient["site"].value = "extremity"
    assert extent.layout.display == "none" and form.rows[0]["answer"].value == "T2"
