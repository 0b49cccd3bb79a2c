"""Say, once JupyterLab is ready, where to open it and how to stop it (run by `make lab`, beside the server).

JupyterLab writes ``jpserver-<pid>.json`` (its address and token) to the Jupyter runtime folder
when it is listening. This script waits for that file of the server whose process id it is given,
then prints the lesson's address and that the terminal stays busy until Ctrl+C. It stops quietly if
the server stops first (JupyterLab has then said why above).

    python scripts/lab_ready.py --pid 1234 [--path lab/tree/00_welcome.ipynb] [--timeout 300]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

RULE = "-" * 72


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def runtime_dir() -> Path:
    """Where Jupyter servers write their address files."""
    from jupyter_core.paths import jupyter_runtime_dir

    return Path(jupyter_runtime_dir())


def server_info(pid: int, folder: Path) -> dict | None:
    """The address file of the server with process id ``pid``, or None while there is none yet."""
    path = folder / f"jpserver-{pid}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def ready_message(info: dict, path: str) -> str:
    """The lines printed once JupyterLab is ready: the address of the first lesson and how to stop."""
    base = str(info.get("url", f"http://localhost:{info.get('port', 8888)}/")).replace("127.0.0.1", "localhost")
    if not base.endswith("/"):
        base += "/"
    token = info.get("token") or ""
    address = f"{base}{path}" + (f"?token={token}" if token else "")
    return "\n".join(
        [
            RULE,
            "JupyterLab is ready. Open this address in your web browser:",
            f"    {address}",
            "This terminal stays busy while JupyterLab runs: press Ctrl+C to stop it (then y, or Ctrl+C again).",
            "To run 'make test' meanwhile, open a second terminal.",
            RULE,
        ]
    )


def wait(pid: int, path: str, timeout: float, folder: Path | None = None, poll: float = 0.5) -> int:
    """Wait for the server's address file and print the ready message; return 0, or 1 on timeout."""
    folder = runtime_dir() if folder is None else folder
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            return 0
        info = server_info(pid, folder)
        if info is not None:
            print(ready_message(info, path), flush=True)
            return 0
        time.sleep(poll)
    print(
        f"JupyterLab has not said it is ready after {timeout:.0f} seconds; look above for a message from it.",
        flush=True,
    )
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pid", type=int, required=True, help="the JupyterLab server's process id")
    parser.add_argument("--path", default="lab/tree/00_welcome.ipynb", help="the page to open")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds to wait (default 300)")
    args = parser.parse_args(argv)
    return wait(args.pid, args.path, args.timeout)


if __name__ == "__main__":
    sys.exit(main())
