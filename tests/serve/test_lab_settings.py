"""No JupyterLab news or update pop-up for students: every way of opening the lessons sets the defaults."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

from traitlets.config import Config

from sarcoma_edu import cli
from sarcoma_edu.serve import lab_settings, lesson_files, servers
from tests.browser.harness import free_port, start_server
from tests.hub.harness import guide_block, hub_config

ROOT = Path(__file__).resolve().parents[2]
PLUGIN = "@jupyterlab/apputils-extension:notification"
TRACKER = "@jupyterlab/notebook-extension:tracker"
SCHEMA = Path(sys.prefix) / "share" / "jupyter" / "lab" / "schemas" / "@jupyterlab" / "apputils-extension"


def _first_config_folder(value: str) -> Path:
    return Path(value.split(os.pathsep)[0])


def test_the_defaults_turn_off_news_and_update_checks_as_jupyterlab_names_them():
    """The defaults set fetchNews to Never and checkForUpdates to false, values JupyterLab's own schema allows."""
    schema = json.loads((SCHEMA / "notification.json").read_text(encoding="utf-8"))["properties"]
    values = lab_settings.LAB_DEFAULTS[PLUGIN]
    assert values == {"fetchNews": "false", "checkForUpdates": False}
    assert {"const": "false", "title": "Never"} in schema["fetchNews"]["oneOf"]
    assert schema["checkForUpdates"]["type"] == "boolean"


def test_lab_env_puts_the_toolkit_folder_first_and_keeps_the_others():
    """lab_env puts the toolkit's config folder first on JUPYTER_CONFIG_PATH and keeps folders already there."""
    env = lab_settings.lab_env({"JUPYTER_CONFIG_PATH": "/srv/a"})
    assert env["JUPYTER_CONFIG_PATH"].split(os.pathsep) == [str(lab_settings.LAB_CONFIG), "/srv/a"]


def test_sarcoma_edu_lab_starts_jupyterlab_with_the_defaults(tmp_path, monkeypatch):
    """`sarcoma-edu lab` runs JupyterLab with the toolkit's config folder first on JUPYTER_CONFIG_PATH."""
    started = {}
    monkeypatch.setattr(servers, "run_server", lambda command, env=None: started.update(command=command, env=env) or 0)
    assert cli.main(["lab", "--dir", str(tmp_path / "lessons"), "--no-browser", "--port", str(free_port())]) == 0
    assert started["command"][:3] == [sys.executable, "-m", "jupyterlab"]
    assert _first_config_folder(started["env"]["JUPYTER_CONFIG_PATH"]) == lab_settings.LAB_CONFIG


def test_make_lab_starts_jupyterlab_with_the_defaults():
    """`make lab` sets JUPYTER_CONFIG_PATH to the toolkit's config folder for the JupyterLab it starts."""
    done = subprocess.run(["make", "-n", "lab"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    found = re.search(r'JUPYTER_CONFIG_PATH="([^"$]+)', done.stdout)
    assert found and Path(found.group(1)) == lab_settings.LAB_CONFIG, done.stdout
    assert "jupyter lab" in done.stdout.split(found.group(0))[1]


def test_binder_writes_the_defaults_into_its_environment():
    """Binder's postBuild installs the toolkit and then writes the JupyterLab defaults into the environment."""
    lines = [line.strip() for line in (ROOT / "binder" / "postBuild").read_text().splitlines()]
    assert lines.index("python -m sarcoma_edu.serve.lab_settings") > lines.index("python -m pip install --no-deps .")


def test_installing_the_defaults_keeps_other_settings(tmp_path):
    """install_lab_defaults merges into an existing overrides file, keeping other plugins' and keys' settings."""
    target = tmp_path / "etc" / "jupyter" / "labconfig" / "default_setting_overrides.json"
    target.parent.mkdir(parents=True)
    target.write_text(json.dumps({PLUGIN: {"doNotDisturbMode": True}, "other:plugin": {"a": 1}}))
    assert lab_settings.install_lab_defaults(tmp_path) == target
    written = json.loads(target.read_text())
    assert written["other:plugin"] == {"a": 1}
    assert written[PLUGIN] == {"doNotDisturbMode": True, "fetchNews": "false", "checkForUpdates": False}


def test_the_hub_guide_gives_students_servers_the_defaults():
    """The guide's jupyterhub_config.py passes the defaults to students' servers; its image writes them."""
    config = Config()
    exec(compile(hub_config(), "jupyterhub_config.py", "exec"), {"get_config": lambda: config})
    assert _first_config_folder(config.Spawner.environment["JUPYTER_CONFIG_PATH"]) == lab_settings.LAB_CONFIG
    assert "RUN python -m sarcoma_edu.serve.lab_settings" in guide_block("dockerfile", "# Dockerfile")


def test_a_jupyterlab_started_with_the_defaults_serves_them(tmp_path):
    """A real JupyterLab started with lab_env serves the defaults (no news or update checks, a kernel stopped with its
    tab) and saves a lesson without its outputs."""
    port, token = free_port(), "lab-settings-test"
    env = {**os.environ, **lab_settings.lab_env(), "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "settings")}
    env["JUPYTER_RUNTIME_DIR"] = str(tmp_path / "runtime")
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={tmp_path}",
        "--allow-root",
    ]  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    shutil.copy(lesson_files.lessons_dir() / "03_staging.ipynb", tmp_path / "03_staging.ipynb")
    process = start_server(command, f"{base}/api/status?token={token}", tmp_path / "lab.log", env)
    try:
        with urllib.request.urlopen(f"{base}/lab/api/settings/{PLUGIN}?token={token}", timeout=30) as answer:
            properties = json.load(answer)["schema"]["properties"]
        with urllib.request.urlopen(f"{base}/lab/api/settings/{TRACKER}?token={token}", timeout=30) as answer:
            tracker = json.load(answer)["schema"]["properties"]
        saved = {}
        for name in ("03_staging.ipynb", "my-own.ipynb"):
            saved[name] = _save_as_jupyterlab_does(base, token, tmp_path / "03_staging.ipynb", name, tmp_path)
    finally:
        process.terminate()
        process.wait(30)
    assert properties["fetchNews"]["default"] == "false"
    assert properties["checkForUpdates"]["default"] is False
    assert tracker["kernelShutdown"]["default"] is True  # closing a lesson's tab stops its kernel
    # a lesson is saved without its outputs (it reopens without 'model not found'); a notebook of one's own keeps them
    assert saved["03_staging.ipynb"] == ([], "IIIB is what I typed")
    assert saved["my-own.ipynb"][0] != []


def _save_as_jupyterlab_does(base: str, token: str, lesson: Path, name: str, folder: Path) -> tuple[list, str]:
    """Save a run lesson (a widget output, a changed cell) through the server's contents API; read the file back."""
    notebook = json.loads(lesson.read_text(encoding="utf-8"))
    code = next(c for c in notebook["cells"] if c["cell_type"] == "code")
    code["source"] = "IIIB is what I typed"
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            view = {"version_major": 2, "version_minor": 0, "model_id": "gone-with-the-kernel"}
            data = {"application/vnd.jupyter.widget-view+json": view, "text/plain": "a widget"}
            cell.update(execution_count=3, outputs=[{"output_type": "display_data", "data": data, "metadata": {}}])
    body = json.dumps({"type": "notebook", "format": "json", "content": notebook}).encode()
    request = urllib.request.Request(
        f"{base}/api/contents/{name}?token={token}",
        data=body,
        method="PUT",
        headers={"Content-Type": "application/json"},
    )
    urllib.request.urlopen(request, timeout=30).close()
    stored = json.loads((folder / name).read_text(encoding="utf-8"))
    outputs = [o for c in stored["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
    first = next(c for c in stored["cells"] if c["cell_type"] == "code")
    return outputs, "".join(first["source"])
