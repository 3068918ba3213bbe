"""The readiness rules by id: each rule's stable id and name, severity and summary.

The ids are grouped by hundreds:

* R1xx steps · R2xx point of no return · R3xx checkpoints · R4xx time (RTO, window)
* R5xx communications · R6xx verification · R7xx contact card · R8xx rehearsal
* R9xx placeholders left to fill in (from `cockpit import` and `cockpit new`)

`cockpit check --list-rules` prints this table; a `Finding` takes its severity from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What a rule checks: its stable id and name, how bad a finding is, in one line."""

    id: str
    name: str
    severity: Severity
    summary: str


_RULES_TABLE: tuple[tuple[str, str, Severity, str], ...] = (
    ("R101", "step-no-verify", "warning", "every step has at least one verify item"),
    ("R102", "rollback-missing", "error", "steps before the point of no return have a rollback"),
    ("R103", "owner-unassigned", "error", "every step has a real owner (not TBD, ?, n/a)"),
    ("R104", "rollback-untested", "warning", "rollbacks before the PONR were tested"),
    ("R105", "no-rollback-reason-vague", "error", "no_rollback says why, not just 'n/a'"),
    ("R106", "phase-split", "warning", "each phase's steps are together, in one run"),
    ("R201", "ponr-not-gated", "error", "a go/no-go gates the point-of-no-return step itself"),
    ("R202", "ponr-no-forward-fix", "warning", "past the point of no return: a forward fix"),
    ("R203", "post-cutover-writes-missing", "error", "data written after the PONR described"),
    ("R301", "criterion-vague", "error", "go/no-go criteria are explicit and checkable"),
    ("R302", "decider-unassigned", "error", "every checkpoint has a real decider"),
    ("R401", "rollback-over-rto", "error", "the latest possible rollback fits the RTO"),
    ("R402", "plan-over-window", "error", "the plan fits the maintenance window"),
    ("R403", "plan-and-rollback-over-window", "error", "plan plus latest rollback fit the window"),
    ("R404", "window-time-repeated", "warning", "window times are not in an hour that repeats"),
    ("R405", "window-clock-change", "warning", "the clocks do not change during the window"),
    ("R500", "comms-plan-missing", "error", "the communication plan names its stakeholders"),
    ("R501", "stakeholder-not-notified", "error", "each stakeholder gets a notice before"),
    ("R502", "stakeholder-misses-completion", "error", "each stakeholder hears the completion"),
    ("R503", "stakeholder-misses-rollback", "error", "each stakeholder hears a rollback outcome"),
    ("R504", "no-delay-message", "warning", "a message goes out when the plan slips"),
    ("R601", "verification-missing", "error", "a post-cutover verification checklist exists"),
    ("R701", "owner-not-on-card", "error", "every step owner resolves on the contact card"),
    ("R702", "decider-not-on-card", "error", "every checkpoint decider resolves on the card"),
    ("R703", "stakeholder-contact-not-on-card", "error", "stakeholder contacts are on the card"),
    ("R704", "no-on-call-senior", "error", "the card names an on-call senior with a phone"),
    ("R705", "mentioned-contact-missing", "warning", "carrier / vendor / NOC named are on card"),
    ("R706", "secret-not-named", "warning", "PINs and passwords the plan mentions are named"),
    ("R707", "no-contact-card", "warning", "a contact card is given"),
    ("R708", "secret-not-stored", "warning", "the card's secrets are in the keyring (or env)"),
    ("R709", "signer-not-on-card", "warning", "who signs each pre-window item is on the card"),
    ("R801", "never-rehearsed", "warning", "the plan was rehearsed (--rehearsal JOURNAL)"),
    ("R802", "rehearsal-other-runbook", "error", "the rehearsal ran this same runbook"),
    ("R803", "step-not-rehearsed", "error", "the rehearsal executed every step"),
    ("R804", "rollback-not-rehearsed", "error", "the rehearsal executed a rollback end to end"),
    ("R805", "rehearsed-rollback-over-rto", "error", "the rehearsed rollback fit the RTO"),
    ("R806", "rehearsed-rollback-partial", "warning", "the rehearsed rollback undid everything"),
    ("R807", "rehearsal-drift", "warning", "rehearsed step times close to the plan"),
    ("R808", "rehearsal-was-live", "warning", "the journal given as rehearsal is a rehearsal"),
    ("R901", "placeholder", "error", "no TODO / TBD placeholders are left to fill in"),
)

#: Every rule, by id.
RULE_INFO: dict[str, RuleInfo] = {
    rule_id: RuleInfo(rule_id, name, severity, summary)
    for rule_id, name, severity, summary in _RULES_TABLE
}
