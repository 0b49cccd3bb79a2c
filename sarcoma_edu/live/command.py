"""The ``sarcoma-edu class`` and ``sarcoma-edu poll`` commands (the top parser is :mod:`sarcoma_edu.cli`).

Examples::

    sarcoma-edu class init /srv/sarcoma-class
    sarcoma-edu poll open /srv/sarcoma-class ex-03-retro-nodes
    sarcoma-edu poll results /srv/sarcoma-class ex-03-retro-nodes --json
    sarcoma-edu poll close /srv/sarcoma-class ex-03-retro-nodes

Exit status as every command: 0 done; 1 when a file of the class folder could not be written or read (one
line naming it and why); 2 for bad input (one line naming the argument, the value and what is
allowed). A file of the drop box that is not counted is one warning line on stderr each.
"""

from __future__ import annotations

import argparse
import json
import sys

from sarcoma_edu.course.items import ContentFolderError
from sarcoma_edu.live.answers import UnknownItemError
from sarcoma_edu.live.classfolder import ClassFolderError, init_class
from sarcoma_edu.live.polls import PollError, close_poll, open_poll
from sarcoma_edu.live.results import results

__all__ = ["COMMANDS", "add_parsers", "run"]

COMMANDS = ("class", "poll")
_ITEM_HELP = (
    "the item polled: a quiz question id, an exercise id such as ex-03-retro-nodes, a case step "
    "case:<case>:<step>, or a generated question such as case-stage-12"
)


def add_parsers(commands) -> None:
    """Add ``class`` (action ``init``) and ``poll`` (actions ``open``, ``close``, ``results``) to the sub-commands."""
    klass = commands.add_parser(
        "class",
        help="set up a class folder for live polls",
        description="Set up the class folder that live polls use (a drop box students write to but cannot read).",
    )
    actions = klass.add_subparsers(dest="class_command", required=True, metavar="ACTION")
    init = actions.add_parser(
        "init",
        help="make a class folder and print what to put in the hub's configuration",
        description=(
            "Make CLASS_DIR: class.json, polls/ (0755), dropbox/ (3733: students create their own answer file "
            "but cannot list the folder, read another's file or replace it) and private/ (0700, the frozen "
            "results). Prints the line for jupyterhub_config.py, and what to do in a computer room or for a "
            "demo on one machine. Running it again on the same folder repairs the permissions. Exit status 0; "
            "1 when the folder cannot be written; 2 for bad input."
        ),
    )
    init.add_argument("class_dir", metavar="CLASS_DIR", help="the class folder to make (its parent must exist)")
    init.add_argument("--names", action="store_true", help="answers carry the student's account name, not a pseudonym")
    init.add_argument(
        "--shared-account",
        action="store_true",
        help="students share one Unix account (or a demo on one machine): one answer per student's token, "
        "not per account",
    )
    poll = commands.add_parser(
        "poll",
        help="open, close or count a live class poll",
        description=(
            "Open a poll on an item (students' answers to it then also go to the class folder), close it "
            "(the results are frozen; answers after that are late), or print its results."
        ),
    )
    verbs = poll.add_subparsers(dest="poll_command", required=True, metavar="ACTION")
    for verb, text in (
        ("open", "open a poll on ITEM_ID: answers given from now on are counted"),
        ("close", "close the poll on ITEM_ID: its results are frozen; later answers are reported as late"),
        ("results", "print how many answered and how many chose each answer (never a name)"),
    ):
        action = verbs.add_parser(verb, help=text, description=text[0].upper() + text[1:] + ".")
        action.add_argument("class_dir", metavar="CLASS_DIR", help="the class folder (made by sarcoma-edu class init)")
        action.add_argument("item_id", metavar="ITEM_ID", help=_ITEM_HELP)
        action.add_argument(
            "--json",
            action="store_true",
            help='print one JSON object: {"item", "responses", "counts", "open", "late"}',
        )
        if verb == "open":
            action.add_argument(
                "--content",
                metavar="DIR",
                help="your content folder, for an item of your own (default: $SARCOMA_EDU_CONTENT)",
            )


def _fail(command: str, message: str, status: int = 2) -> int:
    print(f"sarcoma-edu {command}: error: {message}", file=sys.stderr)
    return status


def run(args: argparse.Namespace) -> int:
    """Run ``class init`` or ``poll open|close|results``; return the exit status (0, 1 not written, 2 bad input)."""
    if args.command == "class":
        try:
            print(init_class(args.class_dir, names=args.names, shared_account=args.shared_account))
        except ClassFolderError as error:
            return _fail("class init", f"CLASS_DIR {error}")
        except OSError as error:
            return _fail("class init", str(error), 1)
        return 0
    command = f"poll {args.poll_command}"
    try:
        if args.poll_command == "open":
            open_poll(args.class_dir, args.item_id, content=args.content)
        elif args.poll_command == "close":
            close_poll(args.class_dir, args.item_id)
        found = results(args.class_dir, args.item_id)
    except UnknownItemError as error:
        return _fail(command, str(error).replace("item_id=", "ITEM_ID ", 1))
    except ClassFolderError as error:
        return _fail(command, f"CLASS_DIR {error}")
    except ContentFolderError as error:
        return _fail(command, str(error))
    except PollError as error:
        return _fail(command, str(error))
    except PermissionError as error:
        where = error.filename or args.class_dir
        reason = f"{error.strerror}; only the instructor who owns the class folder can do this"
        return _fail(command, f"could not write or read {where} ({reason})", 1)
    except OSError as error:
        return _fail(command, f"could not write or read {error.filename or args.class_dir} ({error.strerror})", 1)
    for line in found.skipped:
        print(f"sarcoma-edu {command}: warning: {line}", file=sys.stderr)
    if args.json:
        print(json.dumps(found.as_json(), ensure_ascii=False))
    else:
        done = {"open": "Poll opened. ", "close": "Poll closed: these results are frozen. "}.get(args.poll_command, "")
        print(done + found.describe())
    return 0
