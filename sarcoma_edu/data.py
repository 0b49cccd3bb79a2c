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
    source_tree = Path(__file__).resolve().parent.parent / "datasets"
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
_INTEGER = ("a whole number", _integer)

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
        _col("t", _T),
        _col("by_size", _BOOL),
        _col("size_above_cm", _NUMBER, required=False),
        _col("size_up_to_cm", _NUMBER, required=False),
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
