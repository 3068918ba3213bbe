"""Attaching the items of a rollback section to the steps they undo."""

from __future__ import annotations

import re

from cockpit.importers.draft import Draft, DraftRollback

_STOP_WORDS = (
    "the and for with from into all any old new back again then step steps if on off to "
    "of a an in it its is be set run use via undo roll rollback revert restore back-out "
    "backout fallback are was were this that these those our their your them they we you"
)
#: Words too common to tell one step from another.
_STOP = frozenset(_STOP_WORDS.split())


def words_of(text: str) -> dict[str, frozenset[str]]:
    """The distinctive words of a line, each with the forms it matches by ("unfreezes":
    unfreeze, freeze): what two lines about the same thing share."""
    words: dict[str, frozenset[str]] = {}
    for word in re.findall(r"[a-z0-9]+", text.lower()):
        if len(word) < 3 or word in _STOP:
            continue
        stem = word
        for suffix in ("ing", "ed", "es", "s"):
            if stem.endswith(suffix) and len(stem) - len(suffix) >= 4:
                stem = stem[: -len(suffix)]
                break
        forms = {stem}
        for prefix in ("un", "re", "de", "dis"):
            if stem.startswith(prefix) and len(stem) - len(prefix) >= 4:
                forms.add(stem[len(prefix) :])
        words[stem] = frozenset(forms)
    return words


def shared_words(one: dict[str, frozenset[str]], other: dict[str, frozenset[str]]) -> list[str]:
    """The words of `one` that `other` has too (in any of their forms), each counted once."""
    theirs = frozenset().union(*other.values()) if other else frozenset()
    return sorted(word for word, forms in one.items() if forms & theirs)


_STEP_REF = re.compile(r"\b(?:step|task|item|row)\s*#?\s*([A-Za-z]?\d+[a-z]?)\b|#(\d+)\b", re.I)


def attach_rollbacks(draft: Draft) -> None:
    """Give each item of a rollback section to the step it undoes, when that is certain;
    keep the rest as one ordered procedure.

    Certain means the item names its step ("undo step 3"), or it shares at least two
    distinctive words with one step and fewer with every other (before the point of no
    return). Anything less is how rollbacks landed on the wrong step: those items stay
    together, in the order written, as the undo of the step the rollback is about (the
    point of no return, else the last step that changes something), marked as a guess.
    """
    steps = draft.steps
    if not steps:
        return
    numbers = {step.number: index for index, step in enumerate(steps) if step.number}
    ponr = next((i for i, s in enumerate(steps) if s.ponr), len(steps))
    titles = [words_of(step.title) for step in steps]
    left: list[DraftRollback] = []
    for item in draft.rollbacks:
        target = item.step
        how = ""
        if target is None:
            for match in _STEP_REF.finditer(item.text):
                ref = match.group(1) or match.group(2)
                if ref in numbers:
                    target, how = numbers[ref], f"it names step {ref}"
                    break
                if ref.isdigit() and 1 <= int(ref) <= len(steps):
                    target, how = int(ref) - 1, f"it names step {ref}"
                    break
        if target is None:
            item_words = words_of(item.text)
            scored = sorted(
                (
                    (len(shared_words(item_words, words)), index)
                    for index, words in enumerate(titles)
                    if steps[index].no_rollback is None and index <= ponr
                ),
                reverse=True,
            )
            if scored and scored[0][0] >= 2 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
                target = scored[0][1]
                how = f"shared words: {', '.join(shared_words(item_words, titles[target]))}"
        if target is None:
            left.append(item)
            continue
        steps[target].rollbacks.append(item)
        if how:
            draft.note(
                item.line,
                f"rollback {item.text[:50]!r} attached to step {target + 1} "
                f"{steps[target].title[:40]!r} ({how})",
                "guessed",
            )
    draft.rollbacks = []
    if left:
        _keep_as_procedure(draft, left)


def _keep_as_procedure(draft: Draft, items: list[DraftRollback]) -> None:
    """The rollback items no step could claim, as one ordered undo of the step it is most
    likely about: the point of no return, else the last step."""
    steps = draft.steps
    anchor = next((i for i, s in enumerate(steps) if s.ponr), len(steps) - 1)
    step = steps[anchor]
    if len(items) == 1:
        procedure = items[0]
    else:
        text = " ".join(f"{n}) {item.text.rstrip('.;')}." for n, item in enumerate(items, 1))
        known = [item.minutes for item in items if item.minutes is not None]
        procedure = DraftRollback(
            f"Rollback procedure, in order: {text}",
            items[0].line,
            sum(known) if len(known) == len(items) else None,
            [command for item in items for command in item.commands],
            anchor,
        )
    step.rollbacks.append(procedure)
    step.guessed.append("rollback")
    last = items[-1].line
    draft.note(
        items[0].line,
        f"rollback section kept as one procedure of {len(items)} item(s), in order, as the "
        f"undo of step {anchor + 1} {step.title[:40]!r}: no single step it undoes is certain; "
        "confirm or split it",
        "guessed",
        end_line=last if last != items[0].line else None,
    )
