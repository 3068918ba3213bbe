"""The HTML debrief reads well: its tables wrap only between words.

`overflow-wrap: anywhere` on every cell let a browser squeeze a table to fit a narrow
window by breaking inside words ('Plann/ed start', '01:/35'). The stylesheet now breaks
only between words on screen, keeps headers, numbers, times and short cells on one line,
and puts each table in a box that scrolls sideways instead. These tests read the
stylesheet and the markup the writer makes; the golden files hold the whole page.
"""

from __future__ import annotations

import re

from cockpit.report import document as doc
from cockpit.report.debrief.html import CSS
from cockpit.report.writers.html import write_html


def rules(css: str) -> dict[str, str]:
    """Selector → declarations of the screen rules (outside `@media print`)."""
    screen = css.split("@media print")[0]
    screen = re.sub(r"/\*.*?\*/", "", screen, flags=re.S)
    found: dict[str, str] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", screen):
        for selector in selectors.split(","):
            found[selector.strip()] = found.get(selector.strip(), "") + body
    return found


def test_the_stylesheet_never_breaks_inside_words_on_screen() -> None:
    assert "break-all" not in CSS
    screen = rules(CSS)
    for selector, body in screen.items():
        assert "anywhere" not in body, selector  # squeezes columns by breaking words
    for selector in ("th", "td.num", "th.num", "td.short", "span.num"):
        assert "white-space: nowrap" in screen[selector], selector
    assert "overflow-x: auto" in screen[".table-scroll"]


def test_a_table_scrolls_sideways_and_its_short_cells_stay_whole() -> None:
    table = doc.Table(
        header=("When", "Planned start", "Why", "Event"),
        rows=((("01:35",), ("02:00",), ("Old trunk test call does not ring",), ("#12",)),),
        numeric=frozenset({3}),
    )
    section = doc.Section("steps", "Steps", ("Steps",), (table,))
    page = write_html(doc.Document("t", ("t",), ("s",), None, (section,)), CSS)
    assert '<div class="table-scroll"><table>' in page and "</table></div>" in page
    assert '<td class="short">01:35</td>' in page
    assert '<td class="num">#12</td>' in page
    assert "<td>Old trunk test call does not ring</td>" in page
