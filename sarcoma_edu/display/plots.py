"""plotly figure builders for the lessons.

Every figure takes its numbers from the library (never restating a rule), has a title, axis
titles and hover text written for students, uses the Okabe-Ito colour-blind-safe palette, and
puts its meaning in text as well as colour. Fonts are sized for a projector. Importing this
module imports plotly; ``import sarcoma_edu`` does not.
"""

from __future__ import annotations

import json
import math
import textwrap

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sarcoma_edu.clinical.grading import fnclcc
from sarcoma_edu.clinical.spread import Pathway
from sarcoma_edu.clinical.staging import StageResult, stage
from sarcoma_edu.clinical.tables import load_table
from sarcoma_edu.clinical.treatment_plan import TreatmentPlan
from sarcoma_edu.clinical.vocabulary import STAGES
from sarcoma_edu.display import errors as notebook
from sarcoma_edu.display import figure_text, presentation

# under `sarcoma-edu present`, tables show plain column names, no index and no cut text
presentation.install_table_display()
# in a lesson, the toolkit's own errors show as their one helpful line (sarcoma_edu.display.errors)
notebook.install_error_display()

__all__ = [
    "OKABE_ITO",
    "Figure",
    "fnclcc_figure",
    "pathway_figure",
    "progress_figure",
    "site_distribution_figure",
    "stage_map_figure",
    "survival_figure",
    "timeline_figure",
]

# Okabe & Ito (2008) palette, safe for the common forms of colour blindness.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "grey": "#999999",
}
FONT = {"size": 16, "family": "Arial, Helvetica, sans-serif", "color": "#222222"}
# light-to-dark ramp (blue family) so stage order reads as lightness too
_STAGE_RAMP = ["#DCEAF7", "#B3D3EE", "#7FB2DD", "#4A8CC4", "#1F63A3", "#0B3C6E"]
_RING = OKABE_ITO["vermillion"]
_MODALITY_COLOURS = {
    "radiation": OKABE_ITO["orange"],
    "surgery": OKABE_ITO["blue"],
    "chemotherapy": OKABE_ITO["reddish purple"],
    "none": OKABE_ITO["grey"],
    "follow-up": OKABE_ITO["bluish green"],
}


class Figure(go.Figure):
    """A plotly figure that shows itself with the plotly mimetype directly.

    Displaying a plain ``go.Figure`` loads ``plotly.io._renderers``, which imports nbformat and,
    through jsonschema, compiles dozens of URI grammars: about 9 s before a student's first figure
    in each kernel. The bundle below is what the default ``plotly_mimetype`` renderer sends
    (rendered offline by the jupyterlab-plotly extension), without that import.
    """

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        spec = json.loads(self.to_json())
        spec["config"] = {"displaylogo": False}  # "responsive" would set height 100% and collapse in Voila
        title = self.layout.title.text or "plotly figure"
        return {"application/vnd.plotly.v1+json": spec, "text/plain": f"Figure: {title}"}

    def _ipython_display_(self):
        from IPython.display import display

        display(self._repr_mimebundle_(), raw=True)
        display(figure_text.alternative_bundle(self), raw=True)  # its name, description and data in words


# text colour and template per theme ($SARCOMA_EDU_THEME, set by `sarcoma-edu present --dark`); light
# text on plotly_dark's near-black background keeps a contrast above 7:1, like the light theme
_THEMES = {"light": ("plotly_white", "#222222"), "dark": ("plotly_dark", "#F2F2F2")}


# under `present --large-text` every text of a figure grows by this much (16 px body text becomes 22 px, as
# the page's); the figure grows taller with it so that labels keep their room
LARGE_TEXT_SCALE = presentation.LARGE_TEXT_PX / FONT["size"]


def _style(fig: go.Figure, title: str, *, height: int = 480) -> go.Figure:
    """Title, fonts, theme and margins; under large text every font size set in the figure is scaled too."""
    template, colour = _THEMES[presentation.theme()]
    scale = LARGE_TEXT_SCALE if presentation.large_text() else 1.0
    fig.update_layout(
        title={"text": title, "font": {"size": round(22 * scale)}},
        font={**FONT, "color": colour, "size": round(FONT["size"] * scale)},
        height=round(height * (1 + (scale - 1) * 0.8)),
        template=template,
        hoverlabel={"font_size": round(15 * scale)},
        margin={"l": round(80 * scale), "r": 40, "t": round(90 * scale), "b": round(70 * scale)},
    )
    if scale != 1:
        for note in fig.layout.annotations:
            note.font.size = round((note.font.size or FONT["size"]) * scale)
            if note.yshift:
                note.yshift = round(note.yshift * scale)
        for trace in fig.data:
            textfont = getattr(trace, "textfont", None)
            if textfont is not None and textfont.size:
                textfont.size = round(textfont.size * scale)
    return fig


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
                colorbar={"title": "Grade", "tickvals": [1, 2, 3], "ticktext": ["G1 low", "G2 mid", "G3 high"]},
            ),
            row=1,
            col=col,
        )
        fig.update_xaxes(title_text="Mitosis score", type="category", row=1, col=col)
    fig.update_yaxes(title_text="Differentiation score", type="category", autorange="reversed", row=1, col=1)
    return _style(fig, "FNCLCC: total score (2-8) and grade, by the three component scores", height=460)


def _t_sizes(site: str) -> list[tuple[str, float, str]]:
    """(T, a size inside it, short label) for each size-based T category of a site."""
    table = load_table("ajcc8_t_categories.csv")
    rows = table[(table.site == site) & (table.by_size == "true")]
    out = []
    for row in rows.itertuples():
        above, up_to = float(row.size_above_cm), row.size_up_to_cm
        if not up_to:
            words = f"> {above:g} cm"
        elif above == 0:
            words = f"≤ {float(up_to):g} cm"
        else:  # one bound a line: short enough not to run into the next column, in large text too
            words = f"> {above:g} cm<br>≤ {float(up_to):g} cm"
        out.append((row.t, float(up_to) if up_to else above + 1, words))
    return out


_MAP_ROWS = (  # (label, grade, nodes, metastasis)
    ("G1 or GX, N0 M0", "G1", False, False),
    ("G2, N0 M0", "G2", False, False),
    ("G3, N0 M0", "G3", False, False),
    ("nodes (N1), M0", "G3", True, False),
    ("distant (M1)", "G3", False, True),
)


def stage_map_figure(patient: StageResult | None = None) -> go.Figure:
    """Stage group by size and grade (N0 M0), plus the nodal and metastatic rows, for
    trunk/extremity and retroperitoneum side by side; the patient, if given, is marked.

    Args:
        patient: a StageResult to mark with a ring and the words "this patient".
    """
    panels = (("extremity", "Trunk and extremity"), ("retroperitoneum", "Retroperitoneum"))
    fig = make_subplots(figure=Figure(), rows=1, cols=2, shared_yaxes=True, subplot_titles=[t for _, t in panels])
    for col, (site, _title) in enumerate(panels, start=1):
        sizes = _t_sizes(site)
        z, text, hover = [], [], []
        for _label, g, nodes, mets in _MAP_ROWS:
            results = [stage(site, size, g, nodes=nodes, metastasis=mets) for _, size, _ in sizes]
            z.append([STAGES.index(r.stage) for r in results])
            text.append([r.stage for r in results])
            hover.append([_wrap(r.explanation) for r in results])  # wrapped: a long line runs off the figure
        fig.add_trace(
            go.Heatmap(
                z=z,
                x=[f"{t}<br>{words}" for t, _, words in sizes],
                y=[label for label, *_ in _MAP_ROWS],
                text=text,
                texttemplate="%{text}",
                textfont={"size": 18},
                customdata=hover,
                hovertemplate="%{customdata}<extra></extra>",
                zmin=0,
                zmax=len(STAGES) - 1,
                colorscale=[[i / (len(_STAGE_RAMP) - 1), c] for i, c in enumerate(_STAGE_RAMP)],
                showscale=False,
                xgap=2,
                ygap=2,
            ),
            row=1,
            col=col,
        )
        fig.update_xaxes(title_text="Tumour size (T, greatest dimension)", tickangle=0, row=1, col=col)
        if patient is not None and _panel_site(patient.site) == site and patient.stage and patient.t != "TX":
            row_label = _patient_row(patient)
            t_index = [t for t, *_ in sizes].index(patient.t)
            x = f"{sizes[t_index][0]}<br>{sizes[t_index][2]}"
            fig.add_trace(
                go.Scatter(
                    x=[x],
                    y=[row_label],
                    mode="markers",
                    marker={
                        "symbol": "circle-open",
                        "size": 46,
                        "line": {"width": 4},
                        "color": OKABE_ITO["vermillion"],
                    },
                    hovertemplate=_wrap(f"This patient: {patient.explanation}") + "<extra></extra>",
                    showlegend=False,
                ),
                row=1,
                col=col,
            )
            fig.add_annotation(
                x=x,
                y=row_label,
                yshift=-30,
                text="this patient",
                showarrow=False,
                bgcolor="white",
                bordercolor=OKABE_ITO["vermillion"],
                font={"size": 13, "color": OKABE_ITO["black"]},
                row=1,
                col=col,
            )
    fig.update_yaxes(title_text="Grade and spread", autorange="reversed", row=1, col=1)
    title = "AJCC 8 stage groups: the same size and grade, two sites"
    if patient is not None and patient.stage is None:  # a second, smaller line, so the title fits
        title += "<br><span style='font-size:0.75em'>This patient has no stage group, so is not marked</span>"
    fig = _style(fig, title, height=540)
    fig.update_layout(margin={"b": fig.layout.margin.b + 30})  # three lines of tick labels under the tables
    if patient is not None and patient.stage is None:
        fig.update_layout(margin={"t": 125})
    return figure_text.describe(fig, _patient_words(patient))


def _patient_words(patient: StageResult | None) -> str:
    """The stage map's sentence about the patient: where on which table, or why the patient is not marked."""
    if patient is None:
        return ""
    categories = f"{patient.t} {patient.g} {patient.n} {patient.m}"
    table = {"extremity": "trunk and extremity", "retroperitoneum": "retroperitoneum"}.get(_panel_site(patient.site))
    if patient.stage is None or table is None or patient.t == "TX":
        group = f"stage {patient.stage}" if patient.stage else "no stage group"
        return f"This patient: {categories}, {group}, not marked on the tables."
    return f"This patient: {categories} on the {table} table, stage {patient.stage}."


def _panel_site(site: str) -> str:
    return "retroperitoneum" if site == "retroperitoneum" else "extremity" if site in ("trunk", "extremity") else ""


def _patient_row(patient: StageResult) -> str:
    if patient.m == "M1":
        return "distant (M1)"
    if patient.n == "N1":
        return "nodes (N1), M0"
    return {"G1": "G1 or GX, N0 M0", "GX": "G1 or GX, N0 M0", "G2": "G2, N0 M0", "G3": "G3, N0 M0"}[patient.g]


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
        if math.isnan(low):  # drawn as a place in the order, labelled so
            words, end = "length not given in the reference", start + _UNKNOWN_STEP
            fig.add_trace(_bar(y, start, _UNKNOWN_STEP, colour, hover, words, pattern=".", opacity=0.35))
            exact_until = start if known else exact_until
            cursor = end
        elif low == high == 0:  # a single event
            words, end = (f"week {start:g}" if known else "after the step before"), start
            if known and row.latest_end_week > start:
                words += f" (up to week {row.latest_end_week:g})"
            fig.add_trace(
                go.Scatter(
                    x=[start],
                    y=[y],
                    mode="markers",
                    marker={"symbol": "diamond", "size": 20, "color": colour},
                    text=[words],
                    hovertemplate=hover + "<extra></extra>",
                    showlegend=False,
                )
            )
            end += 0.4  # the label starts beside the diamond
        else:
            words = f"weeks {start:g}-{start + low:g}" if known else f"about {low:g} weeks"
            fig.add_trace(_bar(y, start, low, colour, hover, words))
            end = start + low
            if high > low:
                label = "uncertain range" if row.uncertain else "typical range"
                fig.add_trace(_bar(y, end, high - low, colour, hover, label, pattern="/", opacity=0.45))
                words += f", {label} to {f'week {start + high:g}' if known else f'{high:g} weeks'}"
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


def _wrap(text: str, width: int = 60) -> str:
    """Break a hover text between words into lines of about ``width`` characters, joined by <br>."""
    return "<br>".join(textwrap.wrap(str(text), width=width, break_long_words=False, break_on_hyphens=False))


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
    titles = ["Real population figures: SEER, diagnosed 2010-2016"]
    if cols == 2:
        titles.append("Synthetic teaching cohort (not real patients)")
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
    return _style(fig, "Survival by SEER stage (population) and the teaching cohort's stage mix", height=480)


# how mastery is worked out, in the words the progress figure prints under its bars
MASTERY_WORDS = (
    "Mastery of a question is 0% while your last answer to it was wrong. Once you answer it right it is the "
    "chance you still recall it: 100% that day, then lower as the days pass (more slowly after right answers "
    "spread over several days), worked out by FSRS. A topic's or objective's mastery is the mean over the "
    "questions you answered for it."
)


def progress_figure(summary: pd.DataFrame, mastery: pd.DataFrame | None = None) -> go.Figure:
    """Quiz progress per topic: questions attempted and answered right, and mastery (FSRS) with them.

    Args:
        summary: ``ProgressStore.summary(by="topic")`` (columns topic, attempts, correct).
        mastery: ``sarcoma_edu.study.review.mastery(store)`` (per topic: shown beside the counts) or
            ``mastery(store, by="objective")`` (per learning objective, named in words: shown under
            them), or None for the counts alone. Mastery is 0 for a question last answered wrongly and
            otherwise the chance it is recalled now (FSRS); :data:`MASTERY_WORDS` says so under the
            figure, with every topic's or objective's mastery in a sentence.
    """
    missing = {"topic", "attempts", "correct"} - set(summary.columns)
    if missing:
        raise ValueError(f"summary has no column {sorted(missing)[0]!r}; expected ProgressStore.summary(by='topic')")
    key = None
    if mastery is not None:
        key = "objective" if "objective" in mastery.columns else "topic"
        absent = {key, "items", "mastery"} - set(mastery.columns)
        if absent:
            raise ValueError(
                f"mastery has no column {sorted(absent)[0]!r}; expected sarcoma_edu.study.review.mastery(store)"
            )
    if summary.empty:
        fig = Figure()
        fig.add_annotation(
            text="No answers yet: take the quiz above, then run this cell again.",
            showarrow=False,
            font={"size": 18},
            x=0.5,
            y=0.5,
            xref="paper",
            yref="paper",
        )
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        return _style(fig, "Your quiz progress by topic", height=320)
    topics = [t or "(no topic)" for t in summary["topic"].astype(str)]
    labels = topics if key != "objective" else _objective_labels(mastery)
    if key is None:
        fig, where = Figure(make_subplots(rows=1, cols=1)), None
    elif key == "topic":
        fig, where = Figure(make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.08)), (1, 2)
    else:
        lines_per = [label.count("<br>") + 1 for label in labels]
        heights = [len(topics), max(1, sum(lines_per) / 1.6)]
        grid = make_subplots(
            rows=2, cols=1, row_heights=heights, vertical_spacing=min(0.3, 1.6 / (len(topics) + len(labels) + 2))
        )
        fig, where = Figure(grid), (2, 1)
    for name, column, colour, pattern in (
        ("Attempted", "attempts", OKABE_ITO["sky blue"], ""),
        ("Right", "correct", OKABE_ITO["bluish green"], "/"),
    ):
        fig.add_trace(
            go.Bar(
                name=name,
                y=topics,
                x=summary[column],
                orientation="h",
                marker={"color": colour, "pattern": {"shape": pattern}},
                text=[f"{name.lower()} {v}" for v in summary[column]],
                textposition="outside",
                cliponaxis=False,  # the "attempted" label past the longest bar is never cut off
                hovertemplate=f"%{{y}}: {name.lower()} %{{x}}<extra></extra>",
            ),
            row=1,
            col=1,
        )
    # by objective the legend goes above the counts: under them it would sit on the mastery axis title
    legend = {"orientation": "h", "y": -0.2} if key != "objective" else {"orientation": "h", "x": 0, "y": 1.0,
                                                                            "yanchor": "bottom"}  # fmt: skip
    fig.update_layout(barmode="group", legend=legend)
    fig.update_xaxes(title_text="Answers (all sessions)", rangemode="tozero", row=1, col=1)
    fig.update_xaxes(range=[0, 1.3 * max(1, int(summary["attempts"].max()))], row=1, col=1)
    fig.update_yaxes(title_text="Topic", autorange="reversed", row=1, col=1)
    title, lines = "Your quiz progress by topic: attempted and right", []
    if mastery is not None and where is not None:
        shown = mastery.assign(label=labels if key == "objective" else [t or "(no topic)" for t in mastery[key]])
        right = shown["right"] if "right" in shown.columns else [None] * len(shown)
        words = [
            f"{_plain_label(label)} {round(100 * m)}% ({_right_of(r, n)})"
            for label, m, r, n in zip(shown["label"], shown["mastery"], right, shown["items"], strict=True)
            if m == m
        ]
        # wrapped between words so no line runs past the figure (at 1366 x 768 too)
        # the sentences start at the figure's left edge and wrap to its width (fewer letters a line in large text)
        width = round(100 / (LARGE_TEXT_SCALE if presentation.large_text() else 1))
        explained = textwrap.wrap(MASTERY_WORDS, width=width, break_long_words=False, break_on_hyphens=False)
        wrapped = textwrap.wrap("; ".join(words) + ".", width=width, break_long_words=False, break_on_hyphens=False)
        lines = [*explained, "In words:", *wrapped]
        about = [_wrap(t, 50) for t in (shown["text"] if "text" in shown.columns else shown["label"])]
        fig.add_trace(
            go.Bar(
                name="Mastery now",
                y=list(shown["label"]),
                x=100 * shown["mastery"],
                orientation="h",
                marker={"color": OKABE_ITO["blue"]},
                text=[f"{round(100 * m)}% mastery" if m == m else "" for m in shown["mastery"]],
                # written beside a short bar (0% too), inside a long one
                textposition=["outside" if m == m and m < 0.3 else "inside" for m in shown["mastery"]],
                cliponaxis=False,
                customdata=[[a, _right_of(r, n)] for a, r, n in zip(about, right, shown["items"], strict=True)],
                hovertemplate="%{customdata[0]}<br>%{x:.0f}% mastery now (%{customdata[1]})<extra></extra>",
            ),
            row=where[0],
            col=where[1],
        )
        fig.update_xaxes(title_text="Mastery now (%)", range=[0, 100], row=where[0], col=where[1])
        if key == "objective":
            fig.update_yaxes(title_text="", autorange="reversed", row=2, col=1)
            fig.add_annotation(
                text="<b>Mastery of each learning objective</b>",
                x=0,
                xref="paper",
                xanchor="left",
                y=1,
                yref="y2 domain",
                yanchor="bottom",
                showarrow=False,
                font={"size": 15},
            )
        fig.add_annotation(
            text="<br>".join(lines) if words else f"In words: no answered question counts for a {key} yet.",
            showarrow=False,
            x=0,
            y=0,
            xshift=-(LEFT_MARGIN[key] - 12),  # from the plot's left edge back to the figure's
            yshift=-120,
            xref="paper",
            yref="paper",
            xanchor="left",
            yanchor="top",
            align="left",
            font={"size": 14},
        )
        title = f"Quiz progress: your answers, and your mastery by {key}"
    label_lines = sum(label.count("<br>") + 1 for label in labels) if key == "objective" else 0
    rows = len(summary) + (label_lines / 1.6 + 2 if key == "objective" else 0)
    fig = _style(fig, title, height=round(200 + 60 * rows + (24 * len(lines) + 40 if where else 0)))
    if where:
        fig.update_layout(margin={"b": 150 + 24 * len(lines), "l": LEFT_MARGIN[key]})
    return fig


# the progress figure's left margin: room for the topics, or for the objectives written out
LEFT_MARGIN = {"topic": 80, "objective": 330}


def _objective_labels(mastery: pd.DataFrame) -> list[str]:
    """Each objective in words (its text, wrapped onto short lines), or its id when the words are not there."""
    texts = mastery["text"] if "text" in mastery.columns else mastery["objective"]
    return [_wrap(str(text)[:1].upper() + str(text)[1:], 38) for text in texts]


def _plain_label(label: str) -> str:
    return label.replace("<br>", " ")


def _right_of(right: object, items: object) -> str:
    if right is None or right != right:
        return f"{int(items)} answered"
    return f"{int(right)} of {int(items)} right the last time"
