"""How soft tissue sarcoma spreads: the three routes, spread patterns, and pathway data for a figure.

Tables: ``datasets/spread_routes.csv`` (tissue, lymph system, blood) and
``datasets/spread_patterns.csv`` (destination by route, for all sarcomas, for a site or for a
histology, with the figures the reference gives; approximate figures are flagged). A row's
``scope`` says where it applies: ``all``, ``site:NAME``, ``histology:NAME``, or both joined by
``&``; ``site:!NAME`` means every site but NAME. Each pattern row has a ``width`` (1 to 7) that
ranks how strongly the reference stresses the pathway, and the most particular row that applies
(a site and a histology, then one of them, then all sarcomas) sets a band's width:

- the lung, the most common distant site, is 3 everywhere, and no other distant band is wider;
- the sites outside the lung that myxoid (round cell) liposarcoma often spreads to (bone and spine,
  soft tissue, abdomen) are 3 each, as wide as the lung; "other distant sites" stays at 1 for it,
  since those three are what it covers;
- raised nodal spread in a SCARE subtype is 2, wider than for other subtypes but never as wide as
  lung metastasis;
- local recurrence in the retroperitoneum, where it dominates, is 6: wider than the whole blood
  route there (lung 3 + other distant sites 1, + the brain 1 where staging adds brain imaging); for
  leiomyosarcoma, which tends to spread distantly, the blood route is as wide (lung 3 + other
  distant sites 3), and the figure's explanation says so; liposarcoma, which tends to recur
  locally, is 7 there in every form; a myxoid (round cell) liposarcoma, which often spreads outside
  the lung, keeps its bone and spine and soft tissue bands at 3 there (no abdomen band for a tumour
  that already lies in the abdomen), so its blood route (3 + 1 + 3 + 3) is drawn wider than local
  recurrence and the explanation says that both are stressed;
- a destination the reference names without stressing it stays at 1, and is named for what the
  reference says of it: "brain, imaged at staging" (staging adds brain imaging for these subtypes,
  and no figure is given for spread to the brain).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pandas as pd

from sarcoma_edu.clinical.provenance import looked_up, read_whole
from sarcoma_edu.clinical.sites import normalize_site
from sarcoma_edu.clinical.tables import load_table
from sarcoma_edu.common import checks as _checks

__all__ = [
    "METASTATIC_TUMOUR",
    "Pathway",
    "PathwayLink",
    "band_widths",
    "normalize_histology",
    "pathway",
    "routes",
    "spread_patterns",
]

METASTATIC_TUMOUR = (
    "A metastatic tumour is the same type of cancer as the primary tumour: sarcoma that spreads to "
    "the lung is metastatic sarcoma, not lung cancer (PDQ-PT 2023-06-02, for this sentence)."
)
ROUTE_ORDER = ("tissue", "lymph", "blood")
BASE_VALUE, MAX_WIDTH = 1, 7
LUNG = "lung"  # the most common distant site: no other distant band is drawn wider
UMBRELLA = "other distant sites"  # every distant site but the lung: it covers the sites outside the lung a row names


def routes() -> pd.DataFrame:
    """The three ways cancer spreads (``route``, ``label``, ``description``, ``source``)."""
    read_whole("spread_routes.csv")
    return load_table("spread_routes.csv").copy()


@functools.cache
def _histologies() -> dict[str, str]:
    table = load_table("histologies.csv")
    return dict(zip(table.histology, table.label, strict=True))


def normalize_histology(histology: object) -> str | None:
    """Return the histology identifier (e.g. ``"myxoid_liposarcoma"``), or None when not given.

    Raises:
        TypeError: if ``histology`` is not a string or None.
        ValueError: for a histology not in ``datasets/histologies.csv`` (closest one suggested).
    """
    if histology is None:
        return None
    name = _checks.choice("histology", histology, tuple(_histologies()))
    looked_up("histologies.csv", {"histology": name})
    return name


def _applies(scope: str, site: str | None, histology: str | None) -> bool:
    """Whether a row's scope covers the patient: every condition holds.

    ``site:!NAME`` holds for any site but NAME, and with no site given (the row states a general fact
    with one exception).
    """
    if scope == "all":
        return True
    wanted = {"site": site, "histology": histology}
    for kind, _, name in (p.partition(":") for p in scope.split("&")):
        if name.startswith("!"):
            if wanted[kind] == name[1:]:
                return False
        elif wanted[kind] != name:
            return False
    return True


def _particular(scope: str) -> int:
    """How particular a scope is: 0 for all sarcomas, 1 for a site or a histology, 2 for both."""
    return 0 if scope == "all" else scope.count("&") + 1


def band_widths(patterns: pd.DataFrame) -> dict[tuple[str, str], int]:
    """The width of each (route, destination) band: the most particular rows that apply set it.

    A row for a site and a histology outranks one for either, which outranks one for all sarcomas;
    among equally particular rows the widest counts. So a histology stressed everywhere can be drawn
    narrower where a site row for that histology says so (myxoid liposarcoma in the retroperitoneum).

    Args:
        patterns: rows of :func:`spread_patterns` for one site and histology.
    """
    best: dict[tuple[str, str], tuple[int, int]] = {}
    for row in patterns.itertuples():
        key, rank = (row.route, row.destination), (_particular(row.scope), row.width)
        best[key] = max(best.get(key, rank), rank)
    return {key: width for key, (_, width) in best.items()}


def spread_patterns(site: str | None = None, histology: str | None = None) -> pd.DataFrame:
    """Return the spread pattern rows that apply to a site and histology (all rows for all sarcomas).

    With no site given, a row for one site is left out, and a row for every site but one
    (``site:!NAME``) is kept.

    Args:
        site: an anatomic site (any spelling ``stage()`` accepts), or None for no particular site.
        histology: a histology identifier from ``datasets/histologies.csv``, or None.

    Returns:
        Columns ``destination``, ``route``, ``scope``, ``statement``, ``value_pct``,
        ``value_low_pct``, ``value_high_pct`` (numbers or ``<NA>``), ``approximate`` (bool),
        ``width`` (1 to 7: how strongly the reference stresses the pathway; see :func:`band_widths`)
        and ``source``.
    """
    site_name = None if site is None else normalize_site(site)
    rows, used = _patterns(site_name, normalize_histology(histology))
    looked_up("spread_patterns.csv", *used)
    return rows.copy()


@functools.cache
def _patterns(site: str | None, histology: str | None) -> tuple[pd.DataFrame, tuple[dict[str, str], ...]]:
    """The rows that apply, typed (compiled once per site and histology), and the table rows they come from."""
    table = load_table("spread_patterns.csv")
    rows = table[[_applies(scope, site, histology) for scope in table.scope]].copy()
    used = tuple(rows.to_dict("records"))
    for column in ("value_pct", "value_low_pct", "value_high_pct"):
        rows[column] = pd.to_numeric(rows[column].replace("", None)).astype("Float64")
    rows["approximate"] = rows["approximate"] == "true"
    rows["width"] = [_width(value, row) for row, value in zip(rows.index, rows["width"], strict=True)]
    return rows.reset_index(drop=True), used


def _width(value: str, row: int) -> int:
    """A pattern row's band width, checked: a whole number from 1 to MAX_WIDTH."""
    if not value.isdigit() or not BASE_VALUE <= int(value) <= MAX_WIDTH:
        raise ValueError(
            f"spread_patterns.csv, row {row + 2}, column 'width': {value!r} is not allowed; "
            f"expected a whole number from {BASE_VALUE} to {MAX_WIDTH}"
        )
    return int(value)


@dataclass(frozen=True)
class PathwayLink:
    """One flow of a pathway figure: from a node to another, with the words behind it."""

    source: int
    target: int
    value: int
    label: str
    emphasis: bool
    observed: bool
    reference: str


@dataclass(frozen=True)
class Pathway:
    """Primary -> route -> destination data for a Sankey figure, with its explanation.

    Link widths show emphasis, not measured proportions: each comes from the ``width`` column of
    ``datasets/spread_patterns.csv`` (the most particular rows that apply), so no distant band is drawn
    wider than the lung, and a pathway the reference singles out for this site or histology is drawn
    wider than the same pathway elsewhere (or narrower, where the site outweighs it: myxoid
    liposarcoma's sites outside the lung in the retroperitoneum). Figures are in the labels.
    """

    nodes: tuple[str, ...]
    links: tuple[PathwayLink, ...]
    explanation: str

    def to_frame(self) -> pd.DataFrame:
        """Return one row per link with the node names spelled out."""
        rows = [
            {
                "from": self.nodes[link.source],
                "to": self.nodes[link.target],
                "value": link.value,
                "emphasis": link.emphasis,
                "observed": link.observed,
                "label": link.label,
                "source": link.reference,
            }
            for link in self.links
        ]
        return pd.DataFrame(rows)


def pathway(site: str, histology: str | None = None, nodes: bool = False, metastasis: bool = False) -> Pathway:
    """Build the spread pathways of a patient's sarcoma for a Sankey figure.

    Args:
        site: the site of the primary tumour (any spelling ``stage()`` accepts).
        histology: a histology identifier from ``datasets/histologies.csv``, or None.
        nodes: the patient has regional lymph node spread (marks the lymph route as observed).
        metastasis: the patient has distant metastasis (marks the blood route as observed).

    Returns:
        A :class:`Pathway`: node names, links (every source and target index exists, every value
        is positive) and an explanation naming the emphasised pathways.
    """
    site_name = normalize_site(site)
    hist = normalize_histology(histology)
    has_nodes, has_mets = _checks.boolean("nodes", nodes), _checks.boolean("metastasis", metastasis)
    patterns = spread_patterns(site_name, hist)
    sites = load_table("sites.csv")
    labels = dict(zip(sites.site, sites.label, strict=True))
    primary = f"Primary tumour: {labels[site_name]}" + (f", {_histologies()[hist]}" if hist else "")
    route_names = dict(zip(routes().route, routes().label, strict=True))
    node_names = [primary, *(f"Route: {route_names[r]}" for r in ROUTE_ORDER)]

    # one link per (route, destination), as wide as the most particular rows that apply to it say
    grouped: dict[tuple[str, str], list] = {}
    for row in patterns.itertuples():
        grouped.setdefault((row.route, row.destination), []).append(row)
    widths = band_widths(patterns)
    emphasised = {key for key, width in widths.items() if width > BASE_VALUE}
    observed_routes = {route for route, flag in (("lymph", has_nodes), ("blood", has_mets)) if flag}

    links: list[PathwayLink] = []
    route_totals = dict.fromkeys(ROUTE_ORDER, 0)
    for (route, destination), rows in sorted(grouped.items(), key=lambda kv: ROUTE_ORDER.index(kv[0][0])):
        name = destination[0].upper() + destination[1:]
        if name not in node_names:
            node_names.append(name)
        emphasis = (route, destination) in emphasised
        value = widths[(route, destination)]
        route_totals[route] += value
        text = " ".join(r.statement + (" (approximate)" if r.approximate else "") + "." for r in rows)
        links.append(
            PathwayLink(
                source=1 + ROUTE_ORDER.index(route),
                target=node_names.index(name),
                value=value,
                label=text,
                emphasis=emphasis,
                observed=route in observed_routes,
                reference="; ".join(dict.fromkeys(r.source for r in rows)),
            )
        )
    for i, route in enumerate(ROUTE_ORDER):
        observed = route in observed_routes
        links.insert(
            i,
            PathwayLink(
                source=0,
                target=1 + i,
                value=route_totals[route],
                label=routes().set_index("route").loc[route, "description"]
                + (" This patient has spread by this route." if observed else ""),
                emphasis=any(link.emphasis and link.source == 1 + i for link in links),
                observed=observed,
                reference="PDQ-PT (2023-06-02)",
            ),
        )
    wide = [
        f"{node_names[1 + ROUTE_ORDER.index(r)].removeprefix('Route: ').lower()} to {d}" for r, d in sorted(emphasised)
    ]
    findings = [w for w, flag in (("lymph node spread", has_nodes), ("distant metastasis", has_mets)) if flag]
    explanation = (
        f"{primary}. Wider bands mark the pathways the reference stresses here: {', '.join(wide)}. "
        "Widths show emphasis, not measured proportions: no distant band is drawn wider than the lung, the "
        "most common distant site; hover a band for the figures and sources."
        + _outweighed(grouped, widths, route_totals)
        + (f" This patient has {' and '.join(findings)}." if findings else "")
        + f" {METASTATIC_TUMOUR}"
    )
    return Pathway(tuple(node_names), tuple(links), explanation)


def _outweighed(grouped: dict, widths: dict, totals: dict[str, int]) -> str:
    """A sentence when a histology's own distant sites draw the blood route as wide as a stressed local recurrence.

    In the retroperitoneum local recurrence dominates (its band is wider than the whole blood route),
    but a histology the reference says spreads distantly there (leiomyosarcoma) adds distant bands of
    its own, and so does myxoid (round cell) liposarcoma, which tends to recur locally there but often
    spreads outside the lung: the figure then says that both are stressed.
    """
    local = widths.get(("tissue", "local recurrence"), BASE_VALUE)
    if local == BASE_VALUE or totals["blood"] < local:
        return ""
    own = [
        destination
        for (route, destination), rows in grouped.items()
        if route == "blood" and any("histology:" in r.scope for r in rows)
    ]
    size = "as wide as" if totals["blood"] == local else "wider than"
    return (
        f" Local recurrence dominates at this site, but the reference gives this histology distant spread of its "
        f"own ({', '.join(own)}), so the blood route is drawn {size} local recurrence: both are stressed."
    )
