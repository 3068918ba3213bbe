"""Cutover Cockpit: a calm, crash-proof terminal cockpit for a production cutover."""

import os as _os

__version__ = "0.1.0"

# Pydantic plugins are third-party code that pydantic finds by scanning every installed
# package's entry points when it builds its first validator, then hands every validation
# to (the runbook, the contact card, each journal event). The cockpit takes none: it is
# offline by construction and a night's data goes to no code it did not choose. (The
# scan also cost ~5 ms of every start-up.) Set here, before any model of the cockpit is
# built: everything of the cockpit is imported through this package.
_os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"
