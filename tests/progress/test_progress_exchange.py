"""What comes in is checked before it is stored, and what is stored can always be read and exported."""

from __future__ import annotations

import copy
import csv
import errno
import json
import os
import re
import sqlite3
import stat
from datetime import UTC, datetime, timedelta

import jsonschema
import pytest

from sarcoma_edu.common.atomic import OutputError
from sarcoma_edu.course import generated_patients as quiz_cases
from sarcoma_edu.course.banks import load_bank
from sarcoma_edu.course.generated import generate_case_question
from sarcoma_edu.course.quiz import TOPICS
from sarcoma_edu.progress import exchange as progress_exchange
from sarcoma_edu.progress.store import ProgressStore, ProgressWarning
from sarcoma_edu.report.class_report import read_exports
from sarcoma_edu.widgets.quiz import quiz_widget

SCHEMA = progress_exchange.load_schema()
GOOD = {
    "attempt_id": "a1",
    "question_id": "st-ia",
    "topic": "staging",
    "answer": "IA",
    "correct": True,
    "answered_at": "2026-03-02T14:05:09.120+00:00",
}


def _export(*attempts):
    return {
        "format": "sarcoma-edu-progress",
        "version": 1,
        "attempts": [dict(a) if isinstance(a, dict) else a for a in attempts],
    }


def _with(**changes):
    attempt = dict(GOOD, attempt_id="a2")
    attempt.update(changes)
    return {k: v for k, v in attempt.items() if v is not ...}


def test_every_export_follows_the_exchange_schema(tmp_path):
    """export_json writes a file the JSON Schema accepts: texts, lists, numbers and an empty topic."""
    store = ProgressStore(tmp_path / "p.sqlite3")
    store.record("st-ia", "IA", True, "staging")
    store.record("dx-biopsy-types", ["MRI", "CT"], False, "diagnosis")
    store.record("gr-total-max", 8.0, True, "grade")
    store.record("free-question", "x", False)
    payload = json.loads(store.export_json(tmp_path / "out.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.validate(payload, SCHEMA)
    assert len(payload["attempts"]) == 4


def test_the_schema_knows_every_topic_the_quiz_records():
    """The schema's topics are the quiz topics, "" for none, and cover the generated cases' topics."""
    topics = set(progress_exchange.known_topics())
    assert {"", *TOPICS} <= topics
    assert {q.topic for q in load_bank()} <= topics
    assert set(quiz_cases._TOPIC.values()) <= topics  # the topic each kind of generated case records
    assert generate_case_question(7, "stage").topic in topics


def test_an_export_written_by_the_previous_version_still_imports(tmp_path):
    """A file as export_json wrote it before the schema (same fields, +00:00 times) imports."""
    text = json.dumps(
        {
            "format": "sarcoma-edu-progress",
            "version": 1,
            "attempts": [
                dict(GOOD),
                dict(GOOD, attempt_id="b2", answer=["MRI", "CT"], correct=False, topic="diagnosis"),
                dict(GOOD, attempt_id="b3", answer=8.0, topic=""),
            ],
        },
        ensure_ascii=False,
        indent=1,
    )
    path = tmp_path / "old.json"
    path.write_text(text, encoding="utf-8")
    assert ProgressStore(tmp_path / "p.sqlite3").import_json(path) == 3


BAD_FILES = [
    pytest.param(
        {"format": "sarcoma-edu-progress", "version": 1, "attempts": None},
        "field 'attempts' is None",
        id="attempts is null",
    ),
    pytest.param(
        {"format": "sarcoma-edu-progress", "version": 1, "attempts": "all"},
        "field 'attempts' is 'all'",
        id="attempts is a text",
    ),
    pytest.param(
        {"format": "other", "version": 1, "attempts": []}, "not a sarcoma-edu progress export", id="another format"
    ),
    pytest.param(
        {"format": "sarcoma-edu-progress", "version": 3, "attempts": []}, "field 'version' is 3", id="a later version"
    ),
    pytest.param({"format": "sarcoma-edu-progress", "attempts": []}, "has no field 'version'", id="no version"),
    pytest.param([1, 2], "is not a sarcoma-edu progress export", id="a list, not an export"),
    pytest.param(_export(GOOD, _with(attempt_id="")), "attempt 1, field 'attempt_id'", id="empty attempt id"),
    pytest.param(_export(GOOD, _with(question_id=5)), "attempt 1, field 'question_id': 5", id="question id a number"),
    pytest.param(
        _export(GOOD, _with(answered_at="2026-03-02T14:05:09")),
        "attempt 1, field 'answered_at'",
        id="time without its zone",
    ),
    pytest.param(
        _export(GOOD, _with(answered_at="yesterday")), "attempt 1, field 'answered_at': 'yesterday'", id="not a time"
    ),
    pytest.param(
        _export(GOOD, _with(answered_at="2026-13-45T14:05:09+00:00")),
        "attempt 1, field 'answered_at'",
        id="no such date",
    ),
    pytest.param(
        _export(GOOD, _with(correct="true")),
        "attempt 1, field 'correct': 'true' must be true or false",
        id="correct as text",
    ),
    pytest.param(_export(GOOD, _with(correct=1)), "attempt 1, field 'correct': 1", id="correct as a number"),
    pytest.param(
        _export(GOOD, _with(topic="cardiology")),
        "attempt 1, field 'topic': 'cardiology' must be one of",
        id="unknown topic",
    ),
    pytest.param(_export(GOOD, _with(answer={"a": 1})), "attempt 1, field 'answer'", id="answer an object"),
    pytest.param(_export(GOOD, _with(answer=...)), "attempt 1 has no 'answer'", id="answer missing"),
    pytest.param(_export(GOOD, _with(student="Ana")), "attempt 1, field 'student' is not a field", id="unknown field"),
    pytest.param(_export(GOOD, 3), "attempt 1 is 3, not an object", id="attempt not an object"),
]


@pytest.mark.parametrize(("payload", "words"), BAD_FILES)
def test_a_bad_export_stores_nothing_and_names_file_attempt_and_field(tmp_path, payload, words):
    """A file that breaks the schema anywhere is refused whole, naming the file, the attempt and the field."""
    path = tmp_path / "upload.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    store = ProgressStore(tmp_path / "p.sqlite3")
    with pytest.raises(ValueError, match=words) as caught:
        store.import_json(path)
    assert str(path) in str(caught.value)
    assert store.attempts().empty


def test_the_fast_row_check_agrees_with_the_schema():
    """Every attempt the JSON Schema refuses in the table above, the check on stored rows refuses too."""
    validator = jsonschema.Draft202012Validator(SCHEMA)
    assert progress_exchange.attempt_problem(GOOD) is None and validator.is_valid(_export(GOOD))
    for param in BAD_FILES:
        payload = param.values[0]
        if (
            not isinstance(payload, dict)
            or not isinstance(payload.get("attempts"), list)
            or len(payload["attempts"]) < 2
        ):
            continue
        attempt = payload["attempts"][1]
        schema_refuses = not validator.is_valid(_export(attempt))
        row_refuses = not isinstance(attempt, dict) or progress_exchange.attempt_problem(attempt) is not None
        assert row_refuses, param.id
        assert schema_refuses or param.id == "no such date", param.id  # the calendar is checked in Python


@pytest.mark.parametrize(
    ("content", "words"),
    [
        pytest.param("[" * 100_000, "cannot read a progress export", id="absurdly nested"),
        pytest.param("", "cannot read a progress export", id="empty file"),
    ],
)
def test_unreadable_exports_are_value_errors(tmp_path, content, words):
    """A file that is not JSON at all, or nested beyond reason, is a ValueError naming the file."""
    path = tmp_path / "upload.json"
    path.write_text(content)
    with pytest.raises(ValueError, match=words):
        ProgressStore(tmp_path / "p.sqlite3").import_json(path)


def test_a_folder_given_as_export_is_a_value_error(tmp_path):
    """Importing a folder is refused with a ValueError naming it, not an IsADirectoryError."""
    with pytest.raises(ValueError, match="cannot read a progress export"):
        ProgressStore(tmp_path / "p.sqlite3").import_json(tmp_path)


def test_an_export_saved_with_a_byte_order_mark_imports(tmp_path):
    """A file re-saved by an editor with a UTF-8 byte-order mark still imports."""
    path = tmp_path / "bom.json"
    path.write_text(json.dumps(_export(GOOD)), encoding="utf-8-sig")
    assert ProgressStore(tmp_path / "p.sqlite3").import_json(path) == 1


def test_record_refuses_what_an_export_could_not_carry(tmp_path):
    """record() refuses an unknown topic or an answer that is not a text, number or list, so exports stay valid."""
    store = ProgressStore(tmp_path / "p.sqlite3")
    with pytest.raises(ValueError, match="topic='cardiology' must be one of the quiz topics"):
        store.record("q", "x", True, "cardiology")
    with pytest.raises(ValueError, match=r"answer=.* must be a text, a number or a list of texts"):
        store.record("q", {"a": 1}, True, "grade")
    with pytest.raises(ValueError, match="answer=nan"):
        store.record("q", float("nan"), True, "grade")
    assert store.attempts().empty


OLD_ROWS = [
    ("good-1", "st-ia", "staging", '"IA"', 0, "2026-03-01T10:00:00.000+00:00"),
    ("good-2", "gr-bands", "grade", '"Grade 2"', 1, "2026-03-01T10:01:00.000+00:00"),
    ("no-time", "st-ib", "staging", '"IB"', 0, None),
    ("local-time", "st-ib", "staging", '"IB"', 0, "last tuesday"),
    ("two", "st-ic", "staging", '"IC"', 2, "2026-03-01T10:02:00.000+00:00"),
    ("text-correct", "st-ic", "staging", '"IC"', "yes", "2026-03-01T10:03:00.000+00:00"),
    ("not-json", "st-id", "staging", "IA or IB", 1, "2026-03-01T10:04:00.000+00:00"),
]


@pytest.fixture
def old_store(tmp_path):
    """A progress file written by an older version without the table's checks, with unreadable rows."""
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE attempts (attempt_id, question_id, topic, answer, correct, answered_at)")
        db.executemany("INSERT INTO attempts VALUES (?, ?, ?, ?, ?, ?)", OLD_ROWS)
    db.close()
    return ProgressStore(path)


def test_rows_an_older_version_stored_are_skipped_with_a_warning_naming_them(old_store):
    """attempts() leaves out each unreadable old row with one warning that names it; the good rows show."""
    with pytest.warns(ProgressWarning, match="5 stored attempt\\(s\\)") as caught:
        frame = old_store.attempts()
    message = str(caught[0].message)
    for attempt_id in ("no-time", "local-time", "two", "text-correct", "not-json"):
        assert repr(attempt_id) in message
    assert "answered_at=None" in message and "they stay in the file" in message
    assert list(frame["attempt_id"]) == ["good-1", "good-2"]


def test_summary_mistakes_and_exports_go_on_working_with_old_rows(old_store, tmp_path):
    """With unreadable old rows, summary, mistakes, both exports and re-import still work."""
    with pytest.warns(ProgressWarning):
        assert old_store.summary(by="topic").set_index("topic").loc["staging", "attempts"] == 1
    with pytest.warns(ProgressWarning):
        assert old_store.mistakes() == ["st-ia"]
    with pytest.warns(ProgressWarning):
        exported = old_store.export_json(tmp_path / "out.json")
    jsonschema.validate(json.loads(exported.read_text(encoding="utf-8")), SCHEMA)
    with pytest.warns(ProgressWarning):
        old_store.export_csv(tmp_path / "out.csv")
    assert ProgressStore(tmp_path / "fresh.sqlite3").import_json(exported) == 2


def test_practise_my_mistakes_works_with_old_rows(old_store):
    """The quiz's 'Practise my mistakes' asks again the readable mistakes despite unreadable old rows."""
    widget = quiz_widget(load_bank(), progress=old_store)
    with pytest.warns(ProgressWarning):
        assert widget.practise_mistakes() == 1
    assert widget.question.id == "st-ia"


def test_an_import_does_not_double_what_is_there(tmp_path):
    """Importing the same attempts twice, even inside one file, stores each attempt id once."""
    path = tmp_path / "twice.json"
    path.write_text(json.dumps(_export(GOOD, copy.deepcopy(GOOD))), encoding="utf-8")
    store = ProgressStore(tmp_path / "p.sqlite3")
    assert store.import_json(path) == 1 and store.import_json(path) == 0
    assert len(store.attempts()) == 1


FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", "'quoted", "-5", "+3.2"]


def test_the_csv_export_neutralises_cells_a_spreadsheet_would_run_as_formulas(tmp_path):
    """Answers beginning with =, +, -, @, a tab or a CR get a leading apostrophe in the CSV; plain numbers do not."""
    store = ProgressStore(tmp_path / "p.sqlite3")
    store.add_attempts([_with(attempt_id=f"f{k}", answer=text) for k, text in enumerate(FORMULAS)])
    path = store.export_csv(tmp_path / "out.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        cells = [row["answer"] for row in csv.DictReader(handle)]
    assert cells == ["'" + t for t in FORMULAS[:7]] + ["-5", "+3.2"]
    assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in cells[:7])


def test_the_json_export_and_import_carry_formula_like_answers_unchanged(tmp_path):
    """The JSON export holds each answer exactly as given, and importing it stores the same text."""
    store = ProgressStore(tmp_path / "p.sqlite3")
    store.add_attempts([_with(attempt_id=f"f{k}", answer=text) for k, text in enumerate(FORMULAS)])
    payload = json.loads(store.export_json(tmp_path / "out.json").read_text(encoding="utf-8"))
    assert [a["answer"] for a in payload["attempts"]] == FORMULAS
    other = ProgressStore(tmp_path / "other.sqlite3")
    other.import_json(tmp_path / "out.json")
    assert list(other.attempts()["answer"]) == FORMULAS


def test_a_csv_export_read_back_gives_the_original_answers(tmp_path):
    """The class report reading the CSV export gets each student's answer as given, apostrophes taken off."""
    store = ProgressStore(tmp_path / "p.sqlite3")
    store.add_attempts([_with(attempt_id=f"f{k}", answer=text) for k, text in enumerate(FORMULAS)])
    folder = tmp_path / "handed-in"
    folder.mkdir()
    store.export_csv(folder / "results-ana.csv")
    read = read_exports(folder).attempts.sort_values("attempt_id")
    assert list(read["answer"]) == FORMULAS and set(read["student"]) == {"ana"}
    assert [progress_exchange.csv_text(progress_exchange.csv_cell(t)) for t in FORMULAS] == FORMULAS


@pytest.mark.parametrize(
    ("when", "words"),
    [
        pytest.param("0001-01-01T00:00:00.000+00:00", "outside the dates sarcoma-edu works with", id="year 1"),
        pytest.param("9999-12-31T23:59:59.999+00:00", "outside the dates sarcoma-edu works with", id="year 9999"),
        pytest.param(
            "2150-01-01T00:00:00.000+00:00", "is in the future: an attempt may be dated up to", id="the year 2150"
        ),
    ],
)
def test_an_import_dated_at_the_edge_of_the_calendar_or_in_the_future_is_refused_in_one_line(tmp_path, when, words):
    """Year 1, year 9999 and a future date are refused naming the file, the attempt and the field; nothing stored."""
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(_export(GOOD, _with(answered_at=when))), encoding="utf-8")
    store = ProgressStore(tmp_path / "p.sqlite3")
    with pytest.raises(ValueError) as caught:
        store.import_json(path)
    message = str(caught.value)
    assert f"path={str(path)!r}: attempt 1, field 'answered_at'" in message and words in message
    assert "nothing was imported" in message and "\n" not in message
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    allowed = "the years 2000 to 2199" if "outside" in words else f"up to {tomorrow:%Y-%m-%d} "
    assert allowed in message
    assert store.attempts().empty


def test_an_import_from_a_clock_a_little_fast_is_accepted(tmp_path):
    """An attempt dated an hour ahead (another computer's clock) is imported: only more than a day ahead is refused."""
    ahead = (datetime.now(UTC) + timedelta(hours=1)).isoformat(timespec="milliseconds")
    path = tmp_path / "ahead.json"
    path.write_text(json.dumps(_export(_with(answered_at=ahead))), encoding="utf-8")
    assert ProgressStore(tmp_path / "p.sqlite3").import_json(path) == 1


def test_a_stored_attempt_dated_year_1_does_not_break_the_quiz(tmp_path):
    """A row dated year 1 or 9999 already in the file is left out with a warning; the quiz opens every time."""
    store = ProgressStore(tmp_path / "p.sqlite3")
    store.record("st-ia", "IA", True, "staging")
    db = sqlite3.connect(store.path)
    for n, when in enumerate(("0001-01-01T00:00:00.000+00:00", "9999-12-31T23:59:59.999+00:00")):
        db.execute("INSERT INTO attempts VALUES (?, 'st-ib', 'staging', '\"IB\"', 0, ?, NULL)", (f"old-{n}", when))
    db.commit()
    db.close()
    with pytest.warns(ProgressWarning, match="2 stored attempt"):
        assert len(store.attempts()) == 1
    widget = quiz_widget(load_bank(), progress=store)  # the quiz keeps the store's warnings to itself
    assert widget.question is not None and "Welcome back" in widget.status.value
    widget.answer(widget.question.choices[0])
    with pytest.warns(ProgressWarning):
        assert len(store.attempts()) == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [("answer", "\ud800"), ("question_id", "q\udfff"), ("answer", ["ok", "\ud800"])],
    ids=["a lone surrogate answer", "a lone surrogate question id", "a lone surrogate in a list answer"],
)
def test_an_import_with_text_that_is_not_valid_unicode_is_refused_naming_the_field(tmp_path, field, value):
    """JSON's "\\ud800" is no character: such an attempt is refused with its field named, nothing stored."""
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(_export(GOOD, _with(**{field: value}))), encoding="utf-8")
    store = ProgressStore(tmp_path / "p.sqlite3")
    with pytest.raises(ValueError, match=f"attempt 1, field '{field}': .* holds text that is not valid Unicode"):
        store.import_json(path)
    assert store.attempts().empty


def test_an_import_with_a_whole_number_too_big_for_a_float_is_refused_not_a_crash(tmp_path):
    """An answer of 10**400 is refused as not a number the format allows (no OverflowError)."""
    path = tmp_path / "big.json"
    path.write_text(json.dumps(_export(_with(answer=10**400))), encoding="utf-8")
    with pytest.raises(ValueError, match="attempt 0, field 'answer'"):
        ProgressStore(tmp_path / "p.sqlite3").import_json(path)


def test_exporting_over_the_progress_file_itself_is_refused(tmp_path):
    """export_json or export_csv given the progress file (or its moved-aside copy) refuses; the file is unchanged."""
    store = ProgressStore(tmp_path / "progress.sqlite3")
    store.record("st-ia", "IA", True, "staging")
    before = store.path.read_bytes()
    for export in (store.export_json, store.export_csv):
        with pytest.raises(ValueError, match=r"is the progress file itself; .*nothing was written"):
            export(store.path)
        with pytest.raises(ValueError, match="is the progress file itself"):
            export(str(tmp_path / "." / "progress.sqlite3"))
    aside = tmp_path / "progress.sqlite3.corrupt-20260302T140509123456Z"
    aside.write_bytes(before)
    with pytest.raises(ValueError, match=r"is a SQLite database .*nothing was written"):
        store.export_json(aside)
    assert store.path.read_bytes() == before == aside.read_bytes() and len(store.attempts()) == 1


def test_exporting_over_the_progress_file_through_a_link_or_another_name_is_refused(tmp_path, monkeypatch):
    """A link to the progress file, a hard link, a path through a linked folder, or its journal: refused, unchanged."""
    store = ProgressStore(tmp_path / "progress.sqlite3")
    store.record("st-ia", "IA", True, "staging")
    before = store.path.read_bytes()
    (tmp_path / "link.json").symlink_to(store.path)
    os.link(store.path, tmp_path / "hard.json")
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "up").symlink_to(tmp_path)
    monkeypatch.chdir(tmp_path)
    for name in ("link.json", "hard.json", "lessons/up/progress.sqlite3", "lessons/../progress.sqlite3"):
        for export in (store.export_json, store.export_csv):
            with pytest.raises(ValueError, match=rf"path={re.escape(repr(name))} is the progress file itself"):
                export(name)
    with pytest.raises(ValueError, match=r"is SQLite's journal of the progress file \(progress.sqlite3-journal\)"):
        store.export_json("progress.sqlite3-journal")
    assert store.path.read_bytes() == before and not (tmp_path / "progress.sqlite3-journal").exists()
    assert sorted(os.listdir(tmp_path)) == ["hard.json", "lessons", "link.json", "progress.sqlite3"]


def test_exports_are_private_to_the_student(tmp_path):
    """Both exports are created readable by their owner only (0600)."""
    store = ProgressStore(tmp_path / "p.sqlite3")
    store.record("st-ia", "IA", True, "staging")
    for path in (store.export_json(tmp_path / "a.json"), store.export_csv(tmp_path / "a.csv")):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_an_export_that_fails_half_way_leaves_the_earlier_export_as_it_was(tmp_path, monkeypatch):
    """A full disk while writing (os.fsync fails) raises an error naming the file; the earlier export stays whole."""
    store = ProgressStore(tmp_path / "p.sqlite3")
    store.record("st-ia", "IA", True, "staging")
    path = store.export_json(tmp_path / "mine.json")
    before = path.read_bytes()
    store.record("st-ib", "IB", True, "staging")

    def full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    for export in (store.export_json, store.export_csv):
        with pytest.raises(OutputError, match=r"could not write .*mine\.json \(No space left on device\); it was left"):
            export(path)
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["mine.json", "p.sqlite3"]
