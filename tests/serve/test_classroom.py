"""Serving the lessons: a student's own copy (never losing edits) and presenting one lesson."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from sarcoma_edu.cli import main
from sarcoma_edu.serve import lesson_files, ports, servers

ROOT = Path(__file__).resolve().parents[2]


def test_copy_lessons_copies_every_lesson_into_a_new_folder(tmp_path):
    """A first run copies all numbered lessons into the chosen folder, creating it."""
    report = lesson_files.copy_lessons(tmp_path / "mine" / "lessons")
    lessons = [name for name in report.copied if "/" not in name]
    assert lessons == lesson_files.list_lessons() and len(lessons) >= 8
    assert (tmp_path / "mine" / "lessons" / "00_welcome.ipynb").read_bytes() == (
        lesson_files.lessons_dir() / "00_welcome.ipynb"
    ).read_bytes()


def test_an_edited_lesson_is_kept_unless_the_student_says_replace(tmp_path):
    """A student's edited copy is kept by default; replacing it first saves a backup."""
    lesson_files.copy_lessons(tmp_path)
    edited = tmp_path / "03_staging.ipynb"
    notebook = json.loads(edited.read_text())
    notebook["cells"].append({"cell_type": "markdown", "id": "mine", "metadata": {}, "source": "My own note"})
    edited.write_text(json.dumps(notebook))
    mine = edited.read_bytes()
    asked = []
    report = lesson_files.copy_lessons(tmp_path, replace_edited=lambda p: asked.append(p.name) or False)
    assert report.kept == ["03_staging.ipynb"] and asked == ["03_staging.ipynb"]
    assert edited.read_bytes() == mine and "03_staging.ipynb" in report.unchanged + report.kept
    report = lesson_files.copy_lessons(tmp_path, replace_edited=lambda p: True)
    assert report.replaced == ["03_staging.ipynb"]
    assert (tmp_path / "03_staging.edited-1.ipynb").read_bytes() == mine
    assert lesson_files.copy_lessons(tmp_path).copied == []


def test_a_lesson_only_run_and_saved_is_not_taken_for_an_edited_one(tmp_path):
    """A copy holding the lesson's cells word for word, with outputs and metadata from running, is not asked about."""
    lesson_files.copy_lessons(tmp_path)
    run = tmp_path / "03_staging.ipynb"
    notebook = json.loads(run.read_text())
    notebook["metadata"]["widgets"] = {"state": {}}
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            cell.update(execution_count=1, outputs=[{"output_type": "stream", "name": "stdout", "text": "IIIB"}])
    run.write_text(json.dumps(notebook, indent=2))
    asked = []
    report = lesson_files.copy_lessons(tmp_path, replace_edited=lambda p: asked.append(p.name) or False)
    assert asked == [] and report.cleared == ["03_staging.ipynb"] and report.kept == []


def test_a_lesson_saved_with_its_outputs_by_an_older_release_is_cleared_so_it_reopens_without_model_not_found(
    tmp_path,
):
    """A copy holding the lesson's cells word for word but saved with outputs and widget state is replaced by a clean
    copy at the next start (the outputs come back with Run All; nothing typed is lost); a clean one is left alone."""
    lesson_files.copy_lessons(tmp_path)
    run = tmp_path / "03_staging.ipynb"
    notebook = json.loads(run.read_text())
    notebook["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    view = {"application/vnd.jupyter.widget-view+json": {"model_id": "4c1f", "version_major": 2}}
    notebook["cells"][-2].update(outputs=[{"output_type": "display_data", "data": view, "metadata": {}}])
    run.write_text(json.dumps(notebook, indent=1))
    clean = tmp_path / "02_grade.ipynb"
    resaved = json.loads(clean.read_text())
    resaved["metadata"]["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    clean.write_text(json.dumps(resaved, indent=1))  # saved clean by the lab, bytes differing from the lesson's
    report = lesson_files.copy_lessons(tmp_path, replace_edited=lambda p: pytest.fail(f"asked about {p.name}"))
    assert report.cleared == ["03_staging.ipynb"] and "02_grade.ipynb" in report.unchanged
    assert run.read_bytes() == (lesson_files.lessons_dir() / "03_staging.ipynb").read_bytes()
    assert "outputs saved by an earlier run cleared (Run All brings them back): 03_staging.ipynb" in report.describe()


@pytest.mark.parametrize(
    ("given", "name"),
    [("03", "03_staging.ipynb"), ("3", "03_staging.ipynb"), ("staging", "03_staging.ipynb"),
     ("07_quiz.ipynb", "07_quiz.ipynb"), ("Grade", "02_grade.ipynb")],
)  # fmt: skip
def test_a_lesson_is_found_by_number_or_name(given, name):
    """Lessons resolve from a number, a slug word or the file name."""
    assert lesson_files.resolve(given).name == name


@pytest.mark.parametrize(("given", "words"), [("42", "matches none"), ("a", "matches"), ("", "not a lesson")])
def test_an_unknown_lesson_names_the_lessons_there_are(given, words):
    """An unknown or ambiguous lesson raises listing the lessons."""
    with pytest.raises((ValueError, TypeError), match=words) as raised:
        lesson_files.resolve(given)
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
    command = servers.lab_command(tmp_path, 8890, browser=False)
    assert f"--ServerApp.root_dir={tmp_path}" in command and "--no-browser" in command
    assert "--LabApp.default_url=/lab/tree/00_welcome.ipynb" in command


def test_each_start_of_lab_reopens_only_the_welcome_lesson_not_the_tabs_left_open_last_time(tmp_path, monkeypatch):
    """`sarcoma-edu lab` gives JupyterLab an empty workspace folder of its own each start (and removes it after), so
    the lessons left open last time do not all reopen, each with a kernel: only the welcome lesson opens."""
    monkeypatch.setattr("sys.stdin", open("/dev/null"))  # noqa: SIM115 - not a terminal: never asks
    started: list[tuple[Path, list[str]]] = []

    def run_server(command, env=None):
        (folder,) = [Path(w.split("=", 1)[1]) for w in command if w.startswith("--LabApp.workspaces_dir=")]
        started.append((folder, sorted(p.name for p in folder.iterdir())))
        (folder / "default-37a8.jupyterlab-workspace").write_text("{}")  # what JupyterLab saves as tabs open
        return 0

    monkeypatch.setattr(servers, "run_server", run_server)
    for _ in range(2):
        assert main(["lab", "--dir", str(tmp_path / "lessons"), "--no-browser"]) == 0
    (first, first_files), (second, second_files) = started
    assert first_files == second_files == [] and first != second
    assert not first.exists() and not second.exists()
    assert "--LabApp.default_url=/lab/tree/00_welcome.ipynb" in servers.lab_command(tmp_path, workspaces=first)


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


# --- the instructor's own notebook, ports, quoting, make present (issue 17) ------------------------


def _one_error_line(capsys, argv: list[str]) -> str:
    """Run the CLI, expecting exit status 2 and exactly one line on stderr; return that line."""
    try:
        code = main(argv)
    except SystemExit as raised:  # argparse errors exit instead of returning
        code = raised.code
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    return err.strip()


def _printed_command(capsys, argv: list[str]) -> list[str]:
    assert main([*argv, "--no-browser", "--print-command"]) == 0
    return shlex.split(capsys.readouterr().out)


def test_present_serves_the_instructors_own_notebook_from_a_path_with_spaces(tmp_path, capsys):
    """`present "My class/our staging.ipynb"` serves that file; --print-command quotes it for a shell."""
    folder = tmp_path / "My class"
    folder.mkdir()
    mine = folder / "our staging.ipynb"
    shutil.copyfile(lesson_files.lessons_dir() / "03_staging.ipynb", mine)
    words = _printed_command(capsys, ["present", str(mine)])
    assert str(mine) in words and words[words.index("-m") + 1] == "voila"


def test_present_finds_a_lesson_in_the_folder_lab_made_with_the_instructors_edits(tmp_path, capsys, monkeypatch):
    """`present 03 --dir <copy>` serves the edited copy in that folder, not the bundled lesson."""
    monkeypatch.setattr("sys.stdin", open("/dev/null"))  # noqa: SIM115 - not a terminal: never asks
    assert main(["lab", "--dir", str(tmp_path), "--no-start"]) == 0
    edited = tmp_path / "03_staging.ipynb"
    edited.write_text(edited.read_text() + " ")
    capsys.readouterr()
    words = _printed_command(capsys, ["present", "staging", "--dir", str(tmp_path)])
    assert str(edited) in words and str(lesson_files.lessons_dir() / "03_staging.ipynb") not in words
    assert lesson_files.resolve("03_staging.ipynb", tmp_path) == edited


@pytest.mark.parametrize(
    ("lesson", "words"),
    [("{tmp}/missing.ipynb", "no such notebook file"), ("{tmp}", "no such notebook file"),
     ("{tmp}/notes.txt", "no such notebook file"), ("99", "matches none")],
)  # fmt: skip
def test_a_missing_notebook_is_one_line_naming_what_is_allowed(tmp_path, capsys, lesson, words):
    """A notebook that is not there exits 2 with one line that says a path or a lesson is expected and lists them."""
    line = _one_error_line(capsys, ["present", lesson.format(tmp=tmp_path / "sub"), "--print-command"])
    assert words in line and "a path to a .ipynb file" in line and "00_welcome" in line


def test_present_dir_that_is_not_a_folder_is_refused(tmp_path, capsys):
    """`present 03 --dir <not a folder>` exits 2 with one line naming --dir."""
    line = _one_error_line(capsys, ["present", "03", "--dir", str(tmp_path / "nowhere")])
    assert "--dir" in line and "is not a folder" in line


@pytest.mark.parametrize("command", ["lab", "present"])
@pytest.mark.parametrize("port", ["0", "65536", "-1", "99999999999999999999", "8.5", "x", ""])
def test_a_port_outside_1_to_65535_is_refused_in_one_line(capsys, command, port):
    """--port takes a whole number from 1 to 65535; anything else exits 2 with one line saying so."""
    argv = ["lab", "--no-start", "--port", port] if command == "lab" else ["present", "03", "--port", port]
    line = _one_error_line(capsys, argv)
    assert "--port" in line and "1 to 65535" in line


def test_the_teaching_guide_names_exactly_the_lessons_whose_self_check_keeps_a_show_answer():
    """docs/teaching.md says self-checks are answered first, and names the lessons whose questions keep a
    "Show answer" (under it, the answer shows before any is given): exactly the lessons that have one."""
    guide = " ".join((ROOT / "docs" / "teaching.md").read_text(encoding="utf-8").split())
    (said,) = re.findall(r"each question is answered first .*?\((lesson [^)]*), keep a \"Show answer\"\)", guide)
    named = {int(n) for n in re.findall(r"\b(\d\d)\b", said)}
    kept = {
        int(path.name[:2])
        for path in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")
        if "<summary>Show answer</summary>" in path.read_text(encoding="utf-8")
    }
    assert named == kept and kept


@pytest.mark.parametrize("command", ["lab", "present"])
def test_the_teaching_guide_gives_the_port_range_the_command_takes(capsys, command):
    """docs/teaching.md, `--help` and the check itself agree on --port: 1 to 65535, the lowest and highest accepted."""
    guide = (ROOT / "docs" / "teaching.md").read_text(encoding="utf-8")
    stated = r"\| a given port \((\d+)\N{EN DASH}(\d+); ports below 1024 usually need administrator rights\)"
    ((low, high),) = re.findall(stated, guide)
    with pytest.raises(SystemExit):
        main([command, "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert f"port for {'JupyterLab' if command == 'lab' else 'Voila'}, {low}-{high}" in shown
    assert ports.check_port(int(low)) == int(low) and ports.check_port(int(high)) == int(high)
    for outside in (int(low) - 1, int(high) + 1):
        with pytest.raises(ValueError, match=f"expected a whole number from {low} to {high}"):
            ports.check_port(outside)


def test_a_port_in_use_is_refused_instead_of_serving_elsewhere(capsys):
    """A port another program holds is refused in one line, so the address printed is never a different one."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        line = _one_error_line(capsys, ["present", "03", "--port", str(port), "--print-command"])
    assert f"--port {port} is in use by another program" in line


def test_the_port_printed_is_the_one_the_server_is_told_to_use(capsys):
    """Without --port a free port is chosen and passed to Voila with no retries, so it cannot move elsewhere."""
    words = _printed_command(capsys, ["present", "03"])
    port = int(next(w for w in words if w.startswith("--port=")).split("=")[1])
    assert "--Voila.port_retries=0" in words and 8866 <= port < 8866 + 50
    lab = servers.lab_command(Path("/tmp/x"), 8890, browser=False)
    assert "--ServerApp.port=8890" in lab and "--ServerApp.port_retries=0" in lab
    assert ports.url(8890, "/lab") == "http://localhost:8890/lab"


@pytest.mark.parametrize("folder", ["", "   "])
def test_lab_into_an_empty_folder_name_is_refused(tmp_path, capsys, monkeypatch, folder):
    """`lab --dir ""` exits 2 with one line naming --dir, and copies nothing into the current folder."""
    monkeypatch.chdir(tmp_path)
    line = _one_error_line(capsys, ["lab", "--dir", folder, "--no-start"])
    assert "--dir" in line and "is empty" in line and list(tmp_path.iterdir()) == []


def test_lab_no_start_prints_a_command_that_quotes_a_folder_with_spaces(tmp_path, capsys, monkeypatch):
    """The 'start JupyterLab there' hint quotes a folder with spaces so it can be pasted into a shell."""
    monkeypatch.setattr("sys.stdin", open("/dev/null"))  # noqa: SIM115 - not a terminal: never asks
    folder = tmp_path / "my lessons"
    assert main(["lab", "--dir", str(folder), "--no-start"]) == 0
    hint = capsys.readouterr().out.strip().splitlines()[-1]
    assert shlex.split(hint.split(": ", 1)[1]) == ["sarcoma-edu", "lab", "--dir", str(folder)]


def test_the_example_banks_lesson_07_points_to_are_in_the_lab_copy(tmp_path):
    """A `lab --dir` copy holds example_banks/: every built-in bank, as shipped, and the schema that accepts them."""
    import jsonschema

    from sarcoma_edu.course.banks import bank_paths

    lesson_files.copy_lessons(tmp_path)
    copied = tmp_path / lesson_files.BANKS_FOLDER
    assert sorted(p.name for p in copied.iterdir()) == sorted(
        [p.name for p in bank_paths()] + ["quiz_bank.schema.json"]
    )
    schema = json.loads((copied / "quiz_bank.schema.json").read_text(encoding="utf-8"))
    for bank in bank_paths():
        assert (copied / bank.name).read_bytes() == bank.read_bytes()
        jsonschema.validate(json.loads((copied / bank.name).read_text(encoding="utf-8")), schema)
    text = "".join("".join(c["source"]) for c in json.loads((tmp_path / "07_quiz.ipynb").read_text())["cells"])
    named = set(re.findall(r"example_banks/[\w.]+", text))
    assert "example_banks/quiz_bank.schema.json" in named
    assert all((tmp_path / name).is_file() for name in named), named


def test_an_edited_example_bank_is_kept_like_an_edited_lesson(tmp_path):
    """An instructor's edit to a copied example bank is kept unless they say replace (then it is backed up)."""
    lesson_files.copy_lessons(tmp_path)
    bank = tmp_path / lesson_files.BANKS_FOLDER / "staging.json"
    bank.write_text("[]")
    assert "example_banks/staging.json" in lesson_files.copy_lessons(tmp_path).kept and bank.read_text() == "[]"
    lesson_files.copy_lessons(tmp_path, replace_edited=lambda p: True)
    assert (bank.parent / "staging.edited-1.json").read_text() == "[]" and bank.read_text() != "[]"


def _make_present(*variables: str) -> str:
    """The `sarcoma-edu present` line `make -n present` would run, or make's error message."""
    done = subprocess.run(
        ["make", "-n", "--no-print-directory", "present", *variables],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "MAKEFLAGS": ""},
    )
    if done.returncode != 0:
        return done.stderr
    return " ".join(line for line in done.stdout.replace("\\\n", " ").splitlines() if "sarcoma-edu present" in line)


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize(
    ("variables", "dark"),
    [(["DARK=0"], False), (["DARK="], False), ([], False), (["DARK=no"], False),
     (["DARK=1"], True), (["DARK=yes"], True)],
)  # fmt: skip
def test_make_present_dark_0_means_light(variables, dark):
    """`make present DARK=0` (or empty, or no) runs the light theme; DARK=1 or yes runs --dark."""
    line = _make_present(*variables)
    assert "sarcoma-edu present" in line and ("--dark" in line) is dark


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_present_refuses_a_dark_value_it_does_not_understand():
    """`make present DARK=maybe` stops with a message instead of guessing."""
    assert "DARK=maybe is not understood" in _make_present("DARK=maybe")


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_present_passes_large_text_and_a_lesson_path_with_spaces():
    """`make present LARGE=1 LESSON="my class/x.ipynb"` passes --large-text and the path as one word."""
    line = _make_present("LARGE=1", "LESSON=my class/x.ipynb")
    assert "--large-text" in line and "'my class/x.ipynb'" in line


def test_a_copy_that_fails_half_way_never_empties_a_lesson_or_an_example_bank(tmp_path, monkeypatch):
    """With the disk full while copying, the student's edited lesson and bank stay whole and no partial file is left."""
    lesson_files.copy_lessons(tmp_path)
    lesson, bank = tmp_path / "03_staging.ipynb", next((tmp_path / lesson_files.BANKS_FOLDER).glob("staging.json"))
    lesson.write_text(lesson.read_text() + " ")
    bank.write_text(bank.read_text() + " ")
    mine = {lesson: lesson.read_bytes(), bank: bank.read_bytes()}
    listing = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))

    def full(_fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match=r"could not write .* \(No space left on device\)"):
        lesson_files.copy_lessons(tmp_path, replace_edited=lambda p: True)
    assert {p: p.read_bytes() for p in mine} == mine
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == listing
