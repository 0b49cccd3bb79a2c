"""Every abbreviation a student meets in a lesson is spelled out or linked to the glossary where it is first used.

A lesson is read as a student reads it: its markdown cells in order (the code cells' output is not read, since most
of it is drawn by widgets when the lesson runs). An abbreviation is a word of two or more capitals or digits with at
least one capital, with an optional hyphenated part (AJCC, CT, R0, NF1, MSI-H, PD-L1, CTLA-4), a plural of one
(GISTs), a word with a capital after its first letter that is not a joined-up name (cGy, mRNA; not JupyterLab), or a
capital and a small letter straight after a number, the way a unit is written (50 Gy).

Where a word is used decides what it needs:

- in the text (running text, tables, the answers behind "Show a model answer", link texts, a single word in inline
  code such as a gene to type): at its first use it is spelled out, "magnetic resonance imaging (MRI)", "MRI
  (magnetic resonance imaging)" or "SCARE: Synovial sarcoma, Clear cell ...", with the letters found in the words in
  order (or, in brackets after it, each the first letter of one word: "UTC (Coordinated Universal Time)"), or it is
  the text of a glossary link, or it is another form of a glossary term linked earlier in the lesson
  (R0 after "margin"); later uses need nothing;
- as a citation, a key of ``datasets/sources.csv`` in brackets, "(PDQ-PT)" or "[AJCC8; PDQ-HP]": the lesson's
  Sources list gives the work in full, so the key needs that list to name it;
- in a title, a heading, the learning objectives, the lesson map, the navigation or the Sources list, which carry
  no links (the Sources list is written from ``datasets/sources.csv``): it is a glossary term, or the lesson's text
  defines it; a Sources line's own key and an author's initials ("Amin MB et al.") need nothing.

Stage labels and TNM and grade categories are excepted by one pattern, not a list: T, N, M or G followed by X, "is"
or a digit and an optional small letter (T2a, N0, M1, GX, Tis), and a Roman numeral from I to IV with an optional
A to C (IA, IIIB, IV). Code in fenced blocks and inline code of more than one word are code, not words.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_SPEC = importlib.util.spec_from_file_location("build_glossary", ROOT / "scripts" / "build_glossary.py")
build_glossary = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(build_glossary)
TERMS = build_glossary.load_terms()
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
with open(ROOT / "datasets" / "sources.csv", newline="", encoding="utf-8") as _handle:
    SOURCE_KEYS = sorted((row["key"] for row in csv.DictReader(_handle)), key=len, reverse=True)

STAGE_LABEL = re.compile(r"[TNMG](?:X|is|[0-9])[a-d]?|(?:I{1,3}|IV)[A-C]?")
_WORD = re.compile(r"(?<![A-Za-z0-9-])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
_CAPS = re.compile(r"[A-Z0-9]*[A-Z][A-Z0-9]*")
_JOINED_NAME = re.compile(r"(?:[A-Z]?[a-z]+)(?:[A-Z][a-z]{2,})+")  # JupyterLab, McDonald: names, not abbreviations
_INLINE = re.compile(
    r'\[(?P<glossary>[^\]]+)\]\((?:00_welcome\.ipynb)?#Glossary "[^"]*"\)'  # a glossary link: its text is linked
    r"|\[(?P<text>[^\]]*)\]\([^)\s]*\)"  # another link: its text is read, its target is not
    r"|`(?P<code>[^`]*)`"  # inline code
    r"|<[^>]*>"  # an HTML tag
    r"|\*+"  # emphasis
)
_INITIALS = re.compile(r"\b[A-Z][a-z]+ ([A-Z]{1,3})(?= et al\.|,)")  # "Amin MB et al.", "Coindre JM, ..."
_FILLER = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


def abbreviation(word: str, before: str = "") -> str | None:
    """The abbreviation a word is or holds (None if it holds none, or only a stage, TNM or grade label).

    ``before`` is the text just before the word: a capital and a small letter after a number is a unit (50 Gy).
    """
    parts = word.split("-")
    for start, part in enumerate(parts):
        core = part[:-1] if len(part) > 2 and _CAPS.fullmatch(part[:-1]) and part.endswith("s") else part
        if len(core) >= 2 and _CAPS.fullmatch(core):
            short = "-".join([core, *_caps_run(parts[start + 1 :])])
            return None if STAGE_LABEL.fullmatch(short) else short
        if re.search(r"(?<=.)[A-Z]", part) and not _JOINED_NAME.fullmatch(part):
            return part
    if re.fullmatch(r"[A-Z][a-z]", word) and re.search(r"[0-9]\s?$", before):
        return word
    return None


def _caps_run(parts: list[str]) -> list[str]:
    run = []
    for part in parts:
        if not re.fullmatch(r"[A-Z0-9]+", part):
            break
        run.append(part)
    return run


def _letters_in(short: str, long: str, anchored: bool) -> bool:
    """Whether ``long`` spells out ``short``: its letters and digits in order, the first one starting a word.

    This is the test of Schwartz and Hearst (2003) for an abbreviation's long form; ``anchored`` also asks that the
    long form's first word (after "the" or "a") starts with the abbreviation's first letter, as it does after the
    abbreviation ("MRI (magnetic resonance imaging)").
    """
    letters = [c for c in short.lower() if c.isalnum()]
    text = _FILLER.sub("", long.strip()).lower()
    if not letters or not text or (anchored and not text.startswith(letters[0])):
        return False
    at = len(text) - 1
    for index in range(len(letters) - 1, -1, -1):
        while at >= 0 and (text[at] != letters[index] or (index == 0 and at > 0 and text[at - 1].isalnum())):
            at -= 1
        if at < 0:
            return False
        at -= 1
    return True


def _initials_in(short: str, long: str) -> bool:
    """Whether the words of ``long`` start with the letters of ``short`` in order, the first word with the first."""
    letters = [c for c in short.lower() if c.isalnum()]
    initials = [word[0].lower() for word in re.findall(r"[A-Za-z0-9]+", long)]
    if not letters or not initials or initials[0] != letters[0]:
        return False
    remaining = iter(initials)
    return all(letter in remaining for letter in letters)


def spelled_out(short: str, line: str, start: int, end: int) -> bool:
    """Whether the abbreviation at ``line[start:end]`` is spelled out there, before or after it."""
    after, before = line[end:], line[:start]
    limit = min(len(short) + 5, 2 * len(short))
    bracket = re.match(r"\s*\(([^()]*)\)", after)
    if bracket:
        long = re.split(r"[;,]", bracket.group(1))[0]
        initials = sorted(word[0].lower() for word in re.findall(r"[A-Za-z0-9]+", _FILLER.sub("", long.strip())))
        if _letters_in(short, long, anchored=True) or initials == sorted(c for c in short.lower() if c.isalnum()):
            return True  # in order, or each letter the first of one word, as in "UTC (Coordinated Universal Time)"
    colon = re.match(r"\s*:\s*([^.;]*)", after)
    if colon and _initials_in(short, " ".join(colon.group(1).split()[: limit + 2])):
        return True
    if re.search(r"\(\s*$", before) and re.match(r"\s*[),;]", after):
        clause = re.split(r"[.,;:()]", before[: before.rstrip().rfind("(")])[-1]
        if _letters_in(short, " ".join(clause.split()[-limit:]), anchored=False):
            return True
    return False


def citation_spans(line: str) -> list[tuple[int, int, str]]:
    """(start, end, key) of each source key cited in brackets: "(PDQ-PT)", "(AJCC8; PDQ-PT)", "[TARPSWG: ...]"."""
    spans = []
    for bracket in re.finditer(r"\(([^()]*)\)|\[([^\[\]]*)\]", line):
        inside = bracket.start() + 1
        content = bracket.group(1) if bracket.group(1) is not None else bracket.group(2)
        for part in re.finditer(r"[^;,]+", content):
            text = part.group(0)
            lead = len(text) - len(text.lstrip())
            for key in SOURCE_KEYS:
                rest = text.lstrip()[len(key) :]
                if text.lstrip().startswith(key) and (not rest or rest[0] in " :(,"):
                    at = inside + part.start() + lead
                    spans.append((at, at + len(key), key))
                    break
    return spans


def plain_line(line: str) -> tuple[str, list[tuple[int, int]]]:
    """A markdown line as a student reads it, and the spans of the glossary links in it.

    Links show their text, inline code of one word shows that word (other inline code and HTML tags show nothing),
    and emphasis marks are dropped.
    """
    out, linked, last = [], [], 0
    length = 0
    for match in _INLINE.finditer(line):
        out.append(line[last : match.start()])
        length += match.start() - last
        if match.group("glossary") is not None:
            shown = match.group("glossary")
            linked.append((length, length + len(shown)))
        elif match.group("text") is not None:
            shown = match.group("text")
        elif match.group("code") is not None:
            shown = match.group("code") if re.fullmatch(r"[A-Za-z0-9-]+", match.group("code")) else " "
        else:
            shown = " " if match.group(0).startswith("<") else ""
        out.append(shown)
        length += len(shown)
        last = match.end()
    out.append(line[last:])
    return "".join(out), linked


@dataclass
class Reading:
    """What one lesson has defined so far, and the problems found."""

    name: str
    sources: set[str]
    defined: set[str] = field(default_factory=set)
    linked_terms: set[str] = field(default_factory=set)
    labels: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


_FORMS = {form.lower(): row["term"] for row in TERMS for form in row["forms"]}


def _glossary_forms_in(line: str) -> list[tuple[int, int, str]]:
    pattern = build_glossary._pattern(TERMS)
    return [(m.start(), m.end(), _FORMS[m.group(1).lower()]) for m in pattern.finditer(line)]


def _read_text(reading: Reading, line: str, where: str) -> None:
    plain, linked = plain_line(line)
    citations = citation_spans(plain)
    forms = _glossary_forms_in(plain)
    for start, _end, term in forms:
        if any(a <= start < b for a, b in linked):
            reading.linked_terms.add(term)
    for match in _WORD.finditer(plain):
        short = abbreviation(match.group(0), plain[: match.start()])
        if short is None:
            continue
        start = match.start() + match.group(0).find(short)
        end = start + len(short)
        in_link = any(a <= start < b for a, b in linked)
        cited = next((key for a, b, key in citations if a <= start and end <= b), None)
        if cited is not None:
            if cited not in reading.sources:
                reading.problems.append(f"{where}: {short!r} cites {cited!r}, which the lesson's Sources list lacks")
            if in_link:
                reading.defined.add(short)
            continue
        form_of = next((term for a, b, term in forms if a <= start and end <= b), None)
        known = in_link or short in reading.defined or (form_of is not None and form_of in reading.linked_terms)
        if known or spelled_out(short, plain, start, end):
            reading.defined.add(short)
        else:
            fix = (
                "it is in datasets/glossary.csv: python scripts/build_glossary.py links its first use in running "
                "text, but no link can go in a table, heading or answer, so use it first in running text or spell "
                "it out there"
                if form_of is not None
                else "spell it out there, or add it to datasets/glossary.csv with its source and run python "
                "scripts/build_glossary.py"
            )
            context = plain[max(0, start - 50) : end + 30].strip()
            reading.problems.append(
                f"{where}: {short!r} is first used in '...{context}...' without being spelled out or linked to the "
                f"glossary; {fix}"
            )
            reading.defined.add(short)


def _read_label_line(reading: Reading, line: str, where: str, sources_cell: bool = False) -> None:
    plain, _ = plain_line(line)
    skip = []
    if sources_cell:
        key = re.match(r"- ((?:[^\s:`]+ ?){1,4}):", plain)
        if key:
            skip.append((2, 2 + len(key.group(1))))
        skip += [m.span(1) for m in _INITIALS.finditer(plain)]
    forms = _glossary_forms_in(plain)
    for match in _WORD.finditer(plain):
        short = abbreviation(match.group(0), plain[: match.start()])
        if short is None:
            continue
        start = match.start() + match.group(0).find(short)
        if any(a <= start < b for a, b in skip) or any(a <= start < b for a, b, _ in forms):
            continue
        reading.labels.append((short, f"{where}: {short!r} in {plain.strip()[:90]!r}"))


def _sources_keys(cells: list[dict]) -> set[str]:
    text = next(("".join(c["source"]) for c in cells if "".join(c["source"]).startswith("## Sources")), "")
    return set(re.findall(r"^- ((?:[^\s:`]+ ?){1,4}):", text, re.MULTILINE)) | {
        key for key in SOURCE_KEYS if re.search(rf"(?<![\w-]){re.escape(key)}:", text)
    }


def undefined_abbreviations(name: str, cells: list[dict]) -> list[str]:
    """Every abbreviation a lesson uses without spelling it out or linking it at its first use, as messages."""
    reading = Reading(name, _sources_keys(cells))
    for cell in cells:
        if cell.get("cell_type") != "markdown":
            continue
        text = "".join(cell["source"])
        tags = set(cell.get("metadata", {}).get("tags", []))
        where = f"{name} cell {cell.get('id')}"
        if build_glossary.TAG in tags:  # the glossary defines its terms, and spells out a few words inside them
            reading.defined |= {form for row in TERMS for form in row["forms"]} | _spelled_out_in(text)
            reading.linked_terms |= {row["term"] for row in TERMS}
            continue
        label_cell = bool(tags & {"navigation", "lesson-map"}) or text.startswith(build_glossary.OBJECTIVES)
        sources_cell = text.startswith("## Sources")
        in_code, paragraph = False, []
        for line in [*text.split("\n"), ""]:
            fence = line.strip().startswith(("```", "~~~"))
            if fence or in_code or not line.strip() or label_cell or sources_cell or line.lstrip().startswith("#"):
                if paragraph:  # a paragraph is read whole: a long form may run over a line break
                    _read_text(reading, " ".join(paragraph), where)
                    paragraph = []
                if fence:
                    in_code = not in_code
                elif line.strip() and not in_code:
                    _read_label_line(reading, line, where, sources_cell)
                continue
            paragraph.append(line)
    for short, message in reading.labels:
        if short not in reading.defined:
            reading.problems.append(
                f"{message}: a title, heading, objective or source line uses it, but the lesson never spells it "
                "out or links it, and it is not in datasets/glossary.csv"
            )
    return reading.problems


def _spelled_out_in(text: str) -> set[str]:
    found = set()
    for line in text.split("\n"):
        plain, _ = plain_line(line)
        for match in _WORD.finditer(plain):
            short = abbreviation(match.group(0), plain[: match.start()])
            start = match.start() + match.group(0).find(short or "")
            if short and spelled_out(short, plain, start, start + len(short)):
                found.add(short)
    return found


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_every_abbreviation_in_a_lesson_is_spelled_out_or_linked_to_the_glossary_at_its_first_use(path):
    """A student never meets an abbreviation that the lesson has not spelled out or linked to the glossary."""
    problems = undefined_abbreviations(path.name, _cells(path))
    assert not problems, "\n".join(problems)


def test_every_abbreviation_in_a_glossary_definition_is_itself_in_the_glossary():
    """A definition (shown in lesson 00 and on hover over each link) uses only abbreviations the glossary defines,
    or spells them out itself, so looking a word up never leads to an undefined one."""
    forms = {form for row in TERMS for form in row["forms"]}
    problems = []
    for row in TERMS:
        text = str(row["definition"])
        for match in _WORD.finditer(text):
            short = abbreviation(match.group(0), text[: match.start()])
            start = match.start() + match.group(0).find(short or "")
            if short and short not in forms and not spelled_out(short, text, start, start + len(short)):
                problems.append(f"glossary {row['term']!r}: {short!r} is neither a glossary term nor spelled out")
    assert not problems, "\n".join(problems)


def _lesson(*texts: str, sources: str = "## Sources\n\n- PDQ-PT: the patient summary (2023).") -> list[dict]:
    cells = [{"cell_type": "markdown", "id": f"c{i}", "metadata": {}, "source": t} for i, t in enumerate(texts)]
    return [*cells, {"cell_type": "markdown", "id": "sources", "metadata": {}, "source": sources}]


SPELLED_OUT_OR_EXCEPTED = {
    "spelled out after its long form": "A magnetic resonance imaging (MRI) scan, then another MRI.",
    "spelled out before its long form": "An MRI (magnetic resonance imaging) of the thigh.",
    "spelled out as a mnemonic": "**SCARE**: **S**ynovial, **C**lear cell, **A**ngiosarcoma, **R**habdo and "
    "**E**pithelioid.",
    "a glossary link": 'Staged by the [AJCC](00_welcome.ipynb#Glossary "A manual") rules; AJCC 8 again.',
    "a form of a term linked earlier": 'The [margin](00_welcome.ipynb#Glossary "The edge") is clear (R0).',
    "stage and TNM labels by pattern": "T2a N0 M0 G3 is stage IIIB; TX, GX, Tis, IA, IB, II and IV too.",
    "a cited source key that the Sources list gives": "Grade is low, mid or high (PDQ-PT).",
    "code is not words": "Run `load_table('AJCC.csv')` and see\n\n```\nMRI CT\n```",
}

CAUGHT = {
    "an abbreviation used bare": ("The MRI shows a tumour.", "'MRI'"),
    "a bracket that does not spell it out": ("The tumour on imaging (MRI) is large.", "'MRI'"),
    "a unit after a number": ("Radiation of 50 Gy.", "'Gy'"),
    "a hyphenated abbreviation": ("Pembrolizumab blocks PD-1.", "'PD-1'"),
    "a mixed-case abbreviation": ("A dose of 200 cGy.", "'cGy'"),
    "a glossary term first used in a table": ('| dose | AJCC |\n|---|---|\n\nThe [AJCC](#Glossary "A").', "'AJCC'"),
    "a cited key the Sources list lacks": ("The lung comes first (PDQ-HP).", "'PDQ-HP'"),
    "a heading's abbreviation the lesson never defines": ("## The QXZ view\n\nText.", "'QXZ'"),
}


@pytest.mark.parametrize("text", SPELLED_OUT_OR_EXCEPTED.values(), ids=SPELLED_OUT_OR_EXCEPTED.keys())
def test_the_check_accepts_an_abbreviation_spelled_out_linked_cited_or_excepted(text):
    """The check accepts an abbreviation spelled out at its first use, linked to the glossary, cited, or a stage."""
    assert undefined_abbreviations("99_example.ipynb", _lesson(text)) == []


@pytest.mark.parametrize(("text", "named"), CAUGHT.values(), ids=CAUGHT.keys())
def test_the_check_names_the_lesson_and_the_abbreviation_it_finds_undefined(text, named):
    """The check fails on an abbreviation neither spelled out nor linked, naming the lesson and the abbreviation."""
    problems = undefined_abbreviations("99_example.ipynb", _lesson(text))
    assert problems and all(p.startswith("99_example.ipynb cell ") for p in problems)
    assert any(named in p for p in problems), problems


def test_a_sources_line_needs_nothing_for_its_own_key_and_an_authors_initials():
    """In the Sources list, "- Kattan: Kattan MW et al." and "Coindre JM, ..." ask for no definition of MW or JM,
    while an undefined abbreviation in the same list is still named."""
    sources = "## Sources\n\n- Kattan: Kattan MW et al., a nomogram.\n- Coindre: Coindre JM, a grading (QXZ)."
    assert undefined_abbreviations("99_example.ipynb", _lesson("Text.", sources=sources)) == [
        "99_example.ipynb cell sources: 'QXZ' in '- Coindre: Coindre JM, a grading (QXZ).': a title, heading, "
        "objective or source line uses it, but the lesson never spells it out or links it, and it is not in "
        "datasets/glossary.csv"
    ]


def test_names_and_plain_capitals_are_not_taken_for_abbreviations():
    """JupyterLab, a sentence's first word, Li-Fraumeni, T-cell and X-ray are words, not abbreviations."""
    for word in ("JupyterLab", "The", "Li-Fraumeni", "T-cell", "X-ray", "5-year", "McDonald"):
        assert abbreviation(word) is None, word
    assert [abbreviation(w) for w in ("GISTs", "non-STS", "MSI-H", "CTLA-4", "PD-L1", "NF1", "R0")] == [
        "GIST",
        "STS",
        "MSI-H",
        "CTLA-4",
        "PD-L1",
        "NF1",
        "R0",
    ]
