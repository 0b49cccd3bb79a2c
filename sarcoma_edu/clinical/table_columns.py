"""The cell formats of the rule tables: how a column's cells are checked, and how a rule reads them.

A table's schema (:mod:`sarcoma_edu.clinical.table_schemas`) lists its columns as :class:`Column`
records built from the formats here: one word of a set, ``any`` or words joined by ``|``, a
number, a percentage, a whole number, ``true``/``false``. Each format carries the words an error
message shows ("one of trunk, extremity, ..."). :func:`matches` is how the rules read the
``any``-or-``A|B`` cells that :func:`alternatives` checks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

__all__ = [
    "BOOL",
    "INTEGER",
    "NUMBER",
    "PERCENT",
    "Check",
    "Column",
    "Spec",
    "alternatives",
    "column",
    "joined",
    "matches",
    "one_of",
]

Check = Callable[[str], bool]
Spec = tuple[str, Check]  # (what an error message says is allowed, the check)


@dataclass(frozen=True)
class Column:
    """What one column of a table must hold."""

    name: str
    allowed: str = "any text"  # shown in error messages
    check: Check | None = None
    required: bool = True  # an empty cell is an error


def column(name: str, spec: Spec | None = None, *, required: bool = True) -> Column:
    """Describe a column; ``spec`` is an (allowed-text, check) pair, None for any text."""
    if spec is None:
        return Column(name, required=required)
    return Column(name, spec[0], spec[1], required)


def one_of(values: Iterable[str]) -> Spec:
    """One word of ``values``."""
    options = tuple(values)
    return f"one of {', '.join(options)}", lambda v: v in options


def alternatives(options: Iterable[str]) -> Spec:
    """``any``, or words of ``options`` joined by ``|`` (read with :func:`matches`)."""
    opts = tuple(options)
    text = f"'any' or values from {', '.join(opts)} joined by '|'"
    return text, lambda v: v == "any" or all(part in opts for part in v.split("|"))


def joined(options: Iterable[str]) -> Spec:
    """Words of ``options`` joined by ``|``."""
    opts = tuple(options)
    return f"values from {', '.join(opts)} joined by '|'", lambda v: all(p in opts for p in v.split("|"))


def matches(cell: str, value: str) -> bool:
    """Whether an ``any``-or-``A|B`` cell covers ``value``."""
    return cell == "any" or value in cell.split("|")


def _number(v: str) -> bool:
    try:
        float(v)
    except ValueError:
        return False
    return True


def _integer(v: str) -> bool:
    return v.lstrip("-").isdigit()


BOOL = one_of(("true", "false"))
NUMBER: Spec = ("a number", _number)
PERCENT: Spec = ("a percentage from 0 to 100", lambda v: _number(v) and 0 <= float(v) <= 100)
INTEGER: Spec = ("a whole number", _integer)
