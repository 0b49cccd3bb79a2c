"""A poll's results for the instructor: how many answered, how many chose each answer, and how many came late.

While a poll is open the drop box is read afresh each time (:mod:`sarcoma_edu.live.ballots`); once
it is closed the counts are the frozen ones (:func:`sarcoma_edu.live.polls.close_poll`) and any
answer file that appeared or changed since is counted apart as late. Names never appear in the
results: only counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sarcoma_edu.common import checks as _checks
from sarcoma_edu.live.answers import poll_item
from sarcoma_edu.live.ballots import count, latest, read_ballots
from sarcoma_edu.live.classfolder import class_settings
from sarcoma_edu.live.polls import PollError, frozen, opened_ns, poll_state

__all__ = ["PollResults", "results"]


@dataclass(frozen=True)
class PollResults:
    """One poll's results.

    Attributes:
        item: the item's id.
        responses: how many students' answers are counted (one each).
        counts: answer -> how many students chose it (every choice of the item, 0 included, for an
            item of up to 10 choices; for a question where several answers are ticked, each ticked
            answer counts once per student).
        open: whether the poll is open.
        late: how many students dropped an answer, or changed theirs, after the poll was closed.
        skipped: one plain-text line per file of the drop box that was not counted, and why.
    """

    item: str
    responses: int
    counts: dict[str, int]
    open: bool
    late: int
    skipped: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        """``{"item", "responses", "counts", "open", "late"}``, as ``sarcoma-edu poll results --json`` prints it."""
        return {
            "item": self.item,
            "responses": self.responses,
            "counts": dict(self.counts),
            "open": self.open,
            "late": self.late,
        }

    def describe(self) -> str:
        """The results in a few plain lines: state, responses, one line per answer, late answers."""
        state = "open" if self.open else "closed"
        lines = [f"Poll on {self.item} ({state}): {self.responses} response{'s' * (self.responses != 1)}"]
        width = max((len(a) for a in self.counts), default=0)
        for answer, number in self.counts.items():
            share = f"{100 * number / self.responses:.0f}%" if self.responses else "-"
            lines.append(f"  {answer:<{width}}  {number:>3}  {share:>4}")
        if self.late:
            lines.append(f"Late (after closing, not counted): {self.late}")
        return "\n".join(lines)


def results(class_dir: str | Path, item_id: str) -> PollResults:
    """Count the answers to the poll on ``item_id`` in the class folder ``class_dir``.

    Raises:
        UnknownItemError: no item has this id.
        ClassFolderError: ``class_dir`` is not a class folder.
        PollError: no poll was ever opened on this item, or a closed poll's frozen results are missing.
        OSError: the drop box cannot be listed (only its owner can list it).
    """
    if not isinstance(class_dir, str | Path):
        raise TypeError(f"class_dir={_checks.show(class_dir)} is not a folder path; expected a str or Path")
    folder = Path(class_dir)
    settings = class_settings(folder)
    state = poll_state(folder, item_id)
    if state.opened_at is None:
        poll_item(item_id)  # an unknown id is said as such
        raise PollError(
            f"ITEM_ID {item_id!r}: no poll was opened on it in {folder} (open one with: sarcoma-edu poll open)"
        )
    item = state.poll_item
    if state.open:
        ballots, skipped = read_ballots(folder / "dropbox", item, settings, opened_ns(folder, item_id))
        counted = latest(ballots)
        return PollResults(item_id, len(counted), count(item, counted), True, 0, tuple(skipped))
    snapshot = frozen(folder, state)
    ballots, skipped = read_ballots(folder / "dropbox", item, settings, snapshot.opened_ns)
    late = {b.voter for b in ballots if b.version not in snapshot.seen}
    counted = snapshot.counted
    return PollResults(item_id, len(counted), count(item, counted), False, len(late), tuple(skipped))
