"""The plan's fingerprint: one hash of a runbook's content, wherever it is compared.

It lives with the model because it is a fact about the plan alone. The session stamps
it on `cutover_started`, the readiness review matches rehearsal journals by it, and the
paper backup prints it; none of them should have to import the session (and with it the
journal writer) to compute it.
"""

from __future__ import annotations

import hashlib
import json

from cockpit.model.runbook import Runbook

#: Step fields added after journals existed. Left out of the hash while unset, so a plan
#: that does not use them keeps the hash its journals and rehearsals were stamped with (a
#: cockpit upgraded between the rehearsal and the night must not call the plan changed).
_NEW_STEP_FIELDS = ("phase",)


def runbook_sha256(runbook: Runbook) -> str:
    """A stable hash of the plan's content, not of the file's formatting.

    The model is dumped as JSON with sorted keys, so reordering tables, comments or
    whitespace in the TOML leave it unchanged while any change to the plan changes it.
    """
    data = runbook.model_dump(mode="json")
    for step in data["steps"]:
        for name in _NEW_STEP_FIELDS:
            if step.get(name) is None:
                step.pop(name, None)
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
