"""Load the rule and reference tables in ``datasets/`` once, validated.

Every clinical rule the library applies lives in a CSV table with a ``source`` column. This
module finds the tables (inside an installed wheel, or in the source tree), checks each one
against its declared columns (:mod:`sarcoma_edu.clinical.table_schemas`) when first loaded, and
caches it. A hand-edited file that breaks a rule gives a :class:`DatasetError` naming the file,
the row and the column.

:func:`datasets_root` is the one hook to read every table (and the built-in content beside them)
from another folder laid out like ``datasets/``, e.g. a copy with one row changed: tests use it, and
so does the test of ``sarcoma-edu content check``.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import sys
from collections.abc import Iterator, Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import pandas as pd

from sarcoma_edu.clinical.table_schemas import SCHEMAS

__all__ = ["DatasetError", "dataset_path", "datasets_root", "list_datasets", "load_table", "table_rows"]


class DatasetError(ValueError):
    """A table in ``datasets/`` is missing, malformed or breaks one of its rules."""


_ROOT: list[Path] = []  # the folders datasets_root() has put in place, innermost last


def _datasets_root() -> Traversable:
    """Return the folder holding the tables: one :func:`datasets_root` set, else the wheel's, else the source tree's."""
    if _ROOT:
        return _ROOT[-1]
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


def _drop_caches() -> None:
    """Forget everything the package has cached from the tables: every functools cache of its modules.

    The rules compile tables into cached lookups (the stage group array, the T bands, the PDQ lists)
    and the content loaders cache what they checked, so all of them are dropped together.
    """
    for module_name, module in list(sys.modules.items()):
        if module is None or not (module_name == "sarcoma_edu" or module_name.startswith("sarcoma_edu.")):
            continue
        for value in list(vars(module).values()):
            clear = getattr(value, "cache_clear", None)
            if callable(clear):
                clear()


@contextlib.contextmanager
def datasets_root(folder: str | Path) -> Iterator[Path]:
    """Read the tables, quiz banks, exercises and cases from ``folder`` instead of ``datasets/`` while inside.

    The folder is laid out like ``datasets/`` (a copy of it with a row changed, say). Everything the
    package cached from the tables is dropped on entering and again on leaving, so nothing compiled
    from one folder is used with the other. It holds for the whole process, not one thread: use it
    in tests and checks, not while a lesson's widgets are reading tables. Blocks may nest.

    Example::

        shutil.copytree(Path(str(dataset_path("sites.csv"))).parent, tmp / "datasets")
        ...  # change a row of tmp / "datasets" / "ajcc8_stage_groups.csv"
        with datasets_root(tmp / "datasets"):
            stage("extremity", 7, "high")  # staged with the changed table

    Raises:
        DatasetError: ``folder`` is not a folder.
    """
    path = Path(folder).expanduser()
    if not path.is_dir():
        raise DatasetError(f"folder={str(folder)!r} is not a folder; give a folder laid out like datasets/")
    _ROOT.append(path.resolve())
    _drop_caches()
    try:
        yield path
    finally:
        _ROOT.pop()
        _drop_caches()


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
