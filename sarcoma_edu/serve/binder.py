"""Binder badges made from the repository's own address, so they never point at a guessed one.

mybinder.org builds a GitHub repository from ``https://mybinder.org/v2/gh/OWNER/NAME/REF`` and
opens the page named by ``urlpath``: ``lab/tree/<path>`` opens a notebook in JupyterLab,
``voila/render/<path>`` shows it in Voila with the code hidden. The address comes from
``--repo OWNER/NAME`` or from ``git remote get-url origin`` (``https://github.com/OWNER/NAME.git``,
``git@github.com:OWNER/NAME.git`` or ``ssh://git@github.com/OWNER/NAME.git``).
"""

from __future__ import annotations

import re
import subprocess
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from sarcoma_edu.common import checks as _checks

__all__ = ["BADGE_IMAGE", "LAB_PATH", "VOILA_PATH", "BinderLinks", "binder_links", "origin_repo", "repo_from_remote"]

BADGE_IMAGE = "https://mybinder.org/badge_logo.svg"
LAB_PATH = "lab/tree/notebooks/00_welcome.ipynb"
VOILA_PATH = "voila/render/notebooks/03_staging.ipynb"
_NAME = r"[A-Za-z0-9_.-]+"
_REMOTES = (
    re.compile(rf"^https?://(?:[^@/]+@)?(?:www\.)?github\.com/({_NAME})/({_NAME}?)(?:\.git)?/?$"),
    re.compile(rf"^(?:ssh://)?git@github\.com[:/]({_NAME})/({_NAME}?)(?:\.git)?/?$"),
)
_REPO = re.compile(rf"^({_NAME})/({_NAME})$")


@dataclass(frozen=True)
class BinderLinks:
    """The two Binder URLs and their Markdown badges for one repository and ref."""

    repo: str
    ref: str
    lab_url: str
    voila_url: str

    @property
    def lab_badge(self) -> str:
        """Markdown for the badge that opens the course in JupyterLab."""
        return f"[![Launch the course in JupyterLab on Binder]({BADGE_IMAGE})]({self.lab_url})"

    @property
    def voila_badge(self) -> str:
        """Markdown for the badge that opens the staging calculator in Voila."""
        return f"[![Open the staging calculator in Voila on Binder]({BADGE_IMAGE})]({self.voila_url})"

    def describe(self) -> str:
        """The badges and URLs as printed by ``sarcoma-edu binder-links``."""
        return (
            f"Binder links for {self.repo} at {self.ref}\n\n"
            f"JupyterLab (the course, from 00_welcome):\n{self.lab_badge}\n{self.lab_url}\n\n"
            f"Voila (the staging calculator, code hidden):\n{self.voila_badge}\n{self.voila_url}"
        )


def repo_from_remote(url: str) -> str:
    """``OWNER/NAME`` from a GitHub remote address (https or ssh form).

    Raises:
        ValueError: the address is not a GitHub repository's.
    """
    text = url.strip()
    for pattern in _REMOTES:
        match = pattern.match(text)
        if match and match.group(2) not in ("", ".", ".."):
            return f"{match.group(1)}/{match.group(2)}"
    raise ValueError(
        f"remote {text!r} is not a GitHub repository address (https://github.com/OWNER/NAME or "
        "git@github.com:OWNER/NAME.git); mybinder.org's gh links need one: give --repo OWNER/NAME"
    )


def origin_repo(folder: str | Path = ".") -> str:
    """``OWNER/NAME`` of the ``origin`` remote of the git repository at ``folder``.

    Raises:
        ValueError: there is no git, no repository there, no ``origin`` remote, or it is not on GitHub.
    """
    try:
        done = subprocess.run(
            ["git", "remote", "get-url", "origin"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except FileNotFoundError:
        raise ValueError(
            "git is not installed, so the repository's address is unknown: give --repo OWNER/NAME"
        ) from None
    except NotADirectoryError:
        raise ValueError(f"folder={str(folder)!r} is not a folder") from None
    if done.returncode != 0:
        raise ValueError(
            f"no git remote 'origin' in {str(Path(folder).resolve())!r}, so the repository's address is unknown: "
            "give --repo OWNER/NAME (or run: git remote add origin https://github.com/OWNER/NAME.git)"
        )
    return repo_from_remote(done.stdout)


def binder_links(repo: str, ref: str = "main") -> BinderLinks:
    """The JupyterLab and Voila Binder URLs for ``repo`` (``OWNER/NAME``) at ``ref`` (a branch, tag or commit).

    Raises:
        ValueError: ``repo`` is not OWNER/NAME, or ``ref`` is empty or holds spaces.
    """
    if not isinstance(repo, str) or not _REPO.match(repo.strip()) or repo.strip().split("/")[1] in (".", ".."):
        raise ValueError(f"repo={_checks.show(repo)} is not a GitHub repository; expected OWNER/NAME, e.g. octo/course")
    if not isinstance(ref, str) or not ref.strip() or any(c.isspace() for c in ref.strip()):
        raise ValueError(f"ref={_checks.show(ref)} is not a branch, tag or commit; expected e.g. main")
    repo, ref = repo.strip(), ref.strip()
    base = f"https://mybinder.org/v2/gh/{repo}/{urllib.parse.quote(ref, safe='')}"
    return BinderLinks(repo, ref, f"{base}?urlpath={LAB_PATH}", f"{base}?urlpath={VOILA_PATH}")
