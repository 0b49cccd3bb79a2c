"""Helpers for the JupyterHub class test: the hub, the students' browser sessions and their kernels.

The hub runs the ``jupyterhub_config.py`` printed in ``docs/teaching.md`` (read from there, not
copied), with only the ports and the folder of home folders given on its command line. Students
log in through the hub's login form with a ``requests`` session, open the nbgitpuller link in the
form the guide gives, and run lessons on their own server through the Jupyter REST and kernel
websocket API with a token of their own. Every wait has a deadline; every server listens on
127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlsplit

import requests
import websocket

from tests.browser.harness import free_port

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "teaching.md"
PROXY_PACKAGE = ROOT / "tests" / "hub" / "package.json"
PROXY_BIN = ROOT / "tests" / "hub" / "node_modules" / ".bin"
JUPYTERHUB = Path(sys.executable).parent / "jupyterhub"
TIMEOUT = 30  # seconds for one HTTP request or one kernel message
START_TIMEOUT = 60  # seconds for the hub or a student's server to start


def missing_pieces() -> list[str]:
    """What the hub test needs and this machine lacks, each with how the project installs it."""
    missing = []
    for module in ("jupyterhub", "nbgitpuller"):
        try:
            __import__(module)
        except ImportError:
            missing.append(f"the Python package {module} (pip install -e '.[test]')")
    if not (PROXY_BIN / "configurable-http-proxy").exists():
        missing.append("configurable-http-proxy (npm ci --prefix tests/hub)")
    if shutil.which("git") is None:
        missing.append("git (apt-get install git)")
    return missing


# --- the guide's snippets -------------------------------------------------------------------------

_FENCE = re.compile(r"^ *```(\w*)\n(.*?)^ *```", re.S | re.M)


def guide_blocks() -> list[tuple[str, str]]:
    """Every fenced block of docs/teaching.md as (language, text), indentation removed."""
    blocks = []
    for language, body in _FENCE.findall(GUIDE.read_text(encoding="utf-8")):
        lines = body.splitlines()
        indent = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
        blocks.append((language, "\n".join(line[indent:] for line in lines) + "\n"))
    return blocks


def guide_block(language: str, first_line: str) -> str:
    """The one block of the guide in ``language`` whose first line starts with ``first_line``."""
    found = [text for lang, text in guide_blocks() if lang == language and text.startswith(first_line)]
    if len(found) != 1:
        raise LookupError(f"docs/teaching.md has {len(found)} {language} blocks starting {first_line!r}, not 1")
    return found[0]


def hub_config() -> str:
    """The guide's ``jupyterhub_config.py`` for a small class."""
    return guide_block("python", "# jupyterhub_config.py")


def pull_link_template() -> str:
    """The guide's nbgitpuller link, with its ``<placeholders>``."""
    links = [text.strip() for lang, text in guide_blocks() if lang == "text" and "git-pull?" in text]
    if len(links) != 1:
        raise LookupError(f"docs/teaching.md has {len(links)} nbgitpuller links, not 1")
    return links[0]


def pull_link(hub: str, repo: str, folder: str) -> str:
    """The guide's nbgitpuller link filled in for ``hub`` and the course repository ``repo``."""
    link = pull_link_template()
    for placeholder, value in {
        "https://<your hub>": hub,
        "<URL of this repository>": quote(repo, safe=""),
        "<repository folder name>": folder,
    }.items():
        if placeholder not in link:
            raise LookupError(f"the guide's nbgitpuller link has no {placeholder!r}: {link}")
        link = link.replace(placeholder, value)
    return link


def link_parts(link: str) -> tuple[str, dict[str, str]]:
    """The path and the query parameters of a link."""
    parts = urlsplit(link)
    return parts.path, dict(parse_qsl(parts.query))


# --- the course repository ----------------------------------------------------------------------


def git(*args: str, cwd: Path | None = None) -> str:
    """Run git with a fixed identity; return its output."""
    command = ["git", "-c", "user.name=Course team", "-c", "user.email=course@example.invalid", *args]
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=60, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def course_repository(folder: Path) -> Path:
    """A bare repository named ``sarcoma-edu`` holding this checkout's HEAD as branch ``main``."""
    bare = folder / "sarcoma-edu"
    git("init", "--quiet", "--bare", str(bare))
    git("fetch", "--quiet", str(ROOT), "HEAD:refs/heads/main", cwd=bare)
    git("symbolic-ref", "HEAD", "refs/heads/main", cwd=bare)
    return bare


# --- the hub ------------------------------------------------------------------------------------


@dataclass
class Hub:
    """A running JupyterHub: its public URL, process, working folder and the students' home folders."""

    url: str
    process: subprocess.Popen
    folder: Path
    homes: Path
    log: Path
    seen: set[tuple[int, str]] = field(default_factory=set)

    def home(self, name: str) -> Path:
        return self.homes / name

    def commands(self) -> dict[int, str]:
        """The command line of every process the hub is running now (proxy, servers, kernels)."""
        found = {}
        for pid, _started in descendants(self.process.pid):
            try:
                found[pid] = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
            except OSError:
                continue
        return found

    def listening(self) -> set[str]:
        """Every address:port the hub and the processes it started listen on (TCP, IPv4 and IPv6)."""
        inodes = set()
        for pid in {self.process.pid} | {pid for pid, _started in descendants(self.process.pid)}:
            for fd in Path(f"/proc/{pid}/fd").glob("*"):
                with contextlib.suppress(OSError):
                    target = os.readlink(fd)
                    if target.startswith("socket:["):
                        inodes.add(target[len("socket:[") : -1])
        addresses = set()
        for table in ("tcp", "tcp6"):
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/net/{table}").read_text().splitlines()[1:]:
                    fields = line.split()
                    if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                        addresses.add(_address(fields[1]))
        return addresses

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def hub_environment(decoy_progress: Path) -> dict[str, str]:
    """The hub's environment: the proxy on PATH and a SARCOMA_EDU_PROGRESS that must not reach students."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(PROXY_BIN), str(Path(sys.executable).parent), env.get("PATH", "")])
    env["SARCOMA_EDU_PROGRESS"] = str(decoy_progress)
    env.pop("JUPYTERHUB_API_TOKEN", None)
    return env


def start_hub(folder: Path, env: dict[str, str], extra: str = "") -> Hub:
    """Start JupyterHub with the guide's configuration (and ``extra`` lines after it) on free 127.0.0.1 ports;
    wait until it answers."""
    config = folder / "jupyterhub_config.py"
    config.write_text(hub_config() + extra, encoding="utf-8")
    homes = folder / "homes"
    homes.mkdir()
    public, hub_port, api_port = free_port(), free_port(), free_port()
    command = [
        str(JUPYTERHUB),
        "-f",
        str(config),
        f"--JupyterHub.bind_url=http://127.0.0.1:{public}",
        f"--JupyterHub.hub_bind_url=http://127.0.0.1:{hub_port}",
        f"--ConfigurableHTTPProxy.api_url=http://127.0.0.1:{api_port}",
        f"--SimpleLocalProcessSpawner.home_dir_template={homes}/{{username}}",
    ]
    log = folder / "jupyterhub.log"
    process = subprocess.Popen(
        command, cwd=folder, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
    )
    hub = Hub(f"http://127.0.0.1:{public}", process, folder, homes, log)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterHub exited with {process.returncode}:\n{hub.log_tail()}")
        try:
            if requests.get(f"{hub.url}/hub/api", timeout=5).status_code == 200:
                hub.seen |= descendants(process.pid)
                return hub
        except requests.RequestException:
            pass
        time.sleep(0.5)
    stop_hub(hub)
    raise TimeoutError(f"JupyterHub did not answer at {hub.url} within {START_TIMEOUT} s:\n{hub.log_tail()}")


def _address(hexadecimal: str) -> str:
    """``0100007F:1F90`` (as in /proc/net/tcp) -> ``127.0.0.1:8080``; IPv6 as its compressed text."""
    host, port = hexadecimal.split(":")
    raw = bytes.fromhex(host)
    # the kernel writes each 32-bit word in host (little-endian) order
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
    return f"{ipaddress.ip_address(words)}:{int(port, 16)}"


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state first), or None when it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def descendants(pid: int) -> set[tuple[int, str]]:
    """Every living process below ``pid``, each as (id, start time), so a reused id is never taken for it."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        fields = _stat(int(stat.parent.name))
        if fields is not None:
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found: set[tuple[int, str]] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            fields = _stat(child)
            if fields is not None and (child, fields[19]) not in found:
                found.add((child, fields[19]))
                todo.append(child)
    return found


def alive(processes: set[tuple[int, str]]) -> set[tuple[int, str]]:
    """Those of ``processes`` still running: same id, same start time, not a zombie."""
    running = set()
    for pid, started in processes:
        fields = _stat(pid)
        if fields is not None and fields[19] == started and fields[0] != "Z":
            running.add((pid, started))
    return running


def stop_hub(hub: Hub, seconds: float = 30) -> set[tuple[int, str]]:
    """Stop the hub with SIGTERM (it stops the proxy and the students' servers); return what was left.

    Whatever it started that is still running 10 s after the hub has gone (proxy, servers, kernels)
    is then killed, so nothing outlives the test either way.
    """
    if hub.process.poll() is None:
        hub.seen |= descendants(hub.process.pid)
        hub.process.send_signal(signal.SIGTERM)
        try:
            hub.process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            hub.process.kill()
            hub.process.wait(timeout=10)
    deadline = time.monotonic() + 10
    while alive(hub.seen) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = alive(hub.seen)
    for pid, _started in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return left


# --- a student ----------------------------------------------------------------------------------


class Student:
    """A student's browser session on the hub: logs in, opens links, runs code on their own server."""

    def __init__(self, hub: Hub, name: str) -> None:
        self.hub, self.name = hub, name
        self.session = requests.Session()
        self.token: str | None = None

    def open(self, link: str) -> requests.Response:
        """Open a link as a browser would: log in through the hub's form if asked, wait out a spawn."""
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            page = self.session.get(link, timeout=TIMEOUT)
            path = urlsplit(page.url).path
            if path == "/hub/login":
                xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text)
                form = {"username": self.name, "password": "any", "_xsrf": xsrf.group(1) if xsrf else ""}
                page = self.session.post(page.url, data=form, timeout=TIMEOUT)
                path = urlsplit(page.url).path
            if not path.startswith("/hub/spawn"):
                page.raise_for_status()
                return page
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"{self.name}'s server did not start within {START_TIMEOUT} s:\n{self.hub.log_tail()}"
                )
            time.sleep(1)  # the spawn-pending page: a browser waits for the server, then goes on

    def hub_api(self, method: str, path: str, **kwargs) -> requests.Response:
        """Call the hub's REST API as this logged-in student (cookie and XSRF token)."""
        headers = {"X-XSRFToken": self.session.cookies.get("_xsrf", path="/hub/") or ""}
        response = self.session.request(
            method, f"{self.hub.url}/hub/api{path}", headers=headers, timeout=TIMEOUT, **kwargs
        )
        response.raise_for_status()
        return response

    def make_token(self) -> str:
        """A token of the student's own for their server's API (as from the hub's Token page)."""
        self.token = self.hub_api("POST", f"/users/{self.name}/tokens", json={"note": "hub test"}).json()["token"]
        return self.token

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        """Call the student's own Jupyter server's REST API with their token."""
        url = f"{self.hub.url}/user/{self.name}/api{path}"
        headers = {"Authorization": f"token {self.token}"}
        response = requests.request(method, url, headers=headers, timeout=TIMEOUT, **kwargs)
        response.raise_for_status()
        return response

    def pull(self, link: str) -> list[dict]:
        """Open the nbgitpuller link and run the pull its page starts; return the pull's events."""
        page = self.open(link)
        if "git-pull/static" not in page.text:
            raise RuntimeError(f"{self.name} did not land on nbgitpuller's page: {page.url}")
        # what the page's script sends: the values it carries in data- attributes
        data = {key: unquote(value) for key, value in re.findall(r'data-([a-z]+)="([^"]*)"', page.text)}
        params = {"repo": data["repo"], "targetpath": data["targetpath"], "_xsrf": data["xsrf"]}
        if "branch" in data:
            params["branch"] = data["branch"]
        events = []
        stream = self.session.get(
            f"{self.hub.url}/user/{self.name}/git-pull/api", params=params, stream=True, timeout=TIMEOUT
        )
        deadline = time.monotonic() + START_TIMEOUT
        with stream:
            stream.raise_for_status()
            for line in stream.iter_lines(decode_unicode=True):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{self.name}'s pull did not finish within {START_TIMEOUT} s: {events[-3:]}")
                if line and line.startswith("data: "):
                    event = json.loads(line[len("data: ") :])
                    events.append(event)
                    if event.get("phase") in {"finished", "error"}:
                        break
        if not events or events[-1].get("phase") != "finished":
            raise RuntimeError(f"{self.name}'s pull did not finish: {events[-3:]}")
        return events

    def read_notebook(self, path: str) -> dict:
        """A notebook from the student's server, as JSON."""
        return self.api("GET", f"/contents/{quote(path)}", params={"content": 1}).json()["content"]

    def save_notebook(self, path: str, notebook: dict) -> None:
        """Save a notebook on the student's server, as JupyterLab's Save does."""
        self.api("PUT", f"/contents/{quote(path)}", json={"type": "notebook", "format": "json", "content": notebook})

    def kernel(self, notebook: str) -> Kernel:
        """A new kernel session for a notebook on the student's server (its folder is the working folder)."""
        model = {"path": notebook, "type": "notebook", "name": Path(notebook).name, "kernel": {"name": "python3"}}
        session = self.api("POST", "/sessions", json=model).json()
        ws_url = self.hub.url.replace("http://", "ws://") + f"/user/{self.name}/api/kernels/{session['kernel']['id']}"
        return Kernel(self, session["id"], f"{ws_url}/channels")


class Kernel:
    """A kernel on a student's server, driven over the kernel websocket with the student's token."""

    def __init__(self, student: Student, session_id: str, url: str) -> None:
        self.student, self.session_id = student, session_id
        self.ws = websocket.create_connection(
            url, header=[f"Authorization: token {student.token}"], timeout=TIMEOUT, suppress_origin=True
        )

    def run(self, code: str, seconds: float = 120) -> str:
        """Run code; return what it printed and its result; raise with the traceback on an error."""
        msg_id = uuid.uuid4().hex
        self.ws.send(
            json.dumps(
                {
                    "header": {
                        "msg_id": msg_id,
                        "msg_type": "execute_request",
                        "username": self.student.name,
                        "session": self.session_id,
                        "version": "5.3",
                    },
                    "parent_header": {},
                    "metadata": {},
                    "content": {"code": code, "silent": False, "store_history": True, "allow_stdin": False},
                    "channel": "shell",
                    "buffers": [],
                }
            )
        )
        out, error, done = [], None, {"idle": False, "reply": False}
        deadline = time.monotonic() + seconds
        while not all(done.values()):
            if time.monotonic() > deadline:
                raise TimeoutError(f"code did not finish within {seconds} s: {code[:200]}")
            message = json.loads(self.ws.recv())
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = message["header"]["msg_type"], message["content"]
            if kind == "stream":
                out.append(content["text"])
            elif kind == "execute_result":
                out.append(content["data"].get("text/plain", "") + "\n")
            elif kind == "error":
                error = "\n".join(content["traceback"])
            elif kind == "status" and content["execution_state"] == "idle":
                done["idle"] = True
            elif kind == "execute_reply":
                done["reply"] = True
        if error is not None:
            raise RuntimeError(f"{self.student.name}'s kernel raised:\n{_plain(error)}\nin:\n{code}")
        return "".join(out)

    def close(self) -> None:
        """Close the websocket and shut the kernel down."""
        self.ws.close()
        self.student.api("DELETE", f"/sessions/{self.session_id}")


def _plain(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def code_cells(notebook: dict) -> Iterator[str]:
    """The source of each code cell of a notebook, in order."""
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            source = cell["source"]
            yield "".join(source) if isinstance(source, list) else source
