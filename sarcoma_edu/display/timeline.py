"""The treatment timeline (lessons 05 and 08): a :class:`~sarcoma_edu.clinical.treatment.TreatmentPlan`'s
steps one after another, in weeks where the reference gives them.

Lengths the reference gives are drawn to scale, the rest of a typical range hatched, a single event as a
diamond, and a step of unknown length as a dotted place in the order; each step says its length in words
beside it, and the figure's text alternative lists the steps in order.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

from sarcoma_edu.clinical.treatment_plan import TreatmentPlan
from sarcoma_edu.display import figure_text
from sarcoma_edu.display.figure import OKABE_ITO, Figure, _style, _wrap

__all__ = ["timeline_figure"]

# each modality in its own colour (every step also says its name and length in words)
_MODALITY_COLOURS = {
    "radiation": OKABE_ITO["orange"],
    "surgery": OKABE_ITO["blue"],
    "chemotherapy": OKABE_ITO["reddish purple"],
    "none": OKABE_ITO["grey"],
    "follow-up": OKABE_ITO["bluish green"],
}

# how wide a step whose length the reference does not give is drawn: a place in the order, not weeks
_UNKNOWN_STEP = 4.0


def timeline_figure(plan: TreatmentPlan) -> go.Figure:
    """Horizontal timeline of a treatment plan: its steps one after another, in weeks where known.

    Each step starts where the one before ends. A length the reference gives is drawn to scale
    (radiation before surgery, about 5 weeks) as a solid bar, and the rest of a typical range (the
    3-6 week wait before surgery) as a hatched bar; a single event (surgery) is a diamond. A step
    whose length the reference does not give (chemotherapy, whose cycles it does not count) is a
    dotted bar of a fixed width marked "length not given in the reference", and the steps after it
    still follow it. The axis counts weeks only up to the first such step; from there on the
    figure shows the order, and each later step says its own length.
    """
    frame = plan.to_frame()
    fig = Figure()
    cursor, exact_until = 0.0, None  # exact_until: where the weeks stop being known
    ordered_only = False  # a step is drawn after one of unknown length
    steps = []  # each step in words, for the figure's description
    for row, (low, high) in zip(frame.itertuples(), plan.phase_lengths(), strict=True):
        y = f"{row.order}. {row.phase}"
        colour = _MODALITY_COLOURS.get(row.modality, OKABE_ITO["black"])
        known = exact_until is None
        ordered_only = ordered_only or not known
        start = row.start_week if known and not math.isnan(row.start_week) else cursor
        hover = f"<b>{row.phase}</b><br>{_wrap(row.note)}" + (f"<br>Dose: {row.dose}" if row.dose else "")
        hover += (f"<br>Why: {_wrap(row.why)}" if row.why else "") + f"<br>Source: {_wrap(row.source)}"
        weeks = start if known else None  # where a step starts, in weeks, for its keyboard copy (None: not to scale)
        if math.isnan(low):  # drawn as a place in the order, labelled so
            words, end = "length not given in the reference", start + _UNKNOWN_STEP
            bar = _bar(y, start, _UNKNOWN_STEP, colour, hover, words, pattern=".", opacity=0.35)
            fig.add_trace(bar.update(meta=_span(y, weeks, None, words)))
            exact_until = start if known else exact_until
            cursor = end
        elif low == high == 0:  # a single event
            later = f" (up to week {row.latest_end_week:g})" if known and row.latest_end_week > start else ""
            words, end = (f"week {start:g}" if known else "after the step before") + later, start
            fig.add_trace(
                go.Scatter(
                    x=[start],
                    y=[y],
                    mode="markers",
                    marker={"symbol": "diamond", "size": 20, "color": colour},
                    text=[words],
                    hovertemplate=hover + "<extra></extra>",
                    showlegend=False,
                    meta=_span(y, weeks, weeks, "a single event" + (later if known else ", after the step before")),
                )
            )
            end += 0.4  # the label starts beside the diamond
        else:
            words = f"weeks {start:g}-{start + low:g}" if known else f"about {low:g} weeks"
            bar = _bar(y, start, low, colour, hover, words)  # its weeks are read out; words only where not to scale
            fig.add_trace(bar.update(meta=_span(y, weeks, _plus(weeks, low), "" if known else words)))
            end = start + low
            if high > low:
                label = "uncertain range" if row.uncertain else "typical range"
                more = f"{label} to {f'week {start + high:g}' if known else f'{high:g} weeks'}"
                bar = _bar(y, end, high - low, colour, hover, label, pattern="/", opacity=0.45)
                fig.add_trace(bar.update(meta=_span(y, _plus(weeks, low), _plus(weeks, high), more)))
                words += f", {more}"
                end = start + high
            cursor = start + low
        fig.add_annotation(x=end, y=y, text=words, showarrow=False, xanchor="left", xshift=4, font={"size": 13})
        steps.append(f"{y} ({words})")
    # room right of each step for its words (about 7 px a letter at 13 px) in a figure about 900 px
    # wide, whose left margin grows with the longest step name
    plot_px = max(300.0, 900 - 40 - 8.5 * max(len(f"{row.order}. {row.phase}") for row in frame.itertuples()))
    horizon = 12.0
    for note in fig.layout.annotations:
        share = min(0.75, (7 * len(note.text) + 12) / plot_px)
        horizon = max(horizon, (note.x + 0.5 * share) / (1 - share))
    weeks_end = cursor if exact_until is None else exact_until
    ticks = [float(v) for v in range(0, int(weeks_end) + 1, 2)] or [0.0]
    title = "Weeks from the start of treatment"
    if ordered_only:
        title += "<br><span style='font-size:0.8em'>from the dotted line on: in order, not to scale</span>"
        fig.add_vline(x=exact_until, line={"dash": "dot", "color": OKABE_ITO["grey"], "width": 2})
    fig.update_xaxes(title_text=title, range=[-0.5, horizon], tickvals=ticks, ticktext=[f"{v:g}" for v in ticks])
    fig.update_yaxes(title_text="", autorange="reversed")
    fig.update_layout(barmode="overlay", showlegend=False)
    fig = _style(
        fig, "Treatment sequence in order (weeks where the reference gives them)", height=150 + 70 * len(frame)
    )
    if ordered_only:
        fig.update_layout(margin={"b": 100})
    return figure_text.describe(fig, "The steps in order: " + "; ".join(steps) + ".")


def _span(step: str, start: float | None, end: float | None, words: str) -> dict:
    """What a drawn piece of a step stands for, for the figure's keyboard copy (sarcoma_edu.display.spoken):
    its step, its start and end in weeks (None where the figure shows the order only) and its words."""
    return {"step": step, "start": start, "end": end, "words": words}


def _plus(weeks: float | None, length: float) -> float | None:
    return None if weeks is None else weeks + length


def _bar(
    y: str, base: float, length: float, colour: str, hover: str, text: str, *, pattern: str = "", opacity: float = 0.9
) -> go.Bar:
    return go.Bar(
        x=[length],
        y=[y],
        base=[base],
        orientation="h",
        marker={"color": colour, "pattern": {"shape": pattern}, "opacity": opacity},
        text=[text],
        textposition="none",  # the words are written beside the step, where they fit
        hovertemplate=hover + "<extra></extra>",
        showlegend=False,
    )
