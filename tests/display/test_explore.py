"""Figures a student can explore without sight: maidr's keyboard copy says the course's words and fetches nothing."""

from __future__ import annotations

import html
import json
import math
import re
import subprocess
import sys
from unittest import mock

import plotly.graph_objects as go
import pytest

from sarcoma_edu import fnclcc, plan_treatment, stage
from sarcoma_edu.display import explore
from sarcoma_edu.display.grade import fnclcc_figure
from sarcoma_edu.display.spoken import course_words, drawn_direction
from sarcoma_edu.display.stage_map import stage_map_figure
from sarcoma_edu.display.timeline import timeline_figure


def _schema(figure) -> dict:
    """What maidr would read from the figure, in the course's words."""
    explore._maidr()
    from maidr.plotly import PlotlyMaidr

    plain = drawn_direction(go.Figure(figure))
    return course_words(PlotlyMaidr(plain)._flatten_maidr(), plain)


def _layers(schema: dict) -> list[dict]:
    return [layer for row in schema["subplots"] for cell in row for layer in cell["layers"]]


def _heard(layer: dict) -> dict[tuple[str, str], str]:
    """Each grid cell's words as maidr says them: the cell's number read through the layer's z format."""
    words = json.loads(re.search(r"var w=(\{.*?\});", layer["axes"]["z"]["format"]["function"]).group(1))
    data = layer["data"]
    return {
        (row, column): words[str(math.floor(value * 1_000_000 + 0.5))]
        for row, values in zip(data["y"], data["points"], strict=True)
        for column, value in zip(data["x"], values, strict=True)
    }


def test_importing_the_toolkit_does_not_import_maidr():
    """`import sarcoma_edu` loads no maidr: it is imported when a figure is first explored."""
    code = "import sys, sarcoma_edu; print('maidr' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.strip() == "False"


def test_maidr_is_imported_offline_and_leaves_matplotlib_as_it_was():
    """maidr is told to use its bundled script, with no version look-up or locale address; matplotlib is as it was."""
    import matplotlib

    backend = matplotlib.get_backend()
    explore._maidr()
    for name, value in explore.MAIDR_SETTINGS.items():
        assert explore.os.environ[name] == value
    assert matplotlib.get_backend() == backend


def test_a_stage_map_cell_says_its_stage_group_not_a_colour_level():
    """On the stage map, the trunk and extremity cell T2 (> 5 cm, ≤ 10 cm) G3 N0 M0 says "IIIA" (AJCC8, via PDQ-HP)."""
    layers = _layers(_schema(stage_map_figure()))
    extremity = next(layer for layer in layers if layer["title"] == "Trunk and extremity")
    assert extremity["axes"]["z"]["label"] == "Stage group"
    heard = _heard(extremity)
    assert heard[("G3, N0 M0", "T2 > 5 ≤ 10")] == "IIIA"


def test_every_stage_map_cell_says_what_the_staging_rule_gives():
    """Every cell of both tables says the stage group stage() gives at a size inside its T category."""
    rows = {
        "G1 or GX, N0 M0": ("G1", False, False),
        "G2, N0 M0": ("G2", False, False),
        "G3, N0 M0": ("G3", False, False),
        "nodes (N1), M0": ("G3", True, False),
        "distant (M1)": ("G3", False, True),
    }
    sizes = {"T1": 3, "T2": 7, "T3": 12, "T4": 20, "TX": None}  # TX: the size is not known
    sites = {"Trunk and extremity": "extremity", "Retroperitoneum": "retroperitoneum"}
    for layer in _layers(_schema(stage_map_figure())):
        for (row, column), words in _heard(layer).items():
            grade, nodes, metastasis = rows[row]
            expected = stage(sites[layer["title"]], sizes[column.split()[0]], grade, nodes=nodes, metastasis=metastasis)
            # a cell with no stage group says "none", as drawn
            assert words == (expected.stage or "none"), (layer["title"], row, column)


def test_every_panel_names_its_axes_in_plain_words():
    """No label maidr reads is "X" or "Y" (a shared axis takes the first panel's title) or holds HTML."""
    for figure in (stage_map_figure(), fnclcc_figure()):
        for layer in _layers(_schema(figure)):
            labels = [axis["label"] for axis in layer["axes"].values()] + layer["data"]["x"] + layer["data"]["y"]
            assert not {"X", "Y"} & set(labels)
            assert not any("<" in str(label) for label in labels), labels


def test_an_fnclcc_cell_says_its_total_and_grade():
    """Each cell of the FNCLCC grids says the total and grade fnclcc() gives for its three scores."""
    necrosis = {"Necrosis score 0": 0, "Necrosis score 1": 30, "Necrosis score 2": 60}
    mitoses = {"1": 5, "2": 15, "3": 25}
    for layer in _layers(_schema(fnclcc_figure())):
        assert layer["axes"]["z"]["label"] == "Total score and grade"
        for (differentiation, mitosis), words in _heard(layer).items():
            result = fnclcc(int(differentiation), mitoses[mitosis], necrosis[layer["title"]])
            assert words == f"{result.total} G{result.grade}"


@pytest.mark.parametrize("build", [fnclcc_figure, stage_map_figure], ids=["FNCLCC grids", "stage map"])
def test_every_panel_is_read_in_the_order_it_is_drawn(build):
    """Each panel's rows are read top down as the first panel draws them, so the highlight is on the cell read."""
    orders = [layer["data"]["y"] for layer in _layers(_schema(build()))]
    assert all(order == orders[0] for order in orders), orders


def test_a_cells_number_keeps_its_value_for_the_tone():
    """A grid cell's number is within a thousandth above the value it draws, so its tone is the value's."""
    figure = fnclcc_figure()
    layer = _layers(_schema(figure))[0]
    trace = figure.data[0]
    drawn = {(y, x): trace.z[i][j] for i, y in enumerate(trace.y) for j, x in enumerate(trace.x)}
    for row, values in zip(layer["data"]["y"], layer["data"]["points"], strict=True):
        for column, value in zip(layer["data"]["x"], values, strict=True):
            assert 0 < value - drawn[(row, column)] < 0.001


def test_the_timeline_is_read_step_by_step_in_weeks():
    """Pre-operative radiation is read as one lane per step: radiation weeks 0-5, the wait 5-8 then its typical
    range to week 11, surgery at week 8; follow-up, whose length is not given, is named so and read in no week
    (PDQ-HP)."""
    plan = plan_treatment(stage("leg", 7, "high"), radiation="before")
    (layer,) = _layers(_schema(timeline_figure(plan)))
    assert layer["type"] == "gantt" and layer["axes"]["x"]["label"] == "Weeks from the start of treatment"
    names = [f"{number}. {phase.phase}" for number, phase in enumerate(plan.phases, start=1)]
    assert layer["data"]["lanes"] == [*names[:3], "4. Follow-up (length not given in the reference)"]
    spans = [[(i["start"], i["end"], i.get("label", "")) for i in lane] for lane in layer["data"]["points"]]
    assert spans == [
        [(0, 5, "")],
        [(5, 8, ""), (8, 11, "typical range to week 11")],
        [(8, 8, "a single event (up to week 11)")],
        [],
    ]


def test_steps_after_one_of_unknown_length_are_not_read_in_weeks():
    """After chemotherapy, whose length the reference does not give, no step is read in weeks (not to scale):
    each is named with its own words."""
    plan = plan_treatment(stage("leg", 7, "high", metastasis=True), resectable=True)
    (layer,) = _layers(_schema(timeline_figure(plan)))
    lanes = list(zip(layer["data"]["lanes"], layer["data"]["points"], strict=True))
    unknown = next(k for k, (name, _) in enumerate(lanes) if "length not given in the reference" in name)
    assert unknown < len(lanes) - 1
    for name, intervals in lanes[unknown:]:
        assert intervals == [] and name.endswith(")"), name
    assert all(isinstance(i["start"], float) and not math.isnan(i["start"]) for _, lane in lanes for i in lane)


@pytest.fixture
def in_a_kernel():
    """maidr draws its chart frame only where it finds a notebook kernel."""
    explore._maidr()
    with mock.patch("maidr.util.environment.Environment.is_notebook", return_value=True):
        yield


@pytest.mark.parametrize("build", [fnclcc_figure, stage_map_figure], ids=["FNCLCC grid", "stage map"])
def test_the_chart_frame_fetches_nothing_from_the_internet(in_a_kernel, build):
    """The chart's frame reads plotly.js from the page instead of the plotly CDN and names no outside address."""
    frame = explore.chart_frame(build())
    document = html.unescape(re.search(r'srcdoc="([^"]*)"', frame).group(1))
    assert "cdn.plot.ly" not in document and "jsdelivr" not in document
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?(?:https?:)?//", document)
    assert "window.parent.__plotlyJsSource" in document and "window.parent.__maidrJsSource" in document


def test_a_frame_the_course_cannot_keep_offline_is_refused_with_its_reason():
    """A frame that loads plotly.js some other way is refused, never shown half offline."""
    with pytest.raises(explore.ExploreError, match=r"plotly\.js"):
        explore._offline('<iframe srcdoc="&lt;script src=&quot;https://cdn.example/plotly.js&quot;&gt;"></iframe>')


def test_a_figure_maidr_cannot_read_says_so_and_keeps_its_table(in_a_kernel):
    """A 3-D surface gets a sentence naming its kind and pointing to its data table, not a keyboard copy."""
    figure = go.Figure(go.Surface(z=[[1, 2], [3, 4]]), layout={"title": {"text": "A surface"}})
    (record,) = explore.explore_outputs(figure)
    text = record["data"]["text/html"]
    assert "cannot be explored by keyboard" in text and "surface" in text and "table above" in text


def test_outside_a_kernel_there_is_no_copy_and_it_says_why():
    """Outside a Jupyter kernel the figure says it is explorable inside one only (no traceback)."""
    (record,) = explore.explore_outputs(fnclcc_figure())
    assert "inside a Jupyter kernel" in record["data"]["text/html"]


class _Place:
    """Stands for the calculator's output widget."""


def test_a_redrawn_copy_brings_the_scripts_only_the_first_time(in_a_kernel):
    """The staging calculator's first stage map brings the page the scripts' view; its redraws bring the copy only."""
    place = _Place()
    first = explore.explore_outputs(stage_map_figure(), place)
    again = explore.explore_outputs(stage_map_figure(stage("leg", 12, "low")), place)
    view = "application/vnd.jupyter.widget-view+json"
    assert [view in record["data"] for record in first] == [True, False]
    assert [view in record["data"] for record in again] == [False]
    assert "Explore the figure by keyboard" in again[0]["data"]["text/html"]
    alone = explore.explore_outputs(fnclcc_figure())  # a figure shown once (a lesson's reveal) always brings it
    assert [view in record["data"] for record in alone] == [True, False]


class _Loop:
    """A kernel's event loop that runs its callbacks when told to."""

    def __init__(self) -> None:
        self.callbacks: list = []

    def add_callback(self, callback) -> None:
        self.callbacks.append(callback)


def test_the_copy_comes_after_the_figure_and_never_onto_a_newer_one(in_a_kernel, monkeypatch):
    """In a kernel the figure, its text and an empty holder show at once and the copy fills the holder on the event
    loop; a figure redrawn meanwhile closes the old holder, which is never filled."""
    loop = _Loop()
    shell = type("Shell", (), {"kernel": type("Kernel", (), {"io_loop": loop})()})()
    monkeypatch.setattr("IPython.get_ipython", lambda: shell)
    shown = explore.explorable(fnclcc_figure())
    assert len(shown.outputs) == 3 and len(loop.callbacks) == 1
    holder_id = shown.outputs[2]["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]
    (holder,) = [w for w in _widgets() if w.model_id == holder_id]
    assert holder.outputs == ()
    loop.callbacks.pop()()
    assert "Explore the figure by keyboard" in holder.outputs[-1]["data"]["text/html"]
    place = _Place()
    explore.copy_record(stage_map_figure(), place)
    first = explore._HOLDERS[place]
    explore.copy_record(stage_map_figure(stage("leg", 12, "low")), place)
    second = explore._HOLDERS[place]
    for callback in loop.callbacks:
        callback()
    assert first.comm is None and first.outputs == ()
    assert "Explore the figure by keyboard" in second.outputs[-1]["data"]["text/html"]


def _widgets() -> list:
    """Every live widget of this process (ipywidgets' own registry)."""
    from ipywidgets.widgets.widget import _instances

    return list(_instances.values())
