"""The lists of the night that are not a step's: the checklist before the window (each
item with who is to sign it) and the post-cutover verification, walked item by item from
what a `Walk` collected, with the DE's word when a list was passed with items unticked.

A step's verify items are walked with its row (`steps.step_rows`), the check after a
rollback with the rollback (`steps.rollback_report`); all go through `Walk.items`.
"""

from __future__ import annotations

from cockpit.core.checklists import ChecklistRef

from .model import ChecklistReport
from .steps import who
from .walk import Walk


def pre_window_report(walk: Walk) -> ChecklistReport | None:
    """The checklist before the window: who signed each item and when, or nobody; and, if
    the first step started with items unsigned, why (None: the plan has no such list)."""
    entries = walk.runbook.pre_window
    if not entries:
        return None
    started = walk.started_anyway
    return ChecklistReport(
        items=walk.items(
            ChecklistRef("pre_window"), signers=[who(walk, entry.signed_by) for entry in entries]
        ),
        unticked=tuple(index + 1 for index in started.unticked) if started else (),
        anyway=started.anyway if started else "",
        anyway_at=started.at if started else None,
        anyway_seq=started.seq if started else 0,
    )


def verification_report(walk: Walk) -> ChecklistReport | None:
    """The post-cutover verification: each item seen when (perhaps after the end, in
    hypercare) or never, and why the cutover was declared complete with items unticked
    (None: the plan has no such list)."""
    if not walk.runbook.verification:
        return None
    ended = walk.ended
    unticked = ended.unticked if ended is not None else []
    return ChecklistReport(
        items=walk.items(ChecklistRef("verification")),
        unticked=tuple(index + 1 for index in unticked),
        anyway=ended.anyway if ended is not None else "",
        anyway_at=ended.at if ended is not None and unticked else None,
        anyway_seq=ended.seq if ended is not None and unticked else 0,
        after=ended.at if ended is not None else None,
    )
