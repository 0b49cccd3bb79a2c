"""A synthetic teaching cohort: made-up patients with plausible features, never real people.

The distributions are the table ``datasets/cohort_parameters.csv``: each row says whether its
value comes from the reference (site shares, nodal spread) or is a teaching assumption (the split
of intra-abdominal sites, metastasis at diagnosis, size, grade, age, the histology mix). The
histology is drawn without regard to the site or the age: the reference gives no link between them,
so a synthetic patient may not be typical of its subtype, and the cohort's widgets say so.

No patient is impossible: histology constrains grade both ways and spread. The floor is FNCLCC
arithmetic (a differentiation score of 3 totals at least 4, so never G1), histologies high grade
by definition are G3 (PDQ-HP), and rows ``grade_allowed:HISTOLOGY`` (a ceiling) and
``spread_none:HISTOLOGY`` in the parameters table are teaching constraints, each explained there
(a well-differentiated liposarcoma is G1 or GX and never spread). ``datasets/teaching_cohort.csv``
is :func:`generate` for ``n=200, seed=2026``, written by ``scripts/make_teaching_cohort.py``.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from sarcoma_edu.clinical.grading import GRADE_CODES, fnclcc
from sarcoma_edu.clinical.provenance import read_whole
from sarcoma_edu.clinical.spread import spread_patterns
from sarcoma_edu.clinical.tables import load_table
from sarcoma_edu.common import checks as _checks

__all__ = ["COHORT_N", "COHORT_SEED", "generate", "load_cohort", "parameters", "seer_stage_share"]

COHORT_N, COHORT_SEED = 200, 2026
COLUMNS = ("patient_id", "site", "histology", "size_cm", "grade", "nodes", "metastasis", "age", "source")


def parameters() -> pd.DataFrame:
    """The cohort's parameters (``parameter``, ``value``, ``basis``, ``note``, ``source``)."""
    read_whole("cohort_parameters.csv")
    return load_table("cohort_parameters.csv").copy()


def _number(params: dict[str, str], key: str) -> float:
    return float(params[key])


@functools.cache
def _nodal_rate(histology: str | None, overall: float) -> float:
    if histology is None:
        return overall
    rows = spread_patterns(histology=histology)
    rows = rows[(rows.destination == "lymph nodes") & (rows.scope == f"histology:{histology}")]
    if rows.empty:
        return overall
    row = rows.iloc[0]
    figure = row.value_pct if not pd.isna(row.value_pct) else row.value_low_pct
    return overall if pd.isna(figure) else float(figure) / 100  # no figure (synovial, rhabdo): overall


@functools.cache
def _grade_floors() -> dict[str, str]:
    """Lowest FNCLCC grade each histology can reach, from its differentiation score."""
    table = load_table("histologies.csv")
    return {
        row.histology: fnclcc(int(row.differentiation_score), 0, 0).g
        for row in table.itertuples()
        if row.differentiation_score
    }


@functools.cache
def _high_grade_by_definition() -> list[str]:
    """The histologies that are high grade by definition (``histologies.csv``)."""
    table = load_table("histologies.csv")
    return list(table.histology[table.high_grade_by_definition == "true"])


def _constraints(params: dict[str, str], kind: str) -> dict[str, tuple[str, ...]]:
    """Per-histology teaching constraints (``kind:HISTOLOGY`` rows, values joined by ``|``), checked."""
    allowed = {"grade_allowed": GRADE_CODES, "spread_none": ("nodes", "metastasis")}[kind]
    known = set(load_table("histologies.csv").histology)
    out: dict[str, tuple[str, ...]] = {}
    for key, value in params.items():
        if not key.startswith(f"{kind}:"):
            continue
        hist, values = key.split(":", 1)[1], tuple(value.split("|"))
        if hist not in known or not set(values) <= set(allowed) or values == ("GX",):
            raise ValueError(
                f"cohort_parameters.csv: {key}={value!r} is not allowed; expected a histology from "
                f"histologies.csv and values from {', '.join(allowed)} joined by '|'"
            )
        out[hist] = values
    return out


def generate(n: int = COHORT_N, seed: int = COHORT_SEED) -> pd.DataFrame:
    """Draw a synthetic cohort of ``n`` adults with soft tissue sarcoma.

    Args:
        n: number of patients, 1 to 1,000,000.
        seed: random seed; the same seed gives the same cohort.

    Returns:
        Columns ``patient_id``, ``site``, ``histology`` (``<NA>`` when not specified),
        ``size_cm``, ``grade`` (G1, G2, G3, GX), ``nodes``, ``metastasis``, ``age`` and
        ``source`` (saying the row is synthetic). ``stage_frame`` stages it directly.

    Raises:
        TypeError, ValueError: ``n`` or ``seed`` is not a whole number in range.
    """
    count = _checks.whole_number("n", n, "a whole number of patients from 1 to 1,000,000")
    if not 1 <= count <= 1_000_000:
        raise ValueError(
            f"n={_checks.show(n)} is out of range; expected a whole number of patients from 1 to 1,000,000"
        )
    seed_value = _checks.whole_number("seed", seed, "a whole number 0 or more")
    if seed_value < 0:
        raise ValueError(f"seed={_checks.show(seed)} is negative; expected a whole number 0 or more")
    rng = np.random.default_rng(seed_value)
    params = dict(zip(parameters().parameter, parameters().value, strict=True))

    sites = [key.split(":", 1)[1] for key in params if key.startswith("site:")]
    weights = np.array([_number(params, f"site:{s}") for s in sites])
    site = rng.choice(sites, size=count, p=weights / weights.sum())

    named = [h for h in load_table("histologies.csv").histology if h != "liposarcoma"]
    unnamed = _number(params, "histology:not_specified") / 100
    pick = rng.choice(named, size=count)
    histology = np.where(rng.random(count) < unnamed, None, pick).astype(object)

    size = np.exp(rng.normal(np.log(_number(params, "size:median_cm")), _number(params, "size:spread"), count))
    size = np.clip(size, _number(params, "size:min_cm"), _number(params, "size:max_cm")).round(1)

    grade_p = np.array([_number(params, f"grade:{g}") for g in GRADE_CODES])
    grade = rng.choice(list(GRADE_CODES), size=count, p=grade_p / grade_p.sum()).astype(object)
    grade[np.isin(histology, _high_grade_by_definition())] = "G3"
    for hist, floor in _grade_floors().items():  # e.g. differentiation 3 cannot total less than 4 (G2)
        too_low = (histology == hist) & (grade != "GX") & (grade.astype(str) < floor)
        grade[too_low] = floor
    for hist, allowed in _constraints(params, "grade_allowed").items():  # a ceiling: G1 or GX only
        highest = max(g for g in allowed if g != "GX")
        too_high = (histology == hist) & ~np.isin(grade, list(allowed))
        grade[too_high] = highest

    overall = _number(params, "nodes:overall") / 100
    rates = {h: _nodal_rate(h, overall) for h in [*named, None]}
    nodes = rng.random(count) < np.array([rates[h] for h in histology])
    metastasis = rng.random(count) < _number(params, "metastasis:overall") / 100
    for hist, flags in _constraints(params, "spread_none").items():
        unspread = histology == hist
        nodes[unspread & ("nodes" in flags)] = False
        metastasis[unspread & ("metastasis" in flags)] = False
    age = np.clip(rng.normal(_number(params, "age:mean"), _number(params, "age:sd"), count), 18, 95).round().astype(int)

    return pd.DataFrame(
        {
            "patient_id": [f"P{i:04d}" for i in range(1, count + 1)],
            "site": site,
            "histology": pd.array(histology, dtype="string"),
            "size_cm": size,
            "grade": grade.astype(str),
            "nodes": nodes,
            "metastasis": metastasis,
            "age": age,
            "source": (
                f"synthetic: sarcoma_edu.clinical.cohort.generate(n={count}, seed={seed_value}), not a real patient"
            ),
        }
    )


def load_cohort() -> pd.DataFrame:
    """The committed synthetic teaching cohort (``datasets/teaching_cohort.csv``, 200 patients), typed."""
    read_whole("teaching_cohort.csv")
    frame = load_table("teaching_cohort.csv").copy()
    frame["histology"] = frame["histology"].replace("", None).astype("string")
    frame["size_cm"] = frame["size_cm"].astype(float)
    frame["age"] = frame["age"].astype(int)
    for flag in ("nodes", "metastasis"):
        frame[flag] = frame[flag] == "true"
    return frame[list(COLUMNS)]


def seer_stage_share(frame: pd.DataFrame) -> pd.Series:
    """Percent of a cohort in each SEER summary stage, approximated from nodes and metastasis.

    localized = no lymph node spread and no distant metastasis; regional = lymph node spread
    without distant metastasis (SEER's regional stage also counts growth into nearby structures,
    which the cohort does not record); distant = distant metastasis.

    Args:
        frame: a table with boolean ``nodes`` and ``metastasis`` columns (e.g. :func:`load_cohort`).
    """
    missing = [c for c in ("nodes", "metastasis") if c not in frame.columns]
    if missing:
        raise ValueError(f"frame is missing column(s) {', '.join(missing)}; expected boolean nodes and metastasis")
    seer = np.where(frame["metastasis"], "distant", np.where(frame["nodes"], "regional", "localized"))
    share = pd.Series(seer).value_counts(normalize=True) * 100
    return share.reindex(["localized", "regional", "distant"]).fillna(0.0).rename("percent")
