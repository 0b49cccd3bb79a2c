"""Sources as data: every cited source is in datasets/sources.csv, and the bibliographies are generated from it."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from sarcoma_edu.clinical.sources import bibliography_line, citation_key, load_sources, unknown_citations

ROOT = Path(__file__).resolve().parents[2]


def _source_values() -> list[tuple[str, str]]:
    """(where, value) for every `source` in the tables, quiz banks, case files, objectives and glossary."""
    found: list[tuple[str, str]] = []
    for path in sorted((ROOT / "datasets").rglob("*.csv")):
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            if "source" not in (reader.fieldnames or []):
                continue
            for number, row in enumerate(reader, start=2):
                found.append((f"{path.relative_to(ROOT)}, row {number}", row["source"]))

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            label = node.get("id", "")
            for name, value in node.items():
                if name == "source" and isinstance(value, str):
                    found.append((f"{where} {label}".strip(), value))
                else:
                    walk(value, f"{where} {label}".strip() if label else where)
        elif isinstance(node, list):
            for value in node:
                walk(value, where)

    for path in sorted((ROOT / "datasets").rglob("*.json")):
        if not path.name.endswith(".schema.json"):
            walk(json.loads(path.read_text(encoding="utf-8")), str(path.relative_to(ROOT)))
    return found


def test_there_are_sources_to_check():
    """The collector finds the source values of the tables and the quiz banks (so the next test is not empty)."""
    places = {where.split(",")[0].split(" ")[0] for where, _ in _source_values()}
    assert "datasets/drugs.csv" in places
    assert any(p.startswith("datasets/quiz/") for p in places)


def test_every_source_value_starts_with_a_known_key():
    """Each citation of every source value starts with a key of datasets/sources.csv; failures name file and row."""
    problems = [f"{where}: {bad!r}" for where, value in _source_values() for bad in unknown_citations(value)]
    assert not problems, f"{len(problems)} citation(s) with no known key:\n" + "\n".join(problems[:60])


@pytest.mark.parametrize(
    ("citation", "key"),
    [
        ("PDQ-HP (2025-02-21): SCARE mnemonic", "PDQ-HP"),
        ("FDA label (ifosfamide, boxed warning)", "FDA label"),
        ("FDA (US approval status)", "FDA"),
        ("Keung, EJSO 2018", "Keung"),
        ("AJCC8 head and neck chapter", "AJCC8"),
        ("PDQ-PTX", None),
        ("brain imaging in staging", None),
    ],
)
def test_a_citation_is_read_by_its_key(citation, key):
    """The longest known key at the start of a citation is its key; a near miss is not a key."""
    assert citation_key(citation) == key


def test_an_empty_source_is_a_problem():
    """A row whose source is empty is reported."""
    assert unknown_citations("  ") == ["(empty source)"]


def test_every_key_has_a_citation_and_a_place_to_find_it():
    """Each bibliography row gives the full citation and where to find it."""
    for key, row in load_sources().items():
        assert row["citation"] and row["where"], key
        assert bibliography_line(key).startswith(f"- {key}: ")


def test_unknown_key_is_a_clear_error():
    """Asking for a key that is not in the bibliography names it and lists the known keys."""
    with pytest.raises(KeyError, match=r"key=.PDQ. is not in datasets/sources\.csv"):
        bibliography_line("PDQ")


def test_readme_and_lesson_sources_are_generated_from_the_bibliography():
    """The README and every lesson list their sources exactly as datasets/sources.csv gives them."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_bibliography.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
