"""Presenting on a projector: large text, dark figures and the stage map, plain tables.

The large-text size was measured once in Debian's chromium at 1280 x 720 on
`sarcoma-edu present 03 --dark --large-text`: every paragraph, list item, table cell and widget
label computed to 22 px. The tests below check the template and settings that produce it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd
import plotly.io as pio
import pytest
from IPython.core.formatters import HTMLFormatter

from sarcoma_edu.clinical.staging import stage
from sarcoma_edu.display import presentation
from sarcoma_edu.serve import lesson_files, servers

C = "style='text-align:left;vertical-align:top;white-space:normal'"
TEMPLATE = presentation.template_root() / "voila" / "templates" / "sarcoma-edu-large"
OFFLINE = presentation.template_root() / "voila" / "templates" / "sarcoma-edu"


def _rgb(colour: str) -> tuple[float, float, float]:
    colour = colour.strip().lower()
    if colour == "white":
        return (255, 255, 255)
    if colour.startswith("#"):
        return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return tuple(float(v) for v in re.findall(r"[\d.]+", colour)[:3])


def _contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours."""

    def luminance(colour: str) -> float:
        channels = [c / 255 for c in _rgb(colour)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _figures():
    from sarcoma_edu.display.grade import fnclcc_figure
    from sarcoma_edu.display.population import site_distribution_figure, survival_figure
    from sarcoma_edu.display.stage_map import stage_map_figure

    return {
        "stage map": stage_map_figure(stage("leg", 7, "high")),
        "FNCLCC grid": fnclcc_figure(),
        "site distribution": site_distribution_figure(),
        "survival": survival_figure(),
    }


def test_present_large_text_uses_the_template_voila_finds_on_jupyter_path(monkeypatch):
    """`present --large-text` asks for the sarcoma-edu-large template and puts its folder first on JUPYTER_PATH."""
    from voila.paths import collect_template_paths

    command = servers.present_command(lesson_files.resolve("03"), large_text=True, port=8866)
    env = servers.present_env(large_text=True)
    assert "--template=sarcoma-edu-large" in command
    assert env["JUPYTER_PATH"].split(":")[0] == str(presentation.template_root())
    monkeypatch.setenv("JUPYTER_PATH", env["JUPYTER_PATH"])
    paths = collect_template_paths(["voila", "nbconvert"], "sarcoma-edu-large", prune=True)
    assert str(TEMPLATE) in paths and str(OFFLINE) in paths and any(p.endswith("voila/templates/lab") for p in paths)
    plain = servers.present_command(lesson_files.resolve("03"), port=8866)
    assert "--template=sarcoma-edu" in plain and "--template=sarcoma-edu-large" not in plain
    assert servers.present_env()["JUPYTER_PATH"].split(":")[0] == str(presentation.template_root())


def test_every_presented_page_leaves_out_the_font_awesome_style_sheets_voila_fetches_from_a_cdn():
    """The sarcoma-edu template removes exactly the two CDN links of Voila's lab page, for a room with no internet."""
    from voila.paths import collect_template_paths

    (lab,) = [p for p in collect_template_paths(["voila"], "lab", prune=True) if p.endswith("voila/templates/lab")]
    voilas = Path(lab, "index.html.j2").read_text(encoding="utf-8")
    ours = (OFFLINE / "index.html.j2").read_text(encoding="utf-8")
    cdn = "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@^5/css/"
    for sheet in ("all.min.css", "v4-shims.min.css"):
        link = f'<link rel="stylesheet" href="{cdn}{sheet}" type="text/css" />'
        assert link in voilas  # what the template takes out is what Voila's page holds
        assert f"""('<link rel="stylesheet" href="' ~ cdn ~ '{sheet}" type="text/css" />') | safe, ''""" in ours
    assert f"set cdn = '{cdn}'" in ours and "extends 'lab/index.html.j2'" in ours


def test_present_runs_the_cells_with_the_page_connected():
    """`present` asks Voila for progressive rendering, so no widget is drawn before its model reaches the page."""
    command = servers.present_command(lesson_files.resolve("08"), port=8866)
    assert "--VoilaConfiguration.progressive_rendering=True" in command


def test_large_text_template_sets_body_text_of_at_least_20_px():
    """The template extends Voila's lab page and sets paragraph, widget and table text to 20 px or more."""
    page = (TEMPLATE / "index.html.j2").read_text(encoding="utf-8")
    assert "extends 'sarcoma-edu/index.html.j2'" in page and "{{ super() }}" in page
    sizes = dict(re.findall(r"(--jp-[\w-]+-font-size\d?|--jp-widgets-font-size):\s*(\d+)px", page))
    for variable in ("--jp-content-font-size1", "--jp-ui-font-size1", "--jp-widgets-font-size", "--jp-code-font-size"):
        assert int(sizes[variable]) >= 20, variable
    assert all(int(px) >= 20 for px in re.findall(r"font-size:\s*(?:max\()?(\d+)px", page))
    assert '"base_template": "sarcoma-edu"' in (TEMPLATE / "conf.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["stage map", "FNCLCC grid", "site distribution", "survival"])
def test_with_dark_the_figures_are_dark_and_their_text_stays_readable(monkeypatch, name):
    """Under `present --dark` each figure uses plotly_dark with light text at a contrast of 7:1 or more."""
    monkeypatch.setenv(presentation.THEME_ENV, "dark")
    figure = _figures()[name]
    assert figure.layout.template.layout.paper_bgcolor == pio.templates["plotly_dark"].layout.paper_bgcolor
    assert _contrast(figure.layout.font.color, figure.layout.template.layout.paper_bgcolor) >= 7
    assert _contrast(figure.layout.font.color, figure.layout.template.layout.plot_bgcolor) >= 7


def test_without_dark_the_figures_stay_light(monkeypatch):
    """With no theme set, figures use plotly_white and dark text at a contrast of 7:1 or more."""
    monkeypatch.delenv(presentation.THEME_ENV, raising=False)
    figure = _figures()["stage map"]
    assert figure.layout.template.layout.paper_bgcolor == pio.templates["plotly_white"].layout.paper_bgcolor
    assert _contrast(figure.layout.font.color, "white") >= 7


def test_an_unknown_theme_warns_by_name_and_falls_back_to_light(monkeypatch):
    """SARCOMA_EDU_THEME=blue warns naming the variable, the value and the themes, and uses light."""
    monkeypatch.setenv(presentation.THEME_ENV, "blue")
    with pytest.warns(UserWarning, match=r"SARCOMA_EDU_THEME='blue' is not a theme; expected one of light, dark"):
        assert presentation.theme() == "light"


def test_large_text_makes_every_figure_text_as_large_as_the_page_text(monkeypatch):
    """Under `present --large-text` a figure's body text is 22 px like the page's, and its labels, cell texts
    and notes (13-18 px otherwise) grow in the same proportion; without it nothing changes."""
    from sarcoma_edu.clinical.planner import plan_treatment
    from sarcoma_edu.display.timeline import timeline_figure

    def sizes(figure) -> list[int]:
        notes = [a.font.size for a in figure.layout.annotations if a.font.size]
        cells = [t.textfont.size for t in figure.data if getattr(t, "textfont", None) is not None and t.textfont.size]
        return [figure.layout.font.size, figure.layout.hoverlabel.font.size, *notes, *cells]

    monkeypatch.setenv(presentation.LARGE_TEXT_ENV, "0")
    figures = {**_figures(), "timeline": timeline_figure(plan_treatment(stage("leg", 7, "high")))}
    small = {name: sizes(figure) for name, figure in figures.items()}
    monkeypatch.setenv(presentation.LARGE_TEXT_ENV, "1")
    figures = {**_figures(), "timeline": timeline_figure(plan_treatment(stage("leg", 7, "high")))}
    for name, figure in figures.items():
        large = sizes(figure)
        assert figure.layout.font.size == presentation.LARGE_TEXT_PX, name
        assert min(large) >= 18, name  # no 13-16 px text left on the projector
        assert all(b >= round(a * 22 / 16) - 1 for a, b in zip(small[name], large, strict=True)), name


def test_present_passes_the_theme_to_the_lessons_kernel():
    """The environment `present` runs Voila with (inherited by kernels) names the theme and presentation."""
    assert servers.present_env(dark=True)[presentation.THEME_ENV] == "dark"
    assert servers.present_env()[presentation.THEME_ENV] == "light"
    assert servers.present_env()[presentation.PRESENT_ENV] == "1"


@pytest.mark.parametrize(
    ("name", "plain"),
    [("size_cm", "Size (cm)"), ("pdq_wording", "PDQ wording"), ("patient_id", "Patient ID"), ("t", "T"),
     ("high_grade_by_definition", "High grade by definition"), ("necrosis_pct", "Necrosis (%)"), ("IIIB", "IIIB")],
)  # fmt: skip
def test_column_names_are_shown_as_plain_words(name, plain):
    """Column names lose their underscores, units read as units and abbreviations stay capitals."""
    assert presentation.plain_column(name) == plain


def test_a_presented_table_has_plain_columns_no_index_and_no_cut_text():
    """Row numbers are left out, column names are plain words and a 300-character cell is shown whole."""
    long = "A sentence that goes on and on about a sarcoma " * 6 + "the very end."
    frame = pd.DataFrame({"size_cm": [7.5, 12.0], "pdq_wording": [long, "short"]}, index=[5, 9])
    html = presentation.table_html(frame)
    assert f"<th scope='col' {C}>Size (cm)</th><th scope='col' {C}>PDQ wording</th>" in html
    assert long.strip() in html and "..." not in html and "…" not in html
    assert ">5<" not in html and ">9<" not in html
    assert "white-space:normal" in html and "text-overflow:clip" in html


def test_a_long_table_says_how_many_rows_it_has_and_labels_are_kept():
    """A table longer than max_rows shows its first rows and says how many there are; an unnamed label index stays."""
    html = presentation.table_html(pd.DataFrame({"stage": ["IA"] * 5}), max_rows=3)
    assert "The first 3 of 5 rows" in html and html.count(f"<td {C}>IA</td>") == 3
    labelled = presentation.table_html(pd.DataFrame({"count": [2]}, index=["leg"]))
    assert f"<td {C}>leg</td><td {C}>2</td>" in labelled


def test_a_grouped_table_keeps_its_groups_as_the_first_column():
    """A named index (the groups of a groupby) becomes a plain first column, not a hidden index."""
    counts = pd.DataFrame({"site": ["leg", "leg", "trunk"], "stage": ["IA", "IB", "IA"]})
    table = counts.groupby("site")["stage"].value_counts().unstack(fill_value=0)
    html = presentation.table_html(table)
    assert html.index(f"<th scope='col' {C}>Site</th>") < html.index(f"<th scope='col' {C}>IA</th>")
    assert f"<td {C}>trunk</td><td {C}>1</td><td {C}>0</td>" in html
    series = presentation.table_html(pd.Series([8.0], index=pd.Index(["IIIA"], name="stage"), name="size_cm"))
    assert (
        f"<th scope='col' {C}>Stage</th><th scope='col' {C}>Size (cm)</th>" in series and f"<td {C}>IIIA</td>" in series
    )


def test_in_a_lesson_kernel_every_table_is_shown_plainly(monkeypatch):
    """In a lesson's kernel, presenting or not, the HTML display of DataFrames and Series is the plain table."""

    class Shell:
        def __init__(self):
            self.display_formatter = type("Display", (), {"formatters": {"text/html": HTMLFormatter()}})()

    shell = Shell()
    monkeypatch.setattr("IPython.get_ipython", lambda: shell)
    frame = pd.DataFrame({"pdq_wording": ["x"]})
    assert "PDQ wording" not in (shell.display_formatter.formatters["text/html"](frame) or "")
    monkeypatch.delenv(presentation.PRESENT_ENV, raising=False)
    with pd.option_context("display.max_colwidth", 50):  # put back after the test
        assert presentation.install_table_display() is True
        assert pd.get_option("display.max_colwidth") is None
    formatter = shell.display_formatter.formatters["text/html"]
    assert f"<th scope='col' {C}>PDQ wording</th>" in formatter(frame)
    assert f"<th scope='col' {C}>Value</th>" in formatter(pd.Series([1, 2]))


def test_the_presentation_module_loads_neither_plotly_nor_ipywidgets():
    """sarcoma_edu.display.presentation is read by the CLI and the figures alike, so it imports neither."""
    import subprocess

    code = "import sarcoma_edu.display.presentation, sys; print('plotly' in sys.modules, 'ipywidgets' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]


def test_the_presented_page_keeps_only_webpacks_jupyterlab_version_notes_out_of_the_console():
    """The note webpack writes on every page about JupyterLab 4.2 vs 4.6 packages is held back; other errors pass."""
    page = (OFFLINE / "index.html.j2").read_text(encoding="utf-8")
    (pattern,) = re.findall(r"const versionNote = /(.+)/;", page)
    note = re.compile(pattern.replace("\\/", "/"))
    seen = [  # as chromium printed them on every page before
        "Unsatisfied version 4.2.5 from _JUPYTERLAB.CORE_OUTPUT of shared singleton module @jupyterlab/console "
        "(required ^4.6.2)",
        "No satisfying version (^4.6.2) of shared module @jupyterlab/outputarea found in shared scope default.\n"
        "Available versions: 4.2.5 from _JUPYTERLAB.CORE_OUTPUT",
    ]
    assert all(note.search(message) for message in seen)
    for other in ("Error: widget model not found", "Failed to load resource: net::ERR_NAME_NOT_RESOLVED",
                  "Unsatisfied version 1.0 of shared singleton module some-other-package"):  # fmt: skip
        assert not note.search(other)
    assert "for (const level of ['warn', 'error'])" in page and "write(...args)" in page
