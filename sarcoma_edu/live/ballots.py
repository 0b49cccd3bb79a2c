"""Reading the drop box without trusting it: each student's answer file to one poll, checked, one per student.

Students write ``dropbox/<safe item id>--<token>.json`` (:mod:`sarcoma_edu.live.dropbox`). The
instructor lists the folder as its owner and opens each file of the item's poll with
``O_NOFOLLOW`` (a link is refused, never followed), keeps only regular files up to
:data:`MAX_BYTES`, and accepts one only if it is JSON in the answer format, names this item and
gives an answer among the item's choices. Every other file is skipped with one plain-text line
naming it and why (the line is never rendered as HTML by this module; whoever shows it escapes it).

One answer counts per student, the latest by the file's change time: per Unix account (the file's
owner) when the class tells students apart by account, per token when they share an account.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sarcoma_edu.live.answers import PollItem, answer_value, tally
from sarcoma_edu.live.classfolder import ClassSettings, safe_id

__all__ = [
    "ANSWER_FORMAT",
    "LISTED_CHOICES",
    "MAX_BYTES",
    "Ballot",
    "answer_file_name",
    "count",
    "latest",
    "read_ballots",
]

ANSWER_FORMAT = "sarcoma-edu-poll-answer"
MAX_BYTES = 16_384  # an answer file is a few hundred bytes; anything much larger is not one
LISTED_CHOICES = 10  # up to this many choices, the counts list every choice, 0 included
_NAME = re.compile(r"(?P<item>[A-Za-z0-9_%-]+)--(?P<token>[0-9a-f]{32})\.json")


@dataclass(frozen=True)
class Ballot:
    """One accepted answer file: who (account or token), what, and which version of the file it was."""

    file: str
    voter: str
    answer: str | list[str] | float
    pseudonym: str
    name: str | None
    changed_ns: int
    inode: int

    @property
    def version(self) -> tuple[str, int, int]:
        """The file as it was read: a later or changed file has another version."""
        return (self.file, self.changed_ns, self.inode)


def answer_file_name(item_id: str, token: str) -> str:
    """A student's answer file for one poll: ``<safe item id>--<token>.json``."""
    return f"{safe_id(item_id)}--{token}.json"


def _shown(name: str) -> str:
    """A file name as one safe plain-text line (control characters and odd bytes escaped)."""
    text = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return text if text.isprintable() and len(text) <= 120 else ascii(text[:120])


def _open(folder: int, name: str) -> tuple[bytes, os.stat_result]:
    """Read a drop box file (no link, a regular file, at most MAX_BYTES); raise ValueError saying why not."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        handle = os.open(name, flags, dir_fd=folder)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise ValueError("it is a link, not a file") from None
        raise ValueError(f"it cannot be opened ({error.strerror})") from None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError("it is not a regular file")
        if info.st_size > MAX_BYTES:
            raise ValueError(f"it is {info.st_size} bytes, more than an answer file's {MAX_BYTES}")
        data = os.read(handle, MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise ValueError(f"it is more than an answer file's {MAX_BYTES} bytes")
        return data, info
    finally:
        os.close(handle)


def _ballot(name: str, token: str, data: bytes, info: os.stat_result, item: PollItem,
            settings: ClassSettings) -> Ballot:  # fmt: skip
    try:
        content = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ValueError("it is not JSON") from None
    if not isinstance(content, dict) or content.get("format") != ANSWER_FORMAT:
        raise ValueError(f"it is not an answer file (format {ANSWER_FORMAT!r})")
    if content.get("item") != item.id:
        raise ValueError("it answers another item than its name says")
    try:
        value = answer_value(item, content.get("answer"))
    except (TypeError, ValueError):
        raise ValueError("its answer is not one of the item's answers") from None
    pseudonym = content.get("pseudonym")
    name_given = content.get("name") if settings.names else None
    if not isinstance(pseudonym, str) or len(pseudonym) > 40 or not pseudonym.isprintable():
        raise ValueError("it has no pseudonym")
    if name_given is not None and (not isinstance(name_given, str) or len(name_given) > 80):
        raise ValueError("its name is not a short text")
    voter = f"uid:{info.st_uid}" if settings.one_answer_per == "account" else f"token:{token}"
    return Ballot(name, voter, value, pseudonym, name_given, info.st_mtime_ns, info.st_ino)


def read_ballots(
    dropbox: Path, item: PollItem, settings: ClassSettings, since_ns: int = 0
) -> tuple[list[Ballot], list[str]]:
    """The acceptable answer files to ``item`` changed at or after ``since_ns``, and a line per bad file.

    Files of other items' polls are left alone without a line, and so are files from before
    ``since_ns`` (an earlier round of the poll) and temporary files being written (names with a dot first).

    Raises:
        OSError: the drop box cannot be listed (not its owner, or missing).
    """
    prefix = safe_id(item.id)
    ballots: list[Ballot] = []
    skipped: list[str] = []
    folder = os.open(dropbox, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        for name in sorted(os.listdir(folder)):
            if name.startswith("."):
                continue
            match = _NAME.fullmatch(name)
            if match is None:
                skipped.append(f"dropbox/{_shown(name)}: skipped: its name is not <item>--<token>.json")
                continue
            if match["item"] != prefix:
                continue
            try:
                data, info = _open(folder, name)
                if info.st_mtime_ns < since_ns:
                    continue
                ballots.append(_ballot(name, match["token"], data, info, item, settings))
            except ValueError as why:
                skipped.append(f"dropbox/{_shown(name)}: skipped: {why}")
    finally:
        os.close(folder)
    return ballots, skipped


def latest(ballots: Iterable[Ballot]) -> list[Ballot]:
    """One ballot per student: the latest by change time (then by file name), in the order of the files."""
    chosen: dict[str, Ballot] = {}
    for ballot in ballots:
        held = chosen.get(ballot.voter)
        if held is None or (ballot.changed_ns, ballot.file) > (held.changed_ns, held.file):
            chosen[ballot.voter] = ballot
    return sorted(chosen.values(), key=lambda b: b.file)


def count(item: PollItem, ballots: Iterable[Ballot]) -> dict[str, int]:
    """How many students gave each answer, numbers sorted.

    Every choice of the item is listed (0 when nobody chose it), unless it has more than
    :data:`LISTED_CHOICES` (an ordering exercise, whose choices are every possible order): then only
    the answers given are.
    """
    counts: dict[str, int] = dict.fromkeys(item.choices if len(item.choices) <= LISTED_CHOICES else (), 0)
    for ballot in ballots:
        for bar in tally(item, ballot.answer):
            counts[bar] = counts.get(bar, 0) + 1
    if item.type == "numeric":
        counts = dict(sorted(counts.items(), key=lambda kv: float(kv[0])))
    return counts
