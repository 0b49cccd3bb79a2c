"""The tumour board widget: work a virtual patient case step by step, then see its summary and ask "what if?".

Pick a built-in case (or "A new patient"), read the story, and answer each step: the answer chosen
stays marked in words ("➜ T2 (your answer)"), feedback explains the right answer and names its
source, then the next piece of information appears.
At the end come the student's choices, the stage explanation, the treatment timeline and the
score, and a **What if?** panel that changes one fact and shows which answers change and why
(:mod:`sarcoma_edu.widgets.case_summary`). Feedback comes in the quiz's box
(:mod:`sarcoma_edu.widgets.feedback`). Every answer is recorded in the
:class:`~sarcoma_edu.progress.store.ProgressStore` (topic ``cases``).

In class (``sarcoma-edu present``, or ``presenter=True``) the feedback stays hidden until the
instructor presses **Reveal**. Case text is untrusted and always shown escaped. Keyboard use:
**Tab** moves between controls, **Space** or **Enter** presses a button.
"""

from __future__ import annotations

import html
import random
from collections.abc import Sequence
from pathlib import Path

import ipywidgets as w

from sarcoma_edu.course.case_files import CaseError, check_cases
from sarcoma_edu.course.case_model import TOPIC
from sarcoma_edu.course.cases import Case, case_from_step_id, generate_case, load_cases
from sarcoma_edu.course.quiz import Feedback, check
from sarcoma_edu.display import presentation
from sarcoma_edu.progress.store import ProgressStore
from sarcoma_edu.widgets.answers import QUIZ_STYLE, mark_chosen
from sarcoma_edu.widgets.case_seed import FRESH_SEEDS, checked_seed, seed_from_environment, seed_sequence
from sarcoma_edu.widgets.case_summary import CaseSummary
from sarcoma_edu.widgets.class_answer import class_line
from sarcoma_edu.widgets.feedback import answer_feedback, feedback_box
from sarcoma_edu.widgets.instructor_content import instructor_items

__all__ = ["NEW_PATIENT", "TumourBoard", "tumour_board"]

NEW_PATIENT = "new"
_START_FIRST = "Start a case first: choose one and press 'Start this case'."


def _alert(lines: Sequence[str]) -> str:
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return (
        '<div role="alert" style="border-left:5px solid #D55E00;padding:0.3em 0.7em;background:#FFF4EC;color:#222">'
        f"<p style='margin:0.2em 0'><b>Some cases could not be used:</b></p><ul>{items}</ul></div>"
    )


class TumourBoard(CaseSummary, w.VBox):
    """Work cases step by step; see :func:`tumour_board`.

    Attributes:
        case: the case on screen (None before one is started).
        position: the index of the step on screen (``len(case.steps)`` on the summary).
        answers: for each step answered: (step, the answer or None when only revealed, Feedback).
        score: (right, answered) in this case.
    """

    def __init__(self, cases: Sequence[Case], progress: ProgressStore | None, presenter: bool = False,
                 problems: Sequence[str] = (), seed: int | None = None) -> None:  # fmt: skip
        self.cases = {case.id: case for case in cases}
        # on the projector the room's answers are not the presenter's: nothing is read from or saved to their
        # progress (no case of their own mistakes, no answers of the room in their file)
        self.presenting = presentation.is_presenting()
        self.progress = None if self.presenting else progress
        self.case: Case | None = None
        self.position = 0
        self.answers: list[tuple] = []
        self.pending: tuple | None = None  # presenter mode: an answer chosen, not yet revealed
        seed_note = ""
        if seed is None:
            seed, seed_note = seed_from_environment()
        self.first_seed = random.SystemRandom().randrange(FRESH_SEEDS) if seed is None else seed
        self._seeds = seed_sequence(self.first_seed)  # after the largest seed comes 0
        options = [(f"{c.title} ({c.level})", c.id) for c in cases] + [("A new patient (made up for you)", NEW_PATIENT)]
        self.picker = w.Dropdown(
            options=options,
            description="Case",
            style={"description_width": "initial"},
            # as wide as the longest case title, so none is cut off (the page's width at most)
            layout=w.Layout(width=f"{round(0.62 * max(len(label) for label, _ in options)) + 8}em", max_width="100%"),
        )
        # flex "0 0 auto": beside a wide case picker the buttons keep their whole label (large text on a
        # projector too); the row wraps instead of squeezing them
        keep = {"width": "auto", "flex": "0 0 auto"}
        self.start_button = w.Button(description="Start this case", button_style="primary", layout=w.Layout(**keep))
        self.mistakes_button = w.Button(description="Practise my mistakes", layout=w.Layout(**keep),
                                        tooltip="Start again a case with a step you got wrong")  # fmt: skip
        self.presenter = w.Checkbox(
            value=presenter,
            indent=False,
            description="Presenter mode: hide the answer until I press Reveal",
            layout=w.Layout(width="auto"),
        )
        self.problems = w.HTML(_alert(problems) if problems else "")
        self.status, self.vignette, self.known = w.HTML(), w.HTML(layout=w.Layout(max_width="52em")), w.HTML()
        self.step_header, self.reveal_text = w.HTML(), w.HTML(layout=w.Layout(max_width="52em"))
        self.question_text, self.choices = w.HTML(layout=w.Layout(max_width="52em")), w.VBox()
        self.reveal_button = w.Button(
            description="Reveal",
            tooltip="Show the answer to the room",
            layout=w.Layout(width="auto", align_self="flex-start"),
        )
        self.next_button = w.Button(
            description="Next step", button_style="primary", layout=w.Layout(width="auto", align_self="flex-start")
        )
        self.result = w.HTML(layout=w.Layout(max_width="52em"))
        self._make_summary()
        self.step_box = w.VBox([self.step_header, self.reveal_text, self.question_text, self.choices,
                                self.reveal_button, self.result, self.next_button])  # fmt: skip
        super().__init__(
            [
                w.HTML(QUIZ_STYLE + "<h3 style='margin:0.2em 0'>Tumour board: virtual patients</h3>"),
                self.problems,
                w.HBox([self.picker, self.start_button, self.mistakes_button], layout=w.Layout(flex_flow="row wrap")),
                self.presenter,
                self.status,
                self.vignette,
                self.known,
                self.step_box,
                self.summary_box,
            ],
            layout=w.Layout(padding="0.5em"),
        )
        self.add_class("sarcoma-edu-quiz")
        self.add_class("sarcoma-edu-tumour-board")
        self.start_button.on_click(lambda _b: self.start(self.picker.value))
        self.mistakes_button.on_click(lambda _b: self.practise_mistakes())
        self.reveal_button.on_click(lambda _b: self.reveal())
        self.next_button.on_click(lambda _b: self.next_step())
        self.presenter.observe(lambda _c: self._sync_presenter(), names="value")
        for box in (self.step_box, self.summary_box):
            box.layout.display = "none"
        self._note(seed_note or "Choose a case and press 'Start this case'.")

    # --- moving through a case ----------------------------------------------------------------

    def start(self, case_id: str | Case = NEW_PATIENT) -> Case:
        """Start a case by id (or a :class:`Case`, or :data:`NEW_PATIENT` for a generated one)."""
        if isinstance(case_id, Case):
            case = case_id
        elif case_id == NEW_PATIENT:
            case = generate_case(next(self._seeds))
        else:
            case = self.cases[case_id]
        self.case, self.position, self.answers, self.pending = case, 0, [], None
        self.vignette.value = (
            f"<h4 style='margin:0.4em 0 0.2em'>{html.escape(case.title)}</h4>"
            f"<p style='margin:0.2em 0;color:#444'>Level: {html.escape(case.level)} &middot; You will: "
            f"{html.escape('; '.join(case.objectives))}</p>"
            f"<p style='font-size:1.1em;margin:0.4em 0'>{html.escape(case.vignette)}</p>"
        )
        self.summary_box.layout.display = "none"
        self.step_box.layout.display = None
        self.summary.value = self.what_if_html.value = ""
        self._note(f"Case started: {case.title}.")
        self._show_step()
        return case

    def _show_step(self) -> None:
        case, step = self.case, self.case.steps[self.position]
        known = [s.reveal for s in case.steps[: self.position]]
        self.known.value = (
            "<details><summary>What we know so far</summary><ul>"
            + "".join(f"<li>{html.escape(text)}</li>" for text in known)
            + "</ul></details>"
            if known
            else ""
        )
        kind = "your decision" if step.kind == "choice" else "checked by the library"
        self.step_header.value = (
            f"<p style='margin:0.3em 0;color:#444'>Step {self.position + 1} of {len(case.steps)} &middot; {kind}</p>"
        )
        self.reveal_text.value = f"<p style='margin:0.3em 0'><b>New information:</b> {html.escape(step.reveal)}</p>"
        self.question_text.value = (
            f"<p style='font-size:1.15em;margin:0.4em 0'><b>{html.escape(step.question.question)}</b></p>"
        )
        buttons = []
        for text in step.question.choices:
            button = w.Button(description=text, tooltip=text, layout=w.Layout(width="auto", max_width="50em"))
            button.add_class("sarcoma-edu-answer")
            button.on_click(lambda _b, t=text: self.answer(t))
            buttons.append(button)
        self.choices.children = [w.HTML("<p style='margin:0'>Choose one answer:</p>"), *buttons]
        self.result.value = ""
        self._sync_presenter()
        self.next_button.description = "Next step" if self.position + 1 < len(case.steps) else "See the summary"
        self.next_button.disabled = True

    def _sync_presenter(self) -> None:
        answered = len(self.answers) > self.position
        self.reveal_button.layout.display = None if self.presenter.value else "none"
        self.reveal_button.disabled = answered

    def answer(self, text: str) -> Feedback | None:
        """Answer the step on screen with a choice's text; returns None (with a message) if it cannot be taken."""
        if self.case is None or self.position >= len(self.case.steps):
            self._note(_START_FIRST)
            return None
        if len(self.answers) > self.position or self.pending is not None:
            self._note("This step is answered: press 'Next step' (or 'Reveal') to go on.")
            return None
        step = self.case.steps[self.position]
        try:
            feedback = check(step.question, text)
        except (TypeError, ValueError) as error:
            self.result.value = feedback_box("wrong", "Please check your answer", [html.escape(str(error))])
            return None
        saved = self._save(step, text, feedback.correct)
        for child in self.choices.children:
            if isinstance(child, w.Button):
                child.disabled = True
        # marked in words and with an outline, as in the quiz: never by colour alone
        mark_chosen(self.choices.children, text, "the room's answer" if self.presenter.value else "your answer")
        if self.presenter.value:
            self.pending = (step, text, feedback, saved)
            self.result.value = feedback_box("note", "Answer chosen", [f"The room chose: {html.escape(text)}",
                                     "Press 'Reveal' to show whether it is right, and why."])  # fmt: skip
            return feedback
        self._record(step, text, feedback, saved)
        return feedback

    def reveal(self) -> Feedback | None:
        """Presenter mode: show the feedback for the room's answer, or the right answer if none was chosen."""
        if self.case is None:
            self._note(_START_FIRST)
            return None
        if self.position >= len(self.case.steps) or len(self.answers) > self.position:
            return None
        if self.pending is not None:
            step, text, feedback, saved = self.pending
            self.pending = None
            self._record(step, text, feedback, saved)
            return feedback
        step = self.case.steps[self.position]
        feedback = Feedback(False, step.question.explanation, step.question.source)
        self._record(step, None, feedback, "")
        return feedback

    def _record(self, step, text: str | None, feedback: Feedback, saved: str) -> None:
        self.answers.append((step, text, feedback))
        key = "" if feedback.correct else "The right answer: " + " / ".join(step.right_answers)
        # a status region: screen readers read the verdict out when it appears
        self.result.value = answer_feedback(feedback, text, key, saved).replace("<div ", "<div role='status' ", 1)
        for child in self.choices.children:
            if isinstance(child, w.Button):
                child.disabled = True
        self.reveal_button.disabled = True
        self.next_button.disabled = False

    def _save(self, step, text: str, correct: bool) -> str:
        if self.presenting:
            return "<small>Presenting: the room's answers are not saved.</small>"
        if self.progress is None:
            return "<small>Progress is not being saved.</small>"
        try:
            self.progress.record(step.question.id, text, correct, topic=TOPIC)
        except Exception as error:  # the case must never fail because of its storage
            return f"<small>Checked, but not saved: {html.escape(str(error))}</small>"
        return class_line(step.question.id, text)

    def next_step(self) -> None:
        """Show the next step, or the summary after the last one."""
        if self.case is None:
            self._note(_START_FIRST)
            return
        if len(self.answers) <= self.position:
            self._note("Answer this step first (or press 'Reveal' in presenter mode).")
            return
        self.position += 1
        if self.position < len(self.case.steps):
            self._show_step()
        else:
            self.show_summary()

    @property
    def score(self) -> tuple[int, int]:
        """(right, answered) in this case; a step only revealed counts as not answered."""
        answered = [f for _s, text, f in self.answers if text is not None]
        return sum(f.correct for f in answered), len(answered)

    # --- the summary and "what if?" -----------------------------------------------------------

    # --- mistakes -----------------------------------------------------------------------------

    def practise_mistakes(self) -> Case | None:
        """Start again the most recent case with a step whose last answer was wrong.

        When the progress file cannot be read just now (busy, or replaced), the wrong steps of the case on
        screen are used instead, and a message says why.
        """
        session = [s.question.id for s, text, f in self.answers if text is not None and not f.correct]
        unread = ""
        try:
            ids = self.progress.mistakes() if self.progress is not None else session
        except OSError as error:  # the board must never fail because of its storage
            ids, unread = session, f"Your saved answers could not be read just now ({error}); "
        for qid in ids:
            case = case_from_step_id(qid, list(self.cases.values()))
            if case is not None:
                started = self.start(case)
                if unread:
                    self._note(f"{unread}practising this case's wrong steps instead. Case started: {case.title}.")
                return started
        self._note(f"{unread}no case to practise." if unread else
                   "No case to practise: every case step you answered was right the last time.")  # fmt: skip
        return None

    def _note(self, message: str) -> None:
        self.status.value = f"<p role='status' style='margin:0.3em 0'>{html.escape(message)}</p>"


def tumour_board(
    cases: Sequence[Case] | str | Path | Sequence[str | Path] | None = None,
    progress: ProgressStore | None = None,
    presenter: bool | None = None,
    seed: int | None = None,
    *,
    content: str | Path | None = None,
) -> TumourBoard:
    """A tumour board widget: pick a case, work it step by step, see the summary and ask "what if?".

    Args:
        cases: :class:`~sarcoma_edu.course.cases.Case` objects (e.g. ``load_cases("my_case.json")``), a case
            file path or a list of paths, or None for the built-in cases and the instructor's own (her
            content folder's ``cases/``). A file with problems, or a content folder that cannot be read,
            is listed in the widget (file, step, field) and the other cases stay usable.
        progress: where answers are saved; None opens the default :class:`ProgressStore`.
        presenter: hide feedback until "Reveal"; None turns it on under ``sarcoma-edu present``.
        seed: the first "A new patient" seed (then seed + 1, ...); None uses
            ``$SARCOMA_EDU_CASE_SEED`` or a fresh random seed.
        content: the instructor's content folder (used when ``cases`` is None); None reads
            ``$SARCOMA_EDU_CONTENT``.

    Returns:
        The widget; display it as the last line of a cell.
    """
    problems: list[str] = []
    if cases is None:
        try:
            found = load_cases()
        except CaseError as error:
            found, problems = [], list(error.problems)
        hers = instructor_items(content, "cases")
        found += hers.content.cases
        problems += hers.problems
    elif isinstance(cases, str | Path) or (
        isinstance(cases, Sequence) and cases and all(isinstance(c, str | Path) for c in cases)
    ):
        try:
            checks = check_cases(cases)
        except TypeError as error:
            checks, problems = [], [str(error)]
        found = [c.case for c in checks if c.case is not None]
        problems += [line for c in checks for line in c.problems]
    elif isinstance(cases, Sequence) and all(isinstance(c, Case) for c in cases):
        found = list(cases)
    else:
        found, problems = [], [f"cases={cases!r:.80} is not a list of cases, a case file path or None"]
    if seed is not None:
        try:
            seed = checked_seed("seed", seed)
        except (TypeError, ValueError) as error:
            problems.append(f"{error}; new patients are made up at random")
            seed = None
    if progress is None:
        try:
            progress = ProgressStore()
        except Exception:  # never let storage stop the board; the widget says progress is not saved
            progress = None
    presenting = presentation.is_presenting() if presenter is None else bool(presenter)
    return TumourBoard(found, progress, presenter=presenting, problems=problems, seed=seed)
