"""The quiz progress figure (lessons 07 and 08): per topic, the questions attempted and answered right, with
mastery (FSRS) by topic or by learning objective beside or under them.

:data:`MASTERY_WORDS` says under the bars how mastery is worked out, followed by every topic's or objective's
mastery in a sentence, so the figure reads without its colours.
"""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sarcoma_edu.display import presentation
from sarcoma_edu.display.figure import LARGE_TEXT_SCALE, OKABE_ITO, Figure, _style, _wrap

__all__ = ["MASTERY_WORDS", "progress_figure"]

# how mastery is worked out, in the words the progress figure prints under its bars
MASTERY_WORDS = (
    "Mastery of a question is 0% while your last answer to it was wrong. Once you answer it right it is the "
    "chance you still recall it: 100% that day, then lower as the days pass (more slowly after right answers "
    "spread over several days), worked out by FSRS. A topic's or objective's mastery is the mean over the "
    "questions you answered for it."
)


def progress_figure(summary: pd.DataFrame, mastery: pd.DataFrame | None = None) -> go.Figure:
    """Quiz progress per topic: questions attempted and answered right, and mastery (FSRS) with them.

    Args:
        summary: ``ProgressStore.summary(by="topic")`` (columns topic, attempts, correct).
        mastery: ``sarcoma_edu.study.review.mastery(store)`` (per topic: shown beside the counts) or
            ``mastery(store, by="objective")`` (per learning objective, named in words: shown under
            them), or None for the counts alone. Mastery is 0 for a question last answered wrongly and
            otherwise the chance it is recalled now (FSRS); :data:`MASTERY_WORDS` says so under the
            figure, with every topic's or objective's mastery in a sentence.
    """
    missing = {"topic", "attempts", "correct"} - set(summary.columns)
    if missing:
        raise ValueError(f"summary has no column {sorted(missing)[0]!r}; expected ProgressStore.summary(by='topic')")
    key = None
    if mastery is not None:
        key = "objective" if "objective" in mastery.columns else "topic"
        absent = {key, "items", "mastery"} - set(mastery.columns)
        if absent:
            raise ValueError(
                f"mastery has no column {sorted(absent)[0]!r}; expected sarcoma_edu.study.review.mastery(store)"
            )
    if summary.empty:
        fig = Figure()
        fig.add_annotation(
            text="No answers yet: answer the quiz above, then press Update.",
            showarrow=False,
            font={"size": 18},
            x=0.5,
            y=0.5,
            xref="paper",
            yref="paper",
        )
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        return _style(fig, "Your quiz progress by topic", height=320)
    topics = [t or "(no topic)" for t in summary["topic"].astype(str)]
    labels = topics if key != "objective" else _objective_labels(mastery)
    if key is None:
        fig, where = Figure(make_subplots(rows=1, cols=1)), None
    elif key == "topic":
        fig, where = Figure(make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.08)), (1, 2)
    else:
        lines_per = [label.count("<br>") + 1 for label in labels]
        heights = [len(topics), max(1, sum(lines_per) / 1.6)]
        grid = make_subplots(
            rows=2, cols=1, row_heights=heights, vertical_spacing=min(0.3, 1.6 / (len(topics) + len(labels) + 2))
        )
        fig, where = Figure(grid), (2, 1)
    for name, column, colour, pattern in (
        ("Attempted", "attempts", OKABE_ITO["sky blue"], ""),
        ("Right", "correct", OKABE_ITO["bluish green"], "/"),
    ):
        fig.add_trace(
            go.Bar(
                name=name,
                y=topics,
                x=summary[column],
                orientation="h",
                marker={"color": colour, "pattern": {"shape": pattern}},
                text=[f"{name.lower()} {v}" for v in summary[column]],
                textposition="outside",
                cliponaxis=False,  # the "attempted" label past the longest bar is never cut off
                hovertemplate=f"%{{y}}: {name.lower()} %{{x}}<extra></extra>",
            ),
            row=1,
            col=1,
        )
    # by objective the legend goes above the counts: under them it would sit on the mastery axis title
    legend = {"orientation": "h", "y": -0.2} if key != "objective" else {"orientation": "h", "x": 0, "y": 1.0,
                                                                            "yanchor": "bottom"}  # fmt: skip
    fig.update_layout(barmode="group", legend=legend)
    fig.update_xaxes(title_text="Answers (all sessions)", rangemode="tozero", row=1, col=1)
    fig.update_xaxes(range=[0, 1.3 * max(1, int(summary["attempts"].max()))], row=1, col=1)
    fig.update_yaxes(title_text="Topic", autorange="reversed", row=1, col=1)
    title, lines = "Your quiz progress by topic: attempted and right", []
    if mastery is not None and where is not None:
        shown = mastery.assign(label=labels if key == "objective" else [t or "(no topic)" for t in mastery[key]])
        right = shown["right"] if "right" in shown.columns else [None] * len(shown)
        words = [
            f"{_plain_label(label)} {round(100 * m)}% ({_right_of(r, n)})"
            for label, m, r, n in zip(shown["label"], shown["mastery"], right, shown["items"], strict=True)
            if m == m
        ]
        # wrapped between words so no line runs past the figure (at 1366 x 768 too)
        # the sentences start at the figure's left edge and wrap to its width (fewer letters a line in large text)
        width = round(100 / (LARGE_TEXT_SCALE if presentation.large_text() else 1))
        explained = textwrap.wrap(MASTERY_WORDS, width=width, break_long_words=False, break_on_hyphens=False)
        wrapped = textwrap.wrap("; ".join(words) + ".", width=width, break_long_words=False, break_on_hyphens=False)
        lines = [*explained, "In words:", *wrapped]
        about = [_wrap(t, 50) for t in (shown["text"] if "text" in shown.columns else shown["label"])]
        fig.add_trace(
            go.Bar(
                name="Mastery now",
                y=list(shown["label"]),
                x=100 * shown["mastery"],
                orientation="h",
                marker={"color": OKABE_ITO["blue"]},
                text=[f"{round(100 * m)}% mastery" if m == m else "" for m in shown["mastery"]],
                # written beside a short bar (0% too), inside a long one
                textposition=["outside" if m == m and m < 0.3 else "inside" for m in shown["mastery"]],
                cliponaxis=False,
                customdata=[[a, _right_of(r, n)] for a, r, n in zip(about, right, shown["items"], strict=True)],
                hovertemplate="%{customdata[0]}<br>%{x:.0f}% mastery now (%{customdata[1]})<extra></extra>",
            ),
            row=where[0],
            col=where[1],
        )
        fig.update_xaxes(title_text="Mastery now (%)", range=[0, 100], row=where[0], col=where[1])
        if key == "objective":
            fig.update_yaxes(title_text="", autorange="reversed", row=2, col=1)
            fig.add_annotation(
                text="<b>Mastery of each learning objective</b>",
                x=0,
                xref="paper",
                xanchor="left",
                y=1,
                yref="y2 domain",
                yanchor="bottom",
                showarrow=False,
                font={"size": 15},
            )
        fig.add_annotation(
            text="<br>".join(lines) if words else f"In words: no answered question counts for a {key} yet.",
            showarrow=False,
            x=0,
            y=0,
            xshift=-(LEFT_MARGIN[key] - 12),  # from the plot's left edge back to the figure's
            yshift=-120,
            xref="paper",
            yref="paper",
            xanchor="left",
            yanchor="top",
            align="left",
            font={"size": 14},
        )
        title = f"Quiz progress: your answers, and your mastery by {key}"
    label_lines = sum(label.count("<br>") + 1 for label in labels) if key == "objective" else 0
    rows = len(summary) + (label_lines / 1.6 + 2 if key == "objective" else 0)
    fig = _style(fig, title, height=round(200 + 60 * rows + (24 * len(lines) + 40 if where else 0)))
    if where:
        fig.update_layout(margin={"b": 150 + 24 * len(lines), "l": LEFT_MARGIN[key]})
    return fig


# the progress figure's left margin: room for the topics, or for the objectives written out
LEFT_MARGIN = {"topic": 80, "objective": 330}


def _objective_labels(mastery: pd.DataFrame) -> list[str]:
    """Each objective in words (its text, wrapped onto short lines), or its id when the words are not there."""
    texts = mastery["text"] if "text" in mastery.columns else mastery["objective"]
    return [_wrap(str(text)[:1].upper() + str(text)[1:], 38) for text in texts]


def _plain_label(label: str) -> str:
    return label.replace("<br>", " ")


def _right_of(right: object, items: object) -> str:
    if right is None or right != right:
        return f"{int(items)} answered"
    return f"{int(right)} of {int(items)} right the last time"
