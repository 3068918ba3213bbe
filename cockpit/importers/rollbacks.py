"""Attaching the items of a rollback section to the steps they undo."""

from __future__ import annotations

import re

from cockpit.importers.draft import Draft

_STOP_WORDS = (
    "the and for with from into all any old new back again then step steps if on off to "
    "of a an in it its is be set run use via undo roll rollback revert restore back-out "
    "backout fallback are was were this that these those our their your them they we you"
)
#: Words too common to tell one step from another.
_STOP = frozenset(_STOP_WORDS.split())


def _words(text: str) -> set[str]:
    words: set[str] = set()
    for word in re.findall(r"[a-z0-9]+", text.lower()):
        if len(word) < 3 or word in _STOP:
            continue
        for suffix in ("ing", "ed", "es", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word = word[: -len(suffix)]
                break
        words.add(word)
        for prefix in ("un", "re", "de", "dis"):
            if word.startswith(prefix) and len(word) - len(prefix) >= 4:
                words.add(word[len(prefix) :])
    return words


_STEP_REF = re.compile(r"\b(?:step|task|item|row)\s*#?\s*([A-Za-z]?\d+[a-z]?)\b|#(\d+)\b", re.I)


def attach_rollbacks(draft: Draft) -> None:
    """Give each rollback item found in a rollback section to the step it undoes.

    An explicit reference ("undo step 3") wins; otherwise the step whose title shares the
    most words with the item (before the point of no return on a tie). An item that
    matches nothing is reported, never dropped silently.
    """
    steps = draft.steps
    numbers = {step.number: index for index, step in enumerate(steps) if step.number}
    ponr = next((i for i, s in enumerate(steps) if s.ponr), len(steps))
    titles = [_words(step.title) for step in steps]
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
            # Steps that say they need no rollback are not candidates; up to the point of no
            # return one shared word will do, after it (where rollbacks are rare) two. A tie
            # goes to the later step: a rollback undoes the latest change first.
            item_words = _words(item.text)
            scored = [
                (len(item_words & words), index)
                for index, words in enumerate(titles)
                if steps[index].no_rollback is None
            ]
            before = [pair for pair in scored if pair[1] <= ponr and pair[0] > 0]
            after = [pair for pair in scored if pair[1] > ponr and pair[0] > 1]
            best = max(before or after, default=None)
            if best is not None:
                target = best[1]
                shared = sorted(item_words & titles[target])
                how = f"shared words: {', '.join(shared)}"
        if target is None:
            draft.note(
                item.line,
                f"rollback {item.text[:60]!r}: no step it undoes could be found; add it to "
                'that step as rollback = { action = "…", minutes = N }',
            )
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
