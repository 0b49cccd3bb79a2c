"""The self-study quiz widget: one question at a time, immediate feedback, saved progress.

Every answer is checked by :func:`sarcoma_edu.course.quiz.check` and recorded in a
:class:`~sarcoma_edu.progress.store.ProgressStore`; bank text is always shown escaped. Keyboard use:
**Tab** moves between answers and buttons, **Space** presses a button or ticks a box. After an
answer, keyboard focus moves to **Next question**, placed right after the feedback (which screen
readers announce as it appears); the chosen answer stays marked with an arrow and the words "your answer".

Reopening the quiz carries on: "welcome back", the score so far, and the next question not yet
answered after the one answered last. "All topics" interleaves the topics
(:func:`sarcoma_edu.study.quiz_progress.interleave`). A message belongs to the question it describes and
goes when another question is shown; notes about the progress file stay.

After each answer the student may say how sure they were (sure / unsure / guessed); **Due for
review (N)** asks again the questions the spaced review (:mod:`sarcoma_edu.study.review`, FSRS) says are
due now, most overdue first. Tumour board steps are scheduled too, but are reviewed by reopening
their case in the tumour board lesson, so the quiz names them instead of asking them
(:mod:`sarcoma_edu.widgets.review_controls`).
"""

from __future__ import annotations

import html
import itertools
import math
import os
import random
import warnings
from collections.abc import Callable, Iterator, Sequence

import ipywidgets as w

from sarcoma_edu.common import checks as _checks
from sarcoma_edu.course.exercises import LESSON_BANK_QUESTIONS
from sarcoma_edu.course.generated import SEED_LIMIT, generate_case_question, question_from_id
from sarcoma_edu.course.quiz import Feedback, Question, check, key_line, tick_hint
from sarcoma_edu.progress.store import ProgressBusyError, ProgressReadOnlyError, ProgressStore, ProgressWarning
from sarcoma_edu.study.quiz_progress import interleave, resume_point
from sarcoma_edu.widgets.review_controls import ReviewControls

__all__ = ["CASE_SEED_ENV", "QuizWidget", "quiz_widget"]

# the instructor's seed for "New case" (the whole class then discusses the same patients), or unset
CASE_SEED_ENV = "SARCOMA_EDU_CASE_SEED"
# fresh "New case" seeds are drawn below this; an instructor's seed may be any whole number 0 or more
_FRESH_SEEDS = 10**9

ALL_TOPICS = "All topics"
_CASE_LABELS = {
    "stage": "Stage a patient",
    "t_category": "T category",
    "fnclcc_grade": "FNCLCC grade",
    "treatment": "Treatment list",
}
# answer buttons carry whole sentences: let them wrap instead of cutting them off
_STYLE = (
    "<style>.sarcoma-edu-quiz .sarcoma-edu-answer{white-space:normal;height:auto;min-height:2.2em;"
    "text-align:left;padding:0.35em 0.8em;line-height:1.35}"
    # a checkbox's label wraps onto more lines: the row grows with it instead of overlapping the next one
    ".sarcoma-edu-quiz .widget-checkbox{height:auto;min-height:var(--jp-widgets-inline-height);align-items:flex-start;"
    "margin-bottom:0.3em}.sarcoma-edu-quiz .widget-checkbox label{white-space:normal;height:auto;line-height:1.35}"
    ".sarcoma-edu-quiz .jupyter-button.sarcoma-edu-chosen,.sarcoma-edu-quiz .jupyter-button.sarcoma-edu-chosen:disabled"
    "{outline:3px solid #0072B2;outline-offset:1px;font-weight:bold;opacity:1;color:#222}</style>"
)
_MODES = {"mistakes": "practising your mistakes", "review": "reviewing what is due"}


def _box(kind: str, title: str, lines: Sequence[str]) -> str:
    """A feedback box: the verdict is spelled out in words and a symbol, not shown by colour alone."""
    colours = {"right": ("#009E73", "#EEF9F5"), "wrong": ("#D55E00", "#FFF4EC"), "note": ("#0072B2", "#F2F7FC")}
    border, background = colours[kind]
    body = "".join(f"<p style='margin:0.3em 0'>{line}</p>" for line in lines if line)
    return (
        f"<div style='border-left:6px solid {border};background:{background};padding:0.4em 0.8em;color:#222'>"
        f"<p style='margin:0.2em 0;font-weight:bold;font-size:1.1em'>{html.escape(title)}</p>{body}</div>"
    )


def _rebuild(question_id: str) -> Question | None:
    """A generated question or an in-lesson exercise, asked again from the id the progress store recorded."""
    from sarcoma_edu.course.exercises import question_from_exercise_id  # only when an id is not in the quiz

    return question_from_id(question_id) or question_from_exercise_id(question_id)


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
            seed, seed_note = _seed_from_environment()
        else:
            seed = _case_seed("seed", seed)
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
        self.first_seed = random.SystemRandom().randrange(_FRESH_SEEDS) if seed is None else seed
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
                w.HTML(_STYLE + "<h3 style='margin:0.2em 0'>Self-study quiz</h3>"),
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
        attempts = self._attempts()
        elsewhere = {i: lesson for lesson, ids in LESSON_BANK_QUESTIONS.items() if lesson != self.lesson for i in ids}
        here = attempts[~attempts["question_id"].isin(elsewhere)] if len(attempts) else attempts
        where = resume_point(self.queue, here)
        self._show(self.queue[where.index])
        if not welcome:
            return
        also = self._answered_in_lessons(attempts, elsewhere)
        if where.last is None:  # never used here: no welcome back, but say what the lessons recorded
            if also:
                self._note(f"You have already answered {also}. Here is question 1.")
            return
        total, last = len(self.queue), self.queue[where.last]
        done = "every question" if where.answered == total else f"{where.answered} of the {total} questions"
        self._note(
            f"Welcome back. So far you have answered {done} here, {where.right} of them right the last "
            f"time you answered. You were at question {where.last + 1} of {total} ({last.topic}); here is "
            f"question {where.index + 1}, "
            + ("the next one you have not answered yet." if where.answered < total else "the one after it.")
            + (f" You have also answered {also}." if also else "")
        )

    def _answered_in_lessons(self, attempts, elsewhere: dict[str, str]) -> str:
        """What was answered outside this quiz, in words: this set's questions asked in a lesson, and exercises."""
        if not len(attempts):
            return ""
        ids = set(attempts["question_id"])
        in_set = {q.id for q in self.queue}
        lessons = sorted({elsewhere[i] for i in ids & in_set & set(elsewhere)})
        shared = len(ids & in_set & set(elsewhere))
        exercises = sum(str(i).startswith("ex-") for i in ids) if self.lesson == "07_quiz" else 0
        parts = []
        if shared:
            where = ", ".join(f"lesson {lesson[:2]}" for lesson in lessons)
            parts.append(f"{shared} of these questions in {where} (the quiz asks them again when you reach them)")
        if exercises:
            parts.append(
                f"{exercises} exercise{'s' if exercises > 1 else ''} in the lessons (predictions and self-checks)"
            )
        return " and ".join(parts) + (", all saved with your progress" if parts else "")

    def _attempts(self):
        """The saved attempts and this session's (the session's alone while the file cannot be read)."""
        import pandas as pd

        session = pd.DataFrame(self._session, columns=["question_id", "correct"])
        if self.progress is None:
            return session
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ProgressWarning)
                return self.progress.attempts()[["question_id", "correct"]]
        except OSError:
            return session

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
        questions = [q for q in (self.by_id.get(i) or _rebuild(i) for i in ids) if q is not None]
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
        # banks often list the right answer first: show the answers in an order fixed per question
        order = list(question.choices)
        random.Random(question.id).shuffle(order)
        if question.type == "multiple_choice":
            buttons = []
            for text in order:
                button = w.Button(description=text, tooltip=text, layout=w.Layout(width="auto", max_width="46em"))
                button.add_class("sarcoma-edu-answer")
                button.on_click(lambda _b, t=text: self.answer(t))
                buttons.append(button)
            self.choices.children = [w.HTML("<p style='margin:0'>Choose one answer:</p>"), *buttons]
        elif question.type == "many_choice":
            boxes = [
                w.Checkbox(description=text, indent=False, value=False, layout=w.Layout(width="auto", max_width="46em"))
                for text in order
            ]
            hint = w.HTML(f"<p style='margin:0'>{html.escape(tick_hint(question))}</p>")
            self.choices.children = [hint, *boxes, self.check_button]
        else:
            self.number.value = ""
            self.choices.children = [self.number, self.check_button]
        for child in self.choices.children:
            if hasattr(child, "disabled"):
                child.disabled = False

    def _check_current(self) -> None:
        if self.question.type == "many_choice":
            ticked = [c.description for c in self.choices.children if isinstance(c, w.Checkbox) and c.value]
            self.answer(ticked)
            return
        typed = self.number.value.strip()
        if not typed:
            self.result.value = _box("wrong", "Please type a number", ["Type your answer in the box, then check it."])
            return
        shown = _checks.show(typed)  # a number typed with thousands of digits is shortened
        try:
            number = float(typed)
        except ValueError:
            self.result.value = _box(
                "wrong",
                "Please type a number",
                [html.escape(f"{shown} is not a number; type digits, with a point for a decimal (e.g. 12.5).")],
            )
            return
        if not math.isfinite(number):  # "inf", "nan", or more digits than any float holds
            self.result.value = _box(
                "wrong",
                "Please type a number" if math.isnan(number) else "Please type a smaller number",
                [html.escape(f"{shown} is not a number the quiz can check; type the value asked for (e.g. 12.5).")],
            )
            return
        whole = typed.lstrip("+-").isdigit()  # a float holds it, so int() has few enough digits to read
        self.answer(int(typed) if whole else number)

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
            self.result.value = _box("wrong", "Please check your answer", [html.escape(str(error))])
            return None
        self.feedback = feedback
        right, answered = self.score
        self.score = (right + feedback.correct, answered + 1)
        if feedback.correct:
            self._wrong.pop(self.question.id, None)
        else:
            self._wrong[self.question.id] = None
        saved = self._save(value, feedback.correct)
        title = "✓ Correct." if feedback.correct else "✗ Not quite."
        chosen = "; ".join(map(str, value)) if isinstance(value, list | tuple) else _shown(value)
        lines = [f"Your answer: {html.escape(chosen) or '(nothing ticked)'}", html.escape(feedback.answer_feedback)]
        key = key_line(self.question, value, feedback.correct)
        if key:
            lines.append(html.escape(key))
        lines += [html.escape(feedback.explanation), f"<small>Source: {html.escape(feedback.source)}</small>", saved]
        # a status region: screen readers read the verdict out while the keyboard moves on to "Next question"
        verdict = _box("right" if feedback.correct else "wrong", title, lines)
        self.result.value = f"<div role='status' aria-live='polite'>{verdict}</div>"
        self.scoreline.value = (
            f"<p aria-live='polite'>Score this session: {self.score[0]} right out of {self.score[1]} answered.</p>"
        )
        for child in self.choices.children:
            if hasattr(child, "disabled"):
                child.disabled = True
            if isinstance(child, w.Button) and child is not self.check_button and child.tooltip == value:
                child.description = f"➜ {value} (your answer)"
                child.add_class("sarcoma-edu-chosen")
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
                return _not_saved(f"answers are not being saved in this quiz: {self._storage_problem}")
            return "<small>Progress is not being saved in this quiz.</small>"
        try:
            self._attempt_id = self.progress.record(self.question.id, value, correct, self.question.topic)
        except ProgressBusyError as error:  # another notebook holds the file: the next answer may save
            return _not_saved(str(error))
        except ProgressReadOnlyError as error:
            return _not_saved(f"answers are not being saved because {error}")
        except Exception as error:  # the quiz must never fail because of its storage
            return _not_saved(str(error))
        return ""


def _not_saved(why: str) -> str:
    return f"<span role='status'>Checked, but not saved: {html.escape(why)}.</span>"


def _shown(value: object) -> str:
    """A number as the student would write it: a whole number without '.0'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"{value}"


_SEED_RANGE = "a whole number from 0 to 2**128 - 1"


def seed_sequence(first: int) -> Iterator[int]:
    """The seeds "New case" uses from ``first`` on: first, first + 1, ..., back to 0 after the largest (2**128 - 1)."""
    return (n % SEED_LIMIT for n in itertools.count(first))


def _case_seed(name: str, value: object) -> int:
    """An instructor's "New case" seed: a whole number from 0 to 2**128 - 1, or raise naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name}={value!r} is not a whole number; expected {_SEED_RANGE}, or None")
    if value < 0:
        raise ValueError(f"{name}={value!r} is negative; expected {_SEED_RANGE}, or None")
    if value >= SEED_LIMIT:
        raise ValueError(f"{name}={_checks.show(value)} is too large; expected {_SEED_RANGE}, or None")
    return value


def _seed_from_environment() -> tuple[int | None, str]:
    """``$SARCOMA_EDU_CASE_SEED`` as a seed (or None when unset), and a message for a value that is not one.

    Only the digits 0-9 count (``int()`` would also read other scripts' digits, and ``str.isdigit``
    accepts "²", which ``int()`` refuses); a number above 2**128 - 1 is not a seed either.
    """
    text = os.environ.get(CASE_SEED_ENV, "").strip()
    if not text:
        return None, ""
    if text.isascii() and text.isdigit() and len(text) <= len(str(SEED_LIMIT)) and int(text) < SEED_LIMIT:
        return int(text), ""
    shown = _checks.show(text)
    return None, (
        f"{CASE_SEED_ENV}={shown} is not {_SEED_RANGE} (digits 0-9 only), so 'New case' makes up "
        "patients at random; ask your instructor for the seed."
    )


def quiz_widget(
    questions: Sequence[Question],
    progress: ProgressStore | None = None,
    case_seed: int | None = None,
    *,
    lesson: str = "07_quiz",
) -> QuizWidget:
    """A quiz widget over ``questions`` that records every answer.

    Args:
        questions: :class:`~sarcoma_edu.course.quiz.Question` objects, e.g. ``load_bank()``.
        progress: where attempts are saved; None opens the default :class:`ProgressStore`
            (``~/.sarcoma_edu/progress.sqlite3`` or ``$SARCOMA_EDU_PROGRESS``).
        case_seed: the first "New case" patient (then ``case_seed + 1``, ...), so a whole class sees the
            same patients; None uses ``$SARCOMA_EDU_CASE_SEED`` if set, otherwise a fresh random seed
            each time the widget is made. Each case is recorded by its id (``case-<kind>-<seed>``).
        lesson: the lesson the quiz is in. Reopened, it welcomes back only a student who answered
            here: a question another lesson also asks (:data:`~sarcoma_edu.course.exercises.LESSON_BANK_QUESTIONS`)
            answered there is named as that lesson's answer, not as quiz use.

    Raises:
        TypeError, ValueError: ``case_seed`` is not a whole number 0 or more.

    Returns:
        The widget; display it as the last line of a cell.
    """
    if case_seed is not None:
        case_seed = _case_seed("case_seed", case_seed)
    problem = ""
    if progress is None:
        try:
            progress = ProgressStore()
        except Exception as error:  # never let storage stop the quiz; the widget says why nothing is saved
            progress, problem = None, str(error)
    widget = QuizWidget(questions, progress, seed=case_seed, lesson=lesson)
    if problem:
        widget._storage_problem = problem
        widget._note(f"Your answers are checked but not saved: {problem}", standing=True)
    return widget
