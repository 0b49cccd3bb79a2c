"""Load the rule and reference tables in ``datasets/`` once, validated.

Every clinical rule the library applies lives in a CSV table with a ``source`` column. This
module finds the tables (inside an installed wheel, or in the source tree), checks each one
against its declared columns (:mod:`sarcoma_edu.clinical.table_schemas`) when first loaded, and
caches it. A hand-edited file that breaks a rule gives a :class:`DatasetError` naming the file,
the row and the column.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import pandas as pd

from sarcoma_edu.clinical.table_schemas import SCHEMAS

__all__ = ["DatasetError", "dataset_path", "list_datasets", "load_table", "table_rows"]


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


def _validate(name: str, rows: list[Mapping[str, str]], header: list[str]) -> None:
    schema = SCHEMAS.get(name)
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


@functools.cache
def table_rows(name: str) -> tuple[dict[str, str], ...]:
    """The rows of a table as dicts of text, read once: what a rule scans row by row, in table order.

    Args:
        name: file name inside ``datasets/``, e.g. ``"plan_rules.csv"``.

    Raises:
        DatasetError: as :func:`load_table`.
    """
    return tuple(load_table(name).to_dict("records"))
