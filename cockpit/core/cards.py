"""What changed between two contact cards, in words for the log and the debrief.

When the DE takes a corrected card in the middle of a night, the journal records the
whole new card (so the journal alone rebuilds the screen) and these few words, so the log
line and the debrief say *what* changed — "Sam Ortiz: phones +1 555 0100 → +1 555 0199"
— without anyone comparing two snapshots by eye.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from cockpit.model.contacts import Account, Contact, ContactCard

#: A contact or an account: what a card lists by id.
Item = TypeVar("Item", Contact, Account)


def same_card(first: ContactCard | None, second: ContactCard | None) -> bool:
    """The two cards say the same (compared as data, not as file text)."""
    if first is None or second is None:
        return first is second
    return first.model_dump(mode="json") == second.model_dump(mode="json")


def card_changes(old: ContactCard | None, new: ContactCard) -> list[str]:
    """What `new` changes against `old`, one short phrase per contact or account."""
    if old is None:
        return [f"a contact card ({new.card.title}) where the night had none"]
    changes: list[str] = []
    if old.card.model_dump() != new.card.model_dump():
        changes.append(f"card {old.card.title!r} is now {new.card.title!r}")
    changes += _list_changes(
        old.contacts, new.contacts, lambda c: f"{c.name} ({c.role})", _contact_change
    )
    changes += _list_changes(
        old.accounts, new.accounts, lambda a: f"account {a.vendor}", _account_change
    )
    before_on_call, after_on_call = old.on_call, new.on_call
    if (before_on_call and before_on_call.id) != (after_on_call and after_on_call.id):
        was = before_on_call.name if before_on_call else "nobody"
        now = after_on_call.name if after_on_call else "nobody"
        changes.append(f"on-call senior DE: {was} → {now}")
    return changes or ["the same people and numbers, written differently"]


def _list_changes(
    old: Sequence[Item],
    new: Sequence[Item],
    name: Callable[[Item], str],
    change: Callable[[Item, Item], str],
) -> list[str]:
    """Added, changed (in `change`'s words) and removed entries of two lists keyed by id."""
    before = {item.id: item for item in old}
    after = {item.id: item for item in new}
    phrases = [
        f"added {name(item)}" if item_id not in before else change(before[item_id], item)
        for item_id, item in after.items()
    ]
    phrases += [f"removed {name(item)}" for item_id, item in before.items() if item_id not in after]
    return [phrase for phrase in phrases if phrase]


def _numbers(contact: Contact) -> str:
    return ", ".join(phone.number for phone in contact.phones) or "none"


def _contact_change(old: Contact, new: Contact) -> str:
    """`Name: phones A → B, role` — the numbers in full (they are what a DE dials)."""
    parts: list[str] = []
    if old.phones != new.phones:
        parts.append(f"phones {_numbers(old)} → {_numbers(new)}")
    parts += [
        name.replace("_", " ")
        for name in _changed_fields(old, new)
        if name not in ("phones", "on_call_senior")  # the on-call line says the latter
    ]
    return f"{new.name}: {', '.join(parts)}" if parts else ""


def _account_change(old: Account, new: Account) -> str:
    changed = _changed_fields(old, new)
    return f"account {new.vendor}: {', '.join(changed)} changed" if changed else ""


def _changed_fields(old: Any, new: Any) -> list[str]:
    """Names of the model fields whose values differ."""
    return [name for name in type(new).model_fields if getattr(old, name) != getattr(new, name)]
