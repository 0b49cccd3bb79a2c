"""The progress file itself: what a path is, whether it can be written, and moving a broken file aside.

:class:`~sarcoma_edu.progress.store.ProgressStore` uses these before and after it talks to SQLite, so that
only a regular file SQLite has proved broken is ever renamed, and only once.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path

from sarcoma_edu.common import checks as _checks

__all__ = [
    "DEFAULT_TIMEOUT",
    "TIMEOUT_ENV_VAR",
    "ProgressBusyError",
    "ProgressReadOnlyError",
    "ProgressStorageError",
    "ProgressWarning",
]

TIMEOUT_ENV_VAR = "SARCOMA_EDU_PROGRESS_TIMEOUT"
DEFAULT_TIMEOUT = 10.0
MAX_ENV_TIMEOUT = 3600.0  # seconds: the most $SARCOMA_EDU_PROGRESS_TIMEOUT may ask a student to wait
_SECONDS = re.compile(r"[0-9]+(?:\.[0-9]+)?")
CHOOSE = (
    "choose another file with the environment variable SARCOMA_EDU_PROGRESS or the path argument, "
    "e.g. ProgressStore('~/.sarcoma_edu/progress.sqlite3')"
)
_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
}
_STALE_LOCK_SECONDS = 60.0


class ProgressWarning(UserWarning):
    """The progress file could not be used as it was; the warning says what was done instead."""


class ProgressStorageError(OSError):
    """The progress file could not be used just now; nothing was moved, and the message says why."""


class ProgressBusyError(ProgressStorageError):
    """Another program held the progress file locked for longer than the store's timeout."""


class ProgressReadOnlyError(ProgressStorageError):
    """The progress file or its folder is read-only, so new answers cannot be saved."""


def _path_mode(path: Path) -> int | None:
    """The file type and permission bits of what ``path`` points at (links followed), None if nothing."""
    try:
        return os.stat(path).st_mode
    except FileNotFoundError:
        return None


def _can_write(path: Path) -> bool:
    """Whether this user may write to ``path`` (a file, or a folder to create files in)."""
    return os.access(path, os.W_OK)


def identity(path: Path) -> tuple[int, int] | None:
    """The (device, inode) of the file at ``path``, or None: which file it is, whatever its name."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return (info.st_dev, info.st_ino)


def busy_timeout(value: float | None) -> float:
    """The busy timeout in seconds: ``value``, else ``$SARCOMA_EDU_PROGRESS_TIMEOUT``, else 10.

    The variable is read as seconds written with the digits 0-9 (``30``, ``2.5``), from over 0 to
    :data:`MAX_ENV_TIMEOUT`; any other value is named in a warning and the default is used, so a
    mistyped setting never stops a student's answers from being saved.

    Raises:
        ValueError: ``value`` is not a number of seconds greater than 0.
    """
    name = "timeout"
    if value is None:
        return _timeout_from_environment()
    seconds = _checks.real_number(name, value, "a number of seconds greater than 0, e.g. 10")
    if seconds <= 0:
        raise ValueError(f"{name}={_checks.show(value)} is not allowed; expected a number of seconds greater than 0")
    return seconds


def _timeout_from_environment() -> float:
    text = os.environ.get(TIMEOUT_ENV_VAR, "").strip()
    if not text:
        return DEFAULT_TIMEOUT
    if _SECONDS.fullmatch(text) and 0 < float(text) <= MAX_ENV_TIMEOUT:
        return float(text)
    shown = text if len(text) <= 40 else text[:37] + "..."
    warnings.warn(
        f"{TIMEOUT_ENV_VAR}={shown!r} is not allowed; expected seconds written with the digits 0-9, over 0 and up to "
        f"{MAX_ENV_TIMEOUT:g} (e.g. 30). Waiting the default {DEFAULT_TIMEOUT:g} s for a busy progress file instead.",
        stacklevel=4,
    )
    return DEFAULT_TIMEOUT


def make_private_folder(folder: Path) -> None:
    """Create ``folder`` and any missing parents private to their owner (0700); an existing one is left as it is.

    A folder that cannot be created (a read-only parent) is left for :func:`read_only_reason` to explain.
    """
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    for path in reversed(missing):
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            continue  # made by another process meanwhile
        except OSError:
            return


def create_private(file: Path) -> None:
    """Create an empty file readable and writable by its owner only (0600), if nothing is there yet.

    SQLite itself would create the progress file readable by everyone (0644); an empty file is an
    empty database to it, and its journal takes the file's permissions.
    """
    with contextlib.suppress(OSError):  # there already (another process made it), or a read-only folder
        os.close(os.open(file, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def cannot_create(file: Path) -> str | None:
    """Why a missing ``file`` cannot be created (e.g. "Read-only file system"), or None (it exists, or it can be)."""
    if file.exists():
        return None
    try:
        os.close(os.open(file, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        return None
    except OSError as error:
        return f"it cannot be created: {error.strerror or error}"
    return None  # created now, empty and private: an empty file is a fresh progress file


def not_a_file(path: Path) -> str | None:
    """What ``path`` is when it exists and is not a regular file ("a folder", ...), else None."""
    try:
        mode = _path_mode(path)
    except OSError:
        return None
    if mode is None or stat.S_ISREG(mode):
        return None
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def being_moved(file: Path) -> bool:
    """Whether another process is moving a broken progress file aside right now (or has just done so)."""
    return file.with_name(file.name + ".moving").exists() or not file.exists()


def is_sqlite_database(path: Path) -> bool:
    """Whether ``path`` is a regular file that begins with SQLite's header (a progress file or any other database)."""
    if not os.path.isfile(path):  # a FIFO would block the open
        return False
    try:
        with open(path, "rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def export_target(path: object, file: Path, shown: Path) -> Path:
    """``path`` as the file an export may be written to: never the progress ``file`` itself, its journal, or any
    SQLite database (a moved-aside copy, say), which the export would replace.

    Raises:
        TypeError: ``path`` is not a file path.
        ValueError: ``path`` is the progress file, its journal or a SQLite database; nothing is written.
    """
    if not isinstance(path, str | Path) or not str(path).strip():
        raise TypeError(f"path={_checks.show(path)} is not a file path; give a new file, e.g. 'my-progress.json'")
    target = Path(path).expanduser()
    sides = {str(file) + suffix for suffix in ("-journal", "-wal", "-shm")}  # SQLite's files beside it
    real = os.path.realpath(target)
    if real == str(file) or real in sides or (target.exists() and identity(target) == identity(file)):
        what = f"SQLite's journal of the progress file ({Path(real).name})" if real in sides else "the progress file"
        raise ValueError(
            f"path={str(path)!r} is {what} itself; an export is a new file next to it, e.g. "
            f"{str(shown.with_name('my-progress.json'))!r}; nothing was written"
        )
    if is_sqlite_database(target):
        raise ValueError(
            f"path={str(path)!r} is a SQLite database (a progress file or a copy of one); an export would replace "
            "it: give the name of a new .json or .csv file; nothing was written"
        )
    return target


def refuse_what_is_not_a_file(path: Path) -> None:
    """Raise unless ``path`` is missing or (through any links) a regular file; nothing is touched.

    Raises:
        ValueError: a folder, FIFO, socket, device, or a link to none of them or to nothing.
        ProgressStorageError: the path cannot be looked at (e.g. a folder on it may not be entered).
    """
    shown = f"path={str(path)!r}"
    try:
        mode = _path_mode(path)
    except NotADirectoryError:
        raise ValueError(f"{shown}: a folder on this path is a file; {CHOOSE}") from None
    except OSError as error:
        raise ProgressStorageError(f"{shown} cannot be reached ({error.strerror}); {CHOOSE}") from None
    if mode is None:
        if path.is_symlink():
            target = os.readlink(path)
            raise ValueError(f"{shown} is a link to {target!r}, which does not exist; nothing was changed; {CHOOSE}")
        return
    if not stat.S_ISREG(mode):
        kind = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
        link = " (through a link)" if path.is_symlink() else ""
        raise ValueError(f"{shown} is {kind}{link}, not a progress file; nothing was changed; {CHOOSE}")


def read_only_reason(file: Path, shown: Path) -> str | None:
    """Why ``file`` cannot be written or created (it or its folder is read-only), or None."""
    if file.exists():
        if not _can_write(file):
            return f"the progress file {shown} is read-only"
        if not _can_write(file.parent):  # SQLite writes its journal next to the file
            return f"the folder of the progress file {shown} is read-only"
        return None
    folder = next((p for p in (file.parent, *file.parent.parents) if p.exists()), None)
    if folder is None or not _can_write(folder):
        return f"the folder {folder} is read-only, so the progress file {shown} cannot be created"
    return None


def move_aside(
    file: Path, shown: Path, proved: tuple[int, int] | None, error: Exception, timeout: float
) -> Path | None:
    """Rename the file SQLite proved broken, once, and warn; return where it is now.

    Several processes may find the same broken file at once. Each holds the (device, inode) of the
    file it checked; one at a time (a lock file created with ``O_EXCL``) each renames the file only
    if it is still that very file, so a fresh store another process has just started is never moved.
    The others find the copy by its inode.
    """
    lock = file.with_name(file.name + ".moving")
    deadline = time.monotonic() + timeout + _STALE_LOCK_SECONDS
    while True:
        try:
            handle = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            break
        except FileExistsError:
            with contextlib.suppress(OSError):
                if time.time() - os.stat(lock).st_mtime > _STALE_LOCK_SECONDS:
                    os.unlink(lock)  # left by a process that stopped half-way
            if time.monotonic() > deadline:
                raise ProgressBusyError(f"the progress file is in use by another program ({lock}); try again") from None
            time.sleep(0.02)
        except OSError as failure:
            raise ProgressReadOnlyError(
                f"the progress file {shown} cannot be read ({error}) and cannot be moved aside "
                f"({failure.strerror}); it was left unchanged; {CHOOSE}"
            ) from None
    try:
        if proved is not None and identity(file) == proved:
            target: Path | None = _free_name(file)
            # its journal first: once the file itself is renamed, a fresh store may start a journal here
            for suffix in ("-journal", "-wal", "-shm"):
                side = file.with_name(file.name + suffix)
                if side.exists():
                    os.rename(side, target.with_name(target.name + suffix))
            os.rename(file, target)
            done = f"It was kept, unchanged, as {target}"
        else:  # another process moved it first: find its copy
            target = next(
                (p for p in sorted(file.parent.glob(f"{file.name}.corrupt-*")) if identity(p) == proved), None
            )
            done = "Another program had already moved it aside" + (f", unchanged, as {target}" if target else "")
    finally:
        os.close(handle)
        os.unlink(lock)
    warnings.warn(
        f"The quiz progress file {shown} could not be read ({error}). {done}, and a fresh progress file was "
        f"started at {shown}. Bring its answers back with: "
        f"sarcoma-edu progress recover {target or (str(file) + '.corrupt-<time>')}",
        ProgressWarning,
        stacklevel=5,
    )
    return target


def _free_name(file: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = file.with_name(f"{file.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        target = file.with_name(f"{file.name}.corrupt-{stamp}-{n}")
        n += 1
    return target
