"""The explorers: how a sarcoma can spread from a site (lesson 04), and any table filtered by its columns and
searched by a word (risk factors, lesson 01; the drug tables build on it).

:class:`PathwayExplorer` redraws the spread figure from the site, histology and spread found;
:class:`TableExplorer` shows the rows a student picks, with a row's long columns written out in full on
request.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets as w
import pandas as pd

from sarcoma_edu.clinical.catalog import load_histologies, load_risk_factors
from sarcoma_edu.clinical.spread import Pathway, pathway
from sarcoma_edu.display import presentation
from sarcoma_edu.widgets.base import _LABEL, _draw, _fits, _site_options

__all__ = ["PathwayExplorer", "TableExplorer", "risk_factor_explorer"]


class PathwayExplorer(w.VBox):
    """Site, histology, nodes and metastasis -> a Sankey figure of how the sarcoma can spread."""

    def __init__(self, site: str = "extremity", histology: str | None = None) -> None:
        hist = load_histologies()
        options = [("Not specified", None)] + [
            (str(label), str(h)) for h, label in zip(hist.histology, hist.label, strict=True)
        ]
        self.site = w.Dropdown(
            options=_site_options(),
            value=site,
            description="Site of the tumour",
            style=_LABEL,
            layout=_fits(_site_options(), "Site of the tumour"),
        )
        self.histology = w.Dropdown(
            options=options, value=histology, description="Histology", style=_LABEL, layout=_fits(options, "Histology")
        )
        self.nodes = w.Checkbox(value=False, description="Spread to nearby lymph nodes found", indent=False)
        self.metastasis = w.Checkbox(value=False, description="Distant metastasis found", indent=False)
        self.explanation = w.HTML(layout=w.Layout(width="48em"))
        self.figure_output = w.Output()
        self.result: Pathway | None = None
        self.figure = None
        super().__init__([self.site, self.histology, self.nodes, self.metastasis, self.figure_output, self.explanation])
        for control in (self.site, self.histology, self.nodes, self.metastasis):
            control.observe(lambda _change: self.update(), names="value")
        self.update()

    def update(self) -> None:
        """Rebuild the pathway and its figure from the inputs."""
        from sarcoma_edu.display.pathways import pathway_figure

        self.result = pathway(self.site.value, self.histology.value, self.nodes.value, self.metastasis.value)
        self.explanation.value = f"<p>{html.escape(self.result.explanation)}</p>"
        _draw(self, self.figure_output, lambda: pathway_figure(self.result))


class TableExplorer(w.VBox):
    """A table with a dropdown filter per chosen column and a text search over every column.

    ``details`` columns are not given a column of their own, so a wide table fits the lesson: a "Details
    of the <item>" dropdown (over the rows shown, "(choose a <item>)" at first) picks one row, whose
    details are written in full above the table. More than :data:`SCROLL_ROWS` rows scroll inside a box
    under a header that stays in view, so a long table stays short on the page; the box takes the
    keyboard focus (Tab), and then the arrow keys and Page Up/Down scroll it.
    """

    def __init__(
        self,
        frame: pd.DataFrame,
        filters: Sequence[str],
        columns: Sequence[str],
        title: str,
        details: Sequence[str] = (),
        item: str = "row",
    ) -> None:
        self.frame = frame
        self.title = title
        self.columns = list(columns)
        self.details = list(details)
        self.filters = {
            c: w.Dropdown(
                options=["all", *sorted(frame[c].dropna().unique())],
                description=c.replace("_", " "),
                style=_LABEL,
                layout=_fits(["all", *frame[c].dropna().astype(str)], c),
            )
            for c in filters
        }
        self.search = w.Text(description="Search", placeholder="type a word, e.g. lung", style=_LABEL)
        self.table = w.HTML(layout=w.Layout(max_width="100%"))
        self.count = w.HTML()
        names = [str(v) for v in frame[self.columns[0]]]
        label = f"Details of the {item}"
        self._none = f"(choose a {item})"  # details on demand: none are written out until a row is chosen
        self.detail_choice = w.Dropdown(
            options=[(self._none, ""), *zip(names, names, strict=True)],
            value="",
            description=label,
            style=_LABEL,
            layout=_fits([self._none, *names], label),
        )
        self.detail = w.HTML(layout=w.Layout(max_width="52em"))
        shown_details = [self.detail_choice, self.detail] if self.details else []
        super().__init__(
            [
                w.HTML(f"<h3>{html.escape(title)}</h3>"),
                *self.filters.values(),
                self.search,
                self.count,
                *shown_details,
                self.table,
            ]
        )
        for control in (*self.filters.values(), self.search):
            control.observe(lambda _change: self.update(), names="value")
        self.detail_choice.observe(lambda _change: self._show_detail(), names="value")
        self.update()

    def shown(self) -> pd.DataFrame:
        """The rows the current filters and search select (the search reads the details too)."""
        rows = self.frame
        for column, control in self.filters.items():
            if control.value != "all":
                rows = rows[rows[column] == control.value]
        words = self.search.value.strip().lower()
        if words:
            keep = [
                words in " ".join(str(v) for v in r if not pd.isna(v)).lower() for r in rows.itertuples(index=False)
            ]
            rows = rows[keep]
        return rows

    def update(self) -> None:
        """Redraw the table (and the rows offered for details) for the current filters."""
        rows = self.shown()
        self.count.value = f"<p aria-live='polite'>{len(rows)} of {len(self.frame)} rows shown</p>"
        head = "".join(f"<th scope='col'>{html.escape(presentation.plain_column(c))}</th>" for c in self.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape('' if _missing(v) else str(v))}</td>" for v in r) + "</tr>"
            for r in rows[self.columns].itertuples(index=False)
        )
        style = "max-width:100%;white-space:normal;overflow-wrap:break-word;border-collapse:collapse"
        table = (
            f"<table class='sarcoma-edu-explorer' style='{style}'><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>"
        )
        if len(rows) > SCROLL_ROWS:  # a box of its own height: the page stays short, the header in view
            name = html.escape(f"{self.title}: {len(rows)} rows; scroll for more", quote=True)
            # data-lm-suppress-shortcuts: in JupyterLab the arrow keys scroll the box instead of moving between cells
            table = (
                f"<div class='sarcoma-edu-explorer-rows' role='region' tabindex='0' aria-label='{name}' "
                f"data-lm-suppress-shortcuts='true' style='max-height:{_SCROLL_HEIGHT};overflow-y:auto'>{table}</div>"
            )
        self.table.value = _EXPLORER_STYLE + table
        if self.details:
            names = [str(v) for v in rows[self.columns[0]]]
            # the row chosen stays chosen while it is shown; a search down to one row writes that row out
            keep = self.detail_choice.value if self.detail_choice.value in names else ""
            self.detail_choice.options = [(self._none if names else "(no row shown)", ""),
                                          *zip(names, names, strict=True)]  # fmt: skip
            self.detail_choice.value = names[0] if len(names) == 1 else keep
            self._show_detail()

    def _show_detail(self) -> None:
        """Write the chosen row's details in full: each column's plain name, then its value (nothing when none is
        chosen)."""
        chosen = self.frame[self.frame[self.columns[0]].astype(str) == self.detail_choice.value]
        if chosen.empty:
            self.detail.value = ""
            return
        row = chosen.iloc[0]
        items = "".join(
            f"<dt style='font-weight:bold'>{html.escape(presentation.plain_column(c))}</dt>"
            f"<dd style='margin:0 0 0.4em 1em'>{html.escape(str(row[c]))}</dd>"
            for c in [*self.columns[1:], *self.details]
            if not _missing(row[c]) and str(row[c]).strip()
        )
        self.detail.value = (
            f"<div role='region' aria-label='Details of {html.escape(str(row[self.columns[0]]))}' "
            "style='border-left:4px solid #0072B2;padding:0.2em 0.8em;margin:0.3em 0 0.6em'>"
            f"<p style='margin:0.2em 0'><b>{html.escape(str(row[self.columns[0]]))}</b></p><dl>{items}</dl></div>"
        )


# a table with more rows than this scrolls in a box this tall (on a 720-pixel projector, most of the screen)
SCROLL_ROWS = 12
_SCROLL_HEIGHT = "min(30em, 70vh)"
_EXPLORER_STYLE = (
    # line-height: a widget's HTML spaces its lines a whole input's height apart, too far for a table's wrapped cells
    "<style>.sarcoma-edu-explorer td,.sarcoma-edu-explorer th{white-space:normal;text-align:left;"
    "vertical-align:top;padding:0.3em 0.6em;line-height:1.35}"
    ".sarcoma-edu-explorer-rows .sarcoma-edu-explorer th{position:sticky;top:0;"
    "background:var(--jp-layout-color1,#fff);box-shadow:0 1px 0 var(--jp-border-color1,#bbb)}"
    ".sarcoma-edu-explorer-rows:focus-visible{outline:2px solid var(--jp-brand-color1,#0072B2)}</style>"
)


def _missing(value: object) -> bool:
    return value is None or bool(pd.isna(value)) if not isinstance(value, list | tuple) else False


def risk_factor_explorer() -> TableExplorer:
    """Risk factors: inherited syndromes with their genes, and other factors."""
    return TableExplorer(
        load_risk_factors(), ("kind",), ("factor", "kind", "gene", "note", "source"), "Risk factors and their genes"
    )
