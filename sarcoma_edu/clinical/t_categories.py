"""The AJCC 8th edition T category of a tumour: set by its size, or by its extent, as its site says.

``datasets/ajcc8_t_categories.csv`` gives, for each site, the size bands of the T categories set
by size (trunk, extremity, retroperitoneum, head and neck up to T3) and the extents that set T
whatever the size (head and neck T4a/T4b by invasion; every visceral T, by how far the tumour
has grown or in how many places it is found), each with its plain words. :func:`t_category`
applies it to one tumour; the size and extent checks here are shared with
:func:`~sarcoma_edu.clinical.staging.stage` and :func:`~sarcoma_edu.clinical.staging_frame.stage_frame`,
so every surface refuses the same values with the same words.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from sarcoma_edu.clinical.sites import normalize_site
from sarcoma_edu.clinical.tables import load_table
from sarcoma_edu.clinical.vocabulary import EXTENTS, SITES
from sarcoma_edu.common import checks as _checks

__all__ = ["TTable", "check_extent", "check_size", "t_category", "t_from_extent", "t_table", "t_words"]

_SIZE_ALLOWED = "the greatest dimension in cm, a finite number greater than 0, or None if unknown"


@dataclass(frozen=True)
class TTable:
    """The T category table compiled for lookup, one entry per site."""

    edges: dict[str, np.ndarray]  # site -> upper bounds of the size-based T categories
    by_size: dict[str, tuple[str, ...]]  # site -> T codes in size order
    words: dict[tuple[str, str], str]  # (site, T) -> plain words
    by_extent: dict[str, tuple[tuple[str, str, int, float], ...]]  # site -> (extent, T, fewest, most sites)


@functools.cache
def t_table() -> TTable:
    """Read ``ajcc8_t_categories.csv`` once into the arrays that :func:`t_category` and the table form search."""
    table = load_table("ajcc8_t_categories.csv")
    edges: dict[str, np.ndarray] = {}
    by_size: dict[str, tuple[str, ...]] = {}
    for site in SITES:
        rows = table[(table.site == site) & (table.by_size == "true")]
        rows = rows.assign(above=rows.size_above_cm.astype(float)).sort_values("above")
        by_size[site] = tuple(rows.t)
        edges[site] = np.array([float(v) for v in rows.size_up_to_cm if v], dtype=float)
    by_extent: dict[str, list[tuple[str, str, int, float]]] = {site: [] for site in SITES}
    for row in table[table.extent != ""].itertuples():
        fewest = int(row.sites_from) if row.sites_from else 0
        most = float(row.sites_to) if row.sites_to else (np.inf if row.sites_from else 0)
        by_extent[row.site].append((row.extent, row.t, fewest, most))
    return TTable(
        edges=edges,
        by_size=by_size,
        words={(row.site, row.t): row.plain_words for row in table.itertuples()},
        by_extent={site: tuple(rows) for site, rows in by_extent.items()},
    )


def t_words(site: str, t: str) -> str:
    """The plain words for a T category at a site, e.g. ``"5 cm or smaller"`` for trunk T1."""
    return t_table().words[(site, t)]


def check_size(size_cm: object) -> float | None:
    """Return a valid size in cm (None when unknown); refuse anything else with a message naming ``size_cm``."""
    if size_cm is None:
        return None
    size = _checks.real_number("size_cm", size_cm, _SIZE_ALLOWED)
    if size <= 0:
        raise ValueError(f"size_cm={_checks.show(size_cm)} is not greater than 0; expected {_SIZE_ALLOWED}")
    return size


def check_extent(site: str, extent: object, sites: object) -> tuple[str | None, int | None]:
    """Validate ``extent`` and ``sites`` for a site; return them normalised (or None)."""
    allowed = tuple(dict.fromkeys(e for e, *_ in t_table().by_extent[site]))
    if extent is None:
        if sites is not None:
            raise ValueError(
                f"sites={_checks.show(sites)} needs extent='multifocal' (a visceral tumour found in several "
                "places); leave sites out otherwise"
            )
        return None, None
    if not isinstance(extent, str):
        raise TypeError(f"extent={_checks.show(extent)} is a {type(extent).__name__}; expected a word such as 'serosa'")
    word = extent.strip().lower().replace(" ", "_").replace("-", "_")
    if word not in EXTENTS:
        raise ValueError(f"extent={_checks.show(extent)} is not allowed; expected one of {', '.join(EXTENTS)}")
    if not allowed:
        raise ValueError(
            f"extent={_checks.show(extent)} does not apply to site {site!r}: there T is set by the size alone; "
            "extent applies to head_and_neck (invades_adjoining_t4a, invades_adjoining_t4b) and visceral "
            "(organ_confined, serosa, beyond_serosa, another_organ, multifocal with sites)"
        )
    if word not in allowed:
        raise ValueError(
            f"extent={_checks.show(extent)} does not apply to site {site!r}; expected one of {', '.join(allowed)}"
        )
    if word != "multifocal":
        if sites is not None:
            raise ValueError(
                f"sites={_checks.show(sites)} applies only to extent='multifocal'; leave it out for {word!r}"
            )
        return word, None
    if sites is None:
        raise ValueError("extent='multifocal' needs sites, the number of places the tumour is found (2 or more)")
    count = _checks.whole_number("sites", sites, "a whole number of sites, 2 or more")
    if count < 2:
        raise ValueError(
            f"sites={_checks.show(sites)} is not 2 or more; a multifocal tumour is found in 2 or more places"
        )
    return word, count


def t_from_extent(site: str, extent: str, sites: int | None) -> str:
    """The T category an already checked extent (and number of sites) gives at a site."""
    for word, t, fewest, most in t_table().by_extent[site]:
        if word == extent and (sites is None or fewest <= sites <= most):
            return t
    raise ValueError(f"sites={sites!r} matches no T category for extent={extent!r}")  # pragma: no cover


def t_category(site: str, size_cm: float | None, *, extent: str | None = None, sites: int | None = None) -> str:
    """Return the AJCC 8 T category of a tumour at a site.

    For the trunk, extremity and retroperitoneum T is set by size. For the head and neck it is set
    by size up to T3, and an ``extent`` of ``"invades_adjoining_t4a"`` or
    ``"invades_adjoining_t4b"`` gives T4a or T4b whatever the size (invasion decides). For
    abdominal and thoracic visceral organs T is the extent, never the size: ``"organ_confined"``
    (T1), ``"serosa"`` (T2a), ``"beyond_serosa"`` (T2b), ``"another_organ"`` (T3) or
    ``"multifocal"`` with ``sites`` 2 (T4a), 3-5 (T4b) or more than 5 (T4c); without an extent a
    visceral tumour is ``"TX"``.

    Args:
        site: any spelling :func:`~sarcoma_edu.clinical.sites.normalize_site` accepts.
        size_cm: greatest dimension in cm, or None when unknown (gives ``"TX"`` unless extent decides).
        extent: keyword-only; see above. Given for a site where it does not apply, it is an error.
        sites: keyword-only; the number of places a multifocal visceral tumour is found.

    Raises:
        TypeError, ValueError: a bad site, size, extent or number of sites.
    """
    site = normalize_site(site)
    size = check_size(size_cm)
    word, count = check_extent(site, extent, sites)
    if word is not None:
        return t_from_extent(site, word, count)
    table = t_table()
    if size is None or not table.by_size[site]:
        return "TX"
    return table.by_size[site][int(np.searchsorted(table.edges[site], size, side="left"))]
