"""R3xx go/no-go checkpoints and R6xx verification: how you know to go on, and that it worked.

Criteria must be explicit and checkable ("looks good" is not), every checkpoint needs a
real decider, and the plan needs a post-cutover verification checklist.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from cockpit.readiness.subject import Finding, Location, Subject, finding_at, is_nobody, norm

#: A criterion that is, in its entirety, one of these says nothing checkable.
_VAGUE_WHOLE = re.compile(
    r"^(?:(?:it|all|everything|things|system|systems|stuff|we|we re)\s+)?"
    r"(?:(?:is|are|looks?|seems?|feels?|all)\s+)?"
    r"(?:good|ok|okay|fine|great|green|normal|healthy|working|works|done|ready|go|yes|"
    r"as expected|in order|good to go|ok to go|all good|all ok|no issues|no problems|"
    r"nothing wrong|sanity check(?:ed)?|checks? pass(?:ed)?|all checks pass(?:ed)?|"
    r"tbd|todo|n/a|na)$"
)
#: A criterion containing one of these phrases leans on a feeling, not a check.
_VAGUE_PART = re.compile(
    r"\b(?:looks?|seems?|feels?)\s+(?:good|ok|okay|fine|right|normal|alright)\b"
    r"|\beverything\s+(?:is\s+|looks\s+|seems\s+)?(?:good|ok|okay|fine)\b"
    r"|\ball\s+good\b"
)


def is_vague_criterion(text: str) -> bool:
    """True for criteria such as "looks good", "OK", "everything fine"."""
    words = norm(text)
    return not words or bool(_VAGUE_WHOLE.match(words) or _VAGUE_PART.search(words))


def checkpoint_rules(subject: Subject) -> Iterable[Finding]:
    """Criteria are explicit and checkable; someone decides."""
    for index, checkpoint in enumerate(subject.runbook.checkpoints):
        for number, criterion in enumerate(checkpoint.criteria):
            if is_vague_criterion(criterion):
                yield finding_at(
                    subject,
                    "R301",
                    ("checkpoints", index, "criteria", number),
                    f"criterion {criterion!r} is not checkable: at 3 a.m. anything 'looks good'",
                    "say what you will see, e.g. 'All 23 numbers show active' or 'error rate "
                    "under 0.5 % for 10 minutes'",
                )
        if is_nobody(checkpoint.decider):
            yield finding_at(
                subject,
                "R302",
                ("checkpoints", index, "decider"),
                f"the decider is {checkpoint.decider!r}: nobody owns the go/no-go",
                "set decider to a contact id or role from the contact card",
            )


def verification_rules(subject: Subject) -> Iterable[Finding]:
    """A post-cutover verification checklist exists."""
    if not subject.runbook.verification:
        location: Location = (
            ("verification",) if ("verification",) in subject.lines else ("runbook",)
        )
        yield finding_at(
            subject,
            "R601",
            location,
            "no post-cutover verification checklist: how will you know it worked?",
            'add verification = ["main number answered from a mobile", ...] at the top of the file',
            where="",
        )
