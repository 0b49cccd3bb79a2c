"""Text alternatives for the lessons' figures: a name, a short description and the data as a table.

A plotly figure says nothing to a screen reader, and colour must never carry meaning alone. Every
figure the lessons show is therefore followed by a region (``role="group"``) whose accessible name is
the figure's title (``"Figure: ..."``) and whose description (``aria-describedby``, a visible
paragraph) says what it shows, with the figure's own data as a table under a ``<details>`` ("The
figure's data as a table"). The table is read from the figure's traces, so it cannot disagree with
what is drawn; a builder may add a sentence of its own (:func:`describe`), such as the stage map's
"This patient: T3 G1 N0 M0 on the trunk and extremity table, stage IB".

This module does not import plotly: it reads the figure object it is given.
"""

from __future__ import annotations

import html
import re
import uuid
from typing import Any

import pandas as pd

from sarcoma_edu.display.presentation import table_html

__all__ = ["alternative_bundle", "alternative_html", "describe", "description", "figure_name", "figure_table", "plain"]

_TAG = re.compile(r"<[^>]+>")


def plain(text: object) -> str:
    """Figure text without its HTML: line breaks become spaces, tags go, entities are read."""
    words = re.sub(r"<br\s*/?>", " ", str(text or ""))
    return " ".join(html.unescape(_TAG.sub("", words)).split())


def describe(figure: Any, sentence: str) -> Any:
    """Give a figure the builder's own description (what it shows, in words); returns the figure."""
    figure._description = sentence
    return figure


def figure_name(figure: Any) -> str:
    """The figure's accessible name: ``"Figure: "`` and its title in plain words."""
    title = plain(figure.layout.title.text) or "plotly figure"
    return f"Figure: {title}"


def _panels(figure: Any) -> list[str]:
    """The subplot titles, in panel order (the annotations make_subplots puts above each panel)."""
    return [
        plain(a.text)
        for a in figure.layout.annotations
        if a.xref == "paper" and a.yref == "paper" and a.yanchor == "bottom" and a.showarrow is False
    ]


def _panel(figure: Any, trace: Any, panels: list[str]) -> str:
    axis = getattr(trace, "xaxis", None) or "x"
    number = int(axis[1:] or 1)
    return panels[number - 1] if number <= len(panels) else (f"Panel {number}" if panels else "")


def _axis_title(figure: Any, trace: Any, letter: str, fallback: str) -> str:
    axis = getattr(trace, f"{letter}axis", None) or letter
    name = f"{letter}axis{axis[1:]}"
    titles = []
    for candidate in (name, f"{letter}axis"):  # a shared axis names only the first panel's
        layout_axis = getattr(figure.layout, candidate, None)
        titles.append(plain(layout_axis.title.text) if layout_axis is not None and layout_axis.title else "")
    return next((title for title in titles if title), fallback)


def _values(values: object, count: int) -> list[object]:
    if values is None:
        return [""] * count
    if isinstance(values, str):
        return [values] * count
    return list(values)


def _trace_rows(figure: Any, trace: Any, panels: list[str]) -> list[dict[str, object]]:
    kind = trace.type
    panel = _panel(figure, trace, panels)
    rows: list[dict[str, object]] = []
    if kind == "bar":
        horizontal = trace.orientation == "h"
        labels, values = (trace.y, trace.x) if horizontal else (trace.x, trace.y)
        labels, values = list(labels if labels is not None else []), list(values if values is not None else [])
        texts = _values(trace.text, len(labels))
        starts = _values(trace.base, len(labels)) if trace.base is not None else None
        label_name = _axis_title(figure, trace, "y" if horizontal else "x", "Item")
        value_name = _axis_title(figure, trace, "x" if horizontal else "y", "Value")
        for k, label in enumerate(labels):
            row: dict[str, object] = {"Item": plain(label) or label_name, "Shown as": plain(texts[k])}
            if starts is not None:
                row["Starts at"] = starts[k]
            row[value_name] = values[k] if k < len(values) else ""
            rows.append(row)
    elif kind == "heatmap":
        ys, xs = list(trace.y), list(trace.x)
        text = trace.text if trace.text is not None else trace.z
        row_name = _axis_title(figure, trace, "y", "Row")
        column_name = _axis_title(figure, trace, "x", "Column")
        for i, y in enumerate(ys):
            for j, x in enumerate(xs):
                rows.append({row_name: plain(y), column_name: plain(x), "Shown in the cell": plain(text[i][j])})
    elif kind == "sankey":
        nodes = [plain(label) for label in trace.node.label]
        meanings = _values(trace.link.customdata, len(trace.link.source))
        for k, (source, target) in enumerate(zip(trace.link.source, trace.link.target, strict=True)):
            rows.append({"From": nodes[source], "To": nodes[target], "What the band means": plain(meanings[k])})
    elif kind == "scatter":
        xs = list(trace.x if trace.x is not None else [])
        ys = list(trace.y if trace.y is not None else [])
        texts = _values(trace.text, len(xs))
        hover = plain(re.sub(r"%\{[^}]*\}|<extra>.*?</extra>", "", trace.hovertemplate or ""))
        across, down = _axis_title(figure, trace, "x", "Across"), _axis_title(figure, trace, "y", "Down")
        for k, x in enumerate(xs):
            rows.append({down: plain(ys[k]), across: plain(x), "Marked": plain(texts[k]) or plain(trace.name) or hover})
    for row in rows:
        if panel:
            row["Panel"] = panel
        if trace.name and kind == "bar":
            row["Series"] = plain(trace.name)
    return rows


def _notes(figure: Any) -> list[str]:
    """The figure's own notes: its annotations other than the panel titles."""
    titles = set(_panels(figure))
    return [plain(a.text) for a in figure.layout.annotations if plain(a.text) and plain(a.text) not in titles]


def figure_table(figure: Any) -> pd.DataFrame:
    """The figure's data as a table, read from its traces (bars, grid cells, flow bands, points).

    A figure that draws no data (the quiz progress before any answer) gives its notes instead.
    """
    panels = _panels(figure)
    rows = [row for trace in figure.data for row in _trace_rows(figure, trace, panels)]
    if not rows:
        rows = [{"Note": note} for note in _notes(figure)]
    frame = pd.DataFrame(rows).astype(object)
    first = [c for c in ("Panel", "Series") if c in frame.columns]
    return frame[[*first, *[c for c in frame.columns if c not in first]]].fillna("")


def description(figure: Any) -> str:
    """What the figure shows, in words: the builder's sentence if it gave one, else a summary of its data."""
    own = getattr(figure, "_description", "")
    return " ".join(filter(None, (own, _summary(figure))))


def _in_sentence(title: str) -> str:
    """An axis title inside a sentence: its first letter small, the rest as written ("(T, greatest dimension)")."""
    return title[:1].lower() + title[1:] if title[1:2].islower() else title


def _summary(figure: Any) -> str:
    """A summary of the figure's data in words, trace by trace."""
    panels, parts = _panels(figure), []
    for trace in figure.data:
        panel = _panel(figure, trace, panels)
        where = f"{panel}: " if panel else ""
        if trace.type == "bar":
            rows = _trace_rows(figure, trace, [])
            shown = "; ".join(f"{r['Item']} {r['Shown as']}" for r in rows if r["Shown as"] != "")
            series = f"{plain(trace.name)}: " if trace.name else ""
            parts.append(f"{where}{series}{shown}" if shown else "")
        elif trace.type == "heatmap":
            down = _in_sentence(_axis_title(figure, trace, "y", "rows"))
            across = _in_sentence(_axis_title(figure, trace, "x", "columns"))
            size = f"a grid of {len(trace.y)} rows ({down}) by {len(trace.x)} columns ({across})"
            parts.append(f"{where}{size}, each cell labelled in words")
        elif trace.type == "sankey":
            parts.append(
                f"{len(trace.link.source)} bands from {plain(trace.node.label[0])}, each explained in the table"
            )
    summary = ". ".join(dict.fromkeys(p for p in parts if p)) or " ".join(_notes(figure)).rstrip(".")
    return (summary[:1].upper() + summary[1:] + ".") if summary else "The figure's data are in the table below it."


def alternative_html(figure: Any) -> str:
    """The region shown with a figure: its name, its description and its data as a table on request."""
    name, words = figure_name(figure), description(figure)
    key = f"sarcoma-edu-figure-{uuid.uuid4().hex[:10]}"
    frame = figure_table(figure)
    table = table_html(frame) if len(frame.columns) else "<p>No data are drawn.</p>"
    return (
        f'<div class="sarcoma-edu-figure-text" role="group" aria-label="{html.escape(name)}" '
        f'aria-describedby="{key}" style="margin:0.2em 0 0.8em 0">'
        f'<p id="{key}" style="margin:0 0 0.3em 0"><strong>{html.escape(name)}.</strong> {html.escape(words)}</p>'
        f"<details><summary>The figure's data as a table</summary>{table}</details></div>"
    )


def alternative_bundle(figure: Any) -> dict[str, str]:
    """The text alternative as a display bundle: HTML for the page, plain text elsewhere."""
    return {"text/html": alternative_html(figure), "text/plain": f"{figure_name(figure)}. {description(figure)}"}
