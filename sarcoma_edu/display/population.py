"""Figures of real population figures: where adult soft tissue sarcomas start (lesson 01) and 5-year
survival by SEER stage, beside a synthetic teaching cohort's stage mix when one is given (lesson 06).

Both read their numbers and sources from the tables (``site_distribution.csv``, ``survival_seer.csv``); the
cohort panel is labelled as made-up patients.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sarcoma_edu.clinical.tables import load_table
from sarcoma_edu.display.figure import OKABE_ITO, Figure, _style

__all__ = ["site_distribution_figure", "survival_figure"]


def site_distribution_figure() -> go.Figure:
    """Bar chart: where adult soft tissue sarcomas start (approximate shares, PDQ-HP)."""
    table = load_table("site_distribution.csv")
    percent = table.percent.astype(float)
    fig = Figure(
        go.Bar(
            x=percent,
            y=table.site_group,
            orientation="h",
            marker_color=OKABE_ITO["blue"],
            text=[f"about {p:g}%" for p in percent],
            textposition="outside",
            customdata=table.source,
            hovertemplate="%{y}: about %{x:g}% of adult soft tissue sarcomas<br>Source: %{customdata}<extra></extra>",
        )
    )
    fig.update_xaxes(title_text="Share of adult soft tissue sarcomas (%, approximate)", range=[0, 55])
    fig.update_yaxes(title_text="Where the tumour starts", autorange="reversed")
    return _style(fig, "Where adult soft tissue sarcomas start (approximate, PDQ-HP 2025)", height=420)


def survival_figure(cohort_stage_share: pd.Series | None = None) -> go.Figure:
    """SEER 5-year relative survival by SEER summary stage (real population figures).

    Args:
        cohort_stage_share: optionally, the share (%) of a synthetic cohort in each SEER stage
            (index localized, regional, distant), drawn in a second, clearly labelled panel.
    """
    table = load_table("survival_seer.csv")
    table = table[table.seer_stage != "all stages"]
    real = table.five_year_relative_survival_pct.astype(float)
    cols = 2 if cohort_stage_share is not None else 1
    # on two lines: side by side in a lesson's width, a one-line title ran over the first panel's 100 tick
    titles = ["Real population figures:<br>SEER, diagnosed 2010-2016"]
    if cols == 2:
        titles.append("Synthetic teaching cohort<br>(not real patients)")
    fig = make_subplots(figure=Figure(), rows=1, cols=cols, subplot_titles=titles)
    fig.add_trace(
        go.Bar(
            x=table.seer_stage,
            y=real,
            marker_color=OKABE_ITO["blue"],
            text=[f"{v:g}%" for v in real],
            textposition="outside",
            customdata=table.description,
            hovertemplate=(
                "%{x}: %{customdata}<br>5-year relative survival %{y:g}%<br>Source: SEER via ACS<extra></extra>"
            ),
        ),
        row=1,
        col=1,
    )
    fig.update_yaxes(title_text="5-year relative survival (%)", range=[0, 100], row=1, col=1)
    fig.update_xaxes(title_text="SEER summary stage", row=1, col=1)
    if cohort_stage_share is not None:
        share = cohort_stage_share.reindex(["localized", "regional", "distant"]).fillna(0)
        fig.add_trace(
            go.Bar(
                x=share.index,
                y=share.values,
                marker={"color": OKABE_ITO["orange"], "pattern": {"shape": "."}},
                text=[f"{v:.0f}%" for v in share.values],
                textposition="outside",
                hovertemplate="Synthetic cohort: %{y:.1f}% %{x}<extra></extra>",
            ),
            row=1,
            col=2,
        )
        fig.update_yaxes(title_text="Share of the synthetic cohort (%)", range=[0, 100], row=1, col=2)
        fig.update_xaxes(title_text="SEER summary stage", row=1, col=2)
    fig.update_layout(showlegend=False)
    fig = _style(fig, "Survival by SEER stage (population) and the teaching cohort's stage mix", height=480)
    fig.update_layout(margin_t=fig.layout.margin.t + 24)  # room for the panels' two-line titles under the title
    return fig
