"""The teaching guide's live-poll commands and hub lines work as written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from traitlets.config import Config

from tests.hub.harness import guide_block, hub_config

FOLDER = "/srv/sarcoma-polls"  # the guide's class folder, replaced by a temporary one here


def test_the_guides_poll_commands_run_as_written(tmp_path):
    """class init, poll open, poll results and poll close, exactly as the guide lists them, succeed in order."""
    commands = guide_block("bash", f"sarcoma-edu class init {FOLDER}")
    folder = tmp_path / "sarcoma-polls"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(["bash", "-e", "-c", commands.replace(FOLDER, str(folder))], capture_output=True, text=True,
                          env=env, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert f'c.Spawner.environment["SARCOMA_EDU_CLASS_DIR"] = "{folder}"' in done.stdout
    assert "Poll closed: these results are frozen." in done.stdout


def test_the_guides_hub_lines_for_polls_add_to_its_configuration():
    """The poll lines run after the guide's configuration: one system user per student, the class folder set."""
    config = Config()
    source = hub_config() + guide_block("python", "# Live polls: add these lines")
    exec(compile(source, "jupyterhub_config.py", "exec"), {"get_config": lambda: config})
    assert config.JupyterHub.spawner_class == "localprocess"
    assert config.Spawner.environment["SARCOMA_EDU_CLASS_DIR"] == FOLDER
    assert "JUPYTER_CONFIG_PATH" in config.Spawner.environment  # the lines add to the guide's environment
