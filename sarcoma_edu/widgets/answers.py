"""The answers a question offers on screen: a button per choice, or a tick box per choice and a check button.

The quiz and the in-lesson exercises lay a question's choices out the same way. The choices come in an
order fixed per question (banks often list the right answer first), each as a button (one answer) or a
tick box under the hint saying how many to tick (several answers); :func:`answer_style` lets their
whole sentences wrap instead of being cut off. Once answered, :func:`mark_chosen` marks the answer chosen
with an arrow and words ("➜ T2 (your answer)"), not by colour alone. A number is typed in a box the widget
keeps itself.
"""

from __future__ import annotations

import html
import math
import random
from collections.abc import Callable, Sequence

import ipywidgets as w

from sarcoma_edu.common import checks as _checks
from sarcoma_edu.course.quiz import Question, tick_hint

__all__ = [
    "CHOICE_TYPES",
    "MOST_DIGITS",
    "QUIZ_STYLE",
    "TypedNumberError",
    "answer_style",
    "choice_controls",
    "choice_order",
    "mark_chosen",
    "ticked",
    "typed_number",
]

CHOICE_TYPES = ("multiple_choice", "many_choice")


def answer_style(scope: str, extra: str = "") -> str:
    """The ``<style>`` for answer buttons and tick boxes inside the CSS class ``scope``, then ``extra`` rules."""
    return (
        f"<style>.{scope} .sarcoma-edu-answer{{white-space:normal;height:auto;min-height:2.2em;"
        "text-align:left;padding:0.35em 0.8em;line-height:1.35}"
        # a checkbox's label wraps onto more lines: the row grows with it instead of overlapping the next one
        f".{scope} .widget-checkbox{{height:auto;min-height:var(--jp-widgets-inline-height);"
        f"align-items:flex-start;margin-bottom:0.3em}}.{scope} .widget-checkbox label{{white-space:normal;height:auto;"
        f"line-height:1.35}}{extra}</style>"
    )


def choice_order(question: Question) -> list[str]:
    """A choice question's answers in the order every student sees them (fixed by the question's id)."""
    order = list(question.choices)
    random.Random(question.id).shuffle(order)
    return order


def choice_controls(question: Question, choose: Callable[[str], object], check_button: w.Button) -> list[w.Widget]:
    """The controls for a choice question, in the question's fixed order.

    One answer: a line saying so, then a button per choice that calls ``choose`` with its text.
    Several answers: the hint saying how many to tick, a tick box per choice, then ``check_button``.
    """
    if question.type not in CHOICE_TYPES:
        raise ValueError(f"question {question.id!r} is {question.type!r}, not one of {CHOICE_TYPES}: it has no choices")
    order = choice_order(question)
    if question.type == "multiple_choice":
        buttons = []
        for text in order:
            button = w.Button(description=text, tooltip=text, layout=w.Layout(width="auto", max_width="46em"))
            button.add_class("sarcoma-edu-answer")
            button.on_click(lambda _b, t=text: choose(t))
            buttons.append(button)
        return [w.HTML("<p style='margin:0'>Choose one answer:</p>"), *buttons]
    boxes = [
        w.Checkbox(description=text, indent=False, value=False, layout=w.Layout(width="auto", max_width="46em"))
        for text in order
    ]
    hint = w.HTML(f"<p style='margin:0'>{html.escape(tick_hint(question))}</p>")
    return [hint, *boxes, check_button]


class TypedNumberError(ValueError):
    """A typed answer that is not a number the quiz can check: ``title`` says what to do, the message why."""

    def __init__(self, title: str, message: str) -> None:
        super().__init__(message)
        self.title = title


# the most digits a typed answer may have: a float keeps about 16, so a longer number is not checked as typed
MOST_DIGITS = 20


def typed_number(typed: str) -> int | float:
    """The number in the quiz's answer box: a whole number as an int, else a float; at most 20 digits.

    Raises:
        TypedNumberError: nothing is typed, or it is not a number, or has more than :data:`MOST_DIGITS`
            digits (leading zeros count), or is not a finite one ("inf", "nan", "1e400"); the message
            shows what was typed, shortened.
    """
    typed = typed.strip()
    if not typed:
        raise TypedNumberError("Please type a number", "Type your answer in the box, then check it.")
    shown = _checks.show(typed)  # a number typed with thousands of digits is shortened
    digits = sum(c.isdigit() for c in typed)
    if digits > MOST_DIGITS:  # before float() and int(): thousands of digits are slow, and int() refuses them
        raise TypedNumberError(
            "Please type a shorter number",
            f"{shown} has {digits:,} digits; the quiz checks numbers of up to {MOST_DIGITS} digits: "
            "type the value asked for (e.g. 12.5).",
        )
    try:
        number = float(typed)
    except ValueError:
        raise TypedNumberError(
            "Please type a number", f"{shown} is not a number; type digits, with a point for a decimal (e.g. 12.5)."
        ) from None
    if not math.isfinite(number):  # "inf", "nan", or more digits than any float holds
        raise TypedNumberError(
            "Please type a number" if math.isnan(number) else "Please type a smaller number",
            f"{shown} is not a number the quiz can check; type the value asked for (e.g. 12.5).",
        )
    whole = typed.lstrip("+-").isdigit()  # at most MOST_DIGITS digits: int() reads them exactly
    return int(typed) if whole else number


def mark_chosen(controls: Sequence[w.Widget], chosen: object, whose: str = "your answer") -> None:
    """Mark the answer button for ``chosen`` (its tooltip holds the answer's text) in words and with an outline.

    Its label becomes "➜ <answer> (<whose>)" and it takes the class the answer styles keep at full contrast
    with an outline once disabled; the other buttons are left as they are.
    """
    for control in controls:
        if isinstance(control, w.Button) and control.tooltip == chosen and "sarcoma-edu-answer" in control._dom_classes:
            control.description = f"➜ {chosen} ({whose})"
            control.add_class("sarcoma-edu-chosen")


def ticked(controls: w.Box) -> list[str]:
    """The choices ticked among ``controls``' children, in the order shown."""
    return [c.description for c in controls.children if isinstance(c, w.Checkbox) and c.value]


# the quiz's answers (and the tumour board's, which wears the quiz's class): the answer chosen stays marked
QUIZ_STYLE = answer_style(
    "sarcoma-edu-quiz",
    ".sarcoma-edu-quiz .jupyter-button.sarcoma-edu-chosen,.sarcoma-edu-quiz .jupyter-button.sarcoma-edu-chosen:disabled"
    "{outline:3px solid #0072B2;outline-offset:1px;font-weight:bold;opacity:1;color:#222}",
)
