"""Running the review: the rules `cockpit check` runs, in order, and their sorted findings."""

from __future__ import annotations

from collections.abc import Iterable

from cockpit.readiness.rules_card import card_rules
from cockpit.readiness.rules_checkpoints import checkpoint_rules, verification_rules
from cockpit.readiness.rules_comms import comms_rules
from cockpit.readiness.rules_placeholders import placeholder_rules
from cockpit.readiness.rules_ponr import ponr_rules
from cockpit.readiness.rules_rehearsal import rehearsal_rules
from cockpit.readiness.rules_steps import step_rules
from cockpit.readiness.rules_time import time_rules
from cockpit.readiness.subject import Finding, Rule, Subject

#: The rules `cockpit check` runs, in order.
RULES: list[Rule] = [
    placeholder_rules,
    step_rules,
    ponr_rules,
    checkpoint_rules,
    time_rules,
    comms_rules,
    verification_rules,
    card_rules,
    rehearsal_rules,
]


def findings(subject: Subject, rules: Iterable[Rule] = RULES) -> list[Finding]:
    """Every finding of every rule: errors before warnings, then by file and line."""
    found = [finding for rule in rules for finding in rule(subject)]
    files = {str(subject.runbook_path): 0, str(subject.card_path): 1}
    return sorted(
        found,
        key=lambda f: (
            f.severity != "error",
            files.get(str(f.path), 2),
            f.problem.line or 0,
            f.rule,
        ),
    )
