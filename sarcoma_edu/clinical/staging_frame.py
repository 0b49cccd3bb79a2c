"""AJCC 8th edition staging of a whole table at once: :func:`stage_frame`, vectorised.

Each column is checked once per distinct value (a cohort of thousands has a handful of sites and
grades), the T categories are found by one search of the size bands per site
(:mod:`sarcoma_edu.clinical.t_categories`), and the stage groups by one read of the lookup array
that :func:`~sarcoma_edu.clinical.staging.stage` also reads
(:mod:`sarcoma_edu.clinical.stage_groups`): a row is staged exactly as :func:`stage` stages it,
and a row :func:`stage` refuses is refused with its message. The ``size_cm`` column may be left out
when no row's T is set by its size (visceral tumours; head and neck tumours given an invasion extent).
"""

from __future__ import annotations

import contextlib
import numbers
from typing import Literal

import numpy as np
import pandas as pd

from sarcoma_edu.clinical.grading import GRADE_CODES, normalize_grade
from sarcoma_edu.clinical.provenance import looked_up, tracing
from sarcoma_edu.clinical.sites import normalize_site
from sarcoma_edu.clinical.stage_groups import TABLE as GROUPS_TABLE
from sarcoma_edu.clinical.stage_groups import StageGroups, stage_groups
from sarcoma_edu.clinical.staging import stage
from sarcoma_edu.clinical.t_categories import (
    TTable,
    check_extent,
    check_size,
    size_decides,
    t_from_extent,
    t_table,
)
from sarcoma_edu.clinical.vocabulary import SITES, T_CODES
from sarcoma_edu.common import checks as _checks

__all__ = ["stage_frame"]

_FRAME_COLUMNS = ("site", "size_cm", "grade", "nodes", "metastasis")
_EXTENT_COLUMNS = ("extent", "sites")


def _code(value: object, normalize, options: tuple[str, ...]) -> int:
    """The index of ``normalize(value)`` in ``options``, or -1 when the value is refused."""
    with contextlib.suppress(TypeError, ValueError):
        return options.index(normalize(value))
    return -1


def _codes(column: pd.Series, normalize, options: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Normalise each distinct value once; return (codes into options, valid mask).

    A list or dict cell (which cannot be grouped) and a bool (which groups with 1 or 0: ``True == 1``)
    are each checked on their own, so they are refused as :func:`stage` refuses them.
    """
    try:
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
    except TypeError:  # an unhashable cell: check every cell on its own
        values = column.to_numpy(dtype=object)
        picked = np.array([_code(None if _checks.is_missing(v) else v, normalize, options) for v in values])
        return picked.astype(np.int16), picked >= 0
    table = np.full(len(uniques) + 1, -1, dtype=np.int16)  # last slot: missing values
    for i, value in enumerate([*uniques, None]):  # None fills the last slot
        table[i] = _code(value, normalize, options)
    picked = table[codes]  # code -1 reads the last slot
    if column.dtype == object:  # True was grouped with 1 (and False with 0): check again the cells unlike the group's
        for i, first in enumerate(uniques):
            # numpy's bool is no numbers.Number, yet groups with 1 too when it comes first
            if not (isinstance(first, numbers.Number | np.bool_) and first in (0, 1)):
                continue
            rows = np.flatnonzero(codes == i)
            values = column.to_numpy(dtype=object)[rows]
            bools = np.fromiter((type(v) in (bool, np.bool_) for v in values), dtype=bool, count=len(values))
            unlike = bools != (type(first) in (bool, np.bool_))
            seen: dict[tuple[type, object], int] = {}
            picked[rows[unlike]] = [seen.setdefault((type(v), v), _code(v, normalize, options)) for v in values[unlike]]
    return picked, picked >= 0


def _record(groups: StageGroups, t_rules: TTable, site_idx: np.ndarray, t_idx: np.ndarray, row_of: np.ndarray) -> None:
    """Record the T category and stage group rows the staged rows used (as :func:`stage` records one patient's)."""
    pairs = sorted(set(zip(site_idx.tolist(), t_idx.tolist(), strict=True)))
    t_rows = [t_rules.rows[(SITES[si], T_CODES[ti])] for si, ti in pairs if (SITES[si], T_CODES[ti]) in t_rules.rows]
    looked_up("ajcc8_t_categories.csv", *t_rows)
    used = sorted({int(i) for i in row_of})
    looked_up(GROUPS_TABLE, *(groups.groups.iloc[i] for i in used if i >= 0))


def _flags(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    if column.dtype == bool:
        return column.to_numpy(), np.ones(len(column), dtype=bool)
    values = column.to_numpy(dtype=object)
    valid = np.fromiter((isinstance(v, bool | np.bool_) for v in values), dtype=bool, count=len(values))
    return np.where(valid, values, False).astype(bool), valid


def _sizes(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Return (sizes with NaN for unknown, valid mask); missing values mean unknown."""
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        sizes = column.to_numpy(dtype=float, na_value=np.nan)
        return sizes, np.isnan(sizes) | (np.isfinite(sizes) & (sizes > 0))
    values = column.to_numpy(dtype=object)
    sizes = np.full(len(values), np.nan)
    valid = np.zeros(len(values), dtype=bool)
    for i, v in enumerate(values):
        try:
            checked = check_size(None if _checks.is_missing(v) else v)
        except (TypeError, ValueError):
            continue
        valid[i] = True
        sizes[i] = np.nan if checked is None else checked
    return sizes, valid


def _row_args(row: pd.Series) -> dict[str, object]:
    """The arguments :func:`stage` gets for one frame row (missing size or grade -> None; no size column: left out)."""
    args = {c: row[c] for c in _FRAME_COLUMNS if c in row.index}
    args.update({c: row[c] for c in _EXTENT_COLUMNS if c in row.index})
    for c in ("size_cm", "grade", *_EXTENT_COLUMNS):
        if c in args and _checks.is_missing(args[c]):
            args[c] = None
    return args


def _extent_t(df: pd.DataFrame, site_codes: np.ndarray, site_ok: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """T index from the optional extent/sites columns (-1 where they are empty) and a valid mask."""
    t_idx = np.full(len(df), -1, dtype=np.int16)
    valid = np.ones(len(df), dtype=bool)
    if not any(c in df.columns for c in _EXTENT_COLUMNS):
        return t_idx, valid
    extents = df["extent"] if "extent" in df.columns else pd.Series([None] * len(df), index=df.index)
    counts = df["sites"] if "sites" in df.columns else pd.Series([None] * len(df), index=df.index)
    cache: dict[tuple, int] = {}
    for i, (code, word, count) in enumerate(
        zip(site_codes, extents.to_numpy(object), counts.to_numpy(object), strict=True)
    ):
        word = None if _checks.is_missing(word) else word
        count = None if _checks.is_missing(count) else count
        if word is None and count is None:
            continue
        if not site_ok[i]:
            continue  # the bad site is reported already
        key = (int(code), type(word).__name__, repr(word), type(count).__name__, repr(count))  # lists too
        if key not in cache:
            try:
                checked, number = check_extent(SITES[code], word, count)
                cache[key] = T_CODES.index(t_from_extent(SITES[code], checked, number))
            except (TypeError, ValueError):
                cache[key] = -2
        t_idx[i] = max(cache[key], -1)
        valid[i] = cache[key] != -2
    return t_idx, valid


def _row_error(row: pd.Series) -> str:
    try:
        stage(**_row_args(row))  # type: ignore[arg-type]
    except (TypeError, ValueError) as error:
        return str(error)
    return "could not be staged"  # pragma: no cover - the vectorised checks mirror stage()


def stage_frame(df: pd.DataFrame, errors: Literal["raise", "coerce"] = "raise") -> pd.DataFrame:
    """Stage every row of a table at once (vectorised; equal row for row to :func:`stage`).

    Args:
        df: a frame with columns ``site``, ``size_cm``, ``grade``, ``nodes``, ``metastasis``
            holding what :func:`stage` accepts, and optionally ``extent`` and ``sites`` (as the
            keyword arguments of :func:`stage`; empty cells mean not given). A missing size or
            grade (None, NaN, ``<NA>``) means unknown, as None does for :func:`stage`. The
            ``size_cm`` column may be left out when no row's T is set by its size (visceral
            tumours; head and neck tumours given an invasion extent), as the size may be left
            out of :func:`stage` there.
        errors: ``"raise"`` to raise one ValueError naming the first bad rows;
            ``"coerce"`` to stage the good rows and give bad rows a ``<NA>`` stage and a
            message in an added ``error`` column.

    Returns:
        A copy of ``df`` with added string columns ``t``, ``n``, ``m``, ``g`` and ``stage``
        (``<NA>`` where no stage group applies).

    Raises:
        TypeError: if ``df`` is not a DataFrame.
        ValueError: a required column is missing (``size_cm`` too, when a row's T is set by its
            size), ``errors`` is not allowed, or (with ``errors="raise"``) a row cannot be staged.
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df is a {type(df).__name__}; expected a pandas DataFrame")
    if errors not in ("raise", "coerce"):
        raise ValueError(f"errors={errors!r} is not allowed; expected 'raise' or 'coerce'")
    missing = [c for c in _FRAME_COLUMNS if c not in df.columns]
    if [c for c in missing if c != "size_cm"]:
        raise ValueError(f"df is missing column(s) {', '.join(missing)}; expected {', '.join(_FRAME_COLUMNS)}")

    t_rules, groups = t_table(), stage_groups()
    site_codes, site_ok = _codes(df["site"], normalize_site, SITES)
    grade_codes, grade_ok = _codes(df["grade"], normalize_grade, GRADE_CODES)
    if missing:  # no size column: every size is left out, which only a row whose extent sets T may be
        sizes, size_ok = np.full(len(df), np.nan), np.ones(len(df), dtype=bool)
    else:
        sizes, size_ok = _sizes(df["size_cm"])
    nodes, nodes_ok = _flags(df["nodes"])
    mets, mets_ok = _flags(df["metastasis"])
    extent_idx, extent_ok = _extent_t(df, site_codes, site_ok)
    if missing:
        by_size = np.array([size_decides(site, None) for site in SITES])
        needs = np.flatnonzero(site_ok & extent_ok & (extent_idx < 0) & by_size[np.where(site_ok, site_codes, 0)])
        if len(needs):
            first = needs[0]
            raise ValueError(
                f"df is missing column(s) size_cm; expected {', '.join(_FRAME_COLUMNS)}. It may be left out only "
                "when no row's T is set by its size (visceral tumours; head and neck tumours given an invasion "
                "extent), and "
                f"{len(needs)} row(s) need a size, first row {_checks.show(df.index[first])} "
                f"(site {SITES[site_codes[first]]!r})"
            )
    ok = site_ok & grade_ok & size_ok & nodes_ok & mets_ok & extent_ok

    site_idx = np.where(ok, site_codes, 0)
    t_idx = np.full(len(df), T_CODES.index("TX"), dtype=np.int16)
    known = ok & ~np.isnan(sizes)
    for si, site in enumerate(SITES):
        chosen = known & (site_idx == si)
        if t_rules.by_size[site] and chosen.any():
            position = np.searchsorted(t_rules.edges[site], sizes[chosen], side="left")
            t_idx[chosen] = np.array([T_CODES.index(code) for code in t_rules.by_size[site]])[position]
    t_idx = np.where(ok & (extent_idx >= 0), extent_idx, t_idx)
    n_idx, m_idx = nodes.astype(np.int8), mets.astype(np.int8)
    g_idx = np.where(ok, grade_codes, 0)

    row_of = groups.lookup[site_idx, t_idx, n_idx, m_idx, g_idx]
    if tracing():
        _record(groups, t_rules, site_idx[ok], t_idx[ok], row_of[ok])
    stage_names = np.array([*groups.groups.stage, None], dtype=object)  # -1 picks None
    stage_values = np.where(ok, stage_names[row_of], None)

    bad = np.flatnonzero(~ok)
    if len(bad) and errors == "raise":
        shown = "; ".join(f"row {_checks.show(df.index[i])}: {_row_error(df.iloc[i])}" for i in bad[:3])
        more = f" (and {len(bad) - 3} more)" if len(bad) > 3 else ""
        raise ValueError(f"df has {len(bad)} row(s) that cannot be staged{more}: {shown}")

    def as_text(labels: list[str], index: np.ndarray) -> pd.array:
        return pd.array(np.where(ok, np.array(labels, dtype=object)[index], None), dtype="string")

    out = df.copy()
    out["t"] = as_text(list(T_CODES), t_idx)
    out["n"] = as_text(["N0", "N1"], n_idx)
    out["m"] = as_text(["M0", "M1"], m_idx)
    out["g"] = as_text(list(GRADE_CODES), g_idx)
    out["stage"] = pd.array(stage_values, dtype="string")
    if errors == "coerce":
        messages = np.full(len(df), None, dtype=object)
        for i in bad:
            messages[i] = _row_error(df.iloc[i])
        out["error"] = pd.array(messages, dtype="string")
    return out
