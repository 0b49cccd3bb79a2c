"""Figure builders: titles, axis titles, text labels, the patient marker, and numbers from the library."""

from __future__ import annotations

import itertools
import math

import pytest

from sarcoma_edu import pathway, plan_treatment, stage
from sarcoma_edu.clinical.cohort import load_cohort
from sarcoma_edu.display.figure import OKABE_ITO
from sarcoma_edu.display.grade import fnclcc_figure
from sarcoma_edu.display.pathways import pathway_figure
from sarcoma_edu.display.population import site_distribution_figure, survival_figure
from sarcoma_edu.display.progress_chart import progress_figure
from sarcoma_edu.display.stage_map import stage_map_figure
from sarcoma_edu.display.timeline import timeline_figure


def _titled(fig) -> None:
    assert fig.layout.title.text
    assert fig.layout.font.size >= 14


def test_stage_map_cells_come_from_stage():
    """Each cell's text is the stage() result for that size band, grade and spread, on both sites."""
    fig = stage_map_figure()
    _titled(fig)
    limb, retro = fig.data[0], fig.data[1]
    assert [row[1] for row in limb.text] == ["IB", "IIIA", "IIIA", "IV", "IV"]
    assert [row[1] for row in retro.text] == ["IB", "IIIA", "IIIA", "IIIB", "IV"]
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text


def test_stage_map_marks_the_patient():
    """A staged patient is marked with a ring and the words 'this patient' in the right panel and cell."""
    fig = stage_map_figure(stage("retroperitoneum", 12, 2, nodes=True))
    (marker,) = [trace for trace in fig.data if trace.type == "scatter"]
    assert marker.type == "scatter" and marker.xaxis == "x2"
    assert marker.y == ("nodes (N1), M0",) and marker.x[0].startswith("T3")
    assert any(a.text == "this patient" for a in fig.layout.annotations)


def test_stage_map_has_a_column_for_an_unknown_size():
    """The last column is TX: stage I for G1 or GX, no stage group ('none', left blank) for G2 and G3, IV or IIIB."""
    fig = stage_map_figure()
    limb, retro = fig.data[0], fig.data[1]
    assert limb.x[-1].startswith("TX") and "unknown" in limb.x[-1]
    assert [row[-1] for row in limb.text] == ["I", "none", "none", "IV", "IV"]
    assert [row[-1] for row in retro.text] == ["I", "none", "none", "IIIB", "IV"]
    assert limb.z[1][-1] is None and limb.z[0][0] < limb.z[0][-1] < limb.z[0][1]  # I between IA and IB


@pytest.mark.parametrize(("grade", "row", "text"), [("low", "G1 or GX, N0 M0", "I"), ("G3", "G3, N0 M0", "none")])
def test_stage_map_marks_a_patient_of_unknown_size_in_the_tx_column(grade, row, text):
    """A trunk tumour of unknown size is ringed in the TX column, whether it is stage I or has no stage group."""
    fig = stage_map_figure(stage("trunk", None, grade))
    (marker,) = [trace for trace in fig.data if trace.type == "scatter"]
    assert marker.xaxis == "x" and marker.x[0].startswith("TX") and marker.y == (row,)
    cell = fig.data[0].text[list(fig.data[0].y).index(row)][-1]
    assert cell == text and "no stage group" not in fig.layout.title.text


def test_stage_map_says_when_patient_cannot_be_marked():
    """A patient with no stage group is not marked and the title says why."""
    fig = stage_map_figure(stage("head_and_neck", 3, 2))
    assert len(fig.data) == 2
    assert "no stage group" in fig.layout.title.text


def test_fnclcc_figure_cells_match_fnclcc():
    """The FNCLCC grid shows total and grade: differentiation 3, mitosis 3, necrosis 2 is 8 -> G3."""
    fig = fnclcc_figure()
    _titled(fig)
    assert fig.data[2].text[2][2] == "8<br>G3"  # total, then grade, on two short lines
    assert fig.data[0].text[0][0] == "2<br>G1"
    assert list(fig.data[0].x) == ["1", "2", "3"] and fig.layout.xaxis.title.text == "Mitosis score"


def test_pathway_figure_links_and_key():
    """The Sankey carries every link with its hover text and a key that explains colours in words."""
    path = pathway("trunk", "clear_cell_sarcoma", nodes=True)
    fig = pathway_figure(path)
    _titled(fig)
    assert len(fig.data[0].link.value) == len(path.links)
    assert any("Found in this patient" in text for text in fig.data[0].link.customdata)
    assert "orange = spread found in this patient" in fig.layout.annotations[0].text


def test_timeline_bars_use_plan_weeks():
    """Radiation before surgery is a bar from week 0 to 5; the 3-6 week gap shows its typical range."""
    fig = timeline_figure(plan_treatment(stage("leg", 7, 3), radiation="before"))
    _titled(fig)
    bars = [t for t in fig.data if t.type == "bar"]
    assert (bars[0].base[0], bars[0].x[0]) == (0, 5)
    assert any(b.text[0] == "typical range" and b.base[0] == 8 and b.x[0] == 3 for b in bars)
    assert fig.layout.xaxis.title.text == "Weeks from the start of treatment"


def test_timeline_marks_unknown_lengths():
    """Phases whose length the reference does not give are drawn as steps labelled so."""
    fig = timeline_figure(plan_treatment("II", radiation="after"))
    texts = [a.text for a in fig.layout.annotations]
    assert texts.count("length not given in the reference") == 2  # radiation after surgery, follow-up


def test_survival_figure_labels_real_and_synthetic():
    """SEER bars show 81/56/15% and a synthetic cohort panel is labelled as not real patients."""
    cohort = load_cohort()
    share = cohort.metastasis.map({True: "distant", False: "localized"}).value_counts(normalize=True) * 100
    fig = survival_figure(share)
    _titled(fig)
    assert list(fig.data[0].y) == [81, 56, 15]
    titles = [a.text.replace("<br>", " ") for a in fig.layout.annotations]  # each panel's title is on two lines
    assert any("Real population figures" in t for t in titles)
    assert any("Synthetic teaching cohort (not real patients)" in t for t in titles)


def test_site_distribution_is_approximate():
    """The site figure shows about 45% extremity, labelled approximate."""
    fig = site_distribution_figure()
    assert "about 45%" in fig.data[0].text
    assert "approximate" in fig.layout.xaxis.title.text


@pytest.mark.parametrize("colour", list(OKABE_ITO.values()))
def test_palette_is_hex(colour):
    """The palette holds plain hex colours (Okabe-Ito)."""
    assert colour.startswith("#") and len(colour) == 7 and not math.isnan(int(colour[1:], 16))


def test_figure_bundle_is_plotly_mimetype():
    """A figure displays as the offline plotly mimetype bundle with its data, layout and a text fallback."""
    bundle = site_distribution_figure()._repr_mimebundle_()
    spec = bundle["application/vnd.plotly.v1+json"]
    assert spec["data"][0]["type"] == "bar" and spec["layout"]["title"]["text"]
    assert bundle["text/plain"].startswith("Figure: Where adult soft tissue sarcomas start")


def test_displaying_a_figure_avoids_the_slow_renderer_import():
    """Showing a figure in IPython does not import plotly's renderer module (and its ~9 s grammar compile)."""
    code = (
        "import sys; from IPython.core.interactiveshell import InteractiveShell; shell = InteractiveShell.instance();"
        "from sarcoma_edu.display.stage_map import stage_map_figure; from IPython.display import display;"
        "display(stage_map_figure());"
        "print(sorted(m for m in ('plotly.io._renderers', 'rfc3987_syntax', 'nbformat') if m in sys.modules))"
    )
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert done.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("histology", ["clear_cell_sarcoma", "epithelioid_sarcoma", "angiosarcoma", "synovial_sarcoma"])
def test_in_the_pathway_figure_for_a_scare_subtype_the_lung_band_is_wider_than_the_lymph_node_band(histology):
    """The Sankey draws nodal spread narrower than lung metastasis, and its key says what local recurrence means."""
    path = pathway("extremity", histology, nodes=True)
    fig = pathway_figure(path)
    names = list(path.nodes)
    values = {names[t]: v for t, v in zip(fig.data[0].link.target, fig.data[0].link.value, strict=True)}
    assert values["Lymph nodes"] < values["Lung"]
    key = fig.layout.annotations[0].text
    assert "comes back at the primary site" in key and "no distant band is wider than the lung" in key


def _steps(fig) -> list[tuple[float, float]]:
    """(start, end of the solid or unknown-length part) of each step, in the plan's order."""
    steps: dict[str, tuple[float, float]] = {}
    for trace in fig.data:
        if trace.type == "bar":
            steps.setdefault(trace.y[0], (trace.base[0], trace.base[0] + trace.x[0]))
        else:
            steps.setdefault(trace.y[0], (trace.x[0], trace.x[0]))
    return list(steps.values())


def _notes(fig) -> dict[str, str]:
    return {a.y: a.text for a in fig.layout.annotations}


ORDERED_PLANS = {
    "chemotherapy and radiation before surgery": dict(radiation="before", chemotherapy="before"),
    "chemotherapy before surgery, radiation after": dict(radiation="after", chemotherapy="before"),
    "chemotherapy and radiation after surgery": dict(radiation="after", chemotherapy="after"),
    "a tumour that cannot be removed": dict(radiation="before", chemotherapy="before", resectable=False),
}


@pytest.mark.parametrize("choices", ORDERED_PLANS.values(), ids=ORDERED_PLANS.keys())
def test_each_step_of_the_timeline_starts_after_the_one_before(choices):
    """Every step starts where the one before ends (or later), so no two steps start together at week 0."""
    plan = plan_treatment(stage("leg", 7, "high"), **choices)
    steps = _steps(timeline_figure(plan))
    assert len(steps) == len(plan.phases)
    for (start, end), (next_start, _next_end) in itertools.pairwise(steps):
        assert next_start >= end
        assert next_start > start or end == start  # only a single event (surgery) shares its week


@pytest.mark.parametrize("resectable", [False, True], ids=["stage IV, not removable", "stage IV, all removable"])
def test_the_stage_iv_timeline_is_in_order(resectable):
    """For stage IV the systemic therapy, radiation, surgery of metastases and follow-up follow one another."""
    plan = plan_treatment(
        stage("leg", 7, "high", metastasis=True), radiation="before", chemotherapy="before", resectable=resectable
    )
    starts = [start for start, _ in _steps(timeline_figure(plan))]
    assert starts == sorted(starts) and len(set(starts)) >= len(starts) - 1 and starts[-1] > starts[0]


def test_a_step_of_unknown_length_is_labelled_and_the_known_length_after_it_kept():
    """Chemotherapy first has no length in the reference (so no cycles are drawn); radiation after it is 5 weeks."""
    plan = plan_treatment(stage("leg", 7, "high"), radiation="before", chemotherapy="before")
    fig = timeline_figure(plan)
    notes = _notes(fig)
    assert notes["1. Chemotherapy before surgery"] == "length not given in the reference"
    assert notes["2. Radiation therapy before surgery"] == "about 5 weeks"
    assert notes["3. Recovery before surgery"] == "about 3 weeks, typical range to 6 weeks"
    (chemo, radiation, *_rest) = _steps(fig)
    assert radiation == (chemo[1], chemo[1] + 5)
    assert "cycle" not in " ".join(notes.values())
    assert "in order, not to scale" in fig.layout.xaxis.title.text
    radiation_bar = next(t for t in fig.data if t.y[0].startswith("2."))
    assert "Source: PDQ-HP (2025-02-21)" in radiation_bar.hovertemplate


def test_with_all_lengths_known_the_axis_is_weeks():
    """Radiation before surgery, the wait and surgery are at weeks 0-5, 5-8 (to 11) and 8: the axis is weeks."""
    fig = timeline_figure(plan_treatment(stage("leg", 7, 3), radiation="before"))
    assert _steps(fig)[:3] == [(0, 5), (5, 8), (8, 8)]
    assert _notes(fig)["3. Surgery"] == "week 8 (up to week 11)"
    assert fig.layout.xaxis.title.text == "Weeks from the start of treatment"


def _lines(text: str) -> list[str]:
    import re

    return [re.sub(r"<[^>]+>", "", line) for line in text.replace("<extra></extra>", "").split("<br>")]


def test_the_sankey_hover_text_is_wrapped():
    """No line of a Sankey band's hover text is longer than about 70 characters."""
    fig = pathway_figure(pathway("retroperitoneum", "myxoid_liposarcoma", nodes=True, metastasis=True))
    lines = [line for text in fig.data[0].link.customdata for line in _lines(text)]
    assert lines and max(map(len, lines)) <= 70, max(lines, key=len)


def test_the_timeline_hover_text_is_wrapped():
    """No line of a timeline step's hover text is longer than about 70 characters."""
    fig = timeline_figure(plan_treatment(stage("leg", 7, 3), radiation="before", chemotherapy="before"))
    lines = [line for trace in fig.data for line in _lines(trace.hovertemplate)]
    assert max(map(len, lines)) <= 70, max(lines, key=len)


def test_the_stage_map_title_for_a_head_and_neck_patient_fits():
    """For a patient with no stage group the stage map says so on a second, shorter title line."""
    fig = stage_map_figure(stage("head_and_neck", 3, "G2"))
    lines = _lines(fig.layout.title.text)
    assert len(lines) == 2 and "no stage group" in lines[1] and max(map(len, lines)) <= 60
    assert "None" not in fig.layout.title.text


def test_the_progress_labels_are_never_clipped():
    """The 'attempted' and 'right' labels beside the bars are drawn even past the axis end."""
    import pandas as pd

    summary = pd.DataFrame({"topic": ["staging", "grade"], "attempts": [12, 3], "correct": [9, 1]})
    fig = progress_figure(summary)
    bars = [t for t in fig.data if t.type == "bar" and t.name in ("Attempted", "Right")]
    assert len(bars) == 2 and all(b.cliponaxis is False and b.textposition == "outside" for b in bars)
    assert bars[0].text[0] == "attempted 12"
