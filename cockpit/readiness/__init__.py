"""The readiness review: is this plan fit to run tonight, not just well-formed?

The format validation (`cockpit.model.load`) says a runbook *can* be run. This package
says whether it *should* be: every step has a rollback or a reason it needs none, the
point of no return is gated right before it, criteria are checkable, the rollback fits the
RTO and the window, every stakeholder hears the notice, the go and the rollback outcome,
the contact card has someone to call for everything the plan mentions, and a rehearsal
journal proves the plan was run end to end, rollback included.

Each rule is a function of a `Subject` returning `Finding`s. A finding has a stable rule
id (`R102`) and name (`rollback-missing`), a severity, the file and line, the step or
checkpoint it concerns and a one-line fix, so a person can act on it and a script can
gate on it. The ids are grouped by hundreds:

* R1xx steps · R2xx point of no return · R3xx checkpoints · R4xx time (RTO, window)
* R5xx communications · R6xx verification · R7xx contact card · R8xx rehearsal
* R9xx placeholders left to fill in (from `cockpit import` and `cockpit new`)

The modules, one job each:

* `registry` — the rules by id (`RULE_INFO`); `subject` — `Subject`, `Finding` and the
  helpers every rule shares; `review` — `RULES` in report order and `findings()`;
* `rules_steps` (R1xx), `rules_ponr` (R2xx), `rules_checkpoints` (R3xx, R6xx),
  `rules_time` (R4xx), `rules_comms` (R5xx), `rules_card` (R7xx), `rules_rehearsal`
  (R8xx), `rules_placeholders` (R9xx);
* `deadline` — the rollback deadline; `rehearsal` — evidence read from rehearsal journals
  and the drift table.

Everything is re-exported here: import from `cockpit.readiness`.
No Textual here: `cockpit check` prints these, and anything else may use them.
"""

from __future__ import annotations

from cockpit.readiness.deadline import RollbackDeadline, rollback_deadline
from cockpit.readiness.registry import RULE_INFO, RuleInfo, Severity
from cockpit.readiness.rehearsal import (
    DRIFT_FACTOR,
    DRIFT_MINUTES,
    DriftRow,
    RehearsalRun,
    RollbackRun,
    drift_table,
    matching_rehearsals,
    read_rehearsal,
)
from cockpit.readiness.review import RULES, findings
from cockpit.readiness.rules_card import card_rules
from cockpit.readiness.rules_checkpoints import (
    checkpoint_rules,
    is_vague_criterion,
    verification_rules,
)
from cockpit.readiness.rules_comms import comms_rules
from cockpit.readiness.rules_placeholders import placeholder_rules
from cockpit.readiness.rules_ponr import ponr_rules
from cockpit.readiness.rules_rehearsal import rehearsal_rules
from cockpit.readiness.rules_steps import step_rules
from cockpit.readiness.rules_time import time_rules
from cockpit.readiness.subject import Finding, Location, Rule, Subject

__all__ = [
    "DRIFT_FACTOR",
    "DRIFT_MINUTES",
    "RULES",
    "RULE_INFO",
    "DriftRow",
    "Finding",
    "Location",
    "RehearsalRun",
    "RollbackDeadline",
    "RollbackRun",
    "Rule",
    "RuleInfo",
    "Severity",
    "Subject",
    "card_rules",
    "checkpoint_rules",
    "comms_rules",
    "drift_table",
    "findings",
    "is_vague_criterion",
    "matching_rehearsals",
    "placeholder_rules",
    "ponr_rules",
    "read_rehearsal",
    "rehearsal_rules",
    "rollback_deadline",
    "step_rules",
    "time_rules",
    "verification_rules",
]
