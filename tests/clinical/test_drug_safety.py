"""Drug safety and approval status: what a nurse monitors and what is approved (reference section 5b).

The case tables ``tests/cases/drug_safety_cases.csv`` and ``tests/cases/drug_status_cases.csv`` hold
one clinical sentence per row, with the words the drug table must say and the reference's source.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from sarcoma_edu import DatasetError, load_drugs
from sarcoma_edu.clinical import tables as data
from sarcoma_edu.clinical.catalog import drug_safety
from sarcoma_edu.clinical.vocabulary import APPROVAL_BASES, DRUG_STATUSES
from tests.conftest import case_params, read_cases

ROOT = Path(__file__).resolve().parents[2]
DRUGS = load_drugs().set_index("name")


@pytest.mark.parametrize("case", case_params("drug_safety_cases.csv"))
def test_drug_safety_claim(case):
    """The drug's row says what the reference says must be watched for, and cites the reference's source for it."""
    row = DRUGS.loc[case["drug"]]
    text = str(row[case["column"]]).lower()
    missing = [words for words in case["words"].split("|") if words.lower() not in text]
    assert missing == [], f"{case['drug']}.{case['column']} does not say {missing}: {text!r}"
    source = case["source"].split(": ", 1)[1]
    assert source in row["source"], f"{case['drug']} must cite {source!r}; it cites {row['source']!r}"


@pytest.mark.parametrize("case", case_params("drug_status_cases.csv"))
def test_drug_status(case):
    """The drug's approval status is the word the reference gives, with its year and scope where approved."""
    row = DRUGS.loc[case["drug"]]
    assert row["status"] == case["status"]
    year = None if _is_na(row["approval_year"]) else str(row["approval_year"])
    assert year == (case["approval_year"] or None)
    for words in filter(None, case["approved_for_words"].split("|")):
        assert words in row["approved_for"], f"{case['drug']} approved_for lacks {words!r}"


def test_every_drug_has_a_status_case():
    """Each drug in the catalog has its status checked by a case row, so none is left unreviewed."""
    assert sorted(row["drug"] for row in read_cases("drug_status_cases.csv")) == sorted(DRUGS.index)


def test_every_approved_drug_names_its_agency_year_or_label_and_subtype():
    """An approved drug names the agency, a year or why there is none, and what it is approved for."""
    approved = DRUGS[DRUGS.status == "approved"]
    assert len(approved) == 12
    for name, row in approved.iterrows():
        assert row.approval_agency == "FDA", name
        assert row.approved_for and len(row.approved_for) > 5, name
        assert row.approval_basis in APPROVAL_BASES, name
        assert (row.approval_basis == "approval") == (not _is_na(row.approval_year)), name


def test_drugs_not_approved_carry_no_approval_details():
    """An off-label, might-help, studied or supportive drug has no agency, year, basis or approved-for entry."""
    others = DRUGS[DRUGS.status != "approved"]
    assert set(others.status) == set(DRUG_STATUSES) - {"approved"}
    for column in ("approval_agency", "approval_year", "approval_basis", "approved_for"):
        assert others[column].isna().all(), column


def test_every_status_is_explained_in_plain_words_where_it_needs_it():
    """Off-label, might-help and studied drugs say so in plain words; ifosfamide says its label is testicular cancer."""
    for name, row in DRUGS[DRUGS.status != "approved"].iterrows():
        assert not _is_na(row.status_note), name
    assert "testicular cancer" in DRUGS.loc["ifosfamide", "status_note"]
    assert "GIST" in DRUGS.loc["sunitinib", "status_note"]


def test_doxorubicin_is_first_line_only_for_advanced_disease():
    """Doxorubicin's indication says first line for advanced (metastatic or unresectable) disease, not in general."""
    indication = DRUGS.loc["doxorubicin", "indication"]
    assert "first-line" in indication
    assert "advanced (metastatic or unresectable)" in indication


def test_first_line_and_no_clear_survival_gain_are_not_credited_to_acs_alone():
    """The 'first line' and 'no clear survival gain' claims cite the PDQ health professional summary."""
    for name in ("doxorubicin", "ifosfamide"):
        assert "PDQ-HP (2025-02-21)" in DRUGS.loc[name, "source"], name
    assert "no clear survival gain" in DRUGS.loc["ifosfamide", "indication"]


def test_cediranib_is_credited_to_the_pdq_patient_summary_that_names_it():
    """Cediranib is named only in PDQ-PT ('being studied'), so its row cites PDQ-PT and not ACS."""
    assert DRUGS.loc["cediranib", "source"] == "PDQ-PT (2023-06-02)"


def test_every_approval_and_off_label_status_cites_its_source():
    """A row that states a US status (approved or off-label) names FDA (a label, or US approval status) as a source."""
    for name, row in DRUGS[DRUGS.status.isin(["approved", "off-label"])].iterrows():
        assert "FDA" in row.source, name


def test_safety_table_lists_each_drug_with_its_own_harms_in_full():
    """The lesson's drug safety table holds the drugs with their own harms, a plain index and the full text."""
    table = drug_safety()
    assert table.name.tolist() == [
        "doxorubicin",
        "ifosfamide",
        "pazopanib",
        "tazemetostat",
        "pembrolizumab",
        "nivolumab",
        "atezolizumab",
        "ipilimumab",
        "afamitresgene autoleucel",
    ]
    assert table.index.tolist() == list(range(len(table)))
    assert table.watch_for.tolist() == DRUGS.loc[table.name, "watch_for"].tolist()


@pytest.mark.parametrize(
    ("drug", "words"),
    [
        (
            "pembrolizumab",
            "approved (FDA, year not given) for tumours of any site with specific gene changes (MSI-H or "
            "TMB-H), not soft tissue sarcoma as such. In soft tissue sarcoma it is mostly given in "
            "clinical trials",
        ),
        ("tazemetostat", "approved (FDA 2020) for epithelioid sarcoma that cannot be fully removed"),
        ("doxorubicin", "approved: its FDA label includes soft tissue sarcoma (the reference gives no year)"),
        (
            "ifosfamide",
            "off-label: used off-label (standard practice, not approved for soft tissue sarcoma); its US "
            "label is for testicular cancer",
        ),
        ("nivolumab", "being studied: PDQ-PT: a clinical trial for recurrent soft tissue sarcoma"),
    ],
)
def test_the_safety_table_says_what_an_approval_is_for(drug, words):
    """The table the nurse reads gives each status in words, with what an approval covers (reference section 5b):
    pembrolizumab is approved for MSI-H or TMB-H tumours of any site, not for soft tissue sarcoma as such."""
    table = drug_safety().set_index("name")
    assert table.loc[drug, "us_status"] == words


def test_no_quiz_question_calls_doxorubicin_first_line_without_advanced_disease():
    """Every quiz question that says 'first-line' or 'first line' also says the disease is advanced."""
    for path in sorted((ROOT / "datasets" / "quiz").glob("*.json")):
        if path.name.endswith("schema.json"):
            continue
        for question in json.loads(path.read_text(encoding="utf-8")):
            text = json.dumps(question)
            if re.search(r"first[- ]line", text, re.I):
                assert "advanced" in text, f"{path.name}: {question['id']}"


# --- a bad edit to drugs.csv is a load error naming the file, the row and the column ---------------


@pytest.fixture
def edited(tmp_path, monkeypatch):
    """A copy of datasets/ that a test may edit, used instead of the real one."""
    copy = tmp_path / "datasets"
    shutil.copytree(ROOT / "datasets", copy)
    monkeypatch.setattr(data, "_datasets_root", lambda: copy)
    data.load_table.cache_clear()
    yield copy / "drugs.csv"
    data.load_table.cache_clear()


def _rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_status_outside_the_vocabulary_is_a_load_error_naming_the_row(edited):
    """Ifosfamide marked 'standard' (not a status the reference uses) is refused, naming file, row, column and words."""
    _rewrite(edited, ",off-label,", ",standard,")
    with pytest.raises(DatasetError) as error:
        load_drugs()
    message = str(error.value)
    assert "drugs.csv, row 3, column 'status': 'standard' is not allowed" in message
    assert all(word in message for word in DRUG_STATUSES)


def test_an_approval_without_its_year_is_a_load_error(edited):
    """Pazopanib 'approved' on a dated approval but with its year removed is refused, naming the row."""
    _rewrite(edited, "FDA,2012,approval,", "FDA,,approval,")
    with pytest.raises(
        DatasetError, match=r"drugs.csv, row \d+ \(pazopanib\), column 'approval_year': the year is empty"
    ):
        load_drugs()


def test_an_approved_drug_without_what_it_is_approved_for_is_a_load_error(edited):
    """Eribulin 'approved' with its approved-for cell emptied is refused, naming the row and column."""
    _rewrite(edited, "FDA,2016,approval,liposarcoma,", "FDA,2016,approval,,")
    with pytest.raises(DatasetError, match=r"row \d+ \(eribulin\), column 'approved_for': the cell is empty"):
        load_drugs()


def test_a_year_on_an_off_label_drug_is_a_load_error(edited):
    """Gemcitabine (off-label) given an approval year is refused: approval details belong to approved drugs only."""
    text = edited.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(text) if line.startswith("gemcitabine,"))
    cells = text[number].rsplit(",", 5)
    text[number] = ",".join([cells[0], "", "1999", "", "", cells[5]])
    edited.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(
        DatasetError, match=rf"row {number + 1} \(gemcitabine\), column 'approval_year': '1999' is given"
    ):
        load_drugs()


def _is_na(value: object) -> bool:
    return value is None or bool(pd.isna(value))


def _lesson_cell(cell_id: str) -> str:
    cells = json.loads((ROOT / "notebooks" / "05_treatment.ipynb").read_text(encoding="utf-8"))["cells"]
    return next("".join(c["source"]) for c in cells if c.get("id") == cell_id)


def test_lesson_05_names_each_drug_under_the_status_the_table_gives_it():
    """Every drug lesson 05 lists under a status word has that status in drugs.csv, and every drug is listed once."""
    bullets = re.findall(r"^- \*\*(.+?)\*\*(.*?)(?=^- |\Z)", _lesson_cell("drug-status"), re.S | re.M)
    assert [status for status, _ in bullets] == list(DRUG_STATUSES)
    listed = []
    for status, text in bullets:
        text = re.sub(r'\[([^\]]+)\]\([^)"\s]*(?:\s+"[^"]*")?\)', r"\1", text)  # a glossary link reads as its words
        text = re.sub(r"\([^)]*\)", "", text)  # a drug named in brackets explains, it is not listed
        names = [name for name in DRUGS.index if re.search(rf"\b{re.escape(name)}\b", text)]
        assert {name: DRUGS.loc[name, "status"] for name in names} == dict.fromkeys(names, status)
        listed += names
    assert sorted(listed) == sorted(DRUGS.index)


def test_lesson_05_asks_before_it_shows_the_safety_table():
    """Lesson 05 shows the drug safety table only through the watch-for exercise (which opens it once answered),
    and the sources cell names the FDA labels."""
    cells = json.loads((ROOT / "notebooks" / "05_treatment.ipynb").read_text(encoding="utf-8"))["cells"]
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    assert any("watch_for_exercise()" in text for text in code)
    assert not any("drug_safety_table()" in text for text in code)  # never on screen before the answers
    sources = next("".join(c["source"]) for c in cells if "".join(c["source"]).startswith("## Sources"))
    assert "doxorubicin" in sources and "ifosfamide (boxed warning)" in sources


def test_lesson_05_names_ifosfamides_low_blood_counts_and_links_fever_to_infection_without_a_threshold():
    """The nurse paragraph names ifosfamide's severe low blood counts among its harms (reference section 5b, FDA
    label), gives the checks as the course's reading of those harms, and links a fever during chemotherapy or after
    afami-cel to the infection risk of low counts (section 5: low blood counts, infection; section 5b: afami-cel's
    serious infections, counts low for weeks) as the course's reading, without a temperature or time no source
    gives; it names infertility (section 5) without a time for discussing fertility, which no source gives."""
    from sarcoma_edu.widgets.drugs import _checked_against_the_table

    # the paragraph answers lesson 05's watch-for questions, so it opens with the table once they are answered
    assert "watch_for_exercise()" in _lesson_cell("watch-for-exercise")
    text = " ".join(re.sub(r"<[^>]+>", " ", _checked_against_the_table().children[0].value).split())
    for words in ("severe low blood counts", "the blood counts", "follows from them, in this course's reading",
                  "risk of infection", "serious infections", "can last several weeks", "no threshold",
                  "the sources name the infection risk, not fever",
                  "Infertility is among the side effects"):  # fmt: skip
        assert words in text, words
    assert not re.search(r"\d+(\.\d+)? ?°|\d+ ?(hours|degrees)", text)


@pytest.mark.parametrize("drug", ["docetaxel", "gemcitabine"])
def test_gemcitabine_and_docetaxel_are_paired_without_a_frequency_the_reference_does_not_give(drug):
    """The reference names the pair 'gemcitabine + docetaxel' and says nothing of how often they are given together,
    so neither row says 'often' (reference section 5: ACS)."""
    assert "often" not in DRUGS.loc[drug, "indication"].lower()
