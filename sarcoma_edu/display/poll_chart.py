"""The class poll on the projector: the share of the class that chose each answer, as horizontal bars.

:func:`poll_figure` draws it from what the class folder's results give (answer -> how many, and how many
answered), never from a student's file: no name or pseudonym reaches it, and with the question's choices
given, only those choices' words are ever written on it (anything else is counted as "Another answer").
Its text is projector-sized (20 px, more under ``present --large-text``) and each bar says its share and
count in words. Once the answer is revealed its bar is marked four ways, so colour never carries it
alone: a tick and "right answer" in its label, stripes, a thick outline and a colour of its own
(Okabe & Ito's bluish green beside the blue of the others). The text alternative
(:mod:`sarcoma_edu.display.figure_text`) says how many answered, each answer's share and, once revealed,
the right answer.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from sarcoma_edu.common import checks as _checks
from sarcoma_edu.display import figure_text, presentation
from sarcoma_edu.display.figure import _THEMES, LARGE_TEXT_SCALE, OKABE_ITO, Figure, _style, _wrap

__all__ = ["OTHER_ANSWER", "RIGHT_MARK", "poll_figure"]

# the bar for answers that are not among the question's choices (their words are never shown)
OTHER_ANSWER = "Another answer"
# how the right answer's label ends once revealed (in words, beside the tick)
RIGHT_MARK = "right answer"
_TEXT_PX = 20  # the chart's body text on a projector: tick labels, bar labels
_BAR = OKABE_ITO["blue"]
_RIGHT_BAR = OKABE_ITO["bluish green"]


def _count(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name}={_checks.show(value)} is not allowed; expected a whole number 0 or more")
    return value


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _bars(counts: Mapping[str, int], choices: Sequence[str]) -> list[tuple[str, int]]:
    """(answer, count) per bar: the choices in their order (0 when nobody chose one), then anything else.

    With choices, any other answer is counted under :data:`OTHER_ANSWER`; without (a numeric question),
    the answers that are numbers come in numeric order and any other text goes under it too.
    """
    bars: list[tuple[str, int]] = [(choice, counts.get(choice, 0)) for choice in choices]
    others = [(answer, n) for answer, n in counts.items() if answer not in choices]
    if not choices:
        numbers = sorted((a for a in others if _number(a[0]) is not None), key=lambda a: _number(a[0]))
        bars += numbers
        others = [a for a in others if _number(a[0]) is None]
    other = sum(n for _answer, n in others)
    if other:
        bars.append((OTHER_ANSWER, other))
    return bars


def _label(answer: str, right: bool, width: int) -> str:
    """An answer as a tick label: its words escaped (plotly would read tags), wrapped; the right one marked."""
    words = _wrap(html.escape(answer, quote=False), width) or html.escape(answer, quote=False)
    return f"<b>✓ {words}<br>({RIGHT_MARK})</b>" if right else words


def poll_figure(
    counts: Mapping[str, int],
    responses: int,
    *,
    choices: Sequence[str] = (),
    right: Sequence[str] | None = None,
    title: str = "",
) -> go.Figure:
    """How the class answered: a bar per answer, its length the share of those who answered.

    Args:
        counts: answer -> how many chose it (the poll results' ``counts``).
        responses: how many answered (the results' ``responses``); each share is out of this number, so a
            question with several answers to tick may add up to more than 100%.
        choices: the question's choices, in order: each gets a bar (0% when nobody chose it) and no other
            answer's words are shown. Empty for a numeric question (a bar per number given).
        right: None before the answer is revealed; then the right answers, marked on their bars.
        title: the figure's title; by default "How the class answered" and how many answered.

    Raises:
        ValueError: a count or ``responses`` that is not a whole number 0 or more, naming it.
    """
    _count("responses", responses)
    for answer, n in counts.items():
        _count(f"counts[{answer!r}]", n)
    choices = [str(c) for c in choices]
    revealed = right is not None
    right_set = {str(r) for r in right or ()}
    scale = LARGE_TEXT_SCALE if presentation.large_text() else 1.0
    bars = _bars(counts, choices)
    shares = [round(100 * n / responses, 1) if responses else 0.0 for _answer, n in bars]
    marked = [revealed and answer in right_set and answer != OTHER_ANSWER for answer, _n in bars]
    width = 28 if scale == 1 else 22  # letters per label line: long choices wrap instead of squeezing the bars
    labels = [_label(answer, is_right, width) for (answer, _n), is_right in zip(bars, marked, strict=True)]
    outline = _THEMES[presentation.theme()][1]
    texts = [f"{round(share)}% ({n})" for share, (_answer, n) in zip(shares, bars, strict=True)]
    fig = Figure()
    fig.add_trace(
        go.Bar(
            y=labels,
            x=shares,
            orientation="h",
            marker={
                "color": [_RIGHT_BAR if m else _BAR for m in marked],
                "pattern": {"shape": ["/" if m else "" for m in marked], "fgcolor": outline, "solidity": 0.25},
                "line": {"color": outline, "width": [5 if m else 0 for m in marked]},
            },
            text=texts,
            textposition="outside",
            textfont={"size": _TEXT_PX},
            cliponaxis=False,  # 100% keeps its label beside the bar
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    ticks = {"size": round(_TEXT_PX * scale)}  # _style scales the bar labels and notes, not the axes' ticks
    fig.update_xaxes(title_text="Share of those who answered (%)", range=[0, 100], tickvals=[0, 25, 50, 75, 100],
                     ticksuffix="%", tickfont=ticks, fixedrange=True)  # fmt: skip
    fig.update_yaxes(title_text="", autorange="reversed", tickfont=ticks, fixedrange=True, automargin=True)
    if not responses:
        fig.add_annotation(text="No answers yet", x=50, y=0.5, xref="x", yref="paper", showarrow=False,
                           font={"size": 24})  # fmt: skip
    heading = title or f"How the class answered: {responses} {'answer' if responses == 1 else 'answers'}"
    lines = sum(label.count("<br>") + 1 for label in labels)
    fig = _style(fig, heading, height=max(360, 170 + 36 * lines + 24 * len(bars)))
    # the right margin holds a full bar's label ("100% (60)")
    fig.update_layout(margin={"r": round(130 * scale)}, showlegend=False, bargap=0.3)
    return figure_text.describe(fig, _sentence(bars, responses, marked, revealed))


def _sentence(bars: list[tuple[str, int]], responses: int, marked: list[bool], revealed: bool) -> str:
    """The figure's own words: how many answered, whether shares may pass 100%, and the right answer once revealed."""
    chosen = sum(n for _answer, n in bars)
    if responses == 0:
        words = ["No answers yet; only counts will be shown, never a name."]
    else:
        students = "student" if responses == 1 else "students"
        words = [f"{responses} {students} answered; only counts are shown, no names."]
    if chosen > responses:
        words.append("Several answers could be chosen, so the shares add up to more than 100%.")
    if revealed:
        right = [answer for (answer, _n), m in zip(bars, marked, strict=True) if m]
        if right:
            words.append(
                f"The right answer{'s' if len(right) > 1 else ''}: {'; '.join(right)}, marked on the bar with a tick, "
                "the words 'right answer', stripes and a thick outline."
            )
    return " ".join(words)
