"""The debrief as Markdown: readable as plain text, and rendered anywhere Markdown is.

The report's words are all in `document` (`build_document`); the shared Markdown writer
(`cockpit.report.writers.markdown`, the paper copy's too) lays them out, escaping every
piece of text from the night through `cockpit.report.escape.md`: a note holding
`<script>`, `|` or `**` prints as written and cannot break a table or inject HTML.
"""

from __future__ import annotations

from ..writers.markdown import write_markdown
from .document import build_document
from .model import Debrief


def render_markdown(debrief: Debrief) -> str:
    """The whole report, ending with one newline."""
    return write_markdown(build_document(debrief))
