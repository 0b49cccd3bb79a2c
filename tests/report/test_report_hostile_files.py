"""The class report and content check against wrong or hostile students' files, and output that cannot be written."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from sarcoma_edu import ProgressStore
from sarcoma_edu.cli import main
from sarcoma_edu.report.class_report import ReportWarning, class_report

SCRIPT = Path(sys.executable).parent / "sarcoma-edu"
# a terminal link to a web page, then red text: what a student's name could hold to act on the instructor's terminal
TERMINAL_LINK = "\x1b]8;;https://example.invalid/\x07click me\x1b]8;;\x07\x1b[31m"


def _export(path: Path, student: str | None, rows: list[tuple[str, str, str, bool]]) -> Path:
    """A JSON export of (attempt id, question id, answer, right) rows, with a 'student' field unless None."""
    attempts = [
        {"attempt_id": a, "question_id": q, "topic": "staging", "answer": answer, "correct": right,
         "answered_at": f"2026-03-02T10:{k:02d}:00.000+00:00"}
        for k, (a, q, answer, right) in enumerate(rows)
    ]  # fmt: skip
    payload = {"format": "sarcoma-edu-progress", "version": 1, "attempts": attempts}
    if student is not None:
        payload["student"] = student
    path.write_text(json.dumps(payload), encoding="utf-8")
    return path


@pytest.fixture
def handed_in(tmp_path: Path) -> Path:
    """A folder of three students' exports (ana, ben, cai), three questions each."""
    folder = tmp_path / "handed-in"
    folder.mkdir()
    for name, right in (("ana", (True, True, True)), ("ben", (True, False, True)), ("cai", (False, True, False))):
        rows = [(f"{name}{k}", f"q{k}", "A" if ok else "B", ok) for k, ok in enumerate(right, start=1)]
        _export(folder / f"results-{name}.json", None, rows)
    return folder


def test_a_lone_surrogate_and_a_huge_number_each_skip_their_file_by_name_and_the_report_is_made(handed_in, tmp_path):
    """`sarcoma-edu report` over a folder holding an export with "\\ud800" and one with 10**400 exits 0, names each
    file in one warning line, prints no traceback, and replaces the earlier report with a whole new one."""
    surrogate = handed_in / "results-zed.json"
    _export(surrogate, None, [("z1", "q1", "X", True)])
    surrogate.write_text(surrogate.read_text(encoding="utf-8").replace('"X"', '"\\ud800"'), encoding="utf-8")
    huge = handed_in / "results-yan.json"
    huge.write_text(json.dumps({"format": "sarcoma-edu-progress", "version": 1, "attempts": [
        {"attempt_id": "y1", "question_id": "q1", "topic": "staging", "answer": 10**400, "correct": True,
         "answered_at": "2026-03-02T10:00:00.000+00:00"}]}), encoding="utf-8")  # fmt: skip
    out = tmp_path / "class.html"
    out.write_text("<p>last week's report</p>", encoding="utf-8")
    done = subprocess.run(
        [str(SCRIPT), "report", str(handed_in), "--out", str(out)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    lines = done.stderr.strip().splitlines()
    assert "Traceback" not in done.stderr and len(lines) == 2, done.stderr
    assert any(str(surrogate) in line and "not valid Unicode" in line for line in lines)
    assert any(str(huge) in line and "not a finite number a float can hold" in line for line in lines)
    assert "Used 3 files with 9 attempts by 3 students; 2 file(s) skipped." in done.stdout
    assert "last week" not in out.read_text(encoding="utf-8") and out.stat().st_size > 100_000


def test_an_export_saved_in_another_encoding_is_skipped_saying_so_in_words(handed_in):
    """A CSV export re-saved as Latin-1 is skipped with a line saying which byte is not UTF-8 and why it may be so."""
    header = "attempt_id,question_id,topic,answer,correct,answered_at\n"
    row = "d1,q1,staging,caf\xe9,true,2026-03-02 10:00:00.000+00:00\n"
    latin = handed_in / "results-dee.csv"
    latin.write_bytes((header + row).encode("latin-1"))
    with pytest.warns(ReportWarning) as caught:
        report = class_report(handed_in)
    (message,) = [str(w.message) for w in caught]
    assert message.startswith(f"skipped {latin}: it cannot be read as CSV (byte 0xe9 at position ")
    assert "is not UTF-8 text; it may have been saved in another encoding" in message and "codec" not in message
    assert report.results.attempts["student"].nunique() == 3


def _with_answers_in_its_wal(path: Path) -> int:
    """A progress file whose last answers are still in its -wal file (as a copy taken while it was open leaves
    it); return how many attempts it holds in all."""
    ProgressStore(path).record("q1", "A", True, "staging")
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA wal_autocheckpoint=0")
    row = list(db.execute("SELECT * FROM attempts").fetchone())
    for k in range(2):
        row[0] = f"in-the-wal-{k}"
        db.execute(f"INSERT INTO attempts VALUES ({', '.join('?' * len(row))})", row)
    copy = path.parent / "copy"
    copy.mkdir()
    for suffix in ("", "-wal"):  # copied while the connection is open, as a student's zip tool would
        shutil.copyfile(f"{path}{suffix}", f"{copy / path.name}{suffix}")
    db.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    for suffix in ("", "-wal"):
        shutil.move(f"{copy / path.name}{suffix}", f"{path}{suffix}")
    copy.rmdir()
    return 3


def test_a_progress_file_with_answers_still_in_its_wal_is_read_in_full_and_left_byte_for_byte(handed_in):
    """fay/progress.sqlite3 handed in with its -wal file: all her answers count (those in the -wal too), and
    neither file changes nor does a new one appear beside them."""
    fay = handed_in / "fay"
    fay.mkdir()
    expected = _with_answers_in_its_wal(fay / "progress.sqlite3")
    before = {p.name: p.read_bytes() for p in fay.iterdir()}
    assert sorted(before) == ["progress.sqlite3", "progress.sqlite3-wal"]
    attempts = class_report(handed_in).results.attempts
    assert (attempts["student"] == "fay").sum() == expected
    assert {p.name: p.read_bytes() for p in fay.iterdir()} == before


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(["report", "{folder}", "--out", "{out}"], id="report"),
        pytest.param(["content", "check", "--progress", "{folder}"], id="content check"),
    ],
)
def test_output_that_cannot_be_written_exits_1_naming_it_and_why(command, handed_in, tmp_path):
    """Output sent to a full disk (> /dev/full) ends with exit 1 and one line naming where it went and why in
    words, not exit 2 ("bad input") with a raw errno."""
    args = [a.format(folder=handed_in, out=tmp_path / "class.html") for a in command]
    with open("/dev/full", "w") as full:
        done = subprocess.run([str(SCRIPT), *args], stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1 and len(lines) == 1, done.stderr
    assert "could not write the standard output (/dev/full): No space left on device" in lines[0]
    assert "Errno" not in lines[0]
    if command[0] == "report":  # the report itself was written before the summary could not be
        assert lines[0].endswith(f"the report itself was written to {tmp_path / 'class.html'}")
        assert (tmp_path / "class.html").stat().st_size > 0


def test_a_students_name_with_terminal_escapes_is_shown_not_acted_on(handed_in, tmp_path, capsys):
    """A name holding a terminal link and colour codes, in ben's export handed in again under it, reaches the
    instructor's terminal as visible \\x1b text: no escape character is printed."""
    copied = json.loads((handed_in / "results-ben.json").read_text(encoding="utf-8"))
    copied["student"] = TERMINAL_LINK
    (handed_in / "results-zz.json").write_text(json.dumps(copied), encoding="utf-8")
    assert main(["report", str(handed_in), "--out", str(tmp_path / "class.html")]) == 0
    captured = capsys.readouterr()
    assert "\x1b" not in captured.err + captured.out and "\x07" not in captured.err
    assert "also in the file(s) of \\x1b]8;;https://example.invalid/\\x07click me" in captured.err


def test_a_zip_or_a_spreadsheet_in_the_folder_is_named_with_what_to_do_not_passed_over(handed_in):
    """The class's hand-ins as one zip, or an export re-saved as a spreadsheet, are each named in a warning saying
    what to do; the report is made from the exports, and other files (notes) are left alone without a word."""
    (handed_in / "submissions.zip").write_bytes(b"PK\x05\x06" + bytes(18))
    (handed_in / "dee").mkdir()
    (handed_in / "dee" / "results-dee.xlsx").write_bytes(b"PK\x03\x04")
    (handed_in / "notes.txt").write_text("ask dee for her export", encoding="utf-8")
    with pytest.warns(ReportWarning) as caught:
        report = class_report(handed_in)
    messages = sorted(str(w.message) for w in caught)
    assert messages == [
        f"skipped {handed_in / 'dee' / 'results-dee.xlsx'}: it is a spreadsheet, not an export: hand in the .csv or "
        ".json file as sarcoma-edu wrote it (a spreadsheet saved from it is not read)",
        f"skipped {handed_in / 'submissions.zip'}: it is a zip archive, which the report does not open: unzip it "
        "into the folder and run the report again",
    ]
    assert report.results.attempts["student"].nunique() == 3 and len(report.results.skipped) == 2


def test_a_student_field_that_is_not_a_name_is_said_and_the_file_name_used(handed_in):
    """An export whose "student" is 12345 is named in a warning, and its attempts are the file name's student's."""
    odd = _export(handed_in / "results-dee.json", None, [("d1", "q1", "A", True)])
    odd.write_text(odd.read_text(encoding="utf-8").replace('"version": 1', '"version": 1, "student": 12345'))
    with pytest.warns(ReportWarning) as caught:
        attempts = class_report(handed_in).results.attempts
    assert [str(w.message) for w in caught] == [
        f"{odd}: its field 'student' is 12345, not a name; its attempts are dee's, from the file name"
    ]
    assert list(attempts.loc[attempts["attempt_id"] == "d1", "student"]) == ["dee"]


def test_very_long_names_are_cut_in_the_heatmap_kept_apart_and_whole_in_its_table(handed_in, tmp_path):
    """Two students' names of 3,000 characters that begin alike are two rows of the heatmap, named by their first
    39 characters and an ellipsis (the second with " (2)"), so the rows keep their room; the table gives them whole."""
    first, second = "Z" * 3000, "Z" * 2999 + "Y"
    for name, student in (("ben", first), ("cai", second)):
        path = handed_in / f"results-{name}.json"
        payload = json.loads(path.read_text(encoding="utf-8"))
        payload["student"] = student
        path.write_text(json.dumps(payload), encoding="utf-8")
    out = tmp_path / "class.html"
    assert main(["report", str(handed_in), "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    figures = re.findall(r"Plotly\.newPlot\(\s*\"[^\"]+\",\s*(\[.*?\]),\s*\{", page, re.S)
    (heatmap,) = [trace for figure in figures for trace in json.loads(figure) if trace["type"] == "heatmap"]
    assert sorted(heatmap["y"]) == ["Z" * 39 + "\u2026", "Z" * 39 + "\u2026 (2)", "ana"]
    assert f"<td>{first}</td>" in page and f"<td>{second}</td>" in page  # whole, in the table
