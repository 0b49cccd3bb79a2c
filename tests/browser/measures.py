"""What the lesson tests measure in a lesson page: each figure's accessible name, description and data
table, and at a small screen any figure text, hover label, table, dropdown choice, widget label or button label
cut off, and any two texts of a figure drawn over each other."""

from __future__ import annotations

from tests.browser.harness import PANEL

# every figure output and the region after it that names and describes it (sarcoma_edu.display.figure_text)
_FIGURE_TEXTS_JS = """(panel) => [...document.querySelectorAll(panel + ' .js-plotly-plot')].map(plot => {
    const child = plot.closest('.jp-OutputArea-child');
    const next = child && child.nextElementSibling;
    const region = next && next.querySelector('.sarcoma-edu-figure-text[role="group"]');
    const described = region && document.getElementById(region.getAttribute('aria-describedby') || '');
    return {
        title: plot.querySelector('.gtitle')?.textContent || '',
        name: region ? (region.getAttribute('aria-label') || '').trim() : '',
        description: described ? described.textContent.trim() : '',
        table: region ? region.querySelectorAll('details table tr').length : 0,
    };
})"""
# the lessons that show at least one plotly figure (so the figure check checks something there)
FIGURE_LESSONS = {
    "01_what_is_sarcoma.ipynb",
    "02_grade.ipynb",
    "03_staging.ipynb",
    "04_metastasis.ipynb",
    "05_treatment.ipynb",
    "06_cases.ipynb",
    "07_quiz.ipynb",
}


def figure_problems(page, name: str) -> list[str]:
    """Figures without a non-empty accessible name, description and data table next to them."""
    if name in FIGURE_LESSONS:  # the calculators draw their figure once the cell has run
        page.wait_for_function(
            "(panel) => document.querySelectorAll(panel + ' .js-plotly-plot').length > 0", arg=PANEL, timeout=30_000
        )
    page.wait_for_timeout(500)
    found = page.evaluate(_FIGURE_TEXTS_JS, PANEL)
    problems = []
    for number, figure in enumerate(found, start=1):
        checks = (
            ("no accessible name", figure["name"].startswith("Figure: ") and len(figure["name"]) > len("Figure: ")),
            ("no description", len(figure["description"]) > 20),
            ("no data table", figure["table"] > 1),
        )
        missing = [what for what, ok in checks if not ok]
        if missing:
            problems.append(f"figure {number} ({figure['title'][:60]!r}): {', '.join(missing)}")
    if name in FIGURE_LESSONS and not found:
        problems.append("no figure was drawn")
    return problems


# A button whose label does not fit: the button, or an element inside it, is narrower than its words
# (a widget button cuts its label with an ellipsis, "Start this…"). Buttons without words (icons) are left out.
_CUT_BUTTONS = """(root) => [...root.querySelectorAll('button')]
    .filter(b => b.offsetParent && b.innerText.trim())
    .filter(b => [b, ...b.querySelectorAll('*')].some(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1))
    .map(b => `button label cut off: "${b.innerText.trim().replace(/\\s+/g, ' ').slice(0, 70)}"`)"""
CUT_BUTTONS_JS = _CUT_BUTTONS  # called on an element: every button inside it

# Two texts of one figure drawn over each other: cell labels running into the next cell's, a colour scale's title
# on its top label, crowded tick labels. Each text's box (its words as drawn, every line of it) is compared with
# every other text's in the same figure; an overlap of more than 1 pixel each way is reported. Hover labels,
# which come and go over the figure, are left out.
_OVERLAPPING = """(plot) => {
    const found = [];
    const texts = [...plot.querySelectorAll('.main-svg text')]
        .filter(t => !t.closest('.hoverlayer') && t.textContent.trim() && t.getBoundingClientRect().width > 0)
        .map(t => [t.textContent.trim().replace(/\\s+/g, ' ').slice(0, 40), t.getBoundingClientRect()]);
    for (let i = 0; i < texts.length; i++) {
        for (let j = i + 1; j < texts.length; j++) {
            const [a, r] = texts[i], [b, q] = texts[j];
            const across = Math.min(r.right, q.right) - Math.max(r.left, q.left);
            const down = Math.min(r.bottom, q.bottom) - Math.max(r.top, q.top);
            if (across > 1 && down > 1) found.push(`figure texts overlap: "${a}" and "${b}"`);
        }
    }
    return found;
}"""
OVERLAPPING_TEXT_JS = (
    "(root) => [...document.querySelectorAll(root + ' .js-plotly-plot')].flatMap(" + _OVERLAPPING + ")"
)  # called with a CSS selector: every figure inside it


def overlapping_text(page, root: str) -> list[str]:
    """Every pair of texts drawn over each other in a figure inside ``root`` (a CSS selector)."""
    return list(page.evaluate(OVERLAPPING_TEXT_JS, root))


# What "cut off" means, measured in the page: a figure's text (title, axis title, tick label, legend,
# annotation, Sankey label) outside the figure's own box, a figure wider than its output, hover text
# outside the figure, a widget label or a button label cut short, or a dropdown narrower than its longest choice.
CUT_OFF_JS = (
    """(panel) => {
    const cutButtons = """
    + _CUT_BUTTONS
    + """;
    const found = [];
    const inside = (r, box, slack = 2) => r.left >= box.left - slack && r.right <= box.right + slack
        && r.top >= box.top - slack && r.bottom <= box.bottom + slack;
    const words = (el) => (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 70);
    const root = document.querySelector(panel);
    for (const plot of root.querySelectorAll('.js-plotly-plot')) {
        const box = plot.getBoundingClientRect();
        const output = plot.closest('.jp-OutputArea-output')?.getBoundingClientRect();
        if (output && box.right > output.right + 2) {
            found.push(`figure wider than its output: ${words(plot.querySelector('.gtitle') || plot)}`);
        }
        const texts = plot.querySelectorAll(['.gtitle', '.xtitle', '.ytitle', '.annotation-text', '.legendtext',
            '.node-label', '.xtick text', '.ytick text', '.g-xtitle text', '.g-ytitle text'].join(', '));
        for (const text of texts) {
            const r = text.getBoundingClientRect();
            if (!words(text) || r.width === 0) continue;
            if (!inside(r, box)) found.push(`figure text outside its figure: "${words(text)}"`);
        }
    }
    // a table (the drug catalog's, say) wider than the lesson: its right-hand columns would be cut off
    for (const table of root.querySelectorAll('.jp-OutputArea-output table')) {
        const output = table.closest('.jp-OutputArea-output').getBoundingClientRect();
        const r = table.getBoundingClientRect();
        if (r.width > 0 && r.right > output.right + 2) {
            found.push(`table wider than the lesson: "${words(table.querySelector('tr') || table)}"`);
        }
    }
    const canvas = document.createElement('canvas').getContext('2d');
    for (const select of root.querySelectorAll('.jp-OutputArea .widget-dropdown select')) {
        if (!select.offsetParent) continue;
        const style = getComputedStyle(select);
        canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        // the right padding holds the arrow: what is left is the room for the chosen text
        const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        for (const option of select.options) {
            if (canvas.measureText(option.text).width > room + 1) {
                found.push(`dropdown choice cut off: "${option.text.slice(0, 70)}"`);
            }
        }
    }
    // tick boxes one under another: the words of a label wrapped onto two lines must not run into the next one's
    const inked = (box) => {  // where the label's words are drawn
        const range = document.createRange();
        range.selectNodeContents(box.querySelector('.widget-label-basic') || box);
        return range.getBoundingClientRect();
    };
    for (const list of root.querySelectorAll('.jp-OutputArea .widget-vbox')) {
        const boxes = [...list.children].filter(c => c.classList.contains('widget-checkbox') && c.offsetParent);
        for (let k = 1; k < boxes.length; k++) {
            if (inked(boxes[k - 1]).bottom > inked(boxes[k]).top + 2) {
                found.push(`tick-box labels overlap: "${words(boxes[k - 1])}"`);
            }
        }
    }
    const labels = '.jp-OutputArea .widget-label, .jp-OutputArea .widget-inline-hbox > label';
    for (const label of root.querySelectorAll(labels)) {
        if (!label.offsetParent || !words(label)) continue;
        if (label.scrollWidth > label.clientWidth + 1) found.push(`widget label cut off: "${words(label)}"`);
    }
    // each cell's outputs (an output area inside another is in it already), so each button is measured once
    const outputs = [...root.querySelectorAll('.jp-OutputArea')]
        .filter(o => !o.parentElement.closest('.jp-OutputArea'));
    for (const output of outputs) found.push(...cutButtons(output));
    return found;
}"""
)

_HOVER_JS = """(plot) => {
    const box = plot.getBoundingClientRect();
    return [...plot.querySelectorAll('.hoverlayer .hovertext, .hoverlayer .axistext')]
        .filter(h => { const r = h.getBoundingClientRect(); return r.width > 0 && (r.left < box.left - 2
            || r.right > box.right + 2 || r.top < box.top - 2 || r.bottom > box.bottom + 2); })
        .map(h => `hover text outside its figure: "${(h.textContent || '').trim().slice(0, 70)}"`);
}"""


def cut_off(page) -> list[str]:
    """Everything cut off or drawn over other text in the lesson in front as it is laid out now, then hover labels
    leaving their figure."""
    return list(page.evaluate(CUT_OFF_JS, PANEL)) + overlapping_text(page, PANEL) + hover_everywhere(page)


def hover_everywhere(page) -> list[str]:
    """Move the mouse over a grid of points on every figure; return each hover label that leaves its figure."""
    found: list[str] = []
    plots = page.locator(f"{PANEL} .js-plotly-plot")
    height = page.viewport_size["height"]
    for index in range(plots.count()):
        plot = plots.nth(index)
        plot.scroll_into_view_if_needed()
        page.wait_for_timeout(200)
        box = plot.bounding_box()
        if box is None:
            continue
        top, bottom = max(box["y"], 0), min(box["y"] + box["height"], height)
        for row in range(1, 6):
            for column in range(1, 10):
                page.mouse.move(box["x"] + box["width"] * column / 10, top + (bottom - top) * row / 6)
                page.wait_for_timeout(40)
                found += plot.evaluate(_HOVER_JS)
        page.mouse.move(1, 1)
    return found
