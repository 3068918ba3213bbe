"""One readable line per event: the log command, the log screen and the debrief share it."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from cockpit.journal import events as ev


def event_detail(event: ev.BaseEvent) -> str:
    """The few words that say what this event was about."""
    match event:
        case ev.CutoverStarted():
            runbook_id = event.runbook.get("runbook", {}).get("id", "?")
            return f"{event.mode} run of {runbook_id} by {event.operator}"
        case ev.SessionResumed():
            changed = (
                " (runbook file changed; following the snapshot)" if event.runbook_changed else ""
            )
            return f"by {event.operator or '?'}{changed}"
        case ev.PlanRebaselined():
            return f"plan starts {event.plan_start:%Y-%m-%d %H:%M} UTC: {event.reason}"
        case ev.StepStarted() | ev.StepCompleted() | ev.RollbackStepDone():
            return event.step_id
        case ev.StepSkipped() | ev.StepFailed():
            return f"{event.step_id}: {event.reason}"
        case ev.CriterionMarked():
            return f"{event.checkpoint_id} #{event.index + 1} {'met' if event.met else 'NOT met'}"
        case ev.CheckpointDecided():
            word = {"go": "GO", "no_go": "NO-GO", "hold": "HOLD"}[event.decision]
            return f"{event.checkpoint_id}: {word} by {event.by}" + (
                f" — {event.reason}" if event.reason else ""
            )
        case ev.PointOfNoReturnCrossed():
            return f"{event.step_id} (on the go of {event.checkpoint_id}, event #{event.go_seq})"
        case ev.BlockerRaised():
            return f"{event.what} (call by {event.deadline:%H:%M} UTC)"
        case ev.EscalationCalled():
            return f"called {event.contact_name}"
        case ev.BlockerResolved():
            return event.how
        case ev.RollbackStarted():
            return f"{event.reason} — undo {', '.join(event.steps) or 'nothing'}"
        case ev.MessageSent():
            return event.message_id
        case ev.NoteAdded():
            return event.text
        case ev.SecretRevealed():
            return f"{event.name} {event.how} ({event.source or 'unknown source'})"
        case ev.ShareModeChanged():
            return "on" if event.on else "off"
        case ev.CutoverEnded():
            return ev.OUTCOME_WORDS[event.outcome] + (f": {event.summary}" if event.summary else "")
    return ""


def describe_event(event: ev.BaseEvent, timezone: str) -> str:
    """`#12  02:31:07  step_completed  port-activation` in the runbook's time zone."""
    local = event.at.astimezone(ZoneInfo(timezone))
    kind = getattr(event, "type", "?")
    return f"#{event.seq:<5} {local:%H:%M:%S}  {kind:<20} {event_detail(event)}"
