"""The class report as one self-contained HTML file: plotly.js embedded once, so it opens offline and can be emailed.

Each figure has a text alternative (a sentence, and the full table behind a "Show the table"
switch), and flags are written in words, never shown by colour alone. Every text taken from a
student's file (names, question ids, answers) is HTML-escaped in the page, and escaped again for
plotly, which reads a subset of HTML (``<a href>``, ``<b>``, ``<br>`` ...) in axis labels, hover
text and labels: a name such as ``<a href="javascript:...">x</a>`` shows as those characters and
never becomes a link (:func:`_plotly_text`). Text that is not valid Unicode (a file name in another
encoding) is shown with the replacement character.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from sarcoma_edu.common.about import DISCLAIMER
from sarcoma_edu.report.analysis import ClassReport
from sarcoma_edu.report.files import SharedAttempts
from sarcoma_edu.report.items import FLAG_DISTRACTOR, FLAG_NEGATIVE

__all__ = ["report_html"]

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 70rem; margin: 1.5rem auto; padding: 0 1rem;
       overflow-wrap: anywhere;
       line-height: 1.5; color: #1a1a1a; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.9rem; }
th, td { border: 1px solid #bbb; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #eef; }
.flag { font-weight: bold; }
td ul { margin: 0; padding-left: 1.2rem; }
.note { background: #fff6d6; border-left: 4px solid #c90; padding: 0.5rem 1rem; }
"""


def _unicode(text: str) -> str:
    """``text`` with anything UTF-8 cannot hold (a file name in another encoding, a lone surrogate) as U+FFFD."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")  # a file name's odd byte: one
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def _e(value: object) -> str:
    return html.escape(_unicode("" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)))


def _plotly_text(value: object) -> str:
    """A student's text as plotly shows it literally: its HTML subset and entities are escaped (plotly decodes them)."""
    return _unicode(str(value)).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# a figure names a student or a question in at most this many characters (the tables give the whole text)
_LABEL_CHARS = 40


def _short(text: object) -> str:
    """A student's name or a question id as a figure shows it: cut to ``_LABEL_CHARS`` with an ellipsis."""
    text = str(text)
    return text if len(text) <= _LABEL_CHARS else text[: _LABEL_CHARS - 1] + "\u2026"


def _short_names(names: pd.Index) -> list[str]:
    """Each name cut by :func:`_short`, kept apart when two cut alike (" (2)", " (3)" ... after the second, third)."""
    shown: list[str] = []
    for name in names:
        label, n = _short(name), 1
        while label in shown:
            n += 1
            label = f"{_short(name)} ({n})"
        shown.append(label)
    return shown


def _pct(value: float) -> str:
    return "" if pd.isna(value) else f"{value:.0%}"


def _table(frame: pd.DataFrame, formats: dict[str, object] | None = None, index: bool = False) -> str:
    formats = formats or {}
    frame = frame.reset_index() if index else frame
    head = "".join(f"<th scope='col'>{_e(c)}</th>" for c in frame.columns)
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, record, strict=True):
            shown = formats[column](value) if column in formats else value  # type: ignore[operator]
            cells.append(f"<td>{_e(shown)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _details(summary: str, body: str) -> str:
    return f"<details><summary>{_e(summary)}</summary>{body}</details>"


def _figure(fig: go.Figure, first: bool) -> str:
    return fig.to_html(include_plotlyjs=first, full_html=False, config={"displaylogo": False})


def _mastery_bar(summary: pd.DataFrame, label: str) -> go.Figure:
    fig = go.Figure(
        go.Bar(
            x=summary["mastery"],
            y=[_plotly_text(v) for v in summary[label]],
            orientation="h",
            text=[f"{m:.0%} ({n} students)" for m, n in zip(summary["mastery"], summary["students"], strict=True)],
            textposition="auto",
            marker_color="#3465a4",
            hovertemplate="%{y}: %{x:.0%}<extra></extra>",
        )
    )
    fig.update_layout(
        title=f"Class mastery by {label}",
        xaxis={
            "title": "mastery: share of questions whose latest answer was right",
            "range": [0, 1],
            "tickformat": ".0%",
        },
        height=max(260, 180 + 32 * len(summary)),  # the bars stay visible under the title and axis, even one
        margin={"l": 160},
    )
    return fig


# each student's row is at least this tall, so every name is written beside the heatmap without overlapping
_ROW_PX = 24


def _heatmap(table: pd.DataFrame, label: str) -> go.Figure:
    students = [_plotly_text(s) for s in table.index]
    fig = go.Figure(
        go.Heatmap(
            z=table.to_numpy(),
            x=[_plotly_text(c) for c in table.columns],
            y=students,
            zmin=0,
            zmax=1,
            colorscale="Viridis",
            # five ticks, well apart even when the class is small and the figure short; the title beside them,
            # not above the bar, where it ran into '100%'
            colorbar={
                "title": {"text": "mastery", "side": "right"},
                "tickvals": [0, 0.25, 0.5, 0.75, 1],
                "ticktext": ["0%", "25%", "50%", "75%", "100%"],
                "len": 1,
                "lenmode": "fraction",
            },
            hovertemplate="%{y}, %{x}: %{z:.0%}<extra></extra>",
        )
    )
    fig.update_layout(
        title=f"Students x {label}s (empty: not answered)",
        height=max(360, 200 + _ROW_PX * len(students)),
        # every student is named: one tick per row, never every other one
        yaxis={
            "autorange": "reversed",
            "title": "student",
            "tickmode": "array",
            "tickvals": students,
            "ticktext": students,
            "automargin": True,
        },
        xaxis={"title": label, "automargin": True},
    )
    return fig


def _item_map(items: pd.DataFrame) -> go.Figure:
    flagged = items["flags"] != ""
    fig = go.Figure()
    for name, rows, symbol in (("not flagged", items[~flagged], "circle"), ("flagged", items[flagged], "x")):
        fig.add_trace(
            go.Scatter(
                x=rows["difficulty"],
                y=rows["discrimination"],
                mode="markers+text" if name == "flagged" else "markers",
                name=name,
                text=[_plotly_text(_short(q)) for q in rows["question_id"]],
                textposition="top center",
                marker={"symbol": symbol, "size": 11 if name == "flagged" else 8},
                hovertemplate="%{text}: difficulty %{x:.0%}, discrimination %{y:.2f}<extra></extra>",
            )
        )
    fig.add_hline(y=0, line_dash="dash")
    fig.update_layout(
        title="Every question: difficulty and discrimination (flagged questions marked x and named)",
        xaxis={"title": "difficulty: share right on first attempts", "range": [-0.02, 1.02], "tickformat": ".0%"},
        yaxis={"title": "discrimination (point-biserial)"},
        height=480,
    )
    return fig


def _shared_line(shared: SharedAttempts, anonymised: bool) -> str:
    """One group of students sharing attempts, with their files (folder and name) unless the report is anonymised."""
    if anonymised:  # file names often carry the student's name
        return f"<li>{_e(shared.describe())}</li>"
    files = ", ".join(f"<code>{_e(Path(p.parent.name, p.name))}</code>" for p in shared.files)
    return f"<li>{_e(shared.describe())} (files: {files})</li>"


def _files_section(report: ClassReport) -> str:
    results = report.results
    parts = [f"<p>{_e(results.describe())}</p>"]
    if results.shared:
        listed = "".join(_shared_line(s, report.anonymised) for s in results.shared)
        parts.append(f"<div class='note'><p>Attempts handed in by more than one student:</p><ul>{listed}</ul></div>")
    if report.anonymised:  # file names often carry the student's name
        if results.skipped:
            parts.append(
                f"<div class='note'><p>{len(results.skipped)} file(s) skipped (not used in any figure); file names "
                "are left out of an anonymised report: the warnings printed when it was made name them.</p></div>"
            )
        return "\n".join(parts)
    if results.skipped:
        listed = "".join(f"<li><code>{_e(s.path)}</code>: {_e(s.reason)}</li>" for s in results.skipped)
        parts.append(f"<div class='note'><p>Files skipped (not used in any figure):</p><ul>{listed}</ul></div>")
    if results.files:
        listed = "".join(f"<li><code>{_e(p.name)}</code></li>" for p in results.files)
        parts.append(_details(f"The {len(results.files)} file(s) used", f"<ul>{listed}</ul>"))
    return "\n".join(parts)


def _mastery_sections(report: ClassReport, first: bool) -> tuple[str, bool]:
    """Mastery by topic, then by objective when an objective map is known."""
    html_topic, first = _mastery_section("topic", report.by_topic, report.topics, first)
    parts = [html_topic, f"<p>Objectives: {_e(report.objectives_note)}.</p>"]
    if report.by_objective is not None and report.objectives is not None:
        html_objective, first = _mastery_section("objective_id", report.by_objective, report.objectives, first)
        parts.append(html_objective)
    return "\n".join(parts), first


def _mastery_section(by: str, table: pd.DataFrame, summary: pd.DataFrame, first: bool) -> tuple[str, bool]:
    label = "objective" if by == "objective_id" else "topic"
    parts = [f"<h2>Class mastery by {label}</h2>"]
    if summary.empty:
        return "\n".join([*parts, "<p>No attempts to show.</p>"]), first
    weakest, strongest = summary.iloc[0], summary.iloc[-1]
    parts.append(
        f"<p>In words: the weakest {label} is <b>{_e(weakest[by])}</b> ({_pct(weakest['mastery'])}) and the "
        f"strongest is <b>{_e(strongest[by])}</b> ({_pct(strongest['mastery'])}).</p>"
    )
    parts.append(_figure(_mastery_bar(summary, by), first))
    parts.append(_details(f"Show the table of mastery by {label}", _table(summary, {"mastery": _pct})))
    low = table.mean(axis=1).sort_values()
    parts.append(f"<h2>Students x {label}s</h2>")
    lowest = f"{_e(_short(low.index[0]))} ({_pct(low.iloc[0])})"
    parts.append(
        f"<p>In words: {len(table)} students; each row is a student, each column a {label}, lighter colours mean "
        f"higher mastery. The student with the lowest mean mastery is {lowest}.</p>"
    )
    # a very long name (a student's file may hold one) is cut in the figure, so its rows keep their room
    parts.append(_figure(_heatmap(table.set_axis(_short_names(table.index), axis=0), label), False))
    parts.append(_details(f"Show the students x {label}s table", _table(table, {c: _pct for c in table.columns}, True)))
    return "\n".join(parts), False


def _items_section(report: ClassReport, first: bool) -> str:
    items = report.items
    flagged = report.flagged
    parts = ["<h2>Item analysis: every question</h2>", f"<p>{len(items)} question(s); {len(flagged)} flagged.</p>"]
    if len(flagged):
        listed = "".join(
            f"<li class='flag'>{_e(q)}{_said(t)}: {_e(f)} (key {_e(k)} chosen {kc} times; {_e(d)} chosen {dc} "
            "times)</li>"
            for q, t, f, k, kc, d, dc in zip(
                flagged["question_id"],
                flagged["question"],
                flagged["flags"],
                flagged["key"],
                flagged["key_count"],
                flagged["top_distractor"],
                flagged["top_distractor_count"],
                strict=True,
            )
        )
        parts.append(f"<div class='note'><p>Check these questions and their keys:</p><ul>{listed}</ul></div>")
    parts.append(_figure(_item_map(items), first))
    parts.append(_items_table(items))
    return "\n".join(parts)


def _said(text: str) -> str:
    """A question's text after its id in the list of flagged questions ("" when it is not known)."""
    return f" (&ldquo;{_e(text)}&rdquo;)" if text else ""


def _items_table(items: pd.DataFrame) -> str:
    head = "".join(
        f"<th scope='col'>{h}</th>"
        for h in (
            "Question",
            "Topic",
            "Students",
            "Difficulty",
            "Discrimination",
            "Answers chosen (first attempts)",
            "Flags",
        )
    )
    rows = []
    for item in items.itertuples(index=False):
        answers = "".join(f"<li>{_e(a)}</li>" for a in str(item.answers).split(" | "))
        discrimination = "" if pd.isna(item.discrimination) else f"{item.discrimination:.2f}"
        text = f"<br><span class='question-text'>{_e(item.question)}</span>" if item.question else ""
        cells = (
            f"<td>{_e(item.question_id)}{text}</td><td>{_e(item.topic)}</td><td>{item.students}</td>"
            f"<td>{_pct(item.difficulty)}</td><td>{discrimination}</td><td><ul>{answers}</ul></td>"
            f"<td class='flag'>{_e(item.flags)}</td>"
        )
        rows.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


_HOW = f"""
<h2>How to read this report</h2>
<ul>
<li><b>Mastery</b> of a topic for one student: the share of that topic's questions whose most recent
attempt was right. The class figure is the mean over the students who answered the topic.</li>
<li><b>Difficulty</b>: the share of students right on their <em>first</em> attempt (100% = everyone right).
Only first attempts are used for the item analysis, because a second try after the feedback is easier.</li>
<li><b>Discrimination</b>: the point-biserial correlation between getting this question right and the
student's share right on the other questions. Positive is good; negative means stronger students got
it wrong more often than weaker ones.</li>
<li><b>Flags</b>: "{FLAG_NEGATIVE}", or "{FLAG_DISTRACTOR}" (one wrong answer chosen more often than
the right answers in all). Both suggest a flawed or mis-keyed question: read it and its key again.
A flag is a prompt, not proof: in a class of a few dozen students a sound question is sometimes
flagged by chance, so look hardest at a question with both flags, or flagged again with the next class.</li>
<li><b>Merging</b>: an attempt found in several files counts once (same attempt id). When two students'
files hold the same attempt (one handed in the other's export), it counts once, for the student whose
file comes first by name, and the report says so above. A student's name comes from the file (a
"student" field or column) or else from the file name without a leading "results-" or "progress-"; a
progress file handed in by mistake (progress.sqlite3) is read without being changed, and is the student
of the folder it is in.</li>
</ul>
"""


def report_html(report: ClassReport) -> str:
    """The whole report as one HTML page (plotly.js embedded once)."""
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    names = "Names are replaced by stable pseudonyms." if report.anonymised else "Students are shown by name."
    mastery, first = _mastery_sections(report, first=True)
    body = "\n".join(
        [
            "<h1>Class report: quiz results</h1>",
            f"<p><b>{_e(DISCLAIMER)}</b> This report describes quiz answers for teaching; it grades no one.</p>",
            f"<p>Made {_e(when)} by sarcoma-edu. {_e(names)}</p>",
            _files_section(report),
            mastery,
            _items_section(report, first),
            _HOW,
        ]
    )
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>Class report</title><style>{_STYLE}</style></head><body>\n{body}\n</body></html>\n"
    )
