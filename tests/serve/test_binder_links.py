"""Binder badges generated from the repository's address: exact URLs, every remote form, one-line errors."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sarcoma_edu.serve.binder import LAB_PATH, VOILA_PATH, binder_links, origin_repo, repo_from_remote

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).parent / "sarcoma-edu"
LAB = "https://mybinder.org/v2/gh/octo-org/sts.course/main?urlpath=lab/tree/notebooks/00_welcome.ipynb"
VOILA = "https://mybinder.org/v2/gh/octo-org/sts.course/main?urlpath=voila/render/notebooks/03_staging.ipynb"

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _git_repo(folder: Path, remote: str | None) -> Path:
    subprocess.run(["git", "init", "-q", str(folder)], check=True, timeout=30)
    if remote is not None:
        subprocess.run(["git", "-C", str(folder), "remote", "add", "origin", remote], check=True, timeout=30)
    return folder


@pytest.mark.parametrize(
    "remote",
    [
        "https://github.com/octo-org/sts.course.git",
        "https://github.com/octo-org/sts.course",
        "https://github.com/octo-org/sts.course/",
        "https://teacher@github.com/octo-org/sts.course.git",
        "git@github.com:octo-org/sts.course.git",
        "git@github.com:octo-org/sts.course",
        "ssh://git@github.com/octo-org/sts.course.git",
    ],
)
def test_github_remotes_in_https_and_ssh_form_give_owner_and_name(remote):
    """Every usual form of a GitHub remote gives OWNER/NAME (a dot in the name kept, .git removed)."""
    assert repo_from_remote(remote + "\n") == "octo-org/sts.course"


@pytest.mark.parametrize(
    "remote", ["https://gitlab.com/octo/course.git", "/srv/git/course.git", "git@github.com:octo", ""]
)
def test_a_remote_not_on_github_is_refused_with_what_to_do(remote):
    """A remote that is not a GitHub repository is a ValueError that says to give --repo OWNER/NAME."""
    with pytest.raises(ValueError, match=r"not a GitHub repository address.*--repo OWNER/NAME"):
        repo_from_remote(remote)


def test_the_urls_and_badges_for_a_repository():
    """The lab URL opens 00_welcome in JupyterLab and the Voila URL renders 03_staging, each with a badge."""
    links = binder_links("octo-org/sts.course", "main")
    assert (links.lab_url, links.voila_url) == (LAB, VOILA)
    assert (
        links.lab_badge == f"[![Launch the course in JupyterLab on Binder](https://mybinder.org/badge_logo.svg)]({LAB})"
    )
    assert links.voila_badge.endswith(f"]({VOILA})")


def test_a_ref_with_a_slash_is_encoded():
    """A branch such as spring/2026 is percent-encoded in the Binder path, as mybinder.org expects."""
    assert binder_links("octo/course", "spring/2026").lab_url.startswith(
        "https://mybinder.org/v2/gh/octo/course/spring%2F2026?"
    )


@pytest.mark.parametrize(
    ("repo", "ref", "words"),
    [
        ("octo", "main", "repo='octo' is not a GitHub repository; expected OWNER/NAME"),
        ("octo/course/extra", "main", "expected OWNER/NAME"),
        ("octo/..", "main", "expected OWNER/NAME"),
        ("octo/course", "", "ref='' is not a branch, tag or commit"),
        ("octo/course", "my branch", "ref='my branch' is not a branch"),
    ],
)
def test_bad_repo_or_ref_is_refused(repo, ref, words):
    """A repository that is not OWNER/NAME, or an empty ref or one with spaces, is refused naming the value."""
    with pytest.raises(ValueError, match=re.escape(words)):
        binder_links(repo, ref)


def test_the_linked_notebooks_exist():
    """Both badges open notebooks that exist in the repository."""
    for urlpath in (LAB_PATH, VOILA_PATH):
        assert (ROOT / urlpath.split("/", 2)[2]).is_file(), urlpath


@needs_git
def test_the_command_prints_the_urls_for_the_origin_remote(tmp_path):
    """In a clone whose origin is git@github.com:octo-org/sts.course.git, binder-links prints both exact URLs."""
    repo = _git_repo(tmp_path / "clone", "git@github.com:octo-org/sts.course.git")
    assert origin_repo(repo) == "octo-org/sts.course"
    done = subprocess.run([str(SCRIPT), "binder-links"], cwd=repo, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert LAB in lines and VOILA in lines
    assert f"[![Launch the course in JupyterLab on Binder](https://mybinder.org/badge_logo.svg)]({LAB})" in lines
    assert f"[![Open the staging calculator in Voila on Binder](https://mybinder.org/badge_logo.svg)]({VOILA})" in lines


@needs_git
def test_repo_and_ref_options_win_over_the_remote(tmp_path):
    """--repo and --ref choose the repository and branch whatever the remote says."""
    repo = _git_repo(tmp_path / "clone", "https://github.com/someone/else.git")
    done = subprocess.run(
        [str(SCRIPT), "binder-links", "--repo", "octo-org/sts.course", "--ref", "v1.0"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert LAB.replace("/main?", "/v1.0?") in done.stdout.splitlines()


@needs_git
@pytest.mark.parametrize(
    ("remote", "args", "words"),
    [
        (None, [], "no git remote 'origin'"),
        ("https://gitlab.com/octo/course.git", [], "is not a GitHub repository address"),
        ("https://github.com/octo/course.git", ["--repo", "octo"], "--repo 'octo' is not a GitHub repository"),
        ("https://github.com/octo/course.git", ["--ref", " "], "--ref ' ' is not a branch, tag or commit"),
    ],
)
def test_the_command_without_a_usable_address_exits_2_with_one_line(tmp_path, remote, args, words):
    """No origin remote, a remote not on GitHub, or a bad --repo/--ref: exit 2 and one line saying what to give."""
    repo = _git_repo(tmp_path / "clone", remote)
    done = subprocess.run([str(SCRIPT), "binder-links", *args], cwd=repo, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], done.stderr
    assert lines[0].startswith("sarcoma-edu binder-links: error: ")


def test_outside_a_git_repository_the_command_says_to_give_repo(tmp_path):
    """In a folder that is no git repository (or with no git installed), binder-links exits 2 asking for --repo."""
    done = subprocess.run(
        [str(SCRIPT), "binder-links"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin", "GIT_CEILING_DIRECTORIES": str(tmp_path)},
    )
    assert done.returncode == 2
    assert "give --repo OWNER/NAME" in done.stderr and len(done.stderr.strip().splitlines()) == 1
