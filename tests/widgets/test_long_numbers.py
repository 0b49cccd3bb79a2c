"""A number too long for any float, typed into a number box, is a message in the widget and never a traceback."""

from __future__ import annotations

import pytest

from sarcoma_edu import widgets
from sarcoma_edu.progress.store import ProgressStore
from sarcoma_edu.widgets.exercise import predict

LONG = [
    pytest.param("9" * 400, id="400 nines"),
    pytest.param("1" * 5000, id="5,000 digits"),
    pytest.param("-" + "7" * 320, id="a minus and 320 digits"),
]


@pytest.mark.parametrize("typed", LONG)
def test_the_staging_calculator_says_a_size_of_hundreds_of_digits_is_too_long(typed):
    """The size box refuses the number by name and keeps the last result; typing never raises."""
    calc = widgets.StagingCalculator("extremity", 12, "G3")
    calc.size.value = typed  # the calculator recomputes on every keystroke
    message = calc.message.value.replace("&#x27;", "'")
    assert 'role="alert"' in message and "Greatest size (cm): " in message and "too many for a number" in message
    assert calc.result.t == "T3" and len(message) < 2000


@pytest.mark.parametrize("typed", LONG)
def test_the_fnclcc_calculator_says_a_mitotic_count_of_hundreds_of_digits_is_too_long(typed):
    """The mitoses box refuses a number no float holds with a message; the grade shown stays the last one."""
    calc = widgets.FnclccCalculator(differentiation=2, mitoses=4, necrosis_pct=30)
    before = calc.result
    calc.mitoses.value = typed
    assert "too many for a number" in calc.message.value and calc.result == before


@pytest.mark.parametrize("typed", LONG)
def test_a_number_prediction_of_hundreds_of_digits_is_refused_and_nothing_is_recorded(tmp_path, typed):
    """'Check my answer' with a number no float holds shows a message; nothing is recorded."""
    store = ProgressStore(tmp_path / "progress.sqlite3")
    widget = predict("ex-02-total-score", progress=store)
    widget.number.value = typed
    widget.check_button.click()
    assert "too many for a number" in widget.message.value and "Nothing was recorded" in widget.message.value
    assert widget.feedback is None and store.attempts().empty
