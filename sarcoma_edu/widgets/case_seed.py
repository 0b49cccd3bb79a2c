"""The seeds behind "New case" and "A new patient": the same seed gives the whole class the same patients.

The quiz and the tumour board make up patients from a seed (:mod:`sarcoma_edu.course.generated`), one
seed after another: seed, seed + 1, ..., back to 0 after the largest, 2**128 - 1. The first seed is
the instructor's (an argument, or ``$SARCOMA_EDU_CASE_SEED``), or else a fresh random one each time a
widget is made. A seed argument that is not a whole number in range is refused naming the argument;
a variable that is not one (digits 0-9 only, spaces around them ignored) is a message in the widget
naming the variable, the value and what is allowed, and the patients are then made up at random.
"""

from __future__ import annotations

import itertools
import numbers
import os
from collections.abc import Iterator

import numpy as np

from sarcoma_edu.common import checks as _checks
from sarcoma_edu.course.generated import SEED_LIMIT

__all__ = ["CASE_SEED_ENV", "FRESH_SEEDS", "checked_seed", "seed_from_environment", "seed_sequence"]

# the instructor's seed for "New case" (the whole class then discusses the same patients), or unset
CASE_SEED_ENV = "SARCOMA_EDU_CASE_SEED"
# fresh "New case" seeds are drawn below this; an instructor's seed may be any whole number from 0 to 2**128 - 1
FRESH_SEEDS = 10**9

_SEED_RANGE = "a whole number from 0 to 2**128 - 1"
_FALLBACK = "so new patients are made up at random (a different run for each student); ask your instructor for the seed"


def seed_sequence(first: int) -> Iterator[int]:
    """The seeds "New case" uses from ``first`` on: first, first + 1, ..., back to 0 after the largest (2**128 - 1)."""
    return (n % SEED_LIMIT for n in itertools.count(first))


def checked_seed(name: str, value: object) -> int:
    """An instructor's "New case" seed: a whole number from 0 to 2**128 - 1, or raise naming ``name``."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}={_checks.show(value)} is not a whole number; expected {_SEED_RANGE}, or None")
    value = int(value)  # numpy's whole numbers too
    if value < 0:
        raise ValueError(f"{name}={value!r} is negative; expected {_SEED_RANGE}, or None")
    if value >= SEED_LIMIT:
        raise ValueError(f"{name}={_checks.show(value)} is too large; expected {_SEED_RANGE}, or None")
    return value


def seed_from_environment() -> tuple[int | None, str]:
    """``$SARCOMA_EDU_CASE_SEED`` as a seed (or None when unset), and a message for a value that is not one.

    Only the digits 0-9 count (``int()`` would also read other scripts' digits, and ``str.isdigit``
    accepts "²", which ``int()`` refuses); leading zeros and spaces around the number are ignored; a
    number above 2**128 - 1 is not a seed either. The length is checked before ``int()``, which refuses
    more than 4,300 digits.
    """
    text = os.environ.get(CASE_SEED_ENV, "").strip()
    if not text:
        return None, ""
    shown = _checks.show(text)
    if not (text.isascii() and text.isdigit()):
        return (
            None,
            f"{CASE_SEED_ENV}={shown} is not written with the digits 0-9 only; expected {_SEED_RANGE}, {_FALLBACK}.",
        )
    digits = text.lstrip("0") or "0"
    if len(digits) > len(str(SEED_LIMIT)) or int(digits) >= SEED_LIMIT:
        return None, (
            f"{CASE_SEED_ENV}={shown} is too large: the largest seed is 2**128 - 1 ({SEED_LIMIT - 1}); "
            f"expected {_SEED_RANGE}, {_FALLBACK}."
        )
    return int(digits), ""
