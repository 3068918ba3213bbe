"""What every cockpit screen knows of its app, typed.

The screens run inside `CockpitApp`, which carries the keys in force, the share theme and
the theme choice; `cockpit_app` says so to the type checker once, instead of an ignore at
every use of `self.app`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen

if TYPE_CHECKING:
    from cockpit.tui.actions import KeysInForce
    from cockpit.tui.app import CockpitApp


class CockpitBase(Screen[None]):
    """A screen of the cockpit app."""

    @property
    def cockpit_app(self) -> CockpitApp:
        """The app, as the cockpit it is."""
        return cast("CockpitApp", self.app)

    @property
    def keys(self) -> KeysInForce:
        """The key in force for each action (after the user's keymap)."""
        return self.cockpit_app.keys_in_force
