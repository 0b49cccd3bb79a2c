"""Running the lesson servers: JupyterLab on a student's copy, or one lesson in Voila for the projector.

:func:`lab_command` and :func:`present_command` build the commands ``sarcoma-edu lab`` and
``sarcoma-edu present`` run (on a port from :mod:`sarcoma_edu.serve.ports`), and :func:`run_server`
runs them so that stopping it (Ctrl+C or SIGTERM) stops the server and its kernels. On Linux the
server is also told to stop when the process that started it dies, even by SIGKILL
(``PR_SET_PDEATHSIG``), so a killed ``sarcoma-edu present`` or ``lab`` leaves nothing holding the port.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NoReturn

from sarcoma_edu.display import presentation
from sarcoma_edu.serve.ports import check_port

__all__ = ["exec_with_parent", "lab_command", "present_command", "present_env", "run_server"]


def _root_flag() -> list[str]:
    return ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []


def lab_command(
    folder: Path, port: int | None = None, browser: bool = True, workspaces: Path | None = None
) -> list[str]:
    """The command that opens JupyterLab on ``folder`` at the welcome lesson (on exactly ``port``).

    With ``workspaces`` JupyterLab keeps its workspaces (the tabs it reopens at the next start) in that
    folder instead of the user's settings: given a new empty folder, it opens only the welcome lesson,
    not every lesson left open last time with a kernel each.
    """
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}"]
    command += ["--LabApp.default_url=/lab/tree/00_welcome.ipynb", *_root_flag()]
    command += [f"--LabApp.workspaces_dir={workspaces}"] if workspaces is not None else []
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


def _prctl() -> Callable[..., int] | None:
    """Linux's ``prctl``, or None where there is none (macOS, Windows)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


def _stop_when_parent_dies(prctl: Callable[..., int], parent: int) -> None:
    """Ask Linux to send this process SIGTERM when its parent ``parent`` dies (kept across ``exec``)."""
    prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the line above: stop now
        os.kill(os.getpid(), signal.SIGTERM)


def _die_with_parent() -> Callable[[], None] | None:
    """A function for the server's child process that asks Linux to send it SIGTERM when its parent dies.

    Prepared in the parent (``preexec_fn`` runs between fork and exec, where loading a library is
    unsafe); None where there is no ``prctl`` (macOS, Windows).
    """
    prctl, parent = _prctl(), os.getpid()
    return None if prctl is None else lambda: _stop_when_parent_dies(prctl, parent)


def exec_with_parent(command: list[str], env: Mapping[str, str] | None = None) -> NoReturn:
    """Become ``command`` (``exec``, keeping this process id), which Linux stops with SIGTERM when this process's
    parent dies, even by SIGKILL (``make lab``: JupyterLab ends with the ``make`` that started it).

    Elsewhere than Linux the command simply runs in this process's place.
    """
    prctl = _prctl()
    if prctl is not None:
        _stop_when_parent_dies(prctl, os.getppid())
    os.execvpe(command[0], command, {**os.environ, **(env or {})})


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
