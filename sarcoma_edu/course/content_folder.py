"""The instructor's content folder: where it is, and which of its files are questions, exercises and cases.

An instructor keeps her own questions, exercises and cases in one folder laid out like ``datasets/``::

    my-course-content/
      quiz/*.json        question banks (the quiz bank format, jupyterquiz-compatible)
      exercises/*.json   in-lesson exercises (the exercise format)
      cases/*.json       tumour board cases (one patient per file)

Any sub-folder may be missing. The folder is named by ``--content DIR`` on the command line (or a
widget's ``content=`` argument), else by the environment variable ``SARCOMA_EDU_CONTENT`` (set once
on a hub for every student), else there is none. Files whose name starts with a dot, and
``*.schema.json``, are not content. :mod:`sarcoma_edu.course.items` loads them beside the built-in
content; this module only finds them.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sarcoma_edu.common import checks as _checks

__all__ = ["CONTENT_VARIABLE", "KINDS", "ContentFolderError", "content_files", "content_folder"]

CONTENT_VARIABLE = "SARCOMA_EDU_CONTENT"
KINDS: tuple[str, ...] = ("quiz", "exercises", "cases")
_LAYOUT = "a folder holding quiz/, exercises/ and cases/ (any of them), each of .json files"


class ContentFolderError(ValueError):
    """A content folder that cannot be used: the message names the option or variable, the path and why."""


def _said(name: str, given: str) -> str:
    """How the folder was named, as written: ``--content '/x'``, ``$SARCOMA_EDU_CONTENT '/x'`` or ``content='/x'``.

    A path of thousands of characters is shortened to its start and end, so the message stays readable.
    """
    shown = _checks.show(given)
    return f"{name} {shown}" if name.startswith(("-", "$")) else f"{name}={shown}"


def _named(explicit: str | Path | None, option: str) -> tuple[str, str] | None:
    """(what named the folder, the path as given), or None when nothing names one."""
    if explicit is not None:
        if not isinstance(explicit, str | Path):
            raise TypeError(f"{option}={_checks.show(explicit)} is not a folder path; expected {_LAYOUT}")
        if str(explicit).strip():
            return option, str(explicit)
        raise ContentFolderError(f"{_said(option, str(explicit))} is empty; give the path of {_LAYOUT}")
    value = os.environ.get(CONTENT_VARIABLE, "")
    return (f"${CONTENT_VARIABLE}", value) if value.strip() else None


def _usable(folder: Path, said: str) -> None:
    """Raise :class:`ContentFolderError` (starting with ``said``) unless ``folder`` is a folder we can list."""
    try:
        info = folder.stat()
    except FileNotFoundError:
        raise ContentFolderError(f"{said}: no such folder; expected {_LAYOUT}") from None
    except OSError as error:
        raise ContentFolderError(f"{said}: cannot be read ({error.strerror or error})") from None
    if not stat.S_ISDIR(info.st_mode):
        raise ContentFolderError(f"{said} is a file, not a folder; expected {_LAYOUT}")
    if not os.access(folder, os.R_OK | os.X_OK):
        raise ContentFolderError(f"{said}: the folder cannot be read (permission denied)")


def content_folder(explicit: str | Path | None = None, *, option: str = "--content") -> Path | None:
    """The instructor's content folder: ``explicit`` (``--content DIR``) wins, else ``$SARCOMA_EDU_CONTENT``, else None.

    Args:
        explicit: the folder given on the command line or to a function; None to read the variable.
        option: how ``explicit`` was given, named in an error: ``"--content"`` (``--content '/x': ...``),
            or a function's argument such as ``"content"`` (``content='/x': ...``).

    Returns:
        The folder as an absolute path (``~`` expanded), or None when neither names one (an empty
        variable names none).

    Raises:
        ContentFolderError: the folder named does not exist, is a file, or cannot be read; the
            message names the option or the variable and the path.
        TypeError: ``explicit`` is not a path.
    """
    named = _named(explicit, option)
    if named is None:
        return None
    folder = Path(os.path.abspath(Path(named[1]).expanduser()))
    _usable(folder, _said(*named))
    return folder


def content_files(kind: str, content: str | Path | None = None) -> list[Path]:
    """The instructor's files of one kind (``"quiz"``, ``"exercises"`` or ``"cases"``), sorted by name.

    Args:
        kind: which sub-folder.
        content: the content folder; None for :func:`content_folder` (``$SARCOMA_EDU_CONTENT``).

    Returns:
        Every ``<folder>/<kind>/*.json`` (not ``*.schema.json``, not hidden files); [] without a
        folder or without that sub-folder.

    Raises:
        ContentFolderError: a folder that cannot be used, or a ``<kind>`` that is a file or cannot be read.
        ValueError: an unknown kind.
    """
    kind = _checks.choice("kind", kind, KINDS)
    folder = content_folder(content)
    if folder is None:
        return []
    sub = folder / kind
    if not sub.exists() and not sub.is_symlink():
        return []
    _usable(sub, f"the content folder's {kind}/ ({str(sub)!r})")
    try:
        names = sorted(os.listdir(sub))
    except OSError as error:
        raise ContentFolderError(f"{sub}: cannot be read ({error.strerror or error})") from None
    return [sub / n for n in names if n.endswith(".json") and not n.endswith(".schema.json") and not n.startswith(".")]
