"""Start JupyterLab for `make lab`: refuse a port already taken (naming the process and how to stop it), and end
with the `make` that started it.

`make lab` runs JupyterLab in its own process (``exec``), so the address file JupyterLab writes carries the
process id scripts/lab_ready.py waits for. Before that, this script checks the port: one held by a server left
running is named with its process id and the ``kill`` command that stops it (JupyterLab itself would only say
the port is not available). On Linux JupyterLab is then told to stop (SIGTERM, after which it shuts its kernels
down) when `make` dies, even by ``kill -9``, so nothing is left holding the port.

    python scripts/start_lab.py --port 8888 -- jupyter lab --port=8888 ...
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sarcoma_edu.serve import ports, servers  # noqa: E402


def port_refusal(port: int) -> str | None:
    """The lines printed when JupyterLab cannot listen on ``port``; None when it can."""
    problem = ports.port_problem(port)
    if problem is None:
        return None
    other = 8890 if port != 8890 else 8891
    return f"make lab: port {port} {problem}.\nStop it, or choose another port: make lab PORT={other}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", required=True, help="the port JupyterLab is told to use (make lab PORT=...)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the JupyterLab command, after --")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the JupyterLab command after --")
    try:
        refusal = port_refusal(ports.check_port(int(args.port)))
    except (TypeError, ValueError):
        print(f"make lab: PORT={args.port!r} is not a port; expected a whole number from 1 to 65535", file=sys.stderr)
        return 2
    if refusal:
        print(refusal, file=sys.stderr)
        return 1
    servers.exec_with_parent(command)


if __name__ == "__main__":
    sys.exit(main())
