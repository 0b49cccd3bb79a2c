"""The Binder environment: exact pins that satisfy pyproject.toml, a supported Python, a postBuild."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _pins() -> dict[str, Version]:
    pins = {}
    for line in (ROOT / "binder" / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            requirement = Requirement(line)
            (spec,) = requirement.specifier
            assert spec.operator == "==", f"{line}: Binder pins must be exact (==)"
            pins[requirement.name.lower()] = Version(spec.version)
    return pins


def test_every_runtime_dependency_is_pinned_within_its_pyproject_range():
    """Each dependency in pyproject.toml has an exact Binder pin that its range allows."""
    pins = _pins()
    for line in PROJECT["dependencies"]:
        requirement = Requirement(line)
        name = requirement.name.lower()
        assert name in pins, f"{name} is a dependency but binder/requirements.txt does not pin it"
        assert requirement.specifier.contains(pins[name]), f"Binder pins {name}=={pins[name]}, outside {line!r}"


def test_binder_python_is_pinned_and_supported():
    """runtime.txt pins a Python (Binder's default 3.10 is too old for pandas 3) allowed by requires-python."""
    text = (ROOT / "binder" / "runtime.txt").read_text().strip()
    match = re.fullmatch(r"python-(\d+\.\d+)", text)
    assert match, f"binder/runtime.txt should read like python-3.11, not {text!r}"
    assert SpecifierSet(PROJECT["requires-python"]).contains(Version(match.group(1)))


def test_postbuild_installs_the_package_without_changing_the_pins():
    """postBuild is an executable script that installs this package with --no-deps."""
    post = ROOT / "binder" / "postBuild"
    assert post.stat().st_mode & 0o111, "binder/postBuild must be executable"
    assert "pip install --no-deps ." in post.read_text()
