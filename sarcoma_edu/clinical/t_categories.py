"""The AJCC 8th edition T category of a tumour: set by its size, or by its extent, as its site says.

``datasets/ajcc8_t_categories.csv`` gives, for each site, the size bands of the T categories set
by size (trunk, extremity, retroperitoneum, head and neck up to T3) and the extents that set T
whatever the size (head and neck T4a/T4b by invasion; every visceral T, by how far the tumour
has grown or in how many places it is found), each with its plain words. :func:`t_category`
applies it to one tumour; the size and extent checks here are shared with
:func:`~sarcoma_edu.clinical.staging.stage` and :func:`~sarcoma_edu.clinical.staging_frame.stage_frame`,
so every surface refuses the same values with the same words. A size may be left out
(:data:`NOT_GIVEN`) wherever it does not set T (:func:`size_decides`): a visceral tumour always, a head
and neck tumour whose invasion sets T4a or T4b. Left out where it does set T, it is refused; a size
given as None is known to be unknown (TX).
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass

import numpy as np

from sarcoma_edu.clinical.provenance import looked_up
from sarcoma_edu.clinical.sites import normalize_site
from sarcoma_edu.clinical.tables import load_table
from sarcoma_edu.clinical.vocabulary import EXTENTS, SITES
from sarcoma_edu.common import checks as _checks

__all__ = [
    "NOT_GIVEN",
    "NotGiven",
    "TTable",
    "check_extent",
    "check_size",
    "size_decides",
    "t_category",
    "t_from_extent",
    "t_table",
    "t_words",
]

_TABLE = "ajcc8_t_categories.csv"
_SIZE_ALLOWED = "the greatest dimension in cm, a finite number greater than 0, or None if unknown"


class NotGiven(enum.Enum):
    """The marker of a size left out, which is not None: None says the size is known to be unknown (TX)."""

    NOT_GIVEN = "not given"

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven.NOT_GIVEN


@dataclass(frozen=True)
class TTable:
    """The T category table compiled for lookup, one entry per site."""

    edges: dict[str, np.ndarray]  # site -> upper bounds of the size-based T categories
    by_size: dict[str, tuple[str, ...]]  # site -> T codes in size order
    words: dict[tuple[str, str], str]  # (site, T) -> plain words
    by_extent: dict[str, tuple[tuple[str, str, int, float], ...]]  # site -> (extent, T, fewest, most sites)
    rows: dict[tuple[str, str], dict[str, str]]  # (site, T) -> its row of the table


@functools.cache
def t_table() -> TTable:
    """Read ``ajcc8_t_categories.csv`` once into the arrays that :func:`t_category` and the table form search."""
    table = load_table(_TABLE)
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
        rows={(row["site"], row["t"]): row for row in table.to_dict("records")},
    )


def t_words(site: str, t: str) -> str:
    """The plain words for a T category at a site, e.g. ``"5 cm or smaller"`` for trunk T1."""
    looked_up(_TABLE, t_table().rows[(site, t)])
    return t_table().words[(site, t)]


def check_size(size_cm: object) -> float | None:
    """Return a valid size in cm (None when unknown or left out); refuse anything else, naming ``size_cm``."""
    if size_cm is None or size_cm is NOT_GIVEN:
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
            looked_up(_TABLE, t_table().rows[(site, t)])
            return t
    raise ValueError(f"sites={sites!r} matches no T category for extent={extent!r}")  # pragma: no cover


def size_decides(site: str, extent: str | None) -> bool:
    """Whether the size sets T for a site name and an already checked extent (None when not given).

    It does not where the extent sets T (head and neck T4a/T4b, every visceral T), nor at a site whose T
    categories are never a size (the visceral organs, with or without an extent).
    """
    return extent is None and bool(t_table().by_size[site])


def _size_needed(site: str) -> str:
    """The message for a size left out where it sets T, naming ``size_cm`` and the extents that would set T."""
    extents = tuple(dict.fromkeys(e for e, *_ in t_table().by_extent[site]))
    first, last = t_table().by_size[site][0], t_table().by_size[site][-1]
    if extents:
        return (
            f"size_cm is needed for site {site!r} when no extent is given: {first} to {last} are set by the size "
            f"(an extent of {' or '.join(extents)} sets T whatever the size); expected {_SIZE_ALLOWED}"
        )
    return f"size_cm is needed for site {site!r}: T ({first} to {last}) is set by the size; expected {_SIZE_ALLOWED}"


def t_category(
    site: str,
    size_cm: float | NotGiven | None = NOT_GIVEN,
    *,
    extent: str | None = None,
    sites: int | None = None,
) -> str:
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
            It may be left out where it does not set T (:func:`size_decides`).
        extent: keyword-only; see above. Given for a site where it does not apply, it is an error.
        sites: keyword-only; the number of places a multifocal visceral tumour is found.

    Raises:
        TypeError: a value of the wrong type, or the size left out where it sets T.
        ValueError: a bad site, size, extent or number of sites.
    """
    site = normalize_site(site)
    size = check_size(size_cm)
    word, count = check_extent(site, extent, sites)
    if size_cm is NOT_GIVEN and size_decides(site, word):
        raise TypeError(_size_needed(site))
    if word is not None:
        return t_from_extent(site, word, count)
    table = t_table()
    if size is None or not table.by_size[site]:
        looked_up(_TABLE)  # no row: TX rests on the table having no size band for this tumour
        return "TX"
    t = table.by_size[site][int(np.searchsorted(table.edges[site], size, side="left"))]
    looked_up(_TABLE, table.rows[(site, t)])
    return t
