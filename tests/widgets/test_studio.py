"""The studio's forms, driven from Python: labelled fields, problems under their field, computed answers, preview, save.

Clinical values: an extremity sarcoma of 12 cm with FNCLCC differentiation 3, 25 mitoses and 60% necrosis is grade 3,
T3, stage IIIB without spread (FNCLCC: Trojani 1984, Coindre 2006; AJCC8 as reprinted in PDQ-HP 2025-02-21).
"""

from __future__ import annotations

import json

import ipywidgets as w
import pytest

from sarcoma_edu.course.case_files import check_cases
from sarcoma_edu.widgets.exercise import ExerciseWidget
from sarcoma_edu.widgets.quiz import QuizWidget
from sarcoma_edu.widgets.studio import case_form, exercise_form, question_form
from sarcoma_edu.widgets.tumour_board import TumourBoard


def inputs(widget: w.Widget) -> list[w.Widget]:
    """Every input a keyboard user reaches in a form (texts, drop-downs, tick boxes, buttons)."""
    found = []
    kinds = (w.Text, w.Textarea, w.Dropdown, w.Checkbox, w.Combobox, w.Button)
    if isinstance(widget, kinds):
        found.append(widget)
    for child in getattr(widget, "children", ()):
        if isinstance(child, TumourBoard | QuizWidget | ExerciseWidget):
            continue
        found += inputs(child)
    return found


def fill_case(form) -> None:
    form.case_id.value = "thigh-ups"
    form.title.value = "A deep thigh sarcoma"
    form.objectives.value = "Grade and stage it\nPlan its treatment"
    form.vignette.value = "A 56-year-old man has a painless lump at the back of his thigh. A fictional patient."
    form.size.value = "12"
    form.depth.value = "deep"
    form.differentiation.value = 3
    form.mitoses.value = "25"
    form.necrosis.value = "60"


@pytest.fixture(params=[case_form, question_form, exercise_form], ids=["case", "question", "exercise"])
def any_form(request, tmp_path):
    return request.param(tmp_path / "content")


def test_every_input_of_every_form_has_a_label(any_form):
    """Each text box, drop-down, tick box and button says what it is (its label is linked to it by ipywidgets)."""
    unlabelled = [type(i).__name__ for i in inputs(any_form) if not i.description.strip()]
    assert unlabelled == []


def test_a_new_form_lists_what_is_missing_and_writes_nothing(any_form, tmp_path):
    """An empty form shows its problems under their fields and a count; the content folder is not even made."""
    assert any_form.problems and "to fix" in any_form.summary.value
    assert any(label.value for label in any_form._labels.values())
    assert not (tmp_path / "content").exists()


def test_the_case_form_shows_the_computed_stage_with_its_explanation(tmp_path):
    """Facts typed in give the library's answers at once: grade 3, T3, stage IIIB, each with why and the source."""
    form = case_form(tmp_path)
    fill_case(form)
    text = " ".join(child.value for box in form.steps_box.children for child in box.children if hasattr(child, "value"))
    assert "Right answer (computed): <b>Stage IIIB</b>" in text and "Right answer (computed): <b>T3</b>" in text
    assert "Grade 3 (high)" in text and "Source:" in text
    assert form.problems == [] and "No problems." in form.summary.value


def test_a_size_with_a_comma_is_flagged_under_the_size_and_fixed_by_typing_a_point(tmp_path):
    """'12,5' shows a problem under 'Greatest size (cm)'; typing 12.5 clears it."""
    form = case_form(tmp_path)
    fill_case(form)
    form.size.value = "12,5"
    assert "facts.size_cm: &#x27;12,5&#x27; is not the greatest dimension" in form._labels["facts.size_cm"].value
    assert "1 problem to fix" in form.summary.value
    form.size.value = "12.5"
    assert form._labels["facts.size_cm"].value == "" and form.problems == []


def test_a_built_in_cases_id_is_flagged_under_the_id(tmp_path):
    """The id 'head-neck' of a built-in case is flagged under 'Case id' in the words of `case check`."""
    form = case_form(tmp_path)
    fill_case(form)
    form.case_id.value = "head-neck"
    assert "&#x27;head-neck&#x27; is already used by" in form._labels["id"].value


def test_preview_shows_the_real_tumour_board_with_the_case_chosen(tmp_path):
    """Preview puts the student's tumour board under the form, the draft case chosen in its case list."""
    form = case_form(tmp_path)
    fill_case(form)
    board = form.show_preview()
    assert isinstance(board, TumourBoard) and board.picker.value == "thigh-ups"
    case = board.start("thigh-ups")
    assert [s.kind for s in case.steps][:3] == ["grade", "t_category", "stage"]
    assert not (tmp_path / "cases").exists()  # a preview writes nothing


def test_preview_is_refused_while_a_problem_remains(tmp_path):
    """With a problem left, Preview says to fix it first and shows no widget."""
    form = case_form(tmp_path)
    assert form.show_preview() is None and "Fix the problems" in form.message.value


def test_save_writes_the_case_with_her_feedback_and_it_passes_case_check(tmp_path):
    """Save writes cases/thigh-ups.json with the feedback she typed for a wrong choice; `case check` accepts it."""
    form = case_form(tmp_path)
    fill_case(form)
    stage_box = next(b for b in form.steps_box.children if "AJCC 8 stage group" in b.children[0].value)
    box = next(c for c in stage_box.children if isinstance(c, w.Textarea) and c.description.endswith("Stage IIIA"))
    box.value = "Look again at the size: which T band is 12 cm in?"
    path = form.save()
    assert path == tmp_path / "cases" / "thigh-ups.json" and "Saved" in form.message.value
    saved = json.loads(path.read_text())
    stage = next(s for s in saved["steps"] if s["kind"] == "stage")
    assert stage["feedback"] == {"Stage IIIA": "Look again at the size: which T band is 12 cm in?"}
    assert check_cases(path)[0].ok
    assert form.replace.value  # saving again replaces it, as the ticked box says


def test_save_is_refused_while_a_problem_remains(tmp_path):
    """Save with a problem left says how many remain and writes nothing."""
    form = case_form(tmp_path)
    fill_case(form)
    form.vignette.value = ""
    assert form.save() is None and "Not saved: 1 problem(s) remain" in form.message.value
    assert not tmp_path.joinpath("cases").exists()


def test_without_a_content_folder_the_form_says_how_to_set_one(tmp_path, monkeypatch):
    """No SARCOMA_EDU_CONTENT: the folder field reads my-content and a note says how to set the variable."""
    monkeypatch.delenv("SARCOMA_EDU_CONTENT", raising=False)
    monkeypatch.chdir(tmp_path)
    form = case_form()
    assert form.folder.value == "my-content"
    assert "No content folder is set" in form.folder_note.value and "SARCOMA_EDU_CONTENT" in form.folder_note.value


def test_the_content_folder_comes_from_sarcoma_edu_content(tmp_path, monkeypatch):
    """With SARCOMA_EDU_CONTENT naming a folder, the form saves there and says it is her content folder."""
    monkeypatch.setenv("SARCOMA_EDU_CONTENT", str(tmp_path))
    form = case_form()
    assert form.folder.value == str(tmp_path) and "Your content folder" in form.folder_note.value


def test_the_question_form_takes_a_stage_key_from_the_rules(tmp_path):
    """Choosing 'AJCC 8 stage group' for a 12 cm G3 limb tumour writes IIIB as answer 1, marked right."""
    form = question_form(tmp_path)
    form.fact.value = "AJCC 8 stage group"
    form.patient["size_cm"].value = "12"
    form.patient["grade"].value = "G3"
    form.question_id.value = "my-stage-1"
    form.question.value = "A 12 cm high-grade thigh sarcoma without spread: which AJCC 8 stage group?"
    form.rows[1]["answer"].value = "IIIA"
    form.explanation.value = "T3, G3, N0, M0 is stage IIIB."
    form.source.value = "AJCC8"
    form.objective_boxes[0].value = "staging-stage-group"
    assert form.rows[0]["answer"].value == "IIIB" and form.rows[0]["correct"].value
    assert form.problems == [] and "The library gives <b>IIIB</b>" in form.key_note.value
    assert isinstance(form.show_preview(), QuizWidget)
    saved = json.loads(form.save().read_text())
    assert saved[0]["derived_from"]["function"] == "stage"


def test_the_question_form_flags_an_unknown_objective_and_a_missing_explanation(tmp_path):
    """An objective id that does not exist and an empty explanation are each shown under their own field."""
    form = question_form(tmp_path)
    form.objective_boxes[0].value = "no-such-objective"
    assert "no-such-objective" in form._labels["objectives"].value
    assert "explanation: is missing" in form._labels["explanation"].value


def test_the_exercise_form_previews_the_lessons_exercise_widget_and_saves_into_the_lessons_file(tmp_path):
    """A complete exercise previews in the exercise widget and is saved in exercises/03_staging.json."""
    form = exercise_form(tmp_path)
    form.question_id.value = "ex-03-my-thigh"
    form.question.value = "A 12 cm high-grade thigh sarcoma without spread: which AJCC 8 stage group?"
    form.rows[0]["answer"].value, form.rows[0]["correct"].value = "IIIB", True
    form.rows[1]["answer"].value = "IIIA"
    form.explanation.value = "T3, G3, N0, M0 is stage IIIB."
    form.source.value = "AJCC8"
    form.objective_boxes[0].value = "staging-stage-group"
    assert form.problems == []
    assert isinstance(form.show_preview(), ExerciseWidget)
    assert form.save() == tmp_path / "exercises" / "03_staging.json"


def test_preview_lists_her_saved_cases_beside_the_built_in_ones_and_the_draft(tmp_path):
    """The preview's case list is the student's: built-in cases, the cases already in her folder, and the draft."""
    first = case_form(tmp_path)
    fill_case(first)
    first.save()
    form = case_form(tmp_path)
    fill_case(form)
    form.case_id.value, form.title.value = "thigh-ups-2", "A second thigh sarcoma"
    board = form.show_preview()
    ids = [value for _label, value in board.picker.options]
    assert {"thigh-ups", "thigh-ups-2", "head-neck"} <= set(ids) and board.picker.value == "thigh-ups-2"


def test_in_a_kernel_the_check_waits_for_typing_to_stop(tmp_path, monkeypatch):
    """Each change schedules a check a moment later; only the last of several quick changes runs it."""
    from sarcoma_edu.widgets.studio import form as studio_form

    scheduled = []
    monkeypatch.setattr(studio_form, "_later", lambda delay, callback: scheduled.append((delay, callback)) or True)
    form = case_form(tmp_path)
    runs = []
    monkeypatch.setattr(form, "refresh", lambda: runs.append(form.size.value))
    for typed in ("1", "12", "12,", "12,5"):
        form.size.value = typed
    assert [delay for delay, _ in scheduled] == [studio_form.DEBOUNCE_S] * 4 and runs == []
    for _delay, callback in scheduled:
        callback()
    assert runs == ["12,5"]


def test_a_question_about_the_fnclcc_total_becomes_a_number_question_keyed_by_the_rules(tmp_path):
    """Choosing 'FNCLCC total score' for differentiation 3, 25 mitoses, 60% necrosis asks for a number, keyed 8."""
    form = question_form(tmp_path)
    form.fact.value = "FNCLCC total score"
    form.patient["differentiation"].value = 3
    form.patient["mitoses"].value = "25"
    form.patient["necrosis_pct"].value = "60"
    form.refresh()
    assert form.type.value == "numeric" and form.rows[0]["value"].value == "8" and form.rows[0]["correct"].value
    assert form.rows[0]["value"].layout.display is None and form.rows[0]["answer"].layout.display == "none"
