"""The AJCC 8 stage map (lesson 03): stage group by size and grade, with the nodal and metastatic rows, for
trunk and extremity beside the retroperitoneum, a patient marked with a ring where one is given.

Every cell is staged by :func:`sarcoma_edu.clinical.staging.stage` at a size inside each T category of
``ajcc8_t_categories.csv``, and the last column with the size unknown (TX): stage I where every size gives IA or
IB, no stage group where the size decides between groups. The figure's text alternative says in a sentence where
the patient is (with the rule's own explanation for a tumour of unknown size), or why the patient is not marked.
"""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sarcoma_edu.clinical.stage_groups import lettered_groups
from sarcoma_edu.clinical.staging import StageResult, stage
from sarcoma_edu.clinical.tables import load_table
from sarcoma_edu.clinical.vocabulary import STAGES
from sarcoma_edu.display import figure_text
from sarcoma_edu.display.figure import _STAGE_RAMP, OKABE_ITO, Figure, _style, _wrap

__all__ = ["stage_map_figure"]


# the column of a tumour whose size is unknown, and what a cell with no stage group shows
_TX_COLUMN = ("TX", None, "size<br>unknown")
_NO_GROUP = "none"


def _t_sizes(site: str) -> list[tuple[str, float | None, str]]:
    """(T, a size inside it, short label) for each size-based T category of a site, then TX (size None)."""
    table = load_table("ajcc8_t_categories.csv")
    rows = table[(table.site == site) & (table.by_size == "true")]
    out = []
    for row in rows.itertuples():
        above, up_to = float(row.size_above_cm), row.size_up_to_cm
        if not up_to:
            words = f"> {above:g}"
        elif above == 0:
            words = f"≤ {float(up_to):g}"
        else:  # one bound a line, in cm as the axis title says: narrow enough for five columns, in large text too
            words = f"> {above:g}<br>≤ {float(up_to):g}"
        out.append((row.t, float(up_to) if up_to else above + 1, words))
    return [*out, _TX_COLUMN]


def _level(group: str | None) -> float | None:
    """A group's place on the colour ramp: its rank among the lettered groups; stage I between IA and IB."""
    if group is None:
        return None  # no stage group: the cell is left blank and says so in words
    letters = [STAGES.index(s) for s in lettered_groups(group)]
    return sum(letters) / len(letters)


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
    fig = make_subplots(
        figure=Figure(),
        rows=1,
        cols=2,
        shared_yaxes=True,
        horizontal_spacing=0.04,  # the shared y axis needs no room between the panels: five columns each
        subplot_titles=[t for _, t in panels],
    )
    for col, (site, _title) in enumerate(panels, start=1):
        sizes = _t_sizes(site)
        z, text, hover = [], [], []
        for _label, g, nodes, mets in _MAP_ROWS:
            results = [stage(site, size, g, nodes=nodes, metastasis=mets) for _, size, _ in sizes]
            z.append([_level(r.stage) for r in results])
            text.append([r.stage or _NO_GROUP for r in results])
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
                meta={"spoken": "Stage group"},  # what a cell's words are, in its keyboard copy (display.spoken)
            ),
            row=1,
            col=col,
        )
        fig.update_xaxes(  # on two lines: each panel's title fits under its own five columns
            title_text="Tumour size in cm<br>(T, greatest dimension)", tickangle=0, row=1, col=col
        )
        if patient is not None and _panel_site(patient.site) == site:
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
    unmarked = patient is not None and not _panel_site(patient.site)  # head and neck, visceral: no table
    if unmarked:  # a second, smaller line, so the title fits
        title += "<br><span style='font-size:0.75em'>This patient has no stage group, so is not marked</span>"
    fig = _style(fig, title, height=540)
    fig.update_layout(margin={"b": fig.layout.margin.b + 50})  # three lines of ticks and two of title under the tables
    if unmarked:
        fig.update_layout(margin={"t": 125})
    return figure_text.describe(fig, _patient_words(patient))


def _patient_words(patient: StageResult | None) -> str:
    """The stage map's sentence about the patient: where on which table, or why the patient is not marked."""
    if patient is None:
        return ""
    categories = f"{patient.t} {patient.g} {patient.n} {patient.m}"
    table = {"extremity": "trunk and extremity", "retroperitoneum": "retroperitoneum"}.get(_panel_site(patient.site))
    group = f"stage {patient.stage}" if patient.stage else "no stage group"
    if table is None:
        return f"This patient: {categories}, {group}, not marked on the tables."
    if patient.t == "TX":  # the size-unknown column: the rule's own words say why there is a group or none
        where = f"on the {table} table, in the column for an unknown size"
        return f"This patient: {categories} {where}, {group}. {patient.explanation}"
    return f"This patient: {categories} on the {table} table, {group}."


def _panel_site(site: str) -> str:
    return "retroperitoneum" if site == "retroperitoneum" else "extremity" if site in ("trunk", "extremity") else ""


def _patient_row(patient: StageResult) -> str:
    if patient.m == "M1":
        return "distant (M1)"
    if patient.n == "N1":
        return "nodes (N1), M0"
    return {"G1": "G1 or GX, N0 M0", "GX": "G1 or GX, N0 M0", "G2": "G2, N0 M0", "G3": "G3, N0 M0"}[patient.g]
