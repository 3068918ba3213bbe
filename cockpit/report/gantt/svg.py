"""The planned-versus-actual chart as an inline SVG element, for the HTML report.

Draws a `Chart` (`gantt.model`); its classes are styled by the report's stylesheet.
Overruns are hatched as well as coloured, so they read in black and white; every piece of
text is escaped by the reports' one HTML escaper.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from cockpit.text import one_line

from ..escape import html_text as escape
from .model import LEGEND, Chart, Segment, SegmentKind, report_note

_SVG_WIDTH = 820
_SVG_LABEL = 230
_SVG_NOTE = 90
_SVG_ROW = 26
_SVG_TOP = 34


def svg_gantt(chart: Chart) -> str:
    """The chart as an inline SVG element (classes styled by the HTML report's CSS)."""
    plot = _SVG_WIDTH - _SVG_LABEL - _SVG_NOTE
    height = _SVG_TOP + _SVG_ROW * len(chart.rows) + 40

    def x(minute: float) -> float:
        return _SVG_LABEL + plot * max(0.0, min(minute, chart.span)) / chart.span

    out: list[str] = [
        f'<svg class="gantt" viewBox="0 0 {_SVG_WIDTH} {height}" role="img" '
        f'aria-labelledby="gantt-title">',
        '<title id="gantt-title">Planned versus actual, per step</title>',
        "<defs>"
        '<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" class="g-overrun"/>'
        '<line x1="0" y1="0" x2="0" y2="6" class="g-hatch"/></pattern>'
        "</defs>",
    ]
    bottom = _SVG_TOP + _SVG_ROW * len(chart.rows)
    window_x = x(chart.window[0])
    out.append(
        f'<rect class="g-window" x="{window_x:.1f}" y="{_SVG_TOP - 6}" '
        f'width="{x(chart.window[1]) - window_x:.1f}" height="{bottom - _SVG_TOP + 6}">'
        "<title>maintenance window</title></rect>"
    )
    for minute, text in chart.ticks:
        tick_x = x(minute)
        out.append(
            f'<line class="g-tick" x1="{tick_x:.1f}" y1="{_SVG_TOP - 8}" '
            f'x2="{tick_x:.1f}" y2="{bottom}"/>'
            f'<text class="g-axis" x="{tick_x:.1f}" y="{_SVG_TOP - 12}" '
            f'text-anchor="middle">{escape(text)}</text>'
        )
    for index, row in enumerate(chart.rows):
        top = _SVG_TOP + index * _SVG_ROW
        out.append(
            f'<text class="g-label" x="{_SVG_LABEL - 8}" y="{top + 16}" '
            f'text-anchor="end">{escape(_shorten(one_line(row.label), 34))}</text>'
        )
        if row.planned is not None:
            out.append(_svg_bar(row.planned, x, top + 3, 7))
        for segment in row.actual:
            out.append(_svg_bar(segment, x, top + 11, 11))
        out.append(
            f'<text class="g-note" x="{_SVG_WIDTH - _SVG_NOTE + 6}" y="{top + 16}">'
            f"{escape(report_note(row))}</text>"
        )
    if chart.ponr is not None:
        ponr_x = x(chart.ponr)
        out.append(
            f'<line class="g-ponr" x1="{ponr_x:.1f}" y1="{_SVG_TOP - 6}" '
            f'x2="{ponr_x:.1f}" y2="{bottom}"><title>point of no return crossed</title></line>'
        )
    legend_y = bottom + 24
    legend_x = _SVG_LABEL - 120
    used = chart.kinds()
    keys: list[tuple[SegmentKind | Literal["window"], str]] = [
        *(entry for entry in LEGEND if entry[0] in used),
        ("window", "window"),
    ]
    for kind, words in keys:
        css = {"window": "g-window-key", "overrun": "g-over"}.get(kind, f"g-{kind}")
        fill = ' fill="url(#hatch)"' if kind == "overrun" else ""
        out.append(
            f'<rect class="{css}"{fill} x="{legend_x}" y="{legend_y - 9}" width="14" height="10"/>'
            f'<text class="g-axis" x="{legend_x + 18}" y="{legend_y}">{escape(words)}</text>'
        )
        legend_x += 26 + 6 * len(words)
    if chart.ponr is not None:
        out.append(
            f'<line class="g-ponr" x1="{legend_x + 7}" y1="{legend_y - 11}" '
            f'x2="{legend_x + 7}" y2="{legend_y + 2}"/>'
            f'<text class="g-axis" x="{legend_x + 14}" y="{legend_y}">point of no return</text>'
        )
    out.append("</svg>")
    return "\n".join(out)


def _svg_bar(segment: Segment, x: Callable[[float], float], y: float, height: float) -> str:
    left = x(segment.start)
    width = max(x(segment.end) - left, 1.5 if segment.end > segment.start else 0.0)
    fill = ' fill="url(#hatch)"' if segment.kind == "overrun" else ""
    css = "g-over" if segment.kind == "overrun" else f"g-{segment.kind}"
    return (
        f'<rect class="{css}"{fill} x="{left:.1f}" y="{y:.1f}" '
        f'width="{width:.1f}" height="{height:.1f}"><title>{escape(segment.label)}</title></rect>'
    )


def _shorten(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
