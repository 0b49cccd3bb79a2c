"""How sarcoma spreads: routes, the spread table against the reference (section 4), and Sankey data."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sarcoma_edu import METASTATIC_TUMOUR, load_histologies, pathway, routes, spread_patterns


def test_three_routes():
    """The three routes are tissue, lymph system and blood, each described (PDQ-PT)."""
    table = routes()
    assert table.route.tolist() == ["tissue", "lymph", "blood"]
    assert (table.description.str.len() > 20).all()


def test_metastatic_tumour_is_same_cancer_type():
    """The explanation says sarcoma in the lung is metastatic sarcoma, not lung cancer."""
    assert "not lung cancer" in METASTATIC_TUMOUR


def _row(table, destination, scope):
    rows = table[(table.destination == destination) & (table.scope == scope)]
    assert len(rows) == 1, (destination, scope)
    return rows.iloc[0]


def test_general_figures_match_reference():
    """Lung 72% of first metastases (approximate, single centre); nodal spread 2.6-3.5% (approximate)."""
    table = spread_patterns()
    lung = _row(table, "lung", "all")
    assert (lung.value_pct, lung.route, lung.approximate) == (72, "blood", True)
    nodes = _row(table, "lymph nodes", "all")
    assert (nodes.value_low_pct, nodes.value_high_pct, nodes.approximate) == (2.6, 3.5, True)
    assert "Fong" in nodes.source and "Keung" in nodes.source


@pytest.mark.parametrize(
    ("histology", "figure"),
    [("clear_cell_sarcoma", 16), ("epithelioid_sarcoma", 13), ("angiosarcoma", 6)],
)
def test_scare_nodal_figures(histology, figure):
    """SCARE subtypes carry the nodal figures Keung 2018 reports (reference section 4), marked approximate."""
    row = _row(spread_patterns(histology=histology), "lymph nodes", f"histology:{histology}")
    assert row.value_pct == figure and row.approximate


def test_every_scare_subtype_has_a_nodal_row():
    """Each of the five SCARE subtypes in histologies.csv has a lymph node row."""
    scare = load_histologies().query("scare").histology.tolist()
    assert len(scare) == 5
    for histology in scare:
        assert "lymph nodes" in spread_patterns(histology=histology).destination.tolist()


def test_retroperitoneum_local_recurrence_dominates():
    """TARPSWG: 25.9/31.3/35.0% local recurrence vs 21.0/21.6% distant metastasis (Gronchi 2016)."""
    table = spread_patterns("retroperitoneum")
    local = _row(table, "local recurrence", "site:retroperitoneum")
    distant = _row(table, "other distant sites", "site:retroperitoneum")
    assert (local.value_low_pct, local.value_high_pct) == (25.9, 35.0)
    assert "31.3%" in local.statement and "Gronchi" in local.source
    assert (distant.value_low_pct, distant.value_high_pct) == (21.0, 21.6)


def test_myxoid_liposarcoma_spreads_outside_lung():
    """Myxoid liposarcoma adds bone/spine, soft tissue and abdomen destinations."""
    destinations = set(spread_patterns(histology="myxoid_liposarcoma").destination)
    assert {"bone and spine", "soft tissue", "abdomen"} <= destinations


def test_retroperitoneal_histology_rows_stay_in_retroperitoneum():
    """'Liposarcoma recurs locally' applies in the retroperitoneum, not to a limb liposarcoma."""
    assert "site:retroperitoneum&histology:liposarcoma" in set(spread_patterns("retroperitoneum", "liposarcoma").scope)
    assert "site:retroperitoneum&histology:liposarcoma" not in set(spread_patterns("leg", "liposarcoma").scope)


HISTOLOGIES = [None, *load_histologies().histology.tolist()]


@given(
    st.sampled_from(["trunk", "extremity", "retroperitoneum", "head_and_neck", "visceral"]),
    st.sampled_from(HISTOLOGIES),
    st.booleans(),
    st.booleans(),
)
def test_pathway_links_are_valid(site, histology, nodes, metastasis):
    """Every link's source and target exist, values are positive, and each route passes on what it receives."""
    result = pathway(site, histology, nodes=nodes, metastasis=metastasis)
    n = len(result.nodes)
    assert all(0 <= link.source < n and 0 <= link.target < n for link in result.links)
    assert all(link.value > 0 for link in result.links)
    for route in (1, 2, 3):
        into = sum(link.value for link in result.links if link.target == route)
        out = sum(link.value for link in result.links if link.source == route)
        assert into == out > 0
    assert all(link.reference for link in result.links)


def test_pathway_marks_observed_routes_and_emphasis():
    """A node-positive clear cell sarcoma marks the lymph route as observed and emphasised."""
    frame = pathway("trunk", "clear_cell_sarcoma", nodes=True).to_frame()
    lymph = frame[frame.to == "Lymph nodes"].iloc[0]
    assert lymph.observed and lymph.emphasis and "16%" in lymph.label
    assert not frame[frame.to == "Lung"].iloc[0].emphasis


def test_general_pathway_emphasises_lung():
    """With no histology, the most common distant site (lung) is the emphasised pathway."""
    frame = pathway("leg").to_frame()
    assert frame[frame.emphasis & (frame["from"] == "Route: Blood")].to.tolist() == ["Lung"]
    assert "(approximate)" in frame[frame.to == "Lung"].iloc[0].label


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        pytest.param({"histology": "synovial"}, ValueError, "did you mean 'synovial_sarcoma'", id="histology typo"),
        pytest.param({"histology": 5}, TypeError, "histology=5", id="histology as a number"),
        pytest.param({"site": "lung"}, ValueError, "site='lung'", id="unknown site"),
        pytest.param({"nodes": "no"}, TypeError, "nodes='no'", id="nodes as text"),
    ],
)
def test_pathway_bad_input(kwargs, error, words):
    """Bad pathway input names the parameter and value."""
    with pytest.raises(error, match=words):
        pathway(**{"site": "leg", **kwargs})
