"""After Run All, nothing that settles a prediction is on screen until the student has answered it.

Two tables say what the lessons promise. ``SETTLES``: for each prediction, words that settle it once they
are on screen (taken from what its answer reveals: a printed stage, a table row, a calculator's
explanation, a figure's text). Right after Run All, with no answer given, none of them is anywhere on
screen in the lesson; once every prediction is answered, each is. ``WAITS``: every lesson cell that
waits for predictions (``after_answering``), named by a line of its code, with the predictions it waits
for; the test checks the lessons against it, so a new cell that waits, or one that waits for other
predictions, is noticed. The lesson runs are nbval's (``tests/lessons/lesson_runs.py``): what each
widget showed is read from the kernel, hidden parts (``display: none``) left out, before and after the
answers. The widgets themselves are tested in ``tests/widgets/test_exercise_reveal.py``.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
import pytest

from sarcoma_edu.course.exercises import load_exercises
from tests.lessons.lesson_runs import lesson_shown

ROOT = Path(__file__).resolve().parents[2]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

# (lesson, prediction, words on screen that settle it, what shows them once it is answered)
SETTLES = [
    ("00_welcome", "ex-00-retro-nodes", "IIIB IV", "the stages of the two sites, printed"),
    (
        "00_welcome",
        "ex-00-retro-nodes",
        "in the retroperitoneum spread to regional lymph nodes is stage IIIB",
        "calculator",
    ),
    ("00_welcome", "ex-00-fnclcc-total", "= total 5", "the FNCLCC explanation, printed and in the calculator"),
    ("01_what_is_sarcoma", "ex-01-limb-share", "Extremity (arm or leg) about 45%", "the site figure's text"),
    ("01_what_is_sarcoma", "ex-01-not-inherited", "Past radiation therapy other", "the risk factor table"),
    ("01_what_is_sarcoma", "ex-01-li-fraumeni-gene", "Li-Fraumeni syndrome TP53", "the syndromes and their genes"),
    ("01_what_is_sarcoma", "ex-01-li-fraumeni-gene", "Li-Fraumeni syndrome inherited syndrome TP53", "the explorer"),
    ("01_what_is_sarcoma", "ex-01-myxoid-extra-tests", "Whole-spine MRI Added for myxoid", "the staging tests"),
    ("02_grade", "ex-02-total-score", "= total 8", "the FNCLCC explanation, printed and in the calculator"),
    ("02_grade", "ex-02-grade-2-to-3", "FNCLCC: total score (2-8) and grade, by the three", "the FNCLCC figure's text"),
    ("02_grade", "ex-02-high-grade-by-definition", "extraskeletal Ewing sarcoma FNCLCC: high grade", "the table"),
    ("03_staging", "ex-03-thigh-12-high", "IIIB T3|T4 N0 M0 G2|G3", "the trunk and extremity stage table"),
    ("03_staging", "ex-03-retro-nodes", "retroperitoneum IIIB", "the stage of both sites, printed"),
    (
        "03_staging",
        "ex-03-retro-nodes",
        "in the retroperitoneum spread to regional lymph nodes is stage IIIB",
        "the rule",
    ),
    ("03_staging", "ex-03-limb-twin", "leg IV", "the stage of both sites, printed"),
    ("03_staging", "ex-03-neck-t", "head_and_neck T2 N0 M0 G2", "the T, N, M and G of both sites, printed"),
    ("04_metastasis", "ex-04-blood-route", "get into the blood and travel through blood vessels", "the routes"),
    ("04_metastasis", "ex-04-myxoid-where", "blood to abdomen, blood to bone and spine", "the pathway figure's key"),
    ("04_metastasis", "ex-04-nodes-share", "3.5% of 89,870 patients", "the reference's figures on lymph nodes"),
    ("04_metastasis", "ex-04-nodes-share", "2.6% of 1,772 patients", "the reference's figures on lymph nodes"),
    ("04_metastasis", "ex-04-retro-local", "35.0% at 10 years", "the retroperitoneal figures, shown and printed"),
    ("05_treatment", "ex-05-only-cure", "surgery is the most common treatment and the only way to cure", "modalities"),
    ("05_treatment", "ex-05-ifosfamide-status", "ifosfamide cytotoxic off-label", "the drug catalog"),
    ("05_treatment", "ex-05-stage-i-options", "(2023-06-02), Treatment of Stage I Soft Tissue", "the PDQ options"),
    (
        "05_treatment",
        "ex-05-order-preop",
        "radiation therapy before surgery -> recovery before surgery -> surgery -> follow-up",
        "the plan, printed",
    ),
    ("05_treatment", "ex-05-wound", "35% against 17%", "the feedback (the comparison itself is the lesson's text)"),
    ("05_treatment", "ex-05-wound", "35% vs 17%", "the plan of radiation before surgery, printed"),
    ("06_cases", "ex-06-most-common-site", "extremity 89", "the count by site"),
    ("06_cases", "ex-06-most-common-site", "site:extremity 45", "how the cohort was made"),
    ("06_cases", "ex-06-no-group-sites", "visceral 33 head_and_neck 15", "the unstaged patients by site"),
    ("06_cases", "ex-06-no-group-sites", "no stage groups for head and neck or visceral sarcomas", "the stage mix"),
    ("06_cases", "ex-06-seer-distant", "distant 15%", "the survival figure's text"),
    (
        "07_quiz",
        "ex-07-trunk-9-mid",
        "Stage IIIA: larger than 5 cm but not larger than 10 cm (T2), mid grade",
        "calculator",
    ),
    (
        "08_tumour_board",
        "ex-08-case1-stage",
        "Stage IIIB: larger than 10 cm but not larger than 15 cm (T3)",
        "calculator",
    ),
    ("08_tumour_board", "ex-08-case1-stage", "this tumour is T3, N0, M0, G3", "the feedback to 'Stage IIIA', printed"),
    ("08_tumour_board", "ex-08-case1-order", "1. Radiation therapy before surgery (weeks 0-5)", "the timeline's text"),
    ("08_tumour_board", "ex-08-two-readings", "Ms Costa, a 34-year-old woman", "the worked case 2, printed"),
    ("08_tumour_board", "ex-08-what-if-retro", "stage: CHANGES: Stage IV -> Stage IIIB", "the what-if, printed"),
]

# (lesson, a line of the cell's code, the predictions the cell waits for)
WAITS = [
    ("00_welcome", 'print(stage("retroperitoneum", 7, "high", nodes=True).stage)', {"ex-00-retro-nodes"}),
    ("00_welcome", "print(fnclcc(differentiation=2, mitoses=12, necrosis_pct=30).explanation)", {"ex-00-fnclcc-total"}),
    ("01_what_is_sarcoma", "show=risk_factor_explorer", {"ex-01-not-inherited", "ex-01-li-fraumeni-gene"}),
    ("01_what_is_sarcoma", '.loc["Li-Fraumeni syndrome", "gene"]', {"ex-01-li-fraumeni-gene"}),
    ("02_grade", "print(fnclcc(differentiation=3, mitoses=25, necrosis_pct=60).explanation)", {"ex-02-total-score"}),
    (
        "03_staging",
        "show=lambda: StagingCalculator(show_map=True)",
        {"ex-03-thigh-12-high", "ex-03-retro-nodes", "ex-03-limb-twin"},
    ),
    ("03_staging", 'for site in ("retroperitoneum", "leg"):', {"ex-03-retro-nodes", "ex-03-limb-twin"}),
    ("03_staging", 'print(stage("retroperitoneum", 8, "high", nodes=True).explanation)', {"ex-03-retro-nodes"}),
    ("03_staging", 'for site in ("head_and_neck", "visceral"):', {"ex-03-neck-t"}),
    ("04_metastasis", "show=PathwayExplorer", {"ex-04-blood-route", "ex-04-myxoid-where", "ex-04-nodes-share"}),
    ("04_metastasis", 'for row in spread_patterns("retroperitoneum")', {"ex-04-retro-local"}),
    ("05_treatment", "show=TreatmentPlanner", {"ex-05-stage-i-options", "ex-05-order-preop"}),
    ("05_treatment", 'radiation="before").describe())', {"ex-05-order-preop"}),
    ("06_cases", 'title="How the cohort was made"', {"ex-06-most-common-site"}),
    ("06_cases", "show=first_rows", {"ex-06-no-group-sites"}),
    ("06_cases", "show=lambda: StageMixExplorer(staged)", {"ex-06-most-common-site", "ex-06-no-group-sites"}),
    ("06_cases", "show=by_site", {"ex-06-most-common-site"}),
    (
        "08_tumour_board",
        'print(cases["limb-preop-radiation"].walkthrough())',
        {"ex-08-case1-stage", "ex-08-case1-order"},
    ),
    ("08_tumour_board", 'feedback = check_answer(stage_step, "Stage IIIA")', {"ex-08-case1-stage"}),
    ("08_tumour_board", 'print(cases["limb-nodes-clear-cell"].walkthrough())', {"ex-08-two-readings"}),
    ("08_tumour_board", 'what_if(cases["limb-nodes-clear-cell"], site="retroperitoneum")', {"ex-08-what-if-retro"}),
]

_WAITS_FOR = re.compile(r'after_answering\(\s*((?:"ex-[\w-]+"\s*,?\s*)+)')
# the whole of what a cell that waits shows before its answer
_NOTE = re.compile(
    r"Answer (the prediction above|the \d+ predictions above \(\d+ answered\)) first: [^.]+ will then show here\."
)


def _cells(lesson: str) -> list[str]:
    notebook = nbformat.read(ROOT / "notebooks" / f"{lesson}.ipynb", as_version=4)
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def _waits_for(source: str) -> set[str]:
    """The predictions a cell's after_answering(...) names."""
    return {i for found in _WAITS_FOR.findall(source) for i in re.findall(r'"(ex-[\w-]+)"', found)}


def _on_screen(cell: nbformat.NotebookNode, shown: dict[str, str]) -> str:
    """The words a code cell shows: what it printed, its tables and texts, and what its widgets showed."""
    words = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            words.append(output["text"])
            continue
        data = output.get("data", {})
        view = data.get("application/vnd.jupyter.widget-view+json")
        if view is not None:
            words.append(shown.get(view["model_id"], ""))
        else:
            text = data.get("text/html") or data.get("text/plain") or ""
            words.append(html.unescape(re.sub(r"<style.*?</style>|<[^>]+>", " ", text, flags=re.S)))
    return re.sub(r"\s+", " ", " ".join(words)).strip()


@pytest.fixture(scope="module")
def shown(tmp_path_factory):
    """Each lesson's code cells with the words they showed right after Run All, and once everything was answered."""
    folder = tmp_path_factory.mktemp("lessons")
    done: dict[str, list[tuple[str, str, str]]] = {}

    def words(lesson: str) -> list[tuple[str, str, str]]:
        if lesson not in done:
            notebook, before, after = lesson_shown(ROOT / "notebooks" / f"{lesson}.ipynb", folder)
            done[lesson] = [
                (cell.source, _on_screen(cell, before), _on_screen(cell, after))
                for cell in notebook.cells
                if cell.cell_type == "code"
            ]
        return done[lesson]

    return words


def test_every_prediction_has_words_that_settle_it_and_every_cell_that_waits_is_listed():
    """Each prediction of lessons 00 to 08 has a row in SETTLES; every after_answering cell of the lessons is in
    WAITS, waiting for exactly the predictions listed there, each asked above it."""
    predictions = {e.id for e in load_exercises() if e.role == "predict"}
    assert {row[1] for row in SETTLES} == predictions
    listed = {(lesson, line): ids for lesson, line, ids in WAITS}
    found = {}
    for path in LESSONS:
        cells = _cells(path.stem)
        for number, source in enumerate(cells):
            if "after_answering(" not in source:
                continue
            lines = [line for (lesson, line) in listed if lesson == path.stem and line in source]
            assert len(lines) == 1, f"{path.name}: a cell that waits is not in WAITS (or matches two rows):\n{source}"
            found[(path.stem, lines[0])] = _waits_for(source)
            asked = {i for earlier in cells[:number] for i in re.findall(r'predict\(\s*"(ex-[\w-]+)"', earlier)}
            assert _waits_for(source) <= asked, f"{path.name}: it waits for a prediction not asked above it:\n{source}"
    assert found == listed


@pytest.mark.parametrize("path", LESSONS, ids=lambda path: path.name)
def test_the_sources_where_run_all_leaves_the_page_give_no_prediction_away(path):
    """Run All leaves the page at the lesson's end, its Sources: they name what each source is about, not the
    figures that settle a prediction of any lesson (lesson 00 lists the sources of all)."""
    notebook = nbformat.read(path, as_version=4)
    sources = [c.source for c in notebook.cells if c.cell_type == "markdown" and c.source.startswith("## Sources")]
    assert sources, f"{path.name} has no Sources"
    plain = re.sub(r"\s+", " ", re.sub(r"\]\([^)]*\)", "]", sources[-1]))
    assert [(prediction, words) for _, prediction, words, _ in SETTLES if words in plain] == []


@pytest.mark.parametrize("lesson", sorted({row[0] for row in SETTLES}), ids=lambda lesson: f"{lesson}.ipynb")
def test_after_run_all_nothing_that_settles_a_prediction_is_on_screen(lesson, shown):
    """Right after Run All no cell of the lesson shows words that settle one of its predictions; once the
    predictions are answered, each of those words is on screen."""
    cells = shown(lesson)
    rows = [(prediction, words) for name, prediction, words, _where in SETTLES if name == lesson]
    early = [(p, w, source[:60]) for p, w in rows for source, before, _after in cells if w in before]
    assert early == [], "shown before the prediction was answered"
    missing = [(p, w) for p, w in rows if not any(w in after for _source, _before, after in cells)]
    assert missing == [], "not shown once answered: the words no longer settle the prediction, update SETTLES"


@pytest.mark.parametrize("lesson", sorted({row[0] for row in WAITS}), ids=lambda lesson: f"{lesson}.ipynb")
def test_a_cell_that_waits_shows_only_what_it_waits_for_until_answered(lesson, shown):
    """Right after Run All a cell that waits shows only its note naming what will show; once answered, that."""
    for line in [line for name, line, _ids in WAITS if name == lesson]:
        ((_source, before, after),) = [cell for cell in shown(lesson) if line in cell[0] and "predict(" not in cell[0]]
        assert _NOTE.fullmatch(before), (line, before)
        assert after and not _NOTE.search(after), (line, after)
