"""Real Unix users for the poll tests: made with useradd, removed with userdel, and a Python they can run.

Proving that one student cannot read another's answer needs students who are different Unix users.
:func:`unix_users` creates temporary accounts (``useradd``, each with a home in a temporary folder
every user can enter) and removes them afterwards (``userdel --remove``), whatever happens. That
needs root, or passwordless ``sudo``; without either the test fails and says so (it is never
skipped).

The students' processes must run a Python they may execute, with this checkout's packages. When the
test's own interpreter is one (a CI image's ``/usr/local/bin/python3``), it is used as it is. When it
is not (an interpreter under a private home such as ``/root/.pyenv``), :func:`python_for` makes a
virtual environment from a system Python of the same version that every user can run, whose one
``.pth`` file adds the test environment's site-packages, and whose ``etc/jupyter`` and
``share/jupyter`` are links to the test environment's (JupyterLab's server extension, the
kernel specs): the same packages, an interpreter others may start.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import secrets
import shutil
import site
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

import sarcoma_edu

NEEDS = (
    "this test makes temporary Unix users (useradd, userdel) to prove that students cannot read or replace "
    "each other's answers: run it as root, or as a user with passwordless sudo (sudo -n true must succeed)"
)


@dataclass(frozen=True)
class UnixUser:
    """A temporary account: its name, ids and home folder."""

    name: str
    uid: int
    gid: int
    home: Path


def privileged() -> list[str]:
    """The prefix that runs a command as root ([] as root, sudo -n with passwordless sudo), or fail the test."""
    if os.geteuid() == 0:
        return []
    sudo = shutil.which("sudo")
    if sudo and subprocess.run([sudo, "-n", "true"], capture_output=True, check=False).returncode == 0:
        return ["sudo", "-n"]
    pytest.fail(NEEDS)


def _run(command: Sequence[str]) -> None:
    done = subprocess.run(list(command), capture_output=True, text=True, timeout=60, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {done.stderr.strip()}")


@contextlib.contextmanager
def unix_users(names: Sequence[str]) -> Iterator[tuple[Path, dict[str, UnixUser]]]:
    """Create one temporary Unix account per name (own group, home in a shared temporary folder); remove them after.

    Yields the shared folder (mode 0755, removed afterwards) and the accounts by the names given.
    """
    sudo = privileged()
    for tool in ("useradd", "userdel"):
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            pytest.fail(f"{NEEDS}; {tool} is missing (apt-get install passwd)")
    folder = Path(tempfile.mkdtemp(prefix="sarcoma-edu-users-"))
    os.chmod(folder, 0o755)
    prefix = f"sedu{secrets.token_hex(3)}"
    made: list[str] = []
    users: dict[str, UnixUser] = {}
    try:
        for name in names:
            account, home = f"{prefix}-{name}", folder / name
            _run([*sudo, "useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/sh", "--user-group",
                  account])  # fmt: skip
            made.append(account)
            info = pwd.getpwnam(account)
            users[name] = UnixUser(account, info.pw_uid, info.pw_gid, home)
        yield folder, users
    finally:
        for account in made:
            subprocess.run([*sudo, "userdel", "--remove", account], capture_output=True, timeout=60, check=False)
        if sudo:
            subprocess.run([*sudo, "rm", "-rf", "--", str(folder)], capture_output=True, timeout=60, check=False)
        else:
            shutil.rmtree(folder, ignore_errors=True)


def as_user(
    user: UnixUser, command: Sequence[str], env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess:
    """Run ``command`` as ``user`` with exactly the environment ``env`` (plus HOME, USER and a plain PATH)."""
    environment = {"HOME": str(user.home), "USER": user.name, "LOGNAME": user.name, "PATH": "/usr/bin:/bin", **env}
    if os.geteuid() == 0:
        return subprocess.run(list(command), user=user.uid, group=user.gid, extra_groups=[], env=environment,
                              cwd=user.home, capture_output=True, text=True, timeout=timeout, check=False)  # fmt: skip
    settings = [f"{key}={value}" for key, value in environment.items()]
    return subprocess.run(["sudo", "-n", "-u", user.name, "env", "-i", *settings, *command], cwd=user.home,
                          capture_output=True, text=True, timeout=timeout, check=False)  # fmt: skip


_PROBE = "import sarcoma_edu.live.dropbox, sarcoma_edu.cli"


def _runs(user: UnixUser, command: Sequence[str]) -> bool:
    """Whether ``user`` can run ``command`` successfully (an interpreter she may not execute is a no)."""
    try:
        return as_user(user, command, {}).returncode == 0
    except OSError:
        return False


def python_for(user: UnixUser, folder: Path) -> str:
    """A Python interpreter ``user`` can run that imports this checkout's sarcoma_edu (see the module); or fail."""
    if _runs(user, [sys.executable, "-c", _PROBE]):
        return sys.executable
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    candidates = [shutil.which(version, path="/usr/local/bin:/usr/bin:/bin"), f"/usr/bin/{version}"]
    system = next((c for c in candidates if c and _runs(user, [c, "-c", "pass"])), None)
    if system is None:
        pytest.fail(
            f"the students' processes need a {version} that every user can run (this test's interpreter, "
            f"{sys.executable}, is not runnable by other users): apt-get install {version}"
        )
    bridge = folder / "shared-python"
    subprocess.run([system, "-m", "venv", "--without-pip", str(bridge)], check=True, capture_output=True, timeout=120)
    paths = [*site.getsitepackages(), str(Path(sarcoma_edu.__file__).resolve().parents[1])]
    (bridge / "lib" / version / "site-packages" / "sarcoma_edu_test_env.pth").write_text(
        f"import site; list(map(site.addsitedir, {json.dumps(paths)}))\n", encoding="utf-8"
    )
    for shared in ("etc/jupyter", "share/jupyter"):  # Jupyter's own files (server extensions, JupyterLab, kernels)
        if (Path(sys.prefix) / shared).is_dir():
            (bridge / shared).parent.mkdir(parents=True, exist_ok=True)
            (bridge / shared).symlink_to(Path(sys.prefix) / shared)
    python = str(bridge / "bin" / "python")
    probe = as_user(user, [python, "-c", _PROBE], {})
    if probe.returncode != 0:
        pytest.fail(
            "the students' processes cannot import sarcoma_edu from the test environment "
            f"({', '.join(paths)}): it must be readable by every user\n{probe.stderr[-2000:]}"
        )
    return python
