"""A scrollable panel of text that never makes the screen lay itself out again.

A `Static` inside a scrolling container takes the height of its text: when the arrows
browse from one step to the next, the new text has another height, and Textual lays the
whole screen out again, then again for the container's new scroll range, then repaints
its scrollbars — three frames for one key, the last some 60 ms after it. Here the text is
wrapped to the panel's width by the panel itself and drawn line by line (Textual's line
API): new text repaints the panel, and only its scroll range changes.

New text repaints only the rows that differ from what is shown (and a new border title
only the border's top row): browsing from one step to the next keeps the blank rows below
a short step, the headings and the scrollbar where they were, and Textual then neither
draws those rows again (some 80 µs a row) nor sends them to the terminal.

The scrollbar is drawn by the panel too, in its last column (Textual's own scrollbar
renderer, so it looks the same). Textual's scrollbar is a widget that is shown when the
text is taller than the panel and hidden when it is not, and showing or hiding it lays
the screen out: browsing from a short step to a long one cost a layout and a second
frame. The column is always there; it is blank when there is nothing to scroll.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from math import ceil
from typing import Self

from rich.console import RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.content import Content
from textual.events import Resize
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBarRender
from textual.strip import Strip

from cockpit.tui.safe_text import safe

#: The text's right margin and the scrollbar: the last two columns of the content.
MARGIN = 1
BAR = 1
#: How many wrapped texts are kept (the steps browsed lately, each a few kilobytes).
WRAPPED_KEPT = 64

#: A row as shown: its line of text (None below the text) and its scrollbar cell.
Row = tuple[Strip | None, Segment | None]


class TextView(ScrollView):
    """Text (escaped: file text is data) wrapped to the width, scrolled by the user."""

    DEFAULT_CSS = """
    TextView {
        overflow: hidden hidden;
    }
    """

    #: While a new border title is set, a repaint of the whole panel is one of its top
    #: row (see `retitle`; a class default: Textual sets the first title in `__init__`).
    _retitling = False

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._text: RenderableType = Text()
        #: What the text was last drawn from (equal input, nothing to draw).
        self._drawn: object = None
        self._lines: list[Strip] = []
        self._wrapped_at = -1
        #: Texts wrapped lately, by (their words and styles, width): the least recent go.
        self._wrapped: OrderedDict[tuple[Hashable, int], list[Strip]] = OrderedDict()
        #: The scrollbar's column, one segment per row, as last drawn (None: draw again).
        self._bar: list[Segment] | None = None
        self._dragging = False
        #: The style and text width of the frame being drawn (see `render_lines`).
        self._frame: tuple[Style, int] | None = None

    def draw(self, text: Text) -> None:
        """Show `text`, escaped; the same text again draws nothing, and only the rows
        that changed are repainted."""
        if text == self._drawn:
            return
        self._drawn = text
        shown = self._rows_shown()
        self._text = safe(text)
        self._wrap(key=(text.plain, tuple(text.spans)))
        self._repaint_changed(shown)

    def _rows_shown(self) -> list[Row]:
        """What each row of the panel shows, from the text and the scroll position."""
        bar = self._scrollbar(self._frame[0] if self._frame else self.rich_style)
        top = self.scroll_offset.y
        lines = self._lines
        return [
            (
                lines[top + y] if 0 <= top + y < len(lines) else None,
                bar[y] if y < len(bar) else None,
            )
            for y in range(len(bar))
        ]

    def _repaint_changed(self, shown: list[Row]) -> None:
        """Repaint the rows that no longer show what `shown` says they did."""
        now = self._rows_shown()
        if len(now) != len(shown):
            self.refresh()
            return
        width = self.scrollable_content_region.width
        changed = [Region(0, y, width, 1) for y, row in enumerate(now) if row != shown[y]]
        if changed:
            self.refresh(*changed)

    def retitle(self, title: Content) -> None:
        """A new border title repaints the border's top row, not the whole panel (Textual's
        title setter repaints everything, every row of the text drawn again)."""
        self._retitling = True
        try:
            self.border_title = title
        finally:
            self._retitling = False

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        if self._retitling and not (regions or layout or recompose) and self.is_mounted:
            gutter = self.gutter
            regions = (Region(-gutter.left, -gutter.top, self.size.width, 1),)
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    @property
    def plain(self) -> str:
        """The text shown, without styles and before it is wrapped to the width."""
        return self._text.plain if isinstance(self._text, Text) else ""

    @property
    def text_width(self) -> int:
        """The columns the text wraps to: the content less its margin and scrollbar."""
        return max(self.scrollable_content_region.width - MARGIN - BAR, 0)

    def _wrap(self, key: Hashable = None) -> None:
        """Wrap the text to the width. Text wrapped before at this width (the arrows
        going back to a step) is taken from `_wrapped`, not wrapped again."""
        width = self.text_width
        self._wrapped_at = width
        if width <= 0:
            self._lines = []
            return
        if key is not None and (lines := self._wrapped.get((key, width))) is not None:
            self._wrapped.move_to_end((key, width))
            self._lines = lines
        else:
            console = self.app.console
            options = console.options.update(width=width, height=None, highlight=False)
            rendered = console.render_lines(self._text, options, pad=True, new_lines=False)
            self._lines = [Strip(line, width) for line in rendered]
            if key is not None:
                self._wrapped[(key, width)] = self._lines
                while len(self._wrapped) > WRAPPED_KEPT:
                    self._wrapped.popitem(last=False)
        size = Size(self.scrollable_content_region.width, len(self._lines))
        if size != self.virtual_size:
            # The scroll range only: the panel keeps its place and size, so the screen is
            # not laid out again.
            self.set_reactive(TextView.virtual_size, size)
            self._scroll_update(size)
            self._bar = None  # the scrollbar shows the text's height

    def on_resize(self, event: Resize) -> None:
        """A new width wraps the text again (a new height only shows more or less)."""
        self._bar = None
        if self.text_width != self._wrapped_at:
            self._wrap()
        self.refresh()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        self._bar = None
        super().watch_scroll_y(old_value, new_value)

    @property
    def allow_vertical_scroll(self) -> bool:
        """The wheel and the keys scroll whenever the text is taller than the panel (the
        scrollbar is not Textual's, which they would ask)."""
        return not self._check_disabled() and self.max_scroll_y > 0

    # ---- drawing -------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        """Once per frame, not once per row: the panel's style (Textual works it out from
        every ancestor's colours, a tenth of a millisecond each time) and the width."""
        self._frame = (self.rich_style, self.text_width)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        style, width = self._frame or (self.rich_style, self.text_width)
        index = y + self.scroll_offset.y
        text = self._lines[index] if 0 <= index < len(self._lines) else Strip.blank(width)
        margin = Segment(" " * MARGIN, style)
        bar = self._scrollbar(style)
        segments = [*text.apply_style(style), margin]
        if 0 <= y < len(bar):
            segments.append(bar[y])
        return Strip(segments, width + MARGIN + BAR)

    def _scrollbar(self, base: Style) -> list[Segment]:
        """The scrollbar's column, as Textual's scrollbar would draw it (its colours from
        this panel's `scrollbar-*` styles), or blank when there is nothing to scroll."""
        if self._bar is not None:
            return self._bar
        height = self.scrollable_content_region.height
        if self.max_scroll_y <= 0:
            self._bar = [Segment(" " * BAR, base)] * height
            return self._bar
        styles = self.styles
        if self._dragging:
            background, color = styles.scrollbar_background_active, styles.scrollbar_color_active
        else:
            background, color = styles.scrollbar_background, styles.scrollbar_color
        if background.a < 1:
            background = self.background_colors[0] + background
        color = background + color
        bar = ScrollBarRender(
            virtual_size=ceil(self.virtual_size.height),
            window_size=height,
            position=self.scroll_offset.y,
            thickness=BAR,
            vertical=True,
            style=Style.from_color(color.rich_color, background.rich_color),
        )
        console = self.app.console
        options = console.options.update_dimensions(BAR, height)
        # Drawn as text of this panel: the scrollbar widget's mouse actions are not ours.
        self._bar = [
            Segment(segment.text, segment.style.clear_meta_and_links() if segment.style else base)
            for line in console.render_lines(bar, options, new_lines=False)
            for segment in line
        ][:height]
        return self._bar

    # ---- the mouse on the scrollbar --------------------------------------------------------

    def _on_bar(self, event: events.MouseEvent) -> bool:
        return event.x >= self.scrollable_content_region.width - BAR and self.max_scroll_y > 0

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """A press on the scrollbar moves the text there; held, it drags."""
        if self._on_bar(event):
            self._dragging = True
            self.capture_mouse()
            self._scroll_to_row(event.y)
            event.stop()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._dragging:
            self._scroll_to_row(event.y)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._dragging:
            self._dragging = False
            self._bar = None
            self.release_mouse()
            self.refresh()

    def _scroll_to_row(self, row: int) -> None:
        height = max(self.scrollable_content_region.height - 1, 1)
        fraction = min(max(row / height, 0.0), 1.0)
        self._bar = None
        self.scroll_to(y=round(fraction * self.max_scroll_y), animate=False)
        self.refresh()
