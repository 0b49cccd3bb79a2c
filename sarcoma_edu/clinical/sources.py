"""Sources as data: the bibliography in ``datasets/sources.csv`` and the check that every cited source is in it.

Every ``source`` value in the toolkit's tables, quiz banks and case files is one or more citations
joined by ``;``. Each citation starts with a known key from ``datasets/sources.csv`` (``PDQ-PT``,
``AJCC8``, ``Keung`` ...), which a date, section or page may follow: ``PDQ-HP (2025-02-21): SCARE
mnemonic``. :func:`unknown_citations` names the citations that do not, and
:func:`bibliography` writes the Markdown lines that the README and each lesson's Sources cell show.
"""

from __future__ import annotations

import functools
import re

from sarcoma_edu.clinical.tables import load_table

__all__ = ["bibliography", "bibliography_line", "citation_key", "load_sources", "unknown_citations"]


@functools.cache
def load_sources() -> dict[str, dict[str, str]]:
    """Return the bibliography, key -> {citation, date, where}, in the table's order.

    Example:
        >>> load_sources()["PDQ-PT"]["date"]
        '2023-06-02'
    """
    return {row["key"]: row for row in load_table("sources.csv").to_dict("records")}


@functools.cache
def _pattern() -> re.Pattern[str]:
    keys = sorted(load_sources(), key=len, reverse=True)  # longest first: "FDA label" before "FDA"
    return re.compile(r"^(" + "|".join(re.escape(k) for k in keys) + r")(?![A-Za-z0-9])")


def citation_key(citation: str) -> str | None:
    """Return the key a citation starts with (``"PDQ-HP (2025-02-21): SCARE"`` -> ``"PDQ-HP"``), or None."""
    match = _pattern().match(citation.strip())
    return match.group(1) if match else None


def unknown_citations(source: str) -> list[str]:
    """Return the citations of a ``source`` value (split on ``;``) that start with no known key.

    An empty value is itself a problem: every row must say where its fact comes from.
    """
    if not source or not source.strip():
        return ["(empty source)"]
    return [part.strip() for part in source.split(";") if citation_key(part) is None]


def bibliography_line(key: str) -> str:
    """Return one Markdown bullet for a key: ``- KEY: citation (date).``

    Raises:
        KeyError: an unknown key (the message lists the known ones).
    """
    sources = load_sources()
    if key not in sources:
        raise KeyError(f"key={key!r} is not in datasets/sources.csv; known keys: {', '.join(sources)}")
    row = sources[key]
    parts = [d.strip() for d in row["date"].split(";") if d.strip()]
    date = f" ({row['date']})" if parts and not any(d in row["citation"] for d in parts) else ""
    return f"- {key}: {row['citation']}{date}."


def bibliography(keys: list[str] | None = None) -> str:
    """Return the bibliography as Markdown bullets, for the given keys in order (default: all)."""
    return "\n".join(bibliography_line(k) for k in (keys if keys is not None else list(load_sources())))
