"""Settings for showing lessons: plain tables in every lesson; on a projector, dark theme and large text.

``sarcoma-edu present`` starts Voila with environment variables that its kernels inherit, so the
figure builders and the table display read them while a lesson runs:

- ``SARCOMA_EDU_THEME``: ``light`` (default) or ``dark``; with ``dark`` every figure uses plotly's
  ``plotly_dark`` template and light text, matching Voila's dark page.
- ``SARCOMA_EDU_LARGE_TEXT``: ``1`` for larger figure text (the page text is enlarged by the
  ``sarcoma-edu-large`` Voila template).
- ``SARCOMA_EDU_PRESENT``: ``1`` while presenting.

In every lesson, in JupyterLab as in Voila, tables are shown with plain column names, without
meaningless row numbers and with every word of every cell, wrapped (see :func:`table_html` and
:func:`install_table_display`).

This module imports neither plotly nor ipywidgets.
"""

from __future__ import annotations

import html
import os
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "LARGE_TEXT_ENV",
    "PRESENT_ENV",
    "THEME_ENV",
    "install_table_display",
    "is_presenting",
    "large_text",
    "plain_column",
    "table_html",
    "template_root",
    "theme",
]

THEME_ENV = "SARCOMA_EDU_THEME"
LARGE_TEXT_ENV = "SARCOMA_EDU_LARGE_TEXT"
PRESENT_ENV = "SARCOMA_EDU_PRESENT"
THEMES = ("light", "dark")
# the smallest body text of the large-text Voila template, in CSS pixels
LARGE_TEXT_PX = 22

_TRUE, _FALSE = ("1", "yes", "true", "on"), ("", "0", "no", "false", "off")
# words that are abbreviations or units in the tables' column names
_WORDS = {
    "pdq": "PDQ",
    "ajcc": "AJCC",
    "fnclcc": "FNCLCC",
    "seer": "SEER",
    "us": "US",
    "id": "ID",
    "t": "T",
    "n": "N",
    "m": "M",
    "g": "G",
    "cm": "(cm)",
    "pct": "(%)",
}


def _flag(name: str) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if value in _TRUE:
        return True
    if value not in _FALSE:
        warnings.warn(
            f"{name}={value!r} is not understood; expected 1 or 0 (yes/no); using 0", UserWarning, stacklevel=3
        )
    return False


def theme() -> Literal["light", "dark"]:
    """The theme figures use: ``$SARCOMA_EDU_THEME`` (``light`` or ``dark``), light when unset.

    An unknown value warns, naming the variable, the value and the themes there are, and uses light.
    """
    value = os.environ.get(THEME_ENV, "").strip().lower() or "light"
    if value not in THEMES:
        warnings.warn(
            f"{THEME_ENV}={value!r} is not a theme; expected one of {', '.join(THEMES)}; using light",
            UserWarning,
            stacklevel=2,
        )
        return "light"
    return value  # type: ignore[return-value]


def large_text() -> bool:
    """Whether figures use projector-sized text (``$SARCOMA_EDU_LARGE_TEXT`` is 1)."""
    return _flag(LARGE_TEXT_ENV)


def is_presenting() -> bool:
    """Whether the lesson runs under ``sarcoma-edu present`` (``$SARCOMA_EDU_PRESENT`` is 1)."""
    return _flag(PRESENT_ENV)


def template_root() -> Path:
    """The Jupyter data folder holding the ``sarcoma-edu`` and ``sarcoma-edu-large`` Voila templates."""
    return Path(__file__).resolve().parents[1] / "jupyter"


def plain_column(name: object) -> str:
    """A column name as words: ``"size_cm"`` -> ``"Size (cm)"``, ``"pdq_wording"`` -> ``"PDQ wording"``."""
    if isinstance(name, tuple):
        name = " ".join(str(part) for part in name if str(part))
    words = [_WORDS.get(word.lower(), word) for word in str(name).replace("_", " ").split()]
    if not words:
        return ""
    return " ".join([words[0][:1].upper() + words[0][1:], *words[1:]])


def table_html(frame: pd.DataFrame | pd.Series, max_rows: int = 200) -> str:
    """A table a student can read: plain column names, no row numbers, no text cut short.

    A named index (e.g. the groups of a ``groupby``) becomes the first column; an unnamed one of
    whole numbers (row numbers) is left out, and an unnamed one of labels is kept as the first
    column. Every character of every cell is shown and long text wraps. Up to ``max_rows`` rows are
    shown; a longer table shows its first ``max_rows`` and says in its caption how many there are.
    """
    import pandas as pd

    if isinstance(frame, pd.Series):
        frame = frame.to_frame(name=frame.name if frame.name is not None else "value")
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame={type(frame).__name__} is not a pandas DataFrame or Series")
    named = any(level is not None for level in frame.index.names)
    row_numbers = not named and pd.api.types.is_integer_dtype(frame.index.dtype)
    frame = frame.reset_index(drop=row_numbers)
    caption = ""
    if len(frame) > max_rows:
        caption = f"<caption style='text-align:left'>The first {max_rows} of {len(frame)} rows</caption>"
        frame = frame.head(max_rows)
    # inline, so JupyterLab's right-aligned table cells cannot override it
    cell = "style='text-align:left;vertical-align:top;white-space:normal'"
    head = "".join(f"<th scope='col' {cell}>{html.escape(plain_column(c))}</th>" for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False, name=None):
        cells = "".join(f"<td {cell}>{'' if _missing(v) else html.escape(str(v))}</td>" for v in values)
        rows.append(f"<tr>{cells}</tr>")
    style = (
        "border-collapse:collapse;table-layout:auto;max-width:100%;white-space:normal;"
        "overflow-wrap:anywhere;text-align:left"
    )
    return (
        "<style>.sarcoma-edu-table th,.sarcoma-edu-table td{white-space:normal;overflow:visible;"
        "text-overflow:clip;text-align:left;vertical-align:top;padding:0.3em 0.7em;"
        "border-bottom:1px solid var(--jp-border-color2,#ccc)}</style>"
        f"<table class='sarcoma-edu-table' style='{style}'>{caption}<thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _missing(value: object) -> bool:
    try:
        return bool(value != value)  # NaN, NaT and pd.NA are not equal to themselves
    except (TypeError, ValueError):
        return False


def install_table_display() -> bool:
    """In a lesson's kernel, show every DataFrame and Series with :func:`table_html`.

    Called when ``sarcoma_edu`` is imported. Outside IPython (a script, the command line) nothing
    changes and IPython is not imported. pandas' text display then shows whole cells as well.

    Returns:
        True when installed (inside IPython); False otherwise, changing nothing.
    """
    if "IPython" not in sys.modules:
        return False
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        return False
    import pandas as pd

    formatter = shell.display_formatter.formatters["text/html"]
    formatter.for_type(pd.DataFrame, table_html)
    formatter.for_type(pd.Series, table_html)
    pd.set_option("display.max_colwidth", None)
    return True
