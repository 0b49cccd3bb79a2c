"""Writing a file so that a failure never empties what was there: a temporary file, then a rename.

Every report, export and copied bank or lesson the toolkit writes goes through :func:`write_file`
or :func:`copy_file`. The new content is written to a temporary file in the same folder, flushed
to the disk (``fsync``), and only then renamed over the target, which is atomic on one file
system: a reader sees the old file or the new one, never half of one, and a full disk, a
permission error or a crash half-way leaves the old file exactly as it was (the temporary file is
removed). A link is followed, so the file it names is replaced and the link stays.

``private=True`` (exports and class reports: they hold students' answers and names) creates the
file readable and writable by its owner only (mode 0600), whatever was there before; otherwise the
file gets the usual permissions (0666 less the user's umask).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from pathlib import Path

__all__ = ["OutputError", "copy_file", "write_file"]

_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
}


class OutputError(OSError):
    """A file could not be written; the message names it and says why. What was there is unchanged."""


def _umask() -> int:
    """The user's umask, read without changing it where the system says it (Linux), else set back at once."""
    with contextlib.suppress(OSError, ValueError, StopIteration), open("/proc/self/status", encoding="ascii") as status:
        return int(next(line for line in status if line.startswith("Umask:")).split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _target(path: str | Path) -> tuple[Path, Path]:
    """(the path as given, the file it names once links are followed); refuse what is not a regular file."""
    shown = Path(path).expanduser()
    real = Path(os.path.realpath(shown))
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise OutputError(f"could not write {shown} ({error.strerror or error})") from None
    if mode is not None and not stat.S_ISREG(mode):
        kind = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
        raise OutputError(f"could not write {shown}: it is {kind}, not a file; give the name of a file")
    if not real.parent.is_dir():
        raise OutputError(f"could not write {shown}: the folder {str(shown.parent)!r} does not exist")
    return shown, real


def _replace(shown: Path, real: Path, private: bool, fill) -> Path:
    """Create a temporary file next to ``real``, let ``fill(handle)`` write it, then rename it over ``real``."""
    try:
        handle, temporary = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}.", suffix=".partial")
    except OSError as error:
        raise OutputError(f"could not write {shown} ({error.strerror or error}); nothing was changed") from None
    try:
        os.fchmod(handle, 0o600 if private else 0o666 & ~_umask())
        with os.fdopen(handle, "wb") as out:
            fill(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, real)
    except OutputError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        was = "it was left as it was" if real.exists() else "nothing was written"
        raise OutputError(f"could not write {shown} ({error.strerror or error}); {was}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    with contextlib.suppress(OSError):  # the rename itself reaches the disk (not every system allows this)
        folder = os.open(real.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
    return shown


def write_file(path: str | Path, data: str | bytes, *, private: bool = False) -> Path:
    """Replace the file at ``path`` with ``data`` (text is written as UTF-8) atomically; return ``path``.

    Args:
        path: the file to write; a link is followed.
        data: the whole new content.
        private: create the file readable by its owner only (0600).

    Raises:
        OutputError: the file could not be written (naming it and why); what was there is unchanged.
        UnicodeEncodeError: ``data`` holds text that is not valid Unicode; nothing was written.
    """
    content = data.encode("utf-8") if isinstance(data, str) else data
    shown, real = _target(path)
    return _replace(shown, real, private, lambda out: out.write(content))


def copy_file(source: str | Path, path: str | Path, *, private: bool = False) -> Path:
    """Replace the file at ``path`` with a copy of ``source`` atomically; return ``path``.

    Raises:
        OutputError: ``source`` could not be read or ``path`` written; what was at ``path`` is unchanged.
    """
    shown, real = _target(path)

    def fill(out) -> None:
        try:
            with open(source, "rb") as given:
                shutil.copyfileobj(given, out)
        except OSError as error:
            raise OutputError(f"could not read {source} ({error.strerror or error})") from None

    return _replace(shown, real, private, fill)
