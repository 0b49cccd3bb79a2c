"""Validation at the edge: every public function checks its arguments with these helpers.

Messages always name the parameter, the bad value and what is allowed.
"""

from __future__ import annotations

import difflib
import math
import numbers
import re
import reprlib
from collections.abc import Sequence

import numpy as np


class _Short(reprlib.Repr):
    """reprlib with room for ordinary values, and huge whole numbers shortened to their first and last digits."""

    def __init__(self) -> None:
        super().__init__()
        self.maxlevel, self.maxlist, self.maxtuple, self.maxdict, self.maxset = 3, 8, 8, 6, 8
        self.maxstring, self.maxother = 120, 120

    def repr_int(self, x: int, level: int) -> str:
        return _whole(x)


def _whole(number: int) -> str:
    """Show a whole number in full up to 20 digits, else as its first and last digits and how many there are."""
    if -(10**20) < number < 10**20:
        return repr(number)
    try:
        digits = str(abs(number))
    except ValueError:  # more digits than Python converts to text (sys.get_int_max_str_digits)
        return (
            f"{'-' if number < 0 else ''}a whole number of about {int(abs(number).bit_length() * 0.30103) + 1} digits"
        )
    return f"{'-' if number < 0 else ''}{digits[:6]}...{digits[-3:]} ({len(digits)} digits)"


_SHORT = _Short()


def show(value: object) -> str:
    """Return how to show a bad value in a message.

    numpy scalars show as plain Python values; long text, deep or long lists and huge whole
    numbers are shortened so that a message stays one readable line.
    """
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, int) and not isinstance(value, bool):
        return _whole(value)
    try:
        return _SHORT.repr(value)
    except (RecursionError, ValueError):
        return f"a {type(value).__name__}"


def _as_float(name: str, value: numbers.Real, allowed: str) -> float:
    try:
        return float(value)
    except OverflowError:
        raise ValueError(f"{name}={show(value)} is too large (beyond about ±1.8e308); expected {allowed}") from None


def is_missing(value: object) -> bool:
    """Return True for None, NaN and pandas' NA (the ways a table spells 'unknown')."""
    if value is None:
        return True
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return True
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    return isinstance(value, float | np.floating) and math.isnan(value)


def real_number(name: str, value: object, allowed: str) -> float:
    """Return ``value`` as a finite float, or raise naming ``name``.

    Raises:
        TypeError: for a bool, a string or any non-number.
        ValueError: for NaN, an infinite value, or a number too large for a float (such as
            ``10**400``), never OverflowError.
    """
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}={show(value)} is a {type(value).__name__}; expected {allowed}")
    number = _as_float(name, value, allowed)
    if not math.isfinite(number):
        raise ValueError(f"{name}={show(value)} is not a finite number; expected {allowed}")
    return number


def whole_number(name: str, value: object, allowed: str) -> int:
    """Return ``value`` as an int (3 and 3.0 both pass), or raise naming ``name``.

    A whole number keeps its exact value (``2**60 + 1`` is not rounded to a float).

    Raises:
        TypeError: for a bool, a string or any non-number.
        ValueError: for NaN, infinity, a fractional value such as 2.5, or a number too large
            for a float (such as ``10**400``).
    """
    number = real_number(name, value, allowed)
    if not number.is_integer():
        raise ValueError(f"{name}={show(value)} is not a whole number; expected {allowed}")
    return int(value) if isinstance(value, numbers.Integral) else int(number)


def boolean(name: str, value: object) -> bool:
    """Return ``value`` as a bool (numpy booleans too), or raise TypeError naming ``name``."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    raise TypeError(f"{name}={show(value)} is a {type(value).__name__}; expected True or False")


def choice(name: str, value: object, options: Sequence[str], shown: Sequence[str] | None = None) -> str:
    """Return the lower-cased ``value`` if it is one of ``options``, else raise naming ``name``.

    The error suggests the closest option when there is one.

    Raises:
        TypeError: if ``value`` is not a string.
        ValueError: if it is not one of ``options``.
    """
    visible = list(shown if shown is not None else options)
    if not isinstance(value, str):
        raise TypeError(f"{name}={show(value)} is a {type(value).__name__}; expected one of {', '.join(visible)}")
    key = value.strip().lower().replace(" ", "_").replace("-", "_")
    if key in options:
        return key
    close = difflib.get_close_matches(key, list(options), n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise ValueError(f"{name}={show(value)} is not allowed{hint}; expected one of {', '.join(visible)}")


_TYPED_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def typed_number(text: object, example: str = "12.5") -> float:
    """Read a number a student typed in a box: digits, an optional sign, and a point for a decimal.

    Nothing is reinterpreted: a comma, a range, a word, a unit or an exponent is refused with a
    message that says what to type instead (``example`` shows a number in the right form).

    Raises:
        ValueError: the text is empty, is not a plain number, or has more digits than a float holds;
            the message is written for the student.
    """
    typed = str(text).strip()
    if not typed:
        raise ValueError(f"the box is empty: type a number, e.g. {example}")
    shown = show(typed)
    if _TYPED_NUMBER.fullmatch(typed):
        number = float(typed)
        if math.isfinite(number):
            return number
        digits = sum(c.isdigit() for c in typed)  # more than about 309 digits: no float holds it
        too_long = f"{shown} has {digits:,} digits, too many for a number"
        return _refuse(f"{too_long}: type the value asked for, e.g. {example}")
    if re.fullmatch(r"[+-]?\d+,\d{3}", typed):  # a thousands comma or a decimal one: say both, guess neither
        whole, point = typed.replace(",", ""), typed.replace(",", ".")
        return _refuse(f"{shown} has a comma: type {whole} for the whole number, or {point} with a point for a decimal")
    if re.fullmatch(r"[+-]?\d+,\d+", typed):
        return _refuse(f"{shown} has a comma: write a decimal with a point, e.g. {typed.replace(',', '.')}")
    if re.fullmatch(r"[+-]?[\d.]+\s*(-|\u2013|to)\s*[\d.]+", typed):
        first = re.match(r"[+-]?[\d.]+", typed).group()
        return _refuse(f"{shown} is a range: type one number, e.g. {first}")
    if re.fullmatch(r"[+-]?[\d.]+\s*%", typed):
        return _refuse(f"{shown} has a % sign: type the number alone, e.g. {typed.rstrip('% ')}")
    if re.fullmatch(r"[+-]?[\d.]+\s*[a-zA-Z]+\.?", typed):
        number = re.match(r"[+-]?[\d.]+", typed).group()
        return _refuse(f"{shown} has a word or unit after the number: type the number alone, e.g. {number}")
    return _refuse(f"{shown} is not a number: type digits, with a point for a decimal (e.g. {example})")


def _refuse(message: str) -> float:
    raise ValueError(message)
