"""The class report: merging students' exports, item analysis, the synthetic class, the HTML file and the command."""

from __future__ import annotations

import errno
import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sarcoma_edu import ProgressStore
from sarcoma_edu.cli import main
from sarcoma_edu.common.atomic import OutputError
from sarcoma_edu.report.class_report import (
    ReportWarning,
    analyse,
    class_report,
    mastery,
    pseudonym,
    read_exports,
    student_from_file_name,
    synthetic_class,
    write_report,
)
from sarcoma_edu.report.items import FLAG_DISTRACTOR, FLAG_NEGATIVE, item_analysis, rank_correlation

SCRIPT = Path(sys.executable).parent / "sarcoma-edu"


def _attempt(n: int, question: str, answer: object, correct: bool, minute: int = 0, topic: str = "staging") -> dict:
    return {
        "attempt_id": f"a{n}",
        "question_id": question,
        "topic": topic,
        "answer": answer,
        "correct": correct,
        "answered_at": f"2026-03-02T10:{minute:02d}:00.000+00:00",
    }


def _export(path: Path, attempts: list[dict], **extra: object) -> Path:
    payload = {"format": "sarcoma-edu-progress", "version": 1, "attempts": attempts, **extra}
    path.write_text(json.dumps(payload), encoding="utf-8")
    return path


# A small class scored by hand (first attempts; 1 right, 0 wrong):
#            q1 q2 q3
#   ana       1  1  1
#   ben       1  0  1
#   cai       0  1  0
#   dee       0  0  0   (dee tries q1 again later and gets it right: not a first attempt)
HAND = {
    "ana": [("q1", "A", True), ("q2", "K", True), ("q3", "X", True)],
    "ben": [("q1", "A", True), ("q2", "D", False), ("q3", "X", True)],
    "cai": [("q1", "B", False), ("q2", "K", True), ("q3", "Y", False)],
    "dee": [("q1", "C", False), ("q2", "D", False), ("q3", "Y", False), ("q1", "A", True)],
}


@pytest.fixture
def hand_class(tmp_path: Path) -> Path:
    """The hand-scored class above, one JSON export per student named results-<name>.json."""
    n = 0
    for student, answers in HAND.items():
        rows = []
        for minute, (question, answer, correct) in enumerate(answers):
            n += 1
            rows.append(_attempt(n, question, answer, correct, minute))
        _export(tmp_path / f"results-{student}.json", rows)
    return tmp_path


def test_item_analysis_matches_the_hand_computed_figures(hand_class):
    """Difficulty is the share right on first attempts and discrimination the point-biserial against the rest score.

    By hand for q1: rest scores (share right of the other two questions) are ana 1, ben 0.5, cai 0.5,
    dee 0; item scores 1, 1, 0, 0; deviations (0.5, 0.5, -0.5, -0.5) and (0.5, 0, 0, -0.5) give
    r = 0.5 / sqrt(1 x 0.5) = 0.7071. For q2 the rest scores are 1, 1, 0, 0 against 1, 0, 1, 0: r = 0.
    """
    items = class_report(hand_class).items.set_index("question_id")
    assert items.loc["q1", "difficulty"] == pytest.approx(0.5)  # dee's later right answer is not a first attempt
    assert items.loc["q1", "discrimination"] == pytest.approx(0.5**0.5)
    assert items.loc["q2", "discrimination"] == pytest.approx(0.0, abs=1e-12)
    assert items.loc["q3", "discrimination"] == pytest.approx(0.5**0.5)
    assert (items.loc["q1", "key"], items.loc["q1", "key_count"]) == ("A", 2)
    assert items.loc["q1", "answers"] == "A (key): 2 | B: 1 | C: 1"


def test_a_distractor_chosen_as_often_as_the_key_is_not_flagged(hand_class):
    """q2's distractor D is chosen as often as the key (2 and 2) and its discrimination is 0: neither flag applies."""
    items = class_report(hand_class).items.set_index("question_id")
    assert (items.loc["q2", "top_distractor"], items.loc["q2", "top_distractor_count"]) == ("D", 2)
    assert items["flags"].eq("").all()


def test_a_distractor_chosen_more_often_than_the_key_is_flagged(tmp_path):
    """When one wrong answer is chosen more often than the right answers in all, the question is flagged."""
    rows = [_attempt(i, "q-doubt", "Wrong", False) for i in range(3)] + [_attempt(9, "q-doubt", "Key", True)]
    for i, row in enumerate(rows):
        _export(tmp_path / f"results-s{i}.json", [row, _attempt(100 + i, "q-other", "x", i % 2 == 0)])
    items = class_report(tmp_path).items.set_index("question_id")
    assert FLAG_DISTRACTOR in items.loc["q-doubt", "flags"]


def test_mastery_counts_the_latest_attempt_at_each_question(hand_class):
    """dee's latest answer to q1 is right, so dee's mastery of staging is 1 of 3 questions."""
    table = mastery(read_exports(hand_class).attempts)
    assert table.loc["dee", "staging"] == pytest.approx(1 / 3)
    assert table.loc["ana", "staging"] == pytest.approx(1.0)


def test_the_same_attempt_exported_twice_counts_once(tmp_path):
    """A student who hands in the CSV and the JSON export of the same store has each attempt counted once."""
    store = ProgressStore(tmp_path / "ana.sqlite3")
    store.record("st-t2", "T2", True, topic="staging")
    store.record("dx-many", ["MRI", "Biopsy"], False, topic="diagnosis")
    store.record("gr-score", 5, True, topic="grade")
    store.export_csv(tmp_path / "results-ana.csv")
    store.export_json(tmp_path / "results-ana.json")
    results = read_exports([tmp_path / "results-ana.csv", tmp_path / "results-ana.json"])
    assert len(results.attempts) == 3 and results.duplicates == 3
    assert set(results.attempts["student"]) == {"ana"}
    assert sorted(results.attempts["answer"]) == ["5", "MRI; Biopsy", "T2"]
    assert "Used 2 files with 3 attempts by 1 student" in results.describe()


def test_a_folder_is_searched_with_its_sub_folders(hand_class):
    """A folder of students' sub-folders is read whole; a hidden folder is left out."""
    (hand_class / "week2").mkdir()
    (hand_class / "results-ana.json").rename(hand_class / "week2" / "results-ana.json")
    (hand_class / ".trash").mkdir()
    _export(hand_class / ".trash" / "results-zed.json", [_attempt(99, "q1", "A", True)])
    results = read_exports(hand_class)
    assert sorted(results.attempts["student"].unique()) == ["ana", "ben", "cai", "dee"]


@pytest.mark.parametrize(
    ("file_name", "expected"),
    [
        pytest.param("results-ana.csv", "ana", id="results- prefix removed"),
        pytest.param("progress_Ben Ode.json", "Ben Ode", id="progress_ prefix removed"),
        pytest.param("cai.json", "cai", id="plain name kept"),
        pytest.param("results-.csv", "results-", id="nothing after the prefix keeps the whole name"),
    ],
)
def test_student_name_from_the_file_name(file_name, expected):
    """Without a name in the file, the student is the file name without extension and a leading results-/progress-."""
    assert student_from_file_name(file_name) == expected


def test_a_name_inside_the_file_wins_over_the_file_name(tmp_path):
    """A JSON export's top-level "student" and a CSV's student column name the student, whatever the file is called."""
    _export(tmp_path / "export-1.json", [_attempt(1, "q1", "A", True)], student="Ana Silva")
    frame = pd.DataFrame([_attempt(2, "q1", "B", False), _attempt(3, "q2", "C", True)])
    frame.insert(0, "student", ["Ben Ode", ""])  # an empty cell falls back to the file name
    frame.to_csv(tmp_path / "results-export-2.csv", index=False)
    students = read_exports(tmp_path).attempts.set_index("attempt_id")["student"]
    assert students.to_dict() == {"a1": "Ana Silva", "a2": "Ben Ode", "a3": "export-2"}


def test_unreadable_and_foreign_files_are_named_and_skipped(hand_class):
    """Broken, foreign or invalid files are each named in a warning and skipped; the rest is used and counted."""
    (hand_class / "broken.json").write_text("{not json", encoding="utf-8")
    (hand_class / "notes.json").write_text('{"title": "my notes"}', encoding="utf-8")
    (hand_class / "grades.csv").write_text("name,mark\nana,7\n", encoding="utf-8")
    (hand_class / "bad-row.csv").write_text(
        "attempt_id,question_id,topic,answer,correct,answered_at\nz1,q1,staging,A,maybe,2026-03-02T10:00:00+00:00\n",
        encoding="utf-8",
    )
    (hand_class / "readme.txt").write_text("ignored: not an export", encoding="utf-8")
    with pytest.warns(ReportWarning) as caught:
        results = read_exports([hand_class, hand_class / "readme.txt"])
    messages = "\n".join(str(w.message) for w in caught)
    for name, words in [
        ("broken.json", "cannot be read as JSON"),
        ("notes.json", "not a sarcoma-edu progress export"),
        ("grades.csv", "no column 'attempt_id'"),
        ("bad-row.csv", "row 2, field 'correct'"),
        ("readme.txt", "not a .csv or .json"),
    ]:
        assert re.search(rf"skipped \S*{re.escape(name)}: .*{re.escape(words)}", messages), (name, messages)
    assert len(results.files) == 4 and len(results.skipped) == 5
    assert len(results.attempts) == 13
    assert results.describe() == "Used 4 files with 13 attempts by 4 students; 5 file(s) skipped."


def test_no_usable_export_is_an_error_naming_the_paths(tmp_path):
    """A folder with no export, or only foreign files, raises a ValueError naming the paths and why."""
    with pytest.raises(ValueError, match=r"paths=.*no \.csv or \.json file found"):
        read_exports(tmp_path)
    (tmp_path / "x.json").write_text("[]", encoding="utf-8")
    with pytest.warns(ReportWarning), pytest.raises(ValueError, match=re.escape("1 file(s) found, none usable")):
        read_exports([tmp_path])
    with pytest.raises(TypeError, match="paths=3 is not a file or folder path"):
        read_exports(3)


def test_anonymised_names_are_stable_pseudonyms(hand_class, tmp_path):
    """--anonymise shows 'Student' and a code from the name: the same in every run, and no real name in the HTML."""
    first = read_exports(hand_class, anonymise=True).attempts["student"]
    again = read_exports(hand_class, anonymise=True).attempts["student"]
    assert list(first) == list(again)
    assert set(first) == {pseudonym(n) for n in HAND}
    assert all(re.fullmatch(r"Student [0-9A-F]{6}", s) for s in first)
    assert pseudonym("ana") == pseudonym(" ana ") != pseudonym("Ana")
    page = write_report(class_report(hand_class, anonymise=True), tmp_path / "r.html").read_text(encoding="utf-8")
    text = re.sub(r"<script.*?</script>", "", page, flags=re.S)  # plotly.js itself is not the report's text
    assert not re.search(r"\b(ana|ben|cai|dee)\b", text)  # as words: a figure's random id may end in "dee"
    assert not any(f'"{name}"' in page for name in HAND)  # nor in the figures' data


def test_two_names_whose_short_codes_collide_stay_two_students(monkeypatch):
    """If two names share a short code, both get longer codes, so two students never merge into one."""
    from sarcoma_edu.report import files as report_files

    real = report_files.pseudonym
    monkeypatch.setattr(report_files, "pseudonym", lambda name, digits=6: real(name, 1 if digits == 6 else digits))
    names = [f"learner{i:02d}" for i in range(40)]  # 40 names, 16 one-digit codes: collisions are certain
    shown = report_files._pseudonyms(names)
    assert len(set(shown.values())) == 40
    assert any(len(code) == len("Student ") + 16 for code in shown.values())


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_report_recovers_the_order_of_item_difficulties(seed):
    """On a synthetic 2PL class of 200 students, harder questions (higher b) have fewer right first attempts.

    Spearman's rank correlation between the model's b and the share wrong, over the correctly keyed
    questions, is above 0.9.
    """
    synthetic = synthetic_class(200, 40, seed)
    items = analyse(synthetic.results()).items.merge(synthetic.items, on="question_id", suffixes=("", "_true"))
    keyed = items[~items["miskeyed"]]
    assert rank_correlation(keyed["difficulty_true"], 1 - keyed["difficulty"]) > 0.9


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_the_report_flags_the_miskeyed_item(seed):
    """The mis-keyed question is flagged on both counts and has the lowest discrimination of all."""
    synthetic = synthetic_class(200, 40, seed, miskeyed=1)
    report = analyse(synthetic.results())
    (bad,) = synthetic.miskeyed
    row = report.items.set_index("question_id").loc[bad]
    assert FLAG_NEGATIVE in row["flags"] and FLAG_DISTRACTOR in row["flags"]
    assert report.items["discrimination"].idxmin() == report.items.index[report.items["question_id"] == bad][0]
    assert row["top_distractor"] == synthetic.items.set_index("question_id").loc[bad, "right_answer"]


def test_the_synthetic_class_is_seeded():
    """The same seed gives the same class; another seed gives another."""
    one, two, other = synthetic_class(20, 10, 5), synthetic_class(20, 10, 5), synthetic_class(20, 10, 6)
    pd.testing.assert_frame_equal(one.attempts, two.attempts)
    assert not one.attempts["correct"].equals(other.attempts["correct"])
    assert synthetic_class(20, 10, 5, miskeyed=0).miskeyed == []


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        pytest.param({"n_students": 1}, "n_students=1 is not allowed; expected 2 or more", id="one student"),
        pytest.param({"n_items": 2.5}, "n_items=2.5 is not a whole number", id="fractional items"),
        pytest.param({"miskeyed": 11}, "miskeyed=11 is not allowed; expected from 0 to 10", id="too many mis-keyed"),
        pytest.param({"retry_share": 2}, "retry_share=2.0 is not allowed; expected from 0 to 1", id="share above 1"),
    ],
)
def test_synthetic_class_refuses_bad_settings(kwargs, words):
    """A bad setting is a ValueError naming the parameter, the value and what is allowed."""
    settings = {"n_students": 20, "n_items": 10, **kwargs}
    with pytest.raises(ValueError, match=re.escape(words)):
        synthetic_class(**settings)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_synthetic_exports_are_real_exports(tmp_path, fmt):
    """Written exports import into a ProgressStore, and reading them back gives the same analysis as in memory."""
    synthetic = synthetic_class(30, 12, 4)
    folder = tmp_path / "handed-in"
    folder.mkdir()
    paths = synthetic.write_exports(folder, fmt)
    assert len(paths) == 30 and paths[0].name == f"results-learner001.{fmt}"
    if fmt == "json":
        store = ProgressStore(tmp_path / "check.sqlite3")  # outside the folder: the report would read it
        assert store.import_json(paths[0]) == (synthetic.attempts["student"] == "learner001").sum()
    from_files = class_report(folder).items.drop(columns="topic")
    in_memory = analyse(synthetic.results()).items.drop(columns="topic")
    pd.testing.assert_frame_equal(from_files, in_memory)


def test_objectives_are_optional(hand_class, tmp_path):
    """Without an objective map mastery is by topic and the report says why; with one, by objective as well."""
    report = class_report(hand_class)
    assert report.by_objective is None and "by topic" in report.objectives_note
    links = pd.DataFrame({"question_id": ["q1", "q2", "q3"], "objective_id": ["obj-t", "obj-t", "obj-g"]})
    report = class_report(hand_class, objectives=links)
    assert report.by_objective.loc["cai", "obj-t"] == pytest.approx(0.5)
    assert list(report.objectives["objective_id"]) == ["obj-g", "obj-t"]
    page = write_report(report, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Class mastery by topic" in page and "Class mastery by objective" in page
    with pytest.raises(ValueError, match="objectives has no column objective_id"):
        class_report(hand_class, objectives=links.drop(columns="objective_id"))


def test_the_html_report_is_one_offline_file(tmp_path):
    """The report embeds plotly.js, loads no script from the web, states its counts and names the flagged item."""
    synthetic = synthetic_class(40, 12, 1)
    synthetic.write_exports(tmp_path)
    page = write_report(class_report(tmp_path), tmp_path / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]*\bsrc\s*=\s*[\"']?(https?:)?//", page, re.I)
    assert not re.search(r"<link[^>]*href\s*=\s*[\"']?(https?:)?//", page, re.I)
    assert page.count("Plotly.newPlot") == 3 and "plotly.js v" in page
    assert f"Used 40 files with {len(synthetic.attempts):,} attempts by 40 students." in page
    assert "not medical advice" in page
    assert f"<li class='flag'>{synthetic.miskeyed[0]}: " in page


def test_text_from_students_files_is_escaped(tmp_path):
    """A question id or answer holding HTML is shown as text, never run as markup."""
    rows = [_attempt(1, "<script>alert(1)</script>", "<b>x</b>", True), _attempt(2, "q2", "y", False)]
    _export(tmp_path / "results-<i>eve<i>.json", rows)
    page = write_report(class_report(tmp_path), tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>x</b>" not in page and "<i>eve<i>" not in page


def test_write_report_refuses_a_missing_folder(hand_class, tmp_path):
    """write_report names the folder that does not exist, and refuses a folder as the file."""
    report = class_report(hand_class)
    with pytest.raises(ValueError, match="does not exist"):
        write_report(report, tmp_path / "no-such-folder" / "r.html")
    with pytest.raises(ValueError, match="is a folder"):
        write_report(report, tmp_path)


def test_report_modules_do_not_import_plotly():
    """Reading and analysing exports loads neither plotly nor ipywidgets; only write_report loads plotly.

    (jsonschema is loaded: the item analysis names each question from the validated banks, through the item catalog.)
    """
    code = (
        "import sys, sarcoma_edu.report.class_report as r; r.analyse(r.synthetic_class(10, 5, 0).results()); "
        "print(sorted(m for m in ('plotly', 'ipywidgets') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert done.stdout.strip() == "[]"


def test_item_analysis_of_no_attempts_is_an_empty_table():
    """No attempts give an empty item table with the documented columns."""
    empty = pd.DataFrame(columns=["student", "attempt_id", "question_id", "topic", "answer", "correct", "answered_at"])
    assert list(item_analysis(empty).columns)[:5] == [
        "question_id",
        "topic",
        "students",
        "difficulty",
        "discrimination",
    ]


# --- the command ---------------------------------------------------------------------------


def test_report_command_writes_the_file_and_warns_about_skipped_ones(hand_class, tmp_path, capsys):
    """`sarcoma-edu report FOLDER --out FILE` writes the HTML, says what it used and warns once per skipped file."""
    (hand_class / "broken.json").write_text("{", encoding="utf-8")
    out = tmp_path / "class.html"
    assert main(["report", str(hand_class), "--out", str(out), "--anonymise"]) == 0
    captured = capsys.readouterr()
    assert "Used 4 files with 13 attempts by 4 students; 1 file(s) skipped." in captured.out
    assert f"Report written to {out}" in captured.out
    lines = captured.err.strip().splitlines()
    assert (
        len(lines) == 1 and lines[0].startswith("sarcoma-edu report: warning: skipped ") and "broken.json" in lines[0]
    )
    assert "Student " in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        pytest.param(["report", "{empty}", "--out", "{tmp}/r.html"], "no .csv or .json file found", id="no inputs"),
        pytest.param(["report", "{tmp}/missing", "--out", "{tmp}/r.html"], "no such file or folder", id="no such path"),
        pytest.param(["report", "{class}", "--out", "{tmp}/nowhere/r.html"], "does not exist", id="out folder missing"),
        pytest.param(["report", "{class}", "--out", "{tmp}"], "is a folder", id="out is a folder"),
        pytest.param(["report", "{class}"], "the following arguments are required: --out", id="no --out"),
        pytest.param(
            ["report", "--out", "{tmp}/r.html"], "the following arguments are required: RESULTS", id="no input"
        ),
    ],
)
def test_report_command_bad_arguments_exit_2_with_one_line(args, words, hand_class, tmp_path):
    """Bad arguments to `sarcoma-edu report` exit 2 with one line naming the problem and no traceback."""
    empty = tmp_path / "empty"
    empty.mkdir()
    filled = [a.format(empty=empty, tmp=tmp_path, **{"class": hand_class}) for a in args]
    done = subprocess.run([str(SCRIPT), *filled], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], done.stderr
    assert not (tmp_path / "r.html").exists()


# --- hostile or odd files handed in --------------------------------------------------------


def _lone_surrogate_export(path: Path) -> Path:
    """An export whose JSON holds "\\ud800" (valid JSON, but no character): as a broken tool may write it."""
    text = json.dumps({"format": "sarcoma-edu-progress", "version": 1, "attempts": [_attempt(99, "q1", "X", True)]})
    path.write_text(text.replace('"X"', '"\\ud800"'), encoding="utf-8")
    return path


def test_an_export_with_a_lone_surrogate_is_skipped_by_name_and_the_report_is_made_from_the_rest(hand_class, tmp_path):
    """One file holding "\\ud800" is skipped with a line naming it; the report is made from the other four."""
    bad = _lone_surrogate_export(hand_class / "results-zed.json")
    named = _export(hand_class / "results-yan.json", [_attempt(98, "q1", "A", True)], student="\ud800")
    with pytest.warns(ReportWarning) as caught:
        report = class_report(hand_class)
    messages = [str(w.message) for w in caught]
    assert any(str(bad) in m and "not valid Unicode" in m for m in messages)
    assert any(str(named) in m and "field 'student'" in m and "not valid Unicode" in m for m in messages)
    assert report.results.attempts["student"].nunique() == 4
    assert write_report(report, tmp_path / "r.html").stat().st_size > 0


def test_a_failed_report_never_empties_the_previous_one(hand_class, tmp_path, monkeypatch):
    """If writing the new report fails half-way, the earlier report file is still there, byte for byte."""
    out = write_report(class_report(hand_class), tmp_path / "class.html")
    before = out.read_bytes()
    monkeypatch.setattr("sarcoma_edu.report.html.report_html", lambda report: "<p>new</p>\ud800")
    with pytest.raises(UnicodeEncodeError):
        write_report(class_report(hand_class), out)
    monkeypatch.undo()

    def full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OutputError, match=r"could not write .*class\.html \(No space left on device\)"):
        write_report(class_report(hand_class), out)
    assert out.read_bytes() == before and [p.name for p in tmp_path.glob("*class.html*")] == ["class.html"]


def test_the_report_is_private_to_the_instructor(hand_class, tmp_path):
    """The HTML file names students, so it is created readable by its owner only (0600)."""
    out = write_report(class_report(hand_class), tmp_path / "class.html")
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600


def test_a_whole_number_too_big_for_a_float_skips_the_file_instead_of_crashing(hand_class, tmp_path):
    """An answer of 10**400 in one export skips that file with its reason; the report is made from the rest."""
    bad = _export(hand_class / "results-zed.json", [_attempt(99, "q1", 10**400, True)])
    with pytest.warns(ReportWarning, match=f"skipped {re.escape(str(bad))}: attempt 0, field 'answer'"):
        report = class_report(hand_class)
    assert "zed" not in set(report.results.attempts["student"])
    write_report(report, tmp_path / "r.html")


def test_an_export_dated_in_year_1_or_9999_is_skipped_with_its_reason(hand_class):
    """Dates the report cannot compute with skip the file, naming the field, instead of a traceback."""
    rows = [dict(_attempt(99, "q1", "A", True), answered_at="0001-01-01T00:00:00.000+00:00")]
    rows.append(dict(_attempt(98, "q2", "K", True), answered_at="9999-12-31T23:59:59.999+00:00"))
    bad = _export(hand_class / "results-zed.json", rows)
    with pytest.warns(ReportWarning, match=f"skipped {re.escape(str(bad))}: attempt 0, field 'answered_at'"):
        class_report(hand_class)


def _handed_in_as(hand_class: Path, name: str) -> None:
    """ben's export handed in a second time under another student's name."""
    copied = (hand_class / "results-ben.json").read_text(encoding="utf-8")
    (hand_class / f"results-{name}.json").write_text(copied, encoding="utf-8")


def test_an_attempt_handed_in_by_two_students_is_counted_once_and_said(hand_class, tmp_path):
    """ben's export handed in again as zebedee's: each attempt counts once, for ben (first by name), and the
    terminal and the report say so, naming both students and both files."""
    _handed_in_as(hand_class, "zebedee")
    words = r"3 attempt\(s\) of ben are also in the file\(s\) of zebedee: each is counted once"
    with pytest.warns(ReportWarning, match=words):
        report = class_report(hand_class)
    assert (report.results.attempts["student"] == "ben").sum() == 3
    assert "zebedee" not in set(report.results.attempts["student"])
    (shared,) = report.results.shared
    assert shared.students == ("ben", "zebedee") and shared.count == 3 and shared.counted_for == "ben"
    assert "3 of them in the files of two or more students" in report.results.describe()
    page = write_report(report, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Attempts handed in by more than one student" in page and "counted once, for ben" in page
    folder = hand_class.name
    assert f"(files: <code>{folder}/results-ben.json</code>, <code>{folder}/results-zebedee.json</code>)" in page


def test_shared_attempts_in_an_anonymised_report_name_pseudonyms_only(hand_class, tmp_path):
    """With --anonymise the note about shared attempts uses the pseudonyms, never the names."""
    _handed_in_as(hand_class, "zebedee")
    with pytest.warns(ReportWarning):
        report = class_report(hand_class, anonymise=True)
    page = write_report(report, tmp_path / "r.html").read_text(encoding="utf-8")
    assert f"counted once, for {pseudonym('ben')}" in page and pseudonym("zebedee") in page
    assert "zebedee" not in page and "ben " not in page


def test_a_progress_file_handed_in_by_mistake_is_read_without_being_changed(hand_class, tmp_path):
    """ana/progress.sqlite3 in the folder is read read-only as ana's attempts; its bytes and folder stay the same."""
    store = ProgressStore(hand_class / "fay" / "progress.sqlite3")
    store.record("q1", "A", True, "staging")
    store.record("q2", "D", False, "staging")
    before = store.path.read_bytes()
    report = class_report(hand_class)
    attempts = report.results.attempts
    assert sorted(attempts.loc[attempts["student"] == "fay", "question_id"]) == ["q1", "q2"]
    assert store.path.read_bytes() == before and sorted(p.name for p in store.path.parent.iterdir()) == [
        "progress.sqlite3"
    ]
    assert store.path in report.results.files


def test_a_progress_file_that_names_no_student_or_is_not_one_is_skipped_with_the_reason(hand_class):
    """progress.sqlite3 straight in the given folder names no student, and another program's database is no
    progress file: each is skipped with a line saying why, unchanged."""
    ProgressStore(hand_class / "progress.sqlite3").record("q1", "A", True, "staging")
    other = hand_class / "games.db"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE scores (x)")
    db.commit()
    db.close()
    before = other.read_bytes()
    with pytest.warns(ReportWarning) as caught:
        report = class_report(hand_class)
    messages = [str(w.message) for w in caught]
    assert any("progress.sqlite3: a progress file with the default name names no student" in m for m in messages)
    assert any("games.db: it is not a sarcoma-edu progress file (it holds table scores)" in m for m in messages)
    assert len(report.results.skipped) == 2 and other.read_bytes() == before


def test_the_report_is_never_written_over_a_students_file_or_a_progress_file(hand_class, tmp_path_factory):
    """--out naming one of the exports read, or a SQLite database, is refused (exit 2) and leaves it alone."""
    export = hand_class / "results-ana.json"
    before = export.read_bytes()
    with pytest.raises(ValueError, match="is one of the students' files the report reads"):
        write_report(class_report(hand_class), export)
    store = ProgressStore(tmp_path_factory.mktemp("home") / "progress.sqlite3")  # not among the files read
    store.record("q1", "A", True, "staging")
    with pytest.raises(ValueError, match="is a SQLite database"):
        write_report(class_report(hand_class), store.path)
    assert export.read_bytes() == before and len(store.attempts()) == 1
    assert main(["report", str(hand_class), "--out", str(export)]) == 2


def test_a_report_that_cannot_be_written_exits_1_naming_the_file_and_why(hand_class, tmp_path):
    """A device as --out, or a failure to write, exits 1 (not 2, bad input) with one line naming the file."""
    done = subprocess.run(
        [str(SCRIPT), "report", str(hand_class), "--out", "/dev/full"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1 and done.stderr.strip().splitlines() == [
        "sarcoma-edu report: error: could not write /dev/full: it is a device, not a file; give the name of a file"
    ]


def test_student_names_and_question_ids_are_escaped_for_plotly_too(tmp_path):
    """Plotly reads HTML in axis labels, hover and text: a student's link markup reaches it as entities, not tags."""
    hostile = '<a href="javascript:alert(1)">x</a>'
    _export(tmp_path / "results-ana.json", [_attempt(1, hostile, "A", True), _attempt(2, "q2", "B", False)])
    _export(tmp_path / "results-ben.json", [_attempt(3, hostile, "C", False), _attempt(4, "q2", "B", True)])
    _export(tmp_path / "x.json", [_attempt(5, "q2", "B", True)], student=hostile)
    page = write_report(class_report(tmp_path), tmp_path / "r.html").read_text(encoding="utf-8")
    figures = [json.loads(m) for m in re.findall(r"Plotly\.newPlot\(\s*\"[^\"]+\",\s*(\[.*?\]),\s*\{", page, re.S)]
    texts = json.dumps(figures)
    assert hostile not in texts and "javascript" in texts
    assert '&lt;a href=\\"javascript:alert(1)\\"&gt;x&lt;/a&gt;' in texts


def test_a_file_name_in_another_encoding_still_gives_a_report(hand_class, tmp_path):
    """results-l\\xe9a.json (Latin-1 bytes, as some zip tools write them) is used; the name shows with one U+FFFD."""
    os.rename(hand_class / "results-ana.json", os.fsencode(hand_class) + b"/results-l\xe9a.json")
    page = write_report(class_report(hand_class), tmp_path / "r.html").read_text(encoding="utf-8")
    assert "l\ufffda" in page and "l\ufffd\ufffd" not in page


def test_the_students_by_topics_heatmap_names_every_student_and_keeps_its_scale_readable():
    """Six students: six names beside six rows at least 24 px tall, and a colour scale of five labels, 0% to 100%."""
    from sarcoma_edu.report.html import _heatmap

    names = [f"Student {letter}" for letter in "ABCDEF"]
    table = pd.DataFrame([[0.2, 0.9], [1.0, 0.5], [0.0, None], [0.7, 0.7], [0.4, 0.1], [0.95, 0.6]], index=names,
                         columns=["staging", "grade"])  # fmt: skip
    figure = _heatmap(table, "topic")
    assert list(figure.layout.yaxis.ticktext) == names and list(figure.layout.yaxis.tickvals) == names
    assert figure.layout.height >= 200 + 24 * len(names)
    bar = figure.data[0].colorbar
    assert list(bar.ticktext) == ["0%", "25%", "50%", "75%", "100%"] and bar.len == 1


@pytest.mark.parametrize("topics", [1, 3, 12])
def test_the_class_mastery_bars_have_room_under_the_title_even_for_one_topic(topics):
    """The mastery-by-topic figure leaves at least 32 px of plot per bar (and 80 px in all) under its title and
    axis: a class that answered one topic sees its bar, not a line."""
    from sarcoma_edu.report.html import _mastery_bar

    summary = pd.DataFrame({"topic": [f"topic {k}" for k in range(topics)], "mastery": 0.5, "students": 3})
    layout = _mastery_bar(summary, "topic").layout
    top = 100 if layout.margin.t is None else layout.margin.t  # plotly's default margins
    bottom = 80 if layout.margin.b is None else layout.margin.b
    assert layout.height - top - bottom >= max(80, 32 * topics)
