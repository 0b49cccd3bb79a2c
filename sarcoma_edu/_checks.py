"""Validation at the edge: every public function checks its arguments with these helpers.

Messages always name the parameter, the bad value and what is allowed.
"""

from __future__ import annotations

import difflib
import math
import numbers
from collections.abc import Sequence

import numpy as np


def show(value: object) -> str:
    """Return how to show a bad value in a message: numpy scalars as plain Python values."""
    return repr(value.item() if isinstance(value, np.generic) else value)


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
        ValueError: for NaN or an infinite value.
    """
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}={show(value)} is a {type(value).__name__}; expected {allowed}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name}={show(value)} is not a finite number; expected {allowed}")
    return number


def whole_number(name: str, value: object, allowed: str) -> int:
    """Return ``value`` as an int (3 and 3.0 both pass), or raise naming ``name``.

    Raises:
        TypeError: for a bool, a string or any non-number.
        ValueError: for NaN, infinity or a fractional value such as 2.5.
    """
    number = real_number(name, value, allowed)
    if not number.is_integer():
        raise ValueError(f"{name}={show(value)} is not a whole number; expected {allowed}")
    return int(number)


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
