"""JupyterLab defaults for students: no news or update pop-ups, one kernel per open lesson, lessons saved clean.

JupyterLab 4 asks on first start whether to fetch the official Jupyter news, and may check for newer
versions (the ``@jupyterlab/apputils-extension:notification`` settings ``fetchNews`` and
``checkForUpdates``). The toolkit turns both off as *defaults* (a student can still turn them on in
Settings), and shuts a lesson's kernel down when its tab is closed (``kernelShutdown``), through
JupyterLab's ``labconfig/default_setting_overrides.json``.

A lesson is saved without its outputs (:func:`save_lesson_without_outputs`, the server's
``ContentsManager.pre_save_hook`` in ``jupyter_server_config.json``): what a student typed is kept,
and the results come back with Run All. A lesson saved with its widgets would reopen showing "Error
displaying widget: model not found" in every widget's place (the widgets lived in a kernel that has
gone), and a copy that was only run would count as edited.

Both files are read from every folder on the Jupyter config path. :func:`lab_env` puts the toolkit's
folder first on that path for one server (``make lab``, ``sarcoma-edu lab``, a hub's
``Spawner.environment``); :func:`install_lab_defaults` writes the same settings into an environment
(Binder's postBuild, a hub's single-user image).
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path, PurePosixPath

from sarcoma_edu.common import atomic as _atomic
from sarcoma_edu.serve.lesson_files import list_lessons

__all__ = [
    "LAB_CONFIG",
    "LAB_DEFAULTS",
    "SERVER_DEFAULTS",
    "install_lab_defaults",
    "lab_env",
    "save_lesson_without_outputs",
]

# a Jupyter config folder holding labconfig/default_setting_overrides.json and jupyter_server_config.json
LAB_CONFIG = Path(__file__).resolve().parents[1] / "jupyter" / "config"
_OVERRIDES = Path("labconfig") / "default_setting_overrides.json"
_SERVER = Path("jupyter_server_config.json")
LAB_DEFAULTS: dict[str, dict[str, object]] = json.loads((LAB_CONFIG / _OVERRIDES).read_text(encoding="utf-8"))
SERVER_DEFAULTS: dict[str, dict[str, object]] = json.loads((LAB_CONFIG / _SERVER).read_text(encoding="utf-8"))
_LESSON = re.compile(r"\d\d_[a-z0-9_]+\.ipynb")


def save_lesson_without_outputs(model: dict, path: str = "", **_ignored: object) -> None:
    """Before a lesson is saved, take out its outputs and execution counts (a JupyterLab pre-save hook).

    Only the course's lessons are touched (``NN_name.ipynb``, named as a lesson of the course); any
    other notebook, and every cell's text, is saved as it is. Nothing else in the file changes.
    """
    if not isinstance(model, dict) or model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    name = PurePosixPath(str(path)).name
    if not _LESSON.fullmatch(name) or name not in _lesson_names():
        return
    content = model["content"]
    content.get("metadata", {}).pop("widgets", None)  # saved widget state: the kernel it belonged to has gone
    for cell in content.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None


def _lesson_names() -> set[str]:
    return set(list_lessons())


def lab_env(environ: dict[str, str] | None = None) -> dict[str, str]:
    """``JUPYTER_CONFIG_PATH`` with the toolkit's config folder first, keeping any folders already on it."""
    current = (os.environ if environ is None else environ).get("JUPYTER_CONFIG_PATH", "")
    paths = [str(LAB_CONFIG), *filter(None, current.split(os.pathsep))]
    return {"JUPYTER_CONFIG_PATH": os.pathsep.join(dict.fromkeys(paths))}


def install_lab_defaults(prefix: str | Path = sys.prefix) -> Path:
    """Merge the toolkit's defaults into ``{prefix}/etc/jupyter`` (the server's pre-save hook into
    ``jupyter_server_config.json``, the JupyterLab settings into ``labconfig``); return the labconfig file.

    Settings already in those files for other plugins, or other keys of the same plugin, are kept.
    """
    for name, defaults in ((_SERVER, SERVER_DEFAULTS), (_OVERRIDES, LAB_DEFAULTS)):
        target = Path(prefix) / "etc" / "jupyter" / name
        current = json.loads(target.read_text(encoding="utf-8")) if target.exists() else {}
        for section, values in defaults.items():
            current.setdefault(section, {}).update(values)
        target.parent.mkdir(parents=True, exist_ok=True)
        _atomic.write_file(target, json.dumps(current, indent=1, sort_keys=True) + "\n")
    return target


if __name__ == "__main__":
    print(f"JupyterLab defaults for students written to {install_lab_defaults()}")
