"""A scrollable panel of text that never makes the screen lay itself out again.

A `Static` inside a scrolling container takes the height of its text: when the arrows
browse from one step to the next, the new text has another height, and Textual lays the
whole screen out again, then again for the container's new scroll range, then repaints
its scrollbars — three frames for one key, the last some 60 ms after it. Here the text is
wrapped to the panel's width by the panel itself and drawn line by line (Textual's line
API): new text repaints the panel, and only its scroll range changes.
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual.events import Resize
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from cockpit.tui.safe_text import safe


class TextView(ScrollView):
    """Text (escaped: file text is data) wrapped to the width, scrolled by the user."""

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._text: RenderableType = Text()
        #: What the text was last drawn from (equal input, nothing to draw).
        self._drawn: object = None
        self._lines: list[Strip] = []
        self._wrapped_at = -1

    def draw(self, text: Text) -> None:
        """Show `text`, escaped; the same text again draws nothing."""
        if text == self._drawn:
            return
        self._drawn = text
        self._text = safe(text)
        self._wrap()
        self.refresh()

    @property
    def plain(self) -> str:
        """The text shown, without styles and before it is wrapped to the width."""
        return self._text.plain if isinstance(self._text, Text) else ""

    def _wrap(self) -> None:
        width = self.scrollable_content_region.width
        self._wrapped_at = width
        if width <= 0:
            self._lines = []
            return
        console = self.app.console
        options = console.options.update(width=width, height=None, highlight=False)
        rendered = console.render_lines(self._text, options, pad=True, new_lines=False)
        self._lines = [Strip(line, width) for line in rendered]
        size = Size(width, len(self._lines))
        if size != self.virtual_size:
            # The scroll range only: the panel keeps its place and size (its scrollbar's
            # column is always kept, `scrollbar-gutter: stable`), so the screen is not laid
            # out again; the scrollbar follows in this same frame.
            self.set_reactive(TextView.virtual_size, size)
            self._scroll_update(size)

    def on_resize(self, event: Resize) -> None:
        """A new width wraps the text again (a new height only shows more or less)."""
        if self.scrollable_content_region.width != self._wrapped_at:
            self._wrap()
            self.refresh()

    def render_line(self, y: int) -> Strip:
        index = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        style = self.rich_style
        if 0 <= index < len(self._lines):
            return self._lines[index].apply_style(style)
        return Strip.blank(width, style)
