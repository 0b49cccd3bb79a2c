"""The ``sarcoma-edu lab``, ``present`` and ``binder-links`` commands: their options and what they run.

Examples::

    sarcoma-edu lab --dir ~/sarcoma-lessons
    sarcoma-edu present 03 --dark
    sarcoma-edu present 03 --dir ~/sarcoma-lessons --large-text --port 8870
    sarcoma-edu binder-links --repo OWNER/NAME --ref main

The top parser is :mod:`sarcoma_edu.cli`, which also turns a ``ValueError`` or ``TypeError`` from
``lab`` or ``present`` (a lesson not found, a port in use) into one line and exit status 2, with the
library's parameter names as the options typed (:data:`OPTION_WORDS`). ``lab`` exits with status 1
and one line when the lessons cannot be copied; ``binder-links`` with status 2 and one line for a
repository or ref it cannot use.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
from pathlib import Path

from sarcoma_edu.common import atomic as _atomic
from sarcoma_edu.serve import lab_settings, lesson_files, ports, servers
from sarcoma_edu.serve.binder import binder_links, origin_repo

__all__ = ["COMMANDS", "OPTION_WORDS", "add_binder_parser", "add_server_parsers", "run"]

COMMANDS = ("lab", "present", "binder-links")
# library parameter names in a message, as the options a command-line user typed
OPTION_WORDS = {"folder=": "--dir ", "port=": "--port "}
_NOT_WRITTEN = 1  # the exit status when the lessons' copy could not be written


def _port(text: str) -> int:
    try:
        return ports.check_port(int(text))
    except ValueError:
        allowed = "expected a whole number from 1 to 65535"
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number; {allowed}") from None


def add_server_parsers(commands) -> None:
    """Add ``lab`` and ``present`` to the ``sarcoma-edu`` sub-command parsers."""
    lab = commands.add_parser(
        "lab",
        help="copy the lessons to a folder of yours and open JupyterLab there",
        description=(
            "Copy the lessons into a folder (a lesson you have edited is never replaced without asking) "
            "and open JupyterLab there on the welcome lesson."
        ),
    )
    lab.add_argument(
        "--dir", default="~/sarcoma-edu-lessons", help="folder for your copy (default: ~/sarcoma-edu-lessons)"
    )
    lab.add_argument("--port", type=_port, help="port for JupyterLab, 1-65535 (default: the first free one from 8888)")
    lab.add_argument("--no-browser", action="store_true", help="do not open a browser tab")
    lab.add_argument("--no-start", action="store_true", help="only copy the lessons, do not start JupyterLab")

    present = commands.add_parser(
        "present",
        help="show one lesson in Voila for the projector (no code)",
        description="Serve one lesson as a web page with the code hidden, e.g. 'sarcoma-edu present 03'.",
    )
    present.add_argument(
        "lesson", help="lesson number or name (e.g. 03 or staging), or the path to a notebook of yours (.ipynb)"
    )
    present.add_argument(
        "--dir", help="find the lesson in this folder, e.g. the copy 'sarcoma-edu lab --dir' made (your edits)"
    )
    present.add_argument(
        "--dark", action="store_true", help="dark page and figures (easier to read on some projectors)"
    )
    present.add_argument(
        "--large-text", action="store_true", help="text large enough for the back of the room (22 px body text)"
    )
    present.add_argument("--port", type=_port, help="port for Voila, 1-65535 (default: the first free one from 8866)")
    present.add_argument("--no-browser", action="store_true", help="do not open a browser tab")
    present.add_argument("--print-command", action="store_true", help="print the Voila command instead of running it")


def add_binder_parser(commands) -> None:
    """Add ``binder-links`` to the ``sarcoma-edu`` sub-command parsers."""
    links = commands.add_parser(
        "binder-links",
        help="print the Binder badges and URLs for this repository",
        description=(
            "Print the Markdown for the JupyterLab and Voila Binder badges and their URLs. The repository is "
            "--repo, or else read from 'git remote get-url origin' in the current folder."
        ),
    )
    links.add_argument("--repo", help="the GitHub repository as OWNER/NAME (default: from git remote origin)")
    links.add_argument("--ref", default="main", help="branch, tag or commit to build (default: main)")


def _ask(path: Path) -> bool:
    """Ask in the terminal whether to replace an edited lesson; anything but yes keeps it."""
    if not sys.stdin.isatty():
        return False
    reply = input(f"You have edited {path.name}. Replace it with a fresh copy (yours is backed up)? [y/N] ")
    return reply.strip().lower() in ("y", "yes")


def _say_port(default: int, chosen: int) -> None:
    """Say which process still holds the usual port (e.g. a server left running), and how to stop it."""
    note = ports.port_note(default, chosen)
    if note:
        print(note, flush=True)


def _lab(args: argparse.Namespace) -> int:
    try:
        report = lesson_files.copy_lessons(args.dir, replace_edited=_ask)
    except (ValueError, TypeError):
        raise
    except OSError as error:  # a read-only folder, a full disk: not bad input
        where = error.filename or args.dir
        reason = error.strerror or str(error)
        text = str(error) if isinstance(error, _atomic.OutputError) else f"could not write {where} ({reason})"
        print(f"sarcoma-edu lab: error: the lessons were not copied: {text}", file=sys.stderr)
        return _NOT_WRITTEN
    print(report.describe())
    if args.no_start:
        print(f"Start JupyterLab there with: {shlex.join(['sarcoma-edu', 'lab', '--dir', str(report.folder)])}")
        return 0
    port = ports.choose_port(args.port, ports.LAB_PORT)
    _say_port(ports.LAB_PORT if args.port is None else port, port)
    where = ports.url(port, "/lab/tree/00_welcome.ipynb")
    # a workspace of its own for this start: the lessons left open last time do not all reopen, each with a kernel
    with tempfile.TemporaryDirectory(prefix="sarcoma-edu-lab-workspace-") as workspaces:
        command = servers.lab_command(report.folder, port, browser=not args.no_browser, workspaces=Path(workspaces))
        print(f"JupyterLab at {where} (the link with its login token follows); press Ctrl+C to stop.", flush=True)
        return servers.run_server(command, lab_settings.lab_env())  # no news pop-up for students


def _present(args: argparse.Namespace) -> int:
    lesson = lesson_files.resolve(args.lesson, args.dir)
    port = ports.choose_port(args.port, ports.PRESENT_PORT)
    _say_port(ports.PRESENT_PORT if args.port is None else port, port)
    browser = not args.no_browser
    command = servers.present_command(lesson, args.dark, port, browser, large_text=args.large_text)
    env = servers.present_env(dark=args.dark, large_text=args.large_text)
    if args.print_command:
        print(shlex.join([*(f"{k}={v}" for k, v in env.items()), *command]))
        return 0
    print(f"Presenting {lesson.name} at {ports.url(port)} (code hidden); press Ctrl+C to stop.", flush=True)
    return servers.run_server(command, env)


def _binder_links(args: argparse.Namespace) -> int:
    try:
        repo = args.repo if args.repo is not None else origin_repo(".")
        links = binder_links(repo, args.ref)
    except ValueError as error:
        message = str(error).replace("repo=", "--repo ").replace("ref=", "--ref ")
        print(f"sarcoma-edu binder-links: error: {message}", file=sys.stderr)
        return 2
    print(links.describe())
    return 0


def run(args: argparse.Namespace) -> int:
    """Run ``lab``, ``present`` or ``binder-links``; return the exit status."""
    return {"lab": _lab, "present": _present, "binder-links": _binder_links}[args.command](args)
