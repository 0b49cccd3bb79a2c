"""AJCC 8th edition staging of one adult soft tissue sarcoma: its stage group and why.

:func:`stage` checks what it is given, sets the T category by the site's rule
(:mod:`sarcoma_edu.clinical.t_categories`), looks the stage group up
(:mod:`sarcoma_edu.clinical.stage_groups`) and returns a :class:`StageResult` whose explanation
names the rule that decided, in plain words, with its source. The head and neck and the visceral
organs have T, N, M and G but no stage groups (``datasets/sites.csv``); the result says so. A tumour
of unknown size (TX) still has a group where the stage group table gives one (stage I when every
size would give IA or IB); otherwise the result names the groups the size decides between. The
size may be left out where it does not set T (a visceral tumour; a head and neck tumour whose
invasion sets T4a or T4b).
A whole table is staged by :func:`~sarcoma_edu.clinical.staging_frame.stage_frame`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sarcoma_edu.clinical.grading import _GRADE_ALLOWED, grade_words, normalize_grade
from sarcoma_edu.clinical.sites import has_stage_groups, normalize_site, site_source
from sarcoma_edu.clinical.stage_groups import stage_groups
from sarcoma_edu.clinical.t_categories import NOT_GIVEN, NotGiven, check_size, t_category, t_table, t_words
from sarcoma_edu.clinical.vocabulary import STAGE_GROUPS
from sarcoma_edu.common import checks as _checks

__all__ = ["StageResult", "stage"]


@dataclass(frozen=True)
class StageResult:
    """The AJCC 8th edition categories and stage group of one tumour.

    Attributes:
        site: ``"trunk"``, ``"extremity"``, ``"retroperitoneum"``, ``"head_and_neck"`` or
            ``"visceral"``.
        t: ``"T1"`` to ``"T4"`` (head and neck up to ``"T4b"``, visceral ``"T1"`` to ``"T4c"``), or ``"TX"``
            when it cannot be set from what is given.
        n: ``"N0"`` or ``"N1"`` (regional lymph node spread).
        m: ``"M0"`` or ``"M1"`` (distant metastasis).
        g: ``"G1"``, ``"G2"``, ``"G3"`` or ``"GX"`` (grade unknown).
        stage: ``"IA"``, ``"IB"``, ``"II"``, ``"IIIA"``, ``"IIIB"``, ``"IV"``; ``"I"`` for a tumour of
            unknown size (TX), low grade or grade unknown, without spread (IA or IB: the size decides);
            or None when no stage group applies (head and neck, visceral, or size unknown with a mid or
            high grade and no spread).
        explanation: a plain-language sentence naming the rule that decided the stage.
        source: where that rule comes from.
    """

    site: str
    t: str
    n: str
    m: str
    g: str
    stage: str | None
    explanation: str
    source: str

    def to_dict(self) -> dict[str, str | None]:
        """Return the fields as a plain dict (what ``sarcoma-edu stage --json`` prints)."""
        return asdict(self)


_SPREAD = {
    (0, 0): "no spread to lymph nodes or distant sites",
    (1, 0): "spread to nearby lymph nodes (N1) but not to distant sites",
    (0, 1): "spread to distant sites (M1)",
    (1, 1): "spread to nearby lymph nodes (N1) and to distant sites (M1)",
}


def _size_words(site: str, t: str, size: float | None, by_extent: bool = False) -> str:
    if by_extent:
        sized = f", {size:g} cm" if size is not None else ""
        rule = (
            "invasion decides T4 whatever the size"
            if site == "head_and_neck"
            else "for visceral sarcoma T is how far the tumour has grown, not its size"
        )
        return f"{t_words(site, t)} ({t}{sized}; {rule})"
    if size is None:
        if site == "visceral":
            return (
                "extent not given (TX): for visceral sarcoma T says whether the tumour has grown beyond its "
                "organ, not how big it is"
            )
        return "size unknown (TX)"
    if t == "TX":  # visceral: T is not a size category
        return (
            f"T not set by size (TX): for visceral sarcoma T says whether the tumour has grown "
            f"beyond its organ, not how big it is ({size:g} cm); give its extent"
        )
    if site == "head_and_neck":
        return f"{t_words(site, t)} ({t}; no invasion of adjoining structures given, so the size decides)"
    return f"{t_words(site, t)} ({t})"


def _size_choices(site: str, n: int, m: int, g: str) -> str:
    """Why an unknown size leaves no group: the groups that the sizes give with this grade and spread."""
    rows = (stage_groups().row(site, t, n, m, g) for t in t_table().by_size[site])
    named = sorted({row.stage for row in rows if row is not None}, key=STAGE_GROUPS.index)
    if len(named) < 2:  # pragma: no cover - the table gives every size a group with N0 M0
        return "without nodal or distant spread the stage depends on the tumour size"
    return (
        "with this grade and no nodal or distant spread the size decides between stage "
        f"{', '.join(named[:-1])} and {named[-1]}"
    )


def _describe(
    site: str, size: float | None, t: str, n: int, m: int, g: str, by_extent: bool = False
) -> tuple[str | None, str, str]:
    """Return (stage, explanation, source) for already validated categories."""
    facts = f"{_size_words(site, t, size, by_extent)}, {grade_words(g)} ({g}), {_SPREAD[(n, m)]}"
    if not has_stage_groups(site):
        label = "head and neck" if site == "head_and_neck" else "abdominal or thoracic visceral organs"
        return (
            None,
            f"No stage group: AJCC 8th edition defines T, N, M and G for sarcoma of the {label} "
            f"but no stage groups, so no standard stage group applies. Here: {facts}.",
            site_source(site),
        )
    row = stage_groups().row(site, t, n, m, g)
    if row is None:
        return (
            None,
            f"No stage group: {facts}; {_size_choices(site, n, m, g)}, so none can be assigned while the size "
            "is unknown.",
            site_source(site),
        )
    text = f"Stage {row.stage}: {facts}"
    if row.note:
        text += f"; {row.note}"
    if g == "GX" and "GX" in row.g.split("|"):
        text += "; grade unknown (GX) is staged like low grade (G1)"
    return row.stage, text + ".", row.source


def stage(
    site: str,
    size_cm: float | NotGiven | None = NOT_GIVEN,
    grade: int | str | NotGiven | None = NOT_GIVEN,
    nodes: bool = False,
    metastasis: bool = False,
    *,
    extent: str | None = None,
    sites: int | None = None,
) -> StageResult:
    """Stage a soft tissue sarcoma with the AJCC 8th edition rules for its site.

    Args:
        site: ``"trunk"``, ``"extremity"`` (or ``"arm"``, ``"leg"``), ``"retroperitoneum"``,
            ``"head_and_neck"`` or ``"visceral"``; case-insensitive.
        size_cm: greatest dimension in cm, a finite number > 0, or None when unknown (TX). It may be
            left out where it does not set T: for a visceral tumour (T is its extent), and for a head
            and neck tumour given an extent of invasion (T4a, T4b); left out elsewhere it is refused.
        grade: 1, 2, 3; ``"G1"``-``"G3"``, ``"GX"``; ``"low"``, ``"mid"``, ``"intermediate"``,
            ``"high"``, ``"unknown"``; or None (= GX, grouped with G1 for staging). Always needed.
        nodes: True if the cancer has spread to regional lymph nodes (N1).
        metastasis: True if it has spread to distant sites (M1).
        extent: keyword-only, for the sites whose T is not (only) size: head and neck
            ``"invades_adjoining_t4a"``/``"invades_adjoining_t4b"``; visceral ``"organ_confined"``,
            ``"serosa"``, ``"beyond_serosa"``, ``"another_organ"`` or ``"multifocal"`` (see
            :func:`~sarcoma_edu.clinical.t_categories.t_category`).
        sites: keyword-only, the number of places a multifocal visceral tumour is found.

    Returns:
        A :class:`StageResult` with T, N, M, G, the stage group (or None) and an explanation.

    Raises:
        TypeError: an argument of the wrong type (a bool size, ``nodes="yes"``, ...), the grade left
            out, or the size left out where it sets T.
        ValueError: a value out of range (size 0, grade 4, unknown site, ...).

    Examples:
        >>> stage("extremity", 7, "high").stage
        'IIIA'
        >>> stage("trunk", None, "low").stage  # size unknown: IA or IB, the size decides
        'I'
        >>> stage("visceral", grade="high", extent="serosa").t
        'T2a'
    """
    site_name = normalize_site(site)
    if grade is NOT_GIVEN:
        raise TypeError(f"grade is needed: expected {_GRADE_ALLOWED} if unknown")
    size = check_size(size_cm)
    g = normalize_grade(grade)
    n = int(_checks.boolean("nodes", nodes))
    m = int(_checks.boolean("metastasis", metastasis))
    t = t_category(site_name, size_cm, extent=extent, sites=sites)
    stage_group, explanation, source = _describe(site_name, size, t, n, m, g, by_extent=extent is not None)
    return StageResult(site_name, t, f"N{n}", f"M{m}", g, stage_group, explanation, source)
