"""The class poll chart: a bar per answer with its share, large text, its text alternative, never a student's words."""

from __future__ import annotations

import pytest

from sarcoma_edu.display import figure_text
from sarcoma_edu.display.figure import OKABE_ITO
from sarcoma_edu.display.poll_chart import OTHER_ANSWER, RIGHT_MARK, poll_figure

CHOICES = ["Stage IB", "Stage IIIA", "Stage IIIB"]


def test_each_choice_has_a_bar_in_order_with_its_share_and_count_in_words():
    """Five of twelve on IIIA and seven on IIIB: bars for all three choices in order, labelled '42% (5)', '58% (7)'."""
    fig = poll_figure({"Stage IIIB": 7, "Stage IIIA": 5}, 12, choices=CHOICES)
    (bars,) = fig.data
    assert list(bars.y) == CHOICES
    assert list(bars.x) == [0.0, 41.7, 58.3]
    assert list(bars.text) == ["0% (0)", "42% (5)", "58% (7)"]
    assert fig.layout.title.text == "How the class answered: 12 answers"
    assert fig.layout.xaxis.range == (0, 100)


def test_the_text_is_large_enough_for_a_projector():
    """Tick labels, bar labels and body text are 20 px at least, the title 22; under large text they grow."""
    fig = poll_figure({"Stage IB": 1}, 1, choices=CHOICES)
    assert fig.layout.font.size >= 16 and fig.layout.title.font.size >= 22
    assert fig.layout.yaxis.tickfont.size >= 20 and fig.layout.xaxis.tickfont.size >= 20
    assert fig.data[0].textfont.size >= 20


def test_under_large_text_every_text_grows(monkeypatch):
    """With SARCOMA_EDU_LARGE_TEXT=1 the ticks and bar labels are larger than without."""
    plain = poll_figure({"Stage IB": 1}, 1, choices=CHOICES)
    monkeypatch.setenv("SARCOMA_EDU_LARGE_TEXT", "1")
    large = poll_figure({"Stage IB": 1}, 1, choices=CHOICES)
    assert large.layout.yaxis.tickfont.size > plain.layout.yaxis.tickfont.size
    assert large.data[0].textfont.size > plain.data[0].textfont.size
    assert large.layout.height > plain.layout.height


def test_before_reveal_no_bar_is_marked():
    """Before Reveal every bar has the same colour, no stripes, no outline and no 'right answer'."""
    fig = poll_figure({"Stage IIIB": 7, "Stage IIIA": 5}, 12, choices=CHOICES)
    marker = fig.data[0].marker
    assert set(marker.color) == {OKABE_ITO["blue"]}
    assert set(marker.pattern.shape) == {""} and set(marker.line.width) == {0}
    assert RIGHT_MARK not in " ".join(fig.data[0].y) and RIGHT_MARK not in figure_text.description(fig)


def test_after_reveal_the_right_bar_is_marked_in_words_stripes_outline_and_colour():
    """Revealed, the IIIB bar says '✓ ... (right answer)', is striped, outlined and bluish green; the others are not."""
    fig = poll_figure({"Stage IIIB": 7, "Stage IIIA": 5}, 12, choices=CHOICES, right=["Stage IIIB"])
    bars = fig.data[0]
    assert bars.y[2] == f"<b>✓ Stage IIIB<br>({RIGHT_MARK})</b>" and "✓" not in bars.y[0] + bars.y[1]
    assert list(bars.marker.pattern.shape) == ["", "", "/"]
    assert list(bars.marker.line.width) == [0, 0, 5]
    assert list(bars.marker.color) == [OKABE_ITO["blue"], OKABE_ITO["blue"], OKABE_ITO["bluish green"]]


def test_the_text_alternative_says_how_many_answered_each_share_and_the_right_answer():
    """The description names 12 answers, each answer's share, no names, and once revealed the right answer."""
    fig = poll_figure({"Stage IIIB": 7, "Stage IIIA": 5}, 12, choices=CHOICES, right=["Stage IIIB"])
    words = figure_text.description(fig)
    assert words.startswith("12 students answered; only counts are shown, no names.")
    assert "The right answer: Stage IIIB, marked on the bar" in words
    assert "Stage IIIA 42% (5)" in words and "Stage IB 0% (0)" in words
    table = figure_text.figure_table(fig)
    assert list(table["Item"]) == ["Stage IB", "Stage IIIA", "✓ Stage IIIB (right answer)"]
    assert list(table["Shown as"]) == ["0% (0)", "42% (5)", "58% (7)"]
    assert figure_text.figure_name(fig) == "Figure: How the class answered: 12 answers"


def test_with_no_answers_yet_the_bars_are_empty_and_it_says_so():
    """Nobody has answered: every bar 0%, a note 'No answers yet' on the chart and in its description."""
    fig = poll_figure({}, 0, choices=CHOICES)
    assert list(fig.data[0].x) == [0.0, 0.0, 0.0]
    assert [a.text for a in fig.layout.annotations] == ["No answers yet"]
    assert figure_text.description(fig).startswith("No answers yet")


def test_an_answer_that_is_not_a_choice_is_counted_but_its_words_are_never_shown():
    """A hostile answer '<img src=x onerror=alert(1)>' is counted under 'Another answer'; its text appears nowhere."""
    hostile = "<img src=x onerror=alert(1)>"
    fig = poll_figure({"Stage IB": 2, hostile: 1, "Ana Lopez": 1}, 4, choices=CHOICES)
    assert list(fig.data[0].y) == [*CHOICES, OTHER_ANSWER]
    assert list(fig.data[0].text)[-1] == "50% (2)"
    shown = fig.to_json() + figure_text.alternative_html(fig)
    assert "onerror" not in shown and "Ana Lopez" not in shown


def test_a_choice_with_markup_is_shown_as_its_words():
    """A choice written '< 5 cm <b>' is escaped for plotly (which reads tags) and reads as written in the table."""
    fig = poll_figure({"< 5 cm <b>": 1}, 1, choices=["< 5 cm <b>", "5 cm or more"])
    assert fig.data[0].y[0] == "&lt; 5 cm &lt;b&gt;"
    assert figure_text.figure_table(fig)["Item"][0] == "< 5 cm <b>"


def test_a_numeric_question_has_a_bar_per_number_in_order():
    """Without choices, the numbers given come in numeric order (7.5 before 12) and any other text as one bar."""
    fig = poll_figure({"12": 3, "7.5": 2, "twelve": 1}, 6, right=["12"])
    assert list(fig.data[0].y) == ["7.5", f"<b>✓ 12<br>({RIGHT_MARK})</b>", OTHER_ANSWER]


def test_several_ticked_answers_may_add_up_past_100_percent_and_it_says_so():
    """Four students ticking two answers each: both bars 100%, and the description explains why they pass 100%."""
    fig = poll_figure({"Stage IB": 4, "Stage IIIA": 4}, 4, choices=CHOICES)
    assert list(fig.data[0].x)[:2] == [100.0, 100.0]
    assert "add up to more than 100%" in figure_text.description(fig)


def test_a_long_choice_wraps_onto_short_lines():
    """A choice of 70 letters is broken between words into lines of about 28, so the bars keep their width."""
    long = "Surgery to remove the tumour with a margin of normal tissue around it, then radiation"
    fig = poll_figure({}, 0, choices=[long])
    assert all(len(line) <= 30 for line in fig.data[0].y[0].split("<br>"))


@pytest.mark.parametrize(
    ("counts", "responses", "named"),
    [({"Stage IB": -1}, 1, "counts['Stage IB']=-1"), ({}, 2.5, "responses=2.5"), ({"Stage IB": True}, 1, "True")],
)
def test_a_count_that_is_not_a_whole_number_is_refused_by_name(counts, responses, named):
    """A negative count, a fractional number answered or a yes/no count is refused, naming it."""
    with pytest.raises(ValueError, match="expected a whole number 0 or more") as error:
        poll_figure(counts, responses, choices=CHOICES)
    assert named in str(error.value)
