"""JupyterLab defaults for students: no news or update pop-ups on first run.

JupyterLab 4 asks on first start whether to fetch the official Jupyter news, and may check for newer
versions (the ``@jupyterlab/apputils-extension:notification`` settings ``fetchNews`` and
``checkForUpdates``). The toolkit turns both off as *defaults* (a student can still turn them on in
Settings), through JupyterLab's ``labconfig/default_setting_overrides.json``, read from every folder
on the Jupyter config path. :func:`lab_env` puts the toolkit's folder first on that path for one
server (``make lab``, ``sarcoma-edu lab``, a hub's ``Spawner.environment``); :func:`install_lab_defaults`
writes the same defaults into an environment (Binder's postBuild, a hub's single-user image).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from sarcoma_edu import _atomic

__all__ = ["LAB_CONFIG", "LAB_DEFAULTS", "install_lab_defaults", "lab_env"]

# a Jupyter config folder holding labconfig/default_setting_overrides.json
LAB_CONFIG = Path(__file__).resolve().parent / "jupyter" / "config"
_OVERRIDES = Path("labconfig") / "default_setting_overrides.json"
LAB_DEFAULTS: dict[str, dict[str, object]] = json.loads((LAB_CONFIG / _OVERRIDES).read_text(encoding="utf-8"))


def lab_env(environ: dict[str, str] | None = None) -> dict[str, str]:
    """``JUPYTER_CONFIG_PATH`` with the toolkit's config folder first, keeping any folders already on it."""
    current = (os.environ if environ is None else environ).get("JUPYTER_CONFIG_PATH", "")
    paths = [str(LAB_CONFIG), *filter(None, current.split(os.pathsep))]
    return {"JUPYTER_CONFIG_PATH": os.pathsep.join(dict.fromkeys(paths))}


def install_lab_defaults(prefix: str | Path = sys.prefix) -> Path:
    """Merge the toolkit's JupyterLab defaults into ``{prefix}/etc/jupyter/labconfig`` and return the file.

    Settings already in that file for other plugins, or other keys of the same plugin, are kept.
    """
    target = Path(prefix) / "etc" / "jupyter" / _OVERRIDES
    current = json.loads(target.read_text(encoding="utf-8")) if target.exists() else {}
    for plugin, values in LAB_DEFAULTS.items():
        current.setdefault(plugin, {}).update(values)
    target.parent.mkdir(parents=True, exist_ok=True)
    _atomic.write_file(target, json.dumps(current, indent=1, sort_keys=True) + "\n")
    return target


if __name__ == "__main__":
    print(f"JupyterLab defaults for students written to {install_lab_defaults()}")
