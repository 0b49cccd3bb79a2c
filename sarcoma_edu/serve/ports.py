"""Ports for the lesson servers: a port checked, the first free one chosen, and who holds a busy one.

:func:`choose_port` picks the port a server is told to use, so the address printed is the one
served. A port still held by a server left running (on another system, or from an older release) is
named with the process holding it and how to stop it (:func:`port_holder`, :func:`port_note`).
"""

from __future__ import annotations

import errno
import socket

from sarcoma_edu.common import checks as _checks

__all__ = ["LAB_PORT", "PRESENT_PORT", "check_port", "choose_port", "port_holder", "port_note", "port_problem", "url"]

LAB_PORT, PRESENT_PORT = 8888, 8866
_PORTS = (1, 65535)


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


def port_problem(port: int) -> str | None:
    """Why a server could not listen on ``port``, naming the process that holds it and how to stop it, e.g. "is in
    use by another program (process 4242 (...); stop it with: kill 4242)"; None when the port is free."""
    problem = _port_problem(check_port(port))
    holder = port_holder(port) if problem and problem.startswith("is in use") else None
    return f"{problem} ({holder})" if holder else problem


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
        problem = port_problem(number)
        if problem:
            allowed = "1-65535; below 1024 usually needs administrator rights"
            raise ValueError(f"port={number} {problem}; choose another port ({allowed}) or leave it out")
        return number
    for candidate in range(default, min(default + 50, _PORTS[1] + 1)):
        if _port_problem(candidate) is None:
            return candidate
    raise ValueError(f"no free port from {default} to {default + 49}; choose one with --port")


def url(port: int, path: str = "/") -> str:
    """The address a server serves that :mod:`sarcoma_edu.serve.servers` started on ``port``."""
    return f"http://localhost:{check_port(port)}{path}"
