"""The anatomic sites of a soft tissue sarcoma: the words accepted for each, and what AJCC 8 gives it.

``datasets/sites.csv`` lists every accepted spelling of the five AJCC 8th edition sites (``arm``
and ``leg`` are the extremity), whether the site has stage groups (the trunk, extremity and
retroperitoneum do; the head and neck and the visceral organs do not), and the source of that
rule. :func:`normalize_site` turns what a user typed into a site name; staging and spread read
the rest.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from sarcoma_edu.clinical.provenance import looked_up
from sarcoma_edu.clinical.tables import load_table
from sarcoma_edu.clinical.vocabulary import SITES
from sarcoma_edu.common import checks as _checks

__all__ = ["has_stage_groups", "normalize_site", "site_source"]


@dataclass(frozen=True)
class _Sites:
    aliases: dict[str, str]  # accepted site word -> site
    staged: dict[str, bool]  # site -> has AJCC stage groups
    source: dict[str, str]  # site -> the source of its rule
    rows: dict[str, dict[str, str]]  # accepted site word -> its row (a site's own row under its name)


@functools.cache
def _sites() -> _Sites:
    sites = load_table("sites.csv")
    return _Sites(
        aliases=dict(zip(sites.name, sites.site, strict=True)),
        staged={row.site: row.has_stage_groups == "true" for row in sites.itertuples()},
        source={row.site: row.source for row in sites.itertuples() if row.name == row.site},  # not an alias
        rows={row["name"]: row for row in sites.to_dict("records")},
    )


def normalize_site(site: object) -> str:
    """Return the site name for any accepted spelling (case-insensitive; arm and leg = extremity).

    Raises:
        TypeError: if ``site`` is not a string.
        ValueError: for an unknown site; the message suggests the closest valid one.
    """
    aliases = _sites().aliases
    key = _checks.choice("site", site, tuple(aliases), shown=[*SITES, "arm", "leg"])
    looked_up("sites.csv", _sites().rows[key])
    return aliases[key]


def has_stage_groups(site: str) -> bool:
    """Whether AJCC 8 defines stage groups for a site name (as :func:`normalize_site` returns it)."""
    looked_up("sites.csv", _sites().rows[site])
    return _sites().staged[site]


def site_source(site: str) -> str:
    """The source of a site's AJCC 8 rules (its T categories, and its stage groups or their absence)."""
    looked_up("sites.csv", _sites().rows[site])
    return _sites().source[site]
