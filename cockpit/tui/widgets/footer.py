"""The footer: Textual's, with each key marked by whether it stays at 80 columns, and
its keys changed in place.

At 80 columns every key that applies does not fit; the action table says which stay
(`Action.narrow`), and the stylesheet hides the others there, so the footer ends on a
whole word — never "R Rollb". The help screen and the palette have them all.

Textual's footer removes every key and mounts new ones whenever the keys in force change
(`recompose`): new widgets to style, measure and paint, and a layout of the whole screen,
after most key presses (browsing a step, starting one: the keys that apply change). This
one keeps its key widgets and changes their words when only the words changed, and
rebuilds only when the number of keys does.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from cockpit.tui.actions import BY_ID

#: Textual's own keys that go at 80 columns too (quit: ctrl+q is on paper and in help).
WIDE_ONLY_BUILTINS = frozenset({"app.quit", "quit"})


@dataclass(frozen=True, slots=True)
class KeySpec:
    """What one footer key shows and does."""

    key: str
    key_display: str
    description: str
    action: str
    disabled: bool
    tooltip: str
    #: Hidden at 80 columns (`-wide-only`).
    wide_only: bool
    #: The command palette's key, docked at the right.
    palette: bool


class CockpitFooterKey(FooterKey):
    """A footer key whose words can change without a new widget."""

    def __init__(self, spec: KeySpec) -> None:
        classes = " ".join(
            name
            for name, flag in (("-wide-only", spec.wide_only), ("-command-palette", spec.palette))
            if flag
        )
        super().__init__(
            spec.key,
            spec.key_display,
            spec.description,
            spec.action,
            disabled=spec.disabled,
            tooltip=spec.tooltip,
            classes=classes,
        )
        #: What it shows now.
        self.spec = spec

    def show_spec(self, spec: KeySpec) -> None:
        """Show another key in this place (same enabled state and dock)."""
        if spec == self.spec:
            return
        resized = (spec.key_display, spec.description) != (self.key_display, self.description)
        self.key, self.key_display = spec.key, spec.key_display
        self.description, self.action = spec.description, spec.action
        self.tooltip = spec.tooltip or None
        self.set_class(spec.wide_only, "-wide-only")
        self.spec = spec
        # A key of other words is another width: the footer's row is laid out again.
        self.refresh(layout=resized)


class CockpitFooter(Footer):
    """Keys the action table keeps at 80 columns, and the rest marked `-wide-only`."""

    def key_specs(self) -> list[KeySpec]:
        """The keys to show now, in order (Textual's footer's choice: one key per action,
        the palette's last). The cockpit's bindings have no groups."""
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
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            palette = active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
            if palette is not None:
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

    #: Set once the screen's bindings have settled (Textual's footer shows no key before).
    keys_ready = False

    def bindings_changed(self, screen: Screen[object]) -> None:
        """The keys in force changed: show them now, in the frame of the key that changed
        them, when the widgets there are can show them; else Textual recomposes (after a
        refresh, a frame later)."""
        self.keys_ready = True
        keys = list(self.query_children(CockpitFooterKey))
        if (
            keys
            and self.is_attached
            and screen is self.screen
            and self._show_in_place(keys, self.key_specs())
        ):
            return
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        if not self.keys_ready:
            return
        for spec in self.key_specs():
            yield CockpitFooterKey(spec).data_bind(compact=Footer.compact)

    async def recompose(self) -> None:
        """Bring the keys up to date, keeping the widgets where the keys allow it.

        A key that no longer applies is hidden (`-unused`), not removed, so when it
        applies again it is shown, not mounted. Only a key never shown before (or keys in
        a new order) mounts the footer's keys anew.
        """
        keys = list(self.query_children(CockpitFooterKey))
        specs = self.key_specs()
        if keys and self.is_attached and self._show_in_place(keys, specs):
            return
        await super().recompose()

    def _show_in_place(self, keys: list[CockpitFooterKey], specs: list[KeySpec]) -> bool:
        """Show `specs` with the widgets there are, in order; False when they cannot be."""
        plan: list[tuple[CockpitFooterKey, KeySpec | None]] = []
        wanted = iter(specs)
        spec = next(wanted, None)
        for key in keys:
            if spec is not None and _same_place(key.spec, spec):
                plan.append((key, spec))
                spec = next(wanted, None)
            else:
                plan.append((key, None))
        if spec is not None:  # a key with no widget for it yet
            return False
        for key, shown in plan:
            if shown is not None:
                key.show_spec(shown)
            key.set_class(shown is None, "-unused")
        return True


def _same_place(shown: KeySpec, wanted: KeySpec) -> bool:
    """Whether a widget showing `shown` can show `wanted` (the same action; the same
    enabled state and dock, which Textual's key takes only when it is made)."""
    return (shown.action, shown.disabled, shown.palette) == (
        wanted.action,
        wanted.disabled,
        wanted.palette,
    )
