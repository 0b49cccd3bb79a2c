"""Serving the lessons: a student's own copy in JupyterLab, or one lesson in Voila for the projector.

The lessons ship inside the package (``sarcoma_edu/notebooks`` in an installed copy, ``notebooks/``
in a clone). :func:`copy_lessons` copies them to a folder of the student's choosing and never
replaces a copy the student has edited unless asked (the example quiz banks go along, into
``example_banks/``); :func:`lab_command` and :func:`present_command` build the commands
``sarcoma-edu lab`` and ``sarcoma-edu present`` run, on a port checked by :func:`choose_port`, and
:func:`run_server` runs them so that stopping it (Ctrl+C or SIGTERM) stops the server and its kernels.
On Linux the server is also told to stop when the process that started it dies, even by SIGKILL
(``PR_SET_PDEATHSIG``), so a killed ``sarcoma-edu present`` or ``lab`` leaves nothing holding the port;
and a port still held by a server left running (on another system, or from an older release) is
named with the process holding it and how to stop it (:func:`port_holder`).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import filecmp
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from sarcoma_edu.common import atomic as _atomic
from sarcoma_edu.common import checks as _checks
from sarcoma_edu.display import presentation

__all__ = [
    "BANKS_FOLDER",
    "LAB_PORT",
    "PRESENT_PORT",
    "CopyReport",
    "check_port",
    "choose_port",
    "copy_lessons",
    "example_banks",
    "lab_command",
    "lessons_dir",
    "list_lessons",
    "port_holder",
    "port_note",
    "present_command",
    "present_env",
    "resolve",
    "run_server",
    "url",
]

# the folder, next to the lessons in a student's copy, holding the example quiz banks and their schema
BANKS_FOLDER = "example_banks"
LAB_PORT, PRESENT_PORT = 8888, 8866
_PORTS = (1, 65535)


def lessons_dir() -> Path:
    """The folder holding the lessons: bundled in the package, or ``notebooks/`` of a clone."""
    bundled = Path(str(resources.files("sarcoma_edu") / "notebooks"))
    if bundled.is_dir():
        return bundled
    return Path(__file__).resolve().parents[2] / "notebooks"


def list_lessons(folder: str | Path | None = None) -> list[str]:
    """File names of the numbered lessons, in order (``00_welcome.ipynb`` ...), bundled or in ``folder``."""
    where = lessons_dir() if folder is None else Path(folder).expanduser()
    return sorted(p.name for p in where.glob("[0-9][0-9]_*.ipynb") if p.is_file())


def example_banks() -> list[Path]:
    """The built-in quiz banks and their JSON Schema: the examples copied into ``example_banks/``."""
    from sarcoma_edu.clinical.tables import _datasets_root
    from sarcoma_edu.course.banks import bank_paths

    return [*bank_paths(), Path(str(_datasets_root() / "quiz" / "quiz_bank.schema.json"))]


def resolve(lesson: str, folder: str | Path | None = None) -> Path:
    """Find a notebook: a path to a ``.ipynb`` file, or a lesson by number (``"03"``, ``"3"``), name
    (``"03_staging"``, ``"staging"``) or file name, in ``folder`` (e.g. the copy ``lab --dir`` made)
    or, without ``folder``, among the bundled lessons.

    Raises:
        TypeError: ``lesson`` is not a non-empty string.
        ValueError: no such file, or no lesson or more than one matches, naming the lessons there are.
    """
    where = lessons_dir() if folder is None else Path(folder).expanduser()
    names = list_lessons(where) if where.is_dir() else []
    shown = ", ".join(n.removesuffix(".ipynb") for n in names) or "none"
    allowed = f"a path to a .ipynb file, or a lesson number or name in {where}: {shown}"
    if not isinstance(lesson, str) or not lesson.strip():
        raise TypeError(f"lesson={_checks.show(lesson)} is not a lesson name; expected {allowed}")
    if folder is not None and not where.is_dir():
        raise ValueError(f"folder={str(folder)!r} is not a folder; give the folder 'sarcoma-edu lab --dir' made")
    given = Path(lesson.strip()).expanduser()
    path = where / given if folder is not None and not given.is_absolute() else given
    if path.suffix == ".ipynb" and path.is_file():
        return path.resolve()
    # a path (not a bare lesson name) that is not a notebook file
    if len(given.parts) > 1 or (path.suffix == ".ipynb" and path.exists()):
        what = "is not a .ipynb notebook file" if path.exists() else "no such notebook file"
        raise ValueError(f"lesson={lesson!r}: {what}; expected {allowed}")
    key = lesson.strip().removesuffix(".ipynb").lower()
    if key.isdigit():
        key = f"{int(key):02d}"
    matches = [n for n in names if n.removesuffix(".ipynb") == key or n[:2] == key]
    matches = matches or [n for n in names if key in n.removesuffix(".ipynb")]
    if len(matches) != 1:
        found = "matches none" if not matches else f"matches {len(matches)}"
        raise ValueError(f"lesson={lesson!r} {found} of the lessons; expected {allowed}")
    return where / matches[0]


@dataclass
class CopyReport:
    """What :func:`copy_lessons` did with each lesson."""

    folder: Path
    copied: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """A few lines for the terminal."""
        lines = [f"Lessons folder: {self.folder}"]
        for label, names in (
            ("copied", self.copied),
            ("already up to date", self.unchanged),
            ("replaced with a fresh copy (yours was backed up next to it)", self.replaced),
            ("kept as you edited them", self.kept),
        ):
            if names:
                lines.append(f"  {label}: {', '.join(names)}")
        return "\n".join(lines)


def copy_lessons(folder: str | Path, replace_edited: Callable[[Path], bool] | None = None) -> CopyReport:
    """Copy the lessons into ``folder``, never losing a student's edited copy.

    The example quiz banks and their schema go along into ``example_banks/``, under the same rule.

    Args:
        folder: where to put them (created if missing); not empty.
        replace_edited: called with the path of each file the student has changed; return True to
            replace it with a fresh copy (the edited one is first saved as ``<name>.edited-<n><suffix>``).
            None keeps every edited copy.
    """
    if not isinstance(folder, str | Path):
        raise TypeError(f"folder={_checks.show(folder)} is not a str or pathlib.Path")
    if not str(folder).strip():
        raise ValueError(f"folder={str(folder)!r} is empty; give a folder for the lessons, e.g. ~/sarcoma-edu-lessons")
    target = Path(folder).expanduser()
    if target.exists() and not target.is_dir():
        raise ValueError(f"folder={str(target)!r} is a file, not a folder; choose a folder for the lessons")
    banks = target / BANKS_FOLDER
    if banks.exists() and not banks.is_dir():
        raise ValueError(f"{str(banks)!r} is a file, not a folder; move it so the example banks can be copied")
    banks.mkdir(parents=True, exist_ok=True)
    report = CopyReport(target)
    files = [(lessons_dir() / name, name) for name in list_lessons()]
    files += [(path, f"{BANKS_FOLDER}/{path.name}") for path in example_banks()]
    for source, name in files:
        copy = target / name
        if not copy.exists():
            _atomic.copy_file(source, copy)
            report.copied.append(name)
        elif filecmp.cmp(source, copy, shallow=False) or _same_cells(source, copy):
            report.unchanged.append(name)
        elif replace_edited is not None and replace_edited(copy):
            number = 1
            while (backup := copy.with_name(f"{copy.stem}.edited-{number}{copy.suffix}")).exists():
                number += 1
            _atomic.copy_file(copy, backup)
            _atomic.copy_file(source, copy)  # a failure half-way leaves the student's copy as it was
            report.replaced.append(name)
        else:
            report.kept.append(name)
    return report


def _same_cells(source: Path, copy: Path) -> bool:
    """Whether two notebooks hold the same cells, word for word: a copy that was only run and saved (outputs,
    execution counts, metadata) is not a copy the student edited."""
    if source.suffix != ".ipynb":
        return False

    def cells(path: Path) -> list[tuple[str, str]] | None:
        try:
            notebook = json.loads(path.read_text(encoding="utf-8"))
            return [(c["cell_type"], "".join(c["source"])) for c in notebook["cells"]]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    mine = cells(copy)
    return mine is not None and mine == cells(source)


def _root_flag() -> list[str]:
    return ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []


def check_port(port: object) -> int:
    """``port`` as an int if it is a whole number from 1 to 65535.

    Raises:
        TypeError, ValueError: naming the value and the range allowed.
    """
    number = _checks.whole_number("port", port, "a whole number from 1 to 65535")
    if not _PORTS[0] <= number <= _PORTS[1]:
        raise ValueError(f"port={_checks.show(port)} is out of range; expected a whole number from 1 to 65535")
    return number


def _port_problem(port: int) -> str | None:
    """Why a server could not listen on ``port`` at localhost (IPv4, and IPv6 where there is one), or None."""
    for family, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
        try:
            with socket.socket(family, socket.SOCK_STREAM) as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers (tornado) do
                probe.bind((host, port))
        except OSError as error:
            if family == socket.AF_INET6 and error.errno in (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT):
                continue  # no IPv6 on this machine
            if error.errno in (errno.EACCES, errno.EPERM):
                return "needs administrator rights on this computer (ports below 1024 usually do)"
            return "is in use by another program"
    return None


def port_holder(port: int) -> str | None:
    """Which process listens on ``port``, with how to stop it, e.g. "process 4242 (python -m voila ...); stop it
    with: kill 4242"; None when nothing listens or the system does not say (another user's process).
    """
    try:
        import psutil  # installed with ipykernel, which every kernel needs
    except ImportError:
        return None
    try:
        listening = psutil.net_connections(kind="tcp")
    except (psutil.Error, OSError):
        return None
    pids = sorted({c.pid for c in listening if c.pid and c.status == psutil.CONN_LISTEN and c.laddr.port == port})
    shown = []
    for pid in pids:
        try:
            command = " ".join(" ".join(psutil.Process(pid).cmdline()).split()) or psutil.Process(pid).name()
        except psutil.Error:
            continue
        ours = any(word in command for word in ("voila", "jupyterlab", "jupyter-lab", "jupyter lab", "jupyter_server"))
        command = command if len(command) <= 140 else f"{command[:60]} ... {command[-75:]}"  # the program, the lesson
        left = ", probably a server an earlier 'sarcoma-edu present' or 'lab' left running" if ours else ""
        shown.append(f"process {pid} ({command}){left}; stop it with: kill {pid}")
    return "; ".join(shown) or None


def port_note(default: int, chosen: int) -> str | None:
    """A line naming the process still on ``default`` and how to stop it, when ``chosen`` differs; else None."""
    if chosen == default:
        return None
    holder = port_holder(default)
    return f"Port {default} is in use by {holder}. Using port {chosen} instead." if holder else None


def choose_port(port: object | None, default: int) -> int:
    """The port a server will be told to use, so the address printed is the one served.

    Args:
        port: the port asked for (1-65535), or None for the first free port from ``default`` on.
        default: where to start looking when ``port`` is None.

    Raises:
        ValueError: ``port`` is out of range, in use or not allowed, or no free port was found.
    """
    if port is not None:
        number = check_port(port)
        problem = _port_problem(number)
        if problem:
            holder = port_holder(number) if problem.startswith("is in use") else None
            held = f" ({holder})" if holder else ""
            raise ValueError(f"port={number} {problem}{held}; choose another port (1024-65535) or leave it out")
        return number
    for candidate in range(default, min(default + 50, _PORTS[1] + 1)):
        if _port_problem(candidate) is None:
            return candidate
    raise ValueError(f"no free port from {default} to {default + 49}; choose one with --port")


def url(port: int, path: str = "/") -> str:
    """The address a server started by :func:`lab_command` or :func:`present_command` serves."""
    return f"http://localhost:{check_port(port)}{path}"


def lab_command(folder: Path, port: int | None = None, browser: bool = True) -> list[str]:
    """The command that opens JupyterLab on ``folder`` at the welcome lesson (on exactly ``port``)."""
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}"]
    command += ["--LabApp.default_url=/lab/tree/00_welcome.ipynb", *_root_flag()]
    command += [f"--ServerApp.port={check_port(port)}", "--ServerApp.port_retries=0"] if port is not None else []
    return command + ([] if browser else ["--no-browser"])


def present_command(
    lesson: Path, dark: bool = False, port: int | None = None, browser: bool = True, large_text: bool = False
) -> list[str]:
    """The command that serves one notebook in Voila: outputs only, no code, optionally dark and large.

    The page is the ``sarcoma-edu`` template (Voila's lab page without the Font Awesome style sheets it
    would fetch from a CDN: it works in a room with no internet), or ``sarcoma-edu-large``. Cells run
    with the page already connected (Voila's progressive rendering), so each widget's model reaches
    the page before the widget is drawn: rendered ahead of the connection, a lesson with many widgets
    on a busy computer could show "Error displaying widget: model not found" until reloaded (the
    widget manager waits 2 s for a model while it loads them all from the kernel).

    Run it with the environment :func:`present_env` adds (the theme for figures, the templates' folder).
    """
    command = [sys.executable, "-m", "voila", str(lesson), "--strip_sources=True"]
    command += ["--VoilaConfiguration.progressive_rendering=True"]
    command += ["--theme=dark"] if dark else []
    command += [f"--template={'sarcoma-edu-large' if large_text else 'sarcoma-edu'}"]
    command += [f"--port={check_port(port)}", "--Voila.port_retries=0"] if port is not None else []
    return command + ([] if browser else ["--no-browser"])


def present_env(dark: bool = False, large_text: bool = False) -> dict[str, str]:
    """Environment variables for :func:`present_command`, inherited by the lesson's kernel.

    ``SARCOMA_EDU_PRESENT`` and ``SARCOMA_EDU_THEME`` (and ``SARCOMA_EDU_LARGE_TEXT``) are read by the
    figure builders and the table display (:mod:`sarcoma_edu.display.presentation`); the toolkit's Voila
    templates' folder is put first on ``JUPYTER_PATH``.
    """
    env = {presentation.PRESENT_ENV: "1", presentation.THEME_ENV: "dark" if dark else "light"}
    if large_text:
        env[presentation.LARGE_TEXT_ENV] = "1"
    paths = [str(presentation.template_root()), *filter(None, os.environ.get("JUPYTER_PATH", "").split(os.pathsep))]
    env["JUPYTER_PATH"] = os.pathsep.join(dict.fromkeys(paths))
    return env


def _descendants(pid: int) -> list:
    try:
        import psutil  # installed with ipykernel, which every kernel needs
    except ImportError:
        return []
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []


def _stop(child: subprocess.Popen, how: int, grace: float) -> None:
    """Send ``how`` to the server's process group, wait up to ``grace`` s, then kill what is left."""
    kernels = _descendants(child.pid)  # kernels run in sessions of their own: remember them first
    for sig, wait in ((how, grace), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(child.pid, sig)
        except ProcessLookupError:
            break
        try:
            child.wait(wait)
            break
        except subprocess.TimeoutExpired:
            continue
    for process in kernels:  # the server shuts its kernels down; any it left keep no port open
        try:
            process.terminate()
            process.wait(grace)
        except Exception:  # already gone, or will not stop
            with contextlib.suppress(Exception):  # gone by now
                process.kill()


def _die_with_parent() -> Callable[[], None] | None:
    """A function for the server's child process that asks Linux to send it SIGTERM when its parent dies.

    Prepared in the parent (``preexec_fn`` runs between fork and exec, where loading a library is
    unsafe); None where there is no ``prctl`` (macOS, Windows).
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def preexec() -> None:
        prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before the line above: stop now
            os.kill(os.getpid(), signal.SIGTERM)

    return preexec


def run_server(command: list[str], env: Mapping[str, str] | None = None, grace: float = 15.0) -> int:
    """Run a server command until it ends or this process is stopped; return its exit status.

    The server runs in a process group of its own. Ctrl+C, SIGTERM or SIGHUP sent to this process is
    passed on to that group; this process then waits (up to ``grace`` s, then kills) until the server
    and the kernels it started have ended, so nothing keeps the port. On Linux the server is sent
    SIGTERM when this process dies in any way, even by SIGKILL, and then shuts its kernels down.
    """
    child = subprocess.Popen(
        command, env={**os.environ, **(env or {})}, start_new_session=True, preexec_fn=_die_with_parent()
    )
    stopping: list[int] = []

    def forward(signum: int, _frame: object) -> None:
        stopping.append(signum)
        raise KeyboardInterrupt

    handled = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {sig: signal.signal(sig, forward) for sig in handled}
    try:
        return child.wait()
    except KeyboardInterrupt:
        for sig in handled:  # a second Ctrl+C must not cut the shutdown short and leave the server behind
            signal.signal(sig, signal.SIG_IGN)
        # SIGTERM even for Ctrl+C: the servers then shut their kernels down without asking to confirm
        _stop(child, signal.SIGTERM, grace)
        return 0 if not stopping or stopping[0] == signal.SIGINT else 128 + stopping[0]
    finally:
        if child.poll() is None:
            _stop(child, signal.SIGTERM, grace)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
