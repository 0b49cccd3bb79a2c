"""Widgets driven from Python: set an input's value, read the result and the visible outputs."""

from __future__ import annotations

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
    assert "Greatest size (cm) = 0.0" in calc.message.value
    assert calc.result.stage == "IIIA" and "Stage IIIA" in calc.badge.value
    calc.size.value = 3
    assert calc.message.value == "" and calc.result.stage == "II"


def test_staging_calculator_size_unknown():
    """Ticking 'Size unknown' gives TX, disables the size box and says there is no stage group."""
    calc = widgets.StagingCalculator()
    calc.size_unknown.value = True
    assert calc.result.t == "TX" and calc.size.disabled
    assert "No stage group" in calc.badge.value


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
    planner.resectable.value = False
    assert planner.plan.phases[0].phase.startswith("High-dose radiation")
    assert planner.figure.layout.title.text


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
    assert "HLA-A*02" in explorer.table.value
    assert "<script" not in explorer.table.value


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
    import sarcoma_edu.widgets as widgets_module

    shell = _FakeKernelShell()
    monkeypatch.setattr(widgets_module, "get_ipython", lambda: shell)
    monkeypatch.setattr(widgets_module, "_show", lambda output, figure: None)
    calculator = widgets_module.StagingCalculator(show_map=True)
    assert "Stage IIIA" in calculator.badge.value and calculator.figure is None
    shell.finish_cell()
    assert calculator.figure is not None and shell.callbacks == []
    drawn = calculator.figure
    calculator.size.value = 12.0
    assert calculator.figure is not drawn and "T3" in str(calculator.figure.layout.annotations)


def test_a_figure_that_fails_after_the_cell_says_so_in_the_widget(monkeypatch):
    """Drawn off the cell's run, a failing figure shows a message where it would be, not only in a log."""
    import sarcoma_edu.plots as plots
    import sarcoma_edu.widgets as widgets_module

    def broken(_result):
        raise ValueError("no axes")

    shell = _FakeKernelShell()
    monkeypatch.setattr(widgets_module, "get_ipython", lambda: shell)
    monkeypatch.setattr(plots, "stage_map_figure", broken)
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
