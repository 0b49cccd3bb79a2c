"""The class report with an instructor's content folder: her questions named, in words, in the item analysis."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sarcoma_edu.cli import main
from sarcoma_edu.course.banks import load_bank
from sarcoma_edu.course.content_folder import CONTENT_VARIABLE
from sarcoma_edu.report.class_report import class_report, write_report
from tests.content_folder import QUESTION_ID, QUESTION_TEXT, make_content


@pytest.fixture(autouse=True)
def _no_folder(monkeypatch):
    monkeypatch.delenv(CONTENT_VARIABLE, raising=False)


def _class(folder: Path) -> Path:
    """Two students' exports: each answered her question and a built-in one."""
    builtin = load_bank()[0]
    right = builtin.correct_answers[0].answer
    folder.mkdir()
    for number, (student, correct) in enumerate((("ana", True), ("ben", False))):
        attempts = [
            {
                "attempt_id": f"{student}-{k}",
                "question_id": qid,
                "topic": "staging",
                "answer": answer if correct else "T3",
                "correct": correct,
                "answered_at": f"2026-03-02T10:{number:02d}:{k:02d}.000+00:00",
            }
            for k, (qid, answer) in enumerate(((QUESTION_ID, "T2"), (builtin.id, right)))
        ]
        payload = {"format": "sarcoma-edu-progress", "version": 1, "attempts": attempts}
        (folder / f"results-{student}.json").write_text(json.dumps(payload), encoding="utf-8")
    return folder


def test_the_report_names_her_question_in_the_item_analysis(tmp_path):
    """With her content folder the item analysis shows her question's text beside its id, in the table and the page."""
    content = make_content(tmp_path / "my-content")
    report = class_report(_class(tmp_path / "handed-in"), content=content)
    texts = dict(zip(report.items["question_id"], report.items["question"], strict=True))
    assert texts[QUESTION_ID] == QUESTION_TEXT
    assert texts[load_bank()[0].id] == load_bank()[0].question
    page = write_report(report, tmp_path / "report.html").read_text(encoding="utf-8")
    assert QUESTION_TEXT in page


def test_without_her_folder_her_question_is_named_by_its_id_only(tmp_path):
    """Without the folder her question has no text (its id still names it); built-in questions keep theirs."""
    report = class_report(_class(tmp_path / "handed-in"))
    texts = dict(zip(report.items["question_id"], report.items["question"], strict=True))
    assert texts[QUESTION_ID] == "" and texts[load_bank()[0].id] == load_bank()[0].question


def test_her_questions_objectives_count_in_mastery_by_objective(tmp_path):
    """Her question names staging-tnmg, so the report's mastery by objective includes it."""
    content = make_content(tmp_path / "my-content")
    report = class_report(_class(tmp_path / "handed-in"), content=content)
    assert "staging-tnmg" in report.by_objective.columns


def test_the_report_command_takes_content_and_the_variable(tmp_path, monkeypatch, capsys):
    """`sarcoma-edu report --content DIR` and $SARCOMA_EDU_CONTENT both put her question's text in the page."""
    content = make_content(tmp_path / "my-content")
    handed_in = _class(tmp_path / "handed-in")
    out = tmp_path / "report.html"
    assert main(["report", str(handed_in), "--out", str(out), "--content", str(content)]) == 0
    assert QUESTION_TEXT in out.read_text(encoding="utf-8")
    out.unlink()
    monkeypatch.setenv(CONTENT_VARIABLE, str(content))
    assert main(["report", str(handed_in), "--out", str(out)]) == 0
    assert QUESTION_TEXT in out.read_text(encoding="utf-8")


def test_the_report_command_refuses_a_missing_content_folder(tmp_path, capsys):
    """`--content` naming a missing folder is exit status 2 and one line naming the option and the path."""
    handed_in = _class(tmp_path / "handed-in")
    missing = tmp_path / "nowhere"
    assert main(["report", str(handed_in), "--out", str(tmp_path / "r.html"), "--content", str(missing)]) == 2
    assert capsys.readouterr().err == (
        f"sarcoma-edu report: error: --content '{missing}': no such folder; expected a folder holding quiz/, "
        "exercises/ and cases/ (any of them), each of .json files\n"
    )
    assert not (tmp_path / "r.html").exists()
