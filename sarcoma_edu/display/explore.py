"""Figures a student can explore without sight: a keyboard copy of a lesson figure, made by maidr, offline.

Under a figure and its text alternative (:mod:`sarcoma_edu.display.figure_text`), :func:`explorable` (and the
staging calculator, through :func:`copy_record`) adds a closed disclosure, "Explore the figure by keyboard".
Opened, it holds the same figure drawn by maidr (py-maidr, GPL-3.0-or-later): Tab reaches the chart, the arrow
keys move along the bars, across a grid's cells or along a timeline's steps, and each value is written to
maidr's live region for a screen reader (B, S and T switch braille, sound and text; Ctrl+/ lists every key).
The copy is made on the kernel's event loop just after its figure shows, so that the first one, which
imports maidr, holds nothing back.

Nothing is fetched from the internet: maidr is told before it is imported to use the copy of maidr.js its
package ships (``MAIDR_USE_CDN=false``, ``MAIDR_CDN_VERSION=bundled``, no locale-pack address), and the
chart's frame, which maidr has load plotly.js from the plotly CDN, takes the copy the plotly package ships
instead. Both scripts reach the page through a hidden output widget (:func:`_library`, 6.9 MB, made once per
kernel) and the chart's frame reads them from there; the frame is drawn when the disclosure is opened, and
waits for them if they have not arrived.

maidr reads what the figure draws; the course makes it say the course's words (:mod:`sarcoma_edu.display.
spoken`): plain text for HTML labels, the shared axis's title on every panel, a grid cell's own words (the
stage group, the total and grade) and a timeline's steps in weeks. A figure kind maidr cannot read (a 3-D
surface, a table, an image) gets a sentence saying so; its data table stays above. ``import sarcoma_edu``
imports neither maidr nor plotly nor ipywidgets: this module imports them when a figure is first explored.
"""

from __future__ import annotations

import html
import json
import os
import re
import warnings
import weakref
from functools import cache
from typing import Any

from sarcoma_edu.display import figure_text
from sarcoma_edu.display.spoken import course_words, drawn_direction

__all__ = ["MAIDR_SETTINGS", "ExploreError", "chart_frame", "copy_record", "explorable", "explore_outputs"]

# set before `import maidr`: the bundled maidr.js only, no version look-up, no locale-pack address
MAIDR_SETTINGS = {"MAIDR_USE_CDN": "false", "MAIDR_CDN_VERSION": "bundled", "MAIDR_LOCALE_BASE_URL": ""}

# what plotly.io.to_html(include_plotlyjs="cdn") writes into maidr's chart frame
_PLOTLY_CDN = re.compile(r'<script charset="utf-8" src="https://cdn\.plot\.ly/plotly-[^"]+"[^>]*></script>')
# ... and what the frame runs instead: the copy the page holds (window.parent: the frame is the chart's)
_PLOTLY_FROM_PAGE = (
    "<script>(function(){var s=document.createElement('script');"
    "s.text=window.parent.__plotlyJsSource;document.head.appendChild(s);})();</script>"
)
# the copy is for the keyboard: plotly's own buttons (zoom, download) stay on the figure above it, and here
# would come before the chart in the Tab order
_NO_MODEBAR = "<style>.modebar-container{display:none !important}</style>"
_SRCDOC = re.compile(r'srcdoc="([^"]*)"')
_ADDRESS = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)

_HELP = (
    "Tab to the chart; the arrow keys then move from value to value and each is read out. "
    "In a figure of several panels, the arrow keys choose a panel, Enter goes into it and Escape back out. "
    "Ctrl+/ lists every key; B, S and T switch braille, sound and text on or off."
)


class ExploreError(RuntimeError):
    """maidr could not make a keyboard copy of a figure (its kind, or a maidr or plotly version it was not made for)."""


@cache
def _maidr() -> Any:
    """maidr, imported offline, leaving matplotlib's backend as it was (maidr switches it on import)."""
    os.environ.update(MAIDR_SETTINGS)
    from IPython.utils.capture import capture_output

    # in a kernel, `import maidr` shows its own copy of maidr.js in the cell that imports it: the course
    # puts the copy in the page itself (_library), so it is caught here and dropped
    with warnings.catch_warnings(), capture_output(display=True):
        warnings.simplefilter("ignore", UserWarning)  # "Setting matplotlib backend to maidr"
        import maidr

        maidr.set_backend(use_maidr=False)
    return maidr


def chart_frame(figure: Any) -> str:
    """maidr's frame for ``figure`` (an ``<iframe srcdoc>``), reading plotly.js and maidr.js from the page.

    Raises:
        ExploreError: maidr draws no layer for the figure's kind, or it wrote a frame this course does not know
            how to keep offline (a maidr or plotly release other than the one in binder/requirements.txt).
    """
    maidr = _maidr()  # first: `import maidr.plotly` would import maidr without the offline settings
    import plotly.graph_objects as go
    from maidr.plotly import PlotlyMaidr
    from maidr.util.environment import Environment

    if not hasattr(PlotlyMaidr, "_flatten_maidr"):
        raise ExploreError(f"maidr {maidr.__version__} builds its charts another way than the course expects")

    plain = drawn_direction(go.Figure(figure))  # maidr recognises plotly's own class only, not the course's Figure

    class _CourseMaidr(PlotlyMaidr):
        def _flatten_maidr(self) -> dict:
            return course_words(super()._flatten_maidr(), plain)

    chart = _CourseMaidr(plain)
    if not _layers(chart._flatten_maidr()):
        kinds = ", ".join(sorted({trace.type for trace in plain.data})) or "no trace"
        raise ExploreError(f"maidr cannot read this kind of figure ({kinds})")
    if not Environment.is_notebook():
        raise ExploreError("a figure is made explorable inside a Jupyter kernel only")
    frame = str(chart.render(use_cdn=False))
    return _offline(frame)


def _layers(schema: dict) -> list[dict]:
    return [layer for row in schema.get("subplots", []) for cell in row for layer in cell.get("layers", [])]


def _offline(frame: str) -> str:
    """The frame with plotly.js read from the page instead of the plotly CDN, checked to fetch nothing."""
    found = _SRCDOC.findall(frame)
    if len(found) != 1:
        raise ExploreError(f"maidr wrote {len(found)} chart documents where the course expects one")
    document, replaced = _PLOTLY_CDN.subn(_NO_MODEBAR + _PLOTLY_FROM_PAGE, html.unescape(found[0]))
    if replaced != 1:
        raise ExploreError("maidr's chart does not load plotly.js the way the course replaces it")
    if _ADDRESS.search(document) or "cdn.jsdelivr" in document:
        raise ExploreError("maidr's chart would still fetch a script or a style from the internet")
    return _SRCDOC.sub(lambda _m: 'srcdoc="' + html.escape(document, quote=True) + '"', frame)


@cache
def _library() -> Any:
    """A hidden output widget holding plotly.js and maidr.js, once per kernel, shown beside every chart frame.

    Every chart frame reads the two scripts from its page. Shown as a widget, they come back to the page from
    the kernel after a reload, where a plain output that had sent them once would not be sent again.
    """
    import ipywidgets as w
    import plotly.offline

    maidr = _maidr()

    def stash(name: str, source: str) -> str:
        text = json.dumps(source).replace("</", _CLOSE)
        return f"if(!window.{name}){{window.{name}={text};}}"

    script = stash("__plotlyJsSource", plotly.offline.get_plotlyjs()) + stash(
        "__maidrJsSource", maidr.read_bundled_js()
    )
    library = w.Output(layout=w.Layout(display="none"))
    library.outputs = (
        {
            "output_type": "display_data",
            "data": {"text/html": f"<script>{script}</script>", "text/plain": ""},
            "metadata": {},
        },
    )
    return library


# opens the chart's frame in its disclosure when the student opens it and the page holds both scripts
_OPEN_JS = """(function () {
  var root = document.currentScript.parentNode, details = root.querySelector('details');
  var place = root.querySelector('.sarcoma-edu-explore-chart'), frame = %s;
  function draw(tries) {
    if (place.querySelector('iframe')) return;
    if (!(window.__plotlyJsSource && window.__maidrJsSource)) {
      if (tries < 300) { setTimeout(function () { draw(tries + 1); }, 100); return; }
      place.textContent = 'The keyboard copy could not load here: run the cell again. '
        + 'The figure\\u2019s data are in the table above.';
      return;
    }
    place.innerHTML = frame;
  }
  details.addEventListener('toggle', function () { if (details.open) draw(0); });
  if (details.open) draw(0);
})();"""


_CLOSE = "<\\/"  # "</" inside a script's string, which would otherwise end the script


def _disclosure(figure: Any, frame: str) -> str:
    name = html.escape(figure_text.figure_name(figure).removeprefix("Figure: "))
    return (
        f'<div class="sarcoma-edu-explore" role="group" aria-label="Explore by keyboard: {name}">'
        "<details><summary><strong>Explore the figure by keyboard</strong> (screen reader, sound, braille)"
        f"</summary><p style='margin:0.3em 0'>{html.escape(_HELP)}</p>"
        '<div class="sarcoma-edu-explore-chart"></div></details>'
        f"<script>{_OPEN_JS % json.dumps(frame).replace('</', _CLOSE)}</script></div>"
    )


_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# the output widgets whose page has been sent the scripts (the library view) with an earlier copy
_SENT: weakref.WeakSet = weakref.WeakSet()


def explore_outputs(figure: Any, place: Any = None) -> tuple[dict, ...]:
    """The output records that put the keyboard copy of ``figure`` under it (or say why there is none).

    Args:
        figure: a figure of :mod:`sarcoma_edu.display`.
        place: the output widget that the records are for, when it is redrawn (the staging calculator's stage
            map): only its first records bring the scripts' view. Its later copies find the scripts in the
            page, where the first one left them; bringing them again cost about 0.3 s a redraw.
    """
    try:
        frame = chart_frame(figure)
    except Exception as error:  # the figure and its table stand without the copy: say why, never a traceback
        if not isinstance(error, ExploreError):
            error = ExploreError(f"maidr could not read it: {type(error).__name__}: {error}")
        why = html.escape(str(error))
        note = f"<p class='sarcoma-edu-explore-missing'>This figure cannot be explored by keyboard ({why}); "
        note += "its data are in the table above.</p>"
        return ({"output_type": "display_data", "data": {"text/html": note, "text/plain": str(error)}, "metadata": {}},)
    copy = {
        "output_type": "display_data",
        "data": {"text/html": _disclosure(figure, frame), "text/plain": "Explore the figure by keyboard"},
        "metadata": {},
    }
    if place is not None and place in _SENT:
        return (copy,)
    if place is not None:
        _SENT.add(place)
    view = {"model_id": _library().model_id, "version_major": 2, "version_minor": 0}
    return ({"output_type": "display_data", "data": {_WIDGET_VIEW: view}, "metadata": {}}, copy)


# the output widget that holds the keyboard copy of each redrawn place's current figure
_HOLDERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def copy_record(figure: Any, place: Any = None) -> dict:
    """An output record for the keyboard copy of ``figure``: an output widget that the copy fills soon after.

    Shown with the figure and its text alternative (in the same update, so the figure is drawn once), it is
    empty at first; in a kernel the copy is made on the kernel's event loop once the code that showed the
    figure has finished. The first copy imports maidr (1.5 s in a fresh kernel, more on a busy machine),
    which must not hold back what the student is waiting for: the feedback on the answer that revealed the
    figure, or the figure itself. Outside a kernel loop it is made at once.

    Args:
        figure: the figure shown.
        place: see :func:`explore_outputs`; the holder of its previous figure's copy is closed.
    """
    import ipywidgets as w
    from IPython import get_ipython

    holder = w.Output()
    if place is not None:
        previous = _HOLDERS.get(place)
        if previous is not None:
            previous.close()
        _HOLDERS[place] = holder

    def fill() -> None:
        if holder.comm is not None:  # not closed by a redraw meanwhile
            holder.outputs = explore_outputs(figure, place)

    loop = getattr(getattr(get_ipython(), "kernel", None), "io_loop", None)
    if loop is None:
        fill()
    else:
        loop.add_callback(fill)
    view = {"model_id": holder.model_id, "version_major": 2, "version_minor": 0}
    return {"output_type": "display_data", "data": {_WIDGET_VIEW: view, "text/plain": ""}, "metadata": {}}


def explorable(figure: Any) -> Any:
    """A lesson figure with its text alternative and, under them, its keyboard copy (an output widget).

    Args:
        figure: a figure of :mod:`sarcoma_edu.display`, e.g. ``explorable(fnclcc_figure())``.
    """
    import ipywidgets as w

    output = w.Output()
    output.outputs = (
        {"output_type": "display_data", "data": figure._repr_mimebundle_(), "metadata": {}},
        {"output_type": "display_data", "data": figure_text.alternative_bundle(figure), "metadata": {}},
        copy_record(figure),
    )
    output.figure = figure
    return output
