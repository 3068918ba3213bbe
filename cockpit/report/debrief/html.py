"""The debrief as one self-contained HTML file: inline CSS, inline SVG chart, nothing fetched.

The report's words are all in `document` (`build_document`); the shared HTML writer
(`cockpit.report.writers.html`, the paper copy's too) lays them out with this stylesheet.
The page opens from a mail attachment or a USB stick with no network, prints on A4 or
Letter (`@page`, `@media print`: table headers repeat, rows do not split, the chart keeps
its colours), its tables wrap only between words (a narrow screen scrolls them sideways),
and every piece of text from the night is escaped
(`cockpit.report.escape.html_text`) — a note holding `<script>` prints as text. A
Content-Security-Policy forbids scripts and remote loads as a second guard.
"""

from __future__ import annotations

from ..writers.html import write_html
from .document import build_document
from .model import Debrief

#: The debrief's stylesheet: a report read on screen and printed.
CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue",
  Arial, sans-serif; color: #1b1b1b; background: #fff; max-width: 62rem; margin: 1.5rem auto;
  padding: 0 1rem; }
h1 { font-size: 1.7em; margin: 0 0 .2rem; }
h2 { font-size: 1.25em; border-bottom: 2px solid #d0d4da; padding-bottom: .15rem;
  margin: 1.8rem 0 .6rem; }
h3 { font-size: 1.05em; margin: 1.1rem 0 .4rem; }
h4 { font-size: 1em; margin: .9rem 0 .3rem; }
.sub { color: #4a4f57; margin: 0 0 1rem; }
nav { font-size: .9em; color: #4a4f57; }
nav a { color: inherit; }
dl.summary { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem;
  margin: 0; }
dl.summary dt { font-weight: 600; }
dl.summary dd { margin: 0; }
/* Cells wrap between words only; a table wider than the page scrolls sideways instead
   of squeezing its words apart ('Plann|ed start', '01:|35'). Headers, numbers, times and
   other short cells stay on one line; a long path or command widens its column. */
.table-scroll { overflow-x: auto; margin: .4rem 0 .8rem; }
table { border-collapse: collapse; width: 100%; font-size: .92em; }
th, td { border: 1px solid #c9cdd3; padding: .18rem .4rem; text-align: left;
  vertical-align: top; overflow-wrap: normal; word-break: normal; }
th { background: #f1f3f5; white-space: nowrap; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.short, td.time { white-space: nowrap; }
span.num { white-space: nowrap; }
code { overflow-wrap: break-word; }
thead { display: table-header-group; }
tr, li, .finding { break-inside: avoid; page-break-inside: avoid; }
.flag { color: #a4001d; font-weight: 700; }
.over { font-weight: 700; }
.muted { color: #5b616b; }
.note-text { white-space: pre-wrap; }
.damage { border: 3px solid #a4001d; background: #fff0f0; padding: .7rem 1rem;
  margin: 1rem 0; font-size: 1.05em; }
.damage strong { color: #a4001d; }
ul { padding-left: 1.3rem; }
ul.boxes { list-style: none; padding-left: .2rem; }
ul.boxes li { margin: .35rem 0; }
.box { display: inline-block; width: .8em; height: .8em; border: 1px solid #4a4f57;
  margin-right: .45em; vertical-align: -.08em; }
.blank { display: inline-block; border-bottom: 1px solid #777; width: 60%; height: 1em; }
.blank.short { width: 18%; }
svg.gantt { width: 100%; height: auto; display: block; }
svg.gantt text { font-family: inherit; font-size: 11px; fill: #2b2f36; }
svg.gantt .g-note { font-size: 10.5px; }
.g-plan { fill: #c5cad1; }
.g-actual { fill: #2f5f8a; }
.g-overrun { fill: #c4572b; }
.g-over { stroke: #9c3d17; stroke-width: .6; }
.g-hatch { stroke: #f7d9cb; stroke-width: 2; }
.g-failed { fill: #7f1d1d; }
.g-rollback { fill: #6a3d9a; }
.g-window { fill: #edf5e9; }
.g-window-key { fill: #edf5e9; stroke: #8a9a80; }
.g-tick { stroke: #dde1e6; }
.g-ponr { stroke: #a4001d; stroke-width: 2; stroke-dasharray: 4 3; }
/* size: auto takes the printer's paper; the layout fits A4 (210 mm) and Letter (216 mm). */
@page { size: auto; margin: 14mm 12mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 9.5pt; }
  nav { display: none; }
  h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  .damage, svg.gantt, .flag { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  svg.gantt { break-inside: avoid; }
  /* Paper does not scroll: the table fits the page, and only a long path or command in a
     cell may break, anywhere inside it. */
  .table-scroll { overflow: visible; }
  td code { overflow-wrap: anywhere; }
}
""".strip()


def render_html(debrief: Debrief) -> str:
    """The whole report as one HTML document, ending with one newline."""
    return write_html(build_document(debrief), CSS)
