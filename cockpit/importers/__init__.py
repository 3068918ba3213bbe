"""Import the runbooks teams already have — Markdown, CSV, Excel workbooks — into our TOML.

Each reader (`markdown`, `csv_import`, `xlsx`) turns its source into a `Draft`: steps, checkpoints,
rollback items, verification, whatever metadata it found, and a `Note` for every line it
could not map (or had to guess about). `finish` turns the draft into runbook data that
passes the format validation, filling what the source did not say with placeholders
marked TODO (a window, a time zone, an RTO, owners, minutes). `to_toml` writes it with
tomli-w and puts a `# TODO …` comment on every placeholder line, so `cockpit check`
(rule R901) tells the user exactly what is left to fill in.

Nothing here may raise on odd input except `FileProblems` for a file that cannot be used
at all (unreadable, no steps): every other oddity becomes a note.

The modules, one job each: `draft` (what a reader produces), `text` (field text, ids,
titles, owners and the PONR / go/no-go markers), `words` (what a line says: an action, a
phase, an alternative, output, a placeholder, a T-minus time), `durations`, `meta`
(customer, window, time zone, RTO, version), `rollbacks` (attaching undo items to their
steps, or keeping a rollback section as one procedure), `build` (`finish`: the draft as
runbook data), `write` (`to_toml`), `report` (the import report), and `source` (reading
the file, `import_path`, `import_text`). The `markdown` package reads Markdown with
markdown-it-py (`document`: sections; `items`: steps from items and lines; `reader`:
what each section means). Everything the readers and the command use is re-exported here.
"""

from __future__ import annotations

from cockpit.importers.build import (
    MAX_CRITERIA,
    MAX_STEPS,
    PLACEHOLDER_MINUTES,
    PLACEHOLDER_START,
    TODO,
    finish,
)
from cockpit.importers.draft import (
    Draft,
    DraftCheckpoint,
    DraftRollback,
    DraftStep,
    ImportResult,
    Note,
)
from cockpit.importers.durations import Duration, find_durations, parse_minutes, pick_duration
from cockpit.importers.meta import (
    apply_meta,
    find_dates,
    find_times,
    find_zone,
    meta_key,
    parse_window,
)
from cockpit.importers.rollbacks import attach_rollbacks
from cockpit.importers.source import import_path, import_text, kind_of, read_source
from cockpit.importers.text import (
    GATE,
    MAX_TEXT,
    PONR,
    clean_text,
    field_line,
    slug,
    strip_ponr,
    strip_span,
    take_owners,
    tidy_title,
    unique_id,
)
from cockpit.importers.write import to_toml

__all__ = [
    "GATE",
    "MAX_CRITERIA",
    "MAX_STEPS",
    "MAX_TEXT",
    "PLACEHOLDER_MINUTES",
    "PLACEHOLDER_START",
    "PONR",
    "TODO",
    "Draft",
    "DraftCheckpoint",
    "DraftRollback",
    "DraftStep",
    "Duration",
    "ImportResult",
    "Note",
    "apply_meta",
    "attach_rollbacks",
    "clean_text",
    "field_line",
    "find_dates",
    "find_durations",
    "find_times",
    "find_zone",
    "finish",
    "import_path",
    "import_text",
    "kind_of",
    "meta_key",
    "parse_minutes",
    "parse_window",
    "pick_duration",
    "read_source",
    "slug",
    "strip_ponr",
    "strip_span",
    "take_owners",
    "tidy_title",
    "to_toml",
    "unique_id",
]
