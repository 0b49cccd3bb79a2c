"""The spread figure (lesson 04): a Sankey diagram of primary, route and destination for a
:class:`~sarcoma_edu.clinical.spread.Pathway`.

Band width shows the reference's emphasis, not measured proportions; spread found in the patient, pathways the
reference singles out and the other possible ones are told apart by colour and by the key written under the
figure, and each band's hover text gives its figures and source.
"""

from __future__ import annotations

import plotly.graph_objects as go

from sarcoma_edu.clinical.spread import Pathway
from sarcoma_edu.display.figure import OKABE_ITO, Figure, _style, _wrap

__all__ = ["pathway_figure"]


def pathway_figure(path: Pathway) -> go.Figure:
    """Sankey figure of primary -> route -> destination; wider, darker bands are emphasised."""
    colours, labels = [], []
    for link in path.links:
        if link.observed:
            colours.append("rgba(213, 94, 0, 0.65)")  # vermillion: found in this patient
        elif link.emphasis:
            colours.append("rgba(0, 114, 178, 0.55)")  # blue: singled out by the reference
        else:
            colours.append("rgba(153, 153, 153, 0.35)")
        prefix = "Found in this patient. " if link.observed else ""
        labels.append(_wrap(prefix + link.label) + "<br>" + _wrap(f"Source: {link.reference}"))
    fig = Figure(
        go.Sankey(
            arrangement="snap",
            node={
                "label": [path.nodes[0].replace(": ", ":<br>").replace(", ", "<br>"), *path.nodes[1:]],
                "pad": 18,
                "thickness": 22,
                "color": OKABE_ITO["blue"],
                "hovertemplate": "%{label}<extra></extra>",
            },
            link={
                "source": [link.source for link in path.links],
                "target": [link.target for link in path.links],
                "value": [link.value for link in path.links],
                "color": colours,
                "customdata": labels,
                "hovertemplate": "%{customdata}<extra></extra>",
            },
        )
    )
    fig.add_annotation(
        text=(
            "Key: orange = spread found in this patient; blue = pathways the reference singles out here; "
            "grey = other possible pathways.<br>Band width shows emphasis, not measured proportions; no distant "
            "band is wider than the lung, the most common distant site.<br>Local recurrence means the sarcoma "
            "comes back at the primary site. Hover a band for the figures and sources."
        ),
        x=0,
        y=-0.04,
        yanchor="top",
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": 13},
    )
    fig = _style(fig, "How this sarcoma can spread: primary → route → destination", height=560)
    fig.update_layout(margin={"b": 110})  # room for the three-line key under the figure
    return fig
