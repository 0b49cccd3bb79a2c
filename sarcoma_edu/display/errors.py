"""The toolkit's own errors in a lesson cell: the one helpful line, not a page of traceback.

When a student types something the toolkit cannot take, e.g. ``stage("thig", 4, "low")``, the
function raises a ``ValueError`` or ``TypeError`` whose message already says what was wrong and
what is allowed. In a notebook IPython would print 30 or more lines of traceback before that
message. :func:`install_error_display` asks IPython to show such an error as that one line, with a
second line saying how to see the whole traceback: ``%tb`` in a new cell (the last error in full),
or ``full_tracebacks(True)`` (every error in full from then on; ``$SARCOMA_EDU_FULL_TRACEBACKS=1``
does the same for a whole session).

Only the toolkit's own messages are shortened: a ``ValueError``, ``TypeError`` or
:class:`~sarcoma_edu.clinical.tables.DatasetError` raised by a ``raise`` statement inside the ``sarcoma_edu``
package. Any other error (a typing mistake in the cell, an error inside pandas, a bug) shows its
normal traceback. Importing ``sarcoma_edu`` in IPython installs it (as ``sarcoma_edu.widgets.base``
and ``sarcoma_edu.display.figure`` do), so every lesson has it from its first cell. This module imports IPython only
when it is installed.
"""

from __future__ import annotations

import linecache
import os
import sys
from pathlib import Path
from types import TracebackType

from sarcoma_edu.clinical.tables import DatasetError

__all__ = ["FULL_TRACEBACKS_ENV", "full_tracebacks", "install_error_display", "is_toolkit_error", "short_error"]

FULL_TRACEBACKS_ENV = "SARCOMA_EDU_FULL_TRACEBACKS"
_PACKAGE = Path(__file__).resolve().parents[1]
_SHORTENED = (ValueError, TypeError, DatasetError)
_RED, _RESET = "\x1b[0;31m", "\x1b[0m"
_HINT = (
    "(To see the full traceback, run %tb in a new cell; for every error from now on, run "
    "from sarcoma_edu.display.errors import full_tracebacks; full_tracebacks())"
)
_state = {"full": None}  # None: follow the environment variable


def full_tracebacks(on: bool = True) -> None:
    """Show every error of the toolkit with its full traceback (``on=True``) or as one line (``False``).

    Raises:
        TypeError: if ``on`` is not True or False.
    """
    if not isinstance(on, bool):
        raise TypeError(f"on={on!r} is a {type(on).__name__}; expected True or False")
    _state["full"] = on


def _showing_full() -> bool:
    if _state["full"] is not None:
        return bool(_state["full"])
    return os.environ.get(FULL_TRACEBACKS_ENV, "").strip().lower() in ("1", "yes", "true", "on")


def _innermost(tb: TracebackType | None) -> TracebackType | None:
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb


def is_toolkit_error(value: BaseException, tb: TracebackType | None) -> bool:
    """Return True if ``value`` is one of the toolkit's own messages about its input.

    That is a ValueError, TypeError or DatasetError raised by a ``raise`` statement in a module of
    the ``sarcoma_edu`` package: the messages that name the parameter, the value and what is
    allowed. An error raised by Python itself or by another library (even when the toolkit called
    it) is not one: its traceback is what a reader needs.
    """
    if not isinstance(value, _SHORTENED):
        return False
    last = _innermost(tb)
    if last is None:
        return False
    filename = last.tb_frame.f_code.co_filename
    try:
        inside = Path(filename).resolve().is_relative_to(_PACKAGE)
    except (OSError, ValueError):
        return False
    return inside and linecache.getline(filename, last.tb_lineno).lstrip().startswith("raise ")


def short_error(value: BaseException) -> list[str]:
    """The lines shown for a toolkit error: its type and message, then how to see the full traceback."""
    return [f"{_RED}{type(value).__name__}{_RESET}: {value}", _HINT]


def _handler(shell, etype, value, tb, tb_offset=None):
    """IPython custom exception handler: the toolkit's own errors as one line, others as usual."""
    if _showing_full() or not is_toolkit_error(value, tb):
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
        return None
    # %tb shows the last error in full: IPython reads it from here
    sys.last_type, sys.last_value, sys.last_traceback = etype, value, tb
    if hasattr(sys, "last_exc"):  # Python 3.12 and later
        sys.last_exc = value
    shell._showtraceback(etype, value, short_error(value))
    return None


def install_error_display(shell=None) -> bool:
    """Show the toolkit's own errors as one line in this IPython session (or ``shell``).

    Outside IPython this does nothing. An exception handler set by someone else (another library
    or the user) is left in place.

    Returns:
        True if the handler is now installed, False outside IPython or when another handler is set.
    """
    if shell is None:
        if "IPython" not in sys.modules:
            return False
        from IPython import get_ipython

        shell = get_ipython()
        if shell is None:
            return False
    if getattr(shell, "_sarcoma_edu_errors", False) and shell.custom_exceptions == _SHORTENED:
        return True
    if shell.custom_exceptions:
        return False
    shell.set_custom_exc(_SHORTENED, _handler)
    shell._sarcoma_edu_errors = True
    return True
