"""The course's words in a figure's keyboard copy: what maidr reads out, taken from the figure itself.

maidr (:mod:`sarcoma_edu.display.explore`) describes a plotly figure as a schema of layers, one per trace,
each with its axes' labels and its values. :func:`course_words` changes that schema so that what a student
hears is what the figure shows:

- labels in plain words: no ``<br>`` read aloud, and the shared axis's title on every panel (maidr says "Y");
- a grid cell says its own words, as drawn in it (the stage group "IIIA", the total and grade "5 G2"), where
  maidr would say the number behind its colour ("Level is 5"). maidr reads a number per cell and nothing else;
  each cell gets its own number, the cell's value plus its place in millionths (so its tone and order are
  the value's), and a format that reads the cell's words for that number;
- a timeline (horizontal bars starting where the step before ends, a diamond for an event) becomes one lane
  per step, each interval read from its start to its end in weeks with its own words ("typical range"),
  where maidr would read each bar's length as if it started at zero. A step not drawn to scale (a length the
  reference does not give, and every step after it) is a lane without interval, named with its words, so
  no week is read for it. Its traces say what they stand for in their ``meta``
  (:mod:`sarcoma_edu.display.timeline`).

This module does not import plotly or maidr: it reads the figure object and the schema it is given.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from sarcoma_edu.display.figure_text import plain

__all__ = ["course_words", "drawn_direction", "spoken_cells"]

_SCALE = 1_000_000  # a grid cell's number is its value plus its place in millionths
_PLACES = 1000  # so a grid of up to 999 cells keeps each number within a thousandth of its value
_BLANK = -1.0  # the number a blank grid cell (no value drawn) is read at: below every value the course draws
_SUBPLOT = re.compile(r"\.subplot\.(x\d*)(y\d*)\b")


def course_words(schema: dict, figure: Any) -> dict:
    """The maidr schema of ``figure`` with the course's words (see the module's description); changed in place."""
    schema["title"] = plain(schema.get("title"))
    for row in schema.get("subplots", []):
        for cell in row:
            timeline = _timeline_layer(cell.get("layers", []), figure)
            if timeline is not None:
                cell["layers"] = [timeline]
            for layer in cell.get("layers", []):
                _plain_labels(layer, figure)
                if layer.get("type") == "heat":
                    _heat_words(layer, figure)
    return schema


def drawn_direction(figure: Any) -> Any:
    """Give each panel's axis that follows a shared one (``matches``) its direction too; returns the figure.

    maidr reads an axis's direction from its own layout, so a panel whose rows follow the first panel's
    reversed axis (the FNCLCC grids, the stage map: first row at the top) would be read bottom up while it is
    drawn top down, and its highlight would fall on another cell than the one read out.
    """
    for name in [key for key in figure.layout.to_plotly_json() if re.fullmatch(r"[xy]axis\d*", key)]:
        axis = figure.layout[name]
        if axis.matches and axis.autorange is None:
            shared = figure.layout[f"{axis.matches[0]}axis{axis.matches[1:]}"]
            if shared.autorange is not None:
                axis.autorange = shared.autorange
    return figure


def _axis_title(figure: Any, name: str) -> str:
    """An axis's title in plain words, or the first panel's where a shared axis has none (maidr says "X", "Y")."""
    for candidate in (name, name.rstrip("0123456789")):
        axis = getattr(figure.layout, candidate, None)
        title = plain(axis.title.text) if axis is not None and axis.title else ""
        if title:
            return title
    return ""


def _trace_of(layer: dict, figure: Any) -> Any | None:
    """The trace a maidr layer was read from: the heatmap on the subplot its selector names."""
    found = _SUBPLOT.search(str(layer.get("selectors", "")))
    if not found:
        return None
    x, y = found.groups()
    for trace in figure.data:
        if trace.type == "heatmap" and (trace.xaxis or "x", trace.yaxis or "y") == (x, y):
            return trace
    return None


def _plain_labels(layer: dict, figure: Any) -> None:
    layer["title"] = plain(layer.get("title"))
    found = _SUBPLOT.search(str(layer.get("selectors", "")))
    names = dict(zip("xy", found.groups(), strict=True)) if found else {"x": "x", "y": "y"}
    for key, axis in layer.get("axes", {}).items():
        letter = str(getattr(key, "value", key))  # maidr's keys are enums
        label = plain(axis.get("label"))
        if label in ("", "X", "Y") and letter in names:
            label = _axis_title(figure, f"{letter}axis{names[letter][1:]}") or label
        axis["label"] = label
    data = layer.get("data")
    if isinstance(data, dict):
        for key in ("x", "y"):
            if isinstance(data.get(key), list):
                data[key] = [plain(value) if isinstance(value, str) else value for value in data[key]]


def spoken_cells(trace: Any) -> dict[tuple[str, str], tuple[float | None, str]] | None:
    """Each cell of a heatmap by its (row, column) labels: its value (None for a cell left blank, such as a stage
    map cell with no stage group) and its own words; None without words.

    Labels must be unique for the cells to be found again in maidr's order of rows and columns.
    """
    if trace.text is None or trace.z is None:
        return None
    rows, columns = [plain(y) for y in trace.y], [plain(x) for x in trace.x]
    if len(set(rows)) != len(rows) or len(set(columns)) != len(columns):
        return None
    return {
        (row, column): (None if trace.z[i][j] is None else float(trace.z[i][j]), plain(trace.text[i][j]))
        for i, row in enumerate(rows)
        for j, column in enumerate(columns)
    }


def _heat_words(layer: dict, figure: Any) -> None:
    """Give each grid cell a number of its own and a format that says the cell's words for it."""
    trace = _trace_of(layer, figure)
    cells = spoken_cells(trace) if trace is not None else None
    data = layer.get("data", {})
    if not cells or len(cells) >= _PLACES:
        return
    words, points = {}, []
    for row, points_row in zip(data["y"], data["points"], strict=True):
        new_row = []
        for column, _value in zip(data["x"], points_row, strict=True):
            value, text = cells[(row, column)]
            # within a thousandth of the value: its tone is the value's; a blank cell sounds below every drawn value
            number = (_BLANK if value is None else value) + (len(words) + 1) / _SCALE
            words[math.floor(number * _SCALE + 0.5)] = text  # JavaScript's Math.round, as the format reads it
            new_row.append(number)
        points.append(new_row)
    data["points"] = points
    meta = trace.meta if isinstance(trace.meta, dict) else {}
    colorbar = plain(trace.colorbar.title.text) if trace.colorbar and trace.colorbar.title else ""
    axis = layer.setdefault("axes", {}).setdefault("z", {})
    axis["label"] = meta.get("spoken") or colorbar or axis.get("label") or "Value"
    lookup = f"var w={json.dumps(words)};var k=String(Math.round(value*{_SCALE}));return w[k]||value;"
    axis["format"] = {"function": lookup}


def _first_line(text: object) -> str:
    """A title's first line in plain words (a timeline's second line says where the weeks stop)."""
    return plain(re.split(r"<br\s*/?>", str(text or ""))[0])


def _timeline_layer(layers: list[dict], figure: Any) -> dict | None:
    """One maidr gantt layer for a timeline's steps, from the traces whose ``meta`` names a step."""
    spans = [trace.meta for trace in figure.data if isinstance(trace.meta, dict) and "step" in trace.meta]
    if not spans or not layers:
        return None
    lanes: dict[str, list[dict]] = {}
    names: dict[str, str] = {}
    for span in spans:
        lanes.setdefault(span["step"], [])
        names.setdefault(span["step"], span["step"])
        if span.get("start") is None or span.get("end") is None:
            # not in weeks (a length the reference does not give, or a step drawn after one): the step's own
            # words name its lane, which holds no interval, so no week or length is read out for it
            names[span["step"]] = f"{span['step']} ({span['words']})"
            continue
        interval = {"x": span["step"], "start": float(span["start"]), "end": float(span["end"])}
        if span.get("words"):
            interval["label"] = span["words"]
        lanes[span["step"]].append(interval)
    first = layers[0]
    return {
        "id": first.get("id", "timeline"),
        "type": "gantt",
        "title": plain(getattr(figure.layout.title, "text", "")),
        "orientation": "horz",
        "axes": {
            "x": {"label": _first_line(figure.layout.xaxis.title.text) or "Weeks"},
            "y": {"label": _axis_title(figure, "yaxis") or "Step"},
        },
        "data": {"points": list(lanes.values()), "lanes": list(names.values()), "unit": "weeks"},
    }
