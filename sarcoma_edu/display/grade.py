"""The FNCLCC grade figure (lesson 02): for each necrosis score, a grid of differentiation by mitosis score
giving the total score and the grade.

Each cell is worked out by :func:`sarcoma_edu.clinical.grading.fnclcc` from a value inside each score band of
``fnclcc_scores.csv``, so the grid never restates the rule; its hover text is the rule's own explanation.
"""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sarcoma_edu.clinical.grading import fnclcc
from sarcoma_edu.clinical.tables import load_table
from sarcoma_edu.display.figure import _STAGE_RAMP, Figure, _style, _wrap

__all__ = ["fnclcc_figure"]


def _representative(component: str) -> dict[int, float]:
    """One value inside each FNCLCC score band, read from fnclcc_scores.csv."""
    table = load_table("fnclcc_scores.csv")
    values = {}
    for row in table[table.component == component].itertuples():
        low = float(row.lowest)
        high = float(row.highest) if row.highest else low + 10
        values[int(row.score)] = low if row.lowest_included == "true" else (low + high) / 2
    return values


def fnclcc_figure() -> go.Figure:
    """Three grids (one per necrosis score): differentiation x mitosis score -> total and grade."""
    mitoses, necrosis = _representative("mitoses"), _representative("necrosis")
    fig = make_subplots(
        figure=Figure(),
        rows=1,
        cols=len(necrosis),
        shared_yaxes=True,
        subplot_titles=[f"Necrosis score {n}" for n in necrosis],
        horizontal_spacing=0.04,
    )
    for col, n_value in enumerate(necrosis.values(), start=1):
        grid, text, hover = [], [], []
        for d in (1, 2, 3):
            results = [fnclcc(d, int(m_value), n_value) for m_value in mitoses.values()]
            grid.append([r.grade for r in results])
            text.append([f"{r.total}<br>G{r.grade}" for r in results])  # two short lines: no cell spills over
            hover.append([_wrap(r.explanation) for r in results])  # wrapped: a long line runs off the figure
        fig.add_trace(
            go.Heatmap(
                z=grid,
                x=[str(s) for s in mitoses],  # the axis titles name the scores: short ticks leave the cells room
                y=[str(d) for d in (1, 2, 3)],
                text=text,
                texttemplate="%{text}",
                textfont={"size": 16},
                xgap=2,
                ygap=2,
                customdata=hover,
                hovertemplate="%{customdata}<extra></extra>",
                zmin=1,
                zmax=3,
                colorscale=[[0, _STAGE_RAMP[0]], [0.5, _STAGE_RAMP[2]], [1, _STAGE_RAMP[4]]],
                showscale=col == len(necrosis),
                meta={"spoken": "Total score and grade"},  # what a cell's words are, in its keyboard copy
                # the scale's title beside its labels, not over them: above the bar it ran into 'G3 high'
                colorbar={
                    "title": {"text": "Grade", "side": "right"},
                    "tickvals": [1, 2, 3],
                    "ticktext": ["G1 low", "G2 mid", "G3 high"],
                },
            ),
            row=1,
            col=col,
        )
        fig.update_xaxes(title_text="Mitosis score", type="category", row=1, col=col)
    fig.update_yaxes(title_text="Differentiation score", type="category", autorange="reversed", row=1, col=1)
    return _style(fig, "FNCLCC: total score (2-8) and grade, by the three component scores", height=460)
