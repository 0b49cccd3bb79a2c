"""Figures for every reader: each lesson figure has a name, a description and its data in words; colour never alone."""

from __future__ import annotations

from html import escape

import pandas as pd
import pytest

from sarcoma_edu import pathway, plan_treatment, stage, widgets
from sarcoma_edu.clinical.cohort import load_cohort, seer_stage_share
from sarcoma_edu.display import explore
from sarcoma_edu.display.figure_text import alternative_bundle, alternative_html, description, figure_name, figure_table
from sarcoma_edu.display.grade import fnclcc_figure
from sarcoma_edu.display.pathways import pathway_figure
from sarcoma_edu.display.population import site_distribution_figure, survival_figure
from sarcoma_edu.display.progress_chart import progress_figure
from sarcoma_edu.display.stage_map import stage_map_figure
from sarcoma_edu.display.timeline import timeline_figure

SUMMARY = pd.DataFrame({"topic": ["staging", "grade"], "attempts": [4, 2], "correct": [3, 1]})
BUILDERS = {
    "where sarcomas start": lambda: site_distribution_figure(),
    "FNCLCC grid": lambda: fnclcc_figure(),
    "stage map with a patient": lambda: stage_map_figure(stage("leg", 12, "low")),
    "stage map without a patient": lambda: stage_map_figure(),
    "spread pathway": lambda: pathway_figure(pathway("leg", "synovial sarcoma", nodes=True)),
    "treatment timeline": lambda: timeline_figure(plan_treatment(stage("leg", 7, "high"), radiation="before")),
    "survival and cohort": lambda: survival_figure(seer_stage_share(load_cohort())),
    "quiz progress": lambda: progress_figure(SUMMARY),
    "quiz progress before any answer": lambda: progress_figure(SUMMARY.iloc[0:0]),
}


@pytest.mark.parametrize("build", BUILDERS.values(), ids=BUILDERS.keys())
def test_every_figure_has_a_name_a_description_and_its_data_as_a_table(build):
    """Each lesson figure is named by its title, described in words and has a table of its data with worded headers."""
    figure = build()
    assert figure_name(figure).startswith("Figure: ") and len(figure_name(figure)) > len("Figure: ") + 5
    assert len(description(figure)) > 20
    table = figure_table(figure)
    assert len(table) >= 1 and all(str(column).strip() for column in table.columns)
    html = alternative_html(figure)
    assert 'role="group"' in html and f'aria-label="{escape(figure_name(figure))}"' in html
    key = html.split('aria-describedby="')[1].split('"')[0]
    assert f'<p id="{key}"' in html and "<details><summary>The figure's data as a table</summary>" in html
    assert "<table" in html.split("<details>")[1]
    assert "…" not in html and "<br>" not in html


def test_the_stage_map_says_where_this_patient_is_in_words():
    """The stage map's description names the patient's categories, the table and the stage (T3 G1 N0 M0, stage IB)."""
    sentence = description(stage_map_figure(stage("leg", 12, "low")))
    assert sentence.startswith("This patient: T3 G1 N0 M0 on the trunk and extremity table, stage IB.")
    no_group = description(stage_map_figure(stage("head_and_neck", 3, "low")))
    assert no_group.startswith("This patient: T2 G1 N0 M0, no stage group, not marked on the tables.")


def test_the_stage_map_says_why_a_tumour_of_unknown_size_is_stage_i_or_has_no_group():
    """For a TX patient the stage map's description names the column and gives the rule's own reason."""
    stage_i = description(stage_map_figure(stage("retroperitoneum", None, "GX")))
    assert stage_i.startswith(
        "This patient: TX GX N0 M0 on the retroperitoneum table, in the column for an unknown size, stage I. "
        "Stage I: size unknown (TX)"
    )
    assert "IA or IB: the size decides" in stage_i
    none = description(stage_map_figure(stage("leg", None, "G2")))
    assert "in the column for an unknown size, no stage group. No stage group:" in none
    assert "the size decides between stage II, IIIA and IIIB" in none


def test_the_timeline_lists_its_steps_in_order_in_words():
    """The timeline's description lists the plan's steps in their order, with their lengths in words."""
    plan = plan_treatment(stage("leg", 7, "high"), radiation="before")
    sentence = description(timeline_figure(plan))
    positions = [sentence.index(f"{number}. {phase.phase}") for number, phase in enumerate(plan.phases, start=1)]
    assert positions == sorted(positions) and "weeks 0-5" in sentence


def test_the_description_follows_the_calculator(monkeypatch):
    """Changing the staging calculator redraws its figure with a new description, shown beside the figure."""

    class Shell:
        kernel = None

    monkeypatch.setattr("sarcoma_edu.widgets.base.get_ipython", lambda: Shell())
    calc = widgets.StagingCalculator(show_map=True)
    calc.size.value = 12
    calc.grade.value = "G1"
    figure_output, text_output, keyboard_copy = calc.map_output.outputs  # the copy follows (display.explore)
    assert "application/vnd.plotly.v1+json" in figure_output["data"]
    (why,) = explore._HOLDERS[calc.map_output].outputs  # outside a real kernel: the sentence saying why there is none
    assert explore._HOLDERS[calc.map_output].model_id in str(keyboard_copy["data"])
    assert "inside a Jupyter kernel" in why["data"]["text/plain"]
    assert "stage IB." in text_output["data"]["text/html"] and "T3 G1 N0 M0" in text_output["data"]["text/plain"]
    calc.size.value = 20
    assert "T4 G1 N0 M0" in calc.map_output.outputs[1]["data"]["text/html"]


def test_a_figure_shown_in_a_cell_is_followed_by_its_text_alternative(monkeypatch):
    """Displaying a figure in a lesson cell shows the figure, then its name, description and data."""
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda bundle, raw=False: shown.append(bundle))
    figure = site_distribution_figure()
    figure._ipython_display_()
    assert "application/vnd.plotly.v1+json" in shown[0]
    assert shown[1] == {**shown[1], "text/plain": alternative_bundle(figure)["text/plain"]}
    assert "Extremity (arm or leg) about 45%" in shown[1]["text/plain"]


@pytest.mark.parametrize("build", BUILDERS.values(), ids=BUILDERS.keys())
def test_colour_is_never_the_only_carrier_of_meaning(build):
    """Every bar, grid cell, flow band and marker of every lesson figure carries words, not only a colour."""
    figure = build()
    for trace in figure.data:
        if trace.type == "heatmap":
            assert all(str(cell).strip() for row in trace.text for cell in row), "a grid cell without words"
        elif trace.type == "bar":
            assert (trace.text is not None and all(str(t).strip() for t in trace.text)) or trace.name
        elif trace.type == "sankey":
            assert all(str(label).strip() for label in trace.link.customdata)
            assert any("Key:" in str(note.text) for note in figure.layout.annotations), "a Sankey without a key"
        elif trace.type == "scatter":
            words = [str(t) for t in (trace.text or [])] + [str(note.text) for note in figure.layout.annotations]
            assert any(w.strip() for w in words) or trace.name, "a marker without words"


def test_the_stage_map_description_keeps_the_capital_t_of_its_axis_title():
    """In the stage map's sentence the axis titles begin small but keep "T" as written: "(T, greatest dimension)"."""
    words = description(stage_map_figure())
    assert "columns (tumour size in cm (T, greatest dimension))" in words and "rows (grade and spread)" in words
