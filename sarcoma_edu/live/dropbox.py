"""The student's side of a poll: her answer, once recorded in her progress, also goes to the class's drop box.

Nothing new for her to do. When ``$SARCOMA_EDU_CLASS_DIR`` names a class folder and its
``polls/<item>.json`` says a poll is open on the item she just answered, :func:`drop_answer` writes
``dropbox/<safe item id>--<token>.json``: a temporary file in the drop box, then a rename over her
own file, so the instructor reads either her old answer or her new one, never half of one, and a
changed answer replaces hers. The file takes the drop box's group, the instructor's (the setgid
bit of the folder), and is 0640: her classmates can neither read it nor find it, since the drop
box cannot be listed and the name holds her token. (On a file system that keeps the setgid bit
off, the file is 0644, so that the instructor can read it; its name still cannot be learnt.)

``<token>`` is a random 128-bit value kept in ``class-token`` beside her progress file (the folder
of ``$SARCOMA_EDU_PROGRESS``, by default ``~/.sarcoma_edu``), readable by her only (0600), so a
classmate can neither guess her file's name nor take it first. Her answer carries a pseudonym
made from the token (``Student 7F3A9C``), which says nothing of her name; her account name goes
with it only when the class asks for names (``class.json``).

A drop that fails never touches what she saved: :func:`drop_answer` returns a :class:`Dropped`
whose ``note`` says in one line what went wrong. Without a class folder, or with no poll open on
the item, it returns None and nothing at all happens.
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import hmac
import os
import re
import secrets
import stat
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sarcoma_edu.live.answers import answer_value
from sarcoma_edu.live.ballots import ANSWER_FORMAT, answer_file_name
from sarcoma_edu.live.classfolder import class_dir as _class_dir
from sarcoma_edu.live.classfolder import class_settings, write_json
from sarcoma_edu.live.polls import poll_state
from sarcoma_edu.progress.files import make_private_folder
from sarcoma_edu.progress.store import default_path

__all__ = ["TOKEN_FILE", "Dropped", "drop_answer", "pseudonym", "student_token"]

TOKEN_FILE = "class-token"
_TOKEN = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class Dropped:
    """What became of an answer sent to a class poll.

    Attributes:
        item: the item's id.
        pseudonym: how the instructor's files name her (``Student 7F3A9C``), or "" when the drop failed.
        file: her answer file in the drop box, or None when the drop failed.
        note: "" when the answer went to the class; else one line saying why it did not.
    """

    item: str
    pseudonym: str = ""
    file: Path | None = None
    note: str = ""

    @property
    def ok(self) -> bool:
        """True when the answer is in the drop box."""
        return not self.note

    def describe(self) -> str:
        """One line for the student: where her answer went, or why it did not go (her own save is unaffected)."""
        if self.ok:
            return f"Your answer also went to the class poll, as {self.pseudonym}."
        return f"Your answer is saved, but it did not reach the class poll: {self.note}"


def _read_token(file: Path) -> str | None:
    try:
        with open(file, encoding="ascii") as handle:
            text = handle.read(64).strip()
    except (OSError, ValueError):
        return None
    return text if _TOKEN.fullmatch(text) else None


def student_token(folder: Path | None = None) -> str:
    """The student's private poll token (32 hex digits), made once and kept 0600 in ``folder``.

    ``folder`` defaults to the folder of her progress file. Two kernels making it at once agree on
    one token: it is written to a temporary file and linked into place only if no token is there.

    Raises:
        OSError: the token cannot be read or written.
    """
    folder = default_path().parent if folder is None else Path(folder)
    file = folder / TOKEN_FILE
    found = _read_token(file)
    if found is not None:
        return found
    make_private_folder(folder)
    token = secrets.token_hex(16)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{TOKEN_FILE}.")
    try:
        os.fchmod(handle, 0o600)
        with os.fdopen(handle, "w", encoding="ascii") as out:
            out.write(token + "\n")
        try:
            os.link(temporary, file)
        except FileExistsError:
            found = _read_token(file)
            if found is not None:
                return found
            os.replace(temporary, file)  # a damaged token file: this one takes its place
            return token
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    return token


def pseudonym(token: str) -> str:
    """The name her answers carry: ``Student`` and six hex digits drawn from her token (it reveals no name)."""
    return (
        "Student "
        + hmac.new(token.encode("ascii"), b"sarcoma-edu poll pseudonym", hashlib.sha256).hexdigest()[:6].upper()
    )


def _account_name() -> str:
    with contextlib.suppress(Exception):
        return os.environ.get("JUPYTERHUB_USER") or getpass.getuser()
    return ""


def drop_answer(
    item_id: str, answer: object, *, class_dir: str | Path | None = None, token_folder: str | Path | None = None
) -> Dropped | None:
    """Send an answer she has just given to the class poll on ``item_id``, if one is open.

    Args:
        item_id: the item answered (bank question, exercise, case step or generated question).
        answer: the answer as recorded in her progress: a text, a list of texts or a number
            (an ordering exercise's items in order).
        class_dir: the class folder; None uses ``$SARCOMA_EDU_CLASS_DIR``.
        token_folder: where her token is kept; None uses her progress folder.

    Returns:
        None when there is no class folder (none named, or the folder does not exist) or no poll is
        open on the item; otherwise a :class:`Dropped` (its ``note`` says why a drop failed). It
        never raises for a failed drop.
    """
    folder = _class_dir(class_dir)
    if folder is None or not folder.is_dir():
        return None
    try:
        state = poll_state(folder, item_id)
        if not state.open:
            return None
        settings = class_settings(folder)
        value = answer_value(state.poll_item, answer)
        token = student_token(None if token_folder is None else Path(token_folder))
        shown = pseudonym(token)
        content: dict[str, object] = {
            "format": ANSWER_FORMAT,
            "item": item_id,
            "answer": value,
            "pseudonym": shown,
            "answered_at": datetime.now(UTC).isoformat(timespec="milliseconds"),
        }
        if settings.names:
            content["name"] = _account_name()
        dropbox = folder / "dropbox"
        file = dropbox / answer_file_name(item_id, token)
        write_json(file, content, mode=0o640 if dropbox.stat().st_mode & stat.S_ISGID else 0o644)
    except OSError as error:
        return Dropped(item_id, note=f"{error.strerror or error} ({error.filename or folder})")
    except Exception as error:  # a drop must never cost the local save or show a traceback
        return Dropped(item_id, note=str(error) or type(error).__name__)
    return Dropped(item_id, shown, file)
