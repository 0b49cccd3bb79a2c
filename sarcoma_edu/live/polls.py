"""Opening and closing a poll on one item: ``polls/<item>.json`` in the class folder says whether it is open.

A poll file holds no answers, only ``{"item", "open", "opened_at", "closed_at", "type", "choices"}``;
students' kernels read it (0644 in a 0755 folder) to know whether to drop an answer. The item's type
and choices are taken from the item catalog when the poll opens, so an answer is checked against
the question as it was asked, and neither the students' kernels nor the results need the catalog.

Answers count from the moment the poll was opened, by the file system's own clock (the poll file's
change time), so the instructor's and the file server's clocks never need to agree. Opening a
poll again after closing it starts a new round: answers dropped before it are not counted (a
student who answers again replaces her own file).

Closing freezes: the answers counted at that moment, and every answer file seen, are written to
``private/<item>.json`` (0600, the instructor's only). An answer file that appears or changes after
that is late (:mod:`sarcoma_edu.live.results`).
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sarcoma_edu.course.quiz import QUESTION_TYPES
from sarcoma_edu.live.answers import PollItem, poll_item
from sarcoma_edu.live.ballots import Ballot, latest, read_ballots
from sarcoma_edu.live.classfolder import class_settings, safe_id, write_json

__all__ = [
    "Frozen",
    "PollError",
    "PollState",
    "close_poll",
    "frozen",
    "open_poll",
    "open_polls",
    "opened_ns",
    "poll_file",
    "poll_state",
]

FROZEN_FORMAT = "sarcoma-edu-poll-frozen"
_MAX_BYTES = 4096


class PollError(ValueError):
    """A poll that cannot be opened, closed or read as asked (closing one that is not open, ...)."""


@dataclass(frozen=True)
class PollState:
    """One item's poll: open or not, when it was opened and closed (ISO 8601 times in UTC, or None), and the
    item's question type and choices as they were when it opened ("" and () for a poll never opened)."""

    item: str
    open: bool
    opened_at: str | None = None
    closed_at: str | None = None
    type: str = ""
    choices: tuple[str, ...] = ()

    @property
    def poll_item(self) -> PollItem:
        """The item as the poll asks it."""
        return PollItem(self.item, self.type, self.choices)

    def as_json(self) -> dict[str, object]:
        """The poll file's content."""
        return {
            "item": self.item,
            "open": self.open,
            "opened_at": self.opened_at,
            "closed_at": self.closed_at,
            "type": self.type,
            "choices": list(self.choices),
        }


@dataclass(frozen=True)
class Frozen:
    """A closed poll's snapshot: the answers counted, every answer file version seen, and when it was opened."""

    opened_ns: int
    counted: tuple[Ballot, ...]
    seen: frozenset[tuple[str, int, int]]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def poll_file(class_dir: str | Path, item_id: str) -> Path:
    """Where the poll on ``item_id`` is announced: ``polls/<safe item id>.json``."""
    return Path(class_dir) / "polls" / f"{safe_id(item_id)}.json"


def _frozen_file(class_dir: str | Path, item_id: str) -> Path:
    return Path(class_dir) / "private" / f"{safe_id(item_id)}.json"


def _load(file: Path) -> object:
    with open(file, "rb") as handle:
        return json.loads(handle.read(_MAX_BYTES + 1))


def poll_state(class_dir: str | Path, item_id: str) -> PollState:
    """Whether a poll is open on ``item_id``; a poll never opened is ``PollState(item_id, False)``.

    Raises:
        PollError: the poll file cannot be read or is not a poll on this item.
    """
    file = poll_file(class_dir, item_id)
    try:
        data = _load(file)
    except FileNotFoundError:
        return PollState(item_id, False)
    except (OSError, ValueError) as error:
        reason = error.strerror if isinstance(error, OSError) else "it is not JSON"
        raise PollError(f"could not read the poll file {file} ({reason})") from None
    if not isinstance(data, dict) or data.get("item") != item_id or not isinstance(data.get("open"), bool):
        raise PollError(f"the poll file {file} is not a poll on {item_id!r}")
    times = (data.get("opened_at"), data.get("closed_at"))
    kind, choices = data.get("type"), data.get("choices")
    if not all(t is None or isinstance(t, str) for t in times) or times[0] is None:
        raise PollError(f"the poll file {file} has no opening time")
    if kind not in QUESTION_TYPES or not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
        raise PollError(f"the poll file {file} does not give the item's type and choices; open the poll again")
    return PollState(item_id, data["open"], *times, kind, tuple(choices))


def opened_ns(class_dir: str | Path, item_id: str) -> int:
    """When the open poll on ``item_id`` was opened, by the file system's clock (nanoseconds)."""
    return os.stat(poll_file(class_dir, item_id)).st_mtime_ns


def _write_state(class_dir: str | Path, state: PollState) -> None:
    write_json(poll_file(class_dir, state.item), state.as_json(), mode=0o644)


def open_poll(class_dir: str | Path, item_id: str, *, content: str | Path | None = None) -> PollState:
    """Open a poll on ``item_id``: answers given from now on are counted (a poll already open stays as it is).

    ``content`` is the instructor's content folder, where an item of her own is found (None:
    ``$SARCOMA_EDU_CONTENT``, or none).

    Raises:
        UnknownItemError: no item has this id.
        ContentFolderError: the id is not built-in and the content folder named cannot be used.
        ClassFolderError: ``class_dir`` is not a class folder.
        PollError: the poll file there cannot be read.
        OSError: the poll file could not be written.
    """
    asked = poll_item(item_id, content)
    class_settings(Path(class_dir))
    state = poll_state(class_dir, item_id)
    if state.open:
        return state
    state = PollState(item_id, True, _now(), None, asked.type, asked.choices)
    _write_state(class_dir, state)
    return state


def close_poll(class_dir: str | Path, item_id: str) -> PollState:
    """Close the open poll on ``item_id``: the answers counted now are frozen; any dropped later are late.

    Raises:
        PollError: no poll is open on this item.
        UnknownItemError: no poll is open and no item has this id.
        ClassFolderError, OSError: as for :func:`open_poll`.
    """
    settings = class_settings(Path(class_dir))
    state = poll_state(class_dir, item_id)
    if not state.open:
        poll_item(item_id)  # an unknown id is said as such
        raise PollError(
            f"ITEM_ID {item_id!r}: no poll is open on it in {class_dir} (open one with: sarcoma-edu poll open)"
        )
    since = opened_ns(class_dir, item_id)
    ballots, _skipped = read_ballots(Path(class_dir) / "dropbox", state.poll_item, settings, since)
    closed = PollState(item_id, False, state.opened_at, _now(), state.type, state.choices)
    snapshot = {
        "format": FROZEN_FORMAT,
        "version": 1,
        **closed.as_json(),
        "opened_ns": since,
        "counted": [_ballot_json(b) for b in latest(ballots)],
        "seen": sorted(list(b.version) for b in ballots),
    }
    write_json(_frozen_file(class_dir, item_id), snapshot, mode=0o600)
    _write_state(class_dir, closed)
    return closed


def _ballot_json(ballot: Ballot) -> dict[str, object]:
    return {
        "file": ballot.file,
        "voter": ballot.voter,
        "answer": ballot.answer,
        "pseudonym": ballot.pseudonym,
        "name": ballot.name,
        "changed_ns": ballot.changed_ns,
        "inode": ballot.inode,
    }


def frozen(class_dir: str | Path, state: PollState) -> Frozen:
    """The snapshot written when the poll in ``state`` was closed.

    Raises:
        PollError: it is missing, unreadable, or belongs to another round of the poll.
    """
    file = _frozen_file(class_dir, state.item)
    try:
        with open(file, "rb") as handle:
            data = json.loads(handle.read())
        if data.get("format") != FROZEN_FORMAT or data.get("opened_at") != state.opened_at:
            raise ValueError("it belongs to another round of the poll")
        counted = tuple(Ballot(**row) for row in data["counted"])
        seen = frozenset((str(f), int(c), int(i)) for f, c, i in data["seen"])
        return Frozen(int(data["opened_ns"]), counted, seen)
    except OSError as error:
        raise PollError(f"the frozen results {file} cannot be read ({error.strerror})") from None
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        raise PollError(f"the frozen results {file} are not this poll's ({error})") from None


def open_polls(class_dir: str | Path) -> list[PollState]:
    """Every open poll in the class folder, the earliest opened first (a poll file that cannot be read is left out)."""
    found = []
    for file in (Path(class_dir) / "polls").glob("*.json"):
        try:
            data = _load(file)
        except (OSError, ValueError):
            continue
        item = data.get("item") if isinstance(data, dict) else None
        if isinstance(item, str) and data.get("open") is True and file.name == f"{safe_id(item)}.json":
            with contextlib.suppress(PollError):
                found.append(poll_state(class_dir, item))
    return sorted(found, key=lambda s: (s.opened_at or "", s.item))
