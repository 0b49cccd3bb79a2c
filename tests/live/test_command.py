"""`sarcoma-edu class init` and `sarcoma-edu poll open|close|results`: what an instructor types, and its errors."""

from __future__ import annotations

import json

import pytest

from sarcoma_edu.cli import main
from tests.content_folder import QUESTION_ID, make_content
from tests.live.conftest import ITEM, answer_as


def test_class_init_prints_the_hub_line_and_exits_0(tmp_path, capsys):
    """The command makes the folder and prints the jupyterhub_config.py line with its path."""
    assert main(["class", "init", str(tmp_path / "class")]) == 0
    out = capsys.readouterr().out
    assert f'c.Spawner.environment["SARCOMA_EDU_CLASS_DIR"] = "{tmp_path / "class"}"' in out
    assert (tmp_path / "class" / "dropbox").is_dir()


def test_a_poll_opened_answered_and_closed_prints_its_results_as_json(tmp_path, capsys):
    """--json prints exactly item, responses, counts, open and late, before and after closing."""
    folder = tmp_path / "class"
    main(["class", "init", str(folder), "--shared-account"])
    assert main(["poll", "open", str(folder), ITEM, "--json"]) == 0
    capsys.readouterr()
    answer_as(folder, "ana", ITEM, "IV")
    answer_as(folder, "ben", ITEM, "IB")
    assert main(["poll", "results", str(folder), ITEM, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown == {"item": ITEM, "responses": 2, "counts": {"IIIB": 0, "IV": 1, "IIIA": 0, "IB": 1}, "open": True,
                     "late": 0}  # fmt: skip
    assert main(["poll", "close", str(folder), ITEM, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["open"] is False


def test_results_in_words_show_each_answer_with_its_count_and_share(tmp_path, capsys):
    """Without --json the results are a few lines: the state, the number of responses, one line per answer."""
    folder = tmp_path / "class"
    main(["class", "init", str(folder), "--shared-account"])
    main(["poll", "open", str(folder), ITEM])
    answer_as(folder, "ana", ITEM, "IV")
    capsys.readouterr()
    assert main(["poll", "results", str(folder), ITEM]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"Poll on {ITEM} (open): 1 response"
    assert lines[2].split() == ["IV", "1", "100%"]


def test_a_skipped_file_is_a_warning_line_on_stderr(tmp_path, capsys):
    """A file in the drop box that is not an answer is named on stderr; the results still print."""
    folder = tmp_path / "class"
    main(["class", "init", str(folder)])
    main(["poll", "open", str(folder), ITEM])
    (folder / "dropbox" / "<img src=x>.json").write_text("{}")
    capsys.readouterr()
    assert main(["poll", "results", str(folder), ITEM, "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["responses"] == 0
    assert captured.err.startswith("sarcoma-edu poll results: warning: dropbox/<img src=x>.json: skipped")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["poll", "open", "{folder}", "ex-03-retro-node"], "ITEM_ID 'ex-03-retro-node' is not an item: no built-in"),
        (["poll", "open", "{folder}", "my-trunk-t2", "--content", "{folder}/none"], "--content"),
        (["poll", "results", "{folder}/missing", ITEM], "CLASS_DIR '{folder}/missing' does not exist; make it with"),
        (["poll", "close", "{folder}", ITEM], f"ITEM_ID {ITEM!r}: no poll is open on it"),
        (["poll", "results", "{folder}", ITEM], f"ITEM_ID {ITEM!r}: no poll was opened on it"),
        (["class", "init", "{folder}", "--names"], "CLASS_DIR '{folder}' is already a class folder set up with no"),
        (["class", "init", "{folder}/no/such"], "the folder it goes in"),
    ],
    ids=[
        "unknown item",
        "missing content folder",
        "missing class folder",
        "close a closed poll",
        "never opened",
        "other options",
        "no parent",
    ],
)
def test_bad_input_is_one_line_naming_the_argument_and_exit_status_2(tmp_path, capsys, args, message):
    """Each mistake gives status 2 and one line on stderr naming what was given and what is allowed."""
    folder = tmp_path / "class"
    main(["class", "init", str(folder)])
    capsys.readouterr()
    assert main([a.format(folder=folder) for a in args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message.format(folder=folder) in err, err


def test_a_poll_on_an_item_of_the_instructors_own_content_folder(tmp_path, capsys):
    """--content DIR finds her own question; students' answers are then checked against its choices."""
    folder, content = tmp_path / "class", make_content(tmp_path / "content")
    main(["class", "init", str(folder), "--shared-account"])
    assert main(["poll", "open", str(folder), QUESTION_ID, "--content", str(content), "--json"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["counts"] == {"T2": 0, "T1": 0, "T3": 0}
    answer_as(folder, "ana", QUESTION_ID, "T2")
    assert main(["poll", "results", str(folder), QUESTION_ID, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["counts"]["T2"] == 1
