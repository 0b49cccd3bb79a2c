"""Widgets driven from Python: set an input's value, read the result and the visible outputs."""

from __future__ import annotations

import re

import ipywidgets as w
import pytest

from sarcoma_edu import widgets


def _inputs(widget) -> list:
    found, stack = [], [widget]
    while stack:
        current = stack.pop()
        if isinstance(current, w.Box):
            stack.extend(current.children)
        else:
            found.append(current)
    return found


@pytest.mark.parametrize(
    "build",
    [
        widgets.StagingCalculator,
        widgets.FnclccCalculator,
        widgets.TreatmentPlanner,
        widgets.PathwayExplorer,
        widgets.drug_explorer,
        widgets.risk_factor_explorer,
    ],
    ids=lambda f: f.__name__,
)
def test_every_input_is_labelled_and_no_slider(build):
    """Every input has a visible label (description) and none is a slider."""
    for control in _inputs(build()):
        assert not isinstance(control, w.widgets.widget_int._IntRange | w.FloatSlider | w.IntSlider)
        if isinstance(control, w.widgets.ValueWidget) and not isinstance(control, w.HTML | w.Output):
            assert control.description, f"{type(control).__name__} has no label"


def test_staging_calculator_updates_as_inputs_change():
    """Changing size, grade and spread updates the result, badge and explanation."""
    calc = widgets.StagingCalculator()
    assert calc.result.stage == "IIIA" and "Stage IIIA" in calc.badge.value
    calc.size.value = 12
    assert calc.result.stage == "IIIB" and "T3" in calc.tnm.value
    calc.grade.value = "G1"
    assert calc.result.stage == "IB"
    calc.nodes.value = True
    assert calc.result.stage == "IV"
    calc.site.value = "retroperitoneum"
    assert calc.result.stage == "IIIB" and "not IV" in calc.explanation.value


def test_staging_calculator_bad_size_shows_message_and_keeps_result():
    """Size 0 typed into the box shows a visible alert naming the box; the last valid result stays."""
    calc = widgets.StagingCalculator()
    calc.size.value = 0
    assert 'role="alert"' in calc.message.value
    assert "Greatest size (cm) = 0 is not greater than 0" in calc.message.value
    assert "still the one for the last value accepted: Greatest size (cm) = 7." in calc.message.value
    assert calc.result.stage == "IIIA" and "Stage IIIA" in calc.badge.value
    calc.size.value = 3
    assert calc.message.value == "" and calc.result.stage == "II"


def test_staging_calculator_size_unknown():
    """Ticking 'Size unknown' gives TX, disables the size box and says there is no stage group."""
    calc = widgets.StagingCalculator()
    calc.size_unknown.value = True
    assert calc.result.t == "TX" and calc.size.disabled
    assert "No stage group" in calc.badge.value


@pytest.mark.parametrize("grade", ["G1", "GX"])
@pytest.mark.parametrize("site", ["trunk", "extremity", "retroperitoneum"])
def test_size_unknown_with_a_low_or_unknown_grade_is_stage_i_in_the_calculator_and_its_map(site, grade):
    """'Size unknown' with G1 or GX and no spread shows Stage I, says IA or IB by size, and rings the TX cell."""
    calc = widgets.StagingCalculator(site, 7.0, grade, show_map=True)
    calc.size_unknown.value = True
    assert calc.result.stage == "I" and "Stage I<" in calc.badge.value
    assert "IA or IB: the size decides" in calc.explanation.value and "SEER EOD" in calc.explanation.value
    (marker,) = [trace for trace in calc.figure.data if trace.type == "scatter"]
    assert marker.x[0].startswith("TX") and marker.y == ("G1 or GX, N0 M0",)
    calc.grade.value = "G2"
    assert calc.result.stage is None and "the size decides between stage II, IIIA and IIIB" in calc.explanation.value


def test_the_planner_treats_a_stage_i_tumour_of_unknown_size_as_stage_i():
    """A low-grade limb tumour of unknown size gets the PDQ list for stage I, not the one for no stage group."""
    planner = widgets.TreatmentPlanner("extremity", 3.0, "G1")
    planner.staging.size_unknown.value = True
    assert planner.staging.result.stage == "I" and planner.options.situation == "stage_I"


def test_a_visceral_tumour_is_staged_without_asking_for_a_size():
    """For a visceral organ the size box is hidden and what it holds is not used: the extent alone sets T."""
    calc = widgets.StagingCalculator()
    calc.size.value = "twelve"  # refused for a limb ...
    assert 'role="alert"' in calc.message.value
    calc.site.value = "visceral"  # ... but a visceral tumour does not need it
    assert calc.size_row.layout.display == "none" and calc.message.value == ""
    calc.extent.value = "another_organ"
    assert calc.result.t == "T3" and "cm" not in calc.explanation.value
    calc.site.value = "retroperitoneum"
    assert calc.size_row.layout.display is None and "Greatest size (cm)" in calc.message.value


def test_a_head_and_neck_tumour_that_invades_may_be_staged_with_the_size_box_empty():
    """With an invasion chosen the size is optional (and says so); without one an empty size box is refused."""
    calc = widgets.StagingCalculator("head_and_neck", 3.0, "G2")
    assert calc.size_note.value == "" and calc.result.t == "T2"
    calc.extent.value = "invades_adjoining_t4b"
    assert "optional here: the invasion sets T" in calc.size_note.value
    calc.size.value = ""
    assert calc.message.value == "" and calc.result.t == "T4b"
    calc.extent.value = ""
    assert "Greatest size (cm)" in calc.message.value and calc.size_note.value == ""
    assert calc.result.t == "T4b"  # the last valid result stays


def test_staging_calculator_map_marks_patient():
    """With show_map, the stage map figure is rebuilt with the patient marked."""
    calc = widgets.StagingCalculator(show_map=True)
    calc.size.value = 20
    (marker,) = [trace for trace in calc.figure.data if trace.type == "scatter"]
    assert marker.x[0].startswith("T4")


def test_fnclcc_calculator():
    """The FNCLCC calculator shows scores, total and grade, and a message for negative mitoses."""
    calc = widgets.FnclccCalculator()
    assert calc.result.total == 5 and "Grade 2" in calc.badge.value
    calc.mitoses.value = 25
    calc.necrosis.value = 60
    assert calc.result.grade == 3 and "<td>7</td>" in calc.scores.value  # 2 + 3 + 2
    calc.mitoses.value = -1
    assert "Mitoses per 10 high-power fields = -1" in calc.message.value
    assert calc.result.grade == 3
    calc.mitoses.value = 4
    calc.necrosis.value = 150
    assert "Tumour necrosis (%) = 150" in calc.message.value
    assert calc.result.mitosis_score == 1  # mitoses 4 was valid and applied


def test_treatment_planner_follows_stage_and_choices():
    """The planner shows the PDQ list for the staged patient and a timeline for the choices."""
    planner = widgets.TreatmentPlanner()
    assert planner.options.situation == "stage_II_III_N0"
    assert planner.radiation.value == "situation"
    assert "Radiation therapy after surgery" in planner.plan_html.value
    assert "before surgery for limb tumours" in planner.plan_html.value
    planner.radiation.value = "before"
    assert "Radiation therapy before surgery" in planner.plan_html.value
    planner.staging.nodes.value = True
    assert planner.options.situation == "stage_III_N1"
    assert "AJCC 7th edition" in planner.options_html.value
    assert "Read another way" in planner.options_html.value
    assert "Treatment of Stage IV Soft Tissue Sarcoma" in planner.options_html.value
    planner.radiation.value = "after"
    assert [p.phase for p in planner.plan.phases][:2] == [
        "Surgery with lymphadenectomy",
        "Wound healing before radiation",
    ]
    planner.resectable.value = False  # node-positive and not removable: PDQ gives surgery after neoadjuvant therapy
    assert [p.phase for p in planner.plan.phases][:3] == [
        "Treatment before surgery (chemotherapy or radiation)",
        "Restaging",
        "Surgery with lymphadenectomy",
    ]
    assert not any(p.phase.startswith("High-dose radiation") for p in planner.plan.phases)
    planner.staging.nodes.value = False
    assert planner.plan.phases[0].phase.startswith("High-dose radiation")
    assert planner.figure.layout.title.text


@pytest.mark.parametrize("site", ["head_and_neck", "extremity"])
def test_the_every_metastasis_box_is_offered_for_distant_metastasis_at_every_site(site):
    """The 'every metastasis can be removed' box shows for M1 at any site, and ticking it plans their removal."""
    planner = widgets.TreatmentPlanner(site=site, size_cm=3.0)
    assert planner.metastases_removable.layout.display == "none"
    planner.staging.metastasis.value = True
    assert planner.metastases_removable.layout.display is None
    assert planner.plan.phases[0].phase.startswith("Systemic therapy")
    planner.metastases_removable.value = True
    assert "Surgery to remove the lung metastases" in [p.phase for p in planner.plan.phases]


def test_pathway_explorer_changes_with_histology():
    """Choosing myxoid liposarcoma adds bone and spine to the Sankey figure."""
    explorer = widgets.PathwayExplorer()
    assert "Bone and spine" not in explorer.result.nodes
    explorer.histology.value = "myxoid_liposarcoma"
    assert "Bone and spine" in explorer.result.nodes
    assert "Bone and spine" in explorer.figure.data[0].node.label


def test_table_explorer_filters_and_escapes():
    """Filters and search narrow the drug table; the count says how many rows show; text is escaped."""
    explorer = widgets.drug_explorer()
    explorer.filters["drug_class"].value = "PD-1"
    assert len(explorer.shown()) == 2 and "2 of 27" in explorer.count.value
    explorer.filters["drug_class"].value = "all"
    explorer.search.value = "synovial"
    assert explorer.shown().name.tolist() == ["afamitresgene autoleucel"]
    assert "HLA-A*02" in explorer.detail.value  # found in its details, which show for the one drug left
    assert "<script" not in explorer.table.value + explorer.detail.value


def test_risk_factor_explorer_genes():
    """Filtering to inherited syndromes lists six syndromes with their genes."""
    explorer = widgets.risk_factor_explorer()
    explorer.filters["kind"].value = "inherited syndrome"
    assert len(explorer.shown()) == 6 and "TP53" in explorer.table.value


class _FakeKernelShell:
    """Just enough of IPython's kernel shell for widgets: a kernel whose event loop takes callbacks."""

    def __init__(self) -> None:
        self.callbacks: list = []
        self.kernel = self
        self.io_loop = self

    def add_callback(self, callback) -> None:
        self.callbacks.append(callback)

    def finish_cell(self) -> None:
        """The cell has replied: the event loop runs what was handed to it."""
        callbacks, self.callbacks = self.callbacks, []
        for callback in callbacks:
            callback()


def test_in_a_kernel_the_first_figure_waits_for_the_cell_to_finish(monkeypatch):
    """The calculator appears first; its stage map is drawn after the cell, later changes at once."""
    import sarcoma_edu.widgets.base as base
    import sarcoma_edu.widgets.calculators as widgets_module

    shell = _FakeKernelShell()
    monkeypatch.setattr(base, "get_ipython", lambda: shell)
    monkeypatch.setattr(base, "_show", lambda output, figure: None)
    calculator = widgets_module.StagingCalculator(show_map=True)
    assert "Stage IIIA" in calculator.badge.value and calculator.figure is None
    shell.finish_cell()
    assert calculator.figure is not None and shell.callbacks == []
    drawn = calculator.figure
    calculator.size.value = 12.0
    assert calculator.figure is not drawn and "T3" in str(calculator.figure.layout.annotations)


def test_a_figure_that_fails_after_the_cell_says_so_in_the_widget(monkeypatch):
    """Drawn off the cell's run, a failing figure shows a message where it would be, not only in a log."""
    import sarcoma_edu.display.stage_map as stage_map
    import sarcoma_edu.widgets.base as base
    import sarcoma_edu.widgets.calculators as widgets_module

    def broken(_result):
        raise ValueError("no axes")

    shell = _FakeKernelShell()
    monkeypatch.setattr(base, "get_ipython", lambda: shell)
    monkeypatch.setattr(stage_map, "stage_map_figure", broken)
    calculator = widgets_module.StagingCalculator(show_map=True)
    shell.finish_cell()
    (shown,) = calculator.map_output.outputs
    assert "could not be drawn" in shown["text"] and "no axes" in shown["text"]
    assert "Stage IIIA" in calculator.badge.value


def test_staging_calculator_offers_extent_only_where_it_applies():
    """The extent input is hidden for limbs, offers invasion for the head and neck and extent for visceral organs."""
    calc = widgets.StagingCalculator()
    assert calc.extent.layout.display == "none" and calc.sites.layout.display == "none"
    calc.site.value = "head_and_neck"
    assert calc.extent.layout.display is None and calc.extent.description == "Invasion"
    calc.size.value = 1.5
    assert calc.result.t == "T1"
    calc.extent.value = "invades_adjoining_t4a"
    assert calc.result.t == "T4a"
    assert "No stage group" in calc.badge.value
    calc.site.value = "visceral"
    assert calc.extent.value == "" and calc.result.t == "TX"
    calc.extent.value = "multifocal"
    assert calc.sites.layout.display is None
    calc.sites.value = 4
    assert calc.result.t == "T4b"
    calc.site.value = "extremity"
    assert calc.extent.layout.display == "none" and calc.result.t == "T1"


def _number_boxes(widget) -> list:
    return [c for c in _inputs(widget) if isinstance(c, w.FloatText | w.IntText | w.BoundedIntText | w.Text)]


@pytest.mark.parametrize(
    "build", [widgets.StagingCalculator, widgets.FnclccCalculator, widgets.TreatmentPlanner], ids=lambda f: f.__name__
)
def test_every_number_box_updates_as_the_student_types(build):
    """Each number box sends every keystroke as typed text: the browser's number views drop a comma or a point."""
    boxes = _number_boxes(build())
    assert boxes
    for box in boxes:
        assert box.continuous_update is True, box.description
        # a FloatText's page view silently reads "12,5" as 12 and ignores "ten"; an IntText's deletes a typed
        # point ("12.5" becomes 125): the text view sends exactly what was typed, and the calculator reads it
        assert isinstance(box, widgets.NumberBox) and box._view_name == "TextView", box.description


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("ten", "'ten' is not a number"),
        ("12,5", "'12,5' has a comma: write a decimal with a point, e.g. 12.5"),
        ("3-4", "'3-4' is a range: type one number"),
        ("12 cm", "type the number alone, e.g. 12"),
        ("1e3", "'1e3' is not a number"),
        ("", "the box is empty"),
    ],
    ids=["a word", "a decimal comma", "a range", "a unit", "an exponent", "nothing"],
)
def test_a_size_that_is_not_a_plain_number_is_refused_visibly_and_never_reinterpreted(typed, says):
    """What is typed is read exactly: a word, a comma, a range or a unit is refused with a message naming the box."""
    calc = widgets.StagingCalculator("extremity", 12, "G3")
    calc.size.value = typed
    assert calc.size.value == typed  # kept as typed, never rewritten
    message = calc.message.value.replace("&#x27;", "'")
    assert 'role="alert"' in message and "Greatest size (cm): " in message and says in message
    assert calc.result.t == "T3" and "Stage IIIB" in calc.badge.value  # 12 cm, not 125 or 3
    assert "the last value accepted: Greatest size (cm) = 12." in message


def test_the_result_kept_after_a_refused_count_is_the_one_for_the_last_count_accepted():
    """Typing 12.5 mitoses key by key (1, 12, 12., 12.5): 12.5 is refused and the result shown is for 12 mitoses."""
    calc = widgets.FnclccCalculator(differentiation=2, mitoses=4, necrosis_pct=30)
    for typed in ("1", "12", "12.", "12.5"):
        calc.mitoses.value = typed
    assert "12.5 is not a whole number" in calc.message.value
    assert calc.result.mitosis_score == 2 and calc.result.total == 5  # the grade of 12 mitoses
    assert "the last value accepted: Mitoses per 10 high-power fields = 12." in calc.message.value


def test_mitoses_of_12_5_are_refused_and_not_graded_as_125_or_12():
    """12.5 typed as a mitosis count gives the friendly message; the shown grade is still that of the last count."""
    calc = widgets.FnclccCalculator(differentiation=2, mitoses=4, necrosis_pct=30)
    assert calc.result.mitosis_score == 1 and calc.result.total == 4
    calc.mitoses.value = 12.5
    assert calc.mitoses.value == "12.5"  # kept as typed, never rounded or truncated
    assert "Mitoses per 10 high-power fields = 12.5 is not a whole number" in calc.message.value
    assert 'role="alert"' in calc.message.value
    assert "still the one for the last value accepted: Mitoses per 10 high-power fields = 4." in calc.message.value
    assert calc.result.mitosis_score == 1 and calc.result.total == 4  # not 2 (from 12) nor 3 (from 125)
    calc.mitoses.value = 25
    assert calc.message.value == "" and calc.result.mitosis_score == 3


def test_a_fractional_number_of_sites_is_refused_not_rounded():
    """2.5 sites of a multifocal visceral tumour gives a message naming the value; the T category stays."""
    calc = widgets.StagingCalculator("visceral", 3.0, "G2")
    calc.extent.value = "multifocal"
    calc.sites.value = 4
    assert calc.result.t == "T4b"
    calc.sites.value = 2.5
    assert "sites=2.5" in calc.message.value and calc.result.t == "T4b"


class _FakeTypingShell:
    """A kernel shell whose event loop holds timed callbacks until the test says time has passed."""

    def __init__(self) -> None:
        self.timed: list = []
        self.kernel = self
        self.io_loop = self

    def add_callback(self, callback) -> None:
        callback()

    def call_later(self, delay, callback) -> None:
        self.timed.append((delay, callback))

    def pause(self) -> None:
        """The student stops typing: every waiting callback runs."""
        timed, self.timed = self.timed, []
        for _delay, callback in timed:
            callback()


def test_a_half_typed_size_is_not_reported_as_an_error(monkeypatch):
    """Typing 0.5 passes 0 on the way: no message while typing, the result follows 0.5, none after a pause."""
    import sarcoma_edu.widgets.base as base
    import sarcoma_edu.widgets.calculators as widgets_module

    shell = _FakeTypingShell()
    monkeypatch.setattr(base, "get_ipython", lambda: shell)
    monkeypatch.setattr(base, "_show", lambda output, figure: None)
    calc = widgets_module.StagingCalculator()
    calc.size.value = 0  # the first keystroke of 0.5
    assert calc.message.value == "" and calc.result.stage == "IIIA"
    calc.size.value = 0.5
    assert calc.result.t == "T1" and calc.result.stage == "II"
    shell.pause()
    assert calc.message.value == ""
    assert all(delay == widgets_module.MESSAGE_PAUSE_S for delay, _ in shell.timed)


def test_a_bad_value_left_in_the_box_is_reported_after_a_pause(monkeypatch):
    """A size of 0 that the student leaves shows the message once typing stops; the last result stays."""
    import sarcoma_edu.widgets.base as base
    import sarcoma_edu.widgets.calculators as widgets_module

    shell = _FakeTypingShell()
    monkeypatch.setattr(base, "get_ipython", lambda: shell)
    calc = widgets_module.FnclccCalculator()
    calc.necrosis.value = 150
    assert calc.message.value == ""
    shell.pause()
    assert "Tumour necrosis (%) = 150" in calc.message.value and calc.result.grade == 2


@pytest.mark.parametrize(
    ("site", "size"),
    [("head_and_neck", 3.0), ("visceral", 3.0), ("extremity", None)],
    ids=["head and neck", "visceral organ", "size unknown"],
)
def test_no_stage_group_is_said_in_words_never_as_none(site, size):
    """Where there is no stage group the calculator and planner say 'No stage group' and why, never 'None'."""
    planner = widgets.TreatmentPlanner(site, 3.0, "G2")
    calc = planner.staging
    if size is None:
        calc.size_unknown.value = True
    assert calc.result.stage is None
    assert "No stage group" in calc.badge.value and "no stage group" in calc.explanation.value.lower()
    why = "so none can be assigned while the size is unknown" if size is None else "but no stage groups"
    assert why in calc.explanation.value
    for shown in (calc.badge, calc.tnm, calc.explanation, planner.options_html, planner.plan_html):
        assert "None" not in shown.value, shown.value


def test_the_plan_is_a_numbered_list_right_under_the_choices():
    """The plan is HTML (a numbered list that wraps between words), placed between the choices and the figure."""
    planner = widgets.TreatmentPlanner()
    planner.chemotherapy.value = "before"
    value = planner.plan_html.value
    assert "<pre" not in value and "<ol>" in value and value.count("<li>") == len(planner.plan.phases)
    assert "word-break:normal" in value and "white-space:normal" in value
    children = list(planner.children)
    assert children.index(planner.plan_html) < children.index(planner.timeline_output)
    assert children.index(planner.plan_html) == children.index(next(c for c in children if isinstance(c, w.HBox))) + 2


def test_the_planner_timeline_with_chemotherapy_first_is_in_order():
    """With chemotherapy before surgery the figure's steps start one after another, not all at week 0."""
    planner = widgets.TreatmentPlanner()
    planner.radiation.value = "before"
    planner.chemotherapy.value = "before"
    starts = {}
    for trace in planner.figure.data:
        starts.setdefault(trace.y[0], trace.base[0] if trace.type == "bar" else trace.x[0])
    values = list(starts.values())
    assert len(values) == len(planner.plan.phases) and values == sorted(values) and values[1] > values[0]


def test_the_differentiation_choices_fit_their_box():
    """The FNCLCC differentiation dropdown is wide enough for its longest choice and its label."""
    calc = widgets.FnclccCalculator()
    longest = max(len(label) for label, _ in calc.differentiation.options) + len(calc.differentiation.description)
    width = calc.differentiation.layout.width
    assert width.endswith("em") and float(width[:-2]) >= 0.6 * longest
    assert calc.differentiation.layout.max_width == "100%"


def test_planner_never_assumes_a_stage_iv_patient_can_have_all_disease_removed():
    """With distant metastasis the planner shows systemic therapy until 'every metastasis can be removed' is ticked."""
    planner = widgets.TreatmentPlanner()
    assert planner.metastases_removable.layout.display == "none"
    planner.staging.metastasis.value = True
    assert planner.metastases_removable.layout.display is None
    assert planner.plan.phases[0].phase.startswith("Systemic therapy")
    planner.metastases_removable.value = True
    phases = [p.phase for p in planner.plan.phases]
    assert "Surgery to remove the lung metastases" in phases and phases[0] == "Surgery"


def test_the_message_timer_is_set_from_the_kernels_own_loop(monkeypatch):
    """The pause timer is set inside a loop callback: set from another thread it waited for the next message."""
    import sarcoma_edu.widgets.base as base
    import sarcoma_edu.widgets.calculators as widgets_module

    class Loop:
        def __init__(self) -> None:
            self.inside, self.timers = False, []

        def add_callback(self, callback) -> None:
            self.inside = True
            try:
                callback()
            finally:
                self.inside = False

        def call_later(self, delay, callback) -> None:
            assert self.inside, "call_later called from outside the loop"
            self.timers.append(callback)

    loop = Loop()
    shell = type("Shell", (), {"kernel": type("Kernel", (), {"io_loop": loop})()})()
    monkeypatch.setattr(base, "get_ipython", lambda: shell)
    calc = widgets_module.FnclccCalculator()
    calc.mitoses.value = 12.5
    assert calc.message.value == "" and len(loop.timers) == 1
    loop.timers[0]()
    assert "12.5 is not a whole number" in calc.message.value


def test_the_drug_catalog_shows_four_columns_and_the_rest_for_the_drug_chosen():
    """Each drug's class, US status and source show in columns; what it is for, how it is given, its side effects
    and its approval are written out only for the drug chosen in 'Details of the drug', among the drugs shown."""
    explorer = widgets.drug_explorer()
    heads = re.findall(r"<th scope='col'>([^<]*)</th>", explorer.table.value)
    assert heads == ["Name", "Drug class", "Status", "Source"]
    assert explorer.detail_choice.description == "Details of the drug"
    assert explorer.detail_choice.label == "(choose a drug)" and explorer.detail.value == ""  # details on demand
    explorer.detail_choice.value = "ifosfamide"
    detail = explorer.detail.value
    assert "<dt style='font-weight:bold'>Indication</dt>" in detail and ">Side effects</dt>" in detail
    assert "aria-label='Details of ifosfamide'" in detail and "off-label" in detail
    explorer.filters["drug_class"].value = "PD-1"
    offered = [label for label, _ in explorer.detail_choice.options]
    assert offered == ["(choose a drug)", "pembrolizumab", "nivolumab"]
    assert explorer.detail.value == ""  # ifosfamide is no longer shown
    explorer.detail_choice.value = "pembrolizumab"
    assert "Details of pembrolizumab" in explorer.detail.value
    explorer.filters["drug_class"].value = "all"
    assert "Details of pembrolizumab" in explorer.detail.value  # still shown, still chosen


def test_a_refused_value_brings_back_the_result_the_typing_last_paused_on(monkeypatch):
    """Typing 12,5 over a size of 12 quickly, the page may send only '1' and '12,5': once 12,5 is refused, the
    result is the 12 cm one again and the message names 12, not the 1 that passed on the way."""
    import sarcoma_edu.widgets.base as base
    import sarcoma_edu.widgets.planner as widgets_module

    shell = _FakeTypingShell()
    monkeypatch.setattr(base, "get_ipython", lambda: shell)
    monkeypatch.setattr(base, "_show", lambda output, figure: None)
    planner = widgets_module.TreatmentPlanner("extremity", 12.0, "G1")
    calc = planner.staging
    assert calc.result.stage == "IB"
    calc.size.value = "1"  # shown at once: T1, stage IA
    assert calc.result.stage == "IA" and "Radiation therapy after surgery" not in planner.plan_html.value
    calc.size.value = "12,5"
    shell.pause()
    message = calc.message.value.replace("&#x27;", "'")
    assert "'12,5' has a comma" in message and "the last value accepted: Greatest size (cm) = 12." in message
    assert calc.result.t == "T3" and "Stage IB" in calc.badge.value
    assert "Radiation therapy after surgery" in planner.plan_html.value  # the plan follows the stage brought back
    calc.size.value = "3"
    shell.pause()
    calc.size.value = "3x"
    shell.pause()
    assert calc.result.t == "T1" and "Greatest size (cm) = 3." in calc.message.value  # 3 was paused on: kept


def test_a_size_the_student_moved_on_from_is_kept_without_a_pause(monkeypatch):
    """Typing 12, then choosing a grade at once, then typing 0: the 0 is refused and the result kept is 12 cm's."""
    import sarcoma_edu.widgets.base as base
    import sarcoma_edu.widgets.calculators as widgets_module

    shell = _FakeTypingShell()
    monkeypatch.setattr(base, "get_ipython", lambda: shell)
    monkeypatch.setattr(base, "_show", lambda output, figure: None)
    calc = widgets_module.StagingCalculator()
    calc.size.value = "12"
    calc.grade.value = "G1"  # no pause: the student moved on from the size box
    calc.size.value = "0"
    shell.pause()
    assert "Stage IB" in calc.badge.value and "the last value accepted: Greatest size (cm) = 12." in calc.message.value


def test_a_column_the_drug_table_gains_shows_in_the_drugs_details(monkeypatch):
    """A column added to drugs.csv (a nurse's check, say) is written out in 'Details of the drug' without a code
    change, and the table keeps its four columns."""
    from sarcoma_edu.clinical import catalog
    from sarcoma_edu.widgets import drugs

    gained = catalog.load_drugs().assign(nurse_checks="urine for blood before each dose")
    monkeypatch.setattr(drugs, "load_drugs", lambda: gained)
    explorer = drugs.drug_explorer()
    explorer.detail_choice.value = "ifosfamide"
    assert ">Nurse checks</dt>" in explorer.detail.value and "urine for blood" in explorer.detail.value
    heads = re.findall(r"<th scope='col'>([^<]*)</th>", explorer.table.value)
    assert heads == ["Name", "Drug class", "Status", "Source"]


def test_a_long_table_scrolls_in_a_box_the_keyboard_reaches_and_a_short_one_does_not():
    """The 27 drugs scroll inside a named box that takes the keyboard focus (its arrow keys scroll it, not
    JupyterLab's cells); filtered down to two drugs the table is shown as it is."""
    explorer = widgets.drug_explorer()
    box = re.search(r"<div class='sarcoma-edu-explorer-rows'[^>]*>", explorer.table.value)
    assert box is not None
    assert "tabindex='0'" in box[0] and "role='region'" in box[0] and "data-lm-suppress-shortcuts='true'" in box[0]
    assert "aria-label='Drugs used in soft tissue sarcoma: 27 rows; scroll for more'" in box[0]
    explorer.filters["drug_class"].value = "PD-1"
    assert "sarcoma-edu-explorer-rows'" not in explorer.table.value and "pembrolizumab" in explorer.table.value
