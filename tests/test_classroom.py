"""Serving the lessons: a student's own copy (never losing edits) and presenting one lesson."""

from __future__ import annotations

import pytest

from sarcoma_edu import classroom
from sarcoma_edu.cli import main


def test_copy_lessons_copies_every_lesson_into_a_new_folder(tmp_path):
    """A first run copies all numbered lessons into the chosen folder, creating it."""
    report = classroom.copy_lessons(tmp_path / "mine" / "lessons")
    assert report.copied == classroom.list_lessons() and len(report.copied) >= 8
    assert (tmp_path / "mine" / "lessons" / "00_welcome.ipynb").read_bytes() == (
        classroom.lessons_dir() / "00_welcome.ipynb"
    ).read_bytes()


def test_an_edited_lesson_is_kept_unless_the_student_says_replace(tmp_path):
    """A student's edited copy is kept by default; replacing it first saves a backup."""
    classroom.copy_lessons(tmp_path)
    edited = tmp_path / "03_staging.ipynb"
    edited.write_text(edited.read_text() + " ")
    mine = edited.read_bytes()
    asked = []
    report = classroom.copy_lessons(tmp_path, replace_edited=lambda p: asked.append(p.name) or False)
    assert report.kept == ["03_staging.ipynb"] and asked == ["03_staging.ipynb"]
    assert edited.read_bytes() == mine and "03_staging.ipynb" in report.unchanged + report.kept
    report = classroom.copy_lessons(tmp_path, replace_edited=lambda p: True)
    assert report.replaced == ["03_staging.ipynb"]
    assert (tmp_path / "03_staging.edited-1.ipynb").read_bytes() == mine
    assert classroom.copy_lessons(tmp_path).copied == []


@pytest.mark.parametrize(
    ("given", "name"),
    [("03", "03_staging.ipynb"), ("3", "03_staging.ipynb"), ("staging", "03_staging.ipynb"),
     ("07_quiz.ipynb", "07_quiz.ipynb"), ("Grade", "02_grade.ipynb")],
)  # fmt: skip
def test_a_lesson_is_found_by_number_or_name(given, name):
    """Lessons resolve from a number, a slug word or the file name."""
    assert classroom.resolve(given).name == name


@pytest.mark.parametrize(("given", "words"), [("42", "matches none"), ("a", "matches"), ("", "not a lesson")])
def test_an_unknown_lesson_names_the_lessons_there_are(given, words):
    """An unknown or ambiguous lesson raises listing the lessons."""
    with pytest.raises((ValueError, TypeError), match=words) as raised:
        classroom.resolve(given)
    assert "00_welcome" in str(raised.value)


def test_present_command_hides_code_and_can_be_dark(capsys):
    """`sarcoma-edu present 03 --dark` runs Voila on the staging lesson with sources stripped and dark theme."""
    assert main(["present", "03", "--dark", "--port", "8899", "--no-browser", "--print-command"]) == 0
    command = capsys.readouterr().out
    assert "-m voila" in command and "03_staging.ipynb" in command
    for flag in ("--strip_sources=True", "--theme=dark", "--port=8899", "--no-browser"):
        assert flag in command


def test_lab_command_opens_the_welcome_lesson(tmp_path):
    """The JupyterLab command serves the copied folder and opens 00_welcome."""
    command = classroom.lab_command(tmp_path, 8890, browser=False)
    assert f"--ServerApp.root_dir={tmp_path}" in command and "--no-browser" in command
    assert "--LabApp.default_url=/lab/tree/00_welcome.ipynb" in command


def test_cli_lab_no_start_copies_and_keeps_edits(tmp_path, capsys, monkeypatch):
    """`sarcoma-edu lab --no-start` copies the lessons; run again without a terminal it keeps edits."""
    monkeypatch.setattr("sys.stdin", open("/dev/null"))  # noqa: SIM115 - not a terminal: never asks
    assert main(["lab", "--dir", str(tmp_path), "--no-start"]) == 0
    (tmp_path / "02_grade.ipynb").write_text("{}")
    assert main(["lab", "--dir", str(tmp_path), "--no-start"]) == 0
    out = capsys.readouterr().out
    assert "kept as you edited them: 02_grade.ipynb" in out and (tmp_path / "02_grade.ipynb").read_text() == "{}"


@pytest.mark.parametrize(
    ("argv", "words"),
    [(["present", "99"], "lesson='99' matches none"), (["present", "3", "--port", "x"], "'x' is not a port number")],
)
def test_cli_bad_input_exits_2_with_one_line(argv, words, capsys):
    """Bad lesson names and ports give one line on stderr and exit status 2."""
    with pytest.raises(SystemExit) as raised:
        code = main(argv)
        raise SystemExit(code)
    assert raised.value.code == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_cli_lab_into_a_file_is_refused(tmp_path, capsys):
    """A --dir that is a file gives a one-line error, exit status 2."""
    path = tmp_path / "file.txt"
    path.write_text("x")
    assert main(["lab", "--dir", str(path), "--no-start"]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err
