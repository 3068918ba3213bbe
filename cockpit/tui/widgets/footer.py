"""The footer: the keys in force, drawn as one line by one widget.

Textual's footer is a row of key widgets: when the keys in force change (browsing onto
the point of no return, starting a step turns `Start` into `Complete`) it mounts new
ones, or lays the row out again for words of another width — a layout of the screen
and one or two more frames, tens of milliseconds after the key that changed them. Here
the footer is a single line the widget draws itself (Textual's line API): new keys
repaint that line, in the frame of the key that changed them, and never move anything.

It looks like Textual's compact footer (the same theme colours: `$footer-key-foreground`
and the rest), the command palette's key docked at the right. At 80 columns every key
that applies does not fit: the action table says which stay (`Action.narrow`), and a
key is shown whole or not at all — never "R Rollb". The help screen and the palette
have them all. A click on a key presses it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

from cockpit.tui.actions import BY_ID

#: Textual's own keys that go at 80 columns too (quit: ctrl+q is on paper and in help).
WIDE_ONLY_BUILTINS = frozenset({"app.quit", "quit"})
#: Between the keys, and between the keys and the palette's key.
GAP = " "
PALETTE_EDGE = "▏"


@dataclass(frozen=True, slots=True)
class KeySpec:
    """What one footer key shows and does."""

    key: str
    key_display: str
    description: str
    action: str
    disabled: bool
    tooltip: str
    #: Left out at 80 columns.
    wide_only: bool
    #: The command palette's key, docked at the right.
    palette: bool

    @property
    def label(self) -> str:
        return f"{self.key_display} {self.description}" if self.description else self.key_display


@dataclass(frozen=True, slots=True)
class Placed:
    """A key drawn on the line: its columns."""

    spec: KeySpec
    start: int
    end: int


class CockpitFooter(Widget, can_focus=False):
    """The keys that apply now, on one line."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "footer--key",
        "footer--description",
        "footer--hover",
        "footer--palette-edge",
    }
    DEFAULT_CSS = """
    CockpitFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .footer--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
        .footer--palette-edge {
            color: $foreground 20%;
        }
    }
    """

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        #: The keys in force, in order (the palette's last), as last read from the screen
        #: (None: not yet; the first frame reads them, once the screen's panels are there).
        self.specs: list[KeySpec] | None = None
        #: The keys drawn on the line, where they are.
        self.placed: list[Placed] = []
        self._hover: int | None = None
        self._line: Strip | None = None
        self._drawn_for: tuple[object, ...] | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen[object]) -> None:
        """The keys in force changed: the line is drawn again, in this frame."""
        if not self.is_attached or screen is not self.screen:
            return
        specs = self.key_specs()
        if specs != self.specs:
            self.specs = specs
            self.refresh()

    def key_specs(self) -> list[KeySpec]:
        """The keys to show now, in order: one key per action (the first binding's, as
        Textual's footer chooses), the palette's last. The cockpit's bindings have no
        groups."""
        active_bindings = self.screen.active_bindings
        first: dict[str, KeySpec] = {}
        for _, binding, enabled, tooltip in active_bindings.values():
            if not binding.show or binding.action in first:
                continue
            name = binding.action.split("(")[0]
            entry = BY_ID.get(name)
            first[binding.action] = KeySpec(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                not enabled,
                tooltip,
                (entry is not None and not entry.narrow) or name in WIDE_ONLY_BUILTINS,
                False,
            )
        specs = list(first.values())
        palette = active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if self.app.ENABLE_COMMAND_PALETTE and palette is not None:
            _, binding, enabled, _ = palette
            specs.append(
                KeySpec(
                    binding.key,
                    self.app.get_key_display(binding),
                    binding.description,
                    binding.action,
                    not enabled,
                    binding.tooltip or binding.description,
                    False,
                    True,
                )
            )
        return specs

    @property
    def shown(self) -> list[KeySpec]:
        """The keys on the line now (at this width), in order."""
        self._draw()
        return [placed.spec for placed in self.placed]

    # ---- drawing -------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        self._draw()
        assert self._line is not None
        return self._line if y == 0 else Strip.blank(self.size.width, self.rich_style)

    def _draw(self) -> None:
        """Lay the keys on the line, when what it shows or its width changed."""
        if self.specs is None:
            self.specs = self.key_specs()
        width = self.size.width
        narrow = self._narrow()
        drawn_for = (tuple(self.specs), width, narrow, self._hover, self.app.theme)
        if drawn_for == self._drawn_for and self._line is not None:
            return
        self._drawn_for = drawn_for
        keys = [s for s in self.specs if not s.palette and not (narrow and s.wide_only)]
        palettes = [s for s in self.specs if s.palette]
        palette_width = sum(cell_len(s.label) + len(PALETTE_EDGE) + len(GAP) for s in palettes)
        if palette_width > width:
            palettes, palette_width = [], 0
        room = width - palette_width  # a key may touch the palette's edge
        self.placed = []
        x = 0
        for spec in keys:
            end = x + cell_len(spec.label)
            if end > room:
                break  # a key shown whole or not at all
            self.placed.append(Placed(spec, x, end))
            x = end + len(GAP)
        x = width - palette_width
        for spec in palettes:  # the edge, the key, a column before the screen's edge
            start = x + len(PALETTE_EDGE)
            self.placed.append(Placed(spec, start, start + cell_len(spec.label)))
            x = start + cell_len(spec.label) + len(GAP)
        self._line = self._strip(width)

    def _narrow(self) -> bool:
        """Whether the screen is at its narrow breakpoint (80 columns): asked of the
        breakpoints themselves, as the screen's class may be set after this line is
        drawn at that width."""
        screen = self.screen
        breakpoints = screen.HORIZONTAL_BREAKPOINTS or self.app.HORIZONTAL_BREAKPOINTS or []
        name = ""
        for width, class_name in sorted(breakpoints):
            if screen.size.width >= width:
                name = class_name
        return name == "-narrow"

    def _strip(self, width: int) -> Strip:
        base = self.rich_style
        key_style = base + self.get_component_rich_style("footer--key", partial=True)
        words_style = base + self.get_component_rich_style("footer--description", partial=True)
        hover_style = self.get_component_rich_style("footer--hover", partial=True)
        # A colour with alpha (`$foreground 20%`) is blended over the footer's background
        # here: a rich style has no alpha.
        edge = self.get_component_styles("footer--palette-edge")
        edge_style = base + Style(color=(self.styles.background + edge.color).rich_color)
        segments: list[Segment] = []
        x = 0
        for index, placed in enumerate(self.placed):
            spec = placed.spec
            start = placed.start - (len(PALETTE_EDGE) if spec.palette else 0)
            if start > x:
                segments.append(Segment(" " * (start - x), base))
            if spec.palette:
                segments.append(Segment(PALETTE_EDGE, edge_style))
            extra = Style(dim=True) if spec.disabled else Style()
            if index == self._hover:
                extra += hover_style
            segments.append(Segment(spec.key_display, key_style + extra))
            if spec.description:
                segments.append(Segment(f" {spec.description}", words_style + extra))
            x = placed.end
        if x < width:
            segments.append(Segment(" " * (width - x), base))
        return Strip(segments, width).crop(0, width)

    # ---- the mouse -----------------------------------------------------------------------

    def _key_at(self, x: int) -> int | None:
        for index, placed in enumerate(self.placed):
            if placed.start <= x < placed.end:
                return index
        return None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        hover = self._key_at(event.x)
        if hover != self._hover:
            self._hover = hover
            self.tooltip = self.placed[hover].spec.tooltip or None if hover is not None else None
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """A click presses the key (a key that does not apply now rings the bell)."""
        index = self._key_at(event.x)
        if index is None:
            return
        spec = self.placed[index].spec
        if spec.disabled:
            self.app.bell()
        else:
            self.app.simulate_key(spec.key)
