"""The sarcoma-edu command: readable text, --json, --help, and one-line errors with exit status 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sarcoma_edu.cli import main

SCRIPT = Path(sys.executable).parent / "sarcoma-edu"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed console script as a user would."""
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=60, check=False)


def test_console_script_stages_a_case():
    """`sarcoma-edu stage` prints the stage, TNM, explanation, source and disclaimer."""
    done = run("stage", "--site", "extremity", "--size", "7", "--grade", "high")
    assert done.returncode == 0, done.stderr
    assert "Stage: IIIA" in done.stdout
    assert "T T2  N N0  M M0  G G3" in done.stdout
    assert "Source: AJCC8" in done.stdout
    assert "not medical advice" in done.stdout


def test_stage_json_has_the_result_fields(capsys):
    """--json prints one JSON object with site, t, n, m, g, stage, explanation and source."""
    assert main(["stage", "--site", "retroperitoneum", "--size", "12", "--grade", "2", "--nodes", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert list(payload) == ["site", "t", "n", "m", "g", "stage", "explanation", "source"]
    assert payload["stage"] == "IIIB"


def test_unknown_size_with_a_high_grade_has_no_stage_group(capsys):
    """--size unknown gives TX, and a high-grade tumour without spread then has no stage group, with the reason."""
    assert main(["stage", "--site", "trunk", "--size", "unknown", "--grade", "G3"]) == 0
    out = capsys.readouterr().out
    assert "Stage: no stage group" in out and "T TX" in out
    assert "the size decides between stage II, IIIA and IIIB" in out


@pytest.mark.parametrize("grade", ["GX", "low"])
@pytest.mark.parametrize("site", ["trunk", "leg", "retroperitoneum"])
def test_unknown_size_with_a_low_or_unknown_grade_is_stage_i(site, grade, capsys):
    """A tumour of unknown size, low grade or grade unknown, without spread is stage I: IA or IB, the size decides."""
    assert main(["stage", "--site", site, "--size", "unknown", "--grade", grade]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Stage: I\nT TX  N N0  M M0")
    assert "IA or IB: the size decides" in out and "SEER EOD" in out


def test_a_visceral_tumour_is_staged_without_a_size(capsys):
    """`stage --site visceral --extent serosa` needs no --size: T2a by extent, no stage group, JSON as usual."""
    assert main(["stage", "--site", "visceral", "--grade", "high", "--extent", "serosa", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert (payload["t"], payload["g"], payload["stage"]) == ("T2a", "G3", None)
    assert main(["stage", "--site", "stomach", "--grade", "2", "--extent", "multifocal", "--sites", "4"]) == 0
    assert "T T4b" in capsys.readouterr().out


def test_a_head_and_neck_tumour_that_invades_needs_no_size(capsys):
    """With --extent invades_adjoining_t4b a head and neck tumour is T4b whatever the size: --size may be left out."""
    assert main(["stage", "--site", "neck", "--grade", "1", "--extent", "invades_adjoining_t4b"]) == 0
    assert "T T4b" in capsys.readouterr().out


def test_grade_text_and_json(capsys):
    """`sarcoma-edu grade` gives the FNCLCC grade as text and as JSON."""
    assert main(["grade", "--differentiation", "2", "--mitoses", "12", "--necrosis", "30"]) == 0
    assert "FNCLCC grade 2 (mid, G2): total score 5" in capsys.readouterr().out
    assert main(["grade", "--differentiation", "3", "--mitoses", "25", "--necrosis", "60", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert (payload["total"], payload["grade"], payload["label"]) == (8, 3, "high")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        pytest.param(
            ["stage", "--site", "lung", "--size", "3", "--grade", "1"],
            "--site 'lung' is not allowed",
            id="unknown site",
        ),
        pytest.param(
            ["stage", "--site", "leg", "--size", "0", "--grade", "1"], "--size 0.0 is not greater than 0", id="size 0"
        ),
        pytest.param(
            ["stage", "--site", "leg", "--size", "big", "--grade", "1"],
            "size 'big' is not a number",
            id="size not a number",
        ),
        pytest.param(
            ["stage", "--site", "leg", "--size", "3", "--grade", "4"], "--grade 4 is not a grade", id="grade 4"
        ),
        pytest.param(
            ["stage", "--site", "leg", "--size", "3"],
            "the following arguments are required: --grade",
            id="missing grade",
        ),
        pytest.param(
            ["stage", "--site", "leg", "--grade", "1"],
            "--size is needed for site 'extremity': T (T1 to T4) is set by the size; expected the greatest "
            "dimension in cm, a finite number greater than 0, or 'unknown'",
            id="size left out for a limb",
        ),
        pytest.param(
            ["stage", "--site", "head_and_neck", "--grade", "1"],
            "--size is needed for site 'head_and_neck' when no --extent is given: T1 to T3 are set by the size "
            "(--extent invades_adjoining_t4a or invades_adjoining_t4b sets T whatever the size)",
            id="size left out for the head and neck without invasion",
        ),
        pytest.param(
            ["stage", "--site", "visceral", "--grade", "1", "--extent", "multifocal"],
            "--extent 'multifocal' needs --sites, the number of places",
            id="multifocal without sites",
        ),
        pytest.param(
            ["grade", "--differentiation", "5", "--mitoses", "1", "--necrosis", "0"],
            "--differentiation 5 is out of range",
            id="differentiation 5",
        ),
        pytest.param(
            ["grade", "--differentiation", "2", "--mitoses", "-1", "--necrosis", "0"],
            "--mitoses -1 is negative",
            id="negative mitoses",
        ),
        pytest.param(
            ["grade", "--differentiation", "2", "--mitoses", "1", "--necrosis", "120"],
            "--necrosis 120.0 is out of range",
            id="necrosis 120",
        ),
        pytest.param(
            ["grade", "--differentiation", "two", "--mitoses", "1", "--necrosis", "1"],
            "'two' is not a whole number",
            id="differentiation as a word",
        ),
        pytest.param(["frobnicate"], "invalid choice", id="unknown command"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, words):
    """Bad input exits 2 with a single-line message naming the problem and no traceback."""
    done = run(*args)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert words in lines[0]
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("command", [[], ["stage"], ["grade"]])
def test_help_explains_options(command):
    """--help explains each option in plain words."""
    done = run(*command, "--help")
    assert done.returncode == 0
    if command == ["stage"]:
        for words in ("greatest dimension", "nearby lymph nodes", "distant parts of the body", "arm and leg"):
            assert words in done.stdout
    if command == ["grade"]:
        assert "10 high-power fields" in done.stdout


ONE_AND_400_ZEROS = "1" + "0" * 400


@pytest.mark.parametrize(
    ("args", "words"),
    [
        pytest.param(
            ["grade", "--differentiation", "2", "--mitoses", ONE_AND_400_ZEROS, "--necrosis", "30"],
            "--mitoses 100000...000 (401 digits) is too large",
            id="mitoses 1 followed by 400 zeros",
        ),
        pytest.param(
            ["grade", "--differentiation", "2", "--mitoses", "1" + "0" * 5000, "--necrosis", "30"],
            "(5,001 characters) is not a whole number",
            id="mitoses with 5001 digits",
        ),
        pytest.param(
            ["grade", "--differentiation", "2", "--mitoses", "3", "--necrosis", "1e400"],
            "'1e400' is not a finite number",
            id="necrosis 1e400",
        ),
        pytest.param(
            ["stage", "--site", "leg", "--size", ONE_AND_400_ZEROS, "--grade", "1"],
            "(401 characters) is not a finite number",
            id="size 1 followed by 400 zeros",
        ),
        pytest.param(
            ["stage", "--site", "leg", "--size", "nan", "--grade", "1"], "size 'nan' is not a finite number", id="nan"
        ),
        pytest.param(
            ["stage", "--site", "leg", "--size", "5", "--grade", ONE_AND_400_ZEROS],
            "--grade 100000...000 (401 digits) is too large",
            id="grade 1 followed by 400 zeros",
        ),
    ],
)
def test_numbers_too_large_for_a_float_exit_2_with_one_short_line(args, words):
    """A number no float holds exits 2 with one line naming the option and the value in short, no traceback."""
    done = run(*args)
    assert done.returncode == 2 and done.stdout == ""
    (line,) = done.stderr.strip().splitlines()
    assert words in line and len(line) < 300
    assert "Traceback" not in done.stderr and "OverflowError" not in done.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="/dev/full is a Linux device")
@pytest.mark.parametrize(
    "args",
    [
        ["stage", "--site", "extremity", "--size", "7", "--grade", "high"],
        ["grade", "--differentiation", "2", "--mitoses", "12", "--necrosis", "30", "--json"],
        ["--help"],
        ["--version"],
        ["bank", "check", "--help"],
    ],
    ids=["stage", "grade --json", "--help", "--version", "bank check --help"],
)
def test_output_to_a_full_disk_ends_with_one_line_and_a_non_zero_exit(args):
    """`sarcoma-edu ... > /dev/full` says in one line that the output could not be written, with no traceback."""
    with open("/dev/full", "w") as full:
        done = subprocess.run([str(SCRIPT), *args], stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "sarcoma-edu: error: could not write the output (No space left on device)"
    ]


def test_output_to_a_closed_pipe_ends_with_one_line_and_a_non_zero_exit():
    """When the program reading the output has already stopped, one line says so; no BrokenPipeError traceback."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [str(SCRIPT), "stage", "--site", "leg", "--size", "7", "--grade", "3"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "sarcoma-edu: error: could not write the output (the program reading it has stopped)"
    ]


def _bank(tmp_path: Path, name: str, questions: list[dict]) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(questions), encoding="utf-8")
    return path


_QUESTION = {
    "id": "class-q1",
    "topic": "staging",
    "type": "multiple_choice",
    "difficulty": "easy",
    "question": "Which?",
    "answers": [{"answer": "A", "correct": True}, {"answer": "B", "correct": False}],
    "explanation": "Because.",
    "source": "PDQ-HP",
    "objectives": ["staging-stage-group"],
}


def test_bank_check_says_ok_with_the_question_count_for_each_valid_file(tmp_path):
    """`sarcoma-edu bank check` exits 0 with one OK line per file saying how many questions it holds."""
    one = _bank(tmp_path, "one.json", [_QUESTION])
    two = _bank(tmp_path, "two.json", [{**_QUESTION, "id": "class-q2"}, {**_QUESTION, "id": "class-q3"}])
    done = run("bank", "check", str(one), str(two))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"{one}: OK, 1 question", f"{two}: OK, 2 questions"]


def test_bank_check_lists_every_problem_with_file_question_and_field_and_exits_2(tmp_path):
    """Every problem of every file is listed (file, question, field), then a count on stderr, exit status 2."""
    from sarcoma_edu.course.banks import bank_paths

    builtin_id = json.loads(bank_paths()[0].read_text(encoding="utf-8"))[0]["id"]
    no_difficulty = {k: v for k, v in _QUESTION.items() if k != "difficulty"}
    bad = _bank(
        tmp_path, "bad.json", [no_difficulty, {**_QUESTION, "id": "<b>My Q</b>"}, {**_QUESTION, "id": builtin_id}]
    )
    good = _bank(tmp_path, "good.json", [{**_QUESTION, "id": "class-q9"}])
    done = run("bank", "check", str(bad), str(good), str(tmp_path), "")
    assert done.returncode == 2
    assert done.stdout.splitlines() == [
        f"{bad}, question 0 (id 'class-q1'), field 'difficulty': is missing",
        f"{bad}, question 1 (id '<b>My Q</b>'), field 'id': '<b>My Q</b>' is not an id of lower-case letters, "
        "digits and hyphens that starts with a letter or digit and not with 'case-' (kept for generated "
        "questions); unique and stable, since progress is recorded by id",
        f"{bad}, question 2 (id {builtin_id!r}), field 'id': {builtin_id!r} is already used by a built-in question "
        f"in {bank_paths()[0]}; give it its own id (progress is recorded by id, so the two would share one history)",
        f"{good}: OK, 1 question",
        f"{tmp_path}: is a folder, not a bank file; give the path of a .json file",
        "path='' is empty; give the path of a bank file (.json)",
    ]
    assert done.stderr == "sarcoma-edu bank check: 5 problem(s) in 3 of 4 file(s)\n"


def test_bank_check_needs_a_file_or_a_content_folder():
    """`sarcoma-edu bank check` with neither a file nor a content folder exits 2 with one line saying what to give."""
    done = subprocess.run(
        [str(SCRIPT), "bank", "check"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={k: v for k, v in os.environ.items() if k != "SARCOMA_EDU_CONTENT"},
    )
    assert done.returncode == 2
    assert done.stderr == (
        "sarcoma-edu bank check: error: give a bank file (FILE), or your content folder with --content DIR or "
        "$SARCOMA_EDU_CONTENT\n"
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="/dev/full is a Linux device")
def test_a_long_bank_check_report_to_a_full_disk_ends_with_one_line(tmp_path):
    """Thousands of problem lines that cannot be written end with the same one line and status 1."""
    bank = _bank(tmp_path, "many.json", [{"id": f"q{i}"} for i in range(2000)])
    with open("/dev/full", "w") as full:
        done = subprocess.run([str(SCRIPT), "bank", "check", str(bank)], stdout=full, stderr=subprocess.PIPE, text=True)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "sarcoma-edu: error: could not write the output (No space left on device)"
    ]


def test_help_lists_the_report_and_binder_links_commands():
    """`sarcoma-edu --help` names the class report and the Binder links commands."""
    done = run("--help")
    assert done.returncode == 0
    assert "report" in done.stdout and "binder-links" in done.stdout


@pytest.mark.parametrize(
    ("command", "words"),
    [
        (["report"], ["file name (results-ana.csv is ana)", "--anonymise", "works offline"]),
        (["binder-links"], ["git remote get-url origin", "OWNER/NAME", "default: main"]),
    ],
)
def test_report_and_binder_links_help_explain_their_options(command, words):
    """`report --help` says where a student's name comes from; `binder-links --help` where the address comes from."""
    done = run(*command, "--help")
    assert done.returncode == 0
    text = " ".join(done.stdout.split())
    for phrase in words:
        assert phrase in text, phrase


def test_bank_check_refuses_a_numeric_question_no_answer_can_satisfy(tmp_path):
    """A right range inside an earlier wrong one (so no number is ever right) is a problem (exit 2), not OK."""
    numeric = {
        **_QUESTION,
        "id": "class-n1",
        "type": "numeric",
        "answers": [{"range": [0, 100], "correct": False}, {"range": [40, 60], "correct": True}],
    }
    done = run("bank", "check", str(_bank(tmp_path, "numbers.json", [numeric])))
    assert done.returncode == 2 and "OK" not in done.stdout
    assert "field 'answers[1]': is marked correct but no number can reach it" in done.stdout


@pytest.mark.parametrize("command", ["bank", "case"])
def test_bank_check_and_case_check_on_a_link_loop_say_so_in_one_line(tmp_path, command):
    """A file that is a link round in a loop is a problem line naming it (exit 2), not a traceback."""
    (tmp_path / "a.json").symlink_to(tmp_path / "b.json")
    (tmp_path / "b.json").symlink_to(tmp_path / "a.json")
    done = run(command, "check", str(tmp_path / "a.json"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    loop = "is a link that leads round in a loop (to itself through other links); give a file"
    assert done.stdout == f"{tmp_path / 'a.json'}: {loop}\n"


_NOWHERE = "/proc/sarcoma-edu-output"  # a folder no one can create files in, even root


@pytest.mark.parametrize(
    ("args", "where"),
    [
        pytest.param(["lab", "--dir", _NOWHERE, "--no-start"], _NOWHERE, id="lab"),
        pytest.param(["progress", "recover", "{copy}", "--into", f"{_NOWHERE}.sqlite3"], _NOWHERE, id="recover"),
        pytest.param(["report", "{folder}", "--out", f"{_NOWHERE}.html"], _NOWHERE, id="report"),
    ],
)
def test_output_that_cannot_be_written_exits_1_naming_the_file_and_why(tmp_path, args, where):
    """A file that cannot be written is status 1 (not 2, bad input) with one line naming it and the reason."""
    from sarcoma_edu.progress.store import ProgressStore

    store = ProgressStore(tmp_path / "folder" / "results-ana.sqlite3")
    store.record("st-ia", "IA", True, "staging")
    store.export_json(tmp_path / "folder" / "results-ana.json")
    filled = [a.format(copy=store.path, folder=tmp_path / "folder") for a in args]
    done = run(*filled)
    assert done.returncode == 1, done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert where in line and ("No such file or directory" in line or "Permission denied" in line)
    assert "Errno" not in line and "Traceback" not in done.stderr


def test_the_exit_statuses_are_documented_in_the_help():
    """`sarcoma-edu --help` says what 0, 1 and 2 mean."""
    done = run("--help")
    text = " ".join(done.stdout.split())
    assert "Exit status: 0 done; 1 output could not be written" in text and "2 bad input" in text


def test_a_command_checking_a_bank_does_not_build_the_iri_grammar_no_schema_uses():
    """`sarcoma-edu bank check` validates with jsonschema without importing its IRI syntax module (about 2 s)."""
    bank = Path(__file__).resolve().parents[2] / "datasets" / "quiz" / "staging.json"
    code = (
        "import sys\nfrom sarcoma_edu.cli import main\n"
        f"status = main(['bank', 'check', {str(bank)!r}])\n"
        "print(status, 'jsonschema' in sys.modules, sys.modules.get('rfc3987_syntax') is not None)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.split()[-3:] == ["0", "True", "False"], done.stdout + done.stderr
