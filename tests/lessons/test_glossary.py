"""The glossary: each term defined in plain words with a source, shown in lesson 00, linked at a lesson's first use."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sarcoma_edu import load_table

ROOT = Path(__file__).resolve().parents[2]
_SPEC = importlib.util.spec_from_file_location("build_glossary", ROOT / "scripts" / "build_glossary.py")
build_glossary = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(build_glossary)
TERMS = build_glossary.load_terms()
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
LINK = re.compile(r'\[([^\]]+)\]\((?:00_welcome\.ipynb)?#Glossary "([^"]*)"\)')


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def test_the_glossary_table_loads_with_a_definition_and_source_for_every_term():
    """datasets/glossary.csv is a declared table; every term has a definition, a source and forms no other term has."""
    table = load_table("glossary.csv")
    assert len(table) >= 20 and (table["definition"] != "").all() and (table["source"] != "").all()
    forms = [form.lower() for row in TERMS for form in row["forms"]]
    assert len(forms) == len(set(forms)), "a word is a form of two terms"
    assert not [row["term"] for row in TERMS if '"' in row["definition"]], "a definition holds a double quote"


def test_the_glossary_and_its_links_are_up_to_date():
    """`scripts/build_glossary.py --check` finds the glossary cell, the links and the sources up to date."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_glossary.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout


def test_lesson_00_shows_every_term_with_its_definition_and_source_before_the_self_check():
    """Lesson 00's glossary section lists each term, its plain definition and its source, before the self-check."""
    cells = ["".join(c["source"]) for c in _cells(ROOT / "notebooks" / "00_welcome.ipynb")]
    glossary = next(i for i, text in enumerate(cells) if text.startswith("## Glossary"))
    assert glossary < next(i for i, text in enumerate(cells) if text.startswith("## Self-check"))
    for row in TERMS:
        term = row["term"][:1].upper() + row["term"][1:]
        assert f"- **{term}**: {row['definition']}. *Source: {row['source']}.*" in cells[glossary]


def _uses(path: Path) -> list[tuple[str, bool, str]]:
    """(term, linked?, where) for every use of a glossary term in a lesson's running text, in reading order."""
    pattern = build_glossary._pattern(TERMS)
    lookup = build_glossary._form_to_term(TERMS)
    uses = []
    for cell in _cells(path):
        text = "".join(cell["source"])
        if build_glossary._skipped_cell(cell):
            continue
        for line, running in zip(text.split("\n"), build_glossary.running_text_lines(text), strict=True):
            if not running:
                continue
            links = [(m.start(), m.end(), m.group(1)) for m in LINK.finditer(line)]
            plain = build_glossary._PROTECTED.sub(lambda m: " " * len(m.group(0)), line)
            found = [(start, lookup[text.lower()]["term"], True) for start, _, text in links if text.lower() in lookup]
            found += [(m.start(), lookup[m.group(1).lower()]["term"], False) for m in pattern.finditer(plain)]
            uses += [(term, linked, f"{path.name} cell {cell['id']}") for _, term, linked in sorted(found)]
    return uses


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_every_glossary_term_a_lesson_uses_is_linked_where_it_is_first_used(path):
    """Each glossary term a lesson's text uses is linked to the glossary at its first use, and only there."""
    first: dict[str, bool] = {}
    problems = []
    for term, linked, where in _uses(path):
        if term not in first:
            first[term] = linked
            if not linked:
                problems.append(f"{where}: the first use of {term!r} is not linked to the glossary")
        elif linked:
            problems.append(f"{where}: {term!r} is linked again after its first use")
    assert not problems, "\n".join(problems)
    assert first or path.name in {"09_class_report.ipynb"}, f"{path.name} uses no glossary term"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_every_glossary_link_names_a_defined_term_and_shows_its_definition(path):
    """A glossary link's text is a form of a defined term, and its hover title is that term's definition."""
    lookup = build_glossary._form_to_term(TERMS)
    for cell in _cells(path):
        for text, title in LINK.findall("".join(cell["source"])):
            assert text.lower() in lookup, f"{path.name} cell {cell['id']}: {text!r} is not in datasets/glossary.csv"
            assert title == lookup[text.lower()]["definition"]


def test_the_linker_links_first_uses_in_running_text_only_and_twice_changes_nothing():
    """Headings, HTML answers, code and other links are left alone; running the linker again changes nothing."""
    cells = [
        {"cell_type": "markdown", "id": "a", "metadata": {}, "source": "## Grade\n\nThe grade and the `grade`."},
        {
            "cell_type": "markdown",
            "id": "b",
            "metadata": {},
            "source": "<details>grade</details>\n\nA biopsy, a grade.",
        },
    ]
    first = build_glossary.link_lesson("05_x.ipynb", cells, TERMS)
    assert first[0].startswith("## Grade\n\nThe [grade](00_welcome.ipynb#Glossary ")
    assert first[0].endswith("and the `grade`.")
    assert first[1].startswith("<details>grade</details>\n\nA [biopsy](00_welcome.ipynb#Glossary ")
    assert first[1].endswith(", a grade.")
    again = [{**cell, "source": text} for cell, text in zip(cells, first, strict=True)]
    assert build_glossary.link_lesson("05_x.ipynb", again, TERMS) == first


def test_an_abbreviation_is_linked_only_as_written_and_a_plain_word_in_any_case():
    """GIST, Gy and CARE are linked where written so, not in "the gist", "2 gy" or "palliative care"; "Grade" still
    links the term grade."""
    terms = [
        {"term": term, "forms": [term], "definition": f"The meaning of {term}"}
        for term in ("GIST", "Gy", "CARE", "grade", "palliative")
    ]
    text = "The gist of palliative care, 2 gy. Grade, then GIST, 50 Gy and CARE."
    cells = [{"cell_type": "markdown", "id": "a", "metadata": {}, "source": text}]
    linked = re.findall(r"\[([^\]]+)\]\(00_welcome", build_glossary.link_lesson("05_x.ipynb", cells, terms)[0])
    assert linked == ["palliative", "Grade", "GIST", "Gy", "CARE"]


def test_what_the_reference_does_not_say_is_marked_as_the_courses_own_words_in_the_glossary():
    """'Soft tissue' says that the bones and cartilage of the skeleton are not soft tissue and reads PDQ's 'mixed
    bone/cartilage' as tumours that make bone or cartilage outside the skeleton, its source marking both as the
    course's own words (the reference lists the soft tissues, section 1, mixed bone/cartilage among them), and
    'haemorrhagic cystitis' gives the urine check as following from the harm, which the reference names with its
    prevention but not the check (section 5b); both cite a 'teaching' source."""
    rows = {row["term"]: row for row in TERMS}
    soft, cystitis = rows["soft tissue"], rows["haemorrhagic cystitis"]
    assert "The bones and cartilage of the skeleton themselves are not soft tissue" in soft["definition"]
    assert "such as extraskeletal osteosarcoma, is a soft tissue sarcoma" in soft["definition"]
    assert "are the course's own words" in soft["source"]
    assert "follows from that harm" in cystitis["definition"] and "the nurse checks" not in cystitis["definition"]
    assert "teaching:" in soft["source"] and "teaching:" in cystitis["source"]


# the technical words of the drug safety table a nurse reads (datasets/drugs.csv: watch_for, monitoring, side_effects)
NURSE_TERMS = (
    "mesna",
    "haemorrhagic cystitis",
    "encephalopathy",
    "cardiomyopathy",
    "echocardiogram",
    "MUGA",
    "EKG",
    "cytokine release syndrome",
    "autoimmune reaction",
    "infusion reaction",
    "low blood counts",
)


@pytest.mark.parametrize("term", NURSE_TERMS)
def test_a_nurse_finds_each_technical_word_of_the_drug_safety_table_in_the_glossary(term):
    """Each technical word the drug safety table uses is defined in the glossary, with a source (reference 5b)."""
    drugs = load_table("drugs.csv")
    used = " ".join(drugs[["watch_for", "monitoring", "side_effects"]].to_numpy().ravel()).lower()
    assert term.lower() in used, f"{term!r} is no longer in the drug table: update NURSE_TERMS"
    rows = {row["term"]: row for row in TERMS}
    assert term in rows and rows[term]["definition"] and rows[term]["source"]
