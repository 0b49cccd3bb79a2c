"""`make lab` talks (each step, pip's progress, a line when pip is silent, where to open JupyterLab and how to stop
it) and opens copies of the lessons in a fresh workspace."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
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
    """The environment and install steps print 'Step N of 3'; pip runs without --quiet, with its progress bar,
    through keep_talking.py, which speaks up when pip is silent, as it does while the environment is made."""
    install = _recipe("$(VENV)/.installed")
    assert "--quiet" not in install and "-q " not in install and "--progress-bar on" in install
    assert "scripts/keep_talking.py" in install.split("pip install")[0]
    assert "Step 2 of 3" in install and "Step 1 of 3" in _recipe("$(BIN)/python")
    assert 'scripts/keep_talking.py --what "making the environment" -- $(PYTHON) -m venv' in _recipe("$(BIN)/python")
    assert "--quiet" not in _recipe("$(BIN)/python")
    assert "Step 3 of 3: your own copies of the lessons" in _recipe("lab")


def test_a_silent_command_is_told_to_be_still_working_and_its_output_and_status_pass_through():
    """keep_talking prints a 'still working' line after each stretch of silence, and passes on output and exit code."""
    code = "import sys, time; print('Collecting', flush=True); time.sleep(2.6); print('Done'); sys.exit(3)"
    command = [sys.executable, "scripts/keep_talking.py", "--what", "installing", "--every", "1", "--"]
    done = subprocess.run([*command, sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 3
    lines = done.stdout.splitlines()
    assert lines[0] == "Collecting" and lines[-1] == "Done"
    notes = [line for line in lines if line.startswith("... still working: installing (")]
    assert 2 <= len(notes) <= 3 and len(lines) == len(notes) + 2


def test_make_lab_opens_copies_of_the_lessons_and_a_fresh_workspace():
    """`make -n lab` copies the lessons to my-lessons/, serves that folder, and empties the workspace folder first."""
    commands = _dry_run().replace("\\\n", " ")
    assert "scripts/copy_lessons.py 'my-lessons'" in commands
    assert "--ServerApp.root_dir='my-lessons'" in commands and "--ServerApp.root_dir=notebooks" not in commands
    assert "rm -rf .lab-workspaces" in commands and "--LabApp.workspaces_dir=.lab-workspaces" in commands
    assert commands.index("rm -rf .lab-workspaces") < commands.index("jupyter lab")
    assert "--ServerApp.root_dir='our class'" in _dry_run("LESSONS=our class").replace("\\\n", " ")
    home = os.path.expanduser("~")  # a folder given as ~/... (as typed, quoted) is in the home folder
    assert f"copy_lessons.py '{home}/sarcoma-lessons'" in _dry_run("LESSONS=~/sarcoma-lessons")
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "my-lessons/" in ignored and ".lab-workspaces/" in ignored


def test_the_lesson_copies_are_made_and_an_edited_one_is_kept(tmp_path):
    """copy_lessons.py puts every lesson in the folder; run again, it keeps a copy the student edited (no terminal)."""
    folder = tmp_path / "my lessons"
    first = subprocess.run([sys.executable, "scripts/copy_lessons.py", str(folder)], cwd=ROOT, capture_output=True,
                           text=True, timeout=60, stdin=subprocess.DEVNULL)  # fmt: skip
    assert first.returncode == 0 and "copied: 00_welcome.ipynb" in first.stdout
    edited = folder / "03_staging.ipynb"
    notebook = json.loads(edited.read_text(encoding="utf-8"))
    notebook["cells"][0]["source"] = "# My staging notes"
    edited.write_text(json.dumps(notebook), encoding="utf-8")
    again = subprocess.run([sys.executable, "scripts/copy_lessons.py", str(folder)], cwd=ROOT, capture_output=True,
                           text=True, timeout=60, stdin=subprocess.DEVNULL)  # fmt: skip
    assert "kept as you edited them: 03_staging.ipynb" in again.stdout
    assert json.loads(edited.read_text(encoding="utf-8"))["cells"][0]["source"] == "# My staging notes"


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
    started = r"exec \S*python scripts/start_lab.py --port=9123 -- \S*jupyter lab .*--port=9123 "
    started += r"--ServerApp.port_retries=0"
    assert re.search(started, commands.replace("\\\n", " "))
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


_START_LAB = importlib.util.spec_from_file_location("start_lab", ROOT / "scripts" / "start_lab.py")
start_lab = importlib.util.module_from_spec(_START_LAB)
_START_LAB.loader.exec_module(start_lab)


def test_make_lab_on_a_port_in_use_names_the_process_holding_it_and_how_to_stop_it():
    """start_lab.py refuses a port another process listens on, naming its process id, `kill PID` and `make lab PORT=`;
    a free port is not refused."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        refusal = start_lab.port_refusal(port)
        done = subprocess.run([sys.executable, "scripts/start_lab.py", f"--port={port}", "--", "true"], cwd=ROOT,
                              capture_output=True, text=True, timeout=60)  # fmt: skip
    assert refusal.startswith(f"make lab: port {port} is in use by another program (process {os.getpid()} (")
    assert f"stop it with: kill {os.getpid()}" in refusal and "make lab PORT=" in refusal
    assert done.returncode == 1 and done.stdout == "" and f"make lab: port {port} is in use" in done.stderr
    assert start_lab.port_refusal(port) is None


def test_make_lab_becomes_jupyterlab_keeping_its_process_id_and_exit_status():
    """On a free port start_lab.py runs the command in its own place (the process id lab_ready.py waits for)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code = "import os, sys; print(os.getpid()); sys.exit(4)"
    process = subprocess.Popen([sys.executable, "scripts/start_lab.py", f"--port={port}", "--", sys.executable, "-c",
                                code], cwd=ROOT, stdout=subprocess.PIPE, text=True)  # fmt: skip
    out, _ = process.communicate(timeout=60)
    assert process.returncode == 4 and out.strip() == str(process.pid)


def test_make_lab_with_a_port_that_is_not_one_says_so_in_one_line():
    """`make lab PORT=abc` (or 70000) stops with one line naming PORT, the value and the range allowed."""
    for given in ("abc", "70000"):
        done = subprocess.run([sys.executable, "scripts/start_lab.py", f"--port={given}", "--", "true"], cwd=ROOT,
                              capture_output=True, text=True, timeout=60)  # fmt: skip
        assert done.returncode == 2 and done.stderr == (
            f"make lab: PORT={given!r} is not a port; expected a whole number from 1 to 65535\n"
        )
