"""The instructor's class folder: where open polls are announced and students drop their answers.

``sarcoma-edu class init CLASS_DIR`` (:func:`init_class`) lays it out once::

    CLASS_DIR/          0755  the instructor's
      class.json        0644  {"format": "sarcoma-edu-class", "version": 1, "names": false,
                               "one_answer_per": "account" | "token"}
      polls/            0755  <item>.json per poll: open or closed, and when (no answers)
      dropbox/          3733  students create their own answer file; they cannot list the folder,
                              or remove or replace another's file (the sticky bit, 1000); a file
                              takes the folder's group (setgid, 2000) and is 0640, so only its
                              owner and the instructor's group can read it
      private/          0700  the frozen results of closed polls, the instructor's only

The drop box's group is the instructor's own group: :func:`init_class` warns when other accounts
are in it (they could read the answers), and a drop box without the setgid bit (a file system
that refuses it) gets answer files readable by all (0644), whose names nobody else can learn.

A student's kernel finds the folder through ``$SARCOMA_EDU_CLASS_DIR`` (:func:`class_dir`), which the
hub's configuration sets for every student. ``one_answer_per`` says how students are told apart:
by Unix account (a hub or a computer room where each student logs in as herself; a student cannot
stuff the box by inventing names) or by a private random token (one shared account, or a demo on
one machine).
"""

from __future__ import annotations

import contextlib
import grp
import json
import os
import pwd
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sarcoma_edu.common import atomic as _atomic
from sarcoma_edu.common import checks as _checks

__all__ = [
    "CLASS_FILE",
    "ENV_VAR",
    "FORMAT",
    "MODES",
    "ClassFolderError",
    "ClassSettings",
    "class_dir",
    "class_settings",
    "group_sharers",
    "init_class",
    "safe_id",
    "write_json",
]

ENV_VAR = "SARCOMA_EDU_CLASS_DIR"
FORMAT = "sarcoma-edu-class"
CLASS_FILE = "class.json"
# the folder's parts and their permissions (docs/teaching.md says why each is what it is)
MODES: dict[str, int] = {"": 0o755, "polls": 0o755, "dropbox": 0o3733, "private": 0o700}
_MAX_SETTINGS_BYTES = 4096
_ONE_ANSWER_PER = ("account", "token")


class ClassFolderError(ValueError):
    """A class folder that is missing, not set up, or set up otherwise: the message names it and what to do."""


@dataclass(frozen=True)
class ClassSettings:
    """What ``class.json`` asks: names with the answers or not, and how students are told apart."""

    names: bool = False
    one_answer_per: str = "account"


def class_dir(explicit: str | Path | None = None) -> Path | None:
    """The class folder: ``explicit`` if given, else ``$SARCOMA_EDU_CLASS_DIR``, else None (no class).

    The folder is not checked here: a student's kernel asks :func:`class_settings` when it needs it.
    """
    if explicit is not None:
        if not isinstance(explicit, str | Path) or not str(explicit):
            raise TypeError(f"class_dir={_checks.show(explicit)} is not a folder path; expected a str or Path")
        return Path(explicit).expanduser()
    chosen = os.environ.get(ENV_VAR, "").strip()
    return Path(chosen).expanduser() if chosen else None


def safe_id(item_id: str) -> str:
    """The file-name form of an item id: letters, digits, ``-`` and ``_`` kept, anything else %-encoded.

    ``case:stage-1:t`` is ``case%3Astage-1%3At``; no name starts with a dot or holds a slash.
    """
    return quote(item_id, safe="-_").replace(".", "%2E")


def class_settings(folder: Path) -> ClassSettings:
    """Read ``class.json`` of a class folder.

    Raises:
        ClassFolderError: the folder or its ``class.json`` is missing, unreadable or not a class's.
    """
    shown = repr(str(folder))
    file = Path(folder) / CLASS_FILE
    if not Path(folder).is_dir():
        raise ClassFolderError(f"{shown} does not exist; make it with: sarcoma-edu class init {shown}")
    try:
        with open(file, "rb") as handle:
            data = json.loads(handle.read(_MAX_SETTINGS_BYTES + 1) or b"null")
    except FileNotFoundError:
        raise ClassFolderError(
            f"{shown} is not a class folder: it has no {CLASS_FILE} (make one with: sarcoma-edu class init)"
        ) from None
    except (OSError, ValueError) as error:
        reason = error.strerror if isinstance(error, OSError) else "it is not JSON"
        raise ClassFolderError(f"{shown}: its {CLASS_FILE} cannot be read ({reason})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != 1:
        raise ClassFolderError(
            f"{shown}: its {CLASS_FILE} is not a sarcoma-edu class file (format {FORMAT!r}, version 1)"
        )
    names, per = data.get("names", False), data.get("one_answer_per", "account")
    if not isinstance(names, bool) or per not in _ONE_ANSWER_PER:
        raise ClassFolderError(
            f"{shown}: its {CLASS_FILE} has names={_checks.show(names)}, one_answer_per={_checks.show(per)}; "
            f"expected true or false, and one of {', '.join(_ONE_ANSWER_PER)}"
        )
    return ClassSettings(names=names, one_answer_per=per)


def write_json(path: Path, data: object, *, mode: int) -> None:
    """Write ``data`` as JSON to ``path`` atomically (a temporary file beside it, then a rename) with ``mode``.

    The mode is set before the rename, whatever the umask, so a reader never sees the file with
    other permissions, half-written, or missing.

    Raises:
        OSError: the file could not be written; what was there is unchanged and no temporary file is left.
    """
    content = (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".partial")
    try:
        os.fchmod(handle, mode)
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _settings_json(settings: ClassSettings) -> dict[str, object]:
    return {"format": FORMAT, "version": 1, "names": settings.names, "one_answer_per": settings.one_answer_per}


def _make(folder: Path, part: str) -> str:
    """Create one part of the class folder (if missing) and give it its mode; return a warning or ""."""
    path = folder / part if part else folder
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        raise ClassFolderError(f"{str(path)!r} is in the way: it is not a folder; move it and run class init again")
    path.mkdir(mode=0o700, exist_ok=True)
    os.chmod(path, MODES[part])
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode != MODES[part]:  # e.g. setgid refused by the file system: answer files are then 0644
        return f"Note: {path} is {oct(mode)}, not {oct(MODES[part])}: this file system keeps some permission bits off."
    return ""


def group_sharers(path: Path) -> list[str]:
    """Accounts other than the owner of ``path`` in its group (by membership or as their primary group)."""
    info = path.stat()
    try:
        group = grp.getgrgid(info.st_gid)
    except KeyError:
        return []
    try:
        owner = pwd.getpwuid(info.st_uid).pw_name
    except KeyError:
        owner = ""
    members = set(group.gr_mem) | {user.pw_name for user in pwd.getpwall() if user.pw_gid == info.st_gid}
    return sorted(members - {owner})


def _group_warning(dropbox: Path) -> str:
    others = group_sharers(dropbox)
    if not others:
        return ""
    name = grp.getgrgid(dropbox.stat().st_gid).gr_name
    shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
    return (
        f"Warning: other accounts are in the drop box's group {name!r} ({shown}): they could read the "
        f"answers. Give it a group of your own: chgrp GROUP {dropbox}"
    )


def init_class(path: str | Path, *, names: bool = False, shared_account: bool = False) -> str:
    """Lay out a class folder at ``path`` (see the module) and return the set-up text to print.

    Running it again on a class folder set up the same way repairs the permissions and prints the
    text again; nothing a student dropped is touched.

    Args:
        path: the class folder; its parent must exist.
        names: the answers carry the student's account name (for the instructor's eyes only);
            by default they carry a pseudonym.
        shared_account: students share one Unix account (or it is a demo on one machine): tell
            them apart by a private random token instead of by account.

    Raises:
        ClassFolderError: the parent folder is missing, something else is in the way, or the folder
            is a class folder set up with other settings.
        OutputError: a file or folder could not be written (naming it and why).
    """
    if not isinstance(path, str | Path) or not str(path):
        raise TypeError(f"path={_checks.show(path)} is not a folder path; expected a str or Path")
    names, shared_account = _checks.boolean("names", names), _checks.boolean("shared_account", shared_account)
    folder = Path(path).expanduser().absolute()
    if not folder.parent.is_dir():
        raise ClassFolderError(f"{str(path)!r}: the folder it goes in, {str(folder.parent)!r}, does not exist")
    wanted = ClassSettings(names=names, one_answer_per="token" if shared_account else "account")
    again = (folder / CLASS_FILE).exists()
    if again:
        found = class_settings(folder)
        if found != wanted:
            options = " ".join(
                o for o, on in (("--names", found.names), ("--shared-account", found.one_answer_per == "token")) if on
            )
            raise ClassFolderError(
                f"{str(path)!r} is already a class folder set up with {options or 'no options'}; give the same "
                "options, or a new folder"
            )
    elif folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ClassFolderError(f"{str(path)!r} exists and is not an empty folder; give a new or empty folder")
    try:
        notes = [_make(folder, part) for part in MODES]
        if not again:
            write_json(folder / CLASS_FILE, _settings_json(wanted), mode=0o644)
        os.chmod(folder / CLASS_FILE, 0o644)
    except OSError as error:
        raise _atomic.OutputError(f"could not set up {folder} ({error.strerror or error})") from None
    if wanted.one_answer_per == "account":
        notes.append(_group_warning(folder / "dropbox"))
    return "\n".join([_setup_text(folder, wanted, again), *filter(None, notes)])


def _setup_text(folder: Path, settings: ClassSettings, again: bool) -> str:
    who = (
        "each student is told apart by her Unix account"
        if settings.one_answer_per == "account"
        else "students share one account: each is told apart by a private random token"
    )
    shown = "their account names" if settings.names else "pseudonyms, never names"
    return "\n".join(
        [
            f"Class folder {'checked' if again else 'set up'}: {folder} ({who}; answers carry {shown}).",
            "",
            "On a JupyterHub, add this line to jupyterhub_config.py and restart the hub:",
            f'    c.Spawner.environment["SARCOMA_EDU_CLASS_DIR"] = "{folder}"',
            "The folder must be on a disk every student's server sees, at the same path.",
            *(
                ["Each student's server must run as her own system user (JupyterHub's LocalProcessSpawner)."]
                if settings.one_answer_per == "account"
                else []
            ),
            "",
            "In a computer room with a shared folder, set the variable in every student's session, e.g.",
            f'    export SARCOMA_EDU_CLASS_DIR="{folder}"',
            "For a demo on one machine, start the lessons with the same variable set:",
            f'    SARCOMA_EDU_CLASS_DIR="{folder}" sarcoma-edu lab',
            "",
            "Then open a poll on an item, e.g.:",
            f'    sarcoma-edu poll open "{folder}" ex-03-retro-nodes',
        ]
    )
