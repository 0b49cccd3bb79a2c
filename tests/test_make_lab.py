"""`make lab` talks: it shows each step and pip's progress, then where to open JupyterLab and how to stop it."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")
_SPEC = importlib.util.spec_from_file_location("lab_ready", ROOT / "scripts" / "lab_ready.py")
lab_ready = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(lab_ready)


def _recipe(target: str) -> str:
    """The recipe lines of a Makefile target."""
    found = re.search(rf"^{re.escape(target)}:.*\n((?:\t.*\n)+)", MAKEFILE, re.M)
    assert found, f"no target {target!r} in the Makefile"
    return found.group(1)


def test_the_lab_install_shows_pip_progress_and_names_its_steps():
    """The environment and install steps print 'Step N of 3' and pip runs without --quiet, with its progress bar."""
    install = _recipe("$(VENV)/.installed")
    assert "--quiet" not in install and "-q " not in install and "--progress-bar on" in install
    assert "Step 2 of 3" in install and "Step 1 of 3" in _recipe("$(BIN)/python")
    assert "--quiet" not in _recipe("$(BIN)/python")
    assert "Step 3 of 3: starting JupyterLab" in _recipe("lab")


def _dry_run(*variables: str) -> str:
    done = subprocess.run(
        ["make", "-n", "--no-print-directory", "-o", ".venv/.installed", "lab", *variables],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_make_lab_starts_the_ready_message_beside_jupyterlab_on_the_chosen_port():
    """`make -n lab PORT=9123` runs lab_ready.py with the server's process id and JupyterLab on port 9123."""
    commands = _dry_run("PORT=9123")
    assert "scripts/lab_ready.py --pid $$ &" in commands
    assert re.search(r"exec \S*jupyter lab .*--port=9123 --ServerApp.port_retries=0", commands.replace("\\\n", " "))
    assert "--LabApp.default_url=/lab/tree/00_welcome.ipynb" in commands
    if os.geteuid() == 0:  # JupyterLab refuses root unless told
        assert "--allow-root" in commands
    assert "--port=8888" in _dry_run()


def test_the_ready_message_gives_the_address_with_its_token_and_says_ctrl_c_stops_it():
    """Once the server's address file is there, the message names the lesson's address and Ctrl+C."""
    info = {"url": "http://127.0.0.1:8899/", "port": 8899, "token": "abc123"}
    message = lab_ready.ready_message(info, "lab/tree/00_welcome.ipynb")
    assert "JupyterLab is ready" in message
    assert "http://localhost:8899/lab/tree/00_welcome.ipynb?token=abc123" in message
    assert "press Ctrl+C to stop" in message and "second terminal" in message and "make test" in message


def test_the_ready_message_waits_for_the_servers_own_address_file(tmp_path, capsys):
    """lab_ready prints once jpserver-<pid>.json exists for the given (running) process, and only then."""
    pid = os.getpid()
    assert lab_ready.wait(pid, "lab", timeout=0.3, folder=tmp_path, poll=0.05) == 1
    assert "has not said it is ready" in capsys.readouterr().out
    (tmp_path / f"jpserver-{pid}.json").write_text(json.dumps({"url": "http://localhost:8888/", "token": ""}))
    assert lab_ready.wait(pid, "lab", timeout=5, folder=tmp_path, poll=0.05) == 0
    out = capsys.readouterr().out
    assert "http://localhost:8888/lab\n" in out and "press Ctrl+C to stop" in out


def test_the_ready_message_stays_quiet_when_the_server_stopped_first(tmp_path, capsys):
    """If JupyterLab exits before it is ready (e.g. the port is in use), lab_ready adds nothing to its message."""
    finished = subprocess.Popen(["true"])
    finished.wait()
    assert lab_ready.wait(finished.pid, "lab", timeout=5, folder=tmp_path, poll=0.05) == 0
    assert capsys.readouterr().out == ""
