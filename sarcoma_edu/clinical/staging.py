"""AJCC 8th edition staging of adult soft tissue sarcoma, by anatomic site.

The rules are tables: T categories by site in ``datasets/ajcc8_t_categories.csv``, stage groups
in ``datasets/ajcc8_stage_groups.csv``, site names in ``datasets/sites.csv``. They are compiled
once into a lookup array that both :func:`stage` (one patient) and :func:`stage_frame` (a whole
table, vectorised) read, so the two always agree.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import numbers
from dataclasses import asdict, dataclass
from typing import Literal

import numpy as np
import pandas as pd

from sarcoma_edu.clinical.grading import GRADE_CODES, grade_words, normalize_grade
from sarcoma_edu.clinical.tables import EXTENTS, DatasetError, load_table
from sarcoma_edu.common import checks as _checks

__all__ = ["EXTENTS", "SITES", "STAGES", "StageResult", "normalize_site", "stage", "stage_frame", "t_category"]

SITES: tuple[str, ...] = ("trunk", "extremity", "retroperitoneum", "head_and_neck", "visceral")
STAGES: tuple[str, ...] = ("IA", "IB", "II", "IIIA", "IIIB", "IV")
_T_CODES = ("T1", "T2", "T2a", "T2b", "T3", "T4", "T4a", "T4b", "T4c", "TX")
_SIZE_ALLOWED = "the greatest dimension in cm, a finite number greater than 0, or None if unknown"

Stage = Literal["IA", "IB", "II", "IIIA", "IIIB", "IV"]


@dataclass(frozen=True)
class StageResult:
    """The AJCC 8th edition categories and stage group of one tumour.

    Attributes:
        site: ``"trunk"``, ``"extremity"``, ``"retroperitoneum"``, ``"head_and_neck"`` or
            ``"visceral"``.
        t: ``"T1"`` to ``"T4"``, or ``"TX"`` when it cannot be set from the size given.
        n: ``"N0"`` or ``"N1"`` (regional lymph node spread).
        m: ``"M0"`` or ``"M1"`` (distant metastasis).
        g: ``"G1"``, ``"G2"``, ``"G3"`` or ``"GX"`` (grade unknown).
        stage: ``"IA"``, ``"IB"``, ``"II"``, ``"IIIA"``, ``"IIIB"``, ``"IV"``, or None when no
            stage group applies (head and neck, visceral, or size unknown without spread).
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


# --- the compiled tables ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Rules:
    aliases: dict[str, str]  # accepted site word -> site
    staged: dict[str, bool]  # site -> has AJCC stage groups
    site_source: dict[str, str]
    edges: dict[str, np.ndarray]  # site -> upper bounds of the size-based T categories
    t_by_size: dict[str, tuple[str, ...]]  # site -> T codes in size order
    t_words: dict[tuple[str, str], str]  # (site, T) -> plain words
    by_extent: dict[str, tuple[tuple[str, str, int, float], ...]]  # site -> (extent, T, fewest, most sites)
    lookup: np.ndarray  # [site, T (TX last), N, M, G] -> row index into groups, -1 for none
    groups: pd.DataFrame  # the stage group table


def _matches(cell: str, value: str) -> bool:
    return cell == "any" or value in cell.split("|")


@functools.cache
def _rules() -> _Rules:
    sites = load_table("sites.csv")
    t_table = load_table("ajcc8_t_categories.csv")
    groups = load_table("ajcc8_stage_groups.csv")

    edges: dict[str, np.ndarray] = {}
    t_by_size: dict[str, tuple[str, ...]] = {}
    for site in SITES:
        rows = t_table[(t_table.site == site) & (t_table.by_size == "true")]
        rows = rows.assign(above=rows.size_above_cm.astype(float)).sort_values("above")
        t_by_size[site] = tuple(rows.t)
        edges[site] = np.array([float(v) for v in rows.size_up_to_cm if v], dtype=float)

    lookup = np.full((len(SITES), len(_T_CODES), 2, 2, len(GRADE_CODES)), -1, dtype=np.int16)
    for (si, site), (ti, t), n, m, (gi, g) in itertools.product(
        enumerate(SITES), enumerate(_T_CODES), (0, 1), (0, 1), enumerate(GRADE_CODES)
    ):
        hits = [
            i
            for i, row in enumerate(groups.itertuples())
            if row.site == site
            and _matches(row.t, t)
            and _matches(row.n, f"N{n}")
            and _matches(row.m, f"M{m}")
            and _matches(row.g, g)
        ]
        if len(hits) > 1:
            raise DatasetError(
                f"ajcc8_stage_groups.csv: rows {[h + 2 for h in hits]} all match {site} {t} N{n} M{m} {g}; "
                "each combination must match at most one row"
            )
        if hits:
            lookup[si, ti, n, m, gi] = hits[0]

    by_extent: dict[str, list[tuple[str, str, int, float]]] = {site: [] for site in SITES}
    for row in t_table[t_table.extent != ""].itertuples():
        fewest = int(row.sites_from) if row.sites_from else 0
        most = float(row.sites_to) if row.sites_to else (np.inf if row.sites_from else 0)
        by_extent[row.site].append((row.extent, row.t, fewest, most))

    return _Rules(
        aliases=dict(zip(sites.name, sites.site, strict=True)),
        staged={row.site: row.has_stage_groups == "true" for row in sites.itertuples()},
        site_source={row.site: row.source for row in sites.itertuples() if row.name == row.site},  # not an alias
        edges=edges,
        t_by_size=t_by_size,
        t_words={(row.site, row.t): row.plain_words for row in t_table.itertuples()},
        by_extent={site: tuple(rows) for site, rows in by_extent.items()},
        lookup=lookup,
        groups=groups,
    )


# --- one patient ------------------------------------------------------------------------------


def normalize_site(site: object) -> str:
    """Return the site name for any accepted spelling (case-insensitive; arm and leg = extremity).

    Raises:
        TypeError: if ``site`` is not a string.
        ValueError: for an unknown site; the message suggests the closest valid one.
    """
    aliases = _rules().aliases
    key = _checks.choice("site", site, tuple(aliases), shown=[*SITES, "arm", "leg"])
    return aliases[key]


def _check_size(size_cm: object) -> float | None:
    if size_cm is None:
        return None
    size = _checks.real_number("size_cm", size_cm, _SIZE_ALLOWED)
    if size <= 0:
        raise ValueError(f"size_cm={_checks.show(size_cm)} is not greater than 0; expected {_SIZE_ALLOWED}")
    return size


def _check_extent(site: str, extent: object, sites: object) -> tuple[str | None, int | None]:
    """Validate ``extent`` and ``sites`` for a site; return them normalised (or None)."""
    rules = _rules()
    allowed = tuple(dict.fromkeys(e for e, *_ in rules.by_extent[site]))
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


def _t_from_extent(site: str, extent: str, sites: int | None) -> str:
    for word, t, fewest, most in _rules().by_extent[site]:
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
        site: any spelling :func:`normalize_site` accepts.
        size_cm: greatest dimension in cm, or None when unknown (gives ``"TX"`` unless extent decides).
        extent: keyword-only; see above. Given for a site where it does not apply, it is an error.
        sites: keyword-only; the number of places a multifocal visceral tumour is found.

    Raises:
        TypeError, ValueError: a bad site, size, extent or number of sites.
    """
    site = normalize_site(site)
    size = _check_size(size_cm)
    word, count = _check_extent(site, extent, sites)
    if word is not None:
        return _t_from_extent(site, word, count)
    rules = _rules()
    if size is None or not rules.t_by_size[site]:
        return "TX"
    return rules.t_by_size[site][int(np.searchsorted(rules.edges[site], size, side="left"))]


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
        return f"{_rules().t_words[(site, t)]} ({t}{sized}; {rule})"
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
        return f"{_rules().t_words[(site, t)]} ({t}; no invasion of adjoining structures given, so the size decides)"
    return f"{_rules().t_words[(site, t)]} ({t})"


def _describe(
    site: str, size: float | None, t: str, n: int, m: int, g: str, by_extent: bool = False
) -> tuple[str | None, str, str]:
    """Return (stage, explanation, source) for already validated categories."""
    rules = _rules()
    facts = f"{_size_words(site, t, size, by_extent)}, {grade_words(g)} ({g}), {_SPREAD[(n, m)]}"
    if not rules.staged[site]:
        label = "head and neck" if site == "head_and_neck" else "abdominal or thoracic visceral organs"
        return (
            None,
            f"No stage group: AJCC 8th edition defines T, N, M and G for sarcoma of the {label} "
            f"but no stage groups, so no standard stage group applies. Here: {facts}.",
            rules.site_source[site],
        )
    row_index = int(rules.lookup[SITES.index(site), _T_CODES.index(t), n, m, GRADE_CODES.index(g)])
    if row_index < 0:
        return (
            None,
            f"No stage group: {facts}; without nodal or distant spread the stage depends on the "
            "tumour size, so none can be assigned while the size is unknown.",
            rules.site_source[site],
        )
    row = rules.groups.iloc[row_index]
    text = f"Stage {row.stage}: {facts}"
    if row.note:
        text += f"; {row.note}"
    if g == "GX" and "GX" in row.g.split("|"):
        text += "; grade unknown (GX) is staged like low grade (G1)"
    return row.stage, text + ".", row.source


def stage(
    site: str,
    size_cm: float | None,
    grade: int | str | None,
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
        size_cm: greatest dimension in cm, a finite number > 0, or None when unknown (TX).
        grade: 1, 2, 3; ``"G1"``-``"G3"``, ``"GX"``; ``"low"``, ``"mid"``, ``"intermediate"``,
            ``"high"``, ``"unknown"``; or None (= GX, grouped with G1 for staging).
        nodes: True if the cancer has spread to regional lymph nodes (N1).
        metastasis: True if it has spread to distant sites (M1).
        extent: keyword-only, for the sites whose T is not (only) size: head and neck
            ``"invades_adjoining_t4a"``/``"invades_adjoining_t4b"``; visceral ``"organ_confined"``,
            ``"serosa"``, ``"beyond_serosa"``, ``"another_organ"`` or ``"multifocal"`` (see
            :func:`t_category`). Size stays optional for visceral tumours.
        sites: keyword-only, the number of places a multifocal visceral tumour is found.

    Returns:
        A :class:`StageResult` with T, N, M, G, the stage group (or None) and an explanation.

    Raises:
        TypeError: an argument of the wrong type (a bool size, ``nodes="yes"``, ...).
        ValueError: a value out of range (size 0, grade 4, unknown site, ...).

    Example:
        >>> stage("extremity", 7, "high").stage
        'IIIA'
    """
    site_name = normalize_site(site)
    size = _check_size(size_cm)
    g = normalize_grade(grade)
    n = int(_checks.boolean("nodes", nodes))
    m = int(_checks.boolean("metastasis", metastasis))
    t = t_category(site_name, size, extent=extent, sites=sites)
    stage_group, explanation, source = _describe(site_name, size, t, n, m, g, by_extent=extent is not None)
    return StageResult(site_name, t, f"N{n}", f"M{m}", g, stage_group, explanation, source)


# --- a whole table ----------------------------------------------------------------------------

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
            if not (isinstance(first, numbers.Number) and first in (0, 1)):
                continue
            rows = np.flatnonzero(codes == i)
            values = column.to_numpy(dtype=object)[rows]
            bools = np.fromiter((type(v) in (bool, np.bool_) for v in values), dtype=bool, count=len(values))
            unlike = bools != (type(first) in (bool, np.bool_))
            seen: dict[tuple[type, object], int] = {}
            picked[rows[unlike]] = [seen.setdefault((type(v), v), _code(v, normalize, options)) for v in values[unlike]]
    return picked, picked >= 0


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
            checked = _check_size(None if _checks.is_missing(v) else v)
        except (TypeError, ValueError):
            continue
        valid[i] = True
        sizes[i] = np.nan if checked is None else checked
    return sizes, valid


def _row_args(row: pd.Series) -> dict[str, object]:
    """The arguments :func:`stage` gets for one frame row (missing size or grade -> None)."""
    args = {c: row[c] for c in _FRAME_COLUMNS}
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
                checked, number = _check_extent(SITES[code], word, count)
                cache[key] = _T_CODES.index(_t_from_extent(SITES[code], checked, number))
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
            grade (None, NaN, ``<NA>``) means unknown, as None does for :func:`stage`.
        errors: ``"raise"`` to raise one ValueError naming the first bad rows;
            ``"coerce"`` to stage the good rows and give bad rows a ``<NA>`` stage and a
            message in an added ``error`` column.

    Returns:
        A copy of ``df`` with added string columns ``t``, ``n``, ``m``, ``g`` and ``stage``
        (``<NA>`` where no stage group applies).

    Raises:
        TypeError: if ``df`` is not a DataFrame.
        ValueError: a required column is missing, ``errors`` is not allowed, or (with
            ``errors="raise"``) a row cannot be staged.
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df is a {type(df).__name__}; expected a pandas DataFrame")
    if errors not in ("raise", "coerce"):
        raise ValueError(f"errors={errors!r} is not allowed; expected 'raise' or 'coerce'")
    missing = [c for c in _FRAME_COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"df is missing column(s) {', '.join(missing)}; expected {', '.join(_FRAME_COLUMNS)}")

    rules = _rules()
    site_codes, site_ok = _codes(df["site"], normalize_site, SITES)
    grade_codes, grade_ok = _codes(df["grade"], normalize_grade, GRADE_CODES)
    sizes, size_ok = _sizes(df["size_cm"])
    nodes, nodes_ok = _flags(df["nodes"])
    mets, mets_ok = _flags(df["metastasis"])
    extent_idx, extent_ok = _extent_t(df, site_codes, site_ok)
    ok = site_ok & grade_ok & size_ok & nodes_ok & mets_ok & extent_ok

    site_idx = np.where(ok, site_codes, 0)
    t_idx = np.full(len(df), _T_CODES.index("TX"), dtype=np.int16)
    known = ok & ~np.isnan(sizes)
    for si, site in enumerate(SITES):
        chosen = known & (site_idx == si)
        if rules.t_by_size[site] and chosen.any():
            position = np.searchsorted(rules.edges[site], sizes[chosen], side="left")
            t_idx[chosen] = np.array([_T_CODES.index(code) for code in rules.t_by_size[site]])[position]
    t_idx = np.where(ok & (extent_idx >= 0), extent_idx, t_idx)
    n_idx, m_idx = nodes.astype(np.int8), mets.astype(np.int8)
    g_idx = np.where(ok, grade_codes, 0)

    row_of = rules.lookup[site_idx, t_idx, n_idx, m_idx, g_idx]
    stage_names = np.array([*rules.groups.stage, None], dtype=object)  # -1 picks None
    stage_values = np.where(ok, stage_names[row_of], None)

    bad = np.flatnonzero(~ok)
    if len(bad) and errors == "raise":
        shown = "; ".join(f"row {_checks.show(df.index[i])}: {_row_error(df.iloc[i])}" for i in bad[:3])
        more = f" (and {len(bad) - 3} more)" if len(bad) > 3 else ""
        raise ValueError(f"df has {len(bad)} row(s) that cannot be staged{more}: {shown}")

    def as_text(labels: list[str], index: np.ndarray) -> pd.array:
        return pd.array(np.where(ok, np.array(labels, dtype=object)[index], None), dtype="string")

    out = df.copy()
    out["t"] = as_text(list(_T_CODES), t_idx)
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
