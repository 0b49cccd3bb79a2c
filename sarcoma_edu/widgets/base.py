"""What the lesson widgets share: the inputs they are typed into and the way their figures reach the page.

:class:`NumberBox` reads a number exactly as typed; :func:`_fits` sizes a drop-down to its longest choice;
:func:`_site_options` lists the sites in words. :func:`_draw` puts a figure into an ``Output`` once the cell
that made the widget has replied (at once under Voila and outside a kernel), and :func:`_later` runs a
callback on the kernel's own event loop. Importing this module imports ipywidgets; ``import sarcoma_edu``
does not.
"""

from __future__ import annotations

import numbers
import os
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import ipywidgets as w
import numpy as np
import traitlets
from IPython import get_ipython

from sarcoma_edu.clinical.tables import load_table
from sarcoma_edu.common import checks as _checks
from sarcoma_edu.display import errors as notebook
from sarcoma_edu.display import figure_text, presentation

if TYPE_CHECKING:  # plotly is imported only when a figure is first drawn
    from sarcoma_edu.display.figure import Figure

# under `sarcoma-edu present`, tables show plain column names, no index and no cut text
presentation.install_table_display()
# in a lesson, the toolkit's own errors show as their one helpful line (sarcoma_edu.display.errors)
notebook.install_error_display()

__all__ = ["NumberBox"]

_LABEL = {"description_width": "initial"}
_WIDE = w.Layout(width="32em")


def _show(output: w.Output, figure: Figure) -> None:
    """Put a figure in an Output widget (only inside a kernel; elsewhere the figure is kept on .figure).

    The figure is set as the widget's ``outputs`` (one widget state update) rather than displayed
    inside ``with output:``: a plotly figure displayed in that capture, close to the end of a cell,
    held back the kernel's reply to the cell now and then, so that a lesson under Voila or nbclient
    stopped at the calculator until it timed out.
    """
    if _in_kernel():
        output.outputs = _records(figure)


def _show_explorable(output: w.Output, figure: Figure) -> None:
    """:func:`_show`, with the keyboard copy under the text alternative (:mod:`sarcoma_edu.display.explore`)."""
    if _in_kernel():
        from sarcoma_edu.display.explore import copy_record

        output.outputs = (*_records(figure), copy_record(figure, place=output))


def _in_kernel() -> bool:
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


def _records(figure: Figure) -> tuple[dict, dict]:
    """The figure, then its name, description and data in words (sarcoma_edu.display.figure_text)."""
    return (
        {"output_type": "display_data", "data": figure._repr_mimebundle_(), "metadata": {}},
        {"output_type": "display_data", "data": figure_text.alternative_bundle(figure), "metadata": {}},
    )


def _draw(owner: w.Widget, output: w.Output, build: Callable[[], object], *, explorable: bool = False) -> None:
    """Build ``owner.figure`` with ``build()`` and show it in ``output`` (with its keyboard copy if ``explorable``).

    In a JupyterLab kernel the first figure is drawn by the kernel's event loop once the cell that
    made the widget has finished and replied, so the calculator appears at once and its figure
    follows (the plotly library loads in the browser only then); every later change redraws at
    once. Drawing it from inside the cell's run (an IPython ``post_run_cell`` hook) instead held
    back the kernel's reply to that cell in about one run in four, until the client timed out.
    Voila (its kernels have ``VOILA_BASE_URL`` set) renders the page from what a cell makes before it
    finishes, so there, and outside a kernel, the figure is drawn immediately.
    """

    def draw() -> None:
        owner.figure = build()
        (_show_explorable if explorable else _show)(output, owner.figure)

    shell = get_ipython()
    first = not getattr(owner, "_figure_started", False)
    owner._figure_started = True
    loop = getattr(getattr(shell, "kernel", None), "io_loop", None)
    if not first or loop is None or "VOILA_BASE_URL" in os.environ:
        draw()
        return

    def draw_later() -> None:
        try:
            draw()
        except Exception as error:  # off the cell's run, an error would otherwise reach only the kernel log
            message = f"The figure could not be drawn ({type(error).__name__}: {error}). The results above still hold."
            output.outputs = ({"output_type": "stream", "name": "stderr", "text": message},)

    loop.add_callback(draw_later)


def _fits(options: Sequence[object], description: str) -> w.Layout:
    """A dropdown layout wide enough for its longest choice and its label, so no choice is cut off."""
    labels = [o[0] if isinstance(o, tuple) else o for o in options]
    longest = max(len(str(label)) for label in labels) + len(description)
    return w.Layout(width=f"{round(0.62 * longest) + 5}em", max_width="100%")


def _plain(number: numbers.Real) -> str:
    """A number as a student would type it: 7, 12.5, 0.001 (never 7.0 or 1e-03)."""
    if isinstance(number, numbers.Integral):
        return str(int(number))
    return np.format_float_positional(float(number), trim="-")


class _TypedText(traitlets.Unicode):
    """Text as typed; a number set from Python (``box.value = 12``) is written as the student would type it."""

    def validate(self, obj: object, value: object) -> str:
        if isinstance(value, numbers.Real) and not isinstance(value, bool):
            value = _plain(value)
        return super().validate(obj, value)


class NumberBox(w.Text):
    """A labelled box a number is typed into, read exactly as typed.

    The page sends every keystroke (``continuous_update``) and the calculator reads the text with
    :func:`sarcoma_edu.common.checks.typed_number`: digits, a sign and a point for a decimal. Anything else
    ("ten", "12,5", "3-4", "30%") is refused with a message naming the box; nothing is silently read as
    another number (a number box of the browser's own would drop a comma or a point, turning 12,5 or
    12.5 into 125, and would ignore a word). Setting ``value`` from Python to a number writes it as text.
    """

    value = _TypedText("", help="the text typed in the box").tag(sync=True)

    def __init__(self, value: float | str, description: str, **options: object) -> None:
        super().__init__(value=value, description=description, style=_LABEL, continuous_update=True, **options)
        self.add_class("sarcoma-edu-number")

    def number(self) -> int | float:
        """The number typed (an int when typed without a point).

        Raises:
            ValueError: the text is not a plain number; the message names the box and says what to type.
        """
        try:
            number = _checks.typed_number(self.value)
        except ValueError as error:
            raise ValueError(f"{self.description}: {error}") from None
        return int(number) if _WHOLE.fullmatch(self.value.strip()) else number


_WHOLE = re.compile(r"[+-]?\d+")


def _later(delay_s: float, callback: Callable[[], None]) -> bool:
    """Run ``callback`` after ``delay_s`` seconds on the kernel's event loop; False where there is none.

    The timer is set from the loop itself (``add_callback`` wakes it from any thread): ipykernel 7
    handles a widget's message outside that loop, and a timer set from there waited, unseen, until
    the kernel's next message woke the loop.
    """
    loop = getattr(getattr(get_ipython(), "kernel", None), "io_loop", None)
    if loop is None or not hasattr(loop, "call_later"):
        return False
    loop.add_callback(lambda: loop.call_later(delay_s, callback))
    return True


def _site_options() -> list[tuple[str, str]]:
    """The sites as drop-down choices: each site in words (capitalised), with its id."""
    sites = load_table("sites.csv")
    sites = sites[sites.name == sites.site]
    return [(label[0].upper() + label[1:], site) for label, site in zip(sites.label, sites.site, strict=True)]
