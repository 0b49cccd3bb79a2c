"""How sarcoma spreads: routes, the spread table against the reference (section 4), and Sankey data."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
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


@settings(deadline=None)  # a property, not a timing: on a busy machine one call took 417 ms against the 200 ms default
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
    """A node-positive clear cell sarcoma marks the lymph route as observed and emphasised, the lung still wider."""
    frame = pathway("trunk", "clear_cell_sarcoma", nodes=True).to_frame()
    lymph = frame[frame.to == "Lymph nodes"].iloc[0]
    lung = frame[frame.to == "Lung"].iloc[0]
    assert lymph.observed and lymph.emphasis and "16%" in lymph.label
    assert lung.emphasis and lung.value > lymph.value


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


# --- SCARE, the lung, and local recurrence (issue 16; reference section 4) ---------------------

SITES = ["trunk", "extremity", "retroperitoneum", "head_and_neck", "visceral"]


def _link(frame, destination):
    rows = frame[frame.to == destination]
    return rows.iloc[0] if len(rows) else None


@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize("histology", HISTOLOGIES, ids=str)
def test_in_every_pathway_lymph_node_spread_is_drawn_narrower_than_lung_metastasis(site, histology):
    """For every site and histology the lung stays the main distant band, wider than nodal spread (section 4)."""
    frame = pathway(site, histology).to_frame()
    lung, nodes = _link(frame, "Lung"), _link(frame, "Lymph nodes")
    assert nodes.value < lung.value, (site, histology)
    blood = frame[frame["from"] == "Route: Blood"]
    assert (blood.value <= lung.value).all(), (site, histology)


@pytest.mark.parametrize("histology", ["clear_cell_sarcoma", "epithelioid_sarcoma", "angiosarcoma", "rhabdomyosarcoma"])
def test_a_scare_subtype_with_raised_nodal_spread_is_drawn_wider_than_other_subtypes(histology):
    """Nodal spread in these SCARE subtypes is drawn wider than for a subtype with no raised rate (section 4)."""
    raised = _link(pathway("extremity", histology).to_frame(), "Lymph nodes")
    other = _link(pathway("extremity", "myxofibrosarcoma").to_frame(), "Lymph nodes")
    assert raised.value > other.value and raised.emphasis and not other.emphasis


def test_no_table_gives_synovial_sarcoma_a_raised_nodal_rate():
    """Synovial sarcoma has no raised nodal rate (Jacobs 2018): no figure, base width, the overall cohort rate."""
    from sarcoma_edu.clinical.cohort import _nodal_rate

    rows = spread_patterns(histology="synovial_sarcoma")
    nodal = rows[rows.destination == "lymph nodes"]
    specific = nodal[nodal.scope == "histology:synovial_sarcoma"].iloc[0]
    assert specific[["value_pct", "value_low_pct", "value_high_pct"]].isna().all()
    assert "not associated with a higher rate" in specific.statement and "Jacobs" in specific.source
    assert "CARE" in specific.statement and "Miccio" in specific.source
    assert _link(pathway("extremity", "synovial_sarcoma").to_frame(), "Lymph nodes").value == 1
    assert _nodal_rate("synovial_sarcoma", 0.035) == 0.035


def test_scare_subtypes_name_the_lung_as_the_main_distant_site():
    """Each SCARE nodal row with a raised rate says the lung is still the main distant site."""
    rows = spread_patterns()
    for histology in ("clear_cell_sarcoma", "epithelioid_sarcoma", "angiosarcoma", "rhabdomyosarcoma"):
        row = _row(spread_patterns(histology=histology), "lymph nodes", f"histology:{histology}")
        assert "lung is still the main distant site" in row.statement, histology
    assert (rows.width.between(1, 7)).all()


def test_local_recurrence_means_recurrence_at_the_primary_site():
    """'Local recurrence' is recurrence at the primary site, never 'or elsewhere in the body' (section 4)."""
    for site in SITES:
        label = _link(pathway(site).to_frame(), "Local recurrence").label
        assert "at the primary site" in label and "or elsewhere in the body" not in label, site


def test_in_the_retroperitoneum_local_recurrence_is_drawn_widest():
    """TARPSWG: local recurrence dominates in the retroperitoneum, so it is the widest destination band."""
    frame = pathway("retroperitoneum").to_frame()
    destinations = frame[~frame["from"].str.startswith("Primary")]
    assert _link(frame, "Local recurrence").value == destinations.value.max() > _link(frame, "Lung").value


def test_a_pattern_row_with_a_bad_width_is_refused():
    """A width outside 1-7 in spread_patterns.csv raises naming the file, row, column and what is allowed."""
    from sarcoma_edu.clinical import spread

    with pytest.raises(ValueError, match=r"row 5, column 'width': '9' is not allowed; expected a whole number from 1"):
        spread._width("9", 3)


def test_myxoid_and_round_cell_liposarcoma_have_their_own_differentiation_scores():
    """Myxoid liposarcoma scores 2 and round-cell liposarcoma 3 (reference section 2); both spread outside the lung."""
    table = load_histologies().set_index("histology")
    assert table.loc["myxoid_liposarcoma", "differentiation_score"] == 2
    assert table.loc["round_cell_liposarcoma", "differentiation_score"] == 3
    assert not table.label.str.contains(r"\(round cell\)").any()
    for histology in ("myxoid_liposarcoma", "round_cell_liposarcoma"):
        assert {"bone and spine", "soft tissue", "abdomen"} <= set(spread_patterns(histology=histology).destination)


@pytest.mark.parametrize("histology", ["angiosarcoma", "epithelioid_sarcoma", "alveolar_soft_part_sarcoma"])
def test_the_brain_is_drawn_but_not_as_a_pathway_the_reference_stresses(histology):
    """The reference only adds brain imaging at staging for these subtypes: the brain band is named for that
    ("Brain, imaged at staging"), has the base width, is not emphasised, and its words say no figure is
    given (PDQ-HP)."""
    brain = _link(pathway("extremity", histology).to_frame(), "Brain, imaged at staging")
    assert brain.value == 1 and not brain.emphasis
    assert "gives no figure for spread to the brain" in brain.label
    assert "brain" not in pathway("extremity", histology).explanation.split("Widths show")[0].lower().split(":")[-1]


@pytest.mark.parametrize("histology", ["myxoid_liposarcoma", "round_cell_liposarcoma"])
def test_myxoid_liposarcoma_draws_the_sites_it_spreads_to_as_wide_as_the_lung_and_other_distant_sites_narrow(
    histology,
):
    """Myxoid (round cell) liposarcoma "often spreads outside the lung (bone, spine, soft tissue, abdomen)" (reference
    section 4, PDQ-HP): those three bands are as wide as the lung; 'other distant sites', the umbrella over them, keeps
    the narrowest band, so the blood route is 3 + 1 + 3 x 3 = 13 wide, not 15, and no band is wider than the lung."""
    frame = pathway("extremity", histology).to_frame()
    lung = _link(frame, "Lung").value
    assert [_link(frame, d).value for d in ("Bone and spine", "Soft tissue", "Abdomen")] == [lung] * 3 == [3] * 3
    assert _link(frame, "Other distant sites").value == 1
    assert frame[frame.to == "Route: Blood"].value.iloc[0] == 13
    assert f"histology:{histology}" not in set(
        spread_patterns(histology=histology).query("destination == 'other distant sites'").scope
    )


@pytest.mark.parametrize("histology", HISTOLOGIES, ids=str)
def test_in_the_retroperitoneum_local_recurrence_is_wider_than_the_whole_blood_route_except_for_leiomyosarcoma(
    histology,
):
    """TARPSWG: in the retroperitoneum local recurrence dominates, so its band is wider than the whole blood route
    (brain imaging subtypes too, and the liposarcomas that only tend to recur locally there); only for leiomyosarcoma,
    which tends to spread distantly, is the blood route as wide, and for myxoid (round cell) liposarcoma, which often
    spreads outside the lung, wider, and the figure's explanation says that both are stressed exactly there
    (reference section 4: Gronchi 2016; PDQ-HP)."""
    path = pathway("retroperitoneum", histology)
    frame = path.to_frame()
    tissue = frame[frame.to == "Route: Tissue"].value.iloc[0]
    blood = frame[frame.to == "Route: Blood"].value.iloc[0]
    if histology == "leiomyosarcoma":
        assert tissue == blood
    elif histology in ("myxoid_liposarcoma", "round_cell_liposarcoma"):
        assert tissue < blood
    else:
        assert tissue > blood
    said = "Local recurrence dominates at this site, but the reference gives this histology distant spread" in (
        path.explanation
    )
    assert said == (blood >= tissue)


LIPOSARCOMAS = load_histologies().query("label.str.contains('liposarcoma')").histology.tolist()


@pytest.mark.parametrize("histology", LIPOSARCOMAS)
def test_in_the_retroperitoneum_every_liposarcoma_tends_to_recur_locally(histology):
    """'Liposarcoma tends to recur locally' (reference section 4, TARPSWG) applies to every form of liposarcoma in the
    retroperitoneum: its local recurrence band is drawn wider than for retroperitoneal sarcoma as a whole."""
    assert len(LIPOSARCOMAS) == 4
    rows = spread_patterns("retroperitoneum", histology)
    assert "tends to recur locally" in " ".join(rows[rows.destination == "local recurrence"].statement)
    local = _link(pathway("retroperitoneum", histology).to_frame(), "Local recurrence").value
    assert local > _link(pathway("retroperitoneum").to_frame(), "Local recurrence").value


@pytest.mark.parametrize("histology", ["myxoid_liposarcoma", "round_cell_liposarcoma"])
def test_a_retroperitoneal_myxoid_liposarcoma_draws_its_sites_outside_the_lung_stressed_and_no_abdomen_band(histology):
    """In the retroperitoneum, where liposarcoma tends to recur locally but myxoid liposarcoma still often spreads
    outside the lung, bone and spine and soft tissue are drawn as wide as the lung and stressed, beside a stressed
    local recurrence, and the abdomen, where the tumour already lies (PDQ-HP counts the retroperitoneum among the
    intra-abdominal sites), is no distant band; elsewhere the three are as wide as the lung (reference sections 1
    and 4)."""
    path = pathway("retroperitoneum", histology)
    frame = path.to_frame()
    assert [_link(frame, d).value for d in ("Bone and spine", "Soft tissue")] == [3, 3]
    assert _link(frame, "Abdomen") is None
    assert frame[frame.to.isin(["Bone and spine", "Soft tissue", "Local recurrence"])].emphasis.all()
    assert "both are stressed" in path.explanation
    for site in ("extremity", "trunk", "head_and_neck", "visceral"):
        assert _link(pathway(site, histology).to_frame(), "Abdomen").value == 3, site
    assert "abdomen" in set(spread_patterns(histology=histology).destination)


def test_the_most_particular_row_sets_a_bands_width():
    """A row for a site and a histology outranks a row for the histology alone, which outranks one for all sarcomas,
    whichever is wider."""
    from sarcoma_edu.clinical.spread import band_widths

    rows = pd.DataFrame(
        [
            ("lung", "blood", "all", 3),
            ("lung", "blood", "histology:leiomyosarcoma", 1),
            ("bone and spine", "blood", "histology:myxoid_liposarcoma", 3),
            ("bone and spine", "blood", "site:retroperitoneum&histology:myxoid_liposarcoma", 2),
            ("local recurrence", "tissue", "all", 1),
            ("local recurrence", "tissue", "site:retroperitoneum", 6),
        ],
        columns=["destination", "route", "scope", "width"],
    )
    widths = band_widths(rows)
    assert widths[("blood", "lung")] == 1 and widths[("blood", "bone and spine")] == 2
    assert widths[("tissue", "local recurrence")] == 6
    assert band_widths(spread_patterns("retroperitoneum", "myxoid_liposarcoma"))[("tissue", "local recurrence")] == 7


@pytest.mark.parametrize("scope", ["site:!", "site:!retroperitoneum&histology:", "organ:!lung"])
def test_a_spread_scope_without_a_name_is_refused(scope):
    """The table check refuses a scope that names no site ('site:!') or an unknown kind, and takes 'site:!NAME'."""
    from sarcoma_edu.clinical.table_schemas import _scope

    assert not _scope(scope)
    assert _scope("histology:myxoid_liposarcoma&site:!retroperitoneum")


def test_no_statement_leans_on_a_row_it_may_be_shown_without():
    """A band's words stand alone: no statement opens with 'In the same series', which has no referent in a hover
    label or case feedback shown by itself (reference section 4 names each series)."""
    from sarcoma_edu.clinical.tables import load_table

    statements = load_table("spread_patterns.csv").statement.tolist()
    assert len(statements) > 20
    assert not [s for s in statements if s.lower().startswith("in the same")]


def test_lesson_04_never_says_a_histology_overrides_the_site():
    """In the retroperitoneum local recurrence dominates and liposarcoma tends to recur locally (reference section 4):
    lesson 04 never says that a histology's pattern overrides the site's; for a retroperitoneal myxoid liposarcoma,
    which often spreads outside the lung, the figure says that local recurrence dominates at this site and that both
    are stressed."""
    import json
    from pathlib import Path

    lesson = Path(__file__).resolve().parents[2] / "notebooks" / "04_metastasis.ipynb"
    cells = json.loads(lesson.read_text(encoding="utf-8"))["cells"]
    text = " ".join(" ".join("".join(c["source"]).split()) for c in cells if c["cell_type"] == "markdown")
    assert "overrides" not in text
    explanation = pathway("retroperitoneum", "myxoid_liposarcoma").explanation
    assert "Local recurrence dominates at this site" in explanation and "both are stressed" in explanation
