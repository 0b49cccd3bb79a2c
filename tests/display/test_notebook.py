"""The toolkit's own errors in a lesson cell show as their one helpful line; other errors keep their traceback."""

from __future__ import annotations

import queue

import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from sarcoma_edu.display import errors as notebook


@pytest.fixture
def shell():
    """An IPython shell with the toolkit's error display, as a lesson's kernel has it after its imports."""
    ipython = InteractiveShell.instance()
    ipython.set_custom_exc((), None)
    ipython._sarcoma_edu_errors = False
    assert notebook.install_error_display(ipython)
    yield ipython
    notebook.full_tracebacks(False)
    notebook._state["full"] = None
    ipython.set_custom_exc((), None)
    InteractiveShell.clear_instance()  # later tests in this process run as outside a kernel again


def _run(shell, code: str):
    with capture_output() as out:
        result = shell.run_cell(code)
    return result, out.stdout + out.stderr


def test_a_misspelt_site_shows_the_one_line_with_its_suggestion(shell):
    """stage("thig", 4, "low") shows its message and 'did you mean' in two lines, no traceback; the cell fails."""
    result, text = _run(shell, 'from sarcoma_edu import stage\nstage("thig", 4, "low")')
    assert not result.success and isinstance(result.error_in_exec, ValueError)
    lines = text.strip().splitlines()
    assert len(lines) == 2, text
    assert "site='thig' is not allowed (did you mean 'thigh'?)" in lines[0] and "Traceback" not in text
    assert "%tb" in lines[1]


def test_the_thigh_the_lessons_name_is_staged_in_a_cell(shell):
    """stage("thigh", 4, "low"), the lessons' own words, runs in a cell and gives stage IA."""
    result, _text = _run(shell, 'from sarcoma_edu import stage\nstage("thigh", 4, "low").stage')
    assert result.success and result.result == "IA"


def test_a_misspelt_column_for_stage_frame_shows_the_one_line(shell):
    """A table without size_cm given to stage_frame shows which columns are missing and which are expected."""
    code = (
        "import pandas as pd\nfrom sarcoma_edu import stage_frame\n"
        "stage_frame(pd.DataFrame({'site': ['arm'], 'size': [3.0], 'grade': ['G1'], "
        "'nodes': [False], 'metastasis': [False]}))"
    )
    result, text = _run(shell, code)
    assert not result.success
    assert len(text.strip().splitlines()) == 2 and "df is missing column(s) size_cm" in text


def test_percent_tb_then_shows_the_full_traceback(shell):
    """After a one-line error, %tb in the next cell shows the full traceback down to the toolkit's check."""
    _run(shell, 'from sarcoma_edu import stage\nstage("thig", 4, "low")')
    _result, text = _run(shell, "%tb")
    assert "Traceback" in text and "normalize_site" in text and "site='thig' is not allowed" in text


def test_full_tracebacks_true_shows_every_toolkit_error_in_full(shell):
    """With full_tracebacks(True) a toolkit error shows its whole traceback again."""
    notebook.full_tracebacks(True)
    _result, text = _run(shell, 'from sarcoma_edu import stage\nstage("thig", 4, "low")')
    assert "Traceback" in text and len(text.splitlines()) > 5


def test_the_environment_variable_shows_every_toolkit_error_in_full(shell, monkeypatch):
    """SARCOMA_EDU_FULL_TRACEBACKS=1 shows toolkit errors in full for the whole session."""
    monkeypatch.setenv(notebook.FULL_TRACEBACKS_ENV, "1")
    _result, text = _run(shell, 'from sarcoma_edu import stage\nstage("thig", 4, "low")')
    assert "Traceback" in text


@pytest.mark.parametrize(
    "code",
    ['int("x")', "[1, 2][5]", "1 / 0", "import pandas as pd\npd.DataFrame({'a': [1]})['b']"],
    ids=["Python's own ValueError", "IndexError", "ZeroDivisionError", "pandas KeyError"],
)
def test_an_error_that_is_not_the_toolkits_keeps_its_normal_traceback(shell, code):
    """An error raised by Python or another library shows its usual traceback."""
    result, text = _run(shell, code)
    assert not result.success and "Traceback" in text


def test_an_error_raised_inside_pandas_is_not_shortened():
    """A TypeError raised inside another library is not a toolkit message, so it keeps its traceback."""
    import pandas as pd

    with pytest.raises(TypeError) as caught:
        pd.DataFrame({"a": [1, 2]}).astype({"a": "no-such-type"})
    assert not notebook.is_toolkit_error(caught.value, caught.tb)


def test_a_python_error_inside_the_toolkit_is_not_shortened():
    """A ValueError Python raises on a toolkit line that is not a raise statement (a bug) keeps its traceback."""
    from sarcoma_edu.common import checks as _checks

    # a function whose code is placed on line 1 of a toolkit module (its docstring, not a raise)
    code = compile('int("x")', _checks.__file__, "exec")
    with pytest.raises(ValueError) as caught:
        exec(code, {})
    assert not notebook.is_toolkit_error(caught.value, caught.tb)
    with pytest.raises(ValueError) as ours:
        _checks.choice("site", "thig", ("thigh",))
    assert notebook.is_toolkit_error(ours.value, ours.tb)


def test_full_tracebacks_takes_only_true_or_false():
    """full_tracebacks("yes") is a TypeError naming the parameter and what is allowed."""
    with pytest.raises(TypeError, match=r"on='yes' is a str; expected True or False"):
        notebook.full_tracebacks("yes")


def test_outside_ipython_nothing_is_installed(monkeypatch):
    """Outside IPython (a script, the CLI) install_error_display does nothing and says so."""
    import IPython

    monkeypatch.setattr(IPython, "get_ipython", lambda: None)
    assert notebook.install_error_display() is False


def test_another_libraries_handler_is_left_in_place():
    """A custom exception handler someone else installed is not replaced."""
    ipython = InteractiveShell.instance()
    ipython._sarcoma_edu_errors = False
    ipython.set_custom_exc((KeyError,), lambda *args, **kwargs: None)
    try:
        assert notebook.install_error_display(ipython) is False
        assert ipython.custom_exceptions == (KeyError,)
    finally:
        ipython.set_custom_exc((), None)


def test_in_a_lesson_kernel_the_error_reply_has_the_one_line():
    """In a real kernel, after a lesson's first import, the error sent to the page is the one line and a hint."""
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3")
    try:
        client.execute_interactive("import sarcoma_edu", timeout=120)  # lesson 00 imports no widgets
        msg_id = client.execute('from sarcoma_edu import stage\nstage("thig", 4, "low")')
        reply = client.get_shell_msg(timeout=60)
        assert reply["parent_header"]["msg_id"] == msg_id and reply["content"]["status"] == "error"
        while True:
            try:
                message = client.get_iopub_msg(timeout=30)
            except queue.Empty:
                pytest.fail("no error output from the kernel")
            if message["parent_header"].get("msg_id") == msg_id and message["msg_type"] == "error":
                break
        traceback = message["content"]["traceback"]
        assert len(traceback) == 2 and "did you mean 'thigh'?" in traceback[0], traceback
        assert message["content"]["ename"] == "ValueError"
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def test_the_hint_runs_as_written(shell):
    """The command the hint gives for full tracebacks runs in a fresh cell and turns them on."""
    _result, text = _run(shell, 'from sarcoma_edu import stage\nstage("thig", 4, "low")')
    command = text.strip().splitlines()[1].split("run ", 2)[2].removesuffix(")")
    result, _text = _run(shell, command)
    assert result.success and notebook._showing_full()
