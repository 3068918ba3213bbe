"""`cockpit secrets set|get|list|delete`: the contact card's secrets in the OS keyring.

    cockpit secrets set carrier-pin            # asks twice, without echo
    printf '%s\\n' "$PIN" | cockpit secrets set carrier-pin --stdin
    cockpit secrets get carrier-pin            # present or missing, and from where
    cockpit secrets get carrier-pin --show     # the value itself, on stdout
    cockpit secrets list --contacts contact_cards/acme.toml
    cockpit secrets delete carrier-pin

A value is printed only by `get --show`, and never logged or written to a file. A
keyring that is not a secure OS keyring is refused (exit 2) with what to do instead.
Exit codes: 0 done / present, 1 missing (get, delete, list with a card), 2 refused or
bad input.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of `cockpit secrets`."""
    actions = parser.add_subparsers(dest="secrets_action", metavar="ACTION", required=True)
    set_ = actions.add_parser(
        "set",
        help="store a secret in the OS keyring (asked for without echo)",
        description="Store a secret in the OS keyring; you are asked for it twice, unseen.",
    )
    set_.add_argument("name", metavar="NAME", help="the secret's name, e.g. carrier-pin")
    set_.add_argument(
        "--stdin",
        action="store_true",
        help="read the value from the first line of standard input (for scripts)",
    )
    get = actions.add_parser(
        "get",
        help="whether a secret is available and from where (the value only with --show)",
        description="Say whether a secret is available (keyring, environment) — "
        "the value itself only with --show.",
    )
    get.add_argument("name", metavar="NAME", help="the secret's name")
    get.add_argument("--show", action="store_true", help="print the value itself on stdout")
    listing = actions.add_parser(
        "list",
        help="secret names and whether each is present (never the values)",
        description="Secret names — those a contact card references with --contacts, "
        "else those set through the cockpit or in the environment — and whether each is "
        "present, never their values.",
    )
    listing.add_argument(
        "--contacts",
        metavar="CARD",
        help="a contact card: list the secrets it references (exit 1 if any is missing)",
    )
    delete = actions.add_parser(
        "delete", help="remove a secret from the OS keyring", description="Remove a secret."
    )
    delete.add_argument("name", metavar="NAME", help="the secret's name")


def run(args: argparse.Namespace) -> int:
    """Run the action; refusals raise `SecretsError`, which `cockpit` turns into exit 2."""
    return {"set": _set, "get": _get, "list": _list, "delete": _delete}[args.secrets_action](args)


def _set(args: argparse.Namespace) -> int:
    from cockpit.secrets import SecretsError, check_name, set_secret

    name = check_name(args.name)
    if args.stdin:
        value = sys.stdin.readline().removesuffix("\n").removesuffix("\r")
    else:
        if not sys.stdin.isatty():
            raise SecretsError(
                "standard input is not a terminal, so the value cannot be asked for "
                "without echo; pass --stdin to read it from standard input"
            )
        value = getpass.getpass(f"Value of {name} (not shown): ")
        if value and getpass.getpass("Again, to confirm: ") != value:
            raise SecretsError("the two entries differ; nothing was stored")
    where = set_secret(name, value)
    print(f"{name}: stored in the OS keyring ({where})")
    return 0


def _get(args: argparse.Namespace) -> int:
    from cockpit.secrets import check_name, env_var_name, get_secret

    name = check_name(args.name)
    value, source = get_secret(name)
    if value is None:
        print(
            f"{name}: missing — store it with: cockpit secrets set {name}, "
            f"or set {env_var_name(name)} in the environment",
            file=sys.stderr,
        )
        _keyring_note()
        return 1
    if args.show:
        print(value)
    else:
        print(f"{name}: present ({_describe(source, name)}); add --show to print it")
    return 0


def _list(args: argparse.Namespace) -> int:
    from cockpit.secrets import known_names, secret_status

    if args.contacts:
        from cockpit.model.load import load_contact_card

        card = load_contact_card(Path(args.contacts))
        names = card.secret_names()
        if not names:
            print(f"{args.contacts}: the card references no secrets")
            return 0
    else:
        names = known_names()
        if not names:
            print(
                "no secrets known: none set through the cockpit, none in the environment "
                "(pass --contacts CARD to check the secrets a card references)"
            )
            _keyring_note()
            return 0
    statuses = secret_status(names)
    width = max(len(status.name) for status in statuses)
    for status in statuses:
        state = "present" if status.present else "MISSING"
        where = f"  {_describe(status.source, status.name)}" if status.present else ""
        print(f"{status.name:<{width}}  {state}{where}")
    _keyring_note()
    return 1 if args.contacts and not all(status.present for status in statuses) else 0


def _delete(args: argparse.Namespace) -> int:
    from cockpit.secrets import check_name, delete_secret, env_var_name

    name = check_name(args.name)
    removed = delete_secret(name)
    print(f"{name}: {'deleted from' if removed else 'was not in'} the OS keyring")
    import os

    if os.environ.get(env_var_name(name)):
        print(f"note: {env_var_name(name)} is still set in the environment", file=sys.stderr)
    return 0 if removed else 1


def _describe(source: str, name: str) -> str:
    from cockpit.secrets import env_var_name

    if source == "env":
        return f"environment variable {env_var_name(name)}"
    return {"keyring": "OS keyring"}.get(source, source)


def _keyring_note() -> None:
    """When the keyring is refused, say why on stderr (the env fallback may still work)."""
    from cockpit.secrets import keyring_status

    status = keyring_status()
    if not status.usable:
        why = status.message.partition("\n")[0].rstrip(".")
        print(f"note: {why}; `cockpit secrets set NAME` says what to do", file=sys.stderr)
