"""What every lesson figure shares: the :class:`Figure` that shows itself offline, the colours, the theme and the text.

:class:`Figure` sends the plotly mimetype bundle and the figure's text alternative
(:mod:`sarcoma_edu.display.figure_text`) without loading plotly's renderers; :data:`OKABE_ITO` is the
colour-blind-safe palette every figure draws with; :func:`_style` gives a figure its title, projector-sized
fonts, the light or dark theme and, under ``present --large-text``, larger text; :func:`_wrap` breaks hover
text into short lines. Importing this module (as every figure module does) imports plotly; ``import
sarcoma_edu`` does not.
"""

from __future__ import annotations

import json
import textwrap

import plotly.graph_objects as go

from sarcoma_edu.display import errors as notebook
from sarcoma_edu.display import figure_text, presentation

# under `sarcoma-edu present`, tables show plain column names, no index and no cut text
presentation.install_table_display()
# in a lesson, the toolkit's own errors show as their one helpful line (sarcoma_edu.display.errors)
notebook.install_error_display()

__all__ = ["OKABE_ITO", "Figure"]

# Okabe & Ito (2008) palette, safe for the common forms of colour blindness.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "grey": "#999999",
}
FONT = {"size": 16, "family": "Arial, Helvetica, sans-serif", "color": "#222222"}
# light-to-dark ramp (blue family) so stage order reads as lightness too
_STAGE_RAMP = ["#DCEAF7", "#B3D3EE", "#7FB2DD", "#4A8CC4", "#1F63A3", "#0B3C6E"]


class Figure(go.Figure):
    """A plotly figure that shows itself with the plotly mimetype directly.

    Displaying a plain ``go.Figure`` loads ``plotly.io._renderers``, which imports nbformat and,
    through jsonschema, compiles dozens of URI grammars: about 9 s before a student's first figure
    in each kernel. The bundle below is what the default ``plotly_mimetype`` renderer sends
    (rendered offline by the jupyterlab-plotly extension), without that import.
    """

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        spec = json.loads(self.to_json())
        spec["config"] = {"displaylogo": False}  # "responsive" would set height 100% and collapse in Voila
        title = self.layout.title.text or "plotly figure"
        return {"application/vnd.plotly.v1+json": spec, "text/plain": f"Figure: {title}"}

    def _ipython_display_(self):
        from IPython.display import display

        display(self._repr_mimebundle_(), raw=True)
        display(figure_text.alternative_bundle(self), raw=True)  # its name, description and data in words


# text colour and template per theme ($SARCOMA_EDU_THEME, set by `sarcoma-edu present --dark`); light
# text on plotly_dark's near-black background keeps a contrast above 7:1, like the light theme
_THEMES = {"light": ("plotly_white", "#222222"), "dark": ("plotly_dark", "#F2F2F2")}


# under `present --large-text` every text of a figure grows by this much (16 px body text becomes 22 px, as
# the page's); the figure grows taller with it so that labels keep their room
LARGE_TEXT_SCALE = presentation.LARGE_TEXT_PX / FONT["size"]


def _style(fig: go.Figure, title: str, *, height: int = 480) -> go.Figure:
    """Title, fonts, theme and margins; under large text every font size set in the figure is scaled too."""
    template, colour = _THEMES[presentation.theme()]
    scale = LARGE_TEXT_SCALE if presentation.large_text() else 1.0
    fig.update_layout(
        title={"text": title, "font": {"size": round(22 * scale)}},
        font={**FONT, "color": colour, "size": round(FONT["size"] * scale)},
        height=round(height * (1 + (scale - 1) * 0.8)),
        template=template,
        hoverlabel={"font_size": round(15 * scale)},
        margin={"l": round(80 * scale), "r": 40, "t": round(90 * scale), "b": round(70 * scale)},
    )
    if scale != 1:
        for note in fig.layout.annotations:
            note.font.size = round((note.font.size or FONT["size"]) * scale)
            if note.yshift:
                note.yshift = round(note.yshift * scale)
        for trace in fig.data:
            textfont = getattr(trace, "textfont", None)
            if textfont is not None and textfont.size:
                textfont.size = round(textfont.size * scale)
    return fig


def _wrap(text: str, width: int = 60) -> str:
    """Break a hover text between words into lines of about ``width`` characters, joined by <br>."""
    return "<br>".join(textwrap.wrap(str(text), width=width, break_long_words=False, break_on_hyphens=False))
