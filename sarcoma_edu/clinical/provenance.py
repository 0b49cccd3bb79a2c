"""Rule provenance: which rows of which tables an answer was computed from.

Every row of a table in ``datasets/`` has a stable key, made of the columns that say *which* row it
is rather than what it says (:data:`ROW_KEYS`: a stage group row is its site, T, N, M and G, so a
row whose stage is edited keeps its key), and a hash of its cells; each table has a hash of all its
rows in order. A :class:`RowRef` names one row as it was: table, key and hash.

Inside :func:`trace` the rules record what they read. Each lookup calls :func:`looked_up`: with the
row it matched and used, or with no row when it found none (the answer then rests on the table as a
whole, so the table's hash is kept); a catalog that hands out a whole table calls :func:`read_whole`.
The trace collects the rows (:attr:`Trace.depends_on`) and the hash of every table consulted
(:attr:`Trace.tables`), so a change to a row the answer used shows as that row, and a change
elsewhere in a table (a row added, or an earlier row that now matches first) shows as the table.
Outside a trace, recording costs one context-variable read and results never change.

A lookup is recorded where its row is used, outside any cached function: a cache hit would not
record it again. :mod:`sarcoma_edu.course.keys` computes each content item's key under a trace.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from sarcoma_edu.clinical.tables import load_table, table_rows

__all__ = [
    "ROW_KEYS",
    "RowRef",
    "Trace",
    "aside",
    "looked_up",
    "read_whole",
    "row_refs",
    "table_hash",
    "trace",
    "tracing",
]

# the columns that name a row (not what it says); a table not listed is keyed by all its columns
ROW_KEYS: dict[str, tuple[str, ...]] = {
    "sites.csv": ("name",),
    "ajcc8_t_categories.csv": ("site", "t"),
    "ajcc8_stage_groups.csv": ("site", "t", "n", "m", "g"),
    "grade_terms.csv": ("term",),
    "fnclcc_scores.csv": ("component", "score"),
    "fnclcc_grades.csv": ("grade",),
    "treatment_stage_map.csv": ("stage", "n", "m", "g"),
    "treatment_situations.csv": ("situation",),
    "treatment_options.csv": ("situation", "order"),
    "plan_paths.csv": ("situation", "n", "m", "resectable"),
    "plan_rules.csv": ("situation", "site", "stage", "grade", "path", "modality", "timing", "action"),
    "sequencing_phases.csv": ("phase_id",),
    "surgical_margins.csv": ("site",),
    "drugs.csv": ("name",),
    "spread_routes.csv": ("route",),
    "spread_patterns.csv": ("destination", "route", "scope"),
    "histologies.csv": ("histology",),
    "risk_factors.csv": ("factor",),
    "tests.csv": ("name",),
    "modalities.csv": ("name",),
    "survival_seer.csv": ("seer_stage",),
    "site_distribution.csv": ("site_group",),
    "teaching_cohort.csv": ("patient_id",),
    "cohort_parameters.csv": ("parameter",),
}
_HASH_DIGITS = 16


@dataclass(frozen=True, order=True)
class RowRef:
    """One row of a table as it was read: the table's file name, the row's key and the hash of its cells."""

    table: str
    row: str
    hash: str

    def as_json(self) -> dict[str, str]:
        """``{"table", "row", "hash"}``, as a lock file stores it."""
        return {"table": self.table, "row": self.row, "hash": self.hash}


@dataclass
class Trace:
    """What the rules read inside one :func:`trace`: the rows used, in order, and each consulted table's hash."""

    rows: dict[RowRef, None] = field(default_factory=dict)  # an ordered set
    tables: dict[str, str] = field(default_factory=dict)

    @property
    def depends_on(self) -> tuple[RowRef, ...]:
        """The rows the answer was computed from, each once, sorted by table and key."""
        return tuple(sorted(self.rows))


_ACTIVE: contextvars.ContextVar[tuple[Trace, ...]] = contextvars.ContextVar("sarcoma_edu_trace", default=())


@contextlib.contextmanager
def trace() -> Iterator[Trace]:
    """Collect the table rows the rules look up inside the ``with`` block.

    Traces nest: a lookup is recorded in every trace open around it. The results of the rules are
    the same inside a trace as outside.

    Example:
        >>> from sarcoma_edu.clinical.staging import stage
        >>> with trace() as seen:
        ...     result = stage("extremity", 7, "high")
        >>> [ref.row for ref in seen.depends_on if ref.table == "ajcc8_stage_groups.csv"]
        ['site=extremity, t=T2, n=N0, m=M0, g=G2|G3']
    """
    found = Trace()
    token = _ACTIVE.set((*_ACTIVE.get(), found))
    try:
        yield found
    finally:
        _ACTIVE.reset(token)


@contextlib.contextmanager
def aside() -> Iterator[None]:
    """Record nothing inside the block: for what is computed beside an answer (a wrong choice's text), not from it."""
    token = _ACTIVE.set(())
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def tracing() -> bool:
    """Whether a :func:`trace` is open (a vectorised rule checks this before collecting its rows)."""
    return bool(_ACTIVE.get())


def _cells(row: object, columns: tuple[str, ...]) -> tuple[str, ...]:
    """The cells of ``columns`` from a row as a rule holds it: a dict, a pandas Series or an itertuples tuple."""
    if isinstance(row, Mapping) or (hasattr(row, "index") and hasattr(row, "iloc")):  # a dict or a Series
        return tuple(str(row[c]) for c in columns)
    return tuple(str(getattr(row, c)) for c in columns)


def _key(name: str, columns: tuple[str, ...], cells: tuple[str, ...]) -> str:
    return ", ".join(f"{c}={v}" for c, v in zip(columns, cells, strict=True))


def _digest(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:_HASH_DIGITS]


def _columns(name: str) -> tuple[str, ...]:
    return ROW_KEYS.get(name) or tuple(load_table(name).columns)


@functools.cache
def _index(name: str) -> tuple[str, dict[str, RowRef]]:
    """(the table's hash, key -> RowRef) for one table, read once (dropped when the datasets folder changes)."""
    columns = _columns(name)
    refs: dict[str, RowRef] = {}
    for row in table_rows(name):
        key = _key(name, columns, _cells(row, columns))
        if key in refs:  # a hand edit that repeats a key: the later row is named by its place too
            key = f"{key} (#{sum(k == key or k.startswith(f'{key} (#') for k in refs) + 1})"
        refs[key] = RowRef(name, key, _digest(row))
    header = list(load_table(name).columns)
    return _digest([header, [ref.hash for ref in refs.values()]]), refs


def table_hash(name: str) -> str:
    """The hash of a table's header and rows, in order: any edit to the file's cells changes it."""
    return _index(name)[0]


def row_refs(name: str) -> dict[str, RowRef]:
    """Every row of a table by key, as :class:`RowRef` (the table as it is now)."""
    return dict(_index(name)[1])


def looked_up(name: str, *rows: object) -> None:
    """Record that a rule consulted table ``name`` and used ``rows`` (none: it found no row that applies).

    Args:
        name: the table's file name, e.g. ``"ajcc8_stage_groups.csv"``.
        rows: the rows used, as the rule holds them (a dict of cells, a pandas Series or an
            ``itertuples()`` tuple); only their key columns are read.

    Raises:
        KeyError: a row that is not in the table as it is now (a rule recorded a row it made up).
    """
    active = _ACTIVE.get()
    if not active:
        return
    digest, refs = _index(name)
    columns = _columns(name)
    used = [refs[_key(name, columns, _cells(row, columns))] for row in rows]
    for found in active:
        found.tables[name] = digest
        found.rows.update(dict.fromkeys(used))


def read_whole(name: str) -> None:
    """Record that a rule handed out table ``name`` whole (a catalog): every row of it is used."""
    active = _ACTIVE.get()
    if not active:
        return
    digest, refs = _index(name)
    for found in active:
        found.tables[name] = digest
        found.rows.update(dict.fromkeys(refs.values()))
