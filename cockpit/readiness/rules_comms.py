"""R5xx communications: every stakeholder hears the notice, the go, and a rollback outcome."""

from __future__ import annotations

from collections.abc import Iterable

from cockpit.model.runbook import (
    BeforeWindow,
    Completed,
    Delay,
    RollbackCompleted,
    StepCompleted,
)
from cockpit.readiness.subject import Finding, Subject, finding_at


def comms_rules(subject: Subject) -> Iterable[Finding]:
    """Everyone hears the notice before, the completion, and the rollback outcome."""
    runbook = subject.runbook
    comms = runbook.communications
    if not comms.stakeholders:
        yield finding_at(
            subject,
            "R500",
            ("communications",),
            "the communication plan names no stakeholders: nobody is told about the window, "
            "the go or a rollback",
            "add [communications] stakeholders = [{ id = …, name = …, channel = … }] and "
            "[[communications.messages]] for them",
            where="[communications]",
        )
        return
    notified: set[str] = set()
    completion: set[str] = set()
    rolled_back: set[str] = set()
    last_step = runbook.steps[-1].id
    for message in comms.messages:
        trigger = message.trigger
        if isinstance(trigger, BeforeWindow):
            notified.update(message.audience)
        elif isinstance(trigger, Completed) or (
            isinstance(trigger, StepCompleted) and trigger.step == last_step
        ):
            completion.update(message.audience)
        elif isinstance(trigger, RollbackCompleted):
            rolled_back.update(message.audience)
    for index, stakeholder in enumerate(comms.stakeholders):
        at = ("communications", "stakeholders", index)
        who = f"stakeholder {stakeholder.id!r}"
        if stakeholder.id not in notified:
            yield finding_at(
                subject,
                "R501",
                at,
                "gets no notice before the window",
                f"add {stakeholder.id!r} to the audience of a message with trigger = "
                '{ kind = "before_window", hours = 72 }',
                where=who,
            )
        if stakeholder.id not in completion:
            yield finding_at(
                subject,
                "R502",
                at,
                "never hears that the cutover is complete",
                f'add {stakeholder.id!r} to the audience of the trigger = {{ kind = "completed" }} '
                "message",
                where=who,
            )
        if stakeholder.id not in rolled_back:
            yield finding_at(
                subject,
                "R503",
                at,
                "never hears the outcome of a rollback",
                f"add {stakeholder.id!r} to the audience of the trigger = "
                '{ kind = "rollback_completed" } message',
                where=who,
            )
    if not any(isinstance(message.trigger, Delay) for message in comms.messages):
        yield finding_at(
            subject,
            "R504",
            ("communications",),
            "no message for a delay: nobody hears when the plan slips",
            'add a message with trigger = { kind = "delay", minutes = 15 } (Status / Impact / '
            "What changed / Next action / Next update)",
            where="[communications]",
        )
