"""`bank check`, `case check` and `coverage` with an instructor's content folder (--content or the variable)."""

from __future__ import annotations

import json

import pytest

from sarcoma_edu.cli import main
from sarcoma_edu.course.banks import bank_paths, load_bank
from sarcoma_edu.course.content_folder import CONTENT_VARIABLE
from sarcoma_edu.course.coverage import coverage
from tests.content_folder import CASE_ID, QUESTION, QUESTION_ID, make_content, write


@pytest.fixture(autouse=True)
def _no_folder(monkeypatch):
    monkeypatch.delenv(CONTENT_VARIABLE, raising=False)


@pytest.fixture
def folder(tmp_path):
    return make_content(tmp_path / "my-content")


def test_bank_check_with_content_and_no_file_checks_every_bank_and_exercise_file(folder, capsys):
    """`bank check --content DIR` checks quiz/ and exercises/ of the folder: one OK line each, exit 0."""
    assert main(["bank", "check", "--content", str(folder)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{folder / 'quiz' / 'mine.json'}: OK, 1 question",
        f"{folder / 'exercises' / 'mine.json'}: OK, 1 exercise",
    ]


def test_case_check_reads_the_variable(folder, capsys, monkeypatch):
    """`case check` with $SARCOMA_EDU_CONTENT set and no file checks the folder's cases/."""
    monkeypatch.setenv(CONTENT_VARIABLE, str(folder))
    assert main(["case", "check"]) == 0
    assert capsys.readouterr().out == f"{folder / 'cases' / 'mine.json'}: OK, case '{CASE_ID}' with 5 steps\n"


def test_a_new_file_is_checked_against_her_folder(folder, tmp_path, capsys):
    """A new bank file reusing an id of her folder is refused, naming the file, the id and her file."""
    new = write(tmp_path / "new.json", [QUESTION])
    assert main(["bank", "check", "--content", str(folder), str(new)]) == 2
    captured = capsys.readouterr()
    assert captured.out == (
        f"{new}, question 0 (id '{QUESTION_ID}'), field 'id': '{QUESTION_ID}' is already used by question 0 in "
        f"{folder / 'quiz' / 'mine.json'}; give it its own id (progress is recorded by id, so the two would share "
        "one history)\n"
    )
    assert captured.err == "sarcoma-edu bank check: 1 problem(s) in 1 of 1 file(s)\n"
    assert main(["bank", "check", str(new)]) == 0  # without the folder the file is sound


def test_a_file_of_her_folder_named_is_checked_once(folder, capsys):
    """Naming a file that is in her folder checks it once (no clash with itself)."""
    assert main(["bank", "check", "--content", str(folder), str(folder / "quiz" / "mine.json")]) == 0
    assert capsys.readouterr().out == f"{folder / 'quiz' / 'mine.json'}: OK, 1 question\n"


def test_the_clash_message_is_the_same_in_bank_check_and_in_the_quiz(folder, capsys):
    """Her question reusing a built-in id gives one message: bank check prints the line the quiz shows."""
    from sarcoma_edu.course.items import instructor_content

    taken = load_bank()[0].id
    write(folder / "quiz" / "mine.json", [{**QUESTION, "id": taken}])
    assert main(["bank", "check", "--content", str(folder)]) == 2
    printed = capsys.readouterr().out.splitlines()[0]
    assert printed == instructor_content(folder).problems[0]
    assert printed == (
        f"{folder / 'quiz' / 'mine.json'}, question 0 (id '{taken}'), field 'id': '{taken}' is already used by a "
        f"built-in question in {bank_paths()[0]}; give it its own id (progress is recorded by id, so the two would "
        "share one history)"
    )


def test_case_check_names_a_case_id_used_twice_in_her_folder(folder, capsys):
    """Two of her case files with one id: the second is refused, naming both files and the id."""
    second = write(folder / "cases" / "second.json", json.loads((folder / "cases" / "mine.json").read_text()))
    assert main(["case", "check", "--content", str(folder)]) == 2
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"{second}, field 'id': '{CASE_ID}' is already used by the case in {folder / 'cases' / 'mine.json'}; give "
        "it its own id (progress is recorded by id, so the two would share one history)"
    )


@pytest.mark.parametrize("command", ["bank", "case"])
def test_a_missing_folder_is_one_line_naming_the_option(command, tmp_path, capsys):
    """`--content` naming a missing folder: exit 2, one line naming --content and the path."""
    missing = tmp_path / "nowhere"
    assert main([command, "check", "--content", str(missing)]) == 2
    assert capsys.readouterr().err.startswith(f"sarcoma-edu {command} check: error: --content '{missing}': no such")


def test_a_file_as_the_folder_in_the_variable_is_one_line_naming_the_variable(tmp_path, capsys, monkeypatch):
    """$SARCOMA_EDU_CONTENT naming a file: exit 2, one line naming the variable and the path."""
    path = write(tmp_path / "bank.json", [QUESTION])
    monkeypatch.setenv(CONTENT_VARIABLE, str(path))
    assert main(["case", "check"]) == 2
    assert capsys.readouterr().err.startswith(
        f"sarcoma-edu case check: error: $SARCOMA_EDU_CONTENT '{path}' is a file, not a folder"
    )


def test_no_file_and_no_folder_says_what_to_give(capsys):
    """`bank check` with neither FILE nor a content folder says to give one (exit 2)."""
    assert main(["bank", "check"]) == 2
    assert "give a bank file (FILE), or your content folder with --content DIR" in capsys.readouterr().err


def test_an_unreadable_file_of_her_folder_is_named(folder, capsys):
    """A case file of hers that cannot be read (a link in a loop) is one problem naming it (exit 2)."""
    loop = folder / "cases" / "loop.json"
    loop.symlink_to(loop)
    assert main(["case", "check", "--content", str(folder)]) == 2
    assert f"{loop}: is a link that leads round in a loop" in capsys.readouterr().out


def test_coverage_counts_her_items(folder, capsys):
    """`sarcoma-edu coverage --content DIR` counts her question, exercise and case steps with the built-in ones."""
    builtin = coverage().set_index("objective")
    assert main(["coverage", "--content", str(folder)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"What assesses each learning objective (the built-in content and {folder}):")
    row = next(line.split() for line in out.splitlines() if " staging-tnmg " in f" {line} ")
    tnmg = builtin.loc["staging-tnmg"]
    # her question and her case's T step (the built-in head and neck case's steps, copied) assess staging-tnmg
    assert row[-3:] == [str(tnmg.quiz_questions + 1), str(tnmg.exercises), str(tnmg.case_steps + 1)]
    nodal = next(line.split() for line in out.splitlines() if " staging-nodal-rule " in f" {line} ")
    assert nodal[-2] == str(builtin.loc["staging-nodal-rule"].exercises + 1)


def test_coverage_without_a_folder_is_the_built_in_table(capsys):
    """`sarcoma-edu coverage` without a folder prints the built-in counts."""
    assert main(["coverage"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("What assesses each learning objective (the built-in content):")
    tnmg = coverage().set_index("objective").loc["staging-tnmg"]
    row = next(line.split() for line in out.splitlines() if " staging-tnmg " in f" {line} ")
    assert row[-3:] == [str(tnmg.quiz_questions), str(tnmg.exercises), str(tnmg.case_steps)]
