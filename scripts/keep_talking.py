"""Run a command and pass on its output; when it has said nothing for a while, say it is still working.

``make lab`` runs pip's install through it: pip shows its downloads and progress bars, but while it
unpacks and installs a hundred packages it prints nothing for half a minute or more, and a student
may think it has stopped. Every ``--every`` seconds of silence (10 by default) this prints one line
such as ``... still working: installing the packages (40 s so far)``. The command's exit status is
passed on, and Ctrl+C stops the command.

    python scripts/keep_talking.py --what "installing the packages" -- python -m pip install -e .
"""

from __future__ import annotations

import argparse
import os
import selectors
import subprocess
import sys
import time


def run(command: list[str], what: str, every: float = 10.0, out=None) -> int:
    """Run ``command``, passing on its output and speaking up after ``every`` s of silence; return its status."""
    out = out if out is not None else sys.stdout.buffer
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    last, line_open = time.monotonic(), False
    try:
        while True:
            if selector.select(timeout=max(0.1, every - (time.monotonic() - last))):
                chunk = os.read(process.stdout.fileno(), 65536)
                if not chunk:
                    break
                out.write(chunk)
                out.flush()
                line_open = not chunk.endswith((b"\n", b"\r"))
                last = time.monotonic()
            elif time.monotonic() - last >= every:
                note = f"... still working: {what} ({time.monotonic() - started:.0f} s so far)\n"
                out.write((b"\n" if line_open else b"") + note.encode())
                out.flush()
                last, line_open = time.monotonic(), False
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        process.wait()
        return 130
    finally:
        selector.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--what", default="the command is running", help="what is going on, in words")
    parser.add_argument("--every", type=float, default=10.0, help="seconds of silence before a line (default 10)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command, after --")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --")
    return run(command, args.what, args.every)


if __name__ == "__main__":
    sys.exit(main())
