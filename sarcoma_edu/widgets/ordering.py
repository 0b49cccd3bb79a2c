"""An ordering exercise's rows: each item with a "Move ... up" and a "Move ... down" button.

:class:`~sarcoma_edu.widgets.exercise.ExerciseWidget` takes these from :class:`OrderingControls`.
The items start shuffled in an order fixed per exercise, never the right one. Each button names its
item, so a screen reader says what it moves; after a move a status line says where the item went
and reads out the whole order, and the keyboard stays on the moved item's button, in its new row.
The first item's Move up and the last one's Move down stay pressable (a disabled button would drop
the keyboard focus, and the item's other button would move it back on the next Enter): pressed, they
say the item is already first or last and change nothing. Once the exercise is answered, the order
is locked.
"""

from __future__ import annotations

import html
import random
from typing import TYPE_CHECKING

import ipywidgets as w

from sarcoma_edu.widgets.feedback import alert

if TYPE_CHECKING:
    from sarcoma_edu.course.exercises import Exercise
    from sarcoma_edu.course.quiz import Feedback

__all__ = ["OrderingControls"]

_ORDINALS = {1: "1st", 2: "2nd", 3: "3rd"}


def _ordinal(n: int) -> str:
    return _ORDINALS.get(n, f"{n}th")


class OrderingControls:
    """The rows of an ordering exercise and what their buttons do; mixed into the exercise widget.

    Attributes:
        order: the items as they stand now (empty when the exercise is not an ordering).
        status: where the last move put its item, and the whole order, in words.
    """

    exercise: Exercise
    feedback: Feedback | None
    message: w.HTML
    check_button: w.Button
    order: list[str]
    _rows: list[tuple[w.HTML, w.Button, w.Button]]

    def _order_rows(self) -> list[w.Widget]:
        """Shuffle the items, make a row for each, and return the controls: intro, rows, status, check button."""
        ex = self.exercise
        order = list(ex.items)
        random.Random(ex.id).shuffle(order)
        if order == list(ex.items):  # never start in the right order
            order = order[1:] + order[:1]
        self.order = order
        self.status = w.HTML()
        for _ in order:
            label = w.HTML()
            up = w.Button(layout=w.Layout(width="auto"))
            down = w.Button(layout=w.Layout(width="auto"))
            self._rows.append((label, up, down))
        for position, (_, up, down) in enumerate(self._rows):
            up.on_click(lambda _b, p=position: self.move(self.order[p], -1, focus=True))
            down.on_click(lambda _b, p=position: self.move(self.order[p], +1, focus=True))
        self._render_order()
        intro = w.HTML("<p style='margin:0'>Put the items in order, the first at the top, then check:</p>")
        rows = [w.HBox([label, up, down], layout=w.Layout(flex_flow="row wrap")) for label, up, down in self._rows]
        return [intro, *rows, self.status, self.check_button]

    def _render_order(self) -> None:
        last = len(self.order) - 1
        for position, ((label, up, down), item) in enumerate(zip(self._rows, self.order, strict=True)):
            label.value = (
                f"<span style='display:inline-block;min-width:22em'><b>{position + 1}.</b> {html.escape(item)}</span>"
            )
            up.description, down.description = f"Move {item} up", f"Move {item} down"
            up.tooltip = f"{item} is first: it cannot move up" if position == 0 else up.description
            down.tooltip = f"{item} is last: it cannot move down" if position == last else down.description
            up.disabled = down.disabled = self.feedback is not None

    def move(self, item: str, step: int, focus: bool = False) -> list[str]:
        """Move ``item`` one place up (``step=-1``) or down (``+1``); return the new order (ordering exercises).

        This is what the item's Move up / Move down buttons do; pressed on the page (``focus``), the
        keyboard then stays with the moved item, on its button in the same direction in its new row, so
        pressing Enter again moves it further, and at the top (or bottom) leaves it there, saying so.
        """
        if self.exercise.type != "ordering":
            self.message.value = alert("This exercise has no items to order.")
            return []
        if self.feedback is not None:
            self.message.value = alert("This exercise is answered: the order can no longer change.")
            return list(self.order)
        if item not in self.order or step not in (-1, 1):
            self.message.value = alert(
                f"Cannot move {item!r} by {step!r}: choose one of the items, one place up or down."
            )
            return list(self.order)
        here = self.order.index(item)
        there = here + step
        moved = 0 <= there < len(self.order)
        if moved:
            self.order[here], self.order[there] = self.order[there], self.order[here]
        self._render_order()
        self.message.value = ""
        listing = "; ".join(f"{k + 1}. {x}" for k, x in enumerate(self.order))
        now = self.order.index(item)
        where = f"{_ordinal(now + 1)} of {len(self.order)}"
        said = (
            f"{item} is now {where}."
            if moved
            else f"{item} is already {where}: it cannot move {'up' if step < 0 else 'down'}."
        )
        self.status.value = (
            f"<p role='status' style='margin:0.2em 0'>{html.escape(said)} The order: {html.escape(listing)}.</p>"
        )
        if focus:
            _label, up, down = self._rows[now]
            (up if step < 0 else down).focus()
        return list(self.order)
