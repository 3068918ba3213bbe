"""How the view reaches every panel, and how a panel redraws only what changed.

The screen holds the frame (`CockpitScreen.frame`, a `CockpitView`) in a reactive; each
panel binds it with `data_bind` where the screen composes it, and draws in `show` when a
new frame arrives. A new panel is therefore one `yield Panel(...).data_bind(...)` in
`compose`: there is no list of panels to refresh by hand.

Panels are redrawn every second so countdowns move, and on every key; most of the time
little changed. `PanelText.draw` compares what it is given with what it shows and
updates (a layout and a repaint) only when they differ, and `Panel.set_title` does the
same for the border title: one way of skipping redraws, not one per widget.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, ClassVar

from rich.console import RenderableType
from textual.content import Content
from textual.reactive import var
from textual.widget import Widget
from textual.widgets import Static

from cockpit.tui.safe_text import line, safe
from cockpit.tui.view import CockpitView


class Panel(Widget):
    """A widget drawn from the screen's frame.

    Listed after the Textual base (`class Timeline(OptionList, Panel)`): Textual takes a
    widget's default CSS and component classes from its first base.
    """

    #: This frame (bound to the screen's): a new one draws the panel.
    frame: var[CockpitView | None] = var(None, init=False)

    #: Whether what the panel shows depends on the step the arrows browse
    #: (`CockpitView.selected_step`): an arrow draws these panels only, the others keep
    #: their frame until the next one (the clock's, or an event's).
    FOLLOWS_BROWSING: ClassVar[bool] = False

    #: The border title last set (setting it always repaints, so it is set on change).
    shown_title: str = ""

    #: Said under the border while the panel has the focus ("" for the timeline: the
    #: focus's home, where the arrows browse steps).
    FOCUS_HINT = "focused · ↑↓ scroll · esc: back to the steps"

    def watch_frame(self, frame: CockpitView | None) -> None:
        """A new frame: draw it."""
        if frame is not None:
            self.show(frame)

    if TYPE_CHECKING:  # every panel defines it: how it draws a frame

        def show(self, view: CockpitView) -> None: ...

    def on_focus(self) -> None:
        """Tab brought the focus here: the border says so, and how to get home."""
        self.border_subtitle = self.FOCUS_HINT

    def on_blur(self) -> None:
        self.border_subtitle = ""

    def set_title(self, title: str) -> None:
        """The border title, taken literally, set only when it changes."""
        if title != self.shown_title:
            self.shown_title = title
            self.retitle(line(title))

    def retitle(self, title: Content) -> None:
        """Show a new border title (a panel that can repaint less does so here)."""
        self.border_title = title


class PanelText(Static):
    """The text of a panel, redrawn only when given something new."""

    #: What it was last drawn from: the renderable, or the key the panel gave instead.
    drawn: Hashable | RenderableType | None = None

    def draw(self, renderable: RenderableType, *, drawn_from: Hashable | None = None) -> None:
        """Show `renderable` (file text in it shown literally and escaped, see `safe_text`).

        A renderable that cannot be compared (a table) comes with `drawn_from`, the
        inputs it was built from; equal inputs are not drawn again.
        """
        key = renderable if drawn_from is None else drawn_from
        if key == self.drawn:
            return
        self.drawn = key
        width, height = self.content_region.width, self.content_region.height
        self.update(safe(renderable), layout=False)
        # A layout pass re-arranges the whole screen and, a frame later, its scrollbars:
        # only when the text's size changes (browsing from one step to the next mostly
        # keeps the panel's height), never for new words in the same lines.
        if (
            not width
            or self._text_width_changed()
            or self.get_content_height(self.size, self.app.size, width) != height
        ):
            self.refresh(layout=True)

    #: The text's width when last measured, for a panel whose width follows its text.
    _measured_width: int | None = None

    def _text_width_changed(self) -> bool:
        """For a text as wide as its words (`width: auto`, the header's badges): whether
        they now need another width. "saved #9" to "saved #10" must widen the badge, or
        its last word is cut to an ellipsis. Always False for any other text."""
        if self.styles.width is None or not self.styles.width.is_auto:
            return False
        container = self.parent.size if isinstance(self.parent, Widget) else self.app.size
        measured = self.get_content_width(container, self.app.size)
        changed = measured != self._measured_width
        self._measured_width = measured
        return changed
