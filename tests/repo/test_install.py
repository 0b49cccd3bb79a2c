"""A non-editable install (the built wheel) carries its data and works from any folder."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

from sarcoma_edu import load_bank

ROOT = Path(__file__).resolve().parents[2]


def test_built_wheel_stages_a_case_outside_the_repo(tmp_path):
    """The wheel holds every data table; installed into an empty folder it stages a case from /tmp."""
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    (wheel,) = wheels.glob("sarcoma_edu-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for table in sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "datasets").rglob("*.*sv")):
        assert f"sarcoma_edu/{table}" in names
    for bank in sorted(p.name for p in (ROOT / "datasets" / "quiz").glob("*.json")):
        assert f"sarcoma_edu/datasets/quiz/{bank}" in names
    for case in sorted(p.name for p in (ROOT / "datasets" / "cases").glob("*.json")):
        assert f"sarcoma_edu/datasets/cases/{case}" in names

    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "import json, sarcoma_edu as s; r = s.stage('extremity', 7, 'high');"
        "print(json.dumps({'file': s.__file__, 'stage': r.stage, 'grade': s.fnclcc(3, 25, 60).grade,"
        " 'questions': len(s.load_bank())}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=elsewhere,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    payload = json.loads(done.stdout)
    assert payload["file"].startswith(str(target))
    assert (payload["stage"], payload["grade"]) == ("IIIA", 3)
    assert payload["questions"] == len(load_bank())
