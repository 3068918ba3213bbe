"""The contact card format: people, numbers, accounts — and secrets only by name.

A secret (a carrier PIN, a portal password) is written as `{ secret = "carrier-pin" }` and
looked up in the OS keyring when revealed. A field whose name says it is a PIN or a
password but holds a literal value is refused, so a secret cannot slip into the file.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import Field, StrictBool, StrictInt, field_validator, model_validator

from cockpit.model.runbook import Identifier, NonEmptyText, Prose, Strict

SecretName = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9_.-]{0,63}$",
        description="The secret's name in the keyring, e.g. 'carrier-pin'.",
    ),
]
_SECRET_WORDS = re.compile(r"\b(pin|passcode|password|passwd|secret|token|pw)\b", re.IGNORECASE)


class SecretRef(Strict):
    """A reference to a secret held in the OS keyring, never its value."""

    secret: SecretName


class Phone(Strict):
    """A phone number with what it is for."""

    label: NonEmptyText = Field(default="phone", description="mobile, desk, NOC line…")
    number: Annotated[str, Field(pattern=r"^\+?[0-9 ().\-x]{3,32}$", description="The number.")]


class Contact(Strict):
    """A person or desk that may be called on the night."""

    id: Identifier
    name: NonEmptyText
    role: NonEmptyText
    organisation: str = ""
    phones: list[Phone] = Field(default_factory=list)
    email: str = ""
    notes: Prose = ""
    escalation_order: Annotated[StrictInt, Field(ge=1, le=99)] | None = Field(
        default=None, description="1 is called first when escalating."
    )
    on_call_senior: StrictBool = Field(
        default=False, description="The on-call senior DE: the 30-minute rule's target."
    )
    secrets: dict[str, SecretRef] = Field(
        default_factory=dict, description="Label → secret reference, e.g. 'Port PIN'."
    )

    @property
    def first_number(self) -> str:
        """The number to dial first, or an empty string."""
        return self.phones[0].number if self.phones else ""


class Account(Strict):
    """Carrier or vendor account details; sensitive fields are secret references."""

    id: Identifier
    vendor: NonEmptyText
    contact: Identifier | None = Field(default=None, description="Contact id for this account.")
    fields: dict[str, str | SecretRef] = Field(
        default_factory=dict, description="Label → value or { secret = NAME }."
    )

    @field_validator("fields")
    @classmethod
    def _no_literal_secrets(cls, fields: dict[str, str | SecretRef]) -> dict[str, str | SecretRef]:
        for label, value in fields.items():
            if isinstance(value, str) and _SECRET_WORDS.search(label):
                raise ValueError(
                    f"{label!r} looks like a secret but holds a literal value; write it as "
                    f'{{ secret = "name" }} and store it with: cockpit secrets set name'
                )
        return fields


class CardMeta(Strict):
    """The `[card]` table."""

    id: Identifier
    title: NonEmptyText


class ContactCard(Strict):
    """Everyone who may be called on the night, as written in `contact_cards/*.toml`."""

    card: CardMeta
    contacts: list[Contact] = Field(min_length=1)
    accounts: list[Account] = Field(default_factory=list)

    def contact(self, contact_id: str) -> Contact:
        """The contact with this id."""
        for contact in self.contacts:
            if contact.id == contact_id:
                return contact
        raise KeyError(contact_id)

    def resolve(self, owner: str) -> Contact | None:
        """The contact an owner names, by id or by role (case-insensitive)."""
        wanted = owner.strip().casefold()
        for contact in self.contacts:
            if contact.id.casefold() == wanted:
                return contact
        for contact in self.contacts:
            if contact.role.casefold() == wanted:
                return contact
        return None

    @property
    def on_call(self) -> Contact | None:
        """The on-call senior DE, the target of the escalation rule."""
        for contact in self.contacts:
            if contact.on_call_senior:
                return contact
        return None

    @property
    def in_escalation_order(self) -> list[Contact]:
        """Contacts with an escalation order first (ascending), then the rest in file order."""
        ordered = sorted(
            (c for c in self.contacts if c.escalation_order is not None),
            key=lambda c: c.escalation_order or 0,
        )
        return ordered + [c for c in self.contacts if c.escalation_order is None]

    def secret_names(self) -> list[str]:
        """Every secret name the card references, without duplicates, in file order."""
        names: list[str] = []
        for contact in self.contacts:
            names.extend(ref.secret for ref in contact.secrets.values())
        for account in self.accounts:
            names.extend(
                ref.secret for ref in account.fields.values() if isinstance(ref, SecretRef)
            )
        return list(dict.fromkeys(names))

    @model_validator(mode="after")
    def _cross_check(self) -> ContactCard:
        problems = card_cross_check_problems(self)
        if problems:
            # One ValueError per model validator; the loader splits it back into lines,
            # each starting with the location path it concerns.
            raise ValueError("\n".join(problems))
        return self


def card_cross_check_problems(card: ContactCard) -> list[str]:
    """Problems that span the card's tables, each as 'path.to.field: what is wrong'.

    A function beside the validator (as `cross_check_problems` is for the runbook) so the
    loader can run the checks on a partly valid card and locate each by its path prefix.
    """
    problems: list[str] = []
    seen: set[str] = set()
    for index, contact in enumerate(card.contacts):
        if contact.id in seen:
            problems.append(f"contacts.{index}.id: duplicate contact id {contact.id!r}")
        seen.add(contact.id)
    on_call = [i for i, c in enumerate(card.contacts) if c.on_call_senior]
    if len(on_call) > 1:
        problems.append(
            f"contacts.{on_call[1]}.on_call_senior: more than one contact is the on-call "
            "senior; mark exactly one"
        )
    for index in on_call:
        if not card.contacts[index].phones:
            problems.append(
                f"contacts.{index}.phones: the on-call senior needs a phone number to call"
            )
    for index, account in enumerate(card.accounts):
        if account.contact is not None and account.contact not in seen:
            problems.append(
                f"accounts.{index}.contact: account {account.id!r} names unknown contact "
                f"{account.contact!r}"
            )
    return problems
