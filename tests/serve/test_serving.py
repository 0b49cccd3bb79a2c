"""Stopping `sarcoma-edu present` or `lab` stops the server and its kernels: nothing keeps the port.

Each test starts real processes on a free localhost port, sends SIGTERM to the `sarcoma-edu`
process (as a service manager or `kill` does) and checks that the server, its kernels and the port
are all gone. Every Jupyter file (runtime, config, data) is kept in the test's temporary folder.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest

from sarcoma_edu.serve import ports, servers

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals are needed")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _env(tmp_path: Path) -> dict[str, str]:
    """The environment for a server whose Jupyter files all stay in ``tmp_path``."""
    homes = {
        "JUPYTER_RUNTIME_DIR": "runtime",
        "JUPYTER_CONFIG_DIR": "config",
        "JUPYTER_DATA_DIR": "data",
        "JUPYTERLAB_SETTINGS_DIR": "settings",
        "JUPYTERLAB_WORKSPACES_DIR": "workspaces",
        "IPYTHONDIR": "ipython",
        "SARCOMA_EDU_PROGRESS": "progress.sqlite3",
    }
    return {**os.environ, **{k: str(tmp_path / v) for k, v in homes.items()}, "PYTHONUNBUFFERED": "1"}


def _wait_for_line(process: subprocess.Popen, words: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if words in line:
            return line
        if not line and process.poll() is not None:
            break
    raise AssertionError(f"{words!r} was not printed; the command ended with {process.poll()}")


def _get(url: str, seconds: float = 90, headers: dict[str, str] | None = None) -> str:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=60) as reply:
                return reply.read().decode("utf-8", "replace")
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def _kernels(pid: int) -> list[psutil.Process]:
    """The kernels among the server's descendants (a short-lived child that has just ended is passed over)."""
    found = []
    for child in psutil.Process(pid).children(recursive=True):
        try:
            command = " ".join(child.cmdline())
        except (psutil.NoSuchProcess, psutil.ZombieProcess):  # it ended between the listing and the look
            continue
        if "ipykernel" in command:
            found.append(child)
    return found


def _stop_and_check(process: subprocess.Popen, port: int, others: list[psutil.Process]) -> None:
    """SIGTERM the sarcoma-edu process; it ends within 30 s, and so do the others, and the port is free."""
    process.send_signal(signal.SIGTERM)
    try:
        assert process.wait(30) == 128 + signal.SIGTERM
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    _gone, alive = psutil.wait_procs(others, timeout=10)
    assert alive == [], f"still running after SIGTERM: {[p.cmdline() for p in alive]}"
    assert _port_is_free(port)


def _cli(args: list[str], tmp_path: Path, **env: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "sarcoma_edu", *args, "--no-browser"]
    return subprocess.Popen(
        command, cwd=tmp_path, env={**_env(tmp_path), **env}, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip


def test_sigterm_to_present_stops_voila_and_its_kernel_and_frees_the_port(tmp_path):
    """`sarcoma-edu present 00` serves at the URL it prints; SIGTERM ends Voila and the lesson's kernel."""
    port = _free_port()
    process = _cli(["present", "00", "--port", str(port)], tmp_path)
    try:
        line = _wait_for_line(process, "Presenting 00_welcome.ipynb at")
        url = line.split(" at ", 1)[1].split()[0]
        assert url == f"http://localhost:{port}/"
        page = _get(url)  # Voila runs the lesson in a kernel of its own for this page
        assert "Welcome to sarcoma-edu" in page
        kernels = _kernels(process.pid)
        assert kernels, "Voila started no kernel for the page"
        server = psutil.Process(process.pid).children()
    except BaseException:
        os.killpg(process.pid, signal.SIGKILL)
        raise
    _stop_and_check(process, port, kernels + server)


def test_sigterm_to_lab_stops_jupyterlab_and_its_kernels_and_frees_the_port(tmp_path):
    """`sarcoma-edu lab` serves at the port it prints; SIGTERM ends JupyterLab and a kernel it started."""
    port, token = _free_port(), os.urandom(8).hex()
    process = _cli(["lab", "--dir", str(tmp_path / "lessons"), "--port", str(port)], tmp_path, JUPYTER_TOKEN=token)
    try:
        line = _wait_for_line(process, "JupyterLab at")
        assert f"http://localhost:{port}/lab/tree/00_welcome.ipynb" in line
        headers = {"Authorization": f"token {token}"}
        _get(f"http://localhost:{port}/api/status", headers=headers)
        request = urllib.request.Request(
            f"http://localhost:{port}/api/kernels", data=b"{}", headers=headers, method="POST"
        )
        with urllib.request.urlopen(request, timeout=60) as reply:
            assert json.load(reply)["id"]
        deadline = time.monotonic() + 30
        while not (kernels := _kernels(process.pid)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert kernels, "JupyterLab started no kernel"
        server = psutil.Process(process.pid).children()
    except BaseException:
        os.killpg(process.pid, signal.SIGKILL)
        raise
    _stop_and_check(process, port, kernels + server)


_STAND_IN = """
import os, signal, socket, subprocess, sys, time
port, marks, ignore = int(sys.argv[1]), sys.argv[2], sys.argv[3] == "ignore"
listener = socket.socket()
listener.bind(("127.0.0.1", port))
listener.listen()
# a 'kernel': its own session, as jupyter_client starts kernels, so a process-group signal misses it
kernel = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"], start_new_session=True)
open(marks + ".kernel", "w").write(str(kernel.pid))
def on_term(signum, frame):
    open(marks + ".signal", "w").write(str(signum))
    if not ignore:
        sys.exit(0)  # a server that leaves its kernel behind
signal.signal(signal.SIGTERM, on_term)
open(marks + ".ready", "w").write("1")
while True:
    time.sleep(0.1)
"""

_RUNNER = """
import sys
from sarcoma_edu.serve import servers
sys.exit(servers.run_server([sys.executable, "-c", sys.argv[1], *sys.argv[2:]], grace=float(sys.argv[-1])))
"""


def _stand_in(tmp_path: Path, mode: str, grace: float) -> tuple[subprocess.Popen, int, Path]:
    port, marks = _free_port(), tmp_path / "server"
    runner = subprocess.Popen(
        [sys.executable, "-c", _RUNNER, _STAND_IN, str(port), str(marks), mode, str(grace)],
        cwd=ROOT, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while not marks.with_suffix(".ready").exists():
        assert time.monotonic() < deadline and runner.poll() is None, "the stand-in server did not start"
        time.sleep(0.05)
    return runner, port, marks


def test_sigterm_is_passed_on_to_the_server_and_a_kernel_it_leaves_is_stopped(tmp_path):
    """The server gets SIGTERM itself; a kernel in its own session that the server left behind is ended too."""
    runner, port, marks = _stand_in(tmp_path, "exit", grace=5)
    kernel = psutil.Process(int(marks.with_suffix(".kernel").read_text()))
    server = psutil.Process(runner.pid).children()
    _stop_and_check(runner, port, [kernel, *server])
    assert marks.with_suffix(".signal").read_text() == str(int(signal.SIGTERM))


def test_a_server_that_ignores_sigterm_is_killed_after_the_grace_time(tmp_path):
    """A server that will not stop is killed once the grace time is over; the port is free at once after."""
    runner, port, marks = _stand_in(tmp_path, "ignore", grace=1)
    kernel = psutil.Process(int(marks.with_suffix(".kernel").read_text()))
    server = psutil.Process(runner.pid).children()
    started = time.monotonic()
    _stop_and_check(runner, port, [kernel, *server])
    assert marks.with_suffix(".signal").exists() and time.monotonic() - started < 15


def test_run_server_returns_the_servers_own_exit_status():
    """A server that ends by itself hands its exit status back (a failed start is not reported as success)."""
    assert servers.run_server([sys.executable, "-c", "import sys; sys.exit(3)"]) == 3


def test_sigkill_to_the_sarcoma_edu_process_stops_the_server_with_it_and_frees_the_port(tmp_path):
    """SIGKILL cannot be caught, so the server is told by Linux (PR_SET_PDEATHSIG): it gets SIGTERM and ends."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the server dies with its parent through Linux's prctl; elsewhere the next start names it")
    runner, port, marks = _stand_in(tmp_path, "exit", grace=5)
    kernel = psutil.Process(int(marks.with_suffix(".kernel").read_text()))
    server = psutil.Process(runner.pid).children()
    try:
        runner.send_signal(signal.SIGKILL)
        runner.wait(10)
        _gone, alive = psutil.wait_procs(server, timeout=10)
        assert alive == [] and _port_is_free(port)
        assert marks.with_suffix(".signal").read_text() == str(int(signal.SIGTERM))
    finally:
        for process in (kernel, *server):
            with contextlib.suppress(psutil.Error):
                process.kill()


def test_sigkill_to_present_leaves_no_voila_and_no_kernel_on_the_port(tmp_path):
    """`kill -9` of `sarcoma-edu present`: Voila and the lesson's kernel end too, and the next start gets the port."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the server dies with its parent through Linux's prctl; elsewhere the next start names it")
    port = _free_port()
    process = _cli(["present", "00", "--port", str(port)], tmp_path)
    try:
        line = _wait_for_line(process, "Presenting 00_welcome.ipynb at")
        _get(line.split(" at ", 1)[1].split()[0])
        kernels = _kernels(process.pid)
        server = psutil.Process(process.pid).children()
        assert kernels and server
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        _gone, alive = psutil.wait_procs([*server, *kernels], timeout=30)
        assert alive == [], f"still running after SIGKILL: {[p.cmdline() for p in alive]}"
        assert _port_is_free(port)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


def test_sigkill_to_lab_leaves_no_jupyterlab_and_no_kernel_on_the_port(tmp_path):
    """`kill -9` of `sarcoma-edu lab`: JupyterLab and a kernel it started end too, and the port is free again."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the server dies with its parent through Linux's prctl; elsewhere the next start names it")
    port, token = _free_port(), os.urandom(8).hex()
    process = _cli(["lab", "--dir", str(tmp_path / "lessons"), "--port", str(port)], tmp_path, JUPYTER_TOKEN=token)
    try:
        _wait_for_line(process, "JupyterLab at")
        headers = {"Authorization": f"token {token}"}
        _get(f"http://localhost:{port}/api/status", headers=headers)
        request = urllib.request.Request(
            f"http://localhost:{port}/api/kernels", data=b"{}", headers=headers, method="POST"
        )
        with urllib.request.urlopen(request, timeout=60) as reply:
            assert json.load(reply)["id"]
        deadline = time.monotonic() + 30
        while not (kernels := _kernels(process.pid)) and time.monotonic() < deadline:
            time.sleep(0.2)
        server = psutil.Process(process.pid).children()
        assert kernels and server
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        _gone, alive = psutil.wait_procs([*server, *kernels], timeout=30)
        assert alive == [], f"still running after SIGKILL: {[p.cmdline() for p in alive]}"
        assert _port_is_free(port)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


def _make_lab(tmp_path: Path, port: int, workspaces: str = "workspaces") -> list[str]:
    """`make lab` as a student runs it, with the copies and the workspace in ``tmp_path`` and this Python's tools."""
    return ["make", "--no-print-directory", "-o", ".venv/.installed", "lab", f"PORT={port}",
            f"LESSONS={tmp_path / 'lessons'}", f"LAB_WORKSPACES={tmp_path / workspaces}",
            f"BIN={Path(sys.executable).parent}"]  # fmt: skip


def test_kill_9_of_make_lab_stops_jupyterlab_and_its_kernel_and_the_next_start_gets_the_port(tmp_path):
    """`kill -9` of `make lab`: JupyterLab and the kernel it started end too, and `make lab` starts again on the port;
    while a server still holds it, `make lab` names the process and the command that stops it."""
    if not sys.platform.startswith("linux"):
        pytest.skip("JupyterLab dies with make through Linux's prctl; elsewhere the next start names it")
    port = _free_port()
    nothing = {"BROWSER": "true"}  # the browser JupyterLab opens is `true`, which opens nothing
    process = subprocess.Popen(
        _make_lab(tmp_path, port), cwd=ROOT, env={**_env(tmp_path), **nothing}, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        _wait_for_line(process, "JupyterLab is ready. Open this address", seconds=120)  # listening
        line = _wait_for_line(process, f"http://localhost:{port}/lab/tree/00_welcome.ipynb?token=")
        token = line.split("?token=", 1)[1].strip()
        headers = {"Authorization": f"token {token}"}
        kernels_api = f"http://localhost:{port}/api/kernels"
        request = urllib.request.Request(kernels_api, data=b"{}", headers=headers, method="POST")
        with urllib.request.urlopen(request, timeout=60) as reply:
            assert json.load(reply)["id"]
        deadline = time.monotonic() + 30
        while not (kernels := _kernels(process.pid)) and time.monotonic() < deadline:
            time.sleep(0.2)
        (server,) = psutil.Process(process.pid).children()  # make's shell, become JupyterLab (exec)
        assert kernels and "jupyter" in " ".join(server.cmdline()), "JupyterLab started no kernel"
        again = subprocess.run(
            _make_lab(tmp_path, port, "other"), cwd=ROOT, env=_env(tmp_path), capture_output=True, text=True,
            timeout=120, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        assert again.returncode != 0
        assert f"make lab: port {port} is in use by another program (process {server.pid} (" in again.stderr
        assert f"stop it with: kill {server.pid}" in again.stderr and "make lab PORT=" in again.stderr
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        _gone, alive = psutil.wait_procs([server, *kernels], timeout=30)
        assert alive == [], f"still running after kill -9 of make lab: {[p.cmdline() for p in alive]}"
        assert _port_is_free(port)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


_HOLDER = """
import socket, sys, time
listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen()
print(listener.getsockname()[1], flush=True)
time.sleep(120)
"""


def test_a_port_still_held_names_the_process_and_how_to_stop_it(tmp_path):
    """`present --port P` on a port a left-over process holds names that process and the command that stops it."""
    script = tmp_path / "voila_left_over.py"  # named like the server an earlier `present` would have left
    script.write_text(_HOLDER, encoding="utf-8")
    holder = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        port = int(holder.stdout.readline())
        done = subprocess.run(
            [sys.executable, "-m", "sarcoma_edu", "present", "03", "--port", str(port), "--print-command"],
            capture_output=True, text=True, timeout=60, env=_env(tmp_path),
        )  # fmt: skip
        assert done.returncode == 2 and done.stdout == ""
        (line,) = done.stderr.strip().splitlines()
        assert f"--port {port} is in use by another program (process {holder.pid} (" in line
        assert "voila_left_over.py" in line and "an earlier 'sarcoma-edu present' or 'lab' left running" in line
        assert f"stop it with: kill {holder.pid}" in line
        note = ports.port_note(port, port + 1)
        assert note.startswith(f"Port {port} is in use by process {holder.pid}")
        assert note.endswith(f"Using port {port + 1} instead.")
        assert ports.port_note(port, port) is None
    finally:
        holder.kill()
        holder.wait()
