"""Share mode and secrets on the cockpit screen: mask, reveal briefly, copy unseen.

A reveal or a copy is journaled (the name and where the value came from, never the
value) before the value is shown or copied, so nothing is revealed off the record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from cockpit.core import commands as cmd
from cockpit.tui.screens.base import CockpitBase

if TYPE_CHECKING:
    from cockpit.core.source import Outcome, StateSource
    from cockpit.core.state import CutoverState

#: Seconds a revealed secret stays on screen.
REVEAL_SECONDS = 15


class SecretActions(CockpitBase):
    """The share and secret actions of `CockpitScreen` (keys f2, k, K), in their own module."""

    _revealed: dict[str, tuple[str, float]]
    _session_secrets: Any
    monotonic: Callable[[], float]

    if TYPE_CHECKING:  # what the cockpit screen provides
        source: StateSource

        @property
        def state(self) -> CutoverState: ...

        def run_command(self, command: cmd.Command) -> Outcome: ...

        def confirm(self, title: str, body: str, yes: str, then: Callable[[], Any]) -> None: ...

        def refresh_view(self) -> None: ...

    def action_share(self) -> None:
        """Share mode on or off: journaled, with the high-contrast theme and a badge."""
        on = not self.state.share_mode
        self._revealed.clear()  # nothing revealed survives a switch into or out of sharing
        outcome = self.run_command(cmd.SetShareMode(on=on))
        if outcome.kind == "saved":
            self.cockpit_app.apply_share_theme(on)
            self.notify("SHARING: secrets stay masked." if on else "Share mode off.")

    def mask_secrets(self) -> None:
        """Mask every revealed secret now (before a screenshot is taken)."""
        if self._revealed:
            self._revealed.clear()
            self.refresh_view()

    def secrets_on_card(self) -> list[tuple[str, str]]:
        """(label, secret name) of every secret the contact card references."""
        card = self.state.contacts
        if card is None:
            return []
        found: list[tuple[str, str]] = []
        for contact in card.contacts:
            found += [
                (f"{contact.name}: {label}", ref.secret) for label, ref in contact.secrets.items()
            ]
        for account in card.accounts:
            found += [
                (f"{account.vendor}: {label}", value.secret)
                for label, value in account.fields.items()
                if not isinstance(value, str)
            ]
        return found

    def action_reveal(self, copy: bool = False, name: str = "") -> None:
        """Reveal a secret for 15 s, or copy it unseen; on record first, shown second."""
        secrets = self.secrets_on_card()
        if not secrets:
            self.notify("The contact card references no secrets.")
            return
        if name:
            self._reveal_named(name, copy)
        elif len(secrets) == 1:
            self._reveal_named(secrets[0][1], copy)
        else:
            from cockpit.tui.screens.secret_dialogs import PickSecret

            verb = "Copy" if copy else "Reveal"
            self.app.push_screen(
                PickSecret(f"{verb} which secret?", secrets),
                lambda chosen: self._reveal_named(chosen, copy) if chosen else None,
            )

    def _reveal_named(self, name: str, copy: bool) -> None:
        if self.state.share_mode and not copy:
            self.confirm(
                "Reveal a secret on a shared screen?",
                f"You are SHARING your screen. Revealing {name!r} shows it to everyone on the "
                "call, and the reveal is journaled. Copy it instead "
                f"({self.keys.binding('cockpit.reveal2')}) to keep it off screen.",
                "Reveal anyway",
                lambda: self._fetch_and_reveal(name, copy),
            )
        else:
            self._fetch_and_reveal(name, copy)

    def _fetch_and_reveal(self, name: str, copy: bool) -> None:
        from cockpit.secrets import SessionSecrets, keyring_status

        if self._session_secrets is None:
            self._session_secrets = SessionSecrets()
        lookup = self._session_secrets.get(name)
        if lookup.value is None:
            from cockpit.tui.screens.secret_dialogs import TypeSecret

            why = keyring_status().message or "Neither the keyring nor the environment has it."

            def typed(value: str | None) -> None:
                if value:
                    self._session_secrets.remember(name, value)
                    self._fetch_and_reveal(name, copy)

            self.app.push_screen(TypeSecret(name, why), typed)
            return
        how: Literal["shown", "copied"] = "copied" if copy else "shown"
        outcome = self.run_command(cmd.RecordSecretReveal(name=name, how=how, source=lookup.source))
        if outcome.kind != "saved":
            return  # not on record, so not shown
        self.source.remember_secret(name, lookup.value)  # kept out of later notes
        if copy:
            self.app.copy_to_clipboard(lookup.value)
            self.notify(f"Copied {name} to the clipboard (not shown). The copy is journaled.")
        else:
            self._revealed[name] = (lookup.value, self.monotonic() + REVEAL_SECONDS)
            self.set_timer(REVEAL_SECONDS + 0.05, self.refresh_view)
            self.refresh_view()
