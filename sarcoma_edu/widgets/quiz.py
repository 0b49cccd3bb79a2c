"""The self-study quiz widget: one question at a time, immediate feedback, saved progress.

Every answer is checked by :func:`sarcoma_edu.course.quiz.check`, shown in the feedback box
(:mod:`sarcoma_edu.widgets.feedback`) and recorded in a :class:`~sarcoma_edu.progress.store.ProgressStore`;
bank text is always shown escaped. Keyboard use: **Tab** moves between answers and buttons, **Space**
presses a button or ticks a box (:mod:`sarcoma_edu.widgets.answers`). After an answer, keyboard focus
moves to **Next question**, placed right after the feedback (which screen readers announce as it
appears); the chosen answer stays marked with an arrow and the words "your answer".

Reopening the quiz carries on at the next question not yet answered, with a welcome back
(:mod:`sarcoma_edu.widgets.quiz_resume`). "All topics" interleaves the topics
(:func:`sarcoma_edu.study.quiz_progress.interleave`); "New case" makes up a patient from the class's
seed (:mod:`sarcoma_edu.widgets.case_seed`). A message belongs to the question it describes and
goes when another question is shown; notes about the progress file stay.

After each answer the student may say how sure they were (sure / unsure / guessed); **Due for
review (N)** asks again the questions the spaced review (:mod:`sarcoma_edu.study.review`, FSRS) says are
due now, most overdue first. Tumour board steps are scheduled too, but are reviewed by reopening
their case in the tumour board lesson, so the quiz names them instead of asking them
(:mod:`sarcoma_edu.widgets.review_controls`).
"""

from __future__ import annotations

import html
import random
from collections.abc import Callable, Sequence
from pathlib import Path

import ipywidgets as w

from sarcoma_edu.course.banks import load_bank
from sarcoma_edu.course.generated import generate_case_question
from sarcoma_edu.course.quiz import Feedback, Question, check, key_line
from sarcoma_edu.progress.store import ProgressBusyError, ProgressReadOnlyError, ProgressStore
from sarcoma_edu.study.quiz_progress import interleave
from sarcoma_edu.widgets.answers import (
    CHOICE_TYPES,
    QUIZ_STYLE,
    TypedNumberError,
    choice_controls,
    mark_chosen,
    ticked,
    typed_number,
)
from sarcoma_edu.widgets.case_seed import FRESH_SEEDS, checked_seed, seed_from_environment, seed_sequence
from sarcoma_edu.widgets.class_answer import class_line
from sarcoma_edu.widgets.feedback import answer_feedback, feedback_box, not_saved
from sarcoma_edu.widgets.instructor_content import instructor_items
from sarcoma_edu.widgets.quiz_resume import answered_so_far, resume
from sarcoma_edu.widgets.review_controls import ReviewControls, rebuild_question

__all__ = ["QuizWidget", "quiz_widget"]

ALL_TOPICS = "All topics"
_CASE_LABELS = {
    "stage": "Stage a patient",
    "t_category": "T category",
    "fnclcc_grade": "FNCLCC grade",
    "treatment": "Treatment list",
}
_MODES = {"mistakes": "practising your mistakes", "review": "reviewing what is due"}


class QuizWidget(ReviewControls, w.VBox):
    """A quiz over a list of questions; see :func:`quiz_widget`.

    Attributes:
        question: the question on screen.
        feedback: the :class:`~sarcoma_edu.course.quiz.Feedback` for it, once answered.
        score: (correct, answered) this session.
        clock: returns the present time (UTC); what "due now" is measured against (see
            :class:`~sarcoma_edu.widgets.review_controls.ReviewControls`).
    """

    def __init__(
        self,
        questions: Sequence[Question],
        progress: ProgressStore | None,
        seed: int | None = None,
        lesson: str = "07_quiz",
    ) -> None:
        if not questions or not all(isinstance(q, Question) for q in questions):
            raise TypeError("questions must be a non-empty list of Question objects (see load_bank)")
        seed_note = ""
        if seed is None:
            seed, seed_note = seed_from_environment()
        else:
            seed = checked_seed("seed", seed)
        self.questions = list(questions)
        self.by_id = {q.id: q for q in self.questions}
        self.progress = progress
        self.lesson = lesson  # the lesson this quiz is in: a question another lesson asks is that lesson's answer
        self.on_answer: list[Callable[[str], None]] = []  # called with the question's id after each answer
        self.score = (0, 0)
        self.feedback: Feedback | None = None
        self.queue: list[Question] = []
        self.mode = "bank"
        # "New case" asks for seed, seed + 1, ...: the same first seed gives the same patients in order
        self.first_seed = random.SystemRandom().randrange(FRESH_SEEDS) if seed is None else seed
        self._seeds = seed_sequence(self.first_seed)
        self._wrong: dict[str, None] = {}  # this session's mistakes, when progress is not saved
        self._standing: list[str] = []  # notes about the progress file: they stay on screen
        self._message = ""  # a note about the question on screen: it goes with the question
        topics = sorted({q.topic for q in self.questions})
        self.topic = w.Dropdown(options=[ALL_TOPICS, *topics], value=ALL_TOPICS, description="Topic")
        self.case_kind = w.Dropdown(
            options=[(label, kind) for kind, label in _CASE_LABELS.items()], description="Case type"
        )
        auto = w.Layout(width="auto")
        self.next_button = w.Button(  # under the feedback, at the left where the eye already is
            description="Next question",
            tooltip="Go to the next question",
            layout=w.Layout(width="auto", align_self="flex-start"),
        )
        self.mistakes_button = w.Button(
            description="Practise my mistakes", tooltip="Ask again what I got wrong", layout=auto
        )
        self.case_button = w.Button(
            description="New case", tooltip="A new patient to stage, grade or treat", layout=auto
        )
        self.header, self.text = w.HTML(), w.HTML(layout=w.Layout(max_width="48em"))
        self.choices = w.VBox()
        self.check_button = w.Button(description="Check answer", button_style="primary")
        self.number = w.Text(description="Your answer", placeholder="type a number", value="")
        self.result = w.HTML(layout=w.Layout(max_width="48em"))
        self.result.add_class("sarcoma-edu-feedback")
        self.next_button.add_class("sarcoma-edu-next")
        self.status, self.scoreline = w.HTML(), w.HTML()
        self._make_review_controls()
        controls = w.HBox(
            [self.topic, self.mistakes_button, self.review_button],
            layout=w.Layout(flex_flow="row wrap"),
        )
        cases = w.HBox([self.case_kind, self.case_button])
        super().__init__(
            [
                w.HTML(QUIZ_STYLE + "<h3 style='margin:0.2em 0'>Self-study quiz</h3>"),
                controls,
                cases,
                self.status,
                self.header,
                self.text,
                self.choices,
                self.result,
                self.next_button,
                self.confidence_box,
                self.confidence_note,
                self.scoreline,
            ],
            layout=w.Layout(padding="0.5em"),
        )
        self.add_class("sarcoma-edu-quiz")
        self.topic.observe(lambda _change: self.restart(), names="value")
        self.next_button.on_click(lambda _b: self.next())
        self.mistakes_button.on_click(lambda _b: self.practise_mistakes())
        self.case_button.on_click(lambda _b: self.new_case(self.case_kind.value))
        self.check_button.on_click(lambda _b: self._check_current())
        if progress is not None and progress.moved_aside is not None:
            self._note(
                standing=True,
                message=f"Your old progress file could not be read; it was kept as {progress.moved_aside}. Bring its "
                f"answers back with the terminal command: sarcoma-edu progress recover {progress.moved_aside}",
            )
        if progress is not None and progress.read_only:
            self._note(f"Your answers are checked but not saved: {progress.read_only}.", standing=True)
        if seed_note:
            self._note(seed_note, standing=True)
        self.restart(welcome=True)
        self._count_due()

    # --- moving between questions -------------------------------------------------------------

    def restart(self, welcome: bool = False) -> None:
        """Show the chosen topic's questions, from the next one not yet answered after the one answered last.

        With ``welcome`` (the quiz just opened) a student who answered before is welcomed back
        with the score so far and where they were.
        """
        topic = self.topic.value
        self.mode = "bank"
        if topic == ALL_TOPICS:
            self.queue = interleave(self.questions)
        else:
            self.queue = [q for q in self.questions if q.topic == topic]
        where, welcome_note = resume(self.queue, answered_so_far(self.progress, self._session), self.lesson)
        self._show(self.queue[where.index])
        if welcome and welcome_note:
            self._note(welcome_note)

    def next(self) -> None:
        """Show the next question (after the last one, start the set again)."""
        if self.mode == "case":
            self.new_case(self.question.case.get("kind", self.case_kind.value))
            return
        position = self.queue.index(self.question) + 1 if self.question in self.queue else 0
        if position >= len(self.queue):
            if self.mode in ("mistakes", "review"):
                self.restart()
            else:
                self._show(self.queue[0])
            self._note("You have been through every question in this set; starting it again.")
            return
        self._show(self.queue[position])

    def practise_mistakes(self) -> int:
        """Ask again the questions whose last answer was wrong; return how many there are."""
        try:
            ids = self.progress.mistakes() if self.progress is not None else list(self._wrong)
        except OSError:  # the progress file is busy or unreadable just now: this session's mistakes
            ids = list(self._wrong)
        questions = [q for q in (self.by_id.get(i) or rebuild_question(i, self.content) for i in ids) if q is not None]
        if not questions:
            self._note("No mistakes to practise: every question you answered was right the last time.")
            return 0
        self.mode, self.queue = "mistakes", questions
        self._show(questions[0])
        self._note(f"Practising {len(questions)} question(s) you got wrong last time.")
        return len(questions)

    def new_case(self, kind: str = "stage") -> Question:
        """Show a question built from a new random patient."""
        question = generate_case_question(next(self._seeds), kind)
        question.case["kind"] = kind
        self.mode = "case"
        self._show(question)
        return question

    # --- showing and answering ----------------------------------------------------------------

    def _note(self, message: str, standing: bool = False) -> None:
        """Show a message: about the question on screen (it goes with it), or ``standing`` (it stays)."""
        if standing:
            self._standing.append(message)
        else:
            self._message = message
        shown = [*self._standing, self._message] if self._message else self._standing
        self.status.value = "".join(f"<p role='status'>{html.escape(m)}</p>" for m in shown)

    def _show(self, question: Question) -> None:
        self.question, self.feedback = question, None
        self._note("")  # the message about the last question goes with it
        where = "New case"
        if question in self.queue:
            where = f"Question {self.queue.index(question) + 1} of {len(self.queue)}"
            if self.mode in _MODES:
                where = f"{where} ({_MODES[self.mode]})"
        self.header.value = (
            f"<p style='margin:0.2em 0;color:#444'>{where} &middot; {html.escape(question.topic)} &middot; "
            f"{html.escape(question.difficulty)}</p>"
        )
        self.text.value = f"<p style='font-size:1.15em'><b>{html.escape(question.question)}</b></p>"
        self.result.value = ""
        self._hide_confidence()
        if question.type in CHOICE_TYPES:
            self.choices.children = choice_controls(question, self.answer, self.check_button)
        else:
            self.number.value = ""
            self.choices.children = [self.number, self.check_button]
        for child in self.choices.children:
            if hasattr(child, "disabled"):
                child.disabled = False

    def _check_current(self) -> None:
        if self.question.type == "many_choice":
            self.answer(ticked(self.choices))
            return
        try:
            number = typed_number(self.number.value)
        except TypedNumberError as problem:
            self.result.value = feedback_box("wrong", problem.title, [html.escape(str(problem))])
            return
        self.answer(number)

    def answer(self, value: object) -> Feedback | None:
        """Answer the question on screen (a text, a list of texts, or a number) and show feedback.

        Returns None (with a message in the widget) when the question was already answered or the
        answer is not one the question offers.
        """
        if self.feedback is not None:
            self._note("This question is answered: press 'Next question' to go on.")
            return None
        try:
            feedback = check(self.question, value)
        except (TypeError, ValueError) as error:
            self.result.value = feedback_box("wrong", "Please check your answer", [html.escape(str(error))])
            return None
        self.feedback = feedback
        right, answered = self.score
        self.score = (right + feedback.correct, answered + 1)
        if feedback.correct:
            self._wrong.pop(self.question.id, None)
        else:
            self._wrong[self.question.id] = None
        saved = self._save(value, feedback.correct)
        chosen = "; ".join(map(str, value)) if isinstance(value, list | tuple) else _shown(value)
        key = key_line(self.question, value, feedback.correct)
        # a status region: screen readers read the verdict out while the keyboard moves on to "Next question"
        sent = "" if saved else class_line(self.question.id, value)  # "" unless a class poll is open on it
        verdict = answer_feedback(feedback, chosen or "(nothing ticked)", key, saved + sent)
        self.result.value = f"<div role='status' aria-live='polite'>{verdict}</div>"
        self.scoreline.value = (
            f"<p aria-live='polite'>Score this session: {self.score[0]} right out of {self.score[1]} answered.</p>"
        )
        for child in self.choices.children:
            if hasattr(child, "disabled"):
                child.disabled = True
        mark_chosen(self.choices.children, value)
        self._answered(feedback.correct, saved=not saved)
        for callback in self.on_answer:
            callback(self.question.id)
        self.next_button.focus()  # keyboard users go on from under the feedback, not from the top of the page
        return feedback

    _storage_problem = ""  # why the default progress file could not be opened (set by quiz_widget)

    def _save(self, value: object, correct: bool) -> str:
        """Record the answer; return "" or a plain sentence saying it was checked but not saved, and why."""
        if self.progress is None:
            if self._storage_problem:
                return not_saved(f"answers are not being saved in this quiz: {self._storage_problem}")
            return "<small>Progress is not being saved in this quiz.</small>"
        try:
            self._attempt_id = self.progress.record(self.question.id, value, correct, self.question.topic)
        except ProgressBusyError as error:  # another notebook holds the file: the next answer may save
            return not_saved(str(error))
        except ProgressReadOnlyError as error:
            return not_saved(f"answers are not being saved because {error}")
        except Exception as error:  # the quiz must never fail because of its storage
            return not_saved(str(error))
        return ""


def _shown(value: object) -> str:
    """A number as the student would write it: a whole number without '.0'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"{value}"


def quiz_widget(
    questions: Sequence[Question] | None = None,
    progress: ProgressStore | None = None,
    case_seed: int | None = None,
    *,
    lesson: str = "07_quiz",
    content: str | Path | None = None,
) -> QuizWidget:
    """A quiz widget over ``questions`` that records every answer.

    Args:
        questions: :class:`~sarcoma_edu.course.quiz.Question` objects, e.g. ``load_bank("my_questions.json")``;
            None for the built-in banks and the instructor's own (her content folder's ``quiz/``).
        progress: where attempts are saved; None opens the default :class:`ProgressStore`
            (``~/.sarcoma_edu/progress.sqlite3`` or ``$SARCOMA_EDU_PROGRESS``).
        case_seed: the first "New case" patient (then ``case_seed + 1``, ...), so a whole class sees the
            same patients; None uses ``$SARCOMA_EDU_CASE_SEED`` if set, otherwise a fresh random seed
            each time the widget is made. Each case is recorded by its id (``case-<kind>-<seed>``).
        lesson: the lesson the quiz is in. Reopened, it welcomes back only a student who answered
            here: a question another lesson also asks (:data:`~sarcoma_edu.course.exercises.LESSON_BANK_QUESTIONS`)
            answered there is named as that lesson's answer, not as quiz use.
        content: the instructor's content folder (used when ``questions`` is None); None reads
            ``$SARCOMA_EDU_CONTENT``. A folder that cannot be read, or a file of hers with a problem,
            is named in the widget, and the other questions stay usable.

    Raises:
        TypeError, ValueError: ``case_seed`` is not a whole number 0 or more.

    Returns:
        The widget; display it as the last line of a cell.
    """
    if case_seed is not None:
        case_seed = checked_seed("case_seed", case_seed)
    notes: list[str] = []
    if questions is None:
        hers = instructor_items(content, "quiz")
        questions, notes = [*load_bank(), *hers.content.questions], hers.notes(len(hers.content.questions))
    problem = ""
    if progress is None:
        try:
            progress = ProgressStore()
        except Exception as error:  # never let storage stop the quiz; the widget says why nothing is saved
            progress, problem = None, str(error)
    widget = QuizWidget(questions, progress, seed=case_seed, lesson=lesson)
    widget.content = content
    for note in notes:
        widget._note(note, standing=True)
    if problem:
        widget._storage_problem = problem
        widget._note(f"Your answers are checked but not saved: {problem}", standing=True)
    return widget
