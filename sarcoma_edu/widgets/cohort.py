"""Lesson 06 without programming: the staged teaching cohort explored with dropdowns instead of pandas.

:class:`StageMixExplorer` answers "what is the stage mix of the patients with this histology (or
at this site)?" and :class:`CohortQuestions` the lesson's other questions (median size by stage,
lymph node spread by histology, ...), each from :func:`sarcoma_edu.stage_frame` on the synthetic
cohort, so the numbers are the same as the pandas cells of the lesson. Every input is a labelled
dropdown (**Tab** to reach it, arrow keys to choose); bars are drawn as text with the count and the
share written next to them, never by colour alone.
"""

from __future__ import annotations

import html

import ipywidgets as w
import pandas as pd

__all__ = ["CohortQuestions", "StageMixExplorer"]

ALL = "all patients"
NO_GROUP = "no stage group"
_WHY_NO_GROUP = "the AJCC 8th edition gives no stage groups for head and neck or visceral sarcomas"
_GROUPS = {"histology": "Histology (tumour type)", "site": "Body site"}
_LABEL = {"description_width": "initial"}
_NOTE = (
    "<p style='margin:0.3em 0;color:#444'><small>Synthetic teaching cohort: made-up patients, not real "
    "people; the histology mix is for teaching only, and each subtype is drawn without regard to the site or the "
    "age (the course's sources give no link between them), so a patient may not be typical of its "
    "subtype.</small></p>"
)


def _words(value: object) -> str:
    """A table value in plain words: 'head_and_neck' is 'head and neck', a missing one 'not given'."""
    return "not given" if pd.isna(value) else str(value).replace("_", " ")


def _dropdown(options: list[tuple[str, str]], description: str) -> w.Dropdown:
    """A labelled dropdown wide enough for its longest choice and its label, so no option is cut off."""
    longest = max(len(label) for label, _ in options) + len(description)
    layout = w.Layout(width=f"{round(0.62 * longest) + 5}em", max_width="100%")
    return w.Dropdown(options=options, description=description, style=_LABEL, layout=layout)


def _bar(share: int) -> str:
    """A bar of text blocks, one per 4% (at least one), beside the written count and share."""
    return "█" * max(1, round(share / 4))


def _check_staged(staged: object, needs: tuple[str, ...]) -> pd.DataFrame:
    if not isinstance(staged, pd.DataFrame):
        raise TypeError(f"staged={type(staged).__name__} is not a table; expected stage_frame(cohort)")
    missing = [c for c in needs if c not in staged.columns]
    if missing:
        raise ValueError(f"staged lacks the column(s) {missing}; expected the table stage_frame(cohort) returns")
    return staged


class StageMixExplorer(w.VBox):
    """Choose a histology or a body site and see how its patients divide into stage groups.

    Args:
        staged: the cohort with its stages, ``stage_frame(load_cohort())``.
    """

    def __init__(self, staged: pd.DataFrame) -> None:
        self.staged = _check_staged(staged, ("stage", *_GROUPS))
        self.by = _dropdown([(label, column) for column, label in _GROUPS.items()], "Group patients by")
        self.which = _dropdown([(ALL, ALL)], "Which one")
        self.table = w.HTML(layout=w.Layout(max_width="46em"))
        super().__init__([self.by, self.which, self.table, w.HTML(_NOTE)])  # the lesson's heading names it
        self.add_class("sarcoma-edu-stage-mix")
        self.by.observe(lambda _change: self._choices(), names="value")
        self.which.observe(lambda _change: self.update(), names="value")
        self._choices()

    def _choices(self) -> None:
        values = self.staged[self.by.value]
        named = sorted({_words(v) for v in values})
        self.which.options = [(ALL, ALL), *((v, v) for v in named)]
        longest = max(len(label) for label, _ in self.which.options) + len("Which one")
        self.which.layout.width = f"{round(0.62 * longest) + 5}em"
        self.which.value = ALL
        self.update()

    def mix(self) -> pd.DataFrame:
        """The chosen patients' stage groups: stage, patients and share (%), in stage order."""
        rows = self.staged
        if self.which.value != ALL:
            rows = rows[rows[self.by.value].map(_words) == self.which.value]
        stages = rows["stage"].astype(object).where(rows["stage"].notna(), NO_GROUP)
        counts = stages.value_counts()
        order = sorted(s for s in counts.index if s != NO_GROUP) + ([NO_GROUP] if NO_GROUP in counts else [])
        counts = counts.reindex(order)
        share = (100 * counts / max(len(rows), 1)).round(0).astype(int)
        return pd.DataFrame({"stage": order, "patients": counts.to_numpy(), "share": share.to_numpy()})

    def update(self) -> None:
        """Redraw the table for the current choice."""
        mix = self.mix()
        total = int(mix["patients"].sum())
        chosen = "all patients" if self.which.value == ALL else f"the patients with {self.which.value}"
        if self.by.value == "site" and self.which.value != ALL:
            chosen = f"the patients with a sarcoma of the {self.which.value}"
        rows = "".join(
            f"<tr><th scope='row' style='text-align:left'>{html.escape(str(r.stage))}</th>"
            f"<td style='text-align:right'>{r.patients}</td><td style='text-align:right'>{r.share}%</td>"
            f"<td aria-hidden='true' style='font-family:monospace;color:#0072B2'>{_bar(r.share)}</td></tr>"
            for r in mix.itertuples(index=False)
        )
        most = mix.sort_values("patients", ascending=False, kind="stable").iloc[0] if total else None
        summary = (
            f"Most often: {html.escape(str(most.stage))} ({most.patients} of {total})." if most is not None else ""
        )
        why = f" '{NO_GROUP.capitalize()}': {_WHY_NO_GROUP}." if NO_GROUP in set(mix["stage"]) else ""
        self.table.value = (
            f"<p aria-live='polite' style='margin:0.3em 0'>{total} of {len(self.staged)} synthetic patients: "
            f"{html.escape(chosen)}. {summary}{why}</p>"
            "<table><thead><tr><th scope='col'>Stage group</th><th scope='col'>Patients</th>"
            f"<th scope='col'>Share</th><th scope='col'>Bar</th></tr></thead><tbody>{rows}</tbody></table>"
        )


# the lesson's other questions, each answered with the groupby its pandas cell uses
_QUESTIONS = {
    "Median tumour size (cm) for each stage group": ("stage", "size_cm", "median", "cm"),
    "Share of patients with lymph node spread, by histology": ("histology", "nodes", "mean", "%"),
    "Mean age (years) by body site": ("site", "age", "mean", "years"),
    "Share of patients with distant metastasis, by body site": ("site", "metastasis", "mean", "%"),
}


class CohortQuestions(w.VBox):
    """Choose one of the lesson's questions and read its answer as a table, without writing pandas.

    Args:
        staged: the cohort with its stages, ``stage_frame(load_cohort())``.
    """

    def __init__(self, staged: pd.DataFrame) -> None:
        self.staged = _check_staged(staged, ("stage", "size_cm", "histology", "nodes", "site", "age", "metastasis"))
        self.question = _dropdown([(q, q) for q in _QUESTIONS], "Question")
        self.table = w.HTML(layout=w.Layout(max_width="46em"))
        super().__init__([self.question, self.table, w.HTML(_NOTE)])
        self.add_class("sarcoma-edu-cohort-questions")
        self.question.observe(lambda _change: self.update(), names="value")
        self.update()

    def answer(self) -> pd.Series:
        """The answer to the chosen question, one value per group (shares in %), groups in plain words."""
        by, column, how, unit = _QUESTIONS[self.question.value]
        groups = self.staged[by].astype(object).where(self.staged[by].notna(), NO_GROUP if by == "stage" else None)
        values = self.staged[column].astype(float).groupby(groups.map(_words) if by != "stage" else groups).agg(how)
        return (100 * values if unit == "%" else values).round(1)

    def update(self) -> None:
        """Redraw the answer for the chosen question."""
        by, _column, _how, unit = _QUESTIONS[self.question.value]
        answer = self.answer()
        head = {"stage": "Stage group", "histology": "Histology", "site": "Body site"}[by]
        rows = "".join(
            f"<tr><th scope='row' style='text-align:left'>{html.escape(str(group))}</th>"
            f"<td style='text-align:right'>{value:g}{'%' if unit == '%' else ' ' + unit}</td></tr>"
            for group, value in answer.items()
        )
        self.table.value = (
            f"<p aria-live='polite' style='margin:0.3em 0'>{html.escape(self.question.value)}, "
            f"over the {len(self.staged)} synthetic patients:</p>"
            f"<table><thead><tr><th scope='col'>{head}</th><th scope='col'>Answer</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )
