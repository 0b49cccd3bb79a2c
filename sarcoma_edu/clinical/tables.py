"""Load the rule and reference tables in ``datasets/`` once, validated.

Every clinical rule the library applies lives in a CSV table with a ``source`` column. This
module finds the tables (inside an installed wheel, or in the source tree), checks their
columns and values when first loaded, and caches them. A hand-edited file that breaks a rule
gives a :class:`DatasetError` naming the file, the row and the column.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import pandas as pd

__all__ = ["DatasetError", "dataset_path", "list_datasets", "load_table"]


class DatasetError(ValueError):
    """A table in ``datasets/`` is missing, malformed or breaks one of its rules."""


def _datasets_root() -> Traversable:
    """Return the folder holding the tables: bundled in the wheel, or the source tree's."""
    bundled = resources.files("sarcoma_edu") / "datasets"
    if bundled.is_dir():
        return bundled
    source_tree = Path(__file__).resolve().parents[2] / "datasets"
    if source_tree.is_dir():
        return source_tree
    raise DatasetError(
        "the sarcoma_edu data tables were not found: expected them inside the installed "
        f"package ({bundled}) or next to the source ({source_tree}); reinstall the package"
    )


def dataset_path(name: str) -> Traversable:
    """Return the location of one table, e.g. ``dataset_path("ajcc8_stage_groups.csv")``.

    Args:
        name: file name inside ``datasets/``.

    Raises:
        DatasetError: if there is no such file.
    """
    path = _datasets_root() / name
    if not path.is_file():
        raise DatasetError(f"name={name!r}: no such file in datasets/; available: {list_datasets()}")
    return path


def list_datasets() -> list[str]:
    """Return the names of every table shipped with the package, sorted."""
    return sorted(p.name for p in _datasets_root().iterdir() if p.name.endswith((".csv", ".json")))


# --- validation -------------------------------------------------------------------------------

Check = Callable[[str], bool]


@dataclass(frozen=True)
class _Column:
    """What one column of a table must hold."""

    name: str
    allowed: str = "any text"  # shown in error messages
    check: Check | None = None
    required: bool = True  # an empty cell is an error


def _one_of(values: Iterable[str]) -> tuple[str, Check]:
    options = tuple(values)
    return f"one of {', '.join(options)}", lambda v: v in options


def _number(v: str) -> bool:
    try:
        float(v)
    except ValueError:
        return False
    return True


def _integer(v: str) -> bool:
    return v.lstrip("-").isdigit()


_BOOL = _one_of(("true", "false"))
_T = _one_of(("T1", "T2", "T3", "T4"))
# the words that set a T category by extent, not size (head and neck T4; every visceral T)
EXTENTS = (
    "invades_adjoining_t4a",
    "invades_adjoining_t4b",
    "organ_confined",
    "serosa",
    "beyond_serosa",
    "another_organ",
    "multifocal",
)
_G = ("G1", "G2", "G3", "GX")


def _alternatives(options: Iterable[str]) -> tuple[str, Check]:
    opts = tuple(options)
    text = f"'any' or values from {', '.join(opts)} joined by '|'"
    return text, lambda v: v == "any" or all(part in opts for part in v.split("|"))


def _col(name: str, spec: tuple[str, Check] | None = None, *, required: bool = True) -> _Column:
    """Describe a column; ``spec`` is an (allowed-text, check) pair."""
    if spec is None:
        return _Column(name, required=required)
    return _Column(name, spec[0], spec[1], required)


_NUMBER = ("a number", _number)
_PERCENT = ("a percentage from 0 to 100", lambda v: _number(v) and 0 <= float(v) <= 100)
_SITUATION_NAMES = ("stage_I", "stage_II_III_N0", "stage_III_N1", "stage_IV", "recurrent", "no_stage_group")
_SITUATIONS = _one_of(_SITUATION_NAMES)
# the kinds of plan (datasets/plan_paths.csv): what a situation gets when all of the cancer can or cannot be removed
PLAN_PATHS = (
    "local",
    "remove_all",
    "systemic",
    "systemic_recurrence",
    "neoadjuvant",
    "definitive_radiation",
    "main_radiation",
)
_SITES = ("trunk", "extremity", "retroperitoneum", "head_and_neck", "visceral")
_MODALITIES = ("surgery", "radiation", "chemotherapy", "targeted therapy", "immunotherapy", "clinical trial")
_ROUTES = _one_of(("tissue", "lymph", "blood"))


def _joined(options: Iterable[str]) -> tuple[str, Check]:
    opts = tuple(options)
    return f"values from {', '.join(opts)} joined by '|'", lambda v: all(p in opts for p in v.split("|"))


def _scope(v: str) -> bool:
    if v == "all":
        return True
    parts = [part.partition(":") for part in v.split("&")]
    return all(kind in ("site", "histology") and bool(name.removeprefix("!")) for kind, _, name in parts)


_INTEGER = ("a whole number", _integer)


def _kebab(v: str) -> bool:
    return bool(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", v))


def _lesson(v: str) -> bool:
    return bool(re.fullmatch(r"[0-9]{2}_[a-z0-9_]+", v))


# what the clinical reference (section 5b) says of a drug's US status for soft tissue sarcoma
DRUG_STATUSES = (
    "approved",
    "off-label",
    "might help; not approved for soft tissue sarcoma",
    "being studied",
    "supportive",
)
APPROVAL_BASES = ("approval", "approval, year not given", "label")

_SCHEMAS: dict[str, tuple[_Column, ...]] = {
    "sites.csv": (
        _col("name"),
        _col("site", _one_of(("trunk", "extremity", "retroperitoneum", "head_and_neck", "visceral"))),
        _col("label"),
        _col("has_stage_groups", _BOOL),
        _col("source"),
    ),
    "ajcc8_t_categories.csv": (
        _col("site", _one_of(("trunk", "extremity", "retroperitoneum", "head_and_neck", "visceral"))),
        _col("t", _one_of(("T1", "T2", "T2a", "T2b", "T3", "T4", "T4a", "T4b", "T4c"))),
        _col("by_size", _BOOL),
        _col("size_above_cm", _NUMBER, required=False),
        _col("size_up_to_cm", _NUMBER, required=False),
        _col("extent", _one_of(EXTENTS), required=False),
        _col("sites_from", _INTEGER, required=False),
        _col("sites_to", _INTEGER, required=False),
        _col("definition"),
        _col("plain_words"),
        _col("edition"),
        _col("source"),
    ),
    "ajcc8_stage_groups.csv": (
        _col("site", _one_of(("trunk", "extremity", "retroperitoneum"))),
        _col("stage", _one_of(("IA", "IB", "II", "IIIA", "IIIB", "IV"))),
        _col("t", _alternatives(("T1", "T2", "T3", "T4"))),
        _col("n", _alternatives(("N0", "N1"))),
        _col("m", _alternatives(("M0", "M1"))),
        _col("g", _alternatives(_G)),
        _col("pdq_wording"),
        _col("note", required=False),
        _col("edition"),
        _col("source"),
    ),
    "grade_terms.csv": (
        _col("term"),
        _col("g", _one_of(_G)),
        _col("plain_words"),
        _col("source"),
    ),
    "fnclcc_scores.csv": (
        _col("component", _one_of(("differentiation", "mitoses", "necrosis"))),
        _col("score", _INTEGER),
        _col("lowest", _NUMBER),
        _col("lowest_included", _BOOL),
        _col("highest", _NUMBER, required=False),
        _col("highest_included", _BOOL),
        _col("description"),
        _col("source"),
    ),
    "cohort_parameters.csv": (
        _col("parameter"),
        _col("value"),
        _col("basis", _one_of(("reference", "assumption"))),
        _col("note"),
        _col("source"),
    ),
    "teaching_cohort.csv": (
        _col("patient_id"),
        _col("site", _one_of(("trunk", "extremity", "retroperitoneum", "head_and_neck", "visceral"))),
        _col("histology", required=False),
        _col("size_cm", _NUMBER),
        _col("grade", _one_of(_G)),
        _col("nodes", _BOOL),
        _col("metastasis", _BOOL),
        _col("age", _INTEGER),
        _col("source"),
    ),
    "site_distribution.csv": (
        _col("site_group"),
        _col("percent", _PERCENT),
        _col("approximate", _BOOL),
        _col("source"),
    ),
    "treatment_stage_map.csv": (
        _col("stage", _one_of(("IA", "IB", "I", "II", "IIIA", "IIIB", "III", "IV", "none"))),
        _col("n", _alternatives(("N0", "N1"))),
        _col("m", _alternatives(("M0", "M1"))),
        _col("situation", _SITUATIONS),
        _col("site", _joined(_SITES), required=False),
        _col("other_readings", _joined(_SITUATION_NAMES), required=False),
        _col("note", required=False),
        _col("source"),
    ),
    "surgical_margins.csv": (
        _col("site", _one_of(("trunk", "extremity", "retroperitoneum", "head_and_neck", "visceral", "any"))),
        _col("margin_aim"),
        _col("source"),
    ),
    "plan_rules.csv": (
        _col("situation", _alternatives(_SITUATION_NAMES)),
        _col("site", _one_of((*_SITES, "any")), required=False),
        _col("stage", _one_of(("IA", "IB", "I", "II", "IIIA", "IIIB", "III", "IV")), required=False),
        _col("grade", _joined(_G), required=False),
        _col("path", _alternatives(PLAN_PATHS)),
        _col("modality", _one_of(("radiation", "chemotherapy", "surgery"))),
        _col("timing", _joined(("before", "after", "none", "primary"))),
        _col("action", _one_of(("default", "keep", "left_out", "drug", "main"))),
        _col("note"),
        _col("limb_note", required=False),
        _col("source"),
    ),
    "plan_paths.csv": (
        _col("situation", _alternatives(_SITUATION_NAMES)),
        _col("n", _alternatives(("N0", "N1"))),
        _col("m", _alternatives(("M0", "M1"))),
        _col("resectable", _BOOL),
        _col("path", _one_of(PLAN_PATHS)),
        _col("note", required=False),
        _col("source"),
    ),
    "treatment_situations.csv": (
        _col("situation", _SITUATIONS),
        _col("pdq_heading"),
        _col("source"),
    ),
    "treatment_options.csv": (
        _col("situation", _SITUATIONS),
        _col("order", _INTEGER),
        _col("modalities", _joined(_MODALITIES)),
        _col("timings", _joined(("neoadjuvant", "primary", "adjuvant", "unresectable"))),
        _col("description"),
        _col("drugs", required=False),
        _col("source"),
    ),
    "spread_routes.csv": (_col("route", _ROUTES), _col("label"), _col("description"), _col("source")),
    "spread_patterns.csv": (
        _col("destination"),
        _col("route", _ROUTES),
        _col(
            "scope",
            (
                "'all', or 'site:NAME' and/or 'histology:NAME' joined by '&' ('site:!NAME': every site but NAME)",
                _scope,
            ),
        ),
        _col("statement"),
        _col("value_pct", _PERCENT, required=False),
        _col("value_low_pct", _PERCENT, required=False),
        _col("value_high_pct", _PERCENT, required=False),
        _col("approximate", _BOOL),
        _col("source"),
    ),
    "histologies.csv": (
        _col("histology"),
        _col("label"),
        _col("scare", _BOOL),
        _col("high_grade_by_definition", _BOOL),
        _col("differentiation_score", _one_of(("1", "2", "3")), required=False),
        _col("extra_staging", required=False),
        _col("source"),
    ),
    "modalities.csv": (
        _col("name"),
        _col("category"),
        _col("modality", ("modalities joined by '|', or 'any'", lambda v: v == "any" or _joined(_MODALITIES)[1](v))),
        _col("description"),
        _col("source"),
    ),
    "drugs.csv": (
        _col("name"),
        _col("brand", required=False),
        _col(
            "drug_class",
            _one_of(
                (
                    "cytotoxic",
                    "protective",
                    "tyrosine kinase inhibitor",
                    "EZH2 inhibitor",
                    "mTOR inhibitor",
                    "PD-1",
                    "PD-L1",
                    "CTLA-4",
                    "T-cell therapy",
                )
            ),
        ),
        _col("modality", _one_of(_MODALITIES)),
        _col("how_it_works"),
        _col("indication"),
        _col("route_schedule", required=False),
        _col("side_effects", required=False),
        _col("watch_for", required=False),
        _col("monitoring", required=False),
        _col("status", _one_of(DRUG_STATUSES)),
        _col("status_note", required=False),
        _col("approval_agency", _one_of(("FDA",)), required=False),
        _col("approval_year", _INTEGER, required=False),
        _col("approval_basis", _one_of(APPROVAL_BASES), required=False),
        _col("approved_for", required=False),
        _col("source"),
    ),
    "risk_factors.csv": (
        _col("factor"),
        _col("kind", _one_of(("inherited syndrome", "other"))),
        _col("gene", required=False),
        _col("note", required=False),
        _col("source"),
    ),
    "tests.csv": (
        _col("name"),
        _col("kind", _one_of(("biopsy", "tissue test", "staging test", "extra staging"))),
        _col("histology", required=False),
        _col("description"),
        _col("source"),
    ),
    "survival_seer.csv": (
        _col("seer_stage", _one_of(("localized", "regional", "distant", "all stages"))),
        _col("description"),
        _col("five_year_relative_survival_pct", _PERCENT),
        _col("years_diagnosed"),
        _col("source"),
    ),
    "sequencing_phases.csv": (
        _col("phase_id"),
        _col("phase"),
        _col("modality", _one_of((*_MODALITIES, "none", "follow-up"))),
        _col(
            "timing",
            _one_of(("neoadjuvant", "primary", "adjuvant", "unresectable", "palliative", "gap", "follow-up")),
        ),
        _col("min_weeks", _NUMBER, required=False),
        _col("max_weeks", _NUMBER, required=False),
        _col("uncertain", _BOOL),
        _col("dose", required=False),
        _col("note"),
        _col("why", required=False),
        _col("limb_why", required=False),
        _col("source"),
    ),
    "objectives.csv": (
        _col("id", ("kebab-case: lower-case letters, digits and single hyphens", _kebab)),
        _col("lesson", ("a lesson name such as 03_staging", _lesson)),
        _col("objective"),
        _col("kind", _one_of(("recall", "apply", "analyse"))),
        _col("assessed_by", _one_of(("quiz", "case", "exercise", "none"))),
        _col("source"),
    ),
    "glossary.csv": (
        _col("term"),
        _col("also", required=False),  # other forms of the term found in the lessons, separated by "|"
        _col("definition"),
        _col("source"),
    ),
    "sources.csv": (
        _col("key"),
        _col("citation"),
        _col("date", required=False),
        _col("where"),
    ),
    "fnclcc_grades.csv": (
        _col("total_from", _INTEGER),
        _col("total_to", _INTEGER),
        _col("grade", _one_of(("1", "2", "3"))),
        _col("g", _one_of(("G1", "G2", "G3"))),
        _col("label", _one_of(("low", "mid", "high"))),
        _col("plain_words"),
        _col("source"),
    ),
}


def _validate(name: str, rows: list[Mapping[str, str]], header: list[str]) -> None:
    schema = _SCHEMAS.get(name)
    if schema is None:
        raise DatasetError(f"{name}: no schema is declared for this table")
    missing = [c.name for c in schema if c.name not in header]
    if missing:
        raise DatasetError(f"{name}: missing column(s) {', '.join(missing)}; the header is {header}")
    if not rows:
        raise DatasetError(f"{name}: the table has no rows")
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        if None in row:  # csv puts surplus cells under the key None
            raise DatasetError(
                f"{name}, row {number}: {len(header) + len(row[None])} cells for {len(header)} columns "
                "(is a comma inside a cell missing its quotes?)"
            )
        if any(value is None for value in row.values()):
            raise DatasetError(f"{name}, row {number}: fewer cells than the {len(header)} columns of the header")
        for column in schema:
            value = (row.get(column.name) or "").strip()
            if not value:
                if column.required:
                    raise DatasetError(f"{name}, row {number}, column {column.name!r}: the cell is empty")
                continue
            if column.check is not None and not column.check(value):
                raise DatasetError(
                    f"{name}, row {number}, column {column.name!r}: {value!r} is not allowed; expected {column.allowed}"
                )


@functools.cache
def load_table(name: str) -> pd.DataFrame:
    """Load one CSV table from ``datasets/``, validated against its declared columns.

    Cells are kept as text (empty cells as ``""``); callers convert the columns they use.
    The frame is cached: treat it as read-only (copy it before changing it).

    Args:
        name: file name inside ``datasets/``, e.g. ``"ajcc8_stage_groups.csv"``.

    Raises:
        DatasetError: the file is missing, or a row breaks the table's rules (the message
            names the file, the row number as a spreadsheet shows it, and the column).
    """
    text = dataset_path(name).read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    header = list(reader.fieldnames or [])
    rows = list(reader)
    _validate(name, rows, header)
    frame = pd.DataFrame(rows, columns=header).fillna("")
    return frame.map(lambda v: v.strip() if isinstance(v, str) else v)
